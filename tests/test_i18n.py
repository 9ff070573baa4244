"""Spanish for the API and the admin: the request's language, the catalogue behind it.

A client that sends ``Accept-Language: es`` (or a staff member whose browser
does) gets the project's own messages and labels in Spanish, next to Django's
and DRF's; a client that sends nothing gets English, as before. The catalogue
(``incidents/locale/es``) must translate every string ``make messages`` finds,
with nothing left fuzzy: a new string without its translation fails here.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from incidents.api.authentication import MAX_FAILURES_PER_MINUTE
from incidents.models import Figure, Term

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "incidents"
PO = APP / "locale" / "es" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")

ES = {"HTTP_ACCEPT_LANGUAGE": "es"}


@pytest.fixture(autouse=True)
def english_afterwards():
    """LocaleMiddleware leaves the last request's language active in this thread."""
    yield
    translation.deactivate()


def detail(response) -> str:
    return response.json()["errors"][0]["detail"]


def details(response) -> dict:
    return {error["attr"]: error["detail"] for error in response.json()["errors"]}


# --- API errors --------------------------------------------------------------------------


def test_a_validation_error_follows_accept_language(client, db):
    spanish = client.get("/api/v1/figures/?minor=true", **ES)
    english = client.get("/api/v1/figures/?minor=true")

    assert spanish.status_code == english.status_code == 400
    assert spanish["Content-Language"] == "es"
    assert "Accept-Language" in spanish["Vary"]
    assert detail(spanish) == "Parámetro de consulta desconocido."
    assert detail(english) == "Unknown query parameter."


def test_filter_and_pagination_errors_are_in_spanish(client, db):
    assert detail(client.get("/api/v1/figures/?page_size=0", **ES)) == (
        "Ingrese un número entero de 1 a 500."
    )
    assert detail(client.get("/api/v1/figures/?cursor=zzz", **ES)) == (
        "No se puede leer este cursor; siga los enlaces next y previous."
    )
    assert detail(client.get("/api/v1/figures/?count=perhaps", **ES)) == "Ingrese true o false."
    dates = client.get("/api/v1/incidents/?date_from=2024-02-01&date_to=2024-01-01", **ES)
    assert details(dates) == {"date_to": "date_to no puede ser anterior a date_from."}
    # django-filter's own message comes from Django's catalogue.
    assert "Escoja una opción válida" in detail(client.get("/api/v1/figures/?measure=nope", **ES))


def test_the_services_rules_are_in_spanish(staff_client, seeded):
    incident = staff_client.get("/api/v1/incidents/").json()["results"][0]["id"]
    body = {"incident": incident, "label": "menores", "age_min": 17, "age_max": 14}

    spanish = staff_client.post("/api/v1/detainee-groups/", body, "application/json", **ES)
    english = staff_client.post("/api/v1/detainee-groups/", body, "application/json")

    assert spanish.status_code == english.status_code == 400
    assert details(spanish) == {"age_max": "La edad mínima no puede ser mayor que la edad máxima."}
    assert details(english) == {"age_max": "The minimum age cannot be above the maximum age."}


def test_serializer_messages_are_in_spanish(staff_client, seeded):
    body = {"incident": "not-a-uuid", "measure": "detained", "as_of": "2024-01-01"}
    response = staff_client.post("/api/v1/figures/", body, "application/json", **ES)

    assert response.status_code == 400
    assert details(response)["incident"] == "Ingrese un identificador válido (un UUID)."
    term = staff_client.post(
        "/api/v1/allegations/",
        {"incident": body["incident"], "violation_type": "nope"},
        "application/json",
        **ES,
    )
    assert details(term)["violation_type"] == (
        "No existe ningún término con el código nope en el vocabulario violation."
    )


def test_a_missing_record_and_a_missing_route_are_spanish_404s(client, db):
    record = client.get("/api/v1/figures/00000000-0000-0000-0000-000000000000/", **ES)
    route = client.get("/api/v1/no-such-thing/", **ES)

    assert record.status_code == route.status_code == 404
    assert detail(record) == detail(route) == "No encontrado."
    assert detail(client.get("/api/v1/no-such-thing/")) == "Not found."


def test_authentication_errors_are_in_spanish(client, db):
    wrong = client.get("/api/v1/figures/", HTTP_AUTHORIZATION="Bearer irt_nope_nope", **ES)
    anonymous = client.post("/api/v1/figures/", {}, "application/json", **ES)

    assert wrong.status_code == anonymous.status_code == 401
    assert detail(wrong) == "Token inválido."
    assert detail(anonymous) == "Las credenciales de autenticación no se proveyeron."


