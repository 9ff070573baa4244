"""Bulk import: a batch of records of one kind, upserted by external id, all or nothing.

A batch comes as a JSON array, as NDJSON (one JSON object a line) or as CSV
with a header row (nested fields flattened with dots: ``citations.0.quote``;
list fields such as ``methods`` as ``;``-separated codes; an empty cell means
"not given"). Each row is validated by the resource's write serializer, the
same one ``PUT .../by-external-id/`` uses, and written with
``services.record_upsert`` keyed by the row's ``external_id``, so importing
the same batch twice creates nothing the second time.

By default a batch is all or nothing: every row runs in one transaction
(``changes.collecting``), each in a savepoint of its own (the one
``record_upsert`` opens), and if any row fails, or the batch is a dry run,
the transaction is rolled back. The report says, row by row, what was done
(or would have been) and why a row failed.

A batch is read as a stream (``incidents.integration.batches``): a row at a
time, never the whole body at once, within ``IMPORT_MAX_BYTES`` and
``IMPORT_MAX_ROWS``. Small batches (``IMPORT_SYNC_MAX_ROWS``) are kept in
memory and run within the request (``run_batch``). Larger ones are counted
and checked as they are read, their bytes copied to the import storage
(``STORAGES["imports"]``, a directory by default), and stored as an
``ImportJob`` that the task worker runs (``run_job``), reading the copy again
as a stream, in two phases so that their progress can be followed: every row
is first validated, chunk by chunk, each chunk in a transaction rolled back
at its end (progress is committed between chunks); only if every row passed
are all rows written, in one transaction. Rows are therefore validated
against the database as it was when they were validated; a row that fails
while writing (a concurrent change got there first) fails the whole job, and
nothing is written.

A job's copy of its batch is deleted as soon as the job has finished (an
admin preview's once it is confirmed, or expires); the job and its report
after ``IMPORT_RETENTION_DAYS`` (``purge_jobs``: the worker runs it after
each job, and ``manage.py purge_import_jobs`` from cron).

Row numbers are 1-based and count records: the n-th element of the JSON
array, the n-th non-blank NDJSON line, the n-th CSV record after the header.
"""

import gc
import logging
from collections import Counter
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import islice

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files import File
from django.core.files.storage import storages
from django.db import DataError, IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task
from rest_framework import serializers
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.fields import SkipField, empty

from incidents.access import principal_of
from incidents.api.write_serializers import WRITE_SERIALIZERS, RecordRef, TermRef
from incidents.integration import batches
from incidents.integration.batches import Batch, BatchError, Row
from incidents.integration.changes import MODELS, collecting
from incidents.models import ApiToken, ImportJob
from incidents.models.integration import ImportStatus
from incidents.writes import bulk, services
from incidents.writes.audit import audit_context

logger = logging.getLogger(__name__)

# What the views and the admin read a batch with, named where they find the rest of an import.
MEDIA_TYPES = batches.MEDIA_TYPES
TooLarge = batches.TooLarge
detect_format = batches.detect_format

# The resources one can import, by their API name (actors, figures, ...).
RESOURCES = MODELS

# Rows validated per transaction in a background job; progress is committed between chunks.
CHUNK_ROWS = 1000
# Rows upserted together on the batched path (incidents.writes.bulk): the queries of an import
# are a constant number per this many rows; the memory it takes grows with it.
FLUSH_ROWS = 2000
ERROR = "error"
MAX_MESSAGE = 2000
# The storage (settings.STORAGES) that keeps a background job's batch until the job has run.
SPOOL_STORAGE = "imports"
# A stored batch that no job names (its job's transaction rolled back) is deleted after this.
ORPHAN_AGE = timedelta(days=1)

