"""Numbers in news prose: digits, number words, vague amounts and their qualifiers.

``find_quantities`` scans a sentence and returns every amount it can read, with the
qualifier the writer put in front of it ("at least 129", "some 1,800", "more than
2,400", "a total of 956", "dozens", "several"). It knows nothing about what is
counted; the extractor decides that from the words around the amount.

Vague amounts follow one documented convention:

* "dozens" -> value None, value_low 24, qualifier ``at_least`` (two dozen is the
  smallest amount the plural can mean, so it is a floor, not a guess);
* "scores" -> value_low 40, "hundreds" -> 200, "thousands" -> 2000,
  "tens of thousands" -> 20000, all ``at_least``;
* "several", "a number of", "a handful of" -> value None, qualifier ``unspecified``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from incidents.extraction import rx

UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}

# (pattern, value_low, qualifier). Longest phrases first so "tens of thousands" wins.
VAGUE = (
    (r"tens\s+of\s+thousands", 20000, "at_least"),
    (r"hundreds\s+of\s+thousands", 200000, "at_least"),
    (r"thousands", 2000, "at_least"),
    (r"hundreds", 200, "at_least"),
    (r"scores", 40, "at_least"),
    (r"dozens", 24, "at_least"),
    (r"a\s+handful", None, "unspecified"),
    (r"a\s+number", None, "unspecified"),
    (r"several", None, "unspecified"),
)

# Words written before an amount, mapped to the qualifier they give it.
QUALIFIER_PREFIXES = (
    (
        r"no\s+fewer\s+than|no\s+less\s+than|not\s+less\s+than|a\s+minimum\s+of|at\s+least",
        "at_least",
    ),
    (r"more\s+than|upwards\s+of|in\s+excess\s+of|over", "more_than"),
    (
        r"up\s+to|at\s+most|as\s+many\s+as|no\s+more\s+than|not\s+more\s+than|fewer\s+than"
        r"|less\s+than|a\s+maximum\s+of",
        "at_most",
    ),
    (
        r"approximately|an\s+estimated|estimated|roughly|around|about|nearly|almost"
        r"|close\s+to|some|circa",
        "approximately",
    ),
)
CUMULATIVE_PREFIX = r"a\s+total\s+of|in\s+all|altogether"

_NUMBER_WORD = "|".join([*UNITS, *TENS, *SCALES, "a", "dozen", "and"])
_WORDS_RE = re.compile(
    rf"\b(?:{'|'.join(TENS)})-(?:{'|'.join(k for k in UNITS if UNITS[k] < 10)})\b"
    rf"|\b(?:{_NUMBER_WORD})\b",
    re.IGNORECASE,
)
_DIGITS_RE = re.compile(
    r"(?<![\d,.\-])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s+(million|thousand))?(?![\d%]|,\d)"
)
_VAGUE_RE = re.compile(
    r"\b(?:" + "|".join(f"(?P<v{i}>{p})" for i, (p, _, _) in enumerate(VAGUE)) + r")\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Quantity:
    """An amount found in a sentence; offsets are relative to the scanned text."""

    start: int  # start of the qualifier, or of the number when unqualified
    end: int
    number_start: int
    value: int | None
    qualifier: str
    value_low: int | None = None
    value_high: int | None = None
    cumulative: bool = False
    vague: bool = False


def words_to_int(words: str) -> int | None:
    """Convert "two hundred", "twenty-five", "a dozen", "one thousand and six" to an int.

    Returns None when the words are not a number (e.g. a lone "a" or "and").
    """
    tokens = rx.findall(r"[a-z]+", words.lower().replace("-", " "))
    if not tokens or all(t in ("a", "and") for t in tokens):
        return None
    total = 0
    current = 0
    seen_digit = False
    for tok in tokens:
        if tok == "and":
            continue
        if tok == "a":
            current = max(current, 1)
            continue
        if tok in UNITS:
            current += UNITS[tok]
            seen_digit = True
        elif tok in TENS:
            current += TENS[tok]
            seen_digit = True
        elif tok == "dozen":
            current = max(current, 1) * 12
            seen_digit = True
        elif tok == "hundred":
            current = max(current, 1) * 100
            seen_digit = True
        elif tok in ("thousand", "million"):
            total += max(current, 1) * SCALES[tok]
            current = 0
            seen_digit = True
        else:
            return None
    return total + current if seen_digit else None


def parse_digits(raw: str, scale: str | None = None) -> int:
    """ "1,800" -> 1800; "1.5" + "million" -> 1500000."""
    value = float(raw.replace(",", ""))
    if scale:
        value *= SCALES[scale.lower()]
    return round(value)


def _qualifier_before(text: str, pos: int) -> tuple[str, int, bool]:
    """The qualifier written just before ``pos`` and where it starts.

    Returns (qualifier, start, cumulative); ("exact", pos, False) when there is none.
    """
    before = text[:pos]
    m = rx.search(rf"\b({CUMULATIVE_PREFIX})\s+$", before, re.IGNORECASE)
    if m:
        return "exact", m.start(), True
    for pattern, qualifier in QUALIFIER_PREFIXES:
        m = rx.search(rf"\b(?:{pattern})\s+$", before, re.IGNORECASE)
        if m:
            return qualifier, m.start(), False
    return "exact", pos, False


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(start < e and s < end for s, e in spans)


def find_quantities(text: str, masked: list[tuple[int, int]] | None = None) -> list[Quantity]:
    """All amounts in ``text``, in order, skipping the ``masked`` spans (dates, ages).

    A year-like number (1900-2100) standing alone is skipped too: in this genre it is
    a date, and dates are read by :mod:`incidents.extraction.dates`.
    """
    masked = list(masked or [])
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = list(masked)

    for m in _VAGUE_RE.finditer(text):
        if _overlaps(taken, m.start(), m.end()):
            continue
        idx = next(i for i in range(len(VAGUE)) if m.group(f"v{i}"))
        low, qualifier = VAGUE[idx][1], VAGUE[idx][2]
        # "several of the minors" is a part of a known group, not a new count.
        qual, qstart, cumulative = _qualifier_before(text, m.start())
        if qual != "exact" and low is not None:
            qualifier = qual if qual in ("more_than", "at_least", "approximately") else qualifier
        found.append(
            Quantity(qstart, m.end(), m.start(), None, qualifier, value_low=low, vague=True)
        )
        taken.append((m.start(), m.end()))

    for m in _DIGITS_RE.finditer(text):
        if _overlaps(taken, m.start(), m.end()):
            continue
        raw = m.group(1)
        value = parse_digits(raw, m.group(2))
        if "," not in raw and 1900 <= value <= 2100 and not m.group(2):
            continue
        qual, qstart, cumulative = _qualifier_before(text, m.start())
        found.append(Quantity(qstart, m.end(), m.start(), value, qual, cumulative=cumulative))
        taken.append((m.start(), m.end()))

    # Number words: join adjacent word tokens into one phrase ("two hundred and six").
    runs: list[tuple[int, int]] = []
    for m in _WORDS_RE.finditer(text):
        if runs and rx.fullmatch(r"[\s-]*", text[runs[-1][1] : m.start()]):
            runs[-1] = (runs[-1][0], m.end())
        else:
            runs.append((m.start(), m.end()))
    for start, end in runs:
        phrase = text[start:end]
        # Trim leading/trailing glue words: "and twelve", "a" alone, "twelve and".
        lead = rx.match(r"^(?:and\s+)+", phrase, re.IGNORECASE)
        if lead:
            start += lead.end()
        trail = rx.search(r"(?:\s+(?:and|a))+$", text[start:end], re.IGNORECASE)
        if trail:
            end = start + trail.start()
        phrase = text[start:end]
        value = words_to_int(phrase)
        if value is None or _overlaps(taken, start, end):
            continue
        # "one" is a pronoun far more often than a count ("one of the", "no one").
        if phrase.lower() in ("one", "a", "an"):
            continue
        qual, qstart, cumulative = _qualifier_before(text, start)
        found.append(Quantity(qstart, end, start, value, qual, cumulative=cumulative))
        taken.append((start, end))

    # A number written twice, "thirty-nine (39)" or "39 (thirty-nine)", is one amount
    # whose span covers both.
    found.sort(key=lambda q: q.start)
    echoed: list[Quantity] = []
    for q in found:
        prev = echoed[-1] if echoed else None
        if prev is not None and prev.value is not None and prev.value == q.value:
            opening = rx.fullmatch(r"\s*\(\s*", text[prev.end : q.start])
            closing = rx.match(r"\s*\)", text[q.end :])
            if opening and closing:
                echoed[-1] = replace(prev, end=q.end + closing.end())
                continue
        echoed.append(q)
    found = echoed

    # Ranges: "between 10 and 20", "10 to 20" -> one quantity with low/high.
    merged: list[Quantity] = []
    for q in found:
        if merged and q.value is not None and merged[-1].value is not None:
            prev = merged[-1]
            glue = text[prev.end : q.number_start]
            lead = text[: prev.number_start]
            if rx.fullmatch(r"\s*(?:to|-|\u2013)\s*", glue) or (
                rx.fullmatch(r"\s+and\s+", glue) and rx.search(r"\bbetween\s+$", lead)
            ):
                start = prev.start
                bm = rx.search(r"\bbetween\s+$", lead)
                if bm:
                    start = bm.start()
                merged[-1] = Quantity(
                    start,
                    q.end,
                    prev.number_start,
                    None,
                    "approximately",
                    value_low=prev.value,
                    value_high=q.value,
                )
                continue
        merged.append(q)
    return merged


_AGE_PATTERNS = (
    # "aged 14-17", "aged 14 to 17", "between the ages of 14 and 17"
    re.compile(r"\b(?:aged|ages|ages of)\s+(\d{1,2})\s*(?:-|\u2013|to|and)\s*(\d{1,2})\b", re.I),
    re.compile(r"\bbetween\s+the\s+ages\s+of\s+(\d{1,2})\s+and\s+(\d{1,2})\b", re.I),
    # "under 18", "under the age of 18" -> max 17
    re.compile(r"\bunder\s+(?:the\s+age\s+of\s+)?(\d{1,2})\b", re.I),
    # "aged 16", "16-year-old(s)"
    re.compile(r"\baged\s+(\d{1,2})\b", re.I),
    re.compile(r"\b(\d{1,2})-year-olds?\b", re.I),
)


def find_age_ranges(text: str) -> list[tuple[int, int, int | None, int | None]]:
    """Age expressions in ``text`` as (start, end, age_min, age_max)."""
    out: list[tuple[int, int, int | None, int | None]] = []
    for i, pattern in enumerate(_AGE_PATTERNS):
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e, _, _ in out):
                continue
            if i in (0, 1):
                lo, hi = int(m.group(1)), int(m.group(2))
            elif i == 2:
                lo, hi = None, int(m.group(1)) - 1
            else:
                lo = hi = int(m.group(1))
            out.append((m.start(), m.end(), lo, hi))
    return sorted(out)
