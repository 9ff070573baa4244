"""The second factor at the staff door: enforcement on every request, enrolment, sign-in
with a code or a recovery code, re-confirmation, role changes, and an administrator's reset.

Most tests turn ``STAFF_REQUIRE_2FA`` on (the suite runs with it off, as the demo does)
and sign in through the admin's own login form, as staff do.
"""

import logging
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.test import Client, override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from incidents import security
from incidents.choices import Visibility
from incidents.models import ApiToken, Partner
from tests.factories import CitationFactory, IncidentFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery staple"
required = override_settings(STAFF_REQUIRE_2FA=True)


def totp_code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the authenticator app shows now (or ``steps_ahead`` periods from now).

    A code is accepted once: a second sign-in within the same 30 seconds uses the next
    period's code, which the server accepts (it allows one period of clock drift).
    """
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def sign_in(client: Client, username: str, next_url: str = "/admin/"):
    """The password step of the admin's login form; returns its answer (a redirect)."""
    response = client.post(
        f"/admin/login/?next={next_url}",
        {"username": username, "password": PASSWORD, "next": next_url},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return response


@pytest.fixture
def curator(django_user_model):
    """A superuser (reads restricted records) with a password, not yet enrolled."""
    return django_user_model.objects.create_superuser("curator", "c@example.org", PASSWORD)


@pytest.fixture
def enrolled(curator):
    """The curator with an authenticator app and ten recovery codes."""
    TOTPDevice.objects.create(user=curator, name="app", confirmed=True)
    device = StaticDevice.objects.create(user=curator, name="Recovery codes")
    for n in range(10):
        StaticToken.objects.create(device=device, token=f"abcdef{n}{n}"[:8].replace("0", "a"))
    return curator


def app_of(user) -> TOTPDevice:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def confirmed_client(user, steps_ahead: int = 0) -> Client:
    """A client signed in as ``user`` who passed the second factor just now."""
    client = Client()
    sign_in(client, user.get_username())
    response = client.post(
        "/admin/second-factor/", {"code": totp_code(app_of(user), steps_ahead), "next": "/admin/"}
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    return client


# The setting and its default -------------------------------------------------------------


def settings_in_subprocess(code: str, **env) -> subprocess.CompletedProcess:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "LOCAL_SETTINGS_FILE": "",
        "SECRET_KEY": "x" * 50,
        **env,
    }
    for name in (
        "DEBUG",
        "STAFF_REQUIRE_2FA",
        "ALLOWED_HOSTS",
        "WEBAUTHN_RP_ID",
        "WEBAUTHN_ORIGINS",
    ):
        if name not in env:
            environment.pop(name, None)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            f"import django; django.setup(); from django.conf import settings; {code}",
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"DEBUG": "0"}, "True"),
        ({"DEBUG": "1"}, "False"),
        ({"DEBUG": "0", "STAFF_REQUIRE_2FA": "0"}, "False"),
        ({"DEBUG": "1", "STAFF_REQUIRE_2FA": "1"}, "True"),
    ],
)
def test_a_second_factor_is_required_whenever_debug_is_off(env, expected):
    result = settings_in_subprocess("print(settings.STAFF_REQUIRE_2FA)", **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_the_security_key_settings_follow_the_public_host():
    result = settings_in_subprocess(
        "print(settings.OTP_WEBAUTHN_RP_ID, settings.OTP_WEBAUTHN_ALLOWED_ORIGINS)",
        DEBUG="0",
        ALLOWED_HOSTS="10.0.0.5,records.example.org,staff.records.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "records.example.org ['https://records.example.org', 'https://staff.records.example.org']"
    )


def test_an_origin_outside_the_relying_party_is_refused_at_start():
    result = settings_in_subprocess(
        "print(settings.OTP_WEBAUTHN_RP_ID)",
        DEBUG="0",
        ALLOWED_HOSTS="records.example.org",
        WEBAUTHN_ORIGINS="https://records.example.org,http://records.example.org",
    )
    assert result.returncode != 0
    assert "WEBAUTHN_ORIGINS" in result.stderr and "http://records.example.org" in result.stderr


# Enforcement: a password alone opens nothing ---------------------------------------------


@required
def test_a_staff_session_without_a_factor_reaches_no_admin_page(curator, client):
    sign_in(client, "curator")
    for path in ("/admin/", "/admin/incidents/figure/", "/admin/auth/user/", "/admin/nowhere/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/admin/second-factor/?next="), path
    # With no factor yet, the second step sends the account to enrol one.
    response = client.get("/admin/second-factor/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/second-factor/enrol/")
    assert client.get("/admin/second-factor/enrol/").status_code == 200
    # Signing out stays open.
    assert client.post("/admin/logout/").status_code in (200, 302)


@required
def test_an_unconfirmed_session_reaches_only_the_second_step(enrolled, client):
    sign_in(client, "curator")
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/second-factor/").status_code == 200
    # Not the pages that change factors, nor enrolment of another one.
    assert client.get("/admin/second-factor/devices/").status_code == 302
    response = client.get("/admin/second-factor/enrol/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/second-factor/?next=")
    # Nor can it register a security key (django-otp-webauthn's ceremony refuses too).
    response = client.post("/admin/webauthn/registration/begin/")
    assert response.status_code == 403


@required
def test_an_unconfirmed_staff_session_gets_no_staff_rights_in_the_api(enrolled, client):
    restricted = CitationFactory(figure__visibility=Visibility.RESTRICTED).figure
    public = CitationFactory().figure
    sign_in(client, "curator")
    listed = {f["id"] for f in client.get("/api/v1/figures/").json()["results"]}
    assert listed == {str(public.uuid)}
    assert client.get(f"/api/v1/figures/{restricted.uuid}/").status_code == 404
    # Nor may it write as staff.
    response = client.post(
        "/api/v1/actors/", {"name": "X", "kind": "ngo"}, content_type="application/json"
    )
    assert response.status_code in (401, 403)
    # The same session, once it has passed the second factor, reads as staff.
    client.post("/admin/second-factor/", {"code": totp_code(app_of(enrolled))})
    assert client.get(f"/api/v1/figures/{restricted.uuid}/").status_code == 200


@required
def test_partner_tokens_are_unaffected(client):
    partner = Partner.objects.create(name="P")
    _, secret = ApiToken.issue(partner=partner, scope="read")
    incident = IncidentFactory(visibility=Visibility.PARTNERS)
    response = client.get(
        f"/api/v1/incidents/{incident.uuid}/", HTTP_AUTHORIZATION=f"Bearer {secret}"
    )
    assert response.status_code == 200


def test_without_the_requirement_staff_with_no_factor_go_straight_in(curator, client):
    sign_in(client, "curator")
    assert client.get("/admin/").status_code == 200


def test_without_the_requirement_staff_who_enrolled_are_still_asked(enrolled, client):
    sign_in(client, "curator")
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/second-factor/")


# Enrolment and sign-in ----------------------------------------------------------------------


@required
def test_enrol_an_authenticator_app_then_sign_in_with_it(curator, client, caplog):
    sign_in(client, "curator")
    page = client.get("/admin/second-factor/enrol/?next=/admin/").content.decode()
    assert "<svg" in page  # the QR code, drawn in the page: no request elsewhere
    secret = re.search(r'id="totp-secret"[^>]*>([A-Z2-7 ]+)<', page).group(1)
    pending = TOTPDevice.objects.get(user=curator, confirmed=False)
    from base64 import b32decode

    assert b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8)) == (
        pending.bin_key
    )
    # A reload shows the same secret (the phone may have scanned it already).
    assert secret in client.get("/admin/second-factor/enrol/").content.decode()

    with caplog.at_level(logging.INFO, logger="incidents.security"):
        response = client.post(
            "/admin/second-factor/enrol/", {"code": totp_code(pending), "next": "/admin/"}
        )
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/second-factor/recovery-codes/")
    assert TOTPDevice.objects.get(user=curator).confirmed
    assert "second_factor.enrolled" in [r.message for r in caplog.records]
    # Recovery codes: ten, shown once.
    page = client.post(response["Location"]).content.decode()
    codes = re.findall(r"<li><code>([a-z2-7]{4}-[a-z2-7]{4})</code></li>", page)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert StaticToken.objects.filter(device__user=curator).count() == 10
    assert client.get("/admin/").status_code == 200

    # Next sign-in: password, then the app's code.
    client.post("/admin/logout/")
    sign_in(client, "curator")
    assert client.get("/admin/").status_code == 302
    response = client.post(
        "/admin/second-factor/", {"code": totp_code(app_of(curator), 1), "next": "/admin/"}
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


@required
def test_a_wrong_first_code_enrols_nothing(curator, client):
    sign_in(client, "curator")
    client.get("/admin/second-factor/enrol/")
    response = client.post(
        "/admin/second-factor/enrol/", {"code": "000000"}, HTTP_ACCEPT_LANGUAGE="es"
    )
    assert response.status_code == 200
    assert "no es correcto" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=curator, confirmed=True).exists()
    assert client.get("/admin/").status_code == 302


