"""Every write to a record goes through here: validated, versioned, owned and audited.

Views (and later imports) call these functions and nothing else writes records.
Each function is atomic, validates with the model's own rules (``full_clean``:
field bounds, database constraints, the verbatim-quote rule) so errors come back
field by field, checks the version a client last saw, and leaves a history
entry (django-simple-history, with the audit context of ``incidents.writes.audit``).

Each runs inside ``changes.collecting``, which writes the change feed (and
queues webhooks) at the end of the transaction.

Deleting is soft: the record gets ``deleted_at`` and leaves the API, but stays
in the database, in its history, and restorable by staff. A record of a partner
that someone else (staff) deleted has been *taken down*: its owner cannot bring
it back by pushing it again (``Conflict``); only staff restore it.

Publishing is a reviewer's act, by every path (``permitted``): making a record
readable by more people than before (restricted to partners, or either to
public) needs the ``publish_records`` permission. Staff without it are refused
(their new records are unreviewed drafts); a partner's new or changed records
wait, unreviewed and at most ``partners``-visible, until a reviewer publishes
them, unless an administrator has made the partner a trusted publisher. The
system itself (commands, the seed: no principal) publishes freely.
"""

import dataclasses
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DataError, IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from incidents.access import Principal, readable_by
from incidents.choices import ReviewStatus, Stance, Visibility
from incidents.integration.changes import collecting
from incidents.models import Citation, Figure, Record, Term
from incidents.models.provenance import CITATION_TARGETS


class StaleVersion(Exception):
    """The record changed since the version the client says it saw (HTTP 412)."""

    def __init__(self, current: int):
        super().__init__(_("The record is at version %(current)d.") % {"current": current})
        self.current = current


class Conflict(Exception):
    """The write collides with another record the database already holds (HTTP 409)."""


class Invalid(Exception):
    """Errors by field, where a field may hold one dict of errors per nested item.

    Django's ValidationError flattens nested errors into strings; this keeps
    "the quote of the second citation" addressable (``citations.1.quote``).
    """

    def __init__(self, detail: dict):
        super().__init__(detail)
        self.detail = detail


@dataclass(frozen=True)
class CitationData:
    """One citation to attach: a source, its verbatim words, and its stance."""

    source: object
    quote: str
    stance: str = Stance.ASSERTS
    note: str = ""
    visibility: str | None = None


class Outcome:
    """What an upsert did to the record."""

    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass
class UpsertPlan:
    """What an upsert will do, validated, before anything is saved.

    ``record`` holds the new values (unsaved); ``changed`` names the fields that
    differ from the stored record, ``remove`` the caller's citations to delete and
    ``built`` the new citations (unsaved) that replace them.
    """

    record: Record
    outcome: str
    changed: list[str] = dataclasses.field(default_factory=list)
    methods_changed: bool = False
    remove: list[Citation] = dataclasses.field(default_factory=list)
    built: list[Citation] = dataclasses.field(default_factory=list)


def owner_for(principal: Principal | None):
    """The partner that owns what this principal creates (None: staff records have no owner)."""
    return principal.partner if principal is not None else None


# Who may read a record, from the fewest to the most.
REACH = {Visibility.RESTRICTED: 0, Visibility.PARTNERS: 1, Visibility.PUBLIC: 2}


def may_publish(principal: Principal | None) -> bool:
    """Whether this caller may make records readable to more people, and mark them reviewed."""
    if principal is None:
        return True  # the system itself: management commands, the seed
    if principal.partner is not None:
        return principal.partner.trusted_publisher
    return principal.is_staff and principal.user.has_perm("incidents.publish_records")


def publishing_refusal(before: str | None, after: str) -> str | None:
    """Why a caller who may not publish may not move a record from ``before`` to ``after``.

    ``before`` is None for a new record, which nobody could read yet.
    """
    if REACH[after] <= REACH[before or Visibility.RESTRICTED]:
        return None
    return _(
        "Only a reviewer may make a record readable beyond staff (public or partners): "
        "keep it restricted, and a reviewer will publish it."
    )


