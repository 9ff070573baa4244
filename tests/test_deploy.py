"""Production settings: `check --deploy` is clean, and debugging aids are off without DEBUG."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Only what a process needs to run; no settings variable of the calling shell leaks in.
PASSED_THROUGH = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")


def production_env(database: Path, **overrides: str) -> dict[str, str]:
    env = {name: os.environ[name] for name in PASSED_THROUGH if name in os.environ}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="records.example.org",
        DATABASE_URL=f"sqlite:///{database}",
    )
    env.update(overrides)
    return env


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def migrated_database(tmp_path_factory):
    """A migrated database of its own: the deploy checks generate the API schema, which reads it."""
    database = tmp_path_factory.mktemp("deploy") / "db.sqlite3"
    result = manage(production_env(database), "migrate", "--noinput", "-v0")
    assert result.returncode == 0, result.stdout + result.stderr
    return database


def test_the_deploy_checks_pass_with_production_settings(migrated_database):
    result = manage(
        production_env(migrated_database), "check", "--deploy", "--fail-level", "WARNING"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout + result.stderr


def test_the_deploy_checks_fail_on_a_weak_secret_key(migrated_database):
    result = manage(
        production_env(migrated_database, SECRET_KEY="too-short"),
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


@pytest.mark.django_db
def test_without_debug_the_api_does_not_render_html(client):
    from config import settings as loaded

    if loaded.DEBUG:
        pytest.skip("the settings were loaded with DEBUG on")
    response = client.get("/api/v1/terms/", HTTP_ACCEPT="text/html")
    assert not response["Content-Type"].startswith("text/html")
    assert b"<html" not in response.content.lower()
    assert response.status_code == 406
    assert response.json()["errors"][0]["code"] == "not_acceptable"
    # The same request asking for JSON is answered.
    assert client.get("/api/v1/terms/", HTTP_ACCEPT="application/json").status_code == 200


def test_a_server_process_starts_without_the_chart_library(tmp_path):
    # matplotlib costs a process about 0.6 s and 55 MB: only drawing a chart loads it.
    script = (
        "import sys, django; django.setup(); "
        "from django.urls import resolve; resolve('/api/v1/figures/'); resolve('/admin/'); "
        "import config.wsgi, incidents.admin; "
        "print('matplotlib' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=production_env(tmp_path / "db.sqlite3"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
