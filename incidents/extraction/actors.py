"""Who speaks: find the actor behind a reporting verb and give it a kind, role and parent.

News prose introduces its sources with a handful of noun-phrase shapes, and the
parser recognises these:

* descriptor + name: "Venezuelan nongovernment organization Foro Penal" -> ngo
  "Foro Penal", country VE (the demonym is kept as the country, not in the name);
* possessive + role + name: "Foro Penal's director Alfredo Romero" -> person, role
  "director", parent "Foro Penal";
* name + apposition: "Luis Almagro, secretary general of the Organization of
  American States (OAS)" -> person, role "secretary general", parent the OAS;
* role words + name: "Venezuelan interior minister and long-suspected drug lord
  Diosdado Cabello" -> person, role "interior minister" (only roles from
  ``lexicon.ROLES`` are kept, so editorial epithets never become roles);
* collectives: "regime officials", "local nongovernment organizations",
  "parents of the now-released minors", "United Nations experts".

``ActorRegistry`` merges variants of one actor: case and apostrophe variants
("Attorney General's office" with a straight or a curly apostrophe, "Office"), "U.N."/"UN" for
"United Nations", a shorter mention that ends a longer one ("Regime officials"
-> "Maduro regime officials"), and a person's surname alone ("Romero").
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from incidents.extraction import lexicon, rx
from incidents.extraction.speakers import head_kind

_CAP = r"(?:[A-Z][\w\u2019'.-]*|de|del|la|van|von|al)"
_PERSON = rf"[A-Z][\w\u2019'-]+(?:\s+{_CAP}){{1,3}}"
_LEADING_DETERMINERS = re.compile(
    r"^(?:(?:some|several|many|most|all|one|two|three|a\s+few|a\s+group)\s+of\s+)?"
    r"(?:the|a|an|some|several|many)\s+",
    re.IGNORECASE,
)


@dataclass
class ActorMention:
    """An actor as written in one place, before merging."""

    name: str
    kind: str
    role: str | None = None
    parent: ActorMention | None = None
    country: str | None = None
    pronoun: bool = False
    surname_only: bool = False  # one word ("Romero", "ministry"): resolve, never create
    alias: str | None = None  # acronym written after the name: "(OAS)"


@functools.lru_cache(maxsize=4096)  # pure, and called for every record on every lookup
def normalise_name(name: str) -> str:
    """Canonical spelling of an actor's name (not its identity key).

    Straight apostrophes, "U.N."/"UN" spelled out, a trailing "office" capitalised
    after a proper name ("Attorney General's Office"), single spaces.
    """
    name = name.replace("\u2019", "'").replace("\u2018", "'")
    name = rx.sub(r"\bU\.N\.(?=\s|$)", "United Nations", name)
    name = rx.sub(r"\bUN\b(?=\s+[a-z])", "United Nations", name)
    name = rx.sub(r"([A-Z]\w*'s )office\b", r"\1Office", name)
    name = rx.sub(r"\s+", " ", name).strip(' ,.;:“”"')
    return name


@functools.lru_cache(maxsize=4096)
def identity_key(name: str) -> str:
    """Key two mentions of the same actor share: lower case, no articles or demonyms."""
    key = normalise_name(name).lower()
    key = rx.sub(r"\s*\([^)]*\)", "", key)
    key = rx.sub(r"^the\s+", "", key)
    return key


def _strip_demonym(text: str) -> tuple[str, str | None]:
    """Split "Venezuelan Attorney General's office" into name and country.

    The demonym stays in the name when it is part of an organisation's proper name
    ("Nicaraguan Center for Human Rights"): it is dropped only before a lower-case
    descriptor or before a state body or security force.
    """
    m = rx.match(rf"^(?:the\s+)?({lexicon.DEMONYM_RE.pattern})\s+(?=\S)", text)
    if not (m and m.group(1) in lexicon.DEMONYMS):
        return text, None
    rest = text[m.end() :]
    if rest[:1].islower() or not rest or classify(rest) in ("state_body", "security_force"):
        return rest, lexicon.DEMONYMS[m.group(1)]
    return text, lexicon.DEMONYMS[m.group(1)]


def classify(name: str) -> str:
    """The actor kind a name implies, from ``lexicon.KNOWN_ACTORS`` and keyword lists."""
    key = identity_key(name)
    if key in lexicon.KNOWN_ACTORS:
        return lexicon.KNOWN_ACTORS[key]
    for pattern, kind in lexicon.KIND_KEYWORDS:
        if rx.search(pattern, name):
            # An unnamed plural NGO reference ("local nongovernment organizations") is a
            # group of organisations, not one organisation we could name.
            if kind == "ngo" and name[:1].islower() and rx.search(r"s\b$", name):
                return "group"
            return kind
    # A capitalised name ending in an organisation's head ("Kenya Rights Commission",
    # "National Police Service") is that organisation, not a person.
    if name[:1].isupper() and " " in name.strip() and head_kind(name):
        return head_kind(name)
    if rx.fullmatch(_PERSON, name):
        return "person"
    return "group" if name[:1].islower() else "ngo"


def _strip_editorial(text: str) -> str:
    """Drop an outlet's epithets ("socialist dictator") from a noun phrase."""
    return rx.sub(rf"\b(?:{lexicon.EDITORIAL_WORDS})\b\s*", "", text, flags=re.IGNORECASE).strip()


