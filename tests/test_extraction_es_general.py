"""Spanish rules on the shapes real Spanish news takes (pure, no database).

Each phenomenon is written in several voices of its own: an agency wire, an NGO
release in its own voice, a liveblog, a government communiqué and a long newspaper
piece. Names of organisations and places are made up or used only as settings.
"""

from datetime import date

import pytest

from incidents.extraction.actors_es import classify, parse_np
from incidents.extraction.article_es import find_publisher, sentences_es
from incidents.extraction.extractor_es import SpanishExtractor

REF = date(2025, 3, 14)  # a Friday


def draft(text: str, country: str | None = None, ref: date = REF):
    ex = SpanishExtractor(text, ref, country)
    ex.run()
    return ex.build()


def figures(text: str, country: str | None = None, ref: date = REF):
    """(value, measure, reporter, as-of) of every figure, in text order."""
    return [
        (f.value if f.value is not None else f.value_low, f.measure, f.reported_by, f.as_of)
        for f in draft(text, country, ref).figures
    ]


def assert_quotes_verbatim(text: str, d) -> None:
    for record in d.figures + d.sources + d.actors + d.incidents + d.stances:
        assert record.quote in text, record.quote


# -- 1. a release in the organisation's own voice ----------------------------------


@pytest.mark.parametrize(
    ("text", "publisher"),
    [
        (
            "Observatorio Andino de Derechos Humanos: 64 personas detenidas en Sucre\n\n"
            "Nuestras verificaciones registran 64 personas detenidas desde el 2 de marzo en el "
            "departamento de Sucre.",
            "Observatorio Andino de Derechos Humanos",
        ),
        (
            "Comunicado\n\nLa Red de Defensoras del Altiplano expresa su preocupación por la "
            "situación en Potosí. Nuestra instancia ha documentado 38 detenciones arbitrarias "
            "en la última semana.",
            "Red de Defensoras del Altiplano",
        ),
        (
            "Balance de la represión\n\nSegún nuestros registros, 112 personas permanecen "
            "privadas de libertad en el país.\n\nRed de Defensoras del Altiplano\n"
            "La Paz, 13 de marzo de 2025",
            "Red de Defensoras del Altiplano",
        ),
        (
            "Denuncia pública\n\nHemos registrado 27 detenidos entre el lunes y el miércoles en "
            "Oruro, y nuestro equipo jurídico acompaña a sus familias.\n\n"
            "Acerca de la Fundación Puentes de Paz\nLa Fundación Puentes de Paz trabaja desde "
            "2009 en la defensa de los derechos humanos.",
            "Fundación Puentes de Paz",
        ),
        (
            "La Convergencia por los Derechos Humanos, de la que forma parte el Colectivo Tierra "
            "Viva, denuncia la represión en Oruro.\n\nContabilizamos 19 personas heridas por "
            "perdigones en la plaza central.",
            "Convergencia por los Derechos Humanos",
        ),
    ],
)
def test_a_release_in_its_own_voice_is_credited_to_its_publisher(text, publisher):
    found = figures(text)
    assert found and all(f[2] == publisher for f in found), found


def test_the_publisher_is_the_release_s_and_not_a_quote_in_its_own_voice():
    text = (
        "Detenciones en Tarija\n\n"
        "«Hemos registrado 30 detenidos», dijo a este diario Lucía Paz, directora del Centro de "
        "Estudios Andinos."
    )
    assert figures(text)[0][2] == "Centro de Estudios Andinos"


def test_find_publisher_prefers_about_then_signature_then_the_headline():
    text = "Informe\n\nEl Foro Social de Oruro ...\n\nAcerca de la Red Minera Solidaria\nTexto."
    assert find_publisher(text, 7, classify)[1] == "Red Minera Solidaria"
    text = "Texto sin nombres.\n\nColectivo Memoria Viva (CMV)\nSucre, 3 de marzo de 2025"
    assert find_publisher(text, 0, classify)[1] == "Colectivo Memoria Viva"
    assert find_publisher("Sin organización alguna.", 0, classify) is None
    # A name without a head noun, written with its acronym; never across a line break.
    text = "Comunicado\n\nJusticia 11J (J11J) denuncia 20 presos.\n\nHemos registrado 30 casos."
    assert find_publisher(text, 10, classify)[1] == "Justicia 11J"


# -- 2. headline figures and coordinated lists ----------------------------------------


def test_a_headline_list_takes_the_body_s_reporter_and_each_item_its_own_measure():
    text = (
        "Sucre: 132 detenidos, 77 liberados y 43 estudiantes sin localizar\n\n"
        "La Defensoría del Pueblo informó el jueves que 132 personas fueron detenidas durante "
        "las protestas en Sucre. De ellas, 77 fueron liberadas. Otros 43 estudiantes siguen sin "
        "localizar, precisó la institución."
    )
    found = figures(text)
    assert [f[:2] for f in found] == [(132, "detained"), (77, "released"), (43, "disappeared")]
    assert {f[2] for f in found} == {"Defensoría del Pueblo"}
    assert {f[3] for f in found} == {"2025-03-13"}


