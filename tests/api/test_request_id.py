"""Every answer names its request, and a client's own id is kept only when harmless."""

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path", ["/api/v1/figures/", "/api/v1/nothing/", "/admin/login/", "/healthz"]
)
def test_every_answer_carries_a_new_request_id(client, path):
    first, second = client.get(path), client.get(path)
    assert re.fullmatch(r"[0-9a-f]{32}", first["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("sync-2025-01-07.42", True),
        ("a" * 64, True),
        ("a" * 65, False),
        ("x\r\nInjected: 1", False),
        ("ünï", False),
        ("", False),
    ],
)
def test_a_clients_own_request_id_is_kept_when_well_formed(client, sent, kept):
    answered = client.get("/api/v1/terms/", HTTP_X_REQUEST_ID=sent)["X-Request-ID"]
    assert (answered == sent) is kept
    if not kept:
        assert re.fullmatch(r"[0-9a-f]{32}", answered)


def test_browser_clients_on_allowed_origins_may_read_it(client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://dashboard.example.org"]
    response = client.get("/api/v1/terms/", HTTP_ORIGIN="https://dashboard.example.org")
    assert "x-request-id" in response["Access-Control-Expose-Headers"].lower()