# --- Who imports ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Caller:
    """Who imports, shaped like the request the rest of the code reads one from.

    ``access.principal_of`` and ``RecordRef`` (which resolves links among the
    records the caller may read) look at ``user`` and ``auth``; a background
    job has no request, so it rebuilds one of these from the job.
    """

    user: object = field(default_factory=AnonymousUser)
    auth: object = None  # the partner's ApiToken
    via: str = "api"
    reason: str = ""

    @property
    def principal(self):
        return principal_of(self)


def may_import(user, model) -> bool:
    """Staff import what they may both add and change: an upsert does either."""
    name = model._meta.model_name
    return user.has_perm(f"incidents.add_{name}") and user.has_perm(f"incidents.change_{name}")


def caller_of(job: ImportJob) -> Caller:
    """The caller a job runs as, if it still may import; BatchError otherwise.

    A job may wait in the queue: a token revoked, or a staff member's right
    withdrawn, meanwhile must not write.
    """
    if job.partner_id is not None:
        token = ApiToken.objects.select_related("partner").filter(prefix=job.token_prefix).first()
        if (
            token is None
            or token.partner_id != job.partner_id
            or not token.is_usable
            or not token.can_write
        ):
            raise BatchError(
                {
                    "body": [
                        _("The token that sent this import may no longer write; nothing written.")
                    ]
                }
            )
        return Caller(auth=token, via=job.via, reason=job.reason)
    user = job.user
    if (
        user is None
        or not (user.is_active and user.is_staff)
        or not may_import(user, RESOURCES[job.resource])
    ):
        raise BatchError(
            {
                "body": [
                    _("The staff member who sent this import may no longer import these records.")
                ]
            }
        )
    return Caller(user=user, via=job.via, reason=job.reason)


# --- Reading a batch -----------------------------------------------------------------------


def write_serializer(model, caller: Caller):
    """The resource's write serializer, with links resolved among what the caller may read."""
    return WRITE_SERIALIZERS[model](context={"request": caller})


@contextmanager
def collector_paused():
    """Pause Python's cyclic garbage collector while a batch is read or run.

    A batch allocates objects by the hundred thousand (parsed rows, validated
    data, model instances), and every so many allocations Python looks for
    reference cycles among all the objects of the process, Django's own
    included: about a fifth of the time of a large import went to that. Nearly
    nothing a batch makes is in a cycle (a few hundred objects per request,
    whatever its size), and reference counting frees everything else as usual;
    the collector runs again from the end of the block and frees those few.
    Nested uses, and a collector that was already off, are left alone.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def read_batch(source, fmt: str, model, *, keep: int) -> Batch:
    """Read a batch from ``source`` (binary, file-like) as a stream, within the import limits.

    Its rows are kept when there are at most ``keep`` (to run within the
    request); a larger batch is counted, checked and copied, never held.
    ``TooLarge`` past ``IMPORT_MAX_ROWS`` rows or ``IMPORT_MAX_BYTES`` bytes,
    ``BatchError`` when it cannot be read or has no records.
    """
    with collector_paused():
        return batches.read(
            source,
            fmt,
            write_serializer(model, Caller()),
            keep=keep,
            max_rows=settings.IMPORT_MAX_ROWS,
            max_bytes=settings.IMPORT_MAX_BYTES,
        )


# --- Running a batch -----------------------------------------------------------------------


@dataclass
class Report:
    """What a batch did, or would have done: one result per row, and every error."""

    resource: str
    dry_run: bool
    written: bool = False
    rows: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)

    @property
    def counts(self) -> Counter:
        return Counter(row["outcome"] for row in self.rows)

    def as_dict(self) -> dict:
        counts = self.counts
        return {
            "resource": self.resource,
            "dry_run": self.dry_run,
            "written": self.written,
            "total_rows": len(self.rows),
            "created": counts[services.Outcome.CREATED],
            "updated": counts[services.Outcome.UPDATED],
            "unchanged": counts[services.Outcome.UNCHANGED],
            "failed": counts[ERROR],
            "rows": self.rows,
            "errors": self.errors,
        }


def flatten(detail, path: str = "") -> list[tuple[str | None, str]]:
    """(field path, message) pairs from nested error details.

    DRF gives ``{"citations": [{}, {"quote": ["..."]}]}`` and ``{"methods": {1:
    ["..."]}}``, the services the same shape with Django's "__all__"; each
    message is filed under its dotted path (``citations.1.quote``), or None
    for the row as a whole.
    """
    if isinstance(detail, dict):
        pairs = []
        for key, value in detail.items():
            if key in (NON_FIELD_ERRORS, "non_field_errors"):
                pairs.extend(flatten(value, path))
            else:
                pairs.extend(flatten(value, f"{path}.{key}" if path else str(key)))
        return pairs
    if isinstance(detail, list | tuple):
        if any(isinstance(item, dict) for item in detail):  # one entry per nested item
            pairs = []
            for index, item in enumerate(detail):
                pairs.extend(flatten(item, f"{path}.{index}" if path else str(index)))
            return pairs
        return [pair for item in detail for pair in flatten(item, path)]
    return [(path or None, str(detail))]


def _error_pairs(error: Exception) -> list[tuple[str | None, str]]:
    if isinstance(error, services.Invalid):
        return flatten(error.detail)
    if isinstance(error, DRFValidationError):
        return flatten(error.detail)
    if isinstance(error, DjangoValidationError):
        return flatten(error.message_dict if hasattr(error, "error_dict") else error.messages)
    if isinstance(error, IntegrityError | DataError):  # the database's words are not for clients
        return [(None, _("This row could not be saved; check its values."))]
    return [(None, str(error))]


class _Discard(Exception):
    """Raised inside the batch's transaction to roll it back (and skip the change feed)."""


