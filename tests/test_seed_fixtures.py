"""The seed fixtures: generated from the article, reproducible, loadable, and faithful to it."""

import datetime
import hashlib
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

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
from incidents.writes.seeding import build_all

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
ARTICLE = Path(settings.SEEDS_DIR) / "2024-12-venezuela-minors-released.txt"


def test_committed_fixtures_are_what_the_seeds_produce_byte_for_byte():
    built = build_all(Path(settings.SEEDS_DIR))
    committed = {p.name: p.read_bytes() for p in FIXTURES.glob("*.json")}
    assert set(built) == set(committed)
    for name, content in built.items():
        assert content.encode("utf-8") == committed[name], f"{name} differs; run `make fixtures`"


def test_building_twice_gives_identical_output():
    assert build_all(Path(settings.SEEDS_DIR)) == build_all(Path(settings.SEEDS_DIR))


def test_seed_article_is_kept_byte_for_byte():
    meta = (ARTICLE.with_suffix(".meta.json")).read_text()
    assert hashlib.sha256(ARTICLE.read_bytes()).hexdigest() == json.loads(meta)["sha256"]


@pytest.fixture
def seeded(db):
    call_command("load_seed_fixtures", verbosity=0)


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Actor, Source, Incident, DetaineeGroup, Figure, Allegation, Citation, Term)
    }


def test_loading_twice_changes_nothing(seeded):
    before = counts()
    assert before["Figure"] >= 11 and before["Citation"] > before["Figure"]
    call_command("load_seed_fixtures", verbosity=0)
    assert counts() == before


def test_every_quote_is_verbatim_in_the_article(seeded):
    article = Source.objects.get(kind="news_article")
    assert article.text.encode("utf-8") == ARTICLE.read_bytes()
    for citation in Citation.objects.select_related("source__reported_in"):
        held = citation.source.text or citation.source.reported_in.text
        assert citation.quote in held, citation.quote
        citation.full_clean()  # the model's own verbatim rule agrees


def test_every_figure_has_exactly_one_asserting_citation(seeded):
    for figure in Figure.objects.all():
        assert figure.citations.filter(stance="asserts").count() == 1, figure


def test_every_record_is_cited(seeded):
    for model in (Incident, DetaineeGroup, Figure, Allegation):
        for record in model.objects.all():
            assert record.citations.exists(), record


def test_every_record_passes_model_validation(seeded):
    for model in (Actor, Source, Incident, DetaineeGroup, Figure, Allegation):
        for record in model.objects.all():
            record.full_clean()


# --- The facts of the article ---------------------------------------------------------------


def crackdown():
    return Incident.objects.get(parent__isnull=True, country="VE")


def minors():
    return DetaineeGroup.objects.get(age_min=14, age_max=17)


def figure(measure, value, **lookups):
    return Figure.objects.get(measure=measure, value=value, **lookups)


def reported_by(fig) -> str:
    """The reporting source, its issuer and the organisation the issuer speaks for."""
    source = fig.citations.get(stance="asserts").source
    issuer = source.issuer
    names = [issuer and issuer.name, issuer and issuer.parent and issuer.parent.name, source.title]
    return " / ".join(filter(None, names))


def test_the_crackdown_and_its_nested_incidents(seeded):
    top = crackdown()
    assert top.kind == "crackdown"
    assert (top.start_date, top.start_precision) == (datetime.date(2024, 7, 28), "exact")
    children = {child.kind: child for child in top.children.all()}
    assert {"mass_detention", "arrest", "release"} <= set(children)
    assert "minor" in children["mass_detention"].title.lower()
    assert "proof" in children["arrest"].summary.lower()
    assert "Attorney General" in children["release"].title


def test_minors_at_least_129_detained_according_to_foro_penal(seeded):
    fig = figure("detained", 129, group=minors())
    assert fig.qualifier == "at_least"
    assert "Foro Penal" in reported_by(fig)
    assert "at least 129 children aged 14-17" in fig.citations.get(stance="asserts").quote


def test_minors_69_still_detained_mid_november_certified_by_almagro(seeded):
    fig = figure("still_detained", 69, group=minors())
    assert (fig.as_of, fig.as_of_precision) == (datetime.date(2024, 11, 15), "approximate")
    assert "Foro Penal" in reported_by(fig)
    corroboration = fig.citations.get(stance="corroborates")
    assert corroboration.source.issuer.name == "Luis Almagro"
    assert corroboration.source.kind == "social_media_post"
    almagro = corroboration.source.issuer
    assert (almagro.role, almagro.parent.kind) == ("secretary general", "intergovernmental")


