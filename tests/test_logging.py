"""The logs: JSON lines named by their request, security events, and nothing secret in them.

The run at the heart of this module reads restricted records whose every field holds
a marker word, through every door (the API with a partner's token, the admin as staff:
lists, pages, history, searches, exports), fails sign-ins, is refused, and breaks a
view; then it searches what the configured handler wrote for the markers, the token's
secret and the passwords. The handler is the one ``settings.LOGGING`` installs, with
its own filters and formatter, writing to a buffer instead of standard error.
"""

import io
import json
import logging
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client

from incidents.choices import Visibility
from incidents.logs import JsonFormatter, TextFormatter, current_request_id, safe_traceback
from incidents.models import ApiToken
from incidents.security import log_event
from tests.factories import CitationFactory, FigureFactory, IncidentFactory, SourceFactory
from tests.helpers import bearer

MARKER = "ZEBRA-WITNESS-7731"
PASSWORD = "KESTREL-PASSWORD-4410"
WRONG_PASSWORD = "OSPREY-GUESS-9902"


@pytest.fixture
def logged():
    """What the configured console handler writes during the test, as text."""
    (handler,) = [
        handler
        for handler in logging.getLogger().handlers
        if isinstance(handler.formatter, JsonFormatter)
    ]
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    yield buffer
    handler.setStream(previous)


def lines_of(buffer: io.StringIO) -> list[dict]:
    """Every line as JSON (a line that is not JSON fails here)."""
    return [json.loads(line) for line in buffer.getvalue().splitlines()]


@pytest.fixture
def restricted(partner_a):
    """Partner A's restricted records, the marker in every field staff and partners read."""
    source = SourceFactory(
        title=f"Testimony {MARKER}",
        text=f"The witness {MARKER} saw forty people taken away.",
        visibility=Visibility.RESTRICTED,
        owner=partner_a,
    )
    incident = IncidentFactory(
        title=f"Arrests seen by {MARKER}",
        summary=f"Told by {MARKER}.",
        visibility=Visibility.RESTRICTED,
        owner=partner_a,
    )
    figure = FigureFactory(incident=incident, visibility=Visibility.RESTRICTED, owner=partner_a)
    CitationFactory(figure=figure, source=source, quote=f"witness {MARKER} saw forty")
    return incident, source


