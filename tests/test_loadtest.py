"""``manage.py loadtest``: gunicorn configurations, wrk's script and report, a real short run.

Nothing here is timed: the end-to-end test only checks that requests were sent,
answered with 200 and reported.
"""

import json
import shutil
from pathlib import Path

import pytest

from incidents.perf import loadtest
from tests.helpers import manage_process, synthetic_database

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("text", "config"),
    [
        ("sync:3", loadtest.Config("sync", 3, 1)),
        ("gthread:2:4", loadtest.Config("gthread", 2, 4)),
        (" gthread:5 ", loadtest.Config("gthread", 5, 1)),
    ],
)
def test_configs_are_read(text, config):
    assert loadtest.Config.parse(text) == config


@pytest.mark.parametrize("text", ["sync:0", "sync:2:2", "eventlet:2", "gthread", "gthread:2:x"])
def test_bad_configs_are_refused(text):
    with pytest.raises(ValueError):
        loadtest.Config.parse(text)


def test_the_script_holds_the_paths_and_the_quota():
    script = loadtest.lua_script(["/api/v1/figures/", '/api/v1/terms/?q="x"'], 250)
    assert '{"/api/v1/figures/", "/api/v1/terms/?q=\\"x\\""}' in script
    assert "local quota = 250" in script
    assert loadtest.RESULT_MARK in script and loadtest.THREAD_DONE in script


def report(**overrides) -> str:
    data = {
        "requests": 1000,
        "complete": 1,
        "active_us": 4_000_000,
        "p50_us": 12_000,
        "p90_us": 30_000,
        "p99_us": 95_500,
        "max_us": 120_000,
        "connect": 0,
        "read": 0,
        "write": 0,
        "timeout": 0,
        "status": 0,
        "statuses": {"200": 1000},
        **overrides,
    }
    return f"Running 1m test\n  1 threads\n{loadtest.RESULT_MARK}{json.dumps(data)}\n"


def test_the_report_is_read():
    result = loadtest.parse_output(report(), loadtest.Config("sync", 3, 1))
    assert result.per_second == 250
    assert (result.p50_ms, result.p99_ms) == (12, 95.5)
    assert result.failed == 0


def test_errors_and_other_statuses_count_as_failed():
    output = report(statuses={"200": 990, "429": 7, "500": 1}, timeout=2)
    assert loadtest.parse_output(output, loadtest.Config("sync", 1, 1)).failed == 10


def test_an_unfinished_run_is_an_error():
    with pytest.raises(loadtest.LoadTestError, match="before"):
        loadtest.parse_output(report(complete=0), loadtest.Config("sync", 1, 1))


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")
def test_a_short_load_test_against_gunicorn(tmp_path):
    """The whole command, as a user runs it: a database file, synthetic data, gunicorn, wrk."""
    environment = synthetic_database(tmp_path / "load.sqlite3")
    saved = tmp_path / "load.json"
    done = manage_process(
        environment,
        "loadtest", "--requests", "60", "--connections", "4", "--config", "sync:2",
        "--json", str(saved),
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "| sync workers=2 threads=1 | 60 |" in done.stdout
    results = json.loads(saved.read_text())["results"]
    assert results[0]["statuses"] == {"200": 60}