@pytest.mark.parametrize(
    ("headline", "measures"),
    [
        ("Potosí: 12 muertos, 80 heridos y 9 desaparecidos", ["killed", "injured", "disappeared"]),
        (
            "Protestas dejan 20 detenidos, 6 liberados y 5 jóvenes en paradero desconocido",
            ["detained", "released", "disappeared"],
        ),
        ("Oruro: 15 arrestos, 4 imputados y 2 fallecidos", ["detained", "charged", "killed"]),
    ],
)
def test_each_item_of_a_headline_list_keeps_its_own_measure(headline, measures):
    found = figures(headline + "\n\nEl texto sigue sin cifras.")
    assert [f[1] for f in found] == measures


def test_a_headline_run_into_the_body_on_the_next_line_is_its_own_sentence():
    text = (
        "Cochabamba: 9 muertos en las protestas\n"
        "COCHABAMBA, 13 mar (Agencia). - Al menos 9 personas murieron en las protestas, informó "
        "este jueves la Defensoría del Pueblo."
    )
    found = figures(text)
    assert [(f[0], f[1], f[2], f[3]) for f in found] == [
        (9, "killed", "Defensoría del Pueblo", "2025-03-13")
    ]
    assert_quotes_verbatim(text, draft(text))


# -- 3. liveblog entries ------------------------------------------------------------------


def test_liveblog_entries_credit_the_subject_after_the_time_stamp():
    text = (
        "Protestas en Bolivia, en directo\n\n"
        "19.45 | La Defensoría del Pueblo eleva a 23 la cifra de fallecidos en el país.\n\n"
        "18.30 | La Policía informó que 140 manifestantes fueron arrestados en El Alto.\n\n"
        "15:05 - El Ministerio de Salud reporta 60 heridos."
    )
    found = figures(text, "BO")
    assert [(f[0], f[1], f[2]) for f in found] == [
        (23, "killed", "Defensoría del Pueblo"),
        (140, "detained", "Policía"),
        (60, "injured", "Ministerio de Salud"),
    ]
    assert_quotes_verbatim(text, draft(text, "BO"))


def test_liveblog_entries_on_consecutive_lines_and_a_day_header():
    text = (
        "Última hora de las protestas\n"
        "Jueves 13 de marzo\n"
        "21:10 La Fiscalía eleva a 35 los imputados\n"
        "19:45 - Interior cifra en 194 los detenidos\n"
        "08h30 · La Cruz Roja reporta 17 heridos"
    )
    found = figures(text, "ES")
    assert [(f[0], f[1], f[2]) for f in found] == [
        (35, "charged", "Fiscalía"),
        (194, "detained", "Ministerio del Interior"),
        (17, "injured", "Cruz Roja"),
    ]
    assert {f[3] for f in found} == {"2025-03-13"}


def test_a_time_stamp_is_no_amount_and_no_speaker():
    sents = sentences_es("Directo\n\n12:40 | La Policía informó que 8 jóvenes fueron detenidos.")
    assert sents[-1].text.startswith("La Policía")


# -- 4. the subject of a running-total verb --------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("La Defensoría del Pueblo eleva a 23 la cifra de fallecidos.", (23, "killed")),
        ("Interior eleva a 194 los detenidos tras los disturbios.", (194, "detained")),
        ("Sanidad cifra en 50 los heridos atendidos en hospitales.", (50, "injured")),
        ("La Cruz Roja cifró en 61 los lesionados durante la jornada.", (61, "injured")),
        ("El Ministerio de Salud actualizó a 31 el balance de fallecidos.", (31, "killed")),
        ("La Fiscalía actualizó el balance de detenidos a 88.", (88, "detained")),
        ("Gobernación elevó a 15 el número de muertos.", (15, "killed")),
    ],
)
def test_the_subject_of_a_running_total_is_its_reporter(sentence, expected):
    found = figures(sentence)
    assert found and found[0][:2] == expected, found
    assert found[0][2] is not None


@pytest.mark.parametrize(
    ("word", "ministry"),
    [
        ("Interior", "Ministerio del Interior"),
        ("Sanidad", "Ministerio de Sanidad"),
        ("Defensa", "Ministerio de Defensa"),
        ("Gobernación", "Ministerio de Gobernación"),
    ],
)
def test_a_bare_portfolio_is_its_ministry(word, ministry):
    mention = parse_np(word)
    assert (mention.name, mention.kind) == (ministry, "state_body")
    assert (
        parse_np("la justicia") is None or parse_np("la justicia").name != "Ministerio de Justicia"
    )


# -- 5. direct quotes with the speaker after them --------------------------------------


