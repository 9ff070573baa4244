"""Import an article, check and correct its draft, publish it, see the trend: in a real browser.

The journey the admin exists for, in Spanish as much of the staff work in it, and
in English for the documentation's screenshots.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from incidents.choices import ReviewStatus, Visibility
from incidents.models import Citation, DetaineeGroup, Figure, Incident, Source
from incidents.roles import REVIEWER, ensure_roles

ARTICLE = Path(settings.BASE_DIR) / "seeds" / "2024-12-venezuela-minors-released.txt"
PASSWORD = "a long reviewer password"


@pytest.fixture
def reviewer(live_url, django_user_model):
    """A reviewer: imports articles (as every editor may) and publishes them."""
    from django.contrib.auth.models import Group

    ensure_roles()
    user = django_user_model.objects.create_user("lucia", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=REVIEWER))
    return user


def sign_in(page: Page, username: str) -> None:
    """The admin's login form, by its fields rather than its (translated) labels."""
    page.goto("/admin/login/?next=/admin/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def paste_article(page: Page, *, import_link: str, extract: str) -> None:
    page.goto("/admin/incidents/source/")
    page.get_by_role("link", name=import_link).click()
    page.locator("#id_title").fill("Foro Penal: all minors detained after the election released")
    page.locator("#id_published").fill("2024-12-25")
    page.locator("#id_publisher").fill("Example News")
    page.locator("#id_url").fill("https://news.example.org/venezuela-minors")
    page.locator("#id_country").select_option("VE")
    page.locator("#id_text").fill(ARTICLE.read_text(encoding="utf-8"))
    page.get_by_role("button", name=extract).click()
    expect(page.locator("#preview-form")).to_be_visible()


@pytest.mark.parametrize("browser_locale", ["es"])
def test_a_spanish_speaking_reviewer_imports_publishes_and_sees_the_trend(
    page: Page, reviewer, screenshot
):
    sign_in(page, "lucia")
    expect(page.locator("#site-name")).to_contain_text("Registros de incidentes")
    paste_article(page, import_link="Importar un artículo", extract="Extraer los registros")

    # The draft: every record's words marked in the article, and nothing saved yet.
    expect(page.get_by_role("heading", name=re.compile("Revise los registros"))).to_be_visible()
    assert page.locator("#article-text mark").count() > 10
    assert not Source.objects.exists()
    page.locator("a.quote-link[data-anchor=q-figures-0]").click()
    expect(page.locator("#article-text mark.highlighted").first).to_be_visible()

    # Corrections: a group's label in Spanish (its figures follow), a stance left out.
    label = page.locator("#id_groups-0-label")
    old_label = label.input_value()
    label.fill("menores de 14 a 17 años")
    keep = page.locator("#id_stances-0-keep")
    keep.uncheck()
    expect(keep.locator("xpath=ancestor::tr")).to_have_class(re.compile("left-out"))
    stances = int(page.locator("#id_stances-TOTAL_FORMS").input_value())
    page.get_by_role("button", name="Guardar como borradores sin revisar").click()

    # Saved as restricted, unreviewed drafts; the reviewer publishes them all.
    expect(page.locator(".messagelist .success")).to_contain_text("Se guardaron")
    expect(page.get_by_role("heading", name=re.compile("sin revisar"))).to_be_visible()
    group = DetaineeGroup.objects.get(label="menores de 14 a 17 años")
    assert not DetaineeGroup.objects.filter(label=old_label).exists()
    assert group.figures.exists()
    assert {(f.visibility, f.review_status) for f in Figure.objects.all()} == {
        (Visibility.RESTRICTED, ReviewStatus.UNREVIEWED)
    }
    # Each stance kept is a citation that is not the reporter's own; one was left out.
    assert Citation.objects.exclude(stance="asserts").count() == stances - 1
    page.get_by_role("button", name=re.compile("Publicar")).click()
    expect(page.locator(".messagelist .success")).to_contain_text("Se publicaron")
    assert {(f.visibility, f.review_status) for f in Figure.objects.all()} == {
        (Visibility.PUBLIC, ReviewStatus.REVIEWED)
    }
    assert Figure.objects.first().history.first().history_user == reviewer

    # The trend, on the incident's page: the chart, drawn in Spanish.
    incident = Incident.objects.get(title="Post-election crackdown in Venezuela")
    page.goto(f"/admin/incidents/incident/{incident.pk}/change/")
    chart = page.locator("#incident-chart")
    expect(chart.get_by_role("heading", name="Cifras a lo largo del tiempo")).to_be_visible()
    image = chart.locator("img")
    image.scroll_into_view_if_needed()
    expect(image).to_be_visible()
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    # What the browser itself is sent for the image (with its Spanish Accept-Language).
    svg = page.evaluate("src => fetch(src).then(r => r.text())", image.get_attribute("src"))
    assert "Foro Penal" in svg and "número de personas" in svg

    # And anyone reads the published figures through the API, in Spanish.
    response = page.request.get(
        "/api/v1/figures/?measure=still_detained", headers={"Accept-Language": "es"}
    )
    values = [f["display_value"] for f in response.json()["results"]]
    assert "69" in values and len(values) == Figure.objects.filter(measure="still_detained").count()


def scroll_to_top_of(page: Page, selector: str) -> None:
    page.locator(selector).evaluate("element => element.scrollIntoView({block: 'start'})")


def test_the_import_in_english_with_screenshots(admin_page: Page, screenshot):
    page = admin_page
    # Wide enough for the preview's rows; the admin's menu folded away, as staff do.
    page.set_viewport_size({"width": 1440, "height": 1000})
    page.evaluate("localStorage.setItem('django.admin.navSidebarIsOpen', 'false')")
    paste_article(page, import_link="Import an article", extract="Extract the records")
    page.locator("a.quote-link[data-anchor=q-figures-2]").click()
    expect(page.locator("#article-text mark.highlighted").first).to_be_visible()
    scroll_to_top_of(page, "#article-text")
    page.locator("#article-text mark.highlighted").first.scroll_into_view_if_needed()
    screenshot(page, "article-import-preview", full_page=False)
    # A figure whose reporter the text does not name is marked for the reviewer.
    mark = page.locator("tr.needs-check .draft-warning").first
    expect(mark).to_have_text("No reporter found in the text: check who says this")
    mark.scroll_into_view_if_needed()
    expect(mark).to_be_visible()
    border = page.locator("tr.needs-check td").first.evaluate(
        "cell => getComputedStyle(cell).borderLeftWidth"
    )
    assert border == "4px"  # the static stylesheet applies under the CSP

    page.locator("#id_figures-0-value_low").fill("50")
    page.locator("#id_figures-0-value_high").fill("9")
    page.get_by_role("button", name="Save as unreviewed drafts").click()
    # A refused value is shown beside its record, and nothing is written.
    expect(page.locator(".errornote")).to_contain_text("Please correct the errors below.")
    expect(page.locator("tr.row-errors").first).to_contain_text(
        "The low bound cannot be above the high bound."
    )
    assert not Source.objects.exists()

    page.locator("#id_figures-0-value_low").fill("")
    page.locator("#id_figures-0-value_high").fill("")
    page.get_by_role("button", name="Save as unreviewed drafts").click()
    expect(page.locator(".messagelist .success")).to_contain_text(
        "as unreviewed, restricted drafts"
    )
    screenshot(page, "article-drafts", full_page=False)
    assert Source.objects.get(kind="news_article").review_status == ReviewStatus.UNREVIEWED

    incident = Incident.objects.get(title="Post-election crackdown in Venezuela")
    page.goto(f"/admin/incidents/incident/{incident.pk}/change/")
    scroll_to_top_of(page, "#incident-chart")  # the image loads when scrolled to (lazily)
    expect(page.locator("#incident-chart img")).to_be_visible()
    page.wait_for_function("document.querySelector('#incident-chart img').naturalWidth > 0")
    screenshot(page.locator("#incident-chart"), "incident-chart")
