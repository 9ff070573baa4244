"""Split an article into paragraphs and sentences, keeping exact character offsets.

Every record quotes the article verbatim, so segmentation never rewrites text: a
sentence is a ``(start, end)`` slice of the original string, trimmed of surrounding
white space only.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

from incidents.extraction import rx

# A period after these is not a sentence end ("U.N. experts", "Dec. 23", "Mr. Romero").
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "gen", "col", "lt", "sgt", "capt", "gov", "sen", "rep", "st",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "no", "vs", "inc", "jr", "sr", "prof",
}  # fmt: skip
_BOUNDARY = re.compile(r"[.!?]+[”\"\u2019)\]]*(?=\s+[“\"\u2018(]?[A-Z0-9])")


@dataclass(frozen=True)
class Sentence:
    """One sentence: its place in the article and its exact text."""

    index: int  # position among all sentences
    paragraph: int  # position of its paragraph among non-empty paragraphs
    start: int
    end: int
    text: str


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: runs of lines with visible characters.

    Lines holding only white space (including no-break spaces) separate paragraphs.
    """
    spans: list[tuple[int, int]] = []
    current: tuple[int, int] | None = None
    for m in rx.finditer(r"[^\n]*", text):
        line = m.group(0)
        if not line.strip():
            if current:
                spans.append(current)
                current = None
            continue
        current = (current[0], m.end()) if current else (m.start(), m.end())
    if current:
        spans.append(current)
    return spans


_WORD_CHARS = frozenset(string.ascii_letters + ".")


def _is_abbreviation(text: str, dot: int) -> bool:
    """Whether the period at ``dot`` ends an abbreviation or an initial, not a sentence."""
    # The run of ASCII letters and dots right before the period, read backwards: a
    # pattern anchored at the end would scan the text from its start at every period.
    start = dot
    while start > 0 and (text[start - 1] in _WORD_CHARS):
        start -= 1
    word = text[start:dot]
    if not word:
        return False
    if "." in word:  # "U.N", "U.S": dotted acronyms
        return True
    return word.lower() in _ABBREVIATIONS or (len(word) == 1 and word.isupper())


def sentences(text: str) -> list[Sentence]:
    """All sentences of ``text`` in order, each trimmed of outer white space."""
    out: list[Sentence] = []
    for p_index, (p_start, p_end) in enumerate(paragraphs(text)):
        cursor = p_start
        cuts: list[int] = []
        for m in _BOUNDARY.finditer(text, p_start, p_end):
            first_dot = m.start()
            if text[first_dot] == "." and _is_abbreviation(text, first_dot):
                continue
            cuts.append(m.end())
        cuts.append(p_end)
        for cut in cuts:
            raw = text[cursor:cut]
            lead = len(raw) - len(raw.lstrip())
            body = raw.strip()
            if body:
                start = cursor + lead
                out.append(Sentence(len(out), p_index, start, start + len(body), body))
            cursor = cut
    return out
