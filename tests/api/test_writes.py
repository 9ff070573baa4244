"""Writing through the API: partners' own records, validation, ETags, idempotency, history.

Everything goes over HTTP with Django's test client; the database is only read
to check what a request left behind.
"""

import hashlib
import json
import threading
import uuid
from types import SimpleNamespace

import pytest
from django.db import connection, connections
from django.test import Client

from incidents.choices import Stance, Visibility
from incidents.models import (
    Actor,
    Allegation,
    ApiToken,
    Citation,
    DetaineeGroup,
    Figure,
    IdempotencyKey,
    Incident,
    Partner,
    Source,
)
from incidents.writes import services
from tests.factories import (
    ActorFactory,
    AllegationFactory,
    CitationFactory,
    DetaineeGroupFactory,
    IncidentFactory,
    SourceFactory,
)
from tests.helpers import bearer

pytestmark = pytest.mark.django_db

JSON = "application/json"
QUOTE = "documented at least 40 detentions"  # in SourceFactory's text
RESTRICTED = Visibility.RESTRICTED
MODELS = {
    "actors": Actor,
    "sources": Source,
    "incidents": Incident,
    "detainee-groups": DetaineeGroup,
    "figures": Figure,
    "allegations": Allegation,
    "citations": Citation,
}


@pytest.fixture
def ctx():
    """Public staff records for new records to link to."""
    incident = IncidentFactory()
    source = SourceFactory()
    return SimpleNamespace(
        incident=incident,
        source=source,
        actor=ActorFactory(),
        group=DetaineeGroupFactory(incident=incident),
        figure=CitationFactory(source=source, figure__incident=incident).figure,
    )


def ref(record) -> str:
    return str(record.uuid)


# --- a partner's own records, resource by resource ---------------------------------------

SPECS = {
    "actors": {
        "create": lambda c: {"name": "Comité de familiares", "kind": "ngo", "country": "VE"},
        "put": lambda c: {
            "name": "Comité de familiares de presos",
            "kind": "ngo",
            "country": "CO",
            "description": "Families of detainees.",
            "parent": ref(c.actor),
        },
        "patch": {"role": "Spokesperson"},
    },
    "sources": {
        "create": lambda c: {
            "kind": "ngo_report",
            "title": "Informe anual",
            "issuer": ref(c.actor),
            "date": "2024-12-01",
            "text": "Nine journalists remain detained.",
        },
        "put": lambda c: {
            "kind": "ngo_statement",
            "title": "Informe anual (revisado)",
            "issuer": ref(c.actor),
            "date": "2024-12-02",
            "language": "es",
            "url": "https://example.org/informe",
        },
        "patch": {"title": "Informe anual, segunda edición"},
    },
    "incidents": {
        "create": lambda c: {
            "title": "Arrests at the university",
            "kind": "arrest",
            "country": "VE",
            "start_date": "2024-08-02",
            "parent": ref(c.incident),
            "citations": [{"source": ref(c.source), "quote": QUOTE}],
        },
        "put": lambda c: {
            "title": "Arrests at the central university",
            "kind": "mass_detention",
            "country": "VE",
            "location": "Caracas",
            "start_date": "2024-08-01",
            "end_date": "2024-08-03",
        },
        "patch": {"summary": "Students detained after a protest."},
    },
    "detainee-groups": {
        "create": lambda c: {
            "incident": ref(c.incident),
            "label": "journalists",
            "age_min": 25,
            "age_max": 60,
        },
        "put": lambda c: {
            "incident": ref(c.incident),
            "label": "journalists and photographers",
            "sex": "mixed",
            "charges": "terrorism",
        },
        "patch": {"age_max": 65},
    },
    "figures": {
        "create": lambda c: {
            "incident": ref(c.incident),
            "group": ref(c.group),
            "measure": "detained",
            "value": 40,
            "qualifier": "at_least",
            "as_of": "2024-11-15",
            "citations": [{"source": ref(c.source), "quote": QUOTE}],
        },
        "put": lambda c: {
            "incident": ref(c.incident),
            "measure": "still_detained",
            "value": 35,
            "qualifier": "exact",
            "as_of": "2024-11-20",
            "note": "Revised.",
        },
        "patch": {"value": 41},
    },
    "allegations": {
        "create": lambda c: {
            "incident": ref(c.incident),
            "violation_type": "torture",
            "methods": ["electric_shock"],
            "perpetrator": ref(c.actor),
            "summary": "Electric shocks during interrogation.",
        },
        "put": lambda c: {
            "incident": ref(c.incident),
            "violation_type": "torture",
            "victim_group": ref(c.group),
            "methods": [],
            "status": "corroborated",
            "summary": "Corroborated by two sources.",
        },
        "patch": {"status": "denied"},
    },
    "citations": {
        "create": lambda c: {
            "source": ref(c.source),
            "quote": QUOTE,
            "stance": "corroborates",
            "figure": ref(c.figure),
        },
        "put": lambda c: {
            "source": ref(c.source),
            "quote": "at least 40 detentions of students",
            "stance": "corroborates",
            "note": "Same words, a longer quote.",
        },
        "patch": {"note": "Checked against the PDF."},
    },
}

