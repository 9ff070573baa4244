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

from incidents.extraction import lexicon
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
    text = re.sub(r"['\u2019]", "", text.lower())
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


# ---------------------------------------------------------------------------
# Internal records, resolved to Draft records at the end.


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


# ---------------------------------------------------------------------------


class _Extractor:
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
            re.sub(r"^The\s+", "", m.group("name"))
            for m in lexicon.STATE_PERPETRATOR_RE.finditer(self.text)
        ]
        names = [n for n in names if not re.match(r"^(?:The|This|That|A)\s", n)]
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
        m = re.search(
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
            fuller = re.search(
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
        for m in re.finditer(
            rf"(?P<dem>{lexicon.DEMONYM_RE.pattern})(?:\s+(?P<noun>nationals|citizens))?"
            r"(?P<dual>\s+with\s+dual\s+(?:citizenship|nationality))?",
            text,
        ):
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
        for pattern, category, attrs in lexicon.POPULATIONS:
            for m in re.finditer(rf"\b(?:{pattern})\b", text, re.IGNORECASE):
                if free(m.start(), m.end()):
                    attrs = dict(attrs)
                    if m.group(0).lower() == "boys":
                        attrs["sex"] = "male"
                    elif m.group(0).lower() == "girls":
                        attrs["sex"] = "female"
                    cat = category
                    if category == "adults" and re.search(r"political\s+prisoners?", text):
                        cat = "adult political prisoners"
                    pops.append(_Pop(m.start(), m.end(), cat, attrs))
        for m in re.finditer(rf"\b(?:{lexicon.GENERIC_PEOPLE})\b", text, re.IGNORECASE):
            if free(m.start(), m.end()):
                pops.append(_Pop(m.start(), m.end(), None))
        for word, measure in lexicon.MEASURE_NOUNS.items():
            for m in re.finditer(rf"\b{word}\b", text, re.IGNORECASE):
                if free(m.start(), m.end()):
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
        c = _Cluster(
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
        if mention.parent and mention.parent.pronoun:
            # "The group's director ...": the group is the organisation last quoted.
            owner = self._last_organisation()
            mention.parent = ActorMention(name=owner.name, kind=owner.kind) if owner else None
        if mention.pronoun and mention.name in lexicon.ORG_ANAPHORS:
            return self._last_organisation()
        if mention.pronoun:
            if last and last.paragraph == sent.paragraph:
                return last.speaker
            return None
        if mention.surname_only:
            return self.actors.find(mention)
        return self.actors.add(mention, sent.text)

    def _last_organisation(self) -> ActorRecord | None:
        """The organisation quoted last: what "the organization" / "the group" refers to."""
        for src in reversed(self.sources):
            if src.issuer.kind in ("ngo", "un_mechanism", "intergovernmental"):
                return src.issuer
        return None

    def _statement_date(
        self, sent: Sentence, dates: list[DateMention], verb_start: int, verb_end: int
    ) -> DateMention | None:
        """The date of the reporting act: right after the verb, or opening the sentence."""
        for d in dates:
            if d.as_of or d.event or d.date is None:
                continue
            gap = sent.text[verb_end : d.start]
            if d.start >= verb_end and re.fullmatch(r"\s*(?:on|in|at|during)?\s*", gap):
                return d
            opens_sentence = d.start == 0 or re.fullmatch(
                r"(?:on|in|at)\s+", sent.text[: d.start], re.I
            )
            if d.end <= verb_start and opens_sentence:
                return d
        return None

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
        kind = "social_media_post" if social else _source_kind(issuer, self.actors, sent.text)
        day = when.date if when else None
        # "had also denied", "previously said": the text marks an earlier, separate
        # statement, which must not inherit the date of the one reported before it.
        earlier = _EARLIER_STATEMENT.search(sent.text) is not None
        for src in reversed(self.sources):
            if src.issuer is not issuer or src.kind != kind:
                continue
            if src.quote == sent.text and src.date == day:
                return src  # the same sentence, looked up again
            if day is None and not earlier and sent.paragraph - src.paragraph <= 1:
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
        m = re.search(
            r"\baccording\s+to\s+(?:(?:estimates|figures|data|a\s+report|reports|statistics"
            r"|a\s+statement|a\s+count|a\s+tally|records)\s+(?:from|by|of)\s+)?",
            text,
            re.IGNORECASE,
        )
        if m:
            np = noun_phrase_after(text[m.end() :])
            speaker = self._resolve_mention(parse_np(np), sent, last)
            if speaker:
                when = self._statement_date(sent, dates, m.start(), m.end())
                return _Statement(speaker, self._source_for(speaker, sent, when), sent.paragraph)
        verbs = rf"\b(?:{lexicon.REPORT_VERBS}|denied|acknowledged|admitted|conceded|insisted)\b"
        for vm in re.finditer(verbs, text):
            # A passive "was reported by" names its speaker after "by": not a subject.
            if re.search(r"\b(?:was|were|been|be|is|are)\s+$", text[: vm.start()]):
                continue
            np = subject_before(text, vm.start())
            speaker = self._resolve_mention(parse_np(np), sent, last)
            if speaker is None:
                continue
            when = self._statement_date(sent, dates, vm.start(), vm.end())
            social = bool(lexicon.SOCIAL_MEDIA_RE.search(text[vm.end() : vm.end() + 60]))
            src = self._source_for(speaker, sent, when, social)
            return _Statement(speaker, src, sent.paragraph)
        return None

    # -- figures --------------------------------------------------------------

    def _measure_for(self, sent: Sentence, q: Quantity, pop: _Pop) -> str | None:
        text = sent.text
        if pop.measure:
            return pop.measure
        before = text[: q.start]
        for pattern, measure in lexicon.MEASURE_NOMINALS:
            if re.search(
                rf"\b(?:{pattern})\s+of\s+(?:a\s+group\s+of\s+|another\s+|an?\s+additional\s+)?$",
                before,
                re.IGNORECASE,
            ):
                return measure
        vm = re.search(r"\b(\w+)\s+(?:(?:also|another|a\s+further)\s+)?$", before)
        if vm:
            for pattern, measure in lexicon.MEASURE_PATTERNS:
                if re.fullmatch(pattern.replace(r"\b", ""), vm.group(1), re.IGNORECASE):
                    return measure
        # The verb must be in the same clause: stop at a comma, semicolon or dash.
        after = re.split(r"[,;:\u2014\u2013]|\s-\s", text[pop.end : pop.end + 160])[0]
        best: tuple[int, int, str] | None = None
        for rank, (pattern, measure) in enumerate(lexicon.MEASURE_PATTERNS):
            m = re.search(pattern, after, re.IGNORECASE)
            if m and (best is None or (m.start(), rank) < best[:2]):
                best = (m.start(), rank, measure)
        return best[2] if best else None

    def _figures(self, sent: Sentence, dates: list[DateMention], pops: list[_Pop]) -> list[_Figure]:
        masked = [(d.start, d.end) for d in dates]
        masked += [(s, e) for s, e, _, _ in find_age_ranges(sent.text)]
        out: list[_Figure] = []
        for q in find_quantities(sent.text, masked):
            pop = None
            for p in pops:
                if p.start < q.end:
                    continue
                gap = sent.text[q.end : p.start]
                if re.search(r"[,.;:—\u2013]|\b(?:that|who|were|was|have|had|and|or)\b", gap):
                    break
                if len(gap.split()) <= 3:
                    pop = p
                break
            if pop is None:
                continue
            measure = self._measure_for(sent, q, pop)
            # "..., including three journalists" / "among them hundreds of women": a
            # subset counted with the measure of the figure it belongs to.
            if out and re.search(
                r"\b(?:including|among\s+them|among\s+whom|of\s+whom)\s+$",
                sent.text[: q.start],
                re.I,
            ):
                measure = out[-1].measure
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
                )
            )
        # "all (of the remaining) minors ... have been released": none remain detained.
        for p in pops:
            if not p.category:
                continue
            before = sent.text[: p.start]
            if not re.search(
                r"(?<!not\s)\ball\s+(?:of\s+)?(?:the\s+)?(?:(?:remaining|detained|imprisoned"
                r"|jailed|other)\s+)*$",
                before,
                re.IGNORECASE,
            ):
                continue
            after = sent.text[p.end :]
            rel = re.search(r"\b(?:released|freed|set\s+free)\b", after)
            if not rel or re.search(r"\bnot\b|\byet\b", after[: rel.start()]):
                continue
            cluster = self._cluster_for(p, sent)
            p.cluster = cluster
            out.append(_Figure(0, "exact", "still_detained", sent, cluster))
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
        own = [d for d in dates if d.date and d.as_of]
        if not own:
            own = [
                d
                for d in dates
                if d.date and not d.event and d.date != stmt_date and d.kind != "vague"
            ]
            own = [] if stmt_date else own
        vague = any(d.kind == "vague" for d in dates)
        for f in figs:
            if own:
                f.as_of, f.precision = own[0].date, own[0].precision
            elif stmt_date:
                f.as_of = stmt_date
                f.precision = "approximate" if vague and stmt_prec == "exact" else stmt_prec
            else:
                f.as_of, f.precision = self.ref, "approximate"

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
        text = sent.text
        triggers: list[tuple[int, str]] = []
        for pattern, code in lexicon.VIOLATIONS:
            for m in re.finditer(pattern, text, re.IGNORECASE):
                if code == "threats" and re.search(
                    r"threat\w*\s+(?:to|against)\s+\w+\s+famil", text[m.start() :]
                ):
                    continue
                triggers.append((m.start(), code))
        methods: list[tuple[int, str]] = []
        for pattern, code in lexicon.METHODS:
            m = re.search(pattern, text, re.IGNORECASE)
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
        nm = re.search(r"\b(?:said|claimed|insisted|stated)\s+that\b", text)
        if nm and lexicon.NEGATED_CLAIM_RE.search(text, nm.end()):
            negated_from = min(negated_from, nm.end())
        triggers = [t for t in triggers if t[0] < negated_from]
        methods = [m for m in methods if m[0] < negated_from]
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
        if cm and re.search(r"\bby\s+", text[cm.end() :]):
            found.append(("corroborates", cm))
        # "claimed that none of the deaths ...": a claim that negates is a denial.
        claim = re.search(r"\b(?:claimed|claims|said|says|insisted|maintained|stated)\b", text)
        if claim and not any(s == "denies" for s, _ in found):
            rest = text[claim.end() :]
            if lexicon.NEGATED_CLAIM_RE.search(rest) and re.search(r"\bthat\b", rest[:40]):
                found.append(("denies", claim))
        found.sort(key=lambda t: t[1].start())
        for stance, m in found:
            passive = re.search(r"\bby\s+", text[m.end() :])
            is_passive = bool(
                passive
                and re.search(r"\b(?:was|were|been|being|is|are)\b[^,.]{0,30}$", text[: m.start()])
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
                if re.search(pattern, text, re.IGNORECASE):
                    candidates = [f for f in self.figures if f.measure == measure]
                    if candidates:
                        para = candidates[-1].sentence.paragraph
                        return [f for f in candidates if f.sentence.paragraph == para]
        for p in pops:
            if p.category and sent.text.find(text) <= p.start:
                cluster = self._existing_cluster(p)
                if cluster:
                    return [cluster]
        for pattern, code in lexicon.VIOLATIONS:
            if re.search(pattern, text, re.IGNORECASE):
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
            dates = find_dates(sent.text, self.ref)
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
            elif (
                last
                and last.paragraph == sent.paragraph - 1
                and cats & para_groups.get(last.paragraph, set())
            ):
                stmt = _Statement(last.speaker, last.source, sent.paragraph)
            else:
                stmt = None
            self._date_figures(figs, dates, stmt)
            for f in figs:
                f.statement = stmt
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

    def _killing_allegations(self, sent: Sentence, figs: list[_Figure], stmt) -> None:
        """Deaths in a crackdown, or caused by state forces, are alleged extrajudicial killings."""
        state_agent = re.search(
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
        kept: list[_Figure] = []
        for f in self.figures:
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

    # -- incidents and assembly ------------------------------------------------

    def build(self) -> Draft:
        draft = Draft(reference_date=self.ref.isoformat())
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
                title=_source_title(s),
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
                summary=_allegation_summary(
                    a, self._reporter(a.statement).name if a.statement else None
                ),
            )
            for a in self.allegations
        ]
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
        if speaker.kind == "person" and speaker.parent and speaker.role:
            for rec in self.actors.records:
                if rec.name == speaker.parent and rec.kind in ("ngo", "media"):
                    return rec
        return speaker

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

    def _incidents(self) -> list[DraftIncident]:
        text = self.text
        country_name = lexicon.ISO_TO_NAME.get(self.country or "", self.country or "")
        crack = lexicon.CRACKDOWN_RE.search(text)
        election = re.search(
            r"\bpost-election\b|\b(?:after|following|since|aftermath\s+of)\b[^.]{0,80}?"
            r"\b(?:election|vote|polls)\b",
            text,
            re.IGNORECASE,
        )
        start = None
        for s in self.sents:
            for d in find_dates(s.text, self.ref):
                around = s.text[max(0, d.start - 30) : d.end + 30]
                if d.event and d.date and re.search(r"election|vote|polls|referendum", around):
                    start = d
                    break
            if start:
                break
        if crack:
            kind = "crackdown"
            key = "post-election-crackdown" if election else "crackdown"
            title = ("Post-election crackdown" if election else "Crackdown") + (
                f" in {country_name}" if country_name else ""
            )
            quote = next(s.text for s in self.sents if lexicon.CRACKDOWN_RE.search(s.text))
        else:
            measures = Counter(f.measure for f in self.figures)
            if measures and measures.most_common(1)[0][0] == "killed":
                kind, key, title = "killing", "killings", "Killings"
            else:
                kind, key, title = "mass_detention", "mass-detentions", "Mass detentions"
            if country_name:
                title += f" in {country_name}"
            quote = self.figures[0].sentence.text if self.figures else self.sents[0].text
        summary = title
        if start:
            summary += f", after the election of {start.iso}"
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
        for category, (ckey, ctitle) in SPECIAL_INCIDENTS.items():
            figs = [f for f in self.figures if f.cluster and f.cluster.category == category]
            if not any(f.measure in ("detained", "still_detained") for f in figs):
                continue
            first = figs[0]
            labels = first.cluster.label
            out.append(
                DraftIncident(
                    key=ckey,
                    title=ctitle,
                    kind="mass_detention",
                    quote=first.sentence.text,
                    summary=f"Detention of {labels} during the {title[0].lower()}{title[1:]}.",
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
            summary = "Arrests of " + ", ".join(labels)
            quote = foreign[0].sentence.text
            if note:
                summary += f"; accused of {note[1]}"
                if note[2]:
                    summary += " (no proof presented)"
                quote = note[3].text
            out.append(
                DraftIncident(
                    key=FOREIGN_INCIDENT[0],
                    title=FOREIGN_INCIDENT[1],
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
            out.append(
                DraftIncident(
                    key=rkey,
                    title=f"Releases announced by the {issuer.name}",
                    kind="release",
                    quote=f.sentence.text,
                    summary=f"Releases announced by the {issuer.name}.",
                    country=self.country,
                    parent=key,
                    start_date=f.as_of.isoformat() if f.as_of else None,
                    start_precision=f.precision,
                )
            )
        return out


def _unique(key: str, taken: set[str]) -> str:
    candidate, n = key, 2
    while candidate in taken:
        candidate = f"{key}-{n}"
        n += 1
    taken.add(candidate)
    return candidate


def _release_key(issuer: ActorRecord) -> str:
    return f"releases-{slugify(issuer.name)}"


_EARLIER_STATEMENT = re.compile(
    r"\bhad\s+(?:also\s+|already\s+|previously\s+|earlier\s+)?[a-z]+ed\b|\bpreviously\b",
    re.IGNORECASE,
)


def _source_kind(issuer: ActorRecord, registry: ActorRegistry, sentence: str) -> str:
    kind = issuer.kind
    if kind == "person" and issuer.parent:
        parent = next((r for r in registry.records if r.name == issuer.parent), None)
        kind = parent.kind if parent else kind
    if lexicon.TESTIMONY_WORDS.search(issuer.name) and issuer.kind == "group":
        return "testimony"
    if kind == "ngo" or (kind == "group" and re.search(r"organi|NGO|group", issuer.name)):
        return "ngo_report" if lexicon.REPORT_DOC_RE.search(sentence) else "ngo_statement"
    return {
        "un_mechanism": "un_statement",
        "intergovernmental": "igo_statement",
        "state_body": "government_statement",
        "security_force": "government_statement",
        "media": "news_article",
        "person": (
            "government_statement"
            if issuer.role and re.search(_STATE_ROLES, issuer.role)
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
    language: str = "en",
    country_hint: str | None = None,
) -> Draft:
    """Read one English news article and return the draft records it supports.

    ``reference_date`` is the day the article was written (it resolves "Tuesday",
    "this week", years left out); ``country_hint`` (ISO alpha-2) overrides the
    most-mentioned country.
    """
    if language != "en":
        raise ValueError(f"only English articles are supported, not {language!r}")
    ex = _Extractor(text, reference_date, country_hint)
    ex.run()
    draft = ex.build()
    draft.language = language
    return draft
