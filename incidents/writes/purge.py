"""Purge: remove a value entered by mistake from a record and from every place it was kept.

An administrator purges one value (a phone number, a witness's name) from one text
field of one record. In one transaction, the value is replaced wherever this
system kept a copy of it, and a ``PurgeEntry`` says who did it, when, to which
record and field, why, and how many places held it: never the value.

**Where a record's value is kept**, and what a purge does there:

- the record's own row: the field (``purgeable_fields``: the record's free-text
  fields; codes, choices, dates, numbers, links and ``external_id``, the owner's
  key for its upserts, are not purgeable);
- its history (django-simple-history's ``Historical<Model>`` table): the same
  field of every entry that holds the value, and the reason written with any
  entry (``history_change_reason``), which may quote it. Other fields and other
  entries are left as they were: the history still says what else changed and
  when. The history of an allegation's methods (``historicalallegation_methods``)
  holds only links to vocabulary terms, never text;
- the admin's action log (``django_admin_log``): the name under which each entry
  shows the record (``object_repr``, the record's ``str()``) and the change
  message, which names the inline records (a citation's quote) a save added or
  changed. A name the admin cut short (a long quote shown by its first 57
  characters) keeps the part of the value it holds;
- webhook deliveries: the payload and last error of those about the record
  (payload ``record_id``), and of any delivery whose error or receiver's answer
  (the start of it, kept with each attempt) repeats the value. Events carry ids,
  not values, so payloads rarely hold one; a pending delivery is sent from its
  stored payload, so a retry sends what the purge left. The signature is
  computed when a request is sent, so nothing signed is stored;
- import jobs, of any partner and kind (a citation's quote arrives inside a
  figure's row): their reports (row results and error messages, which may
  quote what a row held) and reason, and the batch each keeps in the import
  storage (``STORAGES["imports"]``) until it has run, so that a batch still
  waiting cannot bring the value back (a job the worker is running at that very
  moment reads the copy it opened: purge again once it has finished);
- stored API answers (``IdempotencyKey``): a write's answer is kept, to replay it
  to a retry with the same key, and is the record as it then read, citations
  included; every stored answer that names the record and holds the value is
  scrubbed, and its request fingerprint (a hash of the request, which held the
  value, and so a way to test guesses of it) is dropped: a retry with that key
  is then refused as another request (422) rather than replayed.

Places that never hold a value: the change feed (``Change`` rows are a record's id,
version and audience, not its fields; the answers served from it read the
record as it is now); search (expression indexes over the live columns, no copy of
the text); the cache (the default cache holds throttling counts only, and API
answers are never cached on the server; the record's version changes with a purge,
and so does its ETag). Other records are other purges: a name in a source's full
text and in a citation quoting it are two fields of two records, purged one by one.

**What replaces the value**: where the whole field was the value, the field's empty
value if it may be empty, otherwise ``MARKER`` (``[purged]``; a field that must be
unique, such as an actor's name, gets ``[purged <6 hex digits>]``). Where the value
was part of a longer text, ``MARKER`` takes its place and the rest of the text stays.
A URL holding the value is emptied whole: a URL with ``[purged]`` in it is no URL.
The record is checked by its field's own rules and its database constraints; a
replacement they refuse (a text that would grow past its field's length) is
refused with their message, and nothing changes. A citation's quote is *not*
checked against its source's text here: a purged quote reads ``[purged]`` where
the value was, and passes the verbatim check again once the same value is purged
from the source's text too.

What a purge cannot reach (``docs/deployment.md``): backups, the database's own
write-ahead log and free space until reclaimed (``reclaim``), copies partners
already fetched, and logs outside the database.
"""

import json
import secrets
import uuid
from dataclasses import asdict, dataclass, fields

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import DatabaseError, connection, models
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django_countries.fields import CountryField

from incidents.integration.changes import RESOURCES, collecting
from incidents.models import (
    IdempotencyKey,
    ImportJob,
    PurgeEntry,
    Record,
    WebhookAttempt,
    WebhookDelivery,
)
from incidents.security import log_event
from incidents.writes.audit import VIA_ADMIN, audit_context

MARKER = "[purged]"
# What a stored API answer's request fingerprint becomes (``_Purge.stored_answers``).
PURGED_FINGERPRINT = "purged"
# A shorter value would be found inside unrelated words and messages of the places scanned.
MIN_LENGTH = 2
# Kinds of records, in the order a record id is looked up.
RECORD_MODELS: tuple[type[Record], ...] = tuple(RESOURCES)
# Text fields that are keys rather than prose: an owner's upsert key, a language code.
NOT_PURGEABLE = frozenset({"external_id", "language"})


