"""The second factor's pages in the admin: the sign-in step, enrolment, recovery codes, and
"Your second factors".

- ``admin:confirm_second_factor`` (``/admin/second-factor/?next=``): after the password,
  and again before a sensitive action: a code from the authenticator app, a recovery
  code, or the security key. Then back to ``next`` (a page of this site only).
- ``admin:second_factor_enrol``: an authenticator app (QR code and the secret as text,
  confirmed by a first code) or a security key; an account with no factor lands here at
  sign-in.
- ``admin:second_factor_recovery_codes``: ten codes, shown once, each usable once; new
  ones replace the old.
- ``admin:second_factors``: the staff member's own factors, to remove one.

The views guard themselves (a staff session still owing its second factor may open the
first two): the middleware in ``incidents.second_factor`` lets them through, and Django's
``admin_view`` would not. The changes are services in ``incidents.writes.second_factor``.
"""

from functools import wraps

import segno
from django import forms
from django.contrib import admin, messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from incidents.second_factor import is_staff
from incidents.security import (
    check_code,
    has_passed_second_factor,
    has_recent_second_factor,
    has_second_factor,
    second_factor_confirmation,
)
from incidents.writes import second_factor as factors


class CodeForm(forms.Form):
    """A six-digit code from the app, or a recovery code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        strip=True,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )


def wrong_code_message(throttled: bool) -> str:
    if throttled:
        return gettext(
            "Too many wrong codes were tried: wait a minute, then try again. Nothing was changed."
        )
    return gettext(
        "That code is not right, or it was already used. Check the code and try again; "
        "nothing was changed."
    )


def staff_page(view):
    """A page for a signed-in staff member, fresh on every load, CSRF-checked on POST."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not is_staff(request.user) or not request.user.is_active:
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        return view(request, *args, **kwargs)

    return never_cache(csrf_protect(guarded))


