"""Delete import jobs older than IMPORT_RETENTION_DAYS, and batches no job still needs.

    python manage.py purge_import_jobs

Run it daily from cron (docs/deployment.md); the task worker also runs it
after each background import. See ``incidents.integration.imports.purge_jobs``.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from incidents.integration import imports


class Command(BaseCommand):
    help = (
        "Delete import jobs (their reports and stored batches) finished more than "
        "IMPORT_RETENTION_DAYS ago, and stored batches that no job names."
    )

    def handle(self, *args, **options):
        jobs, files = imports.purge_jobs()
        if options["verbosity"] > 0:
            self.stdout.write(
                f"Deleted {jobs} import job(s) older than {settings.IMPORT_RETENTION_DAYS} "
                f"days and {files} stored batch(es)."
            )
