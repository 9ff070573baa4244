"""Upserts of many records of one kind at once: ``services.record_upsert``, a batch at a time.

``record_upsert_many`` is the entry point (the import jobs call it). It builds on
the services and the services know nothing of it: the kinds this module handles
are validated and written a batch at a time, others one ``record_upsert`` at a time.

Through ``record_upsert`` each record costs a savepoint, a lookup by external
id, the caller's citations of it, a query for each link ``full_clean`` checks
(incident, group, source, owner) and for each unique constraint, an INSERT
or UPDATE of the record and of each citation, a history entry for each. This
module does the same for a whole batch with a number of queries that does not
depend on its size:

- existing records are looked up by (owner, external id) for the whole batch,
  and the caller's live citations of them, a query each;
- the links ``full_clean`` checks one query each are checked once for every
  distinct value in the batch; a link that exists is left out of each
  record's ``full_clean``, one that does not is left in, so that the record
  gets the very error a single write gives;
- the unique constraint on (owner, external id) is left out too: the lookup
  above has just found no other record of the caller's with that id. So is
  the public id's uniqueness: a new random UUID;
- every other check is the single write's own code (``services.plan_create``
  and ``services.plan_update``): field bounds, CHECK constraints (evaluated
  in Python, ``incidents.models.checks``), the model's ``clean`` (the group
  belongs to the incident), the verbatim-quote rule, exactly one asserting
  citation, and the outcome (created, updated, unchanged); a field cleans
  each value once for the batch (``models.base.cleaning_once``), as most
  fields of a batch hold one of a few values;
- new records and citations are inserted with ``bulk_create``, changed ones
  updated with ``bulk_update``, their history entries written in bulk with
  the audit fields of a single write (``audit.bulk_history_create``), and
  their changes handed to the feed in the order single writes would have made
  them (``changes.record_changes``), which writes them, and queues webhooks,
  when the transaction ends.

Nothing is written unless every item passed. If the database refuses the bulk
write (another transaction wrote a record with the same external id
meanwhile), the write is rolled back and ``Refused`` raised, so that the
caller goes one item at a time and learns which item it was.

Only kinds of records whose every rule is covered above are handled here
(``supports``): figures. Others have rules that reach across records of the
batch (a unique name among shared records, an incident's ancestors, the
methods of an allegation) and are upserted one at a time.
"""

from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache

from django.db import DataError, IntegrityError, connection, models, transaction
from django.utils import timezone

from incidents.access import Principal
from incidents.integration import changes
from incidents.models import Citation, Figure, Record
from incidents.models.base import cleaning_once
from incidents.models.checks import referenced
from incidents.writes import audit, services, sqlbulk
from incidents.writes.services import Outcome, UpsertItem, UpsertResult

# The kinds handled here, with the links their ``clean`` reads (fetched with the record).
SUPPORTED: dict[type[Record], tuple[str, ...]] = {Figure: ("group",)}
# Left out of every ``full_clean`` here: see the module docstring.
FREE = ("uuid", "external_id")


_row_by_row: ContextVar[bool] = ContextVar("bulk_row_by_row", default=False)


class Refused(Exception):
    """The database refused the bulk write, which is rolled back: go one item at a time."""


def supports(model) -> bool:
    """Whether records of this kind are upserted a batch at a time (here, now)."""
    return model in SUPPORTED and not _row_by_row.get()


@contextmanager
def row_by_row():
    """Upsert one record at a time within this block, as before batching existed.

    For comparing the two paths (tests) and measuring one against the other
    (``benchmark_import``); a context variable, so other threads are not affected.
    """
    token = _row_by_row.set(True)
    try:
        yield
    finally:
        _row_by_row.reset(token)


@cache
def _constrained(model) -> set[str]:
    """Fields a constraint of ``model`` reads, but for the external id's (checked here)."""
    names: set[str] = set()
    for constraint in model._meta.constraints:
        if constraint.name.endswith("_external_id_unique"):
            continue
        if isinstance(constraint, models.CheckConstraint):
            names |= referenced(constraint.condition)
        elif isinstance(constraint, models.UniqueConstraint):
            names |= set(constraint.fields)
            if constraint.condition is not None:
                names |= referenced(constraint.condition)
    return names


@cache
def _links(model) -> list[models.ForeignKey]:
    """The links ``full_clean`` checks with a query each, that a batch may check at once.

    A link a constraint reads stays in ``full_clean``: leaving it out would skip
    the constraint as well.
    """
    constrained = _constrained(model)
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.ForeignKey) and field.name not in constrained
    ]


