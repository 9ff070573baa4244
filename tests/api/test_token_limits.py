"""Partner tokens expire by default, may be limited to networks, and show their last use.

Issuing, changing and revoking a token in the admin ask for a recently confirmed
second factor and are logged; the command that issues tokens takes the same limits.
"""

import logging
import time
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone, translation

from incidents.models import ApiToken, FailedTokenAttempt, Partner
from incidents.security import SECOND_FACTOR_AT
from tests.helpers import bearer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english():
    """Outside a request (the model, the command) messages are in the default language; a
    request in Spanish before must not leave its language behind."""
    with translation.override("en"):
        yield


ACTORS = "/api/v1/actors/"
TOKENS = "/admin/incidents/apitoken/"


@pytest.fixture
def partner():
    return Partner.objects.create(name="Observatorio")


def days_from_now(moment) -> float:
    return (moment - timezone.now()) / timedelta(days=1)


def events(caplog, name):
    return [r for r in caplog.records if getattr(r, "event", None) == name]


# --- Expiry ------------------------------------------------------------------------------


def test_a_new_token_expires_after_the_default(partner):
    token, _ = ApiToken.issue(partner=partner, scope="read")
    assert 89.99 < days_from_now(token.expires_at) <= 90


def test_the_default_follows_the_setting(partner, settings):
    settings.TOKEN_DEFAULT_TTL_DAYS = 7
    token, _ = ApiToken.issue(partner=partner, scope="read")
    assert 6.99 < days_from_now(token.expires_at) <= 7
    settings.TOKEN_DEFAULT_TTL_DAYS = 0  # no default expiry
    token, _ = ApiToken.issue(partner=partner, scope="read")
    assert token.expires_at is None


def test_a_token_that_never_expires_is_asked_for_explicitly(partner):
    token, _ = ApiToken.issue(partner=partner, scope="read", expires_at=None)
    assert token.expires_at is None


