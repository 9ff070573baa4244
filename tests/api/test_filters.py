"""The filters of the read API: what each one keeps, and what it leaves out.

Every filter of every list, as the FilterSets of ``incidents.reads.filters`` declare it,
is checked over HTTP against records that match and records that do not, by the
set of ids the list returns. Malformed values are a 400 naming the parameter; a
well-formed id of a record that does not exist matches nothing.
"""

import datetime
import uuid

import pytest

from incidents.choices import (
    ActorKind,
    Affiliation,
    AllegationStatus,
    Citizenship,
    IncidentKind,
    Measure,
    Qualifier,
    SourceKind,
    Stance,
    Visibility,
)
from incidents.models import (
    Actor,
    Allegation,
    DetaineeGroup,
    Figure,
    Incident,
    Source,
    Term,
)
from tests.factories import (
    ActorFactory,
    AllegationFactory,
    CitationFactory,
    DetaineeGroupFactory,
    FigureFactory,
    IncidentFactory,
    SourceFactory,
    term,
)

pytestmark = pytest.mark.django_db

API = "/api/v1"
DAY = datetime.date(2024, 11, 15)


# --- helpers ----------------------------------------------------------------------------


def url(endpoint: str) -> str:
    return f"{API}/{endpoint}/"


def ids(*records) -> set[str]:
    return {str(record.uuid) for record in records}


def fetch(client, endpoint: str, params: dict | None = None) -> list[dict]:
    """The results of one list request, all on one page."""
    response = client.get(url(endpoint), params or {})
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["next"] is None, "the test expects every result on the first page"
    assert body["count"] == len(body["results"])
    returned = [row["id"] for row in body["results"]]
    assert len(returned) == len(set(returned)), "a record is listed twice"
    return body["results"]


def listed(client, endpoint: str, params: dict | None = None) -> set[str]:
    return {row["id"] for row in fetch(client, endpoint, params)}


def in_order(client, endpoint: str, params: dict) -> list[str]:
    return [row["id"] for row in fetch(client, endpoint, params)]


def assert_rejected(response, attr: str) -> None:
    """A 400 in the API's one error shape, naming ``attr`` and nothing else."""
    assert response.status_code == 400, response.content
    body = response.json()
    assert set(body) == {"type", "errors"}
    assert body["type"] == "validation_error"
    assert body["errors"]
    for error in body["errors"]:
        assert set(error) == {"code", "detail", "attr"}
        assert error["code"] and error["detail"]
    assert {error["attr"] for error in body["errors"]} == {attr}


def reported(source: Source | None = None, quote: str = "at least 40 detained", **fields):
    """A figure with its one asserting citation (by ``source``, or a new NGO statement)."""
    figure = FigureFactory(**fields)
    CitationFactory(figure=figure, source=source or SourceFactory(), quote=quote)
    return figure


def cite(stance: str, source: Source | None = None, quote: str = "as reported", **target):
    """A citation of ``target`` (figure=, incident=, group= or allegation=)."""
    target.setdefault("figure", None)
    return CitationFactory(stance=stance, source=source or SourceFactory(), quote=quote, **target)


# --- q, updated_since and ordering, on every list -----------------------------------------


def test_actors_q_keeps_actors_with_every_word_beginning_a_word_of_their_text(client):
    name = ActorFactory(name="Foro Penal")
    role = ActorFactory(name="Alfredo Romero", role="Director of Foro Penal")
    description = ActorFactory(name="Rights watch", description="Works with foro penal lawyers")
    only_one_word = ActorFactory(name="Foro Civico")
    inside_a_word = ActorFactory(name="Euroforo Penales")
    ActorFactory(name="Provea")

    assert listed(client, "actors", {"q": "foro penal"}) == ids(name, role, description)
    assert listed(client, "actors", {"q": "FOR pen"}) == ids(name, role, description)
    assert ids(only_one_word, inside_a_word).isdisjoint(
        listed(client, "actors", {"q": "foro penal"})
    )


def test_sources_q_keeps_sources_whose_title_or_text_has_the_words(client):
    title = SourceFactory(title="Communique on Tocoron prison", text="")
    text = SourceFactory(title="Weekly report", text="Transfers to Tocoron were documented.")
    SourceFactory(title="Communique on Rodeo I", text="Nothing about that prison.")

    assert listed(client, "sources", {"q": "tocoron"}) == ids(title, text)


def test_incidents_q_searches_own_text_and_the_quotes_of_their_citations(client):
    title = IncidentFactory(title="Arrests in Barquisimeto")
    summary = IncidentFactory(summary="Students held in Barquisimeto after the vote.")
    location = IncidentFactory(location="Barquisimeto, Lara")
    quoted = IncidentFactory(title="Night raids")
    cite(Stance.ASSERTS, incident=quoted, quote="raids took place in Barquisimeto")
    IncidentFactory(title="Arrests in Maracaibo")
    hidden_quote = IncidentFactory(title="Arrests in Valencia")
    cite(
        Stance.ASSERTS,
        source=SourceFactory(visibility=Visibility.RESTRICTED),
        incident=hidden_quote,
        quote="also in Barquisimeto",
    )

    assert listed(client, "incidents", {"q": "barquisimeto"}) == ids(
        title, summary, location, quoted
    )


def test_detainee_groups_q_searches_own_text_and_the_quotes_of_their_citations(client):
    label = DetaineeGroupFactory(label="terror suspects")
    charges = DetaineeGroupFactory(charges="terrorism and incitement to hatred")
    description = DetaineeGroupFactory(description="Charged with Terrorism at a night hearing.")
    quoted = DetaineeGroupFactory(label="night-shift workers")
    cite(Stance.ASSERTS, group=quoted, quote="accused of terrorism without evidence")
    DetaineeGroupFactory(charges="incitement to hatred")
    DetaineeGroupFactory(charges="the antiterrorism law")

    assert listed(client, "detainee-groups", {"q": "terror"}) == ids(
        label, charges, description, quoted
    )


