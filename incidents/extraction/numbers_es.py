"""Spanish amounts: ``1.849`` and ``1,849``, ``dos mil cuatrocientos``, ``más de``, ``decenas``.

Same results as ``numbers.find_quantities`` and ``numbers.find_age_ranges`` (``Quantity``
and ``(start, end, age_min, age_max)``), so the pipeline does not care which language
the amount was written in. The conventions:

* digits: a point or a comma followed by groups of three digits separates thousands
  ("1.849", "1,849", "12.345.678"); otherwise it is a decimal, read only before a scale
  word ("1,5 millones", "2.5 millones"). A bare decimal ("1,5") or a percentage
  ("30 %", "30 por ciento") is not a count; a year-like number (1900-2100) standing
  alone is a date, not a count;
* number words follow Spanish grammar: "veintitrés", "treinta y nueve", "ciento
  cincuenta", "dos mil cuatrocientos", "un millón". "Un", "una" and "uno" alone are
  articles or pronouns, not counts;
* collective nouns are approximate: "una veintena" 20, "un centenar" 100, "medio
  centenar" 50, "un millar" 1000, "tres decenas" 30; "una docena" is exactly 12 (as
  "a dozen" in English);
* vague plurals give value None, a floor in ``value_low`` and ``at_least``, the
  smallest amount the plural can mean: "decenas" 20 (two tens), "docenas" 24,
  "cientos"/"centenares" 200, "miles"/"millares" 2000, "decenas de miles" 20000,
  "cientos de miles" 200000; "varios", "varias" and "un puñado" are ``unspecified``;
* qualifiers before the amount: "al menos", "por lo menos", "como mínimo" (at_least);
  "más de", "por encima de" (more_than); "hasta", "menos de", "como máximo"
  (at_most); "unos", "unas", "cerca de", "alrededor de", "aproximadamente", "casi",
  "en torno a" (approximately); "un total de" is exact and cumulative;
* "entre 10 y 20", "de 10 a 20" and "10-20" give ``value_low``/``value_high``;
* a number written twice, "treinta y nueve (39)" or "39 (treinta y nueve)", is one
  amount whose span covers both.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from functools import lru_cache

from incidents.extraction import rx
from incidents.extraction.numbers import Quantity

UNITS = {
    "cero": 0,
    "un": 1,
    "uno": 1,
    "una": 1,
    "dos": 2,
    "tres": 3,
    "cuatro": 4,
    "cinco": 5,
    "seis": 6,
    "siete": 7,
    "ocho": 8,
    "nueve": 9,
}
# 10-29 are single words in Spanish ("dieciséis", "veintitrés").
TEENS = {
    "diez": 10,
    "once": 11,
    "doce": 12,
    "trece": 13,
    "catorce": 14,
    "quince": 15,
    "dieciseis": 16,
    "diecisiete": 17,
    "dieciocho": 18,
    "diecinueve": 19,
    "veinte": 20,
    "veintiun": 21,
    "veintiuno": 21,
    "veintiuna": 21,
    "veintidos": 22,
    "veintitres": 23,
    "veinticuatro": 24,
    "veinticinco": 25,
    "veintiseis": 26,
    "veintisiete": 27,
    "veintiocho": 28,
    "veintinueve": 29,
}
TENS = {
    "treinta": 30,
    "cuarenta": 40,
    "cincuenta": 50,
    "sesenta": 60,
    "setenta": 70,
    "ochenta": 80,
    "noventa": 90,
}
HUNDREDS = {
    "cien": 100,
    "ciento": 100,
    "doscientos": 200,
    "doscientas": 200,
    "trescientos": 300,
    "trescientas": 300,
    "cuatrocientos": 400,
    "cuatrocientas": 400,
    "quinientos": 500,
    "quinientas": 500,
    "seiscientos": 600,
    "seiscientas": 600,
    "setecientos": 700,
    "setecientas": 700,
    "ochocientos": 800,
    "ochocientas": 800,
    "novecientos": 900,
    "novecientas": 900,
}
SCALES = {"mil": 1000, "millon": 1_000_000, "millones": 1_000_000}

# Collective nouns: (value of one, qualifier when nothing is written before it).
COLLECTIVES = {
    "decena": (10, "approximately"),
    "docena": (12, "exact"),
    "veintena": (20, "approximately"),
    "treintena": (30, "approximately"),
    "cincuentena": (50, "approximately"),
    "centenar": (100, "approximately"),
    "millar": (1000, "approximately"),
}

# (pattern, value_low, qualifier). Longest phrases first so "decenas de miles" wins.
VAGUE = (
    (r"decenas\s+de\s+miles", 20000, "at_least"),
    (r"(?:cientos|centenares)\s+de\s+miles", 200000, "at_least"),
    (r"miles|millares", 2000, "at_least"),
    (r"cientos|centenares", 200, "at_least"),
    (r"docenas", 24, "at_least"),
    (r"decenas", 20, "at_least"),
    (r"un\s+puñado", None, "unspecified"),
    (r"varios|varias", None, "unspecified"),
)

QUALIFIER_PREFIXES = (
    (
        r"al\s+menos|por\s+lo\s+menos|cuando\s+menos|como\s+m[íi]nimo|un\s+m[íi]nimo\s+de"
        r"|no\s+menos\s+de",
        "at_least",
    ),
    (r"poco\s+m[áa]s\s+de|m[áa]s\s+de|por\s+encima\s+de|en\s+exceso\s+de", "more_than"),
    (
        r"hasta|como\s+m[áa]ximo|un\s+m[áa]ximo\s+de|no\s+m[áa]s\s+de|poco\s+menos\s+de"
        r"|menos\s+de",
        "at_most",
    ),
    (
        r"(?:aproximadamente\s+|alrededor\s+de\s+|cerca\s+de\s+)?(?:unos|unas)"
        r"|aproximadamente|alrededor\s+de|cerca\s+de|casi|en\s+torno\s+a|aprox\.|un\s+estimado\s+de"
        r"|una\s+cifra\s+estimada\s+de",
        "approximately",
    ),
)
CUMULATIVE_PREFIX = r"un\s+total\s+de|en\s+total|un\s+acumulado\s+de"

_L = "a-záéíóúüñ"  # letters a Spanish number word is made of


@lru_cache(maxsize=8192)  # every word of every sentence passes here: the same few hundred
def _key(word: str) -> str:
    """Lower case without accents: "Veintitrés" -> "veintitres", "millón" -> "millon"."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_NUMBER_WORDS = {*UNITS, *TEENS, *TENS, *HUNDREDS, *SCALES}
