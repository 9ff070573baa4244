"""English rules that must hold across styles: wire dispatch, NGO release, UN briefing note,
liveblog, explainer, government communiqué and long newspaper piece.

Each phenomenon is tested in several phrasings written for these tests (no sentence is
taken from a scored or published article). Pure unit tests: no database.
"""

from datetime import date

import pytest

from incidents.extraction import extract

REF = date(2025, 3, 14)  # a Friday


def figures(text: str, reference: date = REF):
    return extract(text, reference, language="en").figures


def rows(text: str, reference: date = REF) -> list[tuple]:
    """(value or floor, measure, reporter, as-of) of every figure, in text order."""
    return [
        (f.value if f.value is not None else f.value_low, f.measure, f.reported_by, f.as_of)
        for f in figures(text, reference)
    ]


def one(text: str, value: int, reference: date = REF):
    return next(f for f in figures(text, reference) if value in (f.value, f.value_low))


# -- 1. a headline takes the provenance of the body that repeats it --------------------------


@pytest.mark.parametrize(
    "text, value, reporter, as_of",
    [
        (  # wire: a bare headline count
            "Lorvania: 1,133 detained as students defy protest ban\n\n"
            "LORVA CITY, March 13 (Wire) - Police have detained 1,133 people since the ban "
            "took effect, the Lorvanian Students Union said on Wednesday.",
            1133,
            "Lorvanian Students Union",
            "2025-03-12",
        ),
        (  # newspaper: the headline names the speaker by a short name
            "Amnesty puts the death toll at 304, as officials admit 7,000 arrests\n\n"
            "At least 304 people have been killed since the unrest began, Amnesty "
            "International said on Tuesday, citing death certificates and witness accounts.",
            304,
            "Amnesty International",
            "2025-03-11",
        ),
        (  # the headline's own speaker is kept, the date comes from the body
            "Over 400 students held in Koravia, lawyers say\n\n"
            "More than 400 students have been detained in the capital, defence lawyers said on "
            "Monday, many of them without access to counsel.",
            400,
            "lawyers",
            "2025-03-10",
        ),
        (
            "Rights commission says 37 killed in a week of protests\n\n"
            "The Koravian National Commission on Human Rights said on Wednesday that 37 people "
            "had been killed in the protests.",
            37,
            "Koravian National Commission on Human Rights",
            "2025-03-12",
        ),
        (  # government communiqué style headline
            "86 charged over riots, prosecutors say\n\n"
            "Prosecutors said on Thursday that 86 people had been charged with rioting.",
            86,
            "prosecutors",
            "2025-03-13",
        ),
    ],
)
def test_a_headline_count_takes_the_body_statement(text, value, reporter, as_of):
    f = figures(text)[0]
    assert (f.value, f.reported_by, f.as_of) == (value, reporter, as_of)


def test_a_headline_count_the_body_does_not_repeat_keeps_no_borrowed_date():
    text = (
        "Koravia: 52 killed in clashes\n\n"
        "The health ministry said on Monday that 12 people had been injured in the clashes."
    )
    headline = one(text, 52)
    assert headline.as_of == REF.isoformat()


# -- 2. dates that are not the statement's ---------------------------------------------------


@pytest.mark.parametrize(
    "text, value, as_of",
    [
        (  # a year inside a quote
            "“We have not seen anything like this, not in 2014 and not in 2002,” said Ana "
            "Ruiz of the Koravia Prisoners Forum, which counts 240 political prisoners.",
            240,
            REF.isoformat(),
        ),
        (  # a year a rule was adopted
            "The Delta Rights Network said on Monday it had verified 520 political prisoners "
            "under criteria adopted in 2012.",
            520,
            "2025-03-10",
        ),
        (  # "the worst since 2009" is a comparison, not a period
            "At least 61 people were killed in the clashes, the worst since 2009, the health "
            "ministry said on Wednesday.",
            61,
            "2025-03-12",
        ),
        (  # an event earlier than the statement, in the same clause
            "Prosecutors charged 47 people arrested during the May 9 riots, the attorney "
            "general's office said on Wednesday.",
            47,
            "2025-03-12",
        ),
        (
            "Courts have sentenced 23 protesters detained at the February 2 march, the "
            "Lorvanian Bar Association said on Tuesday.",
            23,
            "2025-03-11",
        ),
    ],
)
def test_a_date_that_is_not_the_statement_is_not_the_as_of(text, value, as_of):
    assert one(text, value).as_of == as_of


