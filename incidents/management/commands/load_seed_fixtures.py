"""Load every fixture in fixtures/; safe to run again.

Fixtures identify records by their public UUID (natural keys), so a second load
updates the same rows instead of adding copies. Records the change feed has
not seen yet are added to it, as created, and the contest state is rebuilt.
"""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from incidents.integration import changes
from incidents.writes import contest


class Command(BaseCommand):
    help = "Load the generated seed fixtures (idempotent)."

    def handle(self, *args, **options):
        paths = sorted(Path(settings.BASE_DIR, "fixtures").glob("*.json"))
        if not paths:
            raise CommandError("No fixtures in fixtures/; run `make fixtures` first.")
        call_command("loaddata", *[str(p) for p in paths], verbosity=options["verbosity"])
        # loaddata writes no history; the change feed learns of the records here.
        added = changes.backfill()
        # Nor does it keep the contest state: rebuild it (a second load may change values).
        contest.rebuild()
        if options["verbosity"]:
            self.stdout.write(f"Change feed: {added} records added.")