TARGETS = ("incident", "group", "figure", "allegation")


def assert_shows(resource: str, shown: dict, sent: dict):
    """The read representation shows what was sent (links by id, terms by code)."""
    for name, value in sent.items():
        if name == "citations":
            continue
        if resource == "citations" and name in TARGETS:
            assert shown["target"] == {"type": name, "id": value}
        elif name == "methods":
            assert [term["code"] for term in shown["methods"]] == value
        elif name == "violation_type":
            assert shown[name]["code"] == value
        elif isinstance(shown[name], dict):
            assert shown[name]["id"] == value, name
        else:
            assert shown[name] == value, name


def create(client, headers, resource, body):
    response = client.post(f"/api/v1/{resource}/", body, content_type=JSON, **headers)
    assert response.status_code == 201, response.content
    return response.json()


@pytest.mark.parametrize("resource", SPECS)
def test_partner_creates_a_record_it_owns(client, a, partner_a, ctx, resource):
    body = SPECS[resource]["create"](ctx)
    response = client.post(f"/api/v1/{resource}/", body, content_type=JSON, **a)
    assert response.status_code == 201, response.content
    shown = response.json()
    assert_shows(resource, shown, body)
    assert response["ETag"] == '"1"'
    assert response["Location"] == f"http://testserver/api/v1/{resource}/{shown['id']}/"
    record = MODELS[resource].objects.get(uuid=shown["id"])
    assert (record.owner, record.version, record.deleted_at) == (partner_a, 1, None)


@pytest.mark.parametrize("resource", SPECS)
def test_new_records_are_restricted_unless_the_client_says_otherwise(client, a, ctx, resource):
    shown = create(client, a, resource, SPECS[resource]["create"](ctx))
    assert shown["visibility"] == "restricted"
    assert MODELS[resource].objects.get(uuid=shown["id"]).visibility == RESTRICTED
    assert client.get(f"/api/v1/{resource}/{shown['id']}/").status_code == 404
    assert client.get(f"/api/v1/{resource}/{shown['id']}/", **a).status_code == 200


@pytest.mark.parametrize("resource", SPECS)
def test_partner_replaces_its_record_with_put(client, a, partner_a, ctx, resource):
    created = create(client, a, resource, SPECS[resource]["create"](ctx))
    body = SPECS[resource]["put"](ctx)
    path = f"/api/v1/{resource}/{created['id']}/"
    response = client.put(path, body, content_type=JSON, **a)
    assert response.status_code == 200, response.content
    assert_shows(resource, response.json(), body)
    assert_shows(resource, client.get(path, **a).json(), body)
    assert response["ETag"] == '"2"'
    record = MODELS[resource].objects.get(uuid=created["id"])
    assert (record.owner, record.version) == (partner_a, 2)


@pytest.mark.parametrize("resource", SPECS)
def test_partner_changes_one_field_with_patch(client, a, partner_a, ctx, resource):
    created = create(client, a, resource, SPECS[resource]["create"](ctx))
    body = SPECS[resource]["patch"]
    path = f"/api/v1/{resource}/{created['id']}/"
    response = client.patch(path, body, content_type=JSON, **a)
    assert response.status_code == 200, response.content
    shown = response.json()
    assert_shows(resource, shown, body)
    derived = {"version", "updated_at", "display_value"}
    untouched = {k: v for k, v in created.items() if k not in {*body, *derived}}
    assert {k: shown[k] for k in untouched} == untouched
    assert response["ETag"] == '"2"'
    record = MODELS[resource].objects.get(uuid=created["id"])
    assert (record.owner, record.version) == (partner_a, 2)


@pytest.mark.parametrize("resource", SPECS)
def test_partner_deletes_its_record_softly(client, a, ctx, resource):
    created = create(client, a, resource, SPECS[resource]["create"](ctx))
    path = f"/api/v1/{resource}/{created['id']}/"
    response = client.delete(path, **a)
    assert response.status_code == 204, response.content
    record = MODELS[resource].objects.get(uuid=created["id"])
    assert record.deleted_at is not None
    assert record.version == 2
    assert client.get(path, **a).status_code == 404
    listed = client.get(f"/api/v1/{resource}/", {"page_size": 500}, **a).json()["results"]
    assert created["id"] not in {row["id"] for row in listed}
    assert client.delete(path, **a).status_code == 404


# --- figures and their citations ------------------------------------------------------------


def figure_body(ctx, **changes) -> dict:
    body = {
        "incident": ref(ctx.incident),
        "measure": "detained",
        "value": 40,
        "qualifier": "at_least",
        "as_of": "2024-11-15",
        "visibility": "public",
        "citations": [{"source": ref(ctx.source), "quote": QUOTE}],
    }
    body.update(changes)
    return body


def assert_invalid(response, attr, code="invalid"):
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["type"] == "validation_error"
    assert (code, attr) in {(error["code"], error["attr"]) for error in body["errors"]}


