"""The article import's language: detected by default, chosen when asked, refused by name."""

from django.core.files.uploadedfile import SimpleUploadedFile

from incidents.models import Source
from tests.test_admin_articles import ARTICLE, TEXT, URL, form_values

SPANISH = (
    "La organización Voces Libres informó el lunes que al menos 40 estudiantes siguen "
    "detenidos en Caracas tras las protestas de la semana pasada."
)
PORTUGUESE = (
    "A organização de direitos humanos denunciou nesta terça-feira que pelo menos 120 "
    "pessoas continuam detidas após os protestos do mês passado, e que muitas delas não "
    "puderam ver um advogado."
)
DETECT = {**ARTICLE, "language": ""}


def test_the_form_detects_by_default_and_offers_english_and_spanish(editor):
    values = form_values(editor.get(URL), "article-form")
    assert values["language"] == ""
    html = editor.get(URL).content.decode()
    assert "Detect from the text" in html
    assert '<option value="en">English</option>' in html
    assert '<option value="es">Spanish</option>' in html


def test_a_detected_language_is_shown_and_stored(editor):
    response = editor.post(URL, {**DETECT, "text": SPANISH})
    assert response.status_code == 200
    html = response.content.decode()
    assert "It read the article as Spanish (es)." in html
    assert 'lang="es"' in html
    assert editor.post(URL, form_values(response)).status_code == 302
    article = Source.objects.get(kind="news_article")
    assert article.language == "es"
    assert {s.language for s in Source.objects.all()} == {"es"}


def test_an_english_article_is_detected_as_english(editor):
    response = editor.post(URL, {**DETECT, "text": TEXT})
    assert "It read the article as English (en)." in response.content.decode()
    editor.post(URL, form_values(response))
    assert {s.language for s in Source.objects.all()} == {"en"}


def test_a_chosen_language_is_obeyed(editor):
    response = editor.post(URL, {**DETECT, "language": "es", "text": PORTUGUESE})
    assert "It read the article as Spanish (es)." in response.content.decode()
    editor.post(URL, form_values(response))
    assert Source.objects.get(kind="news_article").language == "es"


def test_another_language_is_a_form_error_naming_it_and_keeps_the_text(editor):
    response = editor.post(URL, {**DETECT, "text": PORTUGUESE})
    assert response.status_code == 200
    html = response.content.decode()
    assert "This text appears to be in Portuguese (pt)." in html
    values = form_values(response, "article-form")
    assert values["text"].strip() == PORTUGUESE
    assert (values["title"], values["publisher"]) == (ARTICLE["title"], ARTICLE["publisher"])
    assert not Source.objects.exists()


def test_the_error_speaks_the_staff_members_language(editor):
    response = editor.post(URL, {**DETECT, "text": PORTUGUESE}, HTTP_ACCEPT_LANGUAGE="es")
    html = response.content.decode()
    assert "Este texto parece estar en portugués (pt)." in html
    assert "Detectarlo en el texto" in html


def test_an_uploaded_article_in_another_language_comes_back_as_text(editor):
    upload = SimpleUploadedFile("artigo.txt", PORTUGUESE.encode("utf-8"))
    response = editor.post(URL, {**DETECT, "text": "", "file": upload})
    assert "Portuguese (pt)" in response.content.decode()
    values = form_values(response, "article-form")
    assert values["text"].strip() == PORTUGUESE
    # Choosing Spanish and sending the form back as shown reads it, no upload needed.
    response = editor.post(URL, {**values, "language": "es"})
    assert "It read the article as Spanish (es)." in response.content.decode()