def next_url(request) -> str:
    """Where to go afterwards: ``next`` if it is a page of this site, else the admin's index."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("admin:index")


def with_next(name: str, target: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': target})}"


def page(request, template: str, title: str, **context):
    return render(
        request,
        template,
        {
            **admin.site.each_context(request),
            # The sidebar lists pages a session owing its second factor may not open yet.
            "is_nav_sidebar_enabled": False,
            "title": title,
            **context,
        },
    )


@staff_page
def confirm_view(request):
    """The second step of signing in, and the re-confirmation before sensitive actions."""
    user = request.user
    target = next_url(request)
    if not has_second_factor(user):
        return HttpResponseRedirect(with_next("admin:second_factor_enrol", target))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = check_code(user, form.cleaned_data["code"], request)
        if outcome.accepted:
            method = "recovery_code" if isinstance(outcome.device, StaticDevice) else "totp"
            factors.second_factor_passed(request, outcome.device, method=method)
            if method == "recovery_code":
                left = factors.recovery_codes_left(user)
                messages.warning(
                    request,
                    ngettext(
                        "You used a recovery code; %(left)d is left. Generate new ones "
                        "from Your second factors before you run out.",
                        "You used a recovery code; %(left)d are left. Generate new ones "
                        "from Your second factors before you run out.",
                        left,
                    )
                    % {"left": left},
                )
            return HttpResponseRedirect(target)
        form.add_error("code", wrong_code_message(outcome.throttled))
    signing_in = not has_passed_second_factor(request)
    return page(
        request,
        "admin/second_factor/confirm.html",
        gettext("Second step of signing in") if signing_in else gettext("Confirm it is you"),
        form=form,
        next=target,
        signing_in=signing_in,
        has_app=TOTPDevice.objects.devices_for_user(user, confirmed=True).exists(),
        has_key=WebAuthnCredential.objects.devices_for_user(user, confirmed=True).exists(),
    )


def after_enrolment(request, target: str) -> str:
    """After a first factor, the recovery codes; after another, where the staff member was."""
    if not factors.recovery_codes_left(request.user):
        return with_next("admin:second_factor_recovery_codes", target)
    return target


@staff_page
def enrol_view(request):
    """Enrol an authenticator app (QR code, then a first code) or a security key."""
    user = request.user
    target = next_url(request)
    if has_second_factor(user):
        # Adding a factor to an account that has one: only after confirming one, recently.
        if not has_passed_second_factor(request):
            return HttpResponseRedirect(with_next("admin:confirm_second_factor", target))
        if not has_recent_second_factor(request):
            return second_factor_confirmation(request)
    device = factors.totp_pending(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = factors.totp_confirm(request=request, code=form.cleaned_data["code"])
        if outcome.accepted:
            messages.success(request, gettext("Your authenticator app is set up."))
            return HttpResponseRedirect(after_enrolment(request, target))
        form.add_error(
            "code",
            wrong_code_message(throttled=True)
            if outcome.throttled
            else gettext(
                "That code is not right: check that the app shows the account just added, "
                "and type its current code. Nothing was changed."
            ),
        )
    qr = segno.make(device.config_url, error="m")
    return page(
        request,
        "admin/second_factor/enrol.html",
        gettext("Set up a second factor"),
        form=form,
        next=target,
        after_key=after_enrolment(request, target),
        qr_svg=mark_safe(  # segno's own markup, from the device's URL: no user input
            qr.svg_inline(scale=5, border=4, dark="#000", light="#fff", title=str(_("QR code")))
        ),
        secret=factors.totp_secret(device),
        first=not has_second_factor(user),
    )


@staff_page
def recovery_codes_view(request):
    """New recovery codes (POST), shown this once; or how many are left (GET)."""
    user = request.user
    target = next_url(request)
    if not factors.primary_factors(user):
        messages.error(
            request,
            gettext(
                "Set up an authenticator app or a security key first: "
                "recovery codes stand in for one."
            ),
        )
        return HttpResponseRedirect(with_next("admin:second_factor_enrol", target))
    if request.method == "POST":
        if not has_recent_second_factor(request):
            return second_factor_confirmation(request)
        codes = factors.recovery_codes_generate(request=request)
        return page(
            request,
            "admin/second_factor/recovery_codes.html",
            gettext("Your recovery codes"),
            codes=[f"{code[:4]}-{code[4:]}" for code in codes],
            next=target,
        )
    return page(
        request,
        "admin/second_factor/recovery_codes.html",
        gettext("Recovery codes"),
        left=factors.recovery_codes_left(user),
        next=target,
    )


@staff_page
def devices_view(request):
    """The staff member's factors, each removable (after a recent confirmation)."""
    user = request.user
    if request.method == "POST":
        if not has_recent_second_factor(request):
            return second_factor_confirmation(request)
        try:
            factors.factor_remove(request=request, persistent_id=request.POST.get("remove", ""))
        except factors.FactorError as error:
            if str(error) == "last factor":
                messages.error(
                    request,
                    gettext(
                        "This is your only authenticator app or security key, and a second "
                        "factor is required: add another one before removing it."
                    ),
                )
            else:
                messages.error(request, gettext("That second factor is not one of yours."))
        else:
            messages.success(request, gettext("The second factor was removed."))
        return HttpResponseRedirect(reverse("admin:second_factors"))
    return page(
        request,
        "admin/second_factor/devices.html",
        gettext("Your second factors"),
        apps=TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("created_at"),
        keys=WebAuthnCredential.objects.devices_for_user(user, confirmed=True).order_by(
            "created_at"
        ),
        codes_left=factors.recovery_codes_left(user),
    )


admin.site.add_page("second-factor/", confirm_view, "confirm_second_factor")
admin.site.add_page("second-factor/enrol/", enrol_view, "second_factor_enrol")
admin.site.add_page(
    "second-factor/recovery-codes/", recovery_codes_view, "second_factor_recovery_codes"
)
admin.site.add_page("second-factor/devices/", devices_view, "second_factors")
