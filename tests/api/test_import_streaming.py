"""An import is read as a stream, within bounds, and what it stores is deleted in time.

A batch is read a row at a time (``incidents.integration.batches``): no request
holds its whole body, or all its rows, in memory. These tests check the bounds
(rows, bytes, one row's size, nesting) and that they are applied as the body is
read, not after; that bad input of every kind is a 4xx naming what is wrong; that
a background job's batch waits in the import storage, not in the database, and is
deleted once the job has run; and that jobs and their reports are purged after
``IMPORT_RETENTION_DAYS``. The memory a request takes is measured, not tested:
``manage.py benchmark_import --memory`` (docs/benchmarks.md).
"""

import io
import json
import os
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from incidents import limits
from incidents.integration import batches, imports
from incidents.models import Actor, Figure, ImportJob
from tests.api.test_import import (
    CONTENT_TYPES,
    IMPORT,
    admin_url,
    figure_row,
    upload,
    worker_runner,
)
from tests.factories import IncidentFactory, SourceFactory

pytestmark = pytest.mark.django_db

ES = {"HTTP_ACCEPT_LANGUAGE": "es"}
BOM = "\ufeff".encode()


@pytest.fixture(autouse=True)
def english_afterwards():
    """LocaleMiddleware leaves the last request's language active in this thread."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def spool(settings, tmp_path):
    """An import storage of each test's own, so that what a test leaves there is its own."""
    imports_storage = settings.STORAGES["imports"]
    settings.STORAGES = {
        **settings.STORAGES,
        "imports": {
            **imports_storage,
            "OPTIONS": {**imports_storage["OPTIONS"], "location": tmp_path / "spool"},
        },
    }
    return imports.spool_storage()


@pytest.fixture
def ctx():
    """Public staff records that imported figures point at."""
    return SimpleNamespace(incident=IncidentFactory(), source=SourceFactory())


@pytest.fixture
def worker(monkeypatch):
    """Run the task worker until the queue is empty."""
    return worker_runner(monkeypatch)


def files(storage) -> list[str]:
    """The batches in the import storage."""
    try:
        return sorted(storage.listdir("")[1])
    except FileNotFoundError:  # nothing stored yet
        return []


def actor(n: int, **changes) -> dict:
    return {"external_id": f"act-{n}", "name": f"Comité {n}", "kind": "ngo", **changes}


def post(client, headers, body: bytes | str, fmt="json", query="resource=actors", **extra):
    # CONTENT_TYPE too: the test client leaves it out of a request with an empty body.
    return client.post(
        f"{IMPORT}?{query}",
        body,
        content_type=CONTENT_TYPES[fmt],
        CONTENT_TYPE=CONTENT_TYPES[fmt],
        **headers,
        **extra,
    )


def errors(response) -> list[tuple[str, str, str]]:
    return [(e["attr"], e["code"], e["detail"]) for e in response.json()["errors"]]


def stored(job: ImportJob) -> bytes:
    with imports.spool_storage().open(job.payload_file, "rb") as file:
        return file.read()


class Counting(io.BytesIO):
    """A request body that counts what is read of it."""

    def __init__(self, data: bytes):
        super().__init__(data)
        self.taken = 0

    def read(self, size=-1):
        chunk = super().read(size)
        self.taken += len(chunk)
        return chunk


class Trickle(io.BytesIO):
    """A request body that arrives a byte at a time: every boundary falls everywhere."""

    def read(self, size=-1):
        return super().read(1 if size is None or size < 0 else min(size, 1))


# --- The rows cap ------------------------------------------------------------------------------


def test_a_batch_over_the_rows_cap_is_a_413_that_says_the_cap(client, a, settings):
    settings.IMPORT_MAX_ROWS = 3
    response = post(client, a, json.dumps([actor(n) for n in range(4)]))
    assert response.status_code == 413
    assert errors(response) == [
        (
            None,
            "request_too_large",
            "An import may have at most 3 records; send the others in another batch.",
        )
    ]
    assert not Actor.objects.exists()
    assert not ImportJob.objects.exists()


