"""What clients send to create and change records. Fields are listed explicitly.

Links to other records are public UUIDs, resolved among the records the caller
may read: an id the caller cannot see gets the same "no record with this id"
as an id that does not exist. Vocabulary terms are given by code. Responses to
writes use the read representation (``serializers.py``).
"""

import re
import uuid
from collections.abc import Mapping
from functools import cached_property

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries.serializers import CountryFieldMixin
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.fields import SkipField, empty, get_error_detail
from rest_framework.settings import api_settings
from rest_framework.validators import ProhibitSurrogateCharactersValidator

from incidents.access import visible
from incidents.choices import Stance, Vocabulary
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
from incidents.writes.services import CitationData


@extend_schema_field(OpenApiTypes.UUID)
class RecordRef(serializers.SlugRelatedField):
    """A linked record by its public id, among those the caller may read."""

    default_error_messages = {
        "does_not_exist": gettext_lazy("No record with this id."),
        "invalid": gettext_lazy("Enter a valid id (a UUID)."),
    }

    def __init__(self, model, **kwargs):
        super().__init__(slug_field="uuid", queryset=model.objects.all(), **kwargs)

    def get_queryset(self):
        return visible(super().get_queryset(), self.context.get("request"))

    def to_internal_value(self, data):
        try:
            uuid.UUID(str(data))
        except ValueError:
            self.fail("invalid")
        return super().to_internal_value(data)

    def to_representation(self, value):
        return str(value.uuid)


class TermRef(serializers.SlugRelatedField):
    """A vocabulary term by its code (``electric_shock``)."""

    default_error_messages = {
        "does_not_exist": gettext_lazy("No {vocabulary} term with code {value}.")
    }

    def __init__(self, vocabulary, **kwargs):
        self.vocabulary = vocabulary
        super().__init__(
            slug_field="code", queryset=Term.objects.filter(vocabulary=vocabulary), **kwargs
        )

    def to_internal_value(self, data):
        code = str(data)
        if "\x00" in code:  # no code holds one, and PostgreSQL refuses it in a query
            self.fail("does_not_exist", vocabulary=self.vocabulary, value=code[:64])
        try:
            return self.get_queryset().get(code=code)
        except Term.DoesNotExist:
            self.fail("does_not_exist", vocabulary=self.vocabulary, value=str(data)[:64])


class SurrogateCharactersValidator(ProhibitSurrogateCharactersValidator):
    """DRF's refusal of surrogate characters, with the same error, found by a regex.

    DRF's looks at each character of the text in Python, which for an import of
    thousands of quotes costs more than all the other checks of their fields.
    """

    SURROGATE = re.compile(r"[\ud800-\udfff]")

    def __call__(self, value):
        found = self.SURROGATE.search(str(value))
        if found is not None:  # the first, as DRF reports
            raise ValidationError(
                self.message.format(code_point=ord(found.group())), code=self.code
            )


class FasterChecksMixin:
    """What every write serializer shares to check each row faster, with the same results.

    - ``_writable_fields``, each one's ``validate_<field>`` method, and the
      read-only fields with a default: DRF walks the bound fields anew for
      every row it reads; they never change once bound, so each list is made
      once.
    - Text fields get ``SurrogateCharactersValidator`` in place of DRF's.
    """

    @cached_property
    def _writable_fields(self):
        return [field for field in self.fields.values() if not field.read_only]

    @cached_property
    def _reading_plan(self):
        """Each writable field, with its ``validate_<field>`` method (or None)."""
        return [
            (field, getattr(self, f"validate_{field.field_name}", None))
            for field in self._writable_fields
        ]

    def to_internal_value(self, data):
        """DRF's ``Serializer.to_internal_value``, step for step, over ``_reading_plan``.

        DRF looks up each field's ``validate_<field>`` method anew for every row.
        """
        if not isinstance(data, Mapping):
            message = self.error_messages["invalid"].format(datatype=type(data).__name__)
            raise ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [message]}, code="invalid")
        ret = {}
        errors = {}
        for field, validate_method in self._reading_plan:
            primitive_value = field.get_value(data)
            try:
                validated_value = field.run_validation(primitive_value)
                if validate_method is not None:
                    validated_value = validate_method(validated_value)
            except ValidationError as exc:
                errors[field.field_name] = exc.detail
            except DjangoValidationError as exc:
                errors[field.field_name] = get_error_detail(exc)
            except SkipField:
                pass
            else:
                self.set_value(ret, field.source_attrs, validated_value)
        if errors:
            raise ValidationError(errors)
        return ret

    @cached_property
    def _read_only_with_defaults(self):
        """The fields DRF's ``_read_only_defaults`` picks, picked once."""
        return [
            field
            for field in self.fields.values()
            if field.read_only
            and field.default != empty
            and field.source != "*"
            and "." not in field.source
        ]

    def _read_only_defaults(self):
        """DRF's, over the fields picked once (their defaults are still read every time)."""
        defaults = {}
        for field in self._read_only_with_defaults:
            try:
                default = field.get_default()
            except SkipField:
                continue
            defaults[field.source] = default
        return defaults

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            if any(type(v) is ProhibitSurrogateCharactersValidator for v in field.validators):
                field.validators = [
                    SurrogateCharactersValidator()
                    if type(v) is ProhibitSurrogateCharactersValidator
                    else v
                    for v in field.validators
                ]
        return fields


