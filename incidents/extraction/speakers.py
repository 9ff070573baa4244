"""Who says it: the noun phrase of a speaker, in the places English news puts it.

``actors.parse_np`` reads one noun phrase; this module finds which noun phrase
of a sentence names the speaker of a reporting verb, and the article-level facts
that resolve a speaker written as a common noun:

* the subject before the verb, skipping appositions and relative clauses at the
  end of a long sentence: "..., the Kenya Rights Commission, a state-funded
  body, said on Monday" and "..., a group that monitors prisons said";
* inverted speech: "..., said the NGO Provea, there were 24", "“…,” said Amnesty
  International";
* a state body written as a common noun: "according to the government",
  "official figures", "the interior ministry", "the judiciary chief";
* the organisation a person is tied to: "Eka Gigauri, head of the Forum",
  "Ana Ruiz, who chairs the commission", "the institute's director";
* the organisations an article names (``org_mentions``), which anaphors such as
  "the organization", "the commission" or "it" refer back to;
* a release in its publisher's own voice ("our records show", "we have
  documented") and the publisher it names (``find_publisher``).

Pure Python, no Django; every function is deterministic.
"""

from __future__ import annotations

import re

from incidents.extraction import lexicon, rx

# Last words that make a capitalised name an organisation, by the kind they give.
NGO_HEADS = (
    r"Commission|Centre|Center|Network|Collective|Association|Group|Forum|Institute"
    r"|Observatory|Foundation|Committee|Monitor|Watch|Defenders|Coalition|Project|Movement"
    r"|Alliance|Federation|League|Society|Initiative|Campaign|Trust|Clinic|Union|Council"
    r"|Organi[sz]ation|Bureau|Platform"
)
STATE_HEADS = (
    r"Office|Ministry|Service|Registry|Prosecution|Court|Department|Agency|Assembly"
    r"|Presidency|Judiciary|Directorate|Secretariat|Government|Ombudsman|Parliament|Senate"
    r"|Prosecutor|Procuracy|Tribunal"
)
SECURITY_HEADS = r"Police|Army|Forces|Guard|Gendarmerie|Carabineros|Military|Navy|Militia"
ORG_HEAD_RE = re.compile(rf"\b(?:{NGO_HEADS}|{STATE_HEADS}|{SECURITY_HEADS})$", re.IGNORECASE)

# A capitalised name that ends in an organisation head: "Kenya Rights Commission",
# "Chile's National Human Rights Institute", "Ombudsman's Office".
_NAME_WORD = r"[A-Z][\w\u2019'&.-]*"
_CONNECT = r"(?:of|for|on|and|the|de|del|in|to|against)"
ORG_NAME_RE = re.compile(
    rf"\b(?:{_NAME_WORD}\s+(?:(?:of|for|on|the|de|del|in|to|against)\s+)*)*"
    rf"(?:{NGO_HEADS}|{STATE_HEADS}|{SECURITY_HEADS})\b(?![\u2019']s\s+[a-z])"
    rf"(?:\s+(?:of|for|on)\s+(?:the\s+)?{_NAME_WORD}(?:\s+(?:and\s+)?{_NAME_WORD})*)*"
)

# "the civil society platform Plataforma Decide", "the monitoring group Libertad Ya": an
# organisation introduced by what it is. "The platform", "the group" refer back to it.
_ORG_NOUNS = (
    r"group|platform|network|coalition|organi[sz]ation|monitor|NGO|collective|observatory"
    r"|watchdog|alliance|movement|association|campaign|initiative|charity|foundation"
)
DESCRIBED_BY_NOUN_RE = re.compile(
    rf"\b(?:[Tt]he|[Aa]n?)\s+(?:[a-z][\w-]*\s+){{0,3}}?(?P<noun>{_ORG_NOUNS})\s+"
    rf"(?P<name>(?!(?:The|A|An|In|On|At|For|And|But|Which|That|This|It|Its|Their|Monday|Tuesday"
    r"|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July"
    rf"|August|September|October|November|December)\b)"
    rf"{_NAME_WORD}(?:\s+(?:de\s+|del\s+|for\s+|of\s+)?{_NAME_WORD}){{0,4}})"
)


def described_orgs(text: str) -> dict[str, str]:
    """Names introduced by a descriptor noun, mapped to it: {"Plataforma Decide": "platform"}."""
    out: dict[str, str] = {}
    for m in DESCRIBED_BY_NOUN_RE.finditer(text):
        noun = m.group("noun").lower().replace("organisation", "organization")
        out.setdefault(m.group("name"), noun)
    return out


