"""Bulk import: JSON, NDJSON and CSV batches upserted by external id, all or nothing.

Over HTTP with Django's test client (the API and the admin); the database is
only read to check what a request left behind. Background jobs are run by the
real task worker (``db_worker --batch``).
"""

import csv
import io
import json
import signal
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from incidents.choices import Visibility
from incidents.integration import imports
from incidents.models import (
    Actor,
    Allegation,
    ApiToken,
    Change,
    Citation,
    Figure,
    ImportJob,
    Incident,
)
from tests.factories import IncidentFactory, SourceFactory
from tests.helpers import bearer, staff

pytestmark = pytest.mark.django_db

QUOTE = "documented at least 40 detentions"  # in SourceFactory's text
IMPORT = "/api/v1/import/"
CONTENT_TYPES = {"json": "application/json", "ndjson": "application/x-ndjson", "csv": "text/csv"}


@pytest.fixture
def ctx():
    """Public staff records that imported figures point at."""
    return SimpleNamespace(incident=IncidentFactory(), source=SourceFactory())


def figure_row(ctx, n: int, **changes) -> dict:
    row = {
        "external_id": f"fig-{n}",
        "incident": str(ctx.incident.uuid),
        "measure": "detained",
        "value": 40 + n,
        "qualifier": "at_least",
        "as_of": "2024-11-15",
        "citations": [{"source": str(ctx.source.uuid), "quote": QUOTE, "stance": "asserts"}],
    }
    return {**row, **changes}


