"""Every command the docs print works as printed, from a fresh clone after ``make install``.

The commands are read from the fenced code blocks of the README and ``docs/``.
Those meant for a developer's checkout name the checkout's interpreter
(``.venv/bin/python manage.py ...``) and need no variable set by hand: the local
development file that ``make install`` writes (``config/local.py``) supplies
``DEBUG`` and a key. Here each runs in a shell, exactly as printed, with a local
file of its own (a throwaway database) and none of the suite's variables. A
command that needs a person or runs until stopped (a server, a worker, a
benchmark, a password prompt) or whose line holds placeholders runs with
``--help``, which still loads the settings.

``docs/deployment.md`` is left out: it describes a server, with its own
interpreter and the variables it sets.
"""

import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from config import local

BASE = Path(settings.BASE_DIR)
DOCS = [BASE / "README.md", *sorted((BASE / "docs").glob("*.md"))]
SERVER_DOCS = {"deployment.md"}
FENCE = re.compile(r"^```[a-z]*\n(.*?)^```", re.S | re.M)
# An inline command names its interpreter; "`manage.py benchmark`" alone names a command.
INLINE = re.compile(r"(?<!`)`([^`\n]*python[^`\n ]* manage\.py[^`\n]*)`(?!`)")
ASSIGNMENT = re.compile(r"^(?:[A-Z_]+=\S*\s+)*")
PLACEHOLDER = re.compile(r"\[|\||\b[A-Z]{1,}\b(?!=)|<")
# Run with --help: they wait for a person, run until stopped, or take minutes.
HELP_ONLY = {
    "runserver",
    "db_worker",
    "changepassword",
    "createsuperuser",
    "benchmark",
    "benchmark_import",
    "loadtest",
    "generate_synthetic",
    "collectstatic",
}
# The variables the suite sets, which a newcomer's shell does not have.
SUITE_VARIABLES = {"DEBUG", "SECRET_KEY", "DATABASE_URL", "LOCAL_SETTINGS_FILE"}


def printed_commands() -> list[tuple[str, str]]:
    """(doc, command) for each ``manage.py`` command in a code block, ``&&`` chains split."""
    found = []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        lines = [line for block in FENCE.findall(text) for line in block.splitlines()]
        lines += INLINE.findall(FENCE.sub("", text))
        for line in lines:
            line = line.strip().removeprefix("$ ")
            if "manage.py" not in line or line.startswith("#"):
                continue
            line = line.split("  #")[0].split(" # ")[0].strip()
            found += [(doc.name, part.strip()) for part in line.split("&&") if "manage.py" in part]
    return found


def development_commands():
    return [(doc, command) for doc, command in printed_commands() if doc not in SERVER_DOCS]


def command_name(command: str) -> str:
    words = shlex.split(command)
    return words[words.index("manage.py") + 1]


def test_the_docs_print_commands_at_all():
    names = {command_name(command) for _, command in development_commands()}
    assert {"migrate", "create_partner_token", "extract_article", "changepassword"} <= names


@pytest.mark.parametrize(("doc", "command"), development_commands())
def test_a_development_command_names_the_checkouts_interpreter(doc, command):
    # Variables may be set for one command (NAME=value ... manage.py ...), not DEBUG or a key.
    assignments = ASSIGNMENT.match(command).group(0)
    assert command[len(assignments) :].startswith(".venv/bin/python manage.py "), (
        f"{doc}: {command}"
    )
    assert not {"DEBUG", "SECRET_KEY"} & {a.partition("=")[0] for a in assignments.split()}


@pytest.fixture(scope="module")
def newcomer(tmp_path_factory):
    """A shell's environment as after ``make install``: a local file, a migrated database."""
    folder = tmp_path_factory.mktemp("newcomer")
    file = folder / "development.env"
    local.write(file)
    text = file.read_text().replace(
        f"DATABASE_URL=sqlite:///{BASE / 'db.sqlite3'}", f"DATABASE_URL=sqlite:///{folder}/db"
    )
    file.write_text(text)
    env = {name: value for name, value in os.environ.items() if name not in SUITE_VARIABLES}
    env["LOCAL_SETTINGS_FILE"] = str(file)
    password = folder / "admin-password.txt"
    for setup in (
        "migrate --noinput -v0",
        "createcachetable",
        f"ensure_local_admin --password-file {password}",
    ):
        run(f".venv/bin/python manage.py {setup}", env)
    return env, folder


def run(command: str, env: dict) -> subprocess.CompletedProcess:
    completed = subprocess.run(
        ["bash", "-c", command],
        cwd=BASE,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert completed.returncode == 0, f"{command}\n{completed.stdout}\n{completed.stderr}"
    return completed


@pytest.mark.parametrize(("doc", "command"), development_commands())
def test_a_documented_command_works_as_printed(newcomer, doc, command):
    env, _ = newcomer
    name = command_name(command)
    arguments = command.split(f"manage.py {name}", 1)[1]
    missing_file = any(
        not (BASE / word).exists()
        for word in shlex.split(arguments)
        if word.endswith((".txt", ".json")) and not word.startswith("-")
    )
    if name in HELP_ONLY or PLACEHOLDER.search(arguments) or missing_file:
        command = f".venv/bin/python manage.py {name} --help"
    completed = run(command, env)
    assert "ImproperlyConfigured" not in completed.stderr
