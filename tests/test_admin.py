"""The admin as NGO staff use it: every page loads, saves, and says clearly what is wrong."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

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

MODELS = [Actor, Source, Incident, DetaineeGroup, Figure, Allegation, Citation, Term]


def admin_url(model, view, *args):
    return reverse(f"admin:incidents_{model._meta.model_name}_{view}", args=args)


def form_data(response) -> dict:
    """The POST data a browser would send back for the admin form on this page, as shown."""
    data = {}

    def add(form):
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            if value is True:
                data[field.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[field.html_name] = [str(v) for v in value]
            else:
                data[field.html_name] = str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        add(formset.management_form)
        for form in formset.forms:
            add(form)
    return data


def seeded_records():
    """One record of every model, linked the way curated data is."""
    incident = IncidentFactory()
    group = DetaineeGroupFactory(incident=incident)
    figure = FigureFactory(incident=incident, group=group)
    citation = CitationFactory(figure=figure)
    allegation = AllegationFactory(incident=incident, victim_group=group)
    allegation.methods.set([term("method", "electric_shock")])
    return {
        Actor: citation.source.issuer,
        Source: citation.source,
        Incident: incident,
        DetaineeGroup: group,
        Figure: figure,
        Allegation: allegation,
        Citation: citation,
        Term: term("violation", "torture"),
    }


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_changelist_loads_with_search_and_filters(staff_client, model):
    seeded_records()
    response = staff_client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1
    searched = staff_client.get(admin_url(model, "changelist"), {"q": "a"})
    assert searched.status_code == 200
    # A filter that matches nothing must empty the list, not be ignored.
    nothing = (
        {"vocabulary__exact": "no-such"} if model is Term else {"visibility__exact": "restricted"}
    )
    filtered = staff_client.get(admin_url(model, "changelist"), nothing)
    assert filtered.status_code == 200
    assert filtered.context["cl"].result_count == 0


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_add_page_loads(staff_client, model):
    response = staff_client.get(admin_url(model, "add"))
    assert response.status_code == 200


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_change_page_loads_and_saves_unchanged(staff_client, model):
    obj = seeded_records()[model]
    before = model.objects.count()
    page = staff_client.get(admin_url(model, "change", obj.pk))
    assert page.status_code == 200
    response = staff_client.post(admin_url(model, "change", obj.pk), form_data(page))
    assert response.status_code == 302, response.context and response.context.get("errors")
    assert model.objects.count() == before


def test_autocomplete_serves_related_records(staff_client):
    IncidentFactory(title="Post-election crackdown")
    response = staff_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "incidents",
            "model_name": "figure",
            "field_name": "incident",
            "term": "crackdown",
        },
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Post-election crackdown"]


def test_method_autocomplete_offers_only_methods(staff_client):
    response = staff_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "incidents", "model_name": "allegation", "field_name": "methods", "term": ""},
    )
    labels = {r["text"] for r in response.json()["results"]}
    assert len(labels) == 10
    assert {"Electric shock", "Suffocation", "Beating", "Forced nudity"} <= labels
    assert "Torture" not in labels


# --- Curating a whole record --------------------------------------------------------------


def test_staff_curate_an_incident_group_figure_and_allegation(staff_client):
    article = SourceFactory(
        kind="news_article",
        issuer=None,
        title="Crackdown report",
        text="The group documented at least 129 children aged 14-17 that were detained and "
        "subjected to electrical shocks.",
    )
    statement = SourceFactory(title="NGO statement", text="", reported_in=article)

    page = staff_client.get(admin_url(Incident, "add"))
    data = form_data(page) | {
        "title": "Detention of minors",
        "kind": "mass_detention",
        "country": "VE",
        "start_date": "2024-07-29",
        "start_precision": "exact",
        "end_precision": "exact",
    }
    assert staff_client.post(admin_url(Incident, "add"), data).status_code == 302
    incident = Incident.objects.get(title="Detention of minors")

    page = staff_client.get(admin_url(DetaineeGroup, "add"))
    data = form_data(page) | {
        "incident": incident.pk,
        "label": "minors aged 14-17",
        "age_min": "14",
        "age_max": "17",
        "citizenship": "national",
    }
    assert staff_client.post(admin_url(DetaineeGroup, "add"), data).status_code == 302
    group = DetaineeGroup.objects.get(label="minors aged 14-17")
    assert group.incident == incident and group.is_minors

    page = staff_client.get(admin_url(Figure, "add"))
    data = form_data(page) | {
        "incident": incident.pk,
        "group": group.pk,
        "measure": "detained",
        "value": "129",
        "qualifier": "at_least",
        "as_of": "2024-12-24",
        "as_of_precision": "exact",
        "citations-0-source": statement.pk,
        "citations-0-stance": "asserts",
        "citations-0-quote": "documented at least 129 children aged 14-17",
        "citations-0-visibility": "public",
    }
    response = staff_client.post(admin_url(Figure, "add"), data)
    assert response.status_code == 302
    figure = Figure.objects.get(group=group)
    assert (figure.value, figure.qualifier, figure.as_of) == (
        129,
        "at_least",
        datetime.date(2024, 12, 24),
    )
    assert figure.citations.get().source == statement

    page = staff_client.get(admin_url(Allegation, "add"))
    data = form_data(page) | {
        "incident": incident.pk,
        "victim_group": group.pk,
        "violation_type": term("violation", "torture").pk,
        "methods": [term("method", "electric_shock").pk, term("method", "beating").pk],
        "status": "alleged",
        "citations-TOTAL_FORMS": "1",
        "citations-0-source": statement.pk,
        "citations-0-stance": "asserts",
        "citations-0-quote": "subjected to electrical shocks",
        "citations-0-visibility": "public",
    }
    assert staff_client.post(admin_url(Allegation, "add"), data).status_code == 302
    allegation = Allegation.objects.get(victim_group=group)
    assert sorted(allegation.methods.values_list("code", flat=True)) == [
        "beating",
        "electric_shock",
    ]
    assert allegation.citations.get().quote == "subjected to electrical shocks"

    incident_page = staff_client.get(admin_url(Incident, "change", incident.pk))
    assert "minors aged 14-17" in incident_page.content.decode()


def figure_post(staff_client, **overrides):
    incident = IncidentFactory()
    source = SourceFactory(text="at least 40 detentions")
    page = staff_client.get(admin_url(Figure, "add"))
    data = form_data(page) | {
        "incident": incident.pk,
        "measure": "detained",
        "value": "40",
        "qualifier": "at_least",
        "as_of": "2024-11-15",
        "as_of_precision": "approximate",
        "citations-0-source": source.pk,
        "citations-0-stance": "asserts",
        "citations-0-quote": "at least 40 detentions",
        "citations-0-visibility": "public",
    }
    data.update({k: str(v) for k, v in overrides.items()})
    return staff_client.post(admin_url(Figure, "add"), data)


def errors_of(response) -> str:
    return response.content.decode()


def test_admin_refuses_a_figure_without_an_asserting_citation(staff_client):
    response = figure_post(staff_client, **{"citations-0-stance": "disputes"})
    assert response.status_code == 200
    assert "exactly one citation with stance" in errors_of(response)
    assert not Figure.objects.exists()


def test_admin_explains_a_value_outside_its_bounds(staff_client):
    response = figure_post(staff_client, value_low="50")
    assert response.status_code == 200
    assert "The low bound cannot be above the value." in errors_of(response)
    assert not Figure.objects.exists()


def test_admin_explains_a_quote_not_in_the_source(staff_client):
    response = figure_post(staff_client, **{"citations-0-quote": "at least 400 detentions"})
    assert response.status_code == 200
    assert "does not occur verbatim" in errors_of(response)
    assert not Figure.objects.exists() and not Citation.objects.exists()


def test_admin_explains_an_impossible_age_range(staff_client):
    incident = IncidentFactory()
    page = staff_client.get(admin_url(DetaineeGroup, "add"))
    data = form_data(page) | {"incident": incident.pk, "label": "x", "age_min": 17, "age_max": 14}
    response = staff_client.post(admin_url(DetaineeGroup, "add"), data)
    assert response.status_code == 200
    assert "The minimum age cannot be above the maximum age." in errors_of(response)


def test_group_page_lists_its_figures_and_incident_page_its_nested_incidents(staff_client):
    parent = IncidentFactory(title="Post-election crackdown")
    child = IncidentFactory(title="Detention of minors", parent=parent)
    group = DetaineeGroupFactory(incident=child, label="minors aged 14-17")
    FigureFactory(incident=child, group=group, value=69, qualifier="exact")
    group_page = staff_client.get(admin_url(DetaineeGroup, "change", group.pk)).content.decode()
    assert "69" in group_page
    parent_page = staff_client.get(admin_url(Incident, "change", parent.pk)).content.decode()
    assert "Detention of minors" in parent_page


@pytest.mark.parametrize("model", [Figure, Allegation], ids=lambda m: m.__name__)
def test_changelist_query_count_does_not_grow_with_rows(staff_client, model):
    def queries_for_changelist():
        with CaptureQueriesContext(connection) as captured:
            assert staff_client.get(admin_url(model, "changelist")).status_code == 200
        return len(captured)

    def add_rows(count):
        for _ in range(count):
            if model is Figure:
                CitationFactory()
            else:
                AllegationFactory().methods.set([term("method", "beating")])

    add_rows(3)
    few = queries_for_changelist()
    add_rows(20)
    assert queries_for_changelist() == few


@pytest.mark.parametrize(
    ("model", "in_use"),
    [
        (Actor, "Venezuela"),
        (Incident, "Venezuela"),
        (DetaineeGroup, "United States of America"),
        (Figure, "Venezuela"),
    ],
    ids=["Actor", "Incident", "DetaineeGroup", "Figure"],
)
def test_country_filters_offer_only_countries_in_use(staff_client, model, in_use):
    group = DetaineeGroupFactory(nationality="US", incident=IncidentFactory(country="VE"))
    FigureFactory(incident=group.incident)
    ActorFactory(country="VE")
    page = staff_client.get(admin_url(model, "changelist")).content.decode()
    assert in_use in page
    assert "Afghanistan" not in page


def test_actor_display_names_its_role_but_never_its_organisation():
    # The organisation may be hidden from whoever reads the name (lists, links, history).
    org = ActorFactory(name="Foro Penal")
    person = ActorFactory(name="Alfredo Romero", kind="person", role="director", parent=org)
    assert str(person) == "Alfredo Romero (director)"