def test_figures_q_searches_the_note_and_the_quotes_of_their_citations(client):
    note = reported(note="Count published after the Yare visit.")
    asserted = reported(quote="held in Yare prison")
    corroborated = reported()
    cite(Stance.CORROBORATES, figure=corroborated, quote="families at Yare confirmed it")
    reported(note="Count published after the Tocuyito visit.")

    assert listed(client, "figures", {"q": "yare"}) == ids(note, asserted, corroborated)


def test_allegations_q_searches_the_summary_and_the_quotes_of_their_citations(client):
    summary = AllegationFactory(summary="Detainees described electric shocks in El Helicoide.")
    quoted = AllegationFactory(summary="Beatings during transfer.")
    cite(Stance.ASSERTS, allegation=quoted, quote="they took us to El Helicoide")
    AllegationFactory(summary="Detainees described beatings in Tocoron.")

    assert listed(client, "allegations", {"q": "helicoide"}) == ids(summary, quoted)


def test_terms_q_keeps_terms_whose_code_label_or_description_has_the_words(client):
    waterboarding = Term.objects.create(
        vocabulary="method", code="waterboarding", label="Waterboarding"
    )
    described = Term.objects.create(
        vocabulary="method",
        code="water_deprivation",
        label="Deprivation of drinking water",
        description="Withholding water.",
    )

    assert listed(client, "terms", {"q": "waterboard"}) == ids(waterboarding)
    # The seeded suffocation term speaks of holding the head under water.
    assert listed(client, "terms", {"q": "water"}) == ids(
        waterboarding, described, term("method", "suffocation")
    )


def test_q_of_more_than_twelve_words_is_refused_rather_than_cut(client):
    text = "students detained in caracas after the vote of july twenty eight by police"
    found = ActorFactory(name="Observatory", description=text)
    assert len(text.split()) == 13
    assert listed(client, "actors", {"q": text.rsplit(" ", 1)[0]}) == ids(found)

    assert_rejected(client.get(url("actors"), {"q": text}), "q")


@pytest.mark.parametrize(
    ("text", "q"),
    [
        ("Write to info@foropenal.com for the list.", "foropenal"),
        ("Published at www.foropenal.com/reports in full.", "foropenal"),
        ("Published at https://foropenal.com/reports in full.", "reports"),
        ("Arrested on 2024-07-29 in Caracas.", "29"),
        ("Detentions rose 3.5 times.", "5"),
    ],
)
def test_q_finds_a_word_inside_an_address_a_date_or_a_number_on_every_database(
    client, request, text, q
):
    found = ActorFactory(name="Observatory", description=text)
    ActorFactory(name="Provea", description="Nothing of the sort.")

    assert listed(client, "actors", {"q": q}) == ids(found)


def _actor(n):
    return ActorFactory(name=f"Actor {n}")


def _source(n):
    return SourceFactory(title=f"Statement {n}")


def _incident(n):
    return IncidentFactory(title=f"Incident {n}")


def _group(n):
    return DetaineeGroupFactory(label=f"group {n}")


def _figure(n):
    return reported(value=n + 1)


def _allegation(n):
    return AllegationFactory(summary=f"allegation {n}")


def _term(n=None, label=None):
    code = f"method{n}" if n is not None else f"method_{label.lower()}"
    return Term.objects.create(vocabulary="method", code=code, label=label or f"Method {n}")


EVERY_LIST = [
    ("actors", Actor, _actor),
    ("sources", Source, _source),
    ("incidents", Incident, _incident),
    ("detainee-groups", DetaineeGroup, _group),
    ("figures", Figure, _figure),
    ("allegations", Allegation, _allegation),
    ("terms", Term, _term),
]


@pytest.mark.parametrize(("endpoint", "model", "make"), EVERY_LIST)
def test_updated_since_keeps_only_records_changed_at_or_after_it(client, endpoint, model, make):
    stale, fresh, boundary = make(1), make(2), make(3)
    model.objects.update(updated_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    model.objects.filter(pk=fresh.pk).update(
        updated_at=datetime.datetime(2025, 6, 1, 12, tzinfo=datetime.UTC)
    )
    model.objects.filter(pk=boundary.pk).update(
        updated_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    )

    found = listed(client, endpoint, {"updated_since": "2025-01-01T00:00:00Z"})

    assert found == ids(fresh, boundary)
    assert str(stale.uuid) not in found


@pytest.mark.parametrize("stamp", ["9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+05:00"])
def test_updated_since_at_the_edge_of_the_calendar_is_not_a_server_error(client, request, stamp):
    ActorFactory()

    response = client.get(url("actors"), {"updated_since": stamp})

    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert_rejected(response, "updated_since")


DATES = [DAY, DAY.replace(day=1), DAY.replace(day=30)]
NAMES = ["Bravo", "Charlie", "Alpha"]

ORDERINGS = [
    ("actors", "name", ActorFactory, NAMES),
    ("actors", "kind", ActorFactory, ["person", "media", "ngo"]),
    ("sources", "date", SourceFactory, DATES),
    ("sources", "title", SourceFactory, NAMES),
    ("sources", "kind", SourceFactory, ["testimony", "ngo_report", "un_statement"]),
    ("incidents", "start_date", IncidentFactory, DATES),
    ("incidents", "end_date", IncidentFactory, [datetime.date(2025, m, 1) for m in (3, 1, 2)]),
    ("incidents", "title", IncidentFactory, NAMES),
    ("detainee-groups", "label", DetaineeGroupFactory, ["bravo", "charlie", "alpha"]),
    ("detainee-groups", "age_min", DetaineeGroupFactory, [16, 12, 20]),
    ("detainee-groups", "age_max", DetaineeGroupFactory, [30, 25, 60]),
    ("figures", "as_of", reported, DATES),
    ("figures", "value", reported, [40, 7, 129]),
    ("figures", "measure", reported, ["released", "detained", "still_detained"]),
    ("allegations", "status", AllegationFactory, ["disputed", "alleged", "denied"]),
    ("terms", "label", _term, ["Bravo", "Charlie", "Alpha"]),
]


@pytest.mark.parametrize(("endpoint", "field", "make", "values"), ORDERINGS)
def test_ordering_sorts_ascending_and_descending(client, endpoint, field, make, values):
    records = {value: make(**{field: value}) for value in values}
    ascending = [str(records[value].uuid) for value in sorted(values)]

    listed_asc = in_order(client, endpoint, {"ordering": field})
    listed_desc = in_order(client, endpoint, {"ordering": f"-{field}"})
    if endpoint != "terms":  # terms also lists the seeded vocabularies
        assert set(listed_asc) == set(listed_desc) == set(ascending)

    assert [i for i in listed_asc if i in ascending] == ascending
    assert [i for i in listed_desc if i in ascending] == ascending[::-1]


@pytest.mark.parametrize(("endpoint", "model", "make"), EVERY_LIST)
@pytest.mark.parametrize("field", ["created_at", "updated_at"])
def test_ordering_by_timestamps_sorts_ascending_and_descending(
    client, endpoint, model, make, field
):
    records = [make(n) for n in (1, 2, 3)]
    model.objects.update(**{field: datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)})
    for day, record in zip((3, 1, 2), records, strict=True):
        stamp = datetime.datetime(2025, 1, day, tzinfo=datetime.UTC)
        model.objects.filter(pk=record.pk).update(**{field: stamp})
    newest_last = [str(records[i].uuid) for i in (1, 2, 0)]

    assert in_order(client, endpoint, {"ordering": field})[-3:] == newest_last
    assert in_order(client, endpoint, {"ordering": f"-{field}"})[:3] == newest_last[::-1]


