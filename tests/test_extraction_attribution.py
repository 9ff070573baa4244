"""Who reports a figure: the speaker in the places English news puts it.

Every sentence here is written for these tests. Pure unit tests: no database.
"""

from datetime import date

import pytest

from incidents.extraction import extract, speakers
from incidents.extraction.draft import REPORTER_UNKNOWN

REF = date(2025, 3, 14)  # a Friday


def reporters(text: str, **kwargs) -> dict[int, str | None]:
    """Each figure's value (or floor) and who reports it."""
    draft = extract(text, REF, language="en", **kwargs)
    return {(f.value if f.value is not None else f.value_low): f.reported_by for f in draft.figures}


def figure(text: str, value: int, **kwargs):
    draft = extract(text, REF, language="en", **kwargs)
    return next(f for f in draft.figures if value in (f.value, f.value_low))


# -- the speaker at the end of a long sentence ---------------------------------------------


def test_a_person_named_with_a_role_in_an_organisation_reports_for_it():
    text = (
        "Security forces arrested 57 students in the capital over the weekend and beat "
        "many of them, Lucia Ferrer, director of the Zambaran Legal Aid Centre, told a "
        "news conference on Wednesday."
    )
    assert reporters(text) == {57: "Zambaran Legal Aid Centre"}


def test_an_organisation_followed_by_an_apposition_is_the_speaker():
    text = (
        "Thirty people were injured and 12 protesters detained, the Northern Rights "
        "Commission, an independent body funded by the state, said on Monday."
    )
    assert reporters(text) == {30: "Northern Rights Commission", 12: "Northern Rights Commission"}
    assert figure(text, 12).as_of == "2025-03-10"


def test_a_relative_clause_after_the_speaker_is_not_the_speaker():
    text = (
        "Police killed 12 protesters in the port city, a Lagos-based group that tracks "
        "police abuse said on Friday."
    )
    # Unnamed, but an organisation: never "police abuse".
    assert reporters(text) == {12: "Lagos-based group"}


def test_an_unnamed_group_is_the_organisation_the_next_sentence_names():
    text = (
        "At least 212 political prisoners remain in detention, a Bangkok-based group said "
        "on Monday. The figures, compiled by the Delta Prisoners Network from court files, "
        "include 40 women still held."
    )
    assert reporters(text) == {212: "Delta Prisoners Network", 40: "Delta Prisoners Network"}


def test_a_person_tied_by_a_relative_clause_reports_for_the_organisation():
    text = (
        "The Coastal Defenders Collective works from exile. “There are 64 political "
        "prisoners still in jail,” said Ana Ruiz, who chairs the collective."
    )
    assert reporters(text) == {64: "Coastal Defenders Collective"}


def test_a_parenthetical_between_speaker_and_verb_is_skipped():
    text = "President Omar Haddad, in a radio interview on Sunday, said 19 people had died."
    assert reporters(text) == {19: "Omar Haddad"}


# -- inverted speech -----------------------------------------------------------------------


def test_inverted_speech_names_the_speaker_after_the_verb():
    text = (
        "There are 220 political prisoners in Venezuela, said the NGO Provea, and 24 of them "
        "were detained this month."
    )
    assert reporters(text)[220] == "Provea"


def test_a_quote_followed_by_its_speaker():
    text = "“At least 14 of those detained are minors,” said the Open Doors Foundation."
    assert reporters(text) == {14: "Open Doors Foundation"}


def test_the_subject_after_a_closing_quote_is_the_speaker():
    text = (
        "The Valley Monitor counts 31 people still detained in Kanto. “They must all be "
        "freed,” the monitor said."
    )
    assert reporters(text) == {31: "Valley Monitor"}


# -- according to the state -----------------------------------------------------------------


@pytest.mark.parametrize(
    "opening, reporter",
    [
        ("According to the government", "Nicaraguan government"),
        ("According to official figures", "Nicaraguan government"),
        ("According to the interior ministry", "interior ministry"),
    ],
)
def test_according_to_a_state_body(opening, reporter):
    text = f"{opening}, 312 people were released from prison in Nicaragua last week."
    assert reporters(text) == {312: reporter}


