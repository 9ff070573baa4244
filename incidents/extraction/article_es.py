"""The shape of a Spanish article: sentences, liveblog entries, datelines, the publisher.

Spanish news comes in shapes the prose rules cannot see on their own:

* a **headline** on the first line, with no full stop, often run straight into the
  body ("Sucre: 132 detenidos\\nLa Defensoría ...");
* **liveblog entries** that open with a time stamp ("19.45 | La Defensoría eleva a
  23 ...", "15:05 - La Policía informó ..."), one entry a paragraph, sometimes
  under a day header ("Jueves 13 de marzo");
* a wire **dateline** ("LA HABANA, 24 dic (EFE). - "), which is the publication
  day, not the day of the statement that follows;
* a **release** in the organisation's own voice, whose publisher the text names
  in the headline or first paragraph, in an "Acerca de X" note or a signature at
  the end.

``sentences_es`` segments the text as ``text.sentences`` does, then splits a
headline and liveblog entries off, and trims a stamp or a dateline from the start
of a sentence (every sentence stays an exact slice of the article). ``day_heading``,
``time_stamped`` and ``dateline_day`` give the extractor the page's own days (see
``extractor._Extractor._page_days``). ``find_publisher``
names the organisation that publishes a release.
"""

from __future__ import annotations

import re
from datetime import date
from itertools import pairwise

from incidents.extraction import lexicon_es as lex
from incidents.extraction import rx
from incidents.extraction.dates_es import MONTHS, find_dates_es
from incidents.extraction.text import Sentence, sentences

U = lex.UPPER
# "19.45 |", "15:05 -", "08h30", "9.15 h. -", "(19:45)": the time of a liveblog entry.
STAMP_RE = re.compile(
    r"^\(?(?:[01]?\d|2[0-3])[:.h][0-5]\d\)?(?:\s*(?:h|hs|hrs|horas)\.?)?"
    r"(?:\s*(?:GMT|UTC|hora\s+local))?\s*(?:[|\-\u2013\u2014:•·>]+\s*|\s+)(?=[¿¡«\"“(]?["
    + U
    + r"])"
)
# "LA HABANA, 24 dic (EFE). - ", "Caracas, 12 de marzo (AFP).- ": a wire dateline.
DATELINE_RE = re.compile(
    rf"^[{U}][\w .'-]{{1,40}}?(?:\s*\([^)]{{1,30}}\))?,\s+\d{{1,2}}\s+(?:de\s+)?"
    r"[A-Za-zé]{3,10}\.?"
    r"(?:\s+(?:de\s+)?\d{4})?\s*(?:\([^)]{1,40}\))?\s*[.,]?\s*[-\u2013\u2014]+\s*"
    # "MADRID. - ", "HONG KONG (EFE).- ": a city in capitals, with no date.
    rf"|^[{U}][{U} .'-]{{1,30}}?(?:\s*\([^)]{{1,30}}\))?\s*\.?\s*[-\u2013\u2014]+\s*(?=[{U}¿¡«\"“])"
)
# "Jueves 13 de marzo", "13 de marzo de 2025", "Viernes, 14.03.2025": a liveblog's day.
_DAY_HEADER_RE = re.compile(
    r"^(?:(?:lunes|martes|mi[ée]rcoles|jueves|viernes|s[áa]bado|domingo),?\s+)?\d{1,2}\s+de\s+"
    r"(?:" + "|".join(MONTHS) + r")(?:\s+(?:de|del)\s+\d{4})?\.?$",
    re.IGNORECASE,
)
# Sentence ends the shared splitter misses: a capital with an accent, or an opening
# Spanish mark, after the full stop ("... detenidos. Él dijo", "... heridos. «Fue ...").
_BOUNDARY_ES = re.compile(r"[.!?]+[”\"»)\]]*(?=\s+[¿¡«“\"(]?[ÁÉÍÓÚÑ¿¡«])")
_ABBREVIATION = re.compile(r"(?:\b[A-Za-z]|\b(?:Sr|Sra|Dr|Dra|Lic|Gral|Cnel|Ing|art|núm))\.$")