@dataclass
class _Pending:
    """A row that passed its own checks, waiting for the batched upsert of its kind."""

    row: Row
    result: dict
    item: services.UpsertItem


class Importer:
    """Validates and upserts the rows of one batch for one caller.

    One serializer serves every row (building one per row costs more than the
    row). Links to records of *other* kinds, and vocabulary terms, are looked
    up once per batch: an import writes only records of its own kind, so what
    the caller may read of the others does not change while it runs. Fields
    of plain values (codes, numbers, dates, flags) read each value once per
    batch too (``_validated_once``).

    Kinds that ``incidents.writes.bulk`` handles (figures) are upserted a batch at a
    time: ``process`` checks a row on its own (the write serializer, unknown
    keys, its external id) and keeps it; ``flush`` (every ``FLUSH_ROWS`` rows,
    and at the end) upserts the kept rows with ``bulk.record_upsert_many``,
    which gives each the outcome and errors ``record_upsert`` would. Rows of
    one of those kinds never depend on each other (an import links only to
    records of other kinds), so deferring their writes changes no outcome.
    Other kinds are upserted row by row as they come, since a row may link to
    a record an earlier row of the batch created.

    ``write`` false (a dry run, or a job's validating phase, both rolled back)
    lets the batched upsert skip writing what would be discarded anyway; so
    does a batch that already has a failed row.
    """

    def __init__(self, model, caller: Caller, *, write: bool = True):
        self.model = model
        self.caller = caller
        self.principal = caller.principal
        self.serializer = write_serializer(model, caller)
        self._remember_links(self.serializer, {})
        # The writable fields of each serializer a row goes through, and those that are
        # nested lists, by id: bound fields never change, and the serializers live as
        # long as the importer.
        self.shapes: dict[int, tuple[dict, list]] = {}
        self.seen: dict[str, int] = {}  # external id -> the row that first gave it
        self.rows: list[dict] = []
        self.errors: list[dict] = []
        self.batched = bulk.supports(model)
        self.write = write
        self.pending: list[_Pending] = []

    def _remember_links(self, serializer, cache: dict) -> None:
        for target in batches.writable(serializer).values():
            if isinstance(target, serializers.ListSerializer):
                self._remember_links(target.child, cache)
                continue
            if isinstance(target, serializers.ListField):
                target = target.child
            if isinstance(target, RecordRef | TermRef) and target.queryset.model is not self.model:
                target.to_internal_value = _remembered(target, cache)
            elif _validates_alike(target):
                target.run_validation = _validated_once(target)

    def audit(self):
        principal = self.principal
        return audit_context(
            via=self.caller.via,
            user=principal.user,
            partner=principal.partner,
            token_prefix=principal.token.prefix if principal.token is not None else "",
            reason=self.caller.reason,
        )

    def process(self, row: Row) -> dict:
        """Validate and upsert one row (in a savepoint), recording its result and errors."""
        problems = [(p["field"], p["message"]) for p in row.problems]
        problems += self._unknown_fields(self.serializer, row.data)
        validated = None
        try:
            validated = self.serializer.run_validation(row.data)
        except DRFValidationError as error:
            problems += _error_pairs(error)
        # As the serializer reads it (trimmed), so that " a1" and "a1" are one id.
        external_id = (validated or {}).get("external_id", _raw_external_id(row.data))
        problems += self._check_external_id(external_id, row.number, problems)
        result = {
            "row": row.number,
            "external_id": batches.shown(external_id) if external_id is not None else None,
            "id": None,
            "outcome": ERROR,
        }
        self.rows.append(result)
        if not problems and self.batched:
            self.pending.append(_Pending(row, result, _item(validated)))
            if len(self.pending) >= FLUSH_ROWS:
                self.flush()
            return result
        if not problems:
            try:
                self._settle(result, *self._upsert(validated))
            except services.ROW_ERRORS as error:
                problems += _error_pairs(error)
        self._report_problems(row, problems)
        return result

    def flush(self) -> None:
        """Upsert the rows kept for the batched path, filling in their results and errors."""
        pending, self.pending = self.pending, []
        if not pending:
            return
        results = bulk.record_upsert_many(
            model=self.model,
            items=[entry.item for entry in pending],
            principal=self.principal,
            write=self.write and not self.errors,
        )
        for entry, outcome in zip(pending, results, strict=True):
            if outcome.error is None:
                self._settle(entry.result, outcome.record, outcome.outcome)
            else:
                self._report_problems(entry.row, _error_pairs(outcome.error))

    @staticmethod
    def _settle(result: dict, record, outcome: str) -> None:
        result["id"] = str(record.uuid)
        result["outcome"] = outcome

    def _report_problems(self, row: Row, problems: list) -> None:
        self.errors += [
            {
                "row": row.number,
                "field": self._column(name, row),
                "message": batches.shown(message, MAX_MESSAGE),
            }
            for name, message in problems
        ]

    def _upsert(self, validated: dict):
        item = _item(validated)
        # record_upsert runs in a savepoint of its own (``collecting`` nests as one):
        # a row that fails leaves nothing behind, and the batch goes on.
        return services.record_upsert(
            model=self.model,
            external_id=item.external_id,
            fields=item.fields,
            principal=self.principal,
            citations=item.citations,
            methods=item.methods,
        )

    def _check_external_id(self, external_id, number: int, problems) -> list:
        if any(name == "external_id" for name, _ in problems):
            return []  # the serializer said what is wrong with it
        if external_id is None or not external_id.strip():
            return [
                (
                    "external_id",
                    _(
                        "Every row of an import needs an external_id (your own id for the "
                        "record): re-importing updates the record that has it."
                    ),
                )
            ]
        first = self.seen.setdefault(external_id, number)
        if first != number:
            return [
                (
                    "external_id",
                    _("Row %(first)d of this batch has the same external_id.") % {"first": first},
                )
            ]
        return []

    def _unknown_fields(self, serializer, data: dict, path: str = "") -> list:
        """Keys the resource does not take: DRF would ignore them, and the data with them."""
        shape = self.shapes.get(id(serializer))
        if shape is None:  # the row serializer and its nested ones, each read once
            writable = batches.writable(serializer)
            nested = [
                (name, target.child)
                for name, target in writable.items()
                if isinstance(target, serializers.ListSerializer)
            ]
            shape = self.shapes[id(serializer)] = (writable, nested)
        writable, nested = shape
        problems = [
            (f"{path}{batches.shown(key)}", _("Unknown field."))
            for key in data
            if key not in writable
        ]
        for name, child in nested:
            items = data.get(name)
            if isinstance(items, list):
                for index, item in enumerate(items):
                    if isinstance(item, dict):
                        problems += self._unknown_fields(child, item, f"{name}.{index}.")
        return problems

    @staticmethod
    def _column(name: str | None, row: Row) -> str | None:
        """The field path as the client wrote it (CSV's own item numbers)."""
        if name is None or not row.positions:
            return name
        parts = name.split(".")
        positions = row.positions.get(parts[0])
        if positions and len(parts) > 1 and parts[1].isdigit() and int(parts[1]) < len(positions):
            parts[1] = str(positions[int(parts[1])])
        return ".".join(parts)

    def report(self, resource: str, *, dry_run: bool, written: bool) -> Report:
        self.flush()
        rows = self.rows
        if not written:
            # Records created in a rolled-back transaction never existed.
            rows = [
                {**row, "id": None} if row["outcome"] == services.Outcome.CREATED else row
                for row in rows
            ]
        # In row order, each row's own problems before its write's, as row by row
        # (the batched path reports a row's write errors when it flushes).
        errors = sorted(self.errors, key=lambda error: error["row"])
        return Report(resource, dry_run, written, rows, errors)


