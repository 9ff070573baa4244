"""Security events and the staff door's shared checks, one place every door calls.

- ``log_event(event, request=None, **fields)``: a security event (a sign-in failure, a
  lockout, a factor changed, a token issued or revoked, a permission denied, a purge) as
  one WARNING line on the ``incidents.security`` logger. Fields are names, ids and
  counts: never a secret, a password, a code, or the value of a restricted field.
- ``has_recent_second_factor(request)``: whether the staff member behind ``request``
  confirmed a second factor recently enough for a sensitive action (issuing or revoking
  tokens, changing roles, purging, backups); if not, ``second_factor_confirmation``
  sends them to confirm it and back. Where none is required and they have none (the
  demo), there is nothing to confirm.
- ``has_passed_second_factor(request)``: whether the session has passed one at all since
  signing in (``incidents.second_factor`` enforces that on every request).
- ``check_code(user, code)`` / ``verify_code``: a code from an authenticator app or a
  recovery code, checked against the user's devices (django-otp), outcome logged.
"""

import logging
import re
import time
from dataclasses import dataclass

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


def has_passed_second_factor(request) -> bool:
    """Whether this session has confirmed a second factor since its user signed in.

    django-otp's middleware knows the device a code or key was checked against; the
    confirmation time is set only after such a check (``note_second_factor``), and
    signing in again clears both (``incidents.second_factor``).
    """
    user = getattr(request, "user", None)
    is_verified = getattr(user, "is_verified", None)
    if callable(is_verified) and is_verified():
        return True
    session = getattr(request, "session", None)
    return session is not None and isinstance(session.get(SECOND_FACTOR_AT), int)


def has_second_factor(user) -> bool:
    """Whether ``user`` has enrolled a second factor (an app, a key or recovery codes)."""
    from django_otp import user_has_device

    return user is not None and user.is_authenticated and user_has_device(user)


def has_recent_second_factor(request) -> bool:
    """A second factor confirmed within ``STAFF_RECENT_2FA_SECONDS`` in this session.

    Where no second factor is required (``STAFF_REQUIRE_2FA`` off, the local demo) and the
    staff member has none, there is nothing to confirm: the action goes ahead.
    """
    if not settings.STAFF_REQUIRE_2FA and not has_second_factor(getattr(request, "user", None)):
        return True
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


# A code from an authenticator app is six digits; a recovery code eight letters and digits
# (django-otp's static tokens: base32, lowercase), shown in two groups of four.
TOTP_CODE = re.compile(r"[0-9]{6}")
RECOVERY_CODE = re.compile(r"[a-z2-7]{8}")


@dataclass(frozen=True)
class CodeCheck:
    """The outcome of checking a code: the device that accepted it, or why none did."""

    device: object | None = None
    # A device refused to check because of recent wrong codes (it waits longer after each).
    throttled: bool = False

    @property
    def accepted(self) -> bool:
        return self.device is not None


def normalise_code(code: str) -> str:
    """The code as typed, without spaces or dashes, lowercase (recovery codes are shown so)."""
    return re.sub(r"[\s-]", "", code or "").lower()


def check_code(user, code: str, request=None) -> CodeCheck:
    """Check ``code`` against ``user``'s devices of the kind it looks like, and log the outcome.

    Six digits go to the user's authenticator apps, eight letters and digits to their
    recovery codes, so that a code of one kind never counts as a wrong try against the
    other (each device slows down after wrong tries). A recovery code is used up by the
    check. Logs ``second_factor.failed`` and ``second_factor.recovery_code_used`` (with
    how many are left), never the code itself.
    """
    from django.db import transaction
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    value = normalise_code(code)
    if TOTP_CODE.fullmatch(value):
        model, kind = TOTPDevice, "totp"
    elif RECOVERY_CODE.fullmatch(value):
        model, kind = StaticDevice, "recovery_code"
    else:
        model, kind = None, "unknown"
    throttled = False
    accepted = None
    if model is not None and user is not None and user.is_authenticated:
        with transaction.atomic():
            for device in model.objects.devices_for_user(user, confirmed=True).select_for_update():
                allowed, _ = device.verify_is_allowed()
                if not allowed:
                    throttled = True
                    continue
                if device.verify_token(value):
                    accepted = device
                    break
    if accepted is None:
        log_event(
            "second_factor.failed",
            request,
            target_user=user.get_username() if user is not None else "",
            method=kind,
            throttled=throttled,
        )
        return CodeCheck(throttled=throttled)
    if kind == "recovery_code":
        log_event(
            "second_factor.recovery_code_used",
            request,
            target_user=user.get_username(),
            remaining=accepted.token_set.count(),
        )
    return CodeCheck(device=accepted)


def verify_code(user, code: str, request=None) -> bool:
    """Whether ``code`` is a current one-time code (or an unused recovery code) of ``user``."""
    return check_code(user, code, request).accepted