_TOKEN_RE = re.compile(rf"[{_L}]+", re.IGNORECASE)
_DIGITS_RE = re.compile(
    r"(?<![\d,.\-/:])"
    r"(?P<num>\d{1,3}(?:\.\d{3})+(?![,.]\d)|\d{1,3}(?:,\d{3})+(?![,.]\d)|\d+(?:[.,]\d+)?)"
    r"(?:\s+(?P<scale>mil|millones|millón|millon)\b)?"
    r"(?!\d|[.,]\d|\s?%|\s+por\s+ciento|\s*[:/]\d)",
    re.IGNORECASE,
)
_RATE_AFTER = re.compile(r"\s*%|\s+por\s+ciento\b", re.IGNORECASE)
_VAGUE_RE = re.compile(
    r"\b(?:" + "|".join(f"(?P<v{i}>{p})" for i, (p, _, _) in enumerate(VAGUE)) + r")\b",
    re.IGNORECASE,
)
_COLLECTIVE_RE = re.compile(
    rf"\b(?P<n>un|una|medio|media|\d{{1,3}}|[{_L}]+)\s+(?P<noun>{'|'.join(COLLECTIVES)})(?P<pl>e?s)?\b",
    re.IGNORECASE,
)


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(start < e and s < end for s, e in spans)


