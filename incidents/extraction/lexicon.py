"""Word lists the extractor matches: places, populations, actors, verbs, violations.

Everything here is plain data plus small lookup helpers, so the vocabulary can be
reviewed (and extended) without reading the extraction logic. Patterns are
regular-expression fragments matched case-insensitively unless noted.
"""

from __future__ import annotations

import re

from incidents.extraction import rx

# Country name, ISO 3166-1 alpha-2, demonyms (singular; plurals add "s" unless listed).
_COUNTRIES = (
    ("Venezuela", "VE", ("Venezuelan",)),
    ("United States", "US", ("American", "U.S.", "US")),
    ("Colombia", "CO", ("Colombian",)),
    ("Nicaragua", "NI", ("Nicaraguan",)),
    ("Belarus", "BY", ("Belarusian", "Belarussian")),
    ("Iran", "IR", ("Iranian",)),
    ("Myanmar", "MM", ("Burmese", "Myanmar")),
    ("Burma", "MM", ()),
    ("Cuba", "CU", ("Cuban",)),
    ("Russia", "RU", ("Russian",)),
    ("Ukraine", "UA", ("Ukrainian",)),
    ("China", "CN", ("Chinese",)),
    ("Spain", "ES", ("Spanish", "Spaniard")),
    ("United Kingdom", "GB", ("British", "Briton")),
    ("France", "FR", ("French",)),
    ("Germany", "DE", ("German",)),
    ("Italy", "IT", ("Italian",)),
    ("Portugal", "PT", ("Portuguese",)),
    ("Netherlands", "NL", ("Dutch",)),
    ("Poland", "PL", ("Polish", "Pole")),
    ("Lithuania", "LT", ("Lithuanian",)),
    ("Latvia", "LV", ("Latvian",)),
    ("Canada", "CA", ("Canadian",)),
    ("Mexico", "MX", ("Mexican",)),
    ("Brazil", "BR", ("Brazilian",)),
    ("Argentina", "AR", ("Argentine", "Argentinian")),
    ("Chile", "CL", ("Chilean",)),
    ("Peru", "PE", ("Peruvian",)),
    ("Ecuador", "EC", ("Ecuadorian",)),
    ("Bolivia", "BO", ("Bolivian",)),
    ("Uruguay", "UY", ("Uruguayan",)),
    ("Paraguay", "PY", ("Paraguayan",)),
    ("Guatemala", "GT", ("Guatemalan",)),
    ("Honduras", "HN", ("Honduran",)),
    ("El Salvador", "SV", ("Salvadoran", "Salvadorian")),
    ("Costa Rica", "CR", ("Costa Rican",)),
    ("Panama", "PA", ("Panamanian",)),
    ("Haiti", "HT", ("Haitian",)),
    ("Dominican Republic", "DO", ("Dominican",)),
    ("Turkey", "TR", ("Turkish", "Turk")),
    ("Egypt", "EG", ("Egyptian",)),
    ("Syria", "SY", ("Syrian",)),
    ("Iraq", "IQ", ("Iraqi",)),
    ("Afghanistan", "AF", ("Afghan",)),
    ("Pakistan", "PK", ("Pakistani",)),
    ("India", "IN", ("Indian",)),
    ("Bangladesh", "BD", ("Bangladeshi",)),
    ("Sri Lanka", "LK", ("Sri Lankan",)),
    ("Thailand", "TH", ("Thai",)),
    ("Cambodia", "KH", ("Cambodian",)),
    ("Vietnam", "VN", ("Vietnamese",)),
    ("Philippines", "PH", ("Filipino",)),
    ("Ethiopia", "ET", ("Ethiopian",)),
    ("Sudan", "SD", ("Sudanese",)),
    ("Uganda", "UG", ("Ugandan",)),
    ("Kenya", "KE", ("Kenyan",)),
    ("Zimbabwe", "ZW", ("Zimbabwean",)),
    ("Georgia", "GE", ("Georgian",)),
    ("Azerbaijan", "AZ", ("Azerbaijani",)),
    ("Kazakhstan", "KZ", ("Kazakh",)),
    ("Uzbekistan", "UZ", ("Uzbek",)),
    ("Tajikistan", "TJ", ("Tajik",)),
    ("Saudi Arabia", "SA", ("Saudi",)),
    ("Israel", "IL", ("Israeli",)),
    ("Lebanon", "LB", ("Lebanese",)),
    ("Sweden", "SE", ("Swedish", "Swede")),
    ("Switzerland", "CH", ("Swiss",)),
    ("Austria", "AT", ("Austrian",)),
    ("Belgium", "BE", ("Belgian",)),
    ("Ireland", "IE", ("Irish",)),
    ("Australia", "AU", ("Australian",)),
    ("Japan", "JP", ("Japanese",)),
    ("Hong Kong", "HK", ()),
)
# Demonyms whose plural is the same word.
_INVARIANT = {
    "Chinese",
    "Burmese",
    "Vietnamese",
    "Japanese",
    "Portuguese",
    "Swiss",
    "Lebanese",
    "Sudanese",
    "French",
    "British",
    "Dutch",
    "Irish",
    "Spanish",
    "Thai",
}

