"""FilterSets of the read API, named exactly as the public contract (DESIGN.md section 5).

Conventions, the same on every list:

- codes wherever a choice or a vocabulary is filtered (``measure=still_detained``,
  ``method=electric_shock``), public UUIDs wherever a record is;
- comma-separated values mean "any of these" (``measure=detained,released``);
- ranges are ``<field>__gte`` / ``<field>__lte``;
- ``q`` (full-text), ``ordering`` and ``updated_since`` on every list;
- a malformed value (a bad date, an unknown code, ``minors=perhaps``) is a 400
  naming the parameter, never a filter silently dropped. A well-formed UUID of a
  record that does not exist (or that the caller may not read) simply matches
  nothing, so filters never reveal whether a hidden record exists.
"""

import datetime

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext as _
from django_countries import countries
from django_filters.filters import BaseCSVFilter
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from incidents.access import visible
from incidents.choices import (
    ActorKind,
    Affiliation,
    AllegationStatus,
    Citizenship,
    IncidentKind,
    Measure,
    Qualifier,
    SourceKind,
    Stance,
    Vocabulary,
)
from incidents.models import (
    Actor,
    Allegation,
    Citation,
    DetaineeGroup,
    Figure,
    Incident,
    Source,
    Term,
)
from incidents.reads import search
from incidents.reads.contested import FIGURE_SCOPED, contested_condition
from incidents.reads.ordering import total_order

# --- filter types -----------------------------------------------------------------


class TermCodes(BaseChoiceIterator):
    """The codes of a vocabulary, read from the database when a form validates.

    Terms are editable in the admin, so their codes cannot be a fixed list; the
    schema lists the codes present when it is generated.
    """

    def __init__(self, vocabulary: str):
        self.vocabulary = vocabulary

    def __iter__(self):
        return iter(
            Term.objects.filter(vocabulary=self.vocabulary)
            .order_by("code")
            .values_list("code", "label")
        )


class CodesFilter(django_filters.BaseInFilter, django_filters.ChoiceFilter):
    """Any of several codes, comma-separated; each must be a known code."""


class UUIDsFilter(django_filters.BaseInFilter, django_filters.UUIDFilter):
    """Any of several public ids, comma-separated; each must be a well-formed UUID."""


class RecordsFilter(UUIDsFilter):
    """Records linked (through ``field_name``) to any of these, among those the caller may read.

    The linked records go through ``access.visible`` first: a filter on the id of
    a record the caller cannot see matches nothing, exactly like an unknown id,
    so the answer never reveals that the hidden record exists.
    """

    def filter(self, queryset, value):
        if not value:
            return queryset
        return queryset.filter(**{f"{self.field_name}__in": self.linked(queryset.model, value)})

    def linked(self, model, value) -> QuerySet:
        related = model._meta.get_field(self.field_name).related_model
        return visible(related._default_manager.filter(uuid__in=value), self.parent.request)