def test_the_rows_cap_is_said_in_the_callers_language(client, a, settings):
    settings.IMPORT_MAX_ROWS = 3
    response = post(client, a, json.dumps([actor(n) for n in range(4)]), **ES)
    assert response.status_code == 413
    assert errors(response)[0][2] == (
        "Una importación puede tener como máximo 3 registros; envíe los demás en otro lote."
    )


@pytest.mark.parametrize("fmt", ["json", "ndjson", "csv"])
def test_the_rows_cap_holds_in_every_format_and_in_the_background(client, a, settings, fmt):
    settings.IMPORT_MAX_ROWS = 3
    settings.IMPORT_SYNC_MAX_ROWS = 1  # a job's batch, were it accepted
    rows = [actor(n) for n in range(4)]
    if fmt == "json":
        body = json.dumps(rows)
    elif fmt == "ndjson":
        body = "\n".join(json.dumps(row) for row in rows)
    else:
        body = "external_id,name,kind\n" + "".join(f"act-{n},C {n},ngo\n" for n in range(4))
    assert post(client, a, body, fmt).status_code == 413
    assert post(client, a, body, fmt, query="resource=actors&background=true").status_code == 413
    settings.IMPORT_MAX_ROWS = 4
    assert post(client, a, body, fmt).status_code == 202
    assert ImportJob.objects.get().total_rows == 4


def test_a_batch_as_large_as_the_cap_is_imported(client, a, settings):
    settings.IMPORT_MAX_ROWS = 3
    response = post(client, a, json.dumps([actor(n) for n in range(3)]))
    assert response.status_code == 200, response.content
    assert Actor.objects.count() == 3


def test_the_rows_after_the_cap_are_not_read(client, a, settings):
    # What follows the row too many is not JSON at all: had it been read, the answer would be
    # a 400 about it. A megabyte of it, so that it is not all in the parser's first chunk.
    settings.IMPORT_MAX_ROWS = 3
    body = json.dumps([actor(n) for n in range(4)])[:-1] + ", " + "x" * 1_000_000
    response = post(client, a, body)
    assert response.status_code == 413
    assert "at most 3 records" in errors(response)[0][2]


def test_reading_stops_at_the_row_too_many_in_every_format(settings):
    settings.IMPORT_MAX_ROWS = 3
    many = 500_000
    bodies = {
        "json": b"[" + b"{}," * many + b"{}]",
        "ndjson": b"{}\n" * many,
        "csv": b"external_id,name\n" + b"a,b\n" * many,
    }
    for fmt, body in bodies.items():
        source = Counting(body)
        with pytest.raises(batches.TooLarge):
            imports.read_batch(source, fmt, Actor, keep=0)
        # What was read: the first chunks, not the 1.5 to 2 MB sent.
        assert source.taken <= 2 * batches.READ_CHUNK, (fmt, source.taken)


# --- The bytes cap ------------------------------------------------------------------------------


def test_the_bytes_cap_is_checked_as_the_body_is_read(settings):
    """Whatever Content-Length said (the middleware refuses a larger one): one byte past it."""
    settings.IMPORT_MAX_BYTES = 100_000
    source = Counting(b"[" + b"{}," * 1_000_000 + b"{}]")
    with pytest.raises(batches.TooLarge) as refused:
        imports.read_batch(source, "json", Actor, keep=0)
    assert source.taken == 100_001
    assert refused.value.message == "An import may be at most 100000 bytes."


def test_a_body_over_the_bytes_cap_is_refused_before_it_is_read(client, a, settings):
    settings.IMPORT_MAX_BYTES = 1000
    response = post(client, a, json.dumps([actor(n) for n in range(50)]), **ES)
    assert response.status_code == 413
    assert errors(response)[0][1:] == (
        "request_too_large",
        "El cuerpo de la solicitud supera el límite de 1000 bytes.",
    )
    assert not Actor.objects.exists()


def test_the_default_caps_are_50_mb_and_100000_rows():
    from config import settings as defaults

    assert defaults.IMPORT_MAX_BYTES == 50 * 1024 * 1024
    assert defaults.IMPORT_MAX_ROWS == 100_000
    assert defaults.IMPORT_RETENTION_DAYS == 30


# --- One row: nesting and size --------------------------------------------------------------