def test_figure_is_created_with_its_citations_in_one_request(client, a, partner_a, ctx):
    other = SourceFactory()
    citations = [
        {"source": ref(ctx.source), "quote": QUOTE},
        {"source": ref(other), "quote": "at least 40 detentions", "stance": "corroborates"},
    ]
    shown = create(client, a, "figures", figure_body(ctx, citations=citations))
    assert shown["reported_by"]["id"] == ref(ctx.source)
    assert [(c["source"]["id"], c["stance"]) for c in shown["citations"]] == [
        (ref(ctx.source), "asserts"),
        (ref(other), "corroborates"),
    ]
    stored = Citation.objects.filter(figure__uuid=shown["id"])
    assert {(c.owner, c.visibility) for c in stored} == {(partner_a, "public")}


def test_staff_who_may_not_read_restricted_records_still_see_what_they_wrote(
    django_user_model, ctx
):
    """A restricted figure written by staff without ``view_restricted``: the answer shows
    the record, with the citations the writer may read (none: they inherit its visibility)."""
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("staff-writer", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="incidents",
            codename__in=["add_figure", "view_figure", "add_citation", "view_citation"],
        )
    )
    writer = Client()
    writer.force_login(user)
    shown = create(writer, {}, "figures", figure_body(ctx, visibility="restricted"))
    assert shown["visibility"] == "restricted"
    assert shown["citations"] == [] and shown["reported_by"] is None
    assert shown["contested"] is False
    assert writer.get(f"/api/v1/figures/{shown['id']}/").status_code == 404


@pytest.mark.parametrize(
    "citations",
    [
        pytest.param([], id="no citations"),
        pytest.param([{"quote": QUOTE, "stance": "corroborates"}], id="no asserting citation"),
        pytest.param([{"quote": QUOTE}, {"quote": "at least 40"}], id="two asserting citations"),
    ],
)
def test_figure_without_exactly_one_asserting_citation_is_refused(client, a, ctx, citations):
    for citation in citations:
        citation["source"] = ref(ctx.source)
    before = Figure.objects.count()
    response = client.post(
        "/api/v1/figures/", figure_body(ctx, citations=citations), content_type=JSON, **a
    )
    assert_invalid(response, "citations")
    assert Figure.objects.count() == before


def test_quote_not_in_the_source_text_is_refused_naming_the_citation(client, a, ctx):
    citations = [
        {"source": ref(ctx.source), "quote": QUOTE},
        {"source": ref(ctx.source), "quote": "hundreds were detained", "stance": "disputes"},
    ]
    before = (Figure.objects.count(), Citation.objects.count())
    response = client.post(
        "/api/v1/figures/", figure_body(ctx, citations=citations), content_type=JSON, **a
    )
    assert_invalid(response, "citations.1.quote")
    assert (Figure.objects.count(), Citation.objects.count()) == before


# --- field-level errors -----------------------------------------------------------------------


def test_low_bound_above_the_value_is_refused_naming_value_low(client, a, ctx):
    response = client.post(
        "/api/v1/figures/", figure_body(ctx, value_low=50), content_type=JSON, **a
    )
    assert_invalid(response, "value_low")


def test_unknown_method_code_is_refused_naming_its_position(client, a, ctx):
    body = {
        "incident": ref(ctx.incident),
        "violation_type": "torture",
        "methods": ["electric_shock", "no_such_method"],
    }
    response = client.post("/api/v1/allegations/", body, content_type=JSON, **a)
    assert_invalid(response, "methods.1", code="does_not_exist")
    assert Allegation.objects.count() == 0


def test_a_method_code_is_not_a_violation_type(client, a, ctx):
    body = {"incident": ref(ctx.incident), "violation_type": "electric_shock"}
    response = client.post("/api/v1/allegations/", body, content_type=JSON, **a)
    assert_invalid(response, "violation_type", code="does_not_exist")


def test_malformed_id_of_a_link_is_refused(client, a, ctx):
    response = client.post(
        "/api/v1/figures/", figure_body(ctx, incident="not-a-uuid"), content_type=JSON, **a
    )
    assert_invalid(response, "incident")


# (resource, field sent, kind of record it must link to)
LINKS = [
    ("actors", "parent", "actor"),
    ("sources", "issuer", "actor"),
    ("sources", "reported_in", "source"),
    ("incidents", "parent", "incident"),
    ("detainee-groups", "incident", "incident"),
    ("figures", "incident", "incident"),
    ("figures", "group", "group"),
    ("figures", "citations.0.source", "source"),
    ("allegations", "incident", "incident"),
    ("allegations", "victim_group", "group"),
    ("allegations", "perpetrator", "actor"),
    ("citations", "source", "source"),
    ("citations", "figure", "figure"),
    ("citations", "allegation", "allegation"),
]


