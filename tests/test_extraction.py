"""The extractor against the seed article and the test articles in tests/articles/.

Plain pytest functions; no database, no Django. Run without the Django plugin while
the settings are not available: ``pytest -p no:django tests/test_extraction*.py``.
"""

import json
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from incidents.extraction import Draft, extract

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "2024-12-venezuela-minors-released.txt"
ARTICLES = sorted((Path(__file__).parent / "articles").glob("*.json"))
MINORS = "minors aged 14-17"
EDITORIAL = ("socialist", "dictator", "fraudulent", "drug lord", "long-suspected")


@cache
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@cache
def seed() -> Draft:
    return extract(seed_text(), date(2024, 12, 25), country_hint="VE")


def all_articles():
    """(text, draft) for the seed and every test article."""
    out = [(seed_text(), seed())]
    for meta_path in ARTICLES:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        text = (meta_path.parent / meta["file"]).read_text(encoding="utf-8")
        ref = date.fromisoformat(meta["reference_date"])
        out.append((text, extract(text, ref, country_hint=meta.get("country_hint"))))
    return out


def figure(draft, **fields):
    """The one figure whose fields match ``fields``."""
    found = [f for f in draft.figures if all(getattr(f, k) == v for k, v in fields.items())]
    assert len(found) == 1, (fields, [(f.value, f.measure, f.group) for f in draft.figures])
    return found[0]


def actor(draft, name):
    (a,) = [a for a in draft.actors if a.name == name]
    return a


def stances(draft, **fields):
    return [s for s in draft.stances if all(getattr(s, k) == v for k, v in fields.items())]


# -- invariants on every article ------------------------------------------------


@pytest.mark.parametrize("index", range(1 + len(ARTICLES)))
def test_every_quote_is_an_exact_substring(index):
    text, draft = all_articles()[index]
    records = [
        *draft.actors,
        *draft.sources,
        *draft.incidents,
        *draft.groups,
        *draft.figures,
        *draft.allegations,
        *draft.stances,
    ]
    assert records
    for record in records:
        assert record.quote, record
        assert record.quote in text, record


@pytest.mark.parametrize("index", range(1 + len(ARTICLES)))
def test_references_resolve(index):
    _, draft = all_articles()[index]
    actors = {a.name for a in draft.actors}
    sources = {s.key for s in draft.sources}
    incidents = {i.key for i in draft.incidents}
    groups = {g.label for g in draft.groups}
    figures = {f.key for f in draft.figures}
    allegations = {a.key for a in draft.allegations}
    keys = [*sources, *incidents, *figures, *allegations, *(s.key for s in draft.stances)]
    assert len(keys) == len(set(keys))
    assert all(a.parent in actors for a in draft.actors if a.parent)
    assert all(s.issuer in actors for s in draft.sources)
    assert all(i.parent in incidents for i in draft.incidents if i.parent)
    assert all(g.incident in incidents for g in draft.groups)
    for f in draft.figures:
        assert f.incident in incidents and (f.group is None or f.group in groups)
        assert f.reported_by is None or f.reported_by in actors
        assert f.source is None or f.source in sources
    for a in draft.allegations:
        assert a.incident in incidents
        assert a.victim_group is None or a.victim_group in groups
        assert a.reported_by is None or a.reported_by in actors
    targets = {"figure": figures, "group": groups, "allegation": allegations}
    targets["incident"] = incidents
    for s in draft.stances:
        assert s.target in targets[s.target_kind], s
        assert s.actor is None or s.actor in actors


@pytest.mark.parametrize("index", range(1 + len(ARTICLES)))
def test_codes_are_from_the_contract(index):
    from incidents.extraction import draft as contract

    _, d = all_articles()[index]
    assert all(a.kind in contract.ACTOR_KINDS for a in d.actors)
    assert all(s.kind in contract.SOURCE_KINDS for s in d.sources)
    assert all(i.kind in contract.INCIDENT_KINDS for i in d.incidents)
    assert all(f.measure in contract.MEASURES for f in d.figures)
    assert all(f.qualifier in contract.QUALIFIERS for f in d.figures)
    assert all(f.as_of_precision in contract.PRECISIONS for f in d.figures)
    assert all(s.stance in contract.STANCES for s in d.stances)


def test_determinism():
    text = seed_text()
    first = json.dumps(extract(text, date(2024, 12, 25), country_hint="VE").to_dict())
    second = json.dumps(extract(text, date(2024, 12, 25), country_hint="VE").to_dict())
    assert first == second
    for meta_path in ARTICLES:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        body = (meta_path.parent / meta["file"]).read_text(encoding="utf-8")
        ref = date.fromisoformat(meta["reference_date"])
        runs = {json.dumps(extract(body, ref).to_dict(), sort_keys=True) for _ in range(2)}
        assert len(runs) == 1


def test_only_english_and_spanish_are_supported():
    # The language's own tests are in tests/test_extraction_language.py.
    with pytest.raises(ValueError, match=r"Portuguese \(pt\)"):
        extract("Texto", date(2024, 1, 1), language="pt")


