"""Batched imports leave exactly what row-by-row imports leave.

Figures are imported a batch at a time (``incidents.writes.bulk``). Each scenario
here runs twice from the same database state, batched and then row by row
(``bulk.row_by_row``), each in a transaction rolled back at its end, and
compares everything a client or partner can observe: the reports, the
records, their history entries, the change feed and the webhook deliveries.
Public ids of records created during a run differ between runs, so records
are named by their external ids (citations by their figure's and their words).
"""

import datetime
import json
import uuid
from types import SimpleNamespace

import pytest
from django.db import DataError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from incidents.integration import imports
from incidents.models import (
    Change,
    Citation,
    Figure,
    ImportJob,
    WebhookDelivery,
    WebhookSubscription,
)
from incidents.writes import bulk, services
from tests.api.test_import import IMPORT, QUOTE
from tests.factories import DetaineeGroupFactory, IncidentFactory, SourceFactory

pytestmark = pytest.mark.django_db

OTHER_QUOTE = "at least 40 detentions of students"  # also in SourceFactory's text


@pytest.fixture
def world(partner_a, partner_b):
    """Records imported figures link to, and subscriptions that hear of them."""
    incident = IncidentFactory()
    for partner, events in ((partner_a, ["*"]), (partner_b, ["*"]), (partner_b, ["figure.*"])):
        WebhookSubscription.objects.create(
            partner=partner, url="https://hooks.example.org/in", events=events
        )
    WebhookSubscription.objects.create(
        partner=partner_a, url="https://hooks.example.org/disputes", events=["figure.disputed"]
    )
    return SimpleNamespace(
        incident=incident,
        group=DetaineeGroupFactory(incident=incident),
        source=SourceFactory(),
        rival=SourceFactory(),  # another reporter: its figures can contest ours
    )


def figure(world, n: int, quote=QUOTE, source=None, **changes) -> dict:
    row = {
        "external_id": f"fig-{n}",
        "incident": str(world.incident.uuid),
        "measure": "detained",
        "value": 40 + n,
        "qualifier": "at_least",
        "as_of": "2024-11-15",
        "citations": [{"source": str((source or world.source).uuid), "quote": quote}],
    }
    return {**row, **changes}


def post(client, headers, rows, reason="", **params):
    query = "&".join(["resource=figures", *(f"{k}={v}" for k, v in params.items())])
    extra = {"HTTP_X_CHANGE_REASON": reason} if reason else {}
    response = client.post(
        f"{IMPORT}?{query}", json.dumps(rows), content_type="application/json", **headers, **extra
    )
    assert response.status_code in (200, 202, 422), response.content
    return response


# --- what a run leaves ----------------------------------------------------------------------


def names() -> dict:
    """A stable name for every record's public id: external ids, and words for citations."""
    found = {
        figure.uuid: f"figure {figure.external_id or figure.pk}" for figure in Figure.objects.all()
    }
    for citation in Citation.objects.select_related("figure"):
        figure_name = citation.figure.external_id if citation.figure else None
        found[citation.uuid] = (
            f"citation of {figure_name}: {citation.quote} ({citation.stance}, "
            f"owner {citation.owner_id})"
        )
    return found


def normalised_report(body: dict, named: dict) -> dict:
    by_text = {str(key): value for key, value in named.items()}
    if "rows" not in body:  # a job, answered 202
        return {"job": body["status"]}
    rows = [{**row, "id": by_text.get(row["id"], row["id"])} for row in body["rows"]]
    return {**body, "rows": rows}