COUNTRY_NAMES: dict[str, str] = {name: iso for name, iso, _ in _COUNTRIES}
ISO_TO_NAME: dict[str, str] = {}
for _name, _iso, _ in _COUNTRIES:
    ISO_TO_NAME.setdefault(_iso, _name)
DEMONYMS: dict[str, str] = {}
for _name, _iso, _dems in _COUNTRIES:
    for _dem in _dems:
        DEMONYMS[_dem] = _iso
        if _dem not in _INVARIANT and not _dem.endswith("."):
            DEMONYMS[_dem + "s"] = _iso
DEMONYMS.pop("USs", None)
# Demonyms in their adjective/singular form for labels ("American nationals").
DEMONYM_ADJECTIVE: dict[str, str] = {}
for _name, _iso, _dems in _COUNTRIES:
    for _dem in _dems:
        if _dem[0].isalpha() and not _dem.isupper() and _iso not in DEMONYM_ADJECTIVE:
            DEMONYM_ADJECTIVE[_iso] = _dem

_DEMONYM_ALT = "|".join(sorted((re.escape(d) for d in DEMONYMS), key=len, reverse=True))
DEMONYM_RE = re.compile(rf"(?<![\w.])(?:{_DEMONYM_ALT})(?![\w])")
_COUNTRY_ALT = "|".join(sorted((re.escape(c) for c in COUNTRY_NAMES), key=len, reverse=True))
COUNTRY_RE = re.compile(rf"\b(?:{_COUNTRY_ALT})\b")


def country_mentions(text: str) -> list[str]:
    """ISO codes of every country name or demonym in ``text``, in order."""
    codes = []
    for m in rx.finditer(rf"{COUNTRY_RE.pattern}|{DEMONYM_RE.pattern}", text):
        word = m.group(0)
        codes.append(COUNTRY_NAMES.get(word) or DEMONYMS[word])
    return codes


