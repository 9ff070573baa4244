"""Repeated failed sign-ins lock out the account, and the address, for a while.

The lockout works at the authentication layer (django-axes' backend), so the admin's
sign-in form and any other that calls ``authenticate`` are covered. A locked-out
person is told so, and for how long, in their language; the right password is
refused meanwhile; every lockout is logged; an administrator unlocks.
"""

import logging
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
PASSWORD = "a-long-right-password-42"
WRONG = "not-the-password"
LIMIT = 5  # AXES_FAILURE_LIMIT's default, which the test settings keep


@pytest.fixture
def curator(django_user_model):
    return django_user_model.objects.create_user("curator", password=PASSWORD, is_staff=True)


def sign_in(client, username, password, address="198.51.100.7", **headers):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
        **headers,
    )


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def fail(client, times, username="curator", address="198.51.100.7", **headers):
    return [sign_in(client, username, WRONG, address, **headers) for _ in range(times)]


def security_events(caplog, name):
    return [r for r in caplog.records if getattr(r, "event", None) == name]


def test_wrong_passwords_lock_the_account_and_then_the_right_one_is_refused(
    client, curator, caplog
):
    caplog.set_level(logging.INFO)
    responses = fail(client, LIMIT)
    # Until the limit the form says the password is wrong; at the limit, the lockout.
    assert [r.status_code for r in responses[:-1]] == [200] * (LIMIT - 1)
    assert responses[-1].status_code == 429

    response = sign_in(client, "curator", PASSWORD)
    assert response.status_code == 429
    assert not signed_in(client)
    page = response.content.decode()
    assert "this account or this address is locked out" in page
    assert "Try again in 15 minutes." in page
    assert 14 * 60 < int(response["Retry-After"]) <= 15 * 60
    # The admin's look: its stylesheet and header.
    assert "admin/css/base.css" in page and 'id="header"' in page


