"""English figure patterns: death tolls, counts named by their noun, populations,
coordination and ellipsis, numbers written twice, negation, periods ("since"), and
method words used as modifiers.

Pure unit tests on short sentences written for them: no database, no Django.
"""

from datetime import date

import pytest

from incidents.extraction import extract
from incidents.extraction.dates import find_dates
from incidents.extraction.draft import Draft, DraftFigure
from incidents.extraction.figure_patterns import (
    bare_subject,
    count_noun_before,
    elided_after_and,
    negated,
    partitive,
)
from incidents.extraction.numbers import find_quantities

REF = date(2025, 3, 12)  # a Wednesday


def figures(text: str, reference: date = REF) -> list[DraftFigure]:
    return extract(text, reference, country_hint="XX").figures


def counts(text: str, reference: date = REF) -> list[tuple]:
    """(value or floor, measure) of every figure, in text order."""
    return [
        (f.value if f.value is not None else f.value_low, f.measure)
        for f in figures(text, reference)
    ]


# -- death toll ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Local monitors put the death toll at 85 on Friday.", [(85, "killed")]),
        ("The death toll from the floods of violence rose to 112.", [(112, "killed")]),
        ("The clashes left a death toll of 12, doctors said.", [(12, "killed")]),
        ("Overnight the toll climbed to 30, the hospital said.", [(30, "killed")]),
        ("President Ndaba said the death toll was 19 and blamed the rioters.", [(19, "killed")]),
    ],
)
def test_death_toll_is_a_count_of_the_killed(text, expected):
    assert counts(text) == expected


def test_a_part_of_the_toll_takes_its_measure_and_its_day():
    figs = figures("By Sunday the death toll had climbed to 112, among them 9 children.")
    assert [(f.value, f.measure, f.group) for f in figs] == [
        (112, "killed", None),
        (9, "killed", "minors"),
    ]
    assert {f.as_of for f in figs} == {"2025-03-09"}


def test_a_toll_that_passes_a_round_number_is_more_than_it():
    [fig] = figures("Rights monitors say the toll has passed 400 in the north.")
    assert (fig.value, fig.measure, fig.qualifier) == (400, "killed", "more_than")


def test_the_earlier_value_of_a_toll_is_not_a_new_count():
    assert counts("Monitors put the death toll at 150 on Monday, up from 108 a week earlier.") == [
        (150, "killed")
    ]


def test_the_number_of_a_population_takes_its_measure():
    assert counts(
        "The number of people detained since the vote reached 1,240, observers said."
    ) == [(1240, "detained")]
    [fig] = figures("The number of political prisoners in Zandia stood at 803 on Monday.")
    assert (fig.value, fig.measure, fig.group) == (803, "still_detained", "political prisoners")
    text = "the number of cities affected reached 39"
    assert count_noun_before(text, text.index("39")).measure is None


# -- counts named by their noun --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Monitors documented 212 persons deprived of liberty in the north.",
            [(212, "still_detained")],
        ),
        (
            "The commission recorded 19 cases of enforced disappearance in March.",
            [(19, "disappeared")],
        ),
        ("The army reported 740 captured in the operation.", [(740, "detained")]),
        (
            "Observers counted 1,200 arrests and 300 detentions.",
            [(1200, "detained"), (300, "detained")],
        ),
        ("The mission documented 45 killings in the province.", [(45, "killed")]),
        ("Soldiers have captured 88 suspects in the hills.", [(88, "detained")]),
        ("Courts sentenced 61 of them to prison terms.", [(61, "charged")]),
    ],
)
def test_counts_named_by_their_noun(text, expected):
    assert counts(text) == expected


def test_a_count_of_political_prisoners_with_no_verb_is_of_those_held():
    figs = figures("Our lists show there are 612 political prisoners, of whom 58 are women.")
    assert [(f.value, f.measure, f.group) for f in figs] == [
        (612, "still_detained", "political prisoners"),
        (58, "still_detained", "women"),
    ]


# -- populations outside the first list ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "group"),
    [
        ("Police detained 14 men at the border crossing.", "men"),
        ("Guards released 23 women and children on Sunday.", "women and children"),
        ("Seven indigenous people were killed when troops fired on the camp.", "indigenous people"),
        ("The ministry said 26 police officers were injured.", "police officers"),
        ("The ministry said 31 members of the armed forces were injured.", "military personnel"),
        ("Officials said 12 soldiers were wounded.", "military personnel"),
        ("State media said 46 members of the security forces had been killed.", "security forces"),
        ("Doctors said 47 members of the public were hurt.", "civilians"),
        ("At least 17 human rights defenders remain in jail.", "activists"),
        ("At least 40 opposition activists remain in jail.", "opposition members"),
        ("Police detained 33 reporters covering the march.", "journalists"),
    ],
)
def test_populations(text, group):
    [fig] = figures(text)
    assert fig.group == group