class CitationInputSerializer(FasterChecksMixin, serializers.Serializer):
    """A citation sent with the record it supports."""

    source = RecordRef(Source)
    quote = serializers.CharField(help_text="The source's exact words.")
    stance = serializers.ChoiceField(choices=Stance.choices, default=Stance.ASSERTS)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    visibility = serializers.ChoiceField(
        choices=Citation._meta.get_field("visibility").choices,
        required=False,
        help_text="Defaults to the visibility of the record it supports.",
    )

    def to_internal_value(self, data):
        return CitationData(**super().to_internal_value(data))


class RecordWriteSerializer(FasterChecksMixin, CountryFieldMixin, serializers.ModelSerializer):
    """Plain fields come from the model (types, lengths, bounds); services do the rest."""

    # Records created through the API are restricted unless the client says otherwise:
    # a forgotten field must never publish testimony about a detained child.
    visibility = serializers.ChoiceField(
        choices=Figure._meta.get_field("visibility").choices,
        required=False,
        help_text="Who may read it: public, partners or restricted (the default for new "
        "records). Only a reviewer widens it: a partner's `public` is kept as `partners`, "
        "unreviewed, until a reviewer publishes the record (unless the partner is a trusted "
        "publisher); staff without the publish permission get a 400.",
    )

    external_id = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text="Your own id for this record, unique among your records of this kind; "
        "PUT .../by-external-id/{external_id}/ creates or updates by it.",
    )

    class Meta:
        validators = []  # the services validate with the model's own rules

    def validate_external_id(self, value: str) -> str:
        if not value.isprintable() or value != value.strip():
            raise serializers.ValidationError(
                _("Use printable characters, without leading or trailing spaces.")
            )
        return value

    def service_fields(self, upsert: bool = False) -> dict:
        """The validated plain and linked fields, without nested lists.

        For an upsert the services choose the default visibility, since an update
        that leaves it out keeps the record's.
        """
        data = dict(self.validated_data)
        data.pop("citations", None)
        data.pop("methods", None)
        if self.instance is None and not upsert:
            data.setdefault("visibility", "restricted")
        return data


class CitedWriteSerializer(RecordWriteSerializer):
    citations = CitationInputSerializer(
        many=True,
        required=False,
        write_only=True,
        help_text="Citations to attach when creating; later, use /api/v1/citations/.",
    )

    def to_internal_value(self, data):
        # Checked before the nested fields, which a PATCH would validate as partial.
        if self.instance is not None and isinstance(data, dict) and "citations" in data:
            raise serializers.ValidationError(
                {
                    "citations": [
                        _(
                            "Citations are attached when the record is created; "
                            "afterwards, change them through /api/v1/citations/."
                        )
                    ]
                }
            )
        return super().to_internal_value(data)


class ActorWriteSerializer(RecordWriteSerializer):
    parent = RecordRef(Actor, required=False, allow_null=True)

    class Meta(RecordWriteSerializer.Meta):
        model = Actor
        fields = (
            "name",
            "kind",
            "country",
            "parent",
            "role",
            "description",
            "external_id",
            "visibility",
        )


