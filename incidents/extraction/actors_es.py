"""Who speaks, in Spanish: the noun phrase of a speaker, its kind, role and parent.

Spanish news prose names its sources with these shapes, and the parser reads them:

* descriptor + name: "la ONG Foro Penal", "la organización de derechos humanos
  Cristosal", "el centro de derechos humanos Viasna", "el diario X" (the
  descriptor gives the kind; a demonym in it, "la ONG venezolana", the country);
* a capitalised institution: "la Defensoría del Pueblo", "el Ministerio Público",
  "el Instituto Nacional de Derechos Humanos (INDH)" (the acronym is kept as an
  alias, so "el INDH" later finds the same actor);
* role + organisation + name: "el director de Provea, Alfredo Romero"; name +
  apposition: "Gonzalo Himiob, vicepresidente de la organización"; role + name:
  "la vicepresidenta Rosario Murillo"; a possessive: "su director, Sergio Micco";
* a minister without a name speaks for the ministry: "el ministro de Defensa" is
  the "Ministerio de Defensa"; a spokesperson of an organisation for the
  organisation ("un portavoz de la junta");
* lower-case state bodies and forces: "las autoridades", "la policía rusa", "el
  Gobierno cubano" (the demonym becomes the country: "Gobierno de Cuba");
* anaphors: "la organización", "la entidad", "el organismo" (``pronoun=True``; the
  extractor resolves them to an actor already named).

``subject_before`` finds the subject written before a reporting verb, skipping
relative clauses and adverbials ("La AAPP, que documenta ..., contabiliza");
``phrase_after`` the speaker written after it ("informó el miércoles la Defensoría
del Pueblo, que ...") or after "según".
"""

from __future__ import annotations

import re

from incidents.extraction import lexicon_es as lex
from incidents.extraction import rx
from incidents.extraction.actors import ActorMention

U = lex.UPPER
_WORD = r"[\w\u2019'.-]"
_CAPWORD = rf"[{U}]{_WORD}*"
_CONNECT = r"(?:de|del|de\s+la|de\s+las|de\s+los|la|las|los|el|y|e|para|contra|por|a|al|en|sobre)"
# A person: two to four capitalised words, with "de"/"del" particles between them.
PERSON = (
    rf"[{U}][a-záéíóúñü\u2019'-]+(?:\s+(?:(?:de|del|de\s+la)\s+)?[{U}][a-záéíóúñü\u2019'-]+){{1,3}}"
)
_DETERMINERS = re.compile(
    r"^(?:(?:el|la|los|las|un|una|unos|unas|del|al|otra|otro|dicha|dicho)\s+)+", re.IGNORECASE
)
_DESCRIPTOR_HEADS = {
    "ong": "ngo", "organización": "ngo", "organizaciones": "group", "centro": "ngo",
    "grupo": "ngo", "asociación": "ngo", "colectivo": "ngo", "fundación": "ngo",
    "observatorio": "ngo", "proyecto": "ngo", "plataforma": "ngo", "red": "ngo",
    "comité": "ngo", "coalición": "ngo", "movimiento": "ngo", "sindicato": "ngo",
    "gremio": "ngo", "instituto": "ngo", "iniciativa": "ngo", "agrupación": "ngo",
    "diario": "media", "periódico": "media", "agencia": "media", "cadena": "media",
    "medio": "media", "portal": "media", "emisora": "media", "radio": "media",
    "canal": "media", "semanario": "media", "revista": "media", "televisora": "media",
    "coordinadora": "ngo", "convergencia": "ngo", "federación": "ngo", "mesa": "ngo",
    "partido": "group", "abogado": "person", "abogada": "person", "activista": "person",
    "periodista": "person", "opositor": "person", "opositora": "person",
}  # fmt: skip
# Lower-case heads only: a capitalised "Instituto" or "Asociación" begins the name itself.
_HEAD_ALT = "|".join(sorted(_DESCRIPTOR_HEADS, key=len, reverse=True))
_DESCRIPTOR_RE = re.compile(
    r"(?P<desc>\b(?:ONG|" + _HEAD_ALT + r")\b"
    r"(?:\s+(?:[a-záéíóúñü][\w-]*|ONG))*?)\s+(?P<name>(?:[" + U + r"]|[a-z]+[A-Z])[\w\u2019'.-]*"
    r"(?:\s+(?:" + _CONNECT + r"\s+)?(?:[" + U + r"0-9][\w\u2019'.-]*))*)"
    r"(?:\s*\((?P<alias>[" + U + r"][\w.-]*)\))?$"
)
_ROLE = rf"(?i:{lex.ROLE_RE})"
_PRONOUNS = {"él", "ella", "ellos", "ellas", "este", "esta", "éste", "ésta"}