def test_armed_men_are_not_a_population():
    assert counts("Police said they arrested five armed men after the attack.") == []


# -- coordination and ellipsis ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The ministry said 26 police officers and 31 members of the armed forces were injured.",
            [(26, "injured"), (31, "injured")],
        ),
        (
            "A court said 212 were held administratively and 48 on criminal charges.",
            [(212, "detained"), (48, "detained")],
        ),
        (
            "The group said 602 released and 340 remain in detention, including 11 minors.",
            [(602, "released"), (340, "still_detained"), (11, "still_detained")],
        ),
        (
            "Of the 2,300 detained, 1,910 were later released.",
            [(2300, "detained"), (1910, "released")],
        ),
        (
            "Of the 640 detained, 505 have since been released.",
            [(640, "detained"), (505, "released")],
        ),
        ("Most were freed, while 43 remain in custody.", [(43, "still_detained")]),
        (
            "Doctors treated 900 injured, including 70 who suffered eye injuries.",
            [(900, "injured"), (70, "injured")],
        ),
    ],
)
def test_coordination_and_ellipsis(text, expected):
    assert counts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Police arrested 47 people on Monday and 12 more on Tuesday.",
            [(47, "detained"), (12, "detained")],
        ),
        ("The prosecutor charged 23 with terrorism.", [(23, "charged")]),
        ("Riot police arrested 18 in the old town.", [(18, "detained")]),
        ("Nearly 2,000 people have been sentenced to prison.", [(2000, "charged")]),
        ("At least 80 people, mostly young men, were detained.", [(80, "detained")]),
        ("The 35 detained were released on Friday.", [(35, "released")]),
        ("Officials said 9 were killed, not 30 as activists claimed.", [(9, "killed")]),
    ],
)
def test_more_shapes_of_a_count(text, expected):
    assert counts(text) == expected


def test_each_count_takes_its_own_verb_and_its_nearest_date():
    figs = figures("Nine were detained on Friday, and another 14 on Saturday.")
    assert [(f.value, f.measure, f.as_of) for f in figs] == [
        (9, "detained", "2025-03-07"),
        (14, "detained", "2025-03-08"),
    ]
    assert counts("Police said the 4 arrested in March had been released.") == [(4, "released")]
    text = "About 20 buses carrying 600 people were stopped and 150 passengers detained."
    assert counts(text) == [(150, "detained")]


def test_a_description_is_not_the_measure():
    # "convicted of" describes the people released; "held" is not followed by a noun.
    text = "Eighteen people convicted of treason were pardoned and released."
    assert counts(text) == [(18, "released")]
    assert counts("The police held 2 press conferences on Monday.") == []


def test_bare_amount_needs_a_clause_opening_and_a_measure_verb():
    text = "In 39 cities were detained"
    assert bare_subject(text, 3, 5) is None  # "In 39": not a subject
    text = "Police said 430 were detained."
    assert bare_subject(text, 12, 15) == "detained"
    text = "Police visited 430 were detained."
    assert bare_subject(text, 15, 18) is None  # not a clause opening
    text = "Officials said, 30 percent were released."
    assert bare_subject(text, 16, 18) is None


def test_ellipsis_needs_a_count_before_and_no_verb_of_its_own():
    text = "212 were held administratively and 48 on criminal charges."
    start = text.index("48")
    assert elided_after_and(text, start, start + 2)
    text = "212 were held and 48 are on bail."
    start = text.index("48")
    assert not elided_after_and(text, start, start + 2)


# -- partitives ------------------------------------------------------------------------


def test_a_part_takes_the_measure_of_its_whole_and_its_own_population():
    text = (
        "Prosecutors charged 90 people with sedition on Monday. "
        "Thirty-five of them are women, the lawyers said."
    )
    figs = figures(text)
    assert [(f.value, f.measure, f.group) for f in figs] == [
        (90, "charged", None),
        (35, "charged", "women"),
    ]
    assert figs[1].as_of == figs[0].as_of == "2025-03-10"


def test_a_part_with_its_own_verb_takes_that_verb():
    text = "Police arrested 300 people at the march. Twenty of them were later charged."
    assert counts(text) == [(300, "detained"), (20, "charged")]
    text = "Police arrested 300 people, and 120 of those arrested remain in detention."
    assert counts(text) == [(300, "detained"), (120, "still_detained")]


def test_a_part_described_by_a_relative_clause():
    text = (
        "The report counts 44 cases of enforced disappearance. "
        "Nine of those who disappeared are students."
    )
    assert [(f.value, f.measure, f.group) for f in figures(text)] == [
        (44, "disappeared", None),
        (9, "disappeared", "students"),
    ]


