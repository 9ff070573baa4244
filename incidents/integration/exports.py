"""CSV and HXL exports of the lists: one row per record, streamed.

Every list endpoint answers ``?format=csv`` and ``?format=hxl`` (see
``incidents.api.views``). The view hands this module the very queryset it
would paginate as JSON (``filter_queryset(get_queryset())``: the caller's
scope from ``incidents.access``, the filters, the ordering), so an export
holds exactly the records the JSON pages would, in the same order.

What is here:

- one ``Export`` per resource: its columns, each with a stable English machine
  name (the CSV header) and an HXL hashtag (the second header row of the HXL
  variant, https://hxlstandard.org/standard/1-1final/dictionary/);
- ``rows``: queryset to rows, in chunks, with plain values (``values_list`` and
  ``iterator``), never model instances or prefetch caches for every row. Each
  chunk of ``CHUNK_SIZE`` rows costs one query per related list it needs (the
  reporting citations of figures and allegations, the methods of allegations),
  so the number of queries grows with the chunks, never with the rows;
- ``stream``: rows to CSV text, yielded a few kilobytes at a time, so memory
  stays flat whatever the number of rows.

Visibility: a record the caller may not read is not in the queryset. An
optional link to a record the caller may not read (an issuer, a perpetrator, a
parent) is a blank cell, as JSON shows null (``linked``). Reporting citations
are fetched through ``access.visible``, so a hidden citation or source leaves
its cells blank.

Values are codes (``killed``, ``torture``), dates ISO 8601, and text that a
spreadsheet would read as a formula is neutralised (``cell``).
"""

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice

from django.core.exceptions import FieldDoesNotExist
from django.db.models import BooleanField, Case, ExpressionWrapper, F, QuerySet, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from incidents import access_log
from incidents.access import principal_of, visibility_q, visible
from incidents.choices import Measure, Stance
from incidents.models import (
    Actor,
    Allegation,
    Citation,
    DetaineeGroup,
    Figure,
    Incident,
    Source,
    Term,
)
from incidents.reads.contested import contested_condition

# Rows fetched per round trip (and per server-side cursor fetch on PostgreSQL).
CHUNK_SIZE = 2000
# Text is handed to the server once this much has accumulated.
FLUSH_SIZE = 16 * 1024
# Several reporting sources of one allegation share a cell, separated by this.
JOIN = " | "
METHODS_JOIN = ";"
# A spreadsheet treats a cell beginning with one of these as a formula (OWASP,
# "CSV injection"). A spreadsheet that splits lines on ";" or tabs (the default in
# Spanish-language locales) starts a cell after every such character too, and after
# a line break; quotes and spaces before the formula do not stop it. So a single
# quote goes before a formula character at the start of the text and after each of
# those separators, and before a quote already there, so that removing one quote in
# those places (``uncell``) gives back the exact text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_BOUNDARY = r"((?:^|[,;\t\r\n])[ \"]*)"
_NEEDS_QUOTE = re.compile(_BOUNDARY + r"(?=[=+\-@\t\r'])")
_ADDED_QUOTE = re.compile(_BOUNDARY + "'")

# Each measure has its own value column in the figures export, so that a killed
# figure fills #affected+killed and a detention figure #affected+detained.
MEASURE_TAGS = {
    Measure.DETAINED: "#affected+detained",
    Measure.STILL_DETAINED: "#affected+still_detained",
    Measure.RELEASED: "#affected+released",
    Measure.KILLED: "#affected+killed",
    Measure.CHARGED: "#affected+charged",
    Measure.INJURED: "#affected+injured",
    Measure.DISAPPEARED: "#affected+missing",  # HXL's attribute for missing people
}
assert set(MEASURE_TAGS) == set(Measure), "every measure needs its HXL column"


# --- columns ----------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column: its header, its HXL hashtag, and where its value comes from.

    Exactly one of ``path`` (a field, possibly across relations, read by the
    main query), ``expression`` (an SQL expression built for the request, such
    as a link shown only when readable) and ``compute`` (a function of the
    row) is set; with none of them, the value is attached to the row by the
    export's ``attach`` step under the column's name.
    """

    name: str
    tag: str
    path: str | None = None
    expression: Callable | None = None
    compute: Callable[[dict], object] | None = None
    # The optional linked record a ``link`` column shows (its access is logged when shown).
    relation: str | None = None

    def value(self, row: dict):
        return self.compute(row) if self.compute is not None else row.get(self.name)


def field(name: str, tag: str, path: str | None = None) -> Column:
    """A column read from the database; the path defaults to the column's name."""
    return Column(name, tag, path=path or name)