def test_a_comparison_with_a_year_opens_no_period():
    text = "At least 61 people were killed, the deadliest toll since 2009, the ministry said."
    assert one(text, 61).since is None


def test_since_an_event_the_as_of_is_the_statement_day():
    text = (
        "Since the coup, 94 people have been killed by the security forces, said Ravina "
        "Talwar of the UN Human Rights Office on Tuesday."
    )
    f = one(text, 94)
    assert (f.reported_by, f.as_of) == ("UN Human Rights Office", "2025-03-11")


@pytest.mark.parametrize(
    "dateline",
    [
        "MAPUTO, Dec 27 (Wire) - ",
        "MAPUTO, December 27 (Wire) — ",
        "Maputo, Dec. 27 (Newswire) -- ",
    ],
)
def test_a_dateline_resolves_the_weekday_of_the_statement(dateline):
    # Published on Friday Jan 3; the dispatch is from Friday Dec 27, so "Thursday" is
    # Dec 26, not the Thursday before publication (Jan 2).
    text = (
        "Police detain dozens in Mozambique\n\n"
        + dateline
        + "Police have detained 84 protesters since the results were announced, the "
        "Mozambican Bar Association said on Thursday."
    )
    assert one(text, 84, date(2025, 1, 3)).as_of == "2024-12-26"


def test_an_undated_dispatch_holds_as_of_its_dateline():
    text = (
        "GENEVA, March 12 (AP) — At least 58 people have been detained in the capital, "
        "according to the Lorvanian Bar Association."
    )
    assert one(text, 58).as_of == "2025-03-12"


# -- 3. liveblog entries ------------------------------------------------------------------


def test_a_liveblog_entry_is_dated_by_the_blog_not_by_an_earlier_statement():
    text = (
        "Protests in Koravia: live updates\n\n"
        "The health ministry said on Monday that 12 protesters had been killed.\n\n"
        "15:40 - The death toll from the clashes in the capital has risen to 37, the health "
        "ministry said.\n\n"
        "15:55 GMT: Police have detained 210 protesters near parliament, the interior "
        "ministry said.\n\n"
        "Updated 09:12 The ministry said 41 people had been killed."
    )
    got = {v: (who, day) for v, _, who, day in rows(text)}
    assert got[12] == ("health ministry", "2025-03-10")
    assert got[37] == ("health ministry", "2025-03-14")
    assert got[210][1] == "2025-03-14"
    assert got[41][1] == "2025-03-14"


def test_a_liveblog_entry_takes_the_day_heading_above_it():
    text = (
        "Live: Koravia protests\n\n"
        "Thursday, March 13\n\n"
        "10:05 - The death toll has risen to 29, the health ministry said.\n\n"
        "Friday, March 14\n\n"
        "15:40 - The death toll has risen to 37, the health ministry said."
    )
    got = {v: day for v, _, _, day in rows(text)}
    assert got == {29: "2025-03-13", 37: "2025-03-14"}


# -- 4. briefing notes in their own voice ------------------------------------------------------


def test_a_un_briefing_note_in_its_own_voice_is_the_publishers():
    text = (
        "Press briefing notes on Koravia and Lorvania\n\n"
        "Spokesperson for the UN Human Rights Office: Liz Okafor\n\n"
        "Koravia\n\n"
        "We are deeply concerned by the violent crackdown on protesters in Koravia, where "
        "at least seven people have been killed since Saturday.\n\n"
        "Our Office has been told that 140 people were arrested in the capital alone.\n\n"
        "Lorvania\n\n"
        "In Lorvania, we have documented 23 cases of enforced disappearance since January."
    )
    got = {v: who for v, _, who, _ in rows(text)}
    office = "UN Human Rights Office"
    assert got == {7: office, 140: office, 23: office}


def test_a_briefing_note_named_by_its_spokesperson_line():
    text = (
        "Koravia: killings of protesters\n\n"
        "We are alarmed by reports that at least 16 protesters were killed on Tuesday.\n\n"
        "We have also received reports that 230 people were detained overnight, said "
        "spokesperson Jonas Meyer of the UN Human Rights Office."
    )
    got = {v: who for v, _, who, _ in rows(text)}
    assert got == {16: "UN Human Rights Office", 230: "UN Human Rights Office"}