def classify(name: str) -> str:
    """The kind a Spanish name implies: gazetteer, then keywords, then its shape."""
    key = _DETERMINERS.sub("", name).strip().lower()
    key = rx.sub(r"\s*\([^)]*\)$", "", key)
    if key in lex.KNOWN_ACTORS:
        return lex.KNOWN_ACTORS[key]
    for pattern, kind in lex.KIND_KEYWORDS:
        if rx.search(pattern, name):
            return kind
    if rx.fullmatch(PERSON, name):
        return "person"
    return "group" if name[:1].islower() else "ngo"


def _strip_demonym(text: str) -> tuple[str, str | None]:
    """ "Gobierno cubano" -> ("Gobierno", "CU"); the demonym adjective comes after the noun."""
    country = None
    m = rx.search(rf"\s+({lex.DEMONYM_RE.pattern})$", text, re.IGNORECASE)
    if m:
        country = lex.DEMONYMS.get(m.group(1).lower())
        if country:
            text = text[: m.start()]
    return text, country


_OF_COUNTRY_RE = re.compile(rf"\s+de\s+({'|'.join(re.escape(c) for c in lex.COUNTRY_NAMES)})$")


def _institution(name: str, country: str | None) -> ActorMention | None:
    """A capitalised or lower-case institution name, normalised ("Gobierno de Cuba")."""
    name = name.strip(' ,;:“”"«»')
    if not name or not rx.search(rf"[{U}a-z]", name):
        return None
    name, dem_country = _strip_demonym(name)
    country = country or dem_country
    # "de Nicaragua" at the end names the country of a state body.
    m = _OF_COUNTRY_RE.search(name)
    if m:
        country = country or lex.COUNTRY_NAMES[m.group(1)]
    kind = classify(name)
    if rx.fullmatch(r"(?i)gobierno|régimen|ejecutivo", name):
        if not country:
            return ActorMention(name="Gobierno", kind="state_body", surname_only=True)
        name = f"Gobierno de {lex.ISO_TO_NAME[country]}"
        kind = "state_body"
    if name[:1].islower():
        # Lower-case: a state body or force ("las autoridades", "la policía rusa"), or
        # an unnamed collective ("organizaciones de derechos humanos", "familiares").
        # A longer phrase, or one left open by a conjunction, is a clause caught by
        # mistake ("fuerzas de seguridad hubieran causado muertes y").
        words = name.split()
        if (
            len(words) > 9
            or rx.fullmatch(r"y|e|o|que|ni|pero", words[-1])
            or rx.search(
                r"\b(?:que|hubieran?|habían|había|han|ha|fueron|fue|son|es|están?)\b", name
            )
        ):
            return None
        if kind in ("state_body", "security_force"):
            return ActorMention(name=name, kind=kind, country=country)
        if rx.match(rf"(?:{lex.COLLECTIVE_HEADS})\b", name):
            return ActorMention(name=name, kind="group", country=country)
        return None
    tokens = name.split()
    # Capitalised words may hold connectors inside; a lower-case word that is not one
    # means a clause was caught by mistake.
    for i, tok in enumerate(tokens):
        # "Mossos d'Esquadra": an elided particle before a capital is part of the name.
        if tok[:1].isupper() or tok[:1].isdigit() or rx.match(r"[dl]['\u2019][A-ZÀ-Ý]", tok):
            continue
        if rx.fullmatch(_CONNECT, tok, re.IGNORECASE) and i < len(tokens) - 1:
            continue
        if (
            i > 0
            and kind in ("state_body", "security_force", "un_mechanism")
            and rx.fullmatch(
                r"nacional|militar|judicial|presidencial|penitenciari[oa]|federal|general"
                r"|especial|interamericana|internacional|independiente",
                tok,
                re.IGNORECASE,
            )
        ):
            continue
        return None
    if len(tokens) == 1:
        full = lex.ACRONYMS.get(name.lower())
        if full:
            return ActorMention(name=full, kind=classify(full), country=country)
        if name.lower() in lex.KNOWN_ACTORS:
            return ActorMention(name=name, kind=lex.KNOWN_ACTORS[name.lower()], country=country)
        # One word: an acronym or surname already met ("INDH", "Romero", "Defensoría").
        return ActorMention(name=name, kind=kind, country=country, surname_only=True)
    return ActorMention(name=name, kind=kind, country=country)


