"""Hidden witnesses stay hidden: nothing that groups or matches by reporter tells on them.

A public testimony may be issued by a witness kept restricted. Whatever the caller
may not read must make no difference to what it is shown: the contested rule, the
latest figures, ``figure.disputed`` webhooks and the issuer filters answer exactly
the same whether two hidden testimonies came from one person or from two.
"""

import csv
import datetime
import io

import pytest

from incidents.choices import ActorKind, Visibility
from incidents.models import WebhookDelivery
from incidents.writes import services
from tests.factories import ActorFactory, CitationFactory, IncidentFactory, SourceFactory

pytestmark = pytest.mark.django_db
DAY = datetime.date(2024, 11, 15)
JSON = "application/json"


def witness(owner=None):
    return ActorFactory(kind=ActorKind.PERSON, visibility=Visibility.RESTRICTED, owner=owner)


def hidden_testimonies(same_witness: bool, owner=None, values=(40, 55)):
    """Public figures from public testimonies whose witnesses are hidden: one person or several."""
    incident = IncidentFactory(visibility=Visibility.PUBLIC)
    first = witness(owner)
    for number, value in enumerate(values):
        issuer = first if same_witness else witness(owner)
        CitationFactory(
            source=SourceFactory(issuer=issuer, title=f"Testimony {number}"),
            figure__incident=incident,
            figure__value=value,
            figure__as_of=DAY + datetime.timedelta(days=number * 3),
        )
    return incident


def what_is_shown(client, incident, **headers) -> dict:
    """Everything a caller is told about the incident's figures, ids left out."""
    scope = {"incident": str(incident.uuid), "page_size": 100}
    figures = client.get("/api/v1/figures/", scope, **headers).json()["results"]
    latest = client.get("/api/v1/figures/latest/", scope, **headers).json()["results"]
    contested = client.get("/api/v1/figures/", {**scope, "contested": "true"}, **headers).json()
    export = client.get(
        "/api/v1/figures/", {"incident": scope["incident"], "format": "csv"}, **headers
    )
    assert export.status_code == 200
    rows = csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode()))
    return {
        "figures": sorted(
            (
                f["value"],
                f["contested"],
                sorted((r["reason"], r["figure"]["value"]) for r in f["contest_reasons"]),
                f["citations"][0]["source"]["issuer"],
            )
            for f in figures
        ),
        "latest": sorted(f["value"] for f in latest),
        "contested": contested["count"],
        "exported": sorted((row["value"], row["contested"]) for row in rows),
    }


def test_the_public_cannot_tell_whether_two_testimonies_share_a_hidden_witness(client):
    one, two = hidden_testimonies(same_witness=True), hidden_testimonies(same_witness=False)
    shown = what_is_shown(client, one)
    assert shown == what_is_shown(client, two)
    # Two sources, the witness unknown: two reporters with different values.
    assert shown["contested"] == 2
    assert shown["latest"] == [40, 55]
    assert {issuer for *_, issuer in shown["figures"]} == {None}


def test_a_partner_that_cannot_read_the_witnesses_sees_what_the_public_sees(
    client, partner_a, a, b
):
    one = hidden_testimonies(same_witness=True, owner=partner_a)
    two = hidden_testimonies(same_witness=False, owner=partner_a)
    assert what_is_shown(client, one, **b) == what_is_shown(client, two, **b)
    assert what_is_shown(client, one, **b) == what_is_shown(client, one)


@pytest.mark.parametrize("reader", ["staff", "owner"])
def test_those_who_read_the_witnesses_see_one_witness_as_one_reporter(
    request, client, partner_a, a, reader
):
    one = hidden_testimonies(same_witness=True, owner=partner_a)
    two = hidden_testimonies(same_witness=False, owner=partner_a)
    caller = request.getfixturevalue("staff_client") if reader == "staff" else client
    headers = a if reader == "owner" else {}
    # One person updating their count is not a dispute; two people disagreeing is.
    assert what_is_shown(caller, one, **headers)["contested"] == 0
    assert what_is_shown(caller, one, **headers)["latest"] == [55]
    assert what_is_shown(caller, two, **headers)["contested"] == 2
    assert what_is_shown(caller, two, **headers)["latest"] == [40, 55]