def test_bare_police_is_the_police_force_the_article_names():
    text = (
        "Police said they had arrested 640 people in the capital. The Harbour City Police "
        "and other units had also detained students."
    )
    assert reporters(text) == {640: "Harbour City Police"}


def test_an_unnamed_office_holder_is_a_state_body():
    text = "The judiciary chief said that 300 people would be charged in Tehran alone."
    assert figure(text, 300).reported_by == "judiciary chief"


# -- a release in its own voice ----------------------------------------------------------------


RELEASE = (
    "Quiet Hands Network: 90 activists still in jail\n\n"
    "Managua, March 12, 2025. We have documented 90 activists who remain in prison in "
    "Nicaragua. Our team also recorded 17 new arrests of protesters in February.\n\n"
    "The Quiet Hands Network verifies every case with relatives.\n"
)


def test_a_release_in_its_own_voice_is_reported_by_its_publisher():
    assert reporters(RELEASE) == {90: "Quiet Hands Network", 17: "Quiet Hands Network"}


def test_the_publisher_is_named_in_an_about_paragraph():
    text = (
        "Caracas, 3 March 2025. Our lawyers have verified 312 political prisoners in "
        "Venezuela.\n\nAbout the Free Defence Forum\nThe Free Defence Forum gives legal aid.\n"
    )
    assert reporters(text) == {312: "Free Defence Forum"}


def test_we_inside_a_quote_is_not_the_publisher():
    assert not speakers.own_voice("“We have documented 90 cases,” said Ana Ruiz.")
    assert speakers.own_voice("Our records show that 90 people remain in prison.")


def test_find_publisher_prefers_the_name_given_with_its_acronym():
    text = (
        "Arrests continue\n\nThe Hill Rights Centre (HRC) and the Interior Ministry disagree. "
        "The centre says 40 remain."
    )
    assert speakers.find_publisher(text, text.index("\n"))[1] == "Hill Rights Centre"


# -- "the organization said", "it said" ---------------------------------------------------


def test_the_organization_refers_back_to_the_named_ngo():
    text = (
        "The Pacific Rights Observatory said on Monday that 33 journalists had been detained "
        "in Myanmar since January. The organization added that 12 of them remain in prison."
    )
    assert reporters(text) == {33: "Pacific Rights Observatory", 12: "Pacific Rights Observatory"}


def test_the_ministry_refers_back_to_the_ministry_named_before():
    text = (
        "In Belarus, 45 people were detained on Saturday, the Interior Ministry said. "
        "Separately, the Justice Ministry praised the courts.\n\n"
        "The interior ministry added that 30 of those held were released."
    )
    got = reporters(text)
    assert got[45] == "Interior Ministry" and got[30] == "Interior Ministry"


def test_it_refers_to_the_organisation_named_in_its_paragraph():
    text = (
        "Sombra, a human rights organisation based in Quito, has another count. In a report "
        "published on Thursday, it documented 58 deaths of detainees in state custody."
    )
    assert reporters(text) == {58: "Sombra"}


def test_the_organization_is_never_a_fragment_of_an_earlier_quote():
    text = (
        "“The regime must free them,” the experts said. According to the organization, "
        "19 people remain imprisoned."
    )
    # No organisation is named: the reporter is unknown, and the draft says so.
    f = figure(text, 19)
    assert f.reported_by is None and f.warnings == [REPORTER_UNKNOWN]


def test_the_report_is_the_document_of_the_statement_just_reported():
    text = (
        "The Cairo Freedoms Centre has documented 412 political prisoners, in a report "
        "published on Tuesday.\n\nThe report counts 73 cases of enforced disappearance."
    )
    assert reporters(text)[73] == "Cairo Freedoms Centre"


# -- carry-over ----------------------------------------------------------------------------------


