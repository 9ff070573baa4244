"""Language detection, ``extract``'s dispatch on it, and the scorer's count of misreadings.

Pure unit tests (no database): the admin's side is in tests/test_admin_articles_language.py.
"""

import contextlib
from datetime import date

import pytest

from incidents.extraction import SUPPORTED, UnsupportedLanguage, detect_language, extract
from incidents.extraction import language as language_module
from incidents.extraction.extractor import _Extractor
from incidents.extraction.extractor_es import SpanishExtractor
from incidents.extraction.language import language_name
from incidents.extraction.scoring import score_corpus

REF = date(2025, 3, 12)

ENGLISH = (
    "The rights group said on Tuesday that at least 120 people remain in detention after "
    "last month's protests, and that many of them have not been allowed to see a lawyer."
)
SPANISH = (
    "La organización de derechos humanos denunció este martes que al menos 120 personas "
    "siguen detenidas tras las protestas del mes pasado, y que muchas de ellas no han "
    "podido ver a un abogado."
)
# The same sentence in the languages nearest to Spanish.
NEAR = {
    "pt": "A organização de direitos humanos denunciou nesta terça-feira que pelo menos 120 "
    "pessoas continuam detidas após os protestos do mês passado, e que muitas delas não "
    "puderam ver um advogado.",
    "gl": "A organización de dereitos humanos denunciou este martes que polo menos 120 "
    "persoas seguen detidas tras as protestas do mes pasado, e que moitas delas non "
    "puideron ver a un avogado.",
    "ca": "L'organització de drets humans va denunciar aquest dimarts que almenys 120 "
    "persones continuen detingudes després de les protestes del mes passat, i que moltes "
    "d'elles no han pogut veure un advocat.",
}


def test_supported_languages():
    assert SUPPORTED == ("en", "es")
    assert detect_language(ENGLISH) == "en"
    assert detect_language(SPANISH) == "es"


@pytest.mark.parametrize("code", sorted(NEAR))
def test_near_languages_are_not_taken_for_spanish(code):
    assert detect_language(NEAR[code]) == code


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", "en"),  # nothing to tell by: the default
        ("Hola", "en"),
        ("12 345", "en"),
        ("Foro Penal", "en"),
        # Short texts are only ever told apart between the supported languages.
        ("Al menos 40 detenidos en Caracas.", "es"),
        ("Police detained 40 protesters.", "en"),
        ("Siguen presos 12 estudiantes, dijo la ONG.", "es"),
    ],
)
def test_short_texts_keep_to_the_supported_languages(text, expected):
    assert detect_language(text) == expected


def test_other_scripts_are_named_too():
    assert (
        detect_language("東京で12人が拘束された。抗議に参加した学生たちは今も拘束されている。")
        == "ja"
    )
    text = "По данным правозащитников, не менее 120 человек остаются под стражей."
    assert detect_language(text) == "ru"


def test_spanish_full_of_names_is_spanish():
    text = (
        "Foro Penal, dirigido por Alfredo Romero y Gonzalo Himiob, contabilizó 1.849 presos "
        "políticos en Caracas, Zulia, Lara y Táchira."
    )
    assert detect_language(text) == "es"


def test_the_model_is_loaded_once():
    detect_language(SPANISH)
    model = language_module._model()
    detect_language(ENGLISH)
    assert language_module._model() is model


def test_unsupported_language_names_the_language():
    error = UnsupportedLanguage("pt")
    assert isinstance(error, ValueError)
    assert error.language == "pt"
    assert "Portuguese (pt)" in str(error) and "English and Spanish" in str(error)
    assert language_name("pt", "es") == "portugués"
    assert language_name("gl", "es_ES") == "gallego"
    assert language_name("xx-unknown") == "xx-unknown"


def test_extract_detects_and_dispatches(monkeypatch):
    used = []

    def spy(cls):
        run = cls.run

        def recording(self):
            used.append(type(self))
            return run(self)

        monkeypatch.setattr(cls, "run", recording)

    spy(_Extractor)
    assert extract(SPANISH, REF).language == "es"
    assert extract(ENGLISH, REF).language == "en"
    assert used == [SpanishExtractor, _Extractor]
    # A language given is obeyed, whatever the text.
    assert extract(SPANISH, REF, language="en").language == "en"
    assert extract(ENGLISH, REF, language="es").language == "es"


def test_extract_refuses_other_languages():
    with pytest.raises(UnsupportedLanguage, match=r"Portuguese \(pt\)") as caught:
        extract(NEAR["pt"], REF)
    assert caught.value.language == "pt"
    with pytest.raises(UnsupportedLanguage, match=r"French \(fr\)"):
        extract(ENGLISH, REF, language="fr")


def test_extract_never_crashes_on_odd_text():
    for text in ("", " ", "\n\n", "123", "«»", "Москва", "東京で12人が拘束された。"):
        with contextlib.suppress(UnsupportedLanguage):
            assert extract(text, REF).language in SUPPORTED


def write(folder, name, text, language):
    (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    annotation = (
        f'{{"language": "{language}", "published": "2025-03-12", "figures": '
        '[{"value": 120, "measure": "still_detained", "reported_by": "X"}]}'
    )
    (folder / f"{name}.json").write_text(annotation, encoding="utf-8")


def test_the_scorer_counts_articles_read_as_another_language(tmp_path):
    write(tmp_path, "a-portuguese", NEAR["pt"], "es")  # unsupported: a miss, no crash
    write(tmp_path, "b-spanish", SPANISH, "en")  # supported, but not the annotated one
    write(tmp_path, "c-english", ENGLISH, "en")
    by_language, articles = score_corpus(tmp_path)
    es, en = by_language["es"], by_language["en"]
    assert (es.other_language, es.crashes, es.matched) == (1, 0, 0)
    assert (en.other_language, en.crashes) == (1, 0)
    assert [a.detected for a in articles] == ["pt", "es", "en"]
    assert articles[0].missed == [(120, "still_detained")]
    assert es.to_dict()["other_language"] == 1