def test_a_part_that_is_not_a_count():
    assert partitive(" of them were granted bail", 0) is not None
    text = "Police arrested 300 people. Only six of them were granted bail."
    assert counts(text) == [(300, "detained")]
    # A vague part ("dozens of those arrested") is not a new count.
    assert counts("Dozens of those arrested were beaten, lawyers said.") == []


def test_what_the_released_had_been_is_not_a_new_detention():
    text = (
        "The army said it released 800 prisoners, "
        "but only 60 of them had been jailed for their views."
    )
    assert counts(text) == [(800, "released"), (60, "released")]


# -- a number written twice ------------------------------------------------------------


def test_a_number_written_twice_is_one_amount():
    [q] = find_quantities("There are still twenty-two (22) people held.")
    assert q.value == 22
    [q] = find_quantities("some 22 (twenty-two) people")
    assert (q.value, q.qualifier) == (22, "approximately")
    assert len(find_quantities("12 (13) people")) == 2  # not the same number: both kept
    assert counts("There are still twenty-two (22) people held without trial.") == [
        (22, "still_detained")
    ]


# -- negation and denial ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "A spokesman denied rumours that five detained students had been tortured.",
        "The ministry dismissed reports that 40 people were killed in the raid.",
        "The army did not detain 30 students, the statement said.",
        "Police said no one was killed.",
        "None of the detainees have been released.",
        "It is not true that 200 protesters were arrested, the governor said.",
    ],
)
def test_a_denied_or_negated_count_is_no_figure(text):
    assert counts(text) == []


def test_a_new_statement_after_a_denial_is_asserted():
    text = "The ministry rejected reports that 40 people were killed, saying 12 died."
    assert counts(text) == [(12, "killed")]
    assert negated(text, text.index("40"))
    assert not negated(text, text.index("12"))


def test_denied_care_or_access_is_not_a_denial_of_the_count():
    text = "Detainees were denied access to lawyers, and 40 of them were tortured, lawyers said."
    assert not negated(text, text.index("40"))
    assert counts("Guards denied medical care to 14 injured protesters.") == [(14, "injured")]


def test_a_toll_is_a_noun_of_its_own():
    assert counts("The toll booth at 5 crossings was closed.") == []


def test_a_count_of_zero_is_kept():
    assert counts("Officials reported zero deaths in the region.") == [(0, "killed")]


# -- periods: "since", "from ... to" ---------------------------------------------------


def test_dates_that_open_or_close_a_period():
    text = (
        "Monitors counted 96 deaths from February 3 to March 1 and 20 since the truce of March 4."
    )
    marks = [(d.iso, d.since, d.until) for d in find_dates(text, REF)]
    assert marks == [
        ("2025-02-03", True, False),
        ("2025-03-01", False, True),
        ("2025-03-04", True, False),
    ]
    text = "At least 70 were arrested since protests began on March 2."
    assert [d.since for d in find_dates(text, REF)] == [True]
    # "from" without a second date is no period; "by" dates the count.
    assert [d.since for d in find_dates("He was released from prison on Monday.", REF)] == [False]
    [by] = find_dates("Police held 80 people by Monday night.", REF)
    assert by.as_of and not by.since


def test_a_count_since_a_date_holds_as_of_the_statement():
    [fig] = figures("The group said on Monday that 1,420 people have been arrested since March 2.")
    assert (fig.as_of, fig.since) == ("2025-03-10", "2025-03-02")
    [fig] = figures(
        "The group said on Monday that 96 people were killed from February 3 to March 1."
    )
    assert (fig.as_of, fig.since) == ("2025-03-10", "2025-02-03")


def test_a_count_by_a_date_holds_as_of_it():
    [fig] = figures("Police had detained more than 600 people by Monday night.")
    assert fig.as_of == "2025-03-10"


def test_since_is_a_draft_field_only():
    draft = extract(
        "The group said on Monday that 70 people have been arrested since March 2.", REF
    )
    data = draft.to_dict()
    assert data["figures"][0]["since"] == "2025-03-02"
    assert Draft.from_dict(data).figures[0].since == "2025-03-02"
    old = dict(data, figures=[{k: v for k, v in data["figures"][0].items() if k != "since"}])
    assert Draft.from_dict(old).figures[0].since is None


# -- a method word used as a modifier --------------------------------------------------


def methods(text: str) -> list[str]:
    draft = extract(text, REF)
    return sorted({m for a in draft.allegations for m in a.methods})


def test_isolation_cells_are_a_place_not_the_method():
    assert "isolation" not in methods("Detainees were kept in isolation cells and beaten.")
    assert "isolation" in methods("Detainees were kept in isolation for weeks and beaten.")
    assert "isolation" not in methods("The prison has a solitary confinement wing.")
    assert "electric_shock" not in methods("Guards carried electric shock batons.")