def purgeable_fields(model: type[Record]) -> list[str]:
    """The fields of a kind of record a value can be purged from: its free text."""
    return [
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and not isinstance(field, CountryField)
        and not field.choices
        and field.editable
        and field.name not in NOT_PURGEABLE
    ]


def field_choices(model: type[Record]) -> list[tuple[str, str]]:
    """(name, label) of each purgeable field, as forms list them."""
    return [
        (name, capfirst(model._meta.get_field(name).verbose_name))
        for name in purgeable_fields(model)
    ]


def may_purge(user) -> bool:
    """Administrators (the ``purge_records`` permission) and superusers."""
    return (
        user is not None
        and user.is_active
        and user.is_staff
        and user.has_perm("incidents.purge_records")
    )


def find_record(record_id) -> Record:
    """The record (of any kind, deleted or not) with this public id; ValidationError if none."""
    try:
        public_id = uuid.UUID(str(record_id).strip())
    except ValueError:
        raise ValidationError(
            {
                "record": _("“%(id)s” is not a record id: give the record's UUID.")
                % {"id": record_id}
            }
        ) from None
    for model in RECORD_MODELS:
        found = model.objects.filter(uuid=public_id).first()
        if found is not None:
            return found
    raise ValidationError({"record": _("No record has the id %(id)s.") % {"id": public_id}})


@dataclass
class Places:
    """How many places held the value (a preview), or had it replaced (a purge)."""

    record_changed: bool = False
    history_rows: int = 0
    admin_log_entries: int = 0
    webhook_deliveries: int = 0
    import_jobs: int = 0
    import_files: int = 0
    idempotency_records: int = 0

    @classmethod
    def of(cls, entry: PurgeEntry) -> "Places":
        """The counts a purge entry keeps."""
        return cls(**{f.name: getattr(entry, f.name) for f in fields(cls)})

    @property
    def total(self) -> int:
        return sum(int(getattr(self, f.name)) for f in fields(self))

    def lines(self) -> list[tuple[str, int]]:
        """(what, how many) for people: the counts as the admin page and the command show them."""
        return [
            (_("the record itself"), int(self.record_changed)),
            (_("history entries"), self.history_rows),
            (_("admin log entries"), self.admin_log_entries),
            (_("webhook deliveries"), self.webhook_deliveries),
            (_("import jobs (reports)"), self.import_jobs),
            (_("stored import batches"), self.import_files),
            (_("stored API answers"), self.idempotency_records),
        ]


# --- replacing a value -----------------------------------------------------------------------


def _replaced(field, text: str, value: str) -> str:
    """``text`` without ``value``, as the rules of the module docstring replace it."""
    if not isinstance(text, str) or value not in text:
        return text
    if text == value or isinstance(field, models.URLField):
        return "" if field.blank else MARKER
    return text.replace(value, MARKER)


def _scrub(data, value: str):
    """``data`` (decoded JSON) with ``value`` replaced in every string, keys included."""
    if isinstance(data, str):
        return data.replace(value, MARKER) if value in data else data
    if isinstance(data, list):
        return [_scrub(item, value) for item in data]
    if isinstance(data, dict):
        return {_scrub(key, value): _scrub(item, value) for key, item in data.items()}
    return data


def _spellings(value: str) -> list[str]:
    """How ``value`` may be written inside stored text: as is, JSON-escaped, CSV-quoted.

    Longest first, so that replacing one spelling never leaves part of another.
    """
    forms = {
        value,
        json.dumps(value)[1:-1],  # as Django's JSONField writes it on SQLite (\u00e9)
        json.dumps(value, ensure_ascii=False)[1:-1],  # as PostgreSQL prints jsonb
        value.replace('"', '""'),  # inside a quoted CSV cell
    }
    return sorted(forms, key=len, reverse=True)


def _text_holds(column: str, value: str, *, json_column: bool = False) -> Q:
    """Rows whose column's text may hold ``value`` (to be confirmed in Python).

    SQLite's ``LIKE`` ignores case, and JSON columns hold escaped text: this is a
    filter that never misses, not a test that never errs.
    """
    condition = Q()
    for spelling in _spellings(value) if json_column else [value]:
        condition |= Q(**{f"{column}_text__contains": spelling})
    return condition