def _org_of_role(role: str, org_text: str) -> ActorMention | None:
    """The organisation a role belongs to: "ministro de Defensa" -> Ministerio de Defensa."""
    org_text = org_text.strip()
    if rx.match(r"(?i)ministr[oa]$", role) and rx.match(rf"[{U}]", org_text):
        return ActorMention(name=f"Ministerio de {org_text}", kind="state_body")
    if org_text in lex.COUNTRY_NAMES:
        return None
    # "el director de la ONG, Julio Prado": the organisation named before.
    head = rx.fullmatch(
        r"(?:la\s+|el\s+)?(organización|ONG|asociación|entidad|fundación|organismo|institución)",
        org_text,
        re.IGNORECASE,
    )
    if head:
        return ActorMention(name="la " + head.group(1).lower(), kind="", pronoun=True)
    return parse_np(org_text)


def _person(name: str, role: str, org_text: str | None) -> ActorMention:
    parent = _org_of_role(role, org_text) if org_text else None
    country = None
    if org_text and org_text.strip() in lex.COUNTRY_NAMES:
        country = lex.COUNTRY_NAMES[org_text.strip()]
    if parent is not None and parent.kind == "person":
        parent = None
    return ActorMention(
        name=name,
        kind="person",
        role=role.lower(),
        parent=parent,
        country=country or (parent.country if parent else None),
    )


_ORG_HEAD_ONLY = re.compile(
    r"(?:la\s+|el\s+)?(?:Coordinadora|Comité|Red|Asociación|Fundación|Centro|Colectivo|Comisión"
    r"|Observatorio|Plataforma|Movimiento|Instituto|Foro|Grupo|Unión|Federación|Confederación"
    r"|Alianza|Coalición|Mesa|Convergencia|Frente|Liga|Oficina|Organización|Consejo)"
)
_NAME_ADJECTIVE = re.compile(
    r"(?:Nacional|Internacional|General|Popular|Social|Permanente|Regional|Federal|Civil"
    r"|Unid[oa]s?|Latinoamerican[oa]|Interamerican[oa]|Ciudadan[oa]|Independiente)\b"
)
_WHERE_RE = re.compile(rf"\s+(?:en|desde)\s+[{U}][\w-]+(?:\s+[{U}][\w-]+)?$")


def parse_np(text: str) -> ActorMention | None:
    """Read one Spanish noun phrase naming a speaker; None when it names none."""
    np = text.strip(' ,;:“”"«»\u00a0')
    if not np:
        return None
    lower = np.lower()
    if lower in _PRONOUNS:
        return ActorMention(name=lower, kind="", pronoun=True)
    am = lex.ANAPHORS.match(np)
    if am and (am.group("head")[:1].islower() or am.group("head") == "ONG"):
        # "la organización", "la entidad"; a capitalised "la Policía" or "la Fiscalía"
        # names the institution itself.
        return ActorMention(name=lower, kind="", pronoun=True)
    # "su director, Sergio Micco", "su portavoz": a role in the organisation last named.
    m = rx.match(rf"^su\s+(?P<role>{_ROLE})(?:,?\s+(?P<name>{PERSON}))?$", np)
    if m:
        owner = ActorMention(name="la organización", kind="", pronoun=True)
        if not m.group("name"):
            return owner
        return ActorMention(
            name=m.group("name"), kind="person", role=m.group("role").lower(), parent=owner
        )
    # "Interior eleva a 194 los detenidos": a ministry named by its portfolio, with no
    # article (with one, "la Justicia" is the judiciary).
    ministry = lex.MINISTRY_METONYMS.get(lower) if np[:1].isupper() else None
    if ministry:
        return ActorMention(name=ministry, kind="state_body")
    np = _DETERMINERS.sub("", np)
    # "la portavoz de la ONU Marta Ibáñez en Ginebra": where a person spoke is no part
    # of their name (an organisation's may hold one: "... Desaparecidos en Honduras").
    where = _WHERE_RE.search(np)
    if where:
        mention = parse_np(np[: where.start()])
        if mention is not None and mention.kind == "person":
            return mention
    alias = None
    am = rx.search(rf"\s*\((?P<a>[{U}][\w.-]*)\)$", np)
    if am:
        alias, np = am.group("a"), np[: am.start()]
    mention = _parse(np)
    if mention and alias:
        owner = mention.parent if mention.kind == "person" else mention
        if owner is not None:
            owner.alias = alias
            owner.surname_only = False
    return mention


