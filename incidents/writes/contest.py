"""Contest state kept as data: every write leaves each figure's contest reasons up to date.

The rule (``incidents.reads.contested``) says when a figure is contested: a citation
denies or disputes it, or another reporter gives a different value for the same
incident, group and measure within ``WINDOW_DAYS`` days. What counts depends on what
the reader may see, so the state is kept once per audience (``ContestAudience``):

- ``PUBLIC``: what anyone reads (public records);
- ``SHARED``: what partners and staff without ``view_restricted`` read (public and
  partners records);
- ``ALL``: what staff with ``view_restricted`` read (every live record).

A ``FigureContest`` row is one reason one figure is contested for one audience.
A partner that owns live restricted records reads beyond ``SHARED``, and those
records could change its answer: it gets the rule at query time instead
(``incidents.reads.contested.state_audience``).

**How the writes keep it.** Every write ends in the change feed's flush
(``incidents.integration.changes``), with the records it saved; the flush calls
``refresh_records`` under the feed's lock, which every writer takes in turn until
it commits. The state of a figure depends only on the records of its *series*
(same incident, group and measure): their figures, citations, sources and issuers,
and the incident and group they are in. So a write recomputes, from the
records as they now stand, every series it may have touched:

- a figure: its series, and the series of the figures that held it as a reason
  (where it was before a move);
- a citation: its figure's series, and those of the figures that held it as a reason;
- a source, an actor (as issuer), an incident, a group: the series of every figure
  that cites the source, cites a source the actor issued, or is in the incident or
  group. Records created in the write are left out: nothing cited them before.

Recomputing reads each series' figures and citations as plain values (two queries
for any number of series), applies the rule for the three audiences in Python
(``desired``), and writes only the difference with the stored rows. Since a
recompute sees every commit before it (it runs under the lock, and PostgreSQL reads
committed data at each statement), the last recompute of a series is exact.

The SQL and Python forms of the rule stay the reference: tests replay random writes
from several principals and hold this state equal to both, for every audience;
``rebuild`` (``manage.py rebuild_contest_state``) recomputes everything and reports
what differed.
"""

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from incidents.choices import Stance, Visibility
from incidents.models import (
    Actor,
    Citation,
    ContestAudience,
    ContestReasonKind,
    DetaineeGroup,
    Figure,
    FigureContest,
    Incident,
    Source,
)
from incidents.models.contest import WINDOW_DAYS
from incidents.writes import sqlbulk

AUDIENCES = tuple(ContestAudience)
SHARED = frozenset({Visibility.PUBLIC.value, Visibility.PARTNERS.value})

FIGURE_COLUMNS = (
    "pk",
    "incident_id",
    "group_id",
    "measure",
    "value",
    "as_of",
    "visibility",
    "deleted_at",
    "incident__visibility",
    "incident__deleted_at",
    "group__visibility",
    "group__deleted_at",
    "group__incident__visibility",
    "group__incident__deleted_at",
)
CITATION_COLUMNS = (
    "pk",
    "figure_id",
    "stance",
    "visibility",
    "source_id",
    "source__visibility",
    "source__deleted_at",
    "source__issuer_id",
    "source__issuer__visibility",
    "source__issuer__deleted_at",
)
RULE_STANCES = (Stance.ASSERTS, Stance.DENIES, Stance.DISPUTES)

# (figure id, audience, citation id, reason): one ``FigureContest`` row.
Row = tuple[int, int, int, str]


# What each audience reads (``access.visibility_q``), besides records deleted.
READS = {
    ContestAudience.PUBLIC: frozenset({Visibility.PUBLIC.value}),
    ContestAudience.SHARED: SHARED,
    ContestAudience.ALL: frozenset(Visibility.values),
}


def readable(audience: int, visibility: str | None, deleted_at) -> bool:
    """Whether a record with this visibility may be read by the audience (``visibility_q``)."""
    return deleted_at is None and visibility in READS[audience]


def desired(figures: Iterable[tuple], citations: Iterable[tuple]) -> set[Row]:
    """The rows the rule gives for these figures (whole series, ``FIGURE_COLUMNS``).

    ``citations``: the live citations of those figures with a stance the rule reads
    (``CITATION_COLUMNS``). The Python twin of ``incidents.reads.contested``, for the
    three audiences at once.
    """
    cited: dict[int, list[tuple]] = defaultdict(list)
    for citation in citations:
        cited[citation[1]].append(citation)
    series: dict[tuple, list[tuple]] = defaultdict(list)
    for figure in figures:
        series[(figure[1], figure[2], figure[3])].append(figure)
    rows: set[Row] = set()
    for audience in AUDIENCES:
        for members in series.values():
            _series_rows(audience, members, cited, rows)
    return rows


