"""Unit tests for the extractor's building blocks: numbers, dates, actors, segmentation.

Plain pytest functions; no database, no Django.
"""

from datetime import date

import pytest

from incidents.extraction.actors import ActorRegistry, parse_np, subject_before
from incidents.extraction.dates import find_dates, infer_year, resolve_relative, resolve_weekday
from incidents.extraction.numbers import find_age_ranges, find_quantities, words_to_int
from incidents.extraction.text import sentences

REF = date(2024, 12, 25)  # a Wednesday


# -- numbers ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("twelve", 12),
        ("nineteen", 19),
        ("two hundred", 200),
        ("twenty-five", 25),
        ("a dozen", 12),
        ("one thousand two hundred and six", 1206),
        ("three thousand", 3000),
        ("and", None),
        ("people", None),
    ],
)
def test_words_to_int(words, value):
    assert words_to_int(words) == value


@pytest.mark.parametrize(
    ("text", "value", "qualifier", "low"),
    [
        ("Foro Penal documented at least 129 children", 129, "at_least", None),
        ("with some 1,800 adults still imprisoned", 1800, "approximately", None),
        ("left more than 2,400 detained", 2400, "more_than", None),
        ("claimed that a total of 956 individuals", 956, "exact", None),
        ("about 300 people", 300, "approximately", None),
        ("around 40 students", 40, "approximately", None),
        ("nearly 70 journalists", 70, "approximately", None),
        ("approximately 12 lawyers", 12, "approximately", None),
        ("over 500 protesters", 500, "more_than", None),
        ("up to 80 detainees", 80, "at_most", None),
        ("at most 80 detainees", 80, "at_most", None),
        ("police arrested twelve activists", 12, "exact", None),
        ("dozens of students", None, "at_least", 24),
        ("hundreds of people", None, "at_least", 200),
        ("thousands of protesters", None, "at_least", 2000),
        ("has arrested several American nationals", None, "unspecified", None),
        ("a further two hundred people", 200, "exact", None),
    ],
)
def test_find_quantities(text, value, qualifier, low):
    (q,) = find_quantities(text)
    assert (q.value, q.qualifier, q.value_low) == (value, qualifier, low)


def test_total_of_is_cumulative():
    (q,) = find_quantities("a total of 956 individuals have been released")
    assert q.cumulative and q.qualifier == "exact"


def test_years_and_masked_spans_are_not_counts():
    text = "as of December 23, 19 foreign nationals remained in 2024"
    (q,) = find_quantities(text, masked=[(6, 17)])
    assert q.value == 19


def test_ranges():
    (q,) = find_quantities("between 10 and 20 people")
    assert (q.value, q.value_low, q.value_high) == (None, 10, 20)


def test_age_ranges():
    assert find_age_ranges("children aged 14-17 that")[0][2:] == (14, 17)
    assert find_age_ranges("minors under 18")[0][2:] == (None, 17)
    assert find_age_ranges("a 16-year-old")[0][2:] == (16, 16)


# -- dates --------------------------------------------------------------------


def _one(text, ref=REF):
    (d,) = find_dates(text, ref)
    return d.iso, d.precision


def test_weekday_is_most_recent_on_or_before_reference():
    assert resolve_weekday("Tuesday", REF) == date(2024, 12, 24)
    assert resolve_weekday("Monday", REF) == date(2024, 12, 23)
    assert resolve_weekday("Wednesday", REF) == REF
    assert resolve_weekday("Wednesday", REF, strictly_before=True) == date(2024, 12, 18)
    assert _one("announced on Tuesday that") == ("2024-12-24", "exact")
    assert _one("informed on Tuesday evening that") == ("2024-12-24", "exact")
    assert _one("said last Friday that") == ("2024-12-20", "exact")


def test_month_day_takes_year_from_reference_and_never_the_future():
    assert _one("as of December 23, 19 foreign") == ("2024-12-23", "exact")
    assert _one("as of 3 March, 1,150", date(2025, 3, 6)) == ("2025-03-03", "exact")
    assert _one("on December 28 they") == ("2023-12-28", "exact")
    assert infer_year(7, 28, REF) == 2024


def test_parts_of_months_are_approximate():
    assert _one("As of mid-November, 69 minors") == ("2024-11-15", "approximate")
    assert _one("in early November") == ("2024-11-05", "approximate")
    assert _one("in late November") == ("2024-11-25", "approximate")
    assert _one("detained in early October", date(2025, 10, 22)) == ("2025-10-05", "approximate")


def test_month_alone_has_month_precision():
    assert _one("officials claimed in August\u00a0 that") == ("2024-08-01", "month")
    assert _one("in May the police") == ("2024-05-01", "month")
    assert find_dates("they may be released", REF) == []