def _parse(np: str) -> ActorMention | None:
    # "Gonzalo Himiob, vicepresidente de la organización"
    m = rx.match(
        rf"^(?P<name>{PERSON}),\s+(?:(?:el|la|su)\s+)?(?P<role>{_ROLE})"
        r"(?:\s+(?:de|del|de\s+la|de\s+los|en)\s+(?P<org>.+))?$",
        np,
    )
    if m:
        org = m.group("org")
        if org and rx.fullmatch(
            r"(?i)(?:la\s+)?(?:organización|ONG|asociación|entidad|fundación)", org
        ):
            owner = ActorMention(name="la " + org.split()[-1].lower(), kind="", pronoun=True)
            return ActorMention(
                name=m.group("name"), kind="person", role=m.group("role").lower(), parent=owner
            )
        return _person(m.group("name"), m.group("role"), org)
    # "director de Provea, Alfredo Romero", "ministro de Justicia y Seguridad, Gustavo Villatoro"
    m = rx.match(
        rf"^(?P<role>{_ROLE})(?:\s+(?:de|del|de\s+la|de\s+los)\s+(?P<org>[^,]+?))?,?\s+(?P<name>{PERSON})$",
        np,
    )
    if (
        m
        and not rx.search(rf"\b(?:{lex.ROLE_RE})\b", m.group("name"), re.IGNORECASE)
        # "vocero de la Coordinadora Nacional de Familiares": a head noun alone is no
        # organisation, so what follows it is the rest of its name, not a person.
        and not (m.group("org") and _ORG_HEAD_ONLY.fullmatch(m.group("org")))
        and not _NAME_ADJECTIVE.match(m.group("name"))
    ):
        return _person(m.group("name"), m.group("role"), m.group("org"))
    # A role without a name: a minister speaks for the ministry, a spokesperson for
    # the organisation ("el ministro del Interior", "un portavoz de la junta").
    m = rx.match(rf"^(?P<role>{_ROLE})\s+(?P<prep>de|del|de\s+la|de\s+los)\s+(?P<org>.+)$", np)
    if m:
        org_text = m.group("org")
        if rx.match(r"(?i)ministr[oa]$", m.group("role")) and rx.match(rf"[{U}]", org_text):
            return ActorMention(name=f"Ministerio {m.group('prep')} {org_text}", kind="state_body")
        if rx.match(r"(?i)portavoz|vocer[oa]|representante|jef[ea]\s+de\s+prensa", m.group("role")):
            return parse_np(org_text)
        # "la coordinadora del COFADEH", "el director de la Policía": an officer with no
        # name speaks for the organisation (a head of state's country is no speaker).
        org = parse_np(org_text) if org_text.strip() not in lex.COUNTRY_NAMES else None
        if org is not None and org.kind not in ("person", "") and not org.pronoun:
            if org.surname_only and org.name[:1].isupper() and not org.name.isupper():
                return None  # "el director de Romero": a surname, not an organisation
            return org
        return None
    # "descriptor Name": "ONG Foro Penal", "centro de derechos humanos Viasna",
    # "recuento ... del diario Prothom Desh" (the last descriptor + name wins).
    m = _DESCRIPTOR_RE.search(np)
    if m and (m.start() == 0 or rx.search(r"\b(?:de|del|por)\s+$", np[: m.start()])):
        desc = m.group("desc")
        head = desc.split()[0].lower()
        kind = _DESCRIPTOR_HEADS.get(head, "ngo")
        country = None
        dm = lex.DEMONYM_RE.search(desc)
        if dm:
            country = lex.DEMONYMS.get(dm.group(0).lower())
        name = m.group("name")
        name_kind = classify(name)
        if name_kind in ("un_mechanism", "intergovernmental", "state_body", "security_force"):
            kind = name_kind
        if kind == "person" and not rx.fullmatch(PERSON, name):
            kind = "ngo"
        if kind == "group":
            kind = "ngo"
        return ActorMention(name=name, kind=kind, country=country, alias=m.group("alias"))
    # "vicepresidenta Rosario Murillo", "presidente de Bielorrusia, Alexander Lukashenko"
    m = rx.search(rf"(?P<role>{_ROLE})\s+(?P<name>{PERSON})$", np)
    if m and m.start() == 0 and not _NAME_ADJECTIVE.match(m.group("name")):
        return _person(m.group("name"), m.group("role"), None)
    if rx.fullmatch(PERSON, np) and classify(np) == "person":
        return ActorMention(name=np, kind="person")
    return _institution(np, None)


