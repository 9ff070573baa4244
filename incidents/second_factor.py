"""The second factor at the staff door, enforced on every request, not only at the sign-in form.

A password alone opens nothing. While ``STAFF_REQUIRE_2FA`` is on (the default whenever
``DEBUG`` is off), a staff session that has passed the password but no second factor:

- reaches only the sign-in, second-factor, enrolment and sign-out pages of the admin
  (and the security-key ceremonies they call); every other admin page sends it to the
  second-factor step, which sends an account without a factor to enrol one;
- is anonymous everywhere else: the API reads it as it reads a caller with no
  credentials, so it carries no staff rights there.

With the setting off (the local demo), the same applies to staff who have enrolled a
factor: they are asked for it at their next sign-in; others go straight in.

Also here, because Django loads it before any model: ``StaffAdminConfig``, Django's
admin with the project's own site (``incidents.staff_site.StaffAdminSite``), which
holds the factor pages and refuses an unconfirmed session too.
"""

from django.conf import settings
from django.contrib.admin.apps import AdminConfig
from django.contrib.auth.signals import user_logged_in
from django.http import HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode

from incidents.security import SECOND_FACTOR_AT, has_passed_second_factor, has_second_factor

# Set at sign-in (and at enrolment): the account has a second factor, so this session must
# pass it even where none is required. Saves looking the devices up on every request.
HAS_FACTOR = "incidents_has_second_factor"

# Admin pages an unconfirmed staff session may open: signing in and out, the second-factor
# step and enrolment, and the admin's translations for its scripts.
OPEN_ADMIN_PAGES = frozenset(
    {"login", "logout", "confirm_second_factor", "second_factor_enrol", "jsi18n"}
)


class StaffAdminConfig(AdminConfig):
    """Django's admin app, whose ``admin.site`` is the project's site (with the factor pages)."""

    default_site = "incidents.staff_site.StaffAdminSite"
    # Not the app config of ``incidents`` (Django picks the one default class in apps.py
    # modules; this one is named in INSTALLED_APPS).
    default = False


def is_staff(user) -> bool:
    return bool(user is not None and user.is_authenticated and (user.is_staff or user.is_superuser))


def must_pass_second_factor(request) -> bool:
    """Whether this request comes from a staff session still owing its second factor."""
    user = getattr(request, "user", None)
    if not is_staff(user) or has_passed_second_factor(request):
        return False
    return settings.STAFF_REQUIRE_2FA or bool(request.session.get(HAS_FACTOR))


def second_factor_step(request) -> HttpResponseRedirect:
    """The second-factor step of signing in, then back to the page asked for."""
    query = urlencode({"next": request.get_full_path()})
    return HttpResponseRedirect(f"{reverse('admin:confirm_second_factor')}?{query}")


class SecondFactorMiddleware:
    """Keeps a staff session that owes its second factor out of everything but the way in.

    After ``AuthenticationMiddleware`` and django-otp's ``OTPMiddleware``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if must_pass_second_factor(request):
            try:
                match = resolve(request.path_info)
            except Resolver404:
                match = None
            namespaces = match.namespaces if match is not None else []
            if namespaces[:1] == ["otp_webauthn"] or (
                namespaces == ["admin"] and match.url_name in OPEN_ADMIN_PAGES
            ):
                pass
            elif namespaces[:1] == ["admin"]:
                return second_factor_step(request)
            else:
                # The API and every other page: the session's user is nobody in particular.
                # (Imported here: Django loads this module before the auth models.)
                from django.contrib.auth.models import AnonymousUser

                request.user = AnonymousUser()

                async def anonymous():
                    return AnonymousUser()

                request.auser = anonymous
        return self.get_response(request)


def on_sign_in(sender, request, user, **kwargs) -> None:
    """A fresh sign-in owes a fresh second factor; note whether the account has one."""
    if request is None or not hasattr(request, "session"):
        return
    from django_otp import DEVICE_ID_SESSION_KEY

    request.session.pop(SECOND_FACTOR_AT, None)
    # A device an OTP-aware form checked in this very sign-in stays (django-otp sets it).
    if getattr(user, "otp_device", None) is None:
        request.session.pop(DEVICE_ID_SESSION_KEY, None)
    if is_staff(user):
        request.session[HAS_FACTOR] = has_second_factor(user)


user_logged_in.connect(on_sign_in, dispatch_uid="incidents.second_factor.on_sign_in")
