"""The wheel is the deployment: installed alone, away from the checkout, it serves everything.

``pip install .`` (docs/deployment.md) builds a wheel, and a server runs what the wheel
holds, not the checkout: its templates, its Spanish (compiled from the committed
catalogues while the wheel is built, since the .mo files are not committed), its licence.
This test builds the wheel from a copy of the sources without any compiled catalogue, as a
fresh clone has them, installs it in a new virtualenv, and runs it from a directory
outside the checkout against a new SQLite database, with production settings.

How it stays fast and offline: the wheel is built without build isolation, with the
setuptools and babel of the development lock (no index is asked), and the new virtualenv
gets the project's dependencies from this one's site-packages through a ``.pth`` line
rather than by installing them again (that took 20 s with a warm pip cache, and needs an
index). A ``.pth`` line adds the folder to ``sys.path`` without running the ``.pth`` files
in it, so this virtualenv's editable install (which points at the checkout) stays out;
the test checks that the app was imported from the new virtualenv all the same.
"""

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import venv
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

# The wheel does not depend on the database, and the installed app runs on a SQLite file of
# its own: CI's run on PostgreSQL (beside the SQLite one) would only do it again.
pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="checked once, in the SQLite run",
)

ROOT = Path(__file__).resolve().parent.parent
# What a build reads: pyproject.toml names the rest (readme, licence, packages, setup.py).
SOURCES = ["pyproject.toml", "setup.py", "README.md", "LICENSE", "config", "incidents"]
# Only what the environment must pass through; no settings variable of the calling shell.
PASSED_THROUGH = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")

PROBE = """
import json

import django

django.setup()

from django.template.loader import get_template
from django.test import Client
from django.utils import translation

import config
import incidents

client = Client()
unknown = client.get("/api/v1/figures/?minor=true", HTTP_ACCEPT_LANGUAGE="es")
elsewhere = client.get("/api/v1/figures/", HTTP_ORIGIN="https://dashboard.example.org")
login = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="es")
with translation.override("es"):
    history = translation.gettext("View history: %s")
print(json.dumps({
    "incidents": incidents.__file__,
    "config": config.__file__,
    "status": unknown.status_code,
    "language": unknown["Content-Language"],
    "detail": unknown.json()["errors"][0]["detail"],
    "history": history,
    "template": get_template("admin/incidents/source/import_article.html").origin.name,
    "cors": elsewhere.has_header("Access-Control-Allow-Origin"),
    "login": [login.status_code, login.content.decode()],
}))
"""


def run(*args, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(args, capture_output=True, text=True, timeout=300, **kwargs)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The project's wheel, built from its sources as a fresh clone has them (no .mo)."""
    work = tmp_path_factory.mktemp("package")
    source = work / "source"
    source.mkdir()
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo")
            shutil.copytree(path, source / name, ignore=ignore)
        else:
            shutil.copy2(path, source / name)
    dist = work / "dist"
    run(
        *(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-index"),
        *("--no-build-isolation", "--wheel-dir", str(dist), str(source)),
    )
    (built,) = dist.glob("incident_records-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A new virtualenv with the wheel installed; the dependencies are this one's."""
    home = tmp_path_factory.mktemp("venv")
    venv.create(home, with_pip=False)
    python = home / "bin" / "python"
    run(
        *(sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet"),
        *("--no-deps", "--no-index", str(wheel)),
    )
    purelib = run(str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])")
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    Path(purelib.stdout.strip(), "dependencies.pth").write_text("\n".join(sorted(ours)) + "\n")
    return python


def test_the_wheel_holds_the_templates_the_translations_and_the_licence(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for catalogue in ("incidents/locale/es/LC_MESSAGES", "config/locale/es/LC_MESSAGES"):
        assert f"{catalogue}/django.mo" in names
    assert "incidents/templates/admin/incidents/source/import_preview.html" in names
    assert any(name.endswith(".dist-info/licenses/LICENSE") for name in names)
    assert not any(name.startswith(("tests/", "fixtures/", "seeds/")) for name in names)


def test_the_installed_app_answers_in_spanish_with_its_templates(installed, tmp_path):
    elsewhere = tmp_path / "elsewhere"  # not the checkout: nothing of it is importable here
    elsewhere.mkdir()
    env = {name: os.environ[name] for name in PASSED_THROUGH if name in os.environ}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        IMPORT_SPOOL_DIR=str(tmp_path / "imports"),
        STATIC_ROOT=str(tmp_path / "static"),
    )
    python = str(installed)
    # What docs/deployment.md runs after installing.
    for command in (
        ("migrate", "--noinput"),
        ("createcachetable",),
        ("collectstatic", "--noinput"),
    ):
        run(python, "-m", "django", *command, "-v0", cwd=elsewhere, env=env)
    probe = elsewhere / "probe.py"
    probe.write_text(PROBE)
    answer = json.loads(run(python, str(probe), cwd=elsewhere, env=env).stdout)

    venv_home = installed.parent.parent
    for module in ("incidents", "config", "template"):
        assert Path(answer[module]).is_relative_to(venv_home), answer
    # The app's own catalogue, and config's for django-simple-history's pages.
    assert (answer["status"], answer["language"]) == (400, "es")
    assert answer["detail"] == "Parámetro de consulta desconocido."
    assert answer["history"] == "Ver el historial: %s"
    # The admin's pages, with their static files collected (hashed names, as in production).
    status, login = answer["login"]
    assert status == 200
    assert '<html lang="es"' in login
    assert "/static/admin/css/base." in login
    # No origin is allowed cross-origin access unless CORS_ALLOWED_ORIGINS lists it.
    assert answer["cors"] is False


# --- the lock files ------------------------------------------------------------------------


def pins(lock: str) -> dict[str, Version]:
    """The versions ``requirements/<lock>`` pins, by normalised name."""
    text = (ROOT / "requirements" / lock).read_text()
    return {
        canonicalize_name(name): Version(version)
        for name, version in re.findall(r"^([A-Za-z0-9._-]+)==([^\s;\\]+)", text, re.MULTILINE)
    }


@pytest.mark.parametrize(
    ("lock", "extras"), [("run.txt", ["redis"]), ("dev.txt", ["redis", "dev"])]
)
def test_the_lock_files_pin_what_pyproject_asks_for(lock, extras):
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = project["dependencies"] + [
        text for extra in extras for text in project["optional-dependencies"][extra]
    ]
    locked = pins(lock)
    for requirement in map(Requirement, wanted):
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{name} is missing from requirements/{lock}: run `make lock`"
        assert requirement.specifier.contains(locked[name], prereleases=True), (
            f"requirements/{lock} pins {name} {locked[name]}, outside {requirement.specifier}: "
            "run `make lock`"
        )


def test_the_development_lock_runs_the_same_versions_as_the_server():
    running, developing = pins("run.txt"), pins("dev.txt")
    assert {name: developing.get(name) for name in running} == running
