"""English shapes of a count that have no population noun right after the amount.

The extractor's main rule reads "<amount> <population> ... <measure verb>" ("129
children ... were detained"). Real prose counts in other shapes too, and this module
recognises them from the words around an amount, knowing nothing of the draft:

* a count noun names the measure before the amount: "put the death toll at 150",
  "the death toll rose to 201", "a death toll of 12", "the number of political
  prisoners stood at 1,150", "arrests passed 7,000" (``count_noun_before``);
* the amount is a subject of its own, its people left implicit: "430 were detained",
  "418 have since been released", "43 remain in custody", "including 460 who
  suffered eye injuries" (``bare_subject``);
* a part of people counted before: "154 of them", "505 of those arrested", "twelve
  of those who disappeared are women" (``partitive``);
* an ellipsis after a coordinated count: "430 were detained administratively and 31
  on criminal charges" (``elided_after_and``);
* a count the speaker denies or negates: "denied rumours that three injured
  protesters had gone missing", "did not detain 40 people" (``negated``).

Every function takes the sentence text and offsets in it, and returns plain values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from incidents.extraction import lexicon, rx

# Where a clause ends, for the words that bind an amount to its measure.
CLAUSE_BREAK = re.compile(r"[,;:()\u2014\u2013]|\s-\s|\.\s")

_MEASURE_VERBS = "|".join(f"(?:{p})" for p, _ in lexicon.MEASURE_PATTERNS)


def measure_in(text: str) -> tuple[int, str] | None:
    """The first measure verb in ``text`` (position, measure); "remain detained" wins."""
    best: tuple[int, int, str] | None = None
    for rank, (pattern, measure) in enumerate(lexicon.MEASURE_PATTERNS):
        m = rx.search(pattern, text, re.IGNORECASE)
        if m and (best is None or (m.start(), rank) < best[:2]):
            best = (m.start(), rank, measure)
    return (best[0], best[2]) if best else None


def clause_before(text: str, pos: int) -> str:
    """The words of the clause that ends at ``pos``."""
    before = text[:pos]
    breaks = list(CLAUSE_BREAK.finditer(before))
    return before[breaks[-1].end() :] if breaks else before


def clause_after(text: str, pos: int) -> str:
    """The words of the clause that starts at ``pos``."""
    after = text[pos:]
    m = CLAUSE_BREAK.search(after)
    return after[: m.start()] if m else after


# -- count nouns --------------------------------------------------------------

# "the death toll (from the clashes) rose to", "put the toll at", "a death toll of",
# "the number of people killed ... reached", "arrests passed".
_LINK = (
    r"(?:at|to|of|was|is|were|are|stood\s+at|stands\s+at|reached|reaches|hit|hits|passed"
    r"|passes|topped|tops|exceeded|exceeds|surpassed|surpasses|neared|nears|totals?|totall?ed"
    r"|climbed\s+past|rose\s+past|now\s+at)"
)
# The word right after the head must continue it ("the toll from the clashes rose to",
# "the number of ...", "the death toll had risen to"), so "the toll booth at 5" is no toll.
_HEAD_GOES_ON = (
    r"(?:\s+(?:of|from|in|among|after|since|during|on|had|has|have|now|officially|so|rose|risen"
    r"|climbed|increased|jumped|grew|stood|stands|was|is|were|are|reached|hit)\b[^\d]*?)?"
)
_TOLL_HEAD = re.compile(
    rf"\b(?P<head>death\s+toll|toll|(?:total\s+)?number|count|tally)(?P<rest>{_HEAD_GOES_ON})"
    rf"\s+{_LINK}\s+$",
    re.IGNORECASE,
)
# A measure noun as the subject of a verb of growth: "arrests passed 7,000".
_NOMINAL_HEAD = re.compile(
    rf"\b(?P<head>arrests|detentions|deaths|killings|fatalities)(?P<rest>{_HEAD_GOES_ON})"
    r"\s+(?:reached|reaches|hit|hits|passed|pass|passes|topped|top|tops|exceeded|exceed"
    r"|exceeds|surpassed|surpass|neared|rose\s+to|climbed\s+to|stood\s+at|stand\s+at)\s+$",
    re.IGNORECASE,
)
# After "number of", people counted while held are still held.
_HELD_NOUNS = re.compile(
    r"\b(?:political\s+prisoners|prisoners\s+of\s+conscience|detainees|prisoners|inmates"
    r"|persons\s+deprived\s+of\s+(?:their\s+)?liberty)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class CountNoun:
    """A count noun before an amount: its measure (None: the caller decides) and span."""

    measure: str | None
    start: int  # the head's start in the sentence
    end: int  # where the noun phrase ends (before the linking verb)
    qualifier: str | None = None  # "passed 6,000" is more than 6,000


def count_noun_before(text: str, start: int) -> CountNoun | None:
    """A count noun that the amount at ``start`` (qualifier included) is the value of.

    "Death toll" and a bare "toll" are deaths. "The number of X" takes the measure
    named in X ("people killed", "arrests", "reporters detained"); people who are
    held ("political prisoners", "detainees") are ``still_detained``; otherwise the
    caller may look at the population it names. Only words of one clause count, and
    an earlier amount in between breaks the link ("up from 108").
    """
    clause = clause_before(text, start)
    offset = start - len(clause)
    m = _NOMINAL_HEAD.search(clause) or _TOLL_HEAD.search(clause)
    if not m:
        return None
    more = rx.search(r"\b(?:pass\w*|top\w*|exceed\w*|surpass\w*|past)\s+$", m.group(0), re.I)
    span = CountNoun(
        None, offset + m.start(), offset + m.end("rest"), "more_than" if more else None
    )
    head = " ".join(m.group("head").lower().split())
    rest = m.group("rest")
    if head in lexicon.MEASURE_NOUNS:  # "arrests passed 7,000"
        return CountNoun(lexicon.MEASURE_NOUNS[head], span.start, span.end, span.qualifier)
    if head in ("death toll", "toll"):
        found = measure_in(rest) if head == "toll" else None
        measure = found[1] if found else "killed"
        return CountNoun(measure, span.start, span.end, span.qualifier)
    of = rx.match(r"\s+of\s+(?P<np>.+)$", rest, re.IGNORECASE)
    if not of:
        return None
    np = of.group("np")
    measure = None
    for word, noun_measure in lexicon.MEASURE_NOUNS.items():
        if rx.search(rf"\b{word}\b", np, re.IGNORECASE):
            measure = noun_measure
            break
    found = measure_in(np)
    if found:
        measure = found[1]
    elif measure is None and _HELD_NOUNS.search(np):
        measure = "still_detained"
    return CountNoun(measure, span.start, span.end, span.qualifier)


# -- an amount as a subject of its own ----------------------------------------

# What may come right before a subject amount: a clause opening.
# A reporting verb opens a clause too: "police said 430 were detained".
_SUBJECT_OPENING = re.compile(
    r"(?:^|[,;:\u2014\u2013(]\s*|\b(?:and|but|while|whereas|that|whom|including|includes"
    r"|included|among\s+them|among\s+whom|only|another|a\s+further|further|which|as|when"
    r"|after|though|although|saying|adding|noting|" + lexicon.REPORT_VERBS + r")\s+)$",
    re.IGNORECASE,
)
_AUX = (
    r"(?:(?:have|has|had|were|was|are|is|will\s+have|would\s+have)\s+)?"
    r"(?:(?:since|also|now|already|later|then|reportedly|allegedly|subsequently|still"
    r"|so\s+far|all)\s+)*(?:been\s+)?(?:(?:since|also|later|then|subsequently)\s+)?"
)
_REMAIN = re.compile(r"^\s+(?:remain|remained|remains|are\s+still|were\s+still)\b", re.I)
_WHO = re.compile(
    r"^\s+who\s+(?:(?:were|was|had\s+been|have\s+been|are|remain|remained)\s+)?"
    r"(?:(?:suffered|sustained|received)\s+(?:[\w-]+\s+){0,2}?(?P<injury>injuries|wounds)\b)?",
    re.IGNORECASE,
)


def bare_subject(text: str, start: int, end: int) -> str | None:
    """The measure of an amount that is a subject with no noun: "430 were detained".

    ``start`` is where the amount (with its qualifier) starts, ``end`` where it ends.
    The amount must open a clause, and the verb group right after it must carry a
    measure ("have since been released", "remain in custody", "injured"). A "who"
    clause ("460 who suffered eye injuries") counts the same way.
    """
    if not _SUBJECT_OPENING.search(text[:start]):
        return None
    after = text[end:]
    if rx.match(r"^\s*(?:%|per\s*cent|percent)", after, re.IGNORECASE):
        return None
    who = _WHO.match(after)
    if who and who.group("injury"):
        return "injured"
    rest = after[who.end() :] if who else after
    verb = rx.match(rf"^\s*{_AUX}", rest, re.IGNORECASE)
    tail = rest[verb.end() :] if verb else rest
    if _REMAIN.match(rest) or (who and _REMAIN.match(" " + rest)):
        found = measure_in(clause_after(rest, 0))
        return found[1] if found and found[1] == "still_detained" else None
    found = measure_in(tail[:40])
    if found and found[0] == 0:
        return found[1]
    return None


# -- partitives -----------------------------------------------------------------

# "of those arrested", "of those who disappeared": a description of the whole; "of
# them had been jailed" starts the predicate instead.
_PARTITIVE = re.compile(
    r"^\s+of\s+(?:them|those|whom|these|the\s+latter)(?P<desc>\s+who\s+(?:(?:had|have|has"
    r"|were|was)\s+)?(?:been\s+)?[a-z-]+|\s+(?!(?:had|have|has|were|was|are|is)\b)[a-z-]+ed\b)?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Partitive:
    """ "N of them/those ...": where the partitive ends, and what it says of the whole."""

    end: int  # offset in the sentence where the predicate starts
    whole_measure: str | None  # "of those arrested" -> detained


def partitive(text: str, end: int) -> Partitive | None:
    """ "154 of them", "505 of those arrested", "twelve of those who disappeared"."""
    m = _PARTITIVE.match(text[end:])
    if not m:
        return None
    desc = m.group("desc")
    whole = measure_in(desc) if desc else None
    if desc and not whole:
        # "of those detained" is a description only when it names a measure.
        return Partitive(end + m.end() - len(desc), None)
    return Partitive(end + m.end(), whole[1] if whole else None)


# "25 of its supporters", "three of our lawyers": a part of people the speaker names by
# possession, with no count of the whole before it.
_POSSESSIVE_PARTITIVE = re.compile(
    r"^\s+of\s+(?:its|their|our|his|her)\s+(?:[a-z-]+\s+)?[a-z-]+s\b", re.IGNORECASE
)
# "of those detained on the first night": a description's trailing phrase before the verb.
_DESCRIPTION_TAIL = re.compile(
    r"^\s+(?:on|in|at|during|since|after|before|over|from|near|outside)\b[^,;.]{0,60}?"
    r"(?=\s+(?:were|was|are|is|have|has|had|remain|remained|remains)\b)",
    re.IGNORECASE,
)
# "386 \"terrorists\"", "200 so-called \"vandals\"": the speaker's word for the people,
# quoted; it names no group of its own.
_QUOTED_PEOPLE = re.compile(
    r"^\s+(?:so-called\s+|alleged\s+)?[\"\u201c\u2018'][a-z][a-z -]{1,30}[\"\u201d\u2019']",
    re.IGNORECASE,
)


def possessive_partitive(text: str, end: int) -> int | None:
    """Where the predicate starts after "25 of its supporters", else None."""
    m = _POSSESSIVE_PARTITIVE.match(text[end:])
    return end + m.end() if m else None


def quoted_people(text: str, end: int) -> int | None:
    """Where the predicate starts after a quoted population word, else None."""
    m = _QUOTED_PEOPLE.match(text[end:])
    return end + m.end() if m else None


def skip_description(text: str, pos: int) -> int:
    """Past a phrase that ends a description ("on the first night") before its verb."""
    m = _DESCRIPTION_TAIL.match(text[pos:])
    return pos + m.end() if m else pos


def predicate_measure(text: str, pos: int) -> str | None:
    """The measure of the verb group that starts at ``pos`` ("have been released")."""
    rest = text[pos:]
    if _REMAIN.match(rest):
        found = measure_in(clause_after(rest, 0))
        return found[1] if found else None
    verb = rx.match(rf"^\s*{_AUX}", rest, re.IGNORECASE)
    tail = rest[verb.end() :] if verb else rest
    found = measure_in(tail[:40])
    return found[1] if found and found[0] <= 1 else None


def copular_rest(text: str, pos: int) -> bool:
    """The predicate only says who they are ("are women", "were children") or is empty."""
    rest = clause_after(text, pos)
    return bool(rx.fullmatch(r"\s*(?:(?:are|were|being)\s+.*)?", rest, re.IGNORECASE | re.S))


# -- ellipsis -------------------------------------------------------------------

_ELLIPSIS_AFTER = re.compile(
    r"^\s+(?:(?:more|others?)\s+)?(?:on|in|for|under|at|from|with|without|during|after|before|via|through|[a-z]+ly)\b"
    r"[^,;.]*?(?=[,;.]|$)",
    re.IGNORECASE,
)


# An aside right after a population: "80 people, mostly young men, were detained".
ASIDE = re.compile(
    r"^\s*,\s+(?:mostly|many|most|some|all|among\s+them|including|of\s+whom|both|nearly"
    r"|almost|largely|mainly)\b[^,;.]*,",
    re.IGNORECASE,
)

_PREPOSITION_AFTER = re.compile(
    r"^(?:\s+(?:more|others?))?(?:\s+(?:on|in|at|for|with|to|during|after|over|across|under"
    r"|near|from|since|overnight|last|this|yesterday|today)\b|\s*[,;.]|\s*$)",
    re.IGNORECASE,
)


def verb_before(text: str, start: int, end: int) -> str | None:
    """ "Police arrested 23 in the capital", "courts sentenced 5 to death": an amount
    that is the object of a measure verb, with no noun after it."""
    m = rx.search(r"\b(\w+)\s+$", text[:start])
    if not m or not _PREPOSITION_AFTER.match(text[end:]):
        return None
    for pattern, measure in (*lexicon.MEASURE_PATTERNS, *lexicon.MEASURE_VERBS_BEFORE):
        if rx.fullmatch(pattern.replace(r"\b", ""), m.group(1), re.IGNORECASE):
            return measure
    return None


def elided_after_and(text: str, start: int, end: int) -> bool:
    """ "... and 31 on criminal charges": the verb of the count before is left out."""
    conjunction = (
        r"\b(?:and|while|whereas|but)\s+(?:another\s+|a\s+further\s+|an\s+additional\s+)?$"
    )
    if not rx.search(conjunction, text[:start], re.IGNORECASE):
        return False
    m = _ELLIPSIS_AFTER.match(text[end:])
    return bool(m) and measure_in(m.group(0)) is None and not _has_verb(m.group(0))


def _has_verb(words: str) -> bool:
    return bool(rx.search(r"\b(?:is|are|was|were|has|have|had|be|been)\b", words, re.I))


# -- negation and denial ----------------------------------------------------------

# A denial of what was said ("denied that", "rejected reports that"), not "denied access
# to lawyers" or "dismissed 40 cases".
_DENIAL = re.compile(
    r"\b(?:denied|denies|deny|denying|rejected|rejects|rejecting|dismissed|dismisses"
    r"|dismissing|refuted|refutes|debunked|rebutted)\s+(?=that\b|any\b|having\b|(?:the\s+"
    # "rejected opposition reports", "dismissed media claims": up to two modifiers.
    r"|these\s+|those\s+|such\s+)?(?:[a-z][\w-]*\s+){0,2}?(?:reports?|rumou?rs?|claims?"
    r"|allegations?|accusations?|figures?|accounts?|assertions?|suggestions?)\b)(?P<rest>[^;]*)$"
    r"|\b(?:rumou?rs?|false\s+(?:reports?|claims?)|it\s+is\s+(?:not\s+true|false)|no\s+truth)"
    r"\s+(?:that|of)\b(?P<rest2>[^;]*)$",
    re.IGNORECASE,
)
# A new statement after the denial ends its scope: "denied it, saying 40 were held".
_SCOPE_RESET = re.compile(
    r"\b(?:but|however|while|although|saying|adding|said|says|added|noting|stressed)\b"
    r"|,\s+(?:and|as|whereas)\b",
    re.IGNORECASE,
)
_NEGATION_BEFORE = re.compile(
    r"\b(?:not|never|n[o\u2019']t)\s+(?:(?:been|be|have|had)\s+)?(?:[a-z]+\s+)?$", re.I
)


def negated(text: str, start: int) -> bool:
    """The amount at ``start`` is inside a denial or right after a negation.

    "A spokesperson denied rumours that three injured protesters had gone missing",
    "the ministry rejected reports that 40 were killed", "police did not detain 40
    people": the text does not assert the count. A new statement after the denial
    ("..., saying 12 were held") ends its scope.
    """
    before = text[:start]
    m = _DENIAL.search(before)
    if m:
        rest = m.group("rest") if m.group("rest") is not None else m.group("rest2")
        if not _SCOPE_RESET.search(rest):
            return True
    return bool(_NEGATION_BEFORE.search(before))


# -- amounts that are no count of the victims --------------------------------------

# An earlier value the new count is compared with: "up from 185 a week earlier",
# "rose to 230, up from 50 in July", "compared with 40 last year", "from 12 in May".
_EARLIER_VALUE = re.compile(
    r"\b(?:(?:up|down|rising|falling|climbing|increasing|dropping)\s+from"
    r"|(?:as\s+)?compared\s+(?:with|to)|versus|vs\.?|against|than\s+the)"
    r"\s+(?:(?:a|an|the|some|about|around|roughly|nearly|almost|just|only|at\s+least"
    r"|more\s+than|over|under|fewer\s+than|less\s+than)\s+)*$",
    re.IGNORECASE,
)
# Who was heard or what was read, not who was hurt: "interviewed 27 people",
# "spoke to 40 former detainees", "reviewed 40 cases".
_RESEARCH_VERB = re.compile(
    r"\b(?:interviewed|interviewing|interviews|spoke\s+(?:to|with)|speaking\s+(?:to|with)"
    r"|talked\s+(?:to|with)|surveyed|consulted|heard\s+from|met\s+(?:with\s+)?"
    r"|reviewed|reviewing|examined|examining|analy[sz]ed|analy[sz]ing|studied|received"
    r"|collected|gathered|obtained)\s+(?:(?:a|an|the|some|about|around|roughly|nearly|almost"
    r"|at\s+least|more\s+than|over|another|a\s+further|a\s+total\s+of)\s+)*$",
    re.IGNORECASE,
)
# The amount counts papers or complaints, not people: "300 complaints received".
_RECORD_NOUN = re.compile(
    r"\s+(?:[\w-]+\s+)?(?:complaints?|petitions?|documents?|files?|testimon(?:y|ies)"
    r"|interviews?|videos?|photographs?|photos?|reports?|submissions?|letters?|requests?"
    r"|applications?|records?|witnesses|witness\s+statements?)\b",
    re.IGNORECASE,
)


def not_a_count(text: str, start: int, end: int) -> bool:
    """The amount at ``start:end`` counts no victims of the events reported.

    An earlier value a count is compared with ("up from 185 a week earlier",
    "compared with 40 last year"), people a researcher heard ("Amnesty interviewed 27
    people who had been detained") or records read ("reviewed 40 cases", "12 deaths
    among 300 complaints received").
    """
    before = text[:start]
    if _EARLIER_VALUE.search(before) or _RESEARCH_VERB.search(before):
        return True
    return bool(_RECORD_NOUN.match(text, end))
