"""Orchestration: read an article sentence by sentence and assemble a ``Draft``.

Pipeline (see docs/extraction.md for the full rule book):

1. ``text.sentences`` splits the article, keeping exact offsets.
2. For each sentence: dates (``dates.find_dates``), ages and amounts
   (``numbers``), population mentions (``lexicon.POPULATIONS``), the reporting
   statement (who says it, when), figures, allegations, charges and stances.
3. Reporter carry-over: a sentence without a reporter continues the statement of
   the previous sentence of its paragraph; the first such sentence of a paragraph
   continues the previous paragraph's statement only when it counts a population
   that paragraph counted too ("same topic").
4. After the last sentence: populations are merged into groups, duplicate figures
   become corroborating stances, incidents are built (one top incident, children
   per special population and per authority announcing releases), every record is
   attached to the most specific incident, and keys are assigned.

Everything is deterministic: records come out in text order and keys are slugs
of their content with a numeric suffix on collision.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from incidents.extraction import figure_patterns, layout, lexicon, rx, speakers
from incidents.extraction.actors import (
    ActorMention,
    ActorRecord,
    ActorRegistry,
    classify,
    noun_phrase_after,
    parse_np,
    subject_before,
)
from incidents.extraction.dates import DateMention, find_dates
from incidents.extraction.draft import (
    REPORTER_UNKNOWN,
    Draft,
    DraftActor,
    DraftAllegation,
    DraftFigure,
    DraftGroup,
    DraftIncident,
    DraftSource,
    DraftStance,
)
from incidents.extraction.numbers import Quantity, find_age_ranges, find_quantities
from incidents.extraction.text import Sentence, sentences

# Special populations that get their own child incident: category -> (key, title).
SPECIAL_INCIDENTS = {
    "minors": ("detention-of-minors", "Detention of minors"),
    "journalists": ("detention-of-journalists", "Detention of journalists"),
    "lawyers": ("detention-of-lawyers", "Detention of lawyers"),
    "clergy": ("detention-of-clergy", "Detention of clergy"),
}
FOREIGN_INCIDENT = ("arrests-of-foreign-nationals", "Arrests of foreign nationals")


def slugify(text: str) -> str:
    """ASCII slug for keys: "Attorney General's Office" -> "attorney-generals-office"."""
    import unicodedata

    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = rx.sub(r"['\u2019]", "", text.lower())
    return rx.sub(r"[^a-z0-9]+", "-", text).strip("-")


# ---------------------------------------------------------------------------
# Internal records, resolved to Draft records at the end.


# The word lists' patterns, compiled once: the population and trigger loops run them
# over every sentence.
_NATIONALITY_RE = re.compile(
    rf"(?P<dem>{lexicon.DEMONYM_RE.pattern})(?:\s+(?P<noun>nationals|citizens))?"
    r"(?P<dual>\s+with\s+dual\s+(?:citizenship|nationality))?"
)
_MEASURE_PHRASES = [
    (re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE), measure)
    for pattern, measure in lexicon.MEASURE_PHRASES
]
_POPULATIONS = [
    (re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE), category, attrs)
    for pattern, category, attrs in lexicon.POPULATIONS
]
_GENERIC_PEOPLE_RE = re.compile(rf"\b(?:{lexicon.GENERIC_PEOPLE})\b", re.IGNORECASE)
_STATEMENT_VERB_RE = re.compile(
    rf"\b(?:{lexicon.REPORT_VERBS}|{speakers.EXTRA_VERBS}|denied|acknowledged|admitted"
    r"|conceded|insisted)\b"
)
_VIOLATIONS = [(re.compile(pattern, re.IGNORECASE), code) for pattern, code in lexicon.VIOLATIONS]
_METHODS = [(re.compile(pattern, re.IGNORECASE), code) for pattern, code in lexicon.METHODS]


def _any_of(patterns) -> re.Pattern:
    """One pattern that matches where any of ``patterns`` does (case ignored).

    Most sentences name no population, violation or method at all: one search with
    this says so, where the loops would run every pattern of the list. It only
    decides whether to run them, so what they find is unchanged.
    """
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


_ANY_POPULATION_RE = _any_of(
    [rf"\b(?:{pattern})\b" for pattern, _, _ in lexicon.POPULATIONS]
    + [rf"\b(?:{pattern})\b" for pattern, _ in lexicon.MEASURE_PHRASES]
)
_ANY_TRIGGER_RE = _any_of([p for p, _ in lexicon.VIOLATIONS] + [p for p, _ in lexicon.METHODS])


@dataclass
class _Pop:
    """A population mention in one sentence."""

    start: int
    end: int
    category: str | None  # None: generic people ("individuals") or a measure noun
    attrs: dict = field(default_factory=dict)
    measure: str | None = None  # set for "27 dead"
    cluster: _Cluster | None = None


@dataclass
class _Cluster:
    """One population across the article (what becomes a DraftGroup)."""

    category: str
    quote: str
    age_min: int | None = None
    age_max: int | None = None
    sex: str = "unknown"
    citizenship: str = "unknown"
    nationality: str | None = None
    affiliation: str = "unknown"
    charges: str = ""
    incident: str | None = None

    @property
    def label(self) -> str:
        if self.category == "minors":
            if self.age_min is not None and self.age_max is not None:
                return f"minors aged {self.age_min}-{self.age_max}"
            if self.age_max is not None and self.age_max != 17:
                return f"minors under {self.age_max + 1}"
            return "minors"
        if self.category.startswith("nat:"):
            adjective = lexicon.DEMONYM_ADJECTIVE.get(self.nationality or "", self.nationality)
            return f"{adjective} nationals"
        return self.category


@dataclass
class _Statement:
    """A reporting statement: who said it, when, and its DraftSource key."""

    speaker: ActorRecord
    source: _Source
    paragraph: int


@dataclass
class _Source:
    key: str
    kind: str
    issuer: ActorRecord
    quote: str
    date: date | None
    precision: str | None
    paragraph: int


@dataclass
class _Figure:
    value: int | None
    qualifier: str
    measure: str
    sentence: Sentence
    cluster: _Cluster | None
    value_low: int | None = None
    value_high: int | None = None
    as_of: date | None = None
    precision: str | None = None
    statement: _Statement | None = None
    key: str = ""
    incident: str = ""
    dropped: bool = False
    since: date | None = None  # start of the period counted ("since July 16")
    part_of: _Figure | None = None  # the count this one is a part of ("37 of them")
    pos: int = -1  # where the amount starts in its sentence (-1: not from an amount)


@dataclass
class _Allegation:
    violation: str
    sentence: Sentence
    methods: list[str]
    cluster: _Cluster | None
    perpetrator: ActorRecord | None
    statement: _Statement | None
    key: str = ""
    incident: str = ""


@dataclass
class _Stance:
    stance: str
    sentence: Sentence
    actor: ActorRecord | None
    source: _Source | None
    target: object  # _Figure | _Cluster | _Allegation | str (incident key)
    note: str = ""


@dataclass(frozen=True)
class IncidentWords:
    """How a language names and sums up the incidents a draft builds, and finds elections.

    The incidents are built the same way in every language (``_Extractor._incidents``);
    only these words and patterns differ. Formats take ``{country}``, ``{date}``,
    ``{labels}``, ``{incident}``, ``{charge}`` and ``{name}``.
    """

    countries: dict[str, str]  # ISO code -> the country's name
    crackdown_re: re.Pattern
    election_re: re.Pattern  # the article is about the aftermath of an election
    election_event_re: re.Pattern  # a date within ``window`` characters is the election's
    window: int
    crackdown: str
    post_election_crackdown: str
    killings: str
    mass_detentions: str
    where: str
    after_election: str
    articles: dict[str, str]  # incident kind -> the article before its title in a sentence
    special_titles: dict[str, str]  # special population -> its incident's title
    special_summary: str
    arrests_of: str
    accused_of: str
    no_proof: str
    foreign_title: str
    releases_by: str


ENGLISH_INCIDENT_WORDS = IncidentWords(
    countries=lexicon.ISO_TO_NAME,
    crackdown_re=lexicon.CRACKDOWN_RE,
    election_re=re.compile(
        r"\bpost-election\b|\b(?:after|following|since|aftermath\s+of)\b[^.]{0,80}?"
        r"\b(?:election|vote|polls)\b",
        re.IGNORECASE,
    ),
    election_event_re=re.compile(r"election|vote|polls|referendum"),
    window=30,
    crackdown="Crackdown",
    post_election_crackdown="Post-election crackdown",
    killings="Killings",
    mass_detentions="Mass detentions",
    where=" in {country}",
    after_election=", after the election of {date}",
    articles={"crackdown": "the ", "killing": "the ", "mass_detention": "the "},
    special_titles={category: title for category, (_, title) in SPECIAL_INCIDENTS.items()},
    special_summary="Detention of {labels} during {incident}.",
    arrests_of="Arrests of {labels}",
    accused_of="; accused of {charge}",
    no_proof=" (no proof presented)",
    foreign_title=FOREIGN_INCIDENT[1],
    releases_by="Releases announced by the {name}",
)


# ---------------------------------------------------------------------------


class _Extractor:
    # The group record; a language may label its groups in its own words.
    cluster_type: type[_Cluster] = _Cluster
    # What the incidents are called, in the article's language.
    incident_words: IncidentWords = ENGLISH_INCIDENT_WORDS
    # An undated statement by an issuer continues its last dated one, however far back.
    continue_statements = True

    def __init__(self, text: str, reference: date, country_hint: str | None) -> None:
        self.text = text
        self.ref = reference
        self.sents = sentences(text)
        self.country = country_hint or self._main_country()
        self.actors = ActorRegistry(self.country)
        self.sources: list[_Source] = []
        self.clusters: list[_Cluster] = []
        self.figures: list[_Figure] = []
        self.allegations: list[_Allegation] = []
        self.stances: list[_Stance] = []
        self.charge_notes: list[tuple[_Cluster | None, str, bool, Sentence]] = []
        self.pops_by_sentence: dict[int, list[_Pop]] = {}
        self.figures_by_sentence: dict[int, list[_Figure]] = {}
        self.dominant_perpetrator = self._dominant_perpetrator()
        self.org_mentions = speakers.org_mentions(text)  # what "the commission" refers to
        # A release in its own voice ("our records show"): unattributed text is the publisher's.
        self.own_voice = any(speakers.own_voice(s.text) for s in self.sents)

    # -- article-level facts ------------------------------------------------

    def _main_country(self) -> str | None:
        counts = Counter(lexicon.country_mentions(self.text))
        if not counts:
            return None
        # Most mentioned; ties broken by first mention so the result is stable.
        order = lexicon.country_mentions(self.text)
        return max(counts, key=lambda c: (counts[c], -order.index(c)))

    def _dominant_perpetrator(self) -> str | None:
        names = [
            rx.sub(r"^The\s+", "", m.group("name"))
            for m in lexicon.STATE_PERPETRATOR_RE.finditer(self.text)
        ]
        names = [n for n in names if not rx.match(r"^(?:The|This|That|A)\s", n)]
        if names:
            counts = Counter(names)
            return max(counts, key=lambda n: (counts[n], -names.index(n)))
        generic = [
            m.group("name").lower() for m in lexicon.GENERIC_PERPETRATOR_RE.finditer(self.text)
        ]
        if generic:
            counts = Counter(generic)
            return max(counts, key=lambda n: (counts[n], -generic.index(n)))
        return None

    def _perpetrator(self, sent: Sentence) -> ActorRecord | None:
        """The state actor a sentence blames: "by the X regime", else the article's main one."""
        name = None
        m = rx.search(
            r"\bby\s+(?:the\s+)?(?P<name>(?:[A-Z][\w-]+\s+)?(?:regime|government|junta|police"
            r"|security\s+forces|army|military|authorities|administration))\b",
            sent.text,
        )
        if m:
            name = m.group("name")
            if name.split()[0].lower() in ("regime", "government", "junta", "authorities"):
                name = self.dominant_perpetrator or name
        else:
            name = self.dominant_perpetrator
        if not name:
            return None
        if name.islower():
            # A bare "junta"/"police": use the article's own fuller phrase ("the military
            # junta") when it has one, else name it by country ("Belarusian police").
            fuller = rx.search(
                rf"\b(?:[Tt]he\s+)((?:military|ruling|riot|de\s+facto|national|local)\s+{name})\b",
                self.text,
            )
            if fuller:
                name = fuller.group(1)
            elif self.country:
                adjective = lexicon.DEMONYM_ADJECTIVE.get(self.country, self.country)
                name = f"{adjective} {name}"
        kind = classify(name)
        if kind not in ("state_body", "security_force"):
            kind = "state_body"
        quote = self._quote_containing(name) or sent.text
        return self.actors.add(ActorMention(name=name, kind=kind, country=self.country), quote)

    def _quote_containing(self, phrase: str) -> str | None:
        for s in self.sents:
            if phrase.lower() in s.text.lower():
                return s.text
        return None

    # -- populations --------------------------------------------------------

    def _populations(self, sent: Sentence) -> list[_Pop]:
        text = sent.text
        pops: list[_Pop] = []

        def free(a: int, b: int) -> bool:
            return not any(a < p.end and p.start < b for p in pops)

        # Nationalities first: "American nationals", "Venezuelans with dual citizenship".
        for m in _NATIONALITY_RE.finditer(text):
            dem = m.group("dem")
            iso = lexicon.DEMONYMS[dem]
            plural_noun = dem.endswith("s") and dem[:-1] in lexicon.DEMONYMS
            if not (m.group("noun") or plural_noun):
                continue
            if m.group("dual"):
                pops.append(_Pop(m.start(), m.end(), "dual citizens", {"citizenship": "dual"}))
                continue
            citizenship = "national" if iso == self.country else "foreign"
            attrs = {"citizenship": citizenship, "nationality": iso}
            pops.append(_Pop(m.start(), m.end(), f"nat:{iso}", attrs))
        listed = _ANY_POPULATION_RE.search(text) is not None
        # "507 persons deprived of liberty", "32 cases of enforced disappearance".
        for regex, measure in _MEASURE_PHRASES if listed else ():
            for m in regex.finditer(text):
                if free(m.start(), m.end()):
                    pops.append(_Pop(m.start(), m.end(), None, measure=measure))
        for regex, category, attrs in _POPULATIONS if listed else ():
            for m in regex.finditer(text):
                if free(m.start(), m.end()):
                    attrs = dict(attrs)
                    if m.group(0).lower() == "boys":
                        attrs["sex"] = "male"
                    elif m.group(0).lower() == "girls":
                        attrs["sex"] = "female"
                    cat = category
                    if category == "adults" and rx.search(r"political\s+prisoners?", text):
                        cat = "adult political prisoners"
                    pops.append(_Pop(m.start(), m.end(), cat, attrs))
        for m in _GENERIC_PEOPLE_RE.finditer(text):
            if free(m.start(), m.end()):
                pops.append(_Pop(m.start(), m.end(), None))
        # One pass for all measure nouns: they are single words that never overlap.
        for m in _MEASURE_NOUN_RE.finditer(text):
            if free(m.start(), m.end()):
                measure = lexicon.MEASURE_NOUNS[m.group(0).lower()]
                pops.append(_Pop(m.start(), m.end(), None, measure=measure))
        pops.sort(key=lambda p: p.start)
        # Ages written right after the noun: "children aged 14-17".
        for start, end, lo, hi in find_age_ranges(text):
            for p in pops:
                if p.category and 0 <= start - p.end <= 3:
                    if lo is not None:
                        p.attrs["age_min"] = lo
                    if hi is not None:
                        p.attrs["age_max"] = hi
                    p.end = max(p.end, end) if start - p.end <= 3 else p.end
        return pops

    def _cluster_for(self, pop: _Pop, sent: Sentence) -> _Cluster:
        """The group a population mention belongs to; created on first mention."""
        a = pop.attrs
        for c in self.clusters:
            if c.category != pop.category:
                continue
            lo, hi = a.get("age_min"), a.get("age_max")
            if lo is not None and c.age_max is not None and lo > c.age_max:
                continue
            if hi is not None and c.age_min is not None and hi < c.age_min:
                continue
            if a.get("nationality") and c.nationality and a["nationality"] != c.nationality:
                continue
            # Compatible: keep the most specific description.
            if lo is not None and (c.age_min is None or lo > c.age_min):
                c.age_min = lo
            if hi is not None and (c.age_max is None or hi < c.age_max):
                c.age_max = hi
            return c
        c = self.cluster_type(
            category=pop.category or "",
            quote=sent.text,
            age_min=a.get("age_min"),
            age_max=a.get("age_max"),
            sex=a.get("sex", "unknown"),
            citizenship=a.get("citizenship", "unknown"),
            nationality=a.get("nationality"),
            affiliation=a.get("affiliation", "unknown"),
        )
        self.clusters.append(c)
        return c

    def _existing_cluster(self, pop: _Pop) -> _Cluster | None:
        """The group a bare mention ("their children") refers to, without creating one."""
        for c in self.clusters:
            if c.category == pop.category:
                return c
        if pop.category == "minors":
            return None
        return None

    # -- statements and sources ---------------------------------------------

    def _resolve_mention(
        self, mention: ActorMention | None, sent: Sentence, last: _Statement | None
    ) -> ActorRecord | None:
        if mention is None:
            return None
        parent = mention.parent
        if parent and (parent.pronoun or (parent.surname_only and parent.name[:1].islower())):
            # "The group's director", "head of the commission": the organisation meant.
            owner = self._refer_back(parent.name, sent)
            mention.parent = ActorMention(name=owner.name, kind=owner.kind) if owner else None
        if mention.pronoun and mention.name in lexicon.ORG_ANAPHORS:
            return self._refer_back(mention.name, sent)
        if mention.pronoun:
            counter = (
                mention.name == "it"
                and last is not None
                and last.speaker.kind in ("state_body", "security_force")
                and _COUNTING_IT.search(sent.text) is not None
            )
            if counter:
                # "The court said ... It said in its latest update": a monitor's count.
                found = self._refer_back("it", sent)
                if found is not None:
                    return found
            if last and last.paragraph == sent.paragraph:
                return last.speaker
            if mention.name == "it":
                return self._refer_back("it", sent)
            return None
        if mention.surname_only:
            if mention.name[:1].islower():  # "the commission", "the ministry"
                return self._refer_back(mention.name, sent) or self.actors.find(mention)
            return self.actors.find(mention) or self._refer_back(mention.name, sent)
        return self.actors.add(mention, sent.text)

    def _last_organisation(self) -> ActorRecord | None:
        """The organisation quoted last."""
        for src in reversed(self.sources):
            if src.issuer.kind in ("ngo", "un_mechanism", "intergovernmental"):
                return src.issuer
        return None

    # -- who speaks: anaphors, state nouns, the publisher (see speakers.py) ----

    def _org_at(self, start: int, name: str) -> ActorRecord | None:
        """Register the organisation named at ``start`` (its sentence is the quote)."""
        sent = next((s for s in self.sents if s.start <= start < s.end), None)
        if sent is None:
            return None
        mention = parse_np(name)
        if mention is None or mention.kind == "person" or mention.surname_only:
            kind = classify(name)
            mention = ActorMention(name=name, kind="ngo" if kind in ("person", "group") else kind)
        mention.country = mention.country or self.country
        return self.actors.add(mention, sent.text)

    def _refer_back(self, phrase: str, sent: Sentence) -> ActorRecord | None:
        """The named organisation a common noun or "it" refers to.

        "the commission" is the last organisation named before it whose name ends in
        "Commission"; "the organization"/"the group" the last NGO named; "it" the
        last organisation named earlier in the same paragraph. A headline, or a
        sentence whose noun names no organisation yet, looks ahead: first in its
        own paragraph, and from the headline anywhere in the article.
        """
        head = phrase.lower().split()[-1] if phrase.strip() else ""
        generic = head in speakers.GENERIC_ORG_NOUNS or "the " + head in lexicon.ORG_ANAPHORS
        if head in ("centre", "center"):
            generic = False
        described = self._described_orgs()
        # "It said in its latest update": what counts is a monitor, not a court named between.
        counting = head == "it" and _COUNTING_IT.search(sent.text) is not None

        def fits(name: str, record: ActorRecord | None = None) -> bool:
            if name in described and (generic or head == "it" or described[name] == head):
                return True  # "the platform" for "the civil society platform Plataforma Decide"
            if head == "it" or generic:
                kind = record.kind if record else classify(name)
                if generic and _STATE_COUNCIL.search(name):
                    return False  # "the group" is never the National Electoral Council
                return kind in ("ngo", "un_mechanism", "intergovernmental") or (
                    head == "it" and not counting and kind in ("state_body", "security_force")
                )
            if head in ("prosecutors", "prosecutor", "prosecution"):
                # "prosecutors said": the prosecution service the article names.
                return _PROSECUTION.search(name) is not None
            words = name.lower().replace("\u2019", "'").split()
            # "the commission" for the "Commission on Human Rights": the head before "on".
            core = rx.split(r"\s+(?:of|on|for|against)\s+", " ".join(words), maxsplit=1)[0]
            return (
                head in words[-1:]
                or head in core.split()[-1:]
                or (head == "ombudsman" and "ombudsman's" in words)
            )

        where = sent.text.lower().find(phrase.lower())
        limit = sent.start + (where if where >= 0 else 0)
        para_start, para_end = self._paragraph_bounds(sent.paragraph)
        # Organisations named so far: by the name scan, and the speakers already quoted
        # (an organisation whose name has no telling head: "Colectivo Nunca Más").
        named: list[tuple[int, str, ActorRecord | None]] = [
            (start, name, None) for start, name in self.org_mentions if start < limit
        ]
        for src in self.sources:
            where_src = self._quote_start(src.quote)
            if 0 <= where_src < limit and src.issuer.kind != "person":
                named.append((where_src, src.issuer.name, src.issuer))
        named.sort(key=lambda t: t[0])
        if head == "it":
            named = [t for t in named if t[0] >= para_start]
        for start, name, record in reversed(named):
            if fits(name, record):
                return record or self._org_at(start, name)
        if head == "it" or (generic and sent.paragraph > 0):
            return None
        headline = sent.paragraph == 0 and sent.index == 0
        for start, name in self.org_mentions:
            if start >= limit and (headline or start < para_end) and fits(name):
                return self._org_at(start, name)
        return None

    def _described_orgs(self) -> dict[str, str]:
        """Organisations introduced by a descriptor noun (computed once)."""
        if not hasattr(self, "_described"):
            self._described = speakers.described_orgs(self.text)
        return self._described

    def _paragraph_bounds(self, paragraph: int) -> tuple[int, int]:
        """Where a paragraph starts and ends in the text (computed once)."""
        if not hasattr(self, "_bounds"):
            self._bounds: dict[int, tuple[int, int]] = {}
            for s in self.sents:
                start, end = self._bounds.get(s.paragraph, (s.start, s.end))
                self._bounds[s.paragraph] = (min(start, s.start), max(end, s.end))
        # After the last paragraph: the last one (nothing follows it).
        return self._bounds.get(paragraph) or self._bounds.get(paragraph - 1, (0, len(self.text)))

    def _quote_start(self, quote: str) -> int:
        """Where a sentence quoted by a source starts in the text (computed once each)."""
        if not hasattr(self, "_quote_starts"):
            self._quote_starts: dict[str, int] = {}
        if quote not in self._quote_starts:
            self._quote_starts[quote] = self.text.find(quote)
        return self._quote_starts[quote]

    def _state(self, noun: str | None, sent: Sentence) -> ActorRecord | None:
        """ "the government", "official figures": the state of the article's country."""
        noun = noun or "government"
        if self.country is None:  # no country named: the noun as written
            kind = classify(noun)
            kind = kind if kind in ("state_body", "security_force") else "state_body"
            return self.actors.add(ActorMention(name=noun, kind=kind), sent.text)
        adjective = lexicon.DEMONYM_ADJECTIVE.get(self.country, self.country)
        name = f"{adjective} {noun}"
        kind = classify(name)
        if kind not in ("state_body", "security_force"):
            kind = "state_body"
        return self.actors.add(ActorMention(name=name, kind=kind, country=self.country), sent.text)

    def _speaker(
        self, np: str, apposition: str | None, sent: Sentence, last: _Statement | None
    ) -> ActorRecord | None:
        """The actor a speaker's noun phrase names (see speakers.py for the shapes)."""
        np = np.strip(' ,;:“”"\u00a0')
        # "The commission on Friday published": the day is the statement's, not the name's.
        np = rx.sub(
            r"\s+(?:(?:late|early)\s+)?on\s+(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day$", "", np
        )
        if not np or not rx.search(r"[A-Za-z]", np):
            return None
        if speakers.official_figures(np):
            return self._state(None, sent)
        governed = rx.fullmatch(
            r"(?:the\s+)?(government|administration|regime)\s+of\s+(?:(?:President|Prime"
            r"\s+Minister)\s+)?[A-Z][\w\u2019'-]+(?:\s+[A-Z][\w\u2019'-]+){0,3}",
            np,
            re.IGNORECASE,
        )
        noun = speakers.state_noun(np) or (governed.group(1).lower() if governed else None)
        if noun:
            named = None
            if noun not in ("government", "authorities", "regime", "administration"):
                named = self._refer_back(noun, sent)  # "police": the Dhaka Metropolitan Police
            # "the junta": the "military junta" the article already named.
            named = named or self.actors.find(ActorMention(name=noun, kind="", surname_only=True))
            return named or self._state(noun, sent)
        ngo = rx.match(r"(?:the\s+)?(?:NGO|INGO)\s+(?=[A-Z])", np)
        if ngo:
            # "the NGO Provea": the acronym describes the name that follows.
            mention = parse_np(np[ngo.end() :])
            if mention is not None and not mention.pronoun:
                mention.kind, mention.surname_only = "ngo", False
                mention.country = mention.country or self.country
                return self.actors.add(mention, sent.text)
        described = rx.fullmatch(
            r"(?:the\s+)?(?P<name>[A-Z][\w.]*(?:\s+[A-Z][\w.]*)*)\s+(?:[a-z]+\s+){0,3}"
            r"(?:office|agency|commission|council|committee|body|mission|team|experts)",
            np,
        )
        if described and classify(described.group("name")) in _SPEAKS_FOR[2:]:
            # "the U.N. human rights office": the body is named by what it belongs to.
            name = np[described.start("name") :]
            mention = ActorMention(name=name, kind=classify(described.group("name")))
            return self.actors.add(mention, sent.text)
        media = rx.fullmatch(
            r"(?:the\s+)?((?:local|opposition|independent|foreign|exile)\s+(?:news\s+)?media)"
            r"(?:\s+reports?)?",
            np,
            re.IGNORECASE,
        )
        if media:
            # "according to local media reports": the press, unnamed.
            mention = ActorMention(name=media.group(1).lower(), kind="media", country=self.country)
            return self.actors.add(mention, sent.text)
        group = speakers.collective(np)
        if group:
            found = self.actors.find(ActorMention(name=group, kind="group"))
            return found or self.actors.add(ActorMention(name=group, kind="group"), sent.text)
        office = speakers.office_holder(np)
        if office:
            name, kind = office
            mention = ActorMention(name=name, kind=kind, country=self.country)
            return self.actors.add(mention, sent.text)
        role, org = speakers.tie(np)
        if org and not rx.search(r"\b[A-Z][a-z]+\s+[A-Z][a-z]+$", np):
            # "the institute's director": an unnamed officer speaks for the organisation.
            return self._speaker(org, None, sent, last)
        mention = parse_np(np)
        if mention is not None and rx.search(r"\d", mention.name):
            mention = None  # "Of the 1,464 people the group": a count, not a name
        if rx.match(
            r"(?i:on|in|at|by|since|during|after|before|over|for|from|of|earlier|later"
            r"|last|this|yesterday|today)\b",
            np,
        ):
            mention = None  # "On Monday", "In 2022 the office": a lead-in, not a name
        head = rx.fullmatch(
            rf"(?:the\s+|a\s+)?(?:[a-z-]+\s+){{0,3}}(?P<head>(?i:{speakers.NGO_HEADS}"
            rf"|{speakers.STATE_HEADS}))",
            np,
        )
        if head and np.islower() and (mention is None or mention.kind in ("group", "")):
            # "rights institute reports", "the commission said": an organisation named later
            # or earlier by its head noun.
            found = self._refer_back(head.group("head").lower(), sent)
            if found:
                return found
            if rx.fullmatch(speakers.STATE_HEADS, head.group("head"), re.IGNORECASE):
                # "the court registry", "the prosecutor's office": a state body unnamed.
                name = rx.sub(r"^(?:the|a|an)\s+", "", np)
                kind = classify(name)
                kind = kind if kind in ("state_body", "security_force") else "state_body"
                mention = ActorMention(name=name, kind=kind, country=self.country)
                return self.actors.add(mention, sent.text)
        if last and rx.fullmatch(
            r"(?:the|its|their|this|that)\s+(?:new\s+|latest\s+|annual\s+|monthly\s+|same\s+)?"
            r"(?:report|study|survey|tally|count|figures|data|list|database|update|statement"
            r"|document|census)",
            np,
            re.IGNORECASE,
        ):
            # "The report counts 73 cases": the document of the statement just reported.
            if last.paragraph >= sent.paragraph - 1:
                return last.speaker
            return None
        if mention is None:
            # "In 2022 the attorney general's office": the noun phrase after a lead-in.
            for m in rx.finditer(r"(?<=\s)(?:the\s|[A-Z])", np):
                rest = np[m.start() :]
                if speakers.state_noun(rest) or speakers.office_holder(rest):
                    return self._speaker(rest, apposition, sent, last)
                mention = parse_np(rest)
                if mention is not None and rx.search(r"\d", mention.name):
                    mention = None
                if (
                    mention is None
                    and rx.match(r"the\s+[\w\s\u2019']+$", rest)
                    and rx.search(r"\b(?:office|ministry|court|prosecutor|registry)$", rest, re.I)
                ):
                    name = rest[4:]
                    mention = ActorMention(name=name, kind="state_body", country=self.country)
                if mention is not None:
                    break
        if mention is not None and apposition and mention.kind == "person" and not mention.parent:
            role, org = speakers.tie(apposition)
            if org:
                mention.parent = parse_np(org)
                mention.role = mention.role or role
        indefinite = rx.fullmatch(
            r"(?:a|an|his|her|their)\s+((?:[\w-]+\s+){0,4}(?:group|organi[sz]ation|monitor|NGO"
            r"|network|watchdog|charity|coalition|party|movement|union|campaign))",
            np,
            re.IGNORECASE,
        )
        if indefinite and (mention is None or mention.kind in ("ngo", "group", "person")):
            # "..., a Thai-based group said. ... the Burma Prisoners Support Network":
            # an unnamed organisation is the one the next sentences name.
            para_end = self._paragraph_bounds(sent.paragraph + 1)[1]
            para_end = max(para_end, self._paragraph_bounds(sent.paragraph)[1])
            for start, name in self.org_mentions:
                if sent.start <= start < para_end and classify(name) == "ngo":
                    return self._org_at(start, name)
            # Else it stays unnamed, as described ("local rights group"), so that its
            # statement is not credited to someone quoted before.
            return self.actors.add(ActorMention(name=indefinite.group(1), kind="group"), sent.text)
        if mention is None:
            return None
        return self._resolve_mention(mention, sent, last)

    def _publisher(self) -> ActorRecord | None:
        """The organisation that speaks as "we" in a release (cached)."""
        if not hasattr(self, "_publisher_record"):
            first = self.sents[0] if self.sents else None
            end = first.end if first and first.paragraph == 0 else 0
            found = speakers.find_publisher(self.text, end)
            self._publisher_record = self._org_at(*found) if found else None
        return self._publisher_record

    def _is_headline(self, f: _Figure) -> bool:
        """The figure is in a headline: a first paragraph of one line without a full stop."""
        first = f.sentence
        return (
            first.index == 0
            and first.paragraph == 0
            and "\n" not in first.text.strip()
            and not rx.search(r"[.!?][\u201d\"]?\s*$", first.text)
            and len(self.sents) > 1
            and self.sents[1].paragraph == 1
        )

    def _clause_statements(
        self, sent: Sentence, dates: list[DateMention], last: _Statement | None
    ) -> list[tuple[int, _Statement]]:
        """Later clauses with a speaker of their own: "X announced 312, but Y said 50".

        Returns (clause start, statement) for each clause after a boundary (", but",
        ", while", "; ") whose subject is followed by a reporting verb.
        """
        text = sent.text
        out: list[tuple[int, _Statement]] = []
        verbs = rf"\b(?:{lexicon.REPORT_VERBS}|{speakers.EXTRA_VERBS})\b"
        for b in rx.finditer(r"(?:,\s+(?:but|while|whereas|although|though|and)|;)\s+", text):
            vm = rx.search(verbs, text[b.end() :])
            if vm is None:
                continue
            subject = text[b.end() : b.end() + vm.start()].strip()
            if not subject or len(subject.split()) > 8 or "," in subject:
                continue
            speaker = self._speaker(subject, None, sent, last)
            if speaker is None:
                continue
            start, end = b.end() + vm.start(), b.end() + vm.end()
            when = self._statement_date(sent, dates, start, end)
            stmt = _Statement(speaker, self._source_for(speaker, sent, when), sent.paragraph)
            out.append((b.start(), stmt))
        return out

    def _figure_positions(self, sent: Sentence, figs: list[_Figure]) -> list[int | None]:
        """Where each figure's amount is written in its sentence (None when not found)."""
        quantities = find_quantities(sent.text)
        positions: list[int | None] = []
        after = -1
        for f in figs:
            match = next(
                (
                    q
                    for q in quantities
                    if q.start > after and (q.value, q.value_low) == (f.value, f.value_low)
                ),
                None,
            )
            positions.append(match.start if match else None)
            if match:
                after = match.start
        return positions

    def _own_voice_statement(self, sent: Sentence, dates: list[DateMention]) -> _Statement | None:
        """A release's own voice ("our records show"): the publisher reports."""
        publisher = self._publisher()
        if publisher is None:
            return None
        when = None
        for d in dates:
            opens = d.start == 0 or rx.fullmatch(r"(?:on|in|at)\s+", sent.text[: d.start], re.I)
            if d.date and not (d.as_of or d.event) and opens:
                when = d
        return _Statement(publisher, self._source_for(publisher, sent, when), sent.paragraph)

    def _statement_date(
        self, sent: Sentence, dates: list[DateMention], verb_start: int, verb_end: int
    ) -> DateMention | None:
        """The date of the reporting act: right after the verb, or opening the sentence."""
        for d in dates:
            if d.as_of or d.event or d.date is None:
                continue
            gap = sent.text[verb_end : d.start]
            if d.start >= verb_end and _STATEMENT_GAP.fullmatch(gap):
                return d
            opens_sentence = d.start == 0 or rx.fullmatch(
                r"(?:on|in|at)\s+", sent.text[: d.start], re.I
            )
            if d.end <= verb_start and opens_sentence:
                return d
            if (
                d.end <= verb_start
                and not sent.text[d.end : verb_start].strip()
                and rx.search(r"\bon\s+$", sent.text[: d.start])
            ):
                return d  # "The commission on Friday published"
        return self._entry_day(sent)

    def _source_for(
        self,
        issuer: ActorRecord,
        sent: Sentence,
        when: DateMention | None,
        social: bool = False,
    ) -> _Source:
        """Find or create the DraftSource for a statement by ``issuer``.

        An undated statement by the issuer of a source in this or the previous
        paragraph is taken to be the same statement (the article continues to report
        it); a dated one is the same when issuer and date match.
        """
        kind = "social_media_post" if social else self._source_kind(issuer, sent.text)
        day = when.date if when else None
        # "had also denied", "previously said": the text marks an earlier, separate
        # statement, which must not inherit the date of the one reported before it.
        earlier = self._earlier_statement(sent.text)
        for src in reversed(self.sources):
            if src.issuer is not issuer or src.kind != kind:
                continue
            if src.quote == sent.text and src.date == day:
                return src  # the same sentence, looked up again
            if day is None and not earlier and sent.paragraph - src.paragraph <= 1:
                return src
            if day is None and not earlier and src.date is not None and self.continue_statements:
                # "The institute, an autonomous body, said ..." paragraphs after "said on
                # Monday": the article goes on reporting the statement it dated.
                return src
            if day is not None and src.date == day:
                return src
        key = f"{slugify(issuer.name)}-{day.isoformat() if day else 'undated'}"
        if social:
            key += "-social-media"
        key = _unique(key, {s.key for s in self.sources})
        src = _Source(
            key=key,
            kind=kind,
            issuer=issuer,
            quote=sent.text,
            date=day,
            precision=when.precision if when else None,
            paragraph=sent.paragraph,
        )
        self.sources.append(src)
        return src

    def _own_statement(
        self, sent: Sentence, dates: list[DateMention], last: _Statement | None
    ) -> _Statement | None:
        """The statement a sentence reports itself: "according to X", "X announced"."""
        text = sent.text
        if (
            last is not None
            and self._in_list(sent)
            and last.paragraph >= sent.paragraph - 1
            and self._rows(sent)
        ):
            # The rows of a list continue the statement that introduces it ("According
            # to figures from the police:").
            return _Statement(last.speaker, last.source, sent.paragraph)
        gave = _GAVE_FIGURES.search(text)
        if gave:
            # "The party gave these figures on Wednesday:": the subject gives the list.
            speaker = self._speaker(subject_before(text, gave.start()), None, sent, last)
            if speaker:
                when = self._statement_date(sent, dates, gave.start(), gave.end())
                return _Statement(speaker, self._source_for(speaker, sent, when), sent.paragraph)
        m = rx.search(
            r"\baccording\s+to\s+(?:(?:estimates|figures|data|a\s+report|reports|statistics"
            r"|a\s+statement|a\s+count|a\s+tally|records)\s+(?:from|by|of)\s+)?",
            text,
            re.IGNORECASE,
        )
        if m:
            np = noun_phrase_after(speakers.according_to(text[m.end() :]))
            speaker = self._speaker(np, None, sent, last)
            if speaker:
                # "according to figures released by the police on Tuesday": the date
                # follows the speaker.
                at = text.find(np, m.end()) if np else -1
                end = at + len(np) if at >= 0 else m.end()
                when = self._statement_date(sent, dates, m.start(), end)
                return _Statement(speaker, self._source_for(speaker, sent, when), sent.paragraph)
        # "The figures, compiled by the X Network, include ...": the agent compiled them.
        m = rx.search(
            r"\b(?:compiled|documented|recorded|registered|counted|tallied|verified)\s+by\s+",
            text,
        )
        if m:
            speaker = self._speaker(noun_phrase_after(text[m.end() :]), None, sent, last)
            if speaker:
                when = self._statement_date(sent, dates, m.start(), m.end())
                return _Statement(speaker, self._source_for(speaker, sent, when), sent.paragraph)
        for vm in _STATEMENT_VERB_RE.finditer(text):
            # A passive "was reported by" names its speaker after "by": not a subject.
            if rx.search(r"\b(?:was|were|been|be|is|are)\s+$", text[: vm.start()]):
                continue
            # "since the government declared a state of emergency": a clause that dates a
            # period, not a statement.
            if rx.search(r"\bsince\s+(?:[\w\u2019'-]+\s+){1,6}$", text[: vm.start()]):
                continue
            if vm.group(0) in ("put", "puts") and not rx.match(
                r"\s+the\s+(?:death\s+)?(?:toll|number|figure|count)", text[vm.end() :]
            ):
                continue
            candidates = []
            inverted = speakers.inverted_subject(text, vm.start(), vm.end())
            if inverted:
                candidates.append(inverted)
            candidates += speakers.subject_candidates(text, vm.start())
            subject = subject_before(text, vm.start())
            head = text[: vm.start()].rstrip()
            head = head[: len(head) - len(subject)] if subject and head.endswith(subject) else ""
            relative = rx.search(r"\b(?:that|which|who)\s+$", head)
            # Not a clause caught by mistake: "a group that tracks abuse said" is no "abuse",
            # and a longer phrase is a clause, not a subject.
            if len(subject.split()) <= 12 and not (subject and relative):
                candidates.append((subject, None))
            speaker = None
            for np, apposition in candidates:
                speaker = self._speaker(np, apposition, sent, last)
                if speaker:
                    break
            if speaker is None:
                continue
            when = self._statement_date(sent, dates, vm.start(), vm.end())
            social = bool(lexicon.SOCIAL_MEDIA_RE.search(text[vm.end() : vm.end() + 60]))
            src = self._source_for(speaker, sent, when, social)
            return _Statement(speaker, src, sent.paragraph)
        if speakers.own_voice(text):
            return self._own_voice_statement(sent, dates)
        return None

    # -- figures --------------------------------------------------------------

    def _measure_for(self, sent: Sentence, q: Quantity, pop: _Pop) -> str | None:
        text = sent.text
        count = figure_patterns.count_noun_before(text, q.start)
        if count and count.measure:
            return count.measure  # "a death toll of 12 protesters"
        among = rx.search(
            r"\bamong\s+(?:those|the\s+[\w-]+)\s+(?P<verb>[\w\s]+?)\s+(?:are|were|is|was)\s+$",
            text[: q.start],
            re.IGNORECASE,
        )
        if among and figure_patterns.measure_in(among.group("verb")):
            found = figure_patterns.measure_in(among.group("verb"))[1]  # "among those charged are"
            if found == "detained" and rx.search(
                r"\b(?:currently|still|now)\b", among.group("verb")
            ):
                return "still_detained"  # "among those currently detained are"
            return found
        if pop.measure:
            # "28 of the deaths were caused by police": a part of a measure noun takes
            # the measure of the clause's own verb when it has one.
            if rx.match(r"\s+of\s+(?:the|those|these)\s+$", text[q.end : pop.start], re.I):
                found = figure_patterns.measure_in(figure_patterns.clause_after(text, pop.end))
                if found:
                    return found[1]
            # "The 35 detained were released on Friday": the clause's verb is the news.
            main = figure_patterns.predicate_measure(text, pop.end)
            if main and rx.match(r"\s+(?:were|was|have|has|had|are|is|remain)", text[pop.end :]):
                return main
            if rx.search(r"\bthe\s+$", text[: q.start], re.I):
                # "the 4 arrested in March had been released": a definite description.
                verb = rx.search(
                    r"\b(?:were|was|have|has|had|are|is)\s+(?:\w+\s+)?(?:been\s+)?",
                    figure_patterns.clause_after(text, pop.end),
                )
                if verb:
                    rest = figure_patterns.clause_after(text, pop.end)[verb.end() :]
                    found = figure_patterns.measure_in(rest)
                    if found and found[0] == 0:
                        return found[1]
            return pop.measure
        before = text[: q.start]
        for pattern, measure in lexicon.MEASURE_NOMINALS:
            if rx.search(
                rf"\b(?:{pattern})\s+of\s+(?:a\s+group\s+of\s+|another\s+|an?\s+additional\s+)?$",
                before,
                re.IGNORECASE,
            ):
                return measure
        vm = rx.search(r"\b(\w+)\s+(?:(?:also|another|a\s+further)\s+)?$", before)
        if vm:
            for pattern, measure in (*lexicon.MEASURE_PATTERNS, *lexicon.MEASURE_VERBS_BEFORE):
                if rx.fullmatch(pattern.replace(r"\b", ""), vm.group(1), re.IGNORECASE):
                    return measure
        # The verb must be in the same clause: stop at a comma, semicolon or dash. An
        # aside between commas ("80 people, mostly young men, were detained") is skipped.
        window = text[pop.end : pop.end + 160]
        aside = figure_patterns.ASIDE.match(window)
        if aside:
            window = window[aside.end() :]
        after = rx.split(r"[,;:\u2014\u2013]|\s-\s", window)[0]
        # "600 people were stopped and 150 passengers detained": once the count has a
        # verb of its own, what follows "and" is another clause.
        aux = rx.search(r"\b(?:were|was|have|has|had|are|is)\s+\w+", after)
        if aux:
            conj = rx.search(r"\s(?:and|but|while)\s", after[aux.end() :])
            if conj:
                after = after[: aux.end() + conj.start()]
        best: tuple[int, int, str] | None = None
        for rank, (pattern, measure) in enumerate(lexicon.MEASURE_PATTERNS):
            m = rx.search(pattern, after, re.IGNORECASE)
            if m and (best is None or (m.start(), rank) < best[:2]):
                best = (m.start(), rank, measure)
        if best is None and pop.category == "political prisoners" and _HELD_COUNT.search(before):
            # "there are 1,697 political prisoners", "counts 151 political prisoners":
            # a count of political prisoners with no verb of its own is of those held.
            return "still_detained"
        if best and best[2] == "detained" and rx.search(r"\bstill\s+$", before, re.I):
            return "still_detained"  # "there are still 39 people imprisoned"
        return best[2] if best else None

    def _previous_figure(self, sent: Sentence) -> _Figure | None:
        """The last figure of the previous sentence of the same paragraph."""
        last = self.figures[-1] if self.figures else None
        if (
            last
            and last.sentence.index == sent.index - 1
            and last.sentence.paragraph == sent.paragraph
        ):
            return last
        return None

    def _negated(self, text: str, start: int) -> bool:
        """The amount is denied or negated ("denied rumours that three ... had gone missing")."""
        return figure_patterns.negated(text, start)

    def _implicit_figure(
        self, sent: Sentence, q: Quantity, pops: list[_Pop], out: list[_Figure]
    ) -> tuple[str, _Cluster | None, _Figure | None] | None:
        """Measure, group and whole of an amount with no population noun after it, or None.

        The shapes are in ``figure_patterns``: a count noun before it ("the death toll
        rose to 201"), a partitive ("154 of them", "twelve of those who disappeared
        are women"), an amount that is a subject of its own ("418 have been
        released"), and an ellipsis ("... and 31 on criminal charges").
        """
        text = sent.text
        antecedent = out[-1] if out else self._previous_figure(sent)
        part = figure_patterns.partitive(text, q.end)
        if part:
            if q.vague:
                return None  # "dozens of those arrested": a part, not a new count
            if _MANNER_ONLY.match(text, part.end):
                return None  # "23 sentenced, two of them in absentia": how, not a new count
            measure = None
            before = rx.search(r"\b(\w+)\s+$", text[: q.start])
            if before:
                for pattern, verb_measure in (
                    *lexicon.MEASURE_PATTERNS,
                    *lexicon.MEASURE_VERBS_BEFORE,
                ):
                    if rx.fullmatch(pattern.replace(r"\b", ""), before.group(1), re.I):
                        measure = verb_measure  # "courts sentenced 154 of them"
                        break
            predicate = figure_patterns.predicate_measure(
                text, figure_patterns.skip_description(text, part.end)
            )
            # "only 217 of them had been jailed": what the released had been before.
            pluperfect = rx.match(r"\s+had\s+been\b", text[part.end :])
            if predicate == "detained" and pluperfect and antecedent:
                predicate = antecedent.measure
            measure = measure or predicate
            rest = figure_patterns.clause_after(text, part.end)
            described = next(
                (
                    p
                    for p in pops
                    if p.category
                    and p.start >= part.end
                    and rx.fullmatch(
                        r"\s*(?:(?:are|were|being)\s+)?(?:all\s+)?(?:[\w-]+\s+){0,2}?",
                        text[part.end : p.start],
                    )
                ),
                None,
            )
            if measure is None and (described or not rest.strip() or _PERIOD_ONLY.fullmatch(rest)):
                # "130 of them since October": a period adds no verb of its own.
                measure = part.whole_measure or (antecedent.measure if antecedent else None)
            if measure is None:
                return None
            if described:
                return measure, self._cluster_for(described, sent), antecedent
            return measure, antecedent.cluster if antecedent else None, antecedent
        # "25 of its supporters were killed", "386 \"terrorists\" had been arrested": people
        # named without a group of their own, counted by the verb that follows.
        named_end = figure_patterns.possessive_partitive(text, q.end)
        if named_end is None and not _COUNTER_CLAIM.search(text[: q.start]):
            # Inside a counter-claim ("disputed the toll, claiming only three
            # \"terrorists\" died") the count is the stance's, not a figure.
            named_end = figure_patterns.quoted_people(text, q.end)
        if named_end is not None and not q.vague:
            measure = figure_patterns.predicate_measure(text, named_end)
            return (measure, None, None) if measure else None
        listed = self._list_entries(sent, q, pops)
        if listed:
            return listed
        count = figure_patterns.count_noun_before(text, q.start)
        if count:
            inside = [p for p in pops if count.start <= p.start and p.end <= count.end]
            measure = count.measure
            if measure is None and any(p.category == "political prisoners" for p in inside):
                measure = "still_detained"  # "the number of political prisoners stood at"
            if measure is None:
                return None
            named = next((p for p in inside if p.category), None)
            return measure, self._cluster_for(named, sent) if named else None, None
        measure = figure_patterns.bare_subject(text, q.start, q.end)
        if measure:
            return measure, None, None
        subset = rx.search(
            r"\b(?:including|includes|included|among\s+them|among\s+whom|of\s+whom)\s+$",
            text[: q.start],
            re.I,
        )
        if subset and antecedent and rx.match(r"\s*(?:who\b|[,;.)]|$)", text[q.end :]):
            return antecedent.measure, None, antecedent  # "including 460 who suffered ..."
        verb = figure_patterns.verb_before(text, q.start, q.end)
        if verb:
            return verb, None, None  # "the prosecutor charged 23 with terrorism"
        if out and figure_patterns.elided_after_and(text, q.start, q.end):
            return out[-1].measure, out[-1].cluster, None  # "... and 31 on criminal charges"
        return None

    def _list_entries(
        self, sent: Sentence, q: Quantity, pops: list[_Pop]
    ) -> tuple[str, _Cluster | None, None] | None:
        """ "Its list of political prisoners holds 303 names": a register counted by entries.

        The entries of a list of prisoners are people held; the group is the political
        prisoners the sentence (or, failing that, the article) names.
        """
        text = sent.text
        if q.vague or not _LIST_ENTRIES.match(text[q.end :]):
            return None
        if not _LIST_BEFORE.search(text[: q.start]):
            return None
        held = next((p for p in pops if p.category == "political prisoners"), None)
        if held:
            return "still_detained", self._cluster_for(held, sent), None
        known = next((c for c in self.clusters if c.category == "political prisoners"), None)
        if known or _LIST_OF_PRISONERS.search(self.text):
            return "still_detained", known, None
        return None

    def _figures(self, sent: Sentence, dates: list[DateMention], pops: list[_Pop]) -> list[_Figure]:
        masked = [(d.start, d.end) for d in dates]
        masked += [(s, e) for s, e, _, _ in find_age_ranges(sent.text)]
        out: list[_Figure] = self._row_figures(sent)
        masked += [(f.pos, f.pos + 1) for f in out]
        stamp = layout.TIME_STAMP.match(sent.text)
        if stamp:
            masked.append((0, stamp.end()))  # "10:05 - 3 killed": the time is no amount
        for q in find_quantities(sent.text, masked):
            if self._negated(sent.text, q.start):
                continue
            if figure_patterns.not_a_count(sent.text, q.start, q.end):
                continue  # "up from 185", "interviewed 27 people", "300 complaints"
            pop = None
            for p in pops:
                if p.start < q.end:
                    continue
                gap = sent.text[q.end : p.start]
                if rx.search(r"[,.;:—\u2013\d]|\b(?:that|who|were|was|have|had|and|or)\b", gap):
                    break
                if len(gap.split()) <= 3:
                    pop = p
                break
            if pop is None or figure_patterns.partitive(sent.text, q.end):
                implicit = self._implicit_figure(sent, q, pops, out)
                if implicit is None:
                    continue
                measure, cluster, whole = implicit
                count = figure_patterns.count_noun_before(sent.text, q.start)
                out.append(
                    _Figure(
                        value=q.value,
                        qualifier=(count and count.qualifier) or q.qualifier,
                        measure=measure,
                        sentence=sent,
                        cluster=cluster,
                        value_low=q.value_low,
                        value_high=q.value_high,
                        part_of=whole,
                        pos=q.start,
                    )
                )
                continue
            measure = self._measure_for(sent, q, pop)
            # "..., including three journalists" / "among them hundreds of women": a
            # subset counted with the measure of the figure it belongs to.
            if out and rx.search(
                r"\b(?:including|includes|included|among\s+them|among\s+whom|of\s+whom)\s+$",
                sent.text[: q.start],
                re.I,
            ):
                measure = out[-1].measure
            whole = None
            if measure is None and _INCLUDES.search(sent.text[: q.start]):
                # "Its figures include eight members of the police": a part of the count
                # just made.
                whole = out[-1] if out else self._previous_figure(sent)
                measure = whole.measure if whole else None
            if measure is None:
                continue
            cluster = self._cluster_for(pop, sent) if pop.category else None
            pop.cluster = cluster
            qualifier = q.qualifier
            out.append(
                _Figure(
                    value=q.value,
                    qualifier=qualifier,
                    measure=measure,
                    sentence=sent,
                    cluster=cluster,
                    value_low=q.value_low,
                    value_high=q.value_high,
                    pos=q.start,
                    part_of=whole,
                )
            )
        # "all (of the remaining) minors ... have been released": none remain detained.
        for p in pops:
            if not p.category:
                continue
            before = sent.text[: p.start]
            if not rx.search(
                r"(?<!not\s)\ball\s+(?:of\s+)?(?:the\s+)?(?:(?:remaining|detained|imprisoned"
                r"|jailed|other)\s+)*$",
                before,
                re.IGNORECASE,
            ):
                continue
            after = sent.text[p.end :]
            rel = rx.search(r"\b(?:released|freed|set\s+free)\b", after)
            if not rel or rx.search(r"\bnot\b|\byet\b", after[: rel.start()]):
                continue
            cluster = self._cluster_for(p, sent)
            p.cluster = cluster
            out.append(_Figure(0, "exact", "still_detained", sent, cluster))
        return out

    def _rows(self, sent: Sentence) -> list:
        """The list rows of a sentence; a line is a row after a colon or another row."""
        if not hasattr(self, "_row_cache"):
            self._row_cache: dict[int, list] = {}
        if sent.index not in self._row_cache:
            rows = layout.list_rows(sent.text, self._in_list(sent))
            self._row_cache[sent.index] = rows or layout.inline_rows(sent.text)
        return self._row_cache[sent.index]

    def _in_list(self, sent: Sentence) -> bool:
        """The sentence follows a list's introduction ("... figures:") or one of its rows."""
        if sent.index == 0:
            return False
        previous = self.sents[sent.index - 1]
        return previous.text.rstrip().endswith(":") or bool(self._rows(previous))

    def _row_figures(self, sent: Sentence) -> list[_Figure]:
        """One figure per row of a table or list ("Arrested: 3,380", "- 25 killed").

        The row's label names the measure; a label that names none ("Provinces
        affected: 12") gives no figure.
        """
        out = []
        for row in self._rows(sent):
            found = figure_patterns.measure_in(row.label)
            measure = found[1] if found else None
            if measure is None:
                word = row.label.lower().split()[0] if row.label.split() else ""
                measure = lexicon.MEASURE_NOUNS.get(word)
            if measure is None:
                continue
            out.append(_Figure(row.value, "exact", measure, sent, None, pos=row.start))
        return out

    def _date_figures(
        self, figs: list[_Figure], dates: list[DateMention], stmt: _Statement | None
    ) -> None:
        """As-of date: an "as of" date, else another date of the sentence, else the statement's.

        A vague span ("over the past months") keeps the statement's day but only
        ``approximate`` precision; with no statement the reference date is used.
        """
        stmt_date = stmt.source.date if stmt else None
        stmt_prec = stmt.source.precision if stmt else None
        entry = self._entry_day(figs[0].sentence) if figs else None
        here = figs[0].sentence.paragraph if figs else -1
        carried = stmt is None or stmt.source.date is None or stmt.source.paragraph != here
        if entry and carried and not (stmt and stmt.source.date == entry.date):
            # A liveblog entry ("15:40 - the toll has risen to 37") holds as of its own day,
            # not the day of a statement carried over from another entry.
            stmt_date, stmt_prec = entry.date, entry.precision
        own = [d for d in dates if d.date and d.as_of]
        if not own:
            # The ends of a period ("since July 16", "from X to Y") never date a count:
            # it holds as of the statement that reports it. Nor does a bare year ("criteria
            # adopted in 2012") or a date inside a quote ("not in 2014").
            quoted = self._quoted_spans(figs[0].sentence) if figs and dates else ()
            own = [
                d
                for d in dates
                if d.date
                and not (d.event or d.since or d.until)
                and d.date != stmt_date
                and d.kind not in ("vague", "year")
                and not any(a <= d.start < b for a, b in quoted)
            ]
            own = [] if stmt_date else own
        vague = any(d.kind == "vague" for d in dates)
        since = next((d for d in dates if d.since and d.date), None)
        for f in figs:
            f.since = since.date if since else None
            whole = f.part_of
            same_statement = not stmt_date or (
                whole is not None and whole.statement and whole.statement.source.date == stmt_date
            )
            if (
                whole
                and whole.sentence is not f.sentence
                and whole.as_of
                and not own
                and same_statement
            ):
                # "Forty-six of them are adolescents": a part of a count made in the
                # previous sentence holds as of the same day as the whole.
                f.as_of, f.precision, f.since = whole.as_of, whole.precision, whole.since
                continue
            if own:
                # "9 were detained on Friday, and another 14 on Saturday": each count
                # takes the date written nearest to it.
                near = own[0]
                if f.pos >= 0 and len(own) > 1:
                    near = min(own, key=lambda d: min(abs(d.start - f.pos), abs(d.end - f.pos)))
                f.as_of, f.precision = near.date, near.precision
            elif stmt_date:
                f.as_of = stmt_date
                f.precision = "approximate" if vague and stmt_prec == "exact" else stmt_prec
            else:
                f.as_of, f.precision = self.ref, "approximate"

    @staticmethod
    def _quoted_spans(sent: Sentence) -> list[tuple[int, int]]:
        """Where quoted passages lie in a sentence (a date there is the speaker's aside)."""
        return [m.span() for m in _QUOTED_RE.finditer(sent.text)]

    # -- allegations --------------------------------------------------------

    def _nearest_cluster(self, pops: list[_Pop], pos: int, prefer_before: bool = False):
        best = None
        for p in pops:
            cluster = p.cluster or (self._existing_cluster(p) if p.category else None)
            if cluster is None:
                continue
            if prefer_before and p.start > pos:
                continue
            dist = pos - p.end if p.end <= pos else p.start - pos
            if best is None or dist < best[0]:
                best = (dist, cluster)
        if best is None and prefer_before:
            return self._nearest_cluster(pops, pos)
        return best[1] if best else None

    def _allegations(
        self, sent: Sentence, pops: list[_Pop], stmt: _Statement | None, next_text: str
    ) -> None:
        triggers, methods = self._allegation_triggers(sent, pops, next_text)
        self._attach_allegations(sent, pops, stmt, triggers, methods)

    def _allegation_triggers(
        self, sent: Sentence, pops: list[_Pop], next_text: str
    ) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
        """Violation and method triggers (position, Term code), charges noted on the way."""
        text = sent.text
        triggers: list[tuple[int, str]] = []
        named = _ANY_TRIGGER_RE.search(text) is not None
        for regex, code in _VIOLATIONS if named else ():
            for m in regex.finditer(text):
                if code == "threats" and rx.search(
                    r"threat\w*\s+(?:to|against)\s+\w+\s+famil", text[m.start() :]
                ):
                    continue
                triggers.append((m.start(), code))
        methods: list[tuple[int, str]] = []
        for regex, code in _METHODS if named else ():
            # "kept in isolation cells": a place named after a method is not the method.
            m = next(
                (
                    m
                    for m in regex.finditer(text)
                    if not lexicon.METHOD_AS_MODIFIER.match(text, m.end())
                ),
                None,
            )
            if m:
                methods.append((m.start(), code))
        # Charges: "charged with “terrorism”"; fabricated when the article doubts them.
        for m in lexicon.CHARGE_RE.finditer(text):
            charge = m.group("charge").strip()
            doubt = bool(lexicon.DOUBT_RE.search(text)) or bool(lexicon.DOUBT_RE.search(next_text))
            cluster = self._nearest_cluster(pops, m.start(), prefer_before=True)
            if cluster and not cluster.charges:
                cluster.charges = charge
            self.charge_notes.append(
                (cluster, charge, bool(lexicon.NO_PROOF_RE.search(next_text)), sent)
            )
            if doubt:
                triggers.append((m.start(), "fabricated_charges"))
        # A violation named inside a denial ("denied that any of them had been
        # mistreated", "said that none ... had been tortured") is not alleged here.
        negated_from = len(text)
        dm = lexicon.DENY_RE.search(text)
        if dm:
            negated_from = dm.end()
        nm = rx.search(r"\b(?:said|claimed|insisted|stated)\s+that\b", text)
        if nm and lexicon.NEGATED_CLAIM_RE.search(text, nm.end()):
            negated_from = min(negated_from, nm.end())
        triggers = [t for t in triggers if t[0] < negated_from]
        methods = [m for m in methods if m[0] < negated_from]
        return triggers, methods

    def _attach_allegations(
        self,
        sent: Sentence,
        pops: list[_Pop],
        stmt: _Statement | None,
        triggers: list[tuple[int, str]],
        methods: list[tuple[int, str]],
    ) -> None:
        """Methods to their violation, then one allegation per violation and victim group."""
        triggers.sort()
        by_trigger: dict[int, list[str]] = {i: [] for i in range(len(triggers))}
        extra: dict[str, list[str]] = {}
        for mpos, mcode in sorted(methods):
            # A method belongs to the nearest violation named before it ("torture such as
            # suffocation"); arbitrary detention and threats never take methods.
            owner = None
            for i, (tpos, tcode) in enumerate(triggers):
                accepts = lexicon.METHOD_OWNERS.get(tcode, set())
                if tpos <= mpos and (accepts is None or mcode in accepts):
                    owner = i
            if owner is not None:
                by_trigger[owner].append(mcode)
            else:
                extra.setdefault(lexicon.METHOD_DEFAULT_VIOLATION[mcode], []).append(mcode)
        sexual = [c for _, c in sorted(methods) if c in lexicon.SEXUAL_METHODS]
        found: list[tuple[int, str, list[str]]] = []
        for i, (tpos, code) in enumerate(triggers):
            found.append((tpos, code, by_trigger[i]))
        for code, ms in extra.items():
            found.append((min(p for p, c in methods if c in ms), code, ms))
        if sexual and not any(code == "sexual_violence" for _, code, _ in found):
            found.append((min(p for p, c in methods if c in sexual), "sexual_violence", sexual))
        found.sort(key=lambda t: t[0])
        perpetrator = self._perpetrator(sent) if found else None
        reporter = stmt
        if stmt and stmt.speaker.kind in ("state_body", "security_force"):
            reporter = None  # the accused does not allege against itself
        for tpos, code, ms in found:
            cluster = self._nearest_cluster(pops, tpos)
            self._add_allegation(code, sent, ms, cluster, perpetrator, reporter)

    def _add_allegation(self, code, sent, methods, cluster, perpetrator, stmt) -> _Allegation:
        speaker = stmt.speaker if stmt else None
        for a in self.allegations:
            same_speaker = (a.statement.speaker if a.statement else None) is speaker
            # Arbitrary detention is restated in almost every sentence ("unjustly
            # detained"): one allegation per group, credited to its first reporter.
            if code == "arbitrary_detention":
                same_speaker = True
            if (
                a.violation == code
                and a.cluster is cluster
                and same_speaker
                and (a.sentence is sent or not methods or methods == a.methods)
            ):
                for m in methods:
                    if m not in a.methods:
                        a.methods.append(m)
                return a
        unique_methods = list(dict.fromkeys(methods))
        a = _Allegation(code, sent, unique_methods, cluster, perpetrator, stmt)
        self.allegations.append(a)
        return a

    # -- language hooks: the steps a language with other words overrides -------

    def _find_dates(self, text: str) -> list[DateMention]:
        sent = getattr(self, "_current", None)
        return find_dates(text, self._day_of(sent) if sent else self.ref)

    # -- the page's own dates: a dateline, a liveblog's days (see layout.py) ----------

    def _page_days(self) -> tuple[dict[int, date], set[int]]:
        """Each paragraph's day of reference, and the paragraphs that open with a time.

        The day is the liveblog's day heading above the paragraph, else the dateline's
        day, else the reference date. Computed once.
        """
        if not hasattr(self, "_days"):
            dispatch = layout.dateline(self.text, self.ref)
            day = dispatch or self.ref
            days: dict[int, date] = {}
            stamped: set[int] = set()
            for s in self.sents:
                if s.paragraph in days:
                    continue
                start, end = self._paragraph_bounds(s.paragraph)
                paragraph = self.text[start:end]
                heading = layout.day_heading(paragraph, self.ref)
                if heading and heading <= self.ref:
                    day = heading
                if layout.time_stamped(paragraph):
                    stamped.add(s.paragraph)
                days[s.paragraph] = day
            self._sign_communiques(days, stamped)
            self._days, self._stamped = days, stamped
        return self._days, self._stamped

    def _sign_communiques(self, days: dict[int, date], stamped: set[int]) -> None:
        """Date the paragraphs of a communiqué quoted in full by its own date line.

        "Tunis, 18 January 2021" standing alone after the lead dates the paragraphs
        after it; one that ends the text (a signature) dates those before it, back to
        the introduction ending in a colon. Their undated statements are of that day,
        like a liveblog entry's.
        """
        self._signed: set[int] = set()
        self._signed_intro: int | None = None
        paragraphs = sorted(days)
        for i, p in enumerate(paragraphs):
            if i < 2:
                continue  # the headline and lead: the article's own dateline
            start, end = self._paragraph_bounds(p)
            signed = layout.signed_line(self.text[start:end].strip(), self.ref)
            if signed is None:
                continue
            after = [q for q in paragraphs[i + 1 :] if len(self._para_text(q)) > 60]
            intro = paragraphs[i - 1]
            if after:
                covered = paragraphs[i + 1 :]
            else:
                covered = []
                for q in reversed(paragraphs[1:i]):
                    intro = q
                    if self._para_text(q).rstrip().endswith(":"):
                        break
                    covered.append(q)
            if self._para_text(intro).rstrip().endswith(":"):
                # "X issued the following statement:": X speaks the communiqué.
                self._signed, self._signed_intro = set(covered) | {p}, intro
            for q in covered:
                days[q] = signed
                stamped.add(q)
            days[p] = signed
            return

    def _in_communique(self, sent: Sentence, last: _Statement) -> bool:
        """The sentence is in a communiqué quoted in full whose issuer ``last`` names."""
        self._page_days()
        inside = getattr(self, "_signed", set())  # a subclass may read its page otherwise
        return sent.paragraph in inside and (
            last.paragraph in inside or last.paragraph == getattr(self, "_signed_intro", None)
        )

    def _para_text(self, paragraph: int) -> str:
        start, end = self._paragraph_bounds(paragraph)
        return self.text[start:end]

    def _day_of(self, sent: Sentence) -> date:
        """The day a sentence's relative dates ("on Thursday") are resolved against."""
        return self._page_days()[0].get(sent.paragraph, self.ref)

    def _entry_day(self, sent: Sentence) -> DateMention | None:
        """A liveblog entry's day, as the date of its statements ("15:40 - ... said")."""
        days, stamped = self._page_days()
        if sent.paragraph not in stamped:
            return None
        day = days.get(sent.paragraph, self.ref)
        return DateMention(0, 0, day, "exact", "entry")

    def _source_kind(self, issuer: ActorRecord, sentence: str) -> str:
        return _source_kind(issuer, self.actors, sentence)

    def _earlier_statement(self, sentence: str) -> bool:
        return _EARLIER_STATEMENT.search(sentence) is not None

    def _source_title(self, s: _Source) -> str:
        return _source_title(s)

    def _allegation_summary(self, a: _Allegation, reporter: str | None) -> str:
        return _allegation_summary(a, reporter)

    # -- stances --------------------------------------------------------------

    def _stances(
        self, sent: Sentence, dates: list[DateMention], pops: list[_Pop], last: _Statement | None
    ) -> None:
        text = sent.text
        found: list[tuple[str, re.Match]] = []
        for stance, regex in (
            ("denies", lexicon.DENY_RE),
            ("acknowledges", lexicon.ACK_RE),
            ("disputes", lexicon.DISPUTE_RE),
        ):
            m = regex.search(text)
            if m:
                found.append((stance, m))
        cm = lexicon.CORROBORATE_RE.search(text)
        if cm and rx.search(r"\bby\s+", text[cm.end() :]):
            found.append(("corroborates", cm))
        # "claimed that none of the deaths ...": a claim that negates is a denial.
        claim = rx.search(r"\b(?:claimed|claims|said|says|insisted|maintained|stated)\b", text)
        if claim and not any(s == "denies" for s, _ in found):
            rest = text[claim.end() :]
            if lexicon.NEGATED_CLAIM_RE.search(rest) and rx.search(r"\bthat\b", rest[:40]):
                found.append(("denies", claim))
        found.sort(key=lambda t: t[1].start())
        for stance, m in found:
            passive = rx.search(r"\bby\s+", text[m.end() :])
            is_passive = bool(
                passive
                and rx.search(r"\b(?:was|were|been|being|is|are)\b[^,.]{0,30}$", text[: m.start()])
            )
            if is_passive:
                np = noun_phrase_after(text[m.end() + passive.end() :])
                target_text = text[: m.start()]
            else:
                np = subject_before(text, m.start())
                target_text = text[m.end() :]
            actor = self._resolve_mention(parse_np(np), sent, last)
            if actor is None and last and last.paragraph == sent.paragraph and not is_passive:
                actor = last.speaker
            when = self._statement_date(sent, dates, m.start(), m.end())
            social = bool(lexicon.SOCIAL_MEDIA_RE.search(text[: m.end() + 80]))
            source = self._source_for(actor, sent, when, social) if actor else None
            if (
                stance == "acknowledges"
                and actor
                and actor.kind
                not in (
                    "state_body",
                    "security_force",
                    "person",
                )
            ):
                stance = "corroborates"
            note = ""
            bm = lexicon.BLAME_RE.search(text)
            if bm:
                note = text[bm.start() :].rstrip()
            for target in self._stance_targets(stance, sent, target_text, pops):
                self.stances.append(_Stance(stance, sent, actor, source, target, note))

    def _stance_targets(self, stance: str, sent: Sentence, text: str, pops: list[_Pop]) -> list:
        """What a stance is about, from the words of the clause it governs."""
        here = [f for f in self.figures_by_sentence.get(sent.index, [])]
        if stance == "corroborates" and here:
            return [here[-1]]
        if stance == "acknowledges" and here:
            return here
        if lexicon.KILL_WORDS_RE.search(text):
            killings = [a for a in self.allegations if a.violation == "extrajudicial_killing"]
            tolls = [f for f in self.figures if f.measure == "killed"]
            # Disputing "the death toll" is about the number; denying that any death
            # "can be attributed" to the state is about the allegation.
            for candidates in (tolls, killings) if stance == "disputes" else (killings, tolls):
                if candidates:
                    return [candidates[-1]]
        if lexicon.COUNT_WORDS_RE.search(text):
            for pattern, measure in lexicon.MEASURE_PATTERNS:
                if rx.search(pattern, text, re.IGNORECASE):
                    candidates = [f for f in self.figures if f.measure == measure]
                    if candidates:
                        para = candidates[-1].sentence.paragraph
                        return [f for f in candidates if f.sentence.paragraph == para]
        for p in pops:
            if p.category and sent.text.find(text) <= p.start:
                cluster = self._existing_cluster(p)
                if cluster:
                    return [cluster]
        for regex, code in _VIOLATIONS:
            if regex.search(text):
                for a in reversed(self.allegations):
                    if a.violation == code:
                        return [a]
        if here:
            return here
        previous = self.figures_by_sentence.get(sent.index - 1, [])
        if previous:
            return previous
        return ["__top__"]

    # -- main loop --------------------------------------------------------------

    def run(self) -> None:
        last: _Statement | None = None  # statement in force (own or inherited)
        para_groups: dict[int, set[str]] = {}
        for i, sent in enumerate(self.sents):
            self._current = sent  # the sentence whose dates are read (its day of reference)
            dates = self._find_dates(sent.text)
            pops = self._populations(sent)
            self.pops_by_sentence[sent.index] = pops
            own = self._own_statement(sent, dates, last)
            figs = self._figures(sent, dates, pops)
            cats = {f.cluster.category for f in figs if f.cluster}
            para_groups.setdefault(sent.paragraph, set()).update(cats)
            if own:
                stmt = own
            elif last and last.paragraph == sent.paragraph:
                stmt = last
            elif last and (
                # a communiqué quoted in full speaks for the issuer that introduced it
                self._in_communique(sent, last)
                or (
                    last.paragraph == sent.paragraph - 1
                    and cats & para_groups.get(last.paragraph, set())
                )
            ):
                stmt = _Statement(last.speaker, last.source, sent.paragraph)
            elif (
                last and last.paragraph == sent.paragraph - 1 and _AGENTLESS_COUNT.search(sent.text)
            ):
                # "In X, 212 detentions were recorded": counted by the counter just quoted.
                stmt = _Statement(last.speaker, last.source, sent.paragraph)
            elif self.own_voice and figs:
                # A release in its own voice: what no one else says, the publisher says.
                stmt = self._own_voice_statement(sent, dates)
            else:
                stmt = None
            self._date_figures(figs, dates, stmt)
            if own and figs:
                # "X announced 312, but Y said fewer than 50": a later clause's own speaker.
                clauses = self._clause_statements(sent, dates, own)
                positions = self._figure_positions(sent, figs) if clauses else []
                for f, pos in zip(figs, positions, strict=False):
                    for start, clause in clauses:
                        if pos is not None and pos > start and clause.speaker is not own.speaker:
                            f.statement = clause
            for f in figs:
                f.statement = f.statement or stmt  # a figure may carry its own speaker
            self.figures.extend(figs)
            self.figures_by_sentence[sent.index] = figs
            next_text = ""
            if i + 1 < len(self.sents) and self.sents[i + 1].paragraph == sent.paragraph:
                next_text = self.sents[i + 1].text
            self._allegations(sent, pops, stmt, next_text)
            self._killing_allegations(sent, figs, stmt)
            self._stances(sent, dates, pops, stmt)
            if stmt:
                last = stmt
        self._merge_duplicate_figures()
        self._headline_speakers()

    def _headline_speakers(self) -> None:
        """A headline's count with no speaker takes the speaker of the text that repeats it."""
        for f in self.figures:
            if not self._is_headline(f):
                continue
            if f.statement is not None and f.statement.source.date is not None:
                continue  # the headline dates its own statement
            twins = [
                g
                for g in self.figures
                if g.sentence.index > 0
                and g.statement is not None
                and (g.value, g.value_low, g.measure) == (f.value, f.value_low, f.measure)
            ]
            if f.statement is not None:
                # "..., lawyers say": the headline's speaker stays; the body's matching
                # statement by the same speaker says as of when.
                # A communiqué's statement is dated by its own date line, not by its verb.
                twins = [
                    g
                    for g in twins
                    if _same_speaker(self._reporter(g.statement), self._reporter(f.statement))
                    and (g.statement.source.date is not None or g.precision == "exact")
                ]
            twin = twins[0] if twins else None
            if twin and f.statement is None:
                f.statement, f.as_of, f.precision = twin.statement, twin.as_of, twin.precision
            elif twin:
                f.as_of, f.precision, f.since = twin.as_of, twin.precision, twin.since

    def _killing_allegations(self, sent: Sentence, figs: list[_Figure], stmt) -> None:
        """Deaths in a crackdown, or caused by state forces, are alleged extrajudicial killings."""
        state_agent = rx.search(
            r"\b(?:by|at\s+the\s+hands\s+of)\s+(?:the\s+)?(?:[A-Z]\w+\s+)?(?:security\s+forces"
            r"|police|army|military|soldiers|troops|regime|junta)\b|\b(?:security\s+forces"
            r"|police|soldiers|troops|military|army)\b[^.,]{0,30}?\b(?:shot|killed|opened\s+fire)",
            sent.text,
            re.IGNORECASE,
        )
        if not (lexicon.CRACKDOWN_RE.search(sent.text) or state_agent):
            return
        reporter = stmt
        if stmt and stmt.speaker.kind in ("state_body", "security_force"):
            reporter = None
        for f in figs:
            if f.measure == "killed":
                perp = self._perpetrator(sent)
                self._add_allegation("extrajudicial_killing", sent, [], f.cluster, perp, reporter)

    def _merge_duplicate_figures(self) -> None:
        """The same count reported twice: keep the first, the repeat corroborates it."""
        self._drop_rounded_headlines()
        kept: list[_Figure] = []
        for f in self.figures:
            if f.dropped:
                continue
            twin = None
            for k in kept:
                if (
                    k.cluster is f.cluster
                    and f.cluster is not None
                    and k.measure == f.measure
                    and k.value == f.value
                    and k.value_low == f.value_low
                    and k.qualifier == f.qualifier
                    and k.as_of
                    and f.as_of
                    and abs((k.as_of - f.as_of).days) <= 7
                ):
                    twin = k
                    break
            if twin is None:
                kept.append(f)
                continue
            f.dropped = True
            if f.statement is not None and (twin.statement is None or self._is_headline(twin)):
                # A headline's count repeated by the attributed text: the text's speaker.
                twin.statement, twin.as_of, twin.precision = f.statement, f.as_of, f.precision
                continue
            speaker = f.statement.speaker if f.statement else None
            known = {id(twin.statement.speaker)} if twin.statement else set()
            if twin.statement:
                known.add(id(self._reporter(twin.statement)))
            if speaker is not None and id(speaker) not in known:
                self.stances.append(
                    _Stance("corroborates", f.sentence, speaker, f.statement.source, twin)
                )
        self.figures = kept
        self.stances.sort(key=lambda st: st.sentence.index)
        for idx, figs in self.figures_by_sentence.items():
            self.figures_by_sentence[idx] = [f for f in figs if not f.dropped]

    def _drop_rounded_headlines(self) -> None:
        """A headline's round number ("toll passes 170") when the body gives the exact one.

        The body's 174 is the count a source gave; the headline's 170 only rounds it, and
        two figures would count the same dead twice.
        """
        body = [f for f in self.figures if f.value and not self._is_headline(f)]
        for h in self.figures:
            if not h.value or h.value % 10 or not self._is_headline(h):
                continue
            if any(
                b.measure == h.measure
                and b.value != h.value
                and abs(b.value - h.value) * 10 <= h.value
                for b in body
            ):
                h.dropped = True

    # -- incidents and assembly ------------------------------------------------

    def build(self) -> Draft:
        draft = Draft(reference_date=self.ref.isoformat())
        for f in self.figures:
            if f.statement:
                self._reporter(f.statement)  # an office spoken for is an actor of the draft
        incidents = self._incidents()
        top = incidents[0]
        # Attach figures and groups to the most specific incident.
        special = {i.key: i for i in incidents}
        for f in self.figures:
            f.incident = self._incident_for_figure(f, special, top.key)
            if f.cluster and not f.cluster.incident:
                f.cluster.incident = f.incident
        for c in self.clusters:
            c.incident = c.incident or self._incident_for_cluster(c, special, top.key)
        for a in self.allegations:
            a.incident = a.cluster.incident if a.cluster else top.key
        # Keys.
        taken: set[str] = set()
        for f in self.figures:
            who = f"-{slugify(f.cluster.label)}" if f.cluster else ""
            amount = f.value if f.value is not None else (f.value_low or "unspecified")
            f.key = _unique(f"{slugify(f.measure)}{who}-{amount}", taken)
        for a in self.allegations:
            who = slugify(a.cluster.label) if a.cluster else a.incident
            a.key = _unique(f"{slugify(a.violation)}-{who}", taken)

        draft.actors = [
            DraftActor(
                name=r.name,
                kind=r.kind,
                quote=r.quote,
                country=r.country,
                parent=r.parent,
                role=r.role,
            )
            for r in self.actors.records
        ]
        draft.sources = [
            DraftSource(
                key=s.key,
                kind=s.kind,
                title=self._source_title(s),
                quote=s.quote,
                issuer=s.issuer.name,
                date=s.date.isoformat() if s.date else None,
                date_precision=s.precision,
            )
            for s in self.sources
        ]
        draft.incidents = incidents
        used = {f.cluster.label for f in self.figures if f.cluster}
        used |= {a.cluster.label for a in self.allegations if a.cluster}
        used |= {s.target.label for s in self.stances if isinstance(s.target, _Cluster)}
        draft.groups = [
            DraftGroup(
                label=c.label,
                incident=c.incident,
                quote=c.quote,
                age_min=c.age_min,
                age_max=c.age_max,
                sex=c.sex,
                citizenship=c.citizenship,
                nationality=c.nationality,
                affiliation=c.affiliation,
                charges=c.charges,
            )
            for c in self.clusters
            if c.label in used
        ]
        draft.figures = [
            DraftFigure(
                key=f.key,
                value=f.value,
                qualifier=f.qualifier,
                measure=f.measure,
                incident=f.incident,
                quote=f.sentence.text,
                group=f.cluster.label if f.cluster else None,
                value_low=f.value_low,
                value_high=f.value_high,
                as_of=f.as_of.isoformat() if f.as_of else None,
                as_of_precision=f.precision,
                reported_by=self._reporter(f.statement).name if f.statement else None,
                source=f.statement.source.key if f.statement else None,
                since=f.since.isoformat() if f.since else None,
            )
            for f in self.figures
        ]
        draft.allegations = [
            DraftAllegation(
                key=a.key,
                violation_type=a.violation,
                incident=a.incident,
                quote=a.sentence.text,
                methods=list(a.methods),
                victim_group=a.cluster.label if a.cluster else None,
                perpetrator=a.perpetrator.name if a.perpetrator else None,
                reported_by=self._reporter(a.statement).name if a.statement else None,
                source=a.statement.source.key if a.statement else None,
                summary=self._allegation_summary(
                    a, self._reporter(a.statement).name if a.statement else None
                ),
            )
            for a in self.allegations
        ]
        # Say so when no reporter was found, so the reviewer checks who says it (every
        # language builds its draft here).
        for record in [*draft.figures, *draft.allegations]:
            if not record.reported_by and REPORTER_UNKNOWN not in record.warnings:
                record.warnings.append(REPORTER_UNKNOWN)
        stance_keys: set[str] = set()
        for s in self.stances:
            kind, target = self._target_ref(s.target, top.key)
            who = slugify(s.actor.name) if s.actor else "unknown"
            draft.stances.append(
                DraftStance(
                    key=_unique(f"{s.stance}-{who}-{slugify(target)}", stance_keys),
                    stance=s.stance,
                    target_kind=kind,
                    target=target,
                    quote=s.sentence.text,
                    actor=s.actor.name if s.actor else None,
                    source=s.source.key if s.source else None,
                    note=s.note,
                )
            )
        return draft

    def _reporter(self, stmt: _Statement) -> ActorRecord:
        """Who stands behind a figure: a spokesperson speaks for their organisation.

        A person with a role in a parent organisation (Foro Penal's director) reports on
        the organisation's behalf, so the organisation is credited; the person stays the
        issuer of the source and is the actor of any stance they take.
        """
        speaker = stmt.speaker
        office = _OFFICE_OF_ROLE.get(speaker.role or "") if speaker.kind == "person" else None
        if office and not speaker.parent:
            return self._prosecution(office, stmt)
        if speaker.kind == "person" and speaker.parent:
            for rec in self.actors.records:
                if rec.name != speaker.parent or rec.kind not in _SPEAKS_FOR:
                    continue
                # An NGO's officer speaks for it; of other bodies, only those whose office
                # is to speak for them (a Special Rapporteur speaks in their own name). A
                # person named only as "X of the Office" speaks for it.
                if (
                    rec.kind in ("ngo", "media")
                    or not speaker.role
                    or rx.search(_SPOKES_ROLES, speaker.role)
                ):
                    return rec
        return speaker

    def _prosecution(self, office: str, stmt: _Statement) -> ActorRecord:
        """The office an attorney general speaks for: the one the article names, else named
        by the role (registered once, at the first figure it reports)."""
        for rec in self.actors.records:
            if rec.kind == "state_body" and _PROSECUTION.search(rec.name):
                return rec
        mention = ActorMention(name=office, kind="state_body", country=self.country)
        return self.actors.add(mention, stmt.source.quote) or stmt.speaker

    def _target_ref(self, target, top_key: str) -> tuple[str, str]:
        if isinstance(target, _Figure):
            return "figure", target.key
        if isinstance(target, _Cluster):
            return "group", target.label
        if isinstance(target, _Allegation):
            return "allegation", target.key
        return "incident", top_key

    def _incident_for_cluster(self, c: _Cluster, special: dict, top: str) -> str:
        if c.category in SPECIAL_INCIDENTS and SPECIAL_INCIDENTS[c.category][0] in special:
            return SPECIAL_INCIDENTS[c.category][0]
        if c.citizenship in ("foreign", "dual") and FOREIGN_INCIDENT[0] in special:
            return FOREIGN_INCIDENT[0]
        return top

    def _incident_for_figure(self, f: _Figure, special: dict, top: str) -> str:
        if f.cluster:
            key = self._incident_for_cluster(f.cluster, special, top)
            if key != top:
                return key
        if f.measure == "released" and f.statement:
            key = _release_key(self._reporter(f.statement))
            if key in special:
                return key
        return top

    def _incident_dates(self, text: str) -> list[DateMention]:
        """A sentence's dates, as the incidents read them (the election's date)."""
        return find_dates(text, self.ref)

    def _incidents(self) -> list[DraftIncident]:
        words = self.incident_words
        country_name = words.countries.get(self.country or "", self.country or "")
        where = words.where.format(country=country_name) if country_name else ""
        crack = words.crackdown_re.search(self.text)
        election = words.election_re.search(self.text)
        start = None
        for s in self.sents:
            for d in self._incident_dates(s.text):
                around = s.text[max(0, d.start - words.window) : d.end + words.window]
                if d.event and d.date and words.election_event_re.search(around):
                    start = d
                    break
            if start:
                break
        if crack:
            kind = "crackdown"
            key = "post-election-crackdown" if election else "crackdown"
            title = (words.post_election_crackdown if election else words.crackdown) + where
            quote = next(s.text for s in self.sents if words.crackdown_re.search(s.text))
        else:
            measures = Counter(f.measure for f in self.figures)
            if measures and measures.most_common(1)[0][0] == "killed":
                kind, key, title = "killing", "killings", words.killings + where
            else:
                kind, key, title = "mass_detention", "mass-detentions", words.mass_detentions
                title += where
            quote = (
                self.figures[0].sentence.text
                if self.figures
                else (self.sents[0].text if self.sents else "")
            )
        # "the crackdown in X", "la represión en X": the top incident inside a sentence.
        during = words.articles.get(kind, "") + title[0].lower() + title[1:]
        summary = title
        if start:
            summary += words.after_election.format(date=start.iso)
        top = DraftIncident(
            key=key,
            title=title,
            kind=kind,
            quote=quote,
            summary=summary + ".",
            country=self.country,
            start_date=start.iso if start else None,
            start_precision=start.precision if start else None,
        )
        out = [top]
        # Special populations.
        for category, (ckey, _) in SPECIAL_INCIDENTS.items():
            figs = [f for f in self.figures if f.cluster and f.cluster.category == category]
            if not any(f.measure in ("detained", "still_detained") for f in figs):
                continue
            first = figs[0]
            out.append(
                DraftIncident(
                    key=ckey,
                    title=words.special_titles[category],
                    kind="mass_detention",
                    quote=first.sentence.text,
                    summary=words.special_summary.format(
                        labels=first.cluster.label, incident=during
                    ),
                    country=self.country,
                    parent=key,
                )
            )
        foreign = [
            f for f in self.figures if f.cluster and f.cluster.citizenship in ("foreign", "dual")
        ]
        if foreign:
            labels = list(dict.fromkeys(f.cluster.label for f in foreign))
            note = next(
                (n for n in self.charge_notes if n[0] and n[0].citizenship in ("foreign", "dual")),
                None,
            )
            summary = words.arrests_of.format(labels=", ".join(labels))
            quote = foreign[0].sentence.text
            if note:
                summary += words.accused_of.format(charge=note[1])
                if note[2]:
                    summary += words.no_proof
                quote = note[3].text
            out.append(
                DraftIncident(
                    key=FOREIGN_INCIDENT[0],
                    title=words.foreign_title,
                    kind="arrest",
                    quote=quote,
                    summary=summary + ".",
                    country=self.country,
                    parent=key,
                )
            )
        # Releases announced by an authority.
        seen: set[str] = set()
        for f in self.figures:
            if f.measure != "released" or not f.statement:
                continue
            if f.cluster and f.cluster.category in SPECIAL_INCIDENTS:
                continue
            issuer = self._reporter(f.statement)
            if issuer.kind not in ("state_body", "security_force") and not (
                issuer.kind == "person" and issuer.role
            ):
                continue
            rkey = _release_key(issuer)
            if rkey in seen:
                continue
            seen.add(rkey)
            title = words.releases_by.format(name=issuer.name)
            out.append(
                DraftIncident(
                    key=rkey,
                    title=title,
                    kind="release",
                    quote=f.sentence.text,
                    summary=title + ".",
                    country=self.country,
                    parent=key,
                    start_date=f.as_of.isoformat() if f.as_of else None,
                    start_precision=f.precision,
                )
            )
        return out