_ADVERBIALS = (
    r"(?:también|además|ya|hoy|ayer|asimismo|igualmente|entonces|finalmente|luego|después"
    r"|posteriormente|recientemente|públicamente|oficialmente|previamente|anteriormente"
    r"|nuevamente|por\s+su\s+parte|a\s+su\s+vez|por\s+otra\s+parte|en\s+tanto"
    r"|sin\s+embargo|no\s+obstante|en\s+cambio|mientras\s+tanto|de\s+su\s+lado"
    r"|por\s+el\s+contrario|a\s+su\s+turno"
    r"|(?:este|esta|el|la)\s+(?:pasad[oa]\s+)?(?:lunes|martes|miércoles|jueves|viernes|sábado"
    r"|domingo|semana|mes|mañana|tarde|noche)|en\s+(?:un|una|su)\s+(?:comunicado|informe|reporte"
    r"|declaración|mensaje|nota|boletín|conferencia|entrevista|rueda)(?:\s+de\s+prensa)?"
    r"|mediante\s+un\s+comunicado|en\s+(?:rueda|conferencia)\s+de\s+prensa|no|se)"
)
_RELATIVE_START = re.compile(
    r"^(?:que|quien|quienes|cuy[oa]s?|el\s+cual|la\s+cual|los\s+cuales|las\s+cuales|con\s+sede"
    r"|con\s+base|fundad[oa]|cread[oa]|desde|tras|según|como|una\s+(?:organización|ONG)"
    r"|un\s+(?:grupo|colectivo|organismo)|encargad[oa]|responsable"
    # "la agencia Fars, vinculada a la Guardia Revolucionaria, ...": a participle apposition
    r"|[a-záéíóúñ]+(?:ad|id)[oa]s?\s+(?:a|al|con|por|de|del|en|desde|para))\b",
    re.IGNORECASE,
)


