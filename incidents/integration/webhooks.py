"""Webhooks: partners' endpoints told about the changes they may see, signed, retried, paused.

**Fan-out.** ``incidents.integration.changes.flush`` calls ``queue_events`` with the changes
of a write, inside the write's transaction. Each active, unpaused subscription
of an active partner gets a ``WebhookDelivery`` for each event it chose and may
see, and the delivery task is queued in the same transaction (the database task
backend inserts a row), so a write that rolls back leaves no delivery behind
and a committed one always has its deliveries. One query reads the
subscriptions; the deliveries are built in memory and inserted at once.

**What a partner is told** follows the change feed exactly (``changes.feed``):
a change of a record it could see after the change is ``<record>.<action>``; a
record that has just become visible to it comes as ``<record>.created``, one it
could see before but not after as ``<record>.deleted`` (a tombstone: deleted, or
hidden from it). It is never told about a record it could not see before or
after, so webhooks never reveal the id of a hidden record.

**figure.disputed** is sent for a figure to a subscriber who can see it when, in
one write, the figure gains a reason to be contested (``incidents.reads.contested``)
that this subscriber can see:

1. a citation that denies or disputes the figure becomes readable to them: it
   is created, restored, made visible to them, or its stance changes to
   denies or disputes; or
2. the figure conflicts with a figure of another reporter (same incident,
   group and measure, a different value, dated within ``WINDOW_DAYS`` days,
   both figures and their reporting citations readable to them) and the
   conflict is new: one of the two figures, or its reporting citation, was
   created or restored or has just become visible to them, or its value,
   date, measure, incident or group changed so that the two now conflict
   where they did not before. Both figures get the event. Reporters are
   compared as the subscriber sees them (``incidents.reads.contested``): an
   issuer it may not read counts as unknown and the source stands in for it.
   A change to an issuer alone (made visible or hidden) sends nothing.

It announces a new reason, not a change of state: a figure already contested
for another reason gets it again. Nothing is sent when a reason goes away (the
subscriber sees the citation's or the figure's own event). When a record's
previous state is unknown (records loaded from fixtures have no history), the
rule takes it as changed.

**Delivery.** The ``deliver`` task posts the event to the subscription's URL,
signed per Standard Webhooks (``webhook-id``, ``webhook-timestamp``,
``webhook-signature``). Any 2xx is a success; anything else, redirects
included, is a failure, retried with exponential backoff up to
``WEBHOOK_MAX_ATTEMPTS`` attempts. Every attempt is logged
(``WebhookAttempt``). After ``WEBHOOK_PAUSE_AFTER`` failed attempts in a row
the subscription is paused, with the reason; its deliveries wait, and it gets
no new events, until its owner or staff resumes it. URLs that resolve to
private, loopback, link-local or reserved addresses, in any IPv6 spelling, are
refused unless in ``WEBHOOK_ALLOWED_NETWORKS`` (``destination``); the request
connects to the address that was checked, and a partner reads what happened
(an HTTP status, no answer, no connection), never the socket's error.

See docs/webhooks.md for receivers.
"""

import ipaddress
import json
import logging
import random
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit
from uuid import UUID, uuid4

import certifi
import urllib3
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task
from standardwebhooks import Webhook

from incidents.access import Principal
from incidents.choices import Stance
from incidents.integration.changes import RESOURCES, Audiences, sees, shown_action
from incidents.models import (
    Actor,
    Audience,
    Change,
    ChangeAction,
    Citation,
    DeliveryStatus,
    DetaineeGroup,
    Figure,
    Incident,
    Source,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
)
from incidents.models.integration import new_webhook_secret
from incidents.reads.contested import OBJECTING_STANCES, WINDOW_DAYS, reporter_key
from incidents.writes import sqlbulk

logger = logging.getLogger(__name__)

# The event name of each resource of the change feed.
SINGULAR = {
    "actors": "actor",
    "sources": "source",
    "incidents": "incident",
    "detainee-groups": "detainee_group",
    "figures": "figure",
    "allegations": "allegation",
    "citations": "citation",
}
assert set(SINGULAR) == set(RESOURCES.values()), "every resource of the feed needs an event name"

ACTIONS = (ChangeAction.CREATED, ChangeAction.UPDATED, ChangeAction.DELETED)
DISPUTED = "figure.disputed"
EVENT_TYPES: tuple[str, ...] = (
    *(f"{name}.{action}" for name in SINGULAR.values() for action in ACTIONS),
    DISPUTED,
)
ALL_EVENTS = "*"  # subscribes to every event type, present and future
PING = "ping"  # sent only on request (the test endpoint), whatever the subscription chose

MAX_SUBSCRIPTIONS_PER_PARTNER = 20
MAX_BACKOFF = timedelta(hours=6)
JITTER = 0.1  # each delay is stretched by up to 10%, so retries of many deliveries spread out
DUE_SLACK = timedelta(seconds=1)
RESPONSE_EXCERPT_CHARS = 500
ERROR_CHARS = 500
USER_AGENT = "IncidentRecords-Webhooks/1.0 (+https://www.standardwebhooks.com)"
# Up to this many deliveries of one write get a task each, queued with the write;
# above it one task per 1000 queues theirs, so that a large import adds one row,
# not thousands, to a transaction that holds the change feed's lock.
FAN_OUT_ABOVE = 10
FAN_OUT_CHUNK = 1000


