"""Staff add a figure with its reporting citation in the admin, in a real browser."""

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from incidents.choices import Measure, Qualifier, Stance
from incidents.models import Citation, Figure
from tests.browser.helpers import choose_autocomplete
from tests.factories import IncidentFactory, SourceFactory

QUOTE = "documented at least 40 detentions of students"


@pytest.fixture
def incident(live_url):
    return IncidentFactory(title="Post-election arrests in Caracas")


@pytest.fixture
def source(live_url):
    return SourceFactory(
        title="Observatory statement of 15 November",
        text="The observatory documented at least 40 detentions of students in the capital.",
    )


def fill_figure(page: Page, incident, source, *, quote: str = QUOTE) -> None:
    """Fill the figure add form: the number as the source put it, and who said so."""
    page.goto("/admin/incidents/figure/add/")
    expect(page.get_by_role("heading", name="Add figure")).to_be_visible()
    choose_autocomplete(page, "id_incident", "Caracas", incident.title)
    page.get_by_label("Measure").select_option(label="Detained")
    page.locator("#id_value").fill("40")
    page.get_by_label("Qualifier").select_option(label="At least")
    page.locator("#id_as_of").fill("2024-11-15")
    citation = page.locator("#citations-0")
    choose_autocomplete(page, "id_citations-0-source", "Observatory", source.title)
    expect(citation.get_by_label("Stance")).to_have_value(Stance.ASSERTS)
    citation.get_by_label("Verbatim quote").fill(quote)


def test_staff_add_a_figure_with_its_citation(admin_page, incident, source, admin_user):
    page = admin_page
    fill_figure(page, incident, source)
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page).to_have_url(re.compile(r"/admin/incidents/figure/$"))
    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")
    expect(page.locator("#result_list")).to_contain_text(source.title)

    figure = Figure.objects.get()
    assert (figure.incident, figure.measure, figure.value, figure.qualifier, figure.as_of) == (
        incident,
        Measure.DETAINED,
        40,
        Qualifier.AT_LEAST,
        datetime.date(2024, 11, 15),
    )
    citation = Citation.objects.get()
    assert (citation.figure, citation.source, citation.stance, citation.quote) == (
        figure,
        source,
        Stance.ASSERTS,
        QUOTE,
    )
    added = figure.history.get()
    assert (added.history_type, added.history_user, added.history_via) == ("+", admin_user, "admin")
    assert citation.history.get().history_user == admin_user


def test_a_low_bound_above_the_high_bound_is_shown_on_the_field(
    admin_page, incident, source, screenshot
):
    page = admin_page
    fill_figure(page, incident, source)
    page.locator("#id_value").fill("")
    page.get_by_label("Qualifier").select_option(label="Approximately")
    page.get_by_label("Low bound").fill("60")
    page.get_by_label("High bound").fill("40")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.locator(".errornote")).to_contain_text("Please correct the error below.")
    expect(page.locator(".field-value_high .errorlist")).to_have_text(
        "The low bound cannot be above the high bound."
    )
    # What was typed is still there to correct.
    expect(page.get_by_label("Low bound")).to_have_value("60")
    expect(page.locator("#citations-0").get_by_label("Verbatim quote")).to_have_value(QUOTE)
    screenshot(page, "admin-figure-validation-error")
    assert not Figure.objects.exists()
    assert not Citation.objects.exists()


def test_a_quote_not_in_the_source_is_refused_on_the_citation(admin_page, incident, source):
    page = admin_page
    # Paraphrased, not the source's words.
    fill_figure(page, incident, source, quote="at least 40 students were detained")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.locator(".errornote")).to_contain_text("Please correct the error below.")
    expect(page.locator("#citations-0 .field-quote .errorlist")).to_contain_text(
        "does not occur verbatim in the text of the source"
    )
    assert not Figure.objects.exists()
    assert not Citation.objects.exists()
