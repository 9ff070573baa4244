"""Write the whole database to one encrypted file.

    BACKUP_PASSPHRASE=... python manage.py backup --output /backups/incidents-2025-11-18.age
    python manage.py backup --output PATH --passphrase-file /etc/incidents/backup-passphrase

See ``incidents.writes.backup`` for what is in it and ``docs/deployment.md`` ("Backups")
for the nightly timer, the off-site copy and the restore drill.
"""

from django.core.management.base import BaseCommand, CommandError

from incidents.writes import backup


class Command(BaseCommand):
    help = (
        "Write every record, its history, the access log, users and their second factors, "
        "partners and token hashes and the vocabularies to one new file, encrypted with a "
        "passphrase (age format) from BACKUP_PASSPHRASE or --passphrase-file."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", required=True, help="The new file to write (an existing one is refused)."
        )
        parser.add_argument(
            "--passphrase-file",
            help="A file whose first line is the passphrase (default: BACKUP_PASSPHRASE).",
        )

    def handle(self, *args, output, passphrase_file, **options):
        try:
            passphrase = backup.read_passphrase(passphrase_file)
            summary = backup.write_backup(output, passphrase)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        if options["verbosity"] > 0:
            self.stdout.write(
                f"Wrote {summary.rows} rows of {len(summary.counts)} tables to {summary.path}."
            )
