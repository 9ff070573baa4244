"""The access log at the API's doors: every restricted record a response shows is logged once.

Lists, details, nested records, exports (streamed), history, the timeline and its chart,
the latest figures, by-external-id and the answers to writes; who (staff member, or
partner and token prefix), how, from where and under which request id; one INSERT for
a page of 500; nothing at all when nothing restricted was read.
"""

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from incidents.choices import Stance, Visibility
from incidents.models import AccessLogEntry, ApiToken, Figure
from tests.factories import (
    AllegationFactory,
    CitationFactory,
    DetaineeGroupFactory,
    FigureFactory,
    IncidentFactory,
    SourceFactory,
)
from tests.helpers import bearer, key, logged

pytestmark = pytest.mark.django_db
RESTRICTED = Visibility.RESTRICTED
TABLE = AccessLogEntry._meta.db_table


@pytest.fixture
def editor_user(django_user_model):
    """A staff member in the editor role: reads restricted records."""
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("maria", is_staff=True)
    user.groups.add(Group.objects.get(name="editor"))
    return user


@pytest.fixture
def staff(editor_user):
    client = Client()
    client.force_login(editor_user)
    return client


def inserts(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if f'INSERT INTO "{TABLE}"' in q["sql"]]


@pytest.fixture
def mixed():
    """A public incident holding a restricted figure (with a restricted source) and a public one."""
    incident = IncidentFactory(title="Wave of arrests")
    secret_source = SourceFactory(title="Witness statement", visibility=RESTRICTED)
    secret = FigureFactory(incident=incident, value=7, visibility=RESTRICTED)
    CitationFactory(figure=secret, source=secret_source, visibility=RESTRICTED)
    open_figure = FigureFactory(incident=incident, value=40)
    CitationFactory(figure=open_figure, source=SourceFactory())
    return {"incident": incident, "secret": secret, "source": secret_source, "open": open_figure}


def test_a_detail_logs_the_record_and_the_restricted_records_nested_in_it(staff, mixed):
    secret = mixed["secret"]
    response = staff.get(f"/api/v1/figures/{secret.uuid}/")
    assert response.status_code == 200
    citation = secret.citations.get()
    assert logged() == {key(secret), key(citation), key(mixed["source"])}
    entry = AccessLogEntry.objects.get(record_id=secret.uuid)
    assert entry.how == "api:figure-detail"
    assert entry.method == "GET"
    assert entry.path == f"/api/v1/figures/{secret.uuid}/"


def test_a_list_logs_the_restricted_records_of_its_page_and_not_the_public_ones(staff, mixed):
    response = staff.get("/api/v1/figures/", {"page_size": 50})
    assert response.status_code == 200
    assert len(response.json()["results"]) == 2
    shown = logged()
    assert key(mixed["secret"]) in shown
    assert key(mixed["open"]) not in shown
    assert key(mixed["incident"]) not in shown  # public
    assert set(AccessLogEntry.objects.values_list("how", flat=True)) == {"api:figure-list"}


def test_who_how_address_and_request_id_are_those_of_the_request(staff, editor_user, mixed):
    response = staff.get(
        f"/api/v1/figures/{mixed['secret'].uuid}/?q=documented",
        HTTP_X_REQUEST_ID="sync-run-42",
        REMOTE_ADDR="203.0.113.9",
    )
    assert response["X-Request-ID"] == "sync-run-42"
    entry = AccessLogEntry.objects.get(record_id=mixed["secret"].uuid)
    assert entry.request_id == "sync-run-42"
    assert (entry.user, entry.username) == (editor_user, "maria")
    assert (entry.partner, entry.partner_name, entry.token_prefix) == (None, "", "")
    assert entry.address == "203.0.113.9"
    assert "documented" not in entry.path  # query strings may carry restricted words
    assert entry.at is not None


