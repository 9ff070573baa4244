"""Partner organisations and the API tokens their systems use."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from incidents.addresses import in_networks, parse_networks, validate_networks
from incidents.choices import TokenScope
from incidents.models.base import Identified, audited

TOKEN_PREFIX_LENGTH = 8
TOKEN_TAG = "irt"  # "incident records token": makes leaked tokens easy to grep for
# ``ApiToken.issue(expires_at=DEFAULT_EXPIRY)``: the deployment's TOKEN_DEFAULT_TTL_DAYS.
DEFAULT_EXPIRY = object()


class Partner(Identified):
    """A partner NGO whose systems read (and, with a write token, write) through the API.

    Records a partner creates are owned by it: it may change them, and it may
    read them even when restricted. What it writes waits for a reviewer unless
    an administrator has made it a ``trusted_publisher`` (kept in its history).
    Staff manage partners in the admin.
    """

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("An inactive partner's tokens are refused.")
    )
    trusted_publisher = models.BooleanField(
        _("trusted publisher"),
        default=False,
        help_text=_(
            "Its records are published as it writes them. Otherwise what it creates or "
            "changes waits, unreviewed and readable at most by partners, until a reviewer "
            "publishes it."
        ),
    )

    constraint_fields = {"partner_name_unique_ci": "name"}
    history = audited()

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        permissions = [
            ("view_restricted", "Can read restricted records"),
            ("publish_records", "Can publish reviewed records"),
        ]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="partner_name_unique_ci",
                violation_error_message=_("A partner with this name already exists."),
            )
        ]

    def __str__(self):
        return self.name


def hash_secret(secret: str) -> str:
    """Tokens are long random strings, so one SHA-256 is enough (no password stretching)."""
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token of a partner: shown once, stored hashed, found by its prefix.

    The token a client sends is ``irt_<prefix>_<secret>``. Only the prefix (to
    find the row and to tell tokens apart in lists and logs) and the SHA-256 of
    the whole token are stored. New tokens expire after ``TOKEN_DEFAULT_TTL_DAYS``
    unless told otherwise, and may be limited to ``allowed_networks``.
    """

    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="tokens"
    )
    name = models.CharField(
        _("name"), max_length=200, blank=True, help_text=_("What it is for, e.g. 'KoBo sync'.")
    )
    prefix = models.CharField(_("prefix"), max_length=16, unique=True, editable=False)
    key_hash = models.CharField(_("key hash"), max_length=64, editable=False)
    scope = models.CharField(
        _("scope"), max_length=8, choices=TokenScope.choices, default=TokenScope.READ
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    expires_at = models.DateTimeField(
        _("expires"), null=True, blank=True, help_text=_("Empty: the token never expires.")
    )
    allowed_networks = models.JSONField(
        _("allowed networks"),
        default=list,
        blank=True,
        validators=[validate_networks],
        help_text=_(
            "The addresses it may be used from: addresses or networks in CIDR notation "
            "(203.0.113.0/24, 2001:db8::/32), one per line. Empty: any address."
        ),
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    history = audited(excluded_fields=["key_hash", "last_used_at"])

    class Meta:
        ordering = ["partner__name", "-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{TOKEN_TAG}_{self.prefix}… ({self.partner}, {self.get_scope_display()})"

    @classmethod
    def default_expiry(cls):
        """When a token issued now expires unless told otherwise (None: never)."""
        days = settings.TOKEN_DEFAULT_TTL_DAYS
        return timezone.now() + timedelta(days=days) if days else None

    @classmethod
    def issue(
        cls,
        *,
        partner: Partner,
        scope: str,
        name: str = "",
        expires_at=DEFAULT_EXPIRY,
        allowed_networks=(),
        created_by=None,
    ):
        """Create a token; return it with the one copy of its secret that will ever exist.

        ``expires_at``: when it expires; by default ``default_expiry()``, and None for a
        token that never expires. ``allowed_networks``: where it may be used from
        (``incidents.addresses.parse_networks``); empty for anywhere.
        """
        if expires_at is DEFAULT_EXPIRY:
            expires_at = cls.default_expiry()
        token = cls(
            partner=partner,
            scope=scope,
            name=name,
            expires_at=expires_at,
            # Normalised, and refused (ValidationError) when an entry is not a network.
            allowed_networks=parse_networks(list(allowed_networks)),
            created_by=created_by,
        )
        secret = token.set_new_secret()
        token.save()
        return token, secret

    def set_new_secret(self) -> str:
        """Give an unsaved token its prefix and hash; return the secret (never stored)."""
        self.prefix = secrets.token_hex(TOKEN_PREFIX_LENGTH // 2)
        secret = f"{TOKEN_TAG}_{self.prefix}_{secrets.token_urlsafe(32)}"
        self.key_hash = hash_secret(secret)
        return secret

    @property
    def is_usable(self) -> bool:
        now = timezone.now()
        return (
            self.revoked_at is None
            and (self.expires_at is None or self.expires_at > now)
            and self.partner.is_active
        )

    @property
    def can_write(self) -> bool:
        return self.scope == TokenScope.WRITE

    def allows_address(self, address: str | None) -> bool:
        """Whether the token may be used from ``address`` (any, when no network is set)."""
        return in_networks(address, self.allowed_networks or [])
