"""Validation done in Python agrees with the database and with Django's own, NULLs included.

Check constraints are evaluated in Python (``incidents.models.checks``), compiled
once per model; unique constraints and fields go to Django unless its answer is
known without asking (``checks.Rule``, ``Identified.validate_unique``,
``cleaning_once``). Each is compared here with what it stands for.
"""

import datetime
import random
import uuid

import pytest
from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import Q

from incidents.models import Figure, Incident, Partner, base, checks
from incidents.models.base import cleaning_once
from incidents.models.records import MAX_VALUE
from tests.factories import (
    CitationFactory,
    DetaineeGroupFactory,
    FigureFactory,
    IncidentFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

SAMPLES = {
    models.CharField: ["", "x", "exact", "restricted", "public", None],
    models.TextField: ["", "x", None],
    models.DateField: [datetime.date(2024, 8, 1), datetime.date(2024, 8, 2), None],
    models.DateTimeField: [datetime.datetime(2024, 8, 1, tzinfo=datetime.UTC), None],
    models.PositiveIntegerField: [0, 1, 5, 130, 131, None],
    models.PositiveSmallIntegerField: [0, 1, 5, 130, 131, None],
    models.IntegerField: [0, 1, 5, 130, 131, None],
    models.ForeignKey: [1, 2, None],
    models.BigAutoField: [1, 2, None],
}


def sample(field, rng):
    for kind, values in SAMPLES.items():
        if isinstance(field, kind):
            return rng.choice(values)
    return None


def check_constraints():
    for model in apps.get_app_config("incidents").get_models():
        for constraint in model._meta.constraints:
            if isinstance(constraint, models.CheckConstraint):
                yield pytest.param(model, constraint, id=constraint.name)


def random_instance(model, constraint, rng):
    """A record of ``model``, random values (NULLs too) in the fields ``constraint`` reads."""
    instance = model()
    instance.pk = rng.choice([1, 2, None])
    for name in checks.referenced(constraint.condition) - {"pk"}:
        field = model._meta.get_field(name)
        setattr(instance, field.attname, sample(field, rng))
    return instance


@pytest.mark.parametrize(("model", "constraint"), list(check_constraints()))
def test_python_and_database_agree(model, constraint):
    rng = random.Random(constraint.name)
    for _ in range(40):
        instance = random_instance(model, constraint, rng)
        values = checks.field_values(instance)
        against = instance._get_field_expression_map(meta=model._meta)
        in_database = Q(constraint.condition).check(against)
        assert (checks.evaluate(constraint.condition, values) is not False) == in_database, {
            name: values[name] for name in checks.referenced(constraint.condition)
        }


# --- What validation works out once per model gives what it gave every time --------------

EXCLUDES = [None, set(), {"owner"}, {"external_id"}, {"figure"}, {"value"}, {"uuid"}]


def _outcome(call, *args, **kwargs):
    """None, or the errors ``call(*args, **kwargs)`` raised: by field, (message, code) pairs."""
    try:
        call(*args, **kwargs)
    except ValidationError as error:
        by_field = error.error_dict if hasattr(error, "error_dict") else {None: error.error_list}
        return {
            field: [(e.message % (e.params or {}), e.code) for e in errors]
            for field, errors in by_field.items()
        }
    return None


def reference_validate_constraints(instance, exclude):
    """``Identified.validate_constraints`` as it was: each condition read on every call."""
    errors = {}
    values = checks.field_values(instance)
    for model_class, constraints in instance.get_constraints():
        for constraint in constraints:
            try:
                if isinstance(constraint, models.CheckConstraint):
                    try:
                        if exclude and checks.referenced(constraint.condition) & set(exclude):
                            continue
                        if checks.evaluate(constraint.condition, values) is False:
                            raise ValidationError(
                                constraint.get_violation_error_message(),
                                code=constraint.violation_error_code,
                            )
                        continue
                    except checks.Unsupported:
                        pass
                constraint.validate(model_class, instance, exclude=exclude, using="default")
            except ValidationError as error:
                field = instance.constraint_fields.get(constraint.name, NON_FIELD_ERRORS)
                if constraint.name.endswith("_external_id_unique"):
                    field = "external_id"
                errors.setdefault(field, []).extend(error.error_list)
    if errors:
        raise ValidationError(errors)


@pytest.mark.parametrize(("model", "constraint"), list(check_constraints()))
def test_compiled_conditions_agree_with_evaluate_and_the_database(model, constraint):
    """``compile_condition`` gives what ``evaluate`` gives, and the database, NULLs included."""
    compiled = checks.compile_condition(constraint.condition, model)
    rng = random.Random(constraint.name + "compiled")
    for _ in range(60):
        instance = random_instance(model, constraint, rng)
        values = checks.field_values(instance)
        expected = checks.evaluate(constraint.condition, values)
        assert compiled(instance) is expected, values
        against = instance._get_field_expression_map(meta=model._meta)
        assert (expected is not False) == Q(constraint.condition).check(against)


def test_unsupported_conditions_are_left_to_django():
    """A condition with a transform: compiled, it raises once; its rule asks Django."""
    condition = Q(title__lower="x")
    with pytest.raises(checks.Unsupported):
        checks.compile_condition(condition, Incident)
    constraint = models.CheckConstraint(condition=~Q(title__lower="x"), name="not_x")
    rule = checks.Rule(Incident, constraint, Incident)
    assert rule.evaluate is None and rule.reads == {"title"}
    asked = []
    constraint.validate = lambda *args, **kwargs: asked.append(kwargs)
    rule.validate(Incident(title="y"), None, lambda: "default")
    rule.validate(Incident(title="y"), {"title"}, lambda: "default")  # excluded: skipped
    assert asked == [{"exclude": None, "using": "default"}]


def _candidates(existing):
    """New records copying ``existing`` (so colliding with it), with NULLs, and itself."""
    model = type(existing)
    copies = []
    for nulls in ((), ("owner",), ("figure",), ("url",)):
        copy = model.objects.get(pk=existing.pk)
        copy.pk, copy.id, copy._state.adding = None, None, True
        if nulls:  # the first keeps the public id too: ``validate_unique`` has work
            copy.uuid = uuid.uuid4()
        for name in nulls:
            if hasattr(copy, f"{name}_id"):
                setattr(copy, f"{name}_id", None)
        copies.append(copy)
    return [*copies, model.objects.get(pk=existing.pk)]


def _records():
    partner = Partner.objects.create(name="Validation partner")
    source = SourceFactory(url="https://example.org/report", owner=partner, external_id="s-1")
    group = DetaineeGroupFactory(owner=partner, external_id="g-1", visibility="public")
    figure = FigureFactory(owner=partner, external_id="f-1", incident=group.incident)
    citation = CitationFactory(
        owner=partner, external_id="c-1", figure=figure, source=source, stance="asserts"
    )
    return [source, group, figure, citation, group.incident]


def test_rules_raise_what_djangos_validate_raises():
    """Every constraint, through its ``Rule`` and through Django: the same errors."""
    for existing in _records():
        for instance in _candidates(existing):
            for rule in checks.rules(instance):
                for exclude in EXCLUDES:
                    ours = _outcome(rule.validate, instance, exclude, lambda: "default")
                    django = _outcome(
                        rule.constraint.validate,
                        rule.model_class,
                        instance,
                        exclude=exclude,
                        using="default",
                    )
                    assert ours == django, (rule.constraint.name, exclude, instance.pk)


def test_validate_unique_and_constraints_raise_what_django_raises():
    """``validate_unique`` against Django's, ``validate_constraints`` against what it was."""
    for existing in _records():
        for instance in _candidates(existing):
            for exclude in EXCLUDES:
                assert _outcome(instance.validate_unique, exclude=exclude) == _outcome(
                    models.Model.validate_unique, instance, exclude=exclude
                )
                ours = _outcome(instance.validate_constraints, exclude=exclude)
                before = _outcome(reference_validate_constraints, instance, exclude)
                assert ours == before, (type(instance).__name__, exclude)


def test_an_external_id_taken_is_reported_on_external_id():
    """A single write (nothing excluded) still asks the database, and names the field."""
    existing = _records()[2]
    copy = _candidates(existing)[0]
    with pytest.raises(ValidationError) as caught:
        copy.full_clean()
    assert caught.value.message_dict["external_id"] == [
        "You already have a record with this external id."
    ]


FIGURE_VALUES = {
    "measure": ["detained", "released", "abducted", "", None, 3],
    "value": [0, 40, -1, MAX_VALUE, MAX_VALUE + 1, None, "12", "x", True],
    "qualifier": ["exact", "at_least", "several", None],
    "as_of": [datetime.date(2024, 8, 1), "2024-08-02", "2024-13-01", None],
    "visibility": ["public", "restricted", "secret", ""],
    "note": ["", "x" * 10, None],
    "external_id": ["f-1", "x" * 201, ""],
    "version": [1, -1, None],
}


def test_cleaning_once_cleans_as_django_does():
    """Fields cleaned inside ``cleaning_once``, again and again: Django's values and errors."""
    incident = IncidentFactory()
    rng = random.Random("cleaning once")
    with cleaning_once():
        for _ in range(300):
            values = {name: rng.choice(choices) for name, choices in FIGURE_VALUES.items()}
            exclude = rng.choice([None, {"value"}, {"measure", "owner"}])
            ours = Figure(incident=incident, **values)
            django = Figure(incident=incident, **values)
            expected = _outcome(models.Model.clean_fields, django, exclude=exclude)
            assert _outcome(ours.clean_fields, exclude=exclude) == expected, values
            for name in values:
                mine, theirs = getattr(ours, name), getattr(django, name)
                assert (type(mine), mine) == (type(theirs), theirs), name


def test_cleaning_once_ends_with_its_block():
    assert base._cleaned.get() is None
    with cleaning_once():
        assert base._cleaned.get() == {}
    assert base._cleaned.get() is None
