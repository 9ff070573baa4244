"""Restore a backup into an empty database that ``migrate`` has prepared.

    python manage.py migrate
    BACKUP_PASSPHRASE=... python manage.py restore /backups/incidents-2025-11-18.age

The whole file is checked before anything is written, and everything is written in one
transaction: on any error the database is left as it was. See ``incidents.writes.backup``.
"""

from django.core.management.base import BaseCommand, CommandError

from incidents.writes import backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup` into this database, which must be empty and "
        "migrated to the same migrations (run `migrate` first). Nothing is written unless "
        "the whole backup opens and checks out."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The backup file.")
        parser.add_argument(
            "--passphrase-file",
            help="A file whose first line is the passphrase (default: BACKUP_PASSPHRASE).",
        )

    def handle(self, *args, path, passphrase_file, **options):
        try:
            passphrase = backup.read_passphrase(passphrase_file)
            summary = backup.restore_backup(path, passphrase)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        if options["verbosity"] > 0:
            self.stdout.write(
                f"Restored {summary.rows} rows of {len(summary.counts)} tables from {summary.path}."
            )