def test_a_quote_s_speaker_is_the_one_named_after_it_never_a_phrase_inside_it():
    text = (
        '"Al menos 14 personas han muerto en los últimos tres días y la mayoría por disparos de '
        'las fuerzas de seguridad", dijo la portavoz de la ONU Marta Ibáñez en Ginebra.'
    )
    d = draft(text)
    assert [(f.value, f.measure, f.reported_by) for f in d.figures] == [
        (14, "killed", "Marta Ibáñez")
    ]
    assert "fuerzas de seguridad" not in {a.name for a in d.actors}


@pytest.mark.parametrize(
    ("text", "reporter"),
    [
        (
            "«Tenemos 36 detenidos en la comisaría central», afirmó Pedro Salas, abogado de la "
            "Red de Defensores del Sur.",
            "Red de Defensores del Sur",
        ),
        (
            "“Son 52 los presos políticos”, agregó el vocero de la Coordinadora Nacional de "
            "Familiares.",
            "Coordinadora Nacional de Familiares",
        ),
        (
            "La Coordinadora Nacional de Familiares presentó su informe anual. "
            '"Hay 52 presos políticos en el país", agregó el vocero.',
            "Coordinadora Nacional de Familiares",
        ),
        ('"Fueron detenidos 19 jóvenes", declaró a la prensa la fiscal Ana Rojas.', "Ana Rojas"),
        (
            "La ONG Caminos de Paz denunció la represión. «Ya son 40 los heridos», dijo.",
            "Caminos de Paz",
        ),
    ],
)
def test_a_quote_with_its_speaker_after_it(text, reporter):
    found = figures(text)
    assert found and found[0][2] == reporter, found


# -- 6. organisation names with lower-case words, digits and acronyms -----------------


@pytest.mark.parametrize(
    ("text", "name", "alias"),
    [
        (
            "La Coordinadora contra la Represión Policial e Institucional (CORREPI) registró 41 "
            "detenidos en la marcha.",
            "Coordinadora contra la Represión Policial e Institucional",
            "CORREPI",
        ),
        (
            "Según el Grupo de Trabajo Justicia 11J, 358 manifestantes siguen en prisión.",
            "Grupo de Trabajo Justicia 11J",
            None,
        ),
        (
            "El Comité de Familiares de Detenidos Desaparecidos en Honduras (COFADEH) denunció "
            "que 7 personas fueron detenidas en Choluteca.",
            "Comité de Familiares de Detenidos Desaparecidos en Honduras",
            "COFADEH",
        ),
        (
            "El Observatorio Venezolano de Conflictividad Social (OVCS) contabilizó 12 fallecidos.",
            "Observatorio Venezolano de Conflictividad Social",
            "OVCS",
        ),
    ],
)
def test_organisation_names_are_kept_whole(text, name, alias):
    d = draft(text)
    assert d.figures and d.figures[0].reported_by == name
    assert classify(name) == "ngo"
    if alias:
        later = text + f" El {alias} precisó que 30 personas resultaron heridas."
        assert {f.reported_by for f in draft(later).figures} == {name}


def test_an_organisation_named_for_the_disappeared_is_no_count_of_them():
    for text in (
        "Así lo denunció la Asociación de Familiares de Detenidos Desaparecidos, que acompaña a "
        "25 familias.",
        "En la marcha participaron 300 miembros del Comité de Madres de Desaparecidos.",
    ):
        assert [f for f in figures(text) if f[1] in ("disappeared", "detained")] == []


# -- 7. numbers written twice and more populations ----------------------------------


@pytest.mark.parametrize(
    ("sentence", "value", "measure", "group"),
    [
        (
            "La Policía Nacional informó que ochenta y siete (87) servidores policiales "
            "resultaron heridos.",
            87,
            "injured",
            "policías",
        ),
        (
            "El Ministerio de Defensa dijo que 14 uniformados fueron lesionados.",
            14,
            "injured",
            "policías",
        ),
        ("Según la ONG Raíces, 23 comuneros fueron detenidos.", 23, "detained", "indígenas"),
        ("La Fiscalía informó que 3 militares fueron imputados.", 3, "charged", "militares"),
        (
            "La Defensoría indicó que cuarenta (40) agentes resultaron heridos.",
            40,
            "injured",
            "policías",
        ),
        (
            "Según la ONG Raíces, 6 brigadistas resultaron heridos.",
            6,
            "injured",
            "personal de salud",
        ),
        ("El Gobierno informó que 9 efectivos fueron lesionados.", 9, "injured", None),
        ("La ONG Raíces dijo que 11 pobladores fueron detenidos.", 11, "detained", None),
        ("La Fiscalía informó que 6 funcionarios fueron imputados.", 6, "charged", None),
    ],
)
def test_more_populations_and_numbers_written_twice(sentence, value, measure, group):
    d = draft(sentence)
    assert [(f.value, f.measure, f.group) for f in d.figures] == [(value, measure, group)]