def test_terms_ordering_sorts_by_code_ascending_and_descending(client):
    codes = sorted(Term.objects.values_list("code", flat=True))

    ascending = [row["code"] for row in fetch(client, "terms", {"ordering": "code"})]
    descending = [row["code"] for row in fetch(client, "terms", {"ordering": "-code"})]

    assert ascending == codes
    assert descending == codes[::-1]


def test_ordering_by_several_fields_sorts_by_each_in_turn(client):
    ngo_b = ActorFactory(kind=ActorKind.NGO, name="Bravo")
    ngo_a = ActorFactory(kind=ActorKind.NGO, name="Alpha")
    person = ActorFactory(kind=ActorKind.PERSON, name="Charlie")

    assert in_order(client, "actors", {"ordering": "-kind,name"}) == [
        str(person.uuid),
        str(ngo_a.uuid),
        str(ngo_b.uuid),
    ]


@pytest.mark.parametrize("endpoint", [endpoint for endpoint, _, _ in EVERY_LIST])
@pytest.mark.parametrize("value", ["bogus", "-bogus", "pk", "visibility", "uuid"])
def test_ordering_by_a_field_not_offered_is_a_400_naming_ordering(client, endpoint, value):
    assert_rejected(client.get(url(endpoint), {"ordering": value}), "ordering")


# --- actors -----------------------------------------------------------------------------


def test_actors_kind_filter_keeps_only_listed_kinds(client):
    person = ActorFactory(kind=ActorKind.PERSON)
    ActorFactory(kind=ActorKind.NGO)
    ActorFactory(kind=ActorKind.MEDIA)

    assert listed(client, "actors", {"kind": "person"}) == ids(person)


def test_actors_country_filter_keeps_only_listed_countries(client):
    nicaragua = ActorFactory(country="NI")
    ActorFactory(country="VE")
    ActorFactory(country="")

    assert listed(client, "actors", {"country": "NI"}) == ids(nicaragua)


def test_actors_parent_filter_keeps_only_direct_members(client):
    ngo = ActorFactory()
    director = ActorFactory(parent=ngo, role="Director")
    ActorFactory(parent=director)  # a member of a member is not a direct member
    ActorFactory(parent=ActorFactory())

    assert listed(client, "actors", {"parent": str(ngo.uuid)}) == ids(director)


# --- sources ----------------------------------------------------------------------------


def test_sources_kind_filter_keeps_only_listed_kinds(client):
    report = SourceFactory(kind=SourceKind.NGO_REPORT)
    SourceFactory(kind=SourceKind.NGO_STATEMENT)
    SourceFactory(kind=SourceKind.NEWS_ARTICLE)

    assert listed(client, "sources", {"kind": "ngo_report"}) == ids(report)


def test_sources_issuer_filter_keeps_sources_of_the_actor_and_of_its_members(client):
    ngo = ActorFactory(name="Foro Penal")
    director = ActorFactory(name="Alfredo Romero", parent=ngo)
    by_ngo = SourceFactory(issuer=ngo)
    by_director = SourceFactory(issuer=director)
    SourceFactory(issuer=ActorFactory())
    SourceFactory(issuer=None)

    assert listed(client, "sources", {"issuer": str(ngo.uuid)}) == ids(by_ngo, by_director)
    # An organisation's statements are not its director's.
    assert listed(client, "sources", {"issuer": str(director.uuid)}) == ids(by_director)


def test_sources_date_gte_filter_keeps_sources_on_or_after_the_date(client):
    on = SourceFactory(date=DAY)
    after = SourceFactory(date=DAY + datetime.timedelta(days=1))
    SourceFactory(date=DAY - datetime.timedelta(days=1))
    SourceFactory(date=None)

    assert listed(client, "sources", {"date__gte": "2024-11-15"}) == ids(on, after)


def test_sources_date_lte_filter_keeps_sources_on_or_before_the_date(client):
    on = SourceFactory(date=DAY)
    before = SourceFactory(date=DAY - datetime.timedelta(days=1))
    SourceFactory(date=DAY + datetime.timedelta(days=1))
    SourceFactory(date=None)

    assert listed(client, "sources", {"date__lte": "2024-11-15"}) == ids(on, before)