def _as_text(queryset, *columns):
    return queryset.annotate(
        **{f"{column}_text": Cast(column, output_field=TextField()) for column in columns}
    )


class _Purge:
    """One purge (or its preview, ``apply=False``): finds, and replaces, every copy."""

    def __init__(self, record: Record, field_name: str, value: str, *, apply: bool):
        self.record = record
        self.model = type(record)
        self.field = self.model._meta.get_field(field_name)
        self.value = value
        self.apply = apply
        self.places = Places()
        self.tables: set[str] = set()

    def run(self, *, via: str, user, reason: str) -> Places:
        self.own_field(via=via, user=user, reason=reason)
        self.history()
        self.admin_log()
        self.webhook_deliveries()
        self.import_jobs()
        self.stored_answers()
        return self.places

    def _touched(self, model) -> None:
        self.tables.add(model._meta.db_table)

    # The record itself.

    def own_field(self, *, via: str, user, reason: str) -> None:
        record, name = self.record, self.field.name
        current = getattr(record, name)
        if not current or self.value not in current:
            return
        self.places.record_changed = True
        setattr(record, name, _replaced(self.field, current, self.value))
        _check_replacement(record, name)
        if not self.apply:
            setattr(record, name, current)
            return
        with audit_context(via=via, user=user, reason=reason[:100]):
            record.save(update_fields=[name])
        self._touched(self.model)

    # Its history.

    def history(self) -> None:
        history = self.model.history.model
        name = self.field.attname
        changed = 0
        for history_id, text, why in history.objects.filter(id=self.record.pk).values_list(
            "history_id", name, "history_change_reason"
        ):
            new_text = _fit(_replaced(self.field, text, self.value), history, name)
            new_why = why
            if why and self.value in why:
                new_why = _fit(why.replace(self.value, MARKER), history, "history_change_reason")
            if new_text == text and new_why == why:
                continue
            changed += 1
            if self.apply:
                history.objects.filter(history_id=history_id).update(
                    **{name: new_text, "history_change_reason": new_why}
                )
        self.places.history_rows = changed
        if changed and self.apply:
            self._touched(history)

    # What the admin logged.

    def admin_log(self) -> None:
        value = self.value
        holds = Q(object_repr__contains=value)
        for spelling in _spellings(value):
            holds |= Q(change_message__contains=spelling)
        candidates = LogEntry.objects.filter(holds)
        changed = 0
        for entry in candidates.only("pk", "object_repr", "change_message"):
            repr_ = _fit(entry.object_repr.replace(value, MARKER), LogEntry, "object_repr")
            message = _scrubbed_message(entry.change_message, value)
            if repr_ == entry.object_repr and message == entry.change_message:
                continue
            changed += 1
            if self.apply:
                LogEntry.objects.filter(pk=entry.pk).update(
                    object_repr=repr_, change_message=message
                )
        self.places.admin_log_entries = changed
        if changed and self.apply:
            self._touched(LogEntry)

    # What partners were sent.

    def webhook_deliveries(self) -> None:
        value = self.value
        # The deliveries about the record, and any other whose error or receiver's answer
        # repeats the value (a receiver may answer with what it knows of the record).
        answered = WebhookAttempt.objects.filter(
            Q(error__contains=value) | Q(response_excerpt__contains=value)
        ).values("delivery_id")
        deliveries = WebhookDelivery.objects.filter(
            Q(payload__record_id=str(self.record.uuid))
            | Q(last_error__contains=value)
            | Q(pk__in=answered)
        )
        changed = 0
        for delivery in deliveries.only("pk", "payload", "last_error"):
            payload = _scrub(delivery.payload, value)
            last_error = delivery.last_error.replace(value, MARKER)
            attempts = [
                (attempt.pk, attempt.error.replace(value, MARKER), excerpt)
                for attempt in WebhookAttempt.objects.filter(delivery=delivery).only(
                    "pk", "error", "response_excerpt"
                )
                for excerpt in [attempt.response_excerpt.replace(value, MARKER)]
                if value in attempt.error or value in attempt.response_excerpt
            ]
            if payload == delivery.payload and last_error == delivery.last_error and not attempts:
                continue
            changed += 1
            if not self.apply:
                continue
            WebhookDelivery.objects.filter(pk=delivery.pk).update(
                payload=payload, last_error=last_error
            )
            for pk, error, excerpt in attempts:
                WebhookAttempt.objects.filter(pk=pk).update(error=error, response_excerpt=excerpt)
            self._touched(WebhookDelivery)
            self._touched(WebhookAttempt)
        self.places.webhook_deliveries = changed

    # What partners and staff imported.

    def import_jobs(self) -> None:
        value = self.value
        jobs = _as_text(ImportJob.objects.all(), "rows", "errors").filter(
            _text_holds("rows", value, json_column=True)
            | _text_holds("errors", value, json_column=True)
            | Q(reason__contains=value)
        )
        changed = 0
        for job in jobs.only("pk", "rows", "errors", "reason"):
            rows, errors = _scrub(job.rows, value), _scrub(job.errors, value)
            reason = _fit(job.reason.replace(value, MARKER), ImportJob, "reason")
            if (rows, errors, reason) == (job.rows, job.errors, job.reason):
                continue
            changed += 1
            if self.apply:
                ImportJob.objects.filter(pk=job.pk).update(rows=rows, errors=errors, reason=reason)
                self._touched(ImportJob)
        self.places.import_jobs = changed
        self.import_files()

    def import_files(self) -> None:
        from incidents.integration.imports import spool_storage

        storage = spool_storage()
        changed = 0
        for pk, name in ImportJob.objects.exclude(payload_file="").values_list(
            "pk", "payload_file"
        ):
            try:
                with storage.open(name, "rb") as file:
                    body = file.read()
            except FileNotFoundError:
                continue
            purged = body
            for spelling in _spellings(self.value):
                purged = purged.replace(spelling.encode(), MARKER.encode())
            if purged == body:
                continue
            changed += 1
            if self.apply:
                # The name is the job's: delete, then save under the same name.
                storage.delete(name)
                saved = storage.save(name, ContentFile(purged))
                if saved != name:
                    ImportJob.objects.filter(pk=pk).update(payload_file=saved)
        self.places.import_files = changed

    # What the API answered and keeps for retries.

    def stored_answers(self) -> None:
        value = self.value
        answers = _as_text(IdempotencyKey.objects.all(), "body", "headers").filter(
            Q(body_text__contains=str(self.record.uuid))
        )
        changed = 0
        for answer in answers.only("pk", "body", "headers"):
            body, headers = _scrub(answer.body, value), _scrub(answer.headers, value)
            if body == answer.body and headers == answer.headers:
                continue
            changed += 1
            if self.apply:
                # The fingerprint is a hash of the request, which held the value: whoever
                # reads it could test guesses of the value against it. Without it, a retry
                # with the same key is refused as another request (422), never run twice.
                IdempotencyKey.objects.filter(pk=answer.pk).update(
                    body=body, headers=headers, fingerprint=PURGED_FINGERPRINT
                )
                self._touched(IdempotencyKey)
        self.places.idempotency_records = changed


