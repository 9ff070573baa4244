"""The timeline chart (/api/v1/incidents/{id}/chart/): an image of what the timeline lists.

It is checked against the timeline of the same caller and filters: one line per
reporter in each series, a red ring for each contested figure, and nothing the
caller may not read. Errors are the API's JSON, never an image.
"""

import datetime
import xml.etree.ElementTree as ET

import pytest
import schemathesis
from django.test import Client
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from incidents.choices import Measure, Qualifier, Stance, Visibility
from incidents.models import Incident
from tests.factories import ActorFactory, CitationFactory, IncidentFactory, SourceFactory

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def crackdown(seeded) -> Incident:
    return Incident.objects.get(kind="crackdown")


def chart_url(incident) -> str:
    return f"/api/v1/incidents/{incident.uuid}/chart/"


def svg_of(response) -> ET.Element:
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("image/svg+xml")
    return ET.fromstring(response.content)


def texts(root: ET.Element) -> str:
    """Every text the SVG shows, one per line (matplotlib keeps text as text)."""
    return "\n".join("".join(node.itertext()) for node in root.iter(f"{SVG}text"))


def ids_starting(root: ET.Element, prefix: str) -> list[str]:
    return [
        node.get("id") for node in root.iter(f"{SVG}g") if node.get("id", "").startswith(prefix)
    ]


def reporters_by_series(client, incident, params=None) -> list[set[str]]:
    """Who reported each series of the timeline, as the timeline names them."""
    timeline = client.get(f"/api/v1/incidents/{incident.uuid}/timeline/", params or {}).json()
    return [
        {
            (point["reported_by"]["issuer"] or {}).get("name") or point["reported_by"]["title"]
            for point in series["points"]
        }
        for series in timeline["series"]
    ]


def assert_json_error(response, status: int, code: str, attr=None):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["errors"][0]
    assert (error["code"], error["attr"]) == (code, attr)
    assert "Content-Disposition" not in response


# --- formats --------------------------------------------------------------------------------


def test_chart_is_an_svg_by_default_with_one_line_per_reporter_of_each_series(client, crackdown):
    params = {"measure": "still_detained"}
    root = svg_of(client.get(chart_url(crackdown), params))

    expected = reporters_by_series(client, crackdown, params)
    assert len(ids_starting(root, "chart-line-")) == sum(len(names) for names in expected)
    shown = texts(root)
    assert {"Foro Penal", "Alfredo Romero"} == set().union(*expected)
    assert "Foro Penal" in shown and "Alfredo Romero" in shown
    assert "Post-election crackdown in Venezuela" in shown
    assert "Still detained: minors aged 14-17" in shown


def test_contested_figures_are_ringed_and_named_in_the_legend(client, crackdown):
    timeline = client.get(f"/api/v1/incidents/{crackdown.uuid}/timeline/").json()
    contested_series = [
        series for series in timeline["series"] if any(p["contested"] for p in series["points"])
    ]
    assert contested_series  # the Attorney General's release figures, which NGOs dispute

    root = svg_of(client.get(chart_url(crackdown)))

    assert len(ids_starting(root, "chart-contested-")) == len(contested_series)
    assert "contested" in texts(root).splitlines()
    assert "Attorney General's Office" in texts(root)


def test_a_chart_without_contested_figures_has_no_contested_marker(client, crackdown):
    root = svg_of(client.get(chart_url(crackdown), {"measure": "still_detained"}))

    assert ids_starting(root, "chart-contested-") == []
    assert "contested" not in texts(root).splitlines()


@pytest.mark.parametrize(
    ("params", "headers"),
    [({"format": "png"}, {}), ({}, {"HTTP_ACCEPT": "image/png"})],
    ids=["format=png", "Accept: image/png"],
)
def test_chart_is_a_png_when_asked(client, crackdown, params, headers):
    response = client.get(chart_url(crackdown), params, **headers)

    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(PNG_MAGIC)
    assert response.content[12:16] == b"IHDR"
    width = int.from_bytes(response.content[16:20], "big")
    assert 600 <= width <= 2000


