"""Each list costs the same number of SQL queries at page size 1 as at the cap (500)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from incidents.choices import Stance
from incidents.models import Incident
from tests.factories import (
    AllegationFactory,
    CitationFactory,
    DetaineeGroupFactory,
    FigureFactory,
    IncidentFactory,
    SourceFactory,
    term,
)

LISTS = [
    "/api/v1/actors/",
    "/api/v1/sources/",
    "/api/v1/incidents/",
    "/api/v1/detainee-groups/",
    "/api/v1/figures/",
    "/api/v1/figures/latest/",
    "/api/v1/allegations/",
    "/api/v1/citations/",
    "/api/v1/terms/",
]


@pytest.fixture
def many_records(seeded):
    """Enough extra rows that a page of 500 holds dozens of each, citations and methods included."""
    incident = Incident.objects.get(kind="crackdown")
    for n in range(30):
        nested = IncidentFactory(parent=incident)
        CitationFactory(figure=None, incident=nested, source=SourceFactory())
        group = DetaineeGroupFactory(incident=incident)
        figure = FigureFactory(incident=incident, group=group, value=n, measure="released")
        CitationFactory(figure=figure, source=SourceFactory())
        CitationFactory(figure=figure, stance=Stance.DISPUTES, source=SourceFactory())
        allegation = AllegationFactory(incident=incident, victim_group=group)
        allegation.methods.add(term("method", "beating"), term("method", "electric_shock"))
        CitationFactory(figure=None, allegation=allegation, source=SourceFactory())


@pytest.mark.parametrize("url", LISTS)
def test_list_query_count_does_not_grow_with_page_size(
    client, many_records, url, django_assert_num_queries
):
    with CaptureQueriesContext(connection) as one_row:
        response = client.get(url, {"page_size": 1})
    assert response.status_code == 200
    assert len(response.json()["results"]) == 1

    with django_assert_num_queries(len(one_row.captured_queries)):
        response = client.get(url, {"page_size": 500})
    assert response.status_code == 200
    assert len(response.json()["results"]) > 10


def test_timeline_query_count_does_not_grow_with_its_figures(
    client, seeded, django_assert_num_queries
):
    incident = Incident.objects.get(kind="crackdown")
    url = f"/api/v1/incidents/{incident.uuid}/timeline/"
    # Two sources already disagree: the records shown for a conflict cost one query.
    for value in (100, 101):
        CitationFactory(figure=FigureFactory(incident=incident, value=value, measure="injured"))
    with CaptureQueriesContext(connection) as before:
        response = client.get(url)
    assert response.status_code == 200
    assert sum(len(s["points"]) for s in response.json()["series"]) == 13
    for n in range(20):
        figure = FigureFactory(incident=incident, value=n, measure="injured")
        CitationFactory(figure=figure)
    with django_assert_num_queries(len(before.captured_queries)):
        response = client.get(url)
    assert sum(len(s["points"]) for s in response.json()["series"]) == 33
