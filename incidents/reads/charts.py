"""The timeline chart: an incident's figures over time, as SVG or PNG (matplotlib).

It draws ``queries.timeline``'s answer, so it shows exactly what the timeline
lists to the same caller: one panel per series of the timeline (a measure, for
one group or for an incident as a whole), the date on the x axis, the number
on the y axis, and one line per *reporter*: the issuer of each figure's
reporting source, or the source itself when it has no issuer (or when the
caller may not read the issuer, whose name is then never shown). So the
chart never collapses what different sources say into one line.

- a range (``value_low``/``value_high``) is a vertical bar;
- a figure the caller sees as contested (``incidents.reads.contested``) has a red ring;
- a date the source did not give to the day ("mid-November", "in August") has a
  hollow marker, and a month or a year a horizontal bar over its period;
- a figure with no number ("several") is a dashed vertical line at its date.

Each request draws on its own ``matplotlib.figure.Figure``, never through
pyplot's global figures, so requests can draw at the same time. The same data
in the same language gives the same bytes: the SVG's ids come from a fixed
salt and neither format carries a date.
"""

import io
import textwrap
from calendar import monthrange
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import matplotlib as mpl
from django.utils import dateformat
from django.utils.text import slugify
from django.utils.translation import gettext as _
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, date2num, num2date
from matplotlib.figure import Figure as MplFigure
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedFormatter, FixedLocator, Formatter, MaxNLocator
from matplotlib.transforms import blended_transform_factory

from incidents.access import Principal, readable_by
from incidents.choices import DatePrecision, Measure
from incidents.models import Figure
from incidents.reads.contested import asserting_citation
from incidents.reads.queries import Series, Timeline

FORMATS = ("svg", "png")
# Print resolution of the PNG: 120 dpi makes the two-column chart about 1,300 px wide.
PNG_DPI = 120

# The SVG backend reads these from the global rcParams when it writes, and has no
# argument for them. They are set once, here, to constants, and never changed per
# request (``rc_context`` would swap the globals under a chart drawing in another
# thread). Text stays text (searchable, selectable, translatable), and ids derive
# from a fixed salt rather than a random one, so the same chart is the same bytes.
mpl.rcParams["svg.fonttype"] = "none"
mpl.rcParams["svg.hashsalt"] = "incident-timeline-chart"

# Reporters' colours: matplotlib's tab10 without its red, which marks contested figures.
_TAB10 = mpl.colormaps["tab10"].colors
PALETTE = [colour for n, colour in enumerate(_TAB10) if n != 3]
MARKERS = ("o", "s", "D", "p", "h")  # after nine reporters, colours repeat with another shape
CONTESTED_COLOUR = _TAB10[3]
NEUTRAL = "#555555"
# How a contested figure is marked, on the chart and in its legend.
CONTESTED_RING = {
    "linestyle": "none",
    "marker": "o",
    "markerfacecolor": "none",
    "markeredgecolor": CONTESTED_COLOUR,
    "markeredgewidth": 1.8,
}

# The layout, in inches. It is worked out here rather than by matplotlib's constrained
# layout, which measures every label several times over and took half of the drawing
# time; panel titles and legend entries are cut to a known number of lines instead.
WIDTH_ONE, WIDTH_TWO = 7.0, 11.0
LEFT, RIGHT, BETWEEN_COLUMNS = 0.85, 0.45, 0.85
HEADER = 0.55  # the incident's title, one line (0.25 more for a second)
PANEL_TITLE = 0.5  # two lines
AXES_HEIGHT = 1.6
TICK_LABELS = 0.5  # two lines: the day and month, and the year where it changes
AXIS_LABEL = 0.25
LEGEND_LINE = 0.19
WRAP = 48  # characters: legend entries wrap beyond this
TITLE_WIDTH = 64  # characters: each line of a panel title is cut beyond this


@dataclass(frozen=True)
class Point:
    """One figure as drawn: where, what it says, and how sure its date and number are."""

    x: float
    start: float  # the period its date stands for (a month, a year); equal to x otherwise
    end: float
    y: float | None  # None: no number ("several")
    low: float | None
    high: float | None
    label: str
    approximate: bool
    contested: bool


@dataclass
class Reporter:
    """Who reported a set of figures, as the caller may see it."""

    key: tuple
    name: str


@dataclass
class Line:
    reporter: Reporter
    points: list[Point] = field(default_factory=list)


@dataclass
class Panel:
    title: str
    lines: list[Line] = field(default_factory=list)


def plain(text: str) -> str:
    """Text matplotlib must print as it is: a "$" would otherwise start a formula."""
    return text.replace("$", r"\$")


