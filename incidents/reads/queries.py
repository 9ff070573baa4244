"""Read-side querysets: what each endpoint fetches, with every relation it embeds.

Each function returns the records the caller may read (through ``access.visible``)
with ``select_related``/``prefetch_related`` set so that a page costs the same
number of queries at 1 row as at 500. Embedded citations are filtered by the
same access rule as the records themselves.
"""

from dataclasses import dataclass, field

from django.db.models import F, Prefetch, QuerySet, Value, Window
from django.db.models.functions import Coalesce, RowNumber

from incidents.access import visible
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
from incidents.reads.contested import (
    SHOWN_CITATIONS,
    asserting_citation,
    attach_contest_reasons,
    with_reporter,
)

# The columns a brief of each model shows (``incidents.api.serializers``: IncidentBrief,
# GroupBrief, ActorBrief, SourceBrief, TermBrief; a test holds the two together), and
# what ``access.readable`` reads to decide whether to show it.
BRIEF_COLUMNS = {
    Incident: ("title",),
    DetaineeGroup: ("label",),
    Actor: ("name", "kind"),
    Source: ("title", "kind", "issuer", "date", "date_precision", "reported_in", "url"),
    Term: ("code", "label", "label_es"),
}
ACCESS_COLUMNS = ("id", "uuid", "visibility", "deleted_at", "owner")
# What an embedded citation shows (CitationSerializer) besides its source, the link its
# prefetch is matched by, and its visibility (a restricted one shown is logged as read).
CITATION_COLUMNS = (
    "id",
    "uuid",
    "stance",
    "quote",
    "note",
    "visibility",
    "source",
    *Citation.TARGET_FIELDS,
)


def unshown(path: str, model) -> list[str]:
    """The columns of a linked record (at ``path``) that its brief never shows.

    Deferring them keeps a page from reading and converting a linked incident's
    summary, a source's whole text or every timestamp of every link.
    """
    keep = {*BRIEF_COLUMNS[model], *ACCESS_COLUMNS}
    return [f"{path}__{f.name}" for f in model._meta.concrete_fields if f.name not in keep]


def citations_prefetch(request) -> Prefetch:
    """Citations as embedded in a record: visible ones, with their source and its links.

    The record they hang from was fetched through ``visible``, so the targets are trusted.
    """
    citations = visible(
        Citation.objects.all(), request, trusted=Citation.TARGET_FIELDS
    ).select_related("source__issuer", "source__reported_in")
    citations = citations.only(
        *CITATION_COLUMNS,
        *(f"source__{name}" for name in (*BRIEF_COLUMNS[Source], *ACCESS_COLUMNS)),
        *(f"source__issuer__{name}" for name in (*BRIEF_COLUMNS[Actor], *ACCESS_COLUMNS)),
        *(f"source__reported_in__{name}" for name in ("title", *ACCESS_COLUMNS)),
    )
    return Prefetch(
        "citations",
        queryset=citations.order_by("pk"),
        # A plain list: Django would otherwise build a filtered queryset per record just
        # to hold the prefetched rows, a fifth of a page's time.
        to_attr=SHOWN_CITATIONS,
    )


def actors(request) -> QuerySet[Actor]:
    return visible(Actor.objects.select_related("parent"), request)


def sources(request) -> QuerySet[Source]:
    return visible(Source.objects.select_related("issuer", "reported_in"), request)


def incidents(request) -> QuerySet[Incident]:
    return visible(Incident.objects.select_related("parent"), request).prefetch_related(
        citations_prefetch(request)
    )


def detainee_groups(request) -> QuerySet[DetaineeGroup]:
    return visible(DetaineeGroup.objects.select_related("incident"), request).prefetch_related(
        citations_prefetch(request)
    )


def figures(request) -> QuerySet[Figure]:
    """Figures with their citations; call ``finish_figures`` on the fetched page."""
    figures = Figure.objects.select_related("incident", "group").defer(
        *unshown("incident", Incident), *unshown("group", DetaineeGroup)
    )
    return visible(figures, request).prefetch_related(citations_prefetch(request))