# -- 8. denials are not figures ----------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "El Gobierno desmintió que los 17 estudiantes detenidos en Sucre estuvieran desaparecidos.",
        "El Ministerio de Gobierno rechaza la información falsa que circula sobre dos fallecidos "
        "en El Alto.",
        "La Policía negó que hubiera 5 muertos en el desalojo.",
        "El comandante descartó que 30 manifestantes hayan sido detenidos.",
        "Es falso que 12 periodistas hayan sido arrestados, aseguró el portavoz del Gobierno.",
        "La Cancillería negó las versiones sobre 40 presos políticos en huelga de hambre.",
    ],
)
def test_a_denied_count_is_no_figure_but_the_denial_is_a_stance(sentence):
    d = draft(sentence, "BO")
    assert d.figures == []
    assert any(s.stance == "denies" for s in d.stances)


def test_a_count_after_the_denial_s_scope_is_kept():
    d = draft(
        "El vocero negó que 12 personas hubieran desaparecido, pero reconoció que 40 fueron "
        "detenidas.",
        "BO",
    )
    assert [(f.value, f.measure) for f in d.figures] == [(40, "detained")]
    denial = next(s for s in d.stances if s.stance == "denies")
    assert denial.target_kind != "figure"


def test_rejecting_an_arrest_condemns_it_and_keeps_the_count():
    found = figures("La ONG Raíces rechazó la detención de 40 estudiantes en Sucre.")
    assert [f[:2] for f in found] == [(40, "detained")]


def test_no_detainee_is_no_figure():
    assert figures("Según la Policía, no hay ningún detenido por los hechos.", "BO") == []


# -- 9. as of when ---------------------------------------------------------------------


def test_a_count_since_a_date_holds_as_of_its_statement():
    d = draft(
        "La ONG Raíces contabiliza 210 detenidos desde el 29 de noviembre, informó este miércoles."
    )
    f = d.figures[0]
    assert (f.as_of, f.since) == ("2025-03-12", "2024-11-29")


def test_a_dateline_is_not_the_statement_s_date():
    text = (
        "LA PAZ, 10 de marzo (Agencia). - La Defensoría del Pueblo informó este sábado que 48 "
        "personas fueron detenidas."
    )
    f = draft(text, ref=date(2025, 3, 10)).figures[0]
    assert (f.reported_by, f.as_of) == ("Defensoría del Pueblo", "2025-03-08")
    text = (
        "LA HABANA, 24 dic (Agencia). - El colectivo Presos 11J denunció que 19 jóvenes "
        "siguen presos."
    )
    f = draft(text, ref=date(2024, 12, 24)).figures[0]
    assert (f.reported_by, f.as_of) == ("Presos 11J", "2024-12-24")


@pytest.mark.parametrize(
    ("sentence", "as_of"),
    [
        ("La ONG Raíces denunció anoche que 12 jóvenes fueron detenidos.", "2025-03-13"),
        ("La Defensoría informó en la víspera que 33 personas resultaron heridas.", "2025-03-13"),
        ("El pasado jueves la Fiscalía imputó a 25 manifestantes.", "2025-03-13"),
        ("La Policía informó este sábado que 18 jóvenes fueron arrestados.", "2025-03-08"),
    ],
)
def test_relative_days_resolve_against_the_reference_date(sentence, as_of):
    assert figures(sentence)[0][3] == as_of


def test_a_year_in_a_comparison_or_a_quote_is_not_the_as_of():
    found = figures(
        'La ONG Raíces registró 80 detenidos, "no como en 2014, cuando fueron miles", dijo su '
        "director."
    )
    assert found[0][3] == "2025-03-14"
    found = figures(
        "En comparación con 2019, cuando hubo 300 arrestos, este año la ONG Raíces contabiliza "
        "120 detenidos."
    )
    assert [(f[0], f[2]) for f in found] == [(120, "Raíces")]


