"""The change feed: every create, update and delete of a record, in commit order.

Every save of a record leaves a history entry (django-simple-history); this
module turns those into ``Change`` rows that partners replay to keep a mirror
(``GET /api/v1/changes/``) and that webhooks are sent from.

Three properties make a mirror built from the feed exact:

- **Commit order.** Changes are buffered while a write runs and written at its
  end, under a lock held until commit (a transaction-scoped advisory lock on
  PostgreSQL; SQLite admits one writer at a time anyway). So sequence numbers
  are handed out in commit order, and a reader who has seen number N will
  never later find a new change below N. The lock is taken last, after every
  row lock the write needs, so it cannot deadlock with them.
- **Who could see it.** Each change records its audience: who could read the
  record after it, from the record's own visibility and owner and those of its
  containers (``incidents.access.CONTAINERS``), and who could before. A caller
  is shown a change it could see after it; one it could see only before comes
  as a tombstone, since for a mirror "deleted" and "hidden from you" are the
  same. Changes a caller could never see are not shown at all, so neither are
  the ids of records hidden from it.
- **Containers.** Hiding or deleting an incident hides the figures in it
  without saving them; the feed writes a change for each record whose
  audience moved with its container's.

The flush is also where every write keeps the contest state
(``incidents.writes.contest``): it knows each record the write saved, and holds
the lock under which each recompute sees every write committed before it.
"""

from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import Case, CharField, F, Max, Q, Value, When
from django.dispatch import receiver
from django.utils import timezone
from simple_history.signals import post_create_historical_record

from incidents.access import CONTAINERS, Principal
from incidents.models import (
    Actor,
    Allegation,
    Audience,
    Change,
    ChangeAction,
    Citation,
    DetaineeGroup,
    Figure,
    Incident,
    Record,
    Source,
)
from incidents.writes import contest, sqlbulk

# The API's name of each kind of record.
RESOURCES: dict[type[Record], str] = {
    Actor: "actors",
    Source: "sources",
    Incident: "incidents",
    DetaineeGroup: "detainee-groups",
    Figure: "figures",
    Allegation: "allegations",
    Citation: "citations",
}
MODELS = {name: model for model, name in RESOURCES.items()}

_RANK = {Audience.NOBODY: 0, Audience.RESTRICTED: 1, Audience.PARTNERS: 2, Audience.PUBLIC: 3}
_LOCK_KEY = 0x1C0FEED  # any constant shared by every writer

# Record kinds -> the (child kind, field) pairs of records contained in them.
DEPENDENTS: dict[type[Record], list[tuple[type[Record], str]]] = defaultdict(list)
for _model in RESOURCES:
    for _field, _nullable in CONTAINERS.get(_model._meta.model_name, ()):
        DEPENDENTS[_model._meta.get_field(_field).related_model].append((_model, _field))


@dataclass(frozen=True)
class Seen:
    """An audience: the least visibility on the way to a record, and, if restricted, whose."""

    level: str
    owner_id: int | None = None

    def within(self, other: "Seen") -> "Seen":
        """This audience narrowed by a container's."""
        if _RANK[other.level] < _RANK[self.level]:
            return other
        if _RANK[other.level] > _RANK[self.level] or self.level != Audience.RESTRICTED:
            return self
        # Both restricted: only a partner owning both may read, else staff alone.
        owner = self.owner_id if self.owner_id == other.owner_id else None
        return Seen(Audience.RESTRICTED, owner)


NOBODY = Seen(Audience.NOBODY)


def audience_q(principal: Principal, prefix: str = "") -> Q:
    """The changes whose audience (``prefix`` "previous_" for the one before) includes them."""
    level, owner = f"{prefix}audience", f"{prefix}audience_owner_id"
    if principal.reads_restricted:
        return ~Q(**{level: Audience.NOBODY})
    shared = Q(**{f"{level}__in": [Audience.PUBLIC, Audience.PARTNERS]})
    if principal.is_staff:
        return shared
    if principal.partner is not None:
        return shared | Q(**{level: Audience.RESTRICTED, owner: principal.partner.pk})
    return Q(**{level: Audience.PUBLIC})