_ROLE_FOR = re.compile(
    rf"^(?:{lexicon.ROLE_RE}|spokes(?:person|man|woman))\s+(?:for|of|at|to)\s+(?:the\s+)?",
    re.IGNORECASE,
)

_PERSON_OF = re.compile(r"(?P<who>[A-Z][\w\u2019'-]+(?:\s+[A-Z][\w\u2019'-]+){1,2})\s+of\s+the\s+")

_DESCRIBED_ORG_RE = re.compile(
    rf"(?<![\w,] )(?P<name>\b{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,4}}),\s+(?:a|an|the)\s+"
    r"(?:[\w-]+\s+){0,5}?(?:organi[sz]ation|group|NGO|body|monitor|network|watchdog|charity"
    r"|collective|agency|movement|coalition)\b"
)

# Common nouns that refer back to an organisation already named, by head.
GENERIC_ORG_NOUNS = {"organization", "organisation", "group", "ngo", "monitor", "watchdog"}

# Reporting verbs beyond lexicon.REPORT_VERBS that count or attribute.
EXTRA_VERBS = (
    r"counts|identified|finds|found|lists|listed|tallies|put|puts|compiled|verified"
    r"|registers|records|estimate|say|report|document|count"
)

# "said X" after a comma or a closing quote: the speaker follows the verb.
INVERTED_VERBS = (
    r"said|says|added|adds|wrote|noted|explained|warned|stressed|continued|insisted"
    r"|reported|reports|stated|claimed|declared|announced|told\s+\w+|according\s+to"
)

# Who ties a person to an organisation: "who chairs the commission".
_TIE_VERBS = {
    "chairs": "chair",
    "heads": "head",
    "leads": "head",
    "directs": "director",
    "coordinates": "coordinator",
    "runs": "director",
    "founded": "founder",
    "co-founded": "founder",
    "represents": "spokesperson",
    "speaks for": "spokesperson",
    "works for": "member",
    "works with": "member",
}

# Unnamed office-holders: "the home minister", "the judiciary chief", "a police
# spokesperson". The organisation is what the modifier names, else the office.
OFFICE_WORDS = (
    r"minister|chief|secretary|spokes(?:person|man|woman)|director|head|ombudsman|prosecutor"
    r"|commander|governor|mayor|president|chair(?:man|woman|person)?|official|officials"
    r"|coordinator|founder"
)
_STATE_MODIFIERS = (
    r"home|interior|justice|foreign|defen[cs]e|security|health|judiciary|judicial|police"
    r"|army|military|government|prison|prisons|state|regional|provincial|city|federal"
    r"|junta|regime|presidential|attorney|public"
)
_OWN_VOICE_RE = re.compile(
    r"\b(?:[Oo]ur\s+(?:records?|data|figures?|count|tally|team|teams|lawyers|monitors"
    r"|documentation|database|list|observers|staff|researchers|volunteers|organi[sz]ation)"
    r"|[Ww]e\s+(?:have\s+|had\s+|also\s+)*(?:documented|recorded|registered|counted|verified"
    r"|confirmed|identified|received|found|count|know|estimate|documents?|record|registered"
    r"|tallied)"
    r"|told\s+us|[Oo]ur\s+\w+\s+(?:show|shows|indicate|indicates)"
    # A briefing note: "Our Office has been told", "We are deeply concerned", "we have
    # received reports".
    r"|[Oo]ur\s+Office|[Ww]e\s+(?:are|were|remain)\s+(?:\w+ly\s+)?(?:concerned|alarmed"
    r"|disturbed|dismayed|appalled|troubled|shocked)|[Ww]e\s+(?:have\s+)?(?:also\s+)?"
    r"(?:received\s+(?:credible\s+)?(?:reports|information)|been\s+(?:told|informed)))\b"
)
_QUOTED_RE = re.compile(r"[“\"][^”\"]*[”\"]")


def is_org_name(name: str) -> bool:
    """A capitalised name whose last word names an organisation."""
    return bool(ORG_HEAD_RE.search(name.strip())) and name[:1].isupper()