def encode(rows, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(rows)
    if fmt == "ndjson":
        return "\n".join(json.dumps(row) for row in rows) + "\n"
    return rows  # CSV is written by the test


def send(client, headers, resource, rows, fmt="json", reason=None, **params):
    query = "&".join([f"resource={resource}", *(f"{k}={v}" for k, v in params.items())])
    extra = {"HTTP_X_CHANGE_REASON": reason} if reason else {}
    return client.post(
        f"{IMPORT}?{query}",
        encode(rows, fmt),
        content_type=CONTENT_TYPES[fmt],
        **headers,
        **extra,
    )


def figures_csv(ctx, rows: list[dict]) -> str:
    """Figure rows as CSV with one citation, in the flattened columns."""
    out = io.StringIO()
    writer = csv.writer(out)
    columns = ["external_id", "incident", "measure", "value", "qualifier", "as_of"]
    nested = ["citations.0.source", "citations.0.quote", "citations.0.stance"]
    writer.writerow(columns + nested)
    for row in rows:
        citation = row["citations"][0]
        writer.writerow(
            [row.get(c, "") for c in columns]
            + [citation["source"], citation["quote"], citation.get("stance", "")]
        )
    return out.getvalue()


def attrs(response):
    return [(e["attr"], e["code"]) for e in response.json()["errors"]]


# --- Importing -----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "ndjson", "csv"])
def test_figures_are_imported_as_the_partners_records(client, a, partner_a, ctx, fmt):
    rows = [figure_row(ctx, n) for n in range(1, 4)]
    body = figures_csv(ctx, rows) if fmt == "csv" else rows
    response = send(client, a, "figures", body, fmt)
    assert response.status_code == 200, response.content
    report = response.json()
    assert (report["written"], report["dry_run"], report["total_rows"]) == (True, False, 3)
    assert (report["created"], report["updated"], report["unchanged"], report["failed"]) == (
        3,
        0,
        0,
        0,
    )
    assert report["errors"] == []
    assert [(r["row"], r["external_id"], r["outcome"]) for r in report["rows"]] == [
        (1, "fig-1", "created"),
        (2, "fig-2", "created"),
        (3, "fig-3", "created"),
    ]
    for result in report["rows"]:
        figure = Figure.objects.get(uuid=result["id"])
        assert figure.owner == partner_a
        assert figure.visibility == Visibility.RESTRICTED  # the API's default for new records
        assert figure.external_id == result["external_id"]
        citation = figure.citations.get()
        assert (citation.source, citation.quote, citation.stance) == (ctx.source, QUOTE, "asserts")
    assert sorted(Figure.objects.values_list("value", flat=True)) == [41, 42, 43]


@pytest.mark.parametrize("fmt", ["json", "ndjson", "csv"])
def test_incidents_are_imported_in_each_format(client, a, fmt):
    rows = [
        {"external_id": "inc-1", "title": "Arrests in Caracas", "kind": "mass_detention",
         "country": "VE", "start_date": "2024-07-29", "visibility": "public"},
        {"external_id": "inc-2", "title": "Raids in Maracaibo", "kind": "mass_detention",
         "country": "VE", "summary": "Night raids.", "start_date": "2024-08-01",
         "start_precision": "month"},
    ]  # fmt: skip
    if fmt == "csv":
        body = (
            "external_id,title,kind,country,start_date,start_precision,summary,visibility\n"
            "inc-1,Arrests in Caracas,mass_detention,VE,2024-07-29,,,public\n"
            'inc-2,Raids in Maracaibo,mass_detention,VE,2024-08-01,month,"Night raids.",\n'
        )
    else:
        body = rows
    response = send(client, a, "incidents", body, fmt)
    assert response.status_code == 200, response.content
    assert response.json()["created"] == 2
    first, second = (Incident.objects.get(external_id=r["external_id"]) for r in rows)
    assert (first.visibility, first.summary, first.start_precision) == ("public", "", "exact")
    assert (second.visibility, second.summary, second.start_precision) == (
        "restricted",
        "Night raids.",
        "month",
    )


def test_csv_list_fields_are_separated_codes(client, a, ctx):
    body = (
        "external_id,incident,violation_type,methods,citations.0.source,citations.0.quote\n"
        f"al-1,{ctx.incident.uuid},torture,electric_shock; beating,{ctx.source.uuid},{QUOTE}\n"
    )
    response = send(client, a, "allegations", body, "csv")
    assert response.status_code == 200, response.content
    allegation = Allegation.objects.get(external_id="al-1")
    assert sorted(allegation.methods.values_list("code", flat=True)) == [
        "beating",
        "electric_shock",
    ]


def test_citations_of_records_are_imported(client, a, ctx):
    rows = [
        {"external_id": "cit-1", "source": str(ctx.source.uuid), "quote": QUOTE,
         "stance": "corroborates", "incident": str(ctx.incident.uuid)},
    ]  # fmt: skip
    response = send(client, a, "citations", rows)
    assert response.status_code == 200, response.content
    citation = Citation.objects.get(external_id="cit-1")
    assert (citation.incident, citation.stance) == (ctx.incident, "corroborates")


def test_an_import_larger_than_the_general_body_limit_is_accepted(client, a, ctx, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000  # the bound of every other request
    rows = [figure_row(ctx, n) for n in range(1, 11)]
    assert len(json.dumps(rows)) > 1000
    response = send(client, a, "figures", rows)
    assert response.status_code == 200, response.content
    assert response.json()["created"] == 10


def test_an_import_larger_than_its_own_limit_is_a_413(client, a, ctx, settings):
    settings.IMPORT_MAX_BYTES = 500
    response = send(client, a, "figures", [figure_row(ctx, n) for n in range(1, 11)])
    assert response.status_code == 413
    assert response.json()["errors"][0]["code"] == "request_too_large"
    assert not Figure.objects.exists()


# --- Upserts: no duplicates ----------------------------------------------------------------


def snapshot():
    return (
        sorted(Figure.objects.values_list("uuid", "version")),
        Figure.history.count(),
        Citation.objects.count(),
        Citation.history.count(),
        Change.objects.count(),
    )


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_importing_the_same_batch_again_changes_nothing(client, a, ctx, fmt):
    rows = [figure_row(ctx, n) for n in range(1, 4)]
    body = figures_csv(ctx, rows) if fmt == "csv" else rows
    assert send(client, a, "figures", body, fmt).status_code == 200
    before = snapshot()
    again = send(client, a, "figures", body, fmt)
    assert again.status_code == 200
    report = again.json()
    assert (report["created"], report["updated"], report["unchanged"]) == (0, 0, 3)
    assert {r["outcome"] for r in report["rows"]} == {"unchanged"}
    # No new record, no new version, no history entry, nothing in the change feed.
    assert snapshot() == before


def test_changing_one_row_updates_only_that_record(client, a, ctx):
    rows = [figure_row(ctx, n) for n in range(1, 4)]
    first = send(client, a, "figures", rows).json()
    versions = dict(Figure.objects.values_list("external_id", "version"))
    history = Figure.history.count()
    rows[1]["value"] = 99
    rows[1]["note"] = "Recount."
    report = send(client, a, "figures", rows).json()
    assert [r["outcome"] for r in report["rows"]] == ["unchanged", "updated", "unchanged"]
    assert [r["id"] for r in report["rows"]] == [r["id"] for r in first["rows"]]
    after = dict(Figure.objects.values_list("external_id", "version"))
    assert after == {**versions, "fig-2": versions["fig-2"] + 1}
    assert Figure.history.count() == history + 1
    assert Figure.objects.get(external_id="fig-2").value == 99


def test_a_changed_quote_replaces_the_reporting_citation(client, a, ctx):
    rows = [figure_row(ctx, 1)]
    send(client, a, "figures", rows)
    rows[0]["citations"][0]["quote"] = "at least 40 detentions of students"
    report = send(client, a, "figures", rows).json()
    assert report["rows"][0]["outcome"] == "updated"
    figure = Figure.objects.get(external_id="fig-1")
    live = figure.citations.filter(deleted_at__isnull=True)
    assert list(live.values_list("quote", flat=True)) == ["at least 40 detentions of students"]


def test_a_dry_run_writes_nothing_and_says_what_would_happen(client, a, ctx):
    send(client, a, "figures", [figure_row(ctx, 1), figure_row(ctx, 2)])
    before = snapshot()
    rows = [figure_row(ctx, 1), figure_row(ctx, 2, value=7), figure_row(ctx, 3)]
    response = send(client, a, "figures", rows, dry_run="true")
    assert response.status_code == 200
    report = response.json()
    assert (report["dry_run"], report["written"]) == (True, False)
    assert [(r["outcome"], r["id"] is None) for r in report["rows"]] == [
        ("unchanged", False),
        ("updated", False),
        ("created", True),  # a record that does not exist has no id yet
    ]
    assert (report["created"], report["updated"], report["unchanged"]) == (1, 1, 1)
    assert snapshot() == before
    assert Figure.objects.get(external_id="fig-2").value == 42


# --- Row errors: all or nothing --------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (
            lambda ctx: {"citations": [{"source": str(ctx.source.uuid), "quote": "not in it"}]},
            "citations.0.quote",
        ),
        (lambda ctx: {"value": -3}, "value"),
        (lambda ctx: {"incident": "5f0c6a64-8d3c-4d0e-9a43-1c2b3d4e5f60"}, "incident"),
        (lambda ctx: {"value_low": 50, "value": 45}, "value_low"),
        (lambda ctx: {"measure": "abducted"}, "measure"),
    ],
    ids=["quote-not-in-source", "negative-value", "unknown-incident", "low-above-value", "choice"],
)
def test_one_bad_row_writes_nothing_and_names_its_row_and_field(client, a, ctx, change, field):
    send(client, a, "figures", [figure_row(ctx, 1)])
    before = snapshot()
    rows = [figure_row(ctx, 1, value=1), figure_row(ctx, 2, **change(ctx)), figure_row(ctx, 3)]
    response = send(client, a, "figures", rows)
    assert response.status_code == 422
    report = response.json()
    assert (report["written"], report["failed"]) == (False, 1)
    assert [(e["row"], e["field"]) for e in report["errors"]] == [(2, field)]
    assert report["errors"][0]["message"]
    assert [r["outcome"] for r in report["rows"]] == ["updated", "error", "created"]
    assert report["rows"][2]["id"] is None
    assert snapshot() == before
    assert Figure.objects.get(external_id="fig-1").value == 41


