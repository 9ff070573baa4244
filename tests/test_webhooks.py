"""Webhooks end to end: queued with the write, sent by the worker to a real HTTP server.

The receiver is pytest-httpserver, listening on localhost; the worker is the
``db_worker`` command in batch mode, run inside the test. Receivers check each
request as docs/webhooks.md tells them to, with a Standard Webhooks library.
"""

import base64
import datetime
import hashlib
import hmac
import io
import json
import signal
import socket
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from incidents.access import Principal
from incidents.choices import Stance, Visibility
from incidents.integration import webhooks
from incidents.models import (
    ApiToken,
    Citation,
    DeliveryStatus,
    Figure,
    Partner,
    WebhookDelivery,
    WebhookSubscription,
)
from incidents.writes import services
from tests.factories import (
    CitationFactory,
    IncidentFactory,
    SourceFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_dns")]

JSON = "application/json"
QUOTE = "documented at least 40 detentions"  # in SourceFactory's text
HOOK = "/hook"


# --- helpers: the worker, the clock, the receiver ----------------------------------------


def run_worker() -> None:
    """Run every task that is due, as ``python manage.py db_worker --batch`` does.

    The worker closes "old" database connections between tasks; inside a test's
    transaction that would end the test, so that one call is a no-op here. Its
    signal handlers are put back afterwards.
    """
    from django_tasks_db.management.commands import db_worker

    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    close = db_worker.close_old_connections
    db_worker.close_old_connections = lambda: None
    try:
        call_command(
            "db_worker",
            "--batch",
            "--no-startup-delay",
            "--no-reload",
            "--interval=0",
            verbosity=0,
            stdout=io.StringIO(),
        )
    finally:
        db_worker.close_old_connections = close
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
    crashed = DBTaskResult.objects.filter(status="FAILED")
    assert not crashed.exists(), [task.traceback for task in crashed]


def time_travel() -> None:
    """Make every waiting retry due now: its task's run_after and the delivery's next attempt."""
    now = timezone.now()
    DBTaskResult.objects.filter(status="READY").update(run_after=now)
    WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING).update(next_attempt_at=now)


def received(httpserver) -> list[tuple[bytes, dict]]:
    """The bodies and headers of the requests the receiver got, in order."""
    return [(request.get_data(), dict(request.headers)) for request, _ in httpserver.log]


def received_events(httpserver) -> list[dict]:
    return [json.loads(body) for body, _ in received(httpserver)]


def deliveries_of(subscription) -> list[tuple[str, str]]:
    return sorted(
        (d.event_type, d.payload["record_id"])
        for d in WebhookDelivery.objects.filter(subscription=subscription)
    )


def subscribe(partner, httpserver, events=("*",), path=HOOK) -> WebhookSubscription:
    return webhooks.create_subscription(
        partner=partner, url=httpserver.url_for(path), events=list(events)
    )


@pytest.fixture
def incident():
    return IncidentFactory()


def figure_body(incident, source=None, **changes) -> dict:
    body = {
        "incident": str(incident.uuid),
        "measure": "detained",
        "value": 40,
        "qualifier": "at_least",
        "as_of": "2024-11-15",
        "visibility": "public",
        "citations": [{"source": str((source or SourceFactory()).uuid), "quote": QUOTE}],
    }
    body.update(changes)
    return body


def post_figure(client, headers, incident, **changes) -> dict:
    response = client.post(
        "/api/v1/figures/", figure_body(incident, **changes), content_type=JSON, **headers
    )
    assert response.status_code == 201, response.content
    return response.json()


# --- queued with the write -------------------------------------------------------------------


def test_a_write_through_the_api_queues_its_delivery_and_task(client, a, partner_a, receiver):
    subscription = subscribe(partner_a, receiver, events=["figure.created"])
    incident = IncidentFactory()
    assert WebhookDelivery.objects.count() == 0  # incident.created is not subscribed to

    figure = post_figure(client, a, incident)

    delivery = WebhookDelivery.objects.get()
    assert delivery.subscription == subscription
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.payload == {
        "id": str(delivery.event_id),
        "type": "figure.created",
        "resource": "figures",
        "record_id": figure["id"],
        "version": 1,
        "occurred_at": delivery.payload["occurred_at"],
    }
    assert delivery.payload["occurred_at"].endswith("Z")
    task = DBTaskResult.objects.get()
    assert task.task_path == "incidents.integration.webhooks.deliver"
    assert task.args_kwargs == {"args": [delivery.pk], "kwargs": {}}
    assert received(receiver) == []  # nothing is sent before the worker runs