# --- who may see what ------------------------------------------------------------------------


@dataclass(frozen=True)
class _PartnerCredential:
    """What ``Principal`` needs of a token: the partner it speaks for."""

    partner: object


def partner_principal(partner) -> Principal:
    """A partner's principal, as if it called with one of its tokens."""
    return Principal(token=_PartnerCredential(partner))


def _newly_visible(change: Change, principal: Principal) -> bool:
    return shown_action(change, principal) == ChangeAction.CREATED


# --- events and fan-out ----------------------------------------------------------------------


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


@dataclass
class Event:
    """One event; every subscription told about it gets the same id."""

    type: str
    resource: str | None
    record_uuid: UUID | None
    version: int | None
    occurred_at: datetime
    id: UUID = field(default_factory=uuid4)

    def payload(self) -> dict:
        return {
            "id": str(self.id),
            "type": self.type,
            "resource": self.resource,
            "record_id": str(self.record_uuid) if self.record_uuid is not None else None,
            "version": self.version,
            "occurred_at": _iso(self.occurred_at),
        }


def wants(subscription: WebhookSubscription, event_type: str) -> bool:
    return ALL_EVENTS in subscription.events or event_type in subscription.events


class _FanOut:
    """Deliveries of one flush: one per subscription and event, built in memory."""

    def __init__(self, subscriptions):
        self.now = timezone.now()
        principals = {}
        self.targets = [
            (sub, principals.setdefault(sub.partner_id, partner_principal(sub.partner)))
            for sub in subscriptions
        ]
        self.events: dict[object, Event] = {}
        self.sent: set[tuple[int, object]] = set()
        self.deliveries: list[WebhookDelivery] = []

    def add(self, subscription, key, make_event: Callable[[], Event]) -> None:
        if (subscription.pk, key) in self.sent:
            return
        self.sent.add((subscription.pk, key))
        event = self.events.get(key)
        if event is None:
            event = self.events[key] = make_event()
        self.deliveries.append(
            WebhookDelivery(
                subscription=subscription,
                event_id=event.id,
                event_type=event.type,
                payload=event.payload(),
                next_attempt_at=self.now,
            )
        )


def current_token_q() -> Q:
    """Subscriptions whose token is current (or that staff made, with no token)."""
    unexpired = Q(token__expires_at__isnull=True) | Q(token__expires_at__gt=timezone.now())
    return Q(token__isnull=True) | (Q(token__revoked_at__isnull=True) & unexpired)


def active_subscriptions() -> list[WebhookSubscription]:
    """The subscriptions that get new events: active, not paused, of an active partner,
    made with a token that is still current (or by staff)."""
    return list(
        WebhookSubscription.objects.filter(
            current_token_q(), is_active=True, paused_at__isnull=True, partner__is_active=True
        )
        .select_related("partner")
        .order_by("pk")
    )


def _token_gone(subscription: WebhookSubscription) -> str:
    """Why the subscription's token no longer speaks for it, or "" while it does."""
    token = subscription.token
    if token is None:
        return ""
    if token.revoked_at is not None:
        return _("The token that made this subscription was revoked; subscribe again.")
    if token.expires_at is not None and token.expires_at <= timezone.now():
        return _("The token that made this subscription has expired; subscribe again.")
    return ""


@transaction.atomic
def revoke_token(token) -> bool:
    """Revoke a partner's token and pause the subscriptions it made; False if it was already."""
    revoked = (
        type(token)
        .objects.filter(pk=token.pk, revoked_at__isnull=True)
        .update(revoked_at=timezone.now())
    )
    token.refresh_from_db()
    for subscription in token.webhook_subscriptions.filter(paused_at__isnull=True):
        pause(subscription, _token_gone(subscription))
    return bool(revoked)


def queue_events(
    changes: list[Change], *, subscriptions: list[WebhookSubscription] | None = None
) -> list[WebhookDelivery]:
    """Queue the deliveries of a write's changes, in the write's transaction.

    ``subscriptions``: ``active_subscriptions()``, when the caller has read them
    (the change feed does, so as to build its changes only for a subscriber).
    """
    if not changes:
        return []
    if subscriptions is None:
        subscriptions = active_subscriptions()
    if not subscriptions:
        return []
    fan_out = _FanOut(subscriptions)
    for index, change in enumerate(changes):
        name = SINGULAR[change.resource]
        for subscription, principal in fan_out.targets:
            action = shown_action(change, principal)
            if action is None:
                continue
            event_type = f"{name}.{action}"
            if not wants(subscription, event_type):
                continue
            fan_out.add(
                subscription,
                (index, event_type),
                lambda c=change, t=event_type: Event(t, c.resource, c.record_uuid, c.version, c.at),
            )
    disputing = [(s, p) for s, p in fan_out.targets if wants(s, DISPUTED)]
    if disputing:
        for dispute in find_disputes(changes):
            for subscription, principal in disputing:
                if dispute.seen_by(principal):
                    fan_out.add(subscription, (DISPUTED, dispute.figure_uuid), dispute.event)
    return _queue(fan_out.deliveries)