def test_csv_errors_name_the_columns_as_written(client, a, ctx):
    body = (
        "external_id,incident,measure,value,as_of,citations.3.source,citations.3.quote\n"
        f"fig-1,{ctx.incident.uuid},detained,40,2024-11-15,{ctx.source.uuid},{QUOTE}\n"
        f"fig-2,{ctx.incident.uuid},detained,40,2024-11-15,{ctx.source.uuid},invented words\n"
    )
    report = send(client, a, "figures", body, "csv").json()
    assert [(e["row"], e["field"]) for e in report["errors"]] == [(2, "citations.3.quote")]
    assert not Figure.objects.exists()


def test_every_error_of_a_row_is_reported(client, a, ctx):
    row = figure_row(ctx, 1, value=-1, as_of="someday", vaule=3)
    report = send(client, a, "figures", [row]).json()
    assert sorted(e["field"] for e in report["errors"]) == ["as_of", "value", "vaule"]


def test_every_row_needs_an_external_id(client, a, ctx):
    rows = [figure_row(ctx, 1), figure_row(ctx, 2, external_id=""), figure_row(ctx, 3)]
    del rows[2]["external_id"]
    report = send(client, a, "figures", rows).json()
    assert [(e["row"], e["field"]) for e in report["errors"]] == [
        (2, "external_id"),
        (3, "external_id"),
    ]
    assert not Figure.objects.exists()