def test_a_spokesperson_of_an_office_speaks_for_it():
    text = (
        "At least 31 people have been detained since Sunday, said spokesperson Ravina "
        "Talwar of the UN Human Rights Office."
    )
    assert one(text, 31).reported_by == "UN Human Rights Office"


# -- 5. "the group", "the platform" refer back to the organisation -------------------------------


@pytest.mark.parametrize(
    "text, value, reporter",
    [
        (
            "The civil society platform Plataforma Decide said on Monday that 120 people "
            "had been detained. The National Electoral Council confirmed the results on "
            "Tuesday. The platform said 14 more people had been detained overnight.",
            14,
            "Plataforma Decide",
        ),
        (
            "The monitoring group Libertad Ya counts 303 political prisoners. The Supreme "
            "Court rejected an appeal on Monday. The group said 40 protesters had been "
            "charged with terrorism.",
            40,
            "Libertad Ya",
        ),
        (
            "The rights network Red Andina said it had documented 85 arrests. The Supreme "
            "Court upheld the sentences. The organization said 12 people remain missing.",
            12,
            "Red Andina",
        ),
        (
            "The monitoring group Libertad Ya has tracked arrests since July. The Supreme "
            "Court said on Monday it would hear the appeals. It said in its latest update "
            "that 1,240 people were in detention.",
            1240,
            "Libertad Ya",
        ),
    ],
)
def test_the_group_refers_to_the_organisation_not_a_state_body(text, value, reporter):
    assert one(text, value).reported_by == reporter


# -- 6. tables and lists in explainers ---------------------------------------------------------


def test_a_table_paragraph_gives_one_figure_per_row():
    text = (
        "What we know about the arrests\n\n"
        "According to figures from the Punjab police:\n"
        "Arrested: 3,380\n"
        "Released on bail - 2,150\n"
        "Charged: 499\n"
        "Still in custody: 1,230\n\n"
        "The opposition disputes the figures."
    )
    got = [(v, m, who) for v, m, who, _ in rows(text)]
    assert got == [
        (3380, "detained", "Punjab police"),
        (2150, "released", "Punjab police"),
        (499, "charged", "Punjab police"),
        (1230, "still_detained", "Punjab police"),
    ]


def test_a_bullet_list_after_an_introduction_takes_its_speaker():
    text = (
        "The toll so far\n\n"
        "The opposition Koravian Democratic Party gave these figures on Wednesday:\n\n"
        "- 25 killed (party figures)\n"
        "- 1,400 arrested\n"
        "- 310 injured"
    )
    got = [(v, m, who, day) for v, m, who, day in rows(text)]
    party = "Koravian Democratic Party"
    assert got == [
        (25, "killed", party, "2025-03-12"),
        (1400, "detained", party, "2025-03-12"),
        (310, "injured", party, "2025-03-12"),
    ]


def test_a_row_label_with_no_measure_is_no_figure():
    text = "According to the ministry:\nProvinces affected: 12\nArrested: 340"
    assert [(v, m) for v, m, _, _ in rows(text)] == [(340, "detained")]


# -- 7. counts phrased as holding or listing ---------------------------------------------------


@pytest.mark.parametrize(
    "text, value, measure",
    [
        ("Its list holds 303 names of political prisoners, the network said.", 303,
         "still_detained"),
        ("By nightfall 78 members of the party were in the cells, its lawyers said.", 78,
         "detained"),
        ("At least 412 protesters remain behind bars, the group said.", 412, "still_detained"),
        ("Some 35 activists are still being held, the group said.", 35, "still_detained"),
        ("Nineteen students were still in custody on Sunday, the union said.", 19,
         "still_detained"),
        ("Eleven journalists are being held incommunicado, the committee said.", 11,
         "still_detained"),
    ],
)  # fmt: skip
def test_counts_of_people_held(text, value, measure):
    assert one(text, value).measure == measure


def test_a_part_over_a_period_takes_the_measure_of_its_whole():
    text = "The network has recorded 1,240 arrests, 130 of them since October."
    got = {v: m for v, m, _, _ in rows(text)}
    assert got == {1240: "detained", 130: "detained"}
    assert one(text, 130).since == "2024-10-01"


def test_figures_that_include_a_part_of_an_earlier_count():
    text = (
        "The Delta Rights Network counts 320 political prisoners. Its figures include "
        "eight members of the police."
    )
    got = {v: (m, who) for v, m, who, _ in rows(text)}
    assert got[8] == ("still_detained", "Delta Rights Network")