def _fit(text, model, name: str):
    """``text`` cut to its column's length: a marker longer than the value it replaced must
    not make a stored row too long for its column (the record itself is checked instead)."""
    limit = model._meta.get_field(name).max_length
    return text[:limit] if isinstance(text, str) and limit and len(text) > limit else text


def _scrubbed_message(message: str, value: str) -> str:
    """An admin log entry's change message without ``value``: JSON (Django's) or plain text."""
    if not message:
        return message
    try:
        data = json.loads(message)
    except ValueError:
        return message.replace(value, MARKER)
    scrubbed = _scrub(data, value)
    return message if scrubbed == data else json.dumps(scrubbed)


def _check_replacement(record: Record, name: str) -> None:
    """The record's field rules and constraints accept the replacement, or a clear refusal.

    A field that must be unique (an actor's name) and was replaced whole gets a marker
    of its own, since another record may already read ``[purged]``.
    """
    others = [f.name for f in record._meta.concrete_fields if f.name != name]
    for attempt in range(3):
        try:
            record.clean_fields(exclude=others)
            record.validate_constraints()
            return
        except ValidationError as error:
            messages = error.message_dict.get(name) if hasattr(error, "error_dict") else None
            if getattr(record, name).startswith("[purged") and messages and attempt < 2:
                setattr(record, name, f"[purged {secrets.token_hex(3)}]")
                continue
            raise ValidationError({"value": error.messages}) from None


# --- the two things a door calls -------------------------------------------------------------


