"""The controlled vocabularies arrive with the database, in English and Spanish, mapped to ESF."""

import csv
from pathlib import Path

import pytest

from incidents.models import Term
from incidents.vocabulary import TERMS

pytestmark = pytest.mark.django_db

VIOLATIONS = {
    "arbitrary_detention",
    "torture",
    "cruel_treatment",
    "sexual_violence",
    "forced_confession",
    "fabricated_charges",
    "enforced_disappearance",
    "extrajudicial_killing",
    "incommunicado_detention",
    "denial_of_due_process",
    "threats",
}
METHODS = {
    "beating",
    "suffocation",
    "electric_shock",
    "forced_nudity",
    "sexual_touching",
    "recorded_confession",
    "isolation",
    "threats_to_family",
    "denial_of_medical_care",
    "mock_execution",
}


def codes(vocabulary):
    return set(Term.objects.filter(vocabulary=vocabulary).values_list("code", flat=True))


def test_migration_seeds_every_violation_type_and_method():
    assert codes("violation") == VIOLATIONS
    assert codes("method") == METHODS


def test_every_term_has_english_and_spanish_labels():
    for term in Term.objects.all():
        assert term.label and term.label_es, term.code
    assert Term.objects.get(code="electric_shock").label_es
    assert Term.objects.get(code="torture").label_es == "Tortura"


def test_seeded_terms_match_the_documented_mapping():
    seeded = {(t.vocabulary, t.code): t for t in Term.objects.select_related("parent")}
    for row in TERMS:
        term = seeded[(row["vocabulary"], row["code"])]
        assert term.esf_code == (row["esf_code"] or "")
        assert (term.parent.code if term.parent else None) == row["parent"]


@pytest.mark.parametrize(
    ("vocabulary", "csv_name"), [("violation", "esf_acts.csv"), ("method", "esf_methods.csv")]
)
def test_esf_codes_exist_in_the_huridocs_thesauri(vocabulary, csv_name):
    # The thesauri are reference data shared beside the project; check against them when present.
    path = Path(__file__).resolve().parents[2] / "shared" / "vocabularies" / csv_name
    if not path.exists():
        pytest.skip(f"{path} is not available here")
    with path.open(encoding="utf-8") as handle:
        labels = {row["code"]: row["label_en"] for row in csv.DictReader(handle)}
    for row in TERMS:
        if row["vocabulary"] == vocabulary and row["esf_code"]:
            assert labels[row["esf_code"]] == row["esf_label"], row["code"]
