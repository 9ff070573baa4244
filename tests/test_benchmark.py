"""``manage.py benchmark``: every case runs and reports numbers, the baselines fetch the
same rows as the API, nothing is written, and an empty database is refused.

Nothing here is timed: the numbers are only checked to be there.
"""

import io
import re

import pytest
from django.core.management import CommandError, call_command

from incidents.models import Change, Figure
from incidents.perf import benchmark
from tests.helpers import manage_process, synthetic_database

pytestmark = pytest.mark.django_db

NUMBER = r"[0-9][0-9,]*(?:\.[0-9])?"


@pytest.fixture
def synthetic(db):
    call_command(
        "generate_synthetic",
        incidents=3,
        # Enough for a deep page (the middle one) past the first: page 2 or later.
        figures=800,
        allegations=30,
        seed=1,
        verbosity=0,
    )


def run_command(*args) -> str:
    out = io.StringIO()
    call_command(
        "benchmark",
        "--repeat",
        "1",
        "--export-repeat",
        "1",
        *args,
        stdout=out,
        stderr=io.StringIO(),
    )
    return out.getvalue()


def test_every_case_is_reported_with_numbers(synthetic):
    figures, changes = Figure.objects.count(), Change.objects.count()
    output = run_command("--markdown")
    for name in benchmark.CASE_NAMES:
        line = next((line for line in output.splitlines() if line.split(" ", 1)[0] == name), None)
        assert line is not None, f"{name} missing from:\n{output}"
        # p50 and p95 of the API and of the baseline, then the ratio and the query counts.
        assert re.search(
            rf"^{name}\s+{NUMBER}\s+{NUMBER}\s+{NUMBER}\s+{NUMBER}\s+{NUMBER}x\s+\d+ / \d+",
            line,
        ), line
        assert f"| {name} |" in output  # the Markdown table
    export = next(line for line in output.splitlines() if line.startswith("export_csv"))
    assert re.search(r"(kB|MB) / [0-9.]+ (kB|MB)\s*$", export), export  # peak memory
    # Read-only: nothing added, and the throttle's counters were rolled back.
    assert (Figure.objects.count(), Change.objects.count()) == (figures, changes)


def test_only_and_json(synthetic, tmp_path):
    path = tmp_path / "results.json"
    output = run_command("--only", "figures,changes", "--json", str(path))
    names = [line.split(" ", 1)[0] for line in output.splitlines()]
    assert "figures" in names and "changes" in names and "timeline" not in names
    assert '"name": "changes"' in path.read_text()


@pytest.mark.parametrize(
    "case", ["figures", "figures_deep", "figures_page_n", "figures_filtered", "figures_q"]
)
def test_baseline_returns_the_rows_of_the_api(synthetic, case):
    api, baseline = benchmark.figure_ids(case)
    assert api == baseline
    if case in ("figures", "figures_deep", "figures_page_n"):
        assert api  # not vacuous
    if case == "figures_deep":
        data = benchmark.read_only(benchmark.describe_data)
        assert data.deep_page > 1 and data.deep_cursor is not None
        assert api == benchmark.figure_ids("figures_page_n")[0]  # keyset = offset page


def test_baseline_matches_the_api_representation(synthetic):
    """The figures baseline fills the same fields with the same values (contested included)."""
    import json

    from django.test import Client

    def work():
        data = benchmark.describe_data()
        case = next(c for c in benchmark.build_cases(data) if c.name == "figures")
        with benchmark.benchmark_settings():
            api = Client().get(case.path, secure=True).json()
        return api, json.loads(case.baseline())

    api, baseline = benchmark.read_only(work)
    assert api["count"] == baseline["count"]
    for ours, theirs in zip(api["results"], baseline["results"], strict=True):
        assert ours.keys() == theirs.keys()
        for key in ("id", "value", "display_value", "contested", "incident", "group"):
            assert ours[key] == theirs[key], key
        assert len(ours["contest_reasons"]) == len(theirs["contest_reasons"])
        assert [c["id"] for c in ours["citations"]] == [c["id"] for c in theirs["citations"]]
        assert ours["reported_by"] == theirs["reported_by"]


def test_refuses_an_empty_database(db):
    with pytest.raises(CommandError, match="generate_synthetic"):
        run_command()


def test_the_filter_sweep_times_every_filter_with_and_without_count(synthetic):
    output = run_command("--filters")
    names = [name for name, _ in benchmark.read_only(benchmark.sweep_parameters)]
    assert "contested" in names and "q (common word)" in names
    for name in names:
        assert re.search(
            rf"^\| {re.escape(name)} \| {NUMBER} \| {NUMBER} \| {NUMBER} \|$", output, re.M
        ), name


def test_the_export_memory_of_a_fresh_process_is_reported(tmp_path):
    """--export-rss streams the export in a new process, which must see the same database file."""
    environment = synthetic_database(tmp_path / "bench.sqlite3")
    done = manage_process(
        environment,
        "benchmark", "--only", "export_csv", "--repeat", "1", "--export-repeat", "1",
        "--export-rss",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert re.search(
        r"Export in a fresh process: peak resident memory [0-9.]+ MB \([0-9.]+ MB before",
        done.stdout,
    ), done.stdout
