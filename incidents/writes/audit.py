"""Who changed what, through what: the context every history entry is written in.

django-simple-history writes a history entry on each save and delete. This
module fills in its audit fields from a context variable, set by

- ``AuditMiddleware`` for every request (the staff member, through the admin or
  the API),
- the API's write views, which add the partner and token and the optional
  reason a client sends in the ``X-Change-Reason`` header,
- management commands, which run outside any request (``via="command"``).

A context variable rather than a thread-local, so concurrent requests in one
process (threads or async) never see each other's context.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from operator import attrgetter, itemgetter

from django.dispatch import receiver
from django.utils import timezone
from simple_history.signals import pre_create_historical_record
from simple_history.utils import get_change_reason_from_object

from incidents.writes import sqlbulk

VIA_ADMIN = "admin"
VIA_API = "api"
VIA_COMMAND = "command"


@dataclass(frozen=True)
class AuditContext:
    via: str = VIA_COMMAND
    user: object | None = None
    partner: object | None = None
    token_prefix: str = ""
    reason: str = ""


_NONE = AuditContext()  # frozen, so sharing it as the default is safe
_context: ContextVar[AuditContext] = ContextVar("audit_context", default=_NONE)


def current() -> AuditContext:
    return _context.get()


@contextmanager
def audit_context(**changes):
    """Run a block with these audit fields changed (via, user, partner, token_prefix, reason)."""
    token = _context.set(replace(_context.get(), **changes))
    try:
        yield
    finally:
        _context.reset(token)


class AuditMiddleware:
    """Every request starts with its staff user (if any) and its channel: admin or API."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        via = VIA_API if request.path.startswith("/api/") else VIA_ADMIN
        with audit_context(
            via=via, user=user if user is not None and user.is_authenticated else None
        ):
            return self.get_response(request)


def _channel_fields(context: AuditContext) -> dict:
    """The audit fields every entry written in ``context`` gets, whatever the record."""
    fields = {"history_via": context.via}
    if context.partner is not None:
        fields["history_partner_id"] = context.partner.pk
        fields["history_token_prefix"] = context.token_prefix
    return fields


@receiver(pre_create_historical_record)
def fill_audit_fields(sender, history_instance, **kwargs):
    context = current()
    for name, value in _channel_fields(context).items():
        setattr(history_instance, name, value)
    if context.user is not None and history_instance.history_user_id is None:
        history_instance.history_user = context.user
    if context.reason and not history_instance.history_change_reason:
        history_instance.history_change_reason = context.reason[:100]


def bulk_history_create(*, model, records: list, update: bool, now=None) -> None:
    """History entries for records written in bulk, as a save of each would have left.

    django-simple-history writes no entry for bulk writes, and its own
    ``bulk_history_create`` sends no signal, so ``fill_audit_fields`` would not
    run: the entries are built here as it builds them (the record's tracked
    fields, a date, the type, the user and the reason of the instance if it
    carries one) with the audit fields a single save gets (the channel,
    partner and token, staff member and reason of the current context).
    ``update``: the records were changed ("~"), else created ("+"); ``now``: the
    date of every entry (None: the time each is built).
    """
    if not records:
        return
    context = current()
    history = model.history.model
    fields = sqlbulk.columns(history)
    tracked = [field.attname for field in history.tracked_fields]
    # What each record gives (its tracked fields, then the entry's user, reason and
    # date), then what every entry shares (the template): each column is taken by
    # its position in the two, a tuple a record rather than a dict.
    given = [*tracked, "history_user_id", "history_change_reason", "history_date"]
    template = {field.attname: field.get_default() for field in fields}
    template.update(_channel_fields(context), history_type="~" if update else "+")
    shared = [name for name in template if name not in given]
    constants = tuple(template[name] for name in shared)
    order = [*given, *shared]
    row_of = itemgetter(*(order.index(field.attname) for field in fields))
    read = attrgetter(*tracked)
    reason = context.reason[:100]
    rows = []
    for record in records:
        user = getattr(record, "_history_user", None) or context.user
        own_reason = get_change_reason_from_object(record)  # None when the record carries none
        rows.append(
            row_of(
                (
                    *read(record),
                    user.pk if user is not None else None,
                    reason if reason and not own_reason else own_reason,
                    now or timezone.now(),
                    *constants,
                )
            )
        )
    sqlbulk.insert_rows(history, rows)