class CountriesFilter(CodesFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", list(countries))
        kwargs.setdefault("help_text", "ISO 3166-1 alpha-2 codes, comma-separated (VE,NI).")
        super().__init__(*args, **kwargs)


class StrictBooleanField(forms.Field):
    """``true``/``false`` (or 1/0, yes/no); anything else is an error, not "no filter"."""

    TRUE = {"true", "1", "yes"}
    FALSE = {"false", "0", "no"}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValidationError(_("Enter true or false."), code="invalid")


class MomentField(django_filters.fields.IsoDateTimeField):
    """An ISO 8601 date-time that can be expressed in UTC (years 1 to 9999 after conversion)."""

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return None
        # In UTC: PostgreSQL refuses offsets beyond 15:59 that ISO 8601 allows.
        try:
            return moment.astimezone(datetime.UTC)
        except OverflowError:
            raise ValidationError(
                _("Enter a date-time between the years 1 and 9999 in UTC."), code="invalid"
            ) from None


class MomentFilter(django_filters.IsoDateTimeFilter):
    field_class = MomentField


class SearchField(forms.CharField):
    """Text to search for; it must contain at least one word (letters or digits)."""

    def validate(self, value):
        super().validate(value)
        words = search.search_words(value) if value else None
        if words is not None and not words:
            raise ValidationError(_("Enter at least one word to search for."), code="invalid")
        if words and len(words) > search.MAX_WORDS:
            raise ValidationError(
                _("Search for at most %(max)d words.") % {"max": search.MAX_WORDS},
                code="max_words",
            )


class SearchFilter(django_filters.CharFilter):
    field_class = SearchField


@extend_schema_field(OpenApiTypes.BOOL)
class StrictBooleanFilter(django_filters.Filter):
    field_class = StrictBooleanField


@extend_schema_field(OpenApiTypes.INT)
class IntegerFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


# --- the common base -----------------------------------------------------------


class RecordFilterSet(django_filters.FilterSet):
    """``q``, ``updated_since`` and ``ordering``, shared by every list."""

    q = SearchFilter(
        method="filter_q",
        help_text="Full-text search: every word must begin a word of the record's text "
        "(titles, summaries, labels, and the quotes of its citations).",
    )
    updated_since = MomentFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text="Records created or changed at or after this ISO 8601 date-time.",
    )

    # The Citation foreign key to this model, when citations support it.
    citation_field: str | None = None

    def __init__(self, data=None, *args, **kwargs):
        # OpenAPI clients send a list as a repeated parameter (measure=a&measure=b), people
        # as one (measure=a,b): both mean the same. Any other parameter given twice is an
        # error, never "the last one wins".
        self.repeated: list[str] = []
        if data is not None and hasattr(data, "getlist"):
            data = data.copy()
            for name in list(data.keys()):
                values = data.getlist(name)
                if len(values) < 2:
                    continue
                if isinstance(self.base_filters.get(name), BaseCSVFilter):
                    data.setlist(name, [",".join(values)])
                else:
                    self.repeated.append(name)
        super().__init__(data, *args, **kwargs)

    def is_valid(self) -> bool:
        valid = super().is_valid()
        for name in self.repeated:
            self.form.errors.setdefault(name, self.form.error_class()).append(
                ValidationError(_("Give this parameter once."), code="repeated")
            )
        return valid and not self.repeated

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        words = search.search_words(value)
        model = queryset.model
        matches = search.text_matches(model._base_manager.all(), words).order_by().values("pk")
        if self.citation_field:
            # Matched against ``queryset``, which is scoped already: targets are trusted.
            quotes = search.text_matches(
                visible(Citation.objects.all(), self.request, trusted=Citation.TARGET_FIELDS),
                words,
            ).order_by()
            # One IN over both sets of ids: with an OR of two INs PostgreSQL tests every
            # row of the table against both instead of looking the matches up by key.
            matches = matches.union(quotes.values(f"{self.citation_field}_id"), all=True)
        return queryset.filter(pk__in=matches)

    def filter_queryset(self, queryset):
        # A total order, the same on both databases, so that pages never repeat or
        # skip a row and a keyset cursor can resume it.
        return total_order(super().filter_queryset(queryset))


def ordering(*fields: str) -> django_filters.OrderingFilter:
    return django_filters.OrderingFilter(
        fields=[(f, f) for f in fields],
        help_text="Sort by one or more of these fields, comma-separated; '-' for descending.",
    )


def in_organisation(prefix: str, ids, request) -> Q:
    """Issued by these actors (those the caller may read), or by members the caller may read.

    A hidden member never counts: matching through it would tell the caller which
    testimony, shown without its issuer, came from a member of which organisation.
    """
    actors = visible(Actor.objects.filter(uuid__in=ids), request).order_by().values("pk")
    members = visible(Actor.objects.filter(parent__in=actors), request).order_by().values("pk")
    # One IN over both sets, on the issuer column itself: an OR across a join to the
    # issuer's parent (or of two INs) keeps PostgreSQL from using the column's index.
    return Q(**{f"{prefix}__in": actors.union(members, all=True)})