def permitted(record: Record, fields: dict, principal: Principal | None, adding: bool) -> dict:
    """``fields`` of a write as this caller may make it (see the module docstring).

    ``record`` is the stored record (or, when ``adding``, a new one holding the
    model's defaults). Staff without ``publish_records`` get a ``ValidationError``
    for a visibility wider than before; a partner that is not a trusted publisher
    gets its write capped: ``public`` is kept back to ``partners`` and anything it
    changes is unreviewed again. Unchanged fields are left as they are, so that
    pushing the same data twice writes nothing.
    """
    if may_publish(principal):
        return fields
    before = None if adding else record.visibility
    wanted = fields.get("visibility", record.visibility)
    fields = dict(fields)
    if principal is not None and principal.partner is not None:
        if wanted == Visibility.PUBLIC and before != Visibility.PUBLIC:
            fields["visibility"] = Visibility.PARTNERS  # waits for a reviewer
        if adding or any(_differs(record, name, value) for name, value in fields.items()):
            fields.update(held_back(fields.get("visibility", record.visibility)))
        return fields
    if adding and "visibility" not in fields:
        wanted = fields["visibility"] = Visibility.RESTRICTED  # unsaid: a draft for staff
    refusal = publishing_refusal(before, wanted)
    if refusal:
        raise ValidationError({"visibility": refusal})
    if fields.get("review_status", ReviewStatus.UNREVIEWED) != ReviewStatus.UNREVIEWED and (
        adding or record.review_status != fields["review_status"]
    ):
        raise ValidationError({"review_status": _("Only a reviewer may mark a record reviewed.")})
    if adding:
        fields["review_status"] = ReviewStatus.UNREVIEWED  # a draft until a reviewer checks it
    return fields


def held_back(visibility: str) -> dict:
    """What a partner's (untrusted) change leaves: unreviewed, readable at most by partners."""
    capped = Visibility.PARTNERS if visibility == Visibility.PUBLIC else visibility
    return {"visibility": capped, "review_status": ReviewStatus.UNREVIEWED}


def taken_down(record: Record) -> bool:
    """Whether this deleted record was deleted by someone other than its owner (staff).

    Read from the history entry of its deletion; without one (records loaded
    from fixtures) it counts as taken down, so that only staff bring it back.
    """
    deletion = (
        record.history.filter(deleted_at=record.deleted_at)
        .order_by("history_date", "history_id")
        .values("history_partner_id")
        .first()
    )
    return deletion is None or deletion["history_partner_id"] != record.owner_id


def _reader(principal: Principal | None):
    """What the writer may read, for checks that look into other records (quotes)."""
    return lambda record: readable_by(record, principal)


def _lock(record: Record, expected_version: set[int] | None) -> Record:
    """The record's row, locked for this transaction, at a version the client expects."""
    locked = type(record).objects.select_for_update().get(pk=record.pk)
    if expected_version is not None and locked.version not in expected_version:
        raise StaleVersion(locked.version)
    return locked


def _save(record: Record, clean: bool = True) -> None:
    if clean:
        record.full_clean()
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError as error:
        # full_clean checked the constraints; a concurrent write got there first.
        raise Conflict(_("This conflicts with a record saved at the same moment.")) from error


def target_field(target: Record) -> str:
    """The Citation field that points at records of this kind."""
    name = target._meta.model_name
    return "group" if name == "detaineegroup" else name


def _full_clean(record: Record, exclude=(), checked=None) -> None:
    """``full_clean``, leaving out what a batch has already checked for all its rows at once.

    ``checked`` (``incidents.writes.bulk``) names, for each record, the checks that would
    otherwise cost a query each (links that exist, an external id known to be free).
    """
    if checked is not None:
        exclude = [*exclude, *checked.exclusions(record)]
    record.full_clean(exclude=exclude or None)