def _queue(deliveries: list[WebhookDelivery]) -> list[WebhookDelivery]:
    if not deliveries:
        return []
    sqlbulk.insert(WebhookDelivery, deliveries)
    enqueue([delivery.pk for delivery in deliveries])
    return deliveries


def enqueue(delivery_ids: list[int]) -> None:
    """Queue the delivery tasks (in the caller's transaction: the task backend is the database)."""
    if len(delivery_ids) <= FAN_OUT_ABOVE:
        for delivery_id in delivery_ids:
            deliver.enqueue(delivery_id)
        return
    for start in range(0, len(delivery_ids), FAN_OUT_CHUNK):
        deliver_many.enqueue(delivery_ids[start : start + FAN_OUT_CHUNK])


# --- figure.disputed -------------------------------------------------------------------------


@dataclass
class Dispute:
    """A figure that gained a reason to be contested, and who can see that reason."""

    figure_uuid: UUID
    figure_version: int
    at: datetime
    seen_by: Callable[[Principal], bool]

    def event(self) -> Event:
        return Event(DISPUTED, "figures", self.figure_uuid, self.figure_version, self.at)


@dataclass(frozen=True)
class _Figure:
    """What the contested rule compares, of a figure now or at its previous version."""

    pk: int
    incident_id: int
    group_id: int | None
    measure: str
    value: int | None
    as_of: date

    def conflicts(self, other: "_Figure") -> bool:
        """The value rule of ``incidents.reads.contested``, but for the reporters.

        Whether the two reporters differ depends on who is looking (``_Asserted.reporter``).
        """
        return (
            self.pk != other.pk
            and self.incident_id == other.incident_id
            and self.group_id == other.group_id
            and self.measure == other.measure
            and self.value is not None
            and other.value is not None
            and self.value != other.value
            and abs(self.as_of - other.as_of) <= timedelta(days=WINDOW_DAYS)
        )


@dataclass
class _Asserted:
    """A live figure with a number, and its live reporting citation."""

    figure: _Figure
    uuid: UUID
    version: int
    citation_pk: int
    source_id: int
    issuer_id: int | None

    def reporter(self, principal: Principal, audiences: Audiences) -> int:
        """``reporter_key`` as ``principal`` sees it: a hidden issuer is unknown."""
        issuer = self.issuer_id
        if issuer is not None:
            seen = audiences.of(Actor, issuer)
            if not sees(principal, seen.level, seen.owner_id):
                issuer = None
        return reporter_key(issuer, self.source_id)


@dataclass
class _Checked:
    """A figure whose conflicts a write may have created, and how it changed."""

    fresh: bool = False  # the figure or its reporting citation was created or restored
    updated: bool = False  # the figure itself was saved (its compared fields may differ)
    previous: _Figure | None = None  # its compared fields before, if its history has them
    changes: list = field(default_factory=list)  # the changes of it and its citation

    def conflict_is_new(self, me: "_Asserted", other: "_Asserted") -> bool:
        """Whether the two did not conflict before this write (unknown: assume not).

        Their reporters are what they were (only figures' fields are compared), so
        only the values can have made the conflict new.
        """
        if self.fresh:
            return True
        if not self.updated:
            return False  # only its reporting citation changed: same values, same conflicts
        return self.previous is None or not self.previous.conflicts(other.figure)


def _chunks(items: list, size: int = 500):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _previous_versions(model, changes_by_pk: dict[int, Change], fields: list[str]) -> dict:
    """The history entry of each record at the version before its change."""
    history = model.history.model
    found = {}
    for chunk in _chunks(list(changes_by_pk.items()), 200):
        condition = Q()
        for pk, change in chunk:
            condition |= Q(id=pk, version=change.version - 1)
        for row in history.objects.filter(condition).order_by("history_id").values("id", *fields):
            found[row["id"]] = row
    return found


def _saved(resource: str, changes_by_uuid: dict[UUID, Change]) -> set[UUID]:
    """The records among these whose version moved since their previous change.

    The others were not saved in this write: only their audience moved with a
    container's (``changes._cascade``), and their fields are as they were.
    """
    if not changes_by_uuid:
        return set()
    if any(change.seq is None for change in changes_by_uuid.values()):
        return set(changes_by_uuid)  # a database that does not return ids: assume saved
    first = min(change.seq for change in changes_by_uuid.values())
    previous = {}
    for chunk in _chunks(list(changes_by_uuid)):
        latest = (
            Change.objects.filter(resource=resource, record_uuid__in=chunk, seq__lt=first)
            .values("record_uuid")
            .annotate(top=Max("seq"))
            .values("top")
        )
        for record_uuid, version in Change.objects.filter(seq__in=latest).values_list(
            "record_uuid", "version"
        ):
            previous[record_uuid] = version
    return {
        record_uuid
        for record_uuid, change in changes_by_uuid.items()
        if previous.get(record_uuid) != change.version
    }


def _is_new(change: Change) -> bool:
    """Created or restored: nobody could read it before."""
    return change.previous_audience == Audience.NOBODY