def observed(reports: list[dict]) -> dict:
    """Everything a run left behind, with run-specific ids replaced by names."""
    named = names()
    figure_fields = ["version", "value", "visibility", "deleted_at", "group_id", "owner_id"]
    citation_fields = ["version", "visibility", "deleted_at", "stance", "owner_id"]

    def history(model, fields):
        entries = [
            (
                named[entry.uuid],
                entry.history_type,
                entry.history_via,
                entry.history_partner_id,
                entry.history_token_prefix,
                entry.history_change_reason,
                entry.history_user_id,
                *(
                    getattr(entry, name) is not None
                    if name == "deleted_at"
                    else getattr(entry, name)
                    for name in fields
                ),
            )
            for entry in model.history.all()
        ]
        return sorted(entries, key=repr)

    events: dict = {}  # event id -> its number, in the order events were first delivered
    return {
        "reports": [normalised_report(report, named) for report in reports],
        "figures": history(Figure, figure_fields),
        "citations": history(Citation, citation_fields),
        "feed": [
            (
                change.resource,
                named.get(change.record_uuid, change.record_uuid),
                change.action,
                change.version,
                change.audience,
                change.audience_owner_id,
                change.previous_audience,
                change.previous_audience_owner_id,
            )
            for change in Change.objects.order_by("seq")
        ],
        "deliveries": [
            (
                delivery.subscription_id,
                delivery.event_type,
                events.setdefault(delivery.event_id, len(events)),
                named.get(_uuid(delivery.payload["record_id"])),
                delivery.payload["version"],
                delivery.status,
            )
            for delivery in WebhookDelivery.objects.order_by("pk")
        ],
    }


def _uuid(text):
    return uuid.UUID(text) if text else None


def both_ways(scenario) -> tuple[dict, dict]:
    """What ``scenario`` leaves batched, and row by row, each from the same starting point."""
    results = []
    for batched in (True, False):
        with transaction.atomic():
            if batched:
                reports = scenario()
                assert bulk.supports(Figure)
            else:
                with bulk.row_by_row():
                    assert not bulk.supports(Figure)
                    reports = scenario()
            results.append(observed(reports))
            transaction.set_rollback(True)
    return results[0], results[1]


# --- the two paths, compared --------------------------------------------------------------


def test_a_partners_imports_leave_the_same_records_history_feed_and_webhooks(client, a, b, world):
    def scenario():
        reports = []
        first = [figure(world, n) for n in range(1, 6)]
        first[2]["group"] = str(world.group.uuid)
        first[4]["visibility"] = "public"
        reports.append(post(client, a, first, reason="First push").json())
        # The partner deletes one figure; pushing it again restores it.
        fig4 = Figure.objects.get(external_id="fig-4")
        assert client.delete(f"/api/v1/figures/{fig4.uuid}/", **a).status_code == 204
        second = [
            figure(world, 1),  # unchanged
            figure(world, 2, value=99, note="Recount."),  # updated
            {**first[2], "citations": [{"source": str(world.source.uuid), "quote": OTHER_QUOTE}]},
            figure(world, 4),  # restored
            figure(world, 5, visibility="partners"),  # its audience moves: so does its citation's
            figure(
                world,
                6,
                citations=[
                    {"source": str(world.source.uuid), "quote": QUOTE},
                    {"source": str(world.rival.uuid), "quote": QUOTE, "stance": "corroborates"},
                ],
            ),
            # Another reporter, another value, same slot: both figures become contested.
            figure(world, 7, value=41 + 50, source=world.rival, visibility="public"),
            figure(world, 8, value=10, visibility="public"),
        ]
        reports.append(post(client, a, second, reason="Second push").json())
        # Partner B pushes the same external ids: records of its own.
        reports.append(post(client, b, [figure(world, 1), figure(world, 2)]).json())
        # Nothing changes: nothing written.
        reports.append(post(client, a, second).json())
        return reports

    batched, row_by_row = both_ways(scenario)
    assert batched == row_by_row
    # The scenario did what it says (so that the comparison compares something).
    outcomes = [[row["outcome"] for row in report["rows"]] for report in batched["reports"]]
    assert outcomes == [
        ["created"] * 5,
        ["unchanged", "updated", "updated", "updated", "updated", "created", "created", "created"],
        ["created", "created"],
        # fig-5 again: its citation took the visibility the figure had before the second
        # push, and the citations wanted now take the new one (as row by row does).
        ["unchanged"] * 4 + ["updated"] + ["unchanged"] * 3,
    ]
    assert {delivery[1] for delivery in batched["deliveries"]} >= {
        "figure.created",
        "figure.updated",
        "figure.deleted",
        "citation.created",
        "citation.deleted",
        "figure.disputed",
    }


