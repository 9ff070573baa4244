"""The folders of ``incidents/`` are its architecture: these tests keep the arrows pointing down.

``docs/design.md`` ("Map of the code") says what each folder is for and which may
call which. Imports are read from the source (lazy ones inside functions too), so
a new arrow the wrong way fails here, not in a review.
"""

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "incidents"

# Folders (and the app's top-level modules, as "top") and what each may not import.
FOLDERS = ("models", "reads", "writes", "integration", "admin", "api", "extraction", "perf")
FORBIDDEN = {
    "models": {"reads", "integration", "admin", "api", "perf"},
    "reads": {"writes", "integration", "admin", "api", "perf"},
    "writes": {"reads", "admin", "api", "perf"},
    "integration": {"admin", "perf"},
    "api": {"admin", "perf"},
    "admin": {"perf"},
    "management": set(),
    "perf": {"admin"},
    "extraction": {folder for folder in FOLDERS if folder != "extraction"},
    "top": {"reads", "writes", "integration", "admin", "api", "perf"},
}

# Arrows that go against the grain, each for a reason written in docs/design.md.
ALLOWED = {
    # A citation's clean() applies the verbatim-quote rule, which lives in one place.
    ("models", "incidents.writes.quotes"),
    # A write tells the change feed (and so webhooks) through one call into integration.
    ("writes", "incidents.integration.changes"),
    # A bulk import row is validated exactly as the same record sent to the write API.
    ("integration", "incidents.api.write_serializers"),
    # The app's ready() connects the history signals of the feed and the audit.
    ("top", "incidents.integration.changes"),
    ("top", "incidents.writes.audit"),
}


def modules():
    for path in sorted(APP.rglob("*.py")):
        relative = path.relative_to(APP)
        if relative.parts[0] in {"migrations", "locale", "templates"}:
            continue
        yield relative, path


def folder_of(relative: Path) -> str:
    return relative.parts[0] if len(relative.parts) > 1 else "top"


def is_module(name: str) -> bool:
    path = APP.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def imported(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # ``from incidents.writes import services`` imports the module services;
            # ``from incidents.writes.quotes import quote_errors``, the module quotes.
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                names.add(submodule if is_module(submodule) else node.module)
    return names


def target_folder(name: str) -> str | None:
    parts = name.split(".")
    if parts[0] != "incidents" or len(parts) < 2:
        return None
    return parts[1] if parts[1] in FOLDERS else None


def test_the_folders_are_the_ones_the_map_names():
    found = {folder_of(relative) for relative, _ in modules()}
    assert found == set(FOLDERS) | {"management", "top"}


@pytest.mark.parametrize("relative", [relative for relative, _ in modules()], ids=str)
def test_imports_point_down_the_layers(relative):
    path = APP / relative
    folder = folder_of(relative)
    wrong = sorted(
        name
        for name in imported(path)
        if target_folder(name) in FORBIDDEN[folder] and (folder, name) not in ALLOWED
    )
    assert not wrong, f"{relative} ({folder}/) imports {wrong}: see docs/design.md"


def test_the_product_never_imports_the_tools_that_measure_it():
    """``incidents.perf`` is imported by its own commands and the tests, nothing else."""
    importers = sorted(
        str(relative)
        for relative, path in modules()
        if folder_of(relative) not in {"perf", "management"}
        and any(target_folder(name) == "perf" for name in imported(path))
    )
    assert importers == []
    commands = {
        relative.stem
        for relative, path in modules()
        if folder_of(relative) == "management"
        and any(target_folder(name) == "perf" for name in imported(path))
    }
    assert commands == {
        "benchmark",
        "benchmark_extraction",
        "benchmark_import",
        "generate_synthetic",
        "loadtest",
    }


def test_the_extractor_knows_no_django():
    for relative, path in modules():
        if folder_of(relative) != "extraction":
            continue
        outside = sorted(
            name
            for name in imported(path)
            if name.split(".")[0] == "django"
            or (name.startswith("incidents.") and not name.startswith("incidents.extraction"))
        )
        assert not outside, f"{relative} imports {outside}"