def _qualifier_before(text: str, pos: int) -> tuple[str, int, bool]:
    """The qualifier written just before ``pos``: (qualifier, start, cumulative)."""
    before = text[:pos]
    m = rx.search(rf"\b(?:{CUMULATIVE_PREFIX})\s*,?\s+$", before, re.IGNORECASE)
    if m:
        return "exact", m.start(), True
    for pattern, qualifier in QUALIFIER_PREFIXES:
        m = rx.search(rf"(?<![{_L}])(?:{pattern})\s+$", before, re.IGNORECASE)
        if m:
            return qualifier, m.start(), False
    return "exact", pos, False


def _parse_runs(tokens: list[tuple[int, int, str]]) -> list[tuple[int, int, int]]:
    """Split consecutive number-word tokens into grammatical Spanish numerals.

    ``tokens`` are (start, end, folded word). Returns (start, end, value) per numeral.
    A word that cannot continue the numeral before it ("dos tres", "cinco y seis")
    starts a new one; "y" only joins tens and units ("treinta y nueve").
    """
    out: list[tuple[int, int, int]] = []
    i = 0
    n = len(tokens)
    while i < n:
        total = 0
        group = 0
        stage = 0  # 0 empty, 1 hundreds, 2 tens, 3 "y", 4 units/teens or closed ("cien")
        last_scale = 10**12
        start = tokens[i][0]
        end = start
        seen = False
        j = i
        while j < n:
            word = tokens[j][2]
            ok = True
            if word == "y":
                ok = stage == 2 and j + 1 < n and tokens[j + 1][2] in UNITS
                if ok:
                    stage = 3
            elif word in HUNDREDS:
                ok = stage == 0
                if ok:
                    group += HUNDREDS[word]
                    stage = 4 if word == "cien" else 1
            elif word in TENS:
                ok = stage in (0, 1)
                if ok:
                    group += TENS[word]
                    stage = 2
            elif word in TEENS:
                ok = stage in (0, 1)
                if ok:
                    group += TEENS[word]
                    stage = 4
            elif word in UNITS:
                ok = stage in (0, 1, 3)
                if ok:
                    group += UNITS[word]
                    stage = 4
            elif word in SCALES:
                scale = SCALES[word]
                ok = scale < last_scale and (seen or word == "mil")
                # "millones" needs a number before it; alone it is vague ("millones de").
                if ok:
                    total += max(group, 1) * scale
                    group, stage, last_scale = 0, 0, scale
            else:
                ok = False
            if not ok:
                break
            if word != "y":
                seen = True
                end = tokens[j][1]
            j += 1
        if j == i:  # the first word cannot start a numeral ("y", "millones")
            i += 1
            continue
        # A dangling "y" never ends a numeral (the check above looks ahead).
        out.append((start, end, total + group))
        i = j
    return out


def words_to_int_es(words: str) -> int | None:
    """ "dos mil cuatrocientos" -> 2400; None unless the words are one whole numeral."""
    tokens = [(m.start(), m.end(), _key(m.group())) for m in _TOKEN_RE.finditer(words)]
    if not tokens or any(t[2] not in _NUMBER_WORDS and t[2] != "y" for t in tokens):
        return None
    runs = _parse_runs(tokens)
    if len(runs) != 1 or runs[0][0] != tokens[0][0] or runs[0][1] != tokens[-1][1]:
        return None
    return runs[0][2]


def _digits_value(raw: str, scale: str | None) -> int | None:
    """ "1.849" / "1,849" -> 1849; "1,5" + "millones" -> 1500000; a bare decimal -> None."""
    if rx.fullmatch(r"\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*", raw):
        value: float = int(rx.sub(r"[.,]", "", raw))
    elif rx.fullmatch(r"\d+", raw):
        value = int(raw)
    else:
        if not scale:
            return None  # "1,5" alone is a measurement or a rate, not a count of people
        value = float(raw.replace(",", "."))
    if scale:
        value *= SCALES[_key(scale)]
    return round(value)


