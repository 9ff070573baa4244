"""Full-text search: the same answers on both databases, and an index on PostgreSQL."""

import importlib

import pytest
from django.db import connection

from incidents.models import (
    Actor,
    Allegation,
    Citation,
    DetaineeGroup,
    Figure,
    Incident,
    Source,
    Term,
)
from incidents.reads import filters, search

FILTERSETS = {
    Actor: filters.ActorFilterSet,
    Source: filters.SourceFilterSet,
    Incident: filters.IncidentFilterSet,
    DetaineeGroup: filters.DetaineeGroupFilterSet,
    Figure: filters.FigureFilterSet,
    Allegation: filters.AllegationFilterSet,
    Term: filters.TermFilterSet,
}


def test_migration_indexes_exactly_the_searched_columns():
    migration = importlib.import_module("incidents.migrations.0003_search_indexes")
    assert migration.SEARCH_FIELDS == search.SEARCH_FIELDS


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("Electric shock", ["electric", "shock"]),
        ("electric_shock", ["electric", "shock"]),
        ("14-17 años!", ["14", "17", "años"]),
        ("' OR 1=1 --", ["or", "1", "1"]),
        ("!!!", []),
    ],
)
def test_query_words_are_letters_and_digits_only(query, words):
    assert search.search_words(query) == words


@pytest.mark.parametrize(
    ("q", "count"),
    [
        ("tortur", 5),  # prefixes: "torture", "tortured"
        ("TORTURE", 5),
        ("electrical shocks", 3),  # in the quote of three allegations
        ("shocks electrical", 3),  # word order does not matter
        ("lectrical", 0),  # a word must begin where the text's word begins
        ("electrical nonexistentword", 0),  # every word must match
    ],
)
def test_allegation_search_on_the_seed_data(client, seeded, q, count):
    response = client.get("/api/v1/allegations/", {"q": q})
    assert response.status_code == 200
    assert response.json()["count"] == count


@pytest.mark.skipif(connection.vendor != "postgresql", reason="GIN indexes are PostgreSQL's")
@pytest.mark.parametrize("model", [*FILTERSETS, Citation])
def test_search_expression_matches_the_full_text_index(seeded, model):
    """The query's expression is the index's, so PostgreSQL can use it (issue: any drift)."""
    queryset = search.text_matches(model._default_manager.all(), ["minors"])
    with connection.cursor() as cursor:
        # Tiny tables: leave the planner only bitmap scans, so it must show whether the
        # full-text index fits the expression.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = queryset.order_by().explain()
    assert f"{model._meta.model_name[:20]}_search_idx" in plan, plan
