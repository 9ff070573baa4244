"""``generate_synthetic``: counts as asked, the same records for the same seed, valid data,
a realistic mix, and a change feed that agrees with what the API lists."""

import io
import random

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import Client

from incidents.choices import Stance, Visibility
from incidents.integration import changes
from incidents.models import (
    Actor,
    Allegation,
    ApiToken,
    Change,
    Citation,
    DetaineeGroup,
    Figure,
    FigureContest,
    Incident,
    Partner,
    Source,
)
from incidents.perf import synthetic
from incidents.perf.synthetic import ORDER, PARTNER_NAMES
from incidents.writes.quotes import quote_errors
from tests.helpers import replay, shown

pytestmark = pytest.mark.django_db

SMALL = {"incidents": 5, "figures": 200, "allegations": 50}
RESOURCES = sorted(changes.MODELS)


def generate(seed=7, **counts):
    call_command("generate_synthetic", **{**SMALL, **counts}, seed=seed, verbosity=0)


def wipe() -> None:
    """Remove every record and change, bypassing history, as on an empty database."""
    Change.objects.all()._raw_delete(Change.objects.db)
    FigureContest.objects.all()._raw_delete(FigureContest.objects.db)
    through = Allegation.methods.through
    through.objects.all()._raw_delete(through.objects.db)
    for model in reversed(ORDER):
        model.objects.all()._raw_delete(model.objects.db)


def digest() -> dict:
    """What two runs must agree on: every value but integer keys and timestamps."""

    def rows(model, *fields):
        return sorted(model.objects.values_list("uuid", "visibility", "owner__name", *fields))

    deleted = {
        model.__name__: sorted(
            model.objects.filter(deleted_at__isnull=False).values_list("uuid", flat=True)
        )
        for model in ORDER
    }
    return {
        "contest state": sorted(
            FigureContest.objects.values_list(
                "figure__uuid", "audience", "citation__uuid", "reason"
            )
        ),
        "actors": rows(Actor, "name", "kind", "country", "parent__uuid", "role"),
        "sources": rows(
            Source, "kind", "title", "issuer__uuid", "reported_in__uuid", "date", "url", "text"
        ),
        "incidents": rows(
            Incident,
            "title",
            "kind",
            "summary",
            "country",
            "location",
            "start_date",
            "start_precision",
            "end_date",
            "parent__uuid",
        ),
        "groups": rows(DetaineeGroup, "incident__uuid", "label", "age_min", "age_max", "sex"),
        "figures": rows(
            Figure,
            "incident__uuid",
            "group__uuid",
            "measure",
            "value",
            "value_low",
            "value_high",
            "qualifier",
            "as_of",
            "as_of_precision",
            "note",
            "external_id",
        ),
        "allegations": rows(
            Allegation,
            "incident__uuid",
            "victim_group__uuid",
            "violation_type__code",
            "perpetrator__uuid",
            "status",
            "summary",
        ),
        "methods": sorted(
            Allegation.methods.through.objects.values_list("allegation__uuid", "term__code")
        ),
        "citations": rows(
            Citation,
            "source__uuid",
            "quote",
            "stance",
            "incident__uuid",
            "group__uuid",
            "figure__uuid",
            "allegation__uuid",
        ),
        "deleted": deleted,
        # As a set: where deletions fall in the feed depends on the batches.
        "changes": sorted(
            Change.objects.values_list(
                "resource", "record_uuid", "action", "version", "audience", "previous_audience"
            )
        ),
    }


# --- counts and reproducibility ----------------------------------------------------------


def test_counts_are_as_asked_and_the_summary_says_so():
    out = io.StringIO()
    call_command("generate_synthetic", **SMALL, seed=3, no_progress=True, stdout=out, verbosity=1)
    assert Incident.objects.count() == 5
    assert Figure.objects.count() == 200
    assert Allegation.objects.count() == 50
    assert Actor.objects.count() > 100  # reporters and perpetrators of a dozen countries
    assert Source.objects.exists() and DetaineeGroup.objects.exists()
    assert Citation.objects.count() >= 250  # one per figure and allegation, and responses
    assert "200 figures" in out.getvalue()
    assert "figures/s" in out.getvalue()


def test_the_same_seed_gives_the_same_records_whatever_the_batch_size():
    generate(seed=11)
    first = digest()
    wipe()
    generate(seed=11, batch_size=7)
    assert digest() == first
    wipe()
    generate(seed=12)
    other = digest()
    assert not set(other["figures"]) & set(first["figures"])