def parse_np(text: str) -> ActorMention | None:
    """Read one noun phrase naming an actor; None when it names none."""
    np = text.strip(' ,;:“”"\u00a0')
    acronym = rx.search(r"\s*\((?P<a>[A-Z][\w.]*)\)$", np)  # trailing acronym "(OAS)"
    if acronym:
        np = np[: acronym.start()]
    mention = _parse_np(np)
    if mention and acronym:
        # The acronym belongs to the organisation: the actor itself or the parent of a
        # person ("Luis Almagro, secretary general of the ... (OAS)").
        owner = mention.parent if mention.kind == "person" else mention
        if owner is not None:
            owner.alias = acronym.group("a")
    return mention


_CONNECTORS = {"of", "the", "for", "and", "on", "de", "del", "la", "y", "in", "to", "against"}
_TRAILING = {
    "regime", "officials", "experts", "government", "authorities", "office", "ministry",
    "police", "forces", "security", "organizations", "organisations", "spokesperson",
    "junta", "court", "prosecutors", "investigators", "rapporteurs", "mission", "group",
}  # fmt: skip


def _plausible_name(name: str) -> bool:
    """A capitalised name may hold connectors inside and collective nouns at its end only.

    This rejects a clause caught by mistake ("Pravo Centre welcomed the releases").
    """
    tokens = rx.findall(r"[\w\u2019'.-]+", name)
    caps = [i for i, t in enumerate(tokens) if t[:1].isupper()]
    if not caps:
        return True
    for i, tok in enumerate(tokens):
        if tok[:1].isupper():
            continue
        if i < caps[-1] and tok.lower() not in _CONNECTORS:
            return False
        if i > caps[-1] and tok.lower() not in _TRAILING:
            return False
    return True


def _person_in_org(m: re.Match) -> ActorMention:
    """A person named with a role in an organisation (groups name, role and org)."""
    parent = parse_np(m.group("org"))
    return ActorMention(
        name=m.group("name"),
        kind="person",
        role=m.group("role").lower(),
        parent=parent,
        country=parent.country if parent else None,
    )


# A name followed by what it is: "Hengaw rights group", "Norway-based Hengaw rights group".
_NAME_THEN_KIND = re.compile(
    r"^(?:[\w-]+-based\s+)?(?P<name>[A-Z][\w\u2019'-]+(?:\s+[A-Z][\w\u2019'-]+){0,2})\s+"
    r"(?:human\s+)?rights\s+(?:group|organi[sz]ation|monitor|watchdog|NGO)$"
)


