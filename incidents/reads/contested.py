"""When a figure is contested, and why. Derived from the records, never typed in.

A figure is contested when

- a citation (one the caller may read) denies or disputes it, or
- another reporter gives a different value for the same incident, group and
  measure within ``WINDOW_DAYS`` days of its date.

A *reporter* is the issuer of the figure's asserting source (Foro Penal, however
many statements it made), or the source itself when it has no issuer. Two
Foro Penal statements a week apart are one organisation updating its count, not
a dispute. Figures with no number ("several") are never in value conflict.

The reporter is the one **the caller may see**: an issuer the caller may not read
(a witness kept restricted) counts as unknown, and the source stands in for it,
as the chart does. Grouping by the hidden issuer itself would tell the public
which anonymous testimonies share a witness: two of them with different values
would come back *not* contested exactly when one person gave both.

The rule exists twice, and tests hold the two together: as a SQL condition
(``contested_q``), and in Python for the reasons shown on each figure
(``attach_contest_reasons_by_rule``).

Both are the reference. What callers read is the state the write path keeps
(``FigureContest``, maintained by ``incidents.writes.contest`` for three audiences:
the public, partners and staff on shared records, staff who read everything), so
that the ``contested`` filter is a join and a page's reasons one indexed query:
``contested_condition`` and ``attach_contest_reasons`` choose by ``state_audience``.
A partner that owns live restricted records reads beyond the shared audience, and
those could change its answer, so it gets the rule at query time.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from incidents.access import principal_of, readable_by, visibility_q, visible
from incidents.choices import Stance, Visibility
from incidents.dbfunctions import ShiftDays
from incidents.models import (
    Actor,
    Citation,
    ContestAudience,
    ContestReasonKind,
    DetaineeGroup,
    Figure,
    FigureContest,
    Incident,
    Partner,
    Source,
)
from incidents.models.contest import WINDOW_DAYS

# What citations tied to an already scoped figure need not check again: the figure,
# and the other three targets, which the one-target constraint keeps NULL when the
# figure is set. Checking them would only add seven joins the planner cannot drop.
FIGURE_SCOPED = Citation.TARGET_FIELDS
# A source's full text, which a citation shown inside a record never needs.
SOURCE_TEXTS = ("source__text", "source__reported_in__text")
# Where a record's visible citations are prefetched to (``queries.citations_prefetch``).
SHOWN_CITATIONS = "shown_citations"
OBJECTING_STANCES = (Stance.DENIES, Stance.DISPUTES)


@dataclass(frozen=True)
class ContestReason:
    """One reason a figure is contested: an objecting citation or a differing figure."""

    reason: str  # "denies", "disputes" or "different_value"
    source: Source | None
    citation: Citation | None = None
    figure: Figure | None = None


def reporter_key(issuer_id: int | None, source_id: int | None) -> int | None:
    """Issuer if known, else the source (negated, so the two id spaces never collide)."""
    if issuer_id is not None:
        return issuer_id
    return -source_id if source_id is not None else None


def shown_reporter(source: Source, request) -> int | None:
    """``reporter_key`` of a fetched source, by what the caller of ``request`` may see."""
    issuer = source.issuer if source.issuer_id is not None else None
    shown = issuer is not None and readable_by(issuer, principal_of(request))
    return reporter_key(source.issuer_id if shown else None, source.pk)


def reporter_sql(request, source: str = "source"):
    """``reporter_key`` of the source at ``source``, as SQL, by what the caller may see.

    The issuer when the caller may read it, else the source (negated), as in
    ``reporter_key``: the join to the issuer is what the check costs.
    """
    issuer = f"{source}__issuer"
    return Case(
        When(
            Q(**{f"{issuer}__isnull": False}) & visibility_q(request, f"{issuer}__"),
            then=F(f"{issuer}_id"),
        ),
        default=Value(0) - F(f"{source}_id"),
        output_field=IntegerField(),
    )


def with_reporter(figures: QuerySet, request) -> QuerySet:
    """Figures with ``reporter_key`` (see ``reporter_key``) as a SQL alias."""
    # Correlated with figures already scoped by the caller: the figure is trusted.
    asserting = visible(
        Citation.objects.filter(figure=OuterRef("pk"), stance=Stance.ASSERTS),
        request,
        trusted=FIGURE_SCOPED,
    )
    key = asserting.annotate(key=reporter_sql(request)).values("key")[:1]
    return figures.alias(reporter_key=Subquery(key))


def contested_q(request) -> Q:
    """The SQL form of the rule, for a queryset that went through ``with_reporter``."""
    objection = Exists(
        visible(
            Citation.objects.filter(figure=OuterRef("pk"), stance__in=OBJECTING_STANCES),
            request,
            trusted=FIGURE_SCOPED,
        )
    )
    # The other figures, through their asserting citations: a join to each one's source
    # gives its reporter, where ``with_reporter`` would run a subquery per other figure.
    # The citation's own checks cover the other figure's (and its containers') too; its
    # other targets are NULL, the figure being set.
    others = (
        visible(
            Citation.objects.filter(stance=Stance.ASSERTS, figure__isnull=False),
            request,
            trusted=("incident", "group", "allegation"),
        )
        .alias(
            group_key=Coalesce("figure__group_id", Value(0)),
            other_reporter=reporter_sql(request),
        )
        .filter(
            figure__incident_id=OuterRef("incident_id"),
            figure__measure=OuterRef("measure"),
            group_key=Coalesce(OuterRef("group_id"), Value(0)),
            figure__value__isnull=False,
            figure__as_of__gte=ShiftDays(OuterRef("as_of"), -WINDOW_DAYS),
            figure__as_of__lte=ShiftDays(OuterRef("as_of"), WINDOW_DAYS),
        )
        .exclude(figure_id=OuterRef("pk"))
        .exclude(figure__value=OuterRef("value"))
        .exclude(other_reporter=OuterRef("reporter_key"))
    )
    conflict = Q(value__isnull=False, reporter_key__isnull=False) & Exists(others)
    return Q(objection) | conflict


# Where ``state_audience`` keeps its answer on a request: asked once per request.
_AUDIENCE_ATTR = "_contest_audience"


def owns_restricted(partner) -> bool:
    """Whether a partner owns live restricted records the rule reads (one query)."""
    mine = Q(owner=partner, visibility=Visibility.RESTRICTED, deleted_at__isnull=True)
    condition = Q()
    for model in (Figure, Citation, Source, Actor, Incident, DetaineeGroup):
        condition |= Q(Exists(model._base_manager.filter(mine)))
    return Partner.objects.filter(pk=partner.pk).filter(condition).exists()


def state_audience(request) -> int | None:
    """The audience whose kept contest state is exactly this caller's answer; None if none is.

    Staff who read restricted records read everything live (``ALL``); other staff read
    shared records (``SHARED``), as does a partner owning no live restricted record;
    anyone else reads the public's (``PUBLIC``). A partner with restricted records of
    its own may see citations and figures no audience holds: None, the rule at query time.
    """
    known = getattr(request, _AUDIENCE_ATTR, False)
    if known is not False:
        return known
    principal = principal_of(request)
    if principal.reads_restricted:
        audience = ContestAudience.ALL
    elif principal.is_staff:
        audience = ContestAudience.SHARED
    elif principal.partner is not None:
        audience = None if owns_restricted(principal.partner) else ContestAudience.SHARED
    else:
        audience = ContestAudience.PUBLIC
    if request is not None:
        setattr(request, _AUDIENCE_ATTR, audience)
    return audience


def contested_state_q(audience: int) -> Q:
    """Figures contested for this audience, by the kept state: an indexed lookup."""
    return Q(Exists(FigureContest.objects.filter(figure=OuterRef("pk"), audience=audience)))


def contested_condition(figures: QuerySet, request) -> tuple[QuerySet, Q]:
    """``figures`` ready to be filtered by the returned condition: contested, for the caller.

    The kept state where it is exact for the caller (``state_audience``), else the rule
    (``with_reporter`` and ``contested_q``).
    """
    audience = state_audience(request)
    if audience is not None:
        return figures, contested_state_q(audience)
    if "reporter_key" not in figures.query.annotations:
        figures = with_reporter(figures, request)
    return figures, contested_q(request)


def asserting_citation(figure: Figure) -> Citation | None:
    """The figure's reporting citation, from its prefetched (visible) citations."""
    return next((c for c in figure.shown_citations if c.stance == Stance.ASSERTS), None)