def test_a_second_run_adds_records_without_clashing():
    generate(seed=5)
    generate(seed=5)
    assert Figure.objects.count() == 400
    assert Partner.objects.filter(name__in=PARTNER_NAMES).count() == 3
    names = list(Actor.objects.values_list("name", flat=True))
    assert len({n.lower() for n in names}) == len(names)
    urls = [u for u in Source.objects.values_list("url", flat=True) if u]
    assert len(set(urls)) == len(urls)


# --- valid and realistic -----------------------------------------------------------------


def test_records_pass_the_models_own_validation():
    generate(seed=1)
    rng = random.Random(0)
    for model in ORDER:
        records = list(model.objects.all())
        for record in rng.sample(records, min(25, len(records))):
            try:
                record.full_clean()
            except ValidationError as error:  # pragma: no cover - the message is the point
                pytest.fail(f"{model.__name__} {record.uuid}: {error.message_dict}")


def test_every_figure_has_one_live_asserting_citation_quoted_from_its_source():
    generate(seed=2)
    for figure in Figure.objects.prefetch_related("citations"):
        asserting = [
            c for c in figure.citations.all() if c.stance == Stance.ASSERTS and not c.deleted_at
        ]
        assert len(asserting) == 1, figure.uuid
    for citation in Citation.objects.select_related("source"):
        assert citation.quote in citation.source.text
        assert quote_errors(citation.source, citation.quote) is None
    for allegation in Allegation.objects.prefetch_related("citations"):
        assert sum(c.stance == Stance.ASSERTS for c in allegation.citations.all()) == 1


def test_a_realistic_mix_of_visibilities_nesting_sources_and_deletions():
    generate(seed=4, incidents=12, figures=1000, allegations=250)
    shares = {v: Figure.objects.filter(visibility=v).count() / 1000 for v in Visibility.values}
    assert 0.7 < shares["public"] < 0.9
    assert 0.08 < shares["partners"] < 0.22
    assert 0.01 < shares["restricted"] < 0.1
    partners = set(Partner.objects.filter(name__in=PARTNER_NAMES).values_list("pk", flat=True))
    for model in ORDER:
        owners = set(
            model.objects.filter(visibility=Visibility.RESTRICTED).values_list("owner", flat=True)
        )
        assert owners <= partners, model
    assert Figure.objects.filter(deleted_at__isnull=False).exists()
    assert Incident.objects.filter(parent__isnull=True, kind="crackdown").exists()
    children = Incident.objects.filter(parent__isnull=False).select_related("parent")
    assert children.exists()
    assert all(child.country == child.parent.country for child in children)
    # Several reporters per incident, and sources that respond to others' figures.
    for incident in Incident.objects.filter(figures__isnull=False).distinct()[:5]:
        reporters = set(
            Citation.objects.filter(figure__incident=incident, stance=Stance.ASSERTS).values_list(
                "source__issuer", flat=True
            )
        )
        assert len(reporters) >= 2
    stances = set(Citation.objects.values_list("stance", flat=True))
    assert {Stance.ASSERTS, Stance.CORROBORATES, Stance.DISPUTES, Stance.DENIES} <= stances
    assert Allegation.methods.through.objects.exists()
    assert Source.objects.filter(reported_in__isnull=False).exists()
    assert {"es", "en"} <= set(Source.objects.values_list("language", flat=True))


# --- what the API makes of it ------------------------------------------------------------


def test_the_api_lists_generated_records_and_finds_contested_figures(client):
    generate(seed=6)
    response = client.get("/api/v1/figures/", {"page_size": 100})
    assert response.status_code == 200
    assert response.json()["count"] > 0
    contested = client.get("/api/v1/figures/", {"contested": "true", "page_size": 500}).json()
    assert contested["count"] > 0
    # The SQL filter and the reasons shown on each figure agree on generated data too.
    assert all(f["contested"] and f["contest_reasons"] for f in contested["results"])
    calm = client.get("/api/v1/figures/", {"contested": "false", "page_size": 500}).json()
    assert calm["count"] > 0
    assert not any(f["contest_reasons"] for f in calm["results"])
    found = client.get("/api/v1/actors/", {"q": "synthetic"}).json()
    assert found["count"] > 0


def test_the_change_feed_lists_exactly_what_the_api_shows():
    generate(seed=8)
    anonymous = Client()
    mirror = {}
    replay(anonymous, {}, mirror)
    assert mirror == shown(anonymous, {})
    assert len(mirror) > 200
    partner = Partner.objects.get(name=PARTNER_NAMES[0])
    secret = ApiToken.issue(partner=partner, scope="read")[1]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    theirs = {}
    replay(Client(), headers, theirs)
    assert theirs == shown(Client(), headers)
    assert len(theirs) > len(mirror)  # partners' and its own restricted records too


