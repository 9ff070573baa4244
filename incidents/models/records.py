"""What happened: incidents, the detained groups within them, figures and allegations."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from incidents.choices import (
    Affiliation,
    AllegationStatus,
    Citizenship,
    IncidentKind,
    Measure,
    Qualifier,
    Sex,
    Vocabulary,
)
from incidents.models.base import (
    SHARED_AND_LIVE,
    Record,
    audited,
    external_id_unique,
    precision_field,
)

MAX_AGE = 130
# The largest count the integer columns hold on every supported database; stating it
# keeps the API schema the same on SQLite and PostgreSQL.
MAX_VALUE = 2_147_483_647


class Incident(Record):
    """An event or a pattern of events, possibly nested in a larger one.

    An open ``end_date`` means the incident is ongoing. Dates carry their
    precision: a crackdown that "erupted hours after the July 28 election"
    starts on an exact day; one "in August" starts in a month.
    """

    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=32, choices=IncidentKind.choices)
    summary = models.TextField(_("summary"), blank=True)
    country = CountryField(_("country"))
    location = models.CharField(_("location"), max_length=300, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    start_precision = precision_field(_("start precision"))
    end_date = models.DateField(
        _("end date"), null=True, blank=True, help_text=_("Leave empty while it is ongoing.")
    )
    end_precision = precision_field(_("end precision"))
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    constraint_fields = {
        "incident_end_not_before_start": "end_date",
        "incident_title_not_empty": "title",
        "incident_not_its_own_parent": "parent",
    }
    history = audited()

    class Meta:
        ordering = ["start_date", "title"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        constraints = [
            external_id_unique("incident"),
            models.CheckConstraint(condition=~Q(title=""), name="incident_title_not_empty"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="incident_end_not_before_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("pk")), name="incident_not_its_own_parent"
            ),
        ]
        indexes = [
            models.Index(fields=["country", "kind"], name="incident_country_kind_idx"),
            models.Index(fields=["kind"], name="incident_kind_idx"),
            models.Index(fields=["start_date", "end_date"], name="incident_period_idx"),
            # date_from: incidents still going on (end_date >= d, or open) at a date.
            models.Index(fields=["end_date"], name="incident_end_date_idx"),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        # A cycle (A inside B inside A) cannot be expressed as a check constraint.
        ancestor, seen = self.parent, set()
        while ancestor is not None and ancestor.pk not in seen:
            if self.pk and ancestor.pk == self.pk:
                raise ValidationError({"parent": _("An incident cannot be nested in itself.")})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent


class DetaineeGroup(Record):
    """A population of detained people sharing traits, within an incident.

    Figures count a group over time ("minors aged 14-17": at least 129
    detained, 69 still detained in mid-November, none by late December).
    """

    incident = models.ForeignKey(
        Incident, verbose_name=_("incident"), on_delete=models.PROTECT, related_name="groups"
    )
    label = models.CharField(_("label"), max_length=200)
    age_min = models.PositiveSmallIntegerField(
        _("minimum age"), null=True, blank=True, validators=[MaxValueValidator(MAX_AGE)]
    )
    age_max = models.PositiveSmallIntegerField(
        _("maximum age"), null=True, blank=True, validators=[MaxValueValidator(MAX_AGE)]
    )
    sex = models.CharField(_("sex"), max_length=16, choices=Sex.choices, default=Sex.UNKNOWN)
    citizenship = models.CharField(
        _("citizenship"), max_length=16, choices=Citizenship.choices, default=Citizenship.UNKNOWN
    )
    nationality = CountryField(_("nationality"), blank=True)
    affiliation = models.CharField(
        _("affiliation"), max_length=16, choices=Affiliation.choices, default=Affiliation.UNKNOWN
    )
    charges = models.TextField(_("charges"), blank=True)
    description = models.TextField(_("description"), blank=True)

    constraint_fields = {
        "group_label_not_empty": "label",
        "group_label_unique_per_incident": "label",
        "group_age_min_not_above_max": "age_max",
        "group_age_max_plausible": "age_max",
    }
    history = audited()

    class Meta:
        ordering = ["incident_id", "label"]
        verbose_name = _("detainee group")
        verbose_name_plural = _("detainee groups")
        constraints = [
            external_id_unique("detaineegroup"),
            models.CheckConstraint(condition=~Q(label=""), name="group_label_not_empty"),
            models.UniqueConstraint(
                fields=["incident", "label"],
                condition=SHARED_AND_LIVE,
                name="group_label_unique_per_incident",
                violation_error_message=_("This incident already has a group with this label."),
            ),
            models.CheckConstraint(
                condition=Q(age_min__isnull=True)
                | Q(age_max__isnull=True)
                | Q(age_min__lte=F("age_max")),
                name="group_age_min_not_above_max",
                violation_error_message=_("The minimum age cannot be above the maximum age."),
            ),
            models.CheckConstraint(
                condition=Q(age_max__isnull=True) | Q(age_max__lte=MAX_AGE),
                name="group_age_max_plausible",
                violation_error_message=_("An age above 130 is not plausible."),
            ),
        ]
        indexes = [
            models.Index(fields=["citizenship"], name="group_citizenship_idx"),
            models.Index(fields=["affiliation"], name="group_affiliation_idx"),
            models.Index(fields=["age_min", "age_max"], name="group_age_idx"),
            models.Index(fields=["age_max"], name="group_age_max_idx"),  # minors=true
        ]

    def __str__(self):
        return self.label

    @property
    def is_minors(self) -> bool:
        return self.age_max is not None and self.age_max < 18


class Figure(Record):
    """One number one source reported about a group or an incident, as of a date.

    ``value`` is null when the source gave no number ("several"); a range or a
    bound goes in ``value_low``/``value_high``. The reporting source is the
    figure's one citation with stance ``asserts``; other sources corroborate,
    deny or dispute it with citations of their own.
    """

    incident = models.ForeignKey(
        Incident, verbose_name=_("incident"), on_delete=models.PROTECT, related_name="figures"
    )
    group = models.ForeignKey(
        DetaineeGroup,
        verbose_name=_("detainee group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="figures",
    )
    measure = models.CharField(_("measure"), max_length=32, choices=Measure.choices)
    value = models.PositiveIntegerField(
        _("value"), null=True, blank=True, validators=[MaxValueValidator(MAX_VALUE)]
    )
    value_low = models.PositiveIntegerField(
        _("low bound"), null=True, blank=True, validators=[MaxValueValidator(MAX_VALUE)]
    )
    value_high = models.PositiveIntegerField(
        _("high bound"), null=True, blank=True, validators=[MaxValueValidator(MAX_VALUE)]
    )
    qualifier = models.CharField(
        _("qualifier"), max_length=16, choices=Qualifier.choices, default=Qualifier.EXACT
    )
    as_of = models.DateField(_("as of"))
    as_of_precision = precision_field(_("as-of precision"))
    note = models.TextField(_("note"), blank=True)

    constraint_fields = {
        "figure_low_not_above_value": "value_low",
        "figure_value_not_above_high": "value_high",
        "figure_low_not_above_high": "value_high",
        "figure_exact_has_value": "value",
    }
    history = audited()

    class Meta:
        ordering = ["as_of", "pk"]
        verbose_name = _("figure")
        verbose_name_plural = _("figures")
        constraints = [
            external_id_unique("figure"),
            models.CheckConstraint(
                condition=Q(value_low__isnull=True)
                | Q(value__isnull=True)
                | Q(value_low__lte=F("value")),
                name="figure_low_not_above_value",
                violation_error_message=_("The low bound cannot be above the value."),
            ),
            models.CheckConstraint(
                condition=Q(value_high__isnull=True)
                | Q(value__isnull=True)
                | Q(value__lte=F("value_high")),
                name="figure_value_not_above_high",
                violation_error_message=_("The value cannot be above the high bound."),
            ),
            models.CheckConstraint(
                condition=Q(value_low__isnull=True)
                | Q(value_high__isnull=True)
                | Q(value_low__lte=F("value_high")),
                name="figure_low_not_above_high",
                violation_error_message=_("The low bound cannot be above the high bound."),
            ),
            models.CheckConstraint(
                condition=~Q(qualifier=Qualifier.EXACT) | Q(value__isnull=False),
                name="figure_exact_has_value",
                violation_error_message=_(
                    "An exact figure needs a value; use 'unspecified' when the source gave "
                    "no number."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["measure", "as_of"], name="figure_measure_as_of_idx"),
            # The list's order (as_of, pk): a page, however deep, is an index range scan.
            models.Index(fields=["as_of", "id"], name="figure_as_of_pk_idx"),
            # A series: the contested rule and the contest reasons look for figures of
            # the same incident and measure within days of each other.
            models.Index(fields=["incident", "measure", "as_of"], name="figure_series_idx"),
            models.Index(fields=["value"], name="figure_value_idx"),
            models.Index(fields=["qualifier"], name="figure_qualifier_idx"),
        ]

    def __str__(self):
        return f"{self.display_value} {self.group or self.incident}: {self.get_measure_display()}"

    @property
    def display_value(self) -> str:
        """The number as the source put it: "at least 129", "several"."""
        if self.value is None:
            if self.value_low is not None and self.value_high is not None:
                return f"{self.value_low}-{self.value_high}"
            if self.value_low is not None:
                return f"{self.value_low}+"
            # Translators: a figure whose source gave no number ("several people").
            return gettext("several") if self.qualifier == Qualifier.UNSPECIFIED else "?"
        if self.qualifier in (Qualifier.EXACT, Qualifier.UNSPECIFIED):
            return f"{self.value:,}"
        # Qualifier(...).label rather than get_qualifier_display(), which flattens the
        # field's choices anew at every call: a tenth of a figures page's serialisation.
        return f"{str(Qualifier(self.qualifier).label).lower()} {self.value:,}"

    def clean(self):
        if self.group_id and self.incident_id and self.group.incident_id != self.incident_id:
            raise ValidationError(
                {"group": _("The group belongs to another incident than this figure.")}
            )


class Allegation(Record):
    """A claimed violation against a group or within an incident.

    The violation type and the methods are controlled Terms; the status says
    where the claim stands (alleged, corroborated, acknowledged, denied,
    disputed), and the citations say who claims, confirms or denies it.
    """

    incident = models.ForeignKey(
        Incident, verbose_name=_("incident"), on_delete=models.PROTECT, related_name="allegations"
    )
    victim_group = models.ForeignKey(
        DetaineeGroup,
        verbose_name=_("victim group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="allegations",
    )
    violation_type = models.ForeignKey(
        "incidents.Term",
        verbose_name=_("violation type"),
        on_delete=models.PROTECT,
        related_name="allegations",
        limit_choices_to={"vocabulary": Vocabulary.VIOLATION},
    )
    methods = models.ManyToManyField(
        "incidents.Term",
        verbose_name=_("methods"),
        blank=True,
        related_name="method_allegations",
        limit_choices_to={"vocabulary": Vocabulary.METHOD},
    )
    perpetrator = models.ForeignKey(
        "incidents.Actor",
        verbose_name=_("alleged perpetrator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="allegations",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=AllegationStatus.choices,
        default=AllegationStatus.ALLEGED,
    )
    summary = models.TextField(_("summary"), blank=True)

    history = audited(m2m_fields=["methods"])

    class Meta:
        ordering = ["pk"]
        verbose_name = _("allegation")
        verbose_name_plural = _("allegations")
        constraints = [external_id_unique("allegation")]
        indexes = [models.Index(fields=["status"], name="allegation_status_idx")]

    def __str__(self):
        status = self.get_status_display().lower()
        if self.victim_group_id:
            # Translators: a violation, the group it was committed against, and its status.
            return gettext("%(violation)s of %(group)s (%(status)s)") % {
                "violation": self.violation_type,
                "group": self.victim_group,
                "status": status,
            }
        return f"{self.violation_type} ({status})"

    def clean(self):
        errors = {}
        if self.violation_type_id and self.violation_type.vocabulary != Vocabulary.VIOLATION:
            errors["violation_type"] = _("Choose a violation type, not a method.")
        if (
            self.victim_group_id
            and self.incident_id
            and self.victim_group.incident_id != self.incident_id
        ):
            errors["victim_group"] = _("The victim group belongs to another incident.")
        if errors:
            raise ValidationError(errors)
