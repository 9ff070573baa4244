"""State kept about requests themselves: idempotency keys of POSTs."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IdempotencyKey(models.Model):
    """A POST's ``Idempotency-Key``, its request fingerprint, and the response it got.

    Kept in the database rather than a process's memory so that every server
    process sees it. ``status`` is null while the first request is still being
    handled: a duplicate arriving then gets 409.
    """

    caller = models.CharField(_("caller"), max_length=64)
    key = models.CharField(_("key"), max_length=255)
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    status = models.PositiveSmallIntegerField(_("response status"), null=True, blank=True)
    body = models.JSONField(_("response body"), null=True, blank=True)
    headers = models.JSONField(_("response headers"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["caller", "key"], name="idempotency_key_unique")
        ]

    def __str__(self):
        return f"{self.caller}: {self.key}"


class FailedTokenAttempt(models.Model):
    """One request with a wrong, revoked or expired token, from one client.

    A row per failure rather than a counter in the cache: inserting is atomic on
    every database (a cache's read-then-write ``incr`` loses concurrent failures,
    and resets its expiry), and counting the rows of the last minute is a window
    that means what it says. The client is kept as a hash of its address.
    """

    client = models.CharField(_("client"), max_length=64)
    at = models.DateTimeField(_("at"))

    class Meta:
        indexes = [
            models.Index(fields=["client", "at"], name="failed_token_client_at"),
            models.Index(fields=["at"], name="failed_token_at"),
        ]

    def __str__(self):
        return f"{self.client[:12]} {self.at:%Y-%m-%d %H:%M:%S}"