def _figure_reporter(citation: Citation | None, request) -> int | None:
    if citation is None:
        return None
    return shown_reporter(citation.source, request)


class Neighbour(NamedTuple):
    """The asserting citation of a figure that may conflict with others, as plain values."""

    pk: int
    figure_id: int
    incident_id: int
    group_id: int | None
    measure: str
    value: int
    as_of: date
    reporter: int  # ``reporter_key``, by what the caller may see


def neighbours_by_series(
    request, *, incident_ids: set, measures: set, earliest: date, latest: date
) -> dict[tuple, list[Neighbour]]:
    """The figures that could conflict with figures of these series and dates, by series.

    One query: the asserting citation (one the caller may read) of every visible
    figure with a number, in these incidents and measures, within the window of
    the dates; grouped by (incident, group, measure), in date order.
    """
    window = timedelta(days=WINDOW_DAYS)
    rows = (
        visible(Citation.objects.filter(stance=Stance.ASSERTS), request, trusted=FIGURE_SCOPED)
        .filter(
            figure__in=visible(Figure.objects.all(), request).filter(
                incident_id__in=incident_ids,
                measure__in=measures,
                value__isnull=False,
                # Clamped: a figure dated near year 1 or 9999 must not overflow.
                as_of__gte=earliest - min(window, earliest - date.min),
                as_of__lte=latest + min(window, date.max - latest),
            )
        )
        .annotate(reporter=reporter_sql(request))
        .order_by("figure__as_of", "figure_id")
        .values_list(
            "pk",
            "figure_id",
            "figure__incident_id",
            "figure__group_id",
            "figure__measure",
            "figure__value",
            "figure__as_of",
            "reporter",
        )
    )
    by_series: dict[tuple, list[Neighbour]] = {}
    for row in rows:
        neighbour = Neighbour(*row)
        key = (neighbour.incident_id, neighbour.group_id, neighbour.measure)
        by_series.setdefault(key, []).append(neighbour)
    return by_series