def test_a_write_that_fails_or_rolls_back_queues_nothing(client, a, partner_a, receiver):
    subscribe(partner_a, receiver)
    incident = IncidentFactory()
    WebhookDelivery.objects.all().delete()
    DBTaskResult.objects.all().delete()

    response = client.post(
        "/api/v1/figures/", figure_body(incident, value_low=50), content_type=JSON, **a
    )
    assert response.status_code == 400

    source = SourceFactory()
    WebhookDelivery.objects.all().delete()
    DBTaskResult.objects.all().delete()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.record_create(
            model=Figure,
            fields={
                "incident": incident,
                "measure": "detained",
                "value": 3,
                "as_of": datetime.date(2024, 11, 15),
            },
            principal=Principal(token=ApiToken.objects.get()),
            citations=[services.CitationData(source=source, quote=QUOTE)],
        )
        assert WebhookDelivery.objects.count() == 2  # queued inside the write's transaction
        raise RuntimeError("the caller's transaction fails after the write")
    assert WebhookDelivery.objects.count() == 0
    assert DBTaskResult.objects.count() == 0


# --- signed and verified ----------------------------------------------------------------------


def test_the_worker_sends_a_signed_event_a_standard_webhooks_library_verifies(
    client, a, partner_a, receiver
):
    subscription = subscribe(partner_a, receiver, events=["figure.created"])
    figure = post_figure(client, a, IncidentFactory())

    run_worker()

    [(body, headers)] = received(receiver)
    delivery = WebhookDelivery.objects.get()
    event = Webhook(subscription.secret).verify(body, headers)
    assert event == delivery.payload
    assert event["record_id"] == figure["id"]
    assert headers["Webhook-Id"] == str(delivery.event_id) == event["id"]
    assert abs(int(headers["Webhook-Timestamp"]) - timezone.now().timestamp()) < 60
    assert headers["Webhook-Signature"].startswith("v1,")
    assert headers["Content-Type"] == "application/json"
    assert headers["User-Agent"].startswith("IncidentRecords-Webhooks/")

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("succeeded", 1, "")
    assert delivery.delivered_at is not None
    [attempt] = delivery.log.all()
    assert (attempt.number, attempt.status_code, attempt.error) == (1, 200, "")
    assert attempt.response_excerpt == "thanks"


