"""The draft records the extractor produces: plain data, no Django.

A draft is what a careful reader would note down from one article before a
human reviews it. Records refer to each other by actor name, group label or ``key`` (a short,
stable slug derived from the text), never by database ids, so the same article always gives
the same draft and the fixture builder can turn keys into stable UUIDs.

Every record carries ``quote``: the exact characters of the article it came
from (a substring of the article text, never paraphrased), so a reviewer can
find it and the database can check it.

Codes used in the fields are the project's codes (see ``incidents.choices`` and
the Term vocabularies); they are repeated here as plain strings because this
package must not import Django.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

# Date precisions: "exact" (the day is known), "approximate" (a period such as
# "mid-November" or "this week", stored at its midpoint), "month", "year".
PRECISIONS = ("exact", "approximate", "month", "year")

ACTOR_KINDS = (
    "ngo",
    "intergovernmental",
    "un_mechanism",
    "state_body",
    "security_force",
    "person",
    "media",
    "group",
)
SOURCE_KINDS = (
    "news_article",
    "ngo_statement",
    "ngo_report",
    "un_statement",
    "igo_statement",
    "government_statement",
    "social_media_post",
    "testimony",
)
INCIDENT_KINDS = (
    "crackdown",
    "mass_detention",
    "arrest",
    "release",
    "killing",
    "protest",
    "other",
)
MEASURES = (
    "detained",
    "still_detained",
    "released",
    "killed",
    "charged",
    "injured",
    "disappeared",
)
QUALIFIERS = ("exact", "at_least", "more_than", "approximately", "at_most", "unspecified")
CITIZENSHIPS = ("national", "foreign", "dual", "unknown")
AFFILIATIONS = ("civilian", "military", "unknown")
SEXES = ("male", "female", "mixed", "unknown")
ALLEGATION_STATUSES = ("alleged", "corroborated", "acknowledged", "denied", "disputed")
STANCES = ("asserts", "corroborates", "acknowledges", "denies", "disputes")
TARGET_KINDS = ("incident", "group", "figure", "allegation")
# Codes a record's ``warnings`` may hold (language-neutral; the preview translates them).
REPORTER_UNKNOWN = "reporter_unknown"  # no one in the text is found to report it
WARNINGS = (REPORTER_UNKNOWN,)


@dataclass
class DraftActor:
    """An organisation, person, state body or group named in the article.

    Other records refer to an actor by its ``name``.
    """

    name: str
    kind: str  # one of ACTOR_KINDS
    quote: str
    country: str | None = None  # ISO 3166-1 alpha-2
    parent: str | None = None  # name of another DraftActor (Alfredo Romero -> Foro Penal)
    role: str | None = None  # "director", "interior minister", "secretary general"


@dataclass
class DraftSource:
    """A statement the article reports (reached us through the article)."""

    key: str
    kind: str  # one of SOURCE_KINDS
    title: str
    quote: str
    issuer: str | None = None  # name of a DraftActor
    date: str | None = None  # ISO date
    date_precision: str | None = None  # one of PRECISIONS


@dataclass
class DraftIncident:
    """An event or pattern of events; ``parent`` nests it in another."""

    key: str
    title: str
    kind: str  # one of INCIDENT_KINDS
    quote: str
    summary: str = ""
    country: str | None = None
    location: str = ""
    parent: str | None = None  # key of another DraftIncident
    start_date: str | None = None
    start_precision: str | None = None
    end_date: str | None = None
    end_precision: str | None = None


@dataclass
class DraftGroup:
    """A population of detained people that figures count.

    Other records refer to a group by its ``label``.
    """

    label: str
    incident: str  # key of a DraftIncident
    quote: str
    age_min: int | None = None
    age_max: int | None = None
    sex: str = "unknown"
    citizenship: str = "unknown"
    nationality: str | None = None  # ISO 3166-1 alpha-2
    affiliation: str = "unknown"
    charges: str = ""


@dataclass
class DraftFigure:
    """One number one source reported about a group or an incident, as of a date."""

    key: str
    value: int | None
    qualifier: str  # one of QUALIFIERS
    measure: str  # one of MEASURES
    incident: str  # key of a DraftIncident
    quote: str
    group: str | None = None  # label of a DraftGroup
    value_low: int | None = None
    value_high: int | None = None
    as_of: str | None = None  # ISO date
    as_of_precision: str | None = None
    reported_by: str | None = None  # name of a DraftActor
    source: str | None = None  # key of a DraftSource (the statement that asserts it)
    # What the reviewer must check, as codes (see WARNINGS): "reporter_unknown" when no
    # reporter was found in the text. Shown in the preview, never saved.
    warnings: list[str] = field(default_factory=list)
    # Start of the period a count runs over ("2,229 arrested since July 16"): shown to
    # the reviewer; a Figure has no field for it, so saving leaves it out.
    since: str | None = None  # ISO date


@dataclass
class DraftAllegation:
    """A claimed violation, with the methods named, as Term codes."""

    key: str
    violation_type: str  # Term code in the "violation" vocabulary
    incident: str  # key of a DraftIncident
    quote: str
    methods: list[str] = field(default_factory=list)  # Term codes, "method" vocabulary
    status: str = "alleged"
    victim_group: str | None = None  # label of a DraftGroup
    perpetrator: str | None = None  # name of a DraftActor
    reported_by: str | None = None  # name of a DraftActor
    source: str | None = None  # key of a DraftSource
    summary: str = ""
    warnings: list[str] = field(default_factory=list)  # as on DraftFigure


@dataclass
class DraftStance:
    """Someone's position on a record: a denial, an acknowledgement, a dispute ..."""

    key: str
    stance: str  # one of STANCES other than "asserts"
    target_kind: str  # one of TARGET_KINDS
    target: str  # key of that incident/figure/allegation, label of that group
    quote: str
    actor: str | None = None  # name of a DraftActor
    source: str | None = None  # key of a DraftSource
    note: str = ""


@dataclass
class Draft:
    """Everything extracted from one article."""

    reference_date: str  # ISO date used to resolve "Tuesday", "this week" ...
    language: str = "en"
    actors: list[DraftActor] = field(default_factory=list)
    sources: list[DraftSource] = field(default_factory=list)
    incidents: list[DraftIncident] = field(default_factory=list)
    groups: list[DraftGroup] = field(default_factory=list)
    figures: list[DraftFigure] = field(default_factory=list)
    allegations: list[DraftAllegation] = field(default_factory=list)
    stances: list[DraftStance] = field(default_factory=list)

    def to_dict(self) -> dict:
        """A JSON-ready dict; order of records is the order found in the text."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Draft:
        """The draft ``to_dict`` gave (a preview form carries it between requests).

        Unknown keys are refused (TypeError), so a draft from another version of
        this module fails loudly instead of losing fields.
        """
        values = {k: v for k, v in data.items() if k not in _RECORD_LISTS}
        for name, kind in _RECORD_LISTS.items():
            values[name] = [kind(**item) for item in data.get(name, [])]
        return cls(**values)


_RECORD_LISTS = {
    "actors": DraftActor,
    "sources": DraftSource,
    "incidents": DraftIncident,
    "groups": DraftGroup,
    "figures": DraftFigure,
    "allegations": DraftAllegation,
    "stances": DraftStance,
}
