"""How fast a partner's bulk import of figures is: figures a second, new, unchanged, changed.

``manage.py benchmark_import`` is its command line. A measurement, never a test:
nothing here asserts a time.

It makes its own data, so any database will do (an empty one included): a
partner with a write token, an incident with a detainee group, and a source
whose text holds every quote the batch cites. The batch is what a partner
sends: N figures, each with its one asserting citation, as a JSON array. It
is posted in process through the full stack (``django.test.Client``:
middleware, token authentication, throttling, the import view, the services,
the change feed and webhook fan-out at commit) three times:

- **created**: a batch of new external ids;
- **unchanged**: the same batch again (nothing is written);
- **updated**: the same batch with every value changed.

Each phase is timed K times (each repetition with external ids of its own),
on the batched path and, for a comparison, row by row (``bulk.row_by_row``,
the path imports took before), usually on fewer rows since it is slow; the
figures a second are comparable across sizes. Also timed: a background job
(``imports.run_job``: every row validated, then all written) of a new batch.

Requests run within the request whatever their size (``IMPORT_SYNC_MAX_ROWS``
is raised for the benchmark), and throttling stays in the stack at a rate
never reached (``benchmark.benchmark_settings``).

Everything runs inside one transaction that is rolled back at the end: the
partner, its token, the records, their history and change feed, the
throttle's counters. Nothing stays in the database. Since the transaction
never commits, what a commit costs (SQLite's write to disk, PostgreSQL's WAL
flush) is not in the numbers; the change feed and webhook deliveries are,
as they are written before the commit.
"""

from __future__ import annotations

import gc
import io
import json
import statistics
import time
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings

from incidents.integration import imports
from incidents.models import (
    ApiToken,
    Citation,
    DetaineeGroup,
    Figure,
    ImportJob,
    Incident,
    Partner,
    Source,
)
from incidents.perf import benchmark
from incidents.writes import bulk

PHASES = ("created", "unchanged", "updated")
MEASURES = ("detained", "still_detained", "released", "charged")
QUALIFIERS = ("exact", "at_least", "approximately", "more_than")
SENTENCES = 50  # distinct quotes the source's text holds
IMPORT = "/api/v1/import/?resource=figures"


class BenchmarkError(Exception):
    """An import did not do what the benchmark sent it to do."""


