"""The one build step pyproject.toml cannot declare: compile the translations into the wheel.

The catalogues (``django.po``) are committed; their compiled form (``django.mo``), which
Django reads, is not. ``make install`` compiles them in place for a checkout; this
compiles the packaged ones into the build, so that a server installed with
``pip install .`` answers in Spanish as well. Everything else is in pyproject.toml.
"""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from setuptools import setup
from setuptools.command.build_py import build_py


class BuildPyWithCatalogues(build_py):
    """build_py, then each packaged ``locale/<lang>/LC_MESSAGES/*.po`` compiled beside itself."""

    def run(self):
        super().run()
        if self.editable_mode:
            # An editable install reads the checkout, where `make install` compiles them.
            return
        for po in sorted(Path(self.build_lib).glob("*/locale/*/LC_MESSAGES/*.po")):
            with po.open("rb") as source:
                catalog = read_po(source, locale=po.parent.parent.name)
            # As `pybabel compile` does: a fuzzy translation is left out, not guessed.
            with po.with_suffix(".mo").open("wb") as compiled:
                write_mo(compiled, catalog, use_fuzzy=False)


setup(cmdclass={"build_py": BuildPyWithCatalogues})
