"""Every filter of the public contract (DESIGN.md section 5) can be answered from an index.

On PostgreSQL, over a few thousand synthetic records with planner statistics, each
filter's query (the list's own, built by its FilterSet for an anonymous caller) is
explained with sequential scans priced out, as they would be on a table too large
to read whole, and the plan must look the filtered column up in an index of the
filtered table. A filter whose column has no usable index, or whose SQL hides the
column from one (a function around it, an OR across two tables), fails here before
it is slow in production. ``q`` has its own test in ``test_search.py``.
"""

import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from incidents.models import Actor, DetaineeGroup, Figure, Incident, Source
from incidents.reads import filters, queries

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the plans checked are PostgreSQL's"
)

LISTS = {
    "figures": (queries.figures, filters.FigureFilterSet),
    "incidents": (queries.incidents, filters.IncidentFilterSet),
    "detainee-groups": (queries.detainee_groups, filters.DetaineeGroupFilterSet),
    "allegations": (queries.allegations, filters.AllegationFilterSet),
    "sources": (queries.sources, filters.SourceFilterSet),
}
# Actors are not here: an organisation has hundreds, not millions, and the planner
# rightly reads so small a table whole.


def uuid_of(model, **lookup):
    return str(model.objects.filter(**lookup).values_list("uuid", flat=True).first())


def rare_issuer() -> str:
    """An actor that issued a few sources: a filter on it is selective, as indexes are for."""
    issuers = (
        Source.objects.filter(issuer__visibility="public", issuer__deleted_at=None)
        .values("issuer__uuid")
        .annotate(n=Count("pk"))
        .order_by("n", "issuer__uuid")
    )
    return str(issuers[0]["issuer__uuid"])


def nth(model, ordering: str, n: int = 20) -> str:
    """A bound that selects about ``n`` records: a range filter worth an index."""
    field = ordering.lstrip("-")
    values = model.objects.exclude(**{field: None}).order_by(ordering).values_list(field, flat=True)
    return values[n].isoformat()


def index_tables() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, tablename FROM pg_indexes")
        return dict(cursor.fetchall())


def index_lookups(plan: list) -> list[tuple[str, str]]:
    """(index name, condition) of every index lookup in a JSON plan, at any depth."""
    found = []

    def walk(node):
        if "Index Name" in node:
            found.append((node["Index Name"], node.get("Index Cond", "")))
        for child in node.get("Plans", ()):
            walk(child)

    for statement in plan:
        walk(statement["Plan"])
    return found


def plan_of(resource: str, params: dict) -> list:
    fetch, filterset_class = LISTS[resource]
    request = Request(APIRequestFactory().get(f"/api/v1/{resource}/", params))
    filterset = filterset_class(request.query_params, queryset=fetch(request), request=request)
    assert filterset.is_valid(), filterset.errors
    # The count's query: the filters without the page's order and limit.
    queryset = filterset.qs.order_by()
    sql, sql_params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", sql_params)
        plan = cursor.fetchone()[0]
    return plan if isinstance(plan, list) else json.loads(plan)