class SourceWriteSerializer(RecordWriteSerializer):
    issuer = RecordRef(Actor, required=False, allow_null=True)
    reported_in = RecordRef(Source, required=False, allow_null=True)

    class Meta(RecordWriteSerializer.Meta):
        model = Source
        fields = (
            "kind",
            "title",
            "issuer",
            "reported_in",
            "date",
            "date_precision",
            "url",
            "language",
            "text",
            "external_id",
            "visibility",
        )


class IncidentWriteSerializer(CitedWriteSerializer):
    parent = RecordRef(Incident, required=False, allow_null=True)

    class Meta(RecordWriteSerializer.Meta):
        model = Incident
        fields = (
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
            "external_id",
            "visibility",
            "citations",
        )


class DetaineeGroupWriteSerializer(CitedWriteSerializer):
    incident = RecordRef(Incident)

    class Meta(RecordWriteSerializer.Meta):
        model = DetaineeGroup
        fields = (
            "incident",
            "label",
            "age_min",
            "age_max",
            "sex",
            "citizenship",
            "nationality",
            "affiliation",
            "charges",
            "description",
            "external_id",
            "visibility",
            "citations",
        )


class FigureWriteSerializer(CitedWriteSerializer):
    incident = RecordRef(Incident)
    group = RecordRef(DetaineeGroup, required=False, allow_null=True)

    class Meta(RecordWriteSerializer.Meta):
        model = Figure
        fields = (
            "incident",
            "group",
            "measure",
            "value",
            "value_low",
            "value_high",
            "qualifier",
            "as_of",
            "as_of_precision",
            "note",
            "external_id",
            "visibility",
            "citations",
        )

    def validate(self, attrs):
        if self.instance is None and not attrs.get("citations"):
            raise serializers.ValidationError(
                {"citations": [_("A figure is created with its citations: exactly one 'asserts'.")]}
            )
        return attrs


class AllegationWriteSerializer(CitedWriteSerializer):
    incident = RecordRef(Incident)
    victim_group = RecordRef(DetaineeGroup, required=False, allow_null=True)
    violation_type = TermRef(Vocabulary.VIOLATION)
    methods = serializers.ListField(
        child=TermRef(Vocabulary.METHOD), required=False, help_text="Method codes."
    )
    perpetrator = RecordRef(Actor, required=False, allow_null=True)

    class Meta(RecordWriteSerializer.Meta):
        model = Allegation
        fields = (
            "incident",
            "victim_group",
            "violation_type",
            "methods",
            "perpetrator",
            "status",
            "summary",
            "external_id",
            "visibility",
            "citations",
        )


class CitationWriteSerializer(RecordWriteSerializer):
    """A citation on its own: attached to exactly one incident, group, figure or allegation."""

    source = RecordRef(Source)
    incident = RecordRef(Incident, required=False, allow_null=True)
    group = RecordRef(DetaineeGroup, required=False, allow_null=True)
    figure = RecordRef(Figure, required=False, allow_null=True)
    allegation = RecordRef(Allegation, required=False, allow_null=True)

    TARGETS = ("incident", "group", "figure", "allegation")

    class Meta(RecordWriteSerializer.Meta):
        model = Citation
        fields = (
            "source",
            "quote",
            "stance",
            "note",
            "incident",
            "group",
            "figure",
            "allegation",
            "external_id",
            "visibility",
        )

    def validate(self, attrs):
        targets = [name for name in self.TARGETS if attrs.get(name) is not None]
        if self.instance is None:
            if len(targets) != 1:
                raise serializers.ValidationError(
                    _("Give exactly one of incident, group, figure or allegation.")
                )
        elif any(name in attrs for name in self.TARGETS):
            raise serializers.ValidationError(
                _("A citation stays with the record it supports; delete it and cite again.")
            )
        return attrs


WRITE_SERIALIZERS = {
    Actor: ActorWriteSerializer,
    Source: SourceWriteSerializer,
    Incident: IncidentWriteSerializer,
    DetaineeGroup: DetaineeGroupWriteSerializer,
    Figure: FigureWriteSerializer,
    Allegation: AllegationWriteSerializer,
    Citation: CitationWriteSerializer,
}