def _item(validated: dict) -> services.UpsertItem:
    """A validated row as the services take it."""
    fields = {
        name: value
        for name, value in validated.items()
        if name not in ("citations", "methods", "external_id")
    }
    return services.UpsertItem(
        external_id=validated["external_id"],
        fields=fields,
        citations=validated.get("citations"),
        methods=validated.get("methods"),
    )


def _raw_external_id(data: dict) -> str | None:
    value = data.get("external_id")
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)  # as DRF's CharField would read it
    return value if isinstance(value, str) else None


# DRF fields whose reading of a value depends on the value and the field alone, and
# gives an immutable value (a code, a number, a date, a flag), by exact type.
ALIKE_FIELDS = (
    serializers.ChoiceField,
    serializers.IntegerField,
    serializers.DateField,
    serializers.BooleanField,
)
# Values read once per field: JSON's plain values, where equal values are the same value.
ALIKE_VALUES = (str, int, bool, type(None))
# What a field's validators may be for it to read alike: functions of the value alone.
PURE_VALIDATORS = ("django.core.validators", "rest_framework.validators")


class _Skipped:
    """A field ``_validated_once`` remembers leaving out (DRF's ``SkipField``)."""


def _validates_alike(field) -> bool:
    """Whether ``_validated_once`` may remember what ``field`` makes of each value."""
    return type(field) in ALIKE_FIELDS and all(
        type(v).__module__ in PURE_VALIDATORS and not getattr(v, "requires_context", False)
        for v in field.validators
    )


