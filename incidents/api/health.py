"""Health endpoints for process supervisors, load balancers and Kubernetes probes.

- ``GET /healthz`` (liveness): the process answers. It touches nothing else, so a
  database outage never makes a supervisor restart healthy web processes.
- ``GET /readyz`` (readiness): this process can serve requests. Each check is
  reported; 200 when all pass, 503 naming the ones that fail:

  - ``database``: a ``SELECT 1`` answers;
  - ``migrations``: the database has every migration this code has (once true,
    remembered for the life of the process: the code cannot gain migrations while it
    runs);
  - ``cache``: the shared cache answers a read (the ``django_cache`` table exists,
    or Redis answers);
  - ``worker``: the task worker (``manage.py db_worker``) is keeping up. The database
    task backend keeps no heartbeat, so "seen recently" is read from the queue: it
    fails when a task has been waiting to run for more than
    ``READY_WORKER_STALE_SECONDS`` and no task at all started in that time. An idle
    worker with nothing to do passes (there is no way to tell it from a stopped one,
    and nothing waits); a worker working through a backlog passes; a stopped worker
    fails as soon as anything has waited that long. ``READY_WORKER_STALE_SECONDS=0``
    leaves the check out.

Both are plain Django views, outside the API's framework: no authentication, no
session, no throttling, no CSRF (they only answer GET and HEAD), never cached. They
read only, outside any transaction, so with SQLite a long write never holds them up.
Failures are logged here; the answer, which anyone may read, says which check failed
and what to do, never the error itself (it can name hosts and tables).
"""

import logging
from contextlib import nullcontext
from datetime import timedelta

from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Q
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_tasks import TaskResultStatus, task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max

logger = logging.getLogger(__name__)

# Set once this process has seen every migration applied (see the module).
_migrations_applied = False


class CheckFailed(Exception):
    """A readiness check did not pass; the message is what the answer says."""


@never_cache
@require_safe
def healthz(request):
    """Liveness: the process answers. No database, no cache."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request):
    """Readiness: every check's result; 503 when any fails."""
    connection = connections[DEFAULT_DB_ALIAS]
    checks = {}
    checks["database"] = _run("database", connection, lambda: _database(connection))
    database_ok = checks["database"]["ok"]
    checks["migrations"] = (
        _run("migrations", connection, lambda: _migrations(connection))
        if database_ok
        else _not_checked()
    )
    checks["cache"] = _run("cache", connection, _cache)
    if settings.READY_WORKER_STALE_SECONDS:
        checks["worker"] = _run("worker", connection, _worker) if database_ok else _not_checked()
    ready = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks},
        status=200 if ready else 503,
    )


def _run(name: str, connection, check) -> dict:
    """One check's result: ``{"ok": true}``, or ``{"ok": false, "detail": ...}``."""
    # Inside a transaction (a test's), a failed query would spoil the rest of it on
    # PostgreSQL: a savepoint contains it. A server runs in autocommit, where opening
    # a transaction would only make SQLite wait for the write lock.
    isolated = (
        transaction.atomic(using=connection.alias) if connection.in_atomic_block else nullcontext()
    )
    try:
        with isolated:
            check()
    except CheckFailed as failed:
        logger.warning("readyz: %s: %s", name, failed)
        return {"ok": False, "detail": str(failed)}
    except Exception:
        # The exception's text stays in the log: it can name hosts, users and tables.
        logger.exception("readyz: the %s check failed", name)
        return {"ok": False, "detail": str(_FAILED[name])}
    return {"ok": True}


def _not_checked() -> dict:
    return {"ok": False, "detail": _("Not checked: the database cannot be reached.")}


# What a failed check says when the failure was an error (translated when answered).
_FAILED = {
    "database": gettext_lazy("The database cannot be reached."),
    "migrations": gettext_lazy("The migrations could not be checked."),
    "cache": gettext_lazy(
        "The cache cannot be read: run manage.py createcachetable, or check REDIS_URL."
    ),
    "worker": gettext_lazy("The task queue could not be read."),
}


def _database(connection) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _migrations(connection) -> None:
    global _migrations_applied
    if _migrations_applied:
        return
    # The loader reads the migration files and the table of applied ones: costly
    # enough to do once, and once it has found nothing to apply, never again.
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise CheckFailed(_("Migrations are not applied: run manage.py migrate."))
    _migrations_applied = True


def _cache() -> None:
    # A read, never a write: with SQLite a write would wait for any write in progress.
    caches["default"].get("readyz:probe")


def _worker() -> None:
    if not isinstance(task_backends["default"], DatabaseBackend):
        return  # another backend's queue is not in this database: nothing to read
    seconds = settings.READY_WORKER_STALE_SECONDS
    cutoff = timezone.now() - timedelta(seconds=seconds)
    # A task enqueued to run at once carries the far-future run_after; a deferred one
    # (a webhook's retry) waits from its run_after.
    waiting_too_long = DBTaskResult.objects.filter(status=TaskResultStatus.READY).filter(
        Q(run_after=get_date_max(), enqueued_at__lt=cutoff) | Q(run_after__lt=cutoff)
    )
    if not waiting_too_long.exists():
        return
    # Something waits: a worker taking tasks (a backlog) is still seen. This second
    # query runs only then.
    if DBTaskResult.objects.filter(started_at__gte=cutoff).exists():
        return
    raise CheckFailed(
        _(
            "Tasks have waited more than %(seconds)d seconds and no worker took one: "
            "is manage.py db_worker running?"
        )
        % {"seconds": seconds}
    )