def find_disputes(changes: list[Change]) -> list[Dispute]:
    """The figures these changes gave a new reason to be contested (see the module docstring)."""
    citation_changes = {
        c.record_uuid: c
        for c in changes
        if c.resource == "citations" and c.audience != Audience.NOBODY
    }
    figure_changes = {
        c.record_uuid: c
        for c in changes
        if c.resource == "figures" and c.audience != Audience.NOBODY
    }
    if not citation_changes and not figure_changes:
        return []
    at = changes[0].at
    disputes: list[Dispute] = []
    checked: dict[int, _Checked] = {}

    # 1. Citations: objections that became readable, reporting citations that may add conflicts.
    citations = []
    for chunk in _chunks(list(citation_changes)):
        citations += Citation.objects.filter(
            uuid__in=chunk, figure__isnull=False, deleted_at__isnull=True
        ).values("pk", "uuid", "stance", "figure_id", "figure__uuid", "figure__version")
    kept = {
        row["uuid"]: citation_changes[row["uuid"]]
        for row in citations
        if row["stance"] in OBJECTING_STANCES and not _is_new(citation_changes[row["uuid"]])
    }
    saved = _saved("citations", kept)
    updated = {row["pk"]: kept[row["uuid"]] for row in citations if row["uuid"] in saved}
    before = _previous_versions(Citation, updated, ["stance"]) if updated else {}
    for row in citations:
        change = citation_changes[row["uuid"]]
        if row["stance"] in OBJECTING_STANCES:
            previous = before.get(row["pk"])
            stance_new = _is_new(change) or (
                row["uuid"] in saved
                and (previous is None or previous["stance"] not in OBJECTING_STANCES)
            )
            disputes.append(
                Dispute(
                    row["figure__uuid"],
                    row["figure__version"],
                    at,
                    lambda p, c=change, new=stance_new: (
                        sees(p, c.audience, c.audience_owner_id) and (new or _newly_visible(c, p))
                    ),
                )
            )
        elif row["stance"] == Stance.ASSERTS:
            entry = checked.setdefault(row["figure_id"], _Checked())
            entry.fresh = entry.fresh or _is_new(change)
            entry.changes.append(change)

    # 2. Figures whose value, date or place changed: what they were before.
    compared = ["incident_id", "group_id", "measure", "value", "as_of"]
    figures = []
    for chunk in _chunks(list(figure_changes)):
        figures += Figure.objects.filter(
            uuid__in=chunk, deleted_at__isnull=True, value__isnull=False
        ).values("pk", "uuid")
    saved = _saved(
        "figures",
        {
            row["uuid"]: figure_changes[row["uuid"]]
            for row in figures
            if not _is_new(figure_changes[row["uuid"]])
        },
    )
    for row in figures:
        change = figure_changes[row["uuid"]]
        entry = checked.setdefault(row["pk"], _Checked())
        entry.fresh = entry.fresh or _is_new(change)
        entry.updated = _is_new(change) or row["uuid"] in saved
        entry.changes.append(change)
    updated = {
        row["pk"]: figure_changes[row["uuid"]]
        for row in figures
        if checked[row["pk"]].updated and not checked[row["pk"]].fresh
    }
    for pk, row in (_previous_versions(Figure, updated, compared) if updated else {}).items():
        checked[pk].previous = _Figure(pk=pk, **{name: row[name] for name in compared})
    if not checked:
        return disputes

    # 3. Every live figure with a number that could conflict with one of them, in one query.
    mine = {
        row["pk"]: row
        for row in Figure.objects.filter(
            pk__in=list(checked), deleted_at__isnull=True, value__isnull=False
        ).values("pk", "incident_id", "measure", "as_of")
    }
    if not mine:
        return disputes
    window = timedelta(days=WINDOW_DAYS)
    earliest = min(row["as_of"] for row in mine.values())
    latest = max(row["as_of"] for row in mine.values())
    neighbours = Citation.objects.filter(
        stance=Stance.ASSERTS,
        deleted_at__isnull=True,
        figure__deleted_at__isnull=True,
        figure__value__isnull=False,
        figure__incident_id__in={row["incident_id"] for row in mine.values()},
        figure__measure__in={row["measure"] for row in mine.values()},
        # Clamped: a figure dated near year 1 or 9999 must not overflow.
        figure__as_of__gte=earliest - min(window, earliest - date.min),
        figure__as_of__lte=latest + min(window, date.max - latest),
    ).values(
        "pk",
        "source_id",
        "source__issuer_id",
        "figure_id",
        "figure__uuid",
        "figure__version",
        "figure__incident_id",
        "figure__group_id",
        "figure__measure",
        "figure__value",
        "figure__as_of",
    )
    asserted: dict[int, _Asserted] = {}
    for row in neighbours.order_by("figure_id", "pk"):
        asserted.setdefault(
            row["figure_id"],
            _Asserted(
                figure=_Figure(
                    pk=row["figure_id"],
                    incident_id=row["figure__incident_id"],
                    group_id=row["figure__group_id"],
                    measure=row["figure__measure"],
                    value=row["figure__value"],
                    as_of=row["figure__as_of"],
                ),
                uuid=row["figure__uuid"],
                version=row["figure__version"],
                citation_pk=row["pk"],
                source_id=row["source_id"],
                issuer_id=row["source__issuer_id"],
            ),
        )
    by_slot: dict[tuple, list[_Asserted]] = {}
    for item in asserted.values():
        slot = (item.figure.incident_id, item.figure.group_id, item.figure.measure)
        by_slot.setdefault(slot, []).append(item)

    pairs = []
    for pk, entry in checked.items():
        me = asserted.get(pk)
        if me is None:
            continue
        slot = (me.figure.incident_id, me.figure.group_id, me.figure.measure)
        for other in by_slot.get(slot, ()):
            # One source is one reporter to everyone; two sources of one issuer are
            # one reporter only to those who may read the issuer (``seen_by``).
            if me.source_id == other.source_id or not me.figure.conflicts(other.figure):
                continue
            pairs.append((me, other, entry.conflict_is_new(me, other), entry.changes))
    if not pairs:
        return disputes

    # 4. Who can read both reporting citations (and so both figures), and sees two reporters.
    audiences = _citation_audiences({c.citation_pk for pair in pairs for c in pair[:2]})
    audiences.load(Actor, list({c.issuer_id for pair in pairs for c in pair[:2] if c.issuer_id}))
    for me, other, values_new, my_changes in pairs:
        mine_seen = audiences.of(Citation, me.citation_pk)
        theirs_seen = audiences.of(Citation, other.citation_pk)

        def seen_by(
            p, a=mine_seen, b=theirs_seen, me=me, other=other, new=values_new, moved=my_changes
        ):
            return (
                sees(p, a.level, a.owner_id)
                and sees(p, b.level, b.owner_id)
                and me.reporter(p, audiences) != other.reporter(p, audiences)
                and (new or any(_newly_visible(c, p) for c in moved))
            )

        disputes.append(Dispute(me.uuid, me.version, at, seen_by))
        disputes.append(Dispute(other.uuid, other.version, at, seen_by))
    return disputes