# ---------------------------------------------------------------------------
# Populations: what a number counts. Each entry: (regex, category, attributes).
# Categories decide which mentions are the same population; the extractor builds
# the label ("minors aged 14-17") from the category and the ages it found.
POPULATIONS: tuple[tuple[str, str, dict], ...] = (
    # Before "women" and "children": the pair is one mixed population.
    (r"women\s+and\s+children", "women and children", {}),
    (
        r"school-aged\s+children|schoolchildren|minors|children|juveniles|teenagers|adolescents"
        r"|teens|boys|girls|kids|students\s+under\s+18",
        "minors",
        {"age_max": 17},
    ),
    (r"adults", "adults", {"age_min": 18}),
    (r"political\s+prisoners", "political prisoners", {}),
    (
        r"foreign\s+(?:nationals|citizens)|foreigners",
        "foreign nationals",
        {"citizenship": "foreign"},
    ),
    (r"dual\s+(?:citizens|nationals)", "dual citizens", {"citizenship": "dual"}),
    (
        r"journalists|media\s+workers|reporters|photojournalists|press\s+photographers",
        "journalists",
        {},
    ),
    (r"protesters|protestors|demonstrators|marchers", "protesters", {}),
    (r"mourners", "mourners", {}),
    (r"(?:university\s+)?students", "students", {}),
    (
        r"(?:opposition|political)\s+(?:activists|members|supporters|figures|politicians|leaders)"
        r"|opponents|dissidents",
        "opposition members",
        {},
    ),
    (r"(?:human\s+rights\s+|rights\s+)?(?:activists|defenders)", "activists", {}),
    (r"lawyers|attorneys", "lawyers", {}),
    (r"women", "women", {"sex": "female", "age_min": 18}),
    # "armed men", "masked men" are assailants, not a population counted as victims.
    (
        r"(?<!armed\s)(?<!masked\s)(?<!hooded\s)(?<!unidentified\s)(?:young\s+)?men",
        "men",
        {"sex": "male", "age_min": 18},
    ),
    (r"monks|priests|clergy(?:men)?|nuns", "clergy", {}),
    (
        r"indigenous\s+(?:people|peoples|persons|community\s+members|residents)",
        "indigenous people",
        {},
    ),
    # Before the military's "officers": police are not soldiers.
    (
        r"police\s+(?:officers|officials|agents|personnel|members)|policemen|policewomen"
        r"|members\s+of\s+the\s+(?:national\s+)?police(?:\s+force)?|law\s+enforcement\s+officers"
        r"|carabineros",
        "police officers",
        {},
    ),
    (
        r"members\s+of\s+the\s+security\s+forces|security\s+(?:forces\s+)?personnel",
        "security forces",
        {},
    ),
    (
        r"soldiers|troops|servicemen|officers|military\s+personnel|army\s+personnel"
        r"|members\s+of\s+the\s+(?:armed|special|military)\s+forces|special\s+forces\s+officers",
        "military personnel",
        {"affiliation": "military"},
    ),
    (
        r"civilians|members\s+of\s+the\s+public|bystanders|passers-by",
        "civilians",
        {"affiliation": "civilian"},
    ),
    (r"lawmakers|legislators|parliamentarians|members\s+of\s+parliament", "lawmakers", {}),
    (r"health\s+workers|medics|doctors|nurses|paramedics", "health workers", {}),
    (r"migrants|refugees|asylum\s+seekers", "migrants", {}),
    (r"workers|union\s+members|trade\s+unionists", "workers", {}),
)
# Nouns that count people without saying who they are: a figure, but no group.
GENERIC_PEOPLE = (
    r"people|persons|individuals|detainees|prisoners|others|citizens|residents|suspects"
    r"|inmates|members|youths"
)
# Words after a number that are themselves the measure ("27 dead").
MEASURE_NOUNS = {
    "dead": "killed",
    "killed": "killed",
    "deaths": "killed",
    "fatalities": "killed",
    "detained": "detained",
    "arrested": "detained",
    "arrests": "detained",
    "detentions": "detained",
    "injured": "injured",
    "wounded": "injured",
    "missing": "disappeared",
    "disappeared": "disappeared",
    "released": "released",
    "captured": "detained",
    "killings": "killed",
    "murders": "killed",
    "executions": "killed",
    "injuries": "injured",
    "wounds": "injured",
    "abductions": "disappeared",
    "disappearances": "disappeared",
}
# Phrases that name both the people and the measure, read before populations so the
# noun inside them is not taken alone: "507 persons deprived of liberty", "32 cases of
# enforced disappearance".
MEASURE_PHRASES: tuple[tuple[str, str], ...] = (
    (
        r"(?:persons|people|individuals)\s+(?:who\s+(?:are|remain)\s+)?deprived\s+of\s+"
        r"(?:their\s+)?liberty",
        "still_detained",
    ),
    (r"cases\s+of\s+(?:enforced\s+|forced\s+|involuntary\s+)?disappearances?", "disappeared"),
    (
        r"cases\s+of\s+(?:arbitrary\s+|illegal\s+|unlawful\s+)?(?:detentions?|arrests?)",
        "detained",
    ),
    (
        r"cases\s+of\s+(?:extrajudicial\s+|arbitrary\s+)?(?:killings?|executions?)",
        "killed",
    ),
)