# -- 10. measures in other shapes --------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("La ONG Raíces informó que 15 manifestantes resultaron lesionados.", (15, "injured")),
        ("La ONG Raíces informó que 15 personas con lesiones fueron trasladadas.", (15, "injured")),
        (
            "Según la Cruz Roja, 27 personas fueron atendidas por los servicios de emergencia.",
            (27, "injured"),
        ),
        (
            "La ONG Raíces informó que 31 jóvenes permanecen en prisión preventiva.",
            (31, "still_detained"),
        ),
        ("La ONG Raíces informó que 31 jóvenes siguen tras las rejas.", (31, "still_detained")),
        ("La ONG Raíces informó que 31 jóvenes continúan presos.", (31, "still_detained")),
        ("La Fiscalía informó que 20 manifestantes fueron acusados.", (20, "charged")),
        ("La Fiscalía informó que 20 manifestantes fueron procesados.", (20, "charged")),
        ("La Fiscalía informó que 20 manifestantes fueron imputados.", (20, "charged")),
        ("La ONG Raíces informó que 9 estudiantes quedaron en libertad.", (9, "released")),
        ("La ONG Raíces informó que 9 estudiantes recuperaron la libertad.", (9, "released")),
        ("La ONG Raíces informó que 9 estudiantes fueron excarcelados.", (9, "released")),
        (
            "La ONG Raíces denunció que hay 6 jóvenes cuyo paradero se desconoce.",
            (6, "disappeared"),
        ),
        ("La ONG Raíces informó que 4 campesinos perdieron la vida.", (4, "killed")),
        ("Según la ONG Raíces, murieron al menos 12 personas en el desalojo.", (12, "killed")),
        ("Según la ONG Raíces, resultaron heridos 40 agentes.", (40, "injured")),
        ("La ONG Raíces informó que 3 jóvenes no han sido localizados.", (3, "disappeared")),
    ],
)
def test_measures_in_other_shapes(sentence, expected):
    found = figures(sentence)
    assert found and found[0][:2] == expected, found


def test_no_crash_and_verbatim_quotes_on_liveblog_and_dateline_oddities():
    for text in (
        "12:30 |",
        "12:30 | \n\n19.45 |",
        "LA PAZ, 3 mar (Agencia). -",
        "Acerca de\n\nNuestros registros",
        "«Hemos registrado",
        "desmintió que 3",
        "\n\n\n",
    ):
        assert_quotes_verbatim(text, draft(text))


# -- the speaker in longer sentences -----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reporter"),
    [
        (
            "La ONG Raíces denunció 40 detenciones. El Gobierno, sin embargo, negó que hubiera "
            "torturas y afirmó que solo 3 agentes resultaron lesionados.",
            "Gobierno de Bolivia",
        ),
        (
            "La ONG Raíces denunció 40 detenciones. Carabineros, por su parte, informó que 19 "
            "uniformados resultaron heridos.",
            "Carabineros",
        ),
        (
            "La ONG Raíces denunció 40 detenciones. El Mecanismo de Seguimiento de Presos, que "
            "documenta los casos desde 2018, estima que todavía quedan 72 presos políticos.",
            "Mecanismo de Seguimiento de Presos",
        ),
        (
            "Las autoridades no dieron cifras, aunque la agencia Fénix, vinculada al Ejército, "
            "reconoció la muerte de 60 personas.",
            "Fénix",
        ),
        (
            "La consejera de Interior informó este sábado de que la cifra de detenidos se eleva "
            "ya a 194 personas.",
            "Ministerio del Interior",
        ),
        (
            "Los Mossos d'Esquadra informaron de que 289 agentes han resultado heridos.",
            "Mossos d'Esquadra",
        ),
        (
            "Las autoridades excarcelaron a 135 presos políticos, informó el Gobierno "
            "estadounidense, que gestionó la liberación.",
            "Gobierno de Estados Unidos",
        ),
        (
            '"Hay 8 personas cuyo paradero se desconoce", afirmó la coordinadora del Comité de '
            "Familiares de Presos (COFAPRE), Berta Ríos, en conferencia de prensa.",
            "Comité de Familiares de Presos",
        ),
    ],
)
def test_the_speaker_across_asides_relatives_and_coordination(text, reporter):
    found = figures(text, "BO")
    assert found and found[-1][2] == reporter, found


def test_a_communique_goes_on_in_the_voice_of_its_issuer_and_is_dated_by_its_signature():
    text = (
        "COMUNICADO OFICIAL\n\n"
        "El Ministerio de Gobierno informa que, durante los operativos realizados entre el 8 y "
        "el 10 de marzo, fueron aprehendidas 64 personas.\n\n"
        "Del total de aprehendidos, 23 recuperaron su libertad.\n\n"
        "Asimismo, se informa que ochenta y siete (87) servidores policiales resultaron "
        "heridos.\n\n"
        "La Paz, 11 de marzo de 2025"
    )
    found = figures(text, "BO")
    assert [(f[0], f[1]) for f in found] == [(64, "detained"), (23, "released"), (87, "injured")]
    assert {f[2] for f in found} == {"Ministerio de Gobierno"}
    assert {f[3] for f in found} == {"2025-03-11"}


# -- what the count is of -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "measure"),
    [
        (
            "Según la ONG Raíces, 358 personas detenidas en las protestas del 11 de julio de "
            "2021 continúan presas.",
            "still_detained",
        ),
        (
            "Según la ONG Raíces, los 40 detenidos durante la marcha fueron liberados.",
            "released",
        ),
        (
            "Según la ONG Raíces, todavía hay 8 personas cuyo paradero se desconoce.",
            "disappeared",
        ),
        (
            "Según la ONG Raíces, 12 personas detenidas en la plaza fueron trasladadas a Sucre.",
            "detained",
        ),
        (
            "Según la ONG Raíces, hay 40 detenidos en la comisaría donde murieron dos presos.",
            "detained",
        ),
    ],
)
def test_a_participle_describes_and_the_main_verb_says_what_holds(sentence, measure):
    found = figures(sentence)
    assert found and found[0][1] == measure, found