def _same_speaker(a: ActorRecord, b: ActorRecord) -> bool:
    """The same actor, or one named by the same words in another order: a headline's
    "Interior Ministry" is the body's "Ministry of the Interior"."""
    if a is b:
        return True

    def words(name: str) -> set[str]:
        return {w for w in rx.findall(r"[a-z]+", name.lower()) if w not in ("of", "the", "for")}

    return bool(words(a.name)) and words(a.name) == words(b.name)


def _unique(key: str, taken: set[str]) -> str:
    candidate, n = key, 2
    while candidate in taken:
        candidate = f"{key}-{n}"
        n += 1
    taken.add(candidate)
    return candidate


def _release_key(issuer: ActorRecord) -> str:
    return f"releases-{slugify(issuer.name)}"


# Organisations a person with a role in them speaks for (the figure's reporter).
_SPEAKS_FOR = ("ngo", "media", "un_mechanism", "intergovernmental", "state_body", "security_force")

_SPOKES_ROLES = (
    r"spokes|director|head|chair|president|secretary|coordinator|commander|chief|minister"
    r"|ombudsman"
)

# "it said in its latest update", "it has documented": a counter speaking, not a court.
_COUNTING_IT = re.compile(
    r"\b[Ii]ts\s+(?:\w+\s+)?(?:update|count|tally|report|figures|list|bulletin|records|database"
    r"|register)\b|\b[Ii]t\s+(?:has\s+|had\s+)?(?:documented|recorded|counted|registered"
    r"|verified|tallied)\b"
)
# "X gave these figures:", "released the following numbers": a list's introduction.
_GAVE_FIGURES = re.compile(
    r"\b(?:gave|gives|released|releases|published|publishes|provided|provides|issued|issues"
    r"|shared|shares)\s+(?:these|the\s+following|its|their|new|updated|the\s+latest)\s+"
    r"(?:figures|numbers|data|statistics|breakdown|tally|toll)\b"
)
# Between a reporting verb and its date: "said on Monday", "said at a briefing on Tuesday",
# "told reporters in a statement on Friday", "told reporters late on Monday".
_STATEMENT_GAP = re.compile(
    r"\s*(?:(?:at|in|during|to|via|through)\s+(?:a|an|the|its|their|his|her)\s+"
    r"(?:[a-z][\w-]*\s+){0,3}?|(?:reporters|journalists)\s+)?(?:(?:late|early)\s+)?"
    r"(?:on|in|at|during)?\s*"
)
# What may follow a partitive without being its predicate: "130 of them since October".
# A part told apart only by the manner of the same measure: "two of them in absentia".
_MANNER_ONLY = re.compile(
    r"\s*(?:in\s+absentia|by\s+(?:a\s+)?(?:military|special|civilian|revolutionary)\s+courts?"
    r"|without\s+(?:a\s+)?trial)\s*(?:[,;.]|$)",
    re.IGNORECASE,
)
_PERIOD_ONLY = re.compile(
    r"\s*(?:alone\s+)?(?:since|in|during|over|between|from|by|so\s+far|this|last)\b[^,;]*",
    re.IGNORECASE,
)
_COUNTER_CLAIM = re.compile(
    r"\b(?:disput\w*|contest\w*|reject\w*|claim\w*|den(?:y|ied|ies))\b", re.I
)
# A register counted by its entries: "its list ... holds 303 names", "our list includes 95
# names", "the database contains 212 names".
_LIST_ENTRIES = re.compile(r"\s+(?:names|entries)\b", re.IGNORECASE)
_LIST_BEFORE = re.compile(
    r"\b(?:list|register|registry|database|roll|record|tally)\b[^.;]*?\b(?:holds?|holding"
    r"|includes?|including|contains?|containing|counts?|lists?|has|had|now\s+has|comprises?"
    r"|numbers?|reached|stands\s+at|with)\s+(?:(?:now|still|currently|a\s+total\s+of"
    r"|some|about|nearly|almost|more\s+than|over)\s+)*$",
    re.IGNORECASE,
)
_LIST_OF_PRISONERS = re.compile(
    r"\b(?:list|register|registry|database|roll)\s+of\s+(?:\w+\s+)?political\s+prisoners\b"
    r"|\bpolitical\s+prisoners?\b",
    re.IGNORECASE,
)
# "its figures include eight ...", "the tally includes": a part of the count before.
_INCLUDES = re.compile(
    r"\b(?:figures?|count|tally|list|toll|total|number|numbers|data)\s+(?:also\s+)?"
    r"(?:include|includes|included)\s+(?:at\s+least\s+|some\s+)?$",
    re.IGNORECASE,
)
# The prosecution service by its name: "Attorney General's Office", "Public Prosecution".
_PROSECUTION = re.compile(
    r"\b(?:Attorney[\s-]+General|Prosecutor(?:[\s-]+General)?|Prosecution|Procura\w*"
    r"|Public\s+Ministry|Fiscal\w*)\b",
    re.IGNORECASE,
)
# An office-holder who speaks for the office: "Attorney General Luisa Ortiz".
_OFFICE_OF_ROLE = {
    "attorney general": "Attorney General's Office",
    "prosecutor general": "Prosecutor General's Office",
    "chief prosecutor": "Prosecutor's Office",
}
# A council of the state: "National Electoral Council", "Supreme Council".
_STATE_COUNCIL = re.compile(
    r"\b(?:National|Electoral|Supreme|State|Security|Municipal|City|Revolutionary|Legislative"
    r"|Constitutional|Judicial|Federal|Provincial|Regional|Military)\b.*\bCouncil\b"
)
_QUOTED_RE = re.compile(r"[\u201c\"][^\u201d\"]*[\u201d\"]")