def test_failed_rows_and_dry_runs_are_reported_the_same_and_write_nothing(client, a, world):
    def scenario():
        reports = [post(client, a, [figure(world, n) for n in range(1, 4)]).json()]
        mixed = [
            figure(world, 1),  # unchanged
            figure(world, 2, value=7),  # updated
            figure(world, 4),  # created
            figure(world, 5, quote="words nobody wrote"),  # the quote is not in the source
            figure(world, 6, value_low=90),  # the low bound above the value (a constraint)
            figure(world, 7, value=-1, measure="abducted"),  # two field errors (the serializer)
            figure(
                world,
                8,
                citations=[
                    {"source": str(world.source.uuid), "quote": QUOTE, "stance": "corroborates"}
                ],
            ),  # no asserting citation
            figure(world, 3, quote=OTHER_QUOTE, value_high=1),  # new citation, bad bound
            figure(world, 1, value=3),  # the same external id again
            figure(world, 9, group="5f0c6a64-8d3c-4d0e-9a43-1c2b3d4e5f60"),  # no such group
        ]
        reports.append(post(client, a, mixed).json())
        reports.append(post(client, a, mixed[:3], dry_run="true").json())
        reports.append(post(client, a, mixed, dry_run="true").json())
        return reports

    batched, row_by_row = both_ways(scenario)
    for key in batched:
        assert batched[key] == row_by_row[key], key
    failed = batched["reports"][1]
    assert (failed["written"], failed["failed"]) == (False, 7)
    assert [(e["row"], e["field"]) for e in failed["errors"]] == [
        (4, "citations.0.quote"),
        (5, "value_low"),
        (6, "measure"),
        (6, "value"),
        (7, "citations"),
        (8, "value_high"),
        (9, "external_id"),
        (10, "group"),
    ]
    dry = batched["reports"][2]
    assert (dry["dry_run"], dry["written"], dry["created"], dry["updated"]) == (True, False, 1, 1)
    assert len(batched["figures"]) == 3  # only the first push wrote


def test_values_a_batch_repeats_are_checked_for_every_row_that_gives_them(client, a, world):
    """A batch's repeated values are read and cleaned once (the serializer's fields and
    the model's), and every row still gets what it gets alone: the same record, or the
    same errors, on each row that gives the value again."""

    def scenario():
        rows = []
        for n in range(1, 17):
            changes = {"qualifier": "exact" if n % 2 else "at_least", "visibility": "public"}
            if n % 4 == 1:
                changes["measure"] = "abducted"  # not a measure: the serializer
            elif n % 4 == 2:
                changes["value"] = -1  # below the bound: the serializer
            elif n % 8 == 3:
                changes["value_low"] = 500  # above the value: a check constraint
            elif n % 8 == 7:
                changes["note"] = "bad \x00 character"  # refused by the text fields
            rows.append(figure(world, n, **changes))
        reports = [post(client, a, rows).json()]
        good = [row for n, row in enumerate(rows, start=1) if n % 4 == 0]
        reports.append(post(client, a, [*good, figure(world, 20, value=44)]).json())
        reports.append(post(client, a, good).json())
        return reports

    batched, row_by_row = both_ways(scenario)
    assert batched == row_by_row
    failed = batched["reports"][0]
    assert failed["failed"] == 12
    errors = [(e["row"], e["field"], e["message"]) for e in failed["errors"]]
    assert [e[:2] for e in errors if e[1] == "measure"] == [(n, "measure") for n in (1, 5, 9, 13)]
    assert [e[0] for e in errors if e[1] == "value"] == [2, 6, 10, 14]
    assert [e[0] for e in errors if e[1] == "value_low"] == [3, 11]
    assert [e for e in errors if e[1] == "note"] == [
        (n, "note", "Null characters are not allowed.") for n in (7, 15)
    ]
    assert [(r["created"], r["unchanged"]) for r in batched["reports"][1:]] == [(5, 0), (0, 4)]


