"""``generate_synthetic``: counts as asked, the same records for the same seed, valid data,
a realistic mix, and a change feed that agrees with what the API lists."""

import io
import random

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client

from incidents import changes
from incidents.choices import Stance, Visibility
from incidents.models import (
    Actor,
    Allegation,
    ApiToken,
    Change,
    Citation,
    DetaineeGroup,
    Figure,
    Incident,
    Partner,
    Source,
)
from incidents.quotes import quote_errors
from incidents.synthetic import ORDER, PARTNER_NAMES
from tests.helpers import replay, shown

pytestmark = pytest.mark.django_db

SMALL = {"incidents": 5, "figures": 200, "allegations": 50}
RESOURCES = sorted(changes.MODELS)


def generate(seed=7, **counts):
    call_command("generate_synthetic", **{**SMALL, **counts}, seed=seed, verbosity=0)


def wipe() -> None:
    """Remove every record and change, bypassing history, as on an empty database."""
    Change.objects.all()._raw_delete(Change.objects.db)
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
