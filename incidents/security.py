"""Security events and the staff door's shared checks, one place every door calls.

- ``log_event(event, request=None, **fields)``: a security event (a sign-in failure, a
  lockout, a factor changed, a token issued or revoked, a permission denied, a purge) as
  one WARNING line on the ``incidents.security`` logger. Fields are names, ids and
  counts: never a secret, a password, a code, or the value of a restricted field.
- ``has_recent_second_factor(request)``: whether the staff member behind ``request``
  confirmed a second factor recently enough for a sensitive action (issuing or revoking
  tokens, changing roles, purging, backups).
"""

import logging
import time

from django.conf import settings

logger = logging.getLogger("incidents.security")

# Where the session keeps the time of the last second-factor confirmation (seconds since
# the epoch); set at sign-in and by the re-confirmation page.
SECOND_FACTOR_AT = "incidents_second_factor_at"


def _who(request) -> dict:
    """Who made the request, as a log line may name them: a user name, a token prefix."""
    if request is None:
        return {}
    fields = {}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        fields["user"] = user.get_username()
    auth = getattr(request, "auth", None)
    prefix = getattr(auth, "prefix", None)
    if prefix:
        fields["token_prefix"] = prefix
    return fields


def log_event(event: str, request=None, level: int = logging.WARNING, **fields) -> None:
    """Log one security event; ``event`` is a short dotted name, e.g. ``token.issued``."""
    logger.log(level, event, extra={"event": event, **_who(request), **fields})


def note_second_factor(request) -> None:
    """Record in the session that its user has just confirmed a second factor."""
    request.session[SECOND_FACTOR_AT] = int(time.time())


def has_recent_second_factor(request) -> bool:
    """A second factor confirmed within ``STAFF_RECENT_2FA_SECONDS`` in this session."""
    at = request.session.get(SECOND_FACTOR_AT) if hasattr(request, "session") else None
    if not isinstance(at, int):
        return False
    return time.time() - at <= settings.STAFF_RECENT_2FA_SECONDS


def second_factor_confirmation(request):
    """Send the staff member to confirm a second factor, then back to where they were."""
    from urllib.parse import urlencode

    from django.http import HttpResponseRedirect
    from django.urls import reverse

    query = urlencode({"next": request.get_full_path()})
    return HttpResponseRedirect(f"{reverse('admin:confirm_second_factor')}?{query}")


def verify_code(user, code: str) -> bool:
    """Whether ``code`` is a current one-time code (or an unused recovery code) of ``user``."""
    from django_otp import match_token

    return match_token(user, code.strip()) is not None