def finish_figures(page: list[Figure], request) -> list[Figure]:
    """Attach what the representation derives from several rows (why a figure is contested)."""
    attach_contest_reasons(page, request)
    return page


def allegations(request) -> QuerySet[Allegation]:
    allegations = Allegation.objects.select_related(
        "incident", "victim_group", "violation_type", "perpetrator"
    ).defer(
        *unshown("incident", Incident),
        *unshown("victim_group", DetaineeGroup),
        *unshown("violation_type", Term),
        *unshown("perpetrator", Actor),
    )
    return visible(allegations, request).prefetch_related(
        Prefetch("methods", queryset=Term.objects.all(), to_attr="shown_methods"),
        citations_prefetch(request),
    )


def citations(request) -> QuerySet[Citation]:
    return visible(Citation.objects.all(), request).select_related(
        "source__issuer", "source__reported_in", "incident", "group", "figure", "allegation"
    )


def terms() -> QuerySet[Term]:
    return Term.objects.select_related("parent")


def latest_figures(figures: QuerySet[Figure], request) -> QuerySet[Figure]:
    """Of ``figures``, the most recent per incident, group, measure and reporter.

    A reporter is the issuer of the asserting source (see ``incidents.reads.contested``),
    so a newer Foro Penal statement supersedes an older one. Filters applied to
    ``figures`` beforehand narrow the candidates: with ``as_of__lte`` this is the
    latest figure *as of* that date.
    """
    ranked = with_reporter(figures, request).annotate(
        recency=Window(
            RowNumber(),
            partition_by=[
                F("incident_id"),
                Coalesce("group_id", Value(0)),
                F("measure"),
                F("reporter_key"),
            ],
            order_by=[F("as_of").desc(), F("pk").desc()],
        )
    )
    return ranked.filter(recency=1)


def incident_tree(incident: Incident, request) -> list[Incident]:
    """The incident and every visible incident nested in it, at any depth (one query a level)."""
    tree, frontier, seen = [incident], [incident.pk], {incident.pk}
    # The model's order (start date, title), with undated incidents last on both databases
    # (SQLite would put them first, PostgreSQL last: incidents.reads.ordering).
    order = [F("start_date").asc(nulls_last=True), "title", "pk"]
    while frontier:
        children = [
            child
            for child in visible(Incident.objects.filter(parent_id__in=frontier), request).order_by(
                *order
            )
            if child.pk not in seen
        ]
        seen.update(child.pk for child in children)
        tree.extend(children)
        frontier = [child.pk for child in children]
    return tree


@dataclass
class Series:
    """The figures of one measure for one group, or for an incident as a whole."""

    measure: str
    incident: Incident
    group: DetaineeGroup | None
    points: list[Figure] = field(default_factory=list)


@dataclass
class Timeline:
    incident: Incident
    incidents: list[Incident]
    series: list[Series]


def timeline(incident: Incident, figures: QuerySet[Figure], request) -> Timeline:
    """The figures of an incident and its nested incidents, in date order, by measure and group.

    ``figures`` is the caller's visible, already filtered figure queryset; series
    are ordered by their first date, points by date.
    """
    tree = incident_tree(incident, request)
    page = list(figures.filter(incident__in=tree).order_by("as_of", "pk"))
    finish_figures(page, request)
    series: dict[tuple, Series] = {}
    for figure in page:
        key = (figure.measure, figure.incident_id, figure.group_id)
        if key not in series:
            series[key] = Series(figure.measure, figure.incident, figure.group)
        series[key].points.append(figure)
    return Timeline(incident=incident, incidents=tree, series=list(series.values()))


def timeline_records(timeline: Timeline) -> list:
    """Every record a timeline shows: its incidents and groups, figures, reporting sources."""
    records = [*timeline.incidents]
    for series in timeline.series:
        records.append(series.group)
        for figure in series.points:
            records.append(figure)
            citation = asserting_citation(figure)
            if citation is not None:
                records += [citation, citation.source]
    return records
