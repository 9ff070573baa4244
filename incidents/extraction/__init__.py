"""Rule-based extraction of draft incident records from English news articles.

Pure Python (standard library only): no Django, no network, no models. Use::

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

__all__ = [
    "Draft",
    "DraftActor",
    "DraftAllegation",
    "DraftFigure",
    "DraftGroup",
    "DraftIncident",
    "DraftSource",
    "DraftStance",
    "extract",
]