# --- incidents --------------------------------------------------------------------------


def test_incidents_country_filter_keeps_only_listed_countries(client):
    nicaragua = IncidentFactory(country="NI")
    IncidentFactory(country="VE")

    assert listed(client, "incidents", {"country": "NI"}) == ids(nicaragua)


def test_incidents_kind_filter_keeps_only_listed_kinds(client):
    killing = IncidentFactory(kind=IncidentKind.KILLING)
    IncidentFactory(kind=IncidentKind.MASS_DETENTION)
    IncidentFactory(kind=IncidentKind.PROTEST)

    assert listed(client, "incidents", {"kind": "killing"}) == ids(killing)


def test_incidents_parent_filter_keeps_only_directly_nested_incidents(client):
    crackdown = IncidentFactory(kind=IncidentKind.CRACKDOWN)
    wave = IncidentFactory(parent=crackdown)
    IncidentFactory(parent=wave)  # nested two levels down
    IncidentFactory(parent=IncidentFactory())

    assert listed(client, "incidents", {"parent": str(crackdown.uuid)}) == ids(wave)


def incident(start, end=None):
    return IncidentFactory(start_date=start, end_date=end)


def test_incidents_date_from_keeps_incidents_still_going_on_at_or_after_it(client):
    ended_on = incident(datetime.date(2024, 8, 1), DAY)
    ended_after = incident(datetime.date(2024, 8, 1), datetime.date(2024, 12, 1))
    ongoing = incident(datetime.date(2024, 7, 29))
    starts_later = incident(datetime.date(2025, 1, 10))
    incident(datetime.date(2024, 8, 1), DAY - datetime.timedelta(days=1))  # ended before
    incident(None)  # no start date
    incident(None, datetime.date(2024, 12, 1))  # no start date, but an end after

    assert listed(client, "incidents", {"date_from": "2024-11-15"}) == ids(
        ended_on, ended_after, ongoing, starts_later
    )


def test_incidents_date_to_keeps_incidents_that_had_started_by_it(client):
    started_on = incident(DAY)
    started_before = incident(datetime.date(2024, 7, 29), datetime.date(2024, 8, 10))
    ongoing = incident(datetime.date(2024, 7, 29))
    incident(DAY + datetime.timedelta(days=1))  # starts after
    incident(None)  # no start date
    incident(None, datetime.date(2024, 8, 1))  # no start date, an end before

    assert listed(client, "incidents", {"date_to": "2024-11-15"}) == ids(
        started_on, started_before, ongoing
    )


def test_incidents_date_from_and_date_to_keep_incidents_overlapping_the_period(client):
    spanning = incident(datetime.date(2024, 7, 1), datetime.date(2024, 12, 31))
    inside = incident(datetime.date(2024, 9, 1), datetime.date(2024, 9, 5))
    starts_within = incident(datetime.date(2024, 10, 31))
    ends_within = incident(datetime.date(2024, 6, 1), datetime.date(2024, 8, 1))
    incident(datetime.date(2024, 6, 1), datetime.date(2024, 7, 31))  # ended before
    incident(datetime.date(2024, 11, 1))  # starts after
    incident(None)

    found = listed(client, "incidents", {"date_from": "2024-08-01", "date_to": "2024-10-31"})

    assert found == ids(spanning, inside, starts_within, ends_within)


def test_incidents_date_from_equal_to_date_to_is_a_single_day(client):
    that_day = incident(DAY, DAY)
    incident(DAY + datetime.timedelta(days=1))

    assert listed(client, "incidents", {"date_from": "2024-11-15", "date_to": "2024-11-15"}) == (
        ids(that_day)
    )


def test_incidents_date_from_after_date_to_is_a_400_naming_date_to(client):
    response = client.get(url("incidents"), {"date_from": "2024-12-01", "date_to": "2024-11-01"})

    assert_rejected(response, "date_to")


# --- detainee groups --------------------------------------------------------------------


def test_detainee_groups_incident_filter_keeps_only_groups_of_listed_incidents(client):
    wave = IncidentFactory()
    students = DetaineeGroupFactory(incident=wave)
    minors = DetaineeGroupFactory(incident=wave, age_min=14, age_max=17)
    DetaineeGroupFactory()

    assert listed(client, "detainee-groups", {"incident": str(wave.uuid)}) == ids(students, minors)


def test_detainee_groups_citizenship_filter_keeps_only_listed_citizenships(client):
    foreign = DetaineeGroupFactory(citizenship=Citizenship.FOREIGN)
    DetaineeGroupFactory(citizenship=Citizenship.NATIONAL)
    DetaineeGroupFactory(citizenship=Citizenship.UNKNOWN)

    assert listed(client, "detainee-groups", {"citizenship": "foreign"}) == ids(foreign)


def test_detainee_groups_affiliation_filter_keeps_only_listed_affiliations(client):
    military = DetaineeGroupFactory(affiliation=Affiliation.MILITARY)
    DetaineeGroupFactory(affiliation=Affiliation.CIVILIAN)
    DetaineeGroupFactory(affiliation=Affiliation.UNKNOWN)

    assert listed(client, "detainee-groups", {"affiliation": "military"}) == ids(military)


@pytest.fixture
def age_groups():
    """Groups by age range, named by what they are."""
    return {
        "teenagers": DetaineeGroupFactory(age_min=14, age_max=17),
        "children": DetaineeGroupFactory(age_min=None, age_max=12),
        "adults": DetaineeGroupFactory(age_min=18, age_max=25),
        "eighteen": DetaineeGroupFactory(age_min=None, age_max=18),
        "from_twelve": DetaineeGroupFactory(age_min=12, age_max=None),
        "unknown": DetaineeGroupFactory(age_min=None, age_max=None),
    }


