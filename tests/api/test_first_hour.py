"""What a newcomer or an integrator meets first: the API's front door, its errors, its lists.

- ``GET /api/v1/`` says where everything is;
- an unknown address under ``/api/`` is the documented JSON 404, with DEBUG on too;
- a token sent with another scheme than ``Bearer`` is a 401 saying how to send it;
- a list filter given as a repeated parameter (as OpenAPI clients send arrays)
  means what the comma-separated form means; any other parameter given twice is
  a 400, never "the last one wins";
- ``count=false`` is honoured on every list, page-numbered ones included.
"""

import uuid

import pytest
from django.core.management import call_command
from django.urls import resolve

from incidents.models import ApiToken, Partner
from incidents.reads import filters as filtersets
from tests.api.test_queries import LISTS

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(seeded):
    call_command(
        "generate_synthetic", incidents=4, figures=120, allegations=30, seed=5, verbosity=0
    )


def test_the_api_root_lists_every_list_service_and_document(client, records):
    response = client.get("/api/v1/")
    assert response.status_code == 200
    body = response.json()
    assert set(body["resources"]) == {
        "actors",
        "sources",
        "incidents",
        "detainee-groups",
        "figures",
        "allegations",
        "citations",
        "terms",
    }
    assert set(body["services"]) == {"changes", "import", "import-jobs", "webhooks"}
    for name, url in body["resources"].items():
        assert url == f"http://testserver/api/v1/{name}/"
        assert client.get(url).status_code == 200, url
    assert client.get(body["services"]["changes"]).status_code == 200
    for document in ("schema", "docs", "redoc"):
        assert client.get(body[document]).status_code == 200, document


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("path", ["/api/v1/nothing-here/", "/api/v2/", "/api/v1/figures/x/y/"])
def test_an_unknown_api_address_is_a_json_404_whatever_debug_is(client, settings, debug, path):
    settings.DEBUG = debug
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "type": "client_error",
        "errors": [{"code": "not_found", "detail": "No encontrado.", "attr": None}],
    }


@pytest.mark.parametrize("scheme", ["Token", "token", "Basic", "JWT"])
def test_a_token_sent_with_another_scheme_is_a_401_saying_how(client, scheme):
    _, secret = ApiToken.issue(partner=Partner.objects.create(name="P"), scope="read")
    response = client.get("/api/v1/figures/", HTTP_AUTHORIZATION=f"{scheme} {secret}")
    assert response.status_code == 401
    assert "Bearer" in response.json()["errors"][0]["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")
    spanish = client.get(
        "/api/v1/figures/", HTTP_AUTHORIZATION=f"{scheme} {secret}", HTTP_ACCEPT_LANGUAGE="es"
    )
    assert "Envíe" in spanish.json()["errors"][0]["detail"]
    # The same token, sent as documented, is accepted.
    assert client.get("/api/v1/figures/", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200


def ids(client, path, query: str) -> list:
    response = client.get(f"{path}?{query}&page_size=500")
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


LIST_FILTERS = [
    ("/api/v1/figures/", "measure", ["detained", "released"]),
    ("/api/v1/figures/", "ordering", ["-as_of", "value"]),
    ("/api/v1/incidents/", "country", ["VE", "SV"]),
    ("/api/v1/actors/", "kind", ["ngo", "person"]),
    ("/api/v1/sources/", "kind", ["ngo_statement", "news_article"]),
    ("/api/v1/allegations/", "status", ["alleged", "disputed"]),
    ("/api/v1/citations/", "stance", ["asserts", "disputes"]),
]


@pytest.mark.parametrize(("path", "name", "values"), LIST_FILTERS)
def test_a_repeated_list_filter_means_the_comma_separated_one(client, records, path, name, values):
    joined = ids(client, path, f"{name}={','.join(values)}")
    repeated = ids(client, path, "&".join(f"{name}={v}" for v in values))
    assert repeated == joined
    singles = [set(ids(client, path, f"{name}={v}")) for v in values]
    if name != "ordering":
        assert set(joined) == set().union(*singles)
        assert all(singles), "each value matches something: the test means something"


# The lists of records (terms have no comma-separated filter).
RECORD_LISTS = [path for path in LISTS if path != "/api/v1/terms/"]


def csv_filters(path):
    """The comma-separated filters of a list, each with two values it accepts."""
    filterset = resolve(path).func.cls.filterset_class(request=None)
    for name, field in filterset.form.fields.items():
        if not isinstance(filterset.filters[name], filtersets.BaseCSVFilter):
            continue
        choices = [code for code, _ in getattr(field, "choices", ()) if code][:2]
        if isinstance(filterset.filters[name], filtersets.UUIDsFilter):
            choices = [str(uuid.uuid4()), str(uuid.uuid4())]
        if len(choices) == 2:
            yield name, choices


@pytest.mark.parametrize("path", RECORD_LISTS)
def test_every_list_filter_of_every_list_takes_repeated_values(client, records, path):
    checked = 0
    for name, values in csv_filters(path):
        joined = ids(client, path, f"{name}={','.join(values)}")
        assert ids(client, path, "&".join(f"{name}={v}" for v in values)) == joined, name
        checked += 1
    assert checked >= 2


@pytest.mark.parametrize(
    "query",
    ["value__gte=1&value__gte=2", "page_size=1&page_size=2", "q=a&q=b", "count=false&count=true"],
)
def test_any_other_parameter_given_twice_is_a_400(client, query):
    response = client.get(f"/api/v1/figures/?{query}")
    assert response.status_code == 400
    name = query.partition("=")[0]
    repeated = [e for e in response.json()["errors"] if e["code"] == "repeated"]
    assert repeated == [{"code": "repeated", "detail": "Give this parameter once.", "attr": name}]


def test_count_false_is_honoured_on_the_latest_figures(client, records):
    counted = client.get("/api/v1/figures/latest/", {"page_size": 5}).json()
    assert counted["count"] > 10
    uncounted = client.get("/api/v1/figures/latest/", {"page_size": 5, "count": "false"}).json()
    assert uncounted["count"] is None
    assert [f["id"] for f in uncounted["results"]] == [f["id"] for f in counted["results"]]
    second = client.get(uncounted["next"]).json()
    assert second["count"] is None
    assert "page=2" in uncounted["next"] and "count=false" in uncounted["next"]
    expected = client.get("/api/v1/figures/latest/", {"page_size": 5, "page": 2}).json()
    assert [f["id"] for f in second["results"]] == [f["id"] for f in expected["results"]]
    assert client.get(second["previous"]).json()["results"] == uncounted["results"]
