"""The contested rule: the SQL filter and the reasons shown on each figure always agree."""

import datetime
import random

import pytest

from incidents.choices import Stance
from tests.factories import (
    ActorFactory,
    CitationFactory,
    DetaineeGroupFactory,
    IncidentFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db
DAY = datetime.date(2024, 11, 15)


def contested_ids(client):
    response = client.get("/api/v1/figures/", {"contested": "true", "page_size": 500})
    assert response.status_code == 200
    return {f["id"] for f in response.json()["results"]}


def flagged_ids(client):
    figures = client.get("/api/v1/figures/", {"page_size": 500}).json()["results"]
    for figure in figures:
        assert figure["contested"] is bool(figure["contest_reasons"])
    return {f["id"] for f in figures if f["contested"]}


@pytest.mark.parametrize("days_apart", [13, 14, 15, 30])
def test_different_values_from_two_reporters_conflict_within_fourteen_days(client, days_apart):
    incident = IncidentFactory()
    first = CitationFactory(figure__incident=incident, figure__value=40, figure__as_of=DAY).figure
    CitationFactory(
        figure__incident=incident,
        figure__value=55,
        figure__as_of=DAY + datetime.timedelta(days=days_apart),
    )
    expected = days_apart <= 14
    assert (str(first.uuid) in contested_ids(client)) is expected
    assert (str(first.uuid) in flagged_ids(client)) is expected


def test_reason_names_the_other_figure_and_its_source(client):
    incident = IncidentFactory()
    CitationFactory(figure__incident=incident, figure__value=40, figure__as_of=DAY)
    other = CitationFactory(figure__incident=incident, figure__value=55, figure__as_of=DAY)
    figures = client.get("/api/v1/figures/", {"value__lte": 40}).json()["results"]
    [reason] = figures[0]["contest_reasons"]
    assert reason["reason"] == "different_value"
    assert reason["figure"]["id"] == str(other.figure.uuid)
    assert reason["figure"]["value"] == 55
    assert reason["source"]["id"] == str(other.source.uuid)
    assert reason["citation"] is None


@pytest.mark.parametrize("seed", range(4))
def test_filter_and_flag_agree_on_a_random_mix(client, seed):
    """Figures over a month from a few reporters, some with groups, some disputed."""
    rng = random.Random(seed)
    incident = IncidentFactory()
    groups = [None, DetaineeGroupFactory(incident=incident)]
    reporters = [ActorFactory() for _ in range(3)]
    sources = [SourceFactory(issuer=rng.choice(reporters)) for _ in range(5)]
    sources.append(SourceFactory(issuer=None))
    for _ in range(25):
        value = rng.choice([None, 10, 10, 12, 40])
        citation = CitationFactory(
            source=rng.choice(sources),
            figure__incident=incident,
            figure__group=rng.choice(groups),
            figure__measure=rng.choice(["detained", "released"]),
            figure__value=value,
            figure__qualifier="unspecified" if value is None else "exact",
            figure__as_of=DAY + datetime.timedelta(days=rng.randrange(0, 40)),
        )
        if rng.random() < 0.1:
            CitationFactory(figure=citation.figure, stance=Stance.DISPUTES)
    contested = contested_ids(client)
    assert contested == flagged_ids(client)
    assert 0 < len(contested) < 25  # the mix holds both kinds
    assert client.get("/api/v1/figures/", {"contested": "false"}).json()["count"] == 25 - len(
        contested
    )