# -- 8. a state body and the person who speaks for it ------------------------------------------


def test_an_attorney_general_speaks_for_the_office():
    text = "Attorney General Luisa Ortiz Marin said 103 people have died in the protests."
    assert one(text, 103).reported_by == "Attorney General's Office"


def test_a_minister_named_with_the_office_reports():
    text = "Interior Minister Nestor Ruvalca said 386 people were arrested on Monday."
    assert one(text, 386).reported_by == "Nestor Ruvalca"


def test_prosecutors_are_the_prosecution_the_article_names():
    text = (
        "The Koravian Attorney General's Office opened 40 investigations last month. "
        "Prosecutors said on Monday that 86 protesters had been charged."
    )
    assert one(text, 86).reported_by == "Koravian Attorney General's Office"


def test_prosecutors_unnamed_are_the_prosecutors():
    assert one("Prosecutors say 86 protesters have been charged.", 86).reported_by == (
        "prosecutors"
    )


@pytest.mark.parametrize(
    "text",
    [
        "Prosecutors in Koravia have charged 86 people, the prosecutor general's office said.",
        "Some 86 people have been charged, the attorney general\u2019s office said on Monday.",
    ],
)
def test_an_office_in_lower_case_with_a_possessive_is_a_state_body(text):
    assert one(text, 86).reported_by in ("prosecutor general's office", "attorney general's office")


def test_a_liveblog_time_is_no_amount():
    text = "Live: Koravia\n\n10:05 - 3 protesters were killed, the health ministry said."
    assert [(v, m) for v, m, _, _ in rows(text)] == [(3, "killed")]


# -- 2. the statement's date after a speaker ending a long sentence --------------------------


@pytest.mark.parametrize(
    "text, value, reporter, as_of",
    [
        (  # the period opens in a clause "since ... on <date>"; the statement is Tuesday's
            "At least 1,200 people, among them students and journalists, have been detained "
            "across the country since the government declared a curfew on February 20, the "
            "state-appointed Koravian Human Rights Commission said on Tuesday, urging the "
            "authorities to release those held without charge.",
            1200,
            "Koravian Human Rights Commission",
            "2025-03-11",
        ),
        (
            "More than 340 protesters have been arrested in three cities since the start of the "
            "demonstrations on March 1, the Lorvanian Students Union said in a statement on "
            "Wednesday.",
            340,
            "Lorvanian Students Union",
            "2025-03-12",
        ),
        (  # "late on Monday"; "last month" dates the killings, not the count
            "Some 85 people were killed during the clashes in the northern province last month, "
            "the interior minister told reporters late on Monday.",
            85,
            "interior minister",
            "2025-03-10",
        ),
        (  # a dateline resolves the weekday
            "KORAVIA CITY, March 14 (Wire) - Security forces have detained at least 900 people "
            "since the state of emergency was declared on March 2, the Koravian Bar Association "
            "said on Thursday, calling on the government to respect due process.",
            900,
            "Koravian Bar Association",
            "2025-03-13",
        ),
    ],
)
def test_the_statement_date_follows_the_speaker_at_the_end(text, value, reporter, as_of):
    f = one(text, value)
    assert (f.reported_by, f.as_of) == (reporter, as_of)
    if " since " in text:
        assert f.since is not None  # the "since" date opens the period


def test_a_sentence_continuing_the_speaker_keeps_the_statement_date():
    text = (
        "Some 85 people were killed during the clashes, the interior minister told reporters "
        "late on Monday. It put the number of wounded at 120."
    )
    assert one(text, 120).as_of == "2025-03-10"


def test_a_day_before_the_verb_dates_the_statement():
    text = "The Koravian Bar Association on Wednesday said 64 lawyers had been detained."
    f = one(text, 64)
    assert (f.reported_by, f.as_of) == ("Koravian Bar Association", "2025-03-12")


# -- 3. a communiqué quoted in full, with its own date line ----------------------------------