def sees(principal: Principal, level: str, owner_id: int | None) -> bool:
    """``audience_q`` for one audience, in Python (webhook fan-out)."""
    if level == Audience.NOBODY:
        return False
    if principal.reads_restricted or level == Audience.PUBLIC:
        return True
    if level == Audience.PARTNERS:
        return principal.is_staff or principal.partner is not None
    partner = principal.partner
    return partner is not None and owner_id == partner.pk


class Audiences:
    """Computes audiences, reading each record and container once per flush."""

    def __init__(self):
        self.rows: dict[tuple[type[Record], int], dict | None] = {}
        self.seen: dict[tuple[type[Record], int], Seen] = {}

    def fields(self, model) -> list[str]:
        containers = [f"{name}_id" for name, _ in CONTAINERS.get(model._meta.model_name, ())]
        return ["pk", "uuid", "version", "visibility", "deleted_at", "owner_id", *containers]

    def load(self, model, pks) -> None:
        missing = [pk for pk in pks if (model, pk) not in self.rows]
        for chunk in sqlbulk.chunks(missing):
            found = {
                row["pk"]: row
                for row in model.objects.filter(sqlbulk.among("pk", chunk)).values(
                    *self.fields(model)
                )
            }
            for pk in chunk:
                self.rows[(model, pk)] = found.get(pk)

    def row(self, model, pk) -> dict | None:
        key = (model, pk)
        if key not in self.rows:
            self.load(model, [pk])
        return self.rows[key]

    def of(self, model, pk) -> Seen:
        key = (model, pk)
        seen = self.seen.get(key)
        if seen is None:
            seen = self.seen[key] = self._compute(model, pk)
        return seen

    def _compute(self, model, pk) -> Seen:
        row = self.row(model, pk)
        if row is None or row["deleted_at"] is not None:
            return NOBODY
        level = row["visibility"]
        seen = _seen(level, row["owner_id"] if level == "restricted" else None)
        for column, container in _containers(model):
            container_pk = row[column]
            if container_pk is not None:
                seen = seen.within(self.of(container, container_pk))
        return seen


@cache
def _containers(model) -> tuple[tuple[str, type[Record]], ...]:
    """The column of each container of a kind of record, and the container's kind."""
    return tuple(
        (f"{name}_id", model._meta.get_field(name).related_model)
        for name, _ in CONTAINERS.get(model._meta.model_name, ())
    )


@cache
def _seen(level: str, owner_id: int | None) -> Seen:
    """``Seen(level, owner_id)``, one shared instance of each (it is immutable)."""
    return Seen(level, owner_id)


@dataclass
class _Pending:
    created: bool = False
    hard_deleted_uuid: object = None
    hard_deleted_version: int = 0
    # A hard-deleted citation's figure: its contest state may rest on the citation.
    hard_deleted_figure_id: int | None = None
    order: int = 0


@dataclass
class _Buffer:
    records: dict = field(default_factory=dict)  # (model, pk) -> _Pending


_buffer: ContextVar[_Buffer | None] = ContextVar("change_buffer", default=None)


@contextmanager
def collecting():
    """Run a write in one transaction and write its changes at the end, in commit order.

    Services, imports and the admin wrap their writes in this; nested uses join
    the outermost. Writes made outside it (a shell, a data migration) are
    written one by one as they happen.
    """
    if _buffer.get() is not None:
        with transaction.atomic():
            yield
        return
    buffer = _Buffer()
    token = _buffer.set(buffer)
    try:
        with transaction.atomic():
            yield
            _buffer.set(None)  # what the flush itself saves is not buffered again
            flush(buffer)
    finally:
        _buffer.reset(token)


