"""Spanish word lists: places, populations, measures, speakers, verbs, violations.

The Spanish extractor reads these; they are written for Spanish news prose (agency
wires, NGO releases, Latin American and Spanish newspapers), not translated from the
English lists. Spanish inflects for gender and number, so most entries match every
form ("detenid[oa]s", "excarcelad\\w*"). Patterns are regular-expression fragments
matched case-insensitively unless noted; codes (populations' categories, measures,
violations and methods) are the same codes the English lexicon uses, so both
languages fill the same records.
"""

from __future__ import annotations

import re

# Letters of Spanish words, for lookarounds that ``\b`` gets wrong next to accents.
L = r"A-Za-zÁÉÍÓÚÜÑáéíóúüñ"
UPPER = r"A-ZÁÉÍÓÚÜÑ"

# ---------------------------------------------------------------------------
# Countries: (name as written in Spanish, ISO code, extra names, demonym stems).
# A stem ending in "-" takes -o/-a/-os/-as ("venezolan-"); a full word is invariant
# in gender and takes -s or -es ("nicaragüense", "iraní").
_COUNTRIES = (
    ("Venezuela", "VE", (), ("venezolan-",)),
    ("Estados Unidos", "US", ("EE.UU.", "EEUU", "EE. UU."), ("estadounidense", "norteamerican-")),
    ("Colombia", "CO", (), ("colombian-",)),
    ("Nicaragua", "NI", (), ("nicaragüense",)),
    ("Bielorrusia", "BY", ("Belarús", "Belarus"), ("bielorrus-",)),
    ("Irán", "IR", ("Iran",), ("iraní",)),
    ("Myanmar", "MM", ("Birmania",), ("birman-",)),
    ("Cuba", "CU", (), ("cuban-",)),
    ("Rusia", "RU", (), ("rus-",)),
    ("Ucrania", "UA", (), ("ucranian-",)),
    ("China", "CN", (), ("chin-",)),
    ("España", "ES", (), ("español", "española", "españoles", "españolas")),
    ("Reino Unido", "GB", (), ("británic-",)),
    ("Francia", "FR", (), ("francés", "francesa", "franceses", "francesas")),
    ("Alemania", "DE", (), ("alemán", "alemana", "alemanes", "alemanas")),
    ("Italia", "IT", (), ("italian-",)),
    ("Portugal", "PT", (), ("portugués", "portuguesa", "portugueses", "portuguesas")),
    ("Países Bajos", "NL", ("Holanda",), ("neerlandés", "neerlandeses", "holandés", "holandeses")),
    ("Polonia", "PL", (), ("polac-",)),
    ("Lituania", "LT", (), ("lituan-",)),
    ("Letonia", "LV", (), ("leton-",)),
    ("Canadá", "CA", (), ("canadiense",)),
    ("México", "MX", (), ("mexican-",)),
    ("Brasil", "BR", (), ("brasileñ-",)),
    ("Argentina", "AR", (), ("argentin-",)),
    ("Chile", "CL", (), ("chilen-",)),
    ("Perú", "PE", ("Peru",), ("peruan-",)),
    ("Ecuador", "EC", (), ("ecuatorian-",)),
    ("Bolivia", "BO", (), ("bolivian-",)),
    ("Uruguay", "UY", (), ("uruguay-",)),
    ("Paraguay", "PY", (), ("paraguay-",)),
    ("Guatemala", "GT", (), ("guatemaltec-",)),
    ("Honduras", "HN", (), ("hondureñ-",)),
    ("El Salvador", "SV", (), ("salvadoreñ-",)),
    ("Costa Rica", "CR", (), ("costarricense",)),
    ("Panamá", "PA", (), ("panameñ-",)),
    ("Haití", "HT", (), ("haitian-",)),
    ("República Dominicana", "DO", (), ("dominican-",)),
    ("Turquía", "TR", (), ("turc-",)),
    ("Egipto", "EG", (), ("egipci-",)),
    ("Siria", "SY", (), ("siri-",)),
    ("Irak", "IQ", ("Iraq",), ("iraquí",)),
    ("Afganistán", "AF", (), ("afgan-",)),
    ("Pakistán", "PK", (), ("paquistaní", "pakistaní")),
    ("India", "IN", (), ("indi-",)),
    ("Bangladés", "BD", ("Bangladesh",), ("bangladesí",)),
    ("Sri Lanka", "LK", (), ("esrilanqués", "esrilanqueses")),
    ("Tailandia", "TH", (), ("tailandés", "tailandesa", "tailandeses", "tailandesas")),
    ("Camboya", "KH", (), ("camboyan-",)),
    ("Vietnam", "VN", (), ("vietnamita",)),
    ("Filipinas", "PH", (), ("filipin-",)),
    ("Etiopía", "ET", (), ("etíope",)),
    ("Sudán", "SD", (), ("sudanés", "sudanesa", "sudaneses", "sudanesas")),
    ("Uganda", "UG", (), ("ugandés", "ugandesa", "ugandeses", "ugandesas")),
    ("Kenia", "KE", ("Kenya",), ("kenian-", "keniata")),
    ("Zimbabue", "ZW", ("Zimbabwe",), ("zimbabuense",)),
    ("Georgia", "GE", (), ("georgian-",)),
    ("Azerbaiyán", "AZ", (), ("azerbaiyan-",)),
    ("Kazajistán", "KZ", (), ("kazaj-",)),
    ("Uzbekistán", "UZ", (), ("uzbek-",)),
    ("Tayikistán", "TJ", (), ("tayik-",)),
    ("Arabia Saudí", "SA", ("Arabia Saudita",), ("saudí",)),
    ("Israel", "IL", (), ("israelí",)),
    ("Líbano", "LB", (), ("libanés", "libanesa", "libaneses", "libanesas")),
    ("Suecia", "SE", (), ("suec-",)),
    ("Suiza", "CH", (), ("suiz-",)),
    ("Austria", "AT", (), ("austriac-",)),
    ("Bélgica", "BE", (), ("belga",)),
    ("Irlanda", "IE", (), ("irlandés", "irlandesa", "irlandeses", "irlandesas")),
    ("Australia", "AU", (), ("australian-",)),
    ("Japón", "JP", (), ("japonés", "japonesa", "japoneses", "japonesas")),
    ("Hong Kong", "HK", (), ("hongkonés", "hongkonesa", "hongkoneses", "hongkonesas")),
    ("Nigeria", "NG", (), ("nigerian-",)),
    ("Marruecos", "MA", (), ("marroquí",)),
    ("Argelia", "DZ", (), ("argelin-",)),
    ("Túnez", "TN", (), ("tunecin-",)),
    ("Sudáfrica", "ZA", (), ("sudafrican-",)),
    ("Hungría", "HU", (), ("húngar-",)),
    ("Serbia", "RS", (), ("servi-", "serbi-")),
    ("Armenia", "AM", (), ("armeni-",)),
    ("Kirguistán", "KG", (), ("kirguís", "kirguises")),
    ("Turkmenistán", "TM", (), ("turkmen-",)),
    ("Corea del Norte", "KP", (), ("norcorean-",)),
    ("Corea del Sur", "KR", (), ("surcorean-",)),
    ("Eritrea", "ER", (), ("eritre-",)),
    ("Tanzania", "TZ", (), ("tanzan-",)),
)


def _forms(dem: str) -> list[str]:
    """Every form of a demonym: "venezolan-" -> venezolano, venezolana, -os, -as."""
    if dem.endswith("-"):
        stem = dem[:-1]
        return [stem + e for e in ("o", "a", "os", "as")]
    if dem[-1] in "áéíóú":  # "iraní" -> "iraníes"
        return [dem, dem + "es", dem + "s"]
    if dem.endswith(("és", "án", "ón", "ís")) or not dem.endswith(("e", "a")):
        return [dem]  # listed with its feminine and plurals
    return [dem, dem + "s"]


