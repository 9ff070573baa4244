"""The OpenAPI schema: valid, committed, served with its documentation, and true to responses."""

import re
from pathlib import Path

import pytest
import schemathesis
from django.conf import settings
from django.core.management import call_command
from django.utils import translation
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from incidents.models import Actor, Allegation, DetaineeGroup, Figure, Incident, Source, Term

COMMITTED = Path(settings.BASE_DIR) / "docs" / "openapi.yaml"
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


@pytest.mark.django_db
def test_generated_schema_is_valid_and_matches_the_committed_one(tmp_path):
    generated = tmp_path / "openapi.yaml"
    with translation.override("en"):  # an earlier request may have left Spanish active
        call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(generated))
    assert generated.read_text() == COMMITTED.read_text(), (
        "docs/openapi.yaml differs from what the code generates: run `make schema`."
    )


@pytest.mark.django_db
def test_schema_is_served_as_json_and_yaml(client):
    as_json = client.get("/api/schema/?format=json")
    assert as_json.status_code == 200
    assert as_json.json()["openapi"].startswith("3.")
    assert "/api/v1/figures/" in as_json.json()["paths"]
    as_yaml = client.get("/api/schema/")
    assert as_yaml.status_code == 200
    assert b"/api/v1/incidents/{id}/timeline/:" in as_yaml.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "asset"),
    [("/api/docs/", "swagger-ui-bundle.js"), ("/api/redoc/", "redoc.standalone.js")],
)
def test_documentation_pages_load_their_assets_from_this_server(client, path, asset):
    page = client.get(path).content.decode()
    assert "/static/drf_spectacular_sidecar/" in page
    assert asset in page
    assert "cdn." not in page and "unpkg.com" not in page
    # Nothing from any other host: no web fonts either. Offline, and no third party is told.
    assert re.findall(r"""(?:src|href)=["']?(https?:)?//""", page) == []


@pytest.mark.django_db
def test_schema_lists_the_allowed_codes_of_filters(client):
    paths = client.get("/api/schema/?format=json").json()["paths"]
    parameters = {p["name"]: p for p in paths["/api/v1/allegations/"]["get"]["parameters"]}
    assert "electric_shock" in parameters["method"]["schema"]["items"]["enum"]
    assert "torture" in parameters["violation_type"]["schema"]["items"]["enum"]
    figure_parameters = {p["name"]: p for p in paths["/api/v1/figures/"]["get"]["parameters"]}
    assert figure_parameters["contested"]["schema"]["type"] == "boolean"
    assert figure_parameters["value__gte"]["schema"]["type"] == "integer"
    assert figure_parameters["as_of__lte"]["schema"]["format"] == "date"


@pytest.mark.django_db
def test_every_operation_documents_errors_in_the_one_error_shape(client):
    paths = client.get("/api/schema/?format=json").json()["paths"]
    checked = 0
    for path, operations in paths.items():
        for method in ("get", "post", "put", "patch", "delete"):
            if method not in operations:
                continue
            responses = operations[method]["responses"]
            expected = {"400", "500"} | ({"404"} if method == "get" else set())
            assert expected <= set(responses), (method, path)
            # Bodies may also fail to parse: writes document that in WriteErrorResponse400.
            shapes = {"ValidationErrorResponse"} | (
                {"WriteErrorResponse400"} if method != "get" else set()
            )
            schema = responses["400"]["content"]["application/json"]["schema"]
            assert schema["$ref"].rsplit("/", 1)[1] in shapes, (method, path)
            checked += 1
    assert checked > 60


DETAIL_PATHS = {
    Actor: "/api/v1/actors/{id}/",
    Source: "/api/v1/sources/{id}/",
    Incident: "/api/v1/incidents/{id}/",
    DetaineeGroup: "/api/v1/detainee-groups/{id}/",
    Figure: "/api/v1/figures/{id}/",
    Allegation: "/api/v1/allegations/{id}/",
    Term: "/api/v1/terms/{id}/",
}


def test_every_seed_record_and_timeline_conforms_to_the_schema(seeded, wsgi_app):
    """Random UUIDs rarely hit a record; here every detail that exists is checked."""
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app)
    checked = 0
    for model, path in DETAIL_PATHS.items():
        operation = schema[path]["GET"]
        for public_id in model.objects.values_list("uuid", flat=True):
            response = operation.Case(path_parameters={"id": str(public_id)}).call_and_validate(
                checks=CHECKS
            )
            assert response.status_code == 200
            checked += 1
    timeline = schema["/api/v1/incidents/{id}/timeline/"]["GET"]
    for public_id in Incident.objects.values_list("uuid", flat=True):
        timeline.Case(path_parameters={"id": str(public_id)}).call_and_validate(checks=CHECKS)
    assert checked == 98 - 41 + Term.objects.count()  # every record but citations, plus terms
