"""Errors come in one JSON shape, with a 4xx for anything a client did wrong."""

import pytest

from incidents.models import Term

pytestmark = pytest.mark.django_db


def assert_error(response, status, code, attr=None):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["type"] in {"client_error", "validation_error"}
    assert {"code": code, "attr": attr} == {k: body["errors"][0][k] for k in ("code", "attr")}
    assert body["errors"][0]["detail"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/figures/not-a-uuid/",
        "/api/v1/figures/00000000-0000-0000-0000-000000000000/",
        "/api/v1/incidents/not-a-uuid/timeline/",
        "/api/v1/no-such-resource/",
        "/api/v2/figures/",
    ],
)
def test_what_does_not_exist_is_a_json_404(client, path):
    assert_error(client.get(path), 404, "not_found")


def test_anonymous_writes_need_credentials(client):
    response = client.post("/api/v1/figures/", {}, content_type="application/json")
    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_vocabulary_is_read_only_through_the_api(client):
    assert_error(client.delete("/api/v1/terms/x/"), 405, "method_not_allowed")
    assert_error(client.post("/api/v1/terms/", {}), 405, "method_not_allowed")


def test_a_page_past_the_end_is_a_404(client):
    assert_error(client.get("/api/v1/terms/", {"page": 999}), 404, "not_found")


def test_page_size_above_the_cap_is_served_at_the_cap(client):
    Term.objects.bulk_create(
        Term(vocabulary="method", code=f"method-{n}", label=f"Method {n}") for n in range(500)
    )
    response = client.get("/api/v1/terms/", {"page_size": 100_000})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] > 500
    assert len(body["results"]) == 500
    rest = client.get(body["next"]).json()
    assert len(rest["results"]) == body["count"] - 500


def test_admin_still_answers_html_404(client):
    response = client.get("/admin-nothing-here/")
    assert response.status_code == 404
    assert not response["Content-Type"].startswith("application/json")