def _checked(record: Record, field_name: str, value: str | None, reason: str | None):
    """The field and value to purge, after the checks every door applies; else ValidationError."""
    model = type(record)
    names = purgeable_fields(model)
    if field_name not in names:
        raise ValidationError(
            {
                "field": _(
                    "“%(field)s” is not a field of this %(kind)s that can be purged; "
                    "choose one of: %(fields)s."
                )
                % {
                    "field": field_name,
                    "kind": model._meta.verbose_name,
                    "fields": ", ".join(names),
                }
            }
        )
    errors = {}
    if not value:
        value = getattr(record, field_name) or ""
        if not value:
            errors["value"] = _(
                "This field is empty now: give the value to remove (it may be in the history only)."
            )
    if value and len(value.strip()) < MIN_LENGTH:
        errors["value"] = _("Give at least %(n)d characters to remove.") % {"n": MIN_LENGTH}
    if reason is not None:
        reason = reason.strip()
        if not reason:
            errors["reason"] = _("Say why this value is purged: the reason is kept.")
        elif value and value in reason:
            errors["reason"] = _(
                "The reason is kept, so it must not contain the value that is purged."
            )
    if errors:
        raise ValidationError(errors)
    return model._meta.get_field(field_name), value, reason


def preview(
    *, record: Record, field: str, value: str | None = None, reason: str | None = None
) -> Places:
    """How many places hold the value (the field's current value if none is given); writes nothing.

    ValidationError for an unknown or unpurgeable field, a value found neither in the
    field nor in its history, or (when given) a reason ``purge`` would refuse.
    """
    field_obj, value, _reason = _checked(record, field, value, reason)
    places = _Purge(record, field_obj.name, value, apply=False).run(via="", user=None, reason="")
    _require_found(places)
    return places


def _require_found(places: Places) -> None:
    if not places.record_changed and not places.history_rows:
        raise ValidationError(
            {
                "value": _(
                    "This value is not in this field, now or in its history: nothing was purged."
                )
            }
        )


def purge(
    *,
    record: Record,
    field: str,
    reason: str,
    value: str | None = None,
    user=None,
    operator: str = "",
    via: str = VIA_ADMIN,
    request=None,
) -> PurgeEntry:
    """Remove ``value`` (the field's current value if none) from the record and every copy.

    ``user`` is the administrator (checked: ``may_purge``); ``operator`` names whoever
    ran it when no administrator is named (the command line). One transaction: the
    record (a new version, in the change feed), its history, the admin log, webhook
    deliveries, import jobs and their stored batches, stored API answers, and the
    ``PurgeEntry``. Then the security log, and the database's reclaim (``reclaim``).
    Bad input is a ValidationError (by field: record, field, value, reason) and
    changes nothing.
    """
    if user is not None and not may_purge(user):
        raise ValidationError({"record": _("Only administrators may purge values.")})
    field_obj, value, reason = _checked(record, field, value, reason)
    with collecting():
        locked = type(record).objects.select_for_update().get(pk=record.pk)
        work = _Purge(locked, field_obj.name, value, apply=True)
        places = work.run(via=via, user=user, reason=reason)
        _require_found(places)
        entry = PurgeEntry.objects.create(
            by=user,
            by_name=user.get_username() if user is not None else operator,
            via=via,
            record_type=type(record)._meta.model_name,
            record_uuid=record.uuid,
            field=field_obj.name,
            reason=reason,
            **asdict(places),
        )
    record.refresh_from_db()
    log_event(
        "record.purged",
        request,
        purge=entry.pk,
        record=str(record.uuid),
        kind=entry.record_type,
        field=entry.field,
        by=entry.by_name,
        via=via,
        places=places.total,
    )
    reclaim(work.tables | {PurgeEntry._meta.db_table})
    return entry


def reclaim(tables: set[str]) -> bool:
    """Ask the database to let go of the old values' bytes; False when it cannot now.

    PostgreSQL keeps an updated row's old version (a dead tuple) until ``VACUUM``;
    SQLite's pages are overwritten with zeros as they are freed (``secure_delete``,
    set in the settings), but the write-ahead log keeps the old pages until it is
    checkpointed. Neither can run inside a transaction (a test's, or a caller's that
    wraps the purge): then it is left to autovacuum and the next checkpoint, and
    ``docs/deployment.md`` says what to run. ``PURGE_RECLAIM`` turns it off.
    """
    if not settings.PURGE_RECLAIM or connection.in_atomic_block:
        return False
    try:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                for table in sorted(tables):
                    cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(table)}")
            elif connection.vendor == "sqlite":
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except DatabaseError as error:  # a busy database, a role that does not own the table
        log_event("purge.reclaim_failed", tables=sorted(tables), error=type(error).__name__)
        return False
    return True