def test_relative_weeks():
    assert resolve_relative("this week", REF) == (date(2024, 12, 24), "approximate")
    assert resolve_relative("earlier this week", REF) == (date(2024, 12, 23), "approximate")
    assert resolve_relative("yesterday", REF) == (date(2024, 12, 24), "exact")
    assert resolve_relative("last week", REF) == (date(2024, 12, 19), "approximate")


def test_vague_spans_have_no_date():
    (d,) = find_dates("Over the past months, Foro Penal documented", REF)
    assert d.kind == "vague" and d.date is None
    (d,) = find_dates("In recent weeks, the regime", REF)
    assert d.kind == "vague"


def test_as_of_and_event_flags():
    (d,) = find_dates("Foro Penal informed that, as of December 23, 19", REF)
    assert d.as_of
    (d,) = find_dates("after the highly fraudulent July 28 presidential election", REF)
    assert d.event and d.iso == "2024-07-28"
    (d,) = find_dates("since the disputed presidential vote in late January", date(2025, 3, 6))
    assert d.event


# -- actors -------------------------------------------------------------------


def test_descriptor_and_demonym():
    m = parse_np("Venezuelan nongovernment organization Foro Penal")
    assert (m.name, m.kind, m.country) == ("Foro Penal", "ngo", "VE")


def test_possessive_role():
    m = parse_np("Foro Penal\u2019s director Alfredo Romero")
    assert (m.name, m.kind, m.role, m.parent.name) == (
        "Alfredo Romero",
        "person",
        "director",
        "Foro Penal",
    )


def test_apposition_role_and_intergovernmental_parent():
    m = parse_np("Luis Almagro, secretary general of the Organization of American States (OAS)")
    assert (m.name, m.role) == ("Luis Almagro", "secretary general")
    assert (m.parent.name, m.parent.kind, m.parent.alias) == (
        "Organization of American States",
        "intergovernmental",
        "OAS",
    )


def test_editorial_epithets_are_not_roles():
    m = parse_np("Venezuelan interior minister and long-suspected drug lord Diosdado Cabello")
    assert (m.name, m.role, m.country) == ("Diosdado Cabello", "interior minister", "VE")


def test_kinds():
    assert parse_np("United Nations experts").kind == "un_mechanism"
    assert parse_np("the Venezuelan Attorney General\u2019s office").kind == "state_body"
    assert parse_np("Maduro regime officials").kind == "state_body"
    assert parse_np("local nongovernment organizations").kind == "group"
    assert parse_np("Some of the parents of the now-released minors").kind == "group"
    assert parse_np("the Nicaraguan Center for Human Rights").name == (
        "Nicaraguan Center for Human Rights"
    )
    assert parse_np("UN Special Rapporteur Nadia Kowal").parent.kind == "un_mechanism"
    assert parse_np("he").pronoun


def test_registry_merges_variants():
    reg = ActorRegistry()
    ag = reg.add(parse_np("the Venezuelan Attorney General\u2019s office"), "q")
    assert ag.name == "Attorney General's Office"
    assert reg.add(parse_np("Attorney General's Office"), "q") is ag
    un = reg.add(parse_np("U.N. experts"), "q")
    assert un.name == "United Nations experts"
    assert reg.add(parse_np("United Nations experts"), "q") is un
    officials = reg.add(parse_np("Maduro regime officials"), "q")
    assert reg.add(parse_np("Regime officials"), "q") is officials
    romero = reg.add(parse_np("Foro Penal\u2019s director Alfredo Romero"), "q")
    assert reg.add(parse_np("Romero"), "q") is romero
    assert len(reg.records) == 5  # Foro Penal came in as Romero's parent


def test_subject_before():
    s = "Earlier this week, the Venezuelan Attorney General\u2019s office announced the release"
    assert (
        subject_before(s, s.index("announced")) == "the Venezuelan Attorney General\u2019s office"
    )
    s = "While Romero celebrated it as \u201cgood news,\u201d he stressed that"
    assert subject_before(s, s.index("stressed")) == "he"
    s = "Regime officials had also denied that"
    assert subject_before(s, s.index("denied")) == "Regime officials"


# -- segmentation -------------------------------------------------------------


def test_sentences_keep_exact_offsets_and_skip_abbreviations():
    text = "Parents spoke to U.N. experts. They said so.\n\n\u00a0\n\nA new paragraph."
    sents = sentences(text)
    assert [s.text for s in sents] == [
        "Parents spoke to U.N. experts.",
        "They said so.",
        "A new paragraph.",
    ]
    assert [s.paragraph for s in sents] == [0, 0, 1]
    assert all(text[s.start : s.end] == s.text for s in sents)