# ---------------------------------------------------------------------------
# Measures from verbs. Order matters: "remain detained" must win over "detained".
ADVERBS = r"(?:\s+(?:unjustly|arbitrarily|illegally|unlawfully|wrongfully|still|reportedly|allegedly|also|now|being))*"  # noqa: E501
MEASURE_PATTERNS: tuple[tuple[str, str], ...] = (
    (
        r"\b(?:remain(?:s|ed|ing)?|still|continue(?:s|d)?\s+to\s+be|are\s+still|were\s+still)"
        + ADVERBS
        + r"\s*(?:detained|imprisoned|jailed|held|incarcerated|in\s+(?:prison|jail|custody"
        r"|detention)|behind\s+bars|political\s+prisoners)\b"
        # "were still in Bellevue Remand Prison": still inside a prison named by its name.
        r"|\bstill\s+(?:being\s+held\s+)?(?:in|at)\s+(?:the\s+)?(?:[\w'-]+\s+){1,4}?"
        r"(?:prison|jail|gaol|penitentiary|(?:detention|remand)\s+(?:centre|center|facility))\b"
        # "are being held incommunicado", "are now in custody": held at the time of writing.
        r"|\b(?:are|is)\s+(?:now\s+|currently\s+)?(?:being\s+)?(?:held|detained|imprisoned"
        r"|jailed|incarcerated)\b|\b(?:are|is)\s+(?:now\s+|currently\s+)?in\s+(?:prison|jail"
        r"|custody|detention|the\s+cells)\b",
        "still_detained",
    ),
    (r"\b(?:released|freed|set\s+free|pardoned|let\s+go|granted\s+release)\b", "released"),
    (
        r"\b(?:killed|dead|died|murdered|shot\s+dead|lost\s+their\s+lives|executed|deaths)\b",
        "killed",
    ),
    (
        r"\b(?:injured|wounded|hurt|hospitali[sz]ed|(?:needed|required|received)\s+hospital"
        r"\s+(?:treatment|care)|treated\s+in\s+hospital)\b",
        "injured",
    ),
    (r"\b(?:forcibly\s+disappeared|disappeared|missing|unaccounted\s+for)\b", "disappeared"),
    # "have been sentenced", not "people convicted of X were released" (a description).
    (
        r"\b(?:charged|indicted|prosecuted)\b|\b(?:were|was|been|are|is)\s+(?:later\s+)?"
        r"(?:sentenced|convicted)\b",
        "charged",
    ),
    (
        r"\b(?:detained|arrested|imprisoned|jailed|held|rounded\s+up|taken\s+into\s+custody"
        r"|incarcerated|behind\s+bars|apprehended|captured)\b"
        r"|\b(?:were|was)\s+(?:all\s+|already\s+)?in\s+(?:the\s+)?(?:cells|custody|detention)\b",
        "detained",
    ),
)
# Verbs that give a measure only right before the amount ("sentenced 154 of them"):
# after a noun they usually describe it ("people convicted of X were released").
MEASURE_VERBS_BEFORE: tuple[tuple[str, str], ...] = ((r"sentenced|convicted", "charged"),)
# An event noun before the number: "the release of a group of 223".
MEASURE_NOMINALS = (
    (r"releases?|freeing", "released"),
    (r"arrests?|detentions?|imprisonment", "detained"),
    (r"deaths|killings?", "killed"),
    (r"disappearances?", "disappeared"),
)
# Arbitrariness markers right before a detention verb make an arbitrary_detention claim.
ARBITRARY_ADVERB = r"unjustly|arbitrarily|illegally|unlawfully|wrongfully|without\s+charge"

# ---------------------------------------------------------------------------
# Actors.
ROLES = (
    "secretary general",
    "secretary-general",
    "executive director",
    "director",
    "president",
    "vice president",
    "interior minister",
    "foreign minister",
    "justice minister",
    "defense minister",
    "defence minister",
    "minister of the interior",
    "minister",
    "attorney general",
    "prosecutor general",
    "chief prosecutor",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "chairman",
    "chairwoman",
    "chair",
    "head",
    "founder",
    "coordinator",
    "special rapporteur",
    "high commissioner",
    "ombudsman",
    "police chief",
    "commander",
    "governor",
    "mayor",
    "lawyer",
    "deputy director",
    "general secretary",
)
ROLE_RE = "|".join(sorted((re.escape(r) for r in ROLES), key=len, reverse=True))

