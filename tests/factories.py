"""Factories for test set-up: valid records by default, override what a test is about."""

import datetime

import factory

from incidents.choices import ActorKind, IncidentKind, Measure, Qualifier, SourceKind, Stance
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


class ActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Actor

    name = factory.Sequence(lambda n: f"Observatory {n}")
    kind = ActorKind.NGO
    country = "VE"


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    kind = SourceKind.NGO_STATEMENT
    title = factory.Sequence(lambda n: f"Statement {n}")
    issuer = factory.SubFactory(ActorFactory)
    date = datetime.date(2024, 11, 15)
    text = "The observatory documented at least 40 detentions of students in the capital."


class IncidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Incident

    title = factory.Sequence(lambda n: f"Wave of arrests {n}")
    kind = IncidentKind.MASS_DETENTION
    country = "VE"
    start_date = datetime.date(2024, 7, 29)


class DetaineeGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DetaineeGroup

    incident = factory.SubFactory(IncidentFactory)
    label = factory.Sequence(lambda n: f"students {n}")
    age_min = 18
    age_max = 25


class FigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Figure

    incident = factory.SubFactory(IncidentFactory)
    group = None
    measure = Measure.DETAINED
    value = 40
    qualifier = Qualifier.AT_LEAST
    as_of = datetime.date(2024, 11, 15)


class CitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Citation

    source = factory.SubFactory(SourceFactory)
    quote = "documented at least 40 detentions"
    stance = Stance.ASSERTS
    figure = factory.SubFactory(FigureFactory)


def term(vocabulary: str, code: str) -> Term:
    """A seeded vocabulary term (the migration provides them)."""
    return Term.objects.get(vocabulary=vocabulary, code=code)


class AllegationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Allegation

    incident = factory.SubFactory(IncidentFactory)
    violation_type = factory.LazyFunction(lambda: term("violation", "torture"))
