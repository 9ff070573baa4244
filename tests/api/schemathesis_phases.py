"""Which operations run schemathesis's coverage phase, in each of the two schemathesis tests.

The coverage phase sends every boundary and invalid value the schema allows for
each parameter and body field: hundreds of requests an operation (thousands for a
write's body), which made up nearly all of the two tests' time. So it runs once
for each thing it checks, with the caller for whom the answers differ:

- reads (GET) anonymously in ``test_schemathesis.py``: a filter's validation is
  the same for everyone;
- request bodies with a write token in ``test_write_schemathesis.py`` (anonymously
  a write stops at 401 before its body is read), through POST, whose bodies are
  the whole records, and PATCH, whose bodies are any part of them. A PUT takes
  the very body a POST does, through the same serializer, and a DELETE none, so
  the coverage phase would repeat on them what POST and PATCH have checked.

Every operation still runs the examples and fuzzing phases in both tests
(``max_examples`` in each test), PUT and DELETE included.
"""

from schemathesis.config import SchemathesisConfig

READS = ["GET", "HEAD", "OPTIONS"]
WRITES = ["POST", "PUT", "PATCH", "DELETE"]
BODIES = ["POST", "PATCH"]  # the writes whose bodies the coverage phase goes through


def coverage_phase_only_for(methods: list[str]) -> SchemathesisConfig:
    others = [method for method in READS + WRITES if method not in methods]
    # (``include-method`` takes a list: these operations skip the coverage phase.)
    return SchemathesisConfig.from_dict(
        {"operations": [{"include-method": others, "phases": {"coverage": {"enabled": False}}}]}
    )