def test_detainee_groups_minors_true_keeps_groups_all_under_18(client, age_groups):
    results = fetch(client, "detainee-groups", {"minors": "true"})

    assert {row["id"] for row in results} == ids(age_groups["teenagers"], age_groups["children"])
    assert all(row["minors"] is True for row in results)


def test_detainee_groups_minors_false_keeps_every_other_group(client, age_groups):
    results = fetch(client, "detainee-groups", {"minors": "false"})

    assert {row["id"] for row in results} == ids(
        age_groups["adults"],
        age_groups["eighteen"],
        age_groups["from_twelve"],
        age_groups["unknown"],
    )
    assert all(row["minors"] is False for row in results)


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        (16, {"teenagers", "eighteen", "from_twelve"}),
        (14, {"teenagers", "eighteen", "from_twelve"}),  # a lower bound is inclusive
        (17, {"teenagers", "eighteen", "from_twelve"}),  # an upper bound is inclusive
        (10, {"children", "eighteen"}),  # open lower bounds
        (40, {"from_twelve"}),  # an open upper bound
        (0, {"children", "eighteen"}),
    ],
)
def test_detainee_groups_age_filter_keeps_groups_whose_range_contains_the_age(
    client, age_groups, age, expected
):
    found = listed(client, "detainee-groups", {"age": str(age)})

    assert found == ids(*(age_groups[name] for name in expected))
    assert str(age_groups["unknown"].uuid) not in found


# --- figures ----------------------------------------------------------------------------


def test_figures_incident_filter_keeps_only_figures_of_listed_incidents(client):
    wave = IncidentFactory()
    first = reported(incident=wave)
    second = reported(incident=wave, measure=Measure.RELEASED)
    reported()

    assert listed(client, "figures", {"incident": str(wave.uuid)}) == ids(first, second)


def test_figures_group_filter_keeps_only_figures_of_listed_groups(client):
    wave = IncidentFactory()
    minors = DetaineeGroupFactory(incident=wave, age_min=14, age_max=17)
    of_minors = reported(incident=wave, group=minors)
    reported(incident=wave, group=DetaineeGroupFactory(incident=wave))
    reported(incident=wave, group=None)

    assert listed(client, "figures", {"group": str(minors.uuid)}) == ids(of_minors)


def test_figures_measure_filter_keeps_only_listed_measures(client):
    still = reported(measure=Measure.STILL_DETAINED)
    reported(measure=Measure.DETAINED)
    reported(measure=Measure.RELEASED)

    assert listed(client, "figures", {"measure": "still_detained"}) == ids(still)


def test_figures_qualifier_filter_keeps_only_listed_qualifiers(client):
    approximately = reported(qualifier=Qualifier.APPROXIMATELY)
    reported(qualifier=Qualifier.AT_LEAST)
    reported(qualifier=Qualifier.EXACT)

    assert listed(client, "figures", {"qualifier": "approximately"}) == ids(approximately)


@pytest.fixture
def valued_figures():
    return {
        39: reported(value=39),
        40: reported(value=40),
        41: reported(value=41),
        None: reported(value=None, qualifier=Qualifier.UNSPECIFIED),
    }


def test_figures_value_gte_filter_keeps_values_at_or_above(client, valued_figures):
    found = listed(client, "figures", {"value__gte": "40"})

    assert found == ids(valued_figures[40], valued_figures[41])


def test_figures_value_lte_filter_keeps_values_at_or_below(client, valued_figures):
    found = listed(client, "figures", {"value__lte": "40"})

    assert found == ids(valued_figures[39], valued_figures[40])


@pytest.fixture
def dated_figures():
    return {
        "before": reported(as_of=DAY - datetime.timedelta(days=1)),
        "on": reported(as_of=DAY),
        "after": reported(as_of=DAY + datetime.timedelta(days=1)),
    }


def test_figures_as_of_gte_filter_keeps_figures_on_or_after_the_date(client, dated_figures):
    found = listed(client, "figures", {"as_of__gte": "2024-11-15"})

    assert found == ids(dated_figures["on"], dated_figures["after"])


def test_figures_as_of_lte_filter_keeps_figures_on_or_before_the_date(client, dated_figures):
    found = listed(client, "figures", {"as_of__lte": "2024-11-15"})

    assert found == ids(dated_figures["before"], dated_figures["on"])


def test_figures_source_filter_keeps_figures_that_source_reports(client):
    foro = SourceFactory()
    own = reported(source=foro)
    corroborated = reported()
    cite(Stance.CORROBORATES, source=foro, figure=corroborated)
    disputed = reported()
    cite(Stance.DISPUTES, source=foro, figure=disputed)

    assert listed(client, "figures", {"source": str(foro.uuid)}) == ids(own)


def test_figures_source_kind_filter_keeps_figures_reported_by_sources_of_that_kind(client):
    by_government = reported(source=SourceFactory(kind=SourceKind.GOVERNMENT_STATEMENT))
    corroborated = reported(source=SourceFactory(kind=SourceKind.NGO_STATEMENT))
    cite(
        Stance.CORROBORATES,
        source=SourceFactory(kind=SourceKind.GOVERNMENT_STATEMENT),
        figure=corroborated,
    )
    reported(source=SourceFactory(kind=SourceKind.NEWS_ARTICLE))

    found = listed(client, "figures", {"source_kind": "government_statement"})

    assert found == ids(by_government)


def test_figures_issuer_filter_keeps_figures_reported_by_the_actor_or_its_members(client):
    ngo = ActorFactory(name="Foro Penal")
    director = ActorFactory(name="Alfredo Romero", parent=ngo)
    by_ngo = reported(source=SourceFactory(issuer=ngo))
    by_director = reported(source=SourceFactory(issuer=director))
    corroborated = reported()
    cite(Stance.CORROBORATES, source=SourceFactory(issuer=ngo), figure=corroborated)
    reported(source=SourceFactory(issuer=None))

    assert listed(client, "figures", {"issuer": str(ngo.uuid)}) == ids(by_ngo, by_director)
    assert listed(client, "figures", {"issuer": str(director.uuid)}) == ids(by_director)