def test_the_address_is_the_one_the_throttles_use_behind_proxies(staff, mixed):
    url = f"/api/v1/figures/{mixed['secret'].uuid}/"
    staff.get(url, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.4, 192.0.2.1")
    assert AccessLogEntry.objects.get(record_id=mixed["secret"].uuid).address == "10.0.0.2"
    AccessLogEntry.objects.all().delete()
    rest = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    with override_settings(REST_FRAMEWORK=rest):
        staff.get(url, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.4, 192.0.2.1")
    assert AccessLogEntry.objects.get(record_id=mixed["secret"].uuid).address == "192.0.2.1"


def test_a_partner_reading_its_own_restricted_record_is_logged_with_its_token(partner_a):
    token, secret = ApiToken.issue(partner=partner_a, scope="read")
    incident = IncidentFactory(visibility=RESTRICTED, owner=partner_a)
    response = Client().get(f"/api/v1/incidents/{incident.uuid}/", **bearer(secret))
    assert response.status_code == 200
    entry = AccessLogEntry.objects.get()
    assert (entry.partner, entry.partner_name, entry.token_prefix) == (
        partner_a,
        "Partner A",
        token.prefix,
    )
    assert (entry.user, entry.username) == (None, "")
    assert entry.who == f"Partner A ({token.prefix})"


def test_anonymous_callers_read_nothing_restricted_and_log_nothing(client, mixed):
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/api/v1/figures/").status_code == 200
        assert client.get(f"/api/v1/figures/{mixed['secret'].uuid}/").status_code == 404
    assert not inserts(captured)
    assert not AccessLogEntry.objects.exists()


def test_reading_only_public_records_costs_no_query_for_the_log(staff):
    figure = CitationFactory().figure
    with CaptureQueriesContext(connection) as captured:
        assert staff.get(f"/api/v1/figures/{figure.uuid}/").status_code == 200
        assert staff.get("/api/v1/figures/").status_code == 200
    assert not [q for q in captured.captured_queries if TABLE in q["sql"]]


def test_a_restricted_figure_contesting_a_public_one_is_a_read_of_it(staff, mixed):
    # 7 and 40 at the same date by different sources: the public figure's answer shows
    # the restricted one (and its source) as the reason it is contested.
    response = staff.get(f"/api/v1/figures/{mixed['open'].uuid}/")
    assert response.json()["contest_reasons"][0]["figure"]["id"] == str(mixed["secret"].uuid)
    assert logged() == {key(mixed["secret"]), key(mixed["source"])}


def test_a_page_of_500_restricted_records_is_one_insert(staff):
    incident = IncidentFactory(visibility=RESTRICTED)
    Figure.objects.bulk_create(
        Figure(
            incident=incident,
            measure="detained",
            value=n,
            qualifier="exact",
            as_of="2024-11-15",
            visibility=RESTRICTED,
        )
        for n in range(500)
    )
    with CaptureQueriesContext(connection) as captured:
        response = staff.get("/api/v1/figures/", {"page_size": 500})
    assert len(response.json()["results"]) == 500
    assert len(inserts(captured)) == 1
    # The 500 figures and the incident each brief names, each once.
    assert AccessLogEntry.objects.count() == 501
    assert AccessLogEntry.objects.filter(model="incidents.figure").count() == 500


def test_an_error_answer_logs_nothing(staff, mixed):
    response = staff.get("/api/v1/figures/", {"unknown": "1"})
    assert response.status_code == 400
    assert not AccessLogEntry.objects.exists()


@pytest.mark.parametrize("fmt", ["csv", "hxl"])
def test_an_export_logs_the_restricted_records_it_streams(staff, fmt):
    incident = IncidentFactory(visibility=RESTRICTED, title="Closed case")
    group = DetaineeGroupFactory(incident=incident, visibility=RESTRICTED)
    secret_source = SourceFactory(visibility=RESTRICTED)
    figure = FigureFactory(incident=incident, group=group, value=3)
    asserting = CitationFactory(figure=figure, source=secret_source)
    public_incident = IncidentFactory()
    open_figure = FigureFactory(incident=public_incident)
    CitationFactory(figure=open_figure)
    with CaptureQueriesContext(connection) as captured:
        response = staff.get("/api/v1/figures/", {"format": fmt})
        assert response.streaming
        assert not AccessLogEntry.objects.exists()  # nothing is written before it is sent
        body = b"".join(response.streaming_content).decode()
    assert str(figure.uuid) in body
    assert len(inserts(captured)) == 1
    # The figure is public but sits in a restricted incident and group, reported by a
    # restricted source: the row shows all three.
    assert logged() == {key(incident), key(group), key(secret_source)}
    assert key(asserting) not in logged()  # a public citation
    assert set(AccessLogEntry.objects.values_list("how", flat=True)) == {"api:figure-export"}


def test_an_export_logs_restricted_rows_and_their_readable_links(staff):
    from incidents.models import Actor

    perpetrator = Actor.objects.create(name="Unit 7", kind="security_force", visibility=RESTRICTED)
    allegation = AllegationFactory(visibility=RESTRICTED, perpetrator=perpetrator)
    CitationFactory(figure=None, allegation=allegation, stance=Stance.ASSERTS)
    body = b"".join(staff.get("/api/v1/allegations/", {"format": "csv"}).streaming_content)
    assert b"Unit 7" in body
    assert logged() == {key(allegation), key(perpetrator)}
    assert set(AccessLogEntry.objects.values_list("how", flat=True)) == {"api:allegation-export"}


def test_a_large_export_is_written_in_bounded_batches(staff, monkeypatch):
    from incidents import access_log

    monkeypatch.setattr(access_log, "FLUSH_EVERY", 3)
    monkeypatch.setattr("incidents.integration.exports.CHUNK_SIZE", 2)
    monkeypatch.setattr("incidents.integration.exports.FLUSH_SIZE", 1)
    incidents = [IncidentFactory(visibility=RESTRICTED) for _ in range(7)]
    with CaptureQueriesContext(connection) as captured:
        b"".join(staff.get("/api/v1/incidents/", {"format": "csv"}).streaming_content)
    assert logged() == {key(incident) for incident in incidents}
    assert 2 <= len(inserts(captured)) <= 4


def test_history_logs_the_record(staff, mixed):
    secret = mixed["secret"]
    response = staff.get(f"/api/v1/figures/{secret.uuid}/history/")
    assert response.status_code == 200
    assert key(secret) in logged(how="api:figure-history")


def test_the_timeline_and_its_chart_log_the_restricted_figures_they_show(staff, mixed):
    incident = mixed["incident"]
    assert staff.get(f"/api/v1/incidents/{incident.uuid}/timeline/").status_code == 200
    assert {key(mixed["secret"]), key(mixed["source"])} <= logged(how="api:incident-timeline")
    assert key(mixed["open"]) not in logged()
    response = staff.get(f"/api/v1/incidents/{incident.uuid}/chart/", {"format": "svg"})
    assert response.status_code == 200
    assert {key(mixed["secret"]), key(mixed["source"])} <= logged(how="api:incident-chart")


def test_the_latest_figures_log_the_restricted_ones(staff, mixed):
    assert staff.get("/api/v1/figures/latest/").status_code == 200
    assert key(mixed["secret"]) in logged(how="api:figure-latest")


def test_nested_restricted_records_inside_a_public_one_are_logged(staff):
    incident = IncidentFactory()
    witness = SourceFactory(visibility=RESTRICTED)
    citation = CitationFactory(figure=None, incident=incident, source=witness)
    group = DetaineeGroupFactory(incident=incident)
    CitationFactory(figure=None, group=group, source=witness, visibility=RESTRICTED)
    assert staff.get(f"/api/v1/incidents/{incident.uuid}/").status_code == 200
    assert logged() == {key(witness)}
    assert key(citation) not in logged()
    assert key(incident) not in logged()


def test_the_answer_to_a_write_is_a_read_too(partner_a, token_a, a):
    incident = IncidentFactory(visibility=RESTRICTED, owner=partner_a)
    response = Client().patch(
        f"/api/v1/incidents/{incident.uuid}/",
        {"title": "Renamed"},
        content_type="application/json",
        HTTP_IF_MATCH=f'"{incident.version}"',
        **a,
    )
    assert response.status_code == 200, response.json()
    entry = AccessLogEntry.objects.get()
    assert (entry.method, entry.how, entry.token_prefix) == (
        "PATCH",
        "api:incident-detail",
        token_a[0].prefix,
    )


def test_a_public_record_read_by_staff_is_not_logged(staff):
    incident = IncidentFactory()
    staff.get(f"/api/v1/incidents/{incident.uuid}/")
    staff.get("/api/v1/incidents/", {"format": "csv"})
    assert not AccessLogEntry.objects.exists()