def _parse_np(np: str) -> ActorMention | None:
    if not np:
        return None
    if np.lower() in lexicon.PRONOUNS or np.lower() in lexicon.ORG_ANAPHORS:
        return ActorMention(name=np.lower(), kind="", pronoun=True)
    np = _LEADING_DETERMINERS.sub("", np)
    named = _NAME_THEN_KIND.match(np)
    if (
        named
        and named.group("name") not in lexicon.COUNTRY_NAMES
        and not lexicon.DEMONYM_RE.match(named.group("name"))
    ):
        # "the Hengaw rights group", "the Norway-based Hengaw rights group": the name
        # before the descriptor noun (not a country: "the Kenya rights group").
        return ActorMention(name=named.group("name"), kind="ngo")
    if "the " + np.lower() in lexicon.ORG_ANAPHORS:  # "the group's director": which group
        return ActorMention(name="the " + np.lower(), kind="", pronoun=True)
    # A sentence-initial common noun is not a name: "Relatives of the detainees".
    # Not "Rights Watch Iran", nor "Ministry of the Interior".
    first = rx.match(r"[A-Z][a-z]+\b(?!\s+[A-Z])(?!\s+of\s+(?:the\s+)?[A-Z])", np)
    if first and rx.fullmatch(
        rf"(?:{lexicon.COLLECTIVE_HEADS}|local|international|independent|rights|human)",
        first.group(0).lower(),
    ):
        np = np[0].lower() + np[1:]
    np = rx.sub(r"^(?:both|local\s+and\s+international)\s+", "", np)

    # "Luis Almagro, secretary general of the Organization of American States (OAS)"
    m = rx.match(
        rf"^(?P<name>{_PERSON}),\s+(?:the\s+|a\s+|an\s+)?(?:\w+\s+)?(?P<role>(?i:{lexicon.ROLE_RE}))"
        r"\s+(?:of|at|for)\s+(?:the\s+)?(?P<org>.+)$",
        np,
    )
    if m and rx.fullmatch(_PERSON, m.group("name")):
        return _person_in_org(m)
    # "spokesperson Ravina Talwar of the UN Human Rights Office", "Ana Ruiz of the Koravia
    # Prisoners Forum": a person named as one of an organisation speaks for it.
    m = _PERSON_OF_ORG.match(np)
    if m and rx.fullmatch(_PERSON, m.group("name")) and _org_like(m.group("org")):
        parent = parse_np(m.group("org"))
        if parent is not None and parent.kind not in ("person", "group", ""):
            role = m.group("role")
            return ActorMention(
                name=m.group("name"),
                kind="person",
                role=role.lower() if role else None,
                parent=parent,
                country=parent.country,
            )
    # "Foro Penal's director Alfredo Romero"
    m = rx.match(
        rf"^(?P<org>.+?)[\u2019']s\s+(?P<role>(?i:{lexicon.ROLE_RE})),?\s+(?P<name>{_PERSON})$",
        np,
    )
    if m:
        return _person_in_org(m)
    # "Venezuelan interior minister and long-suspected drug lord Diosdado Cabello"
    # "UN Special Rapporteur Nadia Kowal": a role right before the name.
    m = rx.search(rf"\b(?P<role>(?i:{lexicon.ROLE_RE}))\s+(?P<name>{_PERSON})$", np)
    if m and not rx.search(rf"(?i:\b(?:{lexicon.ROLE_RE})\b)", m.group("name")):
        owner_text, country = np[: m.start()].strip(), None
        dm = rx.match(rf"^(?:the\s+)?({lexicon.DEMONYM_RE.pattern})(?:\s+|$)", owner_text)
        if dm and dm.group(1) in lexicon.DEMONYMS:
            owner_text, country = owner_text[dm.end() :], lexicon.DEMONYMS[dm.group(1)]
        parent = None
        if rx.search(r"[A-Za-z]", owner_text) and _plausible_name(owner_text):
            parent = parse_np(owner_text)
            if parent and parent.kind == "person" and not parent.surname_only:
                parent = None
        return ActorMention(
            name=m.group("name"),
            kind="person",
            role=m.group("role").lower(),
            parent=parent,
            country=country or (parent.country if parent else None),
        )
    m = rx.search(rf"(?P<name>{_PERSON})$", np)
    if m and m.start() > 0:
        prefix = np[: m.start()]
        role = rx.search(rf"\b(?P<role>{lexicon.ROLE_RE})\b", prefix, re.IGNORECASE)
        if role:
            owner_text, country = prefix[: role.start()].strip(), None
            dm = rx.match(rf"^(?:the\s+)?({lexicon.DEMONYM_RE.pattern})(?:\s+|$)", owner_text)
            if dm and dm.group(1) in lexicon.DEMONYMS:
                owner_text, country = owner_text[dm.end() :], lexicon.DEMONYMS[dm.group(1)]
            # "UN Special Rapporteur Nadia Kowal", "Junta spokesman Zaw Lin Htet": the
            # capitalised words before the role name the organisation the person speaks for.
            parent = None
            if owner_text[:1].isupper() and _plausible_name(owner_text):
                parent = parse_np(owner_text)
                if parent and parent.kind == "person" and not parent.surname_only:
                    parent = None
            return ActorMention(
                name=m.group("name"), kind="person", role=role.group("role").lower(),
                parent=parent, country=country or (parent.country if parent else None),
            )  # fmt: skip
    # "Venezuelan nongovernment organization Foro Penal": lower-case descriptor, then name.
    rest, country = _strip_demonym(np)
    m = rx.match(r"^(?P<desc>(?:[a-z][\w-]*\s+)+)(?P<name>[A-Z].*)$", rest)
    if m and not rx.search(r"\b(?:of|and|to|by)\s*$", m.group("desc")):
        desc, name = m.group("desc"), m.group("name")
        kind = classify(desc.strip() + " X")
        if kind in ("ngo", "group"):
            kind = "ngo"
        name_kind = classify(name)
        if name_kind in ("un_mechanism", "intergovernmental", "state_body", "security_force"):
            kind = name_kind
        return ActorMention(name=_clean_name(name), kind=kind, country=country)
    name = _clean_name(_strip_editorial(rest))
    if not name or not rx.search(r"[A-Za-z]", name) or not _plausible_name(name):
        return None
    if rx.fullmatch(r"[A-Za-z][\w\u2019'-]+", name):
        # One word: an acronym, a surname already met ("Romero"), or the last word of
        # an actor already met ("the ministry", "the junta", "the centre").
        full = lexicon.ACRONYMS.get(name.lower())
        if full:
            return ActorMention(name=full, kind=classify(full), country=country)
        if rx.fullmatch(r"parents|relatives|families|lawyers|witnesses", name, re.I):
            return ActorMention(name=name.lower(), kind="group", country=country)
        if rx.fullmatch(r"[A-Z]{3,}", name):
            # An acronym names an organisation ("OHCHR", "LTDH"), never a surname.
            kind = classify(name)
            kind = "ngo" if kind in ("person", "group") else kind
            return ActorMention(name=name, kind=kind, country=country)
        kind = "person" if name[:1].isupper() else classify(name)
        return ActorMention(name=name, kind=kind, country=country, surname_only=True)
    kind = classify(name)
    if kind in ("group",) or name[:1].islower():
        # Collectives must end in a collective noun; other lower-case phrases are not actors.
        head = rx.search(rf"\b(?:{lexicon.COLLECTIVE_HEADS})\b", name)
        if not head:
            return None
    return ActorMention(name=name, kind=kind, country=country)