def wrapped(text: str, width: int = WRAP, lines: int = 2) -> str:
    """At most ``lines`` lines of ``width`` characters, the last cut with an ellipsis."""
    return "\n".join(textwrap.wrap(text, width, max_lines=lines, placeholder=" …")) or text


def reporter_of(figure: Figure, principal: Principal | None) -> Reporter:
    """The issuer of the figure's reporting source, else the source; by what the caller sees.

    An issuer the caller may not read is left out, name and identity: its
    sources are then separate reporters, so joining their lines cannot tell
    that they share a hidden issuer.
    """
    citation = asserting_citation(figure)
    if citation is None:
        return Reporter(key=("none",), name=_("unknown source"))
    source = citation.source
    issuer = source.issuer if source.issuer_id else None
    if issuer is not None and readable_by(issuer, principal):
        return Reporter(key=("actor", issuer.pk), name=issuer.name)
    return Reporter(key=("source", source.pk), name=source.title)


def period(figure: Figure) -> tuple[date, date]:
    """The days the figure's date stands for: the month or the year it names, or the day."""
    day = figure.as_of
    if figure.as_of_precision == DatePrecision.MONTH:
        return day.replace(day=1), day.replace(day=monthrange(day.year, day.month)[1])
    if figure.as_of_precision == DatePrecision.YEAR:
        return date(day.year, 1, 1), date(day.year, 12, 31)
    return day, day


def point_of(figure: Figure) -> Point:
    """Where a figure goes: its value, else the middle of its range, else its one bound."""
    low, high = figure.value_low, figure.value_high
    if figure.value is not None:
        y = figure.value
    elif low is not None and high is not None:
        y = (low + high) / 2
    else:
        y = low if low is not None else high
    start, end = period(figure)
    return Point(
        x=date2num(figure.as_of),
        start=date2num(start),
        end=date2num(end),
        y=y,
        low=low,
        high=high,
        label=figure.display_value,
        approximate=figure.as_of_precision != DatePrecision.EXACT,
        contested=bool(getattr(figure, "contest_reasons", ())),
    )


def short(text: str, width: int) -> str:
    """One line of at most ``width`` characters, cut at a word with an ellipsis."""
    return textwrap.shorten(text, width, placeholder=" …") or text[:width]


def series_title(series: Series, timeline: Timeline) -> str:
    """What a panel counts: the measure and the group; a nested incident's title below."""
    measure = str(Measure(series.measure).label)
    if series.group is not None:
        title = _("%(measure)s: %(group)s") % {"measure": measure, "group": series.group.label}
    else:
        title = measure
    title = short(title, TITLE_WIDTH)
    if series.incident.pk != timeline.incident.pk:
        title = f"{title}\n({short(series.incident.title, TITLE_WIDTH - 2)})"
    return title


def panels_of(timeline: Timeline, principal: Principal | None) -> list[Panel]:
    """The timeline's series as panels of lines, one line per reporter, in the timeline's order."""
    panels = []
    for series in timeline.series:
        panel = Panel(title=series_title(series, timeline))
        lines: dict[tuple, Line] = {}
        for figure in series.points:
            reporter = reporter_of(figure, principal)
            line = lines.setdefault(reporter.key, Line(reporter))
            line.points.append(point_of(figure))
        panel.lines = list(lines.values())
        panels.append(panel)
    return panels


class DateFormatter(Formatter):
    """Tick labels as "15 Nov", with the year under the first and wherever it changes.

    Django formats them, so month names follow the active language ("15 Dic" in
    Spanish) like the rest of the chart.
    """

    def __call__(self, x, pos=None):
        return dateformat.format(num2date(x).date(), "j M Y")

    def format_ticks(self, values):
        labels, year = [], None
        for value in values:
            day = num2date(value).date()
            label = dateformat.format(day, "j M")
            if day.year != year:
                label = f"{label}\n{day.year}"
                year = day.year
            labels.append(label)
        return labels


