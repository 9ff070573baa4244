"""Spanish date expressions, resolved against the article's reference date.

Same results as ``dates.find_dates`` (``DateMention``, with the same ``as_of``,
``event``, ``since`` and ``until`` flags), so the pipeline reads "el pasado martes" as
it reads "last Tuesday". The rules are those of ``dates.py``:

* a weekday ("el martes", "este lunes", "el domingo por la noche") is the most recent
  such day on or before the reference date; "el pasado martes" / "el martes pasado"
  the most recent one strictly before it; all exact. "El próximo lunes" is skipped;
* "28 de julio", "el lunes 13 de enero", "28 de julio de 2024", "1.º de mayo",
  "29 de febrero de este año" and "28/07/2024" are exact; a missing year is the
  reference year, or the year before when the date would otherwise lie in the future;
* "a mediados de noviembre" is the 15th, "a principios/comienzos/inicios de" the 5th,
  "a finales/fines de" the 25th, all approximate; "al cierre de octubre" (a count's
  cut-off) is the month's last day, exact and as-of;
* "en julio", "desde julio" is the 1st with precision ``month``; "en 2024" is 1 January
  with precision ``year``;
* "esta semana", "a principios de esta semana", "la semana pasada", "este mes", "el mes
  pasado" are resolved as "this week", "earlier this week", "last week", "this month",
  "last month"; "ayer", "anoche" and "(en) la víspera" are the day before, "anteayer" two
  days before and "hoy" the reference date, exact;
* vague spans ("en los últimos meses", "el último mes", "en semanas recientes",
  "recientemente") have no date of their own.

Flags, as in English:

* ``as_of``: the count holds on that date: "al 23 de diciembre", "hasta el 23 de
  diciembre", "hasta el lunes", "con corte al", "a fecha de", "actualizado al";
* ``since``: the date opens a period ("desde el 28 de julio", "a partir de julio",
  "desde el golpe de Estado del 1 de febrero", "desde que comenzaron las protestas a
  mediados de septiembre", the first date of "entre el 29 de julio y el 6 de agosto"
  and "del 29 de julio al 6 de agosto"); a count over it holds as of the statement;
* ``until``: the date closes such a period (the second of those, or the date of "entre
  el 8 y el 10 de marzo" and "del 8 al 10 de marzo"); neither end is an as-of date;
* ``event``: the date names an event ("las elecciones del 28 de julio", "el golpe de
  Estado del 1 de febrero", "las protestas del martes").
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

from incidents.extraction import rx
from incidents.extraction.dates import (
    DateMention,
    infer_year,
    resolve_relative,
    resolve_weekday,
)

MONTHS = {
    "enero": 1,
    "febrero": 2,
    "marzo": 3,
    "abril": 4,
    "mayo": 5,
    "junio": 6,
    "julio": 7,
    "agosto": 8,
    "septiembre": 9,
    "setiembre": 9,
    "octubre": 10,
    "noviembre": 11,
    "diciembre": 12,
}
# Index of each weekday as ``dates.WEEKDAYS`` counts them (Monday is 0).
WEEKDAYS = {
    "lunes": "monday",
    "martes": "tuesday",
    "miercoles": "wednesday",
    "miércoles": "wednesday",
    "jueves": "thursday",
    "viernes": "friday",
    "sabado": "saturday",
    "sábado": "saturday",
    "domingo": "sunday",
}

_MONTH = r"(?P<month>" + "|".join(MONTHS) + r")"
# "de 2024", "del 2024", "de este año", "del año pasado".
_YEAR = (
    r"(?:,?\s+(?:de|del)\s+(?:(?P<year>(?:19|20)\d\d)\b|(?P<this_year>este\s+año|este\s+mismo\s+año)"
    r"|(?P<last_year>el\s+año\s+pasado|año\s+pasado)))?"
)
_WEEKDAY = r"(?P<weekday>lunes|martes|mi[ée]rcoles|jueves|viernes|s[áa]bado|domingo)"
_TIME_OF_DAY = r"(?:\s+(?:por\s+la\s+|en\s+la\s+|a\s+la\s+)?(?:mañana|tarde|noche|madrugada))?"

# Ordered by priority: an earlier pattern wins where two overlap.
_PATTERNS: tuple[tuple[str, re.Pattern], ...] = (
    (
        "part",
        re.compile(
            r"\b(?:(?:a|hacia|para|desde|hasta)\s+)?(?P<part>mediados|principios|comienzos|inicios"
            r"|finales|fines)\s+(?:del?\s+mes\s+de|de)\s+" + _MONTH + _YEAR,
            re.IGNORECASE,
        ),
    ),
    (
        # "al cierre de octubre": a count's cut-off, the month's last day.
        "close",
        re.compile(
            r"\b(?:al|a)\s+(?:cierre|corte|término|termino)\s+(?:del?\s+mes\s+de|de)\s+"
            + _MONTH
            + _YEAR,
            re.IGNORECASE,
        ),
    ),
    (
        "relative",
        re.compile(
            r"\b(?P<rel>(?:a|hacia)\s+(?:principios|comienzos|inicios)\s+de\s+(?:esta|la)\s+semana"
            r"|esta\s+semana|la\s+semana\s+pasada|la\s+pasada\s+semana|la\s+semana\s+anterior"
            r"|este\s+mes|el\s+mes\s+pasado|el\s+pasado\s+mes|anteayer|antier|ayer|anoche"
            r"|(?:en\s+)?la\s+víspera(?!\s+del?\b)"
            r"|hoy(?!\s+(?:en\s+d[íi]a|por\s+hoy)))\b",
            re.IGNORECASE,
        ),
    ),
    (
        "day_month",
        re.compile(
            r"\b(?:"
            + _WEEKDAY
            + r"\s+)?(?P<day>\d{1,2}|primero)(?:\.?º|°)?\s+de\s+"
            + _MONTH
            + _YEAR,
            re.IGNORECASE,
        ),
    ),
    (
        "numeric",
        re.compile(
            r"(?<![\d/.])(?P<day>\d{1,2})/(?P<mon>\d{1,2})/(?P<year>(?:19|20)\d\d)(?![\d/])"
        ),
    ),
    (
        "weekday",
        re.compile(
            r"\b(?:(?P<mod>el\s+pasado|el\s+último|el\s+ultimo|el\s+próximo|el\s+proximo"
            r"|este|el)\s+)?"
            + _WEEKDAY
            + r"(?:\s+(?P<post>pasado|anterior|próximo|proximo|que\s+viene))?"
            + _TIME_OF_DAY
            + r"\b",
            re.IGNORECASE,
        ),
    ),
    (
        "vague",
        re.compile(
            r"\b(?:en|durante|a\s+lo\s+largo\s+de)\s+(?:los|las)\s+(?:[úu]ltim[oa]s|pasad[oa]s)"
            r"\s+(?:\w+\s+)?(?:d[íi]as|semanas|meses|años)\b"
            r"|\ben\s+(?:los\s+|las\s+)?(?:d[íi]as|semanas|meses)\s+recientes\b"
            r"|\b(?:(?:en|durante)\s+)?(?:el|la)\s+[úu]ltim[oa]\s+(?:mes|semana|año)\b"
            r"|\brecientemente\b|\b[úu]ltimamente\b",
            re.IGNORECASE,
        ),
    ),
    (
        "month",
        re.compile(
            r"\b(?:en|desde|durante|hasta|de|para|a\s+partir\s+de|(?:en\s+)?el\s+mes\s+de)\s+"
            + _MONTH
            + _YEAR,
            re.IGNORECASE,
        ),
    ),
    (
        "year",
        re.compile(
            r"\b(?:en|desde|durante|hasta|a\s+partir\s+de)\s+(?:el\s+(?:año\s+)?)?"
            r"(?P<year>(?:19|20)\d\d)\b(?![.,]\d)",
            re.IGNORECASE,
        ),
    ),
)

_RELATIVE_EN = {
    "esta semana": "this week",
    "la semana pasada": "last week",
    "la pasada semana": "last week",
    "la semana anterior": "last week",
    "este mes": "this month",
    "el mes pasado": "last month",
    "el pasado mes": "last month",
    "ayer": "yesterday",
    "anoche": "yesterday",
    # "en la víspera" in a wire report: the day before it was written ("la víspera de
    # las elecciones" is the eve of an event, and no date here).
    "la víspera": "yesterday",
    "en la víspera": "yesterday",
    "hoy": "today",
}

_EVENT_NOUN = (
    r"(?:elecciones|comicios|votaci[óo]n|referendo|refer[ée]ndum|plebiscito"
    r"|golpe(?:\s+de\s+estado)?|protestas?|manifestaciones?|marchas?|movilizaci[óo]n(?:es)?"
    r"|paro(?:\s+nacional)?|huelga|estallido(?:\s+social)?|levantamiento|redadas?"
    r"|allanamientos?|operativos?|masacre|fraude(?:\s+electoral)?)"
)
# "las elecciones (presidenciales) del 28 de julio", "el golpe de Estado del 1 de febrero".
_EVENT_BEFORE = re.compile(
    rf"\b{_EVENT_NOUN}(?:\s+(?!(?:que|y|o|en|de|del|el|la|los|las|a|al)\b)[\w-]+){{0,2}}"
    r"\s+(?:del|de|el|en)\s+$",
    re.IGNORECASE,
)
_AS_OF_BEFORE = re.compile(
    r"\b(?:al|hasta(?:\s+el)?|a\s+fecha\s+(?:de|del)|con\s+(?:fecha\s+de\s+)?corte\s+(?:al|del?)"
    r"|actualizad[oa]s?\s+al|a\s+la\s+fecha\s+del?|cifras?\s+al)\s+$",
    re.IGNORECASE,
)
_AS_OF_WORD = re.compile(r"^hasta\s", re.IGNORECASE)
_SINCE_BEFORE = re.compile(
    r"\b(?:desde|a\s+partir\s+del?)\s+(?:el\s+)?(?:pasado\s+)?$"
    # "desde que comenzaron las protestas a mediados de septiembre"
    r"|\bdesde\s+que\s+(?:[^\s.;:]+\s+){0,8}?$"
    # "desde el golpe de Estado del 1 de febrero", "desde el inicio del paro, el 28 de abril"
    r"|\bdesde\s+(?:el|la|los|las)\s+(?:[^\s.;:]+\s+){0,4}?(?:del?|el|en)\s+$",
    re.IGNORECASE,
)
_SINCE_WORD = re.compile(r"^(?:desde|a\s+partir)\s", re.IGNORECASE)
# "entre el 29 de julio y ...", "del 29 de julio al ...": a period only when closed.
_FROM_BEFORE = re.compile(r"\b(?:entre|del?)\s+(?:el\s+)?$", re.IGNORECASE)
_RANGE_AFTER = re.compile(r"^\s*(?:-|\u2013|al|hasta|y|a)\s", re.IGNORECASE)
_UNTIL_BEFORE = re.compile(r"(?:-|\u2013|\b(?:al|hasta|y|a))\s+(?:el\s+)?$", re.IGNORECASE)
# "entre el 8 y el 10 de marzo", "del 8 al 10 de marzo": the first day shares the month
# of the second, which closes the period.
_ELIDED_FROM = re.compile(
    r"\b(?:entre\s+(?:el\s+)?\d{1,2}\s+y|del?\s+\d{1,2}\s+(?:al|a|hasta\s+el))\s+(?:el\s+)?$",
    re.IGNORECASE,
)


def _year(groups: dict, reference: date) -> int | None:
    if groups.get("year"):
        return int(groups["year"])
    if groups.get("this_year"):
        return reference.year
    if groups.get("last_year"):
        return reference.year - 1
    return None


def _resolve(kind: str, m: re.Match, reference: date) -> tuple[date | None, str | None]:
    groups = m.groupdict()
    year = _year(groups, reference)
    if kind == "part":
        month = MONTHS[groups["month"].lower()]
        part = groups["part"].lower()
        day = 15 if part == "mediados" else 25 if part in ("finales", "fines") else 5
        try:
            return date(year or infer_year(month, day, reference), month, day), "approximate"
        except ValueError:
            return None, None
    if kind == "close":
        month = MONTHS[groups["month"].lower()]
        year = year or (reference.year if month <= reference.month else reference.year - 1)
        following = date(year + month // 12, month % 12 + 1, 1)
        return following - timedelta(days=1), "exact"
    if kind in ("day_month", "numeric"):
        raw_day = groups["day"].lower()
        day = 1 if raw_day == "primero" else int(raw_day)
        month = MONTHS[groups["month"].lower()] if kind == "day_month" else int(groups["mon"])
        if not (1 <= day <= 31 and 1 <= month <= 12):
            return None, None
        year = year or infer_year(month, day, reference)
        try:
            return date(year, month, day), "exact"
        except ValueError:
            return None, None
    if kind == "weekday":
        mod = " ".join((groups.get("mod") or "").lower().split())
        post = (groups.get("post") or "").lower()
        if "xim" in mod or "xim" in post or post == "que viene":
            return None, None  # "el próximo lunes" lies ahead: not a date of a count
        strictly = "pasado" in mod or "ltimo" in mod or post in ("pasado", "anterior")
        name = WEEKDAYS[groups["weekday"].lower()]
        return resolve_weekday(name, reference, strictly), "exact"
    if kind == "relative":
        rel = " ".join(groups["rel"].lower().split())
        if rel in ("anteayer", "antier"):
            return reference - timedelta(days=2), "exact"
        if "semana" in rel and rel.split()[0] in ("a", "hacia"):
            return resolve_relative("earlier this week", reference)
        return resolve_relative(_RELATIVE_EN[rel], reference)
    if kind == "month":
        month = MONTHS[groups["month"].lower()]
        if year is None:
            year = reference.year if month <= reference.month else reference.year - 1
        return date(year, month, 1), "month"
    if kind == "year":
        return date(year, 1, 1), "year"
    return None, None  # vague


def find_dates_es(text: str, reference: date) -> list[DateMention]:
    """Every date expression in a Spanish sentence, in text order."""
    found: list[DateMention] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < d.end and d.start < m.end() for d in found):
                continue
            # "los lunes", "cada martes", "todos los viernes": a habit, not a day.
            if kind == "weekday" and rx.search(
                r"\b(?:los|cada)\s+$", text[: m.start()], re.IGNORECASE
            ):
                continue
            # Weekdays are written in lower case: a capital one mid-sentence with no
            # article is a name ("Plácido Domingo", "Domingo Pérez").
            if (
                kind == "weekday"
                and not m.group("mod")
                and m.group("weekday")[0].isupper()
                and text[: m.start()].strip()
            ):
                continue
            resolved, precision = _resolve(kind, m, reference)
            if resolved is None and kind != "vague":
                continue
            before = text[: m.start()]
            found.append(
                DateMention(
                    start=m.start(),
                    end=m.end(),
                    date=resolved,
                    precision=precision,
                    kind=kind,
                    as_of=bool(
                        kind == "close"
                        or _AS_OF_BEFORE.search(before)
                        or _AS_OF_WORD.match(m.group(0))
                    ),
                    event=bool(_EVENT_BEFORE.search(before)),
                )
            )
    return _mark_periods(text, sorted(found, key=lambda d: d.start))


def _mark_periods(text: str, found: list[DateMention]) -> list[DateMention]:
    """Mark the dates that open (``since``) or close (``until``) a period, as in English.

    "Entre"/"del" open a period only when a second date closes it; a closing date
    is not an as-of date, because the count holds as of the statement.
    """
    out: list[DateMention] = []
    for d in found:
        # Look back no further than the date before: "desde el 2 hasta el 9" opens once.
        before = text[out[-1].end if out else 0 : d.start]
        phrase = text[d.start : d.end]
        since = bool(_SINCE_BEFORE.search(before) or _SINCE_WORD.match(phrase))
        if not since and _FROM_BEFORE.search(before) and _RANGE_AFTER.match(text[d.end :]):
            since = True
        until = bool(out and out[-1].since and _UNTIL_BEFORE.search(before))
        until = until or bool(_ELIDED_FROM.search(before))
        if since or until:
            d = replace(d, since=since, until=until and not since, as_of=False)
        out.append(d)
    return out
