"""The questions the API exists to answer, asked over HTTP of the seed article's records."""

import pytest

pytestmark = pytest.mark.usefixtures("seeded")


def get(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, response.content
    return response.json()


def minors_group(client):
    groups = get(client, "/api/v1/detainee-groups/?minors=true")["results"]
    assert [g["label"] for g in groups] == ["minors aged 14-17"]
    return groups[0]


def actor_id(client, name):
    actors = get(client, f"/api/v1/actors/?q={name}")["results"]
    return next(a["id"] for a in actors if a["name"] == name)


def test_minors_still_detained_in_mid_november_according_to_foro_penal(client):
    group = minors_group(client)
    latest = get(
        client,
        f"/api/v1/figures/latest/?group={group['id']}&measure=still_detained&as_of__lte=2024-11-30",
    )["results"]
    assert len(latest) == 1
    figure = latest[0]
    assert (figure["value"], figure["as_of"], figure["as_of_precision"]) == (
        69,
        "2024-11-15",
        "approximate",
    )
    assert figure["reported_by"]["issuer"]["name"] == "Foro Penal"
    corroborating = [c for c in figure["citations"] if c["stance"] == "corroborates"]
    assert [c["source"]["issuer"]["name"] for c in corroborating] == ["Luis Almagro"]
    assert "69 minors remained unjustly detained" in figure["citations"][0]["quote"]


def test_latest_figure_for_detained_minors_is_none_left(client):
    group = minors_group(client)
    latest = get(client, f"/api/v1/figures/latest/?group={group['id']}&measure=still_detained")
    assert [(f["value"], f["as_of"]) for f in latest["results"]] == [(0, "2024-12-24")]


def test_latest_figures_keep_one_figure_per_group_measure_and_reporter(client):
    latest = get(client, "/api/v1/figures/latest/?page_size=500")["results"]
    keys = [
        (f["incident"]["id"], (f["group"] or {}).get("id"), f["measure"], f["reported_by"]["id"])
        for f in latest
    ]
    assert len(keys) == len(set(keys))
    # Eleven figures, two of which (69 then 0 minors) share group, measure and reporter.
    assert len(latest) == 10


def test_attorney_general_claims_and_who_disputes_them(client):
    office = actor_id(client, "Attorney General's Office")
    figures = get(client, f"/api/v1/figures/?issuer={office}&ordering=value")["results"]
    assert [(f["measure"], f["value"]) for f in figures] == [("released", 223), ("released", 956)]
    for figure in figures:
        assert figure["contested"] is True
        [reason] = figure["contest_reasons"]
        assert reason["reason"] == "disputes"
        assert reason["source"]["issuer"]["name"] == "local nongovernment organizations"
        assert "“lying” with official statistics" in reason["citation"]["quote"]


def test_the_only_contested_figures_are_the_attorney_generals(client):
    contested = get(client, "/api/v1/figures/?contested=true")["results"]
    assert {f["reported_by"]["issuer"]["name"] for f in contested} == {"Attorney General's Office"}
    uncontested = get(client, "/api/v1/figures/?contested=false")
    assert uncontested["count"] == 11 - len(contested)
    assert all(f["contested"] is False for f in uncontested["results"])


def test_torture_methods_alleged_and_who_denies(client):
    torture = get(client, "/api/v1/allegations/?violation_type=torture&method=electric_shock")
    [allegation] = torture["results"]
    assert {m["code"] for m in allegation["methods"]} == {
        "suffocation",
        "beating",
        "electric_shock",
    }
    assert allegation["victim_group"]["label"] == "minors aged 14-17"
    assert allegation["perpetrator"]["name"] == "Maduro regime"
    [asserting] = allegation["citations"]
    assert asserting["source"]["kind"] == "testimony"
    assert "electrical shocks" in asserting["quote"]

    group = get(client, f"/api/v1/detainee-groups/{allegation['victim_group']['id']}/")
    stances = {
        c["stance"]: c["source"]["issuer"]["name"]
        for c in group["citations"]
        if c["stance"] != "asserts"  # the article itself, which has no issuer
    }
    assert stances["denies"] == "Maduro regime officials"
    assert stances["acknowledges"] == "Diosdado Cabello"


def test_crackdown_timeline_covers_nested_incidents_in_date_order(client):
    crackdown = get(client, "/api/v1/incidents/?kind=crackdown")["results"][0]
    timeline = get(client, f"/api/v1/incidents/{crackdown['id']}/timeline/")
    assert timeline["incident"]["id"] == crackdown["id"]
    assert len(timeline["incidents"]) == 4
    points = [p for s in timeline["series"] for p in s["points"]]
    assert len(points) == 11
    minors = next(
        s
        for s in timeline["series"]
        if s["measure"] == "still_detained"
        and (s["group"] or {}).get("label") == "minors aged 14-17"
    )
    assert [(p["as_of"], p["value"]) for p in minors["points"]] == [
        ("2024-11-15", 69),
        ("2024-12-24", 0),
    ]
    assert {p["reported_by"]["issuer"]["name"] for p in minors["points"]} == {"Foro Penal"}
    assert all(p["quote"] for p in points)
    first_dates = [s["points"][0]["as_of"] for s in timeline["series"]]
    assert first_dates == sorted(first_dates)


def test_timeline_takes_the_figure_filters(client):
    crackdown = get(client, "/api/v1/incidents/?kind=crackdown")["results"][0]
    timeline = get(client, f"/api/v1/incidents/{crackdown['id']}/timeline/?measure=released")
    assert {s["measure"] for s in timeline["series"]} == {"released"}
    assert sum(len(s["points"]) for s in timeline["series"]) == 2


def test_timeline_of_a_nested_incident_leaves_out_its_siblings(client):
    minors = get(client, "/api/v1/incidents/?q=minors")["results"]
    [incident] = [i for i in minors if i["title"] == "Detention of minors"]
    timeline = get(client, f"/api/v1/incidents/{incident['id']}/timeline/")
    assert [i["title"] for i in timeline["incidents"]] == ["Detention of minors"]
    assert {s["group"]["label"] for s in timeline["series"]} == {"minors aged 14-17"}


def test_spanish_labels_when_asked_for(client):
    spanish = get(client, "/api/v1/allegations/?method=electric_shock", HTTP_ACCEPT_LANGUAGE="es")
    allegation = spanish["results"][0]
    assert allegation["violation_type"]["label"] == "Tortura"
    assert "Aplicación de choques eléctricos" in {m["label"] for m in allegation["methods"]}
    english = get(client, "/api/v1/allegations/?method=electric_shock")
    assert english["results"][0]["violation_type"]["label"] == "Torture"


def test_terms_show_both_labels_and_localise_the_main_one(client):
    response = client.get(
        "/api/v1/terms/?vocabulary=violation&q=tortura", HTTP_ACCEPT_LANGUAGE="es"
    )
    assert response["Content-Language"] == "es"
    [term] = response.json()["results"]
    assert (term["label"], term["label_en"], term["label_es"]) == ("Tortura", "Torture", "Tortura")
    assert term["esf_code"]


@pytest.mark.parametrize(
    "resource",
    ["actors", "sources", "incidents", "detainee-groups", "figures", "allegations", "terms"],
)
def test_list_and_detail_show_the_same_representation(client, resource):
    listed = get(client, f"/api/v1/{resource}/?page_size=500")["results"]
    assert listed
    for record in listed:
        assert get(client, f"/api/v1/{resource}/{record['id']}/") == record
