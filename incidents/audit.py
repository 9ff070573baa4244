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

from django.dispatch import receiver
from simple_history.signals import pre_create_historical_record

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


@receiver(pre_create_historical_record)
def fill_audit_fields(sender, history_instance, **kwargs):
    context = current()
    history_instance.history_via = context.via
    if context.user is not None and history_instance.history_user_id is None:
        history_instance.history_user = context.user
    if context.partner is not None:
        history_instance.history_partner_id = context.partner.pk
        history_instance.history_token_prefix = context.token_prefix
    if context.reason and not history_instance.history_change_reason:
        history_instance.history_change_reason = context.reason[:100]
