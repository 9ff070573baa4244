"""Which operations run schemathesis's coverage phase, in each of the two schemathesis tests.

The coverage phase sends every boundary and invalid value the schema allows for
each parameter and body field: hundreds of requests an operation, which made up
nearly all of the two tests' time. Each operation runs it once, with the caller
for whom the answers differ: reads (GET) anonymously in ``test_schemathesis.py``,
where a filter's validation is the same for everyone; writes with a write token in
``test_write_schemathesis.py``, since anonymously they stop at 401 before their
body is read. Both tests still run the examples and fuzzing phases on every
operation (``max_examples`` in each test).
"""

from schemathesis.config import SchemathesisConfig

READS = ["GET", "HEAD", "OPTIONS"]
WRITES = ["POST", "PUT", "PATCH", "DELETE"]


def coverage_phase_only_for(methods: list[str]) -> SchemathesisConfig:
    others = [method for method in READS + WRITES if method not in methods]
    return SchemathesisConfig.from_dict(
        {"operations": [{"include-method": others, "phases": {"coverage": {"enabled": False}}}]}
    )
