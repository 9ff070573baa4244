"""How fast the read API is, against what the database and plain Python could do.

``manage.py benchmark`` is its command line; see ``docs/benchmarks.md`` for the
results and how to reproduce them. This is a measurement, never a test: nothing
here asserts a time.

Each ``Case`` is one key request, sent in process through the full Django stack
(``django.test.Client``: middleware, authentication, throttling, DRF, filters,
serializers, renderer), and a *baseline*: a function that fetches the same
information (the same rows, the same fields, citations and their sources
embedded) with ``.values()`` queries and serialises it with ``json.dumps`` (or
``csv.writer`` for the export). The baseline is the floor "database + plain
Python" could reach; the ratio of the two medians is what the stack costs on
top of it.

What the baselines share with the API, on purpose:

- the access rule (``access.readable_q``, the same SQL condition), as anonymous;
- the ``q`` search (``search.text_matches``), the contested state
  (``contested.contested_state_q``, in the export) and the change feed's audience
  condition (``changes.audience_q``): the same SQL, because they *are* the
  database's share of the work;
- ``contest_reasons`` are read as ``contested.attach_contest_reasons`` reads them
  (objecting citations, then one query of the kept state's rows for the page),
  over plain rows.

What they leave out: the DRF machinery, model instances, the prefetch caches,
per-object ``readable`` checks in Python (links are nulled by a SQL ``CASE``
instead), and ``next``/``previous`` links are built by string formatting.

Every request runs inside one transaction that is rolled back at the end, so
the benchmark never writes to the database (the throttle's counters, kept in
the database cache, are written and rolled back).
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from itertools import islice
from pathlib import Path
from uuid import UUID

import django
from django.conf import settings
from django.db import connection, transaction
from django.db.models import BooleanField, Count, ExpressionWrapper, Max, Min, Value, When
from django.db.models import Case as SQLCase
from django.db.models import CharField as CharFieldType
from django.db.models import F as FieldRef
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from incidents.access import ANONYMOUS, readable_q, visibility_q
from incidents.api import sync
from incidents.api.pagination import BACKWARD, FORWARD, encode_cursor
from incidents.choices import Qualifier, Stance
from incidents.integration.changes import audience_q
from incidents.models import (
    Allegation,
    Change,
    Citation,
    ContestAudience,
    ContestReasonKind,
    Figure,
    FigureContest,
    Incident,
)
from incidents.reads import search
from incidents.reads.contested import (
    FIGURE_SCOPED,
    contested_state_q,
)
from incidents.reads.ordering import after, keys_of

PAGE_SIZE = 100
FEED_PAGE_SIZE = 1000
EXPORT_CHUNK = 2000
# A word present in synthetic quotes and notes (see incidents.perf.synthetic).
SEARCH_WORD = "students"
# Filters of the filtered case: several measures, a date range, and the reporting
# source's kind (a subquery on citations). Names as in incidents.reads.filters.
FILTER_MEASURES = ("detained", "still_detained")
FILTER_SOURCE_KINDS = ("ngo_report", "ngo_statement")
FILTER_AS_OF_GTE = date(2022, 1, 1)
API = "/api/v1"
OBJECTING = (Stance.DENIES.value, Stance.DISPUTES.value)
QUALIFIER_LABELS = {value: str(label).lower() for value, label in Qualifier.choices}
# Throttling stays in the stack (its cache read and write happen on every request)
# at a rate the benchmark never reaches; a one-second window keeps its history short.
UNREACHABLE_RATE = "1000000000/second"


class EmptyDatabase(Exception):
    """There is nothing to measure."""


# --- plain-Python representation helpers ----------------------------------------------


def to_json(value) -> str:
    if isinstance(value, datetime):
        text = value.isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text
    if isinstance(value, date | UUID):
        return str(value) if isinstance(value, UUID) else value.isoformat()
    raise TypeError(f"Cannot serialise {type(value).__name__}")


def dumps(data) -> bytes:
    return json.dumps(data, default=to_json, ensure_ascii=False, separators=(",", ":")).encode()


def display_value(row: dict, prefix: str = "") -> str:
    """``Figure.display_value`` over a row."""
    value, low, high = row[f"{prefix}value"], row[f"{prefix}value_low"], row[f"{prefix}value_high"]
    qualifier = row[f"{prefix}qualifier"]
    if value is None:
        if low is not None and high is not None:
            return f"{low}-{high}"
        if low is not None:
            return f"{low}+"
        return "several" if qualifier == Qualifier.UNSPECIFIED else "?"
    if qualifier in (Qualifier.EXACT, Qualifier.UNSPECIFIED):
        return f"{value:,}"
    return f"{QUALIFIER_LABELS[qualifier]} {value:,}"


def shown(relation: str):
    """True when the caller (anonymous) may read the optional linked record."""
    return SQLCase(
        When(visibility_q(None, f"{relation}__"), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


SOURCE_FIELDS = (
    "source_id",
    "source__uuid",
    "source__title",
    "source__kind",
    "source__date",
    "source__date_precision",
    "source__url",
    "source__issuer_id",
    "source__issuer__uuid",
    "source__issuer__name",
    "source__issuer__kind",
    "source__reported_in_id",
    "source__reported_in__uuid",
    "source__reported_in__title",
)
SOURCE_LINKS = {"issuer_shown": "source__issuer", "reported_in_shown": "source__reported_in"}


def source_brief(row: dict) -> dict:
    issuer = reported_in = None
    if row["source__issuer_id"] is not None and row["issuer_shown"]:
        issuer = {
            "id": row["source__issuer__uuid"],
            "name": row["source__issuer__name"],
            "kind": row["source__issuer__kind"],
        }
    if row["source__reported_in_id"] is not None and row["reported_in_shown"]:
        reported_in = {
            "id": row["source__reported_in__uuid"],
            "title": row["source__reported_in__title"],
        }
    return {
        "id": row["source__uuid"],
        "title": row["source__title"],
        "kind": row["source__kind"],
        "issuer": issuer,
        "date": row["source__date"],
        "date_precision": row["source__date_precision"],
        "reported_in": reported_in,
        "url": row["source__url"],
    }


def citation_rows(target: str, ids: list[int]) -> dict[int, list[dict]]:
    """The visible citations of these records, in pk order, with their sources."""
    found: dict[int, list[dict]] = {}
    if not ids:
        return found
    rows = (
        Citation.objects.filter(
            readable_q(Citation, None, trusted=Citation.TARGET_FIELDS),
            **{f"{target}_id__in": ids},
        )
        .annotate(**{name: shown(relation) for name, relation in SOURCE_LINKS.items()})
        .order_by("pk")
        .values(f"{target}_id", "uuid", "stance", "quote", "note", *SOURCE_FIELDS, *SOURCE_LINKS)
    )
    for row in rows:
        found.setdefault(row[f"{target}_id"], []).append(row)
    return found


def citation_json(row: dict) -> dict:
    return {
        "id": row["uuid"],
        "stance": row["stance"],
        "quote": row["quote"],
        "note": row["note"],
        "source": source_brief(row),
    }


def common_json(row: dict) -> dict:
    # Anonymous callers never see external ids.
    return {
        "external_id": None,
        "visibility": row["visibility"],
        "review_status": row["review_status"],
        "version": row["version"],
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }


FIGURE_FIELDS = (
    "pk",
    "uuid",
    "incident_id",
    "group_id",
    "measure",
    "value",
    "value_low",
    "value_high",
    "qualifier",
    "as_of",
    "as_of_precision",
    "note",
    "visibility",
    "review_status",
    "version",
    "created_at",
    "updated_at",
    "incident__uuid",
    "incident__title",
    "group__uuid",
    "group__label",
)


def visible_figures():
    return Figure.objects.filter(readable_q(Figure, None))


def contest_reasons(figures: list[dict], citations: dict[int, list[dict]]) -> dict[int, list]:
    """``contested.attach_contest_reasons`` over rows: objections, then differing values."""
    reasons: dict[int, list] = {}
    for figure in figures:
        reasons[figure["pk"]] = [
            {
                "reason": c["stance"],
                "source": source_brief(c),
                "citation": {"id": c["uuid"], "stance": c["stance"], "quote": c["quote"]},
                "figure": None,
            }
            for c in citations.get(figure["pk"], ())
            if c["stance"] in OBJECTING
        ]
    candidates = [f["pk"] for f in figures if f["value"] is not None]
    if not candidates:
        return reasons
    # As the API does: the kept state's rows for the page, with the records shown.
    prefix = "citation__"
    kept = (
        FigureContest.objects.filter(
            figure_id__in=candidates,
            audience=ContestAudience.PUBLIC,
            reason=ContestReasonKind.DIFFERENT_VALUE,
        )
        .annotate(**{name: shown(prefix + relation) for name, relation in SOURCE_LINKS.items()})
        .order_by("citation__figure__as_of", "citation__figure_id")
        .values(
            "figure_id",
            "citation__figure__uuid",
            "citation__figure__value",
            "citation__figure__qualifier",
            "citation__figure__as_of",
            "citation__figure__as_of_precision",
            *(prefix + name for name in SOURCE_FIELDS),
            *SOURCE_LINKS,
        )
    )
    for row in kept:
        other = {name.removeprefix(prefix): value for name, value in row.items()}
        figure_pk = other["figure_id"]
        reasons[figure_pk].append(
            {
                "reason": "different_value",
                "source": source_brief(other),
                "citation": None,
                "figure": {
                    "id": other["figure__uuid"],
                    "value": other["figure__value"],
                    "qualifier": other["figure__qualifier"],
                    "as_of": other["figure__as_of"],
                    "as_of_precision": other["figure__as_of_precision"],
                },
            }
        )
    return reasons


def asserting_of(citations: list[dict]) -> dict | None:
    return next((c for c in citations if c["stance"] == Stance.ASSERTS), None)


def figures_json(rows: list[dict]) -> list[dict]:
    """Figure rows as the figures list shows them, with citations and contest reasons."""
    citations = citation_rows("figure", [row["pk"] for row in rows])
    reasons = contest_reasons(rows, citations)
    results = []
    for row in rows:
        mine = citations.get(row["pk"], [])
        asserting = asserting_of(mine)
        group = None
        if row["group_id"] is not None:
            group = {"id": row["group__uuid"], "label": row["group__label"]}
        results.append(
            {
                "id": row["uuid"],
                "incident": {"id": row["incident__uuid"], "title": row["incident__title"]},
                "group": group,
                "measure": row["measure"],
                "value": row["value"],
                "value_low": row["value_low"],
                "value_high": row["value_high"],
                "qualifier": row["qualifier"],
                "display_value": display_value(row),
                "as_of": row["as_of"],
                "as_of_precision": row["as_of_precision"],
                "note": row["note"],
                "reported_by": source_brief(asserting) if asserting else None,
                "contested": bool(reasons[row["pk"]]),
                "contest_reasons": reasons[row["pk"]],
                "citations": [citation_json(c) for c in mine],
                **common_json(row),
            }
        )
    return results


def page_json(
    path: str,
    queryset,
    page: int,
    size: int,
    render: Callable,
    fields: tuple[str, ...],
    cursor: list | None = None,
) -> bytes:
    """A page as the API shows it: count, keyset links, results.

    ``page`` is an ``OFFSET`` page number; with ``cursor`` (the sort values of the row
    before the page) the page is the rows after that one instead, as a ``next`` link
    reaches it. Links carry the cursors of the page's last and first rows.
    """
    keys = keys_of(queryset)
    count = queryset.count()
    if cursor is None:
        offset = (page - 1) * size
        rows = list(queryset[offset : offset + size].values(*fields))
        more, earlier = offset + size < count, page > 1
    else:
        rows = list(queryset.filter(after(keys, cursor))[: size + 1].values(*fields))
        more, earlier = len(rows) > size, True
        rows = rows[:size]
    base = "https://testserver" + re.sub(r"&(page|cursor)=[^&]*", "", path)

    def link(direction: str, row: dict) -> str:
        values = [row["pk"] if key.name == "pk" else row[key.name] for key in keys]
        return f"{base}&cursor={encode_cursor(direction, keys, values)}"

    return dumps(
        {
            "count": count,
            "next": link(FORWARD, rows[-1]) if more and rows else None,
            "previous": link(BACKWARD, rows[0]) if earlier and rows else None,
            "results": render(rows),
        }
    )


# --- the baselines of each case -----------------------------------------------------


def filtered_figures():
    """The filters of the filtered case, written by hand (same subquery for source_kind)."""
    reporting = Citation.objects.filter(
        readable_q(Citation, None, trusted=FIGURE_SCOPED),
        stance=Stance.ASSERTS,
        source__kind__in=FILTER_SOURCE_KINDS,
    ).values("figure_id")
    return visible_figures().filter(
        measure__in=FILTER_MEASURES, as_of__gte=FILTER_AS_OF_GTE, pk__in=reporting
    )


def searched_figures(word: str):
    """The ``q`` filter: the figure's own text, or the quote of one of its visible citations."""
    words = search.search_words(word)
    own = search.text_matches(Figure._base_manager.all(), words).order_by().values("pk")
    quotes = search.text_matches(
        Citation.objects.filter(readable_q(Citation, None, trusted=Citation.TARGET_FIELDS)), words
    ).order_by()
    # One IN over both sets of ids, as the API's filter does.
    return visible_figures().filter(pk__in=own.union(quotes.values("figure_id"), all=True))