CASES = [
    # figures
    ("figures", {"measure": "still_detained"}, "figure", "measure"),
    ("figures", {"qualifier": "approximately"}, "figure", "qualifier"),
    ("figures", {"value__gte": "100"}, "figure", "value"),
    ("figures", {"value__lte": "3"}, "figure", "value"),
    ("figures", {"as_of__gte": lambda: nth(Figure, "-as_of")}, "figure", "as_of"),
    ("figures", {"as_of__lte": lambda: nth(Figure, "as_of")}, "figure", "as_of"),
    ("figures", {"incident": lambda: uuid_of(Incident, kind="crackdown")}, "figure", "incident_id"),
    ("figures", {"group": lambda: uuid_of(DetaineeGroup)}, "figure", "group_id"),
    ("figures", {"source": lambda: uuid_of(Source)}, "citation", "source_id"),
    ("figures", {"source_kind": "un_statement"}, "source", "kind"),
    ("figures", {"issuer": rare_issuer}, "source", "issuer_id"),
    # The kept contest state: the audience's rows, by its index.
    ("figures", {"contested": "true"}, "figurecontest", "audience"),
    ("figures", {"updated_since": "2030-01-01T00:00:00Z"}, "figure", "updated_at"),
    ("detainee-groups", {"updated_since": "2030-01-01T00:00:00Z"}, "detaineegroup", "updated_at"),
    ("allegations", {"updated_since": "2030-01-01T00:00:00Z"}, "allegation", "updated_at"),
    ("sources", {"updated_since": "2030-01-01T00:00:00Z"}, "source", "updated_at"),
    # incidents
    ("incidents", {"country": "VE"}, "incident", "country"),
    ("incidents", {"kind": "crackdown"}, "incident", "kind"),
    ("incidents", {"parent": lambda: uuid_of(Incident, kind="crackdown")}, "incident", "parent_id"),
    ("incidents", {"date_from": "2030-01-01"}, "incident", "end_date"),
    ("incidents", {"date_to": "2000-01-01"}, "incident", "start_date"),
    ("incidents", {"updated_since": "2030-01-01T00:00:00Z"}, "incident", "updated_at"),
    # detainee groups
    (
        "detainee-groups",
        {"incident": lambda: uuid_of(Incident, kind="crackdown")},
        "detaineegroup",
        "incident_id",
    ),
    ("detainee-groups", {"citizenship": "foreign"}, "detaineegroup", "citizenship"),
    ("detainee-groups", {"affiliation": "military"}, "detaineegroup", "affiliation"),
    ("detainee-groups", {"minors": "true"}, "detaineegroup", "age_max"),
    ("detainee-groups", {"age": "15"}, "detaineegroup", "age_m"),
    # allegations
    (
        "allegations",
        {"incident": lambda: uuid_of(Incident, kind="crackdown")},
        "allegation",
        "incident_id",
    ),
    (
        "allegations",
        {"victim_group": lambda: uuid_of(DetaineeGroup)},
        "allegation",
        "victim_group_id",
    ),
    ("allegations", {"violation_type": "torture"}, "allegation", "violation_type_id"),
    ("allegations", {"method": "electric_shock"}, "allegation_methods", "term_id"),
    ("allegations", {"perpetrator": lambda: uuid_of(Actor)}, "allegation", "perpetrator_id"),
    ("allegations", {"status": "denied"}, "allegation", "status"),
    # sources
    ("sources", {"kind": "un_statement"}, "source", "kind"),
    ("sources", {"issuer": rare_issuer}, "source", "issuer_id"),
    ("sources", {"date__gte": lambda: nth(Source, "-date")}, "source", "date"),
    ("sources", {"date__lte": lambda: nth(Source, "date")}, "source", "date"),
]


@pytest.fixture
def analysed(seeded):
    """The seed records, a synthetic mix beside them, and the planner's statistics."""
    call_command(
        "generate_synthetic", incidents=60, figures=6000, allegations=1500, seed=3, verbosity=0
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def test_every_filter_is_answered_from_an_index(analysed):
    missing = []
    tables = index_tables()
    for resource, params, table, column in CASES:
        params = {name: value() if callable(value) else value for name, value in params.items()}
        lookups = index_lookups(plan_of(resource, params))
        if not any(
            column in condition and tables.get(name) == f"incidents_{table}"
            for name, condition in lookups
        ):
            missing.append(f"{resource} {params}: no index lookup of {table}.{column} in {lookups}")
    assert not missing, "\n".join(missing)


def test_every_contract_filter_is_checked():
    """A filter added to a FilterSet needs a case here."""
    checked = {(resource, name) for resource, params, _, _ in CASES for name in params}
    general = {"q", "ordering"}  # q: test_search.py; ordering sorts, it does not filter
    for resource, (_, filterset_class) in LISTS.items():
        for name in filterset_class.base_filters:
            if name not in general:
                assert (resource, name) in checked, f"{resource}: {name}"


def test_queries_run_without_jit(db):
    """JIT compilation cost more than the contested filter's count itself (settings.py)."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
