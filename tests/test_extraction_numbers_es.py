"""Spanish amounts and ages (``numbers_es``): pure unit tests, no database."""

import pytest

from incidents.extraction.numbers_es import (
    find_age_ranges_es,
    find_quantities_es,
    words_to_int_es,
)


@pytest.mark.parametrize(
    "words, value",
    [
        ("siete", 7),
        ("dieciséis", 16),
        ("veintitrés", 23),
        ("Veintitres", 23),
        ("treinta y nueve", 39),
        ("cuarenta y un", 41),
        ("ciento cincuenta", 150),
        ("cien", 100),
        ("quinientas doce", 512),
        ("dos mil cuatrocientos", 2400),
        ("mil doscientos seis", 1206),
        ("cien mil", 100000),
        ("un millón", 1_000_000),
        ("tres millones doscientos mil", 3_200_000),
        ("treinta nueve", None),  # Spanish joins tens and units with "y"
        ("dos tres", None),
        ("y", None),
        ("perros", None),
    ],
)
def test_words_to_int_es(words, value):
    assert words_to_int_es(words) == value


@pytest.mark.parametrize(
    "text, value, qualifier, low",
    [
        ("la ONG contó 2.517 detenidos", 2517, "exact", None),
        ("la ONG contó 2,517 detenidos", 2517, "exact", None),
        ("registró 12.345.678 votos", 12_345_678, "exact", None),
        ("al menos 63 estudiantes", 63, "at_least", None),
        ("por lo menos 63 estudiantes", 63, "at_least", None),
        ("como mínimo 63 estudiantes", 63, "at_least", None),
        ("más de 7.300 trabajadores", 7300, "more_than", None),
        ("Más de mil campesinos", 1000, "more_than", None),
        ("hasta 85 opositores", 85, "at_most", None),
        ("menos de 85 opositores", 85, "at_most", None),
        ("unos 640 manifestantes", 640, "approximately", None),
        ("unas 640 mujeres", 640, "approximately", None),
        ("cerca de 4.100 personas", 4100, "approximately", None),
        ("alrededor de 4.100 personas", 4100, "approximately", None),
        ("aproximadamente 4.100 personas", 4100, "approximately", None),
        ("casi 4.100 personas", 4100, "approximately", None),
        ("en torno a 4.100 personas", 4100, "approximately", None),
        ("quedan ochenta y siete presos", 87, "exact", None),
        ("liberaron a trescientos cuarenta reos", 340, "exact", None),
        ("1,2 millones de desplazados", 1_200_000, "exact", None),
        ("1.2 millones de desplazados", 1_200_000, "exact", None),
        ("unos 3 mil mineros", 3000, "approximately", None),
        ("una veintena de sindicalistas", 20, "approximately", None),
        ("medio centenar de sindicalistas", 50, "approximately", None),
        ("un centenar de sindicalistas", 100, "approximately", None),
        ("más de un centenar de sindicalistas", 100, "more_than", None),
        ("un millar de sindicalistas", 1000, "approximately", None),
        ("tres decenas de sindicalistas", 30, "approximately", None),
        ("una docena de sindicalistas", 12, "exact", None),
    ],
)
def test_find_quantities_es(text, value, qualifier, low):
    (q,) = find_quantities_es(text)
    assert (q.value, q.qualifier, q.value_low) == (value, qualifier, low)


@pytest.mark.parametrize(
    "text, low, qualifier",
    [
        ("decenas de vecinos", 20, "at_least"),  # two tens: the smallest plural
        ("docenas de vecinos", 24, "at_least"),
        ("cientos de vecinos", 200, "at_least"),
        ("centenares de vecinos", 200, "at_least"),
        ("miles de vecinos", 2000, "at_least"),
        ("millares de vecinos", 2000, "at_least"),
        ("decenas de miles de vecinos", 20000, "at_least"),
        ("cientos de miles de vecinos", 200000, "at_least"),
        ("unos cientos de vecinos", 200, "approximately"),
        ("varios vecinos", None, "unspecified"),
        ("un puñado de vecinos", None, "unspecified"),
    ],
)
def test_vague_amounts_have_a_floor(text, low, qualifier):
    (q,) = find_quantities_es(text)
    assert (q.value, q.value_low, q.qualifier, q.vague) == (None, low, qualifier, True)