def _colours(panels: Sequence[Panel]) -> dict[tuple, tuple[tuple, str]]:
    """Each reporter's colour and marker, the same in every panel, by first appearance."""
    styles: dict[tuple, tuple[tuple, str]] = {}
    for panel in panels:
        for line in panel.lines:
            if line.reporter.key not in styles:
                n = len(styles)
                styles[line.reporter.key] = (
                    PALETTE[n % len(PALETTE)],
                    MARKERS[(n // len(PALETTE)) % len(MARKERS)],
                )
    return styles


FIRST_DAY, LAST_DAY = date2num(date(1, 1, 1)), date2num(date(9999, 12, 31))


def _x_limits(panels: Sequence[Panel]) -> tuple[float, float]:
    """One date range for every panel, so that panels line up; a week either side at least."""
    xs = [v for p in panels for line in p.lines for pt in line.points for v in (pt.start, pt.end)]
    first, last = min(xs), max(xs)
    margin = max(7.0, (last - first) * 0.06)
    return max(first - margin, FIRST_DAY), min(last + margin, LAST_DAY)


def _date_ticks(limits: tuple[float, float]) -> tuple[list[float], list[str]]:
    """The date ticks and their labels, worked out once for all panels (they share a range)."""
    start, end = (num2date(x) for x in limits)
    ticks = [
        x
        for x in AutoDateLocator(minticks=3, maxticks=7).tick_values(start, end)
        if limits[0] <= x <= limits[1]
    ]
    return ticks, DateFormatter().format_ticks(ticks)


def _draw_panel(ax, panel: Panel, index: int, styles, limits, ticks) -> None:
    top = 0.0
    number_axes = blended_transform_factory(ax.transData, ax.transAxes)
    right_of = limits[0] + 0.7 * (limits[1] - limits[0])
    for n, line in enumerate(panel.lines):
        colour, marker = styles[line.reporter.key]
        numbered = [p for p in line.points if p.y is not None]
        if numbered:
            ax.plot(
                [p.x for p in numbered],
                [p.y for p in numbered],
                color=colour,
                marker="none",
                linewidth=1.6,
                gid=f"chart-line-{index}-{n}",
            )
            for approximate in (False, True):
                chosen = [p for p in numbered if p.approximate == approximate]
                if chosen:
                    ax.plot(
                        [p.x for p in chosen],
                        [p.y for p in chosen],
                        linestyle="none",
                        marker=marker,
                        markersize=6.5,
                        color=colour,
                        markerfacecolor="white" if approximate else colour,
                        markeredgewidth=1.5,
                        zorder=3,
                        clip_on=False,  # a zero sits on the axis, whole
                    )
        for p in numbered:
            top = max(top, p.y, p.high or 0)
            if p.low is not None or p.high is not None:
                low = p.low if p.low is not None else p.y
                high = p.high if p.high is not None else p.y
                ax.errorbar(
                    [p.x],
                    [p.y],
                    yerr=[[p.y - low], [high - p.y]],
                    fmt="none",
                    ecolor=colour,
                    elinewidth=1.2,
                    capsize=4,
                    zorder=2,
                )
            if p.end > p.start:  # a month or a year, not a day
                ax.hlines(p.y, p.start, p.end, colors=colour, linewidth=3, alpha=0.35)
            left = p.x > right_of  # near the right edge, a label goes left of its point
            ax.annotate(
                plain(p.label),
                (p.x, p.y),
                xytext=(-6 if left else 6, 5),
                textcoords="offset points",
                ha="right" if left else "left",
                fontsize=7.5,
                color=CONTESTED_COLOUR if p.contested else "#222222",
            )
        for p in line.points:
            if p.y is None:  # no number: a mark at the date, not a point at zero
                ax.axvline(p.x, color=colour, linestyle="--", linewidth=1.2)
                label = p.label + (f" ({_('contested')})" if p.contested else "")
                left = p.x > right_of
                ax.text(
                    p.x,
                    0.96,
                    f"{plain(label)} " if left else f" {plain(label)}",
                    transform=number_axes,
                    fontsize=7.5,
                    va="top",
                    ha="right" if left else "left",
                    color=CONTESTED_COLOUR if p.contested else "#222222",
                )
    contested = [p for line in panel.lines for p in line.points if p.contested and p.y is not None]
    if contested:
        ax.plot(
            [p.x for p in contested],
            [p.y for p in contested],
            markersize=14,
            **CONTESTED_RING,
            zorder=4,
            clip_on=False,
            gid=f"chart-contested-{index}",
        )
    ax.set_title(plain(panel.title), loc="left", fontsize=9.5)
    ax.set_xlim(*limits)
    ax.set_ylim(0, top * 1.25 if top > 0 else 1)
    if top == 0 and not any(p.y is not None for line in panel.lines for p in line.points):
        ax.set_yticks([])
    else:
        ax.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True, min_n_ticks=2))
    ax.xaxis.set_major_locator(FixedLocator(ticks[0]))
    ax.xaxis.set_major_formatter(FixedFormatter(ticks[1]))
    ax.tick_params(labelsize=8)
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _legend_handles(panels: Sequence[Panel], styles) -> tuple[list, list[str]]:
    handles, labels, seen = [], [], set()
    for panel in panels:
        for line in panel.lines:
            if line.reporter.key in seen:
                continue
            seen.add(line.reporter.key)
            colour, marker = styles[line.reporter.key]
            handles.append(Line2D([], [], color=colour, marker=marker, linewidth=1.6))
            labels.append(plain(wrapped(line.reporter.name)))
    points = [p for panel in panels for line in panel.lines for p in line.points]
    if any(p.contested for p in points):
        handles.append(Line2D([], [], markersize=11, **CONTESTED_RING))
        labels.append(_("contested"))
    if any(p.approximate for p in points):
        handles.append(
            Line2D([], [], linestyle="none", marker="o", color=NEUTRAL, markerfacecolor="white")
        )
        labels.append(_("approximate date"))
    if any(p.low is not None or p.high is not None for p in points):
        handles.append(Line2D([], [], color=NEUTRAL, marker="_", markersize=8, linewidth=1.2))
        labels.append(_("range"))
    return handles, labels