_PERSON_OF_ORG = re.compile(
    rf"^(?:(?P<role>(?i:{lexicon.ROLE_RE}))\s+)?(?P<name>{_PERSON})\s+of\s+(?:the\s+)?"
    r"(?P<org>[A-Z].+)$"
)


def _org_like(name: str) -> bool:
    """A name that is an organisation's: its last word or a keyword says so."""
    return bool(head_kind(name)) or classify(name) in (
        "ngo", "media", "un_mechanism", "intergovernmental", "state_body", "security_force"
    )  # fmt: skip


def _clean_name(name: str) -> str:
    name = rx.sub(r"\s*\((?:[A-Z][\w.]*)\)$", "", name.strip())
    return name.strip(' ,;:“”"')


def subject_before(sentence: str, verb_start: int) -> str:
    """The noun phrase written just before a verb: the subject of "X announced".

    Drops auxiliaries and adverbs ("had also", "eventually"), then keeps the text after
    the last clause boundary (comma, "that", dash), re-attaching an apposition
    ("Luis Almagro, secretary general of the OAS, said").
    """
    before = sentence[:verb_start]
    before = rx.sub(
        r"(?:\s+(?:has|have|had|also|eventually|later|previously|reportedly|publicly|officially"
        r"|then|again|recently|separately|further|itself|himself|herself|themselves|first))+\s*$",
        "",
        before,
        flags=re.IGNORECASE,
    ).rstrip()
    before = before.rstrip(",")
    parts = rx.split(
        r'[,;][”"\u2019]?\s+|\s+(?:that|which|who|while|when|but|as)\s+|\s+[—\u2013-]\s+|;\s+',
        before,
    )
    parts = [p for p in parts if p is not None]
    if not parts:
        return ""
    last = parts[-1]
    if len(parts) >= 2 and rx.match(rf"^(?:the\s+)?(?:\w+\s+)?(?:{lexicon.ROLE_RE})\b", last):
        last = parts[-2] + ", " + last
    elif len(parts) >= 2 and rx.search(rf"\b(?:{lexicon.ROLE_RE})$", parts[-2], re.I):
        # "The group's director, Ana Lucia Torres, said"
        last = parts[-2] + " " + last
    last = rx.sub(
        r"^(?:on|last|this|earlier|later)\s+(?:this\s+)?(?:monday|tuesday|wednesday|thursday"
        r"|friday|saturday|sunday|week|month)\s+",
        "",
        last,
        flags=re.I,
    )
    # A leading subordinator ("While Romero celebrated ..., he") is not part of the subject.
    last = rx.sub(r"^(?:while|when|as|after|but|and|although)\s+", "", last, flags=re.I)
    return last