# -- the seed article -----------------------------------------------------------


def test_seed_incidents():
    d = seed()
    top = d.incidents[0]
    assert (top.key, top.kind, top.country) == ("post-election-crackdown", "crackdown", "VE")
    assert (top.start_date, top.start_precision) == ("2024-07-28", "exact")
    children = {i.key: i for i in d.incidents[1:]}
    assert all(i.parent == top.key for i in children.values())
    assert children["detention-of-minors"].kind == "mass_detention"
    foreign = children["arrests-of-foreign-nationals"]
    assert "assassinate" in foreign.summary and "no proof" in foreign.summary
    release = children["releases-attorney-generals-office"]
    assert release.kind == "release" and "Attorney General's Office" in release.title


def test_seed_minors_group():
    (g,) = [g for g in seed().groups if g.label == MINORS]
    assert (g.age_min, g.age_max, g.incident) == (14, 17, "detention-of-minors")
    assert g.charges == "terrorism"


def test_seed_minors_figures():
    d = seed()
    f = figure(d, value=129, measure="detained")
    assert (f.qualifier, f.group, f.reported_by) == ("at_least", MINORS, "Foro Penal")
    assert f.incident == "detention-of-minors"
    f = figure(d, value=69)
    assert (f.measure, f.qualifier, f.group) == ("still_detained", "exact", MINORS)
    assert (f.as_of, f.as_of_precision, f.reported_by) == (
        "2024-11-15",
        "approximate",
        "Foro Penal",
    )
    (almagro,) = stances(d, target=f.key)
    assert (almagro.stance, almagro.actor) == ("corroborates", "Luis Almagro")
    assert [s.kind for s in d.sources if s.key == almagro.source] == ["social_media_post"]
    f = figure(d, value=0)
    assert (f.measure, f.qualifier, f.group) == ("still_detained", "exact", MINORS)
    assert (f.as_of, f.as_of_precision, f.reported_by) == ("2024-12-24", "exact", "Foro Penal")
    assert f.quote.startswith("Venezuelan nongovernment organization Foro Penal announced")
    (romero,) = stances(d, target=f.key)
    assert (romero.stance, romero.actor) == ("corroborates", "Alfredo Romero")
    assert "Alfredo Romero" in romero.quote


def test_seed_other_figures():
    d = seed()
    f = figure(d, value=1800)
    assert (f.qualifier, f.measure, f.group) == (
        "approximately",
        "still_detained",
        "adult political prisoners",
    )
    assert f.reported_by == "Foro Penal"
    assert [g.age_min for g in d.groups if g.label == f.group] == [18]
    killed = figure(d, value=27)
    detained = figure(d, value=2400)
    assert (killed.measure, killed.qualifier) == ("killed", "exact")
    assert (detained.measure, detained.qualifier) == ("detained", "more_than")
    for f in (killed, detained):
        assert f.reported_by == "United Nations experts"
        assert f.incident == "post-election-crackdown"
    for value, label, citizenship in (
        (19, "foreign nationals", "foreign"),
        (31, "dual citizens", "dual"),
    ):
        f = figure(d, value=value)
        assert (f.measure, f.group, f.as_of, f.as_of_precision) == (
            "still_detained",
            label,
            "2024-12-23",
            "exact",
        )
        assert f.reported_by == "Foro Penal" and f.incident == "arrests-of-foreign-nationals"
        assert [g.citizenship for g in d.groups if g.label == label] == [citizenship]
        assert [s.date for s in d.sources if s.key == f.source] == ["2024-12-23"]
    f = figure(d, group="American nationals")
    assert (f.value, f.qualifier, f.measure) == (None, "unspecified", "detained")
    assert [g.nationality for g in d.groups if g.label == "American nationals"] == ["US"]
    for value in (223, 956):
        f = figure(d, value=value)
        assert (f.measure, f.qualifier) == ("released", "exact")
        assert f.reported_by == "Attorney General's Office"
        assert f.incident == "releases-attorney-generals-office"
        (dispute,) = stances(d, target=f.key)
        assert (dispute.stance, dispute.actor) == ("disputes", "local nongovernment organizations")


def test_seed_actors():
    d = seed()
    assert actor(d, "Foro Penal").kind == "ngo"
    romero = actor(d, "Alfredo Romero")
    assert (romero.kind, romero.role, romero.parent) == ("person", "director", "Foro Penal")
    almagro = actor(d, "Luis Almagro")
    assert (almagro.role, almagro.parent) == (
        "secretary general",
        "Organization of American States",
    )
    assert actor(d, "Organization of American States").kind == "intergovernmental"
    assert actor(d, "United Nations experts").kind == "un_mechanism"
    assert actor(d, "Attorney General's Office").kind == "state_body"
    cabello = actor(d, "Diosdado Cabello")
    assert (cabello.kind, cabello.role) == ("person", "interior minister")
    assert actor(d, "Maduro regime officials").kind == "state_body"
    assert actor(d, "local nongovernment organizations").kind in ("group", "ngo")
    # One actor per real-world actor: no "Regime officials" or "U.N. experts" duplicates.
    names = [a.name for a in d.actors]
    assert len(names) == len({n.lower() for n in names})
    assert not any(n.lower().startswith("regime officials") for n in names)
    for a in d.actors:
        for word in EDITORIAL:
            assert word not in a.name.lower() and word not in (a.role or "").lower()


