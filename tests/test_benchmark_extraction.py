"""The extraction benchmark reads a corpus and the seeds and prints a rate per language."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

ARTICLES = {
    "en/one": (
        "Police detain 40 students\n\n"
        "At least 40 students were detained on Monday, the rights group Justice Now said.\n",
        {"language": "en", "published": "2025-03-04", "figures": []},
    ),
    "es/uno": (
        "Detienen a 40 estudiantes\n\n"
        "Al menos 40 estudiantes fueron detenidos el lunes, informó la organización Justicia "
        "Ahora, que denunció además que varios de ellos siguen sin contacto con sus familias.\n",
        {"language": "es", "published": "2025-03-04", "figures": []},
    ),
}


def write_corpus(folder):
    for name, (text, meta) in ARTICLES.items():
        path = folder / f"{name}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        path.with_suffix(".json").write_text(json.dumps(meta), encoding="utf-8")


def test_it_prints_milliseconds_per_thousand_words_for_each_language_and_case(tmp_path):
    write_corpus(tmp_path)
    out = io.StringIO()
    saved = tmp_path / "rates.json"
    call_command("benchmark_extraction", str(tmp_path), repeat=1, json=str(saved), stdout=out)
    text = out.getvalue()
    assert "ms/1000 words" in text
    results = json.loads(saved.read_text())["results"]
    cases = {(r["language"], r["case"]) for r in results}
    for language in ("en", "es"):
        for case in ("articles", "language given", "one long article"):
            assert (language, case) in cases
    # The seed article is English: English reads two articles, Spanish one.
    assert {r["language"]: r["articles"] for r in results if r["case"] == "articles"} == {
        "en": 2,
        "es": 1,
    }
    assert all(r["ms_per_1000_words"] > 0 and r["words"] > 0 for r in results)
    assert "one long article / short articles, per word: x" in text


@pytest.mark.parametrize("folder", ["no-such-folder", "empty"])
def test_a_folder_without_articles_is_a_clear_error(tmp_path, folder):
    (tmp_path / "empty").mkdir()
    with pytest.raises(CommandError):
        call_command("benchmark_extraction", str(tmp_path / folder), stdout=io.StringIO())