def test_a_record_written_meanwhile_with_the_same_external_id(monkeypatch, client, a, world):
    """Another transaction wrote fig-2 after the batch looked for it: the bulk write is
    refused, and row by row the row updates that record, as it would have from the start."""
    post(client, a, [figure(world, 2)])
    looked_up = bulk._existing

    def missing_fig_2(*args, **kwargs):
        return {key: record for key, record in looked_up(*args, **kwargs).items() if key != "fig-2"}

    monkeypatch.setattr(bulk, "_existing", missing_fig_2)
    rows = [figure(world, 1), figure(world, 2, value=7), figure(world, 3)]
    report = post(client, a, rows).json()
    assert [row["outcome"] for row in report["rows"]] == ["created", "updated", "created"]
    assert report["errors"] == []
    assert Figure.objects.get(external_id="fig-2").value == 7
    assert Figure.objects.filter(external_id="fig-2").count() == 1


def test_staff_imports_are_the_same(world, django_user_model):
    staff = django_user_model.objects.create_superuser("curator", "c@example.org", "pw")
    client = Client()
    client.force_login(staff)

    def scenario():
        rows = [figure(world, n) for n in range(1, 4)]
        reports = [post(client, {}, rows, reason="From the annual report").json()]
        rows[0]["value"] = 1
        reports.append(post(client, {}, rows).json())
        return reports

    batched, row_by_row = both_ways(scenario)
    assert batched == row_by_row
    assert {entry[6] for entry in batched["figures"]} == {staff.pk}  # the staff member


def test_background_jobs_are_the_same(client, a, world):
    def scenario():
        rows = [figure(world, n) for n in range(1, 5)]
        reports = [post(client, a, rows, background="true").json()]
        rows[1]["value"] = 3
        rows.append(figure(world, 5, quote="not in the text"))
        reports.append(post(client, a, rows, background="true").json())
        reports.append(post(client, a, rows[:-1], background="true").json())
        for job in ImportJob.objects.order_by("pk"):
            imports.run_job(job)  # what the task worker does
            job.refresh_from_db()
            reports.append(imports.job_report(job))
        return reports

    batched, row_by_row = both_ways(scenario)
    assert batched == row_by_row
    statuses = [
        (r["written"], r["created"], r["updated"], r["failed"]) for r in batched["reports"][3:]
    ]
    assert statuses == [(True, 4, 0, 0), (False, 0, 1, 1), (True, 0, 1, 0)]


def test_a_batch_the_database_refuses_is_redone_row_by_row(client, a, world, partner_a):
    """A staff member's asserting citation on the partner's figure: the new one collides."""
    post(client, a, [figure(world, 1), figure(world, 2)])
    fig1 = Figure.objects.get(external_id="fig-1")
    fig1.citations.update(owner=None)  # as if staff had replaced the reporting citation

    def scenario():
        rows = [figure(world, 1, quote=OTHER_QUOTE), figure(world, 2, value=5), figure(world, 3)]
        return [post(client, a, rows).json()]

    batched, row_by_row = both_ways(scenario)
    assert batched == row_by_row
    report = batched["reports"][0]
    assert report["errors"] == [
        {"row": 1, "field": None, "message": "This row could not be saved; check its values."}
    ]