def test_a_count_more_than_a_year_old_is_background_and_no_figure():
    text = (
        "La ONG Raíces denunció este jueves 23 detenciones. En 2019, durante otras protestas, "
        "la ONG Raíces registró más de 300 detenciones."
    )
    assert [f[0] for f in figures(text)] == [23]


def test_a_headline_count_is_kept_once_when_the_text_names_its_group_differently():
    text = (
        "Cuba: 358 manifestantes siguen en prisión\n\n"
        "El colectivo Presos 11J informó este sábado que 358 personas continúan presas."
    )
    found = figures(text)
    assert [(f[0], f[1], f[2], f[3]) for f in found] == [
        (358, "still_detained", "Presos 11J", "2025-03-08")
    ]


def test_a_surname_after_a_quote_is_the_person_named_in_full_before():
    text = (
        "La ONG Raíces informó que hay 210 presos políticos, según el balance difundido en "
        "redes sociales por el director de la ONG, Julio Prado.\n\n"
        '"Seguimos exigiendo su liberación", escribió Prado, quien precisó que desde el 2 de '
        "marzo se han registrado 94 arrestos."
    )
    found = figures(text)
    assert [(f[0], f[2]) for f in found] == [(210, "Raíces"), (94, "Raíces")]


def test_a_compound_tense_reports_and_one_of_a_count_is_no_new_count():
    text = (
        "El fiscal general, Mario Salas, había asegurado la semana pasada que 151 detenidos "
        "fueron imputados. Ana Gil es una de las 151 personas procesadas."
    )
    found = figures(text)
    assert [(f[0], f[1], f[2]) for f in found] == [(151, "charged", "Mario Salas")]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Según la ONG Raíces, 22 de las víctimas murieron por heridas de bala.", (22, "killed")),
        (
            "Según la ONG Raíces, al menos 700 de los presos fueron detenidos por protestar.",
            (700, "still_detained"),
        ),
    ],
)
def test_a_part_named_by_its_noun_takes_its_own_verb(sentence, expected):
    assert figures(sentence)[0][:2] == expected


def test_a_part_in_the_next_sentence_holds_as_of_its_whole_and_a_count_named_again_is_one():
    text = (
        "La ONG Raíces informó que al 10 de marzo había 900 presos políticos. Entre ellos hay "
        "40 adolescentes.\n\n"
        "La ONG Raíces ha registrado 2.237 arrestos. De los 2.237 detenidos, 1.431 han sido "
        "excarcelados."
    )
    found = figures(text)
    assert [(f[0], f[1], f[3]) for f in found] == [
        (900, "still_detained", "2025-03-10"),
        (40, "still_detained", "2025-03-10"),
        (2237, "detained", "2025-03-14"),
        (1431, "released", "2025-03-14"),
    ]


def test_a_dismissed_report_and_a_denial_with_adjuncts_are_no_figures():
    d = draft(
        "El canciller negó este miércoles ante el Consejo de la ONU que haya 40 presos "
        'políticos y calificó de "campaña" los informes que hablan de 150 detenidos.',
        "BO",
    )
    assert d.figures == []


def test_a_publisher_named_in_full_and_by_its_acronym_is_one():
    text = (
        "Raíces: 24 muertos en las protestas\n\n"
        "El Programa Andino de Derechos Humanos (Raíces) contabiliza 24 personas asesinadas.\n\n"
        "Según nuestros registros, 22 de las víctimas murieron por heridas de bala."
    )
    assert {f[2] for f in figures(text)} == {"Programa Andino de Derechos Humanos"}


# -- counts in coordinated, partitive and treated shapes -----------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Según la Cruz Roja, 27 personas han muerto y 410 han resultado heridas en los "
            "disturbios.",
            [(27, "killed"), (410, "injured")],
        ),
        (
            "En el choque con la policía fallecieron 9 y otros 33 resultaron lesionados.",
            [(9, "killed"), (33, "injured")],
        ),
        (
            "Según el Ministerio del Interior, 88 agentes de la Guardia Civil y 41 de la "
            "Policía Local resultaron heridos.",
            [(88, "injured"), (41, "injured")],
        ),
        (
            "La policía detuvo a 300 personas, de los cuales 45 han ingresado en prisión "
            "provisional.",
            [(300, "detained"), (45, "still_detained")],
        ),
        (
            "La policía detuvo a 210 personas. 17 de los detenidos son menores de edad.",
            [(210, "detained"), (17, "detained")],
        ),
        (
            "Según la ONG, murieron 40 personas; entre los fallecidos hay cinco policías.",
            [(40, "killed"), (5, "killed")],
        ),
        (
            "La policía arrestó a 500 personas, y 130 de los detenidos recuperaron la libertad.",
            [(500, "detained"), (130, "released")],
        ),
        (
            "El Servicio de Emergencias Médicas atendió a 412 personas durante las protestas.",
            [(412, "injured")],
        ),
        (
            "La ONG Presos Libres contabilizó el lunes 1.204 detenidos, entre ellos 640 que "
            "siguen presos.",
            [(1204, "detained"), (640, "still_detained")],
        ),
    ],
)
def test_coordinated_partitive_and_treated_counts(sentence, expected):
    assert [(f[0], f[1]) for f in figures(sentence, "ES")] == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "La Defensoría atendió a 412 personas en sus oficinas durante el mes.",
        "Murieron 3 de los 40 pasajeros.",
    ],
)
def test_people_attended_by_an_office_are_not_injured(sentence):
    assert all(f[1] != "injured" for f in figures(sentence, "ES"))
    assert 40 not in [f[0] for f in figures(sentence, "ES")]