def test_a_token_past_its_default_expiry_is_refused(client, partner):
    token, secret = ApiToken.issue(partner=partner, scope="read")
    assert client.get(ACTORS, **bearer(secret)).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get(ACTORS, **bearer(secret), HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 401
    assert response.json()["errors"][0]["detail"] == "Este token ha caducado."


def test_the_command_applies_the_default_expiry(capsys):
    call_command("create_partner_token", "--partner", "Foro", "--scope", "read")
    token = ApiToken.objects.get()
    assert 89.99 < days_from_now(token.expires_at) <= 90
    assert "expires" in capsys.readouterr().err


def test_the_command_issues_a_token_without_expiry_on_request(capsys):
    call_command("create_partner_token", "--partner", "Foro", "--scope", "read", "--no-expiry")
    assert ApiToken.objects.get().expires_at is None
    assert "never expires" in capsys.readouterr().err


def test_the_command_takes_days_but_not_days_and_no_expiry():
    call_command(
        "create_partner_token", "--partner", "F", "--scope", "read", "--expires-in-days", "3"
    )
    assert 2.99 < days_from_now(ApiToken.objects.get().expires_at) <= 3
    with pytest.raises(CommandError, match="not allowed with argument"):
        call_command(
            "create_partner_token",
            *("--partner", "F", "--scope", "read", "--expires-in-days", "3", "--no-expiry"),
        )
    with pytest.raises(CommandError, match="invalid positive value"):
        call_command(
            "create_partner_token", "--partner", "F", "--scope", "read", "--expires-in-days", "0"
        )
    assert ApiToken.objects.count() == 1


# --- Networks ----------------------------------------------------------------------------


def test_networks_are_normalised_and_bad_ones_refused(partner):
    token, _ = ApiToken.issue(
        partner=partner,
        scope="read",
        allowed_networks=["203.0.113.7/24", "2001:db8::1", "10.0.0.1"],
    )
    assert token.allowed_networks == ["203.0.113.0/24", "2001:db8::1/128", "10.0.0.1/32"]
    with pytest.raises(ValidationError, match=r"Not a network: 300\.1\.1\.1, intranet"):
        ApiToken.issue(partner=partner, scope="read", allowed_networks=["300.1.1.1", "intranet"])
    assert ApiToken.objects.count() == 1


@pytest.mark.parametrize(
    ("networks", "address"),
    [
        (["203.0.113.0/24"], "203.0.113.50"),
        (["198.51.100.0/24", "203.0.113.0/24"], "203.0.113.50"),
        (["2001:db8::/32"], "2001:db8:1::9"),
        # An IPv4 client seen through an IPv6 socket.
        (["203.0.113.0/24"], "::ffff:203.0.113.50"),
        ([], "192.0.2.1"),  # no networks: anywhere
    ],
)
def test_a_token_is_accepted_from_its_networks(client, partner, networks, address):
    token, secret = ApiToken.issue(partner=partner, scope="read", allowed_networks=networks)
    response = client.get(ACTORS, **bearer(secret), REMOTE_ADDR=address)
    assert response.status_code == 200, response.content
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize(
    ("networks", "address"),
    [
        (["203.0.113.0/24"], "203.0.114.1"),
        (["2001:db8::/32"], "2001:db9::1"),
        (["2001:db8::/32"], "203.0.113.50"),  # an IPv4 client, IPv6 networks only
        (["203.0.113.0/24"], "2001:db8::1"),
    ],
)
def test_a_token_is_refused_elsewhere_and_it_counts_as_a_failure(
    client, partner, networks, address, caplog
):
    caplog.set_level(logging.WARNING, logger="incidents.security")
    token, secret = ApiToken.issue(partner=partner, scope="write", allowed_networks=networks)
    response = client.get(ACTORS, **bearer(secret), REMOTE_ADDR=address)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    body = response.json()
    assert (body["type"], body["errors"][0]["code"]) == ("client_error", "authentication_failed")
    assert body["errors"][0]["detail"] == (
        f"This token may not be used from your address ({address})."
    )
    assert FailedTokenAttempt.objects.count() == 1
    token.refresh_from_db()
    assert token.last_used_at is None
    (event,) = events(caplog, "token.address_refused")
    assert (event.token_prefix, event.partner, event.address) == (
        token.prefix,
        "Observatorio",
        address,
    )
    assert secret not in str(event.__dict__)


def test_the_refusal_is_in_the_callers_language(client, partner):
    _, secret = ApiToken.issue(partner=partner, scope="read", allowed_networks=["203.0.113.0/24"])
    response = client.get(
        ACTORS, **bearer(secret), REMOTE_ADDR="192.0.2.1", HTTP_ACCEPT_LANGUAGE="es"
    )
    assert response.json()["errors"][0]["detail"] == (
        "Este token no puede usarse desde su dirección (192.0.2.1)."
    )


def test_a_refused_address_learns_nothing_of_the_tokens_state(client, partner):
    token, secret = ApiToken.issue(
        partner=partner, scope="read", allowed_networks=["203.0.113.0/24"]
    )
    token.revoked_at = timezone.now()
    token.save()
    response = client.get(ACTORS, **bearer(secret), REMOTE_ADDR="192.0.2.1")
    assert "revoked" not in response.content.decode()
    assert "may not be used from your address" in response.content.decode()


def test_a_forged_forwarded_for_header_is_not_trusted_without_proxies(client, partner):
    _, secret = ApiToken.issue(partner=partner, scope="read", allowed_networks=["203.0.113.0/24"])
    response = client.get(
        ACTORS, **bearer(secret), REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="203.0.113.5"
    )
    assert response.status_code == 401


def test_behind_trusted_proxies_the_forwarded_address_counts(client, partner, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    _, secret = ApiToken.issue(partner=partner, scope="read", allowed_networks=["203.0.113.0/24"])
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    allowed = client.get(ACTORS, **bearer(secret), **proxy, HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert allowed.status_code == 200
    # The proxy appends the address it saw; what the client put before it is its own claim.
    forged = client.get(
        ACTORS, **bearer(secret), **proxy, HTTP_X_FORWARDED_FOR="203.0.113.5, 192.0.2.1"
    )
    assert forged.status_code == 401
    assert "(192.0.2.1)" in forged.json()["errors"][0]["detail"]


def test_the_command_limits_a_token_to_networks(client, capsys):
    call_command(
        "create_partner_token",
        *("--partner", "Foro", "--scope", "read"),
        *("--allow-from", "203.0.113.0/24", "--allow-from", "2001:db8::/32"),
    )
    token = ApiToken.objects.get()
    assert token.allowed_networks == ["203.0.113.0/24", "2001:db8::/32"]
    secret = capsys.readouterr().out.strip().splitlines()[-1]
    assert client.get(ACTORS, **bearer(secret), REMOTE_ADDR="2001:db8::7").status_code == 200
    assert client.get(ACTORS, **bearer(secret), REMOTE_ADDR="192.0.2.1").status_code == 401


def test_the_command_refuses_a_bad_network():
    with pytest.raises(CommandError, match=r"--allow-from: Not a network: 203\.0\.113\.0/33"):
        call_command(
            "create_partner_token",
            "--partner",
            "F",
            "--scope",
            "read",
            "--allow-from",
            "203.0.113.0/33",
        )
    assert not ApiToken.objects.exists() and not Partner.objects.exists()


# --- The admin ---------------------------------------------------------------------------


@pytest.fixture
def administrator(django_user_model, settings):
    """An administrator whose second factor was confirmed at sign-in, 20 minutes ago."""
    settings.STAFF_REQUIRE_2FA = True
    user = django_user_model.objects.create_user("head", is_staff=True)
    user.groups.add(Group.objects.get(name="administrator"))
    client = Client()
    client.force_login(user)
    confirmed(client, minutes_ago=20)
    return client


def confirmed(client, minutes_ago=0):
    session = client.session
    session[SECOND_FACTOR_AT] = int(time.time()) - minutes_ago * 60
    session.save()
    return client


def assert_sent_to_confirm(response, next_url):
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/")
    assert "next=" in response["Location"]
    from urllib.parse import parse_qs, urlsplit

    assert parse_qs(urlsplit(response["Location"]).query)["next"] == [next_url]


def test_the_admin_shows_each_tokens_last_use_expiry_and_networks(client, administrator, partner):
    token, secret = ApiToken.issue(
        partner=partner, scope="read", allowed_networks=["203.0.113.0/24"]
    )
    idle, _ = ApiToken.issue(partner=partner, scope="read", expires_at=None)
    client.get(ACTORS, **bearer(secret), REMOTE_ADDR="203.0.113.9")
    token.refresh_from_db()

    page = administrator.get(TOKENS).content.decode()
    assert "Last used" in page and "Allowed networks" in page and "Expires" in page
    assert "203.0.113.0/24" in page
    row = page[page.index(f">{idle.prefix}<") :]
    assert "any" in row[: row.index("</tr>")]
    change = administrator.get(f"{TOKENS}{token.pk}/change/").content.decode()
    assert "Last used" in change and "203.0.113.0/24" in change
    local = timezone.localtime(token.last_used_at)
    assert local.strftime("%H:%M") in change
    partner_page = administrator.get(f"/admin/incidents/partner/{partner.pk}/change/")
    text = partner_page.content.decode()
    assert "203.0.113.0/24" in text and "&quot;203.0.113.0/24&quot;" not in text


def test_issuing_asks_for_a_recent_second_factor(administrator, partner):
    response = administrator.get(f"{TOKENS}add/")
    assert_sent_to_confirm(response, f"{TOKENS}add/")
    response = administrator.post(f"{TOKENS}add/", {"partner": partner.pk, "scope": "read"})
    assert_sent_to_confirm(response, f"{TOKENS}add/")
    assert not ApiToken.objects.exists()


def test_issuing_with_a_recent_factor_applies_the_default_expiry_and_is_logged(
    administrator, partner, caplog
):
    caplog.set_level(logging.INFO, logger="incidents.security")
    confirmed(administrator)
    assert administrator.get(f"{TOKENS}add/").status_code == 200
    response = administrator.post(
        f"{TOKENS}add/",
        {
            "partner": partner.pk,
            "name": "KoBo",
            "scope": "write",
            "allowed_networks": "203.0.113.7/24\n2001:db8::/32",
        },
    )
    assert response.status_code == 200
    secret = response.context["secret"]
    token = ApiToken.objects.get()
    assert 89.99 < days_from_now(token.expires_at) <= 90
    assert token.allowed_networks == ["203.0.113.0/24", "2001:db8::/32"]
    page = response.content.decode()
    assert "It may be used only from 203.0.113.0/24, 2001:db8::/32." in page
    (event,) = events(caplog, "token.issued")
    assert (event.partner, event.token_prefix, event.user, event.scope) == (
        "Observatorio",
        token.prefix,
        "head",
        "write",
    )
    assert all(secret not in f"{r.getMessage()} {r.__dict__}" for r in caplog.records)


def test_the_admin_issues_a_token_that_never_expires_only_when_told(administrator, partner):
    confirmed(administrator)
    response = administrator.post(
        f"{TOKENS}add/", {"partner": partner.pk, "scope": "read", "no_expiry": "on"}
    )
    assert response.status_code == 200
    assert ApiToken.objects.get().expires_at is None
    assert "It never expires." in response.content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"expires_at_0": "2030-01-01", "expires_at_1": "00:00", "no_expiry": "on"},
            "no_expiry",
            "Give an expiry or tick &#x27;Never expires&#x27;, not both.",
        ),
        (
            {"expires_at_0": "2001-01-01", "expires_at_1": "00:00"},
            "expires_at",
            "The expiry must be in the future.",
        ),
        (
            {"allowed_networks": "203.0.113.0/24\nthe office"},
            "allowed_networks",
            "Not a network: the office.",
        ),
    ],
)
def test_the_admin_form_refuses_what_makes_no_sense(administrator, partner, data, field, message):
    confirmed(administrator)
    response = administrator.post(f"{TOKENS}add/", {"partner": partner.pk, "scope": "read", **data})
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert message in response.content.decode()
    assert not ApiToken.objects.exists()


