"""Request rates and body sizes: 429 and 413 in the API's one error shape."""

import json

import pytest
from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connection
from django.db.models import F

from incidents.models import Actor, ApiToken, Partner

pytestmark = pytest.mark.django_db

LIST = "/api/v1/terms/"


@pytest.fixture
def rates(settings):
    """Set throttle rates for one test; the throttles read them on every request."""
    cache.clear()

    def set_rates(**scopes):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {
                **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
                **scopes,
            },
        }

    yield set_rates
    cache.clear()


def bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def partner_token(name, scope="read"):
    _, secret = ApiToken.issue(partner=Partner.objects.create(name=name), scope=scope)
    return secret


def assert_throttled(response):
    assert response.status_code == 429, response.content
    assert response["Content-Type"].startswith("application/json")
    assert 0 < int(response["Retry-After"]) <= 60
    body = response.json()
    assert body["type"] == "client_error"
    assert body["errors"][0]["code"] == "throttled"
    assert body["errors"][0]["detail"]


def test_the_cache_table_exists_in_the_test_database():
    assert "django_cache" in connection.introspection.table_names()


def test_anonymous_clients_are_throttled_per_address(client, rates):
    rates(anon="3/minute")
    for _ in range(3):
        assert client.get(LIST).status_code == 200
    assert_throttled(client.get(LIST))
    # A forged X-Forwarded-For does not open a new bucket (no proxy is trusted).
    assert_throttled(client.get(LIST, HTTP_X_FORWARDED_FOR="203.0.113.9"))
    # Another address has its own.
    assert client.get(LIST, REMOTE_ADDR="198.51.100.7").status_code == 200


def test_throttle_state_is_kept_in_the_shared_cache(client, rates):
    rates(anon="3/minute")
    assert isinstance(caches["default"], DatabaseCache)
    assert client.get(LIST).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM django_cache")
        keys = [row[0] for row in cursor.fetchall()]
    assert any("throttle_anon_" in key for key in keys)


def test_partner_tokens_have_separate_buckets(client, rates):
    rates(partner="2/minute", anon="2/minute")
    first, second = partner_token("First partner"), partner_token("Second partner")
    for _ in range(2):
        assert client.get(LIST, **bearer(first)).status_code == 200
    assert_throttled(client.get(LIST, **bearer(first)))
    # Same address, other token: not throttled; tokens are counted per token, not per address.
    for _ in range(2):
        assert client.get(LIST, **bearer(second)).status_code == 200
    # Nor did the partners' requests use up the anonymous allowance of the address.
    for _ in range(2):
        assert client.get(LIST).status_code == 200
    assert_throttled(client.get(LIST))


def test_staff_are_throttled_per_user(staff_client, client, rates):
    rates(staff="2/minute", anon="1000/minute")
    for _ in range(2):
        assert staff_client.get(LIST).status_code == 200
    assert_throttled(staff_client.get(LIST))
    client.logout()
    assert client.get(LIST).status_code == 200


def test_an_oversized_body_is_refused_before_it_is_read(client):
    secret = partner_token("Writer", scope="write")
    body = json.dumps({"name": "Big", "kind": "ngo", "description": "x" * (2 * 1024 * 1024)})
    response = client.post(
        "/api/v1/actors/", body, content_type="application/json", **bearer(secret)
    )
    assert response.status_code == 413, response.content
    assert response.json() == {
        "type": "client_error",
        "errors": [
            {
                "code": "request_too_large",
                "detail": "The request body is larger than the limit of 1048576 bytes.",
                "attr": None,
            }
        ],
    }
    assert not Actor.objects.filter(name="Big").exists()