# Names of organisations the articles of this genre cite often; kind when no
# descriptor says it ("nongovernment organization Foro Penal").
KNOWN_ACTORS = {
    "foro penal": "ngo",
    "amnesty international": "ngo",
    "human rights watch": "ngo",
    "viasna": "ngo",
    "provea": "ngo",
    "memorial": "ngo",
    "ovd-info": "ngo",
    "hrana": "ngo",
    "front line defenders": "ngo",
    "reporters without borders": "ngo",
    "committee to protect journalists": "ngo",
    "reuters": "media",
    "associated press": "media",
    "agence france-presse": "media",
    "afp": "media",
    "ap": "media",
    "bbc": "media",
}
ACRONYMS = {"oas": "Organization of American States", "un": "United Nations"}

KIND_KEYWORDS: tuple[tuple[str, str], ...] = (
    # A junta or ministry is a state body even when "military" is in its name.
    (r"\b(?:junta|regime|government|[Mm]inistry|Attorney\s+General)\b", "state_body"),
    (
        r"\bUnited\s+Nations\b|\bU\.N\.|\bUN\b|\bSpecial\s+Rapporteur|\bOHCHR\b"
        r"|High\s+Commissioner\s+for\s+Human\s+Rights|Human\s+Rights\s+Council"
        r"|Working\s+Group\s+on|Fact-Finding\s+Mission",
        "un_mechanism",
    ),
    (
        r"Organization\s+of\s+American\s+States|\bOAS\b|European\s+Union|\bEU\b|\bOSCE\b"
        r"|African\s+Union|\bASEAN\b|Council\s+of\s+Europe|Inter-American\s+Commission"
        r"|Inter-American\s+Court",
        "intergovernmental",
    ),
    (
        r"\b(?:police|army|military|security\s+forces|armed\s+forces|National\s+Guard|soldiers"
        r"|troops|Revolutionary\s+Guards?|intelligence\s+(?:service|agency)|riot\s+police)\b",
        "security_force",
    ),
    (
        r"\b(?:parents|relatives|families|family\s+members|mothers|fathers|wives|husbands"
        r"|witnesses|survivors|detainees|former\s+detainees|residents)\b",
        "group",
    ),
    (r"\b(?:newspaper|news\s+agency|outlet|broadcaster|television|radio|magazine)\b", "media"),
    (
        r"\b(?:nongovernment(?:al)?|non-government(?:al)?|NGOs?|rights\s+groups?|watchdog"
        r"|organi[sz]ations?|foundation|association|committee|center|centre|coalition|network"
        r"|observatory|collective|colectivo|movement)\b",
        "ngo",
    ),
    (
        r"\b(?:regime|government|officials|authorities|ministry|Ministry|Office|office"
        r"|prosecutor|Prosecutor|court|Court|judiciary|junta|Attorney\s+General|parliament"
        r"|National\s+Assembly|presidency|administration|Interior\s+Ministry|Investigative"
        r"\s+Committee|state\s+media|spokesperson)\b",
        "state_body",
    ),
)
# Heads of an unnamed collective ("local nongovernment organizations", "rights groups").
COLLECTIVE_HEADS = (
    r"organi[sz]ations|groups|activists|lawyers|parents|relatives|families|mothers|witnesses"
    r"|survivors|residents|detainees|NGOs|experts|officials|authorities|monitors|junta"
    r"|government|regime|ministry|police|army|military|security\s+forces"
)
# Issuers whose statements are testimony rather than institutional statements.
TESTIMONY_WORDS = re.compile(
    r"\b(?:parents|relatives|families|family|mothers|fathers|witnesses|survivors|detainees"
    r"|former\s+detainees|victims|wives|husbands)\b",
    re.IGNORECASE,
)
# Words an outlet uses to editorialise: never part of an actor's name or role.
EDITORIAL_WORDS = (
    r"socialist|communist|dictator|dictatorship|tyrant|despot|fraudulent|highly|long-suspected"
    r"|drug\s+lord|brutal|illegitimate|so-called|notorious|ruthless|strongman"
)
PRONOUNS = {"he", "she", "they", "it"}
# "the organization said": the organisation last quoted.
ORG_ANAPHORS = {"the organization", "the organisation", "the group", "the centre", "the center"}

