"""A record's history as the API shows it: who changed what, when, through what.

Entries come from django-simple-history. What a caller sees of each entry
depends on who they are, because an old value may be exactly what was
redacted later (a name, a place):

- everyone who may read the record sees when, through what (admin, API,
  command), the kind of actor (staff, partner, system), and which fields
  changed;
- staff see who did it (a colleague's username, a partner's name); a partner
  sees its own organisation's name on its own changes, never staff usernames
  or other partners' names;
- staff who may change the record, and the partner that owns it, also see the
  old and new values, and the reason given for each change: a reason is written
  for colleagues ("name of a witness removed at her request") and can say as
  much as the values it explains.

Integer keys never leave the database: linked records appear as public ids,
methods as codes.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import models

from incidents.access import principal_of, readable

HIDDEN_FIELDS = {"id", "updated_at", "version", "history_id"}


@dataclass
class Change:
    field: str
    old: object
    new: object


@dataclass
class Entry:
    version: int
    date: datetime
    action: str
    via: str
    reason: str
    by_kind: str
    by_name: str | None
    changed_fields: list[str]
    changes: list[Change] | None = field(default=None)


def _may_see_details(record, request) -> bool:
    principal = principal_of(request)
    if principal.partner is not None:
        return record.owner_id == principal.partner.pk
    if principal.is_staff:
        return principal.user.has_perm(f"incidents.change_{record._meta.model_name}")
    return False


def _public(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "code"):  # a django-countries Country
        return value.code or ""
    return value


def _resolver(model, request):
    """Turns integer keys in a history diff into public ids (or term codes).

    A linked record the reader may not see shows as null, as it does in the
    record's own representation.
    """
    cache: dict[tuple, object] = {}

    def resolve(field_name, value):
        if value is None:
            return None
        if field_name == "methods":
            ids = sorted(row["term"] for row in value)
            key = ("methods", tuple(ids))
            if key not in cache:
                from incidents.models import Term

                codes = dict(Term.objects.filter(pk__in=ids).values_list("pk", "code"))
                cache[key] = sorted(codes.get(i, "?") for i in ids)
            return cache[key]
        model_field = model._meta.get_field(field_name)
        if isinstance(model_field, models.ForeignKey):
            if value == "":
                return None
            key = (field_name, value)
            if key not in cache:
                linked = model_field.related_model._base_manager.filter(pk=value).first()
                cache[key] = (
                    str(getattr(linked, "uuid", linked))
                    if linked is not None and readable(linked, request)
                    else None
                )
            return cache[key]
        return _public(value)

    return resolve


def _action(entry, previous) -> str:
    if entry.history_type == "+":
        return "created"
    if entry.history_type == "-":
        return "removed"
    before = getattr(previous, "deleted_at", None) if previous else None
    after = getattr(entry, "deleted_at", None)
    if before is None and after is not None:
        return "deleted"
    if before is not None and after is None:
        return "restored"
    return "changed"


def record_history(record, request) -> list[Entry]:
    """The record's history, newest first, as this caller may see it."""
    details = _may_see_details(record, request)
    principal = principal_of(request)
    rows = list(
        record.history.select_related("history_user", "history_partner").order_by(
            "history_date", "history_id"
        )
    )
    resolve = _resolver(type(record), request)
    entries = []
    previous = None
    for row in rows:
        if previous is None:
            changes = []
        else:
            delta = row.diff_against(previous, foreign_keys_are_objs=False)
            changes = [
                Change(c.field, resolve(c.field, c.old), resolve(c.field, c.new))
                for c in delta.changes
                if c.field not in HIDDEN_FIELDS
            ]
        if row.history_partner_id:
            kind = "partner"
            own = principal.partner is not None and principal.partner.pk == row.history_partner_id
            name = row.history_partner.name if (principal.is_staff or own) else None
        elif row.history_user_id:
            kind = "staff"
            name = row.history_user.get_username() if principal.is_staff else None
        else:
            kind, name = "system", None
        entries.append(
            Entry(
                version=row.version,
                date=row.history_date,
                action=_action(row, previous),
                via=row.history_via or "command",
                reason=(row.history_change_reason or "") if details else "",
                by_kind=kind,
                by_name=name,
                changed_fields=[c.field for c in changes],
                changes=changes if details else None,
            )
        )
        previous = row
    entries.reverse()
    return entries
