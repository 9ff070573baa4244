"""Property-based tests of the whole API against its own OpenAPI schema (schemathesis).

Every operation is called with generated valid and invalid parameters over the
seed data; no response may be a server error, every status code must be
documented, and every response body must match its documented schema.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from tests.api.schemathesis_phases import READS, coverage_phase_only_for

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


@pytest.fixture
def api_schema(seeded, wsgi_app):
    return schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json", wsgi_app, config=coverage_phase_only_for(READS)
    )


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    # Per operation, in the examples and fuzzing phases: the coverage phase (see the import)
    # tries every boundary of every parameter besides, so fewer random ones are needed.
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_conforms_to_the_schema(case):
    case.call_and_validate(checks=CHECKS)