def test_svg_is_chosen_for_a_browsers_accept_header(client, crackdown):
    accept = "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8"
    svg_of(client.get(chart_url(crackdown), HTTP_ACCEPT=accept))


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_chart_is_named_after_the_incident_and_shown_inline(client, crackdown, fmt):
    response = client.get(chart_url(crackdown), {"format": fmt})

    assert response["Content-Disposition"] == (
        f'inline; filename="post-election-crackdown-in-venezuela-timeline.{fmt}"'
    )
    assert "Accept" in response["Vary"]


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_the_same_data_gives_the_same_bytes(client, crackdown, fmt):
    first = client.get(chart_url(crackdown), {"format": fmt})
    second = client.get(chart_url(crackdown), {"format": fmt})

    assert first.status_code == 200
    assert first.content == second.content


def test_svg_carries_no_date_and_the_incident_as_its_title(client, crackdown):
    body = client.get(chart_url(crackdown)).content.decode()
    assert "<dc:date>" not in body
    assert "<dc:title>Post-election crackdown in Venezuela</dc:title>" in body


# --- what it shows --------------------------------------------------------------------------


def test_filters_narrow_the_chart(client, crackdown):
    shown = texts(svg_of(client.get(chart_url(crackdown), {"measure": "killed"})))

    assert "United Nations experts" in shown
    assert "Foro Penal" not in shown
    assert "Still detained" not in shown


def test_an_incident_without_figures_gives_a_small_chart_saying_so(client):
    incident = IncidentFactory(title="A quiet incident")
    response = client.get(chart_url(incident))

    shown = texts(svg_of(response))
    assert "No figures" in shown
    assert "A quiet incident" in shown
    png = client.get(chart_url(incident), {"format": "png"})
    assert png.status_code == 200 and png.content.startswith(PNG_MAGIC)


def test_filters_matching_nothing_give_the_empty_chart(client, crackdown):
    shown = texts(svg_of(client.get(chart_url(crackdown), {"value__gte": 1_000_000})))
    assert "No figures" in shown


def test_ranges_and_figures_without_a_number_are_drawn(client):
    incident = IncidentFactory(title="Ranges")
    CitationFactory(
        figure__incident=incident, figure__value=None, figure__value_low=50, figure__value_high=80
    )
    CitationFactory(
        figure__incident=incident,
        figure__value=None,
        figure__qualifier=Qualifier.UNSPECIFIED,
        figure__as_of=datetime.date(2024, 11, 20),
    )
    shown = texts(svg_of(client.get(chart_url(incident))))

    assert "50-80" in shown and "range" in shown.splitlines()
    assert "several" in shown


def test_a_dollar_sign_in_a_name_is_text_not_a_formula(client):
    incident = IncidentFactory(title="Fines of US$ 5 and US$ 10")
    CitationFactory(figure__incident=incident, source__issuer=ActorFactory(name="Fund $ watch"))
    shown = texts(svg_of(client.get(chart_url(incident))))

    assert "Fines of US$ 5 and US$ 10" in shown
    assert "Fund $ watch" in shown


def test_labels_follow_accept_language(client, crackdown):
    """Month names come from Django's own Spanish catalogue: "Dic", not "Dec"."""
    english = texts(svg_of(client.get(chart_url(crackdown), HTTP_ACCEPT_LANGUAGE="en")))
    spanish = texts(svg_of(client.get(chart_url(crackdown), HTTP_ACCEPT_LANGUAGE="es")))

    assert "1 Dec" in english and "Dic" not in english
    assert "1 Dic" in spanish and "Dec" not in spanish


# --- access ---------------------------------------------------------------------------------


def restricted_figure(incident, reporter: str):
    """A restricted figure in a public incident, reported by an actor with a unique name."""
    source = SourceFactory(issuer=ActorFactory(name=reporter), title=f"{reporter} memo")
    return CitationFactory(
        source=source,
        figure__incident=incident,
        figure__measure=Measure.STILL_DETAINED,
        figure__value=4321,
        figure__visibility=Visibility.RESTRICTED,
    ).figure


def test_restricted_figures_appear_only_to_callers_who_may_read_them(staff_client, crackdown):
    restricted_figure(crackdown, "Zanzibar Confidential Monitor")

    anonymous = texts(svg_of(Client().get(chart_url(crackdown))))
    staff = texts(svg_of(staff_client.get(chart_url(crackdown))))

    assert "Zanzibar Confidential Monitor" not in anonymous
    assert "4,321" not in anonymous
    assert "Zanzibar Confidential Monitor" in staff
    assert "4,321" in staff