@required
def test_a_recovery_code_works_once(enrolled, caplog):
    code = StaticToken.objects.filter(device__user=enrolled).first().token
    client = Client()
    sign_in(client, "curator")
    with caplog.at_level(logging.WARNING, logger="incidents.security"):
        response = client.post(
            "/admin/second-factor/", {"code": f" {code[:4]}-{code[4:].upper()} "}
        )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert not StaticToken.objects.filter(token=code).exists()
    used = [r for r in caplog.records if r.message == "second_factor.recovery_code_used"]
    assert used and used[0].remaining == 9
    assert code not in caplog.text

    # Used up: the same code again is refused, in the user's language, and changes nothing.
    other = Client()
    sign_in(other, "curator")
    response = other.post("/admin/second-factor/", {"code": code}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "That code is not right, or it was already used" in response.content.decode()
    assert other.get("/admin/").status_code == 302
    assert StaticToken.objects.filter(device__user=enrolled).count() == 9


@required
@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "That code is not right"), ("es", "Ese código no es correcto")],
)
def test_a_wrong_code_says_so_and_changes_nothing(enrolled, client, caplog, language, message):
    sign_in(client, "curator")
    codes_before = StaticToken.objects.count()
    with caplog.at_level(logging.WARNING, logger="incidents.security"):
        response = client.post(
            "/admin/second-factor/",
            {"code": "123456", "next": "/admin/"},
            HTTP_ACCEPT_LANGUAGE=language,
        )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert security.SECOND_FACTOR_AT not in client.session
    assert client.get("/admin/").status_code == 302
    assert StaticToken.objects.count() == codes_before
    failed = [r for r in caplog.records if r.message == "second_factor.failed"]
    assert failed and failed[0].method == "totp"
    assert "123456" not in caplog.text