def _split_lines(text: str, start: int, end: int, first: bool) -> list[tuple[int, int]]:
    """Cut a sentence at a new line that starts a liveblog entry or ends the headline."""
    cuts = [start]
    for m in rx.finditer(r"\n", text[start:end]):
        pos = start + m.end()
        line_before = text[cuts[-1] : start + m.start()].strip()
        rest = text[pos:end].lstrip()
        if not line_before:
            continue
        if (
            STAMP_RE.match(rest)
            or STAMP_RE.match(line_before + " X")
            or (
                first
                and len(cuts) == 1
                and not rx.search(r"[.!?,;:]$", line_before)
                and (rest[:1].isupper() or rest[:1].isdigit() or rest[:1] in '¿¡«"“')
            )
        ):
            cuts.append(pos)
    cuts.append(end)
    return list(pairwise(cuts))


def sentences_es(text: str, base: list[Sentence] | None = None) -> list[Sentence]:
    """The sentences of a Spanish article (see the module's docstring).

    ``base`` is ``text.sentences(text)`` when the caller has it already.
    """
    pieces: list[tuple[int, int, bool]] = []  # start, end, opens a new paragraph
    last_para = -1
    for s in sentences(text) if base is None else base:
        new_para = s.paragraph != last_para
        last_para = s.paragraph
        for i, (a, b) in enumerate(_split_lines(text, s.start, s.end, s.index == 0)):
            # A liveblog entry is a paragraph of its own, and so is a headline line.
            opens = new_para or i > 0
            cursor = a
            for m in _BOUNDARY_ES.finditer(text, a, b):
                if _ABBREVIATION.search(text[cursor : m.start() + 1]):
                    continue
                pieces.append((cursor, m.end(), opens))
                opens = False
                cursor = m.end()
            pieces.append((cursor, b, opens))
    out: list[Sentence] = []
    paragraph = -1
    for a, b, opens in pieces:
        raw = text[a:b]
        body = raw.strip()
        if not body:
            continue
        a += len(raw) - len(raw.lstrip())
        if opens or paragraph < 0:
            paragraph += 1
            # A stamp or a dateline is not part of what the entry says.
            trim = STAMP_RE.match(body) or DATELINE_RE.match(body)
            if trim and trim.end() < len(body):
                a += trim.end()
                body = body[trim.end() :]
        out.append(Sentence(len(out), paragraph, a, a + len(body), body))
    return out


_DATE_LINE_RE = re.compile(
    rf"^(?:[{U}][\w .'-]{{1,40}},\s+)?(?:(?:lunes|martes|mi[ée]rcoles|jueves|viernes|s[áa]bado"
    r"|domingo),?\s+)?\d{1,2}\s+de\s+(?:" + "|".join(MONTHS) + r")\s+(?:de|del)\s+\d{4}\.?$",
    re.IGNORECASE,
)


def release_date(sents: list[Sentence], reference: date) -> date | None:
    """The date a release is signed with: a line that is only "[Ciudad,] 10 de marzo de
    2025", near its top or at its end."""
    if not sents:
        return None
    last_para = sents[-1].paragraph
    for s in sents:
        if s.paragraph > 3 and s.paragraph < last_para - 1:
            continue
        if _DATE_LINE_RE.match(s.text.strip()):
            found = [d for d in find_dates_es(s.text, reference) if d.date]
            if found and found[0].date <= reference:
                return found[0].date
    return None


def day_heading(sentence: str, reference: date) -> date | None:
    """The day a liveblog's heading names ("Jueves 13 de marzo"); None for any other line."""
    if not _DAY_HEADER_RE.match(sentence.strip()):
        return None
    found = [d for d in find_dates_es(sentence, reference) if d.date]
    return found[0].date if found else None


def time_stamped(text: str, sent: Sentence) -> bool:
    """The sentence is a liveblog entry: its line opens with a time stamp (trimmed off)."""
    line_start = text.rfind("\n", 0, sent.start) + 1
    return line_start < sent.start and bool(STAMP_RE.match(text[line_start : sent.end]))


