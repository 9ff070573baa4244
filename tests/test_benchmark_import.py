"""The import benchmark runs, imports what it says, and leaves nothing behind."""

import io
import json

import pytest
from django.core.management import call_command

from incidents.models import ApiToken, Change, Figure, ImportJob, Partner
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


@pytest.fixture
def spool(settings, tmp_path):
    """An import storage of the test's own."""
    options = {**settings.STORAGES["imports"]["OPTIONS"], "location": tmp_path}
    settings.STORAGES = {
        **settings.STORAGES,
        "imports": {**settings.STORAGES["imports"], "OPTIONS": options},
    }
    return tmp_path


def test_the_memory_cases_refuse_store_and_run_a_request_of_empty_rows(spool):
    """What ``benchmark_import --memory`` runs, small, in this process; nothing stays."""
    body = benchmark_import.tiny_rows(3001)
    assert json.loads(body) == [{}] * 1000 and len(body) == 3001
    refused = benchmark_import.memory_case(size=3001, max_rows=10)
    stored = benchmark_import.memory_case(size=3001, max_rows=1000)
    ran = benchmark_import.memory_case(size=151, max_rows=50, run_job=True)
    assert (refused["status"], refused["rows"]) == (413, 1000)
    assert "at most 10 records" in refused["answer"]
    assert (stored["status"], "rss_peak_job" in stored) == (202, False)
    assert (ran["status"], ran["rows"], ran["job_status"]) == (202, 50, "failed")
    for result in (refused, stored, ran):
        assert result["rss_peak_request"] >= result["rss_before"] > 0
    assert ran["rss_peak_job"] >= ran["rss_peak_request"]
    assert not ImportJob.objects.exists() and not Partner.objects.exists()
    assert list(spool.iterdir()) == []  # the stored batches were deleted


def test_the_memory_table_has_a_line_per_case():
    results = [
        {
            "case": "request",
            "bytes": 3001,
            "rows": 1000,
            "max_rows": 10,
            "status": 413,
            "seconds": 0.01,
            "rss_before": 100 * 2**20,
            "rss_peak_request": 120 * 2**20,
        }
    ]
    table = benchmark_import.memory_table(results).splitlines()
    assert len(table) == 2 and "413" in table[1] and "120.0" in table[1]