def test_a_run_over_restricted_records_logs_no_restricted_value(
    logged, restricted, partner_a, token_a, django_user_model, monkeypatch
):
    incident, source = restricted
    _, secret = token_a
    _, read_secret = ApiToken.issue(partner=partner_a, scope="read")
    django_user_model.objects.create_superuser("curator", password=PASSWORD)
    viewer = django_user_model.objects.create_user("vera", password=PASSWORD, is_staff=True)
    from django.contrib.auth.models import Group

    viewer.groups.add(Group.objects.get(name="viewer"))
    answered = {}

    def call(name, client, method, path, data=None, **extra):
        """One request named ``name`` (its X-Request-ID); a streamed answer is read whole."""
        if data is not None:
            extra["data"] = data
        response = getattr(client, method)(path, HTTP_X_REQUEST_ID=name, **extra)
        if response.streaming:
            b"".join(response.streaming_content)
        assert response["X-Request-ID"] == name
        answered[name] = response.status_code
        return response

    partner = Client()
    api = bearer(secret)
    call("api-list", partner, "get", "/api/v1/incidents/", **api)
    call("api-detail", partner, "get", f"/api/v1/incidents/{incident.uuid}/", **api)
    call("api-search", partner, "get", f"/api/v1/incidents/?q={MARKER}", **api)
    call("api-sources", partner, "get", f"/api/v1/sources/{source.uuid}/", **api)
    call("api-export", partner, "get", f"/api/v1/figures/?format=csv&q={MARKER}", **api)
    call("api-bad-filter", partner, "get", f"/api/v1/incidents/?country={MARKER}", **api)
    assert answered["api-detail"] == 200 and answered["api-bad-filter"] == 400
    wrong = f"{secret[:-6]}ZZZZZZ"
    call("api-401", partner, "get", "/api/v1/incidents/", **bearer(wrong))
    call(
        "api-403",
        partner,
        "post",
        "/api/v1/incidents/",
        data=json.dumps({"title": MARKER}),
        content_type="application/json",
        **bearer(read_secret),
    )
    assert answered["api-401"] == 401 and answered["api-403"] == 403

    staff = Client()
    guessed = {"password": WRONG_PASSWORD}
    typed = {"password": PASSWORD}
    login = "/admin/login/"
    call("signin-failed-1", staff, "post", login, {"username": "curator", **guessed})
    call("signin-failed-2", staff, "post", login, {"username": "curator", **guessed})
    call("signin", staff, "post", login, {"username": "curator", **typed})
    assert answered["signin"] == 302
    admin = "/admin/incidents/incident"
    call("admin-list", staff, "get", f"{admin}/")
    call("admin-search", staff, "get", f"{admin}/?q={MARKER}")
    call("admin-change", staff, "get", f"{admin}/{incident.pk}/change/")
    call("admin-history", staff, "get", f"{admin}/{incident.pk}/history/")
    call("admin-source", staff, "get", f"/admin/incidents/source/{source.pk}/change/")
    call("staff-export", staff, "get", f"/api/v1/incidents/?format=csv&q={MARKER}")
    assert answered["admin-change"] == 200 and answered["admin-history"] == 200

    refused = Client()
    call("viewer-signin", refused, "post", "/admin/login/", {"username": "vera", **typed})
    call("admin-403", refused, "get", "/admin/auth/user/")
    assert answered["admin-403"] == 403

    from incidents.api import views

    def broken(self, request, *args, **kwargs):
        raise RuntimeError(f"could not show {MARKER} ({PASSWORD})")

    monkeypatch.setattr(views.IncidentViewSet, "retrieve", broken)
    failing = Client(raise_request_exception=False)
    call("api-500", failing, "get", f"/api/v1/incidents/{incident.uuid}/?q={MARKER}", **api)
    assert answered["api-500"] == 500

    output = logged.getvalue()
    lines = lines_of(logged)
    assert lines
    # Nothing restricted, secret or typed as a password, anywhere.
    for secret_text in (MARKER, secret, read_secret, wrong, PASSWORD, WRONG_PASSWORD):
        assert secret_text not in output, secret_text
    # Each line is named by the request it was written for.
    for line in lines:
        assert {"timestamp", "level", "logger", "message", "request_id"} <= line.keys()
        assert line["request_id"] in answered, line

    def named(name: str) -> list[dict]:
        return [line for line in lines if line["request_id"] == name]

    (error,) = [line for line in named("api-500") if line["level"] == "ERROR"]
    assert error["logger"] == "django.request"
    assert error["message"].endswith(f": /api/v1/incidents/{incident.uuid}/")
    assert "Traceback (most recent call last)" in error["exc_info"]
    assert "in broken" in error["exc_info"]  # the frame that raised
    assert "RuntimeError: (message withheld" in error["exc_info"]

    def event(name: str, kind: str) -> dict:
        (found,) = [line for line in named(name) if line.get("event") == kind]
        return found

    for name in ("signin-failed-1", "signin-failed-2"):
        failed = event(name, "signin.failed")
        assert failed["level"] == "WARNING"
        assert failed["logger"] == "incidents.security"
        assert failed["username"] == "curator"
        assert failed["address"] == "127.0.0.1"
    assert event("signin", "signin.succeeded")["level"] == "INFO"

    denied = event("api-401", "permission.denied")
    assert denied["level"] == "WARNING"
    assert (denied["method"], denied["path"], denied["status"]) == (
        "GET",
        "/api/v1/incidents/",
        401,
    )
    assert denied["token_prefix"] == secret.split("_")[1]
    denied = event("api-403", "permission.denied")
    assert (denied["status"], denied["token_prefix"]) == (403, read_secret.split("_")[1])
    denied = event("admin-403", "permission.denied")
    assert (denied["status"], denied["user"], denied["path"]) == (403, "vera", "/admin/auth/user/")
    # Security events are never below WARNING, but for the sign-ins that succeed.
    for line in lines:
        if line["logger"] == "incidents.security" and line["event"] in (
            "signin.failed",
            "permission.denied",
        ):
            assert line["level"] in ("WARNING", "ERROR", "CRITICAL")
    # Where a path was logged with its query string, the query string is gone.
    assert "?q=" not in output and "country=" not in output


def test_the_request_id_is_set_only_while_the_request_is_answered(client, logged, db):
    response = client.get("/api/v1/no-such-thing/")
    assert current_request_id.get() is None
    (line,) = lines_of(logged)
    assert line["request_id"] == response["X-Request-ID"]
    logging.getLogger("incidents").warning("outside any request")
    assert lines_of(logged)[-1]["request_id"] is None


