"""The read path's shortcuts change nothing a client sees.

Lists plan each serializer's attribute lookups once (``FastSerializer``), copy
fields built once per class, and read linked records with only the columns their
briefs show (``queries.unshown``). These tests hold all three to DRF's own
behaviour on realistic data: every visibility, nested incidents, contested
figures, issuers and the sources statements reached us through.
"""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from incidents.api import sealing, serializers
from incidents.models import Allegation, Figure, Incident
from incidents.reads import queries
from tests.api.test_queries import LISTS


@pytest.fixture
def records(seeded):
    """The seed article's records and a synthetic mix beside them."""
    call_command(
        "generate_synthetic", incidents=6, figures=300, allegations=80, seed=11, verbosity=0
    )


def bodies(client, urls, **headers):
    return {url: opened(client.get(url, **headers).json()) for url in urls}


def opened(body: dict) -> dict:
    """The body with the change feed's cursor unsealed: it is sealed afresh every time."""
    if "next_cursor" in body:
        body["next_cursor"] = sealing.unseal(sealing.FEED_CURSOR, body["next_cursor"])
    return body


def every_url() -> list[str]:
    urls = [f"{url}?page_size=500" for url in LISTS]
    urls.append("/api/v1/changes/?page_size=1000")
    urls += [
        f"/api/v1/figures/{uuid}/" for uuid in Figure.objects.values_list("uuid", flat=True)[:40]
    ]
    urls += [
        f"/api/v1/allegations/{uuid}/"
        for uuid in Allegation.objects.values_list("uuid", flat=True)[:20]
    ]
    urls += [
        f"/api/v1/incidents/{uuid}/timeline/"
        for uuid in Incident.objects.filter(parent=None).values_list("uuid", flat=True)
    ]
    return urls


@pytest.mark.parametrize("who", ["anonymous", "staff"])
def test_planned_representation_equals_drfs_own(records, request, monkeypatch, who):
    caller = request.getfixturevalue("staff_client" if who == "staff" else "client")
    urls = every_url()
    fast = bodies(caller, urls)
    # DRF's own path: every attribute read generically, fields built per instance.
    monkeypatch.setattr(serializers, "FAST_REPRESENTATION", False)
    slow = bodies(caller, urls)
    assert any(page.get("count", 0) > 100 for page in fast.values())
    for url in urls:
        assert fast[url] == slow[url], url


def test_contested_figures_show_their_reasons(records, client):
    figures = client.get("/api/v1/figures/", {"page_size": 500, "contested": "true"}).json()
    reasons = [r for f in figures["results"] for r in f["contest_reasons"]]
    assert {r["reason"] for r in reasons} >= {"different_value"}
    different = [r for r in reasons if r["reason"] == "different_value"]
    assert all(r["figure"]["id"] and r["source"] for r in different)


@pytest.mark.parametrize(
    ("fetch", "serializer"),
    [
        (queries.figures, serializers.FigureSerializer),
        (queries.allegations, serializers.AllegationSerializer),
        (queries.incidents, serializers.IncidentSerializer),
        (queries.detainee_groups, serializers.DetaineeGroupSerializer),
        (queries.sources, serializers.SourceSerializer),
        (queries.actors, serializers.ActorSerializer),
        (queries.citations, serializers.CitationRecordSerializer),
    ],
)
def test_representing_a_fetched_page_reads_nothing_more(
    records, admin_user, fetch, serializer, django_assert_num_queries
):
    """No column a representation shows is left out of the page's queries."""
    request = Request(APIRequestFactory().get("/"))
    request.user = admin_user
    page = list(fetch(request)[:500])
    if fetch is queries.figures:
        queries.finish_figures(page, request)
    assert len(page) >= 5
    with django_assert_num_queries(0):
        data = serializer(page, many=True, context={"request": request}).data
    assert len(data) == len(page)


def test_embedded_citations_leave_source_texts_unread(records, client):
    with CaptureQueriesContext(connection) as captured:
        client.get("/api/v1/figures/", {"page_size": 100})
    reads = " ".join(q["sql"] for q in captured.captured_queries)
    assert '"incidents_source"."text"' not in reads
    assert '"incidents_incident"."summary"' not in reads
