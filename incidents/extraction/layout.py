"""The page around the prose: datelines, liveblog entries, day headings and list rows.

News text carries dates and counts in its layout as well as in its sentences:

* a **dateline** opens a dispatch: "MAPUTO, Dec 27 (Wire) -", "GENEVA, March 12
  (AP) —". Its date is the day the dispatch was filed, so a weekday in the text
  ("said on Thursday") is the latest such day on or before it (``dateline``);
* a **liveblog entry** opens with a time: "15:40 - ...", "15:40 GMT: ...", "Updated
  09:12 ...". The entry is of the liveblog's day: the day heading above it
  ("Friday, March 14") or the reference date (``time_stamped``, ``day_heading``);
* a **table or list row** gives one count: "Arrested: 3,380", "Released on bail -
  2,150", "- 25 killed (party figures)" (``list_rows``).

Pure functions of the text; patterns are compiled once here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from incidents.extraction.dates import find_dates
from incidents.extraction.dates_es import find_dates_es

_MONTH_DAY = (
    r"(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?"
    r"|\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]{2,8}\.?(?:,?\s+\d{4})?)"
)
# "MAPUTO, Dec 27 (Wire) -", "Maputo, Dec. 27 (Newswire) --", "GENEVA, March 12 (AP) —".
_DATELINE = re.compile(
    rf"(?m)^[ \t]*[A-Z][\w.'\u2019-]*(?:[ \t]+[A-Z][\w.'\u2019-]*){{0,3}},[ \t]+"
    rf"(?P<when>{_MONTH_DAY})[ \t]*(?:\([^)\n]{{1,40}}\)[ \t]*)?(?:--|-|\u2014|\u2013)[ \t]"
)
# "15:40 - ", "15:40 GMT: ", "Updated 09:12 ", "9.05am -": a liveblog entry's time.
TIME_STAMP = re.compile(
    r"(?:(?:Updated|Update|UPDATE)\s*:?\s*(?:at\s+)?)?\d{1,2}[:.h]\d{2}"
    r"(?:\s*(?:[ap]\.?m\.?|GMT|UTC|BST|CET|CEST|EST|EDT|IST|local\s+time|hrs|h))?"
    r"(?:\s*(?:-{1,2}|\u2014|\u2013|:|\|)\s*|\s+(?=[A-Z\u201c\"]))"
)
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
# A paragraph that is only a day: "Friday, March 14", "Thursday 13 March 2025".
_DAY_HEADING = re.compile(rf"\s*(?:{_WEEKDAY},?\s+)?(?P<when>{_MONTH_DAY})\s*")


def dateline(text: str, reference: date) -> date | None:
    """The day a dispatch was filed, from a dateline in its first lines; None without one.

    Only a date on or before the reference date, and within a month of it, is taken:
    anything else is not this article's dateline.
    """
    m = _DATELINE.search(text, 0, 600)
    if not m:
        return None
    found = find_dates(m.group("when"), reference)
    day = found[0].date if found else None
    if day is None or day > reference or (reference - day).days > 31:
        return None
    return day


def time_stamped(paragraph: str) -> bool:
    """The paragraph opens with a liveblog time: "15:40 - ...", "Updated 09:12 ..."."""
    return TIME_STAMP.match(paragraph) is not None


def day_heading(paragraph: str, reference: date) -> date | None:
    """The day a paragraph that is only a date names ("Friday, March 14"), else None."""
    if len(paragraph) > 40:
        return None
    m = _DAY_HEADING.fullmatch(paragraph)
    if not m:
        return None
    found = find_dates(m.group("when"), reference)
    return found[0].date if found and found[0].date else None


# A communiqué's own date line, a paragraph of its own: "Tunis, 18 January 2021",
# "Caracas, 3 de mayo de 2019", "Issued on Monday evening", "Released on 9 March 2025".
_SIGNED_LINE = re.compile(
    rf"\s*(?:(?!{_WEEKDAY}\b)[A-Z][\w.'\u2019-]*(?:[ \t]+[A-Z][\w.'\u2019-]*){{0,3}},[ \t]+"
    rf"(?:{_WEEKDAY},?[ \t]+)?"
    rf"(?P<when>{_MONTH_DAY}|\d{{1,2}}[ \t]+de[ \t]+[a-z]{{4,10}}[ \t]+de[ \t]+\d{{4}})"
    rf"|(?:Issued|Released|Published|Adopted|Signed|Dated)[ \t]*(?:on|:)?[ \t]+"
    rf"(?P<day>{_WEEKDAY}|(?:{_WEEKDAY},?[ \t]+)?{_MONTH_DAY})"
    r"(?:[ \t]+(?:morning|afternoon|evening|night))?)[ \t]*\.?\s*"
)


def signed_line(paragraph: str, reference: date) -> date | None:
    """The date a paragraph that is only a communiqué's date line gives, else None.

    "Tunis, 18 January 2021" or "Issued on Monday evening" standing alone dates the
    statement quoted around it, not the article that quotes it.
    """
    if len(paragraph) > 60:
        return None
    m = _SIGNED_LINE.fullmatch(paragraph)
    if not m:
        return None
    when = m.group("when") or m.group("day")
    found = find_dates_es(when, reference) if " de " in when else find_dates(when, reference)
    day = found[0].date if found and found[0].date else None
    return day if day is not None and day <= reference else None


# -- table and list rows -----------------------------------------------------------

_AMOUNT = r"(?:\d{1,3}(?:,\d{3})+|\d+)"
# "Arrested: 3,380", "Released on bail - 2,150", "Still in custody: 1,230 (police)".
_LABEL_ROW = re.compile(
    rf"(?m)^[ \t]*(?:[-\u2022*\u2013\u2014][ \t]+)?(?P<label>[A-Z][A-Za-z ,'\u2019/()-]{{1,48}}?)"
    rf"[ \t]*(?::|[ \t](?:-|\u2013|\u2014)[ \t])[ \t]*(?P<amount>{_AMOUNT})"
    r"(?P<note>[ \t]*\([^)\n]{1,60}\))?[ \t]*\.?[ \t]*$"
)
# "- 25 killed (party figures)", "• 1,400 arrested": a bullet, the amount, its label.
_BULLET_ROW = re.compile(
    rf"(?m)^[ \t]*[-\u2022*\u2013\u2014][ \t]+(?:(?:at\s+least|more\s+than|over|some|about)[ \t]+)?"
    rf"(?P<amount>{_AMOUNT})[ \t]+(?P<label>[a-z][a-z ,'\u2019/-]{{1,48}}?)"
    r"(?P<note>[ \t]*\([^)\n]{1,60}\))?[ \t]*[.;]?[ \t]*$"
)


@dataclass(frozen=True)
class Row:
    """One row of a table or list: where its amount is, the amount, and its label."""

    start: int  # the amount's offset in the scanned text
    end: int
    value: int
    label: str


def list_rows(text: str, in_list: bool = False) -> list[Row]:
    """The rows of a table or list in ``text`` (one sentence or paragraph), in order.

    A row is a line of its own: a label and an amount ("Charged: 499"), or a bullet,
    an amount and a label ("- 25 killed"). A lone line without a bullet is a row only
    ``in_list`` (after another row, or an introduction ending in a colon), so that a
    sentence such as "Turnout - 45" in prose is not taken for a table.
    """
    if not in_list and "\n" not in text and not text.lstrip().startswith(("-", "\u2022", "*")):
        return []
    rows = []
    for pattern in (_LABEL_ROW, _BULLET_ROW):
        for m in pattern.finditer(text):
            value = int(m.group("amount").replace(",", ""))
            if 1900 <= value <= 2100 and "," not in m.group("amount"):
                continue  # a year in a list is not a count
            rows.append(Row(m.start("amount"), m.end("amount"), value, m.group("label").strip()))
    rows.sort(key=lambda r: r.start)
    return rows


# "...: detained 1,210; released after questioning 800; still in custody 315": an inline
# list after a colon, each item a label and then its amount, items split by semicolons.
_INLINE_ITEM = re.compile(
    rf"(?P<label>[a-z][a-z ,'\u2019/-]{{1,48}}?)[ \t]+(?P<amount>{_AMOUNT})[ \t]*(?:[;.]|$)"
)


def inline_rows(text: str) -> list[Row]:
    """The items of an inline list after a colon: "Figures: detained 1,210; released 800."

    At least two items split by semicolons; each item is only a lower-case label and an
    amount, so prose after a colon is not taken for a list.
    """
    colon = text.rfind(":")
    if colon < 0 or text.count(";", colon) < 1:
        return []
    rows = []
    pos = colon + 1
    for part in text[pos:].split(";"):
        start = pos
        pos += len(part) + 1
        m = _INLINE_ITEM.fullmatch(part.strip())
        if not m:
            return []
        offset = start + part.index(part.strip())
        rows.append(
            Row(
                offset + m.start("amount"),
                offset + m.end("amount"),
                int(m.group("amount").replace(",", "")),
                m.group("label").strip(),
            )
        )
    return rows if len(rows) >= 2 else []