# ---------------------------------------------------------------------------
# Reporting and stance verbs.
REPORT_VERBS = (
    r"announced|announces|informed|informs|documented|documents|said|says|reported|reports"
    r"|stated|states|claimed|claims|told|confirmed|estimated|estimates|denounced|denounce"
    r"|noted|added|stressed|warned|recorded|counted|registered|published|wrote|declared"
    r"|alleged|insisted|maintained|spoke|explained|revealed|tallied|posted|tweeted|welcomed"
    r"|celebrated|condemned|criticized|criticised|urged"
)
# "denied that ...", "denied the reports"; not "denied medical care" (a method).
DENY_RE = re.compile(
    r"\b(?:denied|denies|deny|denying|rejected|rejects|dismissed|dismisses)\s+(?:that\b|the\s+"
    r"(?:reports?|allegations?|claims?|accusations?|figures?|accounts?)\b|(?:any|all)\s+"
    r"(?:involvement|responsibility|wrongdoing|allegations?|reports?)\b|(?:reports?|allegations?"
    r"|claims?|accusations?)\b|(?:any|that\s+any)\b)",
    re.IGNORECASE,
)
ACK_RE = re.compile(
    r"\b(?:acknowledged|acknowledges|admitted|admits|conceded|concedes|recognised|recognized)\b",
    re.IGNORECASE,
)
DISPUTE_RE = re.compile(
    r"(?<!\bthe\s)(?<!\ba\s)(?<!\ban\s)\b(?:called\s+into\s+question|calls\s+into\s+question|disputed|disputes|questioned"
    r"|contested|contests|challenged|cast\s+doubt\s+on)\b"
    r"|\baccus\w+\b[^.]{0,60}?\bof\s+[“\"]?(?:lying|inflating|falsifying|manipulating)",
    re.IGNORECASE,
)
CORROBORATE_RE = re.compile(
    r"\b(?:certified|corroborated|verified|endorsed|confirmed)\b", re.IGNORECASE
)
NEGATED_CLAIM_RE = re.compile(
    r"\b(?:none\s+of|not\s+a\s+single|no\s+one|nobody|never|no\s+evidence|no\s+proof"
    r"|no\s+deaths?|no\s+political\s+prisoners)\b",
    re.IGNORECASE,
)
BLAME_RE = re.compile(r"\bblam(?:ed|es|ing)\b", re.IGNORECASE)
SOCIAL_MEDIA_RE = re.compile(
    r"\bon\s+(?:social\s+media|Twitter|X|Facebook|Telegram|Instagram)\b|\bin\s+a\s+(?:post|tweet)"
    r"|\btweet(?:ed)?\b"
)
REPORT_DOC_RE = re.compile(r"\b(?:in|published)\s+a\s+(?:new\s+)?report\b", re.IGNORECASE)