def head_kind(name: str) -> str | None:
    """The actor kind the last word of an organisation's name implies, or None."""
    last = name.strip().split()[-1] if name.strip() else ""
    if rx.fullmatch(SECURITY_HEADS, last, re.IGNORECASE) or rx.search(
        r"\b(?:Police|Army|Gendarmerie)\b", name
    ):
        return "security_force"  # "National Police Service"
    if rx.fullmatch(STATE_HEADS, last, re.IGNORECASE):
        return "state_body"
    if rx.fullmatch(NGO_HEADS, last, re.IGNORECASE):
        return "ngo"
    if rx.search(r"\b(?:Rights|Watch|Freedoms?|Liberties)\b", name):
        return "ngo"  # "Rights Watch Iran": no person's name holds these words
    return None


def org_mentions(text: str) -> list[tuple[int, str]]:
    """Organisations an article names, as (offset, name), in text order.

    Capitalised names ending in an organisation head and the organisations of
    ``lexicon.KNOWN_ACTORS``; a leading "The" is not part of the name.
    """
    found: list[tuple[int, str]] = []
    for m in ORG_NAME_RE.finditer(text):
        # A name never spans a line break (a heading above it is not part of it), nor
        # holds the role that introduces it ("Spokesperson for the UN Human Rights Office").
        name = m.group(0).rsplit("\n", 1)[-1].lstrip()
        name = _ROLE_FOR.sub("", name)
        person = _PERSON_OF.match(name)
        if person and not ORG_HEAD_RE.search(person.group("who")):
            name = name[person.end() :]  # "Jonas Meyer of the UN Human Rights Office"
        name = rx.sub(r"^(?:The|A|An|This|That|Its|Their|Our)\s+", "", name)
        if not name:
            continue
        if name.split()[0].lower() in lexicon.PRONOUNS or not rx.search(r"\s", name):
            continue
        found.append((m.end() - len(name), name))
    # "Cristosal, a human rights organisation ...": a name the apposition calls one.
    for m in _DESCRIBED_ORG_RE.finditer(text):
        name = rx.sub(r"^(?:The)\s+", "", m.group("name"))
        if not any(s <= m.start("name") < s + len(n) for s, n in found):
            found.append((m.end("name") - len(name), name))
    # "the civil society platform Plataforma Decide": a name its descriptor calls one.
    for m in DESCRIBED_BY_NOUN_RE.finditer(text):
        if not any(s <= m.start("name") < s + len(n) for s, n in found):
            found.append((m.start("name"), m.group("name")))
    for known in lexicon.KNOWN_ACTORS:
        for m in rx.finditer(rf"\b{re.escape(known)}\b", text, re.IGNORECASE):
            if m.group(0)[:1].isupper() and not any(s <= m.start() < s + len(n) for s, n in found):
                found.append((m.start(), m.group(0)))
    found.sort()
    return found


def outside_quotes(text: str) -> str:
    """The sentence with quoted passages blanked (same length, so offsets hold)."""
    return _QUOTED_RE.sub(lambda m: " " * len(m.group(0)), text)


def own_voice(text: str) -> bool:
    """The sentence speaks as the publisher: "our records show", "we have documented"."""
    return bool(_OWN_VOICE_RE.search(outside_quotes(text)))


def _split_commas(text: str) -> list[str]:
    """Comma-separated segments, keeping quoted passages whole."""
    parts, depth, start = [], False, 0
    for i, ch in enumerate(text):
        if ch in '“”"':
            depth = (ch == "“") or (ch == '"' and not depth)
        elif ch in ",;:" and not depth and text[i + 1 : i + 2] in (" ", ""):
            # Not a thousands separator ("21,344") nor a time ("10:30").
            parts.append(text[start:i])
            start = i + 1
        elif text[i : i + 3] in (" - ", " \u2014 ", " \u2013 ") and not depth:
            parts.append(text[start:i])
            start = i + 2
    parts.append(text[start:])
    return [p.strip() for p in parts]


_APPOSITION_RE = re.compile(
    rf"^(?:(?i:a|an|its|their)\s+(?:[a-z\u2019'-]|[A-Z][\w]*-[a-z])|(?:who|which|whose)\s|(?:{lexicon.ROLE_RE}|"
    rf"{OFFICE_WORDS})\s+(?:of|at|for)\s|[A-Z][\w\u2019'-]*[\u2019']s\s+(?:{lexicon.ROLE_RE})$)",
    re.IGNORECASE,
)


def is_apposition(segment: str) -> bool:
    """A phrase that describes a name just before it: "a legal aid group", "who chairs it"."""
    return bool(_APPOSITION_RE.match(segment.strip()))