def test_forged_bodies_other_secrets_and_replays_fail_verification(client, a, partner_a, receiver):
    subscription = subscribe(partner_a, receiver)
    post_figure(client, a, IncidentFactory())
    run_worker()
    body, headers = received(receiver)[-1]
    verifier = Webhook(subscription.secret)
    verifier.verify(body, headers)

    forged = body.replace(b'"version":1', b'"version":2')
    assert forged != body
    with pytest.raises(WebhookVerificationError):
        verifier.verify(forged, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(WebhookSubscription().secret).verify(body, headers)  # another secret
    # A request signed correctly but ten minutes ago (a replay) is too old.
    old = timezone.now() - timedelta(minutes=10)
    replay = webhooks.signed_headers(subscription.secret, headers["Webhook-Id"], body.decode(), old)
    with pytest.raises(WebhookVerificationError, match="too old"):
        verifier.verify(body, replay)


def test_the_signature_is_plain_hmac_sha256_as_documented(client, a, partner_a, receiver):
    subscription = subscribe(partner_a, receiver)
    post_figure(client, a, IncidentFactory())
    run_worker()
    body, headers = received(receiver)[-1]

    # The plain-Python check of docs/webhooks.md.
    key = base64.b64decode(subscription.secret.removeprefix("whsec_"))
    signed = f"{headers['Webhook-Id']}.{headers['Webhook-Timestamp']}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    given = [s.partition(",")[2] for s in headers["Webhook-Signature"].split()]
    assert any(hmac.compare_digest(expected, signature) for signature in given)


# --- retries, the log, pausing ---------------------------------------------------------------


@pytest.fixture
def failing(httpserver):
    httpserver.expect_request(HOOK, method="POST").respond_with_data("down", status=500)
    return httpserver


def test_a_failing_receiver_is_retried_with_growing_delays_and_every_attempt_logged(
    client, a, partner_a, failing, settings
):
    settings.WEBHOOK_MAX_ATTEMPTS = 4
    settings.WEBHOOK_BACKOFF_SECONDS = 30
    settings.WEBHOOK_PAUSE_AFTER = 100
    subscribe(partner_a, failing, events=["figure.created"])
    post_figure(client, a, IncidentFactory())
    delivery = WebhookDelivery.objects.get()

    delays = []
    for attempt in range(1, 5):
        run_worker()
        delivery.refresh_from_db()
        assert delivery.attempts == attempt
        assert len(received(failing)) == attempt
        assert delivery.last_error == "HTTP 500"
        last = delivery.log.order_by("number").last()
        assert (last.number, last.status_code, last.error) == (attempt, 500, "HTTP 500")
        assert last.response_excerpt == "down"
        if attempt < 4:
            assert delivery.status == DeliveryStatus.PENDING
            delays.append((delivery.next_attempt_at - last.at).total_seconds())
            # Its retry waits in the queue until then; running the worker now does nothing.
            retry = DBTaskResult.objects.get(status="READY")
            assert retry.run_after == delivery.next_attempt_at
            run_worker()
            assert len(received(failing)) == attempt
            time_travel()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.next_attempt_at is None
    for delay, base in zip(delays, (30, 60, 120), strict=True):
        assert base <= delay <= base * (1 + webhooks.JITTER) + 1
    assert [a.number for a in delivery.log.all()] == [1, 2, 3, 4]
    assert WebhookSubscription.objects.get().consecutive_failures == 4


def test_backoff_doubles_and_is_capped(settings):
    settings.WEBHOOK_BACKOFF_SECONDS = 30
    assert timedelta(seconds=30) <= webhooks.backoff(1) <= timedelta(seconds=33)
    assert timedelta(seconds=960) <= webhooks.backoff(6) <= timedelta(seconds=1056)
    assert webhooks.backoff(40) <= webhooks.MAX_BACKOFF * (1 + webhooks.JITTER)


def test_a_subscription_that_keeps_failing_is_paused_and_resuming_sends_what_waited(
    client, a, partner_a, httpserver, settings
):
    settings.WEBHOOK_PAUSE_AFTER = 3
    httpserver.expect_request(HOOK, method="POST").respond_with_data("down", status=500)
    subscription = subscribe(partner_a, httpserver, events=["figure.created"])
    incident = IncidentFactory()
    post_figure(client, a, incident)
    for _ in range(3):
        run_worker()
        time_travel()
    assert len(received(httpserver)) == 3

    shown = client.get(f"/api/v1/webhooks/{subscription.uuid}/", **a).json()
    assert shown["state"] == "paused"
    assert shown["consecutive_failures"] == 3
    assert shown["paused_at"] is not None
    assert shown["paused_reason"].startswith(
        f"Paused after 3 failed attempts in a row; the last: HTTP 500 from "
        f"{httpserver.url_for(HOOK)}."
    )

    # Paused: its delivery waits (its queued retry sends nothing) and new events are not queued.
    run_worker()
    assert len(received(httpserver)) == 3
    post_figure(client, a, incident, value=41)
    assert WebhookDelivery.objects.count() == 1
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("pending", 3)

    httpserver.clear()
    httpserver.expect_request(HOOK, method="POST").respond_with_data("back")
    response = client.post(f"/api/v1/webhooks/{subscription.uuid}/resume/", **a)
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "active"
    assert response.json()["paused_reason"] == ""
    run_worker()
    assert len(received(httpserver)) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("succeeded", 4)
    subscription.refresh_from_db()
    assert (subscription.paused_at, subscription.consecutive_failures) == (None, 0)
    # The retry queued before the pause finds it delivered and sends nothing more.
    time_travel()
    run_worker()
    assert len(received(httpserver)) == 1


def test_a_success_resets_the_failure_count(client, a, partner_a, httpserver, settings):
    settings.WEBHOOK_PAUSE_AFTER = 3
    httpserver.expect_oneshot_request(HOOK, method="POST").respond_with_data("", status=503)
    httpserver.expect_oneshot_request(HOOK, method="POST").respond_with_data("", status=503)
    httpserver.expect_request(HOOK, method="POST").respond_with_data("ok")
    subscribe(partner_a, httpserver, events=["figure.created"])
    post_figure(client, a, IncidentFactory())
    run_worker()
    time_travel()
    run_worker()
    assert WebhookSubscription.objects.get().consecutive_failures == 2
    time_travel()
    run_worker()
    subscription = WebhookSubscription.objects.get()
    assert (subscription.consecutive_failures, subscription.paused_at) == (0, None)
    assert WebhookDelivery.objects.get().status == DeliveryStatus.SUCCEEDED


def test_redirects_are_failures_and_are_not_followed(client, a, partner_a, httpserver):
    httpserver.expect_request(HOOK, method="POST").respond_with_data(
        "", status=302, headers={"Location": httpserver.url_for("/elsewhere")}
    )
    subscribe(partner_a, httpserver, events=["figure.created"])
    post_figure(client, a, IncidentFactory())
    run_worker()
    assert [request.path for request, _ in httpserver.log] == [HOOK]
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.last_error.startswith("HTTP 302 (a redirect")


def test_an_unreachable_receiver_is_logged_as_an_error(client, a, partner_a):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    webhooks.create_subscription(
        partner=partner_a, url=f"http://127.0.0.1:{port}/hook", events=["figure.created"]
    )
    post_figure(client, a, IncidentFactory())
    run_worker()
    [attempt] = WebhookDelivery.objects.get().log.all()
    assert attempt.status_code is None
    # Not the socket's words ("Connection refused"): that would make webhooks a port scanner.
    assert attempt.error == "Could not connect."


def test_the_request_goes_to_the_address_that_was_checked(
    client, a, partner_a, receiver, monkeypatch
):
    """DNS rebinding: a name that passed the check is never resolved again to connect."""
    resolved = []

    def resolve(host, port):
        resolved.append(host)
        return [receiver.host if receiver.host != "localhost" else "127.0.0.1"]

    monkeypatch.setattr(webhooks, "_resolve", resolve)
    url = f"http://rebind.example:{receiver.port}{HOOK}"
    webhooks.create_subscription(partner=partner_a, url=url, events=["figure.created"])
    resolved.clear()
    post_figure(client, a, IncidentFactory())
    run_worker()
    # rebind.example has no address in any real DNS: only the checked answer could reach.
    [(_, headers)] = received(receiver)
    assert headers["Host"] == f"rebind.example:{receiver.port}"
    assert resolved == ["rebind.example"]


def test_private_addresses_are_refused_without_retry_unless_allowed(
    client, a, partner_a, receiver, settings
):
    subscription = subscribe(partner_a, receiver, events=["figure.created"])
    settings.WEBHOOK_ALLOWED_NETWORKS = []
    settings.DEBUG = True  # changes nothing: only the allow-list opens private addresses
    post_figure(client, a, IncidentFactory())
    run_worker()
    assert received(receiver) == []
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("failed", 1)
    assert delivery.last_error == (
        "Refused: localhost does not resolve to a public address; webhooks are sent to public "
        "addresses only."
    )
    assert not DBTaskResult.objects.filter(status="READY").exists()  # no retry
    subscription.refresh_from_db()
    assert subscription.consecutive_failures == 1


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),  # cloud metadata
        ("100.64.0.1", False),  # carrier-grade NAT
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("::1", False),
        ("fe80::1%eth0", False),
        ("fc00::1", False),
        ("::ffff:127.0.0.1", False),
        ("93.184.215.14", True),
        ("2606:2800:21f:cb07:6820:80da:af6b:8b2c", True),
    ],
)
def test_which_addresses_count_as_public(address, public):
    assert webhooks._public_address(address) is public