def hidden_record(kind: str, how: str, ctx, partner_b, partner_a):
    attrs = {
        "staff restricted": {"visibility": RESTRICTED},
        "restricted of another partner": {"visibility": RESTRICTED, "owner": partner_b},
        "own but deleted": {"owner": partner_a, "deleted_at": "2024-12-01T00:00:00Z"},
    }[how]
    figure_attrs = {f"figure__{name}": value for name, value in attrs.items()}
    return {
        "actor": lambda: ActorFactory(**attrs),
        "source": lambda: SourceFactory(**attrs),
        "incident": lambda: IncidentFactory(**attrs),
        "group": lambda: DetaineeGroupFactory(incident=ctx.incident, **attrs),
        "figure": lambda: CitationFactory(figure__incident=ctx.incident, **figure_attrs).figure,
        "allegation": lambda: AllegationFactory(incident=ctx.incident, **attrs),
    }[kind]()


def link_body(resource: str, field: str, value: str, ctx) -> dict:
    body = SPECS[resource]["create"](ctx)
    if field == "citations.0.source":
        body["citations"][0]["source"] = value
    elif resource == "citations" and field in TARGETS:
        del body["figure"]
        body[field] = value
    else:
        body[field] = value
    return body


HOW_HIDDEN = ["staff restricted", "restricted of another partner", "own but deleted"]


@pytest.mark.parametrize("how", HOW_HIDDEN)
@pytest.mark.parametrize(
    ("resource", "field", "kind"), LINKS, ids=[f"{r}.{f}" for r, f, _ in LINKS]
)
def test_link_to_a_hidden_record_gets_the_error_of_an_unknown_id(
    client, a, ctx, partner_a, partner_b, resource, field, kind, how
):
    hidden = hidden_record(kind, how, ctx, partner_b, partner_a)
    model = MODELS[resource]
    before = model.objects.count()
    unknown = client.post(
        f"/api/v1/{resource}/",
        link_body(resource, field, str(uuid.uuid4()), ctx),
        content_type=JSON,
        **a,
    )
    assert_invalid(unknown, field, code="does_not_exist")
    response = client.post(
        f"/api/v1/{resource}/", link_body(resource, field, ref(hidden), ctx), content_type=JSON, **a
    )
    assert response.json() == unknown.json()
    assert model.objects.count() == before


# --- ETag and If-Match ---------------------------------------------------------------------


@pytest.fixture
def own_figure(client, a, ctx):
    """A public figure of partner A, at version 1."""
    return create(client, a, "figures", figure_body(ctx))


def test_detail_carries_the_version_as_its_etag(client, a, own_figure):
    response = client.get(f"/api/v1/figures/{own_figure['id']}/", **a)
    assert response["ETag"] == '"1"'


def test_stale_if_match_is_refused_and_changes_nothing(client, a, own_figure):
    path = f"/api/v1/figures/{own_figure['id']}/"
    assert client.patch(path, {"value": 41}, content_type=JSON, **a).status_code == 200
    response = client.patch(path, {"value": 99}, content_type=JSON, HTTP_IF_MATCH='"1"', **a)
    assert response.status_code == 412, response.content
    assert response.json()["errors"][0]["code"] == "precondition_failed"
    stored = Figure.objects.get(uuid=own_figure["id"])
    assert (stored.value, stored.version) == (41, 2)


def test_current_if_match_is_accepted_and_answers_the_new_etag(client, a, own_figure):
    path = f"/api/v1/figures/{own_figure['id']}/"
    response = client.patch(path, {"value": 41}, content_type=JSON, HTTP_IF_MATCH='"1"', **a)
    assert response.status_code == 200, response.content
    assert response["ETag"] == '"2"'
    assert client.get(path, **a)["ETag"] == '"2"'


@pytest.mark.parametrize("header", ['W/"1"', '"7", "1"', "*"])
def test_weak_listed_and_wildcard_if_match_are_understood(client, a, own_figure, header):
    path = f"/api/v1/figures/{own_figure['id']}/"
    response = client.patch(path, {"value": 41}, content_type=JSON, HTTP_IF_MATCH=header, **a)
    assert response.status_code == 200, response.content


def test_stale_if_match_on_delete_keeps_the_record(client, a, own_figure):
    path = f"/api/v1/figures/{own_figure['id']}/"
    response = client.delete(path, HTTP_IF_MATCH='"5"', **a)
    assert response.status_code == 412
    assert Figure.objects.get(uuid=own_figure["id"]).deleted_at is None


@pytest.mark.parametrize("header", ["1", "abc", '"one"', '"1'])
def test_malformed_if_match_is_a_400_naming_the_header(client, a, own_figure, header):
    path = f"/api/v1/figures/{own_figure['id']}/"
    response = client.patch(path, {"value": 41}, content_type=JSON, HTTP_IF_MATCH=header, **a)
    assert_invalid(response, "If-Match")
    assert Figure.objects.get(uuid=own_figure["id"]).version == 1


# --- idempotency keys ------------------------------------------------------------------------


def post_with_key(client, headers, key, body):
    return client.post(
        "/api/v1/actors/", json.dumps(body), content_type=JSON, HTTP_IDEMPOTENCY_KEY=key, **headers
    )