def _key(field: models.ForeignKey, value):
    """The value ``ForeignKey.validate`` looks up, from an instance or a raw key."""
    if isinstance(value, models.Model):
        return getattr(value, field.target_field.attname)
    return value


class Checked:
    """The links of a batch that exist, looked up once for all its records.

    ``services`` asks it, record by record, which checks ``full_clean`` may
    leave out (``exclusions``).
    """

    def __init__(self, found: dict[tuple[type[Record], str], set]):
        self.found = found

    @classmethod
    def lookup(cls, wanted: dict[tuple[type[Record], str], set]) -> "Checked":
        """One query per link: which of the wanted values exist, as ``ForeignKey.validate`` asks."""
        found = {}
        for (model, name), values in wanted.items():
            field = model._meta.get_field(name)
            target = field.remote_field.field_name
            existing = set()
            for chunk in sqlbulk.chunks(sorted(values)):
                rows = field.remote_field.model._base_manager.filter(sqlbulk.among(target, chunk))
                rows = rows.complex_filter(field.get_limit_choices_to())
                existing.update(rows.values_list(target, flat=True))
            found[(model, name)] = existing
        return cls(found)

    def exclusions(self, record: Record) -> list[str]:
        model = type(record)
        names = list(FREE)
        for field in _links(model):
            value = getattr(record, field.attname)
            if value is not None and value in self.found.get((model, field.name), ()):
                names.append(field.name)
        return names


def _wanted(model, items: list[UpsertItem], existing: Iterable[Record], owner) -> dict:
    """Every link value the batch's records and citations will hold, by (kind, field).

    The owner is the caller's for every record and citation of the batch; it is
    wanted once for each kind the batch builds (citations only if it has any).
    """
    wanted: dict[tuple[type[Record], str], set] = defaultdict(set)
    links, citation_links = _links(model), _links(Citation)
    for record in existing:
        for field in links:
            value = getattr(record, field.attname)
            if value is not None:
                wanted[(model, field.name)].add(value)
    given = [field for field in links if field.name != "owner"]  # by each item
    cited = False
    for item in items:
        fields = item.fields
        for field in given:
            value = fields.get(field.name)
            if value is not None:
                wanted[(model, field.name)].add(_key(field, value))
        for data in item.citations or ():
            cited = True
            for field in citation_links:
                if field.name == "source" and data.source is not None:
                    wanted[(Citation, "source")].add(_key(field, data.source))
    for kind, fields, built in ((model, links, bool(items)), (Citation, citation_links, cited)):
        for field in fields:
            if field.name == "owner" and built and owner is not None:
                wanted[(kind, "owner")].add(_key(field, owner))
    return wanted


def _existing(model, owner, external_ids: list[str], lock: bool) -> dict[str, Record]:
    """The caller's records with these external ids, deleted or not, as ``record_upsert`` finds."""
    found: dict[str, Record] = {}
    for chunk in sqlbulk.chunks(external_ids):
        rows = model.objects.filter(sqlbulk.among("external_id", chunk), owner=owner)
        rows = rows.select_related(*SUPPORTED[model]).order_by("pk")
        if lock:
            of = ("self",) if connection.features.has_select_for_update_of else ()
            rows = rows.select_for_update(of=of)
        for record in rows:
            found.setdefault(record.external_id, record)  # the oldest, as .first() would
    return found


def _own_citations(records: list[Record], principal: Principal, lock: bool) -> dict[int, list]:
    """The caller's live citations of each record (``services.own_citations``, at once)."""
    mine: dict[int, list] = {record.pk: [] for record in records}
    if not records:
        return mine
    field = services.target_field(records[0])
    for chunk in sqlbulk.chunks(list(mine)):
        rows = Citation.objects.filter(
            sqlbulk.among(f"{field}_id", chunk),
            owner=services.owner_for(principal),
            deleted_at__isnull=True,
        )
        if lock:
            rows = rows.select_for_update()
        for citation in rows:
            mine[getattr(citation, f"{field}_id")].append(citation)
    return mine


