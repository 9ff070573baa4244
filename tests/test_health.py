"""Health probes: ``/healthz`` (the process answers) and ``/readyz`` (it can serve).

Each readiness check is made to fail the way it fails in production: a migration
recorded as unapplied, the cache table dropped, a task left waiting with no worker,
the database refusing queries. Whatever fails, the answer is JSON, 503, never cached,
and says which check failed without the error's own text.
"""

from datetime import timedelta

import pytest
from django.db import OperationalError, connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from incidents.api import health

CHECKS = {"database", "migrations", "cache", "worker"}


@pytest.fixture(autouse=True)
def migrations_not_yet_seen(monkeypatch):
    """Each test starts as a new process would: the migrations not yet found applied."""
    monkeypatch.setattr(health, "_migrations_applied", False)


def task(*, waited: timedelta, run_after=None, started: timedelta | None = None, status="READY"):
    """A task row as the worker's queue holds it, enqueued ``waited`` ago."""
    now = timezone.now()
    row = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="incidents.integration.webhooks.deliver",
        backend_name="default",
        status=status,
        run_after=run_after or get_date_max(),
        started_at=now - started if started is not None else None,
    )
    DBTaskResult.objects.filter(pk=row.pk).update(enqueued_at=now - waited)
    return row


def failing(response, check):
    """The body of a 503 in which ``check`` failed; asserts the shape of the answer."""
    assert response.status_code == 503, response.content
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"][check]["ok"] is False
    assert body["checks"][check]["detail"]
    return body


# --- /healthz -----------------------------------------------------------------------------


def test_healthz_answers_ok_without_touching_the_database(client):
    # No django_db mark: any query would raise here.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_healthz_answers_head_and_refuses_post(client):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


# --- /readyz: all passing ----------------------------------------------------------------


@pytest.mark.django_db
def test_readyz_reports_every_check_passing(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {name: {"ok": True} for name in CHECKS},
    }
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Type"] == "application/json"


@pytest.mark.django_db
def test_readyz_needs_no_credentials_and_ignores_bad_ones(client):
    response = client.get("/readyz", HTTP_AUTHORIZATION="Bearer irt_not-a-token")
    assert response.status_code == 200
    assert "sessionid" not in response.cookies and "csrftoken" not in response.cookies


@pytest.mark.django_db
def test_probes_are_not_throttled(client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1/minute", "partner": "1/minute", "staff": "1/minute"},
    }
    statuses = {client.get(path).status_code for path in ["/readyz", "/healthz"] * 3}
    assert statuses == {200}


@pytest.mark.django_db
def test_probes_are_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    # Everything else still is.
    assert client.get("/api/v1/terms/").status_code == 301


