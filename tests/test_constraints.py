"""Each integrity rule rejects bad data: in the database, and with a clear message in clean()."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from incidents.choices import Qualifier, Stance
from incidents.models import Actor, Citation, DetaineeGroup, Figure, Incident, Source, Term
from tests.factories import (
    ActorFactory,
    AllegationFactory,
    CitationFactory,
    DetaineeGroupFactory,
    FigureFactory,
    IncidentFactory,
    SourceFactory,
    term,
)

pytestmark = pytest.mark.django_db


def assert_db_rejects(save):
    """The database itself refuses the row, whatever the Python code in front of it does."""
    with pytest.raises(IntegrityError), transaction.atomic():
        save()


def assert_clean_rejects(instance, field_or_message):
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    assert field_or_message in str(caught.value)


# --- Figures ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"value": 10, "value_low": 20}, "low bound cannot be above the value"),
        ({"value": 30, "value_high": 20}, "value cannot be above the high bound"),
        (
            {"value": None, "value_low": 30, "value_high": 20, "qualifier": Qualifier.UNSPECIFIED},
            "low bound cannot be above the high bound",
        ),
        ({"value": None, "qualifier": Qualifier.EXACT}, "An exact figure needs a value"),
    ],
)
def test_figure_bounds_are_enforced(fields, message):
    incident = IncidentFactory()
    figure = Figure(incident=incident, measure="detained", as_of=datetime.date(2024, 8, 1))
    for name, value in {"qualifier": Qualifier.AT_LEAST, **fields}.items():
        setattr(figure, name, value)
    assert_clean_rejects(figure, message)
    assert_db_rejects(figure.save)


def test_figure_value_cannot_be_negative():
    figure = FigureFactory.build(incident=IncidentFactory(), value=-1)
    assert_clean_rejects(figure, "value")
    assert_db_rejects(figure.save)


def test_figure_without_a_number_is_allowed_when_unspecified():
    figure = FigureFactory(value=None, qualifier=Qualifier.UNSPECIFIED)
    figure.full_clean()
    assert Figure.objects.filter(pk=figure.pk, value__isnull=True).exists()


def test_figure_group_must_belong_to_the_figure_incident():
    figure = FigureFactory.build(incident=IncidentFactory(), group=DetaineeGroupFactory())
    assert_clean_rejects(figure, "group belongs to another incident")


# --- Groups and incidents -----------------------------------------------------------------


def test_group_age_min_cannot_exceed_age_max():
    group = DetaineeGroupFactory.build(incident=IncidentFactory(), age_min=18, age_max=14)
    assert_clean_rejects(group, "minimum age cannot be above the maximum age")
    assert_db_rejects(group.save)


def test_group_age_cannot_be_negative():
    group = DetaineeGroupFactory.build(incident=IncidentFactory(), age_min=-1)
    assert_db_rejects(group.save)


def test_group_label_is_unique_within_an_incident():
    group = DetaineeGroupFactory(label="minors")
    duplicate = DetaineeGroup(incident=group.incident, label="minors")
    assert_clean_rejects(duplicate, "already has a group with this label")
    assert_db_rejects(duplicate.save)
    DetaineeGroupFactory(label="minors")  # another incident may use the same label


def test_incident_cannot_end_before_it_starts():
    incident = IncidentFactory.build(
        start_date=datetime.date(2024, 8, 1), end_date=datetime.date(2024, 7, 1)
    )
    assert_clean_rejects(incident, "end date cannot be before the start date")
    assert_db_rejects(incident.save)


def test_incident_cannot_be_nested_in_itself():
    outer = IncidentFactory()
    inner = IncidentFactory(parent=outer)
    outer.parent = inner
    assert_clean_rejects(outer, "cannot be nested in itself")
    same = IncidentFactory()
    same.parent_id = same.pk
    assert_db_rejects(same.save)


def test_incident_country_must_be_an_iso_code():
    incident = IncidentFactory.build(country="Venezuela")
    assert_clean_rejects(incident, "country")


# --- Citations ----------------------------------------------------------------------------


def test_citation_must_support_exactly_one_record():
    figure = FigureFactory()
    citation = Citation(
        source=SourceFactory(), quote="at least 40", figure=figure, incident=figure.incident
    )
    assert_clean_rejects(citation, "exactly one incident, detainee group, figure or allegation")
    assert_db_rejects(citation.save)
    orphan = Citation(source=SourceFactory(), quote="at least 40")
    assert_db_rejects(orphan.save)


def test_citation_needs_a_quote():
    citation = CitationFactory.build(figure=FigureFactory(), source=SourceFactory(), quote="")
    assert_db_rejects(citation.save)


def test_figure_has_only_one_asserting_citation():
    first = CitationFactory()
    second = Citation(
        source=SourceFactory(), quote="at least 40", stance=Stance.ASSERTS, figure=first.figure
    )
    assert_clean_rejects(second, "already has its asserting citation")
    assert_db_rejects(second.save)
    Citation.objects.create(
        source=second.source, quote="at least 40", stance=Stance.DISPUTES, figure=first.figure
    )
    assert first.figure.citations.count() == 2


def test_quote_must_be_verbatim_in_the_source_text():
    source = SourceFactory(text="Foro Penal documented at least 129 children aged 14-17.")
    citation = CitationFactory.build(
        source=source, figure=FigureFactory(), quote="at least 130 children"
    )
    assert_clean_rejects(citation, "does not occur verbatim")
    citation.quote = "at least 129 children"
    citation.full_clean()


def test_quote_may_come_from_the_article_a_statement_was_reported_in():
    article = SourceFactory(kind="news_article", issuer=None, text="Romero said: “good news.”")
    statement = SourceFactory(text="", reported_in=article)
    citation = CitationFactory.build(source=statement, figure=FigureFactory(), quote="“good news.”")
    citation.full_clean()
    citation.quote = "“bad news.”"
    assert_clean_rejects(citation, "does not occur verbatim")


def test_quote_check_folds_white_space_only():
    source = SourceFactory(text="claimed in August  that none of the\nrecorded deaths")
    citation = CitationFactory.build(
        source=source, figure=FigureFactory(), quote="in August that none of the recorded deaths"
    )
    citation.full_clean()
    citation.quote = "in august that none of the recorded deaths"
    assert_clean_rejects(citation, "does not occur verbatim")


def test_quote_is_accepted_when_no_text_is_held():
    citation = CitationFactory.build(
        source=SourceFactory(text=""), figure=FigureFactory(), quote="anything the source said"
    )
    citation.full_clean()


# --- Sources, actors, terms, allegations --------------------------------------------------


def test_source_url_is_unique_but_may_be_empty():
    SourceFactory(url="https://example.org/report")
    duplicate = SourceFactory.build(url="https://example.org/report", issuer=ActorFactory())
    assert_clean_rejects(duplicate, "A source with this URL already exists")
    assert_db_rejects(duplicate.save)
    SourceFactory(url="")
    SourceFactory(url="")
    assert Source.objects.filter(url="").count() == 2


def test_source_cannot_be_reported_in_itself():
    source = SourceFactory()
    source.reported_in_id = source.pk
    assert_db_rejects(source.save)


def test_actor_names_are_unique_regardless_of_case():
    ActorFactory(name="Foro Penal")
    duplicate = Actor(name="FORO PENAL", kind="ngo")
    assert_clean_rejects(duplicate, "An actor with this name already exists")
    assert_db_rejects(duplicate.save)


def test_term_code_is_unique_per_vocabulary():
    duplicate = Term(vocabulary="method", code="electric_shock", label="Shocks")
    assert_clean_rejects(duplicate, "already has a term with this code")
    assert_db_rejects(duplicate.save)


def test_term_esf_code_has_twelve_digits():
    bad = Term(vocabulary="method", code="waterboarding", label="Waterboarding", esf_code="0309")
    assert_clean_rejects(bad, "twelve digits")


def test_allegation_violation_type_must_be_a_violation():
    allegation = AllegationFactory.build(
        incident=IncidentFactory(), violation_type=term("method", "electric_shock")
    )
    assert_clean_rejects(allegation, "violation_type")


def test_allegation_victims_must_belong_to_its_incident():
    allegation = AllegationFactory.build(
        incident=IncidentFactory(), victim_group=DetaineeGroupFactory()
    )
    assert_clean_rejects(allegation, "victim group belongs to another incident")


# --- Deleting keeps provenance ------------------------------------------------------------


def test_a_source_with_citations_cannot_be_deleted():
    citation = CitationFactory()
    with pytest.raises(ProtectedError):
        citation.source.delete()


def test_an_incident_with_figures_cannot_be_deleted():
    figure = FigureFactory()
    with pytest.raises(ProtectedError):
        Incident.objects.filter(pk=figure.incident_id).delete()