def link(name: str, tag: str, relation: str, attribute: str) -> Column:
    """A field of an optional linked record, blank when the caller may not read that record."""
    return Column(
        name,
        tag,
        expression=lambda request: linked(request, relation, attribute),
        relation=relation,
    )


def linked(request, relation: str, attribute: str):
    """``relation__attribute``, or null when the caller may not read the linked record.

    The same rule as ``access.readable`` (the linked record's own visibility),
    which the JSON representation applies to the same links.
    """
    return Case(
        When(visibility_q(request, f"{relation}__"), then=F(f"{relation}__{attribute}")),
        default=None,
    )


def common() -> tuple[Column, ...]:
    """The columns every record ends with."""
    return (
        field("visibility", "#meta+visibility"),
        field("version", "#meta+version"),
        field("updated_at", "#date+updated"),
    )


def incident_columns(prefix: str = "incident__") -> tuple[Column, ...]:
    """The incident a record belongs to (readable whenever the record is: it is a container)."""
    return (
        field("incident_id", "#event+id", f"{prefix}uuid"),
        field("incident_title", "#event+name", f"{prefix}title"),
        field("country", "#adm0+code", f"{prefix}country"),
    )


# The reporting source of a figure or an allegation: filled by ``attach_reports``.
REPORT_COLUMNS = (
    Column("reporter", "#org+name"),
    Column("source_id", "#meta+source+id"),
    Column("source_title", "#meta+source+name"),
    Column("source_kind", "#meta+source+type"),
    Column("source_date", "#date+reported+source"),
    Column("source_url", "#meta+source+url"),
    Column("quote", "#meta+quote"),
)


# --- exports ----------------------------------------------------------------------


@dataclass(frozen=True)
class Export:
    """How one resource is exported.

    ``reads`` are fields the main query reads for computed columns without
    being columns themselves; ``prepare`` adds what the columns' expressions
    need to the queryset; ``attach`` fills, one chunk of rows at a time, the
    columns that come from related lists (one query per chunk, whatever its size).
    """

    name: str
    columns: tuple[Column, ...]
    reads: tuple[tuple[str, str], ...] = ()
    prepare: Callable[[QuerySet, object], QuerySet] | None = None
    attach: Callable[[list[dict], object], None] | None = None

    @property
    def headers(self) -> list[str]:
        return [column.name for column in self.columns]

    @property
    def tags(self) -> list[str]:
        return [column.tag for column in self.columns]

    def fields(self, request) -> dict[str, object]:
        """What the main query reads: row key -> field path or expression."""
        fields: dict[str, object] = {"pk": "pk", **dict(self.reads)}
        for column in self.columns:
            if column.path is not None:
                fields[column.name] = column.path
            elif column.expression is not None:
                fields[column.name] = column.expression(request)
        return fields


def reporter(request):
    """Who reports, as ``incidents.reads.contested`` reckons it: the issuer, else the source."""
    return Coalesce(linked(request, "source__issuer", "name"), F("source__title"))


def report_fields(request) -> dict[str, object]:
    """What each of ``REPORT_COLUMNS`` reads from a citation."""
    return {
        "reporter": reporter(request),
        "source_id": "source__uuid",
        "source_title": "source__title",
        "source_kind": "source__kind",
        "source_date": "source__date",
        "source_url": "source__url",
        "quote": "quote",
    }


def reports(request, target: str, ids: list[int]) -> QuerySet:
    """The readable asserting citations of these figures or allegations, as plain rows.

    Each row is the target's id, then the values of ``REPORT_COLUMNS``.
    ``target`` is ``figure`` or ``allegation``; the records were fetched through
    the caller's scope, so they are trusted. A citation the caller may not read
    (its own visibility, or its source's) is left out, as in JSON.
    """
    citations = visible(
        Citation.objects.filter(stance=Stance.ASSERTS, **{f"{target}_id__in": ids}),
        request,
        trusted=(target,),
    )
    fields = report_fields(request)
    return citations.order_by("pk").values_list(
        f"{target}_id",
        *(fields[column.name] for column in REPORT_COLUMNS),
        *REPORT_LOGGED,
    )