def test_an_external_id_given_twice_is_an_error_on_its_second_row(client, a, ctx):
    rows = [figure_row(ctx, 1), figure_row(ctx, 2), figure_row(ctx, 1, value=3)]
    report = send(client, a, "figures", rows).json()
    assert report["errors"] == [
        {
            "row": 3,
            "field": "external_id",
            "message": "Row 1 of this batch has the same external_id.",
        }
    ]
    assert not Figure.objects.exists()


# --- The batch as a whole: 400, 415 ----------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "fmt", "body", "attr"),
    [
        ("resource=figures", "json", "[{", "body"),
        ("resource=figures", "json", '{"external_id": "x"}', "body"),
        ("resource=figures", "json", '[{"external_id": "x"}, 3]', "body"),
        ("resource=figures", "json", "[]", "body"),
        ("resource=figures", "ndjson", '{"external_id": "x"}\n{oops\n', "body"),
        ("resource=figures", "ndjson", '["x"]\n', "body"),
        ("resource=figures", "csv", "fig-1,40,detained\n", "body"),
        ("resource=figures", "csv", "external_id,vaule\nfig-1,40\n", "vaule"),
        ("resource=figures", "csv", "external_id,citations.0.page\nf,1\n", "citations.0.page"),
        ("resource=figures", "csv", "external_id,value,value\nf,1,2\n", "value"),
        ("resource=figures", "csv", "value,measure\n1,detained\n", "external_id"),
        ("resource=figures", "csv", "external_id,value\n", "body"),
        ("resource=victims", "json", "[{}]", "resource"),
        ("", "json", "[{}]", "resource"),
        ("resource=figures&dry_run=maybe", "json", "[{}]", "dry_run"),
        ("resource=figures&dryrun=true", "json", "[{}]", "dryrun"),
    ],
)
def test_an_unreadable_batch_is_a_400_naming_what_is_wrong(client, a, query, fmt, body, attr):
    response = client.post(f"{IMPORT}?{query}", body, content_type=CONTENT_TYPES[fmt], **a)
    assert response.status_code == 400, response.content
    assert response.json()["type"] == "validation_error"
    assert attr in [e["attr"] for e in response.json()["errors"]]


def test_an_empty_body_is_a_400(client, a):
    response = client.post(f"{IMPORT}?resource=figures", CONTENT_TYPE="application/json", **a)
    assert response.status_code == 400
    assert attrs(response) == [("body", "invalid")]


def test_a_body_that_is_not_utf8_is_a_400(client, a):
    response = client.post(
        f"{IMPORT}?resource=figures",
        "external_id\nfé\n".encode("latin-1"),
        content_type="text/csv",
        **a,
    )
    assert response.status_code == 400
    assert attrs(response) == [("body", "invalid")]


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/xml", "text/csv; charset=latin-1", ""]
)
def test_other_media_types_are_a_415(client, a, content_type):
    response = client.post(f"{IMPORT}?resource=figures", "x", content_type=content_type, **a)
    assert response.status_code == 415
    assert response.json()["errors"][0]["code"] == "unsupported_media_type"


# --- Who may import --------------------------------------------------------------------------


def test_anonymous_clients_get_a_401(client, ctx):
    response = send(client, {}, "figures", [figure_row(ctx, 1)])
    assert response.status_code == 401
    assert not Figure.objects.exists()


def test_a_read_token_gets_a_403(client, partner_a, ctx):
    _, secret = ApiToken.issue(partner=partner_a, scope="read")
    response = send(client, bearer(secret), "figures", [figure_row(ctx, 1)])
    assert response.status_code == 403
    assert not Figure.objects.exists()


