"""Check constraints evaluated in Python agree with the database, NULLs included."""

import datetime
import random

import pytest
from django.apps import apps
from django.db import models
from django.db.models import Q

from incidents.models import checks

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


@pytest.mark.parametrize(("model", "constraint"), list(check_constraints()))
def test_python_and_database_agree(model, constraint):
    rng = random.Random(constraint.name)
    for _ in range(40):
        instance = model()
        instance.pk = rng.choice([1, 2, None])
        for name in checks.referenced(constraint.condition) - {"pk"}:
            field = model._meta.get_field(name)
            setattr(instance, field.attname, sample(field, rng))
        values = checks.field_values(instance)
        against = instance._get_field_expression_map(meta=model._meta)
        in_database = Q(constraint.condition).check(against)
        assert (checks.evaluate(constraint.condition, values) is not False) == in_database, {
            name: values[name] for name in checks.referenced(constraint.condition)
        }