# ---------------------------------------------------------------------------
# Allegations: violation triggers and method triggers, mapped to Term codes.
VIOLATIONS: tuple[tuple[str, str], ...] = (
    (r"\btortur(?:e|ed|ing)\b", "torture"),
    (
        r"\b(?:cruel|inhuman|inhumane|degrading)\s+(?:\w+\s+){0,2}?treatment\b|\bill-treat\w*"
        r"|\bmistreat\w*|\binhumane\s+conditions\b",
        "cruel_treatment",
    ),
    (
        r"\brap(?:e|ed)\b|\bsexual(?:ly)?\s+(?:abuse\w*|assault\w*|violence|harass\w*)",
        "sexual_violence",
    ),
    (
        r"\bforced\s+(?:to|into)\s+(?:\w+\s+){0,4}?[“\"]?confess\w*|\bcoerced\s+confessions?"
        r"|\bforced\s+confessions?|\bextracted\s+confessions?",
        "forced_confession",
    ),
    (
        r"\b(?:trumped-up|fabricated|bogus|spurious|politically\s+motivated|baseless|false)"
        r"\s+(?:criminal\s+)?charges\b",
        "fabricated_charges",
    ),
    (
        r"\benforced\s+disappearances?\b|\bforcibly\s+disappeared\b|\bwhereabouts\s+"
        r"(?:remain\s+)?unknown\b",
        "enforced_disappearance",
    ),
    (r"\bextrajudicial(?:ly)?\b|\bsummar(?:y|ily)\s+execut\w+", "extrajudicial_killing"),
    (
        r"\bincommunicado\b|\bwithout\s+access\s+to\s+(?:a\s+)?(?:lawyers?|their\s+famil\w+"
        r"|relatives)|\bdenied\s+(?:access\s+to\s+)?(?:a\s+)?lawyers?\b",
        "incommunicado_detention",
    ),
    (
        r"\bwithout\s+(?:a\s+)?trial\b|\bsham\s+trials?\b|\bclosed-door\s+trials?\b"
        r"|\bwithout\s+due\s+process\b|\bdenied\s+due\s+process\b",
        "denial_of_due_process",
    ),
    (r"\bthreat(?:s|ened|ening)?\b|\bintimidat\w+", "threats"),
    (
        r"\b(?:arbitrar(?:y|ily)|unjust(?:ly)?|unlawful(?:ly)?|illegal(?:ly)?)\s+"
        r"(?:detained|detention|arrested|arrests?|imprisoned|imprisonment|jailed)\b",
        "arbitrary_detention",
    ),
)
METHODS: tuple[tuple[str, str], ...] = (
    (
        r"\bbeat(?:en|ing|ings)?\b|\bclubbed\b|\bkicked\b|\bpunched\b|\bhit\s+with\s+batons\b",
        "beating",
    ),
    (r"\bsuffocat\w*|\basphyxia\w*|\bplastic\s+bags?\s+over\b|\bwaterboard\w*", "suffocation"),
    (
        r"\belectric(?:al)?\s+shocks?\b|\belectrocut\w*|\belectric\s+prods?\b|\btasers?\b",
        "electric_shock",
    ),
    (
        r"\bstripped\s+naked\b|\bforced\s+to\s+strip\b|\bforced\s+nudity\b|\bmade\s+to\s+undress\b",
        "forced_nudity",
    ),
    (
        r"\btouching\s+and\s+groping\b|\bgrop(?:ed|ing)\b|\bfondl\w+|\bsexual\s+touching\b",
        "sexual_touching",
    ),
    (
        r"\brecord\w*\s+(?:\w+\s+){0,2}?videos?\b[^.]{0,20}?confess\w*|\bvideotaped\s+confessions?"
        r"|\btelevised\s+confessions?|\bfilmed\s+confessing|\bvideo\s+confessions?",
        "recorded_confession",
    ),
    (
        r"\bsolitary\s+confinement\b|\b(?:held|kept|placed|locked)\s+in\s+isolation\b",
        "isolation",
    ),
    (
        r"\bthreat\w*\s+(?:to\s+|against\s+)?(?:harm\s+)?(?:their|his|her)\s+(?:famil\w+"
        r"|relatives|children|parents)",
        "threats_to_family",
    ),
    (
        r"\bdenied\s+medical\s+(?:care|treatment|attention)|\bwithout\s+medical\s+(?:care"
        r"|treatment)|\brefused\s+medical\s+\w+",
        "denial_of_medical_care",
    ),
    (r"\bmock\s+executions?\b", "mock_execution"),
)
# A method word used as a modifier of a place or a thing is not the method itself:
# "isolation cells", "solitary confinement wing", "electric shock batons" (carried, not
# used). Matched right after a method trigger.
METHOD_AS_MODIFIER = re.compile(
    r"\s+(?:cells?|rooms?|wards?|blocks?|units?|chambers?|facilit(?:y|ies)|cent(?:er|re)s?"
    r"|camps?|wings?|sections?|areas?|batons?|devices?|weapons?|equipment|guns?|prods?)\b",
    re.IGNORECASE,
)
# The violation a method implies when the sentence names no violation for it.
METHOD_DEFAULT_VIOLATION = {
    "beating": "torture",
    "suffocation": "torture",
    "electric_shock": "torture",
    "mock_execution": "torture",
    "forced_nudity": "cruel_treatment",
    "sexual_touching": "sexual_violence",
    "recorded_confession": "forced_confession",
    "isolation": "cruel_treatment",
    "threats_to_family": "threats",
    "denial_of_medical_care": "cruel_treatment",
}
# Which violations a method can illustrate (None: any); others take their default.
METHOD_OWNERS = {
    "torture": None,
    "cruel_treatment": None,
    "sexual_violence": {"forced_nudity", "sexual_touching"},
    "forced_confession": {"recorded_confession", "threats_to_family", "beating"},
    "incommunicado_detention": {"isolation"},
    "threats": {"threats_to_family", "mock_execution"},
}
# Methods that are sexual violence whatever else the text calls them.
SEXUAL_METHODS = ("forced_nudity", "sexual_touching")
VIOLATION_LABELS = {
    "arbitrary_detention": "Arbitrary detention",
    "torture": "Torture",
    "cruel_treatment": "Cruel, inhuman or degrading treatment",
    "sexual_violence": "Sexual violence",
    "forced_confession": "Forced confession",
    "fabricated_charges": "Fabricated or politically motivated charges",
    "enforced_disappearance": "Enforced disappearance",
    "extrajudicial_killing": "Extrajudicial killing",
    "incommunicado_detention": "Incommunicado detention",
    "denial_of_due_process": "Denial of due process",
    "threats": "Threats",
}

