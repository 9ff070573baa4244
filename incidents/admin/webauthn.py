"""Security keys and passkeys (WebAuthn): django-otp-webauthn's ceremonies, for staff.

Its views do the cryptography (py_webauthn) and its scripts talk to them; these
subclasses add what the staff door needs:

- only staff may register or use a key, and a key is a second factor after the
  password, never a way in alone (``OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN`` is off);
- adding a key to an account that already has a factor needs a recent confirmation;
- a key used or registered counts as a confirmed second factor (``note_second_factor``),
  and each outcome is a security event; a failed attempt is logged and changes nothing.

Served at ``/admin/webauthn/`` in the namespace django-otp-webauthn's scripts and
template tags expect (``otp_webauthn``).
"""

from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn import exceptions
from django_otp_webauthn import views as webauthn_views
from django_otp_webauthn.models import WebAuthnCredential

from incidents.second_factor import is_staff
from incidents.security import has_recent_second_factor, has_second_factor, log_event
from incidents.writes.second_factor import second_factor_passed, webauthn_enrolled

app_name = "otp_webauthn"


class NotStaff(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_detail = _("Only staff members can use security keys here.")
    default_code = "not_staff"


class ConfirmFirst(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_detail = _(
        "Confirm your second factor again before adding a security key, then try again."
    )
    default_code = "confirm_first"


class StaffRegistration:
    """Registration is for staff; an account that has a factor confirms it recently first."""

    def check_can_register(self):
        super().check_can_register()
        if not is_staff(self.request.user):
            raise NotStaff()
        if has_second_factor(self.request.user) and not has_recent_second_factor(self.request):
            raise ConfirmFirst()


class BeginRegistration(StaffRegistration, webauthn_views.BeginCredentialRegistrationView):
    pass


class CompleteRegistration(StaffRegistration, webauthn_views.CompleteCredentialRegistrationView):
    def post(self, *args, **kwargs):
        response = super().post(*args, **kwargs)
        device = WebAuthnCredential.objects.get(pk=self.device_id(response))
        webauthn_enrolled(request=self.request, device=device)
        return response

    @staticmethod
    def device_id(response) -> int:
        import json

        return json.loads(response.content)["id"]

    def handle_exception(self, exc):
        log_event("second_factor.failed", self.request, method="webauthn", enrolment=True)
        return super().handle_exception(exc)


class BeginAuthentication(webauthn_views.BeginCredentialAuthenticationView):
    def check_can_authenticate(self):
        if not is_staff(self.request.user):
            raise NotStaff()
        super().check_can_authenticate()


class CompleteAuthentication(webauthn_views.CompleteCredentialAuthenticationView):
    def check_can_authenticate(self):
        if not is_staff(self.request.user):
            raise NotStaff()
        super().check_can_authenticate()

    def complete_auth(self, device):
        # The staff member is signed in (check_can_authenticate): mark the session as
        # having passed this key, and note when.
        second_factor_passed(self.request, device, method="webauthn")

    def get_success_url(self):
        target = self.request.GET.get("next", "")
        if url_has_allowed_host_and_scheme(
            target, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ):
            return target
        return reverse("admin:index")

    def handle_exception(self, exc):
        log_event("second_factor.failed", self.request, method="webauthn")
        return super().handle_exception(exc)


urlpatterns = [
    path("registration/begin/", BeginRegistration.as_view(), name="credential-registration-begin"),
    path(
        "registration/complete/",
        CompleteRegistration.as_view(),
        name="credential-registration-complete",
    ),
    path(
        "authentication/begin/",
        BeginAuthentication.as_view(),
        name="credential-authentication-begin",
    ),
    path(
        "authentication/complete/",
        CompleteAuthentication.as_view(),
        name="credential-authentication-complete",
    ),
    # The scripts' messages, in the staff member's language.
    path(
        "jsi18n/",
        JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]),
        name="js-i18n-catalog",
    ),
]
