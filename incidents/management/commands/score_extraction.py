"""Score the extractor against a folder of annotated articles, per language."""

import json

from django.core.management.base import BaseCommand, CommandError

from incidents.extraction.scoring import CorpusError, score_corpus


def percent(ratio: float | None) -> str:
    return "-" if ratio is None else f"{ratio:.0%}"


class Command(BaseCommand):
    help = (
        "Run the extractor on every NAME.txt of DIR (annotated by NAME.json, see "
        "tests/corpus/README.md) and print, per language, recall and precision of "
        "(value, measure), attribution and as-of accuracy, non-verbatim quotes, crashes and "
        "articles whose language was detected as another."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="Folder of annotated articles.")
        parser.add_argument("--json", action="store_true", help="Print the scores as JSON.")

    def handle(self, *args, directory, verbosity: int, **options):
        try:
            languages, articles = score_corpus(directory)
        except CorpusError as error:
            raise CommandError(str(error)) from error
        if options["json"]:
            self.stdout.write(self._json([s.to_dict() for s in languages.values()]))
            return
        header = (
            f"{'language':<9}{'articles':>9}{'expected':>9}{'found':>7}{'recall':>8}"
            f"{'precision':>10}{'reporter':>9}{'as-of':>7}{'quotes':>7}{'crashes':>8}"
            f"{'other-language':>15}"
        )
        self.stdout.write(header)
        for s in languages.values():
            self.stdout.write(
                f"{s.language:<9}{s.articles:>9}{s.expected:>9}{s.extracted:>7}"
                f"{percent(s.recall):>8}{percent(s.precision):>10}{percent(s.attribution):>9}"
                f"{percent(s.as_of):>7}{s.non_verbatim:>7}{s.crashes:>8}"
                f"{s.other_language:>15}"
            )
        self.stdout.write(
            "found: figures extracted; recall and precision of (value, measure); reporter and "
            "as-of: right among matched figures; quotes: not verbatim in the text; "
            "other-language: articles detected as another language."
        )
        if verbosity >= 2:
            for a in articles:
                self.stdout.write(
                    f"\n{a.language} {a.name}: {a.matched}/{a.expected} found, "
                    f"{a.correct}/{a.extracted} right, reporter {a.attributed}, as-of {a.dated}"
                )
                if a.crash:
                    self.stdout.write(f"  crash: {a.crash}")
                if a.detected and a.detected != a.language:
                    self.stdout.write(f"  read as {a.detected}, not {a.language}")
                for value, measure in a.missed:
                    self.stdout.write(f"  missed {value} {measure}")
                for value, measure in a.spurious:
                    self.stdout.write(f"  wrong  {value} {measure}")

    @staticmethod
    def _json(data) -> str:
        return json.dumps(data, indent=2)