def assert_contested_split(client, contested: set[str], uncontested: set[str]) -> None:
    """``contested=true`` and ``=false`` split the figures, and each agrees with its flag."""
    yes = fetch(client, "figures", {"contested": "true"})
    no = fetch(client, "figures", {"contested": "false"})

    assert {row["id"] for row in yes} == contested
    assert {row["id"] for row in no} == uncontested
    assert all(row["contested"] is True and row["contest_reasons"] for row in yes)
    assert all(row["contested"] is False and not row["contest_reasons"] for row in no)


@pytest.mark.parametrize("stance", [Stance.DISPUTES, Stance.DENIES])
def test_figures_contested_filter_counts_an_objecting_citation(client, stance):
    objected = reported()
    cite(stance, figure=objected, source=SourceFactory(kind=SourceKind.GOVERNMENT_STATEMENT))
    corroborated = reported()
    cite(Stance.CORROBORATES, figure=corroborated)
    plain = reported()

    assert_contested_split(client, ids(objected), ids(corroborated, plain))
    [row] = fetch(client, "figures", {"contested": "true"})
    assert [reason["reason"] for reason in row["contest_reasons"]] == [stance]


@pytest.mark.parametrize("days_apart", [0, 10, 14])
def test_figures_contested_filter_counts_another_reporters_different_value_within_14_days(
    client, days_apart
):
    wave = IncidentFactory()
    ngo_count = reported(incident=wave, value=40, source=SourceFactory(issuer=ActorFactory()))
    government_count = reported(
        incident=wave,
        value=25,
        as_of=DAY + datetime.timedelta(days=days_apart),
        source=SourceFactory(issuer=ActorFactory(kind=ActorKind.STATE_BODY)),
    )
    other_measure = reported(incident=wave, value=3, measure=Measure.KILLED)
    other_incident = reported(value=25)

    assert_contested_split(
        client, ids(ngo_count, government_count), ids(other_measure, other_incident)
    )


def test_figures_contested_filter_counts_sources_without_issuer_as_separate_reporters(client):
    wave = IncidentFactory()
    first = reported(incident=wave, value=40, source=SourceFactory(issuer=None))
    second = reported(incident=wave, value=41, source=SourceFactory(issuer=None))

    assert_contested_split(client, ids(first, second), set())


def test_figures_contested_filter_ignores_the_same_reporter_changing_its_value(client):
    ngo = ActorFactory(name="Foro Penal")
    wave = IncidentFactory()
    earlier = reported(incident=wave, value=40, source=SourceFactory(issuer=ngo))
    later = reported(
        incident=wave,
        value=55,
        as_of=DAY + datetime.timedelta(days=7),
        source=SourceFactory(issuer=ngo),
    )
    issuerless = SourceFactory(issuer=None)
    wave2 = IncidentFactory()
    first = reported(incident=wave2, value=10, source=issuerless)
    second = reported(incident=wave2, value=12, as_of=DAY.replace(day=20), source=issuerless)

    assert_contested_split(client, set(), ids(earlier, later, first, second))


@pytest.mark.parametrize("days_apart", [15, 30])
def test_figures_contested_filter_ignores_different_values_15_or_more_days_apart(
    client, days_apart
):
    wave = IncidentFactory()
    first = reported(incident=wave, value=40)
    second = reported(incident=wave, value=25, as_of=DAY + datetime.timedelta(days=days_apart))

    assert_contested_split(client, set(), ids(first, second))


def test_figures_contested_filter_ignores_the_same_value_and_other_groups(client):
    wave = IncidentFactory()
    same_value = [reported(incident=wave, value=40), reported(incident=wave, value=40)]
    minors = DetaineeGroupFactory(incident=wave, age_min=14, age_max=17)
    of_group = reported(incident=wave, group=minors, value=12)
    no_number = reported(incident=wave, value=None, qualifier=Qualifier.UNSPECIFIED)

    assert_contested_split(client, set(), ids(*same_value, of_group, no_number))


# --- allegations ------------------------------------------------------------------------


def test_allegations_incident_filter_keeps_only_allegations_of_listed_incidents(client):
    wave = IncidentFactory()
    torture = AllegationFactory(incident=wave)
    AllegationFactory()

    assert listed(client, "allegations", {"incident": str(wave.uuid)}) == ids(torture)


def test_allegations_victim_group_filter_keeps_only_allegations_against_listed_groups(client):
    wave = IncidentFactory()
    minors = DetaineeGroupFactory(incident=wave, age_min=14, age_max=17)
    against_minors = AllegationFactory(incident=wave, victim_group=minors)
    AllegationFactory(incident=wave, victim_group=DetaineeGroupFactory(incident=wave))
    AllegationFactory(incident=wave, victim_group=None)

    found = listed(client, "allegations", {"victim_group": str(minors.uuid)})

    assert found == ids(against_minors)


def test_allegations_violation_type_filter_keeps_only_listed_codes(client):
    arbitrary = AllegationFactory(violation_type=term("violation", "arbitrary_detention"))
    AllegationFactory(violation_type=term("violation", "torture"))

    found = listed(client, "allegations", {"violation_type": "arbitrary_detention"})

    assert found == ids(arbitrary)


@pytest.fixture
def method_allegations():
    def alleging(*codes):
        allegation = AllegationFactory()
        allegation.methods.set([term("method", code) for code in codes])
        return allegation

    return {
        "shock_and_beating": alleging("electric_shock", "beating"),
        "suffocation": alleging("suffocation"),
        "none": alleging(),
    }


def test_allegations_method_filter_keeps_allegations_naming_the_method(client, method_allegations):
    found = listed(client, "allegations", {"method": "electric_shock"})

    assert found == ids(method_allegations["shock_and_beating"])