ALLEGATION_FIELDS = (
    "pk",
    "uuid",
    "incident__uuid",
    "incident__title",
    "victim_group_id",
    "victim_group__uuid",
    "victim_group__label",
    "violation_type__uuid",
    "violation_type__code",
    "violation_type__label",
    "perpetrator_id",
    "perpetrator__uuid",
    "perpetrator__name",
    "perpetrator__kind",
    "perpetrator_shown",
    "status",
    "summary",
    "visibility",
    "review_status",
    "version",
    "created_at",
    "updated_at",
)


def allegations_json(rows: list[dict]) -> list[dict]:
    ids = [row["pk"] for row in rows]
    citations = citation_rows("allegation", ids)
    methods: dict[int, list[dict]] = {}
    for m in (
        Allegation.methods.through.objects.filter(allegation_id__in=ids)
        .order_by("term__vocabulary", "term__label")
        .values("allegation_id", "term__uuid", "term__code", "term__label")
    ):
        methods.setdefault(m["allegation_id"], []).append(
            {"id": m["term__uuid"], "code": m["term__code"], "label": m["term__label"]}
        )
    results = []
    for row in rows:
        group = perpetrator = None
        if row["victim_group_id"] is not None:
            group = {"id": row["victim_group__uuid"], "label": row["victim_group__label"]}
        if row["perpetrator_id"] is not None and row["perpetrator_shown"]:
            perpetrator = {
                "id": row["perpetrator__uuid"],
                "name": row["perpetrator__name"],
                "kind": row["perpetrator__kind"],
            }
        results.append(
            {
                "id": row["uuid"],
                "incident": {"id": row["incident__uuid"], "title": row["incident__title"]},
                "victim_group": group,
                "violation_type": {
                    "id": row["violation_type__uuid"],
                    "code": row["violation_type__code"],
                    "label": row["violation_type__label"],
                },
                "methods": methods.get(row["pk"], []),
                "perpetrator": perpetrator,
                "status": row["status"],
                "summary": row["summary"],
                "citations": [citation_json(c) for c in citations.get(row["pk"], ())],
                **common_json(row),
            }
        )
    return results