@contextmanager
def counting_queries():
    """Count the statements sent to the database (an ``executemany`` counts once).

    A wrapper rather than ``CaptureQueriesContext``, whose log keeps the last
    9,000 queries only and would slow every query down by logging it.
    """
    count = [0]

    def wrapper(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield count


@dataclass
class Phase:
    """The timings of one phase on one path."""

    path: str  # "batched" or "row by row"
    phase: str
    rows: int
    seconds: list[float] = field(default_factory=list)
    queries: int = 0

    @property
    def best(self) -> float:
        return self.rows / min(self.seconds)

    @property
    def median(self) -> float:
        return self.rows / statistics.median(self.seconds)

    def summary(self) -> dict:
        return {
            "path": self.path,
            "phase": self.phase,
            "rows": self.rows,
            "seconds": self.seconds,
            "queries": self.queries,
            "best_per_second": round(self.best),
            "median_per_second": round(self.median),
        }


@dataclass
class Results:
    rows: int
    repeat: int
    phases: list[Phase] = field(default_factory=list)
    # What the first "created" import left in the database, checked after it.
    written: dict[str, int] = field(default_factory=dict)

    def get(self, path: str, phase: str) -> Phase | None:
        return next((p for p in self.phases if p.path == path and p.phase == phase), None)


@dataclass
class _World:
    """What the benchmark's batches link to, and who sends them."""

    client: Client
    headers: dict
    partner: Partner
    token: ApiToken
    incident: Incident
    group: DetaineeGroup
    source: Source


def _sentence(n: int) -> str:
    return f"On day {n} the observers documented {n + 10} detentions in the region."


def _world() -> _World:
    suffix = uuid.uuid4().hex[:8]
    partner = Partner.objects.create(name=f"Import benchmark {suffix}")
    token, secret = ApiToken.issue(partner=partner, scope="write", name="benchmark_import")
    incident = Incident.objects.create(
        title=f"Import benchmark {suffix}",
        kind="mass_detention",
        country="VE",
        start_date=date(2024, 7, 29),
        visibility="public",
    )
    group = DetaineeGroup.objects.create(
        incident=incident, label=f"students {suffix}", age_min=18, age_max=25
    )
    source = Source.objects.create(
        kind="ngo_report",
        title=f"Import benchmark report {suffix}",
        date=date(2024, 12, 1),
        text=" ".join(_sentence(n) for n in range(SENTENCES)),
    )
    return _World(
        client=Client(),
        headers={"HTTP_AUTHORIZATION": f"Bearer {secret}"},
        partner=partner,
        token=token,
        incident=incident,
        group=group,
        source=source,
    )


def batch(world: _World, prefix: str, rows: int, shift: int = 0) -> str:
    """``rows`` figures as a partner sends them, as JSON; ``shift`` changes every value."""
    first = date(2024, 8, 1)
    items = []
    for n in range(rows):
        quoted = n % SENTENCES
        item = {
            "external_id": f"{prefix}-{n}",
            "incident": str(world.incident.uuid),
            "measure": MEASURES[n % len(MEASURES)],
            "value": quoted + 10 + shift,
            "qualifier": QUALIFIERS[n % len(QUALIFIERS)],
            "as_of": (first + timedelta(days=n % 120)).isoformat(),
            "note": f"Row {n} of the partner's export.",
            "citations": [
                {"source": str(world.source.uuid), "quote": _sentence(quoted), "stance": "asserts"}
            ],
        }
        if n % 10 == 0:
            item["group"] = str(world.group.uuid)
        items.append(item)
    return json.dumps(items)


def _post(world: _World, body: str, expected: dict) -> tuple[float, int]:
    """Send one batch; its time and number of queries. Checks the report's counts."""
    with counting_queries() as queries:
        started = time.perf_counter()
        response = world.client.post(
            IMPORT, body, content_type="application/json", secure=True, **world.headers
        )
        elapsed = time.perf_counter() - started
    report = response.json()
    counts = {name: report.get(name) for name in expected}
    if response.status_code != 200 or counts != expected:
        errors = report.get("errors", report)
        raise BenchmarkError(
            f"The import answered {response.status_code} with {counts}, not {expected}: "
            f"{str(errors)[:500]}"
        )
    return elapsed, queries[0]


def _check_written(world: _World, prefix: str, rows: int) -> dict[str, int]:
    """What a "created" import left: the figures, their citations, history and feed."""
    figures = Figure.objects.filter(owner=world.partner, external_id__startswith=f"{prefix}-")
    written = {
        "figures": figures.count(),
        "citations": Citation.objects.filter(figure__in=figures, stance="asserts").count(),
        "figure_history": Figure.history.filter(
            owner_id=world.partner.pk, external_id__startswith=f"{prefix}-"
        ).count(),
        "citation_history": Citation.history.filter(figure_id__in=figures.values("pk")).count(),
    }
    if set(written.values()) != {rows}:
        raise BenchmarkError(f"A batch of {rows} new figures left {written}.")
    return written


def _measure(world: _World, results: Results, path: str, rows: int, prefix: str) -> None:
    """One repetition of the three phases on one path."""
    body = batch(world, prefix, rows)
    changed = batch(world, prefix, rows, shift=1)
    expected = {
        "created": ({"created": rows, "updated": 0, "unchanged": 0}, body),
        "unchanged": ({"created": 0, "updated": 0, "unchanged": rows}, body),
        "updated": ({"created": 0, "updated": rows, "unchanged": 0}, changed),
    }
    for phase in PHASES:
        counts, text = expected[phase]
        seconds, queries = _post(world, text, counts)
        entry = results.get(path, phase)
        if entry is None:
            entry = Phase(path, phase, rows)
            results.phases.append(entry)
        entry.seconds.append(seconds)
        entry.queries = queries
        if phase == "created" and not results.written:
            results.written = _check_written(world, prefix, rows)


def _measure_job(world: _World, results: Results, rows: int, prefix: str) -> None:
    """A background job of new figures, as the task worker runs it (validate, then write)."""
    caller = imports.Caller(auth=world.token, via="api")
    body = io.BytesIO(batch(world, prefix, rows).encode())
    with imports.read_batch(body, "json", Figure, keep=0) as stored:
        job = imports.create_job(caller=caller, resource="figures", batch=stored, dry_run=False)
    with counting_queries() as queries:
        started = time.perf_counter()
        imports.run_job(job)
        elapsed = time.perf_counter() - started
    job = ImportJob.objects.get(pk=job.pk)
    if (job.status, job.created) != ("succeeded", rows):
        raise BenchmarkError(f"The job ended {job.status} with {job.created} created: {job.errors}")
    entry = results.get("background job", "created")
    if entry is None:
        entry = Phase("background job", "created", rows)
        results.phases.append(entry)
    entry.seconds.append(elapsed)
    entry.queries = queries[0]


class _Rollback(Exception):
    pass


def run(
    *,
    rows: int,
    repeat: int,
    baseline_rows: int,
    job: bool = True,
    progress: Callable[[str], None] = lambda message: None,
) -> Results:
    """Measure every phase ``repeat`` times; everything is rolled back at the end."""
    results = Results(rows=rows, repeat=repeat)
    limit = max(rows, baseline_rows)
    try:
        with (
            benchmark.benchmark_settings(),
            override_settings(IMPORT_SYNC_MAX_ROWS=limit),
            transaction.atomic(),
        ):
            world = _world()
            # Warm-up (connections, caches, lazily built serializers): not timed.
            _post(world, batch(world, "warm", 2), {"created": 2})
            for k in range(repeat):
                progress(f"repetition {k + 1} of {repeat}: batched, {rows} rows")
                _measure(world, results, "batched", rows, f"b{k}")
                if job:
                    progress(f"repetition {k + 1} of {repeat}: background job, {rows} rows")
                    _measure_job(world, results, rows, f"j{k}")
                if baseline_rows:
                    progress(f"repetition {k + 1} of {repeat}: row by row, {baseline_rows} rows")
                    with bulk.row_by_row():
                        _measure(world, results, "row by row", baseline_rows, f"r{k}")
            raise _Rollback
    except _Rollback:
        pass
    return results


def text_table(results: Results) -> str:
    """One line per path and phase: figures a second (best, median), seconds, queries."""
    lines = [
        f"{'path':<15} {'phase':<10} {'rows':>6} {'best/s':>9} {'median/s':>9} "
        f"{'best s':>8} {'queries':>8}"
    ]
    for entry in results.phases:
        lines.append(
            f"{entry.path:<15} {entry.phase:<10} {entry.rows:>6} {entry.best:>9,.0f} "
            f"{entry.median:>9,.0f} {min(entry.seconds):>8.3f} {entry.queries:>8}"
        )
    for phase in PHASES:
        fast, slow = results.get("batched", phase), results.get("row by row", phase)
        if fast and slow:
            lines.append(
                f"batched / row by row, {phase}: x{fast.median / slow.median:,.1f} (medians)"
            )
    return "\n".join(lines)


# --- Memory: one request built to exhaust it -------------------------------------------------

MEMORY_PATH = "/api/v1/import/?resource=actors&dry_run=true"
MEMORY_BYTES = 20 * 1024 * 1024


def tiny_rows(size: int) -> bytes:
    """A JSON array of empty objects about ``size`` bytes long: the most rows a byte buys."""
    rows = max(1, (size - 1) // 3)
    return b"[" + b"{}," * (rows - 1) + b"{}]"


def _status(key: str) -> int:
    with open("/proc/self/status") as lines:
        return next(int(line.split()[1]) * 1024 for line in lines if line.startswith(key))


def memory_case(*, size: int, max_rows: int, run_job: bool = False) -> dict:
    """Post ``tiny_rows(size)`` as a partner's dry run of actors; the process's memory around it.

    Within this process, in a transaction rolled back at the end: run it in a fresh
    one (``measure_memory``) so that nothing before it raised the high-water mark.
    ``IMPORT_MAX_ROWS`` is ``max_rows``, ``IMPORT_MAX_BYTES`` at least the body. With
    ``run_job``, a job the request stored is then run as the worker runs it, and the
    peak is the job's too. Linux only (``/proc``).
    """
    body = tiny_rows(size)
    limits = {
        "IMPORT_MAX_ROWS": max_rows,
        "IMPORT_MAX_BYTES": max(settings.IMPORT_MAX_BYTES, len(body)),
    }
    result: dict = {"bytes": len(body), "rows": body.count(b"{}"), "max_rows": max_rows}
    try:
        with (
            benchmark.benchmark_settings(),
            override_settings(**limits),
            transaction.atomic(),
        ):
            world = _world()
            # Warm-up (URLconf, serializers, the token's throttle entry): not measured.
            world.client.post(
                MEMORY_PATH, b"[{}]", content_type="application/json", secure=True, **world.headers
            )
            gc.collect()
            result["rss_before"] = _status("VmRSS:")
            started = time.perf_counter()
            # A job to run is asked for, whatever IMPORT_SYNC_MAX_ROWS says of its rows.
            path = f"{MEMORY_PATH}&background=true" if run_job else MEMORY_PATH
            response = world.client.post(
                path, body, content_type="application/json", secure=True, **world.headers
            )
            result["seconds"] = round(time.perf_counter() - started, 2)
            result["rss_peak_request"] = _status("VmHWM:")
            result["status"] = response.status_code
            result["answer"] = response.content[:300].decode("utf-8", "replace")
            for job in ImportJob.objects.filter(partner=world.partner):
                if run_job:
                    started = time.perf_counter()
                    imports.run_job(job)
                    result["job_seconds"] = round(time.perf_counter() - started, 2)
                    result["rss_peak_job"] = _status("VmHWM:")
                    job.refresh_from_db()
                    result["job_status"] = job.status
                imports.discard_payload(job)  # the rollback keeps no job to name it
            raise _Rollback
    except _Rollback:
        pass
    return result


# Run in a fresh interpreter by ``measure_memory``: set up Django, then one memory case.
MEMORY_SCRIPT = """
import json, os, sys
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()
from incidents.perf import benchmark_import
size, max_rows, run_job = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "job"
print(json.dumps(benchmark_import.memory_case(size=size, max_rows=max_rows, run_job=run_job)))
"""


def measure_memory(*, size: int, max_rows: int, run_job: bool = False) -> dict:
    """``memory_case`` in a new process, whose peak resident memory is then the case's own.

    The whole process's (interpreter, Django, the driver), as a server must have
    room for; tracemalloc would see Python's allocations only.
    """
    completed = benchmark.in_new_process(
        MEMORY_SCRIPT, str(size), str(max_rows), "job" if run_job else ""
    )
    if completed is None:
        raise BenchmarkError("Memory is measured from /proc: Linux only.")
    if completed.returncode != 0:
        raise BenchmarkError(f"The memory case failed: {completed.stderr[-2000:]}")
    return json.loads(completed.stdout.splitlines()[-1])


def memory_cases(*, size: int = MEMORY_BYTES, job_rows: int | None = None) -> list[dict]:
    """The cases ``benchmark_import --memory`` prints, each in a fresh process.

    - ``size`` bytes of ``{}`` rows at the configured ``IMPORT_MAX_ROWS``: refused;
    - the same with the cap raised above its rows: read, counted and stored for a job;
    - ``job_rows`` ``{}`` rows (the cap, by default) stored and run as the worker runs
      a job: every row fails, so its report is as large as a report gets per row.
    """
    cap = settings.IMPORT_MAX_ROWS
    job_rows = cap if job_rows is None else job_rows
    rows = len(tiny_rows(size)) // 3
    cases = [
        ("request, IMPORT_MAX_ROWS as configured", size, cap, False),
        ("request, IMPORT_MAX_ROWS above its rows", size, rows + 1, False),
        ("request and its job, run", job_rows * 3 + 1, max(job_rows, 1), True),
    ]
    results = []
    for name, case_size, max_rows, run_job in cases:
        result = measure_memory(size=case_size, max_rows=max_rows, run_job=run_job)
        results.append({"case": name, **result})
    return results


def memory_table(results: list[dict]) -> str:
    """One line per case: body, rows, the answer, time, resident memory before and at peak."""

    def mb(value) -> str:
        return "" if value is None else f"{value / 2**20:,.1f}"

    lines = [
        f"{'case':<40} {'bytes':>11} {'rows':>10} {'max rows':>10} {'status':>6} "
        f"{'seconds':>8} {'RSS before MB':>13} {'peak MB':>8} {'job peak MB':>11}"
    ]
    for r in results:
        lines.append(
            f"{r['case']:<40} {r['bytes']:>11,} {r['rows']:>10,} {r['max_rows']:>10,} "
            f"{r['status']:>6} {r['seconds'] + r.get('job_seconds', 0):>8.2f} "
            f"{mb(r['rss_before']):>13} {mb(r['rss_peak_request']):>8} "
            f"{mb(r.get('rss_peak_job')):>11}"
        )
    return "\n".join(lines)
