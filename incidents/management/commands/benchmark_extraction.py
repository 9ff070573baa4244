"""Time the extractor on the scored corpus and the seed articles: ms per 1,000 words.

    python manage.py benchmark_extraction [DIR] [--repeat 5] [--json PATH]

See ``incidents.perf.benchmark_extraction`` for what is measured. Nothing is
read from or written to the database.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from incidents.management.arguments import positive
from incidents.perf import benchmark_extraction


class Command(BaseCommand):
    help = (
        "Extract every article of the scored corpus and the seed articles, several times "
        "each, and print milliseconds per 1,000 words per language (target: 50)."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "folder",
            nargs="?",
            default="tests/corpus",
            help="A corpus folder of NAME.txt + NAME.json (default tests/corpus).",
        )
        parser.add_argument(
            "--repeat", type=positive, default=5, help="Extractions of each article (default 5)."
        )
        parser.add_argument("--json", metavar="PATH", help="Save the results as JSON.")

    def handle(self, *args, folder, repeat, **options):
        root = Path(folder)
        if not root.is_dir():
            raise CommandError(f"{folder} is not a folder")
        texts = benchmark_extraction.corpus_texts(root)
        if not texts:
            raise CommandError(f"no annotated article (NAME.txt with NAME.json) in {folder}")
        texts += benchmark_extraction.seed_texts(Path(settings.BASE_DIR) / "seeds")
        rates = benchmark_extraction.measure(texts, repeat=repeat)
        for line in benchmark_extraction.report(rates):
            self.stdout.write(line)
        if options["json"]:
            Path(options["json"]).write_text(
                json.dumps({"results": [r.as_dict() for r in rates]}, indent=2) + "\n",
                encoding="utf-8",
            )