def _validated_once(field):
    """``field.run_validation``, remembering what it made of each value it accepted.

    A batch gives a field a handful of values (a measure, a qualifier, a date,
    a value left out) thousands of times; each is read, checked and converted
    once. Values it refused are not remembered: each row gets its own error,
    as before.
    """
    run = field.run_validation
    seen: dict = {}

    def run_validation(data=empty):
        if data is not empty and type(data) not in ALIKE_VALUES:
            return run(data)
        key = (type(data), data)
        found = seen.get(key, seen)  # ``seen`` itself: not read yet
        if found is seen:
            try:
                found = run(data)
            except SkipField:
                found = _Skipped
            seen[key] = found
        if found is _Skipped:
            raise SkipField()
        return found

    return run_validation


def _remembered(target, cache: dict):
    """``target.to_internal_value``, remembering what each id or code resolved to."""
    lookup = target.to_internal_value
    scope = (target.queryset.model, getattr(target, "vocabulary", None))

    def to_internal_value(data):
        if not isinstance(data, str):
            return lookup(data)
        key = (*scope, data)
        if key not in cache:
            cache[key] = lookup(data)  # failures raise, and are not remembered
        return cache[key]

    return to_internal_value


def run_batch(rows: Iterable[Row], resource: str, caller: Caller, *, dry_run: bool) -> Report:
    """Run a batch in one transaction: written only if it is not a dry run and no row failed.

    ``rows`` may be read as they come (a job's, from its stored copy): each is
    processed and let go, only its result kept for the report.
    """
    importer = Importer(RESOURCES[resource], caller, write=not dry_run)
    written = False
    with collector_paused(), importer.audit():
        try:
            with collecting():
                for row in rows:
                    importer.process(row)
                importer.flush()
                if dry_run or importer.errors:
                    raise _Discard
            written = True
        except _Discard:
            pass
    return importer.report(resource, dry_run=dry_run, written=written)