def draw(timeline: Timeline, principal: Principal | None) -> MplFigure:
    """The chart of a timeline as the principal may see it (None: staff in the admin)."""
    title = plain(wrapped(timeline.incident.title, 90))
    header = HEADER + 0.25 * title.count("\n")
    panels = panels_of(timeline, principal)
    if not panels:
        figure = MplFigure(figsize=(WIDTH_ONE, header + 1.0))
        FigureCanvasAgg(figure)
        figure.suptitle(title, fontsize=12, fontweight="bold", y=1 - 0.15 / (header + 1.0))
        figure.text(0.5, 0.4, _("No figures"), ha="center", va="center", fontsize=11, color=NEUTRAL)
        return figure

    columns = 1 if len(panels) == 1 else 2
    rows = -(-len(panels) // columns)
    styles = _colours(panels)
    handles, labels = _legend_handles(panels, styles)
    legend_columns = 1 if columns == 1 else 3
    per_column = -(-len(labels) // legend_columns)
    legend_lines = max(
        sum(label.count("\n") + 1 for label in labels[n : n + per_column])
        for n in range(0, len(labels), per_column)
    )
    legend = legend_lines * LEGEND_LINE + 0.2
    width = WIDTH_ONE if columns == 1 else WIDTH_TWO
    row = PANEL_TITLE + AXES_HEIGHT + TICK_LABELS
    height = header + rows * row + AXIS_LABEL + legend
    axes_width = (width - LEFT - RIGHT - (columns - 1) * BETWEEN_COLUMNS) / columns
    figure = MplFigure(figsize=(width, height))
    FigureCanvasAgg(figure)
    figure.suptitle(title, fontsize=12, fontweight="bold", y=1 - 0.15 / height)
    axes = figure.subplots(
        rows,
        columns,
        squeeze=False,
        gridspec_kw={
            "left": LEFT / width,
            "right": 1 - RIGHT / width,
            "top": 1 - (header + PANEL_TITLE) / height,
            "bottom": (legend + AXIS_LABEL + TICK_LABELS) / height,
            "hspace": (TICK_LABELS + PANEL_TITLE) / AXES_HEIGHT,
            "wspace": BETWEEN_COLUMNS / axes_width,
        },
    ).flatten()
    limits = _x_limits(panels)
    ticks = _date_ticks(limits)
    for index, (ax, panel) in enumerate(zip(axes, panels, strict=False)):
        _draw_panel(ax, panel, index, styles, limits, ticks)
        if index % columns == 0:
            ax.set_ylabel(_("number of people"), fontsize=8.5)
        if index >= len(panels) - columns:
            ax.set_xlabel(_("as of"), fontsize=8.5)
    for ax in axes[len(panels) :]:
        ax.remove()
    figure.legend(
        handles,
        labels,
        loc="lower center",
        bbox_to_anchor=(0.5, 0.1 / height),
        ncols=legend_columns,
        fontsize=8.5,
        frameon=False,
    )
    return figure


def render(timeline: Timeline, principal: Principal | None, fmt: str = "svg") -> bytes:
    """The chart as SVG or PNG bytes; the same timeline in the same language, the same bytes."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown chart format {fmt!r}; use one of {FORMATS}.")
    figure = draw(timeline, principal)
    buffer = io.BytesIO()
    title = timeline.incident.title
    if fmt == "svg":
        metadata = {"Title": title, "Date": None, "Creator": None}
        figure.savefig(buffer, format="svg", metadata=metadata)
    else:
        metadata = {"Title": title, "Software": None}
        figure.savefig(buffer, format="png", dpi=PNG_DPI, metadata=metadata)
    return buffer.getvalue()


def disposition(incident, fmt: str) -> str:
    """The Content-Disposition of a chart: shown inline, saved as the incident's title.

    The file name is the title as a slug (the incident's id if that is empty).
    """
    name = slugify(incident.title)[:80].strip("-") or str(incident.uuid)
    return f'inline; filename="{name}-timeline.{fmt}"'