@required
def test_codes_are_refused_for_a_while_after_wrong_ones(enrolled, client):
    sign_in(client, "curator")
    client.post("/admin/second-factor/", {"code": "123456"})
    # The right code, at once: the app's device waits after a wrong one.
    response = client.post("/admin/second-factor/", {"code": totp_code(app_of(enrolled))})
    assert response.status_code == 200
    assert "Too many wrong codes" in response.content.decode()
    assert client.get("/admin/").status_code == 302


@required
def test_a_garbled_code_is_a_clear_error_not_a_crash(enrolled, client):
    sign_in(client, "curator")
    for code in ("", "x" * 40, "12 34", "<script>"):
        response = client.post("/admin/second-factor/", {"code": code})
        assert response.status_code == 200, code
        assert 'class="errorlist' in response.content.decode()


# next= ------------------------------------------------------------------------------------


@required
@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/admin/", "javascript:alert(1)"]
)
def test_the_second_step_never_sends_anyone_off_the_site(enrolled, client, target):
    sign_in(client, "curator")
    response = client.post(
        "/admin/second-factor/", {"code": totp_code(app_of(enrolled)), "next": target}
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


@required
def test_the_second_step_returns_to_a_page_of_the_site(enrolled, client):
    sign_in(client, "curator", next_url="/admin/incidents/figure/")
    response = client.get("/admin/incidents/figure/")
    assert response["Location"] == "/admin/second-factor/?next=%2Fadmin%2Fincidents%2Ffigure%2F"
    response = client.post(
        response["Location"],
        {"code": totp_code(app_of(enrolled)), "next": "/admin/incidents/figure/"},
    )
    assert response["Location"] == "/admin/incidents/figure/"


# The recent second factor of sensitive actions -------------------------------------------


def test_with_no_factor_and_none_required_nothing_needs_confirming(curator, rf):
    request = rf.get("/")
    request.user = curator
    request.session = {}
    assert security.has_recent_second_factor(request)


def test_a_staff_member_with_a_factor_confirms_it_for_sensitive_actions(enrolled, rf):
    request = rf.get("/")
    request.user = enrolled
    request.session = {}
    assert not security.has_recent_second_factor(request)
    request.session[security.SECOND_FACTOR_AT] = int(time.time())
    assert security.has_recent_second_factor(request)
    request.session[security.SECOND_FACTOR_AT] = int(time.time()) - 3600
    assert not security.has_recent_second_factor(request)


@required
def test_signing_in_again_needs_a_fresh_second_factor(enrolled):
    client = confirmed_client(enrolled)
    assert client.get("/admin/").status_code == 200
    sign_in(client, "curator")  # the same browser, a new sign-in
    assert client.get("/admin/").status_code == 302


# Role changes --------------------------------------------------------------------------------


@pytest.fixture
def colleague(django_user_model):
    user = django_user_model.objects.create_user("colleague", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="viewer"))
    return user