def dateline_day(text: str, reference: date) -> date | None:
    """The day of a wire dateline with a full date ("LA PAZ, 10 de marzo (Agencia). -"),
    within a month before the reference date; None without one."""
    for line in text.splitlines()[:6]:
        m = DATELINE_RE.match(line.strip())
        if m:
            found = [d for d in find_dates_es(m.group(0), reference) if d.date]
            day = found[0].date if found else None
            if day is not None and 0 <= (reference - day).days <= 31:
                return day
            return None
    return None


# -- the publisher of a release ----------------------------------------------------

_ORG_HEADS = (
    r"Observatorio|Red|Comité|Coordinadora|Colectivo|Colectiva|Centro|Fundación|Asociación"
    r"|Foro|Grupo|Convergencia|Movimiento|Plataforma|Programa|Unidad|Comisión|Instituto"
    r"|Oficina|Iniciativa|Alianza|Frente|Liga|Mesa|Consejo|Articulación|Acción|Vicaría"
    r"|Equipo|Cátedra|Clínica|Sindicato|Federación|Confederación|Proyecto|Laboratorio"
    r"|Organización|Agrupación|Coalición|Colegio|Unión|Madres|Familiares|Defensores|Ciudadanía"
    r"|Mecanismo|Espacio|Servicio|Instancia|Voces|Tribunal\s+Permanente|Campaña|Consorcio"
)
_CONNECT = (
    r"(?:de|del|de[ \t]+la|de[ \t]+las|de[ \t]+los|para|por|contra|y|e|en|sobre|la|las|los|el|a|al)"
)
_NAME_WORD = rf"(?:[{U}][\w'\u2019-]*|\d+[{U}][\w-]*)"
ORG_NAME_RE = re.compile(
    rf"(?<![\w])(?:{_ORG_HEADS})(?:[ \t]+(?:{_CONNECT}[ \t]+)*{_NAME_WORD})+"
    rf"(?:[ \t]*\((?P<acronym>[{U}][\w.-]+)\))?"
)
# "Justicia 11J (J11J)", "Espacio Público (EP)": a name written with its acronym.
_WITH_ACRONYM_RE = re.compile(
    rf"(?<![\w])(?P<name>[{U}][\w'\u2019-]*(?:[ \t]+(?:{_CONNECT}[ \t]+)*{_NAME_WORD}){{0,8}})"
    rf"[ \t]*\((?P<acronym>[{U}][{U}\d.-]+)\)"
)
_DESCRIBED_RE = re.compile(
    r"\b(?:la[ \t]+|nuestra[ \t]+)?(?:ONG|organización(?:[ \t]+(?:no[ \t]+gubernamental"
    r"|de[ \t]+derechos[ \t]+humanos|civil|humanitaria))?|asociación|colectivo|plataforma)[ \t]+"
    rf"(?P<name>{_NAME_WORD}(?:[ \t]+(?:{_CONNECT}[ \t]+)*{_NAME_WORD}){{0,6}})"
)
_ABOUT_RE = re.compile(
    rf"(?m)^[ \t]*(?:Acerca|Quiénes\s+somos)[ \t]*(?:de(?:l)?[ \t]+|:[ \t]*)?(?:la[ \t]+|el[ \t]+)?"
    rf"(?P<name>{_NAME_WORD}(?:[ \t]+(?:{_CONNECT}[ \t]+)*{_NAME_WORD})*)"
)
# "La Convergencia ..., de la que forma parte ...": a coalition that speaks for its members.
_COALITION_AFTER = re.compile(
    r"\s*(?:\([^)]*\)\s*)?,\s*(?:de\s+l[ao]s?\s+que\s+forma(?:n|mos)?\s+parte|que\s+agrupa"
    r"|integrad[oa]\s+por|conformad[oa]\s+por|compuest[oa]\s+por)",
    re.IGNORECASE,
)


def _trim(name: str) -> str:
    """Drop connectors left at the end of a name ("Foro por la" -> "Foro")."""
    return rx.sub(rf"(?:\s+{_CONNECT})+$", "", name.strip())


