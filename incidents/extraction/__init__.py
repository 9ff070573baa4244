"""Rule-based extraction of draft incident records from English and Spanish news articles.

Pure Python, no Django, no network; one small statistical model names the language
(``language.detect_language``). Use::

    from incidents.extraction import extract
    draft = extract(text, date(2024, 12, 25), country_hint="VE")
    draft.to_dict()
"""

from incidents.extraction.draft import (
    Draft,
    DraftActor,
    DraftAllegation,
    DraftFigure,
    DraftGroup,
    DraftIncident,
    DraftSource,
    DraftStance,
)
from incidents.extraction.extractor import extract
from incidents.extraction.language import SUPPORTED, UnsupportedLanguage, detect_language

__all__ = [
    "SUPPORTED",
    "Draft",
    "DraftActor",
    "DraftAllegation",
    "DraftFigure",
    "DraftGroup",
    "DraftIncident",
    "DraftSource",
    "DraftStance",
    "UnsupportedLanguage",
    "detect_language",
    "extract",
]
