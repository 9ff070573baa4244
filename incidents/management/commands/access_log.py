"""Who read which restricted record: the access log, filtered, as a table or JSON lines.

    python manage.py access_log --record 0b5e0c3a-6f1e-4d2b-9a57-3c1f2e4d5a6b --since 2025-01-01
    python manage.py access_log --user maria --since 2025-01-01 --until 2025-01-31 --json

See ``incidents.access_log`` for what is recorded.
"""

import json
import uuid

from django.core.management.base import BaseCommand, CommandError

from incidents import access_log


def record_id(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        raise CommandError(
            f"--record: {text!r} is not a record id (a UUID such as "
            "0b5e0c3a-6f1e-4d2b-9a57-3c1f2e4d5a6b)."
        ) from None


def moment(option: str, text: str, *, end: bool = False):
    try:
        return access_log.parse_moment(text, end=end)
    except ValueError:
        raise CommandError(
            f"{option}: {text!r} is not a date (2025-01-31) or a date and time (2025-01-31T14:00)."
        ) from None


class Command(BaseCommand):
    help = (
        "List who read restricted records, oldest first: all of them, or those of one record, "
        "one person or partner, or a period. A readable table, or one JSON object a line."
    )

    def add_arguments(self, parser):
        parser.add_argument("--record", help="Only reads of this record (its public id, a UUID).")
        parser.add_argument(
            "--since", help="From this date (2025-01-01) or date and time (2025-01-01T09:00)."
        )
        parser.add_argument(
            "--until", help="Up to this date, included, or up to this date and time, excluded."
        )
        parser.add_argument("--user", help="Only reads by the staff member with this user name.")
        parser.add_argument("--partner", help="Only reads by the partner with this name.")
        parser.add_argument(
            "--json", action="store_true", help="One JSON object a line instead of a table."
        )

    def handle(self, *args, **options):
        found = access_log.entries(
            record=record_id(options["record"]) if options["record"] else None,
            since=moment("--since", options["since"]) if options["since"] else None,
            until=moment("--until", options["until"], end=True) if options["until"] else None,
            user=options["user"],
            partner=options["partner"],
        )
        if options["json"]:
            for entry in found.iterator():
                self.stdout.write(json.dumps(access_log.as_dict(entry), ensure_ascii=False))
            return
        self.stdout.write(access_log.as_line(None))
        count = 0
        for entry in found.iterator():
            self.stdout.write(access_log.as_line(entry))
            count += 1
        self.stdout.write(f"{count} read(s).")