def test_the_bound_follows_the_setting(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    exactly = json.dumps({"name": "n" * 200})[:100]
    assert client.post(LIST, exactly, content_type="application/json").status_code != 413
    response = client.post(LIST, exactly + " ", content_type="application/json")
    assert response.status_code == 413
    assert response.json()["errors"][0]["code"] == "request_too_large"


def test_a_body_under_the_bound_reaches_the_view(client):
    secret = partner_token("Writer", scope="write")
    body = json.dumps({"name": "Small", "kind": "ngo", "description": "x" * 1000})
    response = client.post(
        "/api/v1/actors/", body, content_type="application/json", **bearer(secret)
    )
    assert response.status_code != 413, response.content
    # Without credentials the view answers (401), not the bound.
    response = client.post("/api/v1/actors/", body, content_type="application/json")
    assert response.status_code != 413


def test_a_malformed_content_length_is_refused(client):
    response = client.generic(
        "POST", "/api/v1/actors/", b"{}", content_type="application/json", CONTENT_LENGTH="12x"
    )
    assert response.status_code == 413
    assert response.json()["errors"][0]["code"] == "request_too_large"


def test_the_bound_is_for_the_api_only(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10
    # Django's own check still guards forms elsewhere: not the API's JSON 413.
    response = client.post("/admin/login/", {"username": "u" * 50, "password": "p"})
    assert response.status_code == 400
    assert not response["Content-Type"].startswith("application/json")


def test_repeated_wrong_tokens_are_throttled_for_the_window_the_message_states(client):
    import datetime

    from incidents.api.authentication import FAILURE_WINDOW, MAX_FAILURES_PER_MINUTE
    from incidents.models import FailedTokenAttempt

    wrong = {"HTTP_AUTHORIZATION": "Bearer irt_00000000_guess"}
    for _ in range(MAX_FAILURES_PER_MINUTE):
        assert client.get("/api/v1/terms/", **wrong).status_code == 401
    # Every failure counted (an insert each: none lost), and no address stored.
    assert FailedTokenAttempt.objects.count() == MAX_FAILURES_PER_MINUTE
    assert "127.0.0.1" not in FailedTokenAttempt.objects.first().client
    response = client.get("/api/v1/terms/", **wrong)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= FAILURE_WINDOW.total_seconds()
    # Failures while throttled do not push the window on: once the minute of the
    # first failures has passed, wrong tokens are answered 401 again.
    FailedTokenAttempt.objects.update(at=F("at") - datetime.timedelta(seconds=61))
    assert client.get("/api/v1/terms/", **wrong).status_code == 401


def test_a_valid_token_is_never_refused_for_others_failures(client):
    from incidents.api.authentication import MAX_FAILURES_PER_MINUTE
    from incidents.models import ApiToken, Partner

    _, secret = ApiToken.issue(partner=Partner.objects.create(name="Same office"), scope="read")
    wrong = {"HTTP_AUTHORIZATION": "Bearer irt_00000000_guess"}
    for _ in range(MAX_FAILURES_PER_MINUTE + 1):
        client.get("/api/v1/terms/", **wrong)
    assert client.get("/api/v1/terms/", **wrong).status_code == 429
    # The same address, a valid token: answered.
    response = client.get("/api/v1/terms/", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200


# --- nesting ---------------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [100_000, 33])
def test_json_nested_deeper_than_any_record_is_a_400(client, a, depth):
    body = "[" * depth + "]" * depth
    response = client.post("/api/v1/actors/", body, content_type="application/json", **a)
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["code"] == "parse_error" and "nested more than 32 levels" in error["detail"]


@pytest.mark.parametrize("fmt", ["application/json", "application/x-ndjson"])
def test_an_import_nested_too_deep_is_a_400(client, a, fmt):
    record = '{"name": "X", "kind": "ngo", "notes": ' + "[" * 100_000 + "]" * 100_000 + "}"
    body = f"[{record}]" if fmt == "application/json" else record + "\n"
    response = client.post("/api/v1/import/?resource=actors", body, content_type=fmt, **a)
    assert response.status_code == 400
    assert "nested more than 32 levels" in response.json()["errors"][0]["detail"]


def test_nesting_as_deep_as_the_limit_is_parsed():
    from incidents import limits

    limits.json_loads("[" * 32 + "]" * 32)
    with pytest.raises(limits.TooDeep):
        limits.json_loads("[" * 33 + "]" * 33)