def tie(apposition: str) -> tuple[str | None, str | None]:
    """(role, organisation phrase) an apposition ties a person to, else (None, None).

    "head of the Georgian Young Lawyers Forum" -> ("head", "the Georgian ... Forum");
    "who chairs the commission" -> ("chair", "the commission");
    "the centre's executive director" -> ("executive director", "the centre").
    """
    text = apposition.strip()
    m = rx.match(
        rf"^(?:the\s+|a\s+|an\s+)?(?:\w+\s+)?(?P<role>{lexicon.ROLE_RE}|{OFFICE_WORDS})\s+"
        r"(?:of|at|for|with)\s+(?P<org>.+)$",
        text,
        re.IGNORECASE,
    )
    if m:
        return m.group("role").lower(), m.group("org")
    m = rx.match(
        rf"^(?P<org>(?:the\s+)?[\w\s\u2019'-]+?)[\u2019']s\s+(?:\w+\s+)??(?P<role>{lexicon.ROLE_RE}"
        rf"|{OFFICE_WORDS})$",
        text,
        re.IGNORECASE,
    )
    if m:
        return m.group("role").lower(), m.group("org")
    verbs = "|".join(re.escape(v) for v in _TIE_VERBS)
    m = rx.match(
        rf"^(?:(?:a|an)\s+[\w\s-]+?\s+)?who\s+(?P<verb>{verbs})\s+(?P<org>[^,]+?)"
        r"(?:[\u2019']s\s+[\w\s]+?)?(?:\s+(?:from|in|since)\s+.*)?$",
        text,
        re.IGNORECASE,
    )
    if m:
        return _TIE_VERBS[m.group("verb").lower()], m.group("org")
    return None, None


def _strip_relative(np: str) -> str:
    """ "a group that monitors prisons in X" -> "a group" (a relative clause is not the name)."""
    m = rx.search(r"\s+(?:that|which|who|whose)\s", np)
    if m and m.start() > 0:
        return np[: m.start()]
    return np


# A body named by a list of words: "Truth, Justice and Peace Commission", "the Justice,
# Peace and Integrity of Creation Office".
_LISTED_NAME = re.compile(
    r"(?:^|[,;]\s+|\s)(?:the\s+)?(?P<name>[A-Z][\w-]+(?:,\s+[A-Z][\w-]+)+,?\s+and\s+"
    r"[A-Z][\w-]+(?:\s+(?:of\s+)?[A-Z][\w-]+)*\s+(?:Commission|Council|Committee|Network"
    r"|Coalition|Alliance|Centre|Center|Foundation|Institute|Movement|Forum|Union|Association"
    r"|Front|Office|Observatory|Platform|Initiative))$"
)


def subject_candidates(sentence: str, verb_start: int) -> list[tuple[str, str | None]]:
    """Noun phrases that may be the subject of the verb at ``verb_start``, best first.

    Each is (noun phrase, apposition or None). At the end of a long sentence the
    speaker is the last comma segment before the verb, or the one before it when
    the last is an apposition: "..., the Commission, a state-funded body, said".
    """
    before = sentence[:verb_start]
    before = rx.sub(
        r"(?:\s+(?:has|have|had|also|eventually|later|previously|reportedly|publicly|officially"
        r"|then|again|recently|separately|further|itself|first|now|only|still))+\s*$",
        "",
        before,
        flags=re.IGNORECASE,
    ).rstrip()
    if not before or before.endswith(("”", '"')):
        return []
    before = before.rstrip(",")
    listed = _LISTED_NAME.search(before)
    if listed:
        # "the Truth, Justice and Peace Commission said": one body, not three segments.
        return [(listed.group("name"), None)]
    segments = _split_commas(before)
    # '"The junta must go," the experts said': the subject follows the closing quote.
    segments[-1] = rx.split(r"[,.!?][\u201d\"]\s+", segments[-1])[-1]
    # The clause boundary inside the last segment: "... arrested 3 people, and X said".
    last = rx.split(
        r"\s+(?:and|but|while|as|after|when|because)\s+(?=[A-Z]|the\s|a\s)", segments[-1]
    )
    segments[-1] = last[-1]
    # A leading subordinator ("While Romero celebrated ...") is not part of the subject.
    segments = [
        rx.sub(r"^(?:while|when|as|after|but|and|although|though|if|because|since)\s+", "", seg,
               flags=re.IGNORECASE)
        for seg in segments
    ]  # fmt: skip
    # "President X, in a televised interview on Sunday, said": skip the parenthetical.
    while len(segments) >= 2 and rx.match(
        r"(?:in|at(?!\s+(?:least|most))|on|during|speaking|writing|via|through|after|before"
        r"|from|with|citing)\s",
        segments[-1],
        re.IGNORECASE,
    ):
        segments.pop()
    out: list[tuple[str, str | None]] = []
    tail = segments[-1]
    if len(segments) >= 2 and rx.search(
        rf"(?:{lexicon.ROLE_RE}|{OFFICE_WORDS})$", segments[-2], re.IGNORECASE
    ):
        # "The group's director, Ana Torres, said": role and name are one phrase.
        out.append((segments[-2] + " " + tail, None))
    # "..., the Commission, a state-funded body, said": the name is the segment before
    # the apposition (a short one holding a capital), not a clause such as "5 remain".
    previous = segments[-2] if len(segments) >= 2 else ""
    if (
        is_apposition(tail)
        and rx.search(r"[A-Z]", previous)
        and len(previous.split()) <= 8
        and not rx.search(r"\d", previous)
    ):
        out.append((_strip_relative(previous), tail))
    if len(_strip_relative(tail).split()) <= 10:  # a longer one is a clause, not a subject
        out.append((_strip_relative(tail), None))
    return out


