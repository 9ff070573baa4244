"""Issue an API token for a partner organisation (creating the partner if needed)."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from incidents.choices import TokenScope
from incidents.models import ApiToken, Partner
from incidents.writes.audit import audit_context


class Command(BaseCommand):
    help = (
        "Create an API token for a partner (the partner is created if it does not exist). "
        "The token is printed once, alone on the last line; only its hash is stored."
    )

    def add_arguments(self, parser):
        parser.add_argument("--partner", required=True, help="The partner organisation's name.")
        parser.add_argument("--scope", required=True, choices=TokenScope.values)
        parser.add_argument("--name", default="", help="What the token is for.")
        parser.add_argument(
            "--expires-in-days",
            type=int,
            default=None,
            help="Days until it expires (default: never).",
        )

    def handle(self, *args, partner, scope, name, expires_in_days, **options):
        partner_name = partner.strip()
        if not partner_name:
            raise CommandError("--partner must not be empty.")
        if expires_in_days is not None and expires_in_days < 1:
            raise CommandError("--expires-in-days must be at least 1.")
        expires_at = timezone.now() + timedelta(days=expires_in_days) if expires_in_days else None
        with transaction.atomic(), audit_context(via="command", reason="create_partner_token"):
            organisation = Partner.objects.filter(name__iexact=partner_name).first()
            if organisation is None:
                organisation = Partner.objects.create(name=partner_name)
                self.stderr.write(f"Created partner {organisation.name!r}.")
            token, secret = ApiToken.issue(
                partner=organisation, scope=scope, name=name, expires_at=expires_at
            )
        expiry = f", expires {token.expires_at:%Y-%m-%d %H:%M} UTC" if token.expires_at else ""
        self.stderr.write(
            f"Token {token.prefix} for {organisation.name} ({scope}{expiry}). "
            "It is shown once; store it now."
        )
        self.stdout.write(secret)
