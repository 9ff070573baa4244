"""Staff enrol a second factor and sign in with it, in a real browser, in English and Spanish.

Two factors: an authenticator app (the test reads the secret the page shows and computes
the codes an app would), and a security key: Chromium's virtual WebAuthn authenticator,
added through the DevTools protocol. WebAuthn needs a secure context and an origin the
server expects: the live server is http://localhost:<port>, which browsers treat as
secure, and the relying party id is localhost.
"""

import re
import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from django_otp_webauthn.models import WebAuthnCredential
from playwright.sync_api import expect

PASSWORD = "correct horse battery staple"

TEXT = {
    "en": {
        "enrol": "Set up a second factor",
        "step": "Second step of signing in",
        "codes": "Your recovery codes",
    },
    "es": {
        "enrol": "Configurar un segundo factor",
        "step": "Segundo paso para iniciar sesión",
        "codes": "Sus códigos de recuperación",
    },
}


@pytest.fixture
def required(settings, live_server):
    """A second factor required, and security keys answering the live server's origin."""
    assert live_server.url.startswith("http://localhost:")
    settings.STAFF_REQUIRE_2FA = True
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    # After a wrong code an app's codes are refused for a second or more (tested in
    # tests/test_second_factor.py); a browser types the right one sooner than a person.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


@pytest.fixture
def curator(django_user_model):
    return django_user_model.objects.create_superuser("curator", "c@example.org", PASSWORD)


def enter_password(page) -> None:
    page.goto("/admin/login/?next=/admin/")
    page.locator("#id_username").fill("curator")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#login-form [type=submit]").click()


def sign_out(page) -> None:
    page.locator("#logout-form [type=submit]").click()
    expect(page.locator("#logout-form")).to_have_count(0)


def scripts_ready(page) -> None:
    """Wait for django-otp-webauthn's translations: its buttons' handlers use them (a
    person clicks long after they have loaded; a test may click sooner)."""
    # The catalogue is an async script: the load event waits for it.
    page.wait_for_load_state("load")
    assert page.evaluate("typeof window.gettext") == "function"


def code_for(secret: str, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for ``secret`` (as the page printed it)."""
    compact = secret.replace(" ", "")
    key = b32decode(compact + "=" * (-len(compact) % 8))
    totp = TOTP(key)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def keep_recovery_codes(page, language: str) -> None:
    expect(page).to_have_url(re.compile(r"/admin/second-factor/recovery-codes/"))
    page.locator("#generate-recovery-codes").click()
    expect(page.locator("h1")).to_have_text(TEXT[language]["codes"])
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    page.locator("#recovery-codes-done").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


@pytest.mark.parametrize("browser_locale", ["en", "es"])
def test_enrol_an_authenticator_app_and_sign_in_with_it(page, required, curator, browser_locale):
    enter_password(page)
    # No factor yet: the admin asks for one before anything else.
    expect(page).to_have_url(re.compile(r"/admin/second-factor/enrol/\?next=%2Fadmin%2F$"))
    expect(page.locator("h1")).to_have_text(TEXT[browser_locale]["enrol"])
    expect(page.locator(".second-factor-qr svg")).to_be_visible()
    secret = page.locator("#totp-secret").inner_text()

    # A wrong first code is refused, in the page's language, and enrols nothing.
    page.locator("#id_code").fill("000000")
    page.locator("#totp-enrol-form [type=submit]").click()
    expect(page.locator(".errorlist")).to_contain_text(
        "That code is not right" if browser_locale == "en" else "Ese código no es correcto"
    )
    page.locator("#id_code").fill(code_for(secret))
    page.locator("#totp-enrol-form [type=submit]").click()
    keep_recovery_codes(page, browser_locale)

    sign_out(page)
    enter_password(page)
    expect(page).to_have_url(re.compile(r"/admin/second-factor/\?next="))
    expect(page.locator("h1")).to_have_text(TEXT[browser_locale]["step"])
    # The code of the next period: the one just used is not accepted twice.
    page.locator("#id_code").fill(code_for(secret, steps_ahead=1))
    page.locator("#second-factor-form [type=submit]").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.locator("#second-factors-module")).to_be_visible()


@pytest.mark.parametrize("browser_locale", ["en", "es"])
def test_enrol_a_security_key_and_sign_in_with_it(page, required, curator, browser_locale):
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )

    enter_password(page)
    expect(page).to_have_url(re.compile(r"/admin/second-factor/enrol/"))
    scripts_ready(page)
    page.locator("#passkey-register-button").click()
    # Registered: on to the recovery codes (incidents/static/incidents/second_factor.js).
    keep_recovery_codes(page, browser_locale)
    assert WebAuthnCredential.objects.filter(user=curator, confirmed=True).count() == 1

    sign_out(page)
    enter_password(page)
    expect(page).to_have_url(re.compile(r"/admin/second-factor/\?next="))
    expect(page.locator("h1")).to_have_text(TEXT[browser_locale]["step"])
    scripts_ready(page)
    page.locator("#passkey-verification-button").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    assert WebAuthnCredential.objects.get(user=curator).last_used_at is not None