def test_secrets_in_fields_and_messages_are_redacted(logged):
    token = "irt_0a1b2c3d_Qm9vbS1zZWNyZXQtdmFsdWUtdGhhdC1tdXN0LW5vdC1sZWFr"
    log_event(
        "token.issued",
        token_prefix="0a1b2c3d",
        password="hunter2-long-password",
        recovery_codes=["code-one-1111", "code-two-2222"],
        api_key="key-value-3333",
        headers={"Authorization": f"Bearer {token}", "Cookie": "sessionid=abc123456789"},
        note=f"sent {token} to the partner",
        status_code=201,
    )
    logging.getLogger("django.server").info(
        '"%s" %s %s', f"GET /api/v1/incidents/?q={MARKER} HTTP/1.1", "200", "512"
    )
    logging.getLogger("incidents").warning(
        "webhook to %s failed, Authorization: Bearer %s",
        f"https://partner.example.org/hook?key={MARKER}",
        token,
    )
    output = logged.getvalue()
    for secret_text in (
        "Qm9vbS1zZWNyZXQ",
        "hunter2",
        "code-one",
        "key-value",
        "abc123456789",
        MARKER,
    ):
        assert secret_text not in output, secret_text
    issued, served, webhook = lines_of(logged)
    assert issued["token_prefix"] == "0a1b2c3d"
    assert issued["status_code"] == 201
    assert issued["password"] == issued["recovery_codes"] == issued["api_key"] == "[redacted]"
    assert issued["headers"] == {"Authorization": "[redacted]", "Cookie": "[redacted]"}
    assert issued["note"] == "sent irt_0a1b2c3d_… to the partner"
    assert served["message"] == '"GET /api/v1/incidents/?… HTTP/1.1" 200 512'
    assert webhook["message"].startswith("webhook to https://partner.example.org/hook?… failed")


def test_a_traceback_names_each_exception_and_withholds_its_message():
    try:
        try:
            raise ValueError(f"duplicate key value ({MARKER})")
        except ValueError as error:
            raise RuntimeError(f"import failed on {MARKER}") from error
    except RuntimeError:
        text = safe_traceback(sys.exc_info())
    assert MARKER not in text
    assert text.count("Traceback (most recent call last):") == 2
    assert "ValueError: (message withheld" in text
    assert "RuntimeError: (message withheld" in text
    assert "test_a_traceback_names_each_exception_and_withholds_its_message" in text


def test_the_text_format_names_the_request_too():
    record = logging.LogRecord("incidents.security", logging.WARNING, __file__, 1, "x", (), None)
    record.msg = "permission.denied"
    record.request_id = "abc123"
    record.event = "permission.denied"
    line = TextFormatter().format(record)
    assert " WARNING incidents.security [abc123] permission.denied " in line
    assert "event='permission.denied'" in line


def run_with(environment: dict, code: str) -> subprocess.CompletedProcess:
    """Python with the production settings (no test settings), under ``environment``."""
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "SECRET_KEY": "x" * 50,
            "LOCAL_SETTINGS_FILE": "",
            "DATABASE_URL": "sqlite:///:memory:",
            **environment,
        },
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )


def test_security_events_are_logged_whatever_the_level():
    done = run_with(
        {"LOG_LEVEL": "ERROR"},
        "import logging; from incidents.security import log_event; "
        "logging.getLogger('incidents').warning('quiet'); log_event('token.revoked')",
    )
    assert done.returncode == 0, done.stderr
    (line,) = [json.loads(line) for line in done.stderr.splitlines()]
    assert (line["event"], line["level"]) == ("token.revoked", "WARNING")


def test_sql_and_its_parameters_are_never_logged():
    done = run_with(
        {"LOG_LEVEL": "DEBUG", "DEBUG": "1", "LOG_FORMAT": "text"},
        "import logging; from django.db import connection; "
        f"connection.cursor().execute('SELECT %s', ['{MARKER}']); "
        "logging.getLogger('incidents').debug('debug is on')",
    )
    assert done.returncode == 0, done.stderr
    assert "debug is on" in done.stderr
    assert MARKER not in done.stderr


@pytest.mark.parametrize(("variable", "value"), [("LOG_LEVEL", "LOUD"), ("LOG_FORMAT", "xml")])
def test_a_wrong_logging_setting_is_refused_with_its_name(variable, value):
    done = run_with({variable: value}, "pass")
    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr and variable in done.stderr