# An agentless count: "212 detentions were recorded" (by whoever is counting).
_AGENTLESS_COUNT = re.compile(
    r"\b(?:were|was|have\s+been|had\s+been)\s+(?:recorded|documented|registered|counted"
    r"|verified|confirmed|identified|tallied)\b(?!\s+by\b)",
    re.IGNORECASE,
)

_MEASURE_NOUN_RE = re.compile(
    r"\b(?:" + "|".join(map(re.escape, lexicon.MEASURE_NOUNS)) + r")\b", re.IGNORECASE
)
# Words before a count of political prisoners that make it a count of those held.
_HELD_COUNT = re.compile(
    r"\b(?:there\s+(?:are|were|is|remain|remained)|counts?|counted|registers?|registered"
    r"|documents?|documented|records?|recorded|lists?|listed|verified|holds?|has|have|had"
    r"|totals?|totall?ed|of\s+whom|with)\s+(?:(?:still|now|currently|a\s+total\s+of)\s+)?$",
    re.IGNORECASE,
)

_EARLIER_STATEMENT = re.compile(
    # "had also denied", "had previously said": an earlier statement. Not "said its
    # observers had also recorded", where the pluperfect is inside what is said.
    r"\b(?:had|have|has)\s+(?:also\s+|already\s+|previously\s+|earlier\s+)?(?:said|denied"
    r"|announced|stated|claimed|reported|told|acknowledged|admitted|insisted|warned|rejected"
    r"|dismissed|rejected|confirmed|published)\b|\bpreviously\b",
    re.IGNORECASE,
)