def subject_before(sentence: str, verb_start: int) -> str:
    """The noun phrase written before a verb: the subject of "X informó".

    Drops adverbials ("por su parte", "este martes", "también"), relative clauses
    and appositions that describe the subject ("La AAPP, que documenta ...,"), and a
    fronted phrase ("Desde el 28 de julio, el Foro ..."); keeps a name's role
    apposition ("Gonzalo Himiob, vicepresidente de la organización,").
    """
    before = sentence[:verb_start]
    while True:
        stripped = rx.sub(rf"(?:[\s,]+{_ADVERBIALS})+[\s,]*$", "", before, flags=re.IGNORECASE)
        stripped = stripped.rstrip(" ,")
        if stripped == before:
            break
        before = stripped
    parts = [p for p in rx.split(r"\s*[,;]\s*|\s+[\u2014\u2013-]\s+|:\s+|\s+\|\s+", before)]
    parts = [p for p in parts if p is not None]
    while parts and not parts[-1].strip():
        parts.pop()
    while len(parts) >= 2 and _RELATIVE_START.match(parts[-1].strip()):
        parts.pop()
    if not parts:
        return ""
    last = parts[-1].strip()
    # "La asociación Verdad, Justicia y Reparación": a name that is itself a series of
    # capitalised words, after an article and a noun, is one name, commas and "y" included.
    whole_name = False
    series = rx.fullmatch(rf"[{U}]\w+\s+(?:y|e)\s+[{U}]\w+", last)
    k = len(parts) - 2
    while series and k >= 0 and rx.fullmatch(rf"[{U}]\w+", parts[k].strip()):
        k -= 1
    if series and k >= 0:
        head = rx.search(
            rf"(?:^|\s)(?:[Ee]l|[Ll]a|[Ll]os|[Ll]as)\s+\w+(?:\s+[{U}]\w+)*\s+[{U}]\w+$", parts[k]
        )
        if head:
            last = ", ".join(p.strip() for p in [parts[k][head.start() :], *parts[k + 1 :]])
            whole_name = True
    if whole_name:
        pass
    elif len(parts) >= 2 and rx.match(rf"^(?:(?:el|la|su)\s+)?(?:{lex.ROLE_RE})\b", last, re.I):
        prev = parts[-2].strip()
        if rx.fullmatch(PERSON, prev.split(" y ")[-1]) or rx.search(rf"{PERSON}$", prev):
            name = rx.search(rf"{PERSON}$", prev)
            last = (name.group(0) if name else prev) + ", " + last
    elif (
        len(parts) >= 2
        and rx.search(rf"\b(?:{lex.ROLE_RE})(?:\s+\S+){{0,6}}$", parts[-2], re.I)
        and rx.fullmatch(PERSON, last)
    ):
        # "el director de Provea, Alfredo Romero, dijo": role phrase, then the name.
        role = rx.search(rf"(?:(?:el|la|su)\s+)?\b(?:{lex.ROLE_RE})\b.*$", parts[-2], re.I)
        if role:
            last = role.group(0) + ", " + last
            # "el ministro de Justicia y Seguridad Pública, Gustavo Villatoro": the "y" is
            # inside the ministry's name, no conjunction of clauses.
            whole_name = True
    # A subordinate clause before the subject: keep what follows its last conjunction.
    # A name followed by its acronym is one name, "y" or "e" included ("Coordinadora
    # contra la Represión Policial e Institucional (CORREPI)").
    if whole_name:
        return last.strip()
    named = rx.search(rf"(?:^|\s)([{U}][^()]*?)\s*\([{U}][\w.-]*\)$", last)
    if named and not rx.search(
        r"\s(?:que|mientras|cuando|aunque|pero|porque|pues|donde|si)\s", named.group(1)
    ):
        return named.group(1).strip() + last[named.end(1) :]
    sub = rx.split(
        r"\s+(?:que|mientras|cuando|aunque|pero|porque|pues|donde|si|y|e)\s+(?=[^a-z]|"
        r"(?:el|la|los|las|su|un|una)\s)",
        last,
    )
    last = sub[-1]
    # ", aunque la agencia Fars, ...": a conjunction that opens the part.
    last = rx.sub(
        r"^(?:aunque|mientras\s+que|mientras|pero|porque|pues|cuando|si\s+bien|y|e)\s+(?=[^a-z]|"
        r"(?:el|la|los|las|su|un|una)\s)",
        "",
        last,
        flags=re.IGNORECASE,
    )
    last = rx.sub(
        r"^(?:(?:este|esta|el|la)\s+(?:pasad[oa]\s+)?(?:lunes|martes|miércoles|jueves|viernes"
        r"|sábado|domingo|semana|año|mes)\s+)",
        "",
        last,
        flags=re.IGNORECASE,
    )
    return last.strip()


_AFTER_STOP = re.compile(
    r"\s*(?:[.;:!?]|\(|,(?!\s+(?:(?:el|la|su)\s+)?(?:" + lex.ROLE_RE + r")\b)"
    r"|\s+(?:que|quien|quienes|cuy[oa]s?|en|a|ante|durante|desde|hasta|tras|con|sobre|por|para"
    r"|al|mientras|y|e|aunque|pero|este|esta|el\s+(?:lunes|martes|miércoles|jueves|viernes"
    r"|sábado|domingo|pasado))\s+(?-i:(?![" + U + r"])))",
    re.IGNORECASE,
)