def visible_allegations():
    return Allegation.objects.filter(readable_q(Allegation, None)).annotate(
        perpetrator_shown=shown("perpetrator")
    )


def figure_detail_json(figure_uuid) -> bytes:
    rows = list(visible_figures().filter(uuid=figure_uuid).values(*FIGURE_FIELDS))
    return dumps(figures_json(rows)[0])


def timeline_json(incident_uuid) -> bytes:
    """The incident, its nested incidents (a query a level), its figures by measure and group."""
    incident = (
        Incident.objects.filter(readable_q(Incident, None), uuid=incident_uuid)
        .values("pk", "uuid", "title")
        .get()
    )
    tree, frontier, seen = [incident], [incident["pk"]], {incident["pk"]}
    while frontier:
        children = [
            child
            for child in Incident.objects.filter(
                readable_q(Incident, None), parent_id__in=frontier
            ).values("pk", "uuid", "title")
            if child["pk"] not in seen
        ]
        seen.update(child["pk"] for child in children)
        tree.extend(children)
        frontier = [child["pk"] for child in children]
    rows = list(
        visible_figures()
        .filter(incident_id__in=[i["pk"] for i in tree])
        .order_by("as_of", "pk")
        .values(*FIGURE_FIELDS)
    )
    citations = citation_rows("figure", [row["pk"] for row in rows])
    reasons = contest_reasons(rows, citations)
    series: dict[tuple, dict] = {}
    for row in rows:
        key = (row["measure"], row["incident_id"], row["group_id"])
        if key not in series:
            group = None
            if row["group_id"] is not None:
                group = {"id": row["group__uuid"], "label": row["group__label"]}
            series[key] = {
                "measure": row["measure"],
                "incident": {"id": row["incident__uuid"], "title": row["incident__title"]},
                "group": group,
                "points": [],
            }
        asserting = asserting_of(citations.get(row["pk"], []))
        series[key]["points"].append(
            {
                "id": row["uuid"],
                "as_of": row["as_of"],
                "as_of_precision": row["as_of_precision"],
                "value": row["value"],
                "value_low": row["value_low"],
                "value_high": row["value_high"],
                "qualifier": row["qualifier"],
                "display_value": display_value(row),
                "reported_by": source_brief(asserting) if asserting else None,
                "quote": asserting["quote"] if asserting else None,
                "contested": bool(reasons[row["pk"]]),
                "contest_reasons": reasons[row["pk"]],
            }
        )
    brief = [{"id": i["uuid"], "title": i["title"]} for i in tree]
    return dumps({"incident": brief[0], "incidents": brief, "series": list(series.values())})


