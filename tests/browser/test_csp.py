"""Every page works under the Content-Security-Policy, in a real browser.

The package's conftest fails any test whose pages report a violation; these tests
visit each kind of page that runs scripts or styles of its own (Swagger UI, Redoc, the
admin's index, lists, forms with autocomplete, history, the article import and its
preview, the chart) and use what those scripts do, so a blocked script shows as a
violation or as a page that does not work.
"""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from incidents.models import Figure
from tests.browser.helpers import choose_autocomplete
from tests.factories import CitationFactory, FigureFactory, IncidentFactory, SourceFactory

ARTICLE = Path(settings.BASE_DIR) / "seeds" / "2024-12-venezuela-minors-released.txt"


def policy_of(response) -> str:
    """The enforced policy of an answer (never only reported)."""
    policy = response.headers.get("content-security-policy", "")
    assert policy, f"no Content-Security-Policy on {response.url}"
    return policy


@pytest.fixture
def figures(live_url):
    """An incident with figures from two sources: lists, a chart and an API answer."""
    incident = IncidentFactory(title="Post-election arrests in Caracas")
    for value, day in ((40, 15), (55, 20)):
        figure = FigureFactory(incident=incident, value=value, as_of=f"2024-11-{day}")
        CitationFactory(
            figure=figure,
            source=SourceFactory(text=f"The observatory counted at least {value} detentions."),
            quote=f"at least {value} detentions",
        )
    return incident


def test_swagger_ui_runs_an_operation_under_the_policy(page: Page, figures):
    response = page.goto("/api/docs/")
    policy = policy_of(response)
    assert re.search(r"script-src 'self' 'nonce-[^']+'", policy)
    assert "unsafe-eval" not in policy and "unsafe-inline" not in policy
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Incident records API")

    operation = page.locator("#operations-figures-figures_list")
    operation.locator(".opblock-summary-control").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()

    answer = operation.locator(".live-responses-table .response")
    expect(answer.locator(".response-col_status")).to_have_text("200")
    body = answer.locator(".response-col_description .highlight-code pre")
    expect(body).to_contain_text('"results"')
    assert len(json.loads(body.inner_text())["results"]) == Figure.objects.count()


def test_redoc_renders_the_operations_under_the_policy(page: Page, live_url):
    response = page.goto("/api/redoc/")
    assert "'nonce-" in policy_of(response)
    # Redoc renders each operation as a section, with its HTTP method and path. The whole
    # schema at once: seconds on a busy machine.
    expect(page.locator("[data-section-id='operation/figures_list']")).to_be_visible(timeout=60_000)
    expect(page.locator("[data-section-id='operation/figures_list'] h2")).to_contain_text("figures")
    assert page.locator("[data-section-id^='operation/']").count() > 10
    # Its search runs in a worker (a blob: URL the page's policy allows for Redoc alone).
    page.locator("[role=search] input").fill("figures")
    expect(page.locator("[data-role='search:results']")).to_contain_text(
        "List figures", timeout=60_000
    )


def test_admin_index_list_history_and_autocomplete_under_the_policy(admin_page: Page, figures):
    page = admin_page
    response = page.goto("/admin/")
    assert "frame-ancestors 'none'" in policy_of(response)
    expect(page.locator("#content-main")).to_be_visible()

    # A list with its filters, search and actions (the admin's scripts).
    page.goto("/admin/incidents/figure/")
    expect(page.locator("#result_list tbody tr")).to_have_count(2)
    page.locator("#action-toggle").check()
    expect(page.locator(".action-counter")).to_contain_text("2 of 2")

    # A change form with autocompletes (select2) and an inline, then its history.
    page.goto("/admin/incidents/figure/add/")
    choose_autocomplete(page, "id_incident", "Caracas", figures.title)
    page.locator("#citations-group .add-row a").first.click()
    expect(page.locator("#citations-1")).to_be_visible()
    figure = Figure.objects.first()
    page.goto(f"/admin/incidents/figure/{figure.pk}/history/")
    expect(page.locator("#content")).to_be_visible()


def test_article_import_and_its_preview_under_the_policy(admin_page: Page):
    page = admin_page
    page.goto("/admin/incidents/source/import-article/")
    page.locator("#id_title").fill("Foro Penal: all minors detained after the election released")
    page.locator("#id_published").fill("2024-12-25")
    page.locator("#id_country").select_option("VE")
    page.locator("#id_text").fill(ARTICLE.read_text(encoding="utf-8"))
    page.locator("input[name=extract]").click()
    expect(page.locator("#preview-form")).to_be_visible()

    # The preview's script (a static file now) marks a quote and dims a row left out;
    # its stylesheet lays the article out.
    page.locator("a.quote-link").first.click()
    expect(page.locator("#article-text mark.highlighted").first).to_be_visible()
    keep = page.locator(".draft-row input[name$='-keep']").first
    keep.uncheck()
    expect(keep.locator("xpath=ancestor::tr")).to_have_class(re.compile("left-out"))
    assert page.locator("#article-text").evaluate("e => getComputedStyle(e).whiteSpace") == (
        "pre-wrap"
    )


def test_the_incident_chart_under_the_policy(admin_page: Page, figures):
    page = admin_page
    page.goto(f"/admin/incidents/incident/{figures.pk}/change/")
    chart = page.locator("#incident-chart img")
    expect(chart).to_be_visible()
    page.wait_for_function("() => document.querySelector('#incident-chart img').naturalWidth > 0")
    assert chart.evaluate("e => getComputedStyle(e).maxWidth") == "100%"

    # Opened on its own, the SVG is a document under the policy of data: styled, inert.
    svg = page.locator("#incident-chart a", has_text="Open").get_attribute("href")
    response = page.goto(svg)
    policy = policy_of(response)
    assert "default-src 'none'" in policy and "script-src" not in policy
    expect(page.locator("svg")).to_be_visible()


def test_an_injected_script_is_blocked_and_reported(page: Page, live_url, csp_violations):
    """The watcher this package relies on sees what the policy blocks."""
    page.goto("/admin/login/")
    page.evaluate(
        """() => {
        const script = document.createElement("script");
        script.textContent = "window.injected = true";
        document.body.appendChild(script);
    }"""
    )
    page.wait_for_function("() => window.__cspViolations > 0")
    assert page.evaluate("() => window.injected === undefined")
    assert any("script-src" in violation for violation in csp_violations), csp_violations
    csp_violations.clear()  # expected here: not a failure of this test