def _merge_echoes(text: str, found: list[Quantity]) -> list[Quantity]:
    """ "treinta y nueve (39)" and "39 (treinta y nueve)" are one amount, written twice."""
    out: list[Quantity] = []
    for q in found:
        if out and out[-1].value is not None and out[-1].value == q.value:
            prev = out[-1]
            opening = rx.fullmatch(r"\s*\(\s*", text[prev.end : q.start])
            closing = rx.match(r"\s*\)", text[q.end :])
            if opening and closing:
                out[-1] = replace(prev, end=q.end + closing.end())
                continue
        out.append(q)
    return out


def find_quantities_es(text: str, masked: list[tuple[int, int]] | None = None) -> list[Quantity]:
    """Every amount in a Spanish sentence, in text order, skipping the ``masked`` spans."""
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = list(masked or [])

    def add(number_start: int, end: int, value: int, default: str = "exact") -> None:
        qual, qstart, cumulative = _qualifier_before(text, number_start)
        if qual == "exact":
            qual = default
        found.append(Quantity(qstart, end, number_start, value, qual, cumulative=cumulative))
        taken.append((number_start, end))

    # Collective nouns first: "un centenar", "medio millar", "tres decenas".
    for m in _COLLECTIVE_RE.finditer(text):
        if _overlaps(taken, m.start(), m.end()):
            continue
        raw, noun, plural = m.group("n"), m.group("noun").lower(), bool(m.group("pl"))
        unit, default = COLLECTIVES[noun]
        key = _key(raw)
        if key in ("un", "una", "medio", "media"):
            if plural:
                continue
            count = 0.5 if key.startswith("medi") else 1
        else:
            count = _digits_value(raw, None) if raw[0].isdigit() else words_to_int_es(raw)
            if not count or not plural:
                continue
        add(m.start(), m.end(), round(count * unit), default)

    for m in _VAGUE_RE.finditer(text):
        if _overlaps(taken, m.start(), m.end()):
            continue
        idx = next(i for i in range(len(VAGUE)) if m.group(f"v{i}"))
        low, qualifier = VAGUE[idx][1], VAGUE[idx][2]
        qual, qstart, _ = _qualifier_before(text, m.start())
        if qual != "exact" and low is not None:
            qualifier = qual if qual in ("more_than", "at_least", "approximately") else qualifier
        found.append(
            Quantity(qstart, m.end(), m.start(), None, qualifier, value_low=low, vague=True)
        )
        taken.append((m.start(), m.end()))

    for m in _DIGITS_RE.finditer(text):
        if _overlaps(taken, m.start(), m.end()):
            continue
        raw, scale = m.group("num"), m.group("scale")
        value = _digits_value(raw, scale)
        if value is None:
            continue
        if raw.isdigit() and 1900 <= value <= 2100 and not scale:
            continue
        add(m.start(), m.end(), value)

    tokens = [
        (m.start(), m.end(), _key(m.group()))
        for m in _TOKEN_RE.finditer(text)
        if _key(m.group()) in _NUMBER_WORDS or _key(m.group()) == "y"
    ]
    # "por ciento" is a rate ("30 por ciento"), not a hundred.
    tokens = [
        t
        for t in tokens
        if not (t[2] == "ciento" and rx.search(r"\bpor\s+$", text[: t[0]], re.IGNORECASE))
    ]
    # Runs of adjacent number words (only white space between them).
    runs: list[list[tuple[int, int, str]]] = []
    for tok in tokens:
        if runs and rx.fullmatch(r"\s+", text[runs[-1][-1][1] : tok[0]]):
            runs[-1].append(tok)
        else:
            runs.append([tok])
    for run in runs:
        for start, end, value in _parse_runs(run):
            if _overlaps(taken, start, end):
                continue
            # "un", "una", "uno" alone are articles or pronouns ("uno de los detenidos").
            if _key(text[start:end]) in ("un", "una", "uno"):
                continue
            if _RATE_AFTER.match(text, end):
                continue
            add(start, end, value)

    found = _merge_echoes(text, sorted(found, key=lambda q: q.start))

    # Ranges: "entre 10 y 20", "de 10 a 20", "10-20" -> one quantity with low/high.
    found.sort(key=lambda q: q.start)
    merged: list[Quantity] = []
    for q in found:
        if merged and q.value is not None and merged[-1].value is not None:
            prev = merged[-1]
            glue = text[prev.end : q.number_start]
            lead = text[: prev.number_start]
            entre = rx.search(r"\bentre\s+$", lead, re.IGNORECASE)
            de = rx.search(r"\bde\s+$", lead, re.IGNORECASE)
            if (
                rx.fullmatch(r"\s*(?:-|\u2013)\s*", glue)
                or (entre and rx.fullmatch(r"\s+y\s+", glue))
                or (de and rx.fullmatch(r"\s+a\s+", glue))
            ) and prev.value < q.value:
                start = (entre or de).start() if (entre or de) else prev.start
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


