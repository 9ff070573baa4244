"""What every record shares: a public UUID, timestamps, a visibility, an owner, a version."""

import datetime
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache

from django.core import validators as django_validators
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, router
from django.db.models.expressions import DatabaseDefault
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from incidents.choices import DatePrecision, ReviewStatus, Visibility
from incidents.models import checks

# Where uniqueness rules apply: among records that are neither restricted nor deleted.
# A rule checked against hidden rows would tell whoever hits it that they exist (a
# restricted witness's name, say); restricted and deleted records are left out.
SHARED_AND_LIVE = models.Q(deleted_at__isnull=True) & ~models.Q(visibility=Visibility.RESTRICTED)


# Values whose equal values are the same value: what a field makes of one, it makes of the
# other (unlike two equal times in different zones, or 1.0 and 1.00 as decimals).
SAME_WHEN_EQUAL = frozenset({str, int, bool, datetime.date, uuid.UUID, type(None)})

_cleaned: ContextVar[dict | None] = ContextVar("cleaned_fields", default=None)


@contextmanager
def cleaning_once() -> Iterator[None]:
    """Within this block, a field cleans each value once: ``Identified.clean_fields``.

    For a batch of records (``incidents.writes.bulk``), most of whose fields hold one
    of a few values (a measure, a qualifier, a visibility, the version of a new
    record): cleaning each again costs more than all the rest of the record's
    checks. Only what the next record cannot change is reused (``_cleans_alike``).
    """
    token = _cleaned.set({})
    try:
        yield
    finally:
        _cleaned.reset(token)


@cache
def _fields_to_clean(model) -> tuple[tuple, ...]:
    """``clean_fields``' view of each field of the model, in Django's order.

    (field, name, attname, whether blank, its empty values, whether it cleans
    alike): what the loop reads of every field for every record, read once.
    """
    return tuple(
        (f, f.name, f.attname, f.blank, f.empty_values, _cleans_alike(f))
        for f in model._meta.fields
        if not f.generated
    )


def _cleans_alike(field) -> bool:
    """Whether ``field.clean(value, instance)`` depends on the value alone, always.

    Django's own fields, not relations (a link's check reads the database),
    with Django's ``clean`` and ``validate`` (which read nothing but the value
    and the field) and only Django's validators (functions of the value).
    """
    kind = type(field)
    return (
        not field.is_relation
        and kind.__module__.startswith("django.db.models.fields")
        and kind.clean is models.Field.clean
        and kind.validate is models.Field.validate
        and all(type(v).__module__ == django_validators.__name__ for v in field.validators)
    )


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

    def clean_fields(self, exclude=None):
        """Django's ``clean_fields``; within ``cleaning_once``, each value cleaned once per field.

        The loop is Django's (5.2) own, step for step: the same fields skipped, the
        same errors. The one difference: inside ``cleaning_once``, a field that
        cleans alike (``_cleans_alike``) and has cleaned an equal value of the same
        kind (``SAME_WHEN_EQUAL``) gives the record what it gave then.
        """
        memo = _cleaned.get()
        if memo is None:
            super().clean_fields(exclude=exclude)
            return
        if exclude is None:
            exclude = set()
        errors = {}
        for f, name, attname, blank, empty_values, alike in _fields_to_clean(type(self)):
            if name in exclude:  # (generated fields are not in the list)
                continue
            raw_value = getattr(self, attname)
            if blank and raw_value in empty_values:
                continue
            if isinstance(raw_value, DatabaseDefault):
                continue
            if alike and type(raw_value) in SAME_WHEN_EQUAL:
                # By the field's id: hashing a field costs more than cleaning most values.
                key = (id(f), type(raw_value), raw_value)
                cleaned = memo.get(key, memo)  # the memo itself: not cleaned yet
            else:
                key, cleaned = None, memo
            if cleaned is memo:
                try:
                    cleaned = f.clean(raw_value, self)
                except ValidationError as e:
                    errors[name] = e.error_list
                    continue
                if key is not None:
                    memo[key] = cleaned
            setattr(self, attname, cleaned)

        if errors:
            raise ValidationError(errors)

    def validate_constraints(self, exclude=None):
        """Django's check of constraints, with each error filed under its field.

        Each constraint is checked by its ``checks.Rule``, worked out once per
        model: CHECK constraints in Python, unique constraints by Django's own
        ``validate`` unless it would return before querying (see ``checks.Rule``).
        """
        errors: dict[str, list] = {}
        using = None

        def database() -> str:
            nonlocal using
            if using is None:
                using = router.db_for_write(type(self), instance=self)
            return using

        for rule in checks.rules(self):
            try:
                rule.validate(self, exclude, database)
            except ValidationError as error:
                name = rule.constraint.name
                field = self.constraint_fields.get(name, NON_FIELD_ERRORS)
                if name.endswith("_external_id_unique"):
                    field = "external_id"
                errors.setdefault(field, []).extend(error.error_list)
        if errors:
            raise ValidationError(errors)

    def validate_unique(self, exclude=None):
        """Django's check of unique fields, skipped where it could find nothing to check.

        Besides the primary key, the only unique field of a record is ``uuid``,
        which a batch leaves out (``incidents.writes.bulk``: a new random id, or the
        record's own). Django then checks the primary key only for a new record
        given a key of its own, and builds its list of checks for every record
        all the same; here that list is known to be empty first.
        """
        others = _unique_fields(type(self))
        if (
            others is not None
            and (not others or (exclude and others <= set(exclude)))
            and (self.pk is None or not self._state.adding)
        ):
            return
        super().validate_unique(exclude=exclude)


@cache
def _unique_fields(model) -> frozenset[str] | None:
    """The unique fields of a model but its primary key; None if it has other unique checks.

    Other checks (``unique_together``, ``unique_for_date`` and the like, a
    composite key) are left to Django's ``validate_unique`` every time.
    """
    opts = model._meta
    if any(parent._meta.unique_together for parent in (model, *opts.all_parents)):
        return None
    if not isinstance(opts.pk, models.Field) or isinstance(opts.pk, models.CompositePrimaryKey):
        return None
    names = set()
    for field in opts.fields:
        if field.unique_for_date or field.unique_for_year or field.unique_for_month:
            return None
        if field.unique and not field.primary_key:
            names.add(field.name)
    return frozenset(names)


class Record(Identified):
    """Abstract base of every record: identity, timestamps, who may read it, who owns it.

    ``owner`` is the partner organisation that created the record through the
    API (empty for records made by staff); a restricted record is readable by
    its owner and by staff with permission. ``version`` counts saves, for
    optimistic concurrency (the API's ETag). ``review_status`` says whether a
    person has checked it (an article import drafts unreviewed records).
    ``deleted_at`` marks a soft delete: the record leaves the API but stays in
    the database and its history, and staff can restore it in the admin.
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
    review_status = models.CharField(
        _("review status"),
        max_length=16,
        choices=ReviewStatus.choices,
        default=ReviewStatus.REVIEWED,
        help_text=_(
            "Records drafted from an article by the extractor are unreviewed (and restricted) "
            "until a reviewer publishes them."
        ),
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
    unique by the services, which serialise writes (see ``incidents.integration.changes``).
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
    """The history of a model, with the audit fields (see ``incidents.writes.audit``)."""
    return HistoricalRecords(bases=[AuditFields], **kwargs)


def precision_field(verbose_name):
    """The precision that goes with a date field (see DatePrecision)."""
    return models.CharField(
        verbose_name,
        max_length=16,
        choices=DatePrecision.choices,
        default=DatePrecision.EXACT,
    )