COUNTRY_NAMES: dict[str, str] = {}
ISO_TO_NAME: dict[str, str] = {}
DEMONYMS: dict[str, str] = {}  # every form -> ISO
DEMONYM_PLURAL: dict[str, str] = {}  # ISO -> masculine plural, for labels
for _name, _iso, _extra, _dems in _COUNTRIES:
    ISO_TO_NAME.setdefault(_iso, _name)
    for _n in (_name, *_extra):
        COUNTRY_NAMES[_n] = _iso
    _all: list[str] = []
    for _dem in _dems:
        _all += _forms(_dem)
    for _f in _all:
        DEMONYMS.setdefault(_f, _iso)
    # The masculine plural labels a group: "venezolanos", "franceses", "belgas".
    _plural = [f for f in _all if f.endswith(("os", "es"))] or [f for f in _all if f[-1] == "s"]
    DEMONYM_PLURAL[_iso] = (_plural or _all)[0]
# "indio/india" is also a person's name and "china" a common noun: only the plurals
# and the unambiguous forms count as demonyms.
for _ambiguous in ("india", "indio", "china", "chino", "turca", "turco", "rusa", "ruso"):
    DEMONYMS.pop(_ambiguous, None)

_COUNTRY_ALT = "|".join(sorted((re.escape(c) for c in COUNTRY_NAMES), key=len, reverse=True))
# Country names are proper nouns: matched with their capital letter.
COUNTRY_RE = re.compile(rf"(?<![{L}])(?:{_COUNTRY_ALT})(?![{L}])")
_DEMONYM_ALT = "|".join(sorted((re.escape(d) for d in DEMONYMS), key=len, reverse=True))
DEMONYM_RE = re.compile(rf"(?<![{L}])(?:{_DEMONYM_ALT})(?![{L}])", re.IGNORECASE)


WORD_RE = re.compile(rf"(?<![{L}])[a-záéíóúüñ]+(?![{L}])")


def country_mentions(text: str) -> list[str]:
    """ISO codes of every Spanish country name or demonym in ``text``, in order."""
    found: list[tuple[int, str]] = []
    for m in COUNTRY_RE.finditer(text):
        found.append((m.start(), COUNTRY_NAMES[m.group(0)]))
    # Demonyms are lower-case adjectives in Spanish; a capitalised one begins a name.
    for m in WORD_RE.finditer(text):
        iso = DEMONYMS.get(m.group(0))
        if iso:
            found.append((m.start(), iso))
    return [iso for _, iso in sorted(found)]


# ---------------------------------------------------------------------------
# Populations: (regex, category, attributes). Categories are the English lexicon's
# codes where one exists, so groups merge the same way in both languages.
POPULATIONS: tuple[tuple[str, str, dict], ...] = (
    (
        r"niños,?\s+niñas\s+y\s+adolescentes|niñas,?\s+niños\s+y\s+adolescentes"
        r"|menores\s+de\s+edad|menores|niños\s+y\s+niñas|niñas\s+y\s+niños|niños|niñas"
        r"|adolescentes|chicos|chicas|escolares|colegiales",
        "minors",
        {"age_max": 17},
    ),
    (r"adult[oa]s|mayores\s+de\s+edad", "adults", {"age_min": 18}),
    (
        r"pres[oa]s\s+polític[oa]s|prisioner[oa]s\s+polític[oa]s|pres[oa]s\s+de\s+conciencia"
        r"|detenid[oa]s\s+polític[oa]s|personas\s+presas\s+por\s+motivos\s+políticos"
        r"|presos\s+por\s+motivos\s+políticos",
        "political prisoners",
        {},
    ),
    (
        r"ciudadan[oa]s\s+extranjer[oa]s|personas\s+extranjeras|extranjer[oa]s",
        "foreign nationals",
        {"citizenship": "foreign"},
    ),
    (
        r"(?:personas\s+)?con\s+doble\s+nacionalidad|binacionales",
        "dual citizens",
        {"citizenship": "dual"},
    ),
    (
        r"periodistas|fotoperiodistas|reporter[oa]s|comunicador[ea]s|camarógraf[oa]s"
        r"|fotógraf[oa]s|trabajador[ea]s\s+de\s+(?:la\s+prensa|(?:los\s+)?medios(?:\s+de"
        r"\s+comunicación)?)",
        "journalists",
        {},
    ),
    (r"manifestantes|protestantes\s+pacíficos", "protesters", {}),
    (r"estudiantes(?:\s+universitari[oa]s)?|universitari[oa]s|alumn[oa]s", "students", {}),
    (
        r"opositor[ea]s|miembros\s+de\s+la\s+oposición|dirigentes\s+(?:opositor[ea]s|políticos"
        r"|de\s+la\s+oposición)|líderes\s+(?:opositor[ea]s|de\s+la\s+oposición)|disidentes"
        r"|militantes\s+opositor[ea]s|excandidat[oa]s(?:\s+presidenciales)?"
        r"|candidat[oa]s\s+opositor[ea]s|activistas\s+polític[oa]s|exdiputad[oa]s",
        "opposition members",
        {},
    ),
    (
        r"defensor[ea]s\s+de\s+(?:los\s+)?derechos\s+humanos|activistas(?:\s+de\s+derechos"
        r"\s+humanos|\s+prodemocracia)?|líderes\s+sociales|lideresas\s+sociales"
        r"|dirigentes\s+sociales",
        "activists",
        {},
    ),
    (r"abogad[oa]s", "lawyers", {}),
    (r"mujeres", "women", {"sex": "female", "age_min": 18}),
    (r"hombres|varones", "men", {"sex": "male", "age_min": 18}),
    (
        r"sacerdotes|religios[oa]s|monjes|monjas|curas|obispos|clérigos|seminaristas"
        r"|pastores\s+evangélicos",
        "clergy",
        {},
    ),
    (
        r"militares|soldados|efectivos\s+(?:militares|castrenses|del\s+ejército)"
        r"|miembros\s+de\s+las\s+fuerzas\s+armadas|funcionari[oa]s\s+militares"
        r"|guardias\s+nacionales|infantes\s+de\s+marina",
        "military personnel",
        {"affiliation": "military"},
    ),
    (
        r"policías|agentes(?:\s+de\s+(?:la\s+)?policía|\s+policiales|\s+antidisturbios)?"
        r"|carabineros|gendarmes|uniformados|efectivos\s+(?:policiales|de\s+(?:la\s+)?policía)"
        r"|miembros\s+de\s+la\s+(?:policía|fuerza\s+pública)|servidor[ea]s\s+policiales"
        r"|funcionari[oa]s\s+(?:policiales|de\s+(?:la\s+)?policía)|antimotines",
        "police officers",
        {},
    ),
    (r"civiles", "civilians", {"affiliation": "civilian"}),
    (
        r"diputad[oa]s|legislador[ea]s|parlamentari[oa]s|congresistas|senador[ea]s"
        r"|concejal[ea]s",
        "lawmakers",
        {},
    ),
    (r"indígenas|comuner[oa]s", "indigenous people", {}),
    (r"campesin[oa]s", "peasants", {}),
    (
        r"brigadistas|socorristas|paramédicos|personal\s+sanitario|personal\s+de\s+salud"
        r"|trabajador[ea]s\s+de\s+(?:la\s+)?salud|médic[oa]s|enfermer[oa]s",
        "health workers",
        {},
    ),
    (r"trabajador[ea]s|sindicalistas|obrer[oa]s", "workers", {}),
    (r"migrantes|refugiad[oa]s|solicitantes\s+de\s+asilo", "migrants", {}),
)
# Spanish labels of the categories above (groups are labelled in the article's
# language); nationalities are labelled by their demonym.
CATEGORY_LABELS = {
    "minors": "menores de edad",
    "adults": "adultos",
    "adult political prisoners": "presos políticos adultos",
    "political prisoners": "presos políticos",
    "foreign nationals": "extranjeros",
    "dual citizens": "personas con doble nacionalidad",
    "journalists": "periodistas",
    "protesters": "manifestantes",
    "students": "estudiantes",
    "opposition members": "opositores",
    "activists": "activistas y defensores de derechos humanos",
    "lawyers": "abogados",
    "women": "mujeres",
    "men": "hombres",
    "clergy": "religiosos",
    "military personnel": "militares",
    "police officers": "policías",
    "lawmakers": "legisladores",
    "civilians": "civiles",
    "indigenous people": "indígenas",
    "peasants": "campesinos",
    "workers": "trabajadores",
    "migrants": "migrantes",
    "health workers": "personal de salud",
}
# A noun that counts people without saying who they are: a figure, but no group.
GENERIC_PEOPLE = (
    r"personas|individuos|ciudadan[oa]s|habitantes|pobladores|vecin[oa]s|víctimas(?!\s+mortales)"
    r"|jóvenes|menores\s+y\s+adultos|efectivos|funcionari[oa]s|voluntari[oa]s|residentes"
)
# Nouns that say a population is held: the count is of people still detained unless
# a verb of the clause says otherwise ("1.100 presos políticos", "35 personas
# privadas de libertad").
HELD_NOUNS = (
    r"pres[oa]s|reclus[oa]s|reos|prisioner[oa]s|encarcelad[oa]s|internos"
    r"|privad[oa]s\s+de\s+(?:la\s+)?libertad"
)
# Words after a number that are themselves the measure ("42 fallecidos", "627 arrestos").
MEASURE_NOUNS: tuple[tuple[str, str], ...] = (
    (
        r"muert[oa]s|fallecid[oa]s|asesinad[oa]s|víctimas\s+mortales|muertes|fallecimientos"
        r"|decesos|ejecutad[oa]s|homicidios|ejecuciones(?:\s+extrajudiciales)?",
        "killed",
    ),
    (r"herid[oa]s|lesionad[oa]s", "injured"),
    (
        r"desaparecid[oa]s|desapariciones(?:\s+forzadas)?|casos\s+de\s+desaparición"
        r"(?:\s+forzada)?",
        "disappeared",
    ),
    (
        r"detenid[oa]s|arrestad[oa]s|aprehendid[oa]s|capturad[oa]s|arrestos|detenciones"
        r"(?:\s+arbitrarias)?|capturas|aprehensiones|casos\s+de\s+detención(?:\s+arbitraria)?",
        "detained",
    ),
    (r"excarcelad[oa]s|liberad[oa]s|excarcelaciones|liberaciones|indultad[oa]s", "released"),
    (r"imputad[oa]s|procesad[oa]s|encausad[oa]s|judicializad[oa]s", "charged"),
)