def _build_citations(
    target: Record, citations: list[CitationData], principal: Principal, checked=None
):
    """Unsaved citations of ``target`` and their errors, one dict per citation."""
    field = target_field(target)
    built, errors = [], []
    publisher = may_publish(principal)
    for data in citations:
        citation = Citation(
            source=data.source,
            quote=data.quote,
            stance=data.stance,
            note=data.note,
            visibility=data.visibility or target.visibility,
            # A draft's provenance is a draft too: reviewed when its record is.
            review_status=target.review_status,
            owner=owner_for(principal),
        )
        citation.may_read = _reader(principal)
        try:
            if not publisher:
                asked = {"visibility": data.visibility} if data.visibility else {}
                for name, value in permitted(citation, asked, principal, adding=True).items():
                    setattr(citation, name, value)
            # The target is not saved yet: leave out the checks that need it.
            _full_clean(citation, [field], checked)
            errors.append({})
        except ValidationError as error:
            errors.append(error.message_dict)
        built.append(citation)
    return built, errors


def _check_figure_citations(citations: list[CitationData]) -> None:
    asserting = sum(1 for c in citations if c.stance == Stance.ASSERTS)
    if asserting != 1:
        raise ValidationError(
            {
                "citations": _(
                    "A figure needs exactly one citation with stance 'asserts' (the source "
                    "that reported it); found %(count)d."
                )
                % {"count": asserting}
            }
        )


def plan_create(
    *,
    model: type[Record],
    fields: dict,
    principal: Principal,
    citations: list[CitationData] | None = None,
    checked=None,
) -> UpsertPlan:
    """A new record and its citations, validated and unsaved; ``Invalid`` with every error."""
    if model is Figure:
        _check_figure_citations(citations or [])
    # Every error at once: the record's fields and each citation's.
    errors: dict = {}
    try:
        fields = permitted(model(), fields, principal, adding=True)
    except ValidationError as error:
        errors.update(error.message_dict)
    record = model(**fields, owner=owner_for(principal))
    record.may_read = _reader(principal)
    try:
        _full_clean(record, checked=checked)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    built, citation_errors = _build_citations(record, citations or [], principal, checked)
    if any(citation_errors):
        errors["citations"] = citation_errors
    if errors:
        raise Invalid(errors)
    return UpsertPlan(record, Outcome.CREATED, built=built)


@collecting()
def record_create(
    *,
    model: type[Record],
    fields: dict,
    principal: Principal,
    citations: list[CitationData] | None = None,
    methods: list[Term] | None = None,
) -> Record:
    """Create a record owned by the caller's organisation (none for staff)."""
    plan = plan_create(model=model, fields=fields, principal=principal, citations=citations)
    record = plan.record
    _save(record, clean=False)  # just validated above
    if methods is not None:
        record.methods.set(methods)
    for citation in plan.built:
        setattr(citation, target_field(record), record)
        citation.save()
    return record


@collecting()
def record_update(
    *,
    record: Record,
    fields: dict,
    principal: Principal,
    expected_version: set[int] | None = None,
    methods: list[Term] | None = None,
) -> Record:
    """Change some fields of a record, if it is still at the version the client saw."""
    locked = _lock(record, expected_version)
    if isinstance(locked, Citation):
        _guard_figure_citation(locked, fields)
    fields = permitted(locked, fields, principal, adding=False)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.may_read = _reader(principal)
    _save(locked)
    if methods is not None:
        locked.methods.set(methods)
    return locked


@collecting()
def record_delete(
    *,
    record: Record,
    principal: Principal | None = None,
    expected_version: set[int] | None = None,
    guard: bool = True,
) -> Record:
    """Soft-delete: the record leaves the API and stays in the database and its history.

    ``guard=False`` is for callers that have checked what the record's container
    keeps themselves (the admin's figure form replacing the reporting citation).
    """
    locked = _lock(record, expected_version)
    refusal = delete_refusal(locked) if guard else None
    if refusal:
        raise ValidationError(refusal)
    locked.deleted_at = timezone.now()
    locked.save()
    return locked


def delete_refusal(record: Record) -> str | None:
    """Why this record may not be deleted on its own, if it may not."""
    if isinstance(record, Citation) and record.figure_id and record.stance == Stance.ASSERTS:
        return _(
            "This citation is the source of its figure; delete the figure, or change the "
            "citation instead."
        )
    return None