def test_the_admin_form_speaks_spanish(administrator, partner):
    confirmed(administrator)
    response = administrator.post(
        f"{TOKENS}add/",
        {"partner": partner.pk, "scope": "read", "allowed_networks": "oficina"},
        HTTP_ACCEPT_LANGUAGE="es",
    )
    page = response.content.decode()
    assert "No es una red: oficina." in page
    assert "Vacío: caduca dentro de 90 días" in page
    assert "Redes permitidas" in page or "redes permitidas" in page


def test_revoking_asks_for_a_recent_second_factor_and_is_logged(
    client, administrator, partner, caplog
):
    caplog.set_level(logging.INFO, logger="incidents.security")
    token, secret = ApiToken.issue(partner=partner, scope="read")
    action = {"action": "revoke_tokens", "_selected_action": [token.pk]}
    assert_sent_to_confirm(administrator.post(TOKENS, action), TOKENS)
    token.refresh_from_db()
    assert token.revoked_at is None
    assert not events(caplog, "token.revoked")

    confirmed(administrator)
    assert administrator.post(TOKENS, action).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    (event,) = events(caplog, "token.revoked")
    assert (event.partner, event.token_prefix, event.user) == ("Observatorio", token.prefix, "head")
    assert client.get(ACTORS, **bearer(secret)).status_code == 401