# Charges: "charged with “terrorism”", "accused ... of plotting to assassinate ...".
CHARGE_RE = re.compile(
    r"\b(?:charged\s+with|on\s+charges\s+of|indicted\s+for|convicted\s+of|accused\b[^.;]{0,80}?"
    r"\bof)\s+(?:allegedly\s+|purportedly\s+)?[“\"]?(?P<charge>[^,.;”\"]+)",
    re.IGNORECASE,
)
# Words that make a charge look fabricated (in the sentence or the next one).
DOUBT_RE = re.compile(
    r"\b(?:unjust(?:ly)?|arbitrar(?:y|ily)|politically\s+motivated|trumped-up|fabricated"
    r"|bogus|spurious|baseless)\b|\b(?:not|no|without)\b[^.]{0,40}?\b(?:proof|evidence)\b",
    re.IGNORECASE,
)
NO_PROOF_RE = re.compile(r"\b(?:not|no|without)\b[^.]{0,40}?\b(?:proof|evidence)\b", re.I)

# Incidents.
CRACKDOWN_RE = re.compile(
    r"\bcrackdown\b|\bpersecution\s+campaign\b|\brepression\b|\bclampdown\b"
    r"|\bwave\s+of\s+(?:arrests|detentions|repression)\b|\bpurge\b",
    re.IGNORECASE,
)
ELECTION_RE = re.compile(r"\belection\b|\bvote\b|\bpolls\b", re.IGNORECASE)
STATE_PERPETRATOR_RE = re.compile(
    r"\b(?:the\s+)?(?P<name>[A-Z][\w-]+(?:\s+[A-Z][\w-]+)?\s+(?:regime|government|junta"
    r"|administration))\b"
)
GENERIC_PERPETRATOR_RE = re.compile(
    r"\b(?:the\s+)?(?P<name>security\s+forces|riot\s+police|police|army|military|junta"
    r"|authorities|government)\b",
    re.IGNORECASE,
)
KILL_WORDS_RE = re.compile(r"\b(?:deaths?|killings?|killed|dead|died|murders?)\b", re.I)
COUNT_WORDS_RE = re.compile(
    r"\b(?:amount|number|figures?|statistics|count|tally|toll|numbers)\b", re.IGNORECASE
)