def test_a_statement_carries_over_within_its_paragraph_and_not_beyond():
    text = (
        "The Pacific Rights Observatory said on Monday that 33 journalists had been detained. "
        "Most of them were held in Yangon, where 20 journalists remain in prison.\n\n"
        "Officials opened a new bridge, and 40 people were injured in a traffic accident."
    )
    got = reporters(text)
    assert got[33] == got[20] == "Pacific Rights Observatory"
    assert got[40] is None


def test_an_agentless_count_continues_the_counter_of_the_paragraph_before():
    text = (
        "Police detained 387 people on Sunday, the monitoring project Street Watch said.\n\n"
        "In Kazan, 112 detentions were recorded, more than in any other city."
    )
    assert reporters(text)[112] == "Street Watch"


def test_a_later_clause_has_its_own_speaker():
    text = (
        "On Monday, the junta announced it had freed 312 prisoners, but the Delta Prisoners "
        "Network said fewer than 50 of them were political prisoners."
    )
    got = reporters(text)
    assert got[312] != "Delta Prisoners Network"
    assert got[50] == "Delta Prisoners Network"


def test_a_headline_count_takes_the_speaker_of_the_text_that_repeats_it():
    text = (
        "Kenya: 41 killed in protests, rights body says\n\n"
        "Forty-one people have been killed in protests, the Kenya Justice Commission said on "
        "Monday.\n"
    )
    draft = extract(text, REF, language="en")
    killed = [f for f in draft.figures if f.measure == "killed"]
    assert killed and {f.reported_by for f in killed} == {"Kenya Justice Commission"}


# -- the draft says when it cannot tell -----------------------------------------------------------


def test_no_reporter_is_said_in_the_draft():
    text = "In Georgia, at least 80 protesters were injured on Sunday."
    draft = extract(text, REF, language="en")
    assert draft.figures[0].reported_by is None
    assert draft.figures[0].warnings == [REPORTER_UNKNOWN]
    assert draft.to_dict()["figures"][0]["warnings"] == [REPORTER_UNKNOWN]


def test_a_figure_with_a_reporter_has_no_warning():
    draft = extract("Amnesty International said 40 people were detained in Minsk.", REF)
    assert draft.figures[0].warnings == []


def test_an_allegation_without_a_reporter_is_marked_too():
    draft = extract("Police tortured 30 students in Minsk last week.", REF, language="en")
    unattributed = [a for a in draft.allegations if a.reported_by is None]
    assert unattributed and all(a.warnings == [REPORTER_UNKNOWN] for a in unattributed)


# -- building blocks ------------------------------------------------------------------------------


def test_tie_reads_the_role_and_the_organisation():
    assert speakers.tie("head of the Forum for Justice") == ("head", "the Forum for Justice")
    assert speakers.tie("who chairs the commission") == ("chair", "the commission")
    assert speakers.tie("the centre's executive director") == ("executive director", "the centre")
    assert speakers.tie("a lawyer from Minsk") == (None, None)


def test_org_mentions_finds_named_organisations_in_order():
    text = (
        "The Kenya Justice Commission and the Office of the High Commissioner for Human "
        "Rights met. Sombra, a rights organisation, joined."
    )
    names = [name for _start, name in speakers.org_mentions(text)]
    assert names == [
        "Kenya Justice Commission",
        "Office of the High Commissioner for Human Rights",
        "Sombra",
    ]


def test_head_kind():
    assert speakers.head_kind("Kenya Justice Commission") == "ngo"
    assert speakers.head_kind("National Police Service") == "security_force"
    assert speakers.head_kind("Ombudsman's Office") == "state_body"
    assert speakers.head_kind("Ana Ruiz") is None


def test_a_spanish_draft_says_so_too():
    text = (
        "En Caracas, al menos 80 manifestantes fueron detenidos el domingo durante las protestas."
    )
    draft = extract(text, REF, language="es")
    assert draft.figures and all(f.warnings == [REPORTER_UNKNOWN] for f in draft.figures)
