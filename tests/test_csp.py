"""The Content-Security-Policy header: on every answer, a fresh nonce on each page.

The browser tests (tests/browser/test_csp.py) show the pages work under it; these show
what each kind of answer carries, and that the templates leave nothing inline that
would need more than a nonce.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from tests.factories import CitationFactory, IncidentFactory

HEADER = "Content-Security-Policy"
TEMPLATES = Path(settings.BASE_DIR) / "incidents" / "templates"


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def nonce_of(policy: str, directive: str = "script-src") -> str:
    (nonce,) = [
        value[len("'nonce-") : -1]
        for value in directives(policy)[directive]
        if value.startswith("'nonce-")
    ]
    return nonce


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_a_page_with_inline_code_gets_a_fresh_nonce_on_every_answer(client, path):
    first, second = client.get(path), client.get(path)
    assert first.status_code == second.status_code == 200
    nonces = {nonce_of(first[HEADER]), nonce_of(second[HEADER])}
    assert len(nonces) == 2
    for response in (first, second):
        nonce = nonce_of(response[HEADER])
        assert nonce_of(response[HEADER], "style-src") == nonce
        # Each inline script and style of the page carries it, and no other.
        html = response.content.decode()
        inline = re.findall(r"<(?:script|style)(?![^>]*\bsrc=)[^>]*>", html)
        assert inline
        assert all(f'nonce="{nonce}"' in tag for tag in inline), inline


@pytest.mark.django_db
def test_pages_get_the_strict_page_policy(client):
    policy = directives(client.get("/admin/login/")[HEADER])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # no inline script on the page: no nonce
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    everything = " ".join(value for values in policy.values() for value in values)
    assert "'unsafe-eval'" not in everything
    assert "'unsafe-inline'" not in everything


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/incidents/",
        "/api/v1/incidents/?format=csv",
        "/api/v1/no-such-thing/",
        "/api/schema/",
        "/healthz",
    ],
)
def test_answers_that_are_data_may_load_and_run_nothing(client, path):
    response = client.get(path)
    policy = directives(response[HEADER])
    assert policy == {
        "default-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'none'"],
        "frame-ancestors": ["'none'"],
    }, path


@pytest.mark.django_db
def test_a_chart_opened_on_its_own_keeps_its_styles_and_runs_nothing(client):
    incident = IncidentFactory()
    CitationFactory(figure__incident=incident)
    response = client.get(f"/api/v1/incidents/{incident.uuid}/chart/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    policy = directives(response[HEADER])
    assert policy["default-src"] == ["'none'"]
    assert policy["style-src"] == ["'unsafe-inline'"]
    assert "script-src" not in policy


@pytest.mark.django_db
def test_report_only_sends_the_same_policy_for_browsers_to_report(client):
    page_policy = settings.CONTENT_SECURITY_POLICY
    with override_settings(
        CONTENT_SECURITY_POLICY=None, CONTENT_SECURITY_POLICY_REPORT_ONLY=page_policy
    ):
        page = client.get("/api/docs/")
        data = client.get("/api/v1/incidents/")
    for response in (page, data):
        assert HEADER not in response
        assert "Content-Security-Policy-Report-Only" in response
    assert "'nonce-" in page["Content-Security-Policy-Report-Only"]
    assert "default-src 'none'" in data["Content-Security-Policy-Report-Only"]


@pytest.mark.django_db
def test_violations_are_reported_where_the_operator_says(client):
    report = {"report-uri": ["https://reports.example.org/csp"], "report-to": "csp-endpoint"}
    policy = {"DIRECTIVES": {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"], **report}}
    with override_settings(
        CONTENT_SECURITY_POLICY=policy,
        REPORTING_ENDPOINTS={"csp-endpoint": "https://reports.example.org/reporting"},
    ):
        for path in ("/admin/login/", "/api/v1/incidents/"):
            response = client.get(path)
            parsed = directives(response[HEADER])
            assert parsed["report-uri"] == ["https://reports.example.org/csp"], path
            assert parsed["report-to"] == ["csp-endpoint"], path
            assert response["Reporting-Endpoints"] == (
                'csp-endpoint="https://reports.example.org/reporting"'
            )


def test_the_policy_is_read_from_the_environment():
    code = (
        "from django.conf import settings; import json; print(json.dumps(default=str, obj=["
        "settings.CONTENT_SECURITY_POLICY, settings.CONTENT_SECURITY_POLICY_REPORT_ONLY, "
        "settings.REPORTING_ENDPOINTS]))"
    )
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "x" * 50,
        "LOCAL_SETTINGS_FILE": "",
        "CSP_REPORT_ONLY": "1",
        "CSP_REPORT_URI": "https://reports.example.org/csp",
        "CSP_REPORT_TO": "https://reports.example.org/reporting",
    }
    done = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=environment,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )
    assert done.returncode == 0, done.stderr
    enforced, report_only, endpoints = json.loads(done.stdout)
    assert enforced is None
    assert report_only["DIRECTIVES"]["report-uri"] == ["https://reports.example.org/csp"]
    assert report_only["DIRECTIVES"]["report-to"] == "csp-endpoint"
    assert endpoints == {"csp-endpoint": "https://reports.example.org/reporting"}


def test_templates_leave_nothing_inline_without_a_nonce():
    """Inline scripts and styles carry the nonce; no event handler or style attribute."""
    problems = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text()
        for tag in re.findall(r"<(?:script|style)\b[^>]*>", text):
            if "src=" not in tag and "nonce=" not in tag:
                problems.append(f"{path.name}: {tag}")
        for attribute in re.findall(r"\s(on[a-z]+|style)\s*=", text):
            problems.append(f"{path.name}: {attribute}=")
        if "javascript:" in text:
            problems.append(f"{path.name}: javascript: URL")
    assert not problems, problems
