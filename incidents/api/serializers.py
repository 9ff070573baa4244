"""Representations of the read API. Fields are listed explicitly: a new column never leaks.

Records embed brief versions of what they link to (``{id, title}``, ``{id, name}``)
and their citations with the source, its kind, issuer and date, so that one
request answers "who said so, when, and in what words". List and detail use the
same serializer, so they show the same fields.
"""

import copy
from collections.abc import Mapping

from django.db.models.manager import BaseManager
from django_countries.serializers import CountryFieldMixin
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject

from incidents import access_log
from incidents.access import Principal, principal_of, readable_by
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
from incidents.reads.contested import SHOWN_CITATIONS, asserting_citation

# Off only in tests, which compare the two ways of representing a record.
FAST_REPRESENTATION = True
_MISSING = object()
RELATION_FIELDS = (serializers.RelatedField, serializers.ManyRelatedField)


class FastSerializer(serializers.Serializer):
    """DRF's ``to_representation``, with each field's attribute lookup planned once.

    DRF looks every attribute up through a generic path (mapping or object,
    callable or not, dotted or not) and walks the field list anew for every
    record; on a page of 100 figures with their citations and sources that is
    tens of thousands of calls, a third of the request. Here a serializer
    works out once which of its fields read a plain attribute; for those it
    reads the attribute directly. Anything else (a dotted source, a callable, a
    relation field, a missing attribute) goes through DRF's own path, so the
    output is the same: ``tests/api/test_representation.py`` compares both on
    every endpoint.
    """

    def get_fields(self):
        # A ModelSerializer builds its fields from the model's metadata each time it is
        # instantiated, that is once per nested serializer per response. The fields do
        # not depend on the request, so each class builds them once and copies them.
        if not FAST_REPRESENTATION:
            return super().get_fields()
        cls = type(self)
        template = cls.__dict__.get("_fields_template")
        if template is None:
            template = super().get_fields()
            cls._fields_template = template
        return copy.deepcopy(template)

    def _plan(self) -> list:
        plan = self.__dict__.get("_fast_plan")
        if plan is None:
            plan = []
            for field in self._readable_fields:
                attrs = field.source_attrs
                if isinstance(field, RELATION_FIELDS) or len(attrs) > 1:
                    plan.append((field.field_name, None, field, False))
                else:
                    plan.append((field.field_name, attrs[0] if attrs else None, field, True))
            self.__dict__["_fast_plan"] = plan
        return plan

    def to_representation(self, instance):
        # Every record the API shows passes here, nested ones too (a figure's citations
        # and their sources, a linked incident): a restricted one is a read to log.
        if getattr(instance, "visibility", None) == access_log.RESTRICTED:
            log = response_log(self)
            if log is not None:
                log.add(instance._meta.label_lower, instance.uuid)
        if not FAST_REPRESENTATION or isinstance(instance, Mapping):
            return super().to_representation(instance)
        data = {}
        for name, attr, field, direct in self._plan():
            if not direct:
                value = _drf_value(field, instance)
                if value is not _MISSING:
                    data[name] = value
                continue
            if attr is None:
                value = instance
            else:
                try:
                    value = getattr(instance, attr)
                except Exception:  # DRF decides: a default, None, or no field at all
                    value = _MISSING
                # A related manager is callable but DRF reads it as it is, like here.
                if value is _MISSING or (callable(value) and not isinstance(value, BaseManager)):
                    value = _drf_attribute(field, instance)
                    if value is _MISSING:
                        continue
            data[name] = None if value is None else field.to_representation(value)
        return data


def _drf_attribute(field, instance):
    """The attribute as DRF reads it, or ``_MISSING`` when DRF would leave the field out."""
    try:
        return field.get_attribute(instance)
    except SkipField:
        return _MISSING


def _drf_value(field, instance):
    """A field's value exactly as ``Serializer.to_representation`` computes it."""
    attribute = _drf_attribute(field, instance)
    if attribute is _MISSING:
        return _MISSING
    check = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
    return None if check is None else field.to_representation(attribute)


class PublicIdMixin(FastSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True, help_text="Public identifier.")


