"""Issue an API token for a partner organisation (creating the partner if needed)."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from incidents.addresses import parse_networks
from incidents.choices import TokenScope
from incidents.management.arguments import positive
from incidents.models import ApiToken, Partner
from incidents.security import log_event
from incidents.writes.audit import audit_context


class Command(BaseCommand):
    help = (
        "Create an API token for a partner (the partner is created if it does not exist). "
        "The token is printed once, alone on the last line; only its hash is stored. "
        "It expires after TOKEN_DEFAULT_TTL_DAYS unless told otherwise."
    )

    def add_arguments(self, parser):
        parser.add_argument("--partner", required=True, help="The partner organisation's name.")
        parser.add_argument("--scope", required=True, choices=TokenScope.values)
        parser.add_argument("--name", default="", help="What the token is for.")
        expiry = parser.add_mutually_exclusive_group()
        expiry.add_argument(
            "--expires-in-days",
            type=positive,
            default=None,
            metavar="DAYS",
            help="Days until it expires (default: TOKEN_DEFAULT_TTL_DAYS).",
        )
        expiry.add_argument("--no-expiry", action="store_true", help="The token never expires.")
        parser.add_argument(
            "--allow-from",
            action="append",
            default=[],
            metavar="CIDR",
            help="An address or network (203.0.113.0/24, 2001:db8::/32) the token may be used "
            "from; repeat for several. Default: any address.",
        )

    def handle(
        self, *args, partner, scope, name, expires_in_days, no_expiry, allow_from, **options
    ):
        partner_name = partner.strip()
        if not partner_name:
            raise CommandError("--partner must not be empty.")
        try:
            networks = parse_networks(allow_from)
        except ValidationError as error:
            raise CommandError(f"--allow-from: {' '.join(error.messages)}") from None
        if no_expiry:
            expires_at = None
        elif expires_in_days:
            expires_at = timezone.now() + timedelta(days=expires_in_days)
        else:
            expires_at = ApiToken.default_expiry()
        with transaction.atomic(), audit_context(via="command", reason="create_partner_token"):
            organisation = Partner.objects.filter(name__iexact=partner_name).first()
            if organisation is None:
                organisation = Partner.objects.create(name=partner_name)
                self.stderr.write(f"Created partner {organisation.name!r}.")
            token, secret = ApiToken.issue(
                partner=organisation,
                scope=scope,
                name=name,
                expires_at=expires_at,
                allowed_networks=networks,
            )
        log_event(
            "token.issued",
            via="command",
            partner=organisation.name,
            token_prefix=token.prefix,
            scope=scope,
            expires_at=token.expires_at.isoformat() if token.expires_at else "never",
            networks=len(token.allowed_networks),
        )
        expiry = (
            f"expires {token.expires_at:%Y-%m-%d %H:%M} UTC"
            if token.expires_at
            else "never expires"
        )
        where = ", ".join(token.allowed_networks) or "any address"
        self.stderr.write(
            f"Token {token.prefix} for {organisation.name} ({scope}, {expiry}, from {where}). "
            "It is shown once; store it now."
        )
        self.stdout.write(secret)