@collecting()
def record_restore(*, record: Record) -> Record:
    """Bring a soft-deleted record back (staff, from the admin)."""
    locked = _lock(record, None)
    locked.deleted_at = None
    _save(locked)  # a record that replaced it meanwhile may stand in the way
    return locked


PUBLISHED = {"visibility": Visibility.PUBLIC, "review_status": ReviewStatus.REVIEWED}


@collecting()
def record_publish(*, record: Record, principal: Principal) -> bool:
    """Make a record public and reviewed, with its unreviewed citations; False if it was.

    A reviewer's act (``may_publish``), refused to anyone else. Citations follow
    their record because a public figure whose provenance is hidden would be a
    number nobody can check.
    """
    if not may_publish(principal):
        raise PermissionDenied(_("Only a reviewer may publish records."))
    changed = False
    records = [record]
    field = target_field(record)
    if field in CITATION_TARGETS:
        records += Citation.objects.filter(
            **{field: record}, review_status=ReviewStatus.UNREVIEWED, deleted_at__isnull=True
        )
    for item in records:
        # As stored now: publishing a record has published its citations already.
        stored = type(item)._base_manager.filter(pk=item.pk).values(*PUBLISHED).get()
        if stored == PUBLISHED:
            continue
        record_update(record=item, fields=PUBLISHED, principal=principal)
        changed = True
    return changed


def _guard_figure_citation(citation: Citation, fields: dict) -> None:
    """A figure keeps exactly one asserting citation, whatever is changed."""
    if not citation.figure_id:
        return
    stance = fields.get("stance", citation.stance)
    if citation.stance == Stance.ASSERTS and stance != Stance.ASSERTS:
        raise ValidationError(
            {"stance": _("This citation is the source of its figure; it must keep 'asserts'.")}
        )


def _differs(record: Record, name: str, value) -> bool:
    field = record._meta.get_field(name)
    if field.is_relation:
        return getattr(record, field.attname) != (value.pk if value is not None else None)
    current = field.value_from_object(record)
    return str(current) != str(value) if name == "country" else current != value


def _citation_key(source_id, quote, stance, note, visibility) -> tuple:
    return (source_id, quote, stance, note or "", visibility)


def _citation_plan(record: Record, given: list[CitationData], principal: Principal, mine=None):
    """The caller's live citations of ``record`` to delete, and those to add, to match ``given``.

    Citations others added (a staff member's dispute) are left alone; identical
    citations are kept as they are, so an unchanged push writes nothing. ``mine``:
    those citations, when a batch has read them for all its records at once.
    """
    if mine is None:
        mine = own_citations(record=record, principal=principal)
    existing = {
        _citation_key(c.source_id, c.quote, c.stance, c.note, c.visibility): c for c in mine
    }
    wanted = {
        _citation_key(c.source.pk, c.quote, c.stance, c.note, c.visibility or record.visibility): c
        for c in given
    }
    remove = [citation for key, citation in existing.items() if key not in wanted]
    add = [data for key, data in wanted.items() if key not in existing]
    return remove, add


def own_citations(*, record: Record, principal: Principal):
    """The caller's live citations of ``record``, oldest first."""
    return Citation.objects.filter(
        **{target_field(record): record}, owner=owner_for(principal), deleted_at__isnull=True
    )


def upsert_fields(fields: dict, external_id: str) -> dict:
    """The fields of a record an upsert creates: restricted unless the caller says otherwise."""
    return {"visibility": "restricted", **fields, "external_id": external_id}