def test_repeated_post_with_the_same_key_is_replayed_not_repeated(client, a):
    body = {"name": "Comité de familiares", "kind": "ngo"}
    first = post_with_key(client, a, "key-1", body)
    again = post_with_key(client, a, "key-1", body)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert (again["ETag"], again["Location"]) == (first["ETag"], first["Location"])
    assert again["Idempotent-Replayed"] == "true"
    assert not first.has_header("Idempotent-Replayed")
    assert Actor.objects.count() == 1


def test_same_key_with_another_body_is_a_422(client, a):
    post_with_key(client, a, "key-1", {"name": "Comité de familiares", "kind": "ngo"})
    response = post_with_key(client, a, "key-1", {"name": "Another committee", "kind": "ngo"})
    assert response.status_code == 422, response.content
    assert response.json()["errors"][0]["code"] == "idempotency_key_reused"
    assert list(Actor.objects.values_list("name", flat=True)) == ["Comité de familiares"]


def test_key_still_being_handled_is_a_409(client, a, token_a):
    body = {"name": "Comité de familiares", "kind": "ngo"}
    # The claim a first request makes before its work (writes.idempotent): status unset.
    fingerprint = hashlib.sha256(
        b"\n".join([b"POST", b"/api/v1/actors/", json.dumps(body).encode()])
    ).hexdigest()
    IdempotencyKey.objects.create(
        caller=f"token:{token_a[0].pk}", key="key-1", fingerprint=fingerprint
    )
    response = post_with_key(client, a, "key-1", body)
    assert response.status_code == 409, response.content
    assert Actor.objects.count() == 0


def test_keys_of_one_partner_are_not_replayed_to_another(client, a, b):
    body = {"name": "Comité de familiares", "kind": "ngo", "visibility": "restricted"}
    first = post_with_key(client, a, "key-1", body)
    response = post_with_key(client, b, "key-1", {**body, "name": "Comité B"})
    assert response.status_code == 201, response.content
    assert response.json()["id"] != first.json()["id"]
    assert not response.has_header("Idempotent-Replayed")


def test_a_failed_request_does_not_use_up_its_key(client, a):
    refused = post_with_key(client, a, "key-1", {"name": "", "kind": "ngo"})
    assert refused.status_code == 400
    created = post_with_key(client, a, "key-1", {"name": "Comité de familiares", "kind": "ngo"})
    assert created.status_code == 201, created.content


# --- citations ---------------------------------------------------------------------------------


def test_asserting_citation_of_a_figure_cannot_be_deleted(client, a, own_figure):
    [asserting] = own_figure["citations"]
    response = client.delete(f"/api/v1/citations/{asserting['id']}/", **a)
    assert_invalid(response, "non_field_errors")
    assert Citation.objects.get(uuid=asserting["id"]).deleted_at is None


def test_asserting_citation_of_a_figure_keeps_its_stance(client, a, own_figure):
    [asserting] = own_figure["citations"]
    response = client.patch(
        f"/api/v1/citations/{asserting['id']}/",
        {"stance": "corroborates"},
        content_type=JSON,
        **a,
    )
    assert_invalid(response, "stance")
    assert Citation.objects.get(uuid=asserting["id"]).stance == Stance.ASSERTS


def test_a_citation_cannot_move_to_another_record(client, a, ctx, own_figure):
    [asserting] = own_figure["citations"]
    response = client.patch(
        f"/api/v1/citations/{asserting['id']}/",
        {"incident": ref(ctx.incident)},
        content_type=JSON,
        **a,
    )
    assert_invalid(response, "non_field_errors")


def dispute(client, headers, ctx, **changes):
    body = {"source": ref(SourceFactory()), "quote": QUOTE, "stance": "disputes"}
    body.update(figure=ref(ctx.figure), **changes)
    return client.post("/api/v1/citations/", body, content_type=JSON, **headers)


def test_partner_may_dispute_a_public_figure_it_does_not_own(client, a, ctx):
    response = dispute(client, a, ctx, visibility="public")
    assert response.status_code == 201, response.content
    shown = client.get(f"/api/v1/figures/{ctx.figure.uuid}/").json()
    assert shown["contested"] is True
    assert [r["citation"]["id"] for r in shown["contest_reasons"]] == [response.json()["id"]]
    assert ctx.figure.citations.count() == 2


def test_a_restricted_dispute_contests_the_figure_only_for_its_owner(client, a, b, ctx):
    assert dispute(client, a, ctx).status_code == 201  # restricted by default
    path = f"/api/v1/figures/{ctx.figure.uuid}/"
    assert client.get(path, **a).json()["contested"] is True
    assert client.get(path, **b).json()["contested"] is False
    assert client.get(path).json()["contested"] is False


def test_a_second_asserting_citation_of_a_figure_is_refused(client, a, ctx):
    response = dispute(client, a, ctx, stance="asserts")
    assert_invalid(response, "stance")


# --- who may change what -----------------------------------------------------------------------