# --- safe to run twice ------------------------------------------------------------------------


def test_a_delivery_task_run_twice_sends_once(client, a, partner_a, receiver):
    subscribe(partner_a, receiver, events=["figure.created"])
    post_figure(client, a, IncidentFactory())
    delivery = WebhookDelivery.objects.get()
    webhooks.deliver.enqueue(delivery.pk)  # a duplicate task
    run_worker()
    assert len(received(receiver)) == 1
    assert webhooks.deliver.call(delivery.pk).startswith("skipped: succeeded")
    assert len(received(receiver)) == 1
    assert WebhookDelivery.objects.get().attempts == 1


def test_a_task_that_runs_before_the_delivery_is_due_sends_nothing(client, a, partner_a, receiver):
    subscribe(partner_a, receiver, events=["figure.created"])
    post_figure(client, a, IncidentFactory())
    delivery = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now() + timedelta(minutes=5)
    )
    assert webhooks.deliver.call(delivery.pk) == "skipped: not due yet"
    assert received(receiver) == []


def test_the_admin_retry_sends_a_failed_delivery_again(client, a, partner_a, httpserver, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    httpserver.expect_oneshot_request(HOOK, method="POST").respond_with_data("", status=500)
    httpserver.expect_request(HOOK, method="POST").respond_with_data("ok")
    subscribe(partner_a, httpserver, events=["figure.created"])
    post_figure(client, a, IncidentFactory())
    run_worker()
    assert WebhookDelivery.objects.get().status == DeliveryStatus.FAILED
    assert webhooks.retry_now(WebhookDelivery.objects.all()) == 1
    run_worker()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("succeeded", 2)


# --- who is told what -------------------------------------------------------------------------


def test_a_partner_is_not_told_about_another_partners_restricted_record(
    client, a, b, partner_a, partner_b, receiver
):
    mine = subscribe(partner_a, receiver)
    theirs = subscribe(partner_b, receiver, path="/b")
    incident, source = IncidentFactory(), SourceFactory()
    WebhookDelivery.objects.all().delete()
    figure = post_figure(client, a, incident, source=source, visibility="restricted")

    assert ("figure.created", figure["id"]) in deliveries_of(mine)
    assert deliveries_of(theirs) == []  # neither the figure nor its citation


def test_a_record_hidden_from_a_partner_comes_to_it_as_a_deleted_tombstone(
    client, a, partner_a, partner_b, receiver
):
    mine = subscribe(partner_a, receiver, events=["figure.created", "figure.updated"])
    theirs = subscribe(partner_b, receiver, path="/b")
    figure = post_figure(client, a, IncidentFactory())  # public
    WebhookDelivery.objects.all().delete()
    path = f"/api/v1/figures/{figure['id']}/"

    response = client.patch(path, {"visibility": "restricted"}, content_type=JSON, **a)
    assert response.status_code == 200
    assert deliveries_of(mine) == [("figure.updated", figure["id"])]
    assert ("figure.deleted", figure["id"]) in deliveries_of(theirs)
    assert ("figure.updated", figure["id"]) not in deliveries_of(theirs)

    WebhookDelivery.objects.all().delete()
    client.patch(path, {"visibility": "partners"}, content_type=JSON, **a)
    assert ("figure.created", figure["id"]) in deliveries_of(theirs)  # visible again

    WebhookDelivery.objects.all().delete()
    assert client.delete(path, **a).status_code == 204
    assert ("figure.deleted", figure["id"]) in deliveries_of(theirs)
    assert deliveries_of(mine) == []  # figure.deleted is not among its events


def test_only_active_unpaused_subscriptions_of_active_partners_get_events(
    client, a, partner_a, partner_b, receiver
):
    off = subscribe(partner_a, receiver, events=["incident.created"])
    webhooks.update_subscription(off, is_active=False)
    paused = subscribe(partner_b, receiver, events=["incident.created"])
    webhooks.pause(paused, "test")
    suspended = Partner.objects.create(name="Suspended", is_active=False)
    subscribe(suspended, receiver, events=["incident.created"])
    IncidentFactory()
    assert WebhookDelivery.objects.count() == 0


def test_a_suspended_partners_deliveries_wait_until_it_is_back_and_resumed(
    client, a, partner_a, receiver
):
    subscription = subscribe(partner_a, receiver, events=["figure.created"])
    post_figure(client, a, IncidentFactory())
    Partner.objects.filter(pk=partner_a.pk).update(is_active=False)
    run_worker()
    assert received(receiver) == []
    Partner.objects.filter(pk=partner_a.pk).update(is_active=True)
    webhooks.resume(subscription)
    run_worker()
    assert len(received(receiver)) == 1


def test_each_event_of_a_write_has_one_id_shared_by_its_subscriptions(
    client, a, partner_a, partner_b, receiver
):
    subscribe(partner_a, receiver, events=["incident.created"])
    subscribe(partner_b, receiver, path="/b", events=["incident.created"])
    subscribe(partner_b, receiver, path="/c", events=["*"])
    IncidentFactory()
    deliveries = list(WebhookDelivery.objects.all())
    assert len(deliveries) == 3
    assert len({d.event_id for d in deliveries}) == 1


def test_a_ping_is_delivered_whatever_the_subscription_chose(client, a, partner_a, receiver):
    subscription = subscribe(partner_a, receiver, events=["allegation.deleted"])
    response = client.post(f"/api/v1/webhooks/{subscription.uuid}/test/", **a)
    assert response.status_code == 202, response.content
    assert response.json()["event_type"] == "ping"
    run_worker()
    [event] = received_events(receiver)
    assert event["type"] == "ping"
    assert (event["resource"], event["record_id"], event["version"]) == (None, None, None)


# --- figure.disputed --------------------------------------------------------------------------


def dispute(client, headers, figure_id, **changes):
    body = {"source": str(SourceFactory().uuid), "quote": QUOTE, "stance": "disputes"}
    body.update(figure=figure_id, **changes)
    response = client.post("/api/v1/citations/", body, content_type=JSON, **headers)
    assert response.status_code == 201, response.content
    return response.json()


def disputed(subscription) -> list[str]:
    return sorted(
        d.payload["record_id"]
        for d in WebhookDelivery.objects.filter(
            subscription=subscription, event_type="figure.disputed"
        )
    )


def test_a_disputing_citation_sends_figure_disputed_to_those_who_can_read_it(
    client, a, b, partner_a, partner_b, receiver
):
    watcher = subscribe(partner_a, receiver, events=["figure.disputed"])
    disputer = subscribe(partner_b, receiver, path="/b", events=["figure.disputed"])
    figure = CitationFactory().figure  # public, by staff

    dispute(client, b, str(figure.uuid), visibility="public")
    assert disputed(watcher) == [str(figure.uuid)]
    assert disputed(disputer) == [str(figure.uuid)]
    delivery = WebhookDelivery.objects.filter(subscription=watcher).get()
    assert delivery.payload["resource"] == "figures"
    assert delivery.payload["version"] == figure.version

    WebhookDelivery.objects.all().delete()
    dispute(client, b, str(figure.uuid))  # restricted to B by default
    assert disputed(watcher) == []
    assert disputed(disputer) == [str(figure.uuid)]

    run_worker()
    assert {e["type"] for e in received_events(receiver)} == {"figure.disputed"}


def test_figure_disputed_is_not_sent_for_other_stances_or_edits_of_a_dispute(
    client, a, b, partner_a, receiver
):
    watcher = subscribe(partner_a, receiver, events=["figure.disputed"])
    figure = CitationFactory().figure
    dispute(client, b, str(figure.uuid), stance="corroborates", visibility="public")
    assert disputed(watcher) == []
    objection = dispute(client, b, str(figure.uuid), stance="denies", visibility="public")
    assert disputed(watcher) == [str(figure.uuid)]
    WebhookDelivery.objects.all().delete()
    path = f"/api/v1/citations/{objection['id']}/"
    assert client.patch(path, {"note": "Checked."}, content_type=JSON, **b).status_code == 200
    assert disputed(watcher) == []


def test_a_corroboration_turned_into_a_dispute_sends_figure_disputed(
    client, b, partner_a, receiver
):
    watcher = subscribe(partner_a, receiver, events=["figure.disputed"])
    figure = CitationFactory().figure
    citation = dispute(client, b, str(figure.uuid), stance="corroborates", visibility="public")
    path = f"/api/v1/citations/{citation['id']}/"
    response = client.patch(path, {"stance": "disputes"}, content_type=JSON, **b)
    assert response.status_code == 200, response.content
    assert disputed(watcher) == [str(figure.uuid)]


def test_a_restored_dispute_sends_figure_disputed_again(partner_a, receiver):
    watcher = subscribe(partner_a, receiver, events=["figure.disputed"])
    figure = CitationFactory().figure
    objection = CitationFactory(figure=figure, stance=Stance.DISPUTES)
    services.record_delete(record=objection)
    WebhookDelivery.objects.all().delete()
    services.record_restore(record=Citation.objects.get(pk=objection.pk))
    assert disputed(watcher) == [str(figure.uuid)]


def test_another_reporters_different_value_disputes_both_figures(client, a, partner_b, receiver):
    watcher = subscribe(partner_b, receiver, events=["figure.disputed"])
    incident = IncidentFactory()
    first = post_figure(client, a, incident, value=40, as_of="2024-11-15")
    assert disputed(watcher) == []
    second = post_figure(client, a, incident, value=55, as_of="2024-11-25")  # another issuer
    assert disputed(watcher) == sorted([first["id"], second["id"]])
    shown = client.get(f"/api/v1/figures/{first['id']}/").json()
    assert shown["contested"] is True  # the API agrees


def test_no_dispute_for_the_same_value_another_date_measure_or_the_same_reporter(
    client, a, partner_b, receiver
):
    watcher = subscribe(partner_b, receiver, events=["figure.disputed"])
    incident = IncidentFactory()
    reporter = SourceFactory()
    post_figure(client, a, incident, value=40, as_of="2024-11-15")
    post_figure(client, a, incident, value=40, as_of="2024-11-16")  # the same value
    post_figure(client, a, incident, source=reporter, value=70, as_of="2024-12-15")  # weeks later
    post_figure(client, a, incident, value=80, as_of="2024-12-20", measure="released")
    again = SourceFactory(issuer=reporter.issuer)  # the same organisation's update
    post_figure(client, a, incident, source=again, value=90, as_of="2024-12-16")
    assert disputed(watcher) == []

    other = post_figure(client, a, incident, value=95, as_of="2024-12-17")  # another reporter
    expected = Figure.objects.filter(incident=incident, value__in=[70, 90, 95])
    assert disputed(watcher) == sorted(str(f.uuid) for f in expected)
    assert other["id"] in disputed(watcher)


def test_an_update_that_creates_a_conflict_disputes_but_other_edits_do_not(
    client, a, partner_b, receiver
):
    watcher = subscribe(partner_b, receiver, events=["figure.disputed"])
    incident = IncidentFactory()
    first = post_figure(client, a, incident, value=40, as_of="2024-11-15")
    second = post_figure(client, a, incident, value=40, as_of="2024-11-20")
    assert disputed(watcher) == []
    path = f"/api/v1/figures/{second['id']}/"

    assert client.patch(path, {"value": 45}, content_type=JSON, **a).status_code == 200
    assert disputed(watcher) == sorted([first["id"], second["id"]])

    WebhookDelivery.objects.all().delete()
    assert client.patch(path, {"note": "Recounted."}, content_type=JSON, **a).status_code == 200
    assert client.patch(path, {"value": 46}, content_type=JSON, **a).status_code == 200
    assert disputed(watcher) == []  # still in conflict: nothing new


def test_a_conflict_is_told_only_to_those_who_can_read_both_figures_and_reporters(
    client, a, partner_a, partner_b, receiver
):
    outsider = subscribe(partner_b, receiver, events=["figure.disputed"])
    owner = subscribe(partner_a, receiver, path="/a", events=["figure.disputed"])
    incident = IncidentFactory()
    public = post_figure(client, a, incident, value=40)
    hidden = post_figure(client, a, incident, value=60, visibility="restricted")
    assert disputed(outsider) == []
    assert disputed(owner) == sorted([public["id"], hidden["id"]])

    # The figure is shown, but not yet who reported it: still no conflict for others.
    WebhookDelivery.objects.all().delete()
    path = f"/api/v1/figures/{hidden['id']}/"
    assert client.patch(path, {"visibility": "public"}, content_type=JSON, **a).status_code == 200
    assert disputed(outsider) == []
    assert client.get(f"/api/v1/figures/{public['id']}/").json()["contested"] is False

    reporting = Citation.objects.get(figure__uuid=hidden["id"], stance=Stance.ASSERTS)
    path = f"/api/v1/citations/{reporting.uuid}/"
    assert client.patch(path, {"visibility": "public"}, content_type=JSON, **a).status_code == 200
    assert disputed(outsider) == sorted([public["id"], hidden["id"]])  # it can see it now
    assert disputed(owner) == []  # nothing new for the owner
    assert client.get(f"/api/v1/figures/{public['id']}/").json()["contested"] is True


def test_moving_an_incidents_visibility_resends_no_dispute_to_those_who_saw_it(
    client, a, partner_b, receiver
):
    watcher = subscribe(partner_b, receiver, events=["figure.disputed", "figure.deleted"])
    incident = IncidentFactory()
    first = post_figure(client, a, incident, value=40)
    second = post_figure(client, a, incident, value=60)
    assert disputed(watcher) == sorted([first["id"], second["id"]])

    def make(visibility):
        WebhookDelivery.objects.all().delete()
        services.record_update(record=incident, fields={"visibility": visibility}, principal=None)

    make(Visibility.PARTNERS)  # every figure's audience moves; B still sees them all
    assert deliveries_of(watcher) == []
    make(Visibility.RESTRICTED)  # staff only now
    assert {event for event, _ in deliveries_of(watcher)} == {"figure.deleted"}
    make(Visibility.PUBLIC)  # back in B's sight, conflict included
    assert disputed(watcher) == sorted([first["id"], second["id"]])


def test_figures_made_by_factories_are_checked_when_their_reporting_citation_arrives(
    partner_a, receiver
):
    watcher = subscribe(partner_a, receiver, events=["figure.disputed"])
    incident = IncidentFactory()
    one = CitationFactory(figure__incident=incident, figure__value=40).figure
    other = CitationFactory(figure__incident=incident, figure__value=41).figure
    assert disputed(watcher) == sorted([str(one.uuid), str(other.uuid)])


# --- cost -------------------------------------------------------------------------------------


def test_writes_cost_one_query_more_without_subscriptions():
    with CaptureQueriesContext(connection) as captured:
        IncidentFactory()
    webhook_queries = [q for q in captured.captured_queries if "webhook" in q["sql"]]
    assert len(webhook_queries) == 1


def test_fan_out_costs_the_same_for_many_subscriptions(receiver):
    def queries_with(count: int) -> int:
        WebhookSubscription.objects.all().delete()
        for index in range(count):
            partner = Partner.objects.create(name=f"Watcher {count}-{index}")
            subscribe(partner, receiver, events=["figure.created", "figure.disputed"])
        incident = IncidentFactory()
        CitationFactory(figure__incident=incident, figure__value=40)
        with CaptureQueriesContext(connection) as captured:
            CitationFactory(figure__incident=incident, figure__value=41)  # a conflict
        assert WebhookDelivery.objects.filter(event_type="figure.disputed").count() >= 2 * count
        return len(captured.captured_queries)

    assert queries_with(12) == queries_with(30)


def test_a_large_write_queues_one_fan_out_task_and_every_delivery_arrives(receiver):
    for index in range(webhooks.FAN_OUT_ABOVE + 2):
        partner = Partner.objects.create(name=f"Watcher {index}")
        subscribe(partner, receiver, events=["incident.created"])
    DBTaskResult.objects.all().delete()
    IncidentFactory()
    [task] = DBTaskResult.objects.all()
    assert task.task_path == "incidents.integration.webhooks.deliver_many"
    run_worker()
    assert len(received(receiver)) == webhooks.FAN_OUT_ABOVE + 2
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"succeeded"}