def inverted_subject(
    sentence: str, verb_start: int, verb_end: int
) -> tuple[str, str | None] | None:
    """The speaker written after an inverted verb: "“…,” said Amnesty International".

    Only after a comma, a closing quote or a sentence start; the noun phrase runs to
    the next comma, a date or the end, and an apposition after it is returned too.
    """
    before = sentence[:verb_start].rstrip()
    if before and not before.endswith((",", "”", '"', "\u2019")):
        return None
    rest = sentence[verb_end:]
    m = rx.match(
        r"\s+(?P<np>(?:the\s+|The\s+)?[^,.;:“”\"]+?)"
        r"(?=\s*(?:,|\.\s*$|\.$|;|:|$|\s+(?:on|in|at|during|last|this|earlier|yesterday|today"
        r"|that|after|before|when|while|from)\b))",
        rest,
    )
    if not m:
        return None
    np = m.group("np").strip()
    if not rx.search(r"[A-Za-z]", np) or np.split()[0].lower() in ("that", "it", "on", "in"):
        return None
    apposition = None
    after = rest[m.end() :]
    am = rx.match(r"\s*,\s*(?P<app>[^,.;]+)", after)
    if am and is_apposition(am.group("app")):
        apposition = am.group("app").strip()
    return np, apposition


def according_to(rest: str) -> str:
    """The speaker noun phrase after "according to": looks past "figures compiled by".

    "a tally of hospital records compiled by the daily X" -> "the daily X";
    "official figures" -> "official figures".
    """
    m = rx.match(
        r"\s*(?:(?:a|an|the|new|latest|its|their)\s+)*(?:[\w-]+\s+){0,4}?"
        r"(?:tally|count|figures|data|report|records|statistics|estimates|list|survey|database"
        r"|numbers)\s+(?:of\s+[\w\s-]+?\s+)?(?:compiled|kept|published|released|gathered"
        r"|collected|issued|provided)\s+by\s+",
        rest,
        re.IGNORECASE,
    )
    if m:
        return rest[m.end() :]
    # "an AFP tally", "a Reuters count": the named body whose count it is.
    m = rx.match(
        r"\s*(?:an?|the)\s+(?P<name>(?:[A-Z][\w.&'-]*\s+){1,4}?)(?:news\s+agency\s+)?"
        r"(?:tally|count|estimate|figures|data|database|records|statistics)\b",
        rest,
    )
    if m:
        return m.group("name").strip()
    return rest


def official_figures(np: str) -> bool:
    """ "official figures", "government data", "state statistics": the state's own count."""
    return bool(
        rx.fullmatch(
            r"(?:the\s+)?(?:latest\s+|new\s+)?(?:official|government|state|authorities[\u2019']?)"
            r"\s+(?:figures|data|statistics|count|tally|numbers|records)",
            np.strip(),
            re.IGNORECASE,
        )
    )


