"""Spanish articles: the same pipeline as ``extractor._Extractor``, with Spanish rules.

``SpanishExtractor`` overrides the language-specific steps and keeps the
language-neutral ones (statement carry-over, groups, duplicate figures, keys,
attachment of records to incidents) from the English extractor:

* numbers and dates come from ``numbers_es`` and ``dates_es``;
* populations, measures, speakers, stances and allegations from ``lexicon_es`` and
  ``actors_es``;
* groups are labelled in Spanish ("menores de edad de 14 a 17 años"), and so are
  incidents ("Represión postelectoral en Venezuela"), sources ("Comunicado de Foro
  Penal") and allegation summaries.

Spanish puts the speaker after the verb as often as before it ("..., informó el
miércoles la Defensoría del Pueblo"), so a sentence may hold several statements;
each figure is credited to the statement whose scope covers it (the nearest verb
before it whose content follows, else the nearest inverted verb after it).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from incidents.extraction import lexicon_es as lex
from incidents.extraction import rx
from incidents.extraction.actors import ActorMention, ActorRecord
from incidents.extraction.actors_es import (
    after_verb,
    classify,
    parse_np,
    phrase_after,
    subject_before,
)
from incidents.extraction.article_es import (
    dateline_day,
    day_heading,
    find_publisher,
    org_mentions,
    release_date,
    sentences_es,
    time_stamped,
)
from incidents.extraction.dates import DateMention
from incidents.extraction.dates_es import find_dates_es
from incidents.extraction.extractor import (
    IncidentWords,
    _Allegation,
    _Cluster,
    _Extractor,
    _Figure,
    _Pop,
    _Source,
    _Stance,
    _Statement,
)
from incidents.extraction.numbers import Quantity
from incidents.extraction.numbers_es import find_age_ranges_es, find_quantities_es
from incidents.extraction.text import Sentence

I = re.IGNORECASE  # noqa: E741

_STATE_HEADS = {"ministerio", "cartera", "fiscalía", "defensoría", "policía", "junta"}
_SPECIAL_TITLES = {
    "minors": "Detención de menores de edad",
    "journalists": "Detención de periodistas",
    "lawyers": "Detención de abogados",
    "clergy": "Detención de religiosos",
}
# "de los cuales 192 ...", "entre ellos 580 ...", "incluidos 22 ...": a part of the
# count named just before.
_SUBSET_BEFORE = re.compile(
    r"(?:\b(?:de\s+(?:los|las)\s+cuales|entre\s+(?:ellos|ellas|los\s+cuales|las\s+cuales"
    r"|los\s+que|las\s+que)|entre\s+(?:los|las)\s+(?:que\s+|(?P<whole_noun>(?:detenid|herid|fallecid"
    r"|muert|arrestad|aprehendid|lesionad|asesinad|desaparecid|excarcelad|liberad|imputad"
    r"|procesad)[oa]s)\s+)?(?:hay|había|figuran|se\s+cuentan)"
    r"|incluid[oa]s|incluyendo|inclusive|de\s+ell[oa]s|del\s+total|de\s+est[oa]s|de\s+dicha\s+"
    r"cifra|de\s+esa\s+cifra|de\s+ese\s+total)[\s,:]*(?:hay\s+|había\s+|figuran\s+)?)$",
    I,
)
# "48 de ellas", "300 de los detenidos", "cuatro de los acusados".
_PARTITIVE_AFTER = re.compile(
    r"^\s+de\s+(?:(?P<pron>ell[oa]s|est[oa]s|ést[oa]s|l[oa]s\s+cuales)\b|(?:l[oa]s)\s+(?P<noun>"
    r"[\wáéíóúñü]+(?:\s+[\wáéíóúñü]+){0,2}?)(?=[\s,.;]|$))",
    I,
)
_TOLL_BEFORE_AMOUNT = re.compile(
    rf"\ba\s+$|\b(?:{lex.TOLL_SETTERS})\s+(?:[\wáéíóúñ]+\s+){{0,3}}?en\s+$"
    r"|(?:^|[\s¿¡\"“«])(?:ya\s+)?(?:son|eran|suman|sumaban|serían|fueron)\s+(?:ya\s+)?$",
    I,
)
_TOLL_GAP = re.compile(
    rf"\s+(?:(?:el|la)\s+(?:{lex.TOLL_NOUNS})\s+(?:\w+\s+)?de\s+(?:(?:l[oa]s)\s+)?|(?:l[oa]s)\s+)",
    I,
)
# "eleva a 23 la cifra de muertos y a 715 la de heridos": the total's noun elided in a
# second total, so only after a total named in full.
_ELIDED_TOLL_GAP = re.compile(r"\s+(?:el|la)\s+de\s+(?:l[oa]s\s+)?", I)
_TOLL_NAMED = re.compile(rf"\b(?:el|la)\s+(?:{lex.TOLL_NOUNS})\s+(?:\w+\s+)?de\s", I)
# "los fallecidos son 195", "los detenidos ya son más de 300": the count after a copula,
# its noun the subject before.
_NOUN_COPULA_BEFORE = re.compile(
    r"(?<![\wáéíóúñü])(?:l[oa]s|sus)\s+(?P<noun>[a-záéíóúñü]+)(?:\s+[a-záéíóúñü]+){0,3}?\s+"
    r"(?:ya\s+)?(?:son|eran|suman|sumaban|serían|ascienden\s+a|ascendían\s+a|llegan\s+a)"
    r"\s+(?:ya\s+)?$",
    I,
)
# "de las cuales 712, entre ellas 27 menores, siguen presas": a part named inside the
# part, between the amount and its verb.
_NESTED_PART_AFTER = re.compile(
    r"^\s*,\s*(?:entre\s+ell[oa]s|incluid[oa]s|de\s+ell[oa]s)\s+[^,;:.()]{1,80},", I
)
# "de las cuales 55 tienen entre 16 y 18 años": a part defined by age.
_AGED_AFTER = re.compile(
    r"^\s+(?:tienen|tenían|tendrían)\s+(?:(?:entre\s+)?(?P<lo>\d{1,2})\s+(?:y|a)\s+(?P<hi>\d{1,2})"
    r"|menos\s+de\s+(?P<under>\d{1,2}))\s+años(?![\wáéíóúñü])",
    I,
)
# The age of majority the Spanish-speaking countries share.
_MAJORITY = 18
# "actualizó el balance de detenidos a 88", "elevó el número de muertos a 23".
_TOLL_NOUN_FIRST = re.compile(
    rf"\b(?:{lex.TOLL_SETTERS}|{lex.TOLL_VERBS})\s+(?:el|la)\s+(?:{lex.TOLL_NOUNS})\s+"
    r"(?:total\s+|oficial\s+|provisional\s+)?de\s+(?P<rest>[^.;:,]{1,60}?)\s+(?:a|en|hasta)\s*$",
    I,
)
_CLAUSE_END = re.compile(
    r"[;:\u2014\u2013]|,\s+(?!(?:y|e|o)\s)|\s-\s|\s+(?:mientras|aunque|pero)\s"
)
_MEASURE_AFTER = [(re.compile(p, I), m) for p, m in lex.MEASURE_PATTERNS]
_NEGATED_BEFORE = re.compile(r"\b(?:no|nunca|jamás|ni)\s+(?:\w+\s+){0,2}$", I)
_MEASURE_BEFORE = (
    [
        (
            re.compile(
                rf"(?<![\wáéíóúñü])(?:{p})\s+(?:de|a)\s+(?:(?:otr[oa]s|un\s+grupo\s+de"
                r"|unos|unas|l[oa]s)\s+)?$",
                I,
            ),
            m,
        )
        for p, m in lex.MEASURE_NOMINALS
    ]
    + [
        (
            re.compile(
                rf"(?<![\wáéíóúñü])(?:ha\s+|han\s+|habría\s+|habrían\s+|había\s+|habían\s+)?"
                rf"(?:{p})(?:\s+(?:este|esta|el|la)\s+\w+)?(?:\s+(?:también|además|ya))?"
                r"(?:\s+(?:a|al\s+menos\s+a))?\s+$",
                I,
            ),
            m,
        )
        for p, m in lex.VERB_BEFORE
    ]
    + [
        # "fueron detenidos (el lunes) 19 jóvenes", "murieron al menos 12 personas".
        (
            re.compile(
                rf"(?<![\wáéíóúñü])(?:{p})(?:\s+(?:este|esta|el|la|en|durante)\s+\w+)?"
                r"(?:\s+(?:también|además|ya|hoy|ayer))?\s+$",
                I,
            ),
            m,
        )
        for p, m in lex.PASSIVE_BEFORE
    ]
)
_VERB_BEFORE = [
    (re.compile(rf"(?<![\wáéíóúñü])(?:{p})(?![\wáéíóúñü])", I), m) for p, m in lex.VERB_BEFORE
]
_REPORT_VERB_RE = re.compile(rf"(?<![\wáéíóúñü])(?:{lex.REPORT_VERBS})(?![\wáéíóúñü])", I)
_VIOLATIONS = [(re.compile(p, I), c) for p, c in lex.VIOLATIONS]
_METHODS = [(re.compile(p, I), c) for p, c in lex.METHODS]
# Most sentences allege nothing: one pass over each says whether to try the lists.
_ANY_VIOLATION = re.compile("|".join(f"(?:{p})" for p, _ in lex.VIOLATIONS), I)
_ANY_METHOD = re.compile("|".join(f"(?:{p})" for p, _ in lex.METHODS), I)
# "como en 2014", "a diferencia de 2019", "frente a julio": a date to compare with.
_COMPARISON_BEFORE = re.compile(
    r"\b(?:como|que|a\s+diferencia\s+de(?:l)?|en\s+comparación\s+con|comparad[oa]s?\s+con"
    r"|frente\s+a(?:l)?|respecto\s+(?:a|al|de|del)|igual\s+que|más\s+que|menos\s+que"
    r"|superior\s+a(?:l)?|inferior\s+a(?:l)?|similar\s+a(?:l)?)\s+(?:(?:lo\s+)?(?:ocurrido|sucedido"
    r"|registrado)\s+)?$",
    I,
)
_COMPARED_CLAUSE = re.compile(
    r"\b(?:a\s+diferencia\s+de(?:l)?|en\s+comparación\s+con|comparad[oa]s?\s+con|frente\s+a(?:l)?"
    r"|como\s+en|respecto\s+(?:a|al|de|del))\s+(?:(?:el|los)\s+)?(?:año\s+)?(?:19|20)\d\d,?"
    r"\s+(?:cuando|año\s+en\s+(?:el\s+)?que|en\s+(?:el\s+)?que)\s+[^,;.]*",
    I,
)
_IN_NAME_BEFORE = re.compile(
    r"[A-ZÁÉÍÓÚÑ][\wáéíóúñü]+\s+(?:(?:de|del|de\s+la|de\s+las|de\s+los|y|e|para|por|contra)\s+)?$"
)
_THERE_ARE_BEFORE = re.compile(r"\b(?:(?:aún|todavía)\s+hay|hay(?:\s+(?:aún|todavía))?)\s+$", I)
_FINITE_MEASURE_VERB = re.compile(
    r"(?<![\wáéíóúñü])(?:continúan|continuaban|siguen|seguían|permanecen|permanecían|quedan"
    r"|quedaron|fueron|han\s+sido|habían\s+sido|resultaron|recuperaron|salieron|murieron"
    r"|fallecieron|se\s+encuentran|se\s+mantienen|han\s+muerto|habían\s+muerto|han\s+fallecido"
    r"|habían\s+fallecido)(?![\wáéíóúñü])",
    I,
)
# Indefinite determiners that give no amount at all ("varios heridos").
_INDEFINITE_AMOUNT = re.compile(
    r"(?:vari[oa]s|numeros[oa]s|algun[oa]s|much[oa]s|diversos|diversas|divers[oa]s)", I
)
# "víctimas de lesiones oculares", "afectados por perdigones": a people noun followed by
# the harm it names; an injury noun makes them injured, any other harm no measure of ours.
_OWN_HARM_AFTER = re.compile(
    r"\s+(?:de|por)\s+(?:(?P<injury>lesiones|heridas|traumas?|agresiones\s+oculares|perdigones"
    r"|balas\s+de\s+goma|disparos\s+de\s+perdigones)|(?:agresiones|abusos|amenazas|acoso"
    r"|desalojos|despidos|hostigamiento|violencia\s+sexual|tortura|torturas|malos\s+tratos)\b)",
    I,
)
_RELATIVE_OR_AMOUNT = re.compile(
    r"(?<![\wáéíóúñü])(?:que|donde|cuando|quien|quienes|cuy[oa]s?|mientras|como)(?![\wáéíóúñü])"
    # another amount (a day of a date or a year is none)
    r"|(?<![\d.,])(?!(?:19|20)\d\d(?!\d))\d[\d.,]*(?!\d|\s+de\s+(?:enero|febrero|marzo|abril"
    r"|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre))",
    I,
)
_COORDINATED_VERB = re.compile(r"\s(?:y|e)\s+(?:también\s+|además\s+)?$", I)
# "X, por su parte, informó": an aside between a subject and its verb.
_ASIDE_BEFORE = re.compile(
    r",\s*(?:por\s+su\s+parte|a\s+su\s+vez|sin\s+embargo|no\s+obstante|en\s+cambio|por\s+otra"
    r"\s+parte|por\s+el\s+contrario|asimismo|además|también|en\s+tanto|de\s+su\s+lado"
    r"|(?:este|esta|el|la)\s+(?:pasad[oa]\s+)?(?:lunes|martes|miércoles|jueves|viernes|sábado"
    r"|domingo|semana)|en\s+(?:un|una|su)\s+(?:comunicado|declaración|informe|mensaje|nota))"
    r"\s*,\s*$",
    I,
)
_CONTINUES = re.compile(
    r"^(?:Asimismo|Además|Igualmente|Del\s+total|De\s+(?:ell[oa]s|est[oa]s|l[oa]s\s+cuales)"
    r"|Entre\s+(?:ell[oa]s|l[oa]s\s+(?:detenid|herid|fallecid|aprehendid|arrestad)\w*)"
    r"|Por\s+otra\s+parte|Por\s+otro\s+lado|De\s+igual\s+(?:forma|manera)|También)\b"
    r"|\bse\s+(?:informa|comunica|da\s+a\s+conocer|hace\s+saber|precisa|detalla)\s+que\b"
)
_RELATIVE_SEGMENT = re.compile(r",\s*(?:que|quien|quienes|la\s+cual|el\s+cual)\s+[^,]*$", I)
_ELIDED_PERIOD = re.compile(r"\b(?:entre|del?)\s+(?:el\s+)?\d{1,2}\s+(?:y|al|a)\s+(?:el\s+)?$", I)
_ONE_OF_BEFORE = re.compile(
    r"\b(?:uno|una|alguno|alguna|ninguno|ninguna|otro|otra)\s+de\s+(?:los|las|est[oa]s|es[oa]s)\s+"
    r"(?:(?:al\s+menos|más\s+de|cerca\s+de|unos|unas)\s+)?$",
    I,
)
# "murieron 12 y otros 40 ...": a verb whose subject is the bare amount after it.
_PASSIVE_ONLY = _MEASURE_BEFORE[-len(lex.PASSIVE_BEFORE) :]
_BARE_SUBJECT_END = re.compile(r"\s*(?:[,.;:]|$|(?:y|e)\s)", I)
# "y 136 de la Policía Nacional resultaron heridos": a second amount of the noun before,
# narrowed by the body it belongs to.
_OF_BODY_AFTER = re.compile(
    r"\s+(?:de|del)\s+(?:(?:la|el|los|las)\s+)?[A-ZÁÉÍÓÚÑ][\wáéíóúñü]*"
    r"(?:\s+(?:(?:de|del|de\s+la|y)\s+)?[A-ZÁÉÍÓÚÑ][\wáéíóúñü]*)*"
)
# "el servicio de emergencias atendió a 593 personas": those a medical service treated
# were hurt; anyone else "atiende" people for other reasons (lawyers, offices).
_TREATED_BEFORE = re.compile(
    r"\batend(?:ió|ieron|ido|e|en|ía|ían)\s+(?:a\s+)?(?:(?:al\s+menos|más\s+de|un\s+total\s+de"
    r"|cerca\s+de|unas|unos)\s+)?$",
    I,
)
_MEDICAL_SERVICE = re.compile(
    r"\b(?:emergencias|urgencias|sanitari[oa]s?|SAMU|SUMMA|SEM|Cruz\s+Roja|Media\s+Luna\s+Roja"
    r"|hospital(?:es)?|médic[oa]s?|ambulancias?|socorristas?|paramédicos|salud)\b",
    I,
)
_EVENT_MONTH_BEFORE = re.compile(
    r"\b(?:protestas|manifestaciones|marchas|movilizaciones|disturbios|revueltas|estallido"
    r"|huelga|paro|jornadas?|sucesos|hechos|elecciones|comicios)\s+(?:\w+\s+)?del?\s+$",
    I,
)
_COPULA = re.compile(r"^\s+(?:son|eran|fueron|serían|resultaron\s+ser|es|era)\s+", I)
_AUX = (
    r"(?:(?:han|habían|habrían|sido|estado|resultado|han\s+sido|habían\s+sido|fueron|son|eran|serán|resultaron"
    r"|quedaron|terminaron|acabaron|habrían\s+sido|estarían|están|estaban|se\s+encuentran"
    r"|continúan|siguen|permanecen|ya|también|luego|además|posteriormente|finalmente)\s+)*"
)


_QUOTED_RE = re.compile(r"“[^”]*”|«[^»]*»|\"[^\"]*\"")


def _unquoted(text: str) -> str:
    """The sentence with quoted passages blanked (same length, so offsets hold)."""
    if not any(c in text for c in '“«"'):
        return text
    return _QUOTED_RE.sub(lambda m: " " * len(m.group(0)), text)


def _words(pattern: str) -> re.Pattern:
    """A lexicon pattern matched as whole words, accents included."""
    return re.compile(rf"(?<![\wáéíóúñü])(?:{pattern})(?![\wáéíóúñü])", I)


_POPULATIONS = [(_words(p), c, a) for p, c, a in lex.POPULATIONS]
_MEASURE_NOUNS = [(_words(p), m) for p, m in lex.MEASURE_NOUNS]
_HELD_RE = _words(lex.HELD_NOUNS)
# One pass over a sentence tells whether any of the lists above can match at all.
_ANY_POPULATION = _words("|".join(p for p, _, _ in lex.POPULATIONS))
_ANY_MEASURE_NOUN = _words("|".join(p for p, _ in lex.MEASURE_NOUNS))
_GENERIC_RE = _words(lex.GENERIC_PEOPLE)
_DUAL_RE = re.compile(
    r"(?:(?P<dem>[a-záéíóúñü]+)\s+)?(?P<rest>(?:personas\s+)?con\s+doble\s+nacionalidad)", I
)
_PLURAL_WORD = re.compile(rf"(?<![{lex.L}])[a-záéíóúüñ]+s(?![{lex.L}])")
_NATIONAL_NOUN_BEFORE = re.compile(r"(?<![\wáéíóúñü])(?:ciudadan[oa]s|nacionales|personas)\s+$")
# Words after which a plural demonym is a noun: "59 venezolanos", "entre ellos dos cubanos".
_DEMONYM_AS_NOUN = re.compile(
    r"(?:^|\d|\b(?:de|y|e|a|entre|los|las|sus|unos|unas|otros|otras|varios|varias|ellos|ellas"
    r"|son|eran|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|cientos|decenas|miles))\s*$",
    I,
)


@dataclass
class _ClusterEs(_Cluster):
    """A group labelled in Spanish: "menores de edad de 14 a 17 años", "venezolanos"."""

    @property
    def label(self) -> str:
        if self.category == "minors":
            if self.age_min is not None and self.age_max is not None:
                return f"menores de edad de {self.age_min} a {self.age_max} años"
            if self.age_max is not None and self.age_max != 17:
                return f"menores de {self.age_max + 1} años"
            return "menores de edad"
        if self.category.startswith("nat:"):
            return lex.DEMONYM_PLURAL.get(self.nationality or "", self.nationality or "")
        return lex.CATEGORY_LABELS.get(self.category, self.category)


@dataclass
class _FigureEs(_Figure):
    """A figure that remembers where its amount is written (for its statement)."""

    qstart: int = 0
    qend: int = 0


@dataclass
class _Said:
    """One statement in a sentence and the side of the verb its content is on."""

    anchor: int
    forward: bool  # "X informó que ..." (content after) or "..., informó X" (before)
    stmt: _Statement


SPANISH_INCIDENT_WORDS = IncidentWords(
    countries=lex.ISO_TO_NAME,
    crackdown_re=lex.CRACKDOWN_RE,
    election_re=lex.ELECTION_RE,
    election_event_re=lex.ELECTION_EVENT_RE,
    window=40,
    crackdown="Represión",
    post_election_crackdown="Represión postelectoral",
    killings="Muertes",
    mass_detentions="Detenciones masivas",
    where=" en {country}",
    after_election=", tras la elección del {date}",
    articles={"crackdown": "la ", "killing": "las ", "mass_detention": "las "},
    special_titles=_SPECIAL_TITLES,
    special_summary="Detención de {labels} durante {incident}.",
    arrests_of="Arrestos de {labels}",
    accused_of="; acusados de {charge}",
    no_proof=" (sin pruebas presentadas)",
    foreign_title="Arrestos de extranjeros",
    releases_by="Excarcelaciones anunciadas por {name}",
)


class SpanishExtractor(_Extractor):
    """Reads one Spanish news article; see ``extractor._Extractor`` for the pipeline."""

    cluster_type = _ClusterEs
    incident_words = SPANISH_INCIDENT_WORDS

    def __init__(self, text: str, reference: date, country_hint: str | None) -> None:
        self._said: list[_Said] = []
        self._dates_cache: dict[str, list[DateMention]] = {}
        self._fuller_cache: dict[str, str | None] = {}
        super().__init__(text, reference, country_hint)
        # Spanish segmentation: a headline run into the body, liveblog entries, datelines.
        self.sents = sentences_es(text, self.sents)
        # A release in its own voice ("nuestros registros", "hemos documentado"), outside
        # quotes: what no one else says, the publisher says.
        self.own_voice = any(lex.OWN_VOICE_RE.search(_unquoted(s.text)) for s in self.sents)

    # -- article-level facts ------------------------------------------------

    def _main_country(self) -> str | None:
        order = lex.country_mentions(self.text)
        if not order:
            return None
        counts = Counter(order)
        return max(counts, key=lambda c: (counts[c], -order.index(c)))

    def _find_dates(self, text: str) -> list[DateMention]:
        # Each sentence's dates are read again when the incidents are built: read once.
        found = self._dates_cache.get(text)
        if found is None:
            # Relative words resolve against the sentence's day (a liveblog entry's, a
            # dispatch's), as in English (``_day_of``).
            sent = getattr(self, "_current", None)
            found = find_dates_es(text, self._day_of(sent) if sent else self.ref)
            self._dates_cache[text] = found
        return found

    def _page_days(self) -> tuple[dict[int, date], set[int]]:
        """Each paragraph's day and the liveblog entries, read in Spanish ("Jueves 13 de
        marzo", "19.45 |", "LA PAZ, 10 de marzo (Agencia). -"); see the English method."""
        if not hasattr(self, "_days"):
            day = dateline_day(self.text, self.ref) or self.ref
            days: dict[int, date] = {}
            stamped: set[int] = set()
            for s in self.sents:
                heading = day_heading(s.text, self.ref)
                if heading and heading <= self.ref:
                    day = heading
                if time_stamped(self.text, s):
                    stamped.add(s.paragraph)
                days.setdefault(s.paragraph, day)
            self._days, self._stamped = days, stamped
        return self._days, self._stamped

    def _dominant_perpetrator(self) -> str | None:
        names = [m.group("name") for m in lex.STATE_PERPETRATOR_RE.finditer(self.text)]
        if names:
            counts = Counter(names)
            return max(counts, key=lambda n: (counts[n], -names.index(n)))
        generic = [m.group("name").lower() for m in lex.GENERIC_PERPETRATOR_RE.finditer(self.text)]
        if generic:
            counts = Counter(generic)
            return max(counts, key=lambda n: (counts[n], -generic.index(n)))
        return None

    def _perpetrator(self, sent: Sentence) -> ActorRecord | None:
        """The state actor a sentence blames: "por (parte de) la policía", else the article's."""
        m = rx.search(
            r"\b(?:por|a\s+manos\s+de|por\s+parte\s+de)\s+(?:el\s+|la\s+|los\s+|las\s+)?"
            r"(?P<name>fuerzas\s+de\s+seguridad|fuerzas\s+del\s+orden|fuerza\s+pública|policía"
            r"|ejército|militares|soldados|agentes|carabineros|guardia\s+nacional|junta\s+militar"
            r"|régimen|gobierno|autoridades|paramilitares|colectivos)(?:\s+[A-Za-záéíóúñ]+)?",
            sent.text,
            I,
        )
        name = m.group("name") if m else self.dominant_perpetrator
        if not name:
            return None
        if name.lower() in ("régimen", "gobierno", "autoridades") and self.dominant_perpetrator:
            name = self.dominant_perpetrator
        key = name
        if key in self._fuller_cache:
            # The same name resolves the same way in every sentence: search the text once.
            resolved = self._fuller_cache[key]
            found = self.actors.find(ActorMention(name=resolved, kind=classify(resolved)))
            if found:
                return found
        if name.islower() and rx.search(rf"\b{re.escape(name.capitalize())}\b", self.text):
            name = name.capitalize()  # "Carabineros", written as a name
        if name.islower():
            # "la policía": the article's fuller name when it has one ("la policía rusa",
            # "la junta militar de Myanmar"), else the country's.
            fuller = rx.search(
                rf"\b({re.escape(name)}\s+(?:{lex.DEMONYM_RE.pattern}|militar|nacional"
                r"|de\s+[A-ZÁÉÍÓÚÑ][\w]+(?:\s+[A-ZÁÉÍÓÚÑ][\w]+)?))",
                self.text,
                I,
            )
            if fuller:
                name = fuller.group(1)
            elif self.country:
                name = f"{name} ({lex.ISO_TO_NAME.get(self.country, self.country)})"
        name = name[0].upper() + name[1:]
        self._fuller_cache[key] = name
        kind = classify(name)
        if kind not in ("state_body", "security_force"):
            kind = "state_body"
        quote = self._quote_containing(name.split(" (")[0]) or sent.text
        return self.actors.add(ActorMention(name=name, kind=kind, country=self.country), quote)

    # -- populations --------------------------------------------------------

    def _populations(self, sent: Sentence) -> list[_Pop]:
        text = sent.text
        pops: list[_Pop] = []

        def free(a: int, b: int) -> bool:
            if text[a].isupper() and _IN_NAME_BEFORE.search(text, max(0, a - 60), a):
                # "Comité de Familiares de Detenidos Desaparecidos": a word of a name.
                return False
            return not any(a < p.end and p.start < b for p in pops)

        # "doble nacionalidad" first: "venezolanos con doble nacionalidad" is one group.
        for m in _DUAL_RE.finditer(text) if "doble" in text.lower() else ():
            start = (
                m.start() if lex.DEMONYMS.get((m.group("dem") or "").lower()) else m.start("rest")
            )
            pops.append(_Pop(start, m.end(), "dual citizens", {"citizenship": "dual"}))
        # Nationalities: a plural demonym used as a noun ("venezolanos", "ciudadanos
        # estadounidenses"); after another noun it is that noun's adjective ("las
        # fuerzas de seguridad iraníes").
        # (Lower-case plural words looked up in a dict: a regex of every demonym, or one
        # over every word, was the slowest step of the sentence.)
        for dm in _PLURAL_WORD.finditer(text):
            dem = dm.group(0)
            iso = lex.DEMONYMS.get(dem)
            if not iso:
                continue
            noun = _NATIONAL_NOUN_BEFORE.search(text, max(0, dm.start() - 20), dm.start())
            start = noun.start() if noun else dm.start()
            if not free(start, dm.end()):
                continue
            if not noun and not _DEMONYM_AS_NOUN.search(text[:start]):
                continue
            citizenship = "national" if iso == self.country else "foreign"
            attrs = {"citizenship": citizenship, "nationality": iso}
            pops.append(_Pop(start, dm.end(), f"nat:{iso}", attrs))
        for regex, measure in _MEASURE_NOUNS if _ANY_MEASURE_NOUN.search(text) else ():
            for m in regex.finditer(text):
                if free(m.start(), m.end()):
                    pops.append(_Pop(m.start(), m.end(), None, measure=measure))
        for regex, category, attrs in _POPULATIONS if _ANY_POPULATION.search(text) else ():
            for m in regex.finditer(text):
                if not free(m.start(), m.end()):
                    continue
                word = m.group(0).lower()
                # "delitos menores", "lesiones menores": an adjective, not minors.
                if (
                    category == "minors"
                    and word.startswith("menores")
                    and rx.search(
                        r"\b(?:delitos|faltas|penas|heridas|lesiones|infracciones|cargos|casos)\s+$",
                        text[: m.start()],
                        I,
                    )
                ):
                    continue
                a = dict(attrs)
                if word in ("niñas", "chicas"):
                    a["sex"] = "female"
                cat = category
                if category == "adults" and rx.search(r"pres[oa]s\s+polític", text, I):
                    cat = "adult political prisoners"
                held = category == "political prisoners" and not word.startswith("detenid")
                pop = _Pop(m.start(), m.end(), cat, a)
                if held:
                    pop.attrs["held"] = True
                pops.append(pop)
        for m in _HELD_RE.finditer(text):
            if free(m.start(), m.end()):
                pops.append(_Pop(m.start(), m.end(), None, {"held": True}))
        for m in _GENERIC_RE.finditer(text):
            if free(m.start(), m.end()):
                pops.append(_Pop(m.start(), m.end(), None))
        pops.sort(key=lambda p: p.start)
        # Ages after the noun: "adolescentes de entre 14 y 17 años", "menores de 16 años".
        for start, end, lo, hi in find_age_ranges_es(text):
            for p in pops:
                if p.category and 0 <= start - p.end <= 3:
                    if lo is not None:
                        p.attrs["age_min"] = lo
                    if hi is not None:
                        p.attrs["age_max"] = hi
                    p.end = max(p.end, end)
        return pops

    # -- statements and sources ---------------------------------------------

    def _resolve_mention(self, mention, sent: Sentence, last: _Statement | None):
        if mention is None:
            return None
        if mention.parent and mention.parent.pronoun:
            owner = self._refer_back_es(mention.parent.name)
            mention.parent = ActorMention(name=owner.name, kind=owner.kind) if owner else None
        elif mention.parent and mention.parent.surname_only:
            # "la coordinadora del COFADEH": the organisation the acronym names.
            owner = self._find_short(mention.parent)
            if owner is not None:
                mention.parent = ActorMention(name=owner.name, kind=owner.kind)
        if mention.pronoun:
            if lex.ANAPHORS.match(mention.name):
                found = self._refer_back_es(mention.name)
                head = mention.name.split()[-1]
                if found is None and classify(head) in ("state_body", "security_force"):
                    # "la policía" with no police named before: the country's.
                    return self._find_short(
                        ActorMention(name=head.capitalize(), kind=classify(head))
                    )
                return found
            if last and last.paragraph == sent.paragraph:
                return last.speaker
            return None
        if mention.surname_only:
            return self._find_short(mention)
        if mention.country is None and mention.kind in ("state_body", "security_force"):
            mention.country = self.country
        return self.actors.add(mention, sent.text)

    def _find_short(self, mention: ActorMention) -> ActorRecord | None:
        """One word ("Romero", "INDH", "Defensoría", "Gobierno"): an actor already named."""
        found = self.actors.find(mention)
        if found:
            return found
        key = mention.name.lower()
        for rec in reversed(self.actors.records):
            if rec.name.split()[0].lower() == key or (rec.alias and rec.alias.lower() == key):
                return rec
        # A headline names "la Defensoría" before the article spells it out: the
        # first full name that starts with the word ("Defensoría del Pueblo").
        full = rx.search(
            rf"\b{re.escape(mention.name)}(?:\s+(?:de|del|de\s+la|de\s+los|para\s+el|y|e)?\s*"
            rf"[{lex.UPPER}][\w-]+)+",
            self.text,
        )
        if full and full.group(0) != mention.name:
            found = parse_np(full.group(0))
            if found and not found.surname_only and not found.pronoun:
                if found.kind in ("state_body", "security_force"):
                    found.country = found.country or self.country
                return self.actors.add(found, self._quote_containing(full.group(0)) or mention.name)
        # The quote is a sentence that names it ("el régimen" gives "Gobierno", which the
        # text may never print).
        current = getattr(self, "_current", None)
        quote = self._quote_containing(mention.name) or (current.text if current else "")
        if key == "gobierno" and self.country:
            name = f"Gobierno de {lex.ISO_TO_NAME.get(self.country, self.country)}"
            return self.actors.add(
                ActorMention(name=name, kind="state_body", country=self.country), quote
            )
        if mention.kind in ("state_body", "security_force") or key in lex.KNOWN_ACTORS:
            kind = lex.KNOWN_ACTORS.get(key, mention.kind)
            return self.actors.add(
                ActorMention(name=mention.name, kind=kind, country=self.country), quote
            )
        if mention.kind in ("person", "ngo") and rx.fullmatch(
            r"[A-ZÁÉÍÓÚÑ][a-záéíóúñü]+", key.title()
        ):
            # "escribió Romero": the person the text named in full ("el director de la
            # ONG, Alfredo Romero"), with their role when it is written before the name.
            m = rx.search(
                rf"(?:\b(?:el|la)\s+(?P<role>{lex.ROLE_RE})\s+(?:de|del|de\s+la)\s+"
                rf"(?P<org>[^,.;]{{1,60}}),\s+)?\b(?P<name>[{lex.UPPER}][a-záéíóúñü]+"
                rf"(?:\s+[{lex.UPPER}][a-záéíóúñü]+){{0,2}}\s+{re.escape(mention.name)})\b",
                self.text,
            )
            if m:
                phrase = m.group(0) if m.group("role") else m.group("name")
                found = parse_np(phrase)
                if found is not None and found.kind == "person":
                    sent = next((s for s in self.sents if s.start <= m.start() < s.end), None)
                    return self._resolve_mention(found, sent, None) if sent else None
        return None

    def _refer_back_es(self, phrase: str) -> ActorRecord | None:
        """What "la organización", "la entidad", "la asociación" refers to."""
        m = lex.ANAPHORS.match(phrase)
        head = m.group("head").lower() if m else phrase.split()[-1].lower()
        issuers = [s.issuer for s in reversed(self.sources)]
        issuers += list(reversed(self.actors.records))
        for rec in issuers:
            if rec.kind == "person":
                continue
            if head in rec.name.lower().split()[:1] or head in rec.name.lower().split():
                return rec
        # Otherwise the kind the head noun names: "la entidad" any institution, "la
        # organización" an NGO, "el ministerio" a state body.
        if head in lex.GENERIC_ANAPHOR_HEADS:
            kinds = ("ngo", "un_mechanism", "intergovernmental", "state_body", "security_force")
        elif head in _STATE_HEADS:
            kinds = ("state_body", "security_force")
        else:
            kinds = ("ngo", "un_mechanism", "intergovernmental")
        for rec in issuers:
            if rec.kind in kinds:
                return rec
        # Not quoted yet: the organisation the text names last before this sentence ends
        # ("La ONG Raíces ..., según ... el director de la ONG, Julio Prado").
        sent = getattr(self, "_current", None)
        if sent is not None and "ngo" in kinds:
            if not hasattr(self, "_org_names"):
                self._org_names = org_mentions(self.text)
            named = [(s, n) for s, n, _ in self._org_names if s < sent.end]
            if named and classify(named[-1][1]) == "ngo":
                start, name = named[-1]
                quote = next((x.text for x in self.sents if x.start <= start < x.end), name)
                return self.actors.add(ActorMention(name=name, kind="ngo"), quote)
        return None

    def _publisher(self) -> ActorRecord | None:
        """Who speaks in the first person ("nuestros registros"): the organisation that
        publishes the release (``article_es.find_publisher``), else the first NGO quoted."""
        if not hasattr(self, "_publisher_record"):
            first = self.sents[0] if self.sents else None
            end = first.end if first and first.paragraph == 0 else 0
            found = find_publisher(self.text, end, classify)
            record = None
            if found:
                start, name = found
                acronym = rx.match(r"\s*\(([A-ZÁÉÍÓÚÑ][\w.-]+)\)", self.text[start + len(name) :])
                quote = (
                    next((s.text for s in self.sents if s.start <= start < s.end), None)
                    or self._quote_containing(name)
                    or name
                )
                record = self.actors.add(
                    ActorMention(
                        name=name, kind="ngo", alias=acronym.group(1) if acronym else None
                    ),
                    quote,
                )
            self._publisher_record = record
        if self._publisher_record is not None:
            return self._publisher_record
        for src in self.sources:
            if src.issuer.kind == "ngo":
                return src.issuer
        for rec in self.actors.records:
            if rec.kind == "ngo":
                return rec
        return None

    def _own_voice_statement(
        self, sent: Sentence, dates: list[DateMention], span: tuple[int, int] | None = None
    ) -> _Statement | None:
        """A release's own voice: the publisher reports, dated by a date right after its
        verb (``span``) or opening the sentence, else by the release's own date."""
        publisher = self._publisher()
        if publisher is None:
            return None
        when = self._statement_date(sent, dates, *span) if span else None
        if when is not None:
            return _Statement(publisher, self._source_for(publisher, sent, when), sent.paragraph)
        for d in dates:
            opens = d.start == 0 or rx.fullmatch(
                r"[¿¡\"“«]?(?:(?:el|la|este|esta|en|durante|hoy)\s+)?", sent.text[: d.start], I
            )
            if d.date and not (d.as_of or d.event or d.since or d.until) and opens:
                when = d
        when = when or self._entry_day(sent) or self._release_date()
        return _Statement(publisher, self._source_for(publisher, sent, when), sent.paragraph)

    def _release_date(self) -> DateMention | None:
        """The date a release in its own voice is signed with ("Caracas, 10 de marzo de 2025")."""
        if not hasattr(self, "_release_day"):
            self._release_day = release_date(self.sents, self.ref)
        if self._release_day is None:
            return None
        return DateMention(start=0, end=0, date=self._release_day, precision="exact", kind="header")

    def _statement_date(self, sent, dates, verb_start, verb_end):
        """The date of the reporting act: right after the verb, or opening the sentence."""
        for d in dates:
            if d.as_of or d.event or d.date is None or getattr(d, "since", False):
                continue
            if getattr(d, "until", False):
                continue
            gap = sent.text[verb_end : d.start]
            if d.start >= verb_end and rx.fullmatch(
                r"[\s,]*(?:(?:en|a|ante)\s+(?:un|una|la|el|su|rueda|conferencia|declaraciones)"
                r"[^,.;]{0,40}?\s+)?(?:(?:el|la|este|esta|durante|en|del|hoy)\s+)?",
                gap,
                I,
            ):
                return d
            opens = d.start == 0 or rx.fullmatch(
                r"[¿¡\"“«]?(?:(?:el|la|este|esta|en|durante|hoy)\s+)?", sent.text[: d.start], I
            )
            if d.end <= verb_start and opens:
                return d
        return None

    def _source_kind(self, issuer: ActorRecord, sentence: str) -> str:
        kind = issuer.kind
        if kind == "person" and issuer.parent:
            parent = next((r for r in self.actors.records if r.name == issuer.parent), None)
            kind = parent.kind if parent else kind
        if issuer.kind == "group" and lex.TESTIMONY_WORDS.search(issuer.name):
            return "testimony"
        if kind == "ngo" or (kind == "group" and rx.search(r"organizaci|ONG|grupo", issuer.name)):
            return "ngo_report" if lex.REPORT_DOC_RE.search(sentence) else "ngo_statement"
        if kind == "person":
            if issuer.role and lex.STATE_ROLE_RE.search(issuer.role):
                return "government_statement"
            return "ngo_statement" if issuer.role else "testimony"
        return {
            "un_mechanism": "un_statement",
            "intergovernmental": "igo_statement",
            "state_body": "government_statement",
            "security_force": "government_statement",
            "media": "news_article",
        }.get(kind, "testimony")

    def _earlier_statement(self, sentence: str) -> bool:
        return lex.EARLIER_STATEMENT_RE.search(sentence) is not None

    def _own_statement(self, sent, dates, last):
        """Every statement of the sentence (kept for the figures); the first one is returned."""
        text = sent.text
        said: list[_Said] = []

        def state(speaker, anchor, forward, verb_start, verb_end, social=False):
            when = self._statement_date(sent, dates, verb_start, verb_end)
            # Undated, it is of the liveblog entry's day, or of the day the text is signed.
            when = when or self._entry_day(sent) or self._release_date()
            src = self._source_for(speaker, sent, when, social)
            said.append(_Said(anchor, forward, _Statement(speaker, src, sent.paragraph)))

        # "según (cifras de) X", "de acuerdo con X".
        for m in lex.ACCORDING_RE.finditer(text):
            rest = text[m.end() :]
            speaker = None
            if rx.match(
                r"(?:las\s+|los\s+|el\s+)?(?:cifras|datos|fuentes|estadísticas|balances?|registros"
                r"|balance)\s+oficial(?:es)?\b",
                rest,
                I,
            ):
                speaker = self._official()
            if speaker is None:
                np = phrase_after(rest)
                speaker = self._resolve_mention(parse_np(np), sent, last)
            if speaker is None:
                continue
            # "Según X, ..." or "según X solo 134 ...": its content follows; a "según X"
            # that ends the sentence (or only a relative clause follows) closes it.
            end_np = m.end() + len(phrase_after(rest))
            tail = text[end_np:]
            closes = rx.fullmatch(r"\s*[.;:!?\"”»)]*\s*", tail) or rx.match(
                r"\s*,\s*(?:que|quien|quienes|con\s+sede|el\s+cual|la\s+cual|cuy[oa])\b", tail, I
            )
            state(speaker, m.start(), not closes, m.start(), m.end())
        # Verbs of saying: inverted ("..., informó la Defensoría"), or with their subject before.
        unquoted = _unquoted(text)
        for vm in _REPORT_VERB_RE.finditer(text):
            if unquoted[vm.start()] == " ":
                continue  # a verb inside a quote is the quoted speaker's own words
            before = text[: vm.start()]
            if rx.search(r"\b(?:fue|fueron|ha\s+sido|han\s+sido|será|serán|es|son)\s+$", before, I):
                continue  # passive: "fue informado por"
            if rx.search(r"\bse\s+$", before, I) and not rx.search(r"\bse\s+$", before[-4:], I):
                continue
            if rx.search(r"\bse\s+$", before, I):
                continue  # "se registraron 40 muertes": impersonal, not a speaker
            inverted_slot = (
                not before.strip(' ¿¡"“«')
                or rx.search(r"(?:[,:;]|[”\"»])\s*$", before)
                or rx.search(r"\b(?:y|e|según)\s+$", before)
            )
            speaker = None
            forward = True
            if _COORDINATED_VERB.search(before):
                # "El Gobierno negó que ... y afirmó que 3 agentes ...": the subject of
                # the verb it is coordinated with, unless one follows ("y dijo X").
                after = after_verb(text[vm.end() :])
                if rx.match(r"\s*(?:que|de\s+que)\b|\s*[,.]", after, I):
                    speaker = self._coordinated_subject(sent, vm.start(), said, last)
            if speaker is None and inverted_slot:
                after = after_verb(text[vm.end() :])
                np = phrase_after(after)
                if (
                    np
                    and rx.match(r"(?:el|la|los|las|su|un|una)\s|[A-ZÁÉÍÓÚÑ]", np)
                    and not rx.match(r"(?:que|de\s+que)\b", np, I)
                ):
                    mention = parse_np(np)
                    speaker = self._resolve_mention(mention, sent, last)
                    if speaker is None and mention is None:
                        # "agregó el vocero", "dijo la ministra": a role named before.
                        speaker = self._role_back(np, sent, last)
                    forward = False
                elif rx.fullmatch(r"\s*[.!?]?\s*", after) or rx.match(
                    r"\s*(?:que|de\s+que)\b", after
                ):
                    # ", precisó." / "Añadió que ...": the subject is the one in force,
                    # unless a subject stands before an aside or a relative clause
                    # ("Carabineros, por su parte, informó que ...", "El Mecanismo, que
                    # documenta los casos desde 2018, estima que ...").
                    forward = bool(rx.match(r"\s*(?:que|de\s+que)\b", after))
                    if before.strip() and (forward or _ASIDE_BEFORE.search(before)):
                        np = subject_before(text, vm.start())
                        mention = parse_np(np) if np else None
                        if mention is not None and not mention.pronoun:
                            speaker = self._resolve_mention(mention, sent, last)
                    if speaker is None:
                        speaker = self._null_subject(sent, last)
            after_quote = bool(rx.search(r"[”\"»]\s*,?\s*$", before))
            if (
                after_quote
                and speaker is None
                and not rx.match(
                    r"\s*(?:el|la|los|las|su|un|una)\s|\s*[A-ZÁÉÍÓÚÑ]", after_verb(text[vm.end() :])
                )
            ):
                # '"...", dijo.': the speaker in force; never a phrase inside the quote.
                speaker = self._null_subject(sent, last)
                forward = False
            if speaker is None and not (inverted_slot and not before.strip()) and not after_quote:
                relative = rx.search(r",\s*(?:que|quien)\s+(?:\w+\s+){0,2}$", before, I)
                if relative:
                    # "..., que precisó que": the relative's antecedent is the last speaker.
                    speaker = said[-1].stmt.speaker if said else None
                else:
                    np = subject_before(text, vm.start())
                    mention = parse_np(np) if np else None
                    speaker = self._resolve_mention(mention, sent, last) if np else None
                    if speaker is None and np and mention is None:
                        speaker = self._role_back(np, sent, last)  # "El vocero dijo"
                forward = True
            if speaker is None:
                continue
            social = bool(lex.SOCIAL_MEDIA_RE.search(text[vm.end() : vm.end() + 60]))
            state(speaker, vm.start(), forward, vm.start(), vm.end(), social)
        # With no verb of saying, a state body or force that did what it counts speaks
        # for it: "La policía imputó a 47 activistas", "El Gobierno excarceló a 222".
        if not said:
            for regex, _ in _VERB_BEFORE:
                vm = regex.search(text)
                if not vm or rx.search(r"\bse\s+$", text[: vm.start()], I):
                    continue
                np = subject_before(text, vm.start())
                mention = parse_np(np) if np else None
                if (
                    mention
                    and not mention.pronoun
                    and mention.kind in ("state_body", "security_force")
                ):
                    speaker = self._resolve_mention(mention, sent, last)
                    if speaker:
                        state(speaker, vm.start(), True, vm.start(), vm.end())
                        break
        # A release in its own voice: "nuestros registros indican", "hemos documentado".
        om = lex.OWN_VOICE_RE.search(_unquoted(text))
        if om and not said:
            own = self._own_voice_statement(sent, dates, (om.start(), om.end()))
            if own is not None:
                said.append(_Said(om.start(), True, own))
        # "Asimismo, se informa que ...", "Del total de aprehendidos, 23 ...": the text goes
        # on with the statement of the paragraph before.
        if (
            not said
            and last is not None
            and last.paragraph == sent.paragraph - 1
            and _CONTINUES.search(text)
        ):
            said.append(_Said(0, True, _Statement(last.speaker, last.source, sent.paragraph)))
        said.sort(key=lambda s: s.anchor)
        self._said = said
        return said[0].stmt if said else None

    def _coordinated_subject(
        self, sent: Sentence, verb_start: int, said: list[_Said], last: _Statement | None
    ) -> ActorRecord | None:
        """The subject of the earlier verb of the sentence a "y <verb>" is coordinated with."""
        earlier = [s for s in said if s.forward and s.anchor < verb_start]
        if earlier:
            return earlier[-1].stmt.speaker
        for regex in (lex.DENY_RE, lex.ACK_RE, lex.DISPUTE_RE):
            m = regex.search(sent.text, 0, verb_start)
            if m:
                np = subject_before(sent.text, m.start())
                mention = parse_np(np) if np else None
                if mention is not None:
                    return self._resolve_mention(mention, sent, last)
        return None

    def _role_back(self, np: str, sent: Sentence, last: _Statement | None) -> ActorRecord | None:
        """ "el vocero", "la portavoz", "el ministro": who holds that role in the article.

        The latest person named with the role, else the organisation in force (a
        spokesperson speaks for it), else nobody.
        """
        m = rx.fullmatch(rf"(?:el|la|su|un|una)\s+(?P<role>{lex.ROLE_RE})", np.strip(), I)
        if not m:
            return None
        role = m.group("role").lower()
        for rec in reversed(self.actors.records):
            if rec.kind == "person" and rec.role == role:
                return rec
        if rx.fullmatch(r"portavoz|vocer[oa]|representante|jef[ea]\s+de\s+prensa", role):
            if last and last.paragraph >= sent.paragraph - 1:
                speaker = last.speaker
                if speaker.kind == "person" and speaker.parent:
                    parent = next(
                        (r for r in self.actors.records if r.name == speaker.parent), None
                    )
                    return parent or speaker
                return speaker
            # The organisation named last before this sentence.
            if not hasattr(self, "_org_names"):
                self._org_names = org_mentions(self.text)
            named = [(s, n) for s, n, _ in self._org_names if s < sent.start]
            if named:
                start, name = named[-1]
                quote = next((x.text for x in self.sents if x.start <= start < x.end), name)
                return self.actors.add(ActorMention(name=name, kind=classify(name)), quote)
        return None

    def _null_subject(self, sent: Sentence, last: _Statement | None) -> ActorRecord | None:
        """A verb without a subject ("..., precisó.") continues the speaker in force."""
        if last and last.paragraph >= sent.paragraph - 1:
            return last.speaker
        return None

    def _official(self) -> ActorRecord | None:
        """ "Cifras oficiales": the government of the article's country."""
        if not self.country:
            return None
        name = f"Gobierno de {lex.ISO_TO_NAME.get(self.country, self.country)}"
        return self.actors.add(
            ActorMention(name=name, kind="state_body", country=self.country),
            self._quote_containing("oficiales") or name,
        )

    def _statement_for(self, pos: int) -> _Statement | None:
        """The statement whose content covers position ``pos`` of the sentence."""
        forward = [s for s in self._said if s.forward and s.anchor < pos]
        if forward:
            return max(forward, key=lambda s: s.anchor).stmt
        backward = [s for s in self._said if not s.forward and s.anchor > pos]
        if backward:
            return min(backward, key=lambda s: s.anchor).stmt
        return None

    # -- figures --------------------------------------------------------------

    def _measure_after(self, text: str) -> tuple[int, str] | None:
        """The first measure verb of the clause ``text`` opens: (position, measure)."""
        clause = _CLAUSE_END.split(text, 1)[0]
        best: tuple[int, int, str] | None = None
        for rank, (regex, measure) in enumerate(_MEASURE_AFTER):
            for m in regex.finditer(clause):
                # A capitalised word inside a name is no verb: "Comité de Familiares de
                # Detenidos Desaparecidos".
                if m.start() and clause[m.start()].isupper():
                    continue
                if best is None or (m.start(), rank) < best[:2]:
                    best = (m.start(), rank, measure)
                break
        if best is None:
            return None
        # A negated verb is no count: "no fueron detenidos", "ninguno resultó herido".
        if _NEGATED_BEFORE.search(clause[: best[0]]):
            return None
        return best[0], best[2]

    def _finite_measure(self, text: str) -> str | None:
        """The measure of the clause's main verb, when a participle describes the subject.

        Only a verb of the same clause counts: no relative pronoun or other amount may
        stand between ("los 40 detenidos en la comisaría donde murieron dos").
        """
        clause = _CLAUSE_END.split(text, 1)[0]
        vm = _FINITE_MEASURE_VERB.search(clause, 1)
        if vm is None or _RELATIVE_OR_AMOUNT.search(clause, 0, vm.start()):
            return None
        verb = clause[vm.start() :]
        aux = rx.match(rf"{_AUX}", verb, I)
        then = self._measure_after(verb)
        return then[1] if then and then[0] <= (aux.end() if aux else 0) + 1 else None

    def _measure_before(self, before: str) -> str | None:
        """A verb or event noun right before the amount: "detuvo a", "la liberación de",
        "fueron detenidos", "murieron"."""
        for regex, measure in _MEASURE_BEFORE:
            if regex.search(before):
                return measure
        return None

    def _toll_before(
        self, sent: Sentence, q: Quantity, pops: list[_Pop]
    ) -> tuple[_Pop | None, str | None] | None:
        """ "el número de muertos ... asciende a 201", "cifró los muertos en 19"."""
        before = sent.text[: q.start]
        m = rx.search(
            rf"\b(?:el|la)\s+(?:{lex.TOLL_NOUNS})\s+(?:total\s+|oficial\s+|provisional\s+)?de\s+"
            rf"(?P<rest>[^.;:]{{1,140}}?)\b(?:{lex.TOLL_VERBS})\s+(?:[\wáéíóúñ]+\s+){{0,3}}?"
            r"(?:a|en|de|los|las|hasta)?\s*$",
            before,
            I,
        )
        if not m:
            m = rx.search(
                r"\b(?:cifr|sitú|situ|estim|calcul|ubic)\w*\s+(?:el\s+número\s+de\s+|la\s+cifra\s+de\s+)?"
                r"(?P<rest>(?:los|las)\s+[^.;:,]{1,40}?)\s+en\s*$",
                before,
                I,
            )
        if not m:
            m = _TOLL_NOUN_FIRST.search(before)
        if not m:
            return None
        start = m.start("rest")
        for p in pops:
            if start <= p.start < m.end("rest") and (
                p.category or p.measure or p.attrs.get("held")
            ):
                measure = (
                    p.measure
                    or (self._measure_after(sent.text[p.end : m.end("rest")]) or (0, None))[1]
                )
                if measure is None and p.attrs.get("held"):
                    measure = "still_detained"
                return p, measure
        return None

    def _antecedent(self, out: list[_Figure], sent: Sentence, value: int | None) -> _Figure | None:
        """The count a part refers back to: the last one of the sentence, else of the paragraph.

        A part is smaller than its whole, so a count no larger than the part is skipped.
        """
        pools = [list(out)]
        for s in reversed(self.sents[: sent.index]):
            if s.paragraph < sent.paragraph - 1:
                break
            pools.append(self.figures_by_sentence.get(s.index, []))
        for pool in pools:
            for f in reversed(pool):
                whole = f.value if f.value is not None else f.value_low
                if value is None or whole is None or whole > value:
                    return f
        return None

    def _figures(self, sent: Sentence, dates, pops: list[_Pop]) -> list[_Figure]:
        text = sent.text
        masked = [(d.start, d.end) for d in dates]
        masked += [(s, e) for s, e, _, _ in find_age_ranges_es(text)]
        out: list[_Figure] = []
        quantities = find_quantities_es(text, masked)
        denials = [m.end() for m in lex.DENIAL_SCOPE_RE.finditer(text)]
        # "calificó de campaña de desinformación los informes que hablan de 150 ...".
        denials += [m.end() for m in lex.DISMISS_RE.finditer(text)]
        denials.sort()
        # "En comparación con 2019, cuando hubo 300 arrestos, ...": a count to compare with.
        compared = [(m.start(), m.end()) for m in _COMPARED_CLAUSE.finditer(text)]
        for qi, q in enumerate(quantities):
            prevq = quantities[qi - 1] if qi else None
            # "desmintió que los 17 estudiantes estuvieran desaparecidos": the text
            # does not assert a denied count (the denial is kept as a stance).
            opened = [d for d in denials if d <= q.start]
            if opened and not lex.DENIAL_RESET_RE.search(text, opened[-1], q.start):
                continue
            if any(a <= q.start < b for a, b in compared):
                continue
            if _ONE_OF_BEFORE.search(text, 0, q.start):
                continue  # "uno de los 1.400 presos": one person of a count named before
            if q.vague and q.value is None and _INDEFINITE_AMOUNT.fullmatch(text[q.start : q.end]):
                continue  # "varios heridos", "numerosos detenidos": no count is given
            fig = self._figure_for(sent, q, prevq, pops, out)
            if fig is not None:
                out.append(fig)
        # "todos los menores ... fueron excarcelados": none remain detained.
        for p in pops:
            if not p.category:
                continue
            if not rx.search(
                r"(?<!\bno\s)\btod[oa]s\s+(?:l[oa]s\s+)?(?:\w+\s+)?$", text[: p.start], I
            ):
                continue
            rel = rx.search(
                r"\b(?:excarcelad|liberad|puest[oa]s\s+en\s+libertad)", text[p.end :], I
            )
            if not rel or rx.search(
                r"\b(?:no|aún|todavía)\b", text[p.end : p.end + rel.start()], I
            ):
                continue
            cluster = self._cluster_for(p, sent)
            p.cluster = cluster
            out.append(_FigureEs(0, "exact", "still_detained", sent, cluster, qstart=p.start))
        # Each figure takes the statement whose content covers it.
        if len(self._said) > 1:
            for f in out:
                f.statement = self._statement_for(getattr(f, "qstart", 0))
        return out

    def _pop_after(self, sent: Sentence, q: Quantity, pops: list[_Pop]) -> _Pop | None:
        """The population written right after an amount ("1.849 presos políticos", "23
        nuevos presos", "a 42 el número de fallecidos")."""
        text = sent.text
        for p in pops:
            if p.start < q.end:
                continue
            gap = text[q.end : p.start]
            # "eleva a 23 la cifra de fallecidos", "cifró en 50 los heridos", "son 52 los
            # presos políticos": the total names its population after the amount.
            toll = _TOLL_BEFORE_AMOUNT.search(text[: q.start]) and (
                _TOLL_GAP.fullmatch(gap)
                or (
                    _ELIDED_TOLL_GAP.fullmatch(gap)
                    and rx.search(r"\b(?:y|e)\s+a\s+$", text[: q.start], I)
                    and _TOLL_NAMED.search(text, 0, q.start)
                )
            )
            if toll or rx.fullmatch(
                r"\s+(?:(?:de|nuev[oa]s|otr[oa]s|más|presunt[oa]s|supuest[oa]s|distint[oa]s"
                r"|diferentes|vari[oa]s|jóvenes)\s+){0,2}",
                gap,
                I,
            ):
                return p
            return None
        return None

    def _figure_for(self, sent, q: Quantity, prevq, pops, out) -> _FigureEs | None:
        text = sent.text
        before, after = text[: q.start], text[q.end :]
        pop = self._pop_after(sent, q, pops)
        cm = _COPULA.match(after)
        if pop is None and cm:
            # "de los cuales 1.628 son hombres y 221 son mujeres", "Del total, 122 son
            # mujeres": the predicate names a part of the count before.
            pred = next((p for p in pops if p.start == q.end + cm.end() and p.category), None)
            whole = None
            if pred is not None and _SUBSET_BEFORE.search(before):
                whole = self._antecedent(out, sent, q.value)
            elif (
                pred is not None
                and out
                and out[-1].sentence is sent
                and rx.search(r"\b(?:y|e)\s+$", before)
            ):
                whole = out[-1]
            if whole is not None:
                cluster = self._cluster_for(pred, sent)
                pred.cluster = cluster
                return self._new_figure(q, whole.measure, sent, cluster, pred.end, whole)
        if pop is None:
            pm = _PARTITIVE_AFTER.match(after)
            if pm:
                return self._partitive(sent, q, prevq, pm, pops, out)
            return self._bare(sent, q, pops, out)
        # The measure: a noun that is one ("42 fallecidos"), an event noun or verb before
        # ("la liberación de", "detuvo a"), a verb after in the clause, the count it is a
        # part of ("entre ellos 580 policías"), or the count it is coordinated with.
        measure = pop.measure or self._measure_before(before)
        if pop.measure:
            # "154 detenidos fueron condenados": the noun names who, the verb what happened.
            aux = rx.match(rf"\s+{_AUX}", text[pop.end :], I)
            then = self._measure_after(text[pop.end :])
            if aux and aux.group(0).strip() and then and then[0] <= aux.end() + 1:
                measure = then[1]
            else:
                # "los 358 detenidos por las protestas continúan presos": the main verb.
                measure = self._finite_measure(text[pop.end :]) or measure
        elif measure == "still_detained" and _THERE_ARE_BEFORE.search(before):
            # "todavía hay 8 personas cuyo paradero se desconoce": "hay" only says they
            # exist; what happened to them follows.
            then = self._measure_after(text[pop.end :])
            if then and then[0] <= 40:
                measure = then[1]
        own = None
        harm = _OWN_HARM_AFTER.match(text, pop.end) if measure is None else None
        if harm and harm.group("injury"):
            measure = "injured"  # "31 víctimas de lesiones oculares"
        elif harm:
            # "28 víctimas de desalojos, 5 muertos": the noun names its own harm; a verb or
            # noun of another list item says nothing of it.
            return None
        if measure is None:
            own = self._measure_after(text[pop.end :])
            measure = own[1] if own else None
            if own and own[0] <= 2:
                # "358 personas detenidas en 2021 continúan presas": a participle after
                # the noun describes them; a finite verb later says what holds now.
                measure = self._finite_measure(text[pop.end :]) or measure
        if measure is None and _TREATED_BEFORE.search(before) and _MEDICAL_SERVICE.search(before):
            measure = "injured"
        whole = None
        sub = _SUBSET_BEFORE.search(before)
        if sub:
            whole = self._antecedent(out, sent, q.value)
            named = sub.group("whole_noun")
            if named and pop.measure is None and (own is None or own[0] > 40):
                # "entre los fallecidos hay seis funcionarios": the whole's noun says what
                # the part is counted for; a count before of another measure is no whole.
                measure = self._measure_after(" " + named)[1]
                if whole is not None and whole.measure != measure:
                    whole = None
            elif whole is not None and pop.measure is None and (own is None or own[0] > 40):
                measure = whole.measure
        elif (
            measure is None
            and out
            and out[-1].sentence is sent
            and rx.fullmatch(r"\s*(?:,|y|e|,\s*y)\s*", text[getattr(out[-1], "qend", 0) : q.start])
        ):
            measure = out[-1].measure  # "murieron 12 manifestantes y 3 policías"
        if measure is None and pop.attrs.get("held"):
            measure = "still_detained"  # "1.113 presos políticos", "35 privados de libertad"
        if measure is None:
            # "la cifra de detenidos se eleva ya a 194 personas": the total's noun says it.
            toll = self._toll_before(sent, q, pops)
            if toll and toll[1]:
                measure = toll[1]
                if toll[0] is not None and toll[0].category and not pop.category:
                    pop = toll[0]
        if measure is None:
            return None
        cluster = self._cluster_for(pop, sent) if pop.category else None
        pop.cluster = cluster
        return self._new_figure(q, measure, sent, cluster, pop.end, whole)

    def _partitive(self, sent, q, prevq, pm: re.Match, pops, out) -> _FigureEs | None:
        """A part of a count: "48 de ellas fallecieron", "33 de ellos son menores"."""
        rest = q.end + pm.end()
        after = sent.text[rest:]
        part_pop = None
        whole = None
        if pm.group("pron"):
            # The part is of the amount just before, when that amount is a figure
            # ("442 querellas, 74 de ellas" is a part of complaints, not of people).
            if prevq is None or self._last_is_figure(out, prevq):
                whole = self._antecedent(out, sent, q.value)
        else:
            noun_start = q.end + pm.start("noun")
            part_pop = next((p for p in pops if p.start == noun_start), None)
            if part_pop is None:
                return None  # "22 de las 31 provincias"
            # What follows the part is what follows its noun ("300 de los presos políticos
            # fueron ...").
            rest = max(rest, part_pop.end)
            after = sent.text[rest:]
        pop = None
        cm = _COPULA.match(after)
        if cm:
            pop = next((p for p in pops if p.start == rest + cm.end() and p.category), None)
        own = self._measure_after(after)
        measure = own[1] if own and own[0] < 60 else None
        if (
            measure == "still_detained"
            and whole is not None
            and rx.match(
                r"\s+(?:solo\s+)?(?:estaban|se\s+encontraban|permanecían|seguían)\b", after, I
            )
        ):
            measure = whole.measure  # "de ellos, 134 estaban presos por motivos políticos"
        if measure is None and cm and pop is not None and whole is not None:
            measure = whole.measure  # "de los cuales 221 son mujeres"
        if measure is None and cm and pop is not None and part_pop is not None:
            measure = part_pop.measure  # "32 de los detenidos son menores de edad"
        if measure is None and own is None:
            # "ordenó la liberación de 17 de ellos": the event noun before says it.
            measure = self._measure_before(sent.text[: q.start])
        if measure is None and whole is not None and not cm:
            # "34 heridos, 19 de ellos policías": the part's noun right after, ending the
            # clause, names who they are; the measure is the whole's.
            pop = next((p for p in pops if p.start == rest + 1 and p.category), None)
            if pop is not None and (
                _CLAUSE_END.match(sent.text, pop.end)
                or rx.match(r"\s*(?:[.;]|$)", sent.text[pop.end :])
            ):
                measure = whole.measure
            else:
                pop = None
        if measure == "detained" and part_pop is not None and part_pop.attrs.get("held"):
            # "700 de los presos fueron detenidos por ...": how they came to be held; a
            # part of those held is still held.
            measure = "still_detained"
        if measure is None:
            return None
        if pop is None and part_pop is not None and part_pop.category:
            pop = part_pop
        if pop is not None:
            cluster = self._cluster_for(pop, sent)
            pop.cluster = cluster
        else:
            cluster = whole.cluster if whole else None
        return self._new_figure(q, measure, sent, cluster, q.end + pm.end(), whole)

    def _bare(self, sent, q, pops, out) -> _FigureEs | None:
        """An amount without a noun: "19 fueron excarcelados", "asciende a 1.243"."""
        text = sent.text
        before, after = text[: q.start], text[q.end :]
        subset = _SUBSET_BEFORE.search(before)
        if subset and rx.match(r"\s+que\s", after, I):
            # "entre ellos 640 que siguen presos": the relative clause says what holds.
            skip = rx.match(r"\s+que", after, I).end()
            before, after = text[: q.end + skip], text[q.end + skip :]
        nested = _NESTED_PART_AFTER.match(after) if subset else None
        if nested:
            after = after[nested.end() :]  # the verb after the part named inside
        aged = _AGED_AFTER.match(after)
        if aged and not subset:
            # "de las cuales 37 tienen ... y 20 tienen ...": a second part of the same whole.
            prev = out[-1] if out and out[-1].sentence is sent else None
            if prev is None or prev.part_of is None or not rx.search(r"\b(?:y|e)\s+$", before):
                aged = None
        if aged:
            whole = self._antecedent(out, sent, q.value) if subset else out[-1].part_of
            if whole is None:
                return None
            lo = int(aged.group("lo")) if aged.group("lo") else None
            hi = int(aged.group("hi") or int(aged.group("under") or 0) - 1)
            if lo is not None and hi < lo:
                return None
            category = "minors" if (lo if lo is not None else 0) < _MAJORITY else "adults"
            pop = _Pop(
                q.end + aged.start(),
                q.end + aged.end(),
                category,
                {"age_min": lo, "age_max": hi} if lo is not None else {"age_max": hi},
            )
            cluster = self._cluster_for(pop, sent)
            pop.cluster = cluster
            return self._new_figure(q, whole.measure, sent, cluster, q.end + aged.end(), whole)
        aux = rx.match(rf"\s+{_AUX}", after, I)
        own = self._measure_after(after)
        pop = whole = None
        prev = out[-1] if out and out[-1].sentence is sent else None
        body = _OF_BODY_AFTER.match(after)
        if (
            prev is not None
            and body
            and getattr(prev, "qend", 0) > getattr(prev, "qstart", 0)
            and rx.search(r"\s(?:y|e)\s+$", text[: q.start])
        ):
            # "153 agentes de los Mossos y 136 de la Policía Nacional resultaron heridos":
            # the second amount counts the first's noun, and shares its verb.
            rest = after[body.end() :]
            aux = rx.match(rf"\s+{_AUX}", rest, I)
            then = self._measure_after(rest)
            if then and aux and then[0] <= aux.end() + 1:
                measure = then[1]
            elif _CLAUSE_END.match(rest) or not rest.strip() or rest.lstrip()[:1] in ".,;":
                measure = prev.measure
            else:
                return None
            return self._new_figure(q, measure, sent, prev.cluster, q.end + body.end())
        passive = next((m for r, m in _PASSIVE_ONLY if r.search(before)), None)
        if own and aux and own[0] <= aux.end() + 1:
            measure = own[1]
        elif passive and _BARE_SUBJECT_END.match(after):
            # "murieron 12 y otros 40 resultaron heridos": the amount is the verb's subject.
            measure = passive
        else:
            toll = self._toll_before(sent, q, pops)
            if not toll or not toll[1]:
                toll = self._copula_count(before, pops)
            if not toll or not toll[1]:
                return None
            pop, measure = toll
        if pop is not None and pop.category:
            cluster = self._cluster_for(pop, sent)
            pop.cluster = cluster
        elif _SUBSET_BEFORE.search(before):
            whole = self._antecedent(out, sent, q.value)
            cluster = whole.cluster if whole else None
        elif out and out[-1].sentence is sent and rx.search(r"\b(?:y|e)\s+$", before):
            cluster = out[-1].cluster  # "39 personas murieron y 361 resultaron heridas"
        else:
            cluster = None
        return self._new_figure(q, measure, sent, cluster, q.end, whole)

    @staticmethod
    def _copula_count(before: str, pops: list[_Pop]) -> tuple[_Pop | None, str | None] | None:
        """ "los fallecidos son 195", "sus detenidos ya suman 40": the subject's noun."""
        m = _NOUN_COPULA_BEFORE.search(before)
        if not m or _NEGATED_BEFORE.search(before, m.start()):
            return None
        pop = next((p for p in pops if p.start == m.start("noun") and p.measure), None)
        return (None, pop.measure) if pop is not None else None

    def _new_figure(
        self, q: Quantity, measure: str, sent: Sentence, cluster, end: int, whole=None
    ) -> _FigureEs:
        return _FigureEs(
            part_of=whole,
            value=q.value,
            qualifier=q.qualifier,
            measure=measure,
            sentence=sent,
            cluster=cluster,
            value_low=q.value_low,
            value_high=q.value_high,
            qstart=q.number_start,
            qend=end,
        )

    @staticmethod
    def _last_is_figure(out: list[_Figure], q: Quantity) -> bool:
        return bool(out) and getattr(out[-1], "qstart", None) == q.number_start

    def _date_figures(self, figs, dates, stmt) -> None:
        """As-of date per figure: "al 13 de enero", "hasta el lunes", else its statement's.

        A period's start ("desde el 28 de julio") is never the as-of date: the count
        holds as of the statement that reports it.
        """
        own = [d for d in dates if d.date and d.as_of]
        has_since = any(getattr(d, "since", False) for d in dates)
        if not own and not has_since:
            # "hasta el lunes" dates a count; the end of "entre el 8 y el 10 de marzo" closes
            # a period, and does not.
            text = figs[0].sentence.text if figs else ""
            own = [
                d
                for d in dates
                if d.date
                and getattr(d, "until", False)
                and not _ELIDED_PERIOD.search(text, 0, d.start)
            ]
        vague = any(d.kind == "vague" for d in dates)
        if figs:
            # A year in a comparison or a quote ("no como en 2014") dates no count.
            text = figs[0].sentence.text
            unquoted = _unquoted(text)
            dates = [
                d
                for d in dates
                if unquoted[d.start : d.start + 1] != " "
                and not _COMPARISON_BEFORE.search(text, 0, d.start)
            ]
        for f in figs:
            s = f.statement or stmt
            stmt_date = s.source.date if s else None
            stmt_prec = s.source.precision if s else None
            other = [
                d
                for d in dates
                if d.date
                and not d.event
                and not d.as_of
                and not getattr(d, "since", False)
                and not getattr(d, "until", False)
                and d.kind != "vague"
                and d.date != stmt_date
                # "las protestas de julio" names when the events were, not the count.
                and not _EVENT_MONTH_BEFORE.search(f.sentence.text, 0, d.start)
            ]
            whole = getattr(f, "part_of", None)
            if (
                not own
                and whole is not None
                and whole.sentence is not f.sentence
                and whole.as_of
                and whole.sentence.paragraph >= f.sentence.paragraph - 1
            ):
                # "Entre ellos hay 42 adolescentes", "Del total, 122 son mujeres": a part of
                # a count given before holds as of the same day as the whole.
                f.as_of, f.precision = whole.as_of, whole.precision
            elif own:
                f.as_of, f.precision = own[0].date, own[0].precision
            elif stmt_date:
                f.as_of = stmt_date
                f.precision = "approximate" if vague and stmt_prec == "exact" else stmt_prec
            elif other:
                f.as_of, f.precision = other[0].date, other[0].precision
            else:
                # A liveblog entry under a day header is of that day.
                entry = self._entry_day(f.sentence)
                f.as_of, f.precision = (entry.date if entry else self.ref), "approximate"
            # "La ONG, que documenta los casos desde 2018, estima ...": the period of a
            # clause that describes the speaker is not the count's.
            since = [
                d
                for d in dates
                if d.date
                and getattr(d, "since", False)
                and not _RELATIVE_SEGMENT.search(f.sentence.text, 0, d.start)
            ]
            if since and hasattr(f, "since"):
                f.since = since[0].date

    def _merge_duplicate_figures(self) -> None:
        """A headline sums up the article: its figure goes when the body gives the same count.

        "Suben a 60 los muertos" in the headline and "al menos 60 personas han muerto" in
        the lead are one figure; so are "más de mil presos políticos" and "1.113 presos
        políticos" (same measure and group, a close amount).
        """
        # A count that held more than a year before the article is background ("En 2019,
        # el COFADEH registró más de 300 detenciones"), not a figure of what it reports;
        # and a count no one reports that repeats one already given is that one again.
        seen: dict[tuple, _Figure] = {}
        for f in self.figures:
            if f.as_of and (self.ref - f.as_of).days > 366:
                f.dropped = True
            same = (f.value, f.value_low, f.measure, f.qualifier)
            first = seen.get(same)
            if first is not None and first.sentence.index > 0 and f.value is not None:
                # "De los 2.237 detenidos, 1.431 ...": the count named again by its
                # reporter (or by no one) a paragraph later is the same count.
                by = self._reporter(f.statement) if f.statement else None
                first_by = self._reporter(first.statement) if first.statement else None
                if f.statement is None or (
                    by is first_by and f.sentence.paragraph - first.sentence.paragraph <= 1
                ):
                    f.dropped = True
            seen.setdefault(same, f)
        head = self.sents[0] if self.sents else None
        if head is not None and head.paragraph == 0 and not rx.search(r"[.!?][\"”»]?$", head.text):
            body = [f for f in self.figures if f.sentence.index != head.index]
            for f in self.figures:
                if f.sentence.index != head.index:
                    continue
                v = f.value if f.value is not None else f.value_low
                for b in body:
                    bv = b.value if b.value is not None else b.value_low
                    # The same measure, and the same group or exactly the same amount
                    # ("358 manifestantes" in the headline, "358 personas" in the text).
                    same_amount = v is not None and v == bv and f.qualifier == b.qualifier
                    if b.measure != f.measure or (b.cluster is not f.cluster and not same_amount):
                        continue
                    if f.value is None or (v and bv and 0.8 * v <= bv <= 1.5 * v):
                        f.dropped = True
                        break
        self.figures = [f for f in self.figures if not f.dropped]
        for idx, figs in self.figures_by_sentence.items():
            self.figures_by_sentence[idx] = [f for f in figs if not f.dropped]
        super()._merge_duplicate_figures()
        # A stance on a figure that went takes the figure kept for the same count.
        for st in self.stances:
            t = st.target
            if isinstance(t, _Figure) and t.dropped:
                st.target = next(
                    (
                        f
                        for f in self.figures
                        if (f.value, f.value_low, f.measure) == (t.value, t.value_low, t.measure)
                    ),
                    "__top__",
                )

    # -- allegations --------------------------------------------------------

    def _allegation_triggers(self, sent, pops, next_text):
        text = sent.text
        triggers: list[tuple[int, str]] = []
        for regex, code in _VIOLATIONS if _ANY_VIOLATION.search(text) else ():
            for m in regex.finditer(text):
                if code == "threats" and rx.match(
                    r"amenaz\w*\s+(?:a|contra)\s+(?:sus\s+)?famil", text[m.start() :], I
                ):
                    continue
                triggers.append((m.start(), code))
        methods: list[tuple[int, str]] = []
        for regex, code in _METHODS if _ANY_METHOD.search(text) else ():
            m = regex.search(text)
            if m:
                methods.append((m.start(), code))
        for m in lex.CHARGE_RE.finditer(text):
            charge = m.group("charge").strip()
            doubt = bool(lex.DOUBT_RE.search(text)) or bool(lex.DOUBT_RE.search(next_text))
            cluster = self._nearest_cluster(pops, m.start(), prefer_before=True)
            if cluster and not cluster.charges:
                cluster.charges = charge
            self.charge_notes.append(
                (cluster, charge, bool(lex.NO_PROOF_RE.search(next_text)), sent)
            )
            if doubt and not any(c == "fabricated_charges" for _, c in triggers):
                triggers.append((m.start(), "fabricated_charges"))
        # Violations named inside a denial ("negó que hubiera torturas") are not alleged.
        negated_from = len(text)
        for regex in (lex.DENY_RE, lex.DISMISS_RE):
            dm = regex.search(text)
            if dm:
                negated_from = min(negated_from, dm.end())
        nm = rx.search(r"\b(?:dijo|aseguró|afirmó|sostuvo|insistió|declaró)\s+que\b", text, I)
        if nm and lex.NEGATED_CLAIM_RE.search(text, nm.end()):
            negated_from = min(negated_from, nm.end())
        triggers = [t for t in triggers if t[0] < negated_from]
        methods = [m for m in methods if m[0] < negated_from]
        return triggers, methods

    def _killing_allegations(self, sent: Sentence, figs: list[_Figure], stmt) -> None:
        """Deaths in a crackdown, or caused by state forces, are alleged extrajudicial killings."""
        state_agent = rx.search(
            r"\b(?:por|a\s+manos\s+de|por\s+parte\s+de)\s+(?:el\s+|la\s+|los\s+|las\s+)?(?:fuerzas"
            r"\s+de\s+seguridad|fuerzas\s+del\s+orden|fuerza\s+pública|policía|ejército|militares"
            r"|soldados|agentes|carabineros|guardia\s+nacional|junta|régimen)\b"
            r"|\b(?:policía|militares|soldados|agentes)\b[^.,]{0,30}?\b(?:dispararon|mataron"
            r"|asesinaron|abrieron\s+fuego)",
            sent.text,
            I,
        )
        if not (lex.CRACKDOWN_RE.search(sent.text) or state_agent):
            return
        reporter = stmt
        if stmt and stmt.speaker.kind in ("state_body", "security_force"):
            reporter = None
        for f in figs:
            if f.measure == "killed":
                perp = self._perpetrator(sent)
                self._add_allegation("extrajudicial_killing", sent, [], f.cluster, perp, reporter)

    # -- stances --------------------------------------------------------------

    def _stances(self, sent, dates, pops, last) -> None:
        text = sent.text
        found: list[tuple[str, re.Match]] = []
        for stance, regex in (
            ("denies", lex.DENY_RE),
            ("denies", lex.DISMISS_RE),
            ("acknowledges", lex.ACK_RE),
            ("disputes", lex.DISPUTE_RE),
        ):
            m = regex.search(text)
            if m and not any(s == stance for s, _ in found):
                found.append((stance, m))
        cm = lex.CORROBORATE_RE.search(text)
        if cm and rx.match(r"\s+(?:\w+\s+){0,3}?por\s+", text[cm.end() :]):
            found.append(("corroborates", cm))
        claim = rx.search(
            r"\b(?:aseguró|asegura|afirmó|afirma|sostuvo|sostiene|dijo|insistió)\b", text, I
        )
        if claim and not any(s == "denies" for s, _ in found):
            rest = text[claim.end() :]
            if rx.match(r"\s+que\b", rest, I) and lex.NEGATED_CLAIM_RE.search(rest[:120]):
                found.append(("denies", claim))
        found.sort(key=lambda t: t[1].start())
        for stance, m in found:
            passive = rx.match(r"\s+(?:\w+\s+){0,3}?por\s+", text[m.end() :])
            is_passive = bool(
                passive
                and rx.search(
                    r"\b(?:fue|fueron|ha\s+sido|han\s+sido|es|son)\s+$", text[: m.start()], I
                )
            )
            if is_passive:
                np = phrase_after(text[m.end() + passive.end() :])
                target_text = text[: m.start()]
            else:
                np = subject_before(text, m.start())
                target_text = text[m.end() :]
            actor = self._resolve_mention(parse_np(np), sent, last) if np else None
            if actor is None and last and last.paragraph == sent.paragraph and not is_passive:
                actor = last.speaker
            when = self._statement_date(sent, dates, m.start(), m.end())
            social = bool(lex.SOCIAL_MEDIA_RE.search(text[: m.end() + 80]))
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
            bm = lex.BLAME_RE.search(text)
            if bm:
                note = text[bm.start() :].rstrip()
            for target in self._stance_targets(stance, sent, target_text, pops):
                self.stances.append(_Stance(stance, sent, actor, source, target, note))

    def _stance_targets(self, stance: str, sent: Sentence, text: str, pops: list[_Pop]) -> list:
        here = list(self.figures_by_sentence.get(sent.index, []))
        if stance == "denies":
            # The counts a denial covers are not figures; one after it belongs to a new
            # statement ("negó que ..., pero reconoció que 40 ...").
            verb_at = len(sent.text) - len(text)
            here = [f for f in here if getattr(f, "qstart", 0) < verb_at]
        if stance == "corroborates" and here:
            return [here[-1]]
        if stance == "acknowledges" and here:
            return here
        if lex.KILL_WORDS_RE.search(text):
            killings = [a for a in self.allegations if a.violation == "extrajudicial_killing"]
            tolls = [f for f in self.figures if f.measure == "killed"]
            for candidates in (tolls, killings) if stance == "disputes" else (killings, tolls):
                if candidates:
                    return [candidates[-1]]
        if lex.COUNT_WORDS_RE.search(text):
            for pattern, measure in lex.MEASURE_PATTERNS:
                if rx.search(pattern, text, I):
                    candidates = [f for f in self.figures if f.measure == measure]
                    if candidates:
                        para = candidates[-1].sentence.paragraph
                        return [f for f in candidates if f.sentence.paragraph == para]
            if self.figures:
                para = self.figures[-1].sentence.paragraph
                return [f for f in self.figures if f.sentence.paragraph == para]
        offset = sent.text.find(text)
        for p in pops:
            if p.category and offset <= p.start:
                cluster = self._existing_cluster(p)
                if cluster:
                    return [cluster]
        for pattern, code in lex.VIOLATIONS:
            if rx.search(pattern, text, I):
                for a in reversed(self.allegations):
                    if a.violation == code:
                        return [a]
        if (
            rx.search(r"\b(?:denuncias?|acusaciones?|informes?|rumores?)\b", text, I)
            and self.allegations
        ):
            return [self.allegations[-1]]
        if here:
            return here
        previous = self.figures_by_sentence.get(sent.index - 1, [])
        if previous and stance == "denies":
            # "desmiente que existan personas desaparecidas": only a count of what it
            # denies, never the injured officers of the sentence before.
            named = {m for regex, m in _MEASURE_AFTER if regex.search(text)}
            named |= {m for regex, m in _MEASURE_NOUNS if regex.search(text)}
            if named:
                previous = [f for f in previous if f.measure in named]
        if previous:
            return previous
        return ["__top__"]

    # -- incidents and titles -----------------------------------------------------

    def _source_title(self, s: _Source) -> str:
        words = {
            "ngo_statement": "Comunicado",
            "ngo_report": "Informe",
            "un_statement": "Declaración",
            "igo_statement": "Declaración",
            "government_statement": "Comunicado",
            "social_media_post": "Publicación en redes sociales",
            "testimony": "Testimonio",
            "news_article": "Nota",
        }
        title = f"{words.get(s.kind, 'Declaración')} de {s.issuer.name}"
        if s.date:
            title += f" ({s.date.isoformat()})"
        return title

    def _allegation_summary(self, a: _Allegation, reporter: str | None) -> str:
        text = lex.VIOLATION_LABELS.get(a.violation, a.violation)
        if a.methods:
            text += " (" + ", ".join(lex.METHOD_LABELS.get(m, m) for m in a.methods) + ")"
        if a.cluster:
            text += f" contra {a.cluster.label}"
        if a.perpetrator:
            text += f", atribuida a {a.perpetrator.name}"
        if reporter:
            text += f", según {reporter}"
        return text + "."

    def _incident_dates(self, text: str) -> list[DateMention]:
        return self._find_dates(text)
