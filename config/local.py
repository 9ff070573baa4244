"""The local development settings file: written by ``make install``, read by the settings.

``local/development.env`` (git-ignored, like the rest of ``local/``) holds
``NAME=value`` lines: ``DEBUG`` on, a ``SECRET_KEY`` generated for this checkout,
the embedded SQLite database, and the webhook receivers a developer may run on
this machine. The settings read it for every variable the environment does not
set, so that each command the docs print (``.venv/bin/python manage.py ...``)
works as printed from a fresh clone, not only under ``make run``.

The environment always wins, and a server has no such file: deployment sets its
variables (``docs/deployment.md``), and ``DEBUG`` stays off unless someone turns it
on. ``LOCAL_SETTINGS_FILE`` names another file; set to nothing, no file is read
(the test suite does this, so it runs the same on every checkout).

Only the standard library: ``make install`` runs this before any package is installed.
"""

import os
import secrets
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_PATH = BASE_DIR / "local" / "development.env"


def path() -> Path | None:
    """The file to read: ``LOCAL_SETTINGS_FILE`` if set (None if set empty), else the default."""
    named = os.environ.get("LOCAL_SETTINGS_FILE")
    if named is None:
        return DEFAULT_PATH
    return Path(named) if named.strip() else None


def read(file: Path | None) -> dict[str, str]:
    """The ``NAME=value`` lines of ``file`` (blank lines and ``#`` comments skipped); {} if none."""
    if file is None or not file.is_file():
        return {}
    values = {}
    for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, equals, value = line.partition("=")
        if not equals or not name.strip().isidentifier():
            raise ValueError(f"{file}, line {number}: expected NAME=value, got {line!r}")
        values[name.strip()] = value.strip()
    return values


def apply(file: Path | None) -> dict[str, str]:
    """Put the file's values in the environment where it has none; returns those it read."""
    values = read(file)
    for name, value in values.items():
        os.environ.setdefault(name, value)
    return values


def contents() -> str:
    """A new file's text: a demo on this machine, with a key of its own."""
    database = BASE_DIR / "db.sqlite3"
    return (
        "# Local development settings, written by `make install` (this file is not committed).\n"
        "# Variables set in the environment win over these. Never copy this file to a server:\n"
        "# see docs/deployment.md for the settings a deployment needs.\n"
        "DEBUG=1\n"
        f"SECRET_KEY={secrets.token_urlsafe(50)}\n"
        f"DATABASE_URL=sqlite:///{database}\n"
        "# Webhook receivers a developer runs on this machine (a partner trying them locally).\n"
        "WEBHOOK_ALLOWED_NETWORKS=127.0.0.0/8,::1/128\n"
        "# Log lines for reading in a terminal (a server writes JSON lines).\n"
        "LOG_FORMAT=text\n"
    )


def write(file: Path = DEFAULT_PATH) -> bool:
    """Create ``file`` if it does not exist (readable by its owner only); True if created."""
    if file.exists():
        return False
    file.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(contents())
    return True


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_PATH
    if write(target):
        print(
            f"Wrote {target.relative_to(BASE_DIR) if target.is_relative_to(BASE_DIR) else target}"
        )