def test_staff_import_according_to_their_role(django_user_model, ctx):
    viewer, editor = staff(django_user_model, "viewer"), staff(django_user_model, "editor")
    assert send(viewer, {}, "figures", [figure_row(ctx, 1)]).status_code == 403
    response = send(editor, {}, "figures", [figure_row(ctx, 1)], reason="Yearly report")
    assert response.status_code == 200, response.content
    figure = Figure.objects.get(external_id="fig-1")
    assert figure.owner is None  # staff records have no owner
    entry = figure.history.get()
    assert (entry.history_via, entry.history_user.username, entry.history_change_reason) == (
        "api",
        "staff-editor",
        "Yearly report",
    )


def test_history_records_the_partner_token_and_reason(client, a, token_a, partner_a, ctx):
    send(client, a, "figures", [figure_row(ctx, 1)], reason="Monthly sync")
    for model in (Figure, Citation):
        entry = model.history.get()
        assert (entry.history_via, entry.history_partner_id, entry.history_token_prefix) == (
            "api",
            partner_a.pk,
            token_a[0].prefix,
        )
        assert entry.history_change_reason == "Monthly sync"


def test_partners_have_their_own_external_ids(client, a, b, partner_a, partner_b, ctx):
    rows = [figure_row(ctx, n) for n in range(1, 3)]
    send(client, a, "figures", rows)
    a_versions = sorted(Figure.objects.values_list("uuid", "version"))
    report = send(client, b, "figures", rows).json()
    assert report["created"] == 2
    assert Figure.objects.filter(owner=partner_b).count() == 2
    assert sorted(Figure.objects.filter(owner=partner_a).values_list("uuid", "version")) == (
        a_versions
    )


def test_a_partner_cannot_link_to_another_partners_restricted_record(client, a, b, ctx):
    rows = [
        {"external_id": "inc-a", "title": "Hidden raid", "kind": "mass_detention",
         "country": "VE"},
    ]  # fmt: skip
    hidden = send(client, a, "incidents", rows).json()["rows"][0]["id"]
    row = figure_row(ctx, 1, incident=hidden)
    report = send(client, b, "figures", [row]).json()
    assert report["errors"] == [
        {"row": 1, "field": "incident", "message": "No record with this id."}
    ]
    # Its owner may.
    assert send(client, a, "figures", [row]).json()["created"] == 1


# --- Background jobs -------------------------------------------------------------------------


@pytest.fixture
def worker(monkeypatch):
    """Run the task worker until the queue is empty (``worker_runner``)."""
    return worker_runner(monkeypatch)


def worker_runner(monkeypatch):
    """A function that runs the task worker until the queue is empty.

    Within a test's transaction: the worker's connection checks would close the
    connection the test runs in (an open transaction counts as unusable), so
    they are skipped; and the signal handlers it installs are put back.
    """
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}

    def run():
        try:
            call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
        finally:
            for sig, handler in handlers.items():
                signal.signal(sig, handler)

    return run


def test_a_large_batch_runs_in_the_background(client, a, ctx, settings, worker):
    settings.IMPORT_SYNC_MAX_ROWS = 2
    rows = [figure_row(ctx, n) for n in range(1, 6)]
    response = send(client, a, "figures", rows, reason="Backfill")
    assert response.status_code == 202, response.content
    job = response.json()
    assert response["Location"] == job["url"]
    assert job["url"].endswith(f"/api/v1/import-jobs/{job['id']}/")
    assert (job["status"], job["phase"], job["total_rows"], job["processed_rows"]) == (
        "queued",
        "queued",
        5,
        0,
    )
    assert not Figure.objects.exists()
    queued = client.get(response["Location"], **a).json()
    assert (queued["status"], queued["report"]) == ("queued", None)

    worker()

    done = client.get(response["Location"], **a).json()
    assert (done["status"], done["phase"], done["processed_rows"]) == ("succeeded", "finished", 5)
    assert done["started_at"] and done["finished_at"]
    report = done["report"]
    assert (report["written"], report["created"], report["failed"]) == (True, 5, 0)
    assert [r["row"] for r in report["rows"]] == [1, 2, 3, 4, 5]
    assert {str(u) for u in Figure.objects.values_list("uuid", flat=True)} == {
        r["id"] for r in report["rows"]
    }
    entry = Figure.history.first()
    assert (entry.history_via, entry.history_change_reason) == ("api", "Backfill")