# What a report row adds after its columns, for the access log: the citation and its source.
REPORT_LOGGED = ("uuid", "visibility", "source__uuid", "source__visibility")


def attach_reports(target: str, rows: list[dict], request) -> None:
    """Fill the report columns of each row; several reports share a cell, joined by `` | ``.

    A figure has one asserting citation (a database constraint); an allegation
    may have several, hence the join.
    """
    names = [column.name for column in REPORT_COLUMNS]
    found: dict[int, list[tuple]] = {}
    shown: list[tuple] = []
    for target_id, *values in reports(request, target, [row["pk"] for row in rows]):
        found.setdefault(target_id, []).append(values)
        shown.append(values[len(names) :])
    access_log.note_ids(request, Citation, ((uuid, seen) for uuid, seen, *_ in shown))
    access_log.note_ids(request, Source, ((uuid, seen) for *_, uuid, seen in shown))
    for row in rows:
        for index, name in enumerate(names):
            values = [plain(report[index]) for report in found.get(row["pk"], ())]
            row[name] = values[0] if len(values) == 1 else JOIN.join(map(str, values))


def attach_figure_reports(rows: list[dict], request) -> None:
    attach_reports("figure", rows, request)


def attach_allegation_details(rows: list[dict], request) -> None:
    """Methods (codes joined by ``;``) and reporting sources of a chunk of allegations."""
    attach_reports("allegation", rows, request)
    methods: dict[int, list[str]] = {}
    named = (
        Allegation.methods.through.objects.filter(allegation_id__in=[row["pk"] for row in rows])
        .order_by("term__code")
        .values_list("allegation_id", "term__code")
    )
    for allegation_id, code in named:
        methods.setdefault(allegation_id, []).append(code)
    for row in rows:
        row["methods"] = METHODS_JOIN.join(methods.get(row["pk"], ()))


def with_contested(figures: QuerySet, request) -> QuerySet:
    """Figures with a ``contested`` column, for the caller (``contested.contested_condition``)."""
    figures, condition = contested_condition(figures, request)
    return figures.annotate(contested=ExpressionWrapper(condition, output_field=BooleanField()))


def measure_value(measure: str) -> Callable[[dict], object]:
    return lambda row: row["value"] if row["measure"] == measure else None


FIGURES = Export(
    name="figures",
    columns=(
        field("figure_id", "#meta+id", "uuid"),
        *incident_columns(),
        field("group_id", "#group+id", "group__uuid"),
        field("group_label", "#group+name", "group__label"),
        field("measure", "#indicator+code"),
        field("value", "#indicator+num"),
        field("value_low", "#indicator+num+min"),
        field("value_high", "#indicator+num+max"),
        field("qualifier", "#indicator+qualifier"),
        field("as_of", "#date+reported"),
        field("as_of_precision", "#meta+precision"),
        *(
            Column(f"value_{measure}", tag, compute=measure_value(measure))
            for measure, tag in MEASURE_TAGS.items()
        ),
        field("contested", "#status+contested"),
        *REPORT_COLUMNS,
        field("note", "#description+note"),
        *common(),
    ),
    prepare=with_contested,
    attach=attach_figure_reports,
)

ALLEGATIONS = Export(
    name="allegations",
    columns=(
        field("allegation_id", "#meta+id", "uuid"),
        *incident_columns(),
        field("victim_group_id", "#group+id", "victim_group__uuid"),
        field("victim_group_label", "#group+name", "victim_group__label"),
        field("violation_type", "#indicator+code", "violation_type__code"),
        Column("methods", "#indicator+method+code"),
        link("perpetrator_name", "#org+perpetrator", "perpetrator", "name"),
        link("perpetrator_id", "#org+perpetrator+id", "perpetrator", "uuid"),
        field("status", "#status"),
        field("summary", "#description"),
        *REPORT_COLUMNS,
        *common(),
    ),
    attach=attach_allegation_details,
)

INCIDENTS = Export(
    name="incidents",
    columns=(
        *incident_columns(prefix=""),
        field("kind", "#event+type"),
        field("summary", "#description"),
        field("location", "#loc+name"),
        field("start_date", "#date+start"),
        field("start_precision", "#meta+precision+start"),
        field("end_date", "#date+end"),
        field("end_precision", "#meta+precision+end"),
        link("parent_id", "#event+parent+id", "parent", "uuid"),
        link("parent_title", "#event+parent+name", "parent", "title"),
        *common(),
    ),
)

