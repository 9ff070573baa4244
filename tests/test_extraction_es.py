"""Spanish extraction rules on sentences written for these tests (pure, no database)."""

from datetime import date

import pytest

from incidents.extraction.actors_es import parse_np, phrase_after, subject_before
from incidents.extraction.extractor_es import SpanishExtractor
from incidents.extraction.lexicon_es import country_mentions

REF = date(2025, 3, 14)  # a Friday


def draft(text: str, country: str | None = None):
    ex = SpanishExtractor(text, REF, country)
    ex.run()
    return ex.build()


def figures(text: str, country: str | None = None):
    return [
        (f.value if f.value is not None else f.value_low, f.measure, f.group, f.reported_by)
        for f in draft(text, country).figures
    ]


# -- measures -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("La ONG Cauce registró 315 detenidos en Oruro.", (315, "detained")),
        ("La ONG Cauce registró 44 arrestos en Oruro.", (44, "detained")),
        (
            "Unas 90 personas fueron aprehendidas el domingo, informó la ONG Cauce.",
            (90, "detained"),
        ),
        ("La ONG Cauce dijo que 12 estudiantes fueron excarcelados.", (12, "released")),
        ("La ONG Cauce dijo que 12 estudiantes fueron puestos en libertad.", (12, "released")),
        ("La ONG Cauce contó 7 fallecidos en Oruro.", (7, "killed")),
        ("La ONG Cauce dijo que 30 personas resultaron lesionadas.", (30, "injured")),
        ("La ONG Cauce dijo que 9 jóvenes siguen desaparecidos.", (9, "disappeared")),
        ("La ONG Cauce dijo que 21 dirigentes opositores fueron imputados.", (21, "charged")),
        (
            "La ONG Cauce dijo que 64 presos políticos permanecen tras las rejas.",
            (64, "still_detained"),
        ),
        ("Según la ONG Cauce, hay 510 presos políticos en el país.", (510, "still_detained")),
        ("La ONG Cauce dijo que la policía detuvo a 18 periodistas.", (18, "detained")),
        ("La ONG Cauce celebró la excarcelación de 25 campesinos.", (25, "released")),
    ],
)
def test_measures_from_nouns_verbs_and_event_nouns(sentence, expected):
    found = figures(sentence)
    assert found and found[0][:2] == expected, found


def test_a_negated_verb_is_no_count():
    assert figures("La ONG Cauce aclaró que 40 manifestantes no fueron detenidos.") == []


# -- running totals, parts and coordination ---------------------------------------


def test_running_totals_in_both_orders():
    assert figures("Oruro: suben a 14 los muertos, según la ONG Cauce.")[0][:2] == (14, "killed")
    found = figures("La ONG Cauce elevó el lunes a 14 el número de fallecidos.")
    assert found[0][:2] == (14, "killed")
    found = figures("El número de presos políticos en Oruro asciende a 610, dijo la ONG Cauce.")
    assert found[0][:2] == (610, "still_detained")


def test_parts_refer_back_to_their_count():
    found = figures(
        "La ONG Cauce contabilizó 300 detenidos, de los cuales 120 siguen detenidos, "
        "entre ellos 15 menores de edad."
    )
    assert [f[:3] for f in found] == [
        (300, "detained", None),
        (120, "still_detained", None),
        (15, "still_detained", "menores de edad"),
    ]


def test_a_part_named_by_a_predicate_takes_the_measure_of_the_whole():
    found = figures(
        "La ONG Cauce cuenta 412 presos políticos, de los cuales 380 son hombres y 32 son mujeres."
    )
    assert [f[:3] for f in found] == [
        (412, "still_detained", "presos políticos"),
        (380, "still_detained", "hombres"),
        (32, "still_detained", "mujeres"),
    ]


def test_a_pronoun_part_takes_its_own_verb():
    found = figures(
        "Al menos 70 personas han muerto, informó la ONG Cauce, que precisó que 51 de ellas "
        "fallecieron por disparos."
    )
    assert [f[:2] for f in found] == [(70, "killed"), (51, "killed")]
    assert {f[3] for f in found} == {"Cauce"}


def test_a_part_of_something_that_is_not_a_count_of_people_is_skipped():
    found = figures("La ONG Cauce presentó 90 denuncias, 20 de ellas por tortura.")
    assert found == []


def test_coordinated_counts_share_the_verb_and_bare_counts_take_their_own():
    found = figures("Once personas murieron y 140 resultaron heridas, denunció la ONG Cauce.")
    assert [f[:2] for f in found] == [(11, "killed"), (140, "injured")]
    found = figures("La ONG Cauce dijo que la policía mató a 6 manifestantes y 2 periodistas.")
    assert [f[:2] for f in found] == [(6, "killed"), (2, "killed")]


def test_a_headline_figure_repeated_in_the_body_is_kept_once():
    text = (
        "Oruro: más de 300 detenidos en las protestas\n\n"
        "La ONG Cauce registró 315 detenidos en Oruro desde el 2 de marzo."
    )
    assert [f[:2] for f in figures(text)] == [(315, "detained")]


# -- who reports --------------------------------------------------------------------


def test_inverted_speech_and_according_to():
    found = figures(
        "Un total de 88 personas fueron detenidas, informó el jueves la Defensoría del Pueblo."
    )
    assert found[0][3] == "Defensoría del Pueblo"
    found = figures("Según cifras de la Fiscalía General, 45 personas fueron imputadas.")
    assert found[0][3] == "Fiscalía General"
    found = figures("De acuerdo con el colectivo Madres Unidas, 33 jóvenes siguen desaparecidos.")
    assert found[0][3] == "Madres Unidas"


