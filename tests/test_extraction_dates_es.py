"""Spanish date expressions (``dates_es``): pure unit tests, no database."""

from datetime import date

import pytest

from incidents.extraction.dates_es import find_dates_es

REF = date(2025, 3, 12)  # a Wednesday


def one(text, ref=REF):
    (d,) = find_dates_es(text, ref)
    return d


@pytest.mark.parametrize(
    "text, iso, precision",
    [
        ("la marcha del 9 de marzo", "2025-03-09", "exact"),
        ("el 9 de marzo de 2023", "2023-03-09", "exact"),
        ("el 9 de marzo del 2023", "2023-03-09", "exact"),
        ("el 1.º de enero", "2025-01-01", "exact"),
        ("el primero de enero", "2025-01-01", "exact"),
        ("el 20 de marzo", "2024-03-20", "exact"),  # never in the future: the year before
        ("el 29 de febrero del año pasado", "2024-02-29", "exact"),
        ("el lunes 3 de febrero", "2025-02-03", "exact"),
        ("el 03/02/2025", "2025-02-03", "exact"),
        ("a mediados de febrero", "2025-02-15", "approximate"),
        ("a principios de febrero", "2025-02-05", "approximate"),
        ("a comienzos de febrero", "2025-02-05", "approximate"),
        ("a finales de enero", "2025-01-25", "approximate"),
        ("a fines de noviembre", "2024-11-25", "approximate"),  # later this year: last year
        ("en enero", "2025-01-01", "month"),
        ("en octubre", "2024-10-01", "month"),
        ("en octubre de 2022", "2022-10-01", "month"),
        ("en 2023", "2023-01-01", "year"),
        ("ayer", "2025-03-11", "exact"),
        ("anoche", "2025-03-11", "exact"),
        ("anteayer", "2025-03-10", "exact"),
        ("hoy", "2025-03-12", "exact"),
        ("esta semana", "2025-03-11", "approximate"),  # midpoint of Monday..Wednesday
        ("a principios de esta semana", "2025-03-10", "approximate"),
        ("la semana pasada", "2025-03-06", "approximate"),  # Thursday of the week before
        ("el mes pasado", "2025-02-15", "approximate"),
    ],
)
def test_dates_resolve_against_the_reference(text, iso, precision):
    d = one(text)
    assert (d.iso, d.precision) == (iso, precision)


@pytest.mark.parametrize(
    "text, iso",
    [
        ("el martes", "2025-03-11"),
        ("este miércoles", "2025-03-12"),  # on or before: the reference day itself
        ("el miercoles", "2025-03-12"),
        ("el pasado miércoles", "2025-03-05"),  # strictly before
        ("el miércoles pasado", "2025-03-05"),
        ("el jueves", "2025-03-06"),
        ("El domingo por la noche", "2025-03-09"),
        ("este lunes en la mañana", "2025-03-10"),
    ],
)
def test_weekdays(text, iso):
    d = one(text)
    assert (d.kind, d.iso, d.precision) == ("weekday", iso, "exact")


def test_spans_are_slices_of_the_text():
    text = "Según la ONG, el pasado martes había 40 detenidos."
    d = one(text)
    assert text[d.start : d.end] == "el pasado martes"


def test_what_is_not_a_date():
    assert find_dates_es("los lunes y cada martes hay visitas", REF) == []
    assert find_dates_es("el próximo lunes", REF) == []
    assert find_dates_es("hoy en día", REF) == []
    assert find_dates_es("dijo Plácido Domingo", REF) == []


def test_vague_spans_have_no_date():
    for text in (
        "en los últimos tres meses",
        "en semanas recientes",
        "recientemente",
        "el último mes",
    ):
        d = one(text)
        assert (d.kind, d.date) == ("vague", None), text


@pytest.mark.parametrize(
    "text",
    [
        "al 23 de febrero había 1.849 presos",
        "hasta el 23 de febrero había 1.849 presos",
        "con corte al 23 de febrero",
        "cifras actualizadas al 23 de febrero",
    ],
)
def test_as_of(text):
    d = one(text)
    assert (d.iso, d.as_of, d.since, d.until) == ("2025-02-23", True, False, False)


def test_a_months_close_is_its_last_day_and_an_as_of():
    d = one("contabilizó 1.113 presos al cierre de febrero")
    assert (d.iso, d.precision, d.as_of) == ("2025-02-28", "exact", True)
    assert one("al cierre de diciembre de 2024").iso == "2024-12-31"


def test_as_of_weekday_and_month():
    d = one("fueron arrestadas hasta el lunes por la noche")
    assert (d.iso, d.as_of) == ("2025-03-10", True)
    assert one("hasta febrero").as_of


@pytest.mark.parametrize(
    "text, iso",
    [
        ("desde el 28 de julio", "2024-07-28"),
        ("desde el pasado 28 de julio", "2024-07-28"),
        ("a partir del 28 de julio", "2024-07-28"),
        ("desde julio", "2024-07-01"),
        ("desde 2019", "2019-01-01"),
        ("desde el golpe de Estado del 1 de febrero de 2021", "2021-02-01"),
        ("desde que estallaron las protestas a mediados de octubre", "2024-10-15"),
    ],
)
def test_since_opens_a_period(text, iso):
    d = one(text)
    assert (d.iso, d.since, d.as_of) == (iso, True, False)


@pytest.mark.parametrize(
    "text",
    [
        "entre el 2 de febrero y el 9 de febrero",
        "del 2 de febrero al 9 de febrero",
        "desde el 2 de febrero hasta el 9 de febrero",
    ],
)
def test_a_closed_period_has_no_as_of(text):
    first, last = find_dates_es(text, REF)
    assert (first.iso, first.since, first.as_of) == ("2025-02-02", True, False)
    assert (last.iso, last.until, last.as_of) == ("2025-02-09", True, False)


def test_a_lone_from_is_no_period():
    d = one("la detención del 2 de febrero")
    assert (d.since, d.until) == (False, False)


@pytest.mark.parametrize(
    "text",
    [
        "tras las elecciones del 28 de julio",
        "tras las elecciones presidenciales del 28 de julio",
        "los comicios celebrados el 28 de julio",
        "el golpe de Estado del 1 de febrero",
        "durante las protestas del martes",
    ],
)
def test_event_dates(text):
    assert one(text).event


def test_a_count_date_is_no_event():
    assert not one("la ONG contó 40 presos el 28 de julio").event