def plan_update(
    *,
    existing: Record,
    fields: dict,
    principal: Principal,
    citations: list[CitationData] | None = None,
    methods: list[Term] | None = None,
    mine=None,
    checked=None,
) -> UpsertPlan:
    """Validate an upsert of ``existing`` and apply it to the instance, without saving.

    Unchanged: nothing is touched. Raises what ``record_upsert`` would (``Invalid``
    for citations, ``ValidationError`` for the record) before anything is written.
    """
    model = type(existing)
    if existing.deleted_at is not None and taken_down(existing):
        raise Conflict(
            _(
                "Staff took this record down; pushing it again does not bring it back. "
                "Ask the NGO's staff: only they can restore it."
            )
        )
    if model is Figure and citations is not None:
        _check_figure_citations(citations)
    if model is Citation:
        _guard_figure_citation(existing, fields)
    fields = permitted(existing, fields, principal, adding=False)
    changed = [name for name, value in fields.items() if _differs(existing, name, value)]
    methods_changed = methods is not None and {m.pk for m in methods} != set(
        existing.methods.values_list("pk", flat=True)
    )
    remove, add = _citation_plan(existing, citations, principal, mine) if citations else ([], [])
    if not (changed or methods_changed or remove or add or existing.deleted_at):
        return UpsertPlan(existing, Outcome.UNCHANGED)
    if not may_publish(principal) and owner_for(principal) is not None:
        # Whatever a partner changes, citations and methods included, waits for review.
        held = held_back(fields.get("visibility", existing.visibility))
        fields = {**fields, **held}
        changed = [name for name, value in fields.items() if _differs(existing, name, value)]
    # One new version for the whole change, citations and methods included, so that
    # a mirror that compares versions fetches the record again.
    for name in changed:
        setattr(existing, name, fields[name])
    existing.deleted_at = None
    existing.may_read = _reader(principal)
    built, errors = _build_citations(existing, add, principal, checked)
    if any(errors):
        raise Invalid({"citations": errors})
    _full_clean(existing, checked=checked)
    return UpsertPlan(existing, Outcome.UPDATED, changed, methods_changed, remove, built)


@collecting()
def record_upsert(
    *,
    model: type[Record],
    external_id: str,
    fields: dict,
    principal: Principal,
    citations: list[CitationData] | None = None,
    methods: list[Term] | None = None,
    expected_version: set[int] | None = None,
) -> tuple[Record, str]:
    """Create or update the caller's record with this external id: (record, outcome).

    Sending the same data again changes nothing: no new version, no history
    entry, no change in the feed. A deleted record with this external id is
    restored. Citations, when given, replace the caller's citations of the
    record; for a figure they must still hold exactly one 'asserts'.
    """
    owner = owner_for(principal)
    existing = (
        model.objects.select_for_update()
        .filter(owner=owner, external_id=external_id)
        .order_by("pk")
        .first()
    )
    if existing is None:
        record = record_create(
            model=model,
            fields=upsert_fields(fields, external_id),
            principal=principal,
            citations=citations,
            methods=methods,
        )
        return record, Outcome.CREATED
    if expected_version is not None and existing.version not in expected_version:
        raise StaleVersion(existing.version)
    plan = plan_update(
        existing=existing,
        fields=fields,
        principal=principal,
        citations=citations,
        methods=methods,
    )
    if plan.outcome == Outcome.UNCHANGED:
        return existing, Outcome.UNCHANGED
    _save(existing, clean=False)  # validated by plan_update
    if plan.methods_changed:
        existing.methods.set(methods)
    # Removed first: a figure may hold only one live asserting citation at a time.
    for citation in plan.remove:
        record_delete(record=citation, principal=principal, guard=False)
    for citation in plan.built:
        setattr(citation, target_field(existing), existing)
        citation.save()
    return existing, Outcome.UPDATED


@dataclass
class UpsertItem:
    """One record of a batch to upsert: ``record_upsert``'s arguments but the caller's."""

    external_id: str
    fields: dict
    citations: list[CitationData] | None = None
    methods: list[Term] | None = None


@dataclass
class UpsertResult:
    """What an upsert of one item did, or would have done: the record and outcome, or why not.

    ``error`` is what ``record_upsert`` would have raised for the item: ``Invalid``,
    ``ValidationError`` or ``Conflict`` (``IntegrityError`` or ``DataError`` for a
    value the database refused).
    """

    record: Record | None = None
    outcome: str | None = None
    error: Exception | None = None


ROW_ERRORS = (Invalid, Conflict, ValidationError, IntegrityError, DataError)
