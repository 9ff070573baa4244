"""Which language an article is written in, and which of them the extractor reads.

``detect_language`` names the language of a text as an ISO 639-1 code. It uses the
naive Bayes byte n-gram model of py3langid (some 140 languages), loaded once,
on first use, and shared by every caller: the model takes under a second to load
and about a millisecond per article to apply (it reads at most ``MAX_CHARS``).

A statistical model needs evidence, so two rules guard it:

* **Too little text.** A text with fewer than ``MIN_LETTERS`` letters ("Hola", a
  name, nothing) cannot be told apart; it is taken to be English, the extractor's
  default, and yields whatever little the rules find in it. Letters are counted, not
  words, because some scripts put no spaces between words; and they are counted in
  UTF-8 bytes, as the model reads them, so that a Chinese character, which says
  more than a Latin letter, weighs more.
* **Near languages.** Spanish, Galician, Portuguese, Catalan and Asturian share
  much of their spelling, and on a sentence or two the model hesitates between them.
  Another language wins only when the text is long enough (``CONFIDENT_LETTERS``) and
  the model is sure (``CONFIDENT``) and prefers it clearly (``MARGIN`` times) to the
  best of English and Spanish; otherwise the better of English and Spanish is kept.
  On a whole article the model is near certain, so a Galician or Portuguese article
  is named as such, never read as Spanish.

``UnsupportedLanguage`` is raised by ``extract`` for any language it cannot read. Its
message names the language in English words ("Portuguese (pt)"); ``.language`` keeps
the code, for callers that name it in their user's language (``language_name``).
"""

from __future__ import annotations

import re
import threading

SUPPORTED = ("en", "es")

MIN_LETTERS = 12  # about three words
CONFIDENT_LETTERS = 40  # about eight words
CONFIDENT = 0.5
MARGIN = 3.0
# The start of an article tells its language; more only costs time.
MAX_CHARS = 2_000  # some 300 words: ample evidence, and reading more only costs time

# Codes the model gives to no language ("zxx": numbers, symbols) or to none known.
_NO_LANGUAGE = {"zxx", "und"}
_LETTER_RE = re.compile(r"[^\W\d_]")

_identifier = None
_lock = threading.Lock()


class UnsupportedLanguage(ValueError):
    """The text is in a language the extractor cannot read; ``.language`` is its code."""

    def __init__(self, language: str) -> None:
        self.language = language
        supported = " and ".join(language_name(code) for code in SUPPORTED)
        super().__init__(
            f"The article appears to be in {language_name(language)} ({language}); "
            f"only {supported} articles can be read."
        )


def language_name(code: str, locale: str = "en") -> str:
    """The language's name in ``locale`` ("pt" -> "Portuguese", or "portugués" in "es").

    Falls back to the English name, then to the code itself.
    """
    from babel import Locale, UnknownLocaleError

    for where in (locale, "en"):
        try:
            name = Locale.parse(where).languages.get(code)
        except (UnknownLocaleError, ValueError):
            continue
        if name:
            return name
    return code


def _model():
    """The py3langid identifier, loaded on first use (once, whichever thread asks)."""
    global _identifier
    if _identifier is None:
        with _lock:
            if _identifier is None:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return _identifier


def rank_languages(text: str) -> list[tuple[str, float]]:
    """Every language the model knows, most likely first, with its probability."""
    return _model().rank(text[:MAX_CHARS])


def detect_language(text: str) -> str:
    """The ISO 639-1 code of the language ``text`` is written in.

    Returns a code of ``SUPPORTED`` unless the text is long enough and clearly in
    another language (see the module's docstring); "en" when there is too little
    text to tell.
    """
    sample = text[:MAX_CHARS]
    # Only the two small thresholds matter, so the first few hundred characters will do.
    letters = len("".join(_LETTER_RE.findall(sample[:400])).encode("utf-8"))
    if letters < MIN_LETTERS:
        return SUPPORTED[0]
    ranked = rank_languages(sample)
    top, probability = ranked[0]
    if top in SUPPORTED:
        return top
    best, best_probability = next((lang, p) for lang, p in ranked if lang in SUPPORTED)
    if (
        top not in _NO_LANGUAGE
        and letters >= CONFIDENT_LETTERS
        and probability >= CONFIDENT
        and probability >= MARGIN * best_probability
    ):
        return top
    return best