def _upsert_batch(
    *,
    model: type[Record],
    items: list[UpsertItem],
    principal: Principal,
    write: bool = True,
) -> list[UpsertResult]:
    """Validate every item as ``record_upsert`` would; write them all if all passed and ``write``.

    Returns one result per item: the record and outcome, or the error
    ``record_upsert`` would have raised. Raises ``Refused`` (having written
    nothing) when the database refuses the write.
    """
    owner = services.owner_for(principal)
    existing = _existing(model, owner, [item.external_id for item in items], lock=write)
    mine = _own_citations(list(existing.values()), principal, lock=write)
    checked = Checked.lookup(_wanted(model, items, existing.values(), owner))
    results, plans = [], []
    with cleaning_once():  # most fields of a batch hold one of a few values
        for item in items:
            record = existing.get(item.external_id)
            try:
                if record is None:
                    plan = services.plan_create(
                        model=model,
                        fields=services.upsert_fields(item.fields, item.external_id),
                        principal=principal,
                        citations=item.citations,
                        checked=checked,
                    )
                else:
                    plan = services.plan_update(
                        existing=record,
                        fields=item.fields,
                        principal=principal,
                        citations=item.citations,
                        methods=item.methods,
                        mine=mine[record.pk],
                        checked=checked,
                    )
            except services.ROW_ERRORS as error:
                results.append(UpsertResult(error=error))
                continue
            results.append(UpsertResult(plan.record, plan.outcome))
            plans.append(plan)
    if write and len(plans) == len(items):
        _write(model, plans)
    return results


def _write(model, plans: list[services.UpsertPlan]) -> None:
    """Save what the plans say, in bulk, with history; hand the changes to the feed."""
    created = [plan for plan in plans if plan.outcome == Outcome.CREATED]
    updated = [plan for plan in plans if plan.outcome == Outcome.UPDATED]
    if not (created or updated):
        return
    now = timezone.now()
    removed = [citation for plan in updated for citation in plan.remove]
    for plan in updated:
        plan.record.version += 1  # what Record.save does to a record it updates
        plan.record.updated_at = now
    for citation in removed:  # what services.record_delete does, but for the lock
        citation.deleted_at = now
        citation.version += 1
        citation.updated_at = now
    changed = sorted({name for plan in updated for name in plan.changed})
    try:
        with transaction.atomic():
            sqlbulk.insert(model, [plan.record for plan in created], now=now)
            sqlbulk.update(
                model,
                [plan.record for plan in updated],
                [*changed, "deleted_at", "version", "updated_at"],
            )
            sqlbulk.update(Citation, removed, ["deleted_at", "version", "updated_at"])
            added = []
            for plan in created + updated:
                for citation in plan.built:
                    setattr(citation, services.target_field(plan.record), plan.record)
                    added.append(citation)
            sqlbulk.insert(Citation, added, now=now)
            for kind, records, update in (
                (model, [plan.record for plan in created], False),
                (model, [plan.record for plan in updated], True),
                (Citation, removed, True),
                (Citation, added, False),
            ):
                audit.bulk_history_create(model=kind, records=records, update=update, now=now)
    except (IntegrityError, DataError) as error:
        raise Refused(str(error)) from error
    # In the order single writes would have saved them: the record, the citations it
    # drops, the citations it gains (see services.record_upsert).
    entries = []
    for plan in plans:
        if plan.outcome == Outcome.CREATED:
            entries.append((plan.record, "+"))
        elif plan.outcome == Outcome.UPDATED:
            entries.append((plan.record, "~"))
            entries += [(citation, "~") for citation in plan.remove]
        else:
            continue
        entries += [(citation, "+") for citation in plan.built]
    changes.record_changes(entries)


@changes.collecting()
def record_upsert_many(
    *,
    model: type[Record],
    items: list[UpsertItem],
    principal: Principal,
    write: bool = True,
) -> list[UpsertResult]:
    """Upsert many records of one kind by external id: one result per item, all or nothing.

    Each item is validated and compared exactly as ``services.record_upsert`` would, and
    its outcome is the one ``services.record_upsert`` would give. The items are written
    only if ``write`` is true and every item passed; otherwise nothing is
    written (the results still say what would have been done). Items must
    have distinct external ids.

    Kinds of records this module handles (``supports``) are validated and written a
    batch at a time: a constant number of queries, whatever the number of
    items. Other kinds, and a batch whose bulk write the database refuses
    (a record written meanwhile by another transaction), go through
    ``services.record_upsert`` one item at a time, which tells which item failed and why.
    """
    if supports(model):
        try:
            return _upsert_batch(model=model, items=items, principal=principal, write=write)
        except Refused:
            pass  # rolled back; one at a time tells which item it was
    results = []
    with transaction.atomic():
        for item in items:
            try:
                record, outcome = services.record_upsert(
                    model=model,
                    external_id=item.external_id,
                    fields=item.fields,
                    principal=principal,
                    citations=item.citations,
                    methods=item.methods,
                )
                results.append(UpsertResult(record, outcome))
            except services.ROW_ERRORS as error:
                results.append(UpsertResult(error=error))
        if not write or any(result.error is not None for result in results):
            transaction.set_rollback(True)
    return results
