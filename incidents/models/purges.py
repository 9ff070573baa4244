"""Purge entries: what remains of a value removed from everywhere it was kept."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PurgeEntry(models.Model):
    """One purge: who removed a value from which field of which record, when, and why.

    A value entered by mistake (a phone number, a name) is removed from the record
    and from every copy the system kept of it (``incidents.writes.purge``); this row
    is all that is left of it. It never holds the value, nor any part of it: only
    the record, the field, the reason and how many places held the value.

    ``by`` is the administrator; the entry outlives their account (the link is
    emptied, ``by_name`` keeps the name). A purge run at the command line without
    naming an administrator records the operating-system user that ran it.
    """

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    by_name = models.CharField(_("by (name)"), max_length=200)
    via = models.CharField(_("through"), max_length=16)
    record_type = models.CharField(_("kind of record"), max_length=32)
    record_uuid = models.UUIDField(_("record id"), db_index=True)
    field = models.CharField(_("field"), max_length=64)
    reason = models.TextField(_("reason"))
    record_changed = models.BooleanField(
        _("record changed"),
        default=False,
        help_text=_("The record's current value held it (otherwise only its history did)."),
    )
    history_rows = models.PositiveIntegerField(_("history entries"), default=0)
    admin_log_entries = models.PositiveIntegerField(_("admin log entries"), default=0)
    webhook_deliveries = models.PositiveIntegerField(_("webhook deliveries"), default=0)
    import_jobs = models.PositiveIntegerField(_("import jobs"), default=0)
    import_files = models.PositiveIntegerField(_("stored import batches"), default=0)
    idempotency_records = models.PositiveIntegerField(_("stored API answers"), default=0)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("purge")
        verbose_name_plural = _("purges")
        permissions = [("purge_records", "Can purge values from records")]

    def __str__(self):
        return f"{self.record_type} {self.record_uuid}: {self.field} ({self.at:%Y-%m-%d %H:%M})"