def test_a_part_takes_its_statement_date_not_the_month_of_the_events():
    found = figures(
        "La ONG Presos Libres contabilizó el lunes 1.204 detenidos por las protestas de "
        "junio, de los cuales 640 siguen presos.",
        "CU",
    )
    assert [(f[0], f[1], f[3]) for f in found] == [
        (1204, "detained", "2025-03-10"),
        (640, "still_detained", "2025-03-10"),
    ]


# -- counts after a copula, nested parts, elided totals, nominal events, age parts ----


def groups_of(text: str, country: str | None = None):
    """(value, measure, group label) of every figure, in text order."""
    d = draft(text, country)
    assert_quotes_verbatim(text, d)
    return [
        (f.value if f.value is not None else f.value_low, f.measure, f.group) for f in d.figures
    ]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Según la Fiscalía, los fallecidos en la represión son 87, entre ellos 6 agentes.",
            [(87, "killed", None), (6, "killed", "policías")],
        ),
        (
            "El Foro informó que los detenidos ya son más de 410 en todo el país.",
            [(410, "detained", None)],
        ),
        (
            "La Defensoría del Pueblo dijo que los heridos suman 64, entre ellos tres periodistas.",
            [(64, "injured", None), (3, "injured", "periodistas")],
        ),
        (
            "La cifra de muertos asciende a 18, entre ellos cuatro menores de edad, según la "
            "Defensoría del Pueblo.",
            [(18, "killed", None), (4, "killed", "menores de edad")],
        ),
    ],
)
def test_a_count_after_a_copula_and_its_part(sentence, expected):
    assert groups_of(sentence) == expected


def test_no_count_after_a_copula_of_a_noun_that_is_no_measure():
    assert figures("El Foro dijo que los barrios afectados son 12 en la capital.") == []
    assert figures("Los detenidos no son 300, afirmó el ministro.") == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "El Comité informó que 640 personas fueron detenidas, de las cuales 402, entre ellas "
            "15 menores de edad, siguen presas al 2 de marzo.",
            [
                (640, "detained", None, "2025-03-02"),
                (402, "still_detained", None, "2025-03-02"),
                (15, "still_detained", "menores de edad", "2025-03-02"),
            ],
        ),
        (
            "La Policía arrestó a 98 personas; de ellas, 61, incluidas nueve mujeres, "
            "permanecen en prisión al 10 de marzo, informó el Comité.",
            [
                (98, "detained", None, "2025-03-10"),
                (61, "still_detained", None, "2025-03-10"),
                (9, "still_detained", "mujeres", "2025-03-10"),
            ],
        ),
    ],
)
def test_a_part_named_inside_a_part_before_its_verb(sentence, expected):
    d = draft(sentence)
    got = [(f.value, f.measure, f.group, f.as_of) for f in d.figures]
    assert got == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "El Ministerio de Salud eleva a 31 la cifra de fallecidos y a 540 la de heridos.",
            [(31, "killed"), (540, "injured")],
        ),
        (
            "La Fiscalía sube a 12 el número de muertos y a 260 el de detenidos.",
            [(12, "killed"), (260, "detained")],
        ),
    ],
)
def test_a_second_running_total_with_its_noun_elided(sentence, expected):
    assert [f[:2] for f in figures(sentence)] == expected