def test_event_types_cover_every_resource_and_action():
    assert len(webhooks.EVENT_TYPES) == 7 * 3 + 1
    assert {"detainee_group.deleted", "figure.created", "figure.disputed"} <= set(
        webhooks.EVENT_TYPES
    )


# --- the admin --------------------------------------------------------------------------------


def test_staff_create_a_subscription_in_the_admin_and_see_its_secret(staff_client, partner_a):
    response = staff_client.post(
        "/admin/incidents/webhooksubscription/add/",
        {
            "partner": partner_a.pk,
            "url": "https://hooks.example.org/in",
            "events": ["figure.created", "figure.disputed"],
            "description": "",
            "is_active": "on",
        },
    )
    subscription = WebhookSubscription.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"/webhooksubscription/{subscription.pk}/change/")
    assert subscription.events == ["figure.created", "figure.disputed"]
    page = staff_client.get(response["Location"]).content.decode()
    assert subscription.secret in page
    changed = staff_client.post(
        response["Location"],
        {"url": "https://hooks.example.org/new", "events": ["*"], "is_active": "on"},
    )
    assert changed.status_code == 302, changed.context and changed.context["errors"]
    subscription.refresh_from_db()
    assert (subscription.url, subscription.events) == ("https://hooks.example.org/new", ["*"])
    assert staff_client.get("/admin/incidents/webhooksubscription/").status_code == 200