def test_background_can_be_asked_for_and_reports_progress(client, a, ctx, worker, monkeypatch):
    monkeypatch.setattr(imports, "CHUNK_ROWS", 2)
    seen = []  # the job's processed_rows as each row starts
    process = imports.Importer.process

    def watched(self, row):
        seen.append(ImportJob.objects.values_list("processed_rows", flat=True).get())
        return process(self, row)

    monkeypatch.setattr(imports.Importer, "process", watched)
    rows = [figure_row(ctx, n) for n in range(1, 6)]
    assert send(client, a, "figures", rows, background="true").status_code == 202
    worker()
    # Validated two rows a chunk, progress stored after each; then all written at once.
    assert seen == [0, 0, 2, 2, 4, 5, 5, 5, 5, 5]
    assert ImportJob.objects.get().status == "succeeded"
    assert Figure.objects.count() == 5


def test_a_failing_background_job_writes_nothing_and_reports(client, a, ctx, worker):
    rows = [figure_row(ctx, 1), figure_row(ctx, 2, value=-5), figure_row(ctx, 3)]
    location = send(client, a, "figures", rows, background="true")["Location"]
    worker()
    job = client.get(location, **a).json()
    assert job["status"] == "failed"
    report = job["report"]
    assert (report["written"], report["failed"], report["created"]) == (False, 1, 2)
    assert [(e["row"], e["field"]) for e in report["errors"]] == [(2, "value")]
    assert all(r["id"] is None for r in report["rows"])
    assert not Figure.objects.exists()


def test_a_dry_run_job_writes_nothing(client, a, ctx, worker):
    rows = [figure_row(ctx, n) for n in range(1, 4)]
    location = send(client, a, "figures", rows, background="true", dry_run="true")["Location"]
    worker()
    job = client.get(location, **a).json()
    assert (job["status"], job["dry_run"], job["report"]["written"]) == ("succeeded", True, False)
    assert job["report"]["created"] == 3
    assert not Figure.objects.exists()


def test_a_row_failing_while_writing_fails_the_whole_job(client, a, worker, monkeypatch):
    # Validated one row per transaction, two public actors with the same name each pass;
    # written together, the second collides with the first.
    monkeypatch.setattr(imports, "CHUNK_ROWS", 1)
    rows = [
        {"external_id": "act-1", "name": "Comité", "kind": "ngo", "visibility": "public"},
        {"external_id": "act-2", "name": "Comité", "kind": "ngo", "visibility": "public"},
    ]
    location = send(client, a, "actors", rows, background="true")["Location"]
    worker()
    job = client.get(location, **a).json()
    assert job["status"] == "failed"
    assert [(e["row"], e["field"]) for e in job["report"]["errors"]] == [(2, "name")]
    assert not Actor.objects.exists()


def test_a_job_whose_token_was_revoked_before_it_ran_writes_nothing(
    client, a, token_a, ctx, worker
):
    location = send(client, a, "figures", [figure_row(ctx, 1)], background="true")["Location"]
    token = token_a[0]
    token.revoked_at = token.created_at
    token.save()
    worker()
    job = ImportJob.objects.get()
    assert job.status == "failed"
    assert job.errors[0]["row"] is None and "token" in job.errors[0]["message"]
    assert not Figure.objects.exists()
    assert location


def test_partners_see_only_their_own_jobs(client, a, b, partner_a, ctx):
    location = send(client, a, "figures", [figure_row(ctx, 1)], background="true")["Location"]
    _, read_secret = ApiToken.issue(partner=partner_a, scope="read")
    assert client.get(location, **bearer(read_secret)).status_code == 200
    assert client.get(location, **b).status_code == 404
    assert client.get(location).status_code == 401
    assert client.get("/api/v1/import-jobs/", **b).json()["results"] == []
    listed = client.get("/api/v1/import-jobs/", **a).json()["results"]
    assert [job["url"] for job in listed] == [location]
    assert listed[0]["report"] is None  # on the job's own page
    assert client.get("/api/v1/import-jobs/?status=queued", **a).status_code == 400


# --- The admin ---------------------------------------------------------------------------------


def admin_url(name: str, *args) -> str:
    return reverse(f"admin:incidents_importjob_{name}", args=args)


def upload(ctx, rows, name="figures.csv"):
    return SimpleUploadedFile(name, figures_csv(ctx, rows).encode(), content_type="text/csv")


