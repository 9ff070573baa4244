"""Date expressions in news prose, resolved against the article's reference date.

A news article dates things relative to the day it was written: "on Tuesday",
"earlier this week", "mid-November", "as of December 23". ``find_dates`` finds
those expressions in a sentence and resolves each to an ISO date and a precision
(see ``draft.PRECISIONS``). The rules:

* a weekday ("on Tuesday", "Tuesday evening") is the most recent such day on or
  before the reference date, exact; "last Friday" is the most recent one strictly
  before it;
* "December 23", "23 December", "Dec. 23, 2024" are exact; a missing year is the
  reference year, or the year before when that would put the date in the future;
* "mid-November" is the 15th, "early November" the 5th, "late November" / "the end
  of November" the 25th, all approximate;
* "in August", "since August" is the 1st with precision ``month``; "in 2023" is
  1 January with precision ``year``;
* "this week" is the midpoint of Monday..reference date, "earlier this week" the
  midpoint of Monday..the day before, "last week" the Thursday of the previous
  week, all approximate; "yesterday" / "today" are exact;
* vague spans ("over the past months", "in recent weeks", "recently") get no date
  of their own (``vague=True``); the caller dates them with the statement that
  reports them, or the reference date, at precision ``approximate``.

Each mention also records whether "as of"/"as at" precedes it (the date a count
refers to) and whether it names an event ("the July 28 presidential election"),
which dates the event rather than the sentence's figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache

MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
}
_MONTH_ABBR = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_MONTH = (
    r"(?P<month>January|February|March|April|May|June|July|August|September|October|November"
    r"|December|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)(?:\.|(?=\s+\d)))"
)  # a wire's "Dec 27" has no dot: an abbreviation without one only before a day
_YEAR = r"(?:,?\s+(?P<year>(?:19|20)\d\d))?"
_WEEKDAY = r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"

# Ordered by priority: an earlier pattern wins where two overlap.
_PATTERNS: tuple[tuple[str, re.Pattern], ...] = (
    (
        "part",
        re.compile(
            r"\b(?P<part>early|mid|late|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of"
            r"|the\s+middle\s+of|end\s+of|beginning\s+of)[\s-]+" + _MONTH + _YEAR,
            re.IGNORECASE,
        ),
    ),
    (
        "month_day",
        re.compile(_MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b" + _YEAR),
    ),
    (
        "day_month",
        re.compile(r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + _YEAR),
    ),
    (
        "weekday",
        re.compile(
            r"\b(?:(?P<last>last|this\s+past|on|this)\s+)?"
            + _WEEKDAY
            + r"(?:\s+(?:morning|afternoon|evening|night))?\b",
        ),
    ),
    (
        "relative",
        re.compile(
            r"\b(?P<rel>earlier\s+this\s+week|this\s+week|last\s+week|earlier\s+this\s+month"
            r"|this\s+month|last\s+month|yesterday|today)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "vague",
        re.compile(
            r"\b(?:over|in|during)\s+(?:the\s+)?(?:past|last|recent)\s+(?:few\s+|several\s+)?"
            r"(?:days|weeks|months|years)\b|\bin\s+recent\s+(?:days|weeks|months)\b"
            r"|\brecently\b",
            re.IGNORECASE,
        ),
    ),
    (
        "month",
        re.compile(
            r"\b(?:in|since|during|by|until|throughout|of)\s+" + _MONTH + _YEAR,
            re.IGNORECASE,
        ),
    ),
    ("year", re.compile(r"\b(?:in|since|during)\s+(?P<year>(?:19|20)\d\d)\b")),
)

_EVENT_AFTER = re.compile(
    r"^(?:[\u2019']s)?\s*(?:(?!(?:during|at|in|on|after|before|against|of|and|the|to|that)\b)"
    r"[\w-]+\s+){0,2}?(?:election|elections|vote|polls|referendum|coup|uprising"
    r"|protests?|demonstrations?|raids?|riots?|clashes|unrest|massacre|march(?:es)?|rall(?:y|ies)"
    r"|attacks?|strikes?)\b",
    re.IGNORECASE,
)
_EVENT_BEFORE = re.compile(
    r"\b(?:election|elections|vote|polls|referendum)\s+(?:was\s+)?(?:held\s+)?(?:on|in)\s+$"
    r"|\b(?:election|elections|vote|polls|referendum|coup|uprising|protests?|demonstrations?"
    r"|strike|unrest|riots?|massacre)\s+of\s+$",
    re.IGNORECASE,
)
_AS_OF_BEFORE = re.compile(r"\b(?:as\s+of|as\s+at|as\s+on|by)\s*,?\s*$", re.IGNORECASE)
# "by August", "since August": the month pattern's own first word.
_AS_OF_WORD = re.compile(r"^by\s", re.IGNORECASE)
# What opens a period before its first date: "since July 16", "since the protests
# began on November 28", "since the coup of February 1, 2021", "from March 27 to".
_SINCE_BEFORE = re.compile(
    r"\b(?:since|ever\s+since|starting|beginning)\s+(?:the\s+)?$"
    r"|\b(?:since\s+(?:the\s+)?(?:[\w-]+\s+){0,5}?|(?:that|which)\s+)(?:began|started"
    r"|erupted|broke\s+out|took\s+effect|came\s+into\s+force)\s+(?:on|in)\s+$"
    r"|\bsince\s+the\s+(?:[\w-]+\s+){0,2}?(?:of|on|in)\s+$"
    # "since the government declared a state of emergency on August 4", "since the
    # start of the protests on March 1": the clause "since" opens runs to its date.
    r"|\bsince\s+(?:the|a|an|its|their|[A-Z][\w.\u2019'-]*)\s+(?:[\w\u2019'-]+\s+){0,8}?"
    r"(?:on|in)\s+$",
    re.IGNORECASE,
)
_SINCE_WORD = re.compile(r"^since\s", re.IGNORECASE)
# "the worst since 2009", "for the first time since March": a comparison, not a period.
_COMPARISON_BEFORE = re.compile(
    r"\b(?:worst|deadliest|bloodiest|highest|largest|biggest|lowest|heaviest|first\s+time"
    r"|toughest|fiercest)(?:\s+(?!of\b)[\w-]+){0,2}\s+(?:since\s+)?$",
    re.IGNORECASE,
)
# "from X to Y", "between X and Y": X opens the period only when Y follows.
_FROM_BEFORE = re.compile(r"\b(?:from|between)\s+(?:the\s+)?$", re.IGNORECASE)
_RANGE_AFTER = re.compile(r"^\s*(?:-|\u2013|to|until|till|through|and)\s", re.IGNORECASE)
_UNTIL_BEFORE = re.compile(
    r"(?:-|\u2013|\b(?:to|until|till|through|and))\s+(?:the\s+)?$", re.IGNORECASE
)


@dataclass(frozen=True)
class DateMention:
    """A date expression; ``start``/``end`` are offsets in the scanned text."""

    start: int
    end: int
    date: date | None  # None for vague spans
    precision: str | None
    kind: str  # the pattern name: part, month_day, weekday, relative, vague, month, year
    as_of: bool = False  # preceded by "as of"
    event: bool = False  # names an event ("July 28 presidential election")
    # Opens a period a count runs over ("since July 16", "from July 29 to ..."): the
    # count holds as of the statement, and this is only the period's start.
    since: bool = False
    # Closes such a period ("... to August 6", "until the end of May").
    until: bool = False

    @property
    def iso(self) -> str | None:
        return self.date.isoformat() if self.date else None


def _month_number(name: str) -> int:
    key = name.lower().rstrip(".")
    return MONTHS.get(key) or _MONTH_ABBR[key]


def infer_year(month: int, day: int, reference: date) -> int:
    """The reference year, or the year before when the date would be in the future."""
    try:
        candidate = date(reference.year, month, day)
    except ValueError:
        return reference.year - 1
    return reference.year if candidate <= reference else reference.year - 1


def resolve_weekday(name: str, reference: date, strictly_before: bool = False) -> date:
    """Most recent ``name`` day on or before ``reference`` (strictly before if asked)."""
    target = WEEKDAYS.index(name.lower())
    delta = (reference.weekday() - target) % 7
    if delta == 0 and strictly_before:
        delta = 7
    return reference - timedelta(days=delta)


def _midpoint(first: date, last: date) -> date:
    return first + timedelta(days=(last - first).days // 2)


def resolve_relative(phrase: str, reference: date) -> tuple[date, str]:
    """Resolve "this week", "earlier this week", "yesterday" ... to (date, precision)."""
    p = " ".join(phrase.lower().split())
    monday = reference - timedelta(days=reference.weekday())
    if p == "earlier this week":
        return _midpoint(monday, max(monday, reference - timedelta(days=1))), "approximate"
    if p == "this week":
        return _midpoint(monday, reference), "approximate"
    if p == "last week":
        return monday - timedelta(days=4), "approximate"
    first_of_month = reference.replace(day=1)
    if p in ("this month", "earlier this month"):
        return _midpoint(first_of_month, reference), "approximate"
    if p == "last month":
        prev = first_of_month - timedelta(days=1)
        return prev.replace(day=15), "approximate"
    if p == "yesterday":
        return reference - timedelta(days=1), "exact"
    return reference, "exact"  # today


def resolve_month_part(part: str, month: int, year: int | None, reference: date) -> date:
    """ "mid-November" -> the 15th, "early" -> 5th, "late"/"end of" -> 25th."""
    part = " ".join(part.lower().split())
    day = 15
    if part in ("early", "the beginning of", "the start of", "beginning of"):
        day = 5
    elif part in ("late", "the end of", "end of"):
        day = 25
    if year is None:
        year = infer_year(month, day, reference)
    return date(year, month, day)


def _resolve(kind: str, m: re.Match, reference: date) -> tuple[date | None, str | None]:
    groups = m.groupdict()
    year = int(groups["year"]) if groups.get("year") else None
    if kind == "part":
        month = _month_number(groups["month"])
        return resolve_month_part(groups["part"], month, year, reference), "approximate"
    if kind in ("month_day", "day_month"):
        month, day = _month_number(groups["month"]), int(groups["day"])
        if not 1 <= day <= 31:
            return None, None
        year = year or infer_year(month, day, reference)
        try:
            return date(year, month, day), "exact"
        except ValueError:
            return None, None
    if kind == "weekday":
        last = (groups.get("last") or "").lower()
        strictly = last.startswith("last") or last.startswith("this past")
        return resolve_weekday(groups["weekday"], reference, strictly), "exact"
    if kind == "relative":
        return resolve_relative(groups["rel"], reference)
    if kind == "month":
        month = _month_number(groups["month"])
        if year is None:
            year = reference.year if month <= reference.month else reference.year - 1
        return date(year, month, 1), "month"
    if kind == "year":
        return date(year, 1, 1), "year"
    return None, None  # vague


def find_dates(text: str, reference: date) -> list[DateMention]:
    """Every date expression in ``text``, in order of position."""
    # Each sentence is read for dates more than once; the mentions are immutable.
    return list(_find_dates(text, reference))


@lru_cache(maxsize=1024)
def _find_dates(text: str, reference: date) -> tuple[DateMention, ...]:
    found: list[DateMention] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < d.end and d.start < m.end() for d in found):
                continue
            # "may" is a verb far more often than a month; require a capital.
            if kind == "month" and m.group("month") in ("may", "MAY"):
                continue
            resolved, precision = _resolve(kind, m, reference)
            if resolved is None and kind != "vague":
                continue
            found.append(
                DateMention(
                    start=m.start(),
                    end=m.end(),
                    date=resolved,
                    precision=precision,
                    kind=kind,
                    as_of=bool(
                        _AS_OF_BEFORE.search(text[: m.start()]) or _AS_OF_WORD.match(m.group(0))
                    ),
                    event=bool(
                        _EVENT_AFTER.match(text[m.end() :])
                        or _EVENT_BEFORE.search(text[: m.start()])
                    ),
                )
            )
    return tuple(_mark_periods(text, sorted(found, key=lambda d: d.start)))


def _mark_periods(text: str, found: list[DateMention]) -> list[DateMention]:
    """Mark the dates that open (``since``) or close (``until``) a period.

    A count "since July 16" or "from July 29 to August 6" holds as of the day it
    is reported, not as of either end of the period, so neither end is an as-of
    date. "From"/"between" open a period only when a second date closes it.
    """
    out: list[DateMention] = []
    for d in found:
        before = text[: d.start]
        since = bool(_SINCE_BEFORE.search(before) or _SINCE_WORD.match(text[d.start : d.end]))
        if not since and _FROM_BEFORE.search(before) and _RANGE_AFTER.match(text[d.end :]):
            since = True
        until = bool(out and out[-1].since and _UNTIL_BEFORE.search(before))
        if since and _COMPARISON_BEFORE.search(before[-60:]):
            # "the worst since 2009": the year compares, it neither opens a period nor
            # dates the count.
            out.append(replace(d, as_of=False, event=True))
            continue
        if since or until:
            d = replace(d, since=since, until=until and not since, as_of=False)
        out.append(d)
    return out