def nested(depth: int) -> str:
    """A row whose ``description`` nests lists so that its deepest is at ``depth``."""
    # The array is level 1 and the row level 2: the description's lists start at 3.
    lists = depth - 2
    return json.dumps([actor(1)])[:-2] + ', "description": ' + "[" * lists + "]" * lists + "}]"


def test_a_row_nested_deeper_than_any_record_is_a_400_with_the_usual_message(client, a):
    response = post(client, a, nested(limits.MAX_JSON_DEPTH + 1))
    assert response.status_code == 400
    assert errors(response) == [
        ("body", "invalid", "The JSON is nested more than 32 levels deep; no record is.")
    ]


def test_nesting_as_deep_as_the_limit_reaches_the_row_checks(client, a):
    response = post(client, a, nested(limits.MAX_JSON_DEPTH))
    assert response.status_code == 422  # a list is no description: the row's own error
    assert [e["field"] for e in response.json()["errors"]] == ["description"]


def test_nesting_is_refused_as_it_is_read(client, a):
    """A row of brackets is refused at the 33rd level, not parsed (nor built) to its end."""
    body = '[{"name": ' + "[" * 5_000_000
    source = Counting(body.encode())
    with pytest.raises(batches.BatchError):
        imports.read_batch(source, "json", Actor, keep=0)
    assert source.taken <= 2 * batches.READ_CHUNK
    assert post(client, a, body).status_code == 400


def test_a_row_of_too_many_values_is_a_400(client, a):
    row = actor(1, description=list(range(batches.MAX_ROW_VALUES)))
    response = post(client, a, json.dumps([actor(0), row]))
    assert response.status_code == 400
    assert errors(response)[0][2] == (
        "Record 2 of the array holds more than 1000 values; no record does."
    )
    line = post(client, a, json.dumps(row) + "\n", "ndjson")
    assert errors(line)[0][2] == "Line 1 holds more than 1000 values; no record does."