# ---------------------------------------------------------------------------
# Measures from verbs written after the population. Order matters: "siguen
# detenidos" must win over "detenidos".
_STILL = (
    r"(?:siguen|sigue|seguían|seguía|permanecen|permanece|permanecían|continúan|continúa"
    r"|continuaban|quedan|queda|quedaban|se\s+mantienen|se\s+encuentran|están|estaban"
    r"|se\s+hallan)(?:\s+(?:aún|todavía|hoy|actualmente|injustamente|arbitrariamente))*"
)
_HELD = (
    r"(?:detenid[oa]s?|pres[oa]s?|encarcelad[oa]s?|recluid[oa]s?|arrestad[oa]s?"
    r"|privad[oa]s?\s+de\s+(?:la\s+|su\s+)?libertad|en\s+(?:prisión|la\s+cárcel|cárceles|custodia"
    r"|detención|prisión\s+preventiva|centros?\s+de\s+detención|calabozos)|tras\s+las\s+rejas"
    r"|bajo\s+(?:arresto|custodia)|tras\s+las\s+rejas|incomunicad[oa]s?"
    r"|en\s+(?:régimen\s+de\s+)?(?:aislamiento|incomunicación))"
)
MEASURE_PATTERNS: tuple[tuple[str, str], ...] = (
    (rf"\b{_STILL}\s+{_HELD}(?![{L}])", "still_detained"),
    # "28 han ingresado en prisión provisional": sent to prison, and held there now.
    (
        r"\b(?:ingresad[oa]s?|ingresaron|ingresó|enviad[oa]s?|enviaron)\s+(?:en|a)\s+(?:prisión"
        rf"|la\s+cárcel)(?![{L}])",
        "still_detained",
    ),
    (
        r"\b(?:excarcelad\w*|liberad[oa]s?|puest[oa]s?\s+en\s+libertad|dejad[oa]s?\s+en\s+libertad"
        r"|salieron\s+en\s+libertad|recuperaron\s+(?:la|su)\s+libertad|indultad[oa]s?"
        r"|excarcelaron|liberaron|fueron\s+soltad[oa]s|obtuvieron\s+(?:la|su)\s+libertad"
        r"|quedaron\s+en\s+libertad|quedó\s+en\s+libertad|recobraron\s+(?:la|su)\s+libertad)"
        rf"(?![{L}])",
        "released",
    ),
    (
        r"\b(?:muert[oa]s?|murieron|muri[óo]|han\s+muerto|habían\s+muerto|fallecid[oa]s?"
        r"|fallecieron|falleci[óo]|asesinad[oa]s?|perdieron\s+la\s+vida|ejecutad[oa]s?"
        rf"|abatid[oa]s?)(?![{L}])",
        "killed",
    ),
    (
        r"\b(?:herid[oa]s?|lesionad[oa]s?|con\s+(?:lesiones|heridas)|sufrieron\s+(?:heridas|lesiones)"
        r"|(?:fueron|han\s+sido|tuvieron\s+que\s+ser)\s+atendid[oa]s\s+(?:por|en)\s+(?:(?:los|las"
        r"|el|la|un|una|distintos|varios|diferentes)\s+)?(?:servicios|equipos|centros?|hospital"
        r"|hospitales|clínicas?|puestos?|paramédicos|socorristas|personal\s+(?:médico|sanitario)"
        r"|ambulancias|unidades\s+médicas)|hospitalizad[oa]s|(?:requirieron|necesitaron)\s+atención"
        rf"\s+(?:médica|hospitalaria))(?![{L}])",
        "injured",
    ),
    (
        r"\b(?:desaparecid[oa]s?|desaparecieron|en\s+paradero\s+desconocido|de\s+paradero"
        r"\s+desconocido|sin\s+(?:ser\s+)?localizar|sin\s+ser\s+localizad[oa]s|no\s+(?:han\s+sido"
        r"|fueron|han\s+podido\s+ser)\s+localizad[oa]s|cuyo\s+paradero\s+(?:aún\s+|todavía\s+)?"
        r"(?:se\s+desconoce|es\s+desconocido|sigue\s+siendo\s+desconocido|no\s+se\s+conoce)"
        r"|se\s+desconoce\s+(?:su|el)\s+paradero|sin\s+paradero\s+conocido|sin\s+aparecer)"
        rf"(?![{L}])",
        "disappeared",
    ),
    (
        r"\b(?:imputad[oa]s?|procesad[oa]s?|encausad[oa]s?|judicializad[oa]s?|condenad[oa]s?"
        r"|sentenciad[oa]s?|acusad[oa]s?\s+(?:formalmente\s+)?(?:de|por)"
        rf"|(?:fueron|han\s+sido)\s+acusad[oa]s|formalizad[oa]s?)(?![{L}])",
        "charged",
    ),
    (
        r"\b(?:detenid[oa]s?|arrestad[oa]s?|aprehendid[oa]s?|capturad[oa]s?|encarcelad[oa]s?"
        r"|apresad[oa]s?|privad[oa]s?\s+de\s+(?:la\s+|su\s+)?libertad|recluid[oa]s?"
        rf"|llevad[oa]s?\s+a\s+prisión)(?![{L}])",
        "detained",
    ),
)
# A verb right before the amount ("detuvo a 40", "quedan al menos 35").
VERB_BEFORE: tuple[tuple[str, str], ...] = (
    (
        r"quedan|quedaban|siguen|permanecen|mantiene\s+(?:detenid[oa]s|pres[oa]s|encarcelad[oa]s)"
        r"|mantienen\s+(?:detenid[oa]s|pres[oa]s|encarcelad[oa]s)|aún\s+hay|todavía\s+hay"
        r"|hay\s+todavía|hay\s+aún",
        "still_detained",
    ),
    (
        r"excarcel[óa]|excarcelaron|excarcelan|excarcelado|liber[óa]|liberaron|liberan|liberado"
        r"|indult[óa]|indultaron|indultan|indultado|(?:puso|pusieron|ponen|pone)\s+en\s+libertad"
        r"|excarcelará|liberará|soltó|soltaron|conmutó\s+la\s+pena",
        "released",
    ),
    (r"mat[óa]|mataron|matan|asesin[óa]|asesinaron|asesinan|ejecut[óa]|ejecutaron", "killed"),
    (r"hiri[óo]|hirieron", "injured"),
    (
        r"imput[óa]|imputaron|imputan|imputado|acus[óa]\s+formalmente|proces[óa]|procesaron"
        r"|procesado|formaliz[óa]|formalizaron",
        "charged",
    ),
    (
        r"detuvo|detuvieron|detienen|detiene|detenido|arrest[óa]|arrestaron|arrestan|arrestado"
        r"|captur[óa]|capturaron|capturan|capturado|aprehendi[óo]|aprehendieron|aprehendido"
        r"|encarcel[óa]|encarcelaron|encarcelado|apres[óa]|apresaron|apresado",
        "detained",
    ),
)
# An intransitive or passive verb before its subject ("murieron 12 personas", "fueron
# detenidos 19 jóvenes", "resultaron heridos 40 agentes"). Kept apart from
# ``VERB_BEFORE``: their subject is the count, never the one who did it.
PASSIVE_BEFORE: tuple[tuple[str, str], ...] = (
    (
        r"(?:siguen|permanecen|continúan)\s+(?:detenid|pres|encarcelad)[oa]s",
        "still_detained",
    ),
    (
        r"(?:fueron|han\s+sido|resultaron|quedaron)\s+(?:excarcelad|liberad|indultad)[oa]s"
        r"|(?:fueron|han\s+sido|quedaron)\s+(?:puest[oa]s\s+)?en\s+libertad|salieron\s+en\s+libertad"
        r"|recuperaron\s+(?:la|su)\s+libertad",
        "released",
    ),
    (
        r"murieron|fallecieron|han\s+muerto|han\s+fallecido|perdieron\s+la\s+vida|(?:fueron"
        r"|han\s+sido|resultaron)\s+(?:asesinad|muert|ejecutad|abatid)[oa]s",
        "killed",
    ),
    (r"(?:fueron|han\s+sido|resultaron|quedaron)\s+(?:herid|lesionad)[oa]s", "injured"),
    (r"desaparecieron|(?:fueron|han\s+sido)\s+desaparecid[oa]s", "disappeared"),
    (
        r"(?:fueron|han\s+sido)\s+(?:imputad|procesad|acusad|formalizad|judicializad)[oa]s",
        "charged",
    ),
    (
        r"(?:fueron|han\s+sido|resultaron|quedaron)\s+(?:detenid|arrestad|aprehendid|capturad"
        r"|apresad|encarcelad)[oa]s",
        "detained",
    ),
)
# An event noun before the amount: "la liberación de 5.864 presos".
MEASURE_NOMINALS: tuple[tuple[str, str], ...] = (
    (
        r"liberación|liberaciones|excarcelación|excarcelaciones|indulto|indultos|libertad"
        r"(?:\s+(?:bajo\s+fianza|condicional|plena))?|salida",
        "released",
    ),
    (
        r"detención|detenciones|arresto|arrestos|captura|capturas|aprehensión|encarcelamiento"
        r"|encarcelación",
        "detained",
    ),
    (r"muerte|muertes|asesinato|asesinatos|ejecución|ejecuciones|fallecimiento", "killed"),
    (r"desaparición|desapariciones", "disappeared"),
    (r"imputación|procesamiento|acusación", "charged"),
)
# Verbs of a running total written before the amount: "suben a 60 los muertos",
# "elevó a 42 el número de fallecidos", "el número de presos políticos asciende a 1.243".
TOLL_VERBS = (
    r"eleva|elevan|elevó|elevaron|se\s+eleva|se\s+elevó|sube|suben|subió|subieron|asciende"
    r"|ascienden|ascendió|ascendía|aumenta|aumentó|llega|llegan|llegó|alcanza|alcanzan|alcanzó"
    r"|supera|superan|superó|es\s+de|era\s+de|fue\s+de|se\s+sitúa|se\s+situó|se\s+ubica"
    r"|se\s+ubicó|quedó\s+en|queda\s+en|crece|creció|cifra|cifró|cifran|cifraron|sitúa|situó"
    r"|ubica|ubicó|calcula|calculó|estima|estimó|rebasa|rebasó|sobrepasa|sobrepasó"
    r"|actualiza|actualizó|actualizaron|fija|fijó|fijaron|sitúan|situaron|elevaron"
)
# A verb that puts a running total at an amount, written before it: "cifró en 50 los
# heridos", "eleva a 23 la cifra de fallecidos", "actualizó el balance de detenidos a 88".
TOLL_SETTERS = (
    r"cifr\w*|sitú\w*|situ\w*|estim\w*|calcul\w*|ubic\w*|fij[óa]\w*|elev\w*|actualiz\w*"
    r"|aument\w*|subi\w*|sub[ea]n?|reduj\w*|reduc\w*|corrigi\w*|rebaj\w*|dej\w*|llev\w*"
)
TOLL_NOUNS = r"número|cifra|total|balance|saldo|recuento|conteo|registro|lista"

