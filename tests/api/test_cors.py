"""Browser clients on other origins: the API answers the origins listed, and nothing else does.

A journalist's dashboard on https://dashboard.example.org reads (and, with a partner's
token, writes) through the browser. ``CORS_ALLOWED_ORIGINS`` lists such origins; the
admin never answers another origin, and no origin ever gets to send cookies.
"""

import pytest
from django.test import override_settings

from incidents.models import ApiToken, Partner
from tests.helpers import bearer

pytestmark = pytest.mark.django_db

DASHBOARD = "https://dashboard.example.org"
ELSEWHERE = "https://elsewhere.example.net"
listed = override_settings(CORS_ALLOWED_ORIGINS=[DASHBOARD])


def words(header: str) -> set[str]:
    return {word.strip().lower() for word in header.split(",")}


def preflight(client, path, origin, method="PUT", headers="authorization, content-type, if-match"):
    return client.options(
        path,
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD=method,
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS=headers,
    )


@listed
def test_a_listed_origin_reads_the_api(client):
    response = client.get("/api/v1/figures/", HTTP_ORIGIN=DASHBOARD)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == DASHBOARD
    assert "Access-Control-Allow-Credentials" not in response
    # Shared caches keep one answer per origin and per credentials.
    assert {"origin", "authorization", "cookie"} <= words(response["Vary"])


@listed
def test_a_listed_origin_may_send_a_put_with_a_token(client):
    response = preflight(client, "/api/v1/actors/by-external-id/ngo-7/", DASHBOARD)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == DASHBOARD
    assert "put" in words(response["Access-Control-Allow-Methods"])
    allowed = words(response["Access-Control-Allow-Headers"])
    assert {"authorization", "content-type", "if-match", "idempotency-key"} <= allowed
    assert {"x-change-reason", "accept-language"} <= allowed
    assert "Access-Control-Allow-Credentials" not in response


@listed
def test_a_listed_origin_reads_the_headers_of_a_write(client):
    token = ApiToken.issue(partner=Partner.objects.create(name="Dashboard NGO"), scope="write")[1]
    response = client.put(
        "/api/v1/actors/by-external-id/ngo-7/",
        {"name": "Observatorio Regional", "kind": "ngo", "country": "VE"},
        content_type="application/json",
        HTTP_ORIGIN=DASHBOARD,
        **bearer(token),
    )
    assert response.status_code == 201
    assert response["Access-Control-Allow-Origin"] == DASHBOARD
    exposed = words(response["Access-Control-Expose-Headers"])
    assert {"etag", "location", "x-upsert-outcome", "idempotent-replayed", "retry-after"} <= exposed
    assert "Access-Control-Allow-Credentials" not in response


@listed
def test_an_origin_not_listed_gets_no_cors_headers(client):
    read = client.get("/api/v1/figures/", HTTP_ORIGIN=ELSEWHERE)
    asked = preflight(client, "/api/v1/actors/by-external-id/ngo-7/", ELSEWHERE)
    for response in (read, asked):
        assert "Access-Control-Allow-Origin" not in response
        assert "Access-Control-Allow-Methods" not in response
        assert "Access-Control-Allow-Headers" not in response


@listed
def test_the_admin_never_answers_another_origin(client, staff_client):
    for response in (
        client.get("/admin/login/", HTTP_ORIGIN=DASHBOARD),
        staff_client.get("/admin/", HTTP_ORIGIN=DASHBOARD),
        preflight(client, "/admin/login/", DASHBOARD, method="POST", headers="content-type"),
    ):
        assert "Access-Control-Allow-Origin" not in response
        assert "Access-Control-Allow-Credentials" not in response


def test_by_default_no_origin_is_listed(client):
    response = client.get("/api/v1/figures/", HTTP_ORIGIN=DASHBOARD)
    asked = preflight(client, "/api/v1/actors/by-external-id/ngo-7/", DASHBOARD)
    assert "Access-Control-Allow-Origin" not in response
    assert "Access-Control-Allow-Origin" not in asked