def test_allegations_method_filter_lists_an_allegation_naming_several_methods_once(
    client, method_allegations
):
    # ``fetch`` fails on a repeated id; count must agree too.
    found = listed(client, "allegations", {"method": "electric_shock,beating"})

    assert found == ids(method_allegations["shock_and_beating"])


def test_allegations_perpetrator_filter_keeps_only_listed_perpetrators(client):
    sebin = ActorFactory(name="SEBIN", kind=ActorKind.SECURITY_FORCE)
    by_sebin = AllegationFactory(perpetrator=sebin)
    AllegationFactory(perpetrator=ActorFactory(name="DGCIM", kind=ActorKind.SECURITY_FORCE))
    AllegationFactory(perpetrator=None)

    assert listed(client, "allegations", {"perpetrator": str(sebin.uuid)}) == ids(by_sebin)


def test_allegations_status_filter_keeps_only_listed_statuses(client):
    corroborated = AllegationFactory(status=AllegationStatus.CORROBORATED)
    AllegationFactory(status=AllegationStatus.ALLEGED)
    AllegationFactory(status=AllegationStatus.DENIED)

    assert listed(client, "allegations", {"status": "corroborated"}) == ids(corroborated)


# --- terms ------------------------------------------------------------------------------


def test_terms_vocabulary_filter_keeps_only_terms_of_that_vocabulary(client):
    methods = listed(client, "terms", {"vocabulary": "method"})
    violations = listed(client, "terms", {"vocabulary": "violation"})

    assert methods == ids(*Term.objects.filter(vocabulary="method"))
    assert violations == ids(*Term.objects.filter(vocabulary="violation"))
    assert methods and violations and methods.isdisjoint(violations)
    assert ids(term("method", "electric_shock")) <= methods
    assert ids(term("violation", "torture")) <= violations


# --- comma-separated lists ----------------------------------------------------------------


def test_comma_separated_codes_keep_records_with_any_of_them(client):
    person = ActorFactory(kind=ActorKind.PERSON)
    ngo = ActorFactory(kind=ActorKind.NGO)
    ActorFactory(kind=ActorKind.MEDIA)

    assert listed(client, "actors", {"kind": "ngo,person"}) == ids(person, ngo)


def test_comma_separated_countries_keep_records_in_any_of_them(client):
    venezuela = IncidentFactory(country="VE")
    nicaragua = IncidentFactory(country="NI")
    IncidentFactory(country="CU")

    assert listed(client, "incidents", {"country": "VE,NI"}) == ids(venezuela, nicaragua)


def test_comma_separated_measures_keep_figures_of_any_of_them(client):
    detained = reported(measure=Measure.DETAINED)
    released = reported(measure=Measure.RELEASED)
    reported(measure=Measure.KILLED)

    found = listed(client, "figures", {"measure": "detained,released"})

    assert found == ids(detained, released)


def test_comma_separated_vocabulary_codes_keep_allegations_with_any_of_them(
    client, method_allegations
):
    found = listed(client, "allegations", {"method": "beating,suffocation"})
    types = listed(client, "allegations", {"violation_type": "torture,arbitrary_detention"})

    assert found == ids(method_allegations["shock_and_beating"], method_allegations["suffocation"])
    assert types == ids(*method_allegations.values())


def test_comma_separated_uuids_keep_records_linked_to_any_of_them(client):
    first, second = IncidentFactory(), IncidentFactory()
    of_first = reported(incident=first)
    of_second = reported(incident=second)
    reported()

    found = listed(client, "figures", {"incident": f"{first.uuid},{second.uuid}"})

    assert found == ids(of_first, of_second)


def test_comma_separated_issuers_keep_sources_of_any_of_them_and_their_members(client):
    foro, provea = ActorFactory(), ActorFactory()
    by_foro = SourceFactory(issuer=foro)
    by_provea_member = SourceFactory(issuer=ActorFactory(parent=provea))
    SourceFactory(issuer=ActorFactory())

    found = listed(client, "sources", {"issuer": f"{foro.uuid},{provea.uuid}"})

    assert found == ids(by_foro, by_provea_member)


# --- malformed input ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("endpoint", "params", "attr"),
    [
        ("sources", {"date__gte": "2024-13-01"}, "date__gte"),
        ("sources", {"date__lte": "15/11/2024"}, "date__lte"),
        ("incidents", {"date_from": "yesterday"}, "date_from"),
        ("incidents", {"date_to": "2024-02-30"}, "date_to"),
        ("figures", {"as_of__gte": "2024-11"}, "as_of__gte"),
        ("actors", {"updated_since": "last week"}, "updated_since"),
        ("actors", {"kind": "alien"}, "kind"),
        ("actors", {"kind": "ngo,alien"}, "kind"),
        ("actors", {"country": "XX"}, "country"),
        ("figures", {"measure": "arrested"}, "measure"),
        ("figures", {"source_kind": "blog"}, "source_kind"),
        ("allegations", {"method": "waterboarding"}, "method"),
        ("allegations", {"violation_type": "electric_shock"}, "violation_type"),
        ("terms", {"vocabulary": "charges"}, "vocabulary"),
        ("incidents", {"parent": "not-a-uuid"}, "parent"),
        ("figures", {"incident": "1234"}, "incident"),
        ("figures", {"issuer": f"{uuid.uuid4()},abc"}, "issuer"),
        ("detainee-groups", {"minors": "perhaps"}, "minors"),
        ("detainee-groups", {"age": "-1"}, "age"),
        ("detainee-groups", {"age": "sixteen"}, "age"),
        ("figures", {"contested": "maybe"}, "contested"),
        ("figures", {"value__gte": "abc"}, "value__gte"),
        ("figures", {"value__lte": "4.5"}, "value__lte"),
        ("actors", {"q": "!!!"}, "q"),
        ("figures", {"q": "--"}, "q"),
        ("figures", {"page_size": "0"}, "page_size"),
        ("actors", {"page_size": "ten"}, "page_size"),
        ("detainee-groups", {"minor": "true"}, "minor"),
        ("figures", {"contested": "true", "issuers": str(uuid.uuid4())}, "issuers"),
    ],
)
def test_malformed_input_is_a_400_naming_the_parameter(client, endpoint, params, attr):
    assert_rejected(client.get(url(endpoint), params), attr)