def org_mentions(text: str) -> list[tuple[int, str, str | None]]:
    """Organisations a Spanish text names: (offset, name, acronym), in text order."""
    found: list[tuple[int, str, str | None]] = []
    for m in ORG_NAME_RE.finditer(text):
        name = _trim(m.group(0).split("(")[0])
        if len(name.split()) >= 2:
            found.append((m.start(), name, m.group("acronym")))
    for m in _WITH_ACRONYM_RE.finditer(text):
        start = m.start("name")
        if not any(s <= start < s + len(n) for s, n, _ in found):
            # Only the capitalised run right before the acronym: "según la ONG Espacio
            # Público (EP)" is "Espacio Público".
            name = _trim(m.group("name"))
            if name.split()[0] not in ("El", "La", "Los", "Las", "Según", "Para"):
                found.append((start, name, m.group("acronym")))
    for m in _DESCRIBED_RE.finditer(text):
        if not any(s <= m.start("name") < s + len(n) for s, n, _ in found):
            found.append((m.start("name"), _trim(m.group("name")), None))
    for key, kind in lex.KNOWN_ACTORS.items():
        if kind != "ngo":
            continue
        for m in rx.finditer(rf"\b{re.escape(key)}\b", text, re.IGNORECASE):
            if m.group(0)[:1].isupper() and not any(
                s <= m.start() < s + len(n) for s, n, _ in found
            ):
                found.append((m.start(), m.group(0), None))
    found.sort()
    return found


def _signature(text: str) -> tuple[int, str] | None:
    """A release signed at its end by its organisation, maybe with a place and a date."""
    paragraphs = [m for m in rx.finditer(r"[^\n]+(?:\n[^\n]+)*", text) if m.group(0).strip()]
    for para in reversed(paragraphs[-2:]):
        for line in para.group(0).splitlines()[:2]:
            stripped = line.strip(" \t-\u2013\u2014*_")
            m = ORG_NAME_RE.fullmatch(stripped) if stripped else None
            if m and not rx.search(r"[.;:]$", stripped):
                offset = para.start() + para.group(0).index(stripped)
                return offset, _trim(stripped.split("(")[0])
    return None


def find_publisher(text: str, headline_end: int, kind_of) -> tuple[int, str] | None:
    """The organisation that publishes a release in its own voice, as (offset, name).

    The evidence, most telling first: an "Acerca de X" note; a signature at the end;
    then the organisation the headline and first paragraph name, one written with its
    acronym, a coalition "de la que forma parte ..." and the one named most.
    ``kind_of`` gives the actor kind of a name: only an NGO publishes a release.
    """
    about = _ABOUT_RE.search(text)
    if about:
        name = _trim(about.group("name"))
        if kind_of(name) == "ngo" and (
            ORG_NAME_RE.fullmatch(name) or name.lower() in lex.KNOWN_ACTORS
        ):
            return about.start("name"), name
    signed = _signature(text)
    if signed and kind_of(signed[1]) == "ngo":
        return signed
    mentions = [(s, n, a) for s, n, a in org_mentions(text) if kind_of(n) == "ngo"]
    if not mentions:
        return None
    first_para = rx.search(r"\n\s*\n", text[headline_end:])
    first_end = headline_end + first_para.start() if first_para else len(text)
    scores: dict[str, float] = {}
    first_seen: dict[str, tuple[int, str]] = {}
    # "Provea" is the "Programa Venezolano de ... (Provea)": one organisation, one score.
    full_of = {a.lower(): n.lower() for _, n, a in mentions if a}
    for start, name, acronym in mentions:
        key = full_of.get(name.lower(), name.lower())
        full = next((s, n) for s, n, _ in mentions if n.lower() == key)
        first_seen.setdefault(key, full)
        score = 1.0
        if start < headline_end:
            score += 3
        elif start < first_end:
            score += 2
        if acronym:
            score += 3
        if _COALITION_AFTER.match(text, start + len(name)):
            score += 2
        scores[key] = scores.get(key, 0) + score
    best = max(scores, key=lambda k: (scores[k], -first_seen[k][0]))
    return first_seen[best]