_ROLE_OF_RE = re.compile(
    rf"(?:(?:el|la|su|un|una)\s+)?(?:{lex.ROLE_RE})\s+(?:de|del|de\s+la|de\s+los)\s+\S", re.I
)
_COMMA_PERSON_RE = re.compile(rf"\s*,\s+({PERSON})(?=\s*(?:[,.;:]|$))")


def phrase_after(text: str) -> str:
    """The noun phrase at the start of ``text``: "la Defensoría del Pueblo, que ..." -> the name.

    Stops at a clause boundary; keeps a role apposition ("Eka Gigauri, directora de la
    Asociación de ...") and a trailing acronym "(INDH)".
    """
    text = text.lstrip()
    m = _AFTER_STOP.search(text)
    np = text[: m.start()] if m else text
    if m and text[m.start() :].lstrip().startswith("("):
        am = rx.match(rf"\s*\([{U}][\w.-]*\)", text[m.start() :])
        if am:
            np = text[: m.start() + am.end()]
    # After a capitalised name, a lower-case word that does not join two capitalised
    # words ends the phrase: "la ONG Cauce solo 31 de ellos" -> "la ONG Cauce".
    seen_cap = False
    for tok in rx.finditer(r"\S+", np):
        word = tok.group(0)
        if word[:1].isupper() or (seen_cap and rx.fullmatch(r"\d+[A-Z][\w-]*", word)):
            seen_cap = True
            continue
        if not seen_cap:
            continue
        nxt = np[tok.end() :].lstrip()
        joins = rx.fullmatch(_CONNECT, word, re.IGNORECASE) and nxt[:1].isupper()
        joins = joins or (
            rx.fullmatch(r"de|del|la|las|los", word)
            and rx.match(r"(?:la|las|los)\s+[A-ZÁÉÍÓÚÑ]", nxt)
        )
        # "el Gobierno estadounidense": a demonym after the name is its country.
        adjective = rx.fullmatch(r"\(.*|nacional|militar|judicial|presidencial", word) or (
            word.lower() in lex.DEMONYMS and not nxt[:1].isupper()
        )
        if not joins and not adjective:
            np = np[: tok.start()].rstrip()
            break
    # "Eka Gigauri, directora de la Asociación de Jóvenes Abogados de Georgia"
    am = rx.match(
        rf"^({PERSON}),\s+((?:(?:el|la|su)\s+)?(?:{lex.ROLE_RE})\b[^,.;:]*)",
        text,
        re.IGNORECASE,
    )
    if am and np.rstrip(" ,") == am.group(1):
        np = am.group(0)
    # "la coordinadora del COFADEH, Bertha Oliva, en rueda de prensa": role, then the name.
    np = np.rstrip(" ,")
    if _ROLE_OF_RE.match(np):
        name = _COMMA_PERSON_RE.match(text, len(np))
        if name:
            np = text[: name.end()]
    return np.strip()


def after_verb(text: str) -> str:
    """Skip the adverbials a writer puts between an inverted verb and its subject."""
    pattern = re.compile(
        rf"^(?:\s*(?:,\s*)?(?:{_ADVERBIALS}|de\s+que|a\s+(?:la\s+)?(?:prensa|agencia\s+\w+"
        r"|periodistas|medios(?:\s+locales)?|est[ea]\s+(?:diario|medio|periódico|agencia|cadena"
        r"|emisora|portal|redacción))|ante\s+(?:la\s+)?prensa|en\s+(?:declaraciones"
        r"|un\s+video|una\s+publicación)(?:\s+\w+){0,3}?|a\s+través\s+de\s+\w+(?:\s+\w+)?"
        r"|durante\s+(?:una?\s+)?\w+(?:\s+de\s+prensa)?|(?:el|la|este|esta)\s+\d{1,2}\s+de\s+\w+"
        r"|por\s+la\s+(?:mañana|tarde|noche)|en\s+(?:Twitter|X|Facebook|Telegram|Instagram"
        r"|redes\s+sociales)))+",
        re.IGNORECASE,
    )
    m = pattern.match(text)
    return text[m.end() :] if m else text
