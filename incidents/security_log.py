"""Security events that every door shares: sign-ins, and access refused.

- A failed sign-in (Django's ``user_login_failed``: the admin form, any form that calls
  ``authenticate``) is logged at WARNING as ``signin.failed`` with the user name tried
  and the client's address; never the password (Django has already masked it in the
  credentials, and only the user name is read from them). A successful one is
  ``signin.succeeded`` at INFO.
- Every 401 and 403 answer, whoever gave it (the API's permission checks and
  authentication, the admin's ``PermissionDenied``, the CSRF check), is logged at
  WARNING as ``permission.denied`` with the method, the path (never its query string),
  the status and who asked: the user name, a token's prefix, the address.

The other security events (lockouts, second factors, tokens issued or revoked, purges)
are logged where they happen, through ``incidents.security.log_event``.
"""

import logging

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.utils.functional import SimpleLazyObject, empty

from incidents.logs import TOKEN
from incidents.security import log_event

DENIED = (401, 403)
# A user name is what a person typed; a long one is more likely a pasted password.
MAX_USERNAME = 150


def _address(request) -> str | None:
    if request is None:
        return None
    from incidents.addresses import client_address

    return client_address(request)


def _token_prefix(request) -> str | None:
    """The prefix of the token a refused request sent, if it looks like one of ours."""
    header = request.headers.get("Authorization", "")
    match = TOKEN.search(header)
    return match.group(1)[len("irt_") : -1] if match else None


class PermissionDeniedLogMiddleware:
    """Logs ``permission.denied`` for each 401 and 403 answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code in DENIED:
            log_event(
                "permission.denied",
                method=request.method,
                path=request.path,
                status=response.status_code,
                address=_address(request),
                **_who(request),
            )
        return response


def _who(request) -> dict:
    """Who was refused, as far as the request already tells; looks nothing up to find out."""
    fields = {}
    user = getattr(request, "user", None)
    # A user never looked up (the request was refused before anything needed it) stays so:
    # a refusal costs no session or user query.
    if isinstance(user, SimpleLazyObject) and user._wrapped is empty:
        user = None
    if user is not None and user.is_authenticated:
        fields["user"] = user.get_username()
    prefix = getattr(getattr(request, "auth", None), "prefix", None) or _token_prefix(request)
    if prefix:
        fields["token_prefix"] = prefix  # a token refused is named by its prefix only
    return fields


@receiver(user_login_failed, dispatch_uid="incidents.security_log.signin_failed")
def log_signin_failed(sender, credentials, request=None, **kwargs):
    """A sign-in refused: who was tried, from where. Never what was typed as the password."""
    username = credentials.get(get_user_model().USERNAME_FIELD)
    log_event(
        "signin.failed",
        request,
        username=str(username)[:MAX_USERNAME] if username is not None else None,
        address=_address(request),
    )


@receiver(user_logged_in, dispatch_uid="incidents.security_log.signed_in")
def log_signed_in(sender, request, user, **kwargs):
    """A sign-in accepted, at INFO: the trail a failed one is read against."""
    log_event(
        "signin.succeeded",
        request,
        level=logging.INFO,
        username=user.get_username(),
        address=_address(request),
    )