def test_permission_errors_are_in_spanish(client, db, django_user_model):
    viewer = django_user_model.objects.create_user("viewer", password="pw", is_staff=True)
    client.force_login(viewer)

    response = client.post(
        "/api/v1/actors/", {"name": "X", "kind": "ngo"}, "application/json", **ES
    )

    assert response.status_code == 403
    assert detail(response) == "Su rol de personal no le permite hacer esto."


def test_the_failed_token_throttle_is_in_spanish(client, db):
    cache.clear()
    try:
        for _attempt in range(MAX_FAILURES_PER_MINUTE):
            client.get("/api/v1/figures/", HTTP_AUTHORIZATION="Bearer irt_nope_nope")
        response = client.get("/api/v1/figures/", HTTP_AUTHORIZATION="Bearer irt_nope_nope", **ES)
    finally:
        cache.clear()

    assert response.status_code == 429
    # Ours, then DRF's own sentence about the wait.
    assert detail(response).startswith("Demasiados intentos fallidos con tokens. ")
    assert response["Retry-After"] in detail(response)  # the seconds to wait, stated


def test_a_body_too_large_is_refused_in_spanish_before_the_locale_middleware(client, db):
    too_large = str(settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    spanish = client.generic(
        "POST", "/api/v1/figures/", "{}", "application/json", CONTENT_LENGTH=too_large, **ES
    )
    english = client.generic(
        "POST", "/api/v1/figures/", "{}", "application/json", CONTENT_LENGTH=too_large
    )

    assert spanish.status_code == english.status_code == 413
    assert detail(spanish).startswith("El cuerpo de la solicitud supera el límite de ")
    assert detail(english).startswith("The request body is larger than the limit of ")


def test_a_spanish_request_does_not_make_the_next_one_spanish(client, db):
    client.get("/api/v1/figures/?minor=true", **ES)

    assert detail(client.get("/api/v1/figures/?minor=true")) == "Unknown query parameter."


# --- Labels in API responses -------------------------------------------------------------


def test_vocabulary_labels_follow_the_language(client, seeded):
    def labels(**headers):
        response = client.get("/api/v1/terms/?vocabulary=violation&page_size=100", **headers)
        return {term["code"]: term["label"] for term in response.json()["results"]}

    torture = Term.objects.get(vocabulary="violation", code="torture")
    assert labels(**ES)["torture"] == torture.label_es == "Tortura"
    assert labels()["torture"] == torture.label == "Torture"


def test_the_qualifier_in_a_figures_display_value_follows_the_language(client, seeded):
    def shown(**headers):
        response = client.get("/api/v1/figures/?page_size=100", **headers)
        return {figure["id"]: figure["display_value"] for figure in response.json()["results"]}

    at_least = str(Figure.objects.get(qualifier="at_least", value=129).uuid)
    several = str(Figure.objects.get(qualifier="unspecified", value=None).uuid)
    spanish, english = shown(**ES), shown()

    assert (spanish[at_least], english[at_least]) == ("al menos 129", "at least 129")
    assert (spanish[several], english[several]) == ("varias", "several")
    # Codes are the contract: they stay as they are in every language.
    figure = client.get(f"/api/v1/figures/{at_least}/", **ES).json()
    assert (figure["qualifier"], figure["measure"]) == ("at_least", "detained")


# --- The admin ---------------------------------------------------------------------------


def page(client, url, **headers) -> str:
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_admin_index_is_in_spanish(staff_client, db):
    spanish = page(staff_client, reverse("admin:index"), **ES)
    english = page(staff_client, reverse("admin:index"))

    assert "Registros de incidentes" in spanish  # the app
    assert "Entregas de webhook" in spanish  # a model
    assert "Cerrar sesión" in spanish  # Django's own
    assert "Incident records" in english and "Webhook deliveries" in english


def test_the_language_cookie_chooses_spanish_too(staff_client, db):
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"

    assert "Registros de incidentes" in page(staff_client, reverse("admin:index"))


def test_the_figure_changelist_is_in_spanish(staff_client, seeded):
    html = page(staff_client, reverse("admin:incidents_figure_changelist"), **ES)

    for text in (
        "Por medida",  # a list filter, with its choices
        "Personas aún detenidas",
        "Por calificador",
        "Sin especificar",
        "Vigentes",  # the state filter
        "Informada por",  # a column
        "al menos 129",  # a figure's value, as the source put it
        "Restaurar los registros eliminados seleccionados",  # an action
    ):
        assert text in html, text
    english = page(staff_client, reverse("admin:incidents_figure_changelist"))
    assert "Still detained" in english and "Restore the selected deleted records" in english


def test_the_figure_add_form_is_in_spanish(staff_client, db):
    html = page(staff_client, reverse("admin:incidents_figure_add"), **ES)

    for text in (
        "La cifra, tal como la dio la fuente",  # a fieldset
        "Límite inferior",  # a field
        "Fecha de referencia",
        "Quién puede leer este registro a través de la API.",  # a help text
        "Citas: quién lo dice, con sus propias palabras",  # the citations inline
        "Cita textual",
        "Afirma",  # a stance
        "Pública",  # a visibility
    ):
        assert text in html, text
    assert "The number, as the source put it" in page(
        staff_client, reverse("admin:incidents_figure_add")
    )


def test_admin_form_errors_are_in_spanish(staff_client, db):
    data = {"vocabulary": "method", "code": "test-code", "label": "Test", "esf_code": "123"}
    response = staff_client.post(reverse("admin:incidents_term_add"), data, **ES)

    assert response.status_code == 200
    assert "Un código ESF tiene doce dígitos." in response.content.decode()


def test_admin_action_messages_are_in_spanish(staff_client, seeded):
    figure = Figure.objects.first()
    response = staff_client.post(
        reverse("admin:incidents_figure_changelist"),
        {"action": "restore_records", "_selected_action": [figure.pk]},
        follow=True,
        **ES,
    )

    assert "Se restauraron 0 registros." in response.content.decode()


# --- The catalogue -----------------------------------------------------------------------


def read_catalogue(path: Path):
    with open(path, "rb") as f:
        return read_po(f, locale="es")


def problems(catalogue) -> list[str]:
    """Entries that are fuzzy or lack a translation (any plural form)."""
    found = []
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            found.append(message.id)
    return found


def test_the_catalogue_is_complete_and_nothing_is_fuzzy():
    catalogue = read_catalogue(PO)

    assert catalogue.locale_identifier == "es"
    assert catalogue.plural_forms == "nplurals=2; plural=(n != 1);"
    assert not catalogue.fuzzy
    assert len(catalogue) > 400
    assert problems(catalogue) == []


def test_the_compiled_catalogue_is_up_to_date_and_loaded():
    assert MO.exists(), "run `make install` to compile the translations"
    assert MO.stat().st_mtime >= PO.stat().st_mtime, "run `make install`: the .mo is stale"
    untranslated = []
    with translation.override("es"):
        for message in read_catalogue(PO):
            if not message.id:
                continue
            if isinstance(message.id, tuple):
                singular, plural = message.id
                got = (
                    translation.npgettext(message.context, singular, plural, 2)
                    if (message.context)
                    else translation.ngettext(singular, plural, 2)
                )
                expected, english = message.string[1], plural
            else:
                got = (
                    translation.pgettext(message.context, message.id)
                    if message.context
                    else translation.gettext(message.id)
                )
                expected, english = message.string, message.id
            # Django's and other apps' catalogues come first for the msgids they share
            # with ours ("Home"), so only check that the answer is not the English one.
            if expected != english and got == english:
                untranslated.append(message.id)
    assert untranslated == []


@pytest.mark.skipif(
    shutil.which("xgettext") is None or shutil.which("msgmerge") is None,
    reason="makemessages needs GNU gettext",
)
def test_every_string_makemessages_finds_is_translated(tmp_path):
    """``make messages`` on a copy of the app: nothing new, nothing fuzzy, nothing empty."""
    copy = tmp_path / "incidents"
    shutil.copytree(
        APP,
        copy,
        ignore=shutil.ignore_patterns("__pycache__", "*.mo", "*.pyc"),
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.test_settings",
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    command = [
        sys.executable,
        str(ROOT / "manage.py"),
        "makemessages",
        "--locale",
        "es",
        "--no-obsolete",
        "--add-location",
        "file",
    ]
    result = subprocess.run(command, cwd=copy, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr

    merged = read_catalogue(copy / "locale" / "es" / "LC_MESSAGES" / "django.po")
    committed = {message.id for message in read_catalogue(PO) if message.id}
    new = [message.id for message in merged if message.id and message.id not in committed]
    assert new == [], "run `make messages`, translate these, then `make install`"
    assert problems(merged) == []


def test_a_records_history_page_is_in_spanish(staff_client, seeded):
    # django-simple-history ships no Spanish: config/locale holds it.
    from incidents.models import Figure

    figure = Figure.objects.first()
    url = f"/admin/incidents/figure/{figure.pk}/history/"
    html = staff_client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Elija una fecha de la lista" in html
    assert "Este objeto no tiene historial de cambios." in html  # loaded, not written: no entries
    assert "Choose a date from the list below" in staff_client.get(url).content.decode()