def patch(client, headers, record, body):
    resource = {v: k for k, v in MODELS.items()}[type(record)]
    return client.patch(f"/api/v1/{resource}/{record.uuid}/", body, content_type=JSON, **headers)


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_partner_cannot_change_a_public_staff_record(client, a, ctx, method):
    path = f"/api/v1/figures/{ctx.figure.uuid}/"
    if method == "DELETE":
        response = client.delete(path, **a)
    else:
        send = client.put if method == "PUT" else client.patch
        body = {"incident": ref(ctx.incident), "measure": "detained", "as_of": "2024-11-15"}
        response = send(path, {**body, "value": 1}, content_type=JSON, **a)
    assert response.status_code == 403, response.content
    assert response.json()["errors"][0]["code"] == "permission_denied"
    stored = Figure.objects.get(pk=ctx.figure.pk)
    assert (stored.value, stored.version, stored.deleted_at) == (40, 1, None)


def test_partner_cannot_change_a_record_of_another_partner_it_can_read(client, b, partner_a):
    record = ActorFactory(owner=partner_a, visibility=Visibility.PARTNERS)
    response = patch(client, b, record, {"description": "changed"})
    assert response.status_code == 403, response.content
    assert Actor.objects.get(pk=record.pk).description == ""


def test_partner_gets_404_for_a_record_of_another_partner_it_cannot_read(client, b, partner_a):
    record = ActorFactory(owner=partner_a, visibility=RESTRICTED)
    response = patch(client, b, record, {"description": "changed"})
    assert response.status_code == 404, response.content
    assert response.json()["errors"][0]["code"] == "not_found"
    assert Actor.objects.get(pk=record.pk).description == ""


def test_read_token_cannot_write(client, partner_a):
    _, secret = ApiToken.issue(partner=partner_a, scope="read")
    record = ActorFactory(owner=partner_a)
    response = patch(client, bearer(secret), record, {"description": "changed"})
    assert response.status_code == 403, response.content
    assert Actor.objects.get(pk=record.pk).description == ""


def test_staff_viewer_cannot_write(viewer, ctx):
    before = Actor.objects.count()
    created = viewer.post("/api/v1/actors/", {"name": "New", "kind": "ngo"}, content_type=JSON)
    changed = patch(viewer, {}, ctx.actor, {"description": "changed"})
    assert (created.status_code, changed.status_code) == (403, 403)
    assert Actor.objects.count() == before
    assert Actor.objects.get(pk=ctx.actor.pk).description == ""


def test_staff_editor_creates_records_owned_by_nobody(editor):
    response = editor.post("/api/v1/actors/", {"name": "New", "kind": "ngo"}, content_type=JSON)
    assert response.status_code == 201, response.content
    assert Actor.objects.get(uuid=response.json()["id"]).owner is None


def test_staff_editor_changes_a_partners_record_which_stays_the_partners(editor, partner_a):
    record = ActorFactory(owner=partner_a, visibility=RESTRICTED)
    response = patch(editor, {}, record, {"description": "Checked by staff."})
    assert response.status_code == 200, response.content
    stored = Actor.objects.get(pk=record.pk)
    assert (stored.description, stored.owner, stored.version) == (
        "Checked by staff.",
        partner_a,
        2,
    )


# --- history -----------------------------------------------------------------------------------


def history(client, headers, resource, uid):
    response = client.get(f"/api/v1/{resource}/{uid}/history/", **headers)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_history_records_each_api_write_with_its_reason(client, a, ctx):
    body = {**SPECS["actors"]["create"](ctx), "visibility": "public"}
    created = client.post(
        "/api/v1/actors/", body, content_type=JSON, HTTP_X_CHANGE_REASON="First report", **a
    ).json()
    path = f"/api/v1/actors/{created['id']}/"
    client.patch(
        path, {"role": "Director"}, content_type=JSON, HTTP_X_CHANGE_REASON="New role", **a
    )
    client.delete(path, HTTP_X_CHANGE_REASON="Duplicate", **a)
    # Deleted records have no history in the API; staff restore it (from the admin).
    services.record_restore(record=Actor.objects.get(uuid=created["id"]))
    entries = history(client, a, "actors", created["id"])
    summary = [(e["version"], e["action"], e["via"], e["by_kind"], e["reason"]) for e in entries]
    assert summary == [
        (4, "restored", "command", "system", ""),
        (3, "deleted", "api", "partner", "Duplicate"),
        (2, "changed", "api", "partner", "New role"),
        (1, "created", "api", "partner", "First report"),
    ]
    assert entries[2]["changed_fields"] == ["role"]
    assert entries[2]["changes"] == [{"field": "role", "old": "", "new": "Director"}]


def test_change_reason_is_kept_to_100_characters(client, a, ctx):
    body = {**SPECS["actors"]["create"](ctx)}
    created = client.post(
        "/api/v1/actors/", body, content_type=JSON, HTTP_X_CHANGE_REASON="x" * 150, **a
    ).json()
    [entry] = history(client, a, "actors", created["id"])
    assert entry["reason"] == "x" * 100


@pytest.fixture
def partner_history(client, a, ctx):
    """A public actor that partner A created and changed through the API."""
    created = create(
        client, a, "actors", {**SPECS["actors"]["create"](ctx), "visibility": "public"}
    )
    client.patch(
        f"/api/v1/actors/{created['id']}/",
        {"role": "Director"},
        content_type=JSON,
        HTTP_X_CHANGE_REASON="Role named by the witness's sister",
        **a,
    )
    return created["id"]