def test_a_locked_out_colleague_is_told_in_spanish(client, curator):
    fail(client, LIMIT, HTTP_ACCEPT_LANGUAGE="es")
    response = sign_in(client, "curator", PASSWORD, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 429
    page = response.content.decode()
    assert "esta cuenta o esta dirección queda bloqueada" in page
    assert "Vuelva a intentarlo dentro de 15 minutos." in page
    assert "incluso la contraseña correcta" in page
    assert "locked out" not in page


def test_the_address_is_locked_across_user_names(client, curator, django_user_model):
    for n in range(LIMIT):
        sign_in(client, f"guess-{n}", WRONG, address="203.0.113.50")
    # The curator, from that address, is refused with the right password ...
    assert sign_in(client, "curator", PASSWORD, address="203.0.113.50").status_code == 429
    assert not signed_in(client)
    # ... but signs in from another: the account itself was never guessed at.
    elsewhere = Client()
    assert sign_in(elsewhere, "curator", PASSWORD, address="192.0.2.10").status_code == 302
    assert signed_in(elsewhere)


def test_the_account_is_locked_across_addresses(client, curator):
    for n in range(LIMIT):
        sign_in(Client(), "curator", WRONG, address=f"192.0.2.{n + 1}")
    response = sign_in(client, "curator", PASSWORD, address="198.51.100.200")
    assert response.status_code == 429
    assert not signed_in(client)


def test_a_forged_forwarded_for_header_does_not_escape_the_address_lock(client, curator):
    """No proxy is trusted by default: X-Forwarded-For is the client's own claim."""
    for n in range(LIMIT):
        sign_in(client, f"guess-{n}", WRONG, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.7"}
    response = sign_in(client, "curator", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert response.status_code == 429


def test_behind_a_trusted_proxy_the_forwarded_address_is_the_one_locked(client, curator, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    proxy = "10.0.0.2"
    for n in range(LIMIT):
        sign_in(client, f"guess-{n}", WRONG, address=proxy, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}
    # Another client behind the same proxy is not locked out with that one.
    other = sign_in(client, "curator", PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="192.0.2.4")
    assert other.status_code == 302


def test_the_lockout_ends_when_the_cool_off_has_passed(client, curator):
    fail(client, LIMIT)
    assert sign_in(client, "curator", PASSWORD).status_code == 429
    # Tries while locked out do not extend it ...
    assert AccessAttempt.objects.get().failures_since_start == LIMIT
    # ... and once the last failure is older than the cool-off, the right password works.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    response = sign_in(client, "curator", PASSWORD)
    assert response.status_code == 302
    assert signed_in(client)


@override_settings(AXES_COOLOFF_TIME=timedelta(minutes=15))
def test_the_page_says_how_long_is_left(client, curator):
    fail(client, LIMIT)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=11, seconds=30))
    response = sign_in(client, "curator", PASSWORD)
    assert "Try again in 4 minutes." in response.content.decode()
    assert 3 * 60 < int(response["Retry-After"]) <= 4 * 60


def test_a_success_forgets_earlier_failures(client, curator):
    fail(client, LIMIT - 1)
    assert sign_in(client, "curator", PASSWORD).status_code == 302
    client.logout()
    # Four more typos do not lock: the count started again at the success.
    assert [r.status_code for r in fail(client, LIMIT - 1)] == [200] * (LIMIT - 1)


def test_signing_into_one_account_does_not_forget_guesses_at_another(
    client, curator, django_user_model
):
    """Whoever holds one colleague's password must not reset, by signing in as them, the
    count of their guesses at another account from the same address."""
    django_user_model.objects.create_user("accomplice", password=PASSWORD, is_staff=True)
    # The password step alone signs in (the second factor comes after): a success.
    assert sign_in(Client(), "accomplice", PASSWORD).status_code == 302
    checked = 0
    for _ in range(3):
        checked += sum(r.status_code == 200 for r in fail(client, LIMIT - 1))
        sign_in(Client(), "accomplice", PASSWORD)
    # No more wrong passwords were checked than the limit allows ...
    assert checked < LIMIT
    # ... and the curator's account is locked, from anywhere.
    response = sign_in(Client(), "curator", PASSWORD, address="192.0.2.77")
    assert response.status_code == 429


def test_every_lockout_is_logged_without_the_password(client, curator, caplog):
    caplog.set_level(logging.INFO)
    fail(client, LIMIT)
    sign_in(client, "curator", PASSWORD)

    (locked,) = security_events(caplog, "signin.locked_out")
    assert locked.levelno == logging.WARNING
    assert (locked.username, locked.address) == ("curator", "198.51.100.7")
    (refused,) = security_events(caplog, "signin.refused_locked_out")
    assert refused.username == "curator"
    # Neither password appears in any log line or field, and django-axes does not
    # log each failure again in its own words.
    for record in caplog.records:
        text = f"{record.getMessage()} {record.__dict__}"
        assert WRONG not in text and PASSWORD not in text
    assert not [r for r in caplog.records if r.name.startswith("axes")]
    # The lasting record of failures keeps the address and the lockout, not the form's data.
    assert AccessFailureLog.objects.filter(username="curator", locked_out=True).count() == 1
    assert WRONG not in AccessAttempt.objects.get().post_data


@pytest.fixture
def administrator(django_user_model):
    user = django_user_model.objects.create_user("head", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="administrator"))
    client = Client()
    client.force_login(user)
    return client


def test_an_administrator_unlocks_from_the_admin(client, curator, administrator, caplog):
    caplog.set_level(logging.INFO)
    fail(client, LIMIT)
    attempts = administrator.get("/admin/axes/accessattempt/")
    assert attempts.status_code == 200
    assert "curator" in attempts.content.decode() and "Locked out" in attempts.content.decode()

    response = administrator.post(
        "/admin/axes/accessattempt/",
        {
            "action": "unlock",
            "_selected_action": list(AccessAttempt.objects.values_list("pk", flat=True)),
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "Unlocked: 1 record of failed sign-ins forgotten." in response.content.decode()
    assert not AccessAttempt.objects.exists()
    (unlocked,) = security_events(caplog, "signin.unlocked")
    assert (unlocked.username, unlocked.user) == ("curator", "head")

    assert sign_in(client, "curator", PASSWORD).status_code == 302
    # The failures stay on the record after the unlock.
    assert administrator.get("/admin/axes/accessfailurelog/").status_code == 200
    assert AccessFailureLog.objects.filter(username="curator").count() == LIMIT


def test_the_sign_in_records_are_in_spanish_for_spanish_staff(administrator, client, curator):
    fail(client, LIMIT)
    administrator.cookies.load({"django_language": "es"})
    index = administrator.get("/admin/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Intentos de inicio de sesión" in index
    page = administrator.get("/admin/axes/accessattempt/", HTTP_ACCEPT_LANGUAGE="es")
    text = page.content.decode()
    assert "intentos de acceso" in text.lower()
    assert "Bloqueado" in text
    assert "Desbloquear: olvidar los intentos fallidos seleccionados" in text


def test_other_roles_cannot_see_or_unlock(client, curator, django_user_model):
    fail(client, LIMIT)
    for role in ("viewer", "editor", "reviewer"):
        user = django_user_model.objects.create_user(f"s-{role}", is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        staff = Client()
        staff.force_login(user)
        assert staff.get("/admin/axes/accessattempt/").status_code == 403
        pk = AccessAttempt.objects.get().pk
        staff.post("/admin/axes/accessattempt/", {"action": "unlock", "_selected_action": [pk]})
        assert AccessAttempt.objects.exists()


def test_an_administrator_unlocks_from_the_command_line(client, curator, capsys):
    fail(client, LIMIT)
    call_command("axes_reset_username", "curator")
    assert sign_in(client, "curator", PASSWORD).status_code == 302