def _citation_audiences(citation_pks: set[int]) -> Audiences:
    """``changes.Audiences`` with these citations and their containers loaded level by level."""
    audiences = Audiences()
    audiences.load(Citation, list(citation_pks))

    def ids(model, name):
        return {
            row[f"{name}_id"]
            for (kind, _), row in audiences.rows.items()
            if kind is model and row is not None and row[f"{name}_id"] is not None
        }

    audiences.load(Source, list(ids(Citation, "source")))
    audiences.load(Figure, list(ids(Citation, "figure")))
    audiences.load(DetaineeGroup, list(ids(Figure, "group")))
    audiences.load(Incident, list(ids(Figure, "incident") | ids(DetaineeGroup, "incident")))
    return audiences


# --- subscriptions: what the API and the admin call ------------------------------------------


# IPv6 spellings of an IPv4 address (NAT64, 6to4, Teredo, IPv4-compatible): a
# loopback or private IPv4 address hides behind an IPv6 address that looks global.
NAT64 = ipaddress.ip_network("64:ff9b::/96")
# Local-use NAT64 (RFC 8215): never global, whatever the ipaddress module says.
NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    if ip.ipv4_mapped is not None:
        return [ip.ipv4_mapped]
    if ip.sixtofour is not None:
        return [ip.sixtofour]
    if ip.teredo is not None:
        return list(ip.teredo)
    if ip in NAT64 or int(ip) >> 32 == 0:  # NAT64, and ::a.b.c.d (IPv4-compatible)
        return [ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)]
    return []


def _public_address(ip) -> bool:
    """Whether ``ip`` (an address, or its text), and any IPv4 address it wraps, is public."""
    if isinstance(ip, str):
        ip = ipaddress.ip_address(ip.split("%")[0])
    if not ip.is_global or ip.is_multicast:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        if ip in NAT64_LOCAL:
            return False
        return all(_public_address(inner) for inner in _embedded_ipv4(ip))
    return True


def _allowed(ip) -> bool:
    """Public, or in ``WEBHOOK_ALLOWED_NETWORKS`` (receivers on the operator's own network)."""
    networks = settings.WEBHOOK_ALLOWED_NETWORKS
    return _public_address(ip) or any(ip.version == n.version and ip in n for n in networks)


def _resolve(host: str, port: int) -> list[str]:
    """The addresses ``host`` resolves to (tests replace this)."""
    return [info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]


class Refused(Exception):
    """The URL may not receive webhooks: no retry will change that."""

    @classmethod
    def of(cls, host: str) -> "Refused":
        return cls(
            _(
                "%(host)s does not resolve to a public address; webhooks are sent to public "
                "addresses only."
            )
            % {"host": host}
        )


@dataclass(frozen=True)
class Destination:
    """Where a webhook goes: the URL's parts, and the checked addresses it is sent to.

    The request connects to one of ``addresses`` itself, never to the host name
    resolved again: a DNS server that answered a public address for the check could
    answer a private one for the connection (DNS rebinding). TLS is still verified
    against the host name.
    """

    https: bool
    host: str
    port: int
    host_header: str
    target: str  # path and query
    addresses: tuple[str, ...]