DETAINEE_GROUPS = Export(
    name="detainee-groups",
    columns=(
        field("group_id", "#group+id", "uuid"),
        field("label", "#group+name"),
        *incident_columns(),
        field("age_min", "#meta+age+min"),
        field("age_max", "#meta+age+max"),
        Column(
            "minors",
            "#meta+minors",
            compute=lambda row: row["age_max"] is not None and row["age_max"] < 18,
        ),
        field("sex", "#meta+sex"),
        field("citizenship", "#meta+citizenship"),
        field("nationality", "#meta+nationality+code"),
        field("affiliation", "#meta+affiliation"),
        field("description", "#description"),
        field("charges", "#description+charges"),
        *common(),
    ),
)

ACTORS = Export(
    name="actors",
    columns=(
        field("actor_id", "#org+id", "uuid"),
        field("name", "#org+name"),
        field("kind", "#org+type"),
        field("country", "#adm0+code"),
        link("parent_id", "#org+parent+id", "parent", "uuid"),
        link("parent_name", "#org+parent", "parent", "name"),
        field("role", "#meta+role"),
        field("description", "#description"),
        *common(),
    ),
)

SOURCES = Export(
    name="sources",
    columns=(
        field("source_id", "#meta+source+id", "uuid"),
        field("title", "#meta+source+name"),
        field("kind", "#meta+source+type"),
        link("issuer_id", "#org+id", "issuer", "uuid"),
        link("issuer_name", "#org+name", "issuer", "name"),
        link("reported_in_id", "#meta+reported_in+id", "reported_in", "uuid"),
        link("reported_in_title", "#meta+reported_in+name", "reported_in", "title"),
        field("date", "#date+reported"),
        field("date_precision", "#meta+precision"),
        field("url", "#meta+source+url"),
        field("language", "#meta+lang"),
        field("text", "#description+text"),
        *common(),
    ),
)

TARGETS = Citation.TARGET_FIELDS


def citation_target(row: dict) -> str | None:
    """The kind of record a citation supports (exactly one of its targets is set)."""
    return next((name for name in TARGETS if row[f"{name}_id"] is not None), None)


def citation_target_id(row: dict):
    target = citation_target(row)
    return row[f"{target}_id"] if target is not None else None


CITATIONS = Export(
    name="citations",
    columns=(
        field("citation_id", "#meta+id", "uuid"),
        field("stance", "#meta+stance"),
        Column("target_type", "#meta+target+type", compute=citation_target),
        Column("target_id", "#meta+target+id", compute=citation_target_id),
        Column("reporter", "#org+name", expression=reporter),
        field("source_id", "#meta+source+id", "source__uuid"),
        field("source_title", "#meta+source+name", "source__title"),
        field("source_kind", "#meta+source+type", "source__kind"),
        field("source_date", "#date+reported+source", "source__date"),
        field("source_url", "#meta+source+url", "source__url"),
        field("quote", "#meta+quote"),
        field("note", "#description+note"),
        *common(),
    ),
    # The supported record is a container of the citation: readable whenever it is.
    reads=tuple((f"{name}_id", f"{name}__uuid") for name in TARGETS),
)

TERMS = Export(
    name="terms",
    columns=(
        field("term_id", "#meta+id", "uuid"),
        field("vocabulary", "#meta+vocabulary"),
        field("code", "#meta+code"),
        field("label", "#meta+label+i_en"),
        field("label_es", "#meta+label+i_es"),
        field("esf_code", "#meta+esf+code"),
        field("description", "#description"),
        field("parent_code", "#meta+parent+code", "parent__code"),
        field("updated_at", "#date+updated"),
    ),
)

EXPORTS: dict[type, Export] = {
    Actor: ACTORS,
    Source: SOURCES,
    Incident: INCIDENTS,
    DetaineeGroup: DETAINEE_GROUPS,
    Figure: FIGURES,
    Allegation: ALLEGATIONS,
    Citation: CITATIONS,
    Term: TERMS,
}


# --- rows and CSV -----------------------------------------------------------------


