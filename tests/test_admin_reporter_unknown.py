"""The article preview marks a drafted record whose reporter the text does not name."""

import re

from incidents.extraction import Draft
from incidents.extraction.draft import REPORTER_UNKNOWN
from incidents.models import Figure
from incidents.writes import articles
from tests.test_admin_articles import ARTICLE, TEXT, URL, form_values, preview


def _rows(html: str) -> list[str]:
    return re.findall(r'<tr class="draft-row[^"]*".*?</tr>', html, re.S)


def test_a_figure_without_a_reporter_is_marked_for_the_reviewer(editor):
    html = preview(editor).content.decode()
    marked = [row for row in _rows(html) if "needs-check" in row]
    # The seed article says "the Maduro regime has also arrested several American
    # nationals" in the outlet's own voice: no one reports that count.
    assert marked, "no row is marked"
    assert all(f'data-warning="{REPORTER_UNKNOWN}"' in row for row in marked)
    assert any("American nationals" in row or "detained" in row for row in marked)
    assert "No reporter found in the text: check who says this" in html
    # Rows with a reporter carry no mark.
    assert any("Foro Penal" in row and "needs-check" not in row for row in _rows(html))


def test_the_mark_speaks_spanish(editor):
    data = {**ARTICLE, "text": TEXT}
    html = editor.post(URL, data, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "No se encontró en el texto quién lo informa: compruebe quién lo dice" in html


def test_the_marked_draft_saves_as_any_other(editor):
    values = form_values(preview(editor))
    assert editor.post(URL, values).status_code == 302
    assert Figure.objects.count() == int(values["figures-TOTAL_FORMS"])


def test_corrections_keep_and_ignore_the_marker():
    draft = Draft.from_dict(
        {
            "reference_date": "2025-01-02",
            "incidents": [{"key": "top", "title": "Arrests", "kind": "arrest", "quote": "q"}],
            "figures": [
                {
                    "key": "detained-3",
                    "value": 3,
                    "qualifier": "exact",
                    "measure": "detained",
                    "incident": "top",
                    "quote": "q",
                    "warnings": [REPORTER_UNKNOWN],
                }
            ],
        }
    )
    corrected = articles.correct(draft, {"figures": [{"value": 4}]})
    assert corrected.figures[0].value == 4
    assert corrected.figures[0].warnings == [REPORTER_UNKNOWN]
    assert Draft.from_dict(corrected.to_dict()) == corrected