def _series_rows(audience: int, members: list[tuple], cited: dict, rows: set[Row]) -> None:
    reads = READS[audience]

    def ok(visibility, deleted_at) -> bool:
        return deleted_at is None and visibility in reads

    points = []  # (day, value, reporter, figure id, asserting citation id)
    for (
        pk,
        _incident,
        group_id,
        _measure,
        value,
        as_of,
        visibility,
        deleted_at,
        incident_visibility,
        incident_deleted_at,
        group_visibility,
        group_deleted_at,
        group_incident_visibility,
        group_incident_deleted_at,
    ) in members:
        if not (
            ok(visibility, deleted_at)
            and ok(incident_visibility, incident_deleted_at)
            and (
                group_id is None
                or (
                    ok(group_visibility, group_deleted_at)
                    and ok(group_incident_visibility, group_incident_deleted_at)
                )
            )
        ):
            continue
        asserting = None
        for citation in cited.get(pk, ()):
            (
                citation_pk,
                _figure,
                stance,
                citation_visibility,
                _source,
                source_visibility,
                source_deleted_at,
                _issuer,
                _issuer_visibility,
                _issuer_deleted_at,
            ) = citation
            if not (ok(citation_visibility, None) and ok(source_visibility, source_deleted_at)):
                continue
            if stance == Stance.ASSERTS:
                if asserting is None:
                    asserting = citation
            else:
                rows.add((pk, audience, citation_pk, stance))
        if value is None or asserting is None:
            continue
        issuer_id = asserting[7]
        if issuer_id is not None and ok(asserting[8], asserting[9]):
            reporter = issuer_id
        else:
            reporter = -asserting[4]  # the source stands in for an unknown issuer
        points.append((as_of.toordinal(), value, reporter, pk, asserting[0]))
    if len(points) < 2:
        return
    # By reporter: a figure is compared with other reporters' figures only, so that one
    # reporter's long series (a partner's daily counts) costs no comparisons with itself.
    by_reporter: dict[int, list[tuple]] = defaultdict(list)
    for point in sorted(points):
        by_reporter[point[2]].append(point)
    if len(by_reporter) < 2:
        return
    days = {reporter: [point[0] for point in mine] for reporter, mine in by_reporter.items()}
    for day, value, reporter, pk, _ in points:
        for other_reporter, theirs in by_reporter.items():
            if other_reporter == reporter:
                continue
            their_days = days[other_reporter]
            low = bisect_left(their_days, day - WINDOW_DAYS)
            high = bisect_right(their_days, day + WINDOW_DAYS)
            for _, other_value, _, _, other_citation in theirs[low:high]:
                if other_value != value:
                    rows.add((pk, audience, other_citation, ContestReasonKind.DIFFERENT_VALUE))


def _values(queryset, name: str, values) -> list[tuple]:
    values = sorted(values)
    found: list[tuple] = []
    for chunk in sqlbulk.chunks(values):
        found += queryset.filter(sqlbulk.among(name, chunk))
    return found


SERIES = ("incident_id", "group_id", "measure")


def _series(queryset, name: str, values, prefix: str = "") -> set[tuple]:
    """The series (incident, group, measure) of the figures of ``queryset`` (at ``prefix``)."""
    series = queryset.values_list(*(prefix + column for column in SERIES)).distinct()
    return set(_values(series, name, values))


def series_of(figure_ids: Iterable[int]) -> set[tuple]:
    """The series of these figures (those that still exist)."""
    return _series(Figure._base_manager.all(), "pk", figure_ids)


def _in_series(queryset, keys: set[tuple], prefix: str = "") -> list[tuple]:
    """Rows of ``queryset`` whose figure (at ``prefix``) is in one of these series.

    Read by incident and measure, which an index covers; the group is checked here.
    """
    if not keys:
        return []
    measures = sorted({measure for _, _, measure in keys})
    queryset = queryset.filter(**{f"{prefix}measure__in": measures})
    return _values(queryset, f"{prefix}incident_id", {incident for incident, _, _ in keys})


def series_figures(keys: set[tuple]) -> list[tuple]:
    """Every figure of these series, deleted or not, as ``FIGURE_COLUMNS``."""
    figures = Figure._base_manager.values_list(*FIGURE_COLUMNS)
    return [row for row in _in_series(figures, keys) if (row[1], row[2], row[3]) in keys]


def _rule_citations():
    return Citation._base_manager.filter(
        deleted_at__isnull=True, stance__in=RULE_STANCES
    ).values_list(*CITATION_COLUMNS)


def _stored():
    return FigureContest.objects.values_list("figure_id", "audience", "citation_id", "reason", "pk")


def _stored_rows(rows) -> dict[Row, int]:
    return {tuple(row[:4]): row[4] for row in rows}


@dataclass
class Difference:
    """What a recompute changed: rows added and removed."""

    added: list[Row] = field(default_factory=list)
    removed: list[Row] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed)

    def __iadd__(self, other: "Difference") -> "Difference":
        self.added += other.added
        self.removed += other.removed
        return self