def test_seed_sources():
    d = seed()
    kinds = {s.issuer: s.kind for s in d.sources}
    assert kinds["Foro Penal"] == "ngo_statement"
    assert kinds["United Nations experts"] == "un_statement"
    assert kinds["Attorney General's Office"] == "government_statement"
    assert kinds["Luis Almagro"] == "social_media_post"
    parents = [s for s in d.sources if s.issuer.startswith("parents")]
    assert [s.kind for s in parents] == ["testimony"]


def test_seed_allegations():
    d = seed()
    minors = [a for a in d.allegations if a.victim_group == MINORS]
    by_type = {}
    for a in minors:
        by_type.setdefault(a.violation_type, []).append(a)
    torture = [a for a in by_type["torture"] if a.methods]
    assert [sorted(a.methods) for a in torture] == [["beating", "electric_shock", "suffocation"]]
    assert torture[0].reported_by.startswith("parents")
    assert torture[0].incident == "detention-of-minors"
    degrading = by_type.get("cruel_treatment", []) + by_type.get("sexual_violence", [])
    assert degrading
    for a in degrading:
        assert set(a.methods) == {"forced_nudity", "sexual_touching"}
    (confession,) = by_type["forced_confession"]
    assert confession.methods == ["recorded_confession"]
    assert confession.reported_by.startswith("parents")
    (charges,) = by_type["fabricated_charges"]
    assert charges.reported_by == "Foro Penal"
    assert "arbitrary_detention" in by_type
    assert all(a.perpetrator == "Maduro regime" for a in minors)
    assert actor(d, "Maduro regime").kind == "state_body"
    parents = actor(d, torture[0].reported_by)
    assert parents.kind == "group"


def test_seed_stances():
    d = seed()
    (denial,) = stances(d, stance="denies", target_kind="group")
    assert (denial.target, denial.actor) == (MINORS, "Maduro regime officials")
    assert "smear campaign" in denial.quote
    (ack,) = stances(d, stance="acknowledges")
    assert (ack.actor, ack.target_kind, ack.target) == ("Diosdado Cabello", "group", MINORS)
    assert "blamed" in ack.note and "parents" in ack.note
    (killing,) = stances(d, stance="denies", target_kind="allegation")
    (allegation,) = [a for a in d.allegations if a.key == killing.target]
    assert allegation.violation_type == "extrajudicial_killing"
    assert "not a single complaint" in killing.quote
    (source,) = [s for s in d.sources if s.key == killing.source]
    assert (source.date, source.date_precision) == ("2024-08-01", "month")
    assert source.kind == "government_statement"


def test_an_earlier_statement_does_not_inherit_the_date_of_a_later_one():
    # "Regime officials had also denied ..." follows the August statement but is
    # a separate, undated one: it must not claim to be from August.
    d = seed()
    (denial,) = stances(d, stance="denies", target_kind="group")
    (source,) = [s for s in d.sources if s.key == denial.source]
    assert (source.date, source.date_precision) == (None, None)
    assert "had also denied" in source.quote


# -- the test articles ------------------------------------------------------------


def _matches(record, expected: dict) -> bool:
    return all(getattr(record, k) == v for k, v in expected.items())


@pytest.mark.parametrize("meta_path", ARTICLES, ids=lambda p: p.stem)
def test_article_facts(meta_path):
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    text = (meta_path.parent / meta["file"]).read_text(encoding="utf-8")
    d = extract(text, date.fromisoformat(meta["reference_date"]), country_hint=meta["country_hint"])
    want = meta["expected"]
    for kind, records in (
        ("incidents", d.incidents),
        ("actors", d.actors),
        ("figures", d.figures),
        ("groups", d.groups),
        ("allegations", d.allegations),
    ):
        for expected in want.get(kind, []):
            assert any(_matches(r, expected) for r in records), (kind, expected, records)
    for expected in want.get("stances", []):
        expected = dict(expected)
        value = expected.pop("target_value", None)
        violation = expected.pop("target_violation", None)
        found = [s for s in d.stances if _matches(s, expected)]
        if value is not None:
            keys = {f.key for f in d.figures if f.value == value}
            found = [s for s in found if s.target in keys]
        if violation is not None:
            keys = {a.key for a in d.allegations if a.violation_type == violation}
            found = [s for s in found if s.target in keys]
        assert found, (expected, d.stances)
    for stance in want.get("absent_stances", []):
        assert not stances(d, stance=stance)