# --- Jobs ----------------------------------------------------------------------------------


def spool_storage():
    """Where a background job's batch waits for the worker: ``STORAGES["imports"]``.

    A directory (``IMPORT_SPOOL_DIR``) by default; with more than one machine, a
    directory they share or any other Django storage, so that the worker can
    read what a web server stored.
    """
    return storages[SPOOL_STORAGE]


def _gone() -> BatchError:
    return BatchError(
        {"body": [_("The batch of this import is no longer stored; nothing was written.")]}
    )


def create_job(
    *, caller: Caller, resource: str, batch: Batch, dry_run: bool, queue: bool = False
) -> ImportJob:
    """Store a batch as a job, its bytes in the import storage; queued for the worker if asked.

    The job and its task are saved together or not at all; if saving them
    fails, the copy just stored is deleted again. A batch taken from a preview
    (``take_batch``) is already stored: the job takes its copy over.
    """
    principal = caller.principal
    job = ImportJob(
        partner=principal.partner,
        user=principal.user,
        token_prefix=principal.token.prefix if principal.token is not None else "",
        via=caller.via,
        resource=resource,
        format=batch.fmt,
        dry_run=dry_run,
        reason=caller.reason,
        total_rows=batch.total_rows,
    )
    stored_here = batch.body is not None
    if stored_here:
        batch.body.seek(0)
        job.payload_file = spool_storage().save(f"{job.uuid}.{batch.fmt}", File(batch.body))
    else:
        job.payload_file = batch.stored
    try:
        with transaction.atomic():
            job.save()
            if queue:
                enqueue(job)
    except BaseException:
        if stored_here:
            spool_storage().delete(job.payload_file)
        raise
    return job


@contextmanager
def stored_rows(job: ImportJob):
    """The rows of a job's stored batch, read from the import storage as they are needed.

    BatchError when it is no longer stored (purged, or taken by a confirmation).
    """
    try:
        file = spool_storage().open(job.payload_file, "rb") if job.payload_file else None
    except FileNotFoundError:
        file = None
    if file is None:
        raise _gone()
    with file:
        serializer = write_serializer(RESOURCES[job.resource], Caller())
        yield batches.rows(batches.open_body(file, job.format), job.format, serializer)


def take_batch(preview: ImportJob, *, keep: int) -> Batch:
    """A passed admin preview's stored batch, for the job that confirms it.

    The confirming job takes the stored copy over, so a preview is confirmed
    once; its rows are read when there are at most ``keep`` (to run within the
    request). BatchError when the copy is gone, or another confirmation took it.
    """
    rows = None
    if preview.total_rows <= keep:
        with collector_paused(), stored_rows(preview) as reading:
            rows = list(reading)
    name = preview.payload_file
    taken = (
        ImportJob.objects.filter(pk=preview.pk, payload_file=name)
        .exclude(payload_file="")
        .update(payload_file="")
    )
    if not taken:
        raise _gone()
    preview.payload_file = ""
    return Batch(fmt=preview.format, total_rows=preview.total_rows, rows=rows, stored=name)


