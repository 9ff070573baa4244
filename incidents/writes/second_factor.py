"""Changing a staff member's second factors; every change is a security event.

The factors are django-otp's devices: an authenticator app (``TOTPDevice``), a set of
recovery codes (``StaticDevice`` and its tokens, each usable once) and security keys or
passkeys (django-otp-webauthn's ``WebAuthnCredential``, registered by its own views).
Apps and keys are the factors proper; recovery codes stand in for them when a phone or a
key is lost, and go when the last of them goes.

Checking a code is ``incidents.security.check_code``; what a session has passed is
``incidents.security`` and ``incidents.second_factor``.
"""

import logging
from base64 import b32encode

from django.conf import settings
from django.db import transaction
from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from incidents.security import TOTP_CODE, CodeCheck, log_event, normalise_code, note_second_factor

RECOVERY_CODE_COUNT = 10


class FactorError(Exception):
    """A change to the factors that is refused; the message says why, in the user's language."""


def second_factor_passed(request, device, *, method: str) -> None:
    """The session's user has just passed ``device``: mark the session, note when, log it."""
    from incidents.second_factor import HAS_FACTOR

    otp_login(request, device)
    note_second_factor(request)
    request.session[HAS_FACTOR] = True
    log_event("second_factor.confirmed", request, level=logging.INFO, method=method)


def primary_factors(user) -> list:
    """The user's confirmed authenticator apps and security keys (not recovery codes)."""
    return [
        *TOTPDevice.objects.devices_for_user(user, confirmed=True),
        *WebAuthnCredential.objects.devices_for_user(user, confirmed=True),
    ]


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def totp_pending(user) -> TOTPDevice:
    """The authenticator app being enrolled: the same secret until confirmed, so that a
    reload of the page does not change the QR code a phone may already have scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name=str(settings.OTP_TOTP_ISSUER), confirmed=False
        )
    return device


def totp_secret(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it typed in: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@transaction.atomic
def totp_confirm(*, request, code: str) -> CodeCheck:
    """Confirm the pending authenticator app with its first code; not accepted (nothing
    changed) if the code is wrong. The session counts as having passed it."""
    user = request.user
    device = (
        TOTPDevice.objects.select_for_update()
        .filter(user=user, confirmed=False)
        .order_by("pk")
        .first()
    )
    value = normalise_code(code)
    throttled = device is not None and not device.verify_is_allowed()[0]
    if (
        device is None
        or throttled
        or not TOTP_CODE.fullmatch(value)
        or not device.verify_token(value)
    ):
        log_event(
            "second_factor.failed", request, method="totp", enrolment=True, throttled=throttled
        )
        return CodeCheck(throttled=throttled)
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    log_event("second_factor.enrolled", request, method="totp", device=device.persistent_id)
    second_factor_passed(request, device, method="totp")
    return CodeCheck(device=device)


def webauthn_enrolled(*, request, device) -> None:
    """A security key was just registered (django-otp-webauthn's view saved it)."""
    from incidents.second_factor import HAS_FACTOR

    if not device.name:
        device.name = "WebAuthn"
        device.save(update_fields=["name"])
    log_event("second_factor.enrolled", request, method="webauthn", device=device.persistent_id)
    note_second_factor(request)
    request.session[HAS_FACTOR] = True


@transaction.atomic
def recovery_codes_generate(*, request) -> list[str]:
    """New recovery codes for the session's user, replacing any earlier ones (shown once)."""
    user = request.user
    if not primary_factors(user):
        raise FactorError("no primary factor")
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = []
    while len(codes) < RECOVERY_CODE_COUNT:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    log_event("second_factor.recovery_codes_generated", request, count=len(codes))
    return codes


def device_of(user, persistent_id: str):
    """One of ``user``'s confirmed devices, by its persistent id; None if not theirs."""
    for device in devices_for_user(user, confirmed=True):
        if device.persistent_id == persistent_id:
            return device
    return None


@transaction.atomic
def factor_remove(*, request, persistent_id: str) -> None:
    """Remove one of the session user's factors. The last app or key cannot go while a
    second factor is required; when it goes otherwise, the recovery codes go with it."""
    user = request.user
    device = device_of(user, persistent_id)
    if device is None or isinstance(device, StaticDevice):
        raise FactorError("unknown device")
    remaining = [d for d in primary_factors(user) if d.persistent_id != persistent_id]
    if not remaining and settings.STAFF_REQUIRE_2FA:
        raise FactorError("last factor")
    method = "totp" if isinstance(device, TOTPDevice) else "webauthn"
    device.delete()
    if not remaining:
        StaticDevice.objects.filter(user=user).delete()
    log_event("second_factor.removed", request, method=method, device=persistent_id)
    if request.session.get(DEVICE_ID_SESSION_KEY) == persistent_id and remaining:
        # The session passed the removed device: it stays confirmed, through another.
        otp_login(request, remaining[0])


@transaction.atomic
def factors_reset(*, request, user) -> int:
    """An administrator removes every factor of a colleague (a lost phone, a lost key).

    The colleague enrols again at their next sign-in; their open sessions end now (where
    sessions are kept in the database, the default), so none carries on with the old
    factors. Returns how many factors were removed.
    """
    removed = 0
    for model in (TOTPDevice, StaticDevice, WebAuthnCredential):
        removed += model.objects.filter(user=user).delete()[1].get(model._meta.label, 0)
    ended = end_sessions_of(user, keep=request.session.session_key)
    log_event(
        "second_factor.reset",
        request,
        target_user=user.get_username(),
        removed=removed,
        sessions_ended=ended,
    )
    return removed


def end_sessions_of(user, keep: str | None = None) -> int:
    """End ``user``'s sessions kept in the database (all but ``keep``); how many ended."""
    from importlib import import_module

    engine = import_module(settings.SESSION_ENGINE)
    store = getattr(engine, "SessionStore", None)
    if store is None or not hasattr(store, "get_model_class"):
        return 0  # sessions in a cache or in cookies cannot be listed
    model = store.get_model_class()
    ended = []
    for session in model.objects.iterator():
        if session.session_key == keep:
            continue
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            ended.append(session.session_key)
    for key in ended:
        store(session_key=key).delete()
    return len(ended)