# ---------------------------------------------------------------------------
# Speakers.
ROLES = (
    "directora ejecutiva", "director ejecutivo", "directora general", "director general",
    "director", "directora", "subdirector", "subdirectora", "presidente", "presidenta",
    "vicepresidente", "vicepresidenta", "ministro", "ministra", "viceministro",
    "viceministra", "fiscal general", "fiscal", "portavoz", "vocero", "vocera",
    "coordinador", "coordinadora", "coordinador general", "coordinadora general",
    "secretario general", "secretaria general", "secretario ejecutivo", "secretaria ejecutiva",
    "secretario", "secretaria", "relator especial", "relatora especial", "alto comisionado",
    "alta comisionada", "defensor del pueblo", "defensora del pueblo", "jefe", "jefa",
    "comandante", "gobernador", "gobernadora", "alcalde", "alcaldesa", "abogado", "abogada",
    "fundador", "fundadora", "cofundador", "cofundadora", "representante", "comisionado",
    "comisionada", "investigador", "investigadora", "canciller", "procurador", "procuradora",
    "magistrado", "magistrada", "juez", "jueza", "responsable", "integrante", "miembro",
    "dirigente", "líder", "lideresa", "activista", "jefe de prensa", "encargado", "encargada",
    "consejero", "consejera", "delegado", "delegada", "subsecretario", "subsecretaria",
    "intendente", "prefecto", "prefecta", "comisario", "comisaria", "superintendente",
)  # fmt: skip
ROLE_RE = "|".join(sorted((re.escape(r) for r in ROLES), key=len, reverse=True))
# Roles that speak for the state.
STATE_ROLE_RE = re.compile(
    r"ministr|president|gobernador|alcald|fiscal|canciller|secretari[oa]\s+de\s+(?:Estado"
    r"|Seguridad|Gobierno)|comandante|viceministr|procurador|jefe\s+de\s+(?:la\s+)?policía"
    r"|magistrad|juez|portavoz\s+(?:del\s+gobierno|de\s+la\s+junta|presidencial)",
    re.IGNORECASE,
)
# Known organisations and their kind, by their lower-case name.
KNOWN_ACTORS = {
    "foro penal": "ngo",
    "provea": "ngo",
    "cofavic": "ngo",
    "cristosal": "ngo",
    "temblores": "ngo",
    "indepaz": "ngo",
    "cubalex": "ngo",
    "viasna": "ngo",
    "memorial": "ngo",
    "ovd-info": "ngo",
    "hrana": "ngo",
    "prisoners defenders": "ngo",
    "iran human rights": "ngo",
    "amnistía internacional": "ngo",
    "amnesty international": "ngo",
    "human rights watch": "ngo",
    "justicia y paz": "ngo",
    "acceso a la justicia": "ngo",
    "justicia 11j": "ngo",
    "espacio público": "ngo",
    "cepaz": "ngo",
    "cenidh": "ngo",
    "cels": "ngo",
    "correpi": "ngo",
    "cofadeh": "ngo",
    "hengaw": "ngo",
    "codehupy": "ngo",
    "efe": "media",
    "afp": "media",
    "reuters": "media",
    "europa press": "media",
    "infobae": "media",
    "bbc mundo": "media",
    "efecto cocuyo": "media",
    "el pitazo": "media",
    "kremlin": "state_body",
}
# A ministry named by its portfolio alone, as a subject ("Interior eleva a 194 los
# detenidos", "Sanidad cifra en 50 los heridos"): capitalised and with no article.
MINISTRY_METONYMS = {
    "interior": "Ministerio del Interior",
    "sanidad": "Ministerio de Sanidad",
    "salud": "Ministerio de Salud",
    "defensa": "Ministerio de Defensa",
    "gobernación": "Ministerio de Gobernación",
    "justicia": "Ministerio de Justicia",
    "exteriores": "Ministerio de Asuntos Exteriores",
    "seguridad": "Ministerio de Seguridad",
}
ACRONYMS = {
    "onu": "Naciones Unidas",
    "oea": "Organización de los Estados Americanos",
    "cidh": "Comisión Interamericana de Derechos Humanos",
    "ue": "Unión Europea",
    "acnudh": "Oficina del Alto Comisionado de las Naciones Unidas para los Derechos Humanos",
}
# Keyword -> actor kind, tried in order on the capitalised name (case-sensitive where
# a capital matters: "Gobierno" is a state body, "gobierno" in prose too).
KIND_KEYWORDS: tuple[tuple[str, str], ...] = (
    (
        r"\bNaciones\s+Unidas\b|\bONU\b|\bRelator[a]?\s+Especial|\bAlt[oa]\s+Comisionad[oa]"
        r"|\bACNUDH\b|Consejo\s+de\s+Derechos\s+Humanos|Grupo\s+de\s+Trabajo\s+(?:de\s+(?:las\s+)?"
        r"Naciones|de\s+la\s+ONU|sobre|para\s+la)|Misión\s+"
        r"(?:Internacional\s+)?Independiente|\bUNICEF\b|\bACNUR\b|Comité\s+contra\s+la\s+Tortura",
        "un_mechanism",
    ),
    (
        r"\bOEA\b|Organización\s+de\s+(?:los\s+)?Estados\s+Americanos|Comisión\s+Interamericana"
        r"|\bCIDH\b|Corte\s+Interamericana|Unión\s+Europea|\bUE\b|\bOSCE\b|\bMESENI\b|\bGIEI\b"
        r"|Unión\s+Africana|Consejo\s+de\s+Europa",
        "intergovernmental",
    ),
    (
        r"\b(?:[Pp]olicía|[Ee]jército|Fuerzas?\s+Armadas?|fuerzas\s+armadas|Guardia\s+Nacional"
        r"|Carabineros|fuerzas\s+de\s+(?:seguridad|orden)|fuerza\s+pública|Fuerza\s+Pública"
        r"|Guardia\s+Civil|Guardia\s+Revolucionaria|[Ss]oldados|[Mm]ilitares|SEBIN|DGCIM|FAES"
        r"|ESMAD|[Gg]endarmería|[Ee]scuadrones)\b",
        "security_force",
    ),
    (
        r"\b(?:[Gg]obierno|Ministerio|ministerio|Fiscalía|fiscalía|Defensoría|Defensor\s+del"
        r"\s+Pueblo|Procuraduría|Contraloría|Tribunal|tribunal|Corte\s+Suprema|[Pp]oder\s+"
        r"[Jj]udicial|Asamblea|Congreso|Parlamento|Presidencia|presidencia|Cancillería|régimen"
        r"|[Jj]unta|Kremlin|autoridades|Ejecutivo|Secretaría|Alcaldía|Gobernación|registro\s+"
        r"judicial|servicio\s+de\s+prensa|Servicio\s+Penitenciario|Ministerio\s+Público"
        r"|Instituto\s+Nacional\s+de\s+Derechos\s+Humanos|Comisión\s+Nacional\s+de\s+(?:los\s+)?"
        r"Derechos\s+Humanos|Instituto\s+Nacional\s+Penitenciario|Oficina\s+del|[Cc]omité\s+de"
        r"\s+Investigación|medios\s+oficiales|televisión\s+(?:oficial|estatal)|cifras\s+oficiales"
        r"|datos\s+oficiales|fuentes\s+oficiales)\b",
        "state_body",
    ),
    (
        r"\b(?:familiares|padres|madres|testigos|vecinos|víctimas|sobrevivientes|presos"
        r"|detenidos|excarcelad[oa]s|esposas|hijos|hermanos|allegados)\b",
        "group",
    ),
    (
        r"\b(?:[Dd]iario|[Pp]eriódico|[Aa]gencia\s+de\s+noticias|[Aa]gencia|[Cc]adena|[Rr]adio"
        r"|[Ee]misora|[Pp]ortal|[Mm]edio\s+digital|[Cc]anal|[Ss]emanario|[Rr]evista"
        r"|[Tt]elevisión|[Tt]elevisora)\b",
        "media",
    ),
    (
        r"\b(?:ONG|ONGs|[Oo]rganización|[Oo]rganizaciones|[Ff]undación|[Aa]sociación|[Cc]entro"
        r"|[Cc]omité|[Cc]olectivo|[Cc]oalición|[Rr]ed|[Pp]lataforma|[Mm]ovimiento|[Oo]bservatorio"
        r"|[Ff]oro|[Mm]ecanismo|[Pp]royecto|[Cc]onsejo|[Uu]nión|[Ss]indicato|[Cc]olegio"
        r"|[Ii]nstituto|[Cc]omisión|[Aa]lianza|[Ff]rente|[Gg]rupo|[Ii]niciativa|[Ll]iga"
        r"|Coordinadora|Convergencia|Articulación|Mesa|Vicaría|Colectiva|Cátedra|Clínica"
        r"|Federación|Confederación|Agrupación|Programa)\b",
        "ngo",
    ),
)
# Heads of an unnamed collective ("organizaciones de derechos humanos", "familiares").
COLLECTIVE_HEADS = (
    r"organizaciones|ONG|ONGs|grupos|activistas|abogados|familiares|padres|madres|testigos"
    r"|sobrevivientes|vecinos|expertos|expertas|autoridades|fuentes|defensores|observadores"
    r"|colectivos|medios|diputados|opositores|sindicatos|gremios"
)
TESTIMONY_WORDS = re.compile(
    r"\b(?:familiares|padres|madres|padre|madre|testigos|sobrevivientes|víctimas|presos"
    r"|detenidos|excarcelad[oa]s?|esposas?|esposos?|hijos?|hijas?|hermanos?|hermanas?"
    r"|allegados|vecinos)\b",
    re.IGNORECASE,
)
# "la organización", "la entidad": an actor named before. The head noun picks it
# (the last "Asociación ..." for "la asociación"); generic heads take the last
# institution of any kind.
ANAPHORS = re.compile(
    r"^(?:la|el|dicha|dicho|esta|este|esa|ese)\s+(?P<head>organización|ONG|entidad|organismo"
    r"|asociación|agrupación|institución|grupo|centro|colectivo|fundación|observatorio"
    r"|plataforma|red|coalición|comité|comisión|instituto|mecanismo|defensoría|fiscalía"
    r"|ministerio|cartera|policía|junta|oficina|proyecto|movimiento|foro)$",
    re.IGNORECASE,
)
GENERIC_ANAPHOR_HEADS = {"entidad", "organismo", "institución", "cartera", "oficina"}
# Words an outlet uses to editorialise: never part of an actor's name.
EDITORIAL_WORDS = (
    r"dictador|dictadura|régimen\s+de|tirano|autoproclamad[oa]|supuest[oa]|ilegítim[oa]"
)