def awaits_confirmation(job: ImportJob) -> bool:
    """An admin preview that passed: its stored batch is kept for "Confirm import"."""
    return (
        job.via == "admin"
        and job.dry_run
        and job.partner_id is None
        and job.status == ImportStatus.SUCCEEDED
    )


def discard_payload(job: ImportJob) -> None:
    """Delete a job's stored batch: once the job has run, nothing reads it again."""
    name = job.payload_file
    if not name:
        return
    ImportJob.objects.filter(pk=job.pk).update(payload_file="")
    job.payload_file = ""
    spool_storage().delete(name)


def run_now(job: ImportJob, rows: list[Row], caller: Caller) -> Report:
    """Run a stored small job within the request (the admin keeps every import as a job)."""
    job.status, job.started_at = ImportStatus.RUNNING, timezone.now()
    job.save(update_fields=["status", "started_at"])
    report = run_batch(rows, job.resource, caller, dry_run=job.dry_run)
    store_report(job, report)
    return report


def enqueue(job: ImportJob) -> None:
    """Queue a stored job for the task worker."""
    run_import.enqueue(job.pk)


def store_report(job: ImportJob, report: Report, *, error: str | None = None) -> None:
    """Finish a job with its report (or with one error about the batch as a whole).

    Its stored batch is deleted then, unless it is a preview waiting to be confirmed.
    """
    data = report.as_dict()
    failed = bool(report.errors) or error is not None
    job.status = ImportStatus.FAILED if failed else ImportStatus.SUCCEEDED
    job.created, job.updated, job.unchanged = data["created"], data["updated"], data["unchanged"]
    job.rows = data["rows"]
    if error is not None:
        report.errors = [{"row": None, "field": None, "message": error}]
    job.errors = report.errors
    job.processed_rows = job.total_rows if error is None else job.processed_rows
    job.finished_at = timezone.now()
    job.save(
        update_fields=[
            "status",
            "created",
            "updated",
            "unchanged",
            "rows",
            "errors",
            "processed_rows",
            "finished_at",
        ]
    )
    if not awaits_confirmation(job):
        discard_payload(job)


def job_report(job: ImportJob) -> dict | None:
    """A finished job's report, in the shape of a request's; None while it runs."""
    if job.status not in (ImportStatus.SUCCEEDED, ImportStatus.FAILED):
        return None
    report = Report(
        resource=job.resource,
        dry_run=job.dry_run,
        written=job.status == ImportStatus.SUCCEEDED and not job.dry_run,
        rows=job.rows,
        errors=job.errors,
    )
    return report.as_dict()


def job_phase(job: ImportJob) -> str:
    """queued, validating, writing or finished: the writing phase shows no row progress."""
    if job.status == ImportStatus.QUEUED:
        return "queued"
    if job.status == ImportStatus.RUNNING:
        return "validating" if job.processed_rows < job.total_rows else "writing"
    return "finished"


def run_job(job: ImportJob) -> None:
    """Run a stored job in two phases: validate every row in chunks, then write them all.

    Validating commits progress after each chunk; writing is one transaction,
    so other connections see no progress until it ends (``job_phase`` says
    "writing" meanwhile). Each phase reads the stored batch again, a row at a
    time.
    """
    started = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING, started_at=timezone.now(), processed_rows=0
    )
    if not started:
        return  # another worker has it, or it has run
    job.refresh_from_db()
    try:
        caller = caller_of(job)
        # Everything the validating phase does is rolled back: the batched path need not write.
        checker = Importer(RESOURCES[job.resource], caller, write=False)
        job.processed_rows = _validate(job, checker)
        if checker.errors or job.dry_run:
            store_report(job, checker.report(job.resource, dry_run=job.dry_run, written=False))
            return
        with stored_rows(job) as rows:
            report = run_batch(rows, job.resource, caller, dry_run=False)
    except BatchError as error:
        message = " ".join(m for ms in error.detail.values() for m in ms)
        store_report(job, Report(job.resource, job.dry_run), error=message)
        return
    store_report(job, report)