def test_a_hidden_issuer_is_never_named(client):
    incident = IncidentFactory()
    hidden = ActorFactory(name="Undisclosed Informant Network", visibility=Visibility.RESTRICTED)
    CitationFactory(
        figure__incident=incident, source=SourceFactory(issuer=hidden, title="Leaked memo")
    )
    shown = texts(svg_of(client.get(chart_url(incident))))

    assert "Undisclosed Informant Network" not in shown
    assert "Leaked memo" in shown


def test_a_hidden_objection_does_not_make_a_figure_contested(client):
    figure = CitationFactory().figure
    CitationFactory(
        figure=figure,
        stance=Stance.DISPUTES,
        source=SourceFactory(visibility=Visibility.RESTRICTED),
    )
    root = svg_of(client.get(chart_url(figure.incident)))

    assert ids_starting(root, "chart-contested-") == []


# --- errors: the API's JSON, never an image -------------------------------------------------


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_unknown_incident_is_a_json_404(client, fmt):
    response = client.get(
        "/api/v1/incidents/00000000-0000-0000-0000-000000000000/chart/", {"format": fmt}
    )
    assert_json_error(response, 404, "not_found")


def test_malformed_id_is_a_json_404(client):
    assert_json_error(client.get("/api/v1/incidents/not-a-uuid/chart/"), 404, "not_found")


def test_unreadable_incident_is_a_json_404(client):
    incident = IncidentFactory(visibility=Visibility.RESTRICTED)
    CitationFactory(figure__incident=incident)
    assert_json_error(client.get(chart_url(incident)), 404, "not_found")


@pytest.mark.parametrize(
    ("params", "code", "attr"),
    [
        ({"measure": "arrested"}, "invalid_choice", "measure"),
        ({"as_of__gte": "mid-November"}, "invalid", "as_of__gte"),
        ({"measures": "still_detained"}, "unknown", "measures"),
    ],
)
def test_a_bad_filter_is_a_json_400(client, crackdown, params, code, attr):
    response = client.get(chart_url(crackdown), {**params, "format": "png"})
    assert_json_error(response, 400, code, attr)


@pytest.mark.parametrize(
    ("params", "headers"),
    [
        ({"format": "gif"}, {}),
        ({"format": "json"}, {}),
        ({}, {"HTTP_ACCEPT": "application/json"}),
        ({}, {"HTTP_ACCEPT": "image/gif"}),
    ],
    ids=["format=gif", "format=json", "Accept: application/json", "Accept: image/gif"],
)
def test_an_unsupported_format_is_a_json_406(client, crackdown, params, headers):
    response = client.get(chart_url(crackdown), params, **headers)
    assert_json_error(response, 406, "not_acceptable")


def test_writing_to_the_chart_is_refused_in_json(client, crackdown):
    response = client.post(chart_url(crackdown))
    assert response.status_code in (401, 405)
    assert response["Content-Type"].startswith("application/json")


def test_the_chart_is_documented_as_svg_and_png_with_json_errors(client):
    paths = client.get("/api/schema/?format=json").json()["paths"]
    responses = paths["/api/v1/incidents/{id}/chart/"]["get"]["responses"]

    assert set(responses["200"]["content"]) == {"image/svg+xml", "image/png"}
    for status in ("400", "404", "406"):
        assert set(responses[status]["content"]) == {"application/json"}, status


def test_seeded_charts_conform_to_the_schema(seeded, wsgi_app):
    """Random ids rarely hit an incident: here every seeded incident's chart is checked."""
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app)
    operation = schema["/api/v1/incidents/{id}/chart/"]["GET"]
    checks = [not_a_server_error, status_code_conformance, response_schema_conformance]
    for public_id in Incident.objects.values_list("uuid", flat=True):
        for fmt in ("svg", "png"):
            response = operation.Case(
                path_parameters={"id": str(public_id)}, query={"format": fmt}
            ).call_and_validate(checks=checks)
            assert response.status_code == 200