def destination(url: str) -> Destination:
    """The URL's destination, every address of it checked.

    Raises ``Refused`` when the host resolves to an address that is neither public
    nor allowed (``WEBHOOK_ALLOWED_NETWORKS``, whatever ``DEBUG`` says), and
    ``OSError`` when it does not resolve. The message names the host only: the
    addresses it resolves to on the server's network are none of a partner's business.
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    https = parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    checked = []
    for address in _resolve(host, port):
        ip = ipaddress.ip_address(address.split("%")[0])
        if not _allowed(ip):
            raise Refused.of(host)
        checked.append(str(ip))
    if not checked:
        raise OSError(f"{host} has no address")
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Destination(https, host, port, parts.netloc.rpartition("@")[2], target, tuple(checked))


def check_url(url: str) -> str:
    """The URL, if it may receive webhooks; ``ValidationError`` (on ``url``) if not."""

    def refuse(message):
        raise ValidationError({"url": [message]})

    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises ValueError for a port out of range)
    except ValueError:
        refuse(_("Enter a valid URL."))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        refuse(_("Enter an http or https URL with a host name."))
    if parts.username is not None or parts.password is not None:
        refuse(_("Leave credentials out of the URL; check the signature of each request instead."))
    allow_http = settings.DEBUG or bool(settings.WEBHOOK_ALLOWED_NETWORKS)
    if parts.scheme == "http" and not allow_http:
        refuse(_("Use an https URL: events are sent over TLS only."))
    try:
        destination(url)
    except Refused as error:
        refuse(str(error))
    except (OSError, UnicodeError, ValueError):
        # The same words as a private address: which names the server's own DNS
        # knows (db.internal, say) is nobody's business either.
        refuse(str(Refused.of(parts.hostname)))
    return url


def clean_events(events) -> list[str]:
    """The event types, each known (or ``*``), without repeats; ``ValidationError`` if not."""
    if not isinstance(events, list | tuple) or not events:
        raise ValidationError({"events": [_("Choose at least one event type, or '*' for all.")]})
    unknown = [str(e)[:64] for e in events if e != ALL_EVENTS and e not in EVENT_TYPES]
    if unknown:
        raise ValidationError(
            {
                "events": [
                    _("Unknown event type %(unknown)s; choose among %(known)s, or '*' for all.")
                    % {
                        "unknown": ", ".join(repr(e) for e in unknown),
                        "known": ", ".join(EVENT_TYPES),
                    }
                ]
            }
        )
    return list(dict.fromkeys(events))


def _validated(fields: dict) -> dict:
    """``fields`` with url checked and events cleaned; every error at once."""
    cleaned, errors = dict(fields), {}
    if "url" in fields:
        try:
            check_url(fields["url"])
        except ValidationError as error:
            errors.update(error.message_dict)
    if "events" in fields:
        try:
            cleaned["events"] = clean_events(fields["events"])
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def create_subscription(
    *, partner, url: str, events, description: str = "", is_active: bool = True, token=None
) -> WebhookSubscription:
    """A new subscription of ``partner``, with a new secret (read it from the result).

    ``token`` is the partner's token that asked for it (None when staff do): the
    subscription lives as long as that token does.
    """
    fields = _validated({"url": url, "events": events})
    # Lock the partner, so that two concurrent requests cannot both take the last place.
    type(partner).objects.select_for_update().filter(pk=partner.pk).first()
    if partner.webhook_subscriptions.count() >= MAX_SUBSCRIPTIONS_PER_PARTNER:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    _(
                        "A partner may have up to %(max)d subscriptions; delete one first, or "
                        "subscribe one endpoint to several event types."
                    )
                    % {"max": MAX_SUBSCRIPTIONS_PER_PARTNER}
                ]
            }
        )
    return WebhookSubscription.objects.create(
        partner=partner, token=token, description=description, is_active=is_active, **fields
    )


@transaction.atomic
def update_subscription(subscription: WebhookSubscription, **fields) -> WebhookSubscription:
    """Change url, events, description or is_active; turning it back on sends what waited."""
    fields = _validated(fields)
    locked = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
    reactivated = fields.get("is_active") is True and not locked.is_active
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save()
    if reactivated and locked.paused_at is None:
        _send_waiting(locked)
    return locked


def delete_subscription(subscription: WebhookSubscription) -> None:
    """Delete it, with its deliveries and their log; queued tasks find nothing and stop."""
    subscription.delete()


def rotate_secret(subscription: WebhookSubscription) -> str:
    """Replace the signing secret; the next request is signed with the new one."""
    secret = new_webhook_secret()
    WebhookSubscription.objects.filter(pk=subscription.pk).update(
        secret=secret, updated_at=timezone.now()
    )
    subscription.secret = secret
    return secret


def pause(subscription: WebhookSubscription, reason: str) -> bool:
    """Pause it (no new events, deliveries wait); False if it was paused already."""
    paused = WebhookSubscription.objects.filter(pk=subscription.pk, paused_at__isnull=True).update(
        paused_at=timezone.now(), paused_reason=reason, updated_at=timezone.now()
    )
    subscription.refresh_from_db()
    return bool(paused)


@transaction.atomic
def resume(subscription: WebhookSubscription) -> int:
    """Clear the pause and the failure count, and send what waited; the number re-queued.

    ``ValidationError`` if the token that made it is revoked or expired: nothing
    can resume it then, as nothing can speak for that token any more.
    """
    gone = _token_gone(subscription)
    if gone:
        raise ValidationError({NON_FIELD_ERRORS: [gone]})
    WebhookSubscription.objects.filter(pk=subscription.pk).update(
        paused_at=None, paused_reason="", consecutive_failures=0, updated_at=timezone.now()
    )
    subscription.refresh_from_db()
    if not subscription.is_active:
        return 0
    return _send_waiting(subscription)


def _send_waiting(subscription: WebhookSubscription) -> int:
    waiting = subscription.deliveries.filter(status=DeliveryStatus.PENDING)
    ids = list(waiting.order_by("created_at", "pk").values_list("pk", flat=True))
    waiting.update(next_attempt_at=timezone.now())
    enqueue(ids)
    return len(ids)


@transaction.atomic
def send_ping(subscription: WebhookSubscription) -> WebhookDelivery:
    """Queue a ``ping`` event to this subscription alone (it waits while paused or off)."""
    event = Event(PING, None, None, None, timezone.now())
    delivery = WebhookDelivery.objects.create(
        subscription=subscription,
        event_id=event.id,
        event_type=PING,
        payload=event.payload(),
        next_attempt_at=event.occurred_at,
    )
    enqueue([delivery.pk])
    return delivery


@transaction.atomic
def retry_now(deliveries) -> int:
    """Try these deliveries again now (one more attempt for those that failed for good)."""
    ids = list(deliveries.exclude(status=DeliveryStatus.SUCCEEDED).values_list("pk", flat=True))
    WebhookDelivery.objects.filter(pk__in=ids).update(
        status=DeliveryStatus.PENDING, next_attempt_at=timezone.now()
    )
    enqueue(ids)
    return len(ids)


# --- delivering ------------------------------------------------------------------------------


def backoff(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failed attempt: doubling, capped, jittered."""
    base = settings.WEBHOOK_BACKOFF_SECONDS * 2 ** min(attempts - 1, 32)
    delay = min(timedelta(seconds=base), MAX_BACKOFF)
    return delay * (1 + random.uniform(0, JITTER))  # not cryptographic


