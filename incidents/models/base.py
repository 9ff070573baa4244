"""What every record shares: a public UUID, timestamps and a visibility."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from incidents.choices import DatePrecision, Visibility


class RecordManager(models.Manager):
    """Looks records up by their public UUID, so fixtures never carry integer keys."""

    def get_by_natural_key(self, public_id):
        return self.get(uuid=public_id)


class Identified(models.Model):
    """A public UUID and timestamps: what records and vocabulary terms share.

    The integer primary key stays inside the database; the API, the fixtures
    and partners only ever see ``uuid``. ``updated_at`` is indexed for
    "what changed since" queries.
    """

    uuid = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    class Meta:
        abstract = True


class Record(Identified):
    """Abstract base of every record: identity, timestamps and who may read it."""

    visibility = models.CharField(
        _("visibility"),
        max_length=16,
        choices=Visibility.choices,
        default=Visibility.PUBLIC,
        help_text=_("Who may read this record through the API."),
    )

    objects = RecordManager()

    class Meta:
        abstract = True

    def natural_key(self):
        return (str(self.uuid),)


def precision_field(verbose_name):
    """The precision that goes with a date field (see DatePrecision)."""
    return models.CharField(
        verbose_name,
        max_length=16,
        choices=DatePrecision.choices,
        default=DatePrecision.EXACT,
    )