def _validate(job: ImportJob, checker: Importer) -> int:
    """The validating phase: ``CHUNK_ROWS`` rows a transaction, rolled back; progress stored."""
    done = 0
    with collector_paused(), checker.audit(), stored_rows(job) as rows:
        while chunk := list(islice(rows, CHUNK_ROWS)):
            try:
                with collecting():
                    for row in chunk:
                        checker.process(row)
                    checker.flush()
                    raise _Discard
            except _Discard:
                pass
            done += len(chunk)
            ImportJob.objects.filter(pk=job.pk).update(processed_rows=done)
    return done


@task()
def run_import(job_id: int) -> str:
    """The task the worker runs for a queued import job; then it purges expired jobs."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None:
        return "gone"
    try:
        run_job(job)
    except Exception:
        # Whatever went wrong, the client following the job must not wait forever.
        ImportJob.objects.filter(pk=job_id).exclude(
            status__in=[ImportStatus.SUCCEEDED, ImportStatus.FAILED]
        ).update(
            status=ImportStatus.FAILED,
            finished_at=timezone.now(),
            errors=[
                {
                    "row": None,
                    "field": None,
                    "message": _("The import stopped on an unexpected error; nothing was written."),
                }
            ],
        )
        discard_payload(ImportJob.objects.get(pk=job_id))
        raise
    # Here rather than in a request: the worker has the time, and it runs whenever jobs do.
    try:
        purge_jobs()
    except Exception:  # the import has run; a purge that failed is tried again next time
        logger.exception("Purging expired import jobs failed.")
    return ImportJob.objects.values_list("status", flat=True).get(pk=job_id)


# --- Retention -----------------------------------------------------------------------------


def purge_jobs(*, now=None) -> tuple[int, int]:
    """Delete what an import leaves once it is no longer needed: (jobs, stored batches) deleted.

    A job, its report and any batch it still stores, ``IMPORT_RETENTION_DAYS``
    after it finished (or, if it never did, after it was queued or started);
    and stored batches that no job names (their job's transaction rolled back)
    after ``ORPHAN_AGE``. Reports name external ids and repeat what was wrong
    with the rows; they are kept for the client to read, not for ever.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.IMPORT_RETENTION_DAYS)
    expired = ImportJob.objects.filter(
        Q(finished_at__lt=cutoff)
        | Q(finished_at__isnull=True, started_at__isnull=True, created_at__lt=cutoff)
        | Q(finished_at__isnull=True, started_at__lt=cutoff)
    )
    storage = spool_storage()
    files = 0
    for name in expired.exclude(payload_file="").values_list("payload_file", flat=True):
        storage.delete(name)
        files += 1
    jobs = expired.delete()[1].get(ImportJob._meta.label, 0)
    return jobs, files + _purge_orphans(storage, now)


def _purge_orphans(storage, now) -> int:
    try:
        _folders, names = storage.listdir("")
    except FileNotFoundError:  # nothing was ever stored
        return 0
    named = set(ImportJob.objects.exclude(payload_file="").values_list("payload_file", flat=True))
    deleted = 0
    for name in names:
        if name in named:
            continue
        try:
            # A copy younger than this may belong to a job whose transaction is still open.
            if now - storage.get_modified_time(name) < ORPHAN_AGE:
                continue
        except FileNotFoundError:  # deleted meanwhile
            continue
        storage.delete(name)
        deleted += 1
    return deleted


def sync_limit() -> int:
    """The most rows a batch may have to run within the request (read on each call)."""
    return settings.IMPORT_SYNC_MAX_ROWS