def test_refused_writes_fall_back_to_row_by_row(monkeypatch, world, partner_a, token_a):
    """``record_upsert_many`` rolls a refused bulk write back and names the row that failed."""
    principal = imports.Caller(auth=token_a[0]).principal

    def refuse(*args, **kwargs):
        raise bulk.Refused("refused")

    monkeypatch.setattr(bulk, "_write", refuse)
    source = world.source
    items = [
        services.UpsertItem(
            external_id=f"fig-{n}",
            fields={
                "incident": world.incident,
                "measure": "detained",
                "value": n,
                "qualifier": "at_least",
                "as_of": datetime.date(2024, 11, 15),
            },
            citations=[services.CitationData(source=source, quote=QUOTE)],
        )
        for n in (1, 2)
    ]
    results = bulk.record_upsert_many(model=Figure, items=items, principal=principal)
    assert [result.outcome for result in results] == ["created", "created"]
    assert Figure.objects.count() == 2 and Figure.history.count() == 2


# --- queries -------------------------------------------------------------------------------


def count_queries(client, headers, rows) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = post(client, headers, rows)
    assert response.status_code == 200, response.content
    return len(queries.captured_queries)


def test_the_queries_of_an_import_do_not_grow_with_its_rows(client, a, world):
    """Created, unchanged and updated rows alike.

    Both sizes send more than ``webhooks.FAN_OUT_ABOVE`` deliveries, above which
    the delivery tasks of a write are queued a thousand to a task.
    """
    post(client, a, [figure(world, 0)])  # warm: the first request reads what later ones reuse
    counts = {}
    for size, offset in ((20, 100), (60, 200)):
        rows = [figure(world, offset + n) for n in range(size)]
        rows[1]["group"] = str(world.group.uuid)
        created = count_queries(client, a, rows)
        unchanged = count_queries(client, a, rows)
        for row in rows:
            row["value"] += 1
        rows[0]["citations"][0]["quote"] = OTHER_QUOTE
        updated = count_queries(client, a, rows)
        counts[size] = (created, unchanged, updated)
    assert counts[20] == counts[60], counts
    assert max(counts[60]) < 60, counts
    # Row by row, each row costs queries of its own.
    with bulk.row_by_row():
        rows = [figure(world, 300 + n) for n in range(40)]
        assert count_queries(client, a, rows) > 40 * 10


def test_a_value_the_database_refuses_fails_its_row(monkeypatch, client, a, world):
    """A refusal the checks cannot foresee (DataError) is reported as row by row reports it."""
    original = bulk.sqlbulk.insert

    def insert(model, objs, **kwargs):
        if model is Figure and any(obj.value == 13 for obj in objs):
            raise DataError("value out of range")
        return original(model, objs, **kwargs)

    def save(self, *args, **kwargs):
        if isinstance(self, Figure) and self.value == 13:
            raise DataError("value out of range")
        return original_save(self, *args, **kwargs)

    original_save = Figure.save
    monkeypatch.setattr(bulk.sqlbulk, "insert", insert)
    monkeypatch.setattr(Figure, "save", save)
    report = post(client, a, [figure(world, 1), figure(world, 2, value=13)]).json()
    assert report["errors"] == [
        {"row": 2, "field": None, "message": "This row could not be saved; check its values."}
    ]
    assert not Figure.objects.exists()


def test_the_garbage_collector_is_paused_only_while_a_batch_runs(client, a, world):
    import gc

    assert gc.isenabled()
    with pytest.raises(RuntimeError), imports.collector_paused():
        assert not gc.isenabled()
        with imports.collector_paused():  # nested: left alone
            assert not gc.isenabled()
        assert not gc.isenabled()
        raise RuntimeError
    assert gc.isenabled()
    gc.disable()
    try:
        with imports.collector_paused():
            pass
        assert not gc.isenabled()  # it was off before: it stays off
    finally:
        gc.enable()
    post(client, a, [figure(world, 1)])
    assert gc.isenabled()
