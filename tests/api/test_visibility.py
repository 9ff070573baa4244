"""Only public records reach the read API, and nothing hidden rides along inside them."""

import pytest

from incidents.choices import Stance, Visibility
from tests.factories import (
    ActorFactory,
    AllegationFactory,
    CitationFactory,
    DetaineeGroupFactory,
    IncidentFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db
RESTRICTED = Visibility.RESTRICTED


def ids(response):
    assert response.status_code == 200, response.content
    return {record["id"] for record in response.json()["results"]}


@pytest.mark.parametrize("visibility", [Visibility.PARTNERS, Visibility.RESTRICTED])
def test_non_public_figure_is_neither_listed_nor_fetched(client, visibility):
    hidden = CitationFactory(figure__visibility=visibility).figure
    shown = CitationFactory().figure
    assert ids(client.get("/api/v1/figures/")) == {str(shown.uuid)}
    assert (
        client.get("/api/v1/figures/", {"incident": str(hidden.incident.uuid)}).json()["count"] == 0
    )
    response = client.get(f"/api/v1/figures/{hidden.uuid}/")
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_found"


def test_figures_of_a_restricted_incident_are_hidden_with_it(client):
    figure = CitationFactory(figure__incident__visibility=RESTRICTED).figure
    assert ids(client.get("/api/v1/figures/")) == set()
    assert client.get(f"/api/v1/figures/{figure.uuid}/").status_code == 404
    assert client.get(f"/api/v1/incidents/{figure.incident.uuid}/timeline/").status_code == 404


def test_figures_of_a_restricted_group_are_hidden_with_it(client):
    group = DetaineeGroupFactory(visibility=RESTRICTED)
    figure = CitationFactory(figure__incident=group.incident, figure__group=group).figure
    assert str(figure.uuid) not in ids(client.get("/api/v1/figures/"))
    timeline = client.get(f"/api/v1/incidents/{group.incident.uuid}/timeline/").json()
    assert timeline["series"] == []


def test_restricted_citation_is_not_embedded_and_does_not_contest(client):
    figure = CitationFactory().figure
    CitationFactory(
        figure=figure,
        stance=Stance.DISPUTES,
        visibility=RESTRICTED,
        quote="a confidential witness disputes the count",
    )
    [shown] = client.get("/api/v1/figures/").json()["results"]
    assert [c["stance"] for c in shown["citations"]] == ["asserts"]
    assert shown["contested"] is False
    assert client.get("/api/v1/figures/", {"contested": "true"}).json()["count"] == 0
    assert client.get("/api/v1/figures/", {"q": "confidential witness"}).json()["count"] == 0


def test_citation_of_a_restricted_source_is_not_embedded(client):
    incident = IncidentFactory()
    CitationFactory(figure=None, incident=incident, source=SourceFactory(visibility=RESTRICTED))
    [shown] = client.get("/api/v1/incidents/").json()["results"]
    assert shown["citations"] == []


def test_restricted_perpetrator_and_issuer_are_shown_as_null(client):
    informant = ActorFactory(visibility=RESTRICTED, name="Confidential informant")
    allegation = AllegationFactory(perpetrator=informant)
    source = SourceFactory(issuer=informant)
    assert client.get(f"/api/v1/allegations/{allegation.uuid}/").json()["perpetrator"] is None
    assert client.get(f"/api/v1/sources/{source.uuid}/").json()["issuer"] is None
    assert "Confidential informant" not in client.get("/api/v1/actors/").content.decode()


def test_latest_figures_ignore_hidden_newer_figures(client):
    older = CitationFactory(figure__value=40).figure
    CitationFactory(
        source=SourceFactory(issuer=older.citations.get().source.issuer),
        figure__incident=older.incident,
        figure__value=55,
        figure__as_of="2024-12-01",
        figure__visibility=RESTRICTED,
    )
    latest = client.get("/api/v1/figures/latest/").json()["results"]
    assert [f["value"] for f in latest] == [40]