# --- one FilterSet per list ---------------------------------------------------------


class ActorFilterSet(RecordFilterSet):
    """Filters of /api/v1/actors/."""

    kind = CodesFilter(choices=ActorKind.choices)
    country = CountriesFilter()
    parent = RecordsFilter(field_name="parent")
    ordering = ordering("name", "kind", "created_at", "updated_at")

    class Meta:
        model = Actor
        fields = []


class SourceFilterSet(RecordFilterSet):
    """Filters of /api/v1/sources/."""

    kind = CodesFilter(choices=SourceKind.choices)
    issuer = UUIDsFilter(
        method="filter_issuer",
        help_text="Sources issued by these actors or by their members (a director for an NGO).",
    )
    date__gte = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date__lte = django_filters.DateFilter(field_name="date", lookup_expr="lte")
    ordering = ordering("date", "title", "kind", "created_at", "updated_at")

    class Meta:
        model = Source
        fields = []

    def filter_issuer(self, queryset, name, value):
        return queryset.filter(in_organisation("issuer", value, self.request))


class IncidentFilterSet(RecordFilterSet):
    """Filters of /api/v1/incidents/."""

    country = CountriesFilter()
    kind = CodesFilter(choices=IncidentKind.choices)
    parent = RecordsFilter(field_name="parent")
    date_from = django_filters.DateFilter(
        method="filter_date_from",
        help_text="Incidents still going on at or after this date (open end = ongoing). "
        "Incidents with no start date are left out when a date filter is given.",
    )
    date_to = django_filters.DateFilter(
        method="filter_date_to",
        help_text="Incidents that had started by this date.",
    )
    ordering = ordering("start_date", "end_date", "title", "created_at", "updated_at")
    citation_field = "incident"

    class Meta:
        model = Incident
        fields = []

    def filter_date_from(self, queryset, name, value):
        return queryset.filter(
            Q(end_date__gte=value) | Q(end_date__isnull=True), start_date__isnull=False
        )

    def filter_date_to(self, queryset, name, value):
        return queryset.filter(start_date__lte=value)

    def is_valid(self):
        valid = super().is_valid()
        data = self.form.cleaned_data if valid else {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.form.add_error(
                "date_to", ValidationError(_("date_to cannot be before date_from."), code="invalid")
            )
            return False
        return valid


class DetaineeGroupFilterSet(RecordFilterSet):
    """Filters of /api/v1/detainee-groups/."""

    incident = RecordsFilter(field_name="incident")
    citizenship = CodesFilter(choices=Citizenship.choices)
    affiliation = CodesFilter(choices=Affiliation.choices)
    minors = StrictBooleanFilter(
        method="filter_minors",
        help_text="true: groups whose members are all under 18 (age_max < 18).",
    )
    age = IntegerFilter(
        method="filter_age",
        min_value=0,
        help_text="Groups whose age range contains this age (an open bound counts as open).",
    )
    ordering = ordering("label", "age_min", "age_max", "created_at", "updated_at")
    citation_field = "group"

    class Meta:
        model = DetaineeGroup
        fields = []

    def filter_minors(self, queryset, name, value):
        minors = Q(age_max__isnull=False, age_max__lt=18)
        return queryset.filter(minors if value else ~minors)

    def filter_age(self, queryset, name, value):
        return queryset.filter(
            Q(age_min__isnull=False) | Q(age_max__isnull=False),
            Q(age_min__isnull=True) | Q(age_min__lte=value),
            Q(age_max__isnull=True) | Q(age_max__gte=value),
        )


class FigureFilterSet(RecordFilterSet):
    """Filters of /api/v1/figures/ (and of the latest figures and the timeline)."""

    incident = RecordsFilter(field_name="incident")
    group = RecordsFilter(field_name="group")
    measure = CodesFilter(choices=Measure.choices)
    qualifier = CodesFilter(choices=Qualifier.choices)
    value__gte = IntegerFilter(field_name="value", lookup_expr="gte")
    value__lte = IntegerFilter(field_name="value", lookup_expr="lte")
    as_of__gte = django_filters.DateFilter(field_name="as_of", lookup_expr="gte")
    as_of__lte = django_filters.DateFilter(field_name="as_of", lookup_expr="lte")
    source = UUIDsFilter(method="filter_source", help_text="Figures reported by these sources.")
    source_kind = CodesFilter(
        choices=SourceKind.choices,
        method="filter_source_kind",
        help_text="Figures reported by sources of these kinds.",
    )
    issuer = UUIDsFilter(
        method="filter_issuer",
        help_text="Figures reported by these actors or by their members.",
    )
    contested = StrictBooleanFilter(
        method="filter_contested",
        help_text="true: figures a source denies or disputes, or that another source "
        "contradicts with a different value within 14 days.",
    )
    ordering = ordering("as_of", "value", "measure", "created_at", "updated_at")
    citation_field = "figure"

    class Meta:
        model = Figure
        fields = []

    def _reported(self, queryset, condition: Q):
        reporting = visible(
            Citation.objects.filter(stance=Stance.ASSERTS), self.request, trusted=FIGURE_SCOPED
        )
        return queryset.filter(pk__in=reporting.filter(condition).values("figure_id"))

    def filter_source(self, queryset, name, value):
        sources = visible(Source.objects.filter(uuid__in=value), self.request)
        return self._reported(queryset, Q(source__in=sources))

    def filter_source_kind(self, queryset, name, value):
        return self._reported(queryset, Q(source__kind__in=value))

    def filter_issuer(self, queryset, name, value):
        return self._reported(queryset, in_organisation("source__issuer", value, self.request))

    def filter_contested(self, queryset, name, value):
        queryset, condition = contested_condition(queryset, self.request)
        return queryset.filter(condition if value else ~condition)


class AllegationFilterSet(RecordFilterSet):
    """Filters of /api/v1/allegations/."""

    incident = RecordsFilter(field_name="incident")
    victim_group = RecordsFilter(field_name="victim_group")
    violation_type = CodesFilter(
        choices=TermCodes(Vocabulary.VIOLATION), field_name="violation_type__code", lookup_expr="in"
    )
    method = CodesFilter(
        choices=TermCodes(Vocabulary.METHOD),
        method="filter_method",
        help_text="Allegations naming any of these methods.",
    )
    perpetrator = RecordsFilter(field_name="perpetrator")
    status = CodesFilter(choices=AllegationStatus.choices)
    ordering = ordering("status", "created_at", "updated_at")
    citation_field = "allegation"

    class Meta:
        model = Allegation
        fields = []

    def filter_method(self, queryset, name, value):
        named = Allegation.methods.through.objects.filter(term__code__in=value)
        return queryset.filter(pk__in=named.values("allegation_id"))


class CitationFilterSet(RecordFilterSet):
    """Filters of /api/v1/citations/."""

    source = RecordsFilter(field_name="source")
    stance = CodesFilter(choices=Stance.choices)
    incident = RecordsFilter(field_name="incident")
    group = RecordsFilter(field_name="group")
    figure = RecordsFilter(field_name="figure")
    allegation = RecordsFilter(field_name="allegation")
    ordering = ordering("created_at", "updated_at")

    class Meta:
        model = Citation
        fields = []


class TermFilterSet(RecordFilterSet):
    """Filters of /api/v1/terms/."""

    vocabulary = CodesFilter(choices=Vocabulary.choices)
    ordering = ordering("code", "label", "created_at", "updated_at")

    class Meta:
        model = Term
        fields = []