def statements(client, path) -> list[str]:
    """The SQL a request runs, without the savepoints only a test's transaction adds."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return [q["sql"] for q in queries if "SAVEPOINT" not in q["sql"]]


@pytest.mark.django_db
def test_readyz_costs_a_handful_of_queries_and_fewer_once_migrations_are_seen(client):
    # The first probe of a process reads the applied migrations as well (two queries).
    assert len(statements(client, "/readyz")) == 5
    # Then: SELECT 1, one cache read, one look at the task queue.
    assert len(statements(client, "/readyz")) == 3


def test_the_probes_are_not_in_the_api_schema():
    from pathlib import Path

    schema = (Path(__file__).resolve().parent.parent / "docs" / "openapi.yaml").read_text()
    assert "/healthz" not in schema and "/readyz" not in schema


# --- /readyz: each check failing -------------------------------------------------------------


@pytest.mark.django_db
def test_an_unapplied_migration_makes_readyz_fail(client):
    recorder = MigrationRecorder(connection)
    latest = recorder.migration_qs.filter(app="incidents").order_by("-name").first()
    recorder.record_unapplied("incidents", latest.name)
    body = failing(client.get("/readyz"), "migrations")
    assert "migrate" in body["checks"]["migrations"]["detail"]
    assert {name for name, check in body["checks"].items() if check["ok"]} == CHECKS - {
        "migrations"
    }


@pytest.mark.django_db
def test_migrations_found_applied_are_not_read_again(client):
    assert client.get("/readyz").status_code == 200
    MigrationRecorder(connection).migration_qs.filter(app="incidents").delete()
    # Code cannot gain migrations while its process runs: the answer stands.
    assert client.get("/readyz").status_code == 200


@pytest.mark.django_db
def test_a_missing_cache_table_makes_readyz_fail(client):
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE django_cache")
    body = failing(client.get("/readyz"), "cache")
    assert "createcachetable" in body["checks"]["cache"]["detail"]
    assert body["checks"]["database"] == body["checks"]["worker"] == {"ok": True}


@pytest.mark.django_db
def test_a_task_left_waiting_with_no_worker_makes_readyz_fail(client):
    task(waited=timedelta(minutes=5))
    body = failing(client.get("/readyz"), "worker")
    assert "db_worker" in body["checks"]["worker"]["detail"]


@pytest.mark.django_db
def test_a_retry_due_long_ago_and_not_taken_makes_readyz_fail(client):
    task(waited=timedelta(hours=1), run_after=timezone.now() - timedelta(minutes=5))
    failing(client.get("/readyz"), "worker")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "tasks",
    [
        pytest.param([{"waited": timedelta(seconds=30)}], id="a task enqueued just now"),
        pytest.param(
            [{"waited": timedelta(hours=1), "run_after": timezone.now() + timedelta(hours=1)}],
            id="a retry not yet due",
        ),
        pytest.param(
            [
                {"waited": timedelta(minutes=5)},
                {
                    "waited": timedelta(minutes=6),
                    "started": timedelta(seconds=5),
                    "status": "RUNNING",
                },
            ],
            id="a backlog the worker is working through",
        ),
        pytest.param(
            [{"waited": timedelta(days=1), "started": timedelta(days=1), "status": "SUCCESSFUL"}],
            id="only old finished tasks",
        ),
    ],
)
def test_the_worker_check_passes_while_nothing_waits_for_a_stopped_worker(client, tasks):
    for fields in tasks:
        task(**fields)
    assert client.get("/readyz").json()["checks"]["worker"] == {"ok": True}


@pytest.mark.django_db
def test_the_worker_check_follows_its_setting(client, settings):
    task(waited=timedelta(minutes=5))
    settings.READY_WORKER_STALE_SECONDS = 600
    assert client.get("/readyz").status_code == 200
    settings.READY_WORKER_STALE_SECONDS = 0
    response = client.get("/readyz")
    assert response.status_code == 200
    assert set(response.json()["checks"]) == CHECKS - {"worker"}


@pytest.mark.django_db
def test_a_database_that_refuses_queries_makes_readyz_fail_without_telling_why(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("could not connect to server at 10.9.8.7: secret detail")

    monkeypatch.setattr(connection, "cursor", refuse)
    body = failing(client.get("/readyz"), "database")
    assert body["checks"]["migrations"]["ok"] is False
    assert body["checks"]["worker"]["ok"] is False
    assert "10.9.8.7" not in str(body)


@pytest.mark.django_db
def test_readyz_speaks_the_callers_language(client):
    task(waited=timedelta(minutes=5))
    body = failing(client.get("/readyz", HTTP_ACCEPT_LANGUAGE="es"), "worker")
    assert "segundos" in body["checks"]["worker"]["detail"]


# --- the same probes outside the test client's defaults -----------------------------------


@pytest.mark.django_db
def test_a_probe_with_an_unknown_host_is_refused_as_documented(settings):
    # Probes that send the machine's address as Host need it in ALLOWED_HOSTS, or a
    # Host header of their own (docs/deployment.md): Django refuses others.
    client = Client(raise_request_exception=False)
    assert client.get("/healthz", HTTP_HOST="10.1.2.3:8000").status_code == 400
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "10.1.2.3"]
    assert client.get("/healthz", HTTP_HOST="10.1.2.3:8000").status_code == 200