def test_the_admin_refuses_bad_urls_and_event_types(staff_client, partner_a):
    response = staff_client.post(
        "/admin/incidents/webhooksubscription/add/",
        {"partner": partner_a.pk, "url": "ftp://hooks.example.org/", "events": ["nothing"]},
    )
    assert response.status_code == 200
    assert set(response.context["adminform"].form.errors) == {"url", "events"}
    assert WebhookSubscription.objects.count() == 0


def test_admin_actions_pause_resume_and_retry(staff_client, client, a, partner_a, receiver):
    subscription = subscribe(partner_a, receiver, events=["figure.created"])
    changelist = "/admin/incidents/webhooksubscription/"
    staff_client.post(
        changelist, {"action": "pause_subscriptions", "_selected_action": [subscription.pk]}
    )
    subscription.refresh_from_db()
    assert subscription.paused_reason == "Paused by staff (curator)."
    webhooks.resume(subscription)
    post_figure(client, a, IncidentFactory())
    staff_client.post(
        changelist, {"action": "pause_subscriptions", "_selected_action": [subscription.pk]}
    )
    run_worker()
    assert received(receiver) == []  # paused: the delivery waits
    staff_client.post(
        changelist, {"action": "resume_subscriptions", "_selected_action": [subscription.pk]}
    )
    run_worker()
    assert len(received(receiver)) == 1

    delivery = WebhookDelivery.objects.get()
    deliveries = "/admin/incidents/webhookdelivery/"
    assert staff_client.get(deliveries, {"status__exact": "succeeded"}).status_code == 200
    page = staff_client.get(f"{deliveries}{delivery.pk}/change/")
    assert page.status_code == 200
    assert "thanks" in page.content.decode()  # the attempt's response, inline
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.FAILED)
    staff_client.post(deliveries, {"action": "retry_deliveries", "_selected_action": [delivery.pk]})
    run_worker()
    assert len(received(receiver)) == 2
    assert WebhookDelivery.objects.get().attempts == 2