def test_changing_or_deleting_a_token_asks_for_a_recent_second_factor(administrator, partner):
    token, _ = ApiToken.issue(partner=partner, scope="read")
    url = f"{TOKENS}{token.pk}/change/"
    assert administrator.get(url).status_code == 200  # reading needs nothing more
    response = administrator.post(url, {"name": "renamed", "allowed_networks": ""})
    assert_sent_to_confirm(response, url)
    delete = f"{TOKENS}{token.pk}/delete/"
    assert_sent_to_confirm(administrator.post(delete, {"post": "yes"}), delete)
    token.refresh_from_db()
    assert token.name == ""


def test_a_revoked_token_is_not_brought_back_by_editing(administrator, partner):
    confirmed(administrator)
    token, _ = ApiToken.issue(partner=partner, scope="read")
    token.revoked_at = timezone.now()
    token.save()
    url = f"{TOKENS}{token.pk}/change/"
    expires = timezone.localtime(token.expires_at)
    response = administrator.post(
        url,
        {
            "name": "again",
            "expires_at_0": expires.strftime("%Y-%m-%d"),
            "expires_at_1": expires.strftime("%H:%M:%S"),
            "allowed_networks": "",
            "revoked_at_0": "",
            "revoked_at_1": "",
        },
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.name == "again" and token.revoked_at is not None


def test_a_token_issued_with_the_command_is_logged_without_its_secret(capsys, caplog):
    caplog.set_level(logging.INFO, logger="incidents.security")
    call_command("create_partner_token", "--partner", "Foro", "--scope", "write")
    secret = capsys.readouterr().out.strip().splitlines()[-1]
    (event,) = events(caplog, "token.issued")
    token = ApiToken.objects.get()
    assert (event.via, event.partner, event.token_prefix) == ("command", "Foro", token.prefix)
    assert all(secret not in f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
