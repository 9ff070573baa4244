"""Delete access log entries older than ACCESS_LOG_RETENTION_DAYS.

    python manage.py purge_access_log

Run it daily from cron (docs/deployment.md). See ``incidents.access_log.prune``.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from incidents import access_log


class Command(BaseCommand):
    help = "Delete entries of the access log older than ACCESS_LOG_RETENTION_DAYS."

    def handle(self, *args, **options):
        deleted = access_log.prune()
        if options["verbosity"] > 0:
            self.stdout.write(
                f"Deleted {deleted} access log entr{'y' if deleted == 1 else 'ies'} older than "
                f"{settings.ACCESS_LOG_RETENTION_DAYS} days."
            )
