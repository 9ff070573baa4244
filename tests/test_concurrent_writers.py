"""SQLite with concurrent writers: they wait their turn, and a database too busy is a 503.

A partner's sync pushes records from several threads at once, and the task worker
writes beside it (claiming tasks, recording deliveries). With SQLite's defaults most
of those writes failed at once with "database is locked", a 500. The settings now
start every transaction with BEGIN IMMEDIATE, wait for the lock (SQLITE_BUSY_TIMEOUT)
and use WAL (config/settings.py). The live test below runs what a user runs: a SQLite
file, the server in processes and threads of its own, the worker, six writers.

Should a writer still wait longer than the timeout (a huge import holding the lock),
the API answers 503 with Retry-After in the documented error shape, not a 500.
"""

import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
import requests
from django.db import OperationalError, connection
from django.test import Client

from tests.helpers import manage_process

ROOT = Path(__file__).resolve().parent.parent

WRITERS = 6
PUTS_PER_WRITER = 50
# Each writer first creates its records, then updates every one of them.
RECORDS_PER_WRITER = PUTS_PER_WRITER // 2

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="SQLite's single writer: the servers use a SQLite file of their own, so this "
    "runs once, in the SQLite run (PostgreSQL's row locks: tests/api/test_writes.py)",
)


# --- the live test -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """A migrated SQLite file with the cache table and a partner's write token.

    Made once (migrating takes seconds); each test works on a copy.
    """
    folder = tmp_path_factory.mktemp("writers")
    environment = server_environment(folder / "template.sqlite3")
    for args in (("migrate", "-v0"), ("createcachetable",)):
        done = manage_process(environment, *args)
        assert done.returncode == 0, done.stderr[-3000:]
    done = manage_process(
        environment, "create_partner_token", "--partner", "Syncing NGO", "--scope", "write"
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return folder / "template.sqlite3", done.stdout.strip().splitlines()[-1]


def server_environment(database: Path) -> dict:
    """Production-like settings on ``database``: DEBUG off, plain http on loopback."""
    import os

    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "SECRET_KEY": "test-only-key-for-the-concurrent-writers-test-0123456789",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        # The test's webhook receiver listens on this machine.
        "WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8,::1/128",
        # One token sends every request: throttling is not what is tested.
        "THROTTLE_PARTNER": "100000/minute",
    }
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    return environment


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(environment: dict, log: Path, *command: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, *command],
        cwd=ROOT,
        env=environment,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )


def wait_until_up(base: str, server: subprocess.Popen, log: Path) -> None:
    for _ in range(150):
        assert server.poll() is None, log.read_text()[-3000:]
        try:
            if requests.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass  # not listening yet, or still loading the application
        time.sleep(0.1)
    pytest.fail(f"the server did not start:\n{log.read_text()[-3000:]}")


def push(base: str, token: str, writer: int, statuses: Counter, failures: list) -> None:
    """One writer of a partner's sync: PUT its records by external id, then update them."""
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    for number in range(PUTS_PER_WRITER):
        record, round_ = number % RECORDS_PER_WRITER, number // RECORDS_PER_WRITER
        body = {
            "title": f"Writer {writer}, record {record}, round {round_}",
            "kind": "arrest",
            "country": "VE",
            "start_date": "2024-08-03",
            "visibility": "partners",
        }
        response = session.put(
            f"{base}/api/v1/incidents/by-external-id/w{writer}-r{record}/", json=body, timeout=60
        )
        statuses[response.status_code] += 1
        if response.status_code >= 500:
            failures.append(response.text[:300])


