"""What partner systems integrate through: the change feed, webhooks, bulk imports."""

import base64
import secrets
from uuid import uuid4

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    """Who could read a record after a change: its own visibility and its containers'."""

    PUBLIC = "public", _("Public")
    PARTNERS = "partners", _("Partners")
    RESTRICTED = "restricted", _("Restricted")
    NOBODY = "none", _("Nobody (deleted)")


class ChangeAction(models.TextChoices):
    CREATED = "created", _("Created")
    UPDATED = "updated", _("Updated")
    DELETED = "deleted", _("Deleted")


class Change(models.Model):
    """One create, update or delete of a record: a line of the change feed.

    ``seq`` orders the feed. Changes are written at the end of their transaction
    under a lock (see ``incidents.integration.changes``), so sequence order is commit order
    and a reader who has seen ``seq`` N will never later find a new change
    below N.

    ``audience`` is who could read the record after the change (a snapshot, so
    that the feed can show each caller the changes it could see then), and
    ``previous_audience`` who could read it before. A caller who could see it
    before but not after gets a tombstone: the record was deleted, or hidden
    from it, which for a mirror is the same thing.
    """

    seq = models.BigAutoField(primary_key=True)
    resource = models.CharField(_("resource"), max_length=32)
    record_uuid = models.UUIDField(_("record id"))
    action = models.CharField(_("action"), max_length=16, choices=ChangeAction.choices)
    version = models.PositiveIntegerField(_("version"))
    at = models.DateTimeField(_("at"), default=timezone.now)
    audience = models.CharField(_("audience"), max_length=16, choices=Audience.choices)
    # For a restricted audience: the one partner that may read it (null: staff only).
    audience_owner_id = models.BigIntegerField(_("audience owner"), null=True, blank=True)
    previous_audience = models.CharField(
        _("previous audience"), max_length=16, choices=Audience.choices, default=Audience.NOBODY
    )
    previous_audience_owner_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["resource", "record_uuid", "seq"], name="change_record_idx"),
        ]

    def __str__(self):
        return f"#{self.seq} {self.resource} {self.record_uuid} {self.action} v{self.version}"


def new_webhook_secret() -> str:
    """A Standard Webhooks secret: ``whsec_`` and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


class WebhookSubscription(models.Model):
    """A partner's endpoint, told about the events it chose, signed with its own secret.

    A subscription that keeps failing is paused (``paused_at``, ``paused_reason``)
    until its owner or staff resumes it; deliveries wait meanwhile. One a partner's
    token made belongs to that token: once it is revoked or expires, the
    subscription gets no events, and is paused until subscribed again.
    """

    uuid = models.UUIDField(_("public id"), default=uuid4, unique=True, editable=False)
    partner = models.ForeignKey(
        "incidents.Partner",
        verbose_name=_("partner"),
        on_delete=models.CASCADE,
        related_name="webhook_subscriptions",
    )
    token = models.ForeignKey(
        "incidents.ApiToken",
        verbose_name=_("token"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,  # revoke a token rather than delete it
        related_name="webhook_subscriptions",
        editable=False,
        help_text=_(
            "The partner's token that made it: revoked or expired, the subscription "
            "gets no events and is paused. Empty when staff made it."
        ),
    )
    url = models.URLField(_("URL"), max_length=500)
    events = models.JSONField(
        _("events"), default=list, help_text=_("Event types, e.g. figure.created, figure.disputed.")
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    secret = models.CharField(_("signing secret"), max_length=100, default=new_webhook_secret)
    is_active = models.BooleanField(_("active"), default=True)
    paused_at = models.DateTimeField(_("paused"), null=True, blank=True)
    paused_reason = models.TextField(_("why paused"), blank=True)
    consecutive_failures = models.PositiveIntegerField(_("consecutive failures"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["partner", "url"]
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")

    def __str__(self):
        return f"{self.partner}: {self.url}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUCCEEDED = "succeeded", _("Delivered")
    FAILED = "failed", _("Failed")


class WebhookDelivery(models.Model):
    """One event for one subscription, queued in the transaction of the change it reports."""

    uuid = models.UUIDField(_("public id"), default=uuid4, unique=True, editable=False)
    subscription = models.ForeignKey(
        WebhookSubscription,
        verbose_name=_("subscription"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    event_id = models.UUIDField(_("event id"), default=uuid4)
    event_type = models.CharField(_("event"), max_length=64)
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [models.Index(fields=["subscription", "status"], name="delivery_status_idx")]

    def __str__(self):
        return f"{self.event_type} → {self.subscription.url}"


class WebhookAttempt(models.Model):
    """One HTTP request of a delivery: what the receiver answered, or why it failed."""

    delivery = models.ForeignKey(
        WebhookDelivery, verbose_name=_("delivery"), on_delete=models.CASCADE, related_name="log"
    )
    number = models.PositiveIntegerField(_("attempt"))
    at = models.DateTimeField(_("at"), default=timezone.now)
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    response_excerpt = models.TextField(_("response (start)"), blank=True)

    class Meta:
        ordering = ["delivery", "number"]
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")

    def __str__(self):
        return f"{self.delivery} #{self.number}"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class ImportJob(models.Model):
    """A bulk import: its input, its progress, and its per-row report.

    Small batches run within the request; large ones are queued and run by
    the task worker, and the client follows this job's progress. The input
    is kept until the job has run (an admin preview's until it is confirmed);
    the job and its report for ``IMPORT_RETENTION_DAYS`` after it finished.
    """

    uuid = models.UUIDField(_("public id"), default=uuid4, unique=True, editable=False)
    partner = models.ForeignKey(
        "incidents.Partner",
        verbose_name=_("partner"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    token_prefix = models.CharField(_("token"), max_length=16, blank=True)
    # The channel it came through (api or admin), for the history its writes leave.
    via = models.CharField(_("through"), max_length=16, default="api")
    resource = models.CharField(_("resource"), max_length=32)
    format = models.CharField(_("format"), max_length=16)
    dry_run = models.BooleanField(_("dry run"), default=False)
    reason = models.CharField(_("reason"), max_length=100, blank=True)
    # The batch, as sent, in the import storage (settings.STORAGES["imports"]) until the job
    # has run: a name there, not the bytes, so that a large batch is never one database value.
    payload_file = models.CharField(_("stored batch"), max_length=255, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    created = models.PositiveIntegerField(pgettext_lazy("records", "created"), default=0)
    updated = models.PositiveIntegerField(pgettext_lazy("records", "updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    rows = models.JSONField(_("row results"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self):
        return gettext("%(resource)s import %(id)s (%(status)s)") % {
            "resource": self.resource,
            "id": self.uuid,
            "status": self.status,
        }