def user_form(user, **changes) -> dict:
    data = {
        "username": user.username,
        "first_name": "",
        "last_name": "",
        "email": "",
        "is_active": "on",
        "is_staff": "on" if user.is_staff else "",
        "groups": [str(pk) for pk in user.groups.values_list("pk", flat=True)],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2024-01-01",
        "date_joined_1": "00:00:00",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def age_confirmation(client, seconds: int) -> None:
    session = client.session
    session[security.SECOND_FACTOR_AT] = int(time.time()) - seconds
    session.save()


@required
def test_changing_roles_needs_a_recent_second_factor(enrolled, colleague, caplog):
    client = confirmed_client(enrolled)
    age_confirmation(client, 3600)  # confirmed at sign-in, an hour ago
    editor = Group.objects.get(name="editor")
    url = f"/admin/auth/user/{colleague.pk}/change/"
    response = client.post(url, user_form(colleague, groups=[str(editor.pk)]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Changing roles or permissions needs your second factor" in page
    assert "/admin/second-factor/?next=" in page
    assert list(colleague.groups.values_list("name", flat=True)) == ["viewer"]

    # A change that grants nothing (the name) is not held back.
    response = client.post(url, user_form(colleague, first_name="Ana"))
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert colleague.first_name == "Ana"

    age_confirmation(client, 0)
    with caplog.at_level(logging.WARNING, logger="incidents.security"):
        response = client.post(url, user_form(colleague, groups=[str(editor.pk)], first_name="Ana"))
    assert response.status_code == 302
    assert list(colleague.groups.values_list("name", flat=True)) == ["editor"]
    [event] = [r for r in caplog.records if r.message == "staff.roles_changed"]
    assert event.user == "curator" and event.target_user == "colleague"
    assert event.groups_before == ["viewer"] and event.groups_after == ["editor"]


@required
def test_making_someone_superuser_needs_a_recent_second_factor_too(enrolled, colleague):
    client = confirmed_client(enrolled)
    age_confirmation(client, 3600)
    url = f"/admin/auth/user/{colleague.pk}/change/"
    response = client.post(url, user_form(colleague, is_superuser="on"))
    assert response.status_code == 200
    colleague.refresh_from_db()
    assert not colleague.is_superuser


@required
def test_changing_roles_is_refused_in_spanish_too(enrolled, colleague):
    client = confirmed_client(enrolled)
    age_confirmation(client, 3600)
    response = client.post(
        f"/admin/auth/user/{colleague.pk}/change/",
        user_form(colleague, is_staff=""),
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert response.status_code == 200
    assert "Cambiar roles o permisos requiere su segundo factor" in response.content.decode()
    colleague.refresh_from_db()
    assert colleague.is_staff


@required
def test_changing_a_groups_permissions_needs_a_recent_second_factor(enrolled, caplog):
    client = confirmed_client(enrolled)
    age_confirmation(client, 3600)
    viewer = Group.objects.get(name="viewer")
    before = set(viewer.permissions.values_list("pk", flat=True))
    url = f"/admin/auth/group/{viewer.pk}/change/"
    data = {"name": "viewer", "permissions": [str(pk) for pk in sorted(before)[1:]]}
    assert client.post(url, data).status_code == 200
    assert set(viewer.permissions.values_list("pk", flat=True)) == before
    age_confirmation(client, 0)
    with caplog.at_level(logging.WARNING, logger="incidents.security"):
        assert client.post(url, data).status_code == 302
    assert set(viewer.permissions.values_list("pk", flat=True)) == before - {min(before)}
    [event] = [r for r in caplog.records if r.message == "staff.group_permissions_changed"]
    assert event.group == "viewer" and len(event.permissions_removed) == 1


# An administrator resets a colleague's factors ----------------------------------------------


@required
def test_an_administrator_resets_a_colleagues_factors(enrolled, colleague, caplog):
    TOTPDevice.objects.create(user=colleague, name="app", confirmed=True)
    colleague_client = confirmed_client(colleague)
    assert colleague_client.get("/admin/").status_code in (200, 403)  # signed in, confirmed

    admin = confirmed_client(enrolled, steps_ahead=1)
    with caplog.at_level(logging.WARNING, logger="incidents.security"):
        response = admin.post(
            "/admin/auth/user/",
            {"action": "reset_second_factors", "_selected_action": [str(colleague.pk)]},
        )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=colleague).exists()
    [event] = [r for r in caplog.records if r.message == "second_factor.reset"]
    assert event.user == "curator" and event.target_user == "colleague"
    assert event.removed == 1 and event.sessions_ended == 1
    # The colleague's session is over; at the next sign-in they enrol again.
    assert colleague_client.get("/admin/").status_code == 302
    assert "/admin/login/" in colleague_client.get("/admin/")["Location"]
    fresh = Client()
    sign_in(fresh, "colleague")
    fresh.get("/admin/")
    response = fresh.get("/admin/second-factor/?next=/admin/")
    assert response["Location"].startswith("/admin/second-factor/enrol/")
    # The administrator's own session and factors are untouched.
    assert admin.get("/admin/").status_code == 200
    assert app_of(enrolled)


@required
def test_resetting_factors_needs_a_recent_second_factor(enrolled, colleague):
    TOTPDevice.objects.create(user=colleague, name="app", confirmed=True)
    admin = confirmed_client(enrolled)
    age_confirmation(admin, 3600)
    response = admin.post(
        "/admin/auth/user/",
        {"action": "reset_second_factors", "_selected_action": [str(colleague.pk)]},
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/second-factor/?next=")
    assert TOTPDevice.objects.filter(user=colleague).exists()


# Your second factors ------------------------------------------------------------------------


@required
def test_the_only_factor_cannot_be_removed_while_one_is_required(enrolled):
    client = confirmed_client(enrolled)
    device = app_of(enrolled)
    response = client.post(
        "/admin/second-factor/devices/", {"remove": device.persistent_id}, follow=True
    )
    assert "This is your only authenticator app or security key" in response.content.decode()
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_removing_the_last_factor_where_none_is_required_removes_the_recovery_codes(enrolled):
    client = confirmed_client(enrolled)
    response = client.post(
        "/admin/second-factor/devices/", {"remove": app_of(enrolled).persistent_id}
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=enrolled).exists()
    assert not StaticDevice.objects.filter(user=enrolled).exists()


@required
def test_someone_elses_factor_cannot_be_removed(enrolled, colleague):
    theirs = TOTPDevice.objects.create(user=colleague, name="app", confirmed=True)
    TOTPDevice.objects.create(user=enrolled, name="second app", confirmed=True)
    client = confirmed_client(enrolled)
    response = client.post(
        "/admin/second-factor/devices/", {"remove": theirs.persistent_id}, follow=True
    )
    assert "That second factor is not one of yours." in response.content.decode()
    assert TOTPDevice.objects.filter(pk=theirs.pk).exists()


@required
def test_the_factor_pages_speak_spanish(enrolled):
    client = confirmed_client(enrolled)
    page = client.get("/admin/second-factor/devices/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Sus segundos factores" in page
    assert "Aplicación de autenticación" in page


# Security keys' ceremonies ------------------------------------------------------------------


@required
def test_an_account_without_a_factor_may_start_registering_a_key(curator, client):
    sign_in(client, "curator")
    response = client.post("/admin/webauthn/registration/begin/")
    assert response.status_code == 200
    options = response.json()
    assert options["rp"]["id"] == "localhost"
    assert options["user"]["name"] == "curator"


@required
def test_a_garbled_key_answer_is_refused_not_a_crash(enrolled, client, caplog):
    sign_in(client, "curator")
    assert client.post("/admin/webauthn/authentication/begin/").status_code == 200
    with caplog.at_level(logging.WARNING, logger="incidents.security"):
        for body in ("not json", '{"id": "x", "rawId": "x", "type": "public-key"}'):
            response = client.post(
                "/admin/webauthn/authentication/complete/", body, content_type="application/json"
            )
            assert 400 <= response.status_code < 500, response.content
            assert "detail" in response.json()
    assert [r.method for r in caplog.records if r.message == "second_factor.failed"]
    assert client.get("/admin/").status_code == 302


def test_keys_are_never_a_way_in_without_a_password(client, enrolled):
    response = client.post("/admin/webauthn/authentication/begin/")
    assert response.status_code == 403
    assert client.get("/admin/").status_code == 302
