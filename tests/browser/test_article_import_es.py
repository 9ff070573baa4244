"""A Spanish-speaking staff member imports a Spanish article in the admin: in a real browser."""

import re

import pytest
from playwright.sync_api import Page, expect

from incidents.models import Citation, DetaineeGroup, Figure, Source
from incidents.roles import REVIEWER, ensure_roles

PASSWORD = "a long reviewer password"
ARTICLE = """Bolivia: la ONG Cauce cuenta 412 presos políticos tras las elecciones

LA PAZ. - La ONG Cauce informó este martes que hay 412 presos políticos en Bolivia, de los \
cuales 31 son mujeres. Entre ellos hay 12 adolescentes de entre 15 y 17 años.

Desde el 2 de febrero, la policía detuvo a 640 manifestantes en La Paz y Oruro, según la \
Defensoría del Pueblo, que precisó que 58 de ellos resultaron heridos.

La organización denunció golpizas y descargas eléctricas en la cárcel de San Pedro. El \
Gobierno negó que existan presos políticos en el país.
"""


@pytest.fixture
def documentalist(live_url, django_user_model):
    from django.contrib.auth.models import Group

    ensure_roles()
    user = django_user_model.objects.create_user("marta", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=REVIEWER))
    return user


@pytest.mark.parametrize("browser_locale", ["es"])
def test_a_spanish_article_drafts_in_spanish_and_is_saved_as_corrected(page: Page, documentalist):
    page.goto("/admin/login/?next=/admin/")
    page.locator("#id_username").fill("marta")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))

    page.goto("/admin/incidents/source/")
    page.get_by_role("link", name="Importar un artículo").click()
    page.locator("#id_title").fill("La ONG Cauce cuenta 412 presos políticos")
    page.locator("#id_published").fill("2025-03-14")
    page.locator("#id_publisher").fill("Diario de Ejemplo")
    page.locator("#id_url").fill("https://diario.example.org/bolivia-presos")
    page.locator("#id_language").select_option("")  # detected from its words
    page.locator("#id_text").fill(ARTICLE)
    page.get_by_role("button", name="Extraer los registros").click()
    expect(page.locator("#preview-form")).to_be_visible()

    # The preview: figures and their reporters marked in the article, nothing saved yet.
    assert page.locator("#article-text mark").count() >= 5
    assert not Source.objects.exists()
    figures = page.locator("#preview-form").inner_text()
    assert "412 still_detained — Cauce" in figures or "412" in figures
    assert "Defensoría del Pueblo" in figures
    page.locator("a.quote-link[data-anchor=q-figures-0]").click()
    expect(page.locator("#article-text mark.highlighted").first).to_be_visible()

    # The draft labels its groups in Spanish; the reviewer corrects one figure's value.
    labels = [
        page.locator(f"#id_groups-{i}-label").input_value()
        for i in range(int(page.locator("#id_groups-TOTAL_FORMS").input_value()))
    ]
    assert "presos políticos" in labels and "mujeres" in labels
    assert page.locator("#id_figures-0-value").input_value() == "412"
    page.locator("#id_figures-0-value").fill("413")
    page.get_by_role("button", name="Guardar como borradores sin revisar").click()

    expect(page.locator(".messagelist .success")).to_contain_text("Se guardaron")
    corrected = Figure.objects.get(value=413)
    assert corrected.measure == "still_detained"
    assert corrected.group.label == "presos políticos"
    assert not Figure.objects.filter(value=412).exists()
    assert Figure.objects.filter(value=640, measure="detained").exists()
    assert Figure.objects.filter(value=58, measure="injured").exists()
    # Who reported each: the citation's source names its issuer.
    issuers = {
        c.figure.value: c.source.issuer.name
        for c in Citation.objects.filter(figure__isnull=False).select_related("source__issuer")
        if c.source.issuer
    }
    assert issuers[413] == "Cauce"
    assert issuers[640] == "Defensoría del Pueblo"
    assert DetaineeGroup.objects.filter(label="menores de edad de 15 a 17 años").exists()