def test_each_record_enters_the_feed_once_as_created():
    generate(seed=9)
    created = Change.objects.filter(action="created")
    assert created.count() == sum(model.objects.count() for model in ORDER)
    assert set(created.values_list("version", flat=True)) == {1}
    for model in ORDER:
        deleted = model.objects.filter(deleted_at__isnull=False)
        for record in deleted:
            actions = list(
                Change.objects.filter(record_uuid=record.uuid)
                .order_by("seq")
                .values_list("action", "version", "audience")
            )
            assert actions[0][0] == "created"
            assert actions[-1] == ("deleted", 2, "none")


# --- bulk loads --------------------------------------------------------------------------
# A bulk load drops the secondary indexes (and, on PostgreSQL, the foreign keys) and
# switches SQLite's foreign-key enforcement off, so these tests check the database
# itself before and after. SQLite can only switch enforcement off outside a
# transaction: these tests run outside one (and the tables are emptied afterwards).
bulk_db = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def schema() -> dict:
    """Every index and constraint of the database, as its catalogue has them.

    On SQLite, ``sqlite_master`` (all but the page numbers), and the order of each
    table's indexes (the planner considers them in that order); on PostgreSQL,
    ``pg_indexes`` and ``pg_constraint``.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY rowid")
            rows = cursor.fetchall()
            order: dict[str, list[str]] = {}
            for kind, name, table, _ in rows:
                if kind == "index":
                    order.setdefault(table, []).append(name)
            return {"master": sorted(rows, key=lambda r: (r[0], r[1])), "order": order}
        cursor.execute(
            "SELECT tablename, indexname, indexdef FROM pg_indexes "
            "WHERE schemaname = current_schema() ORDER BY 1, 2"
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid), "
            "condeferrable, condeferred, convalidated FROM pg_constraint "
            "WHERE connamespace = current_schema()::regnamespace ORDER BY 1, 2"
        )
        return {"indexes": indexes, "constraints": cursor.fetchall()}


def foreign_keys_enforced() -> bool:
    if connection.vendor != "sqlite":
        return True
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys")
        return bool(cursor.fetchone()[0])


def nothing_generated() -> bool:
    return not any(model.objects.exists() for model in ORDER) and not Change.objects.exists()


def test_what_a_bulk_load_sets_aside_is_every_secondary_index():
    items = synthetic.secondary_schema(synthetic.bulk_tables())
    names = {item.name for item in items}
    assert "change_record_idx" in names
    assert "figure_has_one_asserting_citation" in names  # partial unique indexes too
    assert "incidents_figure_incident_id_a0ac415c" in names
    if connection.vendor == "postgresql":
        assert "citation_search_idx" in names  # the GIN search indexes
        assert "incidents_figure_incident_id_a0ac415c_fk_incidents_incident_id" in names
        assert "incidents_figure_pkey" not in names and "incidents_figure_uuid_key" not in names
    else:
        assert not any(name.startswith("sqlite_autoindex") for name in names)
    assert {item.table for item in items} <= set(synthetic.bulk_tables())


@bulk_db
def test_a_bulk_load_adds_the_same_records_and_leaves_the_schema_as_it_was():
    before = schema()
    summary = synthetic.generate(**SMALL, seed=11, bulk=True, batch_size=50)
    assert summary.bulk
    assert schema() == before
    assert foreign_keys_enforced()
    bulk = digest()
    wipe()
    assert not synthetic.generate(**SMALL, seed=11, bulk=False).bulk
    assert digest() == bulk


@bulk_db
def test_a_failed_bulk_load_adds_nothing_and_restores_the_schema(monkeypatch):
    before = schema()
    insert = synthetic.Writer.insert
    calls = []

    def failing(self, key, rows):
        if key is Citation and rows:
            if calls:
                raise RuntimeError("disk full")
            calls.append(len(rows))
        insert(self, key, rows)

    monkeypatch.setattr(synthetic.Writer, "insert", failing)
    with pytest.raises(RuntimeError, match="disk full"):
        synthetic.generate(**SMALL, seed=3, bulk=True, batch_size=50)
    assert calls  # it failed in the middle, after a batch had gone in
    assert schema() == before
    assert foreign_keys_enforced()
    assert nothing_generated()


@bulk_db
def test_a_dangling_foreign_key_fails_a_bulk_load(monkeypatch):
    """SQLite's check after the load (enforcement is off during it), and PostgreSQL's
    validation of the foreign keys added back, refuse a reference to nothing."""
    before = schema()
    insert = synthetic.Writer.insert

    def dangling(self, key, rows):
        if key is Figure and rows:
            rows = [(*rows[0][:9], 10**9, *rows[0][10:]), *rows[1:]]  # incident_id
        insert(self, key, rows)

    monkeypatch.setattr(synthetic.Writer, "insert", dangling)
    with pytest.raises(IntegrityError, match="foreign key"):
        synthetic.generate(**SMALL, seed=3, bulk=True)
    assert schema() == before
    assert foreign_keys_enforced()
    assert nothing_generated()


@bulk_db
def test_a_unique_index_rebuilt_after_a_bulk_load_refuses_duplicates(monkeypatch):
    before = schema()
    insert = synthetic.Writer.insert

    def duplicated(self, key, rows):
        if key is Figure:  # every owned figure with the same external id
            rows = [(*r[:7], "dup", *r[8:]) if r[5] is not None else r for r in rows]
        insert(self, key, rows)

    monkeypatch.setattr(synthetic.Writer, "insert", duplicated)
    with pytest.raises(IntegrityError, match=r"(?i)unique"):
        synthetic.generate(**SMALL, seed=3, bulk=True)
    assert schema() == before
    assert nothing_generated()


def test_the_safety_net_recreates_a_missing_index_exactly():
    before = schema()
    items = synthetic.secondary_schema(synthetic.bulk_tables())
    figure_value = next(item for item in items if item.name == "figure_value_idx")
    synthetic.drop([figure_value])
    assert schema() != before
    assert synthetic.restore_missing(items) == [figure_value]
    assert schema() == before
    assert synthetic.restore_missing(items) == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's foreign-key pragma")
def test_a_bulk_load_on_sqlite_refuses_to_run_inside_a_transaction():
    before = schema()
    with pytest.raises(RuntimeError, match="its own transaction"):
        synthetic.generate(**SMALL, seed=3, bulk=True)
    assert schema() == before
    assert foreign_keys_enforced()
    assert nothing_generated()


@bulk_db
def test_bulk_is_chosen_for_large_runs_into_small_tables():
    big = synthetic.BULK_MIN_FIGURES
    most = int(synthetic.BULK_EXISTING_RATIO[connection.vendor] * big)
    assert synthetic.wants_bulk(big, 0)
    assert synthetic.wants_bulk(big, most)
    assert not synthetic.wants_bulk(big - 1, 0)
    assert not synthetic.wants_bulk(big, most + 1)
    with transaction.atomic():
        # SQLite cannot switch foreign-key enforcement off inside a transaction.
        assert synthetic.wants_bulk(big, 0) is (connection.vendor == "postgresql")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner statistics")
def test_the_tables_are_analysed_afterwards_unless_asked_not_to():
    out = io.StringIO()
    call_command("generate_synthetic", **SMALL, seed=3, no_progress=True, stdout=out, verbosity=1)
    assert "ANALYZE" in out.getvalue()
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'incidents_figure'")
        assert cursor.fetchone()[0] >= 200
    out = io.StringIO()
    call_command("generate_synthetic", **SMALL, seed=4, no_analyze=True, stdout=out, verbosity=1)
    assert "ANALYZE" not in out.getvalue()


@bulk_db
def test_the_command_loads_large_runs_in_bulk_unless_told_not_to(monkeypatch):
    monkeypatch.setattr(synthetic, "BULK_MIN_FIGURES", SMALL["figures"])
    out = io.StringIO()
    call_command("generate_synthetic", **SMALL, seed=3, no_progress=True, stdout=out, verbosity=1)
    assert "(bulk load" in out.getvalue()
    wipe()
    out = io.StringIO()
    call_command("generate_synthetic", "--no-bulk", **SMALL, seed=3, no_progress=True, stdout=out)
    assert "(batch by batch" in out.getvalue()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite refuses, tested above")
def test_a_bulk_load_on_postgresql_works_inside_a_transaction():
    before = schema()
    with transaction.atomic():
        assert synthetic.generate(**SMALL, seed=3, bulk=True).bulk
    assert schema() == before
    assert Figure.objects.count() == SMALL["figures"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's sequences")
def test_reserved_keys_are_every_key_drawn_even_with_gaps():
    """Another session drawing from a sequence meanwhile leaves gaps in ours: a
    sequence that steps by 2 stands in for it."""
    writer = synthetic.Writer()
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY SEQUENCE gappy INCREMENT BY 2")
        cursor.execute("SELECT 'gappy'::regclass::oid")
        writer.sequences[Figure] = cursor.fetchone()[0]
    assert writer.reserve(Figure, 5) == [1, 3, 5, 7, 9]
    keys = writer.reserve(Actor, 1000)
    assert isinstance(keys, range) and len(keys) == 1000
    assert not Actor.objects.filter(pk__in=list(keys)).exists()