def _note(buffer: _Buffer, instance: Record, history_type: str) -> None:
    key = (type(instance), instance.pk)
    pending = buffer.records.get(key)
    if pending is None:
        pending = buffer.records[key] = _Pending(order=len(buffer.records))
    if history_type == "+":
        pending.created = True
    elif history_type == "-":
        pending.hard_deleted_uuid = instance.uuid
        pending.hard_deleted_version = instance.version
        pending.hard_deleted_figure_id = getattr(instance, "figure_id", None)


@receiver(post_create_historical_record)
def record_change(sender, instance, history_instance, **kwargs):
    """Every history entry of a record is a change to the feed."""
    record_changes([(instance, history_instance.history_type)])


def record_changes(entries: list[tuple[Record, str]]) -> None:
    """Changes to the feed for history entries written without signals (bulk writes).

    ``entries``: (record, history type) pairs, in the order a save of each record
    would have written them; the feed keeps that order. Inside ``collecting`` they
    join its buffer; outside, they are written at once.
    """
    entries = [(instance, kind) for instance, kind in entries if type(instance) in RESOURCES]
    if not entries:
        return
    buffer = _buffer.get()
    if buffer is not None:
        for instance, history_type in entries:
            _note(buffer, instance, history_type)
        return
    single = _Buffer()
    for instance, history_type in entries:
        _note(single, instance, history_type)
    with transaction.atomic():
        flush(single)


def _lock() -> None:
    lock_feed()


def lock_feed() -> None:
    """Hold the feed's lock until this transaction ends (see the module docstring).

    For writers that insert ``Change`` rows themselves (``generate_synthetic``): take it
    last, right before the insert, inside the transaction that commits them.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])


class _Last(NamedTuple):
    """What ``flush`` compares a new change with: the latest change of the same record."""

    version: int
    audience: str
    audience_owner_id: int | None


def _last_audiences(keys: list[tuple[str, object]]) -> dict[tuple[str, object], _Last]:
    """The latest change of each (resource, uuid), read under the lock."""
    by_resource = defaultdict(list)
    for resource, record_uuid in keys:
        by_resource[resource].append(record_uuid)
    last: dict[tuple[str, object], _Last] = {}
    for resource, uuids in by_resource.items():
        for chunk in sqlbulk.chunks(uuids):
            latest = (
                Change.objects.filter(sqlbulk.among("record_uuid", chunk), resource=resource)
                .values("record_uuid")
                .annotate(seq=Max("seq"))
                .values("seq")
            )
            for record_uuid, *fields in Change.objects.filter(seq__in=latest).values_list(
                "record_uuid", "version", "audience", "audience_owner_id"
            ):
                last[(resource, record_uuid)] = _Last(*fields)
    return last


def _touched(buffer: _Buffer) -> contest.Touched:
    """The buffered records, as the contest state's refresh takes them."""
    touched = contest.Touched()
    for (model, pk), pending in buffer.records.items():
        touched.add(model, pk, pending.created)
        if pending.hard_deleted_figure_id is not None:
            touched.figures.add(pending.hard_deleted_figure_id)
    return touched