def test_filtering_by_an_organisation_ignores_members_the_caller_cannot_read(
    client, admin_client, partner_a, a, b
):
    organisation = ActorFactory(visibility=Visibility.PUBLIC)
    hidden = ActorFactory(
        parent=organisation,
        kind=ActorKind.PERSON,
        visibility=Visibility.RESTRICTED,
        owner=partner_a,
    )
    shown = ActorFactory(parent=organisation, kind=ActorKind.PERSON, visibility=Visibility.PUBLIC)
    secret = CitationFactory(source=SourceFactory(issuer=hidden, title="Anonymous testimony"))
    open_ = CitationFactory(source=SourceFactory(issuer=shown, title="Signed testimony"))

    def found(path, caller, **headers):
        body = caller.get(path, {"issuer": str(organisation.uuid)}, **headers).json()
        return {row["id"] for row in body["results"]}

    for path, secret_id, open_id in (
        ("/api/v1/sources/", secret.source.uuid, open_.source.uuid),
        ("/api/v1/figures/", secret.figure.uuid, open_.figure.uuid),
    ):
        assert found(path, client) == {str(open_id)}
        assert found(path, client, **b) == {str(open_id)}
        assert found(path, client, **a) == {str(open_id), str(secret_id)}
        assert found(path, admin_client) == {str(open_id), str(secret_id)}


def disputed(subscription) -> list[str]:
    return sorted(
        str(d.payload["record_id"])
        for d in WebhookDelivery.objects.filter(
            subscription=subscription, event_type="figure.disputed"
        )
    )


@pytest.mark.parametrize("same_witness", [True, False])
def test_figure_disputed_compares_reporters_as_each_subscriber_sees_them(
    client, partner_a, partner_b, a, receiver, fake_dns, same_witness
):
    from incidents.integration import webhooks

    outsider = webhooks.create_subscription(
        partner=partner_b, url=receiver.url_for("/b"), events=["figure.disputed"]
    )
    owner = webhooks.create_subscription(
        partner=partner_a, url=receiver.url_for("/a"), events=["figure.disputed"]
    )
    incident = IncidentFactory(visibility=Visibility.PUBLIC)
    first = witness(partner_a)
    ids = []
    for number, value in enumerate((40, 55)):
        issuer = first if same_witness else witness(partner_a)
        source = SourceFactory(issuer=issuer, visibility=Visibility.PUBLIC)
        body = {
            "incident": str(incident.uuid),
            "measure": "detained",
            "value": value,
            "qualifier": "exact",
            "as_of": str(DAY + datetime.timedelta(days=number)),
            "visibility": "public",
            "citations": [{"source": str(source.uuid), "quote": "documented at least 40"}],
        }
        response = client.post("/api/v1/figures/", body, content_type=JSON, **a)
        assert response.status_code == 201, response.content
        ids.append(response.json()["id"])
    # The outsider cannot tell one witness from two: both figures are disputed either way.
    assert disputed(outsider) == sorted(ids)
    # The owner reads its witnesses: one person updating a count disputes nothing.
    assert disputed(owner) == ([] if same_witness else sorted(ids))
    # And the API tells each the same.
    shown = client.get(f"/api/v1/figures/{ids[0]}/").json()
    assert shown["contested"] is True
    assert client.get(f"/api/v1/figures/{ids[0]}/", **a).json()["contested"] is not same_witness


def test_a_hidden_witness_made_public_becomes_one_reporter_to_everyone(client, admin_client):
    incident = hidden_testimonies(same_witness=True)
    assert what_is_shown(client, incident)["contested"] == 2
    person = incident.figures.first().citations.first().source.issuer
    services.record_update(record=person, fields={"visibility": Visibility.PUBLIC}, principal=None)
    assert what_is_shown(client, incident)["contested"] == 0
    assert what_is_shown(client, incident) == what_is_shown(admin_client, incident)
