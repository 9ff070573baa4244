"""The verbatim-quote rule: a citation's words must be in the document it cites.

The database cannot check that a quote is a substring of another row's text,
so this is the one place that does; ``Citation.clean`` and the services call it.
"""

import re
from functools import lru_cache

from django.utils.translation import gettext as _

_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Fold runs of white space, so a quote copied across a line break still matches.

    Nothing else is folded: curly quotes, case and punctuation must be as printed.
    """
    return _SPACES.sub(" ", text).strip()


@lru_cache(maxsize=8)
def _normalised_text(text: str) -> str:
    """``normalise`` for a document's text, kept for the next quote from it.

    A batch of citations quotes a few documents many times; folding a long
    article once per quote would cost more than all else a citation does.
    """
    return normalise(text)


def quote_in_text(quote: str, text: str) -> bool:
    """Whether ``quote`` occurs verbatim (white space aside) in ``text``."""
    return normalise(quote) in _normalised_text(text)


def quote_errors(source, quote: str, may_read=None) -> str | None:
    """Why ``quote`` cannot be cited from ``source``, or None when it can.

    The quote is checked against every text we hold for it: the source's own,
    else the document it was reported in. When we hold no text, the rule
    cannot be checked and the quote is accepted.

    ``may_read(document)`` says whether the writer may read a document. A text
    they may not read counts as not held: otherwise whether a quote is
    accepted would tell them what a hidden document says.
    """
    texts = [source.text]
    if source.reported_in_id and (may_read is None or may_read(source.reported_in)):
        texts.append(source.reported_in.text)
    held = [text for text in texts if text]
    if not held or any(quote_in_text(quote, text) for text in held):
        return None
    return _(
        "This quote does not occur verbatim in the text of the source or of the document "
        "it was reported in. Copy the words exactly as printed."
    )