def recompute(keys: set[tuple]) -> Difference:
    """Bring the stored rows of every figure of these series in line with the rule."""
    figures = series_figures(keys)
    if not figures:
        return Difference()
    figure_ids = {row[0] for row in figures}
    citations = [
        row for row in _in_series(_rule_citations(), keys, "figure__") if row[1] in figure_ids
    ]
    want = desired(figures, sorted(citations))
    have = _stored_rows(
        row for row in _in_series(_stored(), keys, "figure__") if row[0] in figure_ids
    )
    return _apply(want, have)


def _apply(want: set[Row], have: dict[Row, int], apply: bool = True) -> Difference:
    """Store ``want`` where ``have`` (stored rows and their keys) was; what differed."""
    difference = Difference(
        added=sorted(want.difference(have)), removed=sorted(set(have).difference(want))
    )
    if apply and difference.removed:
        for chunk in sqlbulk.chunks(sorted(have[row] for row in difference.removed)):
            FigureContest.objects.filter(sqlbulk.among("pk", chunk)).delete()
    if apply and difference.added:
        sqlbulk.insert_rows(FigureContest, difference.added)
    return difference


@dataclass
class Touched:
    """The records a write saved, by kind: ``changed`` existed before it, ``created`` did not."""

    changed: dict[type, set[int]] = field(default_factory=lambda: defaultdict(set))
    created: dict[type, set[int]] = field(default_factory=lambda: defaultdict(set))
    # Figures named by records deleted outright (a hard-deleted citation's figure).
    figures: set[int] = field(default_factory=set)

    def add(self, model, pk: int, created: bool) -> None:
        (self.created if created else self.changed)[model].add(pk)


def touched_series(touched: Touched) -> set[tuple]:
    """The series a write may have changed (see the module docstring)."""
    changed, created = touched.changed, touched.created
    figures = Figure._base_manager.all()
    cited = Citation._base_manager.filter(figure__isnull=False)
    held = FigureContest.objects.all()
    keys = _series(figures, "pk", touched.figures | changed[Figure] | created[Figure])
    keys |= _series(cited, "pk", changed[Citation] | created[Citation], "figure__")
    # Where a changed figure or citation was a reason: its former series, if it moved.
    keys |= _series(held, "citation_id", changed[Citation], "figure__")
    keys |= _series(held, "citation__figure_id", changed[Figure], "figure__")
    keys |= _series(figures, "incident_id", changed[Incident])
    keys |= _series(figures, "group__incident_id", changed[Incident])
    keys |= _series(figures, "group_id", changed[DetaineeGroup])
    keys |= _series(cited, "source_id", changed[Source], "figure__")
    keys |= _series(cited, "source__issuer_id", changed[Actor], "figure__")
    return keys


def refresh_records(touched: Touched) -> Difference:
    """Recompute the series these saved records may have changed (called by every write)."""
    return recompute(touched_series(touched))


def refresh_figures(figure_ids: Iterable[int]) -> Difference:
    """Recompute the series of these figures (for writers that bypass the change feed)."""
    return recompute(series_of(figure_ids))


def rebuild(*, apply: bool = True, batch: int = 2000, incident_after: int = 0) -> Difference:
    """Recompute the state of every figure from the records; with ``apply``, store it.

    Series are taken a batch of incidents at a time, so memory stays bounded.
    Returns what differed (what was, or would be, added and removed).
    ``incident_after``: only the figures of incidents with a greater key (a bulk
    load's, which adds incidents and their figures together).
    """
    total = Difference()
    incidents = list(
        Figure._base_manager.filter(incident_id__gt=incident_after)
        .order_by("incident_id")
        .values_list("incident_id", flat=True)
        .distinct()
    )
    for start in range(0, len(incidents), batch):
        chosen = incidents[start : start + batch]
        figures = _values(Figure._base_manager.values_list(*FIGURE_COLUMNS), "incident_id", chosen)
        # By incident, as the figures: lists of every figure's key would cost more to send.
        citations = _values(_rule_citations(), "figure__incident_id", chosen)
        want = desired(figures, sorted(citations))
        have = _stored_rows(_values(_stored(), "figure__incident_id", chosen))
        total += _apply(want, have, apply)
    if incident_after:
        return total
    # Rows of figures that no longer exist cannot outlive them (the key cascades), but a
    # restored backup or a hand edit might leave rows whose figure has none of its own.
    orphans = FigureContest.objects.exclude(figure_id__in=Figure._base_manager.values("pk"))
    orphan_rows = list(orphans.values_list("figure_id", "audience", "citation_id", "reason"))
    if orphan_rows:
        total.removed += [tuple(row) for row in orphan_rows]
        if apply:
            orphans.delete()
    return total
