"""The import benchmark runs, imports what it says, and leaves nothing behind."""

import io
import json

import pytest
from django.core.management import call_command

from incidents.models import ApiToken, Change, Figure, Partner
from incidents.perf import benchmark_import

pytestmark = pytest.mark.django_db


def test_the_command_prints_figures_a_second_for_each_phase_and_path(tmp_path):
    out = io.StringIO()
    saved = tmp_path / "results.json"
    call_command(
        "benchmark_import",
        rows=6,
        repeat=2,
        baseline_rows=3,
        json=str(saved),
        stdout=out,
        stderr=io.StringIO(),
    )
    text = out.getvalue()
    for path, phase in [
        ("batched", "created"),
        ("batched", "unchanged"),
        ("batched", "updated"),
        ("row by row", "created"),
        ("background job", "created"),
    ]:
        assert any(line.startswith(path) and phase in line for line in text.splitlines()), text
    assert "batched / row by row, created: x" in text
    # The first new batch was written (figures, citations, history) before the rollback.
    assert "figures 6, citations 6, figure_history 6, citation_history 6" in text
    data = json.loads(saved.read_text())
    assert {(r["path"], r["phase"]) for r in data["results"]} >= {("batched", "updated")}
    assert all(len(r["seconds"]) == 2 and r["best_per_second"] > 0 for r in data["results"])
    # Everything was rolled back.
    assert not Partner.objects.exists()
    assert not ApiToken.objects.exists()
    assert not Figure.objects.exists()
    assert not Change.objects.exists()


def test_the_imports_it_times_write_their_rows():
    results = benchmark_import.run(rows=4, repeat=1, baseline_rows=0, job=False)
    assert results.written == {
        "figures": 4,
        "citations": 4,
        "figure_history": 4,
        "citation_history": 4,
    }
    created = results.get("batched", "created")
    assert (created.rows, len(created.seconds)) == (4, 1)
    assert created.queries > 0
    assert results.get("row by row", "created") is None
