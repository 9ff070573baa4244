"""The write serializers read every body as DRF's own steps would, only with less work a row.

``FasterChecksMixin`` keeps DRF's loop over the fields but works out once what
DRF works out for every row, and checks text for surrogates with a regex; the
import (``imports._validated_once``) remembers what a field made of a value.
Each is compared here with DRF's own code on the same bodies, errors included.
"""

import copy
import json
from contextlib import contextmanager
from unittest.mock import patch

import pytest
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.validators import ProhibitSurrogateCharactersValidator

from incidents.api.write_serializers import (
    CitationInputSerializer,
    FasterChecksMixin,
    FigureWriteSerializer,
    SurrogateCharactersValidator,
)
from incidents.integration import imports
from incidents.models import Figure
from tests.factories import DetaineeGroupFactory, SourceFactory

pytestmark = pytest.mark.django_db


def _outcome(call, data):
    try:
        return ("ok", call(data))
    except ValidationError as error:
        return ("error", json.loads(json.dumps(error.detail)))
    except serializers.SkipField:
        return ("skip", None)


def _bodies(group, source):
    good = {
        "external_id": "fig-1",
        "incident": str(group.incident.uuid),
        "measure": "detained",
        "value": 40,
        "qualifier": "at_least",
        "as_of": "2024-11-15",
        "citations": [{"source": str(source.uuid), "quote": "documented at least 40"}],
    }
    return [
        good,
        {**good, "group": str(group.uuid), "note": "A note.", "visibility": "public"},
        {**good, "value": -1, "measure": "abducted", "as_of": "yesterday"},
        {**good, "external_id": " padded ", "note": "bad \ud83d surrogate"},
        {**good, "external_id": "tab\there"},  # refused by validate_external_id
        {**good, "citations": [{"source": "not-a-uuid", "quote": "x\udfff", "stance": "?"}]},
        {**good, "citations": "not a list"},
        {**good, "incident": None, "value": None, "qualifier": None},
        {},
        [],
        "not an object",
        None,
    ]


@contextmanager
def drf_own_steps():
    """Within this block, ``FasterChecksMixin`` does nothing: DRF's own code runs."""
    with (
        patch.object(
            FasterChecksMixin, "to_internal_value", serializers.Serializer.to_internal_value
        ),
        patch.object(
            FasterChecksMixin, "_read_only_defaults", serializers.Serializer._read_only_defaults
        ),
        patch.object(
            FasterChecksMixin, "_writable_fields", serializers.Serializer._writable_fields
        ),
    ):
        yield


def test_bodies_are_read_as_drf_reads_them():
    group, source = DetaineeGroupFactory(), SourceFactory()
    ours = FigureWriteSerializer(context={"request": None})
    with drf_own_steps():
        drf = FigureWriteSerializer(context={"request": None})
        for field in [*drf.fields.values(), *drf.fields["citations"].child.fields.values()]:
            field.validators = [
                ProhibitSurrogateCharactersValidator()
                if isinstance(v, SurrogateCharactersValidator)
                else v
                for v in field.validators
            ]
    for body in _bodies(group, source) * 2:
        expected = None
        with drf_own_steps():
            expected = _outcome(drf.run_validation, copy.deepcopy(body))
        assert _outcome(ours.run_validation, copy.deepcopy(body)) == expected, body
    assert "_reading_plan" in ours.__dict__ and "_reading_plan" not in drf.__dict__


@pytest.mark.parametrize(
    "text", ["", "plain", "\ud800", "a\udbffb", "ok\U0001f600ok", "x" * 500 + "\udc00", 12]
)
def test_surrogates_are_refused_with_drfs_message(text):
    assert _outcome(SurrogateCharactersValidator(), text) == _outcome(
        ProhibitSurrogateCharactersValidator(), text
    )


def test_every_text_field_has_the_faster_validator():
    for serializer in (FigureWriteSerializer(), CitationInputSerializer()):
        for field in serializer.fields.values():
            kinds = {type(v) for v in field.validators}
            assert ProhibitSurrogateCharactersValidator not in kinds, field.field_name


def test_a_field_an_import_reads_once_reads_each_value_as_it_would_anew(partner_a, token_a):
    """``_validated_once``: the same values, and each refusal every time, as DRF's own."""
    importer = imports.Importer(Figure, imports.Caller(auth=token_a[0]))
    fields = importer.serializer.fields
    remembered = [name for name, field in fields.items() if "run_validation" in field.__dict__]
    assert {"measure", "value", "qualifier", "as_of", "visibility"} <= set(remembered)
    fresh = FigureWriteSerializer(context={"request": None}).fields
    values = ["detained", "at_least", "2024-11-15", "2024-02-30", 5, -1, "5", True, None, "", "x"]
    for _ in range(2):
        for name in remembered:
            for value in [*values, serializers.empty]:
                ours = _outcome(fields[name].run_validation, value)
                assert ours == _outcome(fresh[name].run_validation, value), (name, value)