def request_principal(serializer) -> Principal:
    """The caller, worked out once per response (a page asks for it once a link)."""
    context = serializer.context
    principal = context.get("_principal")
    if principal is None:
        principal = principal_of(context.get("request"))
        context["_principal"] = principal
    return principal


def response_log(serializer) -> access_log.Collector | None:
    """The request's access log collector, looked up once per response."""
    context = serializer.context
    if "_access_log" not in context:
        context["_access_log"] = access_log.collector(context.get("request"))
    return context["_access_log"]


class BriefSerializer(PublicIdMixin, serializers.ModelSerializer):
    """A link to another record. Null when the caller may not read the record linked to."""

    def to_representation(self, instance):
        if not readable_by(instance, request_principal(self)):
            return None
        return super().to_representation(instance)


class ActorBriefSerializer(BriefSerializer):
    class Meta:
        model = Actor
        fields = ("id", "name", "kind")


class IncidentBriefSerializer(BriefSerializer):
    class Meta:
        model = Incident
        fields = ("id", "title")


class GroupBriefSerializer(BriefSerializer):
    class Meta:
        model = DetaineeGroup
        fields = ("id", "label")


class SourceLinkSerializer(BriefSerializer):
    class Meta:
        model = Source
        fields = ("id", "title")


class SourceBriefSerializer(BriefSerializer):
    """A source as cited: what it is, who issued it, when, and where it reached us."""

    issuer = ActorBriefSerializer(read_only=True, allow_null=True)
    reported_in = SourceLinkSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Source
        fields = ("id", "title", "kind", "issuer", "date", "date_precision", "reported_in", "url")


class TermBriefSerializer(PublicIdMixin, serializers.ModelSerializer):
    label = serializers.SerializerMethodField(help_text="In the language asked for.")

    class Meta:
        model = Term
        fields = ("id", "code", "label")

    def get_label(self, term) -> str:
        return term.localized_label()


class CitationSerializer(PublicIdMixin, serializers.ModelSerializer):
    """Who said so: the source, its verbatim words, and whether it asserts or disputes."""

    source = SourceBriefSerializer(read_only=True)

    class Meta:
        model = Citation
        fields = ("id", "stance", "quote", "note", "source")


class RecordSerializer(CountryFieldMixin, PublicIdMixin, serializers.ModelSerializer):
    """Fields every record has."""

    COMMON = ("external_id", "visibility", "review_status", "version", "created_at", "updated_at")

    external_id = serializers.SerializerMethodField(
        help_text="The owner's own id for this record; shown to its owner and to staff only."
    )

    def get_external_id(self, record) -> str | None:
        # A partner's ids (case numbers, say) are its own business.
        if not record.external_id:
            return None
        principal = request_principal(self)
        if principal.is_staff or (
            principal.partner is not None and record.owner_id == principal.partner.pk
        ):
            return record.external_id
        return None


class ActorSerializer(RecordSerializer):
    parent = ActorBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Actor
        fields = (
            "id",
            "name",
            "kind",
            "country",
            "parent",
            "role",
            "description",
            *RecordSerializer.COMMON,
        )


class SourceSerializer(RecordSerializer):
    issuer = ActorBriefSerializer(read_only=True, allow_null=True)
    reported_in = SourceLinkSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Source
        fields = (
            "id",
            "kind",
            "title",
            "issuer",
            "reported_in",
            "date",
            "date_precision",
            "url",
            "language",
            "text",
            *RecordSerializer.COMMON,
        )


class IncidentSerializer(RecordSerializer):
    parent = IncidentBriefSerializer(read_only=True, allow_null=True)
    citations = CitationSerializer(many=True, read_only=True, source=SHOWN_CITATIONS)

    class Meta:
        model = Incident
        fields = (
            "id",
            "title",
            "kind",
            "summary",
            "country",
            "location",
            "start_date",
            "start_precision",
            "end_date",
            "end_precision",
            "parent",
            "citations",
            *RecordSerializer.COMMON,
        )