# ---------------------------------------------------------------------------
# Reporting verbs (third person, the tenses news prose uses).
REPORT_VERBS = (
    # compound tenses first: "había asegurado", "han precisado"
    r"(?:ha|han|había|habían|habría|habrían)\s+(?:informado|denunciado|indicado|señalado"
    r"|asegurado|contabilizado|registrado|precisado|detallado|afirmado|explicado|reportado"
    r"|dicho|anunciado|documentado|declarado|confirmado|publicado|advertido|reconocido"
    r"|admitido|estimado|calculado|cifrado|elevado|actualizado|verificado|revelado)"
    r"|informó|informa|informaron|informan|ha\s+informado|han\s+informado|denunció|denuncia"
    r"|denunciaron|denuncian|ha\s+denunciado|han\s+denunciado|indicó|indica|indicaron|señaló"
    r"|señala|señalaron|aseguró|asegura|aseguraron|contabilizó|contabiliza|contabilizaron"
    r"|ha\s+contabilizado|han\s+contabilizado|registró|registra|registraron|ha\s+registrado"
    r"|han\s+registrado|precisó|precisa|precisaron|detalló|detalla|detallaron|afirmó|afirma"
    r"|afirmaron|explicó|explica|explicaron|reportó|reporta|reportaron|ha\s+reportado"
    r"|dijo|dice|dijeron|anunció|anuncia|anunciaron|ha\s+anunciado|documentó|documenta"
    r"|documentaron|ha\s+documentado|han\s+documentado|declaró|declara|declararon|confirmó"
    r"|confirma|confirmaron|ha\s+confirmado|publicó|publica|publicaron|advirtió|advierte"
    r"|agregó|añadió|sostuvo|sostiene|manifestó|comunicó|comunica|reveló|revela|estimó|estima"
    r"|calcula|calculó|cifró|cifra|elevó|eleva|elevaron|elevan|actualizó|difundió|divulgó"
    r"|recordó|insistió|subrayó|destacó|alertó|apuntó|expresó|relató|contó|aclaró|agrega"
    r"|añade|expuso|verificó|constató|certificó|tuiteó|escribió|ha\s+verificado"
    r"|situó|sitúa|fijó|fija|actualiza|actualizaron|cifran|cifraron|reportan"
    r"|detallan|precisan|indican|señalan|afirman|aseguran|confirman|difunde|registran"
    r"|reconoció|reconoce|reconocieron|admitió|admite|admitieron"
)
# "según X", "de acuerdo con (cifras de) X".
ACCORDING_RE = re.compile(
    r"(?<![\w])(?:[Ss]egún|[Dd]e\s+acuerdo\s+(?:con|a)|[Cc]onforme\s+a|[Ss]egún\s+lo\s+informado"
    r"\s+por)\s+(?:(?:las?\s+|los\s+|el\s+|un\s+|una\s+)?(?:últim[oa]s?\s+|nuev[oa]s?\s+)?"
    r"(?:cifras|datos|estimaciones|estadísticas|recuentos?|conteos?|registros|balances?"
    r"|informes?|reportes?|comunicados?|documentos?|boletín|boletines|cálculos|fuentes"
    r"|listas?|declaraciones)\s+(?:(?:\w+\s+){0,7}?)(?:de(?:l)?|por)\s+)?"
)
OFFICIAL_FIGURES_RE = re.compile(
    r"(?:cifras|datos|fuentes|estadísticas|registros|balances?)\s+oficiales|el\s+balance\s+oficial",
    re.IGNORECASE,
)
# A release in the organisation's own voice: "nuestros registros", "hemos documentado".
OWN_VOICE_RE = re.compile(
    r"\b(?:[Nn]uestr[oa]s?\s+(?:propi[oa]s\s+)?(?:registros?|datos|cifras|equipos?|organización"
    r"|instancia|verificaciones|base\s+de\s+datos|monitoreo|documentación|conteo|recuento"
    r"|informes?|observatorio|abogad[oa]s|defensor[ea]s|monitor[ea]s|seguimiento|sistema"
    r"|programa|oficina|área|unidad|colectivo|asociación|fundación|comité|centro|red"
    r"|plataforma|coordinadora|coalición|movimiento|investigaciones|estadísticas|fuentes)"
    r"|[Hh]emos\s+(?:podido\s+)?(?:documentado|registrado|contabilizado|verificado|constatado"
    r"|recibido|recogido|identificado|confirmado|denunciado|contado|recibido|atendido"
    r"|acompañado|asistido)|[Rr]egistramos|[Dd]ocumentamos|[Cc]ontabilizamos|[Vv]erificamos"
    r"|[Cc]onstatamos|[Dd]enunciamos|[Cc]onfirmamos|[Tt]enemos\s+(?:registr\w+|constancia"
    r"|conocimiento|documentad[oa]s|contabilizad[oa]s)|[Ll]levamos\s+(?:registrad|contabilizad"
    r"|documentad)[oa]s)\b"
)
SOCIAL_MEDIA_RE = re.compile(
    r"\ben\s+(?:las\s+)?redes\s+sociales\b|\ben\s+(?:su\s+cuenta\s+de\s+|un\s+mensaje\s+en\s+)?"
    r"(?:X|Twitter|Facebook|Telegram|Instagram)\b|\ben\s+un\s+(?:tuit|trino|mensaje\s+publicado"
    r"|video\s+publicado)|\btuite[óa]\b"
)
REPORT_DOC_RE = re.compile(
    r"\b(?:en\s+(?:un|su)\s+(?:nuevo\s+|último\s+)?(?:informe|reporte)|publicó\s+un\s+(?:informe"
    r"|reporte)|según\s+(?:un|el|su)\s+(?:último\s+)?(?:informe|reporte))\b",
    re.IGNORECASE,
)
# "había denunciado", "previamente": an earlier, separate statement.
EARLIER_STATEMENT_RE = re.compile(
    r"\bhabía(?:n)?\s+(?:ya\s+)?(?:\w+ado|\w+ido)\b|\b(?:previamente|anteriormente)\b",
    re.IGNORECASE,
)