def flush(buffer: _Buffer) -> int:
    """Write the buffered changes, and those of records hidden or shown with a container.

    Returns how many changes it wrote. They are written as rows (tuples in the
    column order of ``Change``) rather than model instances, which would cost
    more than the rest of a change; instances (with their sequence numbers,
    read back) are made only for webhooks, when there is a subscription.
    """
    if not buffer.records:
        return 0
    _lock()
    # Under the lock, so that each write's recompute sees every write committed before it.
    contest.refresh_records(_touched(buffer))
    audiences = Audiences()
    by_model = defaultdict(list)
    for model, pk in buffer.records:
        by_model[model].append(pk)
    for model, pks in by_model.items():
        audiences.load(model, pks)

    now = timezone.now()
    todo = sorted(buffer.records.items(), key=lambda item: item[1].order)
    entries: list[tuple[type[Record], int, str, object, int, Seen]] = []
    loaded = audiences.rows  # every record of the buffer, just loaded
    for (model, pk), pending in todo:
        row = loaded[(model, pk)]
        if row is None:  # hard-deleted (or created and rolled back to a savepoint)
            if pending.hard_deleted_uuid is None:
                continue
            entries.append(
                (
                    model,
                    pk,
                    ChangeAction.DELETED,
                    pending.hard_deleted_uuid,
                    pending.hard_deleted_version,
                    NOBODY,
                )
            )
            continue
        if row["deleted_at"] is not None:
            action = ChangeAction.DELETED
        elif pending.created:
            action = ChangeAction.CREATED
        else:
            action = ChangeAction.UPDATED
        entries.append((model, pk, action, row["uuid"], row["version"], audiences.of(model, pk)))

    # A record created in this transaction has a new public id: nothing in the feed yet.
    last: dict[tuple[str, object], _Last | None] = _last_audiences(
        [
            (RESOURCES[model], record_uuid)
            for model, pk, _, record_uuid, _, _ in entries
            if not buffer.records[(model, pk)].created
        ]
    )
    rows: list[tuple] = []  # the new changes, in the column order of Change (but seq)
    written: set[tuple[type[Record], int]] = set()
    cascade: list[tuple[type[Record], int]] = []

    def add(model, pk, action, record_uuid, version, seen) -> None:
        resource = RESOURCES[model]
        before = last.get((resource, record_uuid))
        previous = _seen(before.audience, before.audience_owner_id) if before else NOBODY
        if before is not None and before.version == version and previous == seen:
            return  # nothing a reader could notice (a write rolled back to a savepoint)
        if before is None and seen == NOBODY:
            return  # never visible to anyone: nothing to tell
        rows.append(
            (
                resource,
                record_uuid,
                action,
                version,
                now,
                seen.level,
                seen.owner_id,
                previous.level,
                previous.owner_id,
            )
        )
        last[(resource, record_uuid)] = _Last(version, seen.level, seen.owner_id)
        written.add((model, pk))
        if previous != seen:
            cascade.append((model, pk))

    for entry in entries:
        add(*entry)
    _cascade(cascade, audiences, last, written, add)

    from incidents.integration import webhooks  # webhooks build on the feed

    subscriptions = webhooks.active_subscriptions() if rows else []
    if not subscriptions:
        sqlbulk.insert_rows(Change, rows)  # nobody needs their sequence numbers back
        return len(rows)
    keys = sqlbulk.insert_rows(Change, rows, returning=True)
    changes = []
    for key, row in zip(keys, rows, strict=True):
        change = Change(key, *row)  # positional: the column order of the rows
        change._state.adding, change._state.db = False, connection.alias
        changes.append(change)
    webhooks.queue_events(changes, subscriptions=subscriptions)
    return len(rows)


class _Children:
    """The live records inside each container, read for every queued container of a kind at once.

    The cascade visits containers one by one; reading their contents one query
    each would cost a query per record a batch writes.
    """

    def __init__(self, audiences: Audiences, last: dict):
        self.audiences = audiences
        self.last = last
        self.found: dict[tuple[type[Record], int], dict] = {}

    def of(self, model, pk, queue) -> dict[tuple[type[Record], str], list[int]]:
        if (model, pk) not in self.found:
            self._load(model, [pk, *(p for m, p in queue if m is model)])
        return self.found[(model, pk)]

    def _load(self, model, pks: list[int]) -> None:
        pks = [pk for pk in dict.fromkeys(pks) if (model, pk) not in self.found]
        for pk in pks:
            self.found[(model, pk)] = {}
        for child, field_name in DEPENDENTS.get(model, ()):
            column = f"{field_name}_id"
            for chunk in sqlbulk.chunks(pks):
                rows = child.objects.filter(sqlbulk.among(column, chunk), deleted_at__isnull=True)
                # In the model's own order, as one container's query would list them.
                for child_pk, container_pk in rows.values_list("pk", column):
                    self.found[(model, container_pk)].setdefault((child, field_name), []).append(
                        child_pk
                    )
            found = [p for pk in pks for p in self.found[(model, pk)].get((child, field_name), ())]
            self.audiences.load(child, found)
            resource = RESOURCES[child]
            keys = {(resource, self.audiences.row(child, p)["uuid"]) for p in found}
            unknown = [key for key in keys if key not in self.last]
            latest = _last_audiences(unknown)
            # None: known to have no change yet (``add`` reads it as such), not to look up again.
            self.last.update({key: latest.get(key) for key in unknown})