def plain(value):
    """A database value as it reads in a cell: codes and numbers as they are, ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        # As the JSON shows it: in the server's time zone, UTC written as Z.
        text = timezone.localtime(value).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text
    if isinstance(value, date):
        return value.isoformat()
    return value


def cell(value):
    """``plain``, with a quote before anything a spreadsheet could read as a formula.

    Exports are opened in spreadsheets, and a quote or a name such as
    ``;=HYPERLINK(...)`` could run there as a formula, whatever separator the
    spreadsheet splits on (see ``FORMULA_STARTS``). Numbers and dates are left alone.
    """
    value = plain(value)
    if isinstance(value, str):
        return _NEEDS_QUOTE.sub(r"\1'", value)
    return value


def uncell(text: str) -> str:
    """The exact text a ``cell`` was made from: one added quote removed in each place."""
    return _ADDED_QUOTE.sub(r"\1", text)


def chunks(iterable: Iterable, size: int) -> Iterator[list]:
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def logged_records(export: Export, model, request) -> dict[str, tuple]:
    """The records each row of an export shows, for the access log: key -> (model, id, visibility).

    The row's own record, the containers its columns read (a figure's incident and
    group), and the optional links its ``link`` columns show, each read by the
    row's own query: the id of a link the caller may not read is null, as its cells
    are blank. Nothing for a caller who may read nothing restricted (the public, a
    viewer), nor outside a request.
    """
    principal = principal_of(request)
    if (
        not hasattr(model, "visibility")
        or access_log.collector(request) is None
        or not (principal.reads_restricted or principal.partner is not None)
    ):
        return {}
    logged = {"_log": (model, "uuid", "visibility")}
    for column in export.columns:
        path = column.path or ""
        relation = column.relation or (path.partition("__")[0] if "__" in path else None)
        if relation is None or f"_log_{relation}" in logged:
            continue
        try:
            related = model._meta.get_field(relation).related_model
        except FieldDoesNotExist:
            continue
        if related is None or not hasattr(related, "visibility"):
            continue
        uuid = linked(request, relation, "uuid") if column.relation else f"{relation}__uuid"
        logged[f"_log_{relation}"] = (related, uuid, f"{relation}__visibility")
    return logged


def read_once(fields: dict, key: str, path) -> str:
    """The key under which ``fields`` reads ``path``: the existing one, else ``key``, added.

    A path read twice would be a column selected twice, which Django's wrapping of a
    window filter (the latest figures) cannot tell apart.
    """
    if isinstance(path, str):
        for existing, read in fields.items():
            if read == path:
                return existing
    fields[key] = path
    return key


def rows(export: Export, queryset: QuerySet, request) -> Iterator[list]:
    """The export's rows of ``queryset`` (already scoped, filtered and ordered), in order.

    ``values_list`` + ``iterator`` read plain tuples a chunk at a time (through
    a server-side cursor on PostgreSQL); prefetches, which would run for every
    chunk and build model instances, are dropped: ``attach`` fetches what the
    columns need instead.
    """
    if export.prepare is not None:
        queryset = export.prepare(queryset, request)
    fields = export.fields(request)
    # The records each row shows, for the access log: (model, key of its id, of its visibility).
    logged = [
        (model, read_once(fields, f"{key}:id", uuid), read_once(fields, f"{key}:vis", visibility))
        for key, (model, uuid, visibility) in logged_records(
            export, queryset.model, request
        ).items()
    ]
    keys = list(fields)
    values = queryset.prefetch_related(None).values_list(*fields.values())
    for chunk in chunks(values.iterator(chunk_size=CHUNK_SIZE), CHUNK_SIZE):
        records = [dict(zip(keys, record, strict=True)) for record in chunk]
        for model, uuid, visibility in logged:
            access_log.note_ids(request, model, ((r[uuid], r[visibility]) for r in records))
        if export.attach is not None:
            export.attach(records, request)
        for record in records:
            yield [column.value(record) for column in export.columns]


def stream(export: Export, queryset: QuerySet, request, *, hxl: bool = False) -> Iterator[str]:
    """CSV text of the export, a few kilobytes at a time.

    The header row holds the column names; the HXL variant adds a second row
    of hashtags. Nothing is held beyond the current chunk of rows.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(export.headers)
    if hxl:
        writer.writerow(export.tags)
    for row in rows(export, queryset, request):
        writer.writerow([cell(value) for value in row])
        if buffer.tell() >= FLUSH_SIZE:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