# ---------------------------------------------------------------------------
# Stances.
DENY_RE = re.compile(
    r"\b(?:neg[óo]|niega|niegan|negaron|ha\s+negado|han\s+negado|desminti[óo]|desmiente"
    r"|desmienten|desmintieron|rechaz[óo]|rechaza|rechazan|rechazaron"
    r"|descart[óo](?=\s+que)|descarta(?=\s+que)|descartaron(?=\s+que)"
    r"|(?<!\bno\s)es\s+falso(?=\s+que)|no\s+es\s+(?:cierto|verdad)(?=\s+que))\b"
    r"(?!\s+(?:a\s+)?(?:comentar|(?:el\s+)?acceso|la\s+atención|atención|la\s+entrada|la\s+visita"
    r"|visitas|informaci))",
    re.IGNORECASE,
)
# "calificó de campaña de desprestigio", "tachó de falsas", "calificó de mentira".
DISMISS_RE = re.compile(
    r"\b(?:calific[óo]|califica|calificaron|tach[óo]|tacha|tildó|tilda)\s+(?:\w+\s+){0,6}?"
    r"(?:de|como)\s+[«“\"]?(?:una\s+)?(?:campaña|mentira|mentiras|falsas?|falsos?|montaje|show|infundi\w+"
    r"|invent\w+|propaganda|manipulaci\w+|calumni\w+|fake)",
    re.IGNORECASE,
)
# The scope of a denial: the amounts after it are not asserted ("desmintió que los 17
# estudiantes estuvieran desaparecidos", "rechaza la información falsa que circula sobre
# dos fallecidos", "negó que hubiera 5 muertos"). "Rechazó la detención de 40 estudiantes"
# condemns a fact and is no denial of it.
_INFO_NOUNS = (
    r"(?:la\s+|las\s+|los\s+|el\s+|una\s+|unas\s+|esa\s+|esas\s+|esos\s+|dicha\s+|dichas\s+)?"
    r"(?:informaci[óo]n|informaciones|versi[óo]n|versiones|rumor|rumores|noticias?|publicaci[óo]n"
    r"|publicaciones|mensajes?|cifras?|datos|denuncias?|señalamientos|acusaci[óo]n|acusaciones"
    r"|afirmaci[óo]n|afirmaciones|reportes?|informes?|especies|bulos?)"
)
DENIAL_SCOPE_RE = re.compile(
    r"\b(?:(?:neg[óo]|niega|niegan|negaron|ha\s+negado|han\s+negado|descart[óo]|descarta"
    r"|descartan|descartaron|refut[óo]|refuta|rebati[óo]|rebate)\s+(?:rotundamente\s+|"
    r"categóricamente\s+|tajantemente\s+)?"
    # "negó este miércoles ante el Consejo ... que": when and where, then what
    r"(?:(?:este|esta|el|ayer|hoy|ante|en|durante|a|al)\b[^.;\"“«]{0,80}?\s+)?"
    r"(?=que\b|la\s+existencia\b|" + _INFO_NOUNS + r"\b)"
    r"|(?:desminti[óo]|desmiente|desmienten|desmintieron|ha\s+desmentido|han\s+desmentido)\b"
    r"|(?:rechaz[óo]|rechaza|rechazan|rechazaron)\s+(?=(?:que\b|" + _INFO_NOUNS + r"\s+(?:falsa|"
    r"falsas|falsos|falso|infundad|difundid|que\s+circula|sobre|según|de\s+que)))"
    r"|(?:no\s+es\s+(?:cierto|verdad)|es\s+falso|son\s+falsas|son\s+falsos)\s+que\b"
    r"|(?:informaci[óo]n|noticias?|versi[óo]n|versiones|rumores|cifras?|datos)\s+(?:falsa|falsas"
    r"|falsos|infundad[oa]s?|err[óo]ne[oa]s?)\b)",
    re.IGNORECASE,
)
# A new statement after a denial ends its scope: "negó que ..., pero reconoció que 40 ...".
DENIAL_RESET_RE = re.compile(
    r"\b(?:pero|aunque|sin\s+embargo|no\s+obstante|mientras\s+que|en\s+cambio|si\s+bien)\b|;"
    r"|\by\s+(?:(?:sí|en\s+cambio)\s+)?(?:reconoci[óo]|admiti[óo]|asegur[óo]|afirm[óo]|dijo"
    r"|precis[óo]|señal[óo]|confirm[óo]|añadi[óo]|agreg[óo]|explic[óo]|inform[óo]|indic[óo])\b"
    r"|,\s*(?:y\s+)?(?:añadi[óo]|agreg[óo]|precis[óo]|señal[óo]|dijo|afirm[óo]|asegur[óo]"
    r"|indic[óo]|inform[óo]|reconoci[óo]|admiti[óo]|confirm[óo])\s+que\b",
    re.IGNORECASE,
)
ACK_RE = re.compile(
    r"\b(?:reconoci[óo]|reconoce|reconocen|reconocieron|admiti[óo]|admite|admiten|admitieron"
    r"|aceptó)\b",
    re.IGNORECASE,
)
DISPUTE_RE = re.compile(
    r"\b(?:cuestion[óo]|cuestiona|cuestionan|cuestionaron|puso\s+en\s+duda|pone\s+en\s+duda"
    r"|pusieron\s+en\s+duda|ponen\s+en\s+duda|puso\s+en\s+entredicho|impugn[óo]|contradijo"
    r"|rebati[óo]|refut[óo]|se\s+quedan\s+cortas|acus[óo]\s+(?:\w+\s+){0,6}?de\s+(?:mentir"
    r"|inflar|manipular|falsear|exagerar))\b",
    re.IGNORECASE,
)
CORROBORATE_RE = re.compile(
    r"\b(?:corrobor[óo]|corroborad[oa]s?|verificad[oa]s?|certificad[oa]s?|confirmad[oa]s?)\b",
    re.IGNORECASE,
)
# A claim whose complement negates: "aseguró que no hay presos políticos".
NEGATED_CLAIM_RE = re.compile(
    r"\b(?:no\s+hay|no\s+existen|no\s+existe|ningún|ninguna|ninguno|nadie|nunca|jamás"
    r"|no\s+hubo|no\s+se\s+ha\s+registrado|sin\s+pruebas|no\s+(?:ha|han)\s+(?:muerto|sido))\b",
    re.IGNORECASE,
)
BLAME_RE = re.compile(r"\b(?:culp[óo]|culpa|culpan|responsabiliz\w+|atribuy\w+)\b", re.IGNORECASE)