def _cascade(queue, audiences: Audiences, last, written, add) -> None:
    """Changes for records whose audience moved with a container's."""
    children = _Children(audiences, last)
    while queue:
        model, pk = queue.pop()
        contents = children.of(model, pk, queue) if DEPENDENTS.get(model) else {}
        for child, field_name in DEPENDENTS.get(model, ()):
            for child_pk in contents.get((child, field_name), ()):
                if (child, child_pk) in written:
                    continue
                row = audiences.row(child, child_pk)
                resource = RESOURCES[child]
                if (resource, row["uuid"]) not in last:
                    last.update(_last_audiences([(resource, row["uuid"])]))
                add(
                    child,
                    child_pk,
                    ChangeAction.UPDATED,
                    row["uuid"],
                    row["version"],
                    audiences.of(child, child_pk),
                )
                if (child, child_pk) in written:
                    queue.append((child, child_pk))


def backfill() -> int:
    """A "created" change for every live record the feed has never mentioned.

    Records loaded from fixtures (``loaddata`` writes no history) enter the feed
    this way; ``load_seed_fixtures`` calls it.
    """
    buffer = _Buffer()
    for model, resource in RESOURCES.items():
        known = Change.objects.filter(resource=resource).values("record_uuid")
        for pk in (
            model.objects.filter(deleted_at__isnull=True)
            .exclude(uuid__in=known)
            .order_by("pk")
            .values_list("pk", flat=True)
        ):
            buffer.records[(model, pk)] = _Pending(created=True, order=len(buffer.records))
    with transaction.atomic():
        return flush(buffer)


def shown_action(change: Change, principal: Principal) -> str | None:
    """``feed``'s ``shown_action`` for one change, in Python (webhooks); None if never visible."""
    now = sees(principal, change.audience, change.audience_owner_id)
    before = sees(principal, change.previous_audience, change.previous_audience_owner_id)
    if not now:
        return ChangeAction.DELETED if before else None
    if not before:
        return ChangeAction.CREATED
    return change.action


def feed(
    principal: Principal,
    since: int,
    limit: int,
    resources: list[str] | None = None,
    ceiling: int | None = None,
):
    """The changes after ``since`` the principal may see, and the cursor to continue from.

    Returns (changes, next_cursor, has_more). Each change carries ``shown_action``:
    its action as this caller sees it (a record that became visible to it is
    "created"; one that left its sight is "deleted").
    """
    # Read first (callers that already read it pass it): every change up to it is
    # committed (see the module docstring), so a page that ends early may move the
    # cursor this far without skipping any.
    if ceiling is None:
        ceiling = latest_cursor()
    now_q, before_q = audience_q(principal), audience_q(principal, "previous_")
    rows = (
        Change.objects.filter(seq__gt=since, seq__lte=ceiling)
        .filter(now_q | before_q)
        .annotate(
            shown_action=Case(
                When(~now_q, then=Value(ChangeAction.DELETED)),
                When(~before_q, then=Value(ChangeAction.CREATED)),
                default=F("action"),
                output_field=CharField(),
            )
        )
        .order_by("seq")
    )
    if resources:
        rows = rows.filter(resource__in=resources)
    page = list(rows[: limit + 1])
    has_more = len(page) > limit
    page = page[:limit]
    next_cursor = page[-1].seq if has_more else max(ceiling, since)
    return page, next_cursor, has_more


def latest_cursor() -> int:
    return Change.objects.aggregate(top=Max("seq"))["top"] or 0
