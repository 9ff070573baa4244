"""``/api/v1/webhooks/``: who may manage which subscription, the secret, validation, deliveries."""

import datetime
import ipaddress
import socket

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.utils import timezone
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from incidents.integration import webhooks
from incidents.models import ApiToken, Partner, WebhookDelivery, WebhookSubscription
from tests.factories import IncidentFactory
from tests.helpers import bearer
from tests.test_webhooks import (
    HOOK,
    post_figure,
    received,
    run_worker,
    subscribe,
    time_travel,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_dns")]

JSON = "application/json"
BASE = "/api/v1/webhooks/"


@pytest.fixture
def reader(partner_a):
    """Partner A's read-only token."""
    return bearer(ApiToken.issue(partner=partner_a, scope="read")[1])


def create(client, headers, **body):
    body = {"url": "https://hooks.example.org/incidents", "events": ["figure.created"], **body}
    return client.post(BASE, body, content_type=JSON, **headers)


def errors(response) -> set[tuple[str, str]]:
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["type"] == "validation_error"
    return {(error["attr"], error["code"]) for error in body["errors"]}


def messages(response) -> str:
    return " ".join(error["detail"] for error in response.json()["errors"])


@pytest.fixture
def public_dns(monkeypatch):
    """Every host name resolves to a public address."""
    monkeypatch.setattr(webhooks, "_resolve", lambda host, port: ["93.184.215.14"])


@pytest.fixture
def production(settings, public_dns):
    """Private addresses and plain http refused, as in production."""
    settings.WEBHOOK_ALLOWED_NETWORKS = []
    settings.DEBUG = False


# --- authentication and ownership ---------------------------------------------------------


def test_anonymous_callers_get_401(client):
    assert client.get(BASE).status_code == 401
    response = create(client, {})
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_partner_creates_a_subscription_and_sees_its_secret_only_then(client, a, partner_a):
    response = create(client, a, description="Our mirror", events=["figure.created", "*"])
    assert response.status_code == 201, response.content
    created = response.json()
    subscription = WebhookSubscription.objects.get()
    assert created["secret"] == subscription.secret
    assert created["secret"].startswith("whsec_")
    assert created["partner"] == {"id": str(partner_a.uuid), "name": "Partner A"}
    assert created["events"] == ["figure.created", "*"]
    assert (created["state"], created["consecutive_failures"]) == ("active", 0)
    assert response["Location"] == f"http://testserver{BASE}{created['id']}/"

    shown = client.get(f"{BASE}{created['id']}/", **a).json()
    listed = client.get(BASE, **a).json()["results"]
    assert "secret" not in shown
    assert [row["id"] for row in listed] == [created["id"]]
    assert "secret" not in listed[0]
    assert shown == {k: v for k, v in created.items() if k != "secret"}


def test_a_read_token_lists_but_cannot_change(client, reader, partner_a, receiver):
    subscription = subscribe(partner_a, receiver)
    path = f"{BASE}{subscription.uuid}/"
    assert client.get(BASE, **reader).json()["count"] == 1
    assert client.get(path, **reader).status_code == 200
    assert client.get(f"{path}deliveries/", **reader).status_code == 200
    assert create(client, reader).status_code == 403
    assert client.patch(path, {"description": "x"}, content_type=JSON, **reader).status_code == 403
    assert client.delete(path, **reader).status_code == 403
    for action in ("resume", "rotate-secret", "test"):
        assert client.post(f"{path}{action}/", **reader).status_code == 403


def test_another_partners_subscription_is_a_404_everywhere(client, a, b, partner_a, receiver):
    subscription = subscribe(partner_a, receiver)
    path = f"{BASE}{subscription.uuid}/"
    assert client.get(BASE, **b).json()["count"] == 0
    assert client.get(path, **b).status_code == 404
    assert client.get(f"{path}deliveries/", **b).status_code == 404
    assert client.patch(path, {"description": "x"}, content_type=JSON, **b).status_code == 404
    assert client.delete(path, **b).status_code == 404
    for action in ("resume", "rotate-secret", "test"):
        assert client.post(f"{path}{action}/", **b).status_code == 404
    assert WebhookSubscription.objects.get().description == ""


def test_a_malformed_id_is_a_404(client, a):
    assert client.get(f"{BASE}not-a-uuid/", **a).status_code == 404


def test_a_partner_cannot_subscribe_for_another(client, a, partner_b):
    response = create(client, a, partner=str(partner_b.uuid))
    assert ("partner", "invalid") in errors(response)


# --- validation -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "attr"),
    [
        ({"events": ["figure.exploded"]}, "events.0"),
        ({"events": []}, "events"),
        ({"events": "figure.created"}, "events"),
        ({"url": "ftp://hooks.example.org/"}, "url"),
        ({"url": "not a url"}, "url"),
        ({"url": "https://user:pw@hooks.example.org/"}, "url"),
        ({"url": "https://hooks.example.org/" + "x" * 500}, "url"),
        ({"description": "x" * 201}, "description"),
        ({"secret": "whsec_mine"}, "secret"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(client, a, body, attr):
    response = create(client, a, **body)
    assert attr in {attr for attr, _ in errors(response)}
    assert WebhookSubscription.objects.count() == 0


def test_unknown_event_types_are_named_with_the_known_ones(client, a):
    response = create(client, a, events=["figure.created", "figure.exploded"])
    assert "figure.exploded" in messages(response)
    assert "figure.disputed" in messages(response)


NOT_PUBLIC = "does not resolve to a public address"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://hooks.example.org/", "Use an https URL"),
        ("https://127.0.0.1/hook", NOT_PUBLIC),
        ("https://10.1.2.3/hook", NOT_PUBLIC),
        ("https://169.254.169.254/latest/meta-data/", NOT_PUBLIC),
        ("https://[::1]:8443/hook", NOT_PUBLIC),
        # Loopback and private IPv4 addresses in IPv6 clothing.
        ("https://[::ffff:127.0.0.1]/hook", NOT_PUBLIC),
        ("https://[64:ff9b::7f00:1]/hook", NOT_PUBLIC),  # NAT64 of 127.0.0.1
        ("https://[64:ff9b::a01:203]/hook", NOT_PUBLIC),  # NAT64 of 10.1.2.3
        ("https://[64:ff9b:1::808:808]/hook", NOT_PUBLIC),  # local-use NAT64
        ("https://[2002:7f00:1::1]/hook", NOT_PUBLIC),  # 6to4 of 127.0.0.1
        ("https://[2002:a9fe:a9fe::1]/hook", NOT_PUBLIC),  # 6to4 of 169.254.169.254
        ("https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/hook", NOT_PUBLIC),  # Teredo
        ("https://[::127.0.0.1]/hook", NOT_PUBLIC),  # IPv4-compatible
        ("https://[fe80::1]/hook", NOT_PUBLIC),
        ("https://[ff02::1]/hook", NOT_PUBLIC),
    ],
)
def test_in_production_only_https_urls_of_public_hosts_are_accepted(
    client, a, production, monkeypatch, url, message
):
    monkeypatch.setattr(
        webhooks, "_resolve", lambda host, port: [host.strip("[]")]
    )  # literal addresses resolve to themselves
    response = create(client, a, url=url)
    assert ("url", "invalid") in errors(response)
    assert message in messages(response)


@pytest.mark.parametrize(
    "address",
    ["64:ff9b::808:808", "2002:808:808::1", "2606:4700:4700::1111", "93.184.215.14"],
)
def test_public_addresses_pass_in_any_spelling(client, a, production, monkeypatch, address):
    monkeypatch.setattr(webhooks, "_resolve", lambda host, port: [address])
    assert create(client, a, url="https://hooks.example.org/").status_code == 201


@pytest.mark.parametrize("debug", [True, False])
def test_the_checks_hold_whatever_debug_says(client, a, production, monkeypatch, settings, debug):
    settings.DEBUG = debug
    monkeypatch.setattr(webhooks, "_resolve", lambda host, port: ["169.254.169.254"])
    response = create(client, a, url="https://metadata.example.org/")
    assert NOT_PUBLIC in messages(response)


def test_an_allowed_network_admits_its_addresses_only(client, a, production, monkeypatch, settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = [ipaddress.ip_network("10.1.2.0/24")]
    monkeypatch.setattr(webhooks, "_resolve", lambda host, port: ["10.1.2.3"])
    assert create(client, a, url="http://receiver.lan/hook").status_code == 201
    monkeypatch.setattr(webhooks, "_resolve", lambda host, port: ["10.1.3.3"])
    assert NOT_PUBLIC in messages(create(client, a, url="http://other.lan/hook"))


def test_a_host_that_resolves_to_a_private_address_is_refused(client, a, production, monkeypatch):
    monkeypatch.setattr(webhooks, "_resolve", lambda host, port: ["93.184.215.14", "192.168.0.9"])
    response = create(client, a, url="https://intranet.example.org/hook")
    assert "intranet.example.org does not resolve to a public address" in messages(response)
    assert "192.168" not in messages(response)  # the server's own DNS answers stay its own


def test_a_host_that_does_not_resolve_gets_the_same_answer(client, a, production, monkeypatch):
    def fail(host, port):
        raise socket.gaierror("Name or service not known")

    monkeypatch.setattr(webhooks, "_resolve", fail)
    response = create(client, a, url="https://nowhere.invalid/hook")
    assert messages(response) == (
        "nowhere.invalid does not resolve to a public address; webhooks are sent to public "
        "addresses only."
    )


def test_in_production_a_public_https_url_is_accepted(client, a, production):
    assert create(client, a, url="https://hooks.example.org/incidents").status_code == 201


def test_a_partner_has_at_most_so_many_subscriptions(client, a):
    for index in range(webhooks.MAX_SUBSCRIPTIONS_PER_PARTNER):
        assert create(client, a, url=f"https://hooks.example.org/{index}").status_code == 201
    response = create(client, a)
    assert ("non_field_errors", "invalid") in errors(response)


# --- changing, rotating, deleting --------------------------------------------------------------


def test_a_subscription_is_changed_with_patch(client, a, partner_a, receiver):
    subscription = subscribe(partner_a, receiver)
    path = f"{BASE}{subscription.uuid}/"
    body = {
        "url": receiver.url_for("/other"),
        "events": ["figure.disputed", "figure.disputed", "incident.created"],
        "description": "Disputes only",
    }
    response = client.patch(path, body, content_type=JSON, **a)
    assert response.status_code == 200, response.content
    shown = response.json()
    assert shown["events"] == ["figure.disputed", "incident.created"]
    assert (shown["url"], shown["description"]) == (body["url"], "Disputes only")
    assert "secret" not in shown

    bad = client.patch(path, {"events": ["nothing"]}, content_type=JSON, **a)
    assert "events.0" in {attr for attr, _ in errors(bad)}
    moved = client.patch(path, {"partner": str(partner_a.uuid)}, content_type=JSON, **a)
    assert ("partner", "invalid") in errors(moved)


def test_switching_a_subscription_off_holds_its_deliveries_until_it_is_on_again(
    client, a, partner_a, receiver
):
    subscription = subscribe(partner_a, receiver, events=["figure.created"])
    path = f"{BASE}{subscription.uuid}/"
    incident = IncidentFactory()
    post_figure(client, a, incident)  # queued while on
    off = client.patch(path, {"is_active": False}, content_type=JSON, **a)
    assert off.json()["state"] == "off"
    post_figure(client, a, incident, value=41)  # not queued while off
    run_worker()
    assert received(receiver) == []
    assert WebhookDelivery.objects.get().status == "pending"

    on = client.patch(path, {"is_active": True}, content_type=JSON, **a)
    assert on.json()["state"] == "active"
    run_worker()
    assert len(received(receiver)) == 1
    assert WebhookDelivery.objects.get().status == "succeeded"


def test_rotating_the_secret_returns_the_new_one_which_signs_from_then_on(
    client, a, partner_a, receiver
):
    subscription = subscribe(partner_a, receiver, events=["figure.created"])
    old = subscription.secret
    response = client.post(f"{BASE}{subscription.uuid}/rotate-secret/", **a)
    assert response.status_code == 200, response.content
    new = response.json()["secret"]
    assert new.startswith("whsec_") and new != old
    assert WebhookSubscription.objects.get().secret == new

    post_figure(client, a, IncidentFactory())
    run_worker()
    [(body, headers)] = received(receiver)
    Webhook(new).verify(body, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(old).verify(body, headers)


def test_deleting_a_subscription_removes_it_and_its_deliveries(client, a, partner_a, receiver):
    subscription = subscribe(partner_a, receiver, events=["figure.created"])
    post_figure(client, a, IncidentFactory())
    path = f"{BASE}{subscription.uuid}/"
    assert client.delete(path, **a).status_code == 204
    assert client.get(path, **a).status_code == 404
    assert WebhookDelivery.objects.count() == 0
    run_worker()  # its queued task finds nothing to send
    assert received(receiver) == []


# --- deliveries ---------------------------------------------------------------------------------


def test_deliveries_show_status_attempts_errors_and_the_log(
    client, a, partner_a, httpserver, settings
):
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    httpserver.expect_request(HOOK, method="POST").respond_with_data("nope", status=500)
    subscription = subscribe(partner_a, httpserver, events=["figure.created"])
    path = f"{BASE}{subscription.uuid}/deliveries/"
    incident = IncidentFactory()
    figure = post_figure(client, a, incident)
    run_worker()

    [pending] = client.get(path, **a).json()["results"]
    assert pending["status"] == "pending"
    assert (pending["attempts"], pending["last_error"]) == (1, "HTTP 500")
    assert pending["next_attempt_at"] is not None
    assert pending["payload"]["record_id"] == figure["id"]
    assert pending["payload"]["type"] == pending["event_type"] == "figure.created"
    [attempt] = pending["log"]
    assert (attempt["number"], attempt["status_code"], attempt["error"]) == (1, 500, "HTTP 500")
    assert attempt["response_excerpt"] == "nope"

    time_travel()
    run_worker()
    httpserver.clear()
    httpserver.expect_request(HOOK, method="POST").respond_with_data("ok")
    post_figure(client, a, incident, value=41)
    run_worker()

    shown = client.get(path, **a).json()["results"]
    assert [d["status"] for d in shown] == ["succeeded", "failed"]  # most recent first
    assert [len(d["log"]) for d in shown] == [1, 2]
    assert shown[1]["next_attempt_at"] is None
    failed = client.get(path, {"status": "failed"}, **a).json()
    assert failed["count"] == 1
    assert errors(client.get(path, {"status": "lost"}, **a)) == {("status", "invalid")}
    assert ("colour", "invalid") in errors(client.get(path, {"colour": "blue"}, **a))
    assert ("colour", "invalid") in errors(client.get(BASE, {"colour": "blue"}, **a))

    shown_subscription = client.get(f"{BASE}{subscription.uuid}/", **a).json()
    assert shown_subscription["consecutive_failures"] == 0


def test_test_event_is_queued_and_shown_among_the_deliveries(client, a, partner_a, receiver):
    subscription = subscribe(partner_a, receiver, events=["allegation.deleted"])
    response = client.post(f"{BASE}{subscription.uuid}/test/", **a)
    assert response.status_code == 202
    queued = response.json()
    assert (queued["event_type"], queued["status"], queued["log"]) == ("ping", "pending", [])
    run_worker()
    [shown] = client.get(f"{BASE}{subscription.uuid}/deliveries/", **a).json()["results"]
    assert (shown["id"], shown["status"]) == (queued["id"], "succeeded")


# --- staff ----------------------------------------------------------------------------------


def test_staff_see_every_subscription_and_subscribe_a_partner(
    staff_client, partner_a, partner_b, receiver
):
    subscribe(partner_a, receiver)
    subscribe(partner_b, receiver)
    assert staff_client.get(BASE).json()["count"] == 2

    response = create(staff_client, {})
    assert ("partner", "invalid") in errors(response)
    unknown = create(staff_client, {}, partner="00000000-0000-0000-0000-000000000000")
    assert "No partner with this id." in messages(unknown)
    response = create(staff_client, {}, partner=str(partner_b.uuid))
    assert response.status_code == 201, response.content
    assert response.json()["partner"]["id"] == str(partner_b.uuid)
    assert WebhookSubscription.objects.filter(partner=partner_b).count() == 2


def test_staff_need_the_webhook_permissions(django_user_model, partner_a, receiver):
    subscription = subscribe(partner_a, receiver)
    user = django_user_model.objects.create_user("clerk", is_staff=True)
    user.groups.add(Group.objects.get(name="editor"))  # a role, but not the webhook one
    client = Client()
    client.force_login(user)
    assert client.get(BASE).json()["count"] == 0
    assert client.get(f"{BASE}{subscription.uuid}/").status_code == 404
    assert create(client, {}, partner=str(partner_a.uuid)).status_code == 403

    user.user_permissions.add(Permission.objects.get(codename="view_webhooksubscription"))
    client.force_login(django_user_model.objects.get(pk=user.pk))
    assert client.get(BASE).json()["count"] == 1
    assert client.post(f"{BASE}{subscription.uuid}/resume/").status_code == 403


def test_an_inactive_partners_token_is_refused(client, a, partner_a):
    Partner.objects.filter(pk=partner_a.pk).update(is_active=False)
    assert client.get(BASE, **a).status_code == 401


# --- a subscription lives as long as its token ------------------------------------------------


def subscribed_with(client, headers, receiver) -> WebhookSubscription:
    response = create(client, headers, url=receiver.url_for(HOOK))
    assert response.status_code == 201, response.content
    return WebhookSubscription.objects.get(uuid=response.json()["id"])


def test_revoking_a_token_pauses_and_silences_its_subscriptions(
    client, a, token_a, partner_a, receiver
):
    mine = subscribed_with(client, a, receiver)
    assert mine.token == token_a[0]
    staffs = subscribe(partner_a, receiver, events=["figure.created"])  # by staff: no token
    assert webhooks.revoke_token(token_a[0]) is True
    mine.refresh_from_db()
    assert mine.paused_at is not None and "revoked" in mine.paused_reason
    # A write by another of the partner's tokens: only the staff-made subscription hears.
    _, other = ApiToken.issue(partner=partner_a, scope="write")
    post_figure(client, bearer(other), IncidentFactory())
    assert WebhookDelivery.objects.filter(subscription=mine).count() == 0
    assert WebhookDelivery.objects.filter(subscription=staffs).count() == 1
    # Nothing resumes it: no other token speaks for the one revoked.
    response = client.post(f"{BASE}{mine.uuid}/resume/", **bearer(other))
    assert response.status_code == 400
    assert "revoked" in messages(response)
    mine.refresh_from_db()
    assert mine.paused_at is not None


def test_an_expired_tokens_subscription_gets_no_events_and_is_paused(
    client, a, token_a, partner_a, receiver
):
    mine = subscribed_with(client, a, receiver)
    post_figure(client, a, IncidentFactory())  # queued while the token was current
    ApiToken.objects.filter(pk=token_a[0].pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    run_worker()
    assert received(receiver) == []  # the waiting delivery is not sent ...
    mine.refresh_from_db()
    assert "expired" in mine.paused_reason  # ... and the subscription says why
    _, other = ApiToken.issue(partner=partner_a, scope="write")
    post_figure(client, bearer(other), IncidentFactory())
    assert WebhookDelivery.objects.filter(subscription=mine).count() == 1  # no new event


def test_staff_revoke_a_token_in_the_admin_and_its_subscriptions_pause(
    client, a, token_a, receiver, staff_client
):
    mine = subscribed_with(client, a, receiver)
    response = staff_client.post(
        "/admin/incidents/apitoken/",
        {"action": "revoke_tokens", "_selected_action": [token_a[0].pk]},
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.paused_at is not None and "revoked" in mine.paused_reason