def test_several_speakers_in_one_sentence_each_get_their_figures():
    found = figures(
        "El Ministerio del Interior anunció la liberación de 400 presos, aunque según la ONG "
        "Cauce solo 31 de ellos estaban encarcelados por motivos políticos."
    )
    assert [(f[0], f[3]) for f in found] == [(400, "Ministerio del Interior"), (31, "Cauce")]


def test_the_organisation_and_a_null_subject_refer_back():
    text = (
        "La ONG Cauce denunció el martes que 51 personas fueron detenidas en Oruro.\n\n"
        "La organización informó además que 12 de ellas siguen desaparecidas. "
        "Entre los detenidos hay 4 periodistas, precisó."
    )
    assert {f[3] for f in figures(text)} == {"Cauce"}


def test_a_spokesperson_speaks_for_the_organisation():
    found = figures(
        "Ana Quispe, directora de la Asociación Pro Derechos de Oruro, dijo que 19 "
        "manifestantes fueron arrestados."
    )
    assert found[0][3] == "Asociación Pro Derechos de Oruro"


def test_official_figures_are_the_government_and_a_minister_the_ministry():
    found = figures("Según cifras oficiales, 1.500 personas fueron detenidas en Bolivia.", "BO")
    assert found[0][3] == "Gobierno de Bolivia"
    found = figures("El ministro de Gobierno aseguró que 22 policías resultaron heridos.")
    assert found[0][3] == "Ministerio de Gobierno"


def test_a_release_in_its_own_voice_is_the_publishers():
    text = (
        "La ONG Cauce publica su balance mensual\n\n"
        "Nuestros registros indican que 208 personas siguen detenidas por motivos políticos."
    )
    assert figures(text)[-1][3] == "Cauce"


@pytest.mark.parametrize(
    ("np", "name", "kind"),
    [
        ("la ONG Foro Penal", "Foro Penal", "ngo"),
        ("el centro de derechos humanos Viasna", "Viasna", "ngo"),
        ("el diario La Prensa", "La Prensa", "media"),
        ("la Defensoría del Pueblo", "Defensoría del Pueblo", "state_body"),
        ("la Policía Nacional", "Policía Nacional", "security_force"),
        ("el Ministerio Público", "Ministerio Público", "state_body"),
        ("las autoridades", "autoridades", "state_body"),
    ],
)
def test_speaker_noun_phrases(np, name, kind):
    mention = parse_np(np)
    assert (mention.name, mention.kind) == (name, kind)


def test_person_with_a_role_and_an_acronym_alias():
    m = parse_np("el director de Provea, Rafael Uzcátegui")
    assert (m.name, m.role, m.parent.name) == ("Rafael Uzcátegui", "director", "Provea")
    m = parse_np("el Instituto Nacional de Derechos Humanos (INDH)")
    assert (m.name, m.alias) == ("Instituto Nacional de Derechos Humanos", "INDH")
    assert parse_np("la organización").pronoun


def test_subject_and_inverted_phrase_boundaries():
    s = "La AAPP, que documenta la represión desde 2021, contabiliza 50 muertos."
    assert subject_before(s, s.index("contabiliza")) == "La AAPP"
    s = "Desde el 2 de marzo, la ONG Cauce ha registrado 40 arrestos."
    assert subject_before(s, s.index("ha registrado")) == "la ONG Cauce"
    assert phrase_after("la Defensoría del Pueblo, que precisó que") == "la Defensoría del Pueblo"


# -- the rest of the draft ------------------------------------------------------------


def test_allegations_use_the_same_codes_as_english():
    d = draft(
        "La ONG Cauce denunció torturas con descargas eléctricas, golpizas y simulacros de "
        "ejecución contra 30 presos políticos en Oruro."
    )
    torture = next(a for a in d.allegations if a.violation_type == "torture")
    assert set(torture.methods) == {"electric_shock", "beating", "mock_execution"}
    assert torture.reported_by == "Cauce"
    assert torture.summary.startswith("Tortura (")


def test_a_denial_is_a_stance_and_not_an_allegation():
    d = draft(
        "La ONG Cauce denunció que 30 presos fueron golpeados en Oruro. El Gobierno negó que "
        "hubiera torturas y calificó de campaña de desprestigio las denuncias.",
        "BO",
    )
    assert any(s.stance == "denies" for s in d.stances)
    assert d.allegations and not any("negó" in a.quote for a in d.allegations)


def test_groups_incidents_and_sources_are_in_spanish():
    d = draft(
        "Tras las elecciones, la represión en Bolivia dejó 210 detenidos, entre ellos 12 "
        "adolescentes de entre 15 y 17 años, según la ONG Cauce."
    )
    assert d.incidents[0].title == "Represión postelectoral en Bolivia"
    assert "menores de edad de 15 a 17 años" in {g.label for g in d.groups}
    assert d.sources[0].title.startswith("Comunicado de Cauce")


def test_countries_from_spanish_names_and_demonyms():
    assert country_mentions("El Gobierno cubano y dos venezolanos en Perú") == ["CU", "VE", "PE"]


def test_no_crash_and_quotes_are_verbatim_on_odd_input():
    for text in ("", "¿?", "según , informó 1.2.3", "De los cuales 4 son.", "a" * 500):
        d = draft(text)
        for record in d.figures + d.sources + d.actors + d.incidents:
            assert record.quote in text