EXPORT_FIELDS = (
    "pk",
    "uuid",
    "incident__uuid",
    "incident__title",
    "incident__country",
    "group__uuid",
    "group__label",
    "measure",
    "value",
    "value_low",
    "value_high",
    "qualifier",
    "as_of",
    "as_of_precision",
    "contested",
    "note",
    "visibility",
    "version",
    "updated_at",
)
MEASURES = ("detained", "still_detained", "released", "killed", "charged", "injured", "disappeared")


def chunks(iterable: Iterable, size: int) -> Iterator[list]:
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def export_csv() -> int:
    """Every visible figure as a CSV row (the export's columns), written to a discarded buffer.

    The main query streams ``values_list`` rows (with the same SQL ``contested``
    expression as the export); each chunk's asserting citations come in one query.
    Returns the number of bytes written.
    """
    figures = visible_figures().annotate(
        contested=ExpressionWrapper(
            contested_state_q(ContestAudience.PUBLIC), output_field=BooleanField()
        )
    )
    rows = figures.order_by("as_of", "pk").values_list(*EXPORT_FIELDS)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    written = 0
    writer.writerow(
        [
            "figure_id",
            "incident_id",
            "incident_title",
            "country",
            "group_id",
            "group_label",
            "measure",
            "value",
            "value_low",
            "value_high",
            "qualifier",
            "as_of",
            "as_of_precision",
            *(f"value_{m}" for m in MEASURES),
            "contested",
            "reporter",
            "source_id",
            "source_title",
            "source_kind",
            "source_date",
            "source_url",
            "quote",
            "note",
            "visibility",
            "version",
            "updated_at",
        ]
    )
    for chunk in chunks(rows.iterator(chunk_size=EXPORT_CHUNK), EXPORT_CHUNK):
        reports = {
            figure_id: rest
            for figure_id, *rest in Citation.objects.filter(
                readable_q(Citation, None, trusted=FIGURE_SCOPED),
                stance=Stance.ASSERTS,
                figure_id__in=[row[0] for row in chunk],
            )
            .annotate(issuer_shown=shown("source__issuer"))
            .values_list(
                "figure_id",
                "issuer_shown",
                "source__issuer__name",
                "source__uuid",
                "source__title",
                "source__kind",
                "source__date",
                "source__url",
                "quote",
            )
        }
        for row in chunk:
            (_, uuid, inc, title, country, guuid, glabel, measure, value, low, high, qual) = row[
                :12
            ]
            as_of, precision, contested, note, visibility, version, updated = row[12:]
            report = reports.get(row[0])
            if report is None:
                report_cells = [""] * 7
            else:
                ok, issuer, suuid, stitle, skind, sdate, surl, quote = report
                report_cells = [issuer if ok and issuer else stitle, suuid, stitle, skind]
                report_cells += [sdate, surl, quote]
            writer.writerow(
                [
                    uuid,
                    inc,
                    title,
                    country,
                    guuid,
                    glabel,
                    measure,
                    value,
                    low,
                    high,
                    qual,
                    as_of,
                    precision,
                    *(value if measure == m else None for m in MEASURES),
                    contested,
                    *report_cells,
                    note,
                    visibility,
                    version,
                    updated,
                ]
            )
            if buffer.tell() > 16 * 1024:
                written += len(buffer.getvalue().encode())
                buffer.seek(0)
                buffer.truncate()
    return written + len(buffer.getvalue().encode())


