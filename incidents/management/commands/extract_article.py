"""Print the draft records the extractor finds in one article, as JSON."""

import datetime
import json
import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from incidents.extraction import SUPPORTED, UnsupportedLanguage, extract
from incidents.writes.seeding import SeedError, read_meta


def iso_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--reference-date must be YYYY-MM-DD, got {value!r}") from error


class Command(BaseCommand):
    help = (
        "Extract draft figures, groups, allegations, actors, sources and stances from an "
        "article and print them as JSON. Nothing is saved."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="A UTF-8 text file holding the article.")
        parser.add_argument(
            "--reference-date",
            help="The date that 'Tuesday', 'this week', 'mid-November' are relative to "
            "(usually the publication date). Default: the reference_date of the "
            "NAME.meta.json beside the article, else today.",
        )
        parser.add_argument("--country", help="ISO 3166-1 alpha-2 code of the main country.")
        parser.add_argument(
            "--language",
            choices=SUPPORTED,
            default=None,
            help="Read the article as English (en) or Spanish (es). Default: the language "
            "of the NAME.meta.json beside the article, else the one detected from the text.",
        )

    def handle(self, *args, path, reference_date, country, language, **options):
        article = Path(path)
        try:
            text = article.read_bytes().decode("utf-8")
        except FileNotFoundError as error:
            raise CommandError(f"No such file: {path}") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{path} is not UTF-8 text") from error
        try:
            meta = read_meta(article) or {}
        except SeedError as error:
            raise CommandError(str(error)) from error
        if reference_date:
            reference = iso_date(reference_date)
        elif meta.get("reference_date"):
            reference = iso_date(meta["reference_date"])
        else:
            reference = datetime.date.today()
            self.stderr.write(f"No --reference-date given: resolving dates against {reference}.")
        country = country or meta.get("country")
        if country and not re.fullmatch(r"[A-Z]{2}", country):
            raise CommandError(
                f"--country takes an ISO 3166-1 alpha-2 code such as VE, not {country!r}"
            )
        try:
            draft = extract(
                text,
                reference,
                language=language or meta.get("language") or None,
                country_hint=country,
            )
        except UnsupportedLanguage as error:
            raise CommandError(
                f"{error} Pass --language en or --language es to read it as one of them."
            ) from error
        self.stdout.write(json.dumps(draft.to_dict(), indent=2, ensure_ascii=False))