def test_an_unknown_parameter_is_rejected_rather_than_ignored(client):
    DetaineeGroupFactory(age_min=14, age_max=17)
    DetaineeGroupFactory(age_min=18, age_max=25)

    response = client.get(url("detainee-groups"), {"minor": "true"})

    assert_rejected(response, "minor")
    assert response.json()["errors"][0]["code"] == "unknown"


@pytest.mark.parametrize(
    ("endpoint", "param"),
    [
        ("actors", "parent"),
        ("sources", "issuer"),
        ("incidents", "parent"),
        ("detainee-groups", "incident"),
        ("figures", "incident"),
        ("figures", "group"),
        ("figures", "source"),
        ("figures", "issuer"),
        ("allegations", "incident"),
        ("allegations", "victim_group"),
        ("allegations", "perpetrator"),
    ],
)
def test_a_well_formed_uuid_of_no_record_matches_nothing(client, endpoint, param):
    ngo = ActorFactory()
    wave = IncidentFactory()
    group = DetaineeGroupFactory(incident=wave)
    ActorFactory(parent=ngo)
    IncidentFactory(parent=wave)
    reported(incident=wave, group=group, source=SourceFactory(issuer=ngo))
    AllegationFactory(incident=wave, victim_group=group, perpetrator=ngo)
    assert listed(client, endpoint), "there is something to filter out"

    response = client.get(url(endpoint), {param: str(uuid.uuid4())})

    assert response.status_code == 200
    assert response.json()["count"] == 0
    assert response.json()["results"] == []


# --- hidden records ------------------------------------------------------------------------


HIDDEN_LINKS = [
    ("actors", "parent", lambda hidden: ActorFactory(parent=hidden)),
    ("sources", "issuer", lambda hidden: SourceFactory(issuer=hidden)),
    ("figures", "issuer", lambda hidden: reported(source=SourceFactory(issuer=hidden))),
    ("allegations", "perpetrator", lambda hidden: AllegationFactory(perpetrator=hidden)),
]


@pytest.mark.parametrize(("endpoint", "param", "link"), HIDDEN_LINKS)
def test_a_uuid_of_a_hidden_actor_matches_nothing(client, endpoint, param, link):
    hidden = ActorFactory(visibility=Visibility.RESTRICTED)
    link(hidden)

    assert listed(client, endpoint, {param: str(hidden.uuid)}) == set()


def test_a_uuid_of_a_hidden_parent_incident_matches_nothing(client):
    hidden = IncidentFactory(visibility=Visibility.RESTRICTED)
    IncidentFactory(parent=hidden)

    assert listed(client, "incidents", {"parent": str(hidden.uuid)}) == set()


def test_figures_source_filter_by_a_hidden_source_matches_nothing(client):
    hidden = SourceFactory(visibility=Visibility.RESTRICTED)
    reported(source=hidden)
    reported()

    assert listed(client, "figures", {"source": str(hidden.uuid)}) == set()


def test_figures_contested_filter_ignores_a_hidden_objecting_citation(client):
    figure = reported()
    cite(Stance.DISPUTES, figure=figure, source=SourceFactory(visibility=Visibility.RESTRICTED))

    assert_contested_split(client, set(), ids(figure))


# --- the latest figures and the timeline take the figure filters ---------------------------


def test_latest_figures_take_the_figure_filters(client):
    ngo = ActorFactory()
    wave = IncidentFactory()
    november = reported(incident=wave, value=40, source=SourceFactory(issuer=ngo))
    december = reported(
        incident=wave, value=55, as_of=DAY.replace(month=12), source=SourceFactory(issuer=ngo)
    )
    reported(incident=wave, value=3, measure=Measure.KILLED, source=SourceFactory(issuer=ngo))

    assert listed(client, "figures/latest", {"measure": "detained"}) == ids(december)
    assert listed(
        client, "figures/latest", {"measure": "detained", "as_of__lte": "2024-11-30"}
    ) == ids(november)


def test_latest_figures_reject_an_unknown_parameter(client):
    assert_rejected(client.get(url("figures/latest"), {"measures": "detained"}), "measures")


def test_timeline_takes_the_figure_filters(client):
    wave = IncidentFactory()
    detained = reported(incident=wave, measure=Measure.DETAINED)
    reported(incident=wave, measure=Measure.RELEASED, as_of=DAY.replace(month=12))

    response = client.get(f"{API}/incidents/{wave.uuid}/timeline/", {"measure": "detained"})

    assert response.status_code == 200
    points = {point["id"] for series in response.json()["series"] for point in series["points"]}
    assert points == ids(detained)


@pytest.mark.parametrize(
    ("params", "attr"), [({"measure": "arrested"}, "measure"), ({"kind": "arrest"}, "kind")]
)
def test_timeline_rejects_malformed_and_unknown_parameters(client, params, attr):
    wave = IncidentFactory()

    assert_rejected(client.get(f"{API}/incidents/{wave.uuid}/timeline/", params), attr)


def test_updated_since_with_an_offset_postgresql_cannot_store_is_still_answered(client):
    """ISO 8601 allows offsets up to 23:59; PostgreSQL only to 15:59: the filter uses UTC."""
    actor = ActorFactory()
    Actor.objects.filter(pk=actor.pk).update(updated_at="2024-01-02T00:00:00Z")

    assert listed(client, "actors", {"updated_since": "2024-01-01T00:00:00-21:56"}) == ids(actor)
    assert listed(client, "actors", {"updated_since": "2024-01-01T03:00:00-21:56"}) == set()