def test_staff_preview_then_confirm_an_import_in_the_admin(staff_client, ctx):
    changelist = staff_client.get(admin_url("changelist"))
    assert changelist.status_code == 200
    assert admin_url("import") in changelist.content.decode()
    assert staff_client.get(admin_url("import")).status_code == 200

    rows = [figure_row(ctx, n) for n in range(1, 4)]
    response = staff_client.post(
        admin_url("import"),
        {"resource": "figures", "file": upload(ctx, rows), "reason": "From the spreadsheet"},
    )
    assert response.status_code == 302, response.content
    preview = ImportJob.objects.get()
    assert (preview.dry_run, preview.status, preview.via, preview.format) == (
        True,
        "succeeded",
        "admin",
        "csv",
    )
    assert not Figure.objects.exists()  # nothing until confirmed
    page = staff_client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "Confirm import" in html and "fig-2" in html and "created" in html

    confirmed = staff_client.post(admin_url("confirm", preview.pk))
    assert confirmed.status_code == 302
    job = ImportJob.objects.exclude(pk=preview.pk).get()
    assert confirmed["Location"] == admin_url("change", job.pk)
    assert (job.dry_run, job.status, job.created) == (False, "succeeded", 3)
    assert Figure.objects.filter(owner=None).count() == 3
    entry = Figure.history.first()
    assert (entry.history_via, entry.history_user.username, entry.history_change_reason) == (
        "admin",
        "curator",
        "From the spreadsheet",
    )
    assert "Confirm import" not in staff_client.get(confirmed["Location"]).content.decode()


def test_an_admin_preview_with_errors_shows_them_and_cannot_be_confirmed(staff_client, ctx):
    rows = [figure_row(ctx, 1), figure_row(ctx, 2, citations=[
        {"source": str(ctx.source.uuid), "quote": "words nobody wrote"}])]  # fmt: skip
    response = staff_client.post(
        admin_url("import"),
        {"resource": "figures", "text": json.dumps(rows), "format": ""},
        follow=True,
    )
    html = response.content.decode()
    assert "citations.0.quote" in html
    assert "Confirm import" not in html
    preview = ImportJob.objects.get()
    assert (preview.status, preview.format) == ("failed", "json")
    assert staff_client.post(admin_url("confirm", preview.pk)).status_code == 403
    assert not Figure.objects.exists()


def test_an_unreadable_batch_is_refused_on_the_admin_form(staff_client):
    response = staff_client.post(
        admin_url("import"), {"resource": "figures", "text": "external_id,vaule\nf,1\n"}
    )
    assert response.status_code == 200
    assert "Unknown CSV column" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_large_admin_import_runs_in_the_background(staff_client, ctx, settings, worker):
    settings.IMPORT_SYNC_MAX_ROWS = 1
    rows = [figure_row(ctx, n) for n in range(1, 4)]
    staff_client.post(admin_url("import"), {"resource": "figures", "file": upload(ctx, rows)})
    preview = ImportJob.objects.get()
    assert (preview.status, preview.dry_run) == ("queued", True)
    worker()
    preview.refresh_from_db()
    assert preview.status == "succeeded"
    assert "Confirm import" in staff_client.get(admin_url("change", preview.pk)).content.decode()
    staff_client.post(admin_url("confirm", preview.pk))
    assert not Figure.objects.exists()  # queued, not yet run
    worker()
    assert Figure.objects.count() == 3
    assert Figure.history.first().history_via == "admin"


def test_staff_without_the_right_to_import_cannot_open_the_form(django_user_model):
    viewer = staff(django_user_model, "viewer")
    assert viewer.get(admin_url("import")).status_code == 403


def test_editors_see_their_own_imports_only(django_user_model, staff_client, ctx):
    editor = staff(django_user_model, "editor")
    editor.post(
        admin_url("import"), {"resource": "figures", "file": upload(ctx, [figure_row(ctx, 1)])}
    )
    staff_client.post(
        admin_url("import"), {"resource": "figures", "file": upload(ctx, [figure_row(ctx, 2)])}
    )
    mine, theirs = ImportJob.objects.order_by("pk")
    assert editor.get(admin_url("change", mine.pk)).status_code == 200
    assert editor.get(admin_url("change", theirs.pk)).status_code == 302  # not found: to the list
    assert editor.post(admin_url("confirm", theirs.pk)).status_code == 404
