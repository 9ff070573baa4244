"""The record of who looked: every read of a restricted record (``incidents.access_log``)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from incidents.models.partners import Partner


class AccessLogEntry(models.Model):
    """One restricted record shown to someone: who, what, through which door, when, from where.

    History records writes; this records reads, so that "who read this witness's
    record last month?" has an answer. A request that shows several restricted
    records leaves one entry for each, all written by one INSERT at its end.

    Who is kept twice: as a link (to follow while the account or partner exists)
    and as a name copied at the time (which outlives both, since deleting an
    account or a partner must not erase what it read). The path is kept without
    its query string, where search words (possibly a restricted name) travel.
    Entries are never changed; they are deleted after ``ACCESS_LOG_RETENTION_DAYS``.
    """

    at = models.DateTimeField(_("when"), db_index=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    username = models.CharField(_("user name"), max_length=150, blank=True)
    partner = models.ForeignKey(
        Partner,
        verbose_name=_("partner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    partner_name = models.CharField(_("partner name"), max_length=200, blank=True)
    token_prefix = models.CharField(_("token prefix"), max_length=16, blank=True)
    how = models.CharField(
        _("through"),
        max_length=100,
        help_text=_("The page or endpoint that showed the record, e.g. api:figure-detail."),
    )
    method = models.CharField(_("method"), max_length=10)
    path = models.TextField(_("path"))
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    model = models.CharField(_("kind of record"), max_length=100)
    record_id = models.UUIDField(_("record id"))

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-pk"]
        indexes = [
            # "Who read this record?", newest first: the question the log exists for.
            models.Index(fields=["record_id", "at"], name="accesslog_record_at"),
            # "What did this person read?" by the name kept, which outlives the account.
            models.Index(fields=["username", "at"], name="accesslog_username_at"),
        ]

    def __str__(self):
        return f"{self.who} · {self.how} · {self.model} {self.record_id}"

    @property
    def who(self) -> str:
        """The staff member, or the partner and its token's prefix."""
        if self.partner_name or self.token_prefix:
            return f"{self.partner_name} ({self.token_prefix})"
        return self.username or "-"