def _source_kind(issuer: ActorRecord, registry: ActorRegistry, sentence: str) -> str:
    kind = issuer.kind
    if kind == "person" and issuer.parent:
        parent = next((r for r in registry.records if r.name == issuer.parent), None)
        kind = parent.kind if parent else kind
    if lexicon.TESTIMONY_WORDS.search(issuer.name) and issuer.kind == "group":
        return "testimony"
    if kind == "ngo" or (kind == "group" and rx.search(r"organi|NGO|group", issuer.name)):
        return "ngo_report" if lexicon.REPORT_DOC_RE.search(sentence) else "ngo_statement"
    return {
        "un_mechanism": "un_statement",
        "intergovernmental": "igo_statement",
        "state_body": "government_statement",
        "security_force": "government_statement",
        "media": "news_article",
        "person": (
            "government_statement"
            if issuer.role and rx.search(_STATE_ROLES, issuer.role)
            else "ngo_statement"
            if issuer.role
            else "testimony"
        ),
    }.get(kind, "testimony")


_STATE_ROLES = (
    r"minister|spokes|president|governor|mayor|attorney|prosecutor|police|commander"
    r"|ombudsman|secretary"
)


def _source_title(s: _Source) -> str:
    words = {
        "ngo_statement": "statement",
        "ngo_report": "report",
        "un_statement": "statement",
        "igo_statement": "statement",
        "government_statement": "statement",
        "social_media_post": "social media post",
        "testimony": "testimony",
        "news_article": "report",
    }
    title = f"{s.issuer.name} {words.get(s.kind, 'statement')}"
    if s.date:
        title += f" ({s.date.isoformat()})"
    return title