@pytest.mark.parametrize(
    "date_line, as_of",
    [
        ("Korava City, 9 March 2025", "2025-03-09"),
        ("Lorva, March 10, 2025", "2025-03-10"),
        ("Korava, 11 de marzo de 2025", "2025-03-11"),
        ("Issued on Monday evening", "2025-03-10"),
    ],
)
def test_a_communique_holds_as_of_its_own_date_line(date_line, as_of):
    text = (
        "Lawyers condemn detentions\n\n"
        "The Koravian Bar Association on Friday published the following statement:\n\n"
        f"{date_line}\n\n"
        "The Bar Association is alarmed that 230 students remain in detention without charge. "
        "At least 15 of them have been held in solitary confinement.\n\n"
        "The association calls for their immediate release."
    )
    for value in (230, 15):
        f = one(text, value)
        assert (f.reported_by, f.as_of) == ("Koravian Bar Association", as_of)


def test_a_communique_signed_at_its_end_dates_the_paragraphs_above():
    text = (
        "Rights groups issue joint appeal\n\n"
        "Eleven organisations signed the appeal, which reads:\n\n"
        "We, the undersigned, are alarmed that 75 journalists have been detained since the "
        "start of the year.\n\n"
        "Lorva, 3 March 2025"
    )
    assert one(text, 75).as_of == "2025-03-03"


def test_a_place_and_date_in_the_lead_is_not_a_communique():
    text = (
        "Students held\n\n"
        "Korava City, 9 March 2025\n\n"
        "Police said on Thursday that 52 students had been detained."
    )
    assert one(text, 52).as_of == "2025-03-13"


# -- 4. a headline naming its speaker takes the date of the body's matching statement -------


def test_a_headline_speaker_matches_a_communique_by_another_word_order():
    text = (
        "Interior Ministry says 632 arrested after protests\n\n"
        "The ministry issued the following communiqué:\n\n"
        "Lorva City, 12 March 2025\n\n"
        "The Ministry of the Interior reports that 632 people were arrested during the "
        "disturbances."
    )
    assert [f.as_of for f in figures(text) if f.value == 632] == ["2025-03-12"] * 2


def test_a_headline_speaker_takes_a_said_on_at_the_end_of_the_body_sentence():
    text = (
        "Lorvania: 632 arrested after weekend protests, Interior Ministry says\n\n"
        "Police arrested 632 people during weekend protests in the capital, the Interior "
        "Ministry said on Wednesday, adding that most had been released."
    )
    assert [f.as_of for f in figures(text) if f.value == 632] == ["2025-03-12"] * 2


# -- 5. a headline count repeated in an explainer's list -------------------------------------


def test_a_headline_count_takes_the_date_of_the_list_repeating_it():
    text = (
        "Koravia: 3,380 arrested in crackdown on opposition\n\n"
        "Authorities in Koravia have moved against the opposition.\n\n"
        "According to figures released by the provincial police on Tuesday:\n\n"
        "Arrested: 3,380\n"
        "Charged: 512\n"
    )
    got = [(f.value, f.reported_by, f.as_of) for f in figures(text) if f.value in (3380, 512)]
    assert got == [
        (3380, "provincial police", "2025-03-11"),
        (3380, "provincial police", "2025-03-11"),
        (512, "provincial police", "2025-03-11"),
    ]


# -- 9. registers, inline lists, partitives with no whole, quoted population words ------------


@pytest.mark.parametrize(
    "text, value, measure, group",
    [
        ("The Harlan Monitor released its new list of political prisoners, which now holds "
         "118 names.", 118, "still_detained", "political prisoners"),
        ("Political prisoners are kept in three jails. The register now counts 64 political "
         "prisoners, the monitor said.", 64, "still_detained", "political prisoners"),
        ("Our database of political prisoners contains 57 names, the network said.", 57,
         "still_detained", "political prisoners"),
    ],
)  # fmt: skip
def test_a_register_counted_by_its_names(text, value, measure, group):
    f = one(text, value)
    assert (f.measure, f.group) == (measure, group)


def test_parts_follow_a_register_count():
    text = (
        "The Harlan Monitor released its new list of political prisoners, which holds 140 "
        "names. Nineteen of them are journalists."
    )
    assert one(text, 19).measure == "still_detained"
    assert one(text, 19).group == "journalists"


def test_a_register_without_prisoners_is_no_count():
    assert figures("The guest list includes 40 names, the organisers said.") == []


def test_an_inline_list_gives_one_figure_per_item():
    text = (
        "Latest figures, according to the interior ministry, as of May 4: arrested 640; released "
        "on bail 210; charged with arson 33; still in custody 397."
    )
    got = [(v, m, who, when) for v, m, who, when in rows(text)]
    assert got == [
        (640, "detained", "interior ministry", "2024-05-04"),
        (210, "released", "interior ministry", "2024-05-04"),
        (33, "charged", "interior ministry", "2024-05-04"),
        (397, "still_detained", "interior ministry", "2024-05-04"),
    ]