def test_spans_cover_the_qualifier_and_the_number():
    text = "Según la red, al menos 1.849 presos siguen en prisión."
    (q,) = find_quantities_es(text)
    assert text[q.start : q.end] == "al menos 1.849"
    assert text[q.number_start : q.end] == "1.849"


def test_a_total_is_cumulative():
    (q,) = find_quantities_es("un total de 412 excarcelados")
    assert (q.value, q.qualifier, q.cumulative) == (412, "exact", True)


def test_decimals_rates_years_times_and_articles_are_not_counts():
    assert find_quantities_es("subió un 1,5 en el índice") == []
    assert find_quantities_es("el 30 % de los votos y el 12 por ciento") == []
    assert find_quantities_es("el treinta por ciento de los votos") == []
    assert find_quantities_es("en 2024, a las 10:30") == []
    assert find_quantities_es("uno de los detenidos y una madre") == []
    assert find_quantities_es("un preso") == []


def test_masked_spans_are_skipped():
    text = "el 28 de julio detuvieron a 14 jóvenes"
    (q,) = find_quantities_es(text, masked=[(3, 14)])
    assert q.value == 14


def test_ranges():
    (q,) = find_quantities_es("entre 300 y 450 personas")
    assert (q.value, q.value_low, q.value_high) == (None, 300, 450)
    (q,) = find_quantities_es("de 30 a 40 personas")
    assert (q.value_low, q.value_high) == (30, 40)
    # "y" between two counts is a coordination, not a range.
    assert [q.value for q in find_quantities_es("5 mujeres y 3 hombres")] == [5, 3]
    assert [q.value for q in find_quantities_es("dos y tres")] == [2, 3]


def test_a_number_written_twice_is_counted_once():
    text = "treinta y nueve (39) presos políticos"
    (q,) = find_quantities_es(text)
    assert (q.value, text[q.start : q.end]) == (39, "treinta y nueve (39)")
    text = "al menos 39 (treinta y nueve) presos"
    (q,) = find_quantities_es(text)
    assert (q.value, q.qualifier, text[q.start : q.end]) == (
        39,
        "at_least",
        "al menos 39 (treinta y nueve)",
    )
    # Different values in brackets are two amounts.
    assert [q.value for q in find_quantities_es("doce (13) presos")] == [12, 13]


@pytest.mark.parametrize(
    "text, span, low, high",
    [
        ("adolescentes de entre 14 y 17 años", "de entre 14 y 17 años", 14, 17),
        ("niñas de 12 a 15 años", "de 12 a 15 años", 12, 15),
        ("dos menores de 16 y 17 años", "de 16 y 17 años", 16, 17),
        ("menores de 18 años", "de 18 años", None, 17),
        ("un joven de 16 años de edad", "de 16 años de edad", 16, 16),
        ("una niña de doce años", "de doce años", 12, 12),
        (
            "jóvenes con edades comprendidas entre los 15 y los 19 años",
            "con edades comprendidas entre los 15 y los 19 años",
            15,
            19,
        ),
    ],
)
def test_age_ranges_es(text, span, low, high):
    ((start, end, lo, hi),) = find_age_ranges_es(text)
    assert (text[start:end], lo, hi) == (span, low, high)


def test_lengths_of_time_are_not_ages():
    assert find_age_ranges_es("una pena de 16 años de prisión") == []
    assert find_age_ranges_es("después de 16 años en el exilio") == []
    assert find_age_ranges_es("con más de 16 años") == []