def _allegation_summary(a: _Allegation, reporter: str | None) -> str:
    text = lexicon.VIOLATION_LABELS.get(a.violation, a.violation)
    if a.methods:
        text += " (" + ", ".join(m.replace("_", " ") for m in a.methods) + ")"
    if a.cluster:
        text += f" of {a.cluster.label}"
    if a.perpetrator:
        text += f" by the {a.perpetrator.name}"
    if reporter:
        text += f", reported by {reporter}"
    return text + "."


def extract(
    text: str,
    reference_date: date,
    *,
    language: str | None = None,
    country_hint: str | None = None,
) -> Draft:
    """Read one English or Spanish news article and return the draft records it supports.

    ``reference_date`` is the day the article was written (it resolves "Tuesday",
    "this week", years left out); ``country_hint`` (ISO alpha-2) overrides the
    most-mentioned country. ``language`` ("en" or "es") forces the rules to use;
    None detects it from the text (``language.detect_language``). Any other
    language, forced or detected, raises ``language.UnsupportedLanguage``.
    """
    # Imported here: the Spanish extractor subclasses the English one in this module.
    from incidents.extraction.extractor_es import SpanishExtractor
    from incidents.extraction.language import UnsupportedLanguage, detect_language

    if language is None:
        language = detect_language(text)
    readers = {"en": _Extractor, "es": SpanishExtractor}
    if language not in readers:
        raise UnsupportedLanguage(language)
    if not text.strip():  # nothing to read: no sentence to quote, no record
        return Draft(reference_date=reference_date.isoformat(), language=language)
    ex = readers[language](text, reference_date, country_hint)
    ex.run()
    draft = ex.build()
    draft.language = language
    return draft