# ---------------------------------------------------------------------------
# Allegations: violations and methods, as the Term codes of the English lexicon.
VIOLATIONS: tuple[tuple[str, str], ...] = (
    (r"\btortur(?:as?|ad[oa]s?|aron|ó|an|ar)\b", "torture"),
    (
        r"\btratos?\s+(?:crueles|inhumanos|degradantes)|\bmaltratos?\b|\bmaltratad[oa]s?\b"
        r"|\bcondiciones\s+(?:inhumanas|infrahumanas|degradantes)|\btratos?\s+degradantes?",
        "cruel_treatment",
    ),
    (
        r"\bviolaci(?:ón|ones)\s+(?!de\s+(?:los\s+)?derechos|a\s+los\s+derechos)|\bviolad[oa]s\b"
        r"|\bviolencia\s+sexual\b|\babusos?\s+sexual(?:es)?\b|\bacoso\s+sexual\b"
        r"|\bagresi(?:ón|ones)\s+sexual(?:es)?\b",
        "sexual_violence",
    ),
    (
        r"\bconfesi(?:ón|ones)\s+(?:forzadas?|bajo\s+coacción|arrancadas?)|\bobligad[oa]s?\s+a"
        r"\s+(?:\w+\s+){0,3}?confesar|\bforzad[oa]s?\s+a\s+(?:\w+\s+){0,3}?confesar"
        r"|\bautoincriminarse",
        "forced_confession",
    ),
    (
        r"\b(?:cargos|delitos|acusaciones|imputaciones)\s+(?:\w+\s+)?(?:fabricad[oa]s|falsos"
        r"|falsas|infundad[oa]s|inventad[oa]s|amañad[oa]s)|\bmotivaci(?:ón|ones)\s+polític"
        r"|\bmotivad[oa]s?\s+polític|\bpor\s+motivos\s+políticos\b",
        "fabricated_charges",
    ),
    (
        r"\bdesaparici(?:ón|ones)\s+forzadas?|\bdesaparecid[oa]s?\s+forzosamente"
        r"|\bparadero\s+(?:se\s+)?desconoc\w+|\bparadero\s+(?:sigue\s+|continúa\s+)?desconocido",
        "enforced_disappearance",
    ),
    (
        r"\bejecuci(?:ón|ones)\s+extrajudicial(?:es)?|\bejecutad[oa]s?\s+extrajudicialmente"
        r"|\bejecuciones\s+sumarias",
        "extrajudicial_killing",
    ),
    (
        r"\bincomunicad[oa]s?\b|\bincomunicación\b|\bsin\s+(?:acceso\s+a\s+|poder\s+ver\s+a\s+)?"
        r"(?:sus\s+)?(?:abogados?|defensa|familiares)\b|\bsin\s+contacto\s+con\s+(?:sus\s+)?"
        r"(?:familiares|abogados)",
        "incommunicado_detention",
    ),
    (
        r"\bsin\s+(?:un\s+)?juicio\b|\bjuicios?\s+(?:a\s+puerta\s+cerrada|sumarios?|exprés"
        r"|express|amañados?)|\bsin\s+(?:el\s+)?debido\s+proceso\b|\bsin\s+orden\s+judicial\b"
        r"|\bsin\s+ser\s+presentad[oa]s?\s+ante\s+un\s+juez",
        "denial_of_due_process",
    ),
    (r"\bamenaz(?:as?|ad[oa]s?|aron|ó)\b|\bintimidaci(?:ón|ones)\b|\bhostigamiento", "threats"),
    (
        r"\bdetenci(?:ón|ones)\s+arbitraria|\bdetenid[oa]s?\s+(?:arbitraria|injusta|ilegal)mente"
        r"|\barbitrariamente\s+detenid|\bprivaci(?:ón|ones)\s+arbitraria|\barrestos?\s+"
        r"arbitrarios?|\bdetenci(?:ón|ones)\s+ilegal(?:es)?",
        "arbitrary_detention",
    ),
)
METHODS: tuple[tuple[str, str], ...] = (
    (
        r"\bgolpizas?\b|\bgolpead[oa]s?\b|\bgolpes\b|\bpalizas?\b|\bapalead[oa]s?\b"
        r"|\bpatad[oa]s\b|\bculatazos\b|\bgolpearon\b",
        "beating",
    ),
    (
        r"\basfixi\w+|\bbolsas?\s+(?:plásticas?\s+|de\s+plástico\s+)?en\s+la\s+cabeza|\bahog\w+",
        "suffocation",
    ),
    (
        r"\bdescargas?\s+eléctricas?|\bchoques?\s+eléctricos?|\belectrocu\w+|\bpicanas?\b",
        "electric_shock",
    ),
    (
        r"\bdesnudez\s+forzada|\bdesnud(?:ad[oa]s?|arse|arlos|arlas)\b|\bobligad[oa]s?\s+a\s+"
        r"desnudarse",
        "forced_nudity",
    ),
    (r"\btocamientos?\b|\bmanoseos?\b|\bmanosead[oa]s?\b", "sexual_touching"),
    (
        r"\bconfesi(?:ón|ones)\s+(?:grabadas?|filmadas?|televisadas?|en\s+video)|\bgrabar\s+"
        r"(?:\w+\s+){0,3}?(?:videos?\s+)?confesi|\bvideos?\s+(?:de\s+)?confesi",
        "recorded_confession",
    ),
    (
        r"\baislamiento\b(?!\s+social)|\bceldas?\s+de\s+castigo\b|\bregimen\s+de\s+aislamiento"
        r"|\bconfinamiento\s+solitario",
        "isolation",
    ),
    (
        r"\bamenazas?\s+(?:a|contra)\s+(?:sus\s+)?(?:familiares|familias|hijos|parientes|seres"
        r"\s+queridos)|\bamenaz\w+\s+con\s+(?:dañar|detener|hacer\s+daño)\s+a\s+(?:sus\s+)?"
        r"(?:familiares|familias|hijos)",
        "threats_to_family",
    ),
    (
        r"\bnegaci(?:ón|ones)\s+de\s+(?:la\s+)?atención\s+médica|\bsin\s+atención\s+médica"
        r"|\bfalta\s+de\s+atención\s+médica|\bprivaci(?:ón|ones)\s+de\s+(?:la\s+)?atención"
        r"\s+médica|\b(?:negaron|niegan|negó|niega|negaban)\s+(?:la\s+)?atención\s+médica"
        r"|\bsin\s+(?:acceso\s+a\s+)?(?:tratamiento|medicamentos|atención\s+de\s+salud)",
        "denial_of_medical_care",
    ),
    (r"\bsimulacros?\s+de\s+(?:ejecución|fusilamiento)", "mock_execution"),
)
VIOLATION_LABELS = {
    "arbitrary_detention": "Detención arbitraria",
    "torture": "Tortura",
    "cruel_treatment": "Tratos crueles, inhumanos o degradantes",
    "sexual_violence": "Violencia sexual",
    "forced_confession": "Confesión forzada",
    "fabricated_charges": "Cargos fabricados o con motivación política",
    "enforced_disappearance": "Desaparición forzada",
    "extrajudicial_killing": "Ejecución extrajudicial",
    "incommunicado_detention": "Detención en régimen de incomunicación",
    "denial_of_due_process": "Denegación del debido proceso",
    "threats": "Amenazas",
}
METHOD_LABELS = {
    "beating": "golpizas",
    "suffocation": "asfixia",
    "electric_shock": "descargas eléctricas",
    "forced_nudity": "desnudez forzada",
    "sexual_touching": "tocamientos",
    "recorded_confession": "confesiones grabadas",
    "isolation": "aislamiento",
    "threats_to_family": "amenazas a familiares",
    "denial_of_medical_care": "negación de atención médica",
    "mock_execution": "simulacros de ejecución",
}
# Charges: "acusados de terrorismo", "imputados por traición a la patria".
CHARGE_RE = re.compile(
    r"\b(?:acusad[oa]s?|imputad[oa]s?|procesad[oa]s?|condenad[oa]s?|señalad[oa]s?|investigad[oa]s?"
    r"|detenid[oa]s?|arrestad[oa]s?)\s+(?:formalmente\s+)?(?:de\s+(?:los\s+)?(?:delitos?\s+de\s+)?"
    r"|por\s+(?:los\s+)?(?:delitos?\s+de\s+)?)(?:presunt[oa]\s+|supuest[oa]\s+)?[«“\"]?"
    r"(?P<charge>(?:terrorismo|traición|conspiración|incitación|instigación|asociación|sedición"
    r"|rebelión|subversión|desórdenes|odio|financiamiento|extremismo|vandalismo|sabotaje"
    r"|espionaje|propagación|difusión|resistencia|obstrucción|magnicidio|golpe|actos\s+"
    r"(?:terroristas|vandálicos)|delitos?|menoscabo|atentado|organizar|participar)[^,.;»”\"]*)",
    re.IGNORECASE,
)
DOUBT_RE = re.compile(
    r"\b(?:injust\w+|arbitrari\w+|motivaci(?:ón|ones)\s+polític\w+|por\s+motivos\s+políticos"
    r"|fabricad[oa]s|infundad[oa]s|falsos|falsas|amañad[oa]s)\b|\b(?:no|sin|ninguna)\b"
    r"[^.]{0,40}?\b(?:pruebas?|evidencias?)\b",
    re.IGNORECASE,
)
NO_PROOF_RE = re.compile(r"\b(?:no|sin|ninguna)\b[^.]{0,40}?\b(?:pruebas?|evidencias?)\b", re.I)

