"""What every record shares: a public UUID, timestamps, a visibility, an owner, a version."""

import uuid

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, router
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from incidents.choices import DatePrecision, Visibility
from incidents.models import checks

# Where uniqueness rules apply: among records that are neither restricted nor deleted.
# A rule checked against hidden rows would tell whoever hits it that they exist (a
# restricted witness's name, say); restricted and deleted records are left out.
SHARED_AND_LIVE = models.Q(deleted_at__isnull=True) & ~models.Q(visibility=Visibility.RESTRICTED)


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

    # Constraint name -> the field its violation is reported on, so that API clients
    # and admin forms get a field-level message instead of a record-level one.
    constraint_fields: dict[str, str] = {}

    class Meta:
        abstract = True

    def validate_constraints(self, exclude=None):
        """Django's check of constraints, with each error filed under its field."""
        errors: dict[str, list] = {}
        using = router.db_for_write(type(self), instance=self)
        values = checks.field_values(self)
        for model_class, constraints in self.get_constraints():
            for constraint in constraints:
                try:
                    if not self._checked_here(constraint, values, exclude):
                        constraint.validate(model_class, self, exclude=exclude, using=using)
                except ValidationError as error:
                    field = self.constraint_fields.get(constraint.name, NON_FIELD_ERRORS)
                    if constraint.name.endswith("_external_id_unique"):
                        field = "external_id"
                    errors.setdefault(field, []).extend(error.error_list)
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def _checked_here(constraint, values: dict, exclude) -> bool:
        """Check a CHECK constraint in Python (see ``checks``); False: leave it to Django.

        Raises the constraint's ValidationError when it fails. Django skips a
        constraint that reads an excluded field; so does this.
        """
        if not isinstance(constraint, models.CheckConstraint):
            return False
        try:
            if exclude and checks.referenced(constraint.condition) & set(exclude):
                return True
            if checks.evaluate(constraint.condition, values) is False:
                raise ValidationError(
                    constraint.get_violation_error_message(),
                    code=constraint.violation_error_code,
                )
        except checks.Unsupported:
            return False
        return True


class Record(Identified):
    """Abstract base of every record: identity, timestamps, who may read it, who owns it.

    ``owner`` is the partner organisation that created the record through the
    API (empty for records made by staff); a restricted record is readable by
    its owner and by staff with permission. ``version`` counts saves, for
    optimistic concurrency (the API's ETag). ``deleted_at`` marks a soft
    delete: the record leaves the API but stays in the database and its
    history, and staff can restore it in the admin.
    """

    visibility = models.CharField(
        _("visibility"),
        max_length=16,
        choices=Visibility.choices,
        default=Visibility.PUBLIC,
        help_text=_("Who may read this record through the API."),
    )
    owner = models.ForeignKey(
        "incidents.Partner",
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The partner organisation that created it; empty for staff records."),
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    external_id = models.CharField(
        _("external id"),
        max_length=200,
        blank=True,
        default="",
        help_text=_(
            "The owner's own id for this record, in its own system; unique per owner and "
            "kind of record. Partners upsert by it."
        ),
    )
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True, editable=False)

    objects = RecordManager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # Every save after the first is a new version; services check the version
        # a client saw (If-Match) before they save.
        if not self._state.adding:
            self.version += 1
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "version", "updated_at"}
        super().save(*args, **kwargs)

    def natural_key(self):
        return (str(self.uuid),)


def external_id_unique(model_name: str) -> models.UniqueConstraint:
    """An owner's external ids are unique among its records of one kind, deleted or not.

    Deleted records keep theirs, so that pushing one again restores it rather than
    making a second record with the same id. Staff records (no owner) are kept
    unique by the services, which serialise writes (see ``incidents.changes``).
    """
    return models.UniqueConstraint(
        fields=["owner", "external_id"],
        condition=~models.Q(external_id=""),
        name=f"{model_name}_external_id_unique",
        violation_error_message=_("You already have a record with this external id."),
    )


class AuditFields(models.Model):
    """What each history entry adds to django-simple-history's: through what, for whom.

    ``history_user`` is the staff member (admin or API session); a partner's
    write records its organisation and the prefix of the token it used.
    """

    history_via = models.CharField(_("through"), max_length=16, blank=True)
    history_partner = models.ForeignKey(
        "incidents.Partner",
        verbose_name=_("partner"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    history_token_prefix = models.CharField(_("token"), max_length=16, blank=True)

    class Meta:
        abstract = True


def audited(**kwargs) -> HistoricalRecords:
    """The history of a model, with the audit fields (see ``incidents.audit``)."""
    return HistoricalRecords(bases=[AuditFields], **kwargs)


def precision_field(verbose_name):
    """The precision that goes with a date field (see DatePrecision)."""
    return models.CharField(
        verbose_name,
        max_length=16,
        choices=DatePrecision.choices,
        default=DatePrecision.EXACT,
    )
