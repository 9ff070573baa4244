"""Purge a value entered by mistake from a record and from everywhere it was kept."""

import getpass
import sys

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from incidents.security import log_event, verify_code
from incidents.writes import purge
from incidents.writes.audit import VIA_COMMAND


def _problem(error: ValidationError) -> str:
    """A service's errors as one line: "--field: ...; --value: ..."."""
    if not hasattr(error, "error_dict"):
        return " ".join(error.messages)
    return "; ".join(
        " ".join(messages) if name == "record" else f"--{name}: {' '.join(messages)}"
        for name, messages in error.message_dict.items()
    )


def _operating_system_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in the environment or the password database
        return "unknown"


def _has_second_factor(user) -> bool:
    from django_otp import user_has_device

    return user_has_device(user)


class Command(BaseCommand):
    help = (
        "Purge a value entered by mistake from one field of a record, and from everywhere it "
        "was kept: the record's history, the admin's log, webhook deliveries, import reports "
        "and stored batches, stored API answers. Prints how many places held it. What remains "
        "is a purge entry (who, when, which record and field, why), never the value."
    )

    def add_arguments(self, parser):
        parser.add_argument("record", metavar="RECORD_UUID", help="The record's id (its UUID).")
        parser.add_argument(
            "--field", required=True, metavar="NAME", help="The field, e.g. name or description."
        )
        parser.add_argument(
            "--reason",
            required=True,
            metavar="TEXT",
            help="Why; kept in the purge entry and the record's history (never the value).",
        )
        parser.add_argument(
            "--value",
            default=None,
            metavar="TEXT",
            help="The exact value to remove: part of the field, or a value only in its "
            "history. Default: the field's whole current value.",
        )
        parser.add_argument(
            "--by",
            default=None,
            metavar="USERNAME",
            help="The administrator purging, recorded in the entry. If they have a second "
            "factor, a current code is asked for (or given with --code). Default: the "
            "operating-system user running the command.",
        )
        parser.add_argument(
            "--code",
            default=None,
            metavar="CODE",
            help="A current code (or a recovery code) of --by's second factor, when the "
            "command does not run at a terminal.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count the places that hold it; change nothing."
        )

    def handle(self, *args, record, field, reason, value, by, code, dry_run, **options):
        try:
            target = purge.find_record(record)
        except ValidationError as error:
            raise CommandError(_problem(error)) from None
        user = self._administrator(by, code) if by is not None else None
        operator = f"command line ({_operating_system_user()})"
        try:
            if dry_run:
                places = purge.preview(record=target, field=field, value=value, reason=reason)
            else:
                entry = purge.purge(
                    record=target,
                    field=field,
                    value=value,
                    reason=reason,
                    user=user,
                    operator=operator,
                    via=VIA_COMMAND,
                )
                places = purge.Places.of(entry)
        except ValidationError as error:
            raise CommandError(_problem(error)) from None

        kind = target._meta.verbose_name
        if dry_run:
            self.stdout.write(f"Dry run: nothing changed. The value of {kind} {target.uuid}")
            self.stdout.write(f"field {field!r} is held in {places.total} places:")
        else:
            self.stdout.write(f"Purged {field!r} of {kind} {target.uuid} (purge entry {entry.pk}):")
        for label, count in places.lines():
            self.stdout.write(f"  {label}: {count}")

    def _administrator(self, username: str, code: str | None):
        """The administrator named by --by, after their second factor if they have one."""
        model = get_user_model()
        user = model.objects.filter(**{model.USERNAME_FIELD: username}).first()
        if user is None or not purge.may_purge(user):
            log_event("purge.denied", via=VIA_COMMAND, by=username)
            raise CommandError(f"--by: {username!r} is not an administrator who may purge.")
        if not _has_second_factor(user):
            return user
        if code is None:
            if not sys.stdin.isatty():
                raise CommandError(
                    f"--by: {username} has a second factor; give a current code with --code."
                )
            code = getpass.getpass(f"A current code of {username}'s second factor: ")
        if not verify_code(user, code):
            log_event("purge.second_factor_failed", via=VIA_COMMAND, by=username)
            raise CommandError("--code: that is not a current code of this administrator.")
        return user