def changes_json(since: int, limit: int) -> bytes:
    ceiling = Change.objects.aggregate(top=Max("seq"))["top"] or 0
    now_q, before_q = audience_q(ANONYMOUS), audience_q(ANONYMOUS, "previous_")
    rows = list(
        Change.objects.filter(seq__gt=since, seq__lte=ceiling)
        .filter(now_q | before_q)
        .annotate(
            shown_action=SQLCase(
                When(~now_q, then=Value("deleted")),
                When(~before_q, then=Value("created")),
                default=FieldRef("action"),
                output_field=CharFieldType(),
            )
        )
        .order_by("seq")
        .values("seq", "resource", "record_uuid", "shown_action", "version", "at")[: limit + 1]
    )
    has_more = len(rows) > limit
    rows = rows[:limit]
    return dumps(
        {
            "results": [
                {
                    "resource": r["resource"],
                    "id": r["record_uuid"],
                    "action": r["shown_action"],
                    "version": r["version"],
                    "at": r["at"],
                }
                for r in rows
            ],
            "next_cursor": sync.cursor(rows[-1]["seq"] if has_more else max(ceiling, since)),
            "has_more": has_more,
        }
    )


# --- cases ------------------------------------------------------------------------------


@dataclass
class Case:
    name: str
    path: str
    baseline: Callable[[], bytes | int]
    baseline_note: str
    export: bool = False  # streamed CSV; its memory is measured too


@dataclass
class Dataset:
    """What the cases are built from, read once (anonymous view of the data)."""

    figures: int
    allegations: int
    deep_page: int
    deep_cursor: list | None  # the sort values (as_of, pk) of the row before the deep page
    figure_uuid: UUID
    timeline_incident: UUID
    timeline_figures: int
    feed_since: int