def test_a_csv_record_longer_than_any_record_is_a_400(client, a):
    header = "external_id,name,kind\n"
    record = ",".join(["x"] * (batches.MAX_CSV_RECORD // 2 + 1)) + "\n"
    response = post(client, a, header + "a,b,ngo\n" + record, "csv")
    assert response.status_code == 400
    assert errors(response)[0][2] == (
        "Row 2 of the CSV is longer than 1048576 characters; no record is."
    )
    many = ",".join(f"c{n}" for n in range(batches.MAX_CSV_COLUMNS + 1)) + "\n"
    response = post(client, a, many, "csv")
    assert errors(response)[0][2] == "The CSV header names 1001 columns; a record has at most 1000."


# --- Bad input: always a 4xx -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "body", "message"),
    [
        ("json", b"", "The body is not valid JSON: parse error: premature EOF."),
        (
            "json",
            b"[{}, {",
            "The body is not valid JSON after record 1: parse error: premature EOF.",
        ),
        ("json", b'[{"name": "x"}] [', "after record 1: parse error: trailing garbage"),
        ("json", b'{"name": "x"}', "Send a JSON array of records"),
        ("json", b'"actors"', "Send a JSON array of records"),
        ("json", b'[{"name": "x"}, "y"]', "Record 2 of the array is not a JSON object."),
        ("json", b"[[]]", "Record 1 of the array is not a JSON object."),
        ("json", b"[NaN]", "The body is not valid JSON: lexical error: invalid char in json text."),
        ("json", b'[{"n": 1e999}]', "numeric (floating point) overflow"),
        ("json", b'[{"n": 99999999999999999999}]', "integer overflow"),
        ("json", b'[{"name": "caf\xe9"}]', "The body is not UTF-8 text (byte 14 cannot be read)."),
        ("json", b'[{"name": "\xe2\x82"}]', "The body is not UTF-8 text (byte 11 cannot be read)."),
        ("json", b'[{"name": "a\x00"}]', "The body contains a NUL character."),
        ("json", b'[{"name": "\\ud800"}]', "The \\u escape at byte 11 is half of a character"),
        ("json", b'[{"name": "\\udc00x"}]', "The \\u escape at byte 11 is half of a character"),
        ("json", b'[{"name": "\\ud800\\u0041"}]', "The \\u escape at byte 11 is half of a"),
        ("ndjson", b'{"name": "x"}\n{"name": \n', "Line 2 is not valid JSON: parse error"),
        ("ndjson", b'{"name": "x"} {"name": "y"}\n', "Line 1 is not valid JSON: parse error"),
        ("ndjson", b'{"name": "x"}\n\n[1]\n', "Line 3 is not a JSON object."),
        ("ndjson", b'{"name": "\\udfff"}\n', "The \\u escape at byte 10 is half of a character"),
        ("csv", b"external_id,name\na,caf\xe9\n", "The body is not UTF-8 text (byte 22"),
        ("csv", b"", "The batch has no records."),
        ("csv", b"\n\n", "The batch has no records."),
        ("csv", b"external_id,name\n", "The batch has no records."),
        ("csv", b"external_id,name\na," + b"x" * 131_073 + b"\n", "The CSV cannot be read"),
    ],
)
def test_a_batch_that_cannot_be_read_is_a_400_saying_why(client, a, fmt, body, message):
    response = post(client, a, body, fmt)
    assert response.status_code == 400, response.content
    [(attr, code, detail)] = errors(response)
    assert (attr, code) == ("body", "invalid")
    assert message in detail
    assert not Actor.objects.exists()
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize("content_type", ["application/xml", "text/csv; charset=utf-16"])
def test_another_content_type_is_a_415(client, a, content_type):
    response = client.post(f"{IMPORT}?resource=actors", b"[]", content_type=content_type, **a)
    assert response.status_code == 415


def test_a_non_object_row_is_refused_in_spanish(client, a):
    response = post(client, a, b'[{"name": "x"}, 3]', **ES)
    assert errors(response)[0][2] == "El registro 2 del arreglo no es un objeto JSON."


def cut_everywhere_rows() -> list[dict]:
    """Rows whose text has two- and four-byte characters, escapes, and backslashes."""
    names = [("é" * n) + "😀" + ("\\" * n) + "ñ" for n in range(1, 4)]
    return [actor(n, name=name, description=f"«{name}»") for n, name in enumerate(names)]


@pytest.mark.parametrize("fmt", ["json", "json-ascii", "ndjson", "csv"])
def test_characters_cut_by_the_readers_chunks_are_read_whole(fmt):
    """A body that arrives a byte at a time: UTF-8 characters, JSON escapes (as ``json.dumps``
    writes an emoji: a surrogate pair) and a byte order mark cut at every byte."""
    rows = cut_everywhere_rows()
    if fmt == "json":
        body = json.dumps(rows, ensure_ascii=False).encode()
    elif fmt == "json-ascii":
        body = json.dumps(rows).encode()  # \u00e9, \ud83d\ude00
    elif fmt == "ndjson":
        body = "\n".join(json.dumps(row) for row in rows).encode()
    else:
        body = (
            b"external_id,name,kind,description\n"
            + "".join(
                f'{r["external_id"]},"{r["name"]}",ngo,{r["description"]}\n' for r in rows
            ).encode()
        )
    fmt = fmt.removesuffix("-ascii")
    with imports.read_batch(Trickle(BOM + body), fmt, Actor, keep=10) as batch:
        assert [row.data for row in batch.rows] == rows
        assert batch.body.read() == body  # the copy a job would read


@pytest.mark.parametrize(
    ("body", "byte"),
    [
        (rb'[{"name": "\ud800"}]', 11),
        (rb'[{"name": "a\\\udc00"}]', 14),
        (rb'[{"name": "\ud83d\ud83d\ude00"}]', 11),
        (rb'[{"name": "\ud83d\u0041"}]', 11),
        (rb'[{"name": "\ud83d\ude00", "kind": "\ude00"}]', 35),
    ],
)
def test_half_characters_are_found_wherever_the_chunks_cut_them(body, byte):
    for source in (io.BytesIO(body), Trickle(body)):
        with pytest.raises(batches.BatchError) as refused:
            imports.read_batch(source, "json", Actor, keep=10)
        assert f"escape at byte {byte} is half of a character" in str(refused.value.detail)


def test_a_large_body_of_wide_characters_is_imported_whole(client, a):
    filler = "ñ😀" * (batches.READ_CHUNK // 3)  # chunk boundaries fall inside characters
    rows = [actor(n, description=f"{n}{filler}") for n in range(3)]
    for body in (json.dumps(rows), json.dumps(rows, ensure_ascii=False)):
        response = post(client, a, BOM + body.encode())
        assert response.status_code == 200, response.content
    assert sorted(Actor.objects.values_list("description", flat=True)) == [
        r["description"] for r in rows
    ]


# --- Background jobs: the batch waits in the import storage ----------------------------------


def test_a_jobs_batch_is_stored_as_a_file_not_in_the_database(client, a, settings, worker, spool):
    settings.IMPORT_SYNC_MAX_ROWS = 2
    body = json.dumps([actor(n) for n in range(5)])
    response = post(client, a, "\ufeff" + body)
    assert response.status_code == 202
    job = ImportJob.objects.get()
    assert "payload" not in {f.name for f in ImportJob._meta.get_fields()}
    assert job.payload_file.endswith(".json")
    assert stored(job) == body.encode()  # what was sent (its byte order mark left out)

    worker()

    job.refresh_from_db()
    assert (job.status, job.created, job.payload_file) == ("succeeded", 5, "")
    assert files(spool) == []  # deleted once the job had run
    assert Actor.objects.count() == 5


def test_a_failed_or_dry_run_job_deletes_its_batch_too(client, a, worker, spool):
    post(
        client,
        a,
        json.dumps([actor(1), {"external_id": "x"}]),
        query="resource=actors&background=true",
    )
    post(client, a, json.dumps([actor(2)]), query="resource=actors&background=true&dry_run=true")
    worker()
    assert sorted(ImportJob.objects.values_list("status", "payload_file")) == [
        ("failed", ""),
        ("succeeded", ""),
    ]
    assert files(spool) == []


def test_a_job_whose_batch_is_gone_fails_and_writes_nothing(client, a, worker):
    location = post(client, a, json.dumps([actor(1)]), query="resource=actors&background=true")[
        "Location"
    ]
    imports.spool_storage().delete(ImportJob.objects.get().payload_file)
    worker()
    report = client.get(location, **a).json()["report"]
    assert report["errors"] == [
        {
            "row": None,
            "field": None,
            "message": "The batch of this import is no longer stored; nothing was written.",
        }
    ]
    assert not Actor.objects.exists()


def test_a_job_reads_its_batch_a_chunk_at_a_time(client, a, worker, monkeypatch):
    """The worker's rows come from the stored file as they are validated, not parsed first."""
    monkeypatch.setattr(imports, "CHUNK_ROWS", 2)
    read = []
    rows = batches.rows

    def watched(*args):
        for row in rows(*args):
            read.append(row.number)
            yield row

    processed = []
    process = imports.Importer.process

    def watched_process(self, row):
        processed.append((row.number, list(read)))
        return process(self, row)

    monkeypatch.setattr(batches, "rows", watched)
    monkeypatch.setattr(imports.Importer, "process", watched_process)
    post(
        client, a, json.dumps([actor(n) for n in range(5)]), query="resource=actors&background=true"
    )
    read.clear()  # what the request read to check and count them
    worker()
    # While validating, the rows read are those of the chunk in hand; then read again to write.
    assert processed[:5] == [
        (1, [1, 2]),
        (2, [1, 2]),
        (3, [1, 2, 3, 4]),
        (4, [1, 2, 3, 4]),
        (5, [1, 2, 3, 4, 5]),
    ]
    assert ImportJob.objects.get().status == "succeeded"


def test_a_job_that_cannot_be_saved_leaves_no_file(client, a, monkeypatch, spool):
    def refuse(job):
        raise RuntimeError("the queue is down")

    monkeypatch.setattr(imports, "enqueue", refuse)
    with pytest.raises(RuntimeError):
        post(client, a, json.dumps([actor(1)]), query="resource=actors&background=true")
    assert not ImportJob.objects.exists()
    assert files(spool) == []


# --- The admin: a preview keeps its batch until it is confirmed ------------------------------


def test_a_preview_keeps_its_batch_for_the_confirmation_which_takes_it(staff_client, ctx, spool):
    rows = [figure_row(ctx, n) for n in range(1, 3)]
    staff_client.post(admin_url("import"), {"resource": "figures", "file": upload(ctx, rows)})
    preview = ImportJob.objects.get()
    assert preview.status == "succeeded"
    assert stored(preview).startswith(b"external_id,")  # kept, to be confirmed

    staff_client.post(admin_url("confirm", preview.pk))
    job = ImportJob.objects.exclude(pk=preview.pk).get()
    preview.refresh_from_db()
    assert (job.status, job.created, job.payload_file, preview.payload_file) == (
        "succeeded",
        2,
        "",
        "",
    )
    assert files(spool) == []
    # Confirmed once: not again.
    assert (
        "Confirm import" not in staff_client.get(admin_url("change", preview.pk)).content.decode()
    )
    assert staff_client.post(admin_url("confirm", preview.pk)).status_code == 403
    assert Figure.objects.count() == 2


def test_a_failed_preview_keeps_nothing(staff_client, ctx, spool):
    rows = [figure_row(ctx, 1, value=-1)]
    staff_client.post(admin_url("import"), {"resource": "figures", "file": upload(ctx, rows)})
    assert ImportJob.objects.get().payload_file == ""
    assert files(spool) == []


def test_the_admin_form_applies_the_rows_cap(staff_client, ctx, settings):
    settings.IMPORT_MAX_ROWS = 1
    rows = [figure_row(ctx, n) for n in range(1, 3)]
    response = staff_client.post(
        admin_url("import"), {"resource": "figures", "file": upload(ctx, rows)}
    )
    assert response.status_code == 200
    assert "An import may have at most 1 records" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_pasted_records_are_read_the_same_way(staff_client, ctx):
    rows = [figure_row(ctx, 1)]
    response = staff_client.post(
        admin_url("import"), {"resource": "figures", "text": "  \n" + json.dumps(rows)}
    )
    assert response.status_code == 302
    assert ImportJob.objects.get().format == "json"


# --- Retention ------------------------------------------------------------------------------


def old_job(days: int, **fields) -> ImportJob:
    """A finished job ``days`` old, with a stored batch."""
    job = ImportJob.objects.create(
        resource="actors", format="json", status="succeeded", dry_run=True, via="admin", **fields
    )
    name = imports.spool_storage().save(f"{job.uuid}.json", io.BytesIO(b"[{}]"))
    at = timezone.now() - timedelta(days=days)
    ImportJob.objects.filter(pk=job.pk).update(
        payload_file=name, created_at=at, started_at=at, finished_at=at
    )
    return ImportJob.objects.get(pk=job.pk)


def test_jobs_are_purged_with_their_batches_after_the_retention_period(settings, spool):
    settings.IMPORT_RETENTION_DAYS = 30
    expired, kept = old_job(31), old_job(29)
    queued_long_ago = ImportJob.objects.create(resource="actors", format="json")
    ImportJob.objects.filter(pk=queued_long_ago.pk).update(
        created_at=timezone.now() - timedelta(days=40)
    )
    out = io.StringIO()
    call_command("purge_import_jobs", stdout=out)
    assert "Deleted 2 import job(s) older than 30 days and 1 stored batch(es)." in out.getvalue()
    assert list(ImportJob.objects.all()) == [kept]
    assert files(spool) == [kept.payload_file]
    assert not spool.exists(expired.payload_file)


def test_stored_batches_no_job_names_are_purged_once_a_day_old(spool):
    storage = spool
    young = storage.save("young.json", io.BytesIO(b"[]"))
    orphan = storage.save("orphan.json", io.BytesIO(b"[]"))
    later = timezone.now() + timedelta(days=1, minutes=1)
    os.utime(storage.path(young), (later.timestamp(), later.timestamp()))
    assert imports.purge_jobs(now=later) == (0, 1)
    assert files(storage) == [young]
    assert not storage.exists(orphan)


def test_the_worker_purges_expired_jobs_after_a_job(client, a, worker):
    expired = old_job(31)
    post(client, a, json.dumps([actor(1)]), query="resource=actors&background=true")
    worker()
    assert not ImportJob.objects.filter(pk=expired.pk).exists()
    assert ImportJob.objects.get().status == "succeeded"