# --- TLS to a pinned address ------------------------------------------------------------------


def self_signed(tmp_path, name: str) -> tuple[str, str]:
    """A certificate for ``name`` (its own CA) and its key, as PEM files."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / f"{name}.pem", tmp_path / f"{name}.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return str(cert_path), str(key_path)


@pytest.mark.parametrize("certificate_for", ["hooks.test", "someone-else.test"])
def test_https_goes_to_the_checked_address_and_verifies_the_host_name(
    tmp_path, monkeypatch, certificate_for
):
    import http.server
    import ssl
    import threading

    seen = []

    class Receiver(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            seen.append(
                (self.headers["Host"], self.rfile.read(int(self.headers["Content-Length"])))
            )
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    cert, key = self_signed(tmp_path, certificate_for)
    server = http.server.HTTPServer(("127.0.0.1", 0), Receiver)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    # The receiver's certificate is trusted as a CA would be; hooks.test resolves to it.
    monkeypatch.setattr(webhooks.certifi, "where", lambda: cert)
    monkeypatch.setattr(webhooks, "_resolve", lambda host, port: ["127.0.0.1"])
    try:
        port = server.server_address[1]
        outcome = webhooks._post(f"https://hooks.test:{port}/in", '{"a": 1}', {"X-T": "1"})
    finally:
        server.shutdown()
    if certificate_for == "hooks.test":
        assert outcome.status_code == 204 and outcome.error == ""
        assert seen == [(f"hooks.test:{port}", b'{"a": 1}')]
    else:  # a certificate for another name: no request is sent, and the partner reads no detail
        assert outcome.status_code is None and outcome.error == "Could not connect."
        assert seen == []