@sqlite_only
@pytest.mark.parametrize(
    "server",
    [
        # As `make run` serves: one process, a thread per request.
        pytest.param("manage.py runserver --noreload 127.0.0.1:{port}", id="runserver"),
        # As production serves: three processes.
        pytest.param(
            "-m gunicorn config.wsgi:application --workers 3 --bind 127.0.0.1:{port}",
            id="gunicorn",
        ),
    ],
)
def test_concurrent_writers_and_the_worker_share_a_sqlite_file(
    migrated, tmp_path, receiver, server
):
    template, token = migrated
    database = tmp_path / "db.sqlite3"
    shutil.copy(template, database)
    environment = server_environment(database)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    processes = [
        start(environment, tmp_path / "server.log", *server.format(port=port).split()),
        start(
            environment,
            tmp_path / "worker.log",
            *["manage.py", "db_worker", "--no-reload", "--interval", "0.1"],
        ),
    ]
    try:
        wait_until_up(base, processes[0], tmp_path / "server.log")
        # Every change makes a delivery for the worker to send while the writers write.
        subscription = requests.post(
            f"{base}/api/v1/webhooks/",
            json={"url": receiver.url_for("/hook"), "events": ["*"]},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        assert subscription.status_code == 201, subscription.text

        statuses, failures = Counter(), []
        writers = [
            threading.Thread(target=push, args=(base, token, writer, statuses, failures))
            for writer in range(WRITERS)
        ]
        for writer in writers:
            writer.start()
        for writer in writers:
            writer.join(timeout=120)

        assert sum(statuses.values()) == WRITERS * PUTS_PER_WRITER
        assert failures == [], f"{statuses}: {failures[:3]}"
        created = WRITERS * RECORDS_PER_WRITER
        assert statuses == {201: created, 200: created}

        # The worker delivers every event without a write of its own failing.
        with sqlite3.connect(database, timeout=30) as db:
            for _ in range(300):
                waiting = db.execute(
                    "SELECT count(*) FROM django_tasks_database_dbtaskresult"
                    " WHERE status IN ('READY', 'RUNNING')"
                ).fetchone()[0]
                if not waiting:
                    break
                time.sleep(0.1)
            tasks = dict(
                db.execute(
                    "SELECT status, count(*) FROM django_tasks_database_dbtaskresult"
                    " GROUP BY status"
                ).fetchall()
            )
            stored = dict(
                db.execute(
                    "SELECT external_id, title FROM incidents_incident"
                    " WHERE external_id LIKE 'w%-r%'"
                ).fetchall()
            )
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)

    assert stored == {
        f"w{writer}-r{record}": f"Writer {writer}, record {record}, round 1"
        for writer in range(WRITERS)
        for record in range(RECORDS_PER_WRITER)
    }
    # One delivery for each creation and each update (and no task failed or is left).
    assert tasks == {"SUCCESSFUL": 2 * created}, tasks
    assert len(receiver.log) == 2 * created
    for log in ("server.log", "worker.log"):
        assert "database is locked" not in (tmp_path / log).read_text(), log


# --- the settings: SQLite's alone --------------------------------------------------------


def database_options(**variables) -> dict:
    """``DATABASES["default"]["OPTIONS"]`` as config/settings.py builds it from ``variables``."""
    import json
    import os

    environment = {**os.environ, "DEBUG": "0", "SECRET_KEY": "x" * 50, **variables}
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json, config.settings as s;"
            " print(json.dumps(s.DATABASES['default']['OPTIONS']))",
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def test_sqlite_waits_for_the_write_lock_in_wal_mode():
    assert database_options(DATABASE_URL="sqlite:////tmp/any.sqlite3") == {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        # secure_delete: freed space is zeroed, so a purged value leaves the file.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA secure_delete=ON",
    }
    options = database_options(DATABASE_URL="sqlite:////tmp/any.sqlite3", SQLITE_BUSY_TIMEOUT="7")
    assert options["timeout"] == 7


def test_postgresql_settings_are_left_as_they_were():
    assert database_options(DATABASE_URL="postgres://u@db.internal:5432/name") == {
        "options": "-c jit=off"
    }


# --- past the busy timeout: 503 ----------------------------------------------------------


def busy(*args, **kwargs):
    raise OperationalError("database is locked")


@pytest.fixture
def locked_throttle(monkeypatch):
    """The throttle's write to the database cache (every API request makes one) waited
    for the write lock longer than the busy timeout."""
    from incidents.api.throttling import AnonymousRateThrottle

    monkeypatch.setattr(AnonymousRateThrottle, "allow_request", busy)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "detail"),
    [
        ("en", "The database is busy with other changes. Try again in a few seconds."),
        (
            "es",
            "La base de datos está ocupada con otros cambios. Inténtelo de nuevo en unos segundos.",
        ),
    ],
)
def test_a_busy_database_is_a_503_with_retry_after_in_the_callers_language(
    locked_throttle, language, detail
):
    response = Client(raise_request_exception=False).get(
        "/api/v1/terms/", HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json() == {
        "type": "server_error",
        "errors": [{"code": "database_busy", "detail": detail, "attr": None}],
    }


@pytest.mark.django_db
def test_a_busy_database_is_a_503_with_debug_on_too(locked_throttle, settings):
    settings.DEBUG = True
    response = Client(raise_request_exception=False).get("/api/v1/terms/")
    assert response.status_code == 503
    assert response.json()["errors"][0]["code"] == "database_busy"


@pytest.mark.django_db
def test_other_database_errors_stay_500s(monkeypatch):
    from incidents.api.throttling import AnonymousRateThrottle

    def broken(*args, **kwargs):
        raise OperationalError("no such table: django_cache")

    monkeypatch.setattr(AnonymousRateThrottle, "allow_request", broken)
    response = Client(raise_request_exception=False).get("/api/v1/terms/")
    assert response.status_code == 500
    assert "Retry-After" not in response


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "content_type"),
    [("/api/v1/terms/", "application/json"), ("/admin/login/", "text/plain; charset=utf-8")],
)
def test_a_busy_database_outside_the_api_s_views_is_a_503_as_well(monkeypatch, path, content_type):
    """A middleware's write (a session's, say) waited too long: Django's 500 handler answers."""
    from incidents.api.caching import PrivateAnswersMiddleware

    monkeypatch.setattr(PrivateAnswersMiddleware, "__call__", busy)
    response = Client(raise_request_exception=False).get(path)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Type"] == content_type