def attach_contest_reasons(figures: list[Figure], request) -> None:
    """Set ``contest_reasons`` on each figure; its visible citations must be prefetched.

    Objections are the figure's own visible citations that deny or dispute it;
    differing values come from the kept state (one query) where it is exact for
    the caller, else from the rule (``attach_contest_reasons_by_rule``).
    """
    audience = state_audience(request)
    if audience is None:
        attach_contest_reasons_by_rule(figures, request)
        return
    _attach_objections(figures)
    candidates = {f.pk: f for f in figures if f.value is not None}
    if not candidates:
        return
    kept = (
        FigureContest.objects.filter(
            figure_id__in=list(candidates),
            audience=audience,
            reason=ContestReasonKind.DIFFERENT_VALUE,
        )
        .select_related(
            "citation__figure", "citation__source__issuer", "citation__source__reported_in"
        )
        .defer(*(f"citation__{name}" for name in SOURCE_TEXTS))
        # The order of the rule's reasons: the other figures by date.
        .order_by("citation__figure__as_of", "citation__figure_id")
    )
    for row in kept:
        citation = row.citation
        candidates[row.figure_id].contest_reasons.append(
            ContestReason(reason="different_value", source=citation.source, figure=citation.figure)
        )


def _attach_objections(figures: list[Figure]) -> None:
    for figure in figures:
        figure.contest_reasons = [
            ContestReason(reason=c.stance, source=c.source, citation=c)
            for c in figure.shown_citations
            if c.stance in OBJECTING_STANCES
        ]


def attach_contest_reasons_by_rule(figures: list[Figure], request) -> None:
    """``attach_contest_reasons`` by the rule itself, at query time: the reference.

    At most two queries, whatever the page size: ``neighbours_by_series`` reads, as
    plain values, the figures that could conflict with the page's; the conflicts
    are found in Python, and a second query fetches the records shown
    for those that conflict. Most neighbours do not, so building model instances
    only for these is what keeps a page fast.
    """
    _attach_objections(figures)
    candidates = [f for f in figures if f.value is not None]
    if not candidates:
        return
    window = timedelta(days=WINDOW_DAYS)
    by_series = neighbours_by_series(
        request,
        incident_ids={f.incident_id for f in candidates},
        measures={f.measure for f in candidates},
        earliest=min(f.as_of for f in candidates),
        latest=max(f.as_of for f in candidates),
    )
    conflicts: list[tuple[Figure, int]] = []
    for figure in candidates:
        mine = _figure_reporter(asserting_citation(figure), request)
        if mine is None:
            continue
        for other in by_series.get((figure.incident_id, figure.group_id, figure.measure), ()):
            if (
                other.figure_id != figure.pk
                and other.value != figure.value
                and abs(other.as_of - figure.as_of) <= window
                and other.reporter != mine
            ):
                conflicts.append((figure, other.pk))
    if not conflicts:
        return
    shown = Citation.objects.select_related(
        "figure", "source__issuer", "source__reported_in"
    ).defer(*SOURCE_TEXTS)
    citations = shown.in_bulk({pk for _, pk in conflicts})
    for figure, pk in conflicts:
        citation = citations[pk]
        figure.contest_reasons.append(
            ContestReason(reason="different_value", source=citation.source, figure=citation.figure)
        )
