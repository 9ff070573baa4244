"""Staff roles: the Django groups viewer, editor, reviewer and administrator, kept in step.

- **viewer** reads everything in the admin except restricted records;
- **editor** also creates, changes and (soft-)deletes records, reads
  restricted ones, and imports articles (as unreviewed, restricted drafts);
- **reviewer** is an editor who may also publish records (make them public
  and reviewed);
- **administrator** also publishes, and manages vocabularies, partners, their API tokens and
  webhooks, and sees every import (others see their own); reads the records of sign-ins
  and unlocks an account or address locked out after failed sign-ins.
  An administrator may also purge a value from a record and everywhere it was kept,
  and reads the purge entries, and the access log (who read which restricted record).

The groups are (re)created after every ``migrate``, so a new model's
permissions reach the roles without a hand-written migration. Superusers have
every permission regardless.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

RECORDS = ("actor", "source", "incident", "detaineegroup", "figure", "allegation", "citation")
HISTORY = tuple(f"historical{name}" for name in RECORDS)
REFERENCE = ("term", "historicalterm", "historicalallegation_methods")
ADMINISTRATION = (
    "partner",
    "apitoken",
    "historicalpartner",
    "historicalapitoken",
    "webhooksubscription",
    "webhookdelivery",
    "webhookattempt",
)
IMPORTS = ("importjob",)
# Who read which restricted record: administrators read it; nobody writes it by hand.
OVERSIGHT = ("accesslogentry",)
# django-axes' records of sign-ins: administrators read them and unlock (delete attempts).
SIGNIN_ATTEMPTS = ("accessattempt", "accessfailurelog")
SIGNIN_LOG = ("accesslog",)
PURGES = ("purgeentry",)

VIEWER = "viewer"
EDITOR = "editor"
REVIEWER = "reviewer"
ADMINISTRATOR = "administrator"


def _permissions(actions, models, app_label="incidents"):
    return Permission.objects.filter(
        content_type__app_label=app_label,
        content_type__model__in=models,
        codename__in=[f"{action}_{model}" for action in actions for model in models],
    )


def role_permissions() -> dict[str, list[Permission]]:
    view = ("view",)
    write = ("view", "add", "change", "delete")
    restricted = Permission.objects.filter(
        Q(content_type__app_label="incidents") & Q(codename="view_restricted")
    )
    publish = Permission.objects.filter(
        Q(content_type__app_label="incidents") & Q(codename="publish_records")
    )
    # Removing a value from a record and everywhere it was kept (``incidents.writes.purge``).
    purge = Permission.objects.filter(
        Q(content_type__app_label="incidents") & Q(codename="purge_records")
    )
    viewer = [*_permissions(view, RECORDS + HISTORY + REFERENCE)]
    editor = [*viewer, *_permissions(write, RECORDS), *restricted]
    reviewer = [*editor, *publish]
    administrator = [
        *reviewer,
        *_permissions(write, REFERENCE + ADMINISTRATION),
        *_permissions(view, HISTORY + ADMINISTRATION + IMPORTS + OVERSIGHT),
        *_permissions(("view", "delete"), SIGNIN_ATTEMPTS, app_label="axes"),
        *_permissions(view, SIGNIN_LOG, app_label="axes"),
        *_permissions(view, PURGES),
        *purge,
    ]
    return {VIEWER: viewer, EDITOR: editor, REVIEWER: reviewer, ADMINISTRATOR: administrator}


def ensure_roles(**kwargs) -> None:
    """Create the four groups if needed and set their permissions exactly."""
    for name, permissions in role_permissions().items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions)