def state_noun(np: str) -> str | None:
    """The head of a bare state noun phrase: "the government" -> "government".

    These refer to the article's own country when no one else is named.
    """
    np = rx.sub(r"\s+(?:in|of)\s+[A-Z][\w-]+(?:\s+[A-Z][\w-]+)?$", "", np.strip())  # "in Yangon"
    np = rx.sub(r"^(?:the\s+)?[A-Z][\w-]+\s+(?=state\s)", "", np)  # "Belarus state TV"
    m = rx.fullmatch(
        r"(?:the\s+)?(government|authorities|regime|junta|police|army|military"
        r"|security\s+forces|armed\s+forces|judiciary|presidency|administration|prosecutors?"
        r"|state\s+(?:media|television|TV|radio|news\s+agency))",
        np.strip(),
        re.IGNORECASE,
    )
    if m is None and rx.fullmatch(
        r"(?:the\s+)?(?:(?:government|state|senior|top)\s+)?officials", np.strip(), re.I
    ):
        return "government"  # "officials have put the death toll at": the state speaks
    return m.group(1).lower().replace(" tv", " TV") if m else None


def collective(np: str) -> str | None:
    """People who speak as a group: "activists", "local lawyers", "relatives of detainees"."""
    m = rx.fullmatch(
        r"(?:the\s+|some\s+|many\s+|several\s+)?((?:local\s+|human\s+rights\s+|rights\s+"
        r"|opposition\s+|student\s+|defence\s+|defense\s+)?(?:activists|lawyers|relatives"
        r"|families|residents|witnesses|doctors|medics|monitors|observers|students|leaders"
        r"|rights\s+groups|defenders|campaigners|organi[sz]ers)(?:\s+of\s+[\w\s-]+)?)",
        np.strip(),
        re.IGNORECASE,
    )
    return m.group(1).lower() if m else None


def office_holder(np: str) -> tuple[str, str] | None:
    """An unnamed office-holder: (name, kind) for "the home minister", "the judiciary chief".

    The name is the phrase without its article; the kind is a state body when a
    modifier or the office says so. "the institute's director" is not one (see ``tie``).
    """
    text = np.strip()
    m = rx.fullmatch(
        rf"(?:the|a|an)\s+(?P<name>(?:(?:{_STATE_MODIFIERS}|[a-z]+)\s+){{1,2}}(?:{OFFICE_WORDS}))",
        text,
        re.IGNORECASE,
    )
    if not m:
        return None
    name = m.group("name")
    if not rx.search(rf"\b(?:{_STATE_MODIFIERS})\b", name, re.IGNORECASE):
        return name, "group"  # "a hospital spokesman": someone's officer, unnamed
    kind = (
        "security_force" if rx.search(r"\b(?:police|army|military)\b", name, re.I) else "state_body"
    )
    return name, kind


def find_publisher(text: str, headline_end: int) -> tuple[int, str] | None:
    """The organisation that publishes a release in its own voice, as (offset, name).

    The evidence, most telling first: a closing "About X" paragraph; the name
    written with its acronym ("Foro Penal (FP)"); an organisation named in the
    headline or the first paragraph; then the organisation the text names or
    refers back to ("the network") most. None when the text names none.
    """
    about = rx.search(
        rf"(?m)^[ \t]*About[ \t]+(?:the[ \t]+)?"
        rf"(?P<name>{_NAME_WORD}(?:[ \t]+(?:{_CONNECT}[ \t]+)*{_NAME_WORD})*)",
        text,
    )
    if about:
        return about.start("name"), about.group("name").strip()
    mentions = [(s, n) for s, n in org_mentions(text) if head_kind(n) not in ("security_force",)]
    if not mentions:
        return None
    first_para = rx.search(r"\n\s*\n", text[headline_end:])
    first_end = headline_end + first_para.start() if first_para else len(text)
    scores: dict[str, float] = {}
    first_seen: dict[str, int] = {}
    for start, name in mentions:
        key = name.lower()
        first_seen.setdefault(key, start)
        score = 1.0
        if start < headline_end:
            score += 3
        elif start < first_end:
            score += 2
        if rx.match(r"\s*\([A-Z][\w.]*\)", text[start + len(name) :]):
            score += 3
        if head_kind(name) == "ngo":
            score += 1
        scores[key] = scores.get(key, 0) + score
    for key in scores:
        head = key.split()[-1]
        scores[key] += 0.5 * len(rx.findall(rf"\b[Tt]he\s+{re.escape(head)}\b(?!\s+[A-Z])", text))
    best = max(scores, key=lambda k: (scores[k], -first_seen[k]))
    start = first_seen[best]
    name = next(n for s, n in mentions if s == start)
    return start, name