def test_an_elided_total_needs_a_total_named_in_full_before():
    assert figures("Viajaron a 40 la de Oruro y a 30 la de Sucre.") == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "La Policía detuvo a 60 manifestantes. Un juez ordenó la liberación de 22 de ellos.",
            [(60, "detained"), (22, "released")],
        ),
        ("El tribunal dispuso la excarcelación de 38 presos políticos.", [(38, "released")]),
        ("La ONG denunció la detención de 14 estudiantes en Sucre.", [(14, "detained")]),
        ("Los fiscales pidieron el arresto de 9 de ellos.", [(9, "detained")]),
    ],
)
def test_a_nominalised_release_or_arrest(sentence, expected):
    assert [f[:2] for f in figures(sentence)] == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "La Cruz Roja atendió a 52 heridos en hospitales, 11 de ellos policías.",
            [(52, "injured", None), (11, "injured", "policías")],
        ),
        (
            "Hubo más de 70 heridos, entre ellos cinco diputados, informó la Defensoría.",
            [(70, "injured", None), (5, "injured", "legisladores")],
        ),
        (
            "Fueron detenidas 45 personas, 8 de ellas estudiantes.",
            [(45, "detained", None), (8, "detained", "estudiantes")],
        ),
    ],
)
def test_a_part_with_n_of_them_and_a_noun(sentence, expected):
    assert groups_of(sentence) == expected


def test_n_of_them_and_a_noun_is_a_part_only_of_a_count_of_people():
    # A part of complaints is no count of people, and a noun that goes on into a clause
    # of its own is left alone.
    assert figures("La Fiscalía recibió 442 denuncias, 74 de ellas querellas.") == []
    found = figures("Murieron 30 personas, 12 de ellos policías que custodiaban la sede.")
    assert [f[:2] for f in found] == [(30, "killed")]


def test_a_part_defined_by_age_keeps_the_ages_on_its_group():
    text = (
        "La Fiscalía informó que 512 personas han sido procesadas por los disturbios, de las "
        "cuales 37 tienen entre 15 y 17 años y 20 tienen entre 18 y 21 años."
    )
    d = draft(text)
    got = [(f.value, f.measure, f.group) for f in d.figures]
    assert got == [
        (512, "charged", None),
        (37, "charged", "menores de edad de 15 a 17 años"),
        (20, "charged", "adultos"),
    ]
    minors = next(g for g in d.groups if g.label.startswith("menores"))
    assert (minors.age_min, minors.age_max) == (15, 17)


def test_a_part_of_minors_up_to_the_age_of_majority():
    text = (
        "Unas 790 personas han sido procesadas, de las cuales 55 tienen entre 16 y 18 años, "
        "informó la Fiscalía."
    )
    d = draft(text)
    assert [(f.value, f.measure) for f in d.figures] == [(790, "charged"), (55, "charged")]
    group = next(g for g in d.groups if g.age_min == 16)
    assert group.age_max == 18 and group.label.startswith("menores de edad")


# -- precision: a participle, an own harm noun, an indefinite amount ---------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A participle describing the people is no second measure: the main verb says.
        (
            "Según el Colectivo Ríos Libres, tres jóvenes detenidos en la cárcel de Cobija "
            "han muerto bajo custodia.",
            [(3, "killed")],
        ),
        (
            "La Mesa de Víctimas afirma que dos reclusos trasladados al penal de Tumbes "
            "habían fallecido antes del juicio.",
            [(2, "killed")],
        ),
        # A noun naming its own harm takes no measure from another list item.
        (
            "La Red Norte contabilizó 640 detenciones, 19 víctimas de lesiones oculares y "
            "7 muertos.",
            [(640, "detained"), (19, "injured"), (7, "killed")],
        ),
        (
            "El Foro Cívico registró 75 arrestos, 12 víctimas de amenazas y 2 muertos.",
            [(75, "detained"), (2, "killed")],
        ),
        # An indefinite determiner gives no amount.
        ("La policía reportó varios heridos y numerosos detenidos tras el desalojo.", []),
        ("Hubo algunas personas heridas y muchos arrestados durante la marcha.", []),
    ],
)
def test_measure_belongs_to_its_own_noun_and_verb(text, expected):
    assert [(v, m) for v, m, _, _ in figures(text)] == expected


# -- names with a comma or "y" inside ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reporter"),
    [
        (
            "El ministro de Justicia y Seguridad Pública, Ramiro Solís, informó el martes que "
            "60 personas fueron detenidas en Oruro.",
            "Ramiro Solís",
        ),
        (
            "La ministra de Gobierno y Justicia, Ana Quiroga, dijo que 14 personas fueron "
            "arrestadas.",
            "Ana Quiroga",
        ),
    ],
)
def test_role_apposition_with_y_in_ministry_name(text, reporter):
    assert figures(text)[0][2] == reporter


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        (
            "La asociación Verdad, Justicia y Reparación denunció el lunes",
            "La asociación Verdad, Justicia y Reparación",
        ),
        (
            "El Comité Memoria, Encuentro y Perdón informó",
            "El Comité Memoria, Encuentro y Perdón",
        ),
        ("En Sucre, Potosí y Oruro la policía informó", "la policía"),
    ],
)
def test_subject_name_that_is_a_series(text, subject):
    from incidents.extraction.actors_es import subject_before

    verb = text.index("denunció") if "denunció" in text else text.index("informó")
    assert subject_before(text, verb).endswith(subject)