@pytest.mark.parametrize(
    ("reader", "name", "sees_changes"),
    [
        ("owner", "Partner A", True),
        ("another partner", None, False),
        ("anonymous", None, False),
        ("staff viewer", "Partner A", False),
        ("staff editor", "Partner A", True),
    ],
)
def test_who_wrote_and_what_changed_are_shown_only_to_some(
    client, a, b, viewer, editor, partner_history, reader, name, sees_changes
):
    reader_client, headers = {
        "owner": (client, a),
        "another partner": (client, b),
        "anonymous": (client, {}),
        "staff viewer": (viewer, {}),
        "staff editor": (editor, {}),
    }[reader]
    entries = history(reader_client, headers, "actors", partner_history)
    assert [(e["by_kind"], e["by_name"]) for e in entries] == [("partner", name)] * 2
    assert [e["changed_fields"] for e in entries] == [["role"], []]
    changes = [e["changes"] for e in entries]
    assert changes == (
        [[{"field": "role", "old": "", "new": "Director"}], []] if sees_changes else [None, None]
    )
    # A reason is written for colleagues: shown with the values it explains, or not at all.
    reasons = [e["reason"] for e in entries]
    assert reasons == (["Role named by the witness's sister", ""] if sees_changes else ["", ""])


@pytest.mark.parametrize(
    ("reader", "name"),
    [("anonymous", None), ("another partner", None), ("staff viewer", "staff-editor")],
)
def test_staff_names_are_shown_to_staff_only(client, b, viewer, editor, partner_a, reader, name):
    record = ActorFactory(owner=partner_a)
    assert patch(editor, {}, record, {"description": "Checked."}).status_code == 200
    reader_client, headers = {
        "anonymous": (client, {}),
        "another partner": (client, b),
        "staff viewer": (viewer, {}),
    }[reader]
    [latest, _] = history(reader_client, headers, "actors", record.uuid)
    assert (latest["by_kind"], latest["by_name"]) == ("staff", name)


@pytest.mark.parametrize(
    ("reader", "record"),
    [
        ("another partner", "restricted of partner A"),
        ("anonymous", "partners-only of partner A"),
        ("owner", "deleted of partner A"),
        ("staff viewer", "restricted of partner A"),
    ],
)
def test_history_of_a_record_the_reader_cannot_see_is_a_404(
    client, a, b, viewer, partner_a, reader, record
):
    attrs = {
        "restricted of partner A": {"visibility": RESTRICTED},
        "partners-only of partner A": {"visibility": Visibility.PARTNERS},
        "deleted of partner A": {"deleted_at": "2024-12-01T00:00:00Z"},
    }[record]
    actor = ActorFactory(owner=partner_a, **attrs)
    reader_client, headers = {
        "owner": (client, a),
        "another partner": (client, b),
        "anonymous": (client, {}),
        "staff viewer": (viewer, {}),
    }[reader]
    response = reader_client.get(f"/api/v1/actors/{actor.uuid}/history/", **headers)
    assert response.status_code == 404, response.content
    assert str(actor.uuid) not in response.content.decode()


@pytest.mark.parametrize(
    ("resource", "field"),
    [("actors", "country"), ("incidents", "country"), ("detainee-groups", "nationality")],
)
def test_history_of_a_changed_country_is_served(a, ctx, resource, field):
    client = Client(raise_request_exception=False)
    body = {**SPECS[resource]["create"](ctx), field: "VE"}
    created = create(client, a, resource, body)
    path = f"/api/v1/{resource}/{created['id']}/"
    assert client.patch(path, {field: "CO"}, content_type=JSON, **a).status_code == 200
    response = client.get(f"{path}history/", **a)
    assert response.status_code == 200
    assert response.json()["results"][0]["changes"] == [{"field": field, "old": "VE", "new": "CO"}]


def test_history_does_not_show_the_id_of_a_linked_record_the_reader_cannot_see(
    client, a, editor, ctx
):
    created = create(
        client, a, "actors", {**SPECS["actors"]["create"](ctx), "visibility": "public"}
    )
    informant = ActorFactory(visibility=RESTRICTED, name="Confidential informant")
    path = f"/api/v1/actors/{created['id']}/"
    assert editor.patch(path, {"parent": ref(informant)}, content_type=JSON).status_code == 200
    assert client.get(path, **a).json()["parent"] is None
    response = client.get(f"{path}history/", **a)
    assert ref(informant) not in response.content.decode()


# --- what writes must not reveal ---------------------------------------------------------------


def test_quote_check_does_not_reveal_the_text_of_a_hidden_document(client, a, ctx):
    confidential = SourceFactory(
        visibility=RESTRICTED, text="Twelve minors are held in the basement of the Helicoide."
    )
    statement = SourceFactory(reported_in=confidential, text="")
    probes = {}
    for quote in ("Twelve minors are held", "Nine adults are held"):
        response = dispute(client, a, ctx, source=ref(statement), quote=quote)
        probes[quote] = response.status_code
    assert probes["Twelve minors are held"] == probes["Nine adults are held"]