def test_no_minors_still_detained_as_of_the_announcement(seeded):
    fig = figure("still_detained", 0, group=minors())
    assert fig.qualifier == "exact"
    assert fig.as_of == datetime.date(2024, 12, 24)
    assert "Foro Penal" in reported_by(fig) or "Alfredo Romero" in reported_by(fig)
    assert Actor.objects.get(name="Alfredo Romero").parent.name == "Foro Penal"


def test_about_1800_adult_political_prisoners_still_detained(seeded):
    fig = figure("still_detained", 1800)
    assert fig.qualifier == "approximately"
    assert fig.group.age_min == 18
    assert "Foro Penal" in reported_by(fig)


def test_un_experts_27_killed_and_more_than_2400_detained(seeded):
    killed = figure("killed", 27)
    detained = figure("detained", 2400)
    assert (killed.qualifier, detained.qualifier) == ("exact", "more_than")
    for fig in (killed, detained):
        assert fig.incident == crackdown()
        assert fig.citations.get(stance="asserts").source.issuer.kind == "un_mechanism"


def test_foreign_and_dual_nationals_still_detained_on_23_december(seeded):
    foreign = figure("still_detained", 19)
    dual = figure("still_detained", 31)
    assert (foreign.group.citizenship, dual.group.citizenship) == ("foreign", "dual")
    for fig in (foreign, dual):
        assert (fig.as_of, fig.as_of_precision) == (datetime.date(2024, 12, 23), "exact")
        assert "Foro Penal" in reported_by(fig)


def test_several_american_nationals_arrested_without_a_number(seeded):
    fig = Figure.objects.get(group__nationality="US")
    assert (fig.value, fig.qualifier, fig.measure) == (None, "unspecified", "detained")
    assert fig.incident.kind == "arrest"


def test_attorney_general_releases_disputed_by_local_ngos(seeded):
    for value in (223, 956):
        fig = figure("released", value)
        assert fig.qualifier == "exact"
        assert fig.citations.get(stance="asserts").source.issuer.kind == "state_body"
        assert "Attorney General" in reported_by(fig)
        dispute = fig.citations.get(stance="disputes")
        assert "called into question" in dispute.quote


def test_torture_of_minors_by_suffocation_beatings_and_electric_shocks(seeded):
    torture = Allegation.objects.get(
        violation_type__code="torture", victim_group=minors(), methods__code="electric_shock"
    )
    methods = set(torture.methods.values_list("code", flat=True))
    assert {"suffocation", "beating", "electric_shock"} <= methods
    asserted = torture.citations.get(stance="asserts")
    assert "electrical shocks" in asserted.quote
    assert asserted.source.issuer.name == "parents of the now-released minors"
    assert asserted.source.kind == "testimony"


def test_foro_penal_alleges_the_minors_were_tortured_and_charged_with_terrorism(seeded):
    alleged = Allegation.objects.filter(
        victim_group=minors(), citations__source__issuer__name="Foro Penal"
    )
    assert {"torture", "fabricated_charges"} <= set(
        alleged.values_list("violation_type__code", flat=True)
    )
    assert "terrorism" in minors().charges


def test_forced_nudity_groping_and_recorded_confessions_are_alleged(seeded):
    methods = set(
        Allegation.objects.filter(victim_group=minors()).values_list("methods__code", flat=True)
    )
    assert {"forced_nudity", "sexual_touching", "recorded_confession"} <= methods
    types = set(
        Allegation.objects.filter(victim_group=minors()).values_list(
            "violation_type__code", flat=True
        )
    )
    assert {"torture", "forced_confession", "fabricated_charges"} <= types


def test_allegations_are_reported_by_parents_or_foro_penal(seeded):
    for allegation in Allegation.objects.filter(victim_group=minors()):
        issuer = allegation.citations.get(stance="asserts").source.issuer
        assert issuer is not None
        assert "parent" in issuer.name.lower() or issuer.name == "Foro Penal", allegation


def test_officials_deny_school_aged_children_were_detained(seeded):
    denial = Citation.objects.get(stance="denies", quote__contains="smear campaign")
    assert "school-aged children" in denial.quote
    assert denial.target == minors()
    assert denial.source.issuer.kind == "state_body"


def test_cabello_acknowledges_minors_were_detained_and_blames_parents(seeded):
    acknowledgement = Citation.objects.get(stance="acknowledges")
    cabello = acknowledgement.source.issuer
    assert cabello.name == "Diosdado Cabello" and cabello.role == "interior minister"
    assert "blame" in acknowledgement.note.lower()


def test_officials_claim_no_death_is_attributable_to_the_state(seeded):
    denial = Citation.objects.get(stance="denies", quote__contains="not a single complaint")
    assert denial.source.date.month == 8 and denial.source.date_precision == "month"