_AGE = rf"(\d{{1,3}}|[{_L}]+(?:\s+y\s+[{_L}]+)?)"
_YEARS = r"años(?:\s+de\s+edad)?"
# A sentence ("de 16 años de prisión") or a time span is not an age.
_NOT_AGE_AFTER = re.compile(
    r"\s+(?:de\s+|en\s+)?(?:prisi[óo]n|c[áa]rcel|condena|reclusi[óo]n|privaci[óo]n|pena"
    r"|encierro|detenci[óo]n|arresto|servicio|trabajo|antig[üu]edad|atr[áa]s|despu[ée]s)\b",
    re.IGNORECASE,
)
# "más de 16 años", "después de 16 años": a length of time, not an age.
_NOT_AGE_BEFORE = re.compile(
    r"\b(?:m[áa]s|menos|despu[ée]s|antes|cerca|alrededor|luego|partir|lapso|plazo|per[íi]odo)\s+$",
    re.IGNORECASE,
)
# (pattern, kind): "range" -> (low, high); "under" -> (None, n - 1); "exact" -> (n, n).
_AGE_PATTERNS = (
    (
        re.compile(
            rf"\b(?:(?:con\s+)?edades\s+(?:comprendidas\s+)?|de\s+)?entre\s+(?:los\s+)?{_AGE}"
            rf"\s+y\s+(?:los\s+)?{_AGE}\s+{_YEARS}",
            re.IGNORECASE,
        ),
        "range",
    ),
    (re.compile(rf"\bde\s+{_AGE}\s*(?:a|-|\u2013)\s*{_AGE}\s+{_YEARS}", re.IGNORECASE), "range"),
    (re.compile(rf"\bde\s+(\d{{1,3}})\s+y\s+(\d{{1,3}})\s+{_YEARS}", re.IGNORECASE), "range"),
    # "menores de 18 años", "de menos de 18 años": the span starts after the noun.
    (
        re.compile(
            rf"(?<=\bmenores\s)de\s+{_AGE}\s+{_YEARS}"
            rf"|\bde\s+menos\s+de\s+{_AGE}\s+{_YEARS}",
            re.IGNORECASE,
        ),
        "under",
    ),
    (re.compile(rf"\bde\s+{_AGE}\s+{_YEARS}", re.IGNORECASE), "exact"),
)


def _age_number(raw: str | None) -> int | None:
    if raw is None:
        return None
    value = int(raw) if raw.isdigit() else words_to_int_es(raw)
    return value if value is not None and 0 < value < 120 else None


def find_age_ranges_es(text: str) -> list[tuple[int, int, int | None, int | None]]:
    """Ages written after a noun ("de entre 14 y 17 años"): (start, end, age_min, age_max)."""
    out: list[tuple[int, int, int | None, int | None]] = []
    for pattern, kind in _AGE_PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e, _, _ in out):
                continue
            if kind == "exact" and (
                _NOT_AGE_AFTER.match(text, m.end()) or _NOT_AGE_BEFORE.search(text, 0, m.start())
            ):
                continue
            values = [_age_number(g) for g in m.groups() if g is not None]
            if not values or None in values:
                continue
            if kind == "range":
                lo, hi = values[0], values[1]
                if lo > hi:
                    continue
            elif kind == "under":
                lo, hi = None, values[0] - 1
            else:
                lo = hi = values[0]
            out.append((m.start(), m.end(), lo, hi))
    return sorted(out)
