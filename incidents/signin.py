"""Signing in: the lockout after repeated failures (django-axes), as staff and the log see it.

django-axes works at the authentication layer (``AxesStandaloneBackend``, first in
``AUTHENTICATION_BACKENDS``), so every form that signs in through
``django.contrib.auth.authenticate`` is covered. This module gives it:

- ``SignInAttemptsConfig``: the axes app under a translated name in the admin;
- ``lockout_response``: the page a locked-out person sees (``AXES_LOCKOUT_CALLABLE``),
  in the admin's look and their language, saying for how long, answered 429 with
  ``Retry-After``;
- ``forget_account_failures``: a successful sign-in forgets that account's failures
  (not its address's, which may be guesses at other accounts);
- the security events ``signin.locked_out`` (a lockout begins) and
  ``signin.refused_locked_out`` (a sign-in tried while locked out), with the user name
  and address, never the password.

Nothing here imports models at import time: the app config is loaded before them.
"""

import math
from datetime import timedelta

from axes.apps import AppConfig as AxesAppConfig
from django.contrib.auth.signals import user_logged_in
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SignInAttemptsConfig(AxesAppConfig):
    """django-axes, named for staff: its records are sign-in attempts."""

    verbose_name = _("Sign-in attempts")

    def ready(self):
        super().ready()
        from axes.signals import user_locked_out

        user_locked_out.connect(log_lockout, dispatch_uid="incidents.signin.log_lockout")
        user_logged_in.connect(
            forget_account_failures, dispatch_uid="incidents.signin.forget_account_failures"
        )


def forget_account_failures(sender, request, user, **kwargs) -> None:
    """A successful sign-in forgets the failures of that account, and only of that account.

    Not those of the address (django-axes' ``AXES_RESET_ON_SUCCESS`` would forget both):
    they may be guesses at other accounts, and whoever holds one colleague's password
    could otherwise sign in as them between guesses to start the count again.
    """
    from axes.models import AccessAttempt

    AccessAttempt.objects.filter(username=user.get_username()).delete()


def log_lockout(sender, request, username, ip_address, **kwargs) -> None:
    """One security event per lockout, and one per sign-in refused while it lasts."""
    from incidents.security import log_event

    started = getattr(request, "axes_failures_since_start", None) is not None
    log_event(
        "signin.locked_out" if started else "signin.refused_locked_out",
        request,
        username=username or "",
        address=ip_address or "",
        path=getattr(request, "path", ""),
    )


def lockout_ends(request, credentials=None):
    """When the lockout on this request's account or address ends (None: it does not hold).

    Failures count for ``AXES_COOLOFF_TIME`` after the last one; the lockout holds while
    those of the account, or of the address, reach ``AXES_FAILURE_LIMIT``.
    """
    from axes.conf import settings
    from axes.helpers import (
        get_client_parameters,
        get_client_user_agent,
        get_client_username,
        get_cool_off,
        get_failure_limit,
    )
    from axes.models import AccessAttempt
    from django.db.models import Max, Sum

    cool_off = get_cool_off(request)
    if cool_off is None:
        return None
    now = timezone.now()
    address = getattr(request, "axes_ip_address", None)
    if address is None:
        from incidents.addresses import client_address

        address = client_address(request)
    criteria = get_client_parameters(
        get_client_username(request, credentials),
        address,
        get_client_user_agent(request),
        request,
        credentials,
    )
    limit = get_failure_limit(request, credentials)
    ends = None
    for criterion in criteria:
        if any(value is None for value in criterion.values()):
            continue
        recent = AccessAttempt.objects.filter(**criterion, attempt_time__gte=now - cool_off)
        totals = recent.aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        if (totals["failures"] or 0) >= limit and totals["last"] is not None:
            candidate = totals["last"] + cool_off
            ends = candidate if ends is None else max(ends, candidate)
    if ends is None and settings.AXES_COOLOFF_TIME:
        # Refused, but the records say nothing (e.g. just unlocked meanwhile): say the
        # longest it could be rather than nothing.
        ends = now + cool_off
    return ends


def lockout_response(request, original_response=None, credentials=None):
    """The page of a sign-in refused by the lockout: what happened and for how long."""
    from axes.conf import settings
    from django.contrib import admin
    from django.template.response import TemplateResponse

    ends = lockout_ends(request, credentials)
    seconds = max(1, math.ceil((ends - timezone.now()).total_seconds())) if ends else None
    minutes = max(1, math.ceil(seconds / 60)) if seconds else None
    response = TemplateResponse(
        request,
        "admin/incidents/signin/locked_out.html",
        {
            **admin.site.each_context(request),
            "title": _("Signing in is locked"),
            "minutes": minutes,
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "cool_off_minutes": int(settings.AXES_COOLOFF_TIME / timedelta(minutes=1)),
        },
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    if seconds:
        response["Retry-After"] = str(seconds)
    return response.render()