def test_prose_after_a_colon_is_no_inline_list():
    text = "The mayor said one thing: the square will reopen in 3 days; the rest can wait."
    assert figures(text) == []


@pytest.mark.parametrize(
    "text, value, measure",
    [
        ("The union says 14 of its members were arrested at dawn.", 14, "detained"),
        ("The movement said 9 of their organisers had been killed by soldiers.", 9, "killed"),
        ("Lawyers said 31 of those detained in the first raid were still being held.", 31,
         "still_detained"),
        ("Relatives said 17 of them were still in Karsk Central Prison.", 17,
         "still_detained"),
        ("Police said 52 \u201crioters\u201d had been arrested overnight.", 52, "detained"),
        ('The governor said 90 so-called "saboteurs" were detained on Sunday.', 90, "detained"),
    ],
)  # fmt: skip
def test_counts_with_no_group_of_their_own(text, value, measure):
    f = one(text, value)
    assert f.measure == measure
    assert f.group is None


def test_a_part_among_the_dead():
    text = "The ministry said its figures include six members of the police among the dead."
    assert one(text, 6).measure == "killed"


# -- 10. amounts that count no victims -------------------------------------------------------


@pytest.mark.parametrize(
    "text, kept, dropped",
    [
        ("Lawyers said on Monday that 312 students were being held, up from 240 a week earlier.",
         312, 240),
        ("The toll climbed to 88, up from 19 deaths in June, medics said on Tuesday.", 88, 19),
        ("Police detained 75 people this month, compared with 30 in January, monitors said.",
         75, 30),
        ("The union said 61 members were arrested, down from about 90 the month before.", 61, 90),
    ],
)  # fmt: skip
def test_an_earlier_value_is_no_figure(text, kept, dropped):
    values = [r[0] for r in rows(text)]
    assert kept in values
    assert dropped not in values


@pytest.mark.parametrize(
    "text",
    [
        "The group interviewed 42 people who had been detained in Karsk.",
        "Researchers spoke with 18 former detainees who described beatings.",
        "Investigators reviewed 55 cases of people killed at checkpoints, the ombudsman said.",
        "The commission received 300 complaints from relatives of those detained.",
        "The prosecutor said 19 people were arrested, citing 64 testimonies gathered in May.",
    ],
)
def test_people_heard_and_records_read_are_no_count(text):
    values = [r[0] for r in rows(text)]
    assert not {42, 18, 55, 300, 64} & set(values)


@pytest.mark.parametrize(
    "text",
    [
        "The interior ministry denied that four prisoners had died in custody.",
        "The governor rejected reports that seven organisers were missing.",
    ],
)
def test_a_denied_count_is_no_figure(text):
    assert figures(text) == []


def test_a_vague_floor_follows_the_lexicon():
    assert rows("Dozens were hurt in the clashes, medics said on Tuesday.")[0][:2] == (
        24,
        "injured",
    )


@pytest.mark.parametrize(
    "headline, body_value",
    [
        ("Death toll passes 170 in Karsk crackdown", 174),
        ("Over 300 detained as strike spreads", 312),
        ("Nearly 60 killed in border clashes", 57),
    ],
)
def test_a_rounded_headline_gives_way_to_the_exact_count(headline, body_value):
    measure = "detained" if "detained" in headline else "killed"
    verb = "detained" if measure == "detained" else "killed"
    body = f"At least {body_value} people have been {verb}, the Karsk Bar said on Tuesday."
    text = f"{headline}\n\n{body}"
    assert [r[:2] for r in rows(text)] == [(body_value, measure)]


def test_a_headline_number_far_from_the_body_stays():
    text = "300 detained in Karsk\n\nAt least 45 people were killed, the Karsk Bar said on Monday."
    assert {r[0] for r in rows(text)} == {300, 45}


# -- 11. reporters named by a tally, a title or a long name ----------------------------------


@pytest.mark.parametrize(
    "text, reporter",
    [
        ("At least 61 people have been killed, according to an AFP tally.", "AFP"),
        ("Some 140 people were detained overnight, according to a Reuters count.", "Reuters"),
        ("At least 61 people have died, according to the AP tally.", "AP"),
    ],
)
def test_an_agency_tally(text, reporter):
    assert rows(text)[0][2] == reporter