def body_of(payload: dict) -> str:
    """The request body: the payload as compact JSON, its keys in a fixed order."""
    order = ["id", "type", "resource", "record_id", "version", "occurred_at"]
    ordered = {key: payload[key] for key in order if key in payload}
    ordered.update((key, value) for key, value in payload.items() if key not in ordered)
    return json.dumps(ordered, separators=(",", ":"), ensure_ascii=False)


def signed_headers(secret: str, event_id: str, body: str, moment: datetime) -> dict[str, str]:
    """The Standard Webhooks headers of one request, and the plain ones."""
    return {
        "webhook-id": event_id,
        "webhook-timestamp": str(int(moment.timestamp())),
        "webhook-signature": Webhook(secret).sign(msg_id=event_id, timestamp=moment, data=body),
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
    }


@dataclass
class _Outcome:
    status_code: int | None = None
    error: str = ""
    excerpt: str = ""
    duration_ms: int = 0
    permanent: bool = False  # no retry can help

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def _clean(text: str, limit: int) -> str:
    return text.replace("\x00", "")[:limit]


def _connect_and_post(where: Destination, body: bytes, headers: dict):
    """POST to the first of the checked addresses that accepts a connection.

    The connection goes to the address itself (never the host name resolved again);
    the ``Host`` header and TLS (certificate and SNI) still use the host name.
    """
    timeout = urllib3.Timeout(connect=settings.WEBHOOK_TIMEOUT, read=settings.WEBHOOK_TIMEOUT)
    failure: Exception | None = None
    for address in where.addresses:
        if where.https:
            pool = urllib3.HTTPSConnectionPool(
                address,
                where.port,
                timeout=timeout,
                retries=False,
                server_hostname=where.host,
                assert_hostname=where.host,
                cert_reqs="CERT_REQUIRED",
                ca_certs=certifi.where(),
            )
        else:
            pool = urllib3.HTTPConnectionPool(address, where.port, timeout=timeout, retries=False)
        try:
            return pool.urlopen(
                "POST",
                where.target,
                body=body,
                headers={**headers, "Host": where.host_header},
                redirect=False,
                retries=False,
                assert_same_host=False,
                preload_content=False,
            )
        except (urllib3.exceptions.NewConnectionError, urllib3.exceptions.ConnectTimeoutError) as e:
            failure = e  # the next address, as a browser would
    raise failure


def _post(url: str, body: str, headers: dict) -> _Outcome:
    """One attempt. A partner reads ``error``: it says what happened (an HTTP status, no
    answer in time, no connection), never the socket's own words, which would make
    the webhooks a scanner of the ports of whatever host a URL names."""
    started = time.monotonic()
    outcome = _Outcome()
    try:
        response = _connect_and_post(destination(url), body.encode(), headers)
        try:
            outcome.status_code = response.status
            raw = response.read(RESPONSE_EXCERPT_CHARS * 4, decode_content=True) or b""
            outcome.excerpt = _clean(raw.decode("utf-8", "replace"), RESPONSE_EXCERPT_CHARS)
        finally:
            response.release_conn()
        if not outcome.ok:
            outcome.error = f"HTTP {outcome.status_code}"
            if 300 <= outcome.status_code < 400:
                outcome.error += " (a redirect; redirects are not followed)"
    except Refused as error:
        outcome.error, outcome.permanent = f"Refused: {error}", True
    except urllib3.exceptions.NewConnectionError as error:  # (a subclass of TimeoutError)
        logger.info("webhook to %s: %r", url, error)
        outcome.error = "Could not connect."
    except (urllib3.exceptions.TimeoutError, TimeoutError) as error:
        logger.info("webhook to %s: %r", url, error)
        outcome.error = f"No response within {settings.WEBHOOK_TIMEOUT} s."
    except (OSError, UnicodeError, ValueError, urllib3.exceptions.HTTPError) as error:
        # Refused, reset, no route, a TLS failure, a host that does not resolve: one answer.
        logger.info("webhook to %s: %r", url, error)
        outcome.error = "Could not connect."
    except Exception as error:  # never crash the worker
        logger.exception("webhook to %s", url)
        outcome.error = f"Request failed ({type(error).__name__})."
    outcome.error = _clean(outcome.error, ERROR_CHARS)
    outcome.duration_ms = int((time.monotonic() - started) * 1000)
    return outcome