@pytest.mark.parametrize("case", ["actor name", "group label", "source url"])
def test_a_name_taken_only_by_a_hidden_record_is_not_revealed(client, a, ctx, case):
    if case == "actor name":
        ActorFactory(visibility=RESTRICTED, name="Confidential informant")
        resource, body = "actors", {"name": "confidential INFORMANT", "kind": "person"}
    elif case == "group label":
        DetaineeGroupFactory(incident=ctx.incident, visibility=RESTRICTED, label="minors 14-17")
        resource, body = "detainee-groups", {"incident": ref(ctx.incident), "label": "minors 14-17"}
    else:
        SourceFactory(visibility=RESTRICTED, url="https://example.org/leaked-list")
        resource = "sources"
        body = {"kind": "testimony", "title": "T", "url": "https://example.org/leaked-list"}
    response = client.post(f"/api/v1/{resource}/", body, content_type=JSON, **a)
    assert response.status_code == 201, response.content


# --- server errors found by fuzzing (test_write_schemathesis.py) ----------------------------


@pytest.mark.parametrize("resource", ["incidents", "detainee-groups", "figures", "allegations"])
def test_patch_with_an_incomplete_citation_is_a_400(a, ctx, resource):
    client = Client(raise_request_exception=False)
    created = create(client, a, resource, SPECS[resource]["create"](ctx))
    response = client.patch(
        f"/api/v1/{resource}/{created['id']}/",
        {"citations": [{"stance": "disputes"}]},
        content_type=JSON,
        **a,
    )
    assert response.status_code == 400, response.content
    assert MODELS[resource].objects.get(uuid=created["id"]).version == 1


@pytest.mark.parametrize(
    ("body", "attr"),
    [
        ({"violation_type": "tor\x00ture"}, "violation_type"),
        ({"violation_type": "torture", "methods": ["electric\x00shock"]}, "methods.0"),
    ],
    ids=["violation_type", "methods"],
)
def test_nul_character_in_a_term_code_is_a_400(a, ctx, body, attr):
    client = Client(raise_request_exception=False)
    response = client.post(
        "/api/v1/allegations/", {"incident": ref(ctx.incident), **body}, content_type=JSON, **a
    )
    assert_invalid(response, attr, code="does_not_exist")


def test_nul_character_in_the_change_reason_is_not_a_server_error(a):
    client = Client(raise_request_exception=False)
    response = client.post(
        "/api/v1/actors/",
        {"name": "Comité de familiares", "kind": "ngo"},
        content_type=JSON,
        HTTP_X_CHANGE_REASON="checked\x00",
        **a,
    )
    assert response.status_code < 500


# --- concurrent writes (PostgreSQL) ----------------------------------------------------------

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL"
)


def concurrently(*requests):
    """Run each request (a function of a fresh Client) in its own thread, all at once."""
    barrier = threading.Barrier(len(requests))
    results = [None] * len(requests)

    def run(index, request):
        try:
            client = Client()
            barrier.wait(timeout=10)
            results[index] = request(client)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, r)) for i, r in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.fixture
def shared_figure():
    partner = Partner.objects.create(name="Racing partner")
    _, secret = ApiToken.issue(partner=partner, scope="write")
    figure = CitationFactory(figure__owner=partner).figure
    return figure, bearer(secret)


ROUNDS = 5  # a race is won by chance; several rounds make a lost update all but certain


@postgresql_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_patches_of_different_fields_lose_no_update(shared_figure):
    figure, headers = shared_figure
    path = f"/api/v1/figures/{figure.uuid}/"

    def patching(body):
        return lambda c: c.patch(path, body, content_type=JSON, **headers).status_code

    for round in range(1, ROUNDS + 1):
        value, note = 40 + round, f"Recount {round}"
        statuses = concurrently(patching({"value": value}), patching({"note": note}))
        assert statuses == [200, 200], round
        stored = Figure.objects.get(pk=figure.pk)
        assert (stored.value, stored.note, stored.version) == (value, note, 1 + 2 * round)


@postgresql_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_patches_with_the_same_if_match_let_exactly_one_through(shared_figure):
    figure, headers = shared_figure
    path = f"/api/v1/figures/{figure.uuid}/"

    def patching(body, version):
        return lambda c: (
            c.patch(
                path, body, content_type=JSON, HTTP_IF_MATCH=f'"{version}"', **headers
            ).status_code
        )

    for round in range(1, ROUNDS + 1):
        value, note = 40 + round, f"Recount {round}"
        before = Figure.objects.get(pk=figure.pk)
        statuses = concurrently(
            patching({"value": value}, before.version), patching({"note": note}, before.version)
        )
        assert sorted(statuses) == [200, 412], round
        stored = Figure.objects.get(pk=figure.pk)
        assert stored.version == before.version + 1
        assert (stored.value == value) != (stored.note == note)