# ---------------------------------------------------------------------------
# Incidents.
CRACKDOWN_RE = re.compile(
    r"\brepresi(?:ón|ones)\b|\bpersecuci(?:ón|ones)\b|\bola\s+(?:represiva|de\s+(?:detenciones"
    r"|arrestos|represión|capturas))|\bredadas?\s+masivas?|\bcacería\b|\bpurgas?\b"
    r"|\bofensiva\s+contra\s+(?:la\s+oposición|opositores|disidentes|la\s+prensa)",
    re.IGNORECASE,
)
ELECTION_RE = re.compile(
    r"\bpost-?electoral\b|\bposelectoral\b|\b(?:tras|después\s+de|desde|a\s+raíz\s+de)\s+"
    r"(?:[^.]{0,60}?)\b(?:elecci(?:ón|ones)|comicios|votación|presidenciales)\b",
    re.IGNORECASE,
)
ELECTION_EVENT_RE = re.compile(r"elecci|comicios|votación|presidenciales|referéndum", re.I)
# State perpetrators: "el régimen de Maduro", "la junta militar", "el Gobierno de Ortega".
STATE_PERPETRATOR_RE = re.compile(
    r"\b(?:el\s+|la\s+)?(?P<name>(?:[Rr]égimen|[Gg]obierno|[Jj]unta\s+[Mm]ilitar|[Dd]ictadura)"
    rf"\s+(?:de\s+|del\s+)(?:[{UPPER}][\w-]+)(?:\s+(?:y\s+)?[{UPPER}][\w-]+)?)"
)
GENERIC_PERPETRATOR_RE = re.compile(
    r"\b(?:las?\s+|los\s+|el\s+)?(?P<name>fuerzas\s+de\s+seguridad|fuerzas\s+del\s+orden"
    r"|fuerza\s+pública|policía|ejército|militares|junta\s+militar|junta|autoridades"
    r"|carabineros|guardia\s+nacional|gobierno|régimen)\b",
    re.IGNORECASE,
)
# Words of death and counting for the target of a stance.
KILL_WORDS_RE = re.compile(
    r"\b(?:muertes?|muert[oa]s|fallecid[oa]s|fallecimientos?|asesinatos?|asesinad[oa]s"
    r"|ejecuciones|víctimas\s+mortales|disparar|disparado|disparos)\b",
    re.IGNORECASE,
)
COUNT_WORDS_RE = re.compile(
    r"\b(?:cifras?|datos|número|números|balance|recuento|estadísticas|conteo|informe|lista)\b",
    re.IGNORECASE,
)
