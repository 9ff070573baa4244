"""Property-based tests of every operation with a partner's write token (schemathesis).

Like ``test_schemathesis.py``, over the seed data; here every request carries a
write token, so POST, PUT, PATCH and DELETE get past authentication. Generated
ids would almost never name a record, so path ids and the links in bodies are
sometimes swapped for real ones: the partner's own records (writes succeed),
seed records made by staff (403), another partner's restricted record and a
deleted one (404). No response may be a server error, every status code must be
documented, and every body must match its documented schema.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from incidents.choices import Visibility
from incidents.models import (
    Actor,
    Allegation,
    ApiToken,
    Citation,
    DetaineeGroup,
    Figure,
    Incident,
    Partner,
    Source,
)
from tests.api.schemathesis_phases import BODIES, coverage_phase_only_for
from tests.factories import (
    ActorFactory,
    AllegationFactory,
    CitationFactory,
    DetaineeGroupFactory,
    IncidentFactory,
    SourceFactory,
)

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
QUOTE = "documented at least 40 detentions"  # in SourceFactory's text

RESOURCES = {
    "actors": Actor,
    "sources": Source,
    "incidents": Incident,
    "detainee-groups": DetaineeGroup,
    "figures": Figure,
    "allegations": Allegation,
    "citations": Citation,
}
# Body fields that link to a record: field -> resource (``parent`` links within its resource).
LINK_FIELDS = {
    "incident": "incidents",
    "group": "detainee-groups",
    "victim_group": "detainee-groups",
    "source": "sources",
    "reported_in": "sources",
    "figure": "figures",
    "allegation": "allegations",
    "issuer": "actors",
    "perpetrator": "actors",
}


def partner_records(partner, other) -> dict[str, list[str]]:
    """Records of the partner (public and restricted), another's restricted one, a deleted one."""
    records = {name: [] for name in RESOURCES}

    def keep(*created):
        for record in created:
            name = next(n for n, model in RESOURCES.items() if isinstance(record, model))
            records[name].append(str(record.uuid))

    for attrs in (
        {"owner": partner},
        {"owner": partner, "visibility": Visibility.RESTRICTED},
        {"owner": other, "visibility": Visibility.RESTRICTED},
        {"owner": partner, "deleted_at": "2024-12-01T00:00:00Z"},
    ):
        incident = IncidentFactory(**attrs)
        source = SourceFactory(issuer=ActorFactory(**attrs), **attrs)
        group = DetaineeGroupFactory(incident=incident, **attrs)
        figure_attrs = {f"figure__{name}": value for name, value in attrs.items()}
        figure = CitationFactory(
            source=source, figure__incident=incident, **figure_attrs, **attrs
        ).figure
        allegation = AllegationFactory(incident=incident, victim_group=group, **attrs)
        citation = CitationFactory(source=source, figure=None, allegation=allegation, **attrs)
        keep(incident, source, source.issuer, group, figure, allegation, citation)
    return records


def known_ids(partner, other) -> dict[str, list[str]]:
    ids = partner_records(partner, other)
    for name, model in RESOURCES.items():
        seeded = model.objects.filter(owner=None).order_by("pk").values_list("uuid", flat=True)
        ids[name].extend(str(uid) for uid in seeded[:3])
    return ids


@pytest.fixture
def write_secret(db):
    return ApiToken.issue(partner=Partner.objects.create(name="Fuzzing partner"), scope="write")


@pytest.fixture
def api_schema(seeded, wsgi_app, write_secret):
    schema = schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json", wsgi_app, config=coverage_phase_only_for(BODIES)
    )
    other = Partner.objects.create(name="Another partner")
    ids = known_ids(write_secret[0].partner, other)

    def resource_of(context) -> str | None:
        parts = context.operation.path.strip("/").split("/")
        return parts[2] if len(parts) > 2 and parts[2] in RESOURCES else None

    def either(value, replacements):
        return st.sampled_from([value, *replacements]) if replacements else st.just(value)

    @schema.hook
    def flatmap_path_parameters(context, path_parameters):
        resource = resource_of(context)
        if resource is None or not isinstance(path_parameters, dict) or "id" not in path_parameters:
            return st.just(path_parameters)
        return either(path_parameters["id"], ids[resource]).map(
            lambda chosen: {**path_parameters, "id": chosen}
        )

    def linked(resource, name, value):
        target = resource if name == "parent" else LINK_FIELDS.get(name)
        if target is None or not isinstance(value, str):
            return st.just(value)
        return either(value, ids[target])

    def fields(resource, body: dict):
        """A strategy for ``body`` with some links, codes and quotes made real."""
        parts = {}
        for name, value in body.items():
            if name == "citations" and isinstance(value, list):
                parts[name] = st.tuples(
                    *(
                        fields("citations", item) if isinstance(item, dict) else st.just(item)
                        for item in value
                    )
                ).map(list)
            elif name == "quote" and isinstance(value, str):
                parts[name] = either(value, [QUOTE])
            elif name == "violation_type" and isinstance(value, str):
                parts[name] = either(value, ["torture"])
            else:
                parts[name] = linked(resource, name, value)
        return st.fixed_dictionaries(parts)

    @schema.hook
    def flatmap_body(context, body):
        resource = resource_of(context)
        if resource is None or not isinstance(body, dict):
            return st.just(body)
        return fields(resource, body)

    return schema


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=10,  # about 100 operations; more examples cost minutes of CI per run
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_with_a_write_token_conforms_to_the_schema(case, write_secret):
    case.call_and_validate(headers={"Authorization": f"Bearer {write_secret[1]}"}, checks=CHECKS)


@pytest.fixture
def plain_schema(db, wsgi_app):
    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app)


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH"])
def test_a_malformed_json_body_gets_a_400_the_schema_documents(
    plain_schema, wsgi_app, write_secret, method
):
    from werkzeug.test import Client as WsgiClient

    own = ActorFactory(owner=write_secret[0].partner)
    path = "/api/v1/actors/" if method == "POST" else f"/api/v1/actors/{own.uuid}/"
    response = WsgiClient(wsgi_app).open(
        path,
        method=method,
        data=b"{not json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {write_secret[1]}"},
    )
    assert response.status_code == 400
    assert response.json["errors"][0]["code"] == "parse_error"
    label = "/api/v1/actors/" if method == "POST" else "/api/v1/actors/{id}/"
    plain_schema[label][method].validate_response(response)