class DetaineeGroupSerializer(RecordSerializer):
    incident = IncidentBriefSerializer(read_only=True)
    minors = serializers.BooleanField(
        source="is_minors", read_only=True, help_text="True when every member is under 18."
    )
    citations = CitationSerializer(many=True, read_only=True, source=SHOWN_CITATIONS)

    class Meta:
        model = DetaineeGroup
        fields = (
            "id",
            "incident",
            "label",
            "age_min",
            "age_max",
            "minors",
            "sex",
            "citizenship",
            "nationality",
            "affiliation",
            "charges",
            "description",
            "citations",
            *RecordSerializer.COMMON,
        )


class FigureBriefSerializer(PublicIdMixin, serializers.ModelSerializer):
    class Meta:
        model = Figure
        fields = ("id", "value", "qualifier", "as_of", "as_of_precision")


class CitationLinkSerializer(PublicIdMixin, serializers.ModelSerializer):
    class Meta:
        model = Citation
        fields = ("id", "stance", "quote")


class ContestReasonSerializer(FastSerializer):
    """Why a figure is contested: a source objects to it, or reports another value."""

    reason = serializers.ChoiceField(
        choices=[
            ("denies", "A source denies the figure."),
            ("disputes", "A source disputes the figure."),
            ("different_value", "Another source reports a different value at about that date."),
        ]
    )
    source = SourceBriefSerializer(read_only=True, allow_null=True)
    citation = CitationLinkSerializer(
        read_only=True,
        allow_null=True,
        help_text="The objecting citation, for 'denies' and 'disputes'.",
    )
    figure = FigureBriefSerializer(
        read_only=True, allow_null=True, help_text="The other figure, for 'different_value'."
    )


class FigureSerializer(RecordSerializer):
    """A figure with its reporting source and everyone who corroborates or disputes it."""

    incident = IncidentBriefSerializer(read_only=True)
    group = GroupBriefSerializer(read_only=True, allow_null=True)
    display_value = serializers.CharField(
        read_only=True, help_text='The number as the source put it: "at least 129", "several".'
    )
    reported_by = serializers.SerializerMethodField(
        help_text="The source of the figure's asserting citation."
    )
    contested = serializers.SerializerMethodField(
        help_text="Whether a source objects to this figure or reports a different value."
    )
    contest_reasons = ContestReasonSerializer(many=True, read_only=True)
    citations = CitationSerializer(many=True, read_only=True, source=SHOWN_CITATIONS)

    class Meta:
        model = Figure
        fields = (
            "id",
            "incident",
            "group",
            "measure",
            "value",
            "value_low",
            "value_high",
            "qualifier",
            "display_value",
            "as_of",
            "as_of_precision",
            "note",
            "reported_by",
            "contested",
            "contest_reasons",
            "citations",
            *RecordSerializer.COMMON,
        )

    @extend_schema_field(SourceBriefSerializer(allow_null=True))
    def get_reported_by(self, figure):
        citation = asserting_citation(figure)
        if citation is None:
            return None
        # One serializer for the whole page: building one per figure made DRF rebuild
        # its fields every time, nearly half of a figures list's time.
        brief = getattr(self, "_source_brief", None)
        if brief is None:
            brief = self._source_brief = SourceBriefSerializer(context=self.context)
        return brief.to_representation(citation.source)

    def get_contested(self, figure) -> bool:
        return bool(figure.contest_reasons)


class AllegationSerializer(RecordSerializer):
    incident = IncidentBriefSerializer(read_only=True)
    victim_group = GroupBriefSerializer(read_only=True, allow_null=True)
    violation_type = TermBriefSerializer(read_only=True)
    methods = TermBriefSerializer(many=True, read_only=True, source="shown_methods")
    perpetrator = ActorBriefSerializer(read_only=True, allow_null=True)
    citations = CitationSerializer(many=True, read_only=True, source=SHOWN_CITATIONS)

    class Meta:
        model = Allegation
        fields = (
            "id",
            "incident",
            "victim_group",
            "violation_type",
            "methods",
            "perpetrator",
            "status",
            "summary",
            "citations",
            *RecordSerializer.COMMON,
        )


class TermSerializer(PublicIdMixin, serializers.ModelSerializer):
    label = serializers.SerializerMethodField(help_text="In the language asked for.")
    label_en = serializers.CharField(source="label", read_only=True)
    parent = TermBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Term
        fields = (
            "id",
            "vocabulary",
            "code",
            "label",
            "label_en",
            "label_es",
            "esf_code",
            "description",
            "parent",
            "created_at",
            "updated_at",
        )

    def get_label(self, term) -> str:
        return term.localized_label()