def _pause_reason(failures: int, outcome: _Outcome, url: str) -> str:
    last = f"HTTP {outcome.status_code} from {url}" if outcome.status_code else outcome.error
    return (
        f"Paused after {failures} failed attempts in a row; the last: {last}. Fix the endpoint, "
        "then resume the subscription: its waiting deliveries will be sent."
    )


@task()
def deliver(delivery_id: int) -> str:
    """Make one attempt at a delivery, if it is due; queue the next one if it fails.

    Safe to run twice: an attempt is claimed by a conditional update of the
    attempt count, so two runs never send the same attempt, and a delivery that
    succeeded, or that is not due yet (a duplicate task), is left alone.
    """
    delivery = (
        WebhookDelivery.objects.select_related("subscription__partner", "subscription__token")
        .filter(pk=delivery_id)
        .first()
    )
    if delivery is None:
        return "skipped: no such delivery (its subscription was deleted)"
    if delivery.status != DeliveryStatus.PENDING:
        return f"skipped: {delivery.status}"
    subscription = delivery.subscription
    gone = _token_gone(subscription)
    if gone:
        pause(subscription, gone)
        return "skipped: the subscription's token is revoked or expired; it is paused"
    if (
        subscription.paused_at is not None
        or not subscription.is_active
        or not subscription.partner.is_active
    ):
        return "skipped: the subscription is paused or off, or its partner suspended; it waits"
    now = timezone.now()
    if delivery.next_attempt_at is not None and delivery.next_attempt_at > now + DUE_SLACK:
        return "skipped: not due yet"
    number = delivery.attempts + 1
    claimed = WebhookDelivery.objects.filter(
        pk=delivery.pk, status=DeliveryStatus.PENDING, attempts=delivery.attempts
    ).update(attempts=number, next_attempt_at=None)
    if not claimed:
        return "skipped: another run made this attempt"

    body = body_of(delivery.payload)
    try:
        headers = signed_headers(subscription.secret, str(delivery.event_id), body, now)
    except Exception as error:  # a secret that is not base64: nothing a retry can fix
        outcome = _Outcome(error=f"Cannot sign: {error}; rotate the secret.", permanent=True)
    else:
        outcome = _post(subscription.url, body, headers)
    return _record(delivery, subscription, number, outcome)


@task()
def deliver_many(delivery_ids: list[int]) -> int:
    """Queue one ``deliver`` task per delivery (for the deliveries of a large write)."""
    with transaction.atomic():
        for delivery_id in delivery_ids:
            deliver.enqueue(delivery_id)
    return len(delivery_ids)


@transaction.atomic
def _record(delivery, subscription, number: int, outcome: _Outcome) -> str:
    if not WebhookDelivery.objects.select_for_update().filter(pk=delivery.pk).exists():
        return "dropped: the subscription was deleted meanwhile"
    now = timezone.now()
    WebhookAttempt.objects.create(
        delivery=delivery,
        number=number,
        at=now,
        status_code=outcome.status_code,
        error=outcome.error,
        duration_ms=outcome.duration_ms,
        response_excerpt=outcome.excerpt,
    )
    deliveries = WebhookDelivery.objects.filter(pk=delivery.pk)
    subscriptions = WebhookSubscription.objects.filter(pk=subscription.pk)
    if outcome.ok:
        deliveries.update(
            status=DeliveryStatus.SUCCEEDED, delivered_at=now, last_error="", next_attempt_at=None
        )
        subscriptions.exclude(consecutive_failures=0).update(consecutive_failures=0)
        return f"succeeded: HTTP {outcome.status_code}"

    subscriptions.update(consecutive_failures=F("consecutive_failures") + 1)
    failures = subscriptions.values_list("consecutive_failures", flat=True).first() or 0
    if failures >= settings.WEBHOOK_PAUSE_AFTER:
        subscriptions.filter(paused_at__isnull=True).update(
            paused_at=now, paused_reason=_pause_reason(failures, outcome, subscription.url)
        )
    if outcome.permanent or number >= settings.WEBHOOK_MAX_ATTEMPTS:
        deliveries.update(status=DeliveryStatus.FAILED, last_error=outcome.error)
        return f"failed for good after {number} attempts: {outcome.error}"
    when = now + backoff(number)
    deliveries.update(last_error=outcome.error, next_attempt_at=when)
    deliver.using(run_after=when).enqueue(delivery.pk)
    return f"attempt {number} failed ({outcome.error}); next at {_iso(when)}"