def test_officials_speak_for_the_state():
    text = "Kenya protests\n\nIn Kenya, officials have put the death toll at 38."
    assert rows(text)[0][2] == "Kenyan government"


def test_said_and_a_bare_weekday():
    text = "At least 26 people remain in custody, the ombudsman said Wednesday."
    assert rows(text) == [(26, "still_detained", "ombudsman", "2025-03-12")]


@pytest.mark.parametrize(
    "text, reporter",
    [
        ("At least 45 people have been killed since June, the Inter-American Commission on "
         "Human Rights said on Monday.", "Inter-American Commission on Human Rights"),
        ("At least 45 people have been killed, the military spokesman General Zaw Min Tun "
         "said on Monday.", "General Zaw Min Tun"),
    ],
)  # fmt: skip
def test_long_names_are_kept_whole(text, reporter):
    assert rows(text)[0][2] == reporter


def test_a_un_office_speaks_for_its_team():
    text = (
        "UN Human Rights Office\n\nAmnesty International said on Monday that 20 people had been "
        "killed. Our team has documented the deaths of 31 people since June."
    )
    assert one(text, 31).reported_by == "UN Human Rights Office"


@pytest.mark.parametrize(
    "text, reporter",
    [
        ("At least 12 people were killed, the Truth, Justice and Peace Commission said on "
         "Monday.", "Truth, Justice and Peace Commission"),
        ("Some 80 people were detained, the Land, Water and Life Network said on Friday.",
         "Land, Water and Life Network"),
    ],
)  # fmt: skip
def test_a_body_named_by_a_list(text, reporter):
    assert rows(text)[0][2] == reporter


# -- denials of reports, referring nouns, named descriptors, parts and "among those" --------


@pytest.mark.parametrize(
    "text",
    [
        "The interior ministry has rejected opposition reports that four prisoners had died "
        "in custody.",
        "Officials have rejected claims that six activists had been detained.",
        "The army dismissed media reports that 15 villagers had been killed in the raid.",
        "A police spokesman denied unconfirmed rumours that nine students were arrested.",
    ],
)
def test_a_rejected_report_gives_no_figure(text):
    assert rows(text) == []


def test_the_commission_is_the_commission_on_named_in_the_headline():
    text = (
        "Veloria Commission on Human Rights says 38 killed in unrest\n\n"
        "Security forces fired on marchers in the capital. A further 412 people were detained "
        "across the country, the commission said on Wednesday."
    )
    assert one(text, 412).reported_by == "Veloria Commission on Human Rights"
    assert one(text, 412).as_of == "2025-03-12"


@pytest.mark.parametrize(
    "text, reporter",
    [
        ("The Dastan rights group said at least 14 of the dead were children.", "Dastan"),
        ("The Oslo-based Dastan human rights group said on Monday that 14 people had been "
         "killed.", "Dastan"),
    ],
)  # fmt: skip
def test_a_name_before_its_descriptor_is_the_reporter(text, reporter):
    assert rows(text)[0][2] == reporter


def test_a_country_before_a_descriptor_is_no_reporter():
    assert rows("The Kenya rights group said 14 people had been killed.")[0][2] != "Kenya"


@pytest.mark.parametrize(
    "text",
    [
        "Police arrested 52 students in May. Of those detained, 31 have been sentenced, "
        "four of them in absentia.",
        "Police arrested 52 students in May. Of those arrested, 31 were convicted, six of "
        "them by military courts.",
    ],
)
def test_a_part_told_apart_by_manner_is_no_new_count(text):
    values = [r[0] for r in rows(text)]
    assert 4 not in values and 6 not in values


@pytest.mark.parametrize(
    "text",
    [
        "Among those currently detained are 37 journalists.",
        "Among those still held are 37 journalists.",
        "Among those who remain in custody are 37 journalists.",
    ],
)
def test_among_those_still_held_is_still_detained(text):
    assert one(text, 37).measure == "still_detained"


def test_among_those_detained_stays_detained():
    assert one("Among those detained are 37 journalists.", 37).measure == "detained"


@pytest.mark.parametrize(
    "text",
    [
        "Witnesses said police have beaten scores of protesters in the capital.",
        "Riot police beat dozens of demonstrators outside the court on Monday.",
    ],
)
def test_beating_is_no_detention_count(text):
    assert all(r[1] != "detained" for r in rows(text))
