"""A partner's developer tries the API from its documentation (Swagger UI) in a real browser."""

import json

import pytest
from playwright.sync_api import expect

from incidents.models import Figure


@pytest.fixture
def figures(live_url, seeded):
    """The seed records (the Venezuela article's figures), committed for the live server."""
    return Figure.objects.count()


def test_try_the_figures_list_from_swagger_ui(page, figures, screenshot):
    assert figures > 0
    page.goto("/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Incident records API")

    operation = page.locator("#operations-figures-figures_list")
    operation.locator(".opblock-summary-control").click()
    expect(operation.locator(".opblock-summary-control")).to_have_attribute("aria-expanded", "true")
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()

    response = operation.locator(".live-responses-table .response")
    expect(response.locator(".response-col_status")).to_have_text("200")
    body = response.locator(".response-col_description .highlight-code pre")
    expect(body).to_contain_text('"results"')
    payload = json.loads(body.inner_text())
    assert len(payload["results"]) == min(figures, 50)
    assert {"id", "measure", "value", "as_of"} <= payload["results"][0].keys()
    expect(operation.locator(".request-url")).to_contain_text("/api/v1/figures/")
    # The whole documentation is ten screens long: show the request and its answer.
    operation.locator(".request-url").evaluate("element => element.scrollIntoView()")
    screenshot(page, "swagger-ui-figures-list-response", full_page=False)