def noun_phrase_after(text: str) -> str:
    """The noun phrase at the start of ``text`` ("by X, role of Y (Z)." -> "X, role of Y (Z)")."""
    m = rx.match(
        r"^\s*(.+?)(?=\s+(?:that|who|which|on|in|to|after|because|over)\s|[.;:]\s|[.;:]?$"
        r"|,\s+(?!(?:the\s+)?(?:\w+\s+)?(?:" + lexicon.ROLE_RE + r")\b))",
        text,
    )
    return m.group(1) if m else ""


@dataclass
class ActorRecord:
    """A merged actor: what becomes a DraftActor."""

    name: str
    kind: str
    quote: str
    country: str | None = None
    parent: str | None = None
    role: str | None = None
    order: int = 0
    alias: str | None = None


class ActorRegistry:
    """Merges actor mentions into stable records, in order of first mention."""

    def __init__(self, default_country: str | None = None) -> None:
        self.records: list[ActorRecord] = []
        self.default_country = default_country

    def find(self, mention: ActorMention) -> ActorRecord | None:
        """The record ``mention`` refers to, if one exists."""
        key = identity_key(mention.name)
        for rec in self.records:
            if identity_key(rec.name) == key or (rec.alias and rec.alias.lower() == key):
                return rec
        if mention.surname_only:
            # Persons first: "Romero" is Alfredo Romero before it is anything else.
            for rec in sorted(self.records, key=lambda r: r.kind != "person"):
                if rec.name.split()[-1].lower() == key:
                    return rec
            return None
        kind = classify(mention.name)
        for rec in self.records:
            rkey = identity_key(rec.name)
            # "regime officials" ends "maduro regime officials": the same collective;
            # "the experts" are the "United Nations experts" met before.
            if (rkey.endswith(" " + key) or key.endswith(" " + rkey)) and (
                rec.kind == kind or kind == "group"
            ):
                return rec
        return None

    def add(self, mention: ActorMention, quote: str) -> ActorRecord | None:
        """Register ``mention`` (and its parent); return the merged record."""
        if mention.pronoun or (mention.surname_only and not self.find(mention)):
            return None
        if mention.surname_only:
            return self.find(mention)
        parent_rec = self.add(mention.parent, quote) if mention.parent else None
        rec = self.find(mention)
        name = normalise_name(mention.name)
        if rec is None:
            rec = ActorRecord(
                name=name,
                kind=mention.kind,
                quote=quote,
                country=mention.country,
                role=mention.role,
                parent=parent_rec.name if parent_rec else None,
                order=len(self.records),
                alias=mention.alias,
            )
            self.records.append(rec)
            return rec
        # Later mentions may add what the first one lacked.
        if len(name) > len(rec.name) and identity_key(rec.name) in identity_key(name):
            rec.name = name
            rec.quote = quote
        rec.country = rec.country or mention.country
        rec.alias = rec.alias or mention.alias
        rec.role = rec.role or mention.role
        if parent_rec and not rec.parent:
            rec.parent = parent_rec.name
        return rec
