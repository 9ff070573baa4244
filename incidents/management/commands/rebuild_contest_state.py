"""Rebuild the kept contest state from the records, and say what differed.

The write path keeps it (``incidents.writes.contest``); this is for a database that
missed it: after a restore from an older copy, rows loaded by hand, or a bug. With
``--check`` nothing is written.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from incidents.models import ContestAudience
from incidents.writes import contest


class Command(BaseCommand):
    help = "Recompute which figures are contested, and why, for every audience; report differences."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="Only report what differs; change nothing."
        )
        parser.add_argument(
            "--show",
            type=int,
            default=20,
            metavar="N",
            help="List up to N differing rows (default 20).",
        )

    def handle(self, *args, **options):
        apply = not options["check"]
        with transaction.atomic():
            difference = contest.rebuild(apply=apply)
        if not difference:
            self.stdout.write("Contest state in step with the records: nothing to change.")
            return
        added, removed = len(difference.added), len(difference.removed)
        if apply:
            self.stdout.write(f"Contest state rebuilt: {added} added, {removed} removed.")
        else:
            self.stdout.write(f"Contest state differs: {added} to add, {removed} to remove.")
        shown = [("+", row) for row in difference.added] + [
            ("-", row) for row in difference.removed
        ]
        for sign, (figure, audience, citation, reason) in shown[: options["show"]]:
            self.stdout.write(
                f"  {sign} figure {figure}, {ContestAudience(audience).name.lower()}: "
                f"{reason} (citation {citation})"
            )
