"""Importing an article in the admin: paste, check the draft, correct it, save, publish."""

from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from incidents.choices import ReviewStatus, Visibility
from incidents.models import Citation, DetaineeGroup, Figure, Source
from tests.helpers import staff

SEED = Path(settings.BASE_DIR) / "seeds" / "2024-12-venezuela-minors-released.txt"
TEXT = SEED.read_bytes().decode("utf-8")
URL = "/admin/incidents/source/import-article/"
ARTICLE = {
    "title": "All minors released",
    "published": "2024-12-25",
    "publisher": "Example News",
    "url": "news.example.org/minors",
    "country": "VE",
    "language": "en",
}


class FormValues(HTMLParser):
    """What a browser would send for one form of a page: every field at its shown value."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside, self.values = form_id, False, {}
        self.select = self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind == "checkbox":
                if "checked" in attrs:
                    self.values[name] = "on"
            elif kind != "submit":
                self.values[name] = attrs.get("value", "")
        elif tag == "select":
            self.select = name
        elif tag == "option" and self.select and "selected" in attrs:
            self.values[self.select] = attrs.get("value", "")
        elif tag == "textarea":
            self.textarea = name
            self.values[name] = ""

    def handle_data(self, data):
        if self.textarea:
            self.values[self.textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def form_values(response, form_id: str = "preview-form") -> dict:
    parser = FormValues(form_id)
    parser.feed(response.content.decode())
    return parser.values


def preview(client, **changes):
    response = client.post(URL, {**ARTICLE, "text": TEXT, **changes})
    assert response.status_code == 200, response.content.decode()[:2000]
    return response


def test_the_preview_shows_the_draft_with_its_quotes_and_saves_nothing(editor):
    page = editor.get("/admin/incidents/source/")
    assert URL in page.content.decode()  # the "Import an article" button

    response = preview(editor)
    html = response.content.decode()
    assert "Check the records drafted from" in html
    # Each record's words are marked in the article, and its row links to them.
    assert html.count("<mark") > 10 and 'href="#q-figures-0"' in html
    assert 'id="q-figures-0"' in html
    assert "Foro Penal" in html
    values = form_values(response)
    assert int(values["figures-TOTAL_FORMS"]) > 5
    assert not Source.objects.exists() and not Figure.objects.exists()


def test_confirming_saves_restricted_unreviewed_drafts_with_history(editor):
    values = form_values(preview(editor))
    response = editor.post(URL, values)
    assert response.status_code == 302
    article = Source.objects.get(kind="news_article")
    assert response["Location"] == f"/admin/incidents/source/{article.pk}/drafts/"
    assert article.text == TEXT and article.url == "https://news.example.org/minors"
    assert article.issuer.name == "Example News"
    figures = Figure.objects.all()
    assert figures.count() == int(values["figures-TOTAL_FORMS"])
    for record in [*figures, *Citation.objects.all(), article]:
        assert (record.visibility, record.review_status) == (
            Visibility.RESTRICTED,
            ReviewStatus.UNREVIEWED,
        )
    entry = figures[0].history.get()
    assert entry.history_user.username == "staff-editor" and entry.history_via == "admin"

    drafts = editor.get(response["Location"])
    html = drafts.content.decode()
    assert "Saved" in html and "unreviewed" in html
    assert f"/admin/incidents/figure/{figures[0].pk}/change/" in html
    assert 'id="publish-form"' not in html  # an editor does not publish


def test_corrections_and_left_out_records_are_what_is_saved(editor):
    values = form_values(preview(editor))
    values["figures-0-value"] = "131"
    del values["figures-1-keep"]
    label = values["groups-0-label"]
    values["groups-0-label"] = "detained children"
    assert editor.post(URL, values).status_code == 302

    total = int(values["figures-TOTAL_FORMS"])
    assert Figure.objects.count() == total - 1
    assert Figure.objects.filter(value=131).exists()
    assert DetaineeGroup.objects.filter(label="detained children").exists()
    assert not DetaineeGroup.objects.filter(label=label).exists()


def test_a_bad_value_is_shown_beside_its_row_and_nothing_is_saved(editor):
    values = form_values(preview(editor))
    values["figures-0-value"] = "-3"
    response = editor.post(URL, values)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Please correct the errors below." in html
    assert "greater than or equal to 0" in html
    assert not Source.objects.exists()


def test_a_refusal_by_the_model_is_shown_beside_its_row(editor):
    values = form_values(preview(editor))
    values.update({"figures-0-value": "", "figures-0-value_low": "50", "figures-0-value_high": "9"})
    response = editor.post(URL, values)
    assert response.status_code == 400
    html = response.content.decode()
    row_errors = html[html.index('class="row-errors"') :][:600]
    assert "The low bound cannot be above the high bound." in row_errors, row_errors
    assert not Source.objects.exists() and not Figure.objects.exists()


def test_leaving_out_a_group_that_figures_count_is_refused(editor):
    values = form_values(preview(editor))
    del values["groups-0-keep"]
    response = editor.post(URL, values)
    assert response.status_code == 400
    assert "which is left out" in response.content.decode()
    assert not Source.objects.exists()


def test_a_changed_preview_is_refused(editor):
    values = form_values(preview(editor))
    values["preview"] = values["preview"][:-4] + "AAAA"
    response = editor.post(URL, values, follow=True)
    assert "This preview has expired or was changed" in response.content.decode()
    assert not Source.objects.exists()


def test_the_same_article_twice_is_refused_with_a_link_to_the_first(editor):
    values = form_values(preview(editor))
    assert editor.post(URL, values).status_code == 302
    response = editor.post(URL, values)
    assert response.status_code == 409
    article = Source.objects.get(kind="news_article")
    assert f"/admin/incidents/source/{article.pk}/drafts/" in response.content.decode()
    assert Source.objects.filter(kind="news_article").count() == 1


@pytest.mark.parametrize(
    ("upload", "text", "message"),
    [
        (None, "", "Paste the article or upload it"),
        (SimpleUploadedFile("a.txt", "Olé".encode("latin-1")), "", "not UTF-8"),
        (SimpleUploadedFile("a.txt", b"x"), "and pasted", "Paste the article or upload it"),
    ],
)
def test_the_article_form_explains_what_is_wrong(editor, upload, text, message):
    data = {**ARTICLE, "text": text}
    if upload is not None:
        data["file"] = upload
    response = editor.post(URL, data)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_an_uploaded_article_is_read_like_a_pasted_one(editor):
    upload = SimpleUploadedFile("article.txt", TEXT.replace("\n", "\r\n").encode("utf-8"))
    response = editor.post(URL, {**ARTICLE, "text": "", "file": upload})
    assert response.status_code == 200
    assert editor.post(URL, form_values(response)).status_code == 302
    assert Source.objects.get(kind="news_article").text == TEXT


def test_only_editors_import(db, django_user_model):
    viewer = staff(django_user_model, "viewer")
    assert viewer.get(URL).status_code == 403
    assert viewer.post(URL, {**ARTICLE, "text": TEXT}).status_code == 403


def test_a_reviewer_publishes_everything_drafted_from_the_article(editor, reviewer, client):
    editor.post(URL, form_values(preview(editor)))
    article = Source.objects.get(kind="news_article")
    drafts_url = f"/admin/incidents/source/{article.pk}/drafts/"
    assert editor.post(drafts_url).status_code == 403
    assert client.get("/api/v1/figures/").json()["results"] == []

    page = reviewer.get(drafts_url)
    assert 'id="publish-form"' in page.content.decode()
    response = reviewer.post(drafts_url, follow=True)
    assert "Published" in response.content.decode()

    listed = client.get("/api/v1/figures/").json()["results"]
    assert len(listed) == Figure.objects.count()
    assert all(f["citations"] and f["review_status"] == "reviewed" for f in listed)
    assert not Source.objects.filter(visibility=Visibility.RESTRICTED).exists()
    entry = Figure.objects.first().history.first()
    assert entry.history_user.username == "staff-reviewer"


def test_publishing_selected_records_is_for_reviewers(editor, reviewer, client):
    editor.post(URL, form_values(preview(editor)))
    figure = Figure.objects.first()
    action = {"action": "publish_records", "_selected_action": [figure.pk]}
    changelist = "/admin/incidents/figure/"
    assert "publish_records" not in editor.get(changelist).content.decode()
    editor.post(changelist, action)
    figure.refresh_from_db()
    assert figure.visibility == Visibility.RESTRICTED

    reviewer.post(changelist, action)
    figure.refresh_from_db()
    assert (figure.visibility, figure.review_status) == (Visibility.PUBLIC, ReviewStatus.REVIEWED)
    assert {c.visibility for c in figure.citations.all()} == {Visibility.PUBLIC}
    # Unreviewed records are one filter away.
    page = reviewer.get(changelist + "?review_status__exact=unreviewed")
    assert page.status_code == 200 and str(figure) not in page.content.decode()


def test_a_text_the_extractor_cannot_read_is_a_message_not_a_500(editor, monkeypatch):
    from incidents.writes import articles

    def fails(article):
        raise RuntimeError("a rule met text it did not expect")

    monkeypatch.setattr(articles, "draft_of", fails)
    response = editor.post(URL, {**ARTICLE, "text": TEXT})
    assert response.status_code == 200
    assert "The extractor could not read this text" in response.content.decode()
    assert not Source.objects.exists()


def test_an_article_with_nothing_to_extract_saves_the_article_alone(editor):
    response = editor.post(URL, {**ARTICLE, "text": "The weather was mild on Tuesday."})
    assert response.status_code == 200
    assert editor.post(URL, form_values(response)).status_code == 302
    assert Source.objects.get().text == "The weather was mild on Tuesday."
    assert not Figure.objects.exists()


def test_the_import_speaks_spanish(editor):
    response = editor.get(URL, HTTP_ACCEPT_LANGUAGE="es")
    html = response.content.decode()
    assert "Importar un artículo" in html and "Extraer los registros" in html
    response = editor.post(URL, {**ARTICLE, "text": TEXT}, HTTP_ACCEPT_LANGUAGE="es")
    html = response.content.decode()
    assert "Revise los registros" in html and "Guardar como borradores sin revisar" in html


def test_publishing_is_all_or_nothing(editor, reviewer):
    editor.post(URL, form_values(preview(editor)))
    article = Source.objects.get(kind="news_article")
    # A citation changed behind the services' back: its quote is not in the article.
    broken = Citation.objects.filter(figure__isnull=False).first()
    Citation.objects.filter(pk=broken.pk).update(quote="words the article never printed")

    response = reviewer.post(f"/admin/incidents/source/{article.pk}/drafts/", follow=True)
    assert "Nothing was published" in response.content.decode()
    assert not Figure.objects.filter(visibility=Visibility.PUBLIC).exists()
    assert not Source.objects.filter(visibility=Visibility.PUBLIC).exists()


def test_each_record_is_published_once_in_its_history(editor, reviewer):
    editor.post(URL, form_values(preview(editor)))
    article = Source.objects.get(kind="news_article")
    reviewer.post(f"/admin/incidents/source/{article.pk}/drafts/")
    for citation in Citation.objects.all():
        assert [h.visibility for h in citation.history.order_by("history_id")] == [
            Visibility.RESTRICTED,
            Visibility.PUBLIC,
        ]
    # Publishing again finds nothing left to publish.
    response = reviewer.post(f"/admin/incidents/source/{article.pk}/drafts/", follow=True)
    assert "Published 0 records." in response.content.decode()


@pytest.mark.parametrize("change", [-1, 1])
def test_a_form_more_or_less_than_the_draft_has_is_refused(editor, change):
    values = form_values(preview(editor))
    total = int(values["figures-TOTAL_FORMS"])
    values["figures-TOTAL_FORMS"] = str(total + change)
    response = editor.post(URL, values)
    assert response.status_code == 400
    assert not Source.objects.exists()


def test_an_error_is_shown_beside_its_own_row_when_rows_before_it_are_left_out(editor):
    values = form_values(preview(editor))
    del values["figures-0-keep"]
    del values["figures-1-keep"]
    values.update({"figures-3-value": "", "figures-3-value_low": "50", "figures-3-value_high": "9"})
    response = editor.post(URL, values)
    assert response.status_code == 400
    html = response.content.decode()
    error = html.index('class="row-errors"')
    # The row right after the error is the fourth figure's, the one that was wrong.
    assert html.index('data-anchor="q-figures-3"') > error
    assert html.index('data-anchor="q-figures-2"') < error


def test_a_stance_on_a_figure_left_out_goes_with_it(editor):
    values = form_values(preview(editor))
    html = preview(editor).content.decode()
    assert "corroborates figure" in html
    stances = int(values["stances-TOTAL_FORMS"])
    # Leave out every figure: the stances about them go too, the rest is saved.
    for index in range(int(values["figures-TOTAL_FORMS"])):
        del values[f"figures-{index}-keep"]
    assert editor.post(URL, values).status_code == 302
    assert not Figure.objects.exists()
    assert Citation.objects.exclude(stance="asserts").count() < stances


def test_two_groups_with_one_label_are_refused(editor):
    values = form_values(preview(editor))
    values["groups-1-label"] = values["groups-0-label"]
    response = editor.post(URL, values)
    assert response.status_code == 400
    assert "Another group is called" in response.content.decode()
    assert not Source.objects.exists()