class TimelinePointSerializer(PublicIdMixin, serializers.ModelSerializer):
    """One figure on a timeline: its value, date, who reported it and in what words."""

    display_value = serializers.CharField(read_only=True)
    reported_by = serializers.SerializerMethodField()
    quote = serializers.SerializerMethodField(help_text="The asserting citation's verbatim words.")
    contested = serializers.SerializerMethodField()
    contest_reasons = ContestReasonSerializer(many=True, read_only=True)

    class Meta:
        model = Figure
        fields = (
            "id",
            "as_of",
            "as_of_precision",
            "value",
            "value_low",
            "value_high",
            "qualifier",
            "display_value",
            "reported_by",
            "quote",
            "contested",
            "contest_reasons",
        )

    get_reported_by = FigureSerializer.get_reported_by
    get_contested = FigureSerializer.get_contested

    def get_quote(self, figure) -> str | None:
        citation = asserting_citation(figure)
        return citation.quote if citation is not None else None


class TimelineSeriesSerializer(FastSerializer):
    """The figures of one measure for one group (or for the incident as a whole)."""

    measure = serializers.ChoiceField(choices=Figure._meta.get_field("measure").choices)
    incident = IncidentBriefSerializer(read_only=True)
    group = GroupBriefSerializer(read_only=True, allow_null=True)
    points = TimelinePointSerializer(many=True, read_only=True)


class TimelineSerializer(FastSerializer):
    """An incident's figures and those of its nested incidents, by measure and group."""

    incident = IncidentBriefSerializer(read_only=True)
    incidents = IncidentBriefSerializer(
        many=True, read_only=True, help_text="The incident and the nested incidents covered."
    )
    series = TimelineSeriesSerializer(many=True, read_only=True)


class CitationTargetSerializer(serializers.Serializer):
    """The one record a citation supports."""

    type = serializers.ChoiceField(choices=["incident", "group", "figure", "allegation"])
    id = serializers.UUIDField()


class CitationRecordSerializer(RecordSerializer):
    """A citation as a resource of its own (/api/v1/citations/)."""

    source = SourceBriefSerializer(read_only=True)
    target = serializers.SerializerMethodField()

    class Meta:
        model = Citation
        fields = (
            "id",
            "stance",
            "quote",
            "note",
            "source",
            "target",
            *RecordSerializer.COMMON,
        )

    @extend_schema_field(CitationTargetSerializer)
    def get_target(self, citation):
        for name in Citation.TARGET_FIELDS:
            if getattr(citation, f"{name}_id"):
                return {"type": name, "id": str(getattr(citation, name).uuid)}
        return None


class HistoryChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    old = serializers.JSONField(allow_null=True)
    new = serializers.JSONField(allow_null=True)


class HistoryEntrySerializer(serializers.Serializer):
    """One change of a record: when, by what kind of actor, through what, and what."""

    version = serializers.IntegerField()
    date = serializers.DateTimeField()
    action = serializers.ChoiceField(
        choices=["created", "changed", "deleted", "restored", "removed"]
    )
    via = serializers.ChoiceField(choices=["admin", "api", "command"])
    reason = serializers.CharField(
        allow_blank=True,
        help_text="Why (X-Change-Reason): shown to those who see the old and new values "
        "(see changes); empty for everyone else.",
    )
    by_kind = serializers.ChoiceField(choices=["staff", "partner", "system"])
    by_name = serializers.CharField(
        allow_null=True, help_text="Shown to staff, and to the partner for its own changes."
    )
    changed_fields = serializers.ListField(child=serializers.CharField())
    changes = HistoryChangeSerializer(
        many=True,
        allow_null=True,
        help_text="Old and new values: shown to staff who may change the record and to "
        "the partner that owns it; null for everyone else.",
    )


READ_SERIALIZERS = {
    Actor: ActorSerializer,
    Source: SourceSerializer,
    Incident: IncidentSerializer,
    DetaineeGroup: DetaineeGroupSerializer,
    Figure: FigureSerializer,
    Allegation: AllegationSerializer,
    Citation: CitationRecordSerializer,
}