def describe_data() -> Dataset:
    count = visible_figures().count()
    if count == 0:
        raise EmptyDatabase(
            "The database holds no figures an anonymous caller may read: nothing to measure. "
            "Fill a throwaway database first, e.g. `python manage.py generate_synthetic "
            "--incidents 200 --figures 10000 --allegations 2500 --seed 1`."
        )
    ordered = visible_figures().order_by("as_of", "pk")
    middle = ordered.values_list("uuid", flat=True)[count // 2]
    deep_page = max(1, count // PAGE_SIZE // 2)
    # The row before the deep page: where a client following ``next`` links would resume.
    before_deep = (
        list(ordered.values_list("as_of", "pk")[(deep_page - 1) * PAGE_SIZE - 1])
        if deep_page > 1
        else None
    )
    # The incident whose timeline (its own figures and its nested incidents') is longest.
    per_incident = dict(
        visible_figures()
        .values("incident_id")
        .annotate(n=Count("pk"))
        .values_list("incident_id", "n")
    )
    incidents = dict(
        Incident.objects.filter(readable_q(Incident, None)).values_list("pk", "parent_id")
    )
    totals: dict[int, int] = {}
    for pk, n in per_incident.items():
        seen = set()
        while pk is not None and pk in incidents and pk not in seen:
            seen.add(pk)
            totals[pk] = totals.get(pk, 0) + n
            pk = incidents[pk]
    top = max(totals, key=lambda pk: (totals[pk], -pk))
    low, high = Change.objects.aggregate(low=Min("seq"), high=Max("seq")).values()
    return Dataset(
        figures=count,
        allegations=Allegation.objects.filter(readable_q(Allegation, None)).count(),
        deep_page=deep_page,
        deep_cursor=before_deep,
        figure_uuid=middle,
        timeline_incident=Incident.objects.values_list("uuid", flat=True).get(pk=top),
        timeline_figures=totals[top],
        feed_since=((low or 0) + (high or 0)) // 2,
    )


FIGURES_NOTE = (
    "figures as .values() rows + count; visible citations with source, issuer and "
    "reported_in (one query); contest reasons as attach_contest_reasons reads them (the "
    "kept state's rows for the page, with the records shown: one query)"
)


def build_cases(data: Dataset) -> list[Case]:
    figures = visible_figures().order_by("as_of", "pk")
    size = PAGE_SIZE
    listing = f"{API}/figures/?page_size={size}"
    numbered = f"{listing}&page={data.deep_page}"
    if data.deep_cursor is None:  # a single page: the deep page is the first
        deep = listing
    else:
        deep = f"{listing}&cursor={encode_cursor(FORWARD, keys_of(figures), data.deep_cursor)}"
    filters = (
        f"{API}/figures/?measure={','.join(FILTER_MEASURES)}"
        f"&source_kind={','.join(FILTER_SOURCE_KINDS)}"
        f"&as_of__gte={FILTER_AS_OF_GTE.isoformat()}&page_size={size}"
    )
    searched = f"{API}/figures/?q={SEARCH_WORD}&page_size={size}"
    allegations = f"{API}/allegations/?page_size={size}"
    return [
        Case(
            "figures",
            listing,
            lambda: page_json(listing, figures, 1, size, figures_json, FIGURE_FIELDS),
            FIGURES_NOTE,
        ),
        Case(
            "figures_deep",
            deep,
            lambda: page_json(
                deep, figures, 1, size, figures_json, FIGURE_FIELDS, cursor=data.deep_cursor
            ),
            FIGURES_NOTE + f"; page {data.deep_page} by keyset (the rows after the cursor's)",
        ),
        Case(
            "figures_page_n",
            numbered,
            lambda: page_json(numbered, figures, data.deep_page, size, figures_json, FIGURE_FIELDS),
            FIGURES_NOTE + f"; page {data.deep_page} by number: OFFSET "
            f"{(data.deep_page - 1) * size}",
        ),
        Case(
            "figures_filtered",
            filters,
            lambda: page_json(
                filters,
                filtered_figures().order_by("as_of", "pk"),
                1,
                size,
                figures_json,
                FIGURE_FIELDS,
            ),
            "as figures, filters written by hand (source_kind: the same citation subquery)",
        ),
        Case(
            "figures_q",
            searched,
            lambda: page_json(
                searched,
                searched_figures(SEARCH_WORD).order_by("as_of", "pk"),
                1,
                size,
                figures_json,
                FIGURE_FIELDS,
            ),
            "as figures, q through search.text_matches (the API's SQL)",
        ),
        Case(
            "allegations",
            allegations,
            lambda: page_json(
                allegations,
                visible_allegations().order_by("pk"),
                1,
                size,
                allegations_json,
                ALLEGATION_FIELDS,
            ),
            "allegations + count; methods (one query); citations with sources (one query)",
        ),
        Case(
            "figure_detail",
            f"{API}/figures/{data.figure_uuid}/",
            lambda: figure_detail_json(data.figure_uuid),
            "one figure as in the list (citations, contest reasons)",
        ),
        Case(
            "timeline",
            f"{API}/incidents/{data.timeline_incident}/timeline/",
            lambda: timeline_json(data.timeline_incident),
            f"incident tree (a query a level), its {data.timeline_figures} figures, "
            "citations, contest reasons, grouped in Python",
        ),
        Case(
            "export_csv",
            f"{API}/figures/?format=csv",
            export_csv,
            "values_list iterator (contested by the kept state) + asserting citations per "
            f"{EXPORT_CHUNK} rows -> csv.writer into a discarded buffer",
            export=True,
        ),
        Case(
            "changes",
            f"{API}/changes/?since={sync.cursor(data.feed_since)}&page_size={FEED_PAGE_SIZE}",
            lambda: changes_json(data.feed_since, FEED_PAGE_SIZE),
            "max(seq) + one range scan with the feed's audience condition",
        ),
    ]


EXPORT_CASES = ("export_csv",)  # streamed: their memory is measured too
CASE_NAMES = (
    "figures",
    "figures_deep",
    "figures_page_n",
    "figures_filtered",
    "figures_q",
    "allegations",
    "figure_detail",
    "timeline",
    "export_csv",
    "changes",
)


# --- running ----------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


@dataclass
class Result:
    name: str
    path: str
    baseline_note: str
    repeat: int
    api_ms: list[float] = field(default_factory=list)
    baseline_ms: list[float] = field(default_factory=list)
    api_queries: int = 0
    baseline_queries: int = 0
    api_bytes: int = 0
    baseline_bytes: int = 0
    api_peak_bytes: int | None = None
    baseline_peak_bytes: int | None = None
    # The export in a fresh process: its resident memory before the request and at its peak.
    export_rss_before: int | None = None
    export_rss_peak: int | None = None

    @property
    def api_p50(self) -> float:
        return statistics.median(self.api_ms)

    @property
    def api_p95(self) -> float:
        return percentile(self.api_ms, 0.95)

    @property
    def baseline_p50(self) -> float:
        return statistics.median(self.baseline_ms)

    @property
    def baseline_p95(self) -> float:
        return percentile(self.baseline_ms, 0.95)

    @property
    def ratio(self) -> float:
        return self.api_p50 / self.baseline_p50 if self.baseline_p50 else float("inf")

    def summary(self) -> dict:
        data = asdict(self)
        data.update(
            api_p50=self.api_p50,
            api_p95=self.api_p95,
            baseline_p50=self.baseline_p50,
            baseline_p95=self.baseline_p95,
            ratio=self.ratio,
        )
        return data


def make_client() -> Client:
    # secure: with DEBUG off, SECURE_SSL_REDIRECT would answer plain http with a redirect.
    return Client()


def request(client: Client, path: str) -> int:
    """One API request through the full stack; the body is read to the end. Returns its size."""
    response = client.get(path, secure=True)
    if response.status_code != 200:
        body = b"" if response.streaming else response.content[:500]
        raise RuntimeError(f"GET {path} answered {response.status_code}: {body!r}")
    if response.streaming:
        size = sum(len(chunk) for chunk in response.streaming_content)
    else:
        size = len(response.content)
    # The test client closed the response already (for a stream, once consumed), without
    # closing the database connection; closing it again here would.
    return size


def baseline_size(output: bytes | int) -> int:
    return output if isinstance(output, int) else len(output)


def timed(function: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    value = function()
    return (time.perf_counter() - started) * 1000, value


def peak_memory(function: Callable[[], object]) -> int:
    """Peak Python allocations (tracemalloc) during one call, in bytes."""
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def measure(case: Case, client: Client, repeat: int) -> Result:
    result = Result(case.name, case.path, case.baseline_note, repeat)
    # Warm-up (and the query counts, outside the timed runs: capturing slows queries down).
    with CaptureQueriesContext(connection) as api_queries:
        result.api_bytes = request(client, case.path)
    with CaptureQueriesContext(connection) as baseline_queries:
        result.baseline_bytes = baseline_size(case.baseline())
    result.api_queries = len(api_queries.captured_queries)
    result.baseline_queries = len(baseline_queries.captured_queries)
    # Alternate API and baseline, so that load on the machine hits both alike.
    for _ in range(repeat):
        result.api_ms.append(timed(lambda: request(client, case.path))[0])
        result.baseline_ms.append(timed(case.baseline)[0])
    if case.export:
        result.api_peak_bytes = peak_memory(lambda: request(client, case.path))
        result.baseline_peak_bytes = peak_memory(case.baseline)
    return result


# Run in a fresh interpreter by ``export_rss``: set up Django, warm the URLconf, then
# stream one export and print the resident memory before it and the high-water mark.
RSS_SCRIPT = """
import os, sys
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()
from incidents.perf import benchmark

def status(key):
    with open("/proc/self/status") as lines:
        return next(int(l.split()[1]) * 1024 for l in lines if l.startswith(key))

def work():
    client = benchmark.make_client()
    benchmark.request(client, "/api/v1/terms/")
    before = status("VmRSS:")
    benchmark.request(client, sys.argv[1])
    print(before, status("VmHWM:"))

with benchmark.benchmark_settings():
    benchmark.read_only(work)
"""


def in_new_process(script: str, *args: str) -> subprocess.CompletedProcess | None:
    """Run a Python ``script`` in a new process from the project's root, for its memory alone.

    None where memory cannot be read from ``/proc`` (anywhere but Linux).
    """
    if not Path("/proc/self/status").exists():
        return None
    return subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )


def measure_export_rss(path: str) -> tuple[int | None, int | None]:
    """Resident memory of a new process streaming the export: before it, and its peak.

    tracemalloc sees Python's allocations only; the whole process (interpreter,
    Django, the database driver's buffers) is what a server must have room for.
    Linux only (``/proc``); elsewhere (None, None).
    """
    completed = in_new_process(RSS_SCRIPT, path)
    if completed is None:
        return None, None
    if completed.returncode != 0:
        raise RuntimeError(f"the export's memory could not be measured: {completed.stderr[-2000:]}")
    before, peak = completed.stdout.split()[-2:]
    return int(before), int(peak)


def benchmark_settings():
    """Throttling at a rate the benchmark never reaches (its cache calls stay in the stack)."""
    rest = dict(settings.REST_FRAMEWORK)
    rest["DEFAULT_THROTTLE_RATES"] = {
        scope: UNREACHABLE_RATE for scope in rest.get("DEFAULT_THROTTLE_RATES", {})
    }
    return override_settings(REST_FRAMEWORK=rest)


class _Rollback(Exception):
    pass


def read_only(function: Callable[[], object]):
    """Run ``function`` in a transaction that is always rolled back: nothing is written."""
    outcome = []
    try:
        with transaction.atomic():
            outcome.append(function())
            raise _Rollback
    except _Rollback:
        pass
    return outcome[0]


def run(
    only: Iterable[str] | None = None,
    repeat: int = 20,
    export_repeat: int = 3,
    progress: Callable[[str], None] | None = None,
    export_rss: bool = False,
) -> tuple[Dataset, list[Result]]:
    """Measure the cases (all, or those named in ``only``); never writes to the database.

    ``export_rss`` also streams the export once in a new process to read its resident
    memory; that process reads the database the settings name, so it is off in tests.
    """
    wanted = set(only or CASE_NAMES)

    def work():
        data = describe_data()
        client = make_client()
        results = []
        with benchmark_settings():
            for case in build_cases(data):
                if case.name not in wanted:
                    continue
                if progress is not None:
                    progress(case.name)
                results.append(measure(case, client, export_repeat if case.export else repeat))
        return data, results

    data, results = read_only(work)
    # After the read-only transaction: on SQLite it holds a lock the new process would
    # wait for (its throttle counter is a write).
    for result in results:
        if export_rss and result.name in EXPORT_CASES:
            result.export_rss_before, result.export_rss_peak = measure_export_rss(result.path)
    return data, results


def figure_ids(case_name: str) -> tuple[list[str], list[str]]:
    """The figure ids the API and the baseline of a figures case return, in order.

    Keeps the baselines honest: they must fetch the same rows as the API.
    """

    def work():
        data = describe_data()
        case = next(c for c in build_cases(data) if c.name == case_name)
        with benchmark_settings():
            response = make_client().get(case.path, secure=True)
        api = [row["id"] for row in response.json()["results"]]
        baseline = [row["id"] for row in json.loads(case.baseline())["results"]]
        return api, baseline

    return read_only(work)


# --- every filter, API only -------------------------------------------------------------


def sweep_parameters() -> list[tuple[str, str]]:
    """One request per filter of the figures list (and q), with values found in the data.

    Values are chosen as a user would pick them: a real incident, group, source and
    issuer, a measure, a month, a threshold. Anonymous view.
    """
    figures = visible_figures()
    sample = figures.order_by("pk").values("incident__uuid", "group__uuid", "as_of").first()
    if sample is None:
        describe_data()  # raises EmptyDatabase, with how to fill one
    group = figures.filter(group__isnull=False).values_list("group__uuid", flat=True).first()
    reporting = Citation.objects.filter(
        readable_q(Citation, None, trusted=FIGURE_SCOPED),
        stance=Stance.ASSERTS,
        figure__in=figures.values("pk")[:1000],
    ).order_by("pk")
    source = reporting.values_list("source__uuid", flat=True).first()
    issuer = (
        reporting.filter(source__issuer__isnull=False)
        .values_list("source__issuer__uuid", flat=True)
        .first()
    )
    month = sample["as_of"].replace(day=1)
    return [
        ("incident", f"incident={sample['incident__uuid']}"),
        ("group", f"group={group}"),
        ("measure", "measure=still_detained"),
        ("qualifier", "qualifier=approximately"),
        ("value__gte", "value__gte=1000"),
        ("value__lte", "value__lte=2"),
        ("as_of range", f"as_of__gte={month}&as_of__lte={month + timedelta(days=30)}"),
        ("source", f"source={source}"),
        ("source_kind", "source_kind=un_statement"),
        ("issuer", f"issuer={issuer}"),
        ("contested", "contested=true"),
        ("updated_since", "updated_since=2099-01-01T00:00:00Z"),
        ("q (common word)", f"q={SEARCH_WORD}"),
        ("q (two words)", "q=journalists+released"),
    ]


@dataclass
class SweepResult:
    name: str
    path: str
    count: int | None
    counted_ms: list[float] = field(default_factory=list)
    uncounted_ms: list[float] = field(default_factory=list)


def sweep(repeat: int = 5, progress: Callable[[str], None] | None = None) -> list[SweepResult]:
    """p50 of each figures filter at page size 100, with and without ``count``. Read-only."""

    def work():
        client = make_client()
        results = []
        with benchmark_settings():
            for name, query in sweep_parameters():
                if progress is not None:
                    progress(name)
                path = f"{API}/figures/?{query}&page_size={PAGE_SIZE}"
                response = client.get(path, secure=True)
                if response.status_code != 200:
                    raise RuntimeError(f"GET {path} answered {response.status_code}")
                result = SweepResult(name, path, response.json()["count"])
                for _ in range(repeat):
                    result.counted_ms.append(timed(lambda p=path: request(client, p))[0])
                    result.uncounted_ms.append(
                        timed(lambda p=path: request(client, p + "&count=false"))[0]
                    )
                results.append(result)
        return results

    return read_only(work)


def sweep_table(results: list[SweepResult]) -> str:
    lines = [
        "| filter | matches | p50 ms | p50 ms, count=false |",
        "|---|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.name} | {r.count:,} | {ms(statistics.median(r.counted_ms))} "
            f"| {ms(statistics.median(r.uncounted_ms))} |"
        )
    return "\n".join(lines)


# --- reporting --------------------------------------------------------------------------


def machine() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        db_version = cursor.fetchone()[0]
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": f"{connection.vendor} {db_version}",
        "debug": settings.DEBUG,
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def ms(value: float) -> str:
    return f"{value:,.1f}" if value < 1000 else f"{value:,.0f}"


def size(value: int | None) -> str:
    if value is None:
        return ""
    if value >= 1024 * 1024:
        return f"{value / 1024 / 1024:.1f} MB"
    return f"{value / 1024:.0f} kB"


COLUMNS = (
    "case",
    "API p50 ms",
    "API p95 ms",
    "base p50 ms",
    "base p95 ms",
    "ratio",
    "queries API/base",
    "size API/base",
    "peak mem API/base",
)


def rows_of(results: list[Result]) -> list[list[str]]:
    rows = []
    for r in results:
        peak = ""
        if r.api_peak_bytes is not None:
            peak = f"{size(r.api_peak_bytes)} / {size(r.baseline_peak_bytes)}"
        rows.append(
            [
                r.name,
                ms(r.api_p50),
                ms(r.api_p95),
                ms(r.baseline_p50),
                ms(r.baseline_p95),
                f"{r.ratio:.1f}x",
                f"{r.api_queries} / {r.baseline_queries}",
                f"{size(r.api_bytes)} / {size(r.baseline_bytes)}",
                peak,
            ]
        )
    return rows


def text_table(results: list[Result]) -> str:
    rows = [list(COLUMNS), *rows_of(results)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    lines = []
    for index, row in enumerate(rows):
        cells = [
            cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown_table(results: list[Result]) -> str:
    lines = [
        "| " + " | ".join(COLUMNS) + " |",
        "|---|" + "---:|" * (len(COLUMNS) - 1),
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows_of(results)]
    return "\n".join(lines)


def notes(data: Dataset, results: list[Result]) -> str:
    lines = [
        f"Data (anonymous view): {data.figures:,} figures, {data.allegations:,} allegations; "
        f"deep page {data.deep_page}; timeline of {data.timeline_figures} figures; "
        f"change feed since {data.feed_since}.",
        "What each baseline fetches and serialises:",
    ]
    by_name = {r.name: r for r in results}
    if "figures" in by_name and "figures_deep" in by_name:
        first, deep = by_name["figures"], by_name["figures_deep"]
        lines.insert(
            1,
            f"Deep page / first page (API p50): {deep.api_p50 / first.api_p50:.2f}x by cursor"
            + (
                f", {by_name['figures_page_n'].api_p50 / first.api_p50:.2f}x by page number."
                if "figures_page_n" in by_name
                else "."
            ),
        )
    for r in results:
        if r.export_rss_peak is not None:
            lines.insert(
                1,
                f"Export in a fresh process: peak resident memory {size(r.export_rss_peak)} "
                f"({size(r.export_rss_before)} before the request).",
            )
    lines += [f"  {r.name}: {r.path}\n    baseline: {r.baseline_note}" for r in results]
    lines.append(
        "p50/p95 over the repetitions (nearest rank); ratio = API p50 / baseline p50; "
        "queries counted on the warm-up request; peak mem = tracemalloc peak of Python "
        "allocations during one export (a separate, untimed run)."
    )
    return "\n".join(lines)
