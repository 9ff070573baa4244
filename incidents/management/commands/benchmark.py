"""Time the key read requests through the full stack against a raw baseline.

    DEBUG=0 SECRET_KEY=... ALLOWED_HOSTS=testserver,localhost \\
        python manage.py benchmark [--repeat 20] [--only figures,timeline] [--markdown]

Read-only (everything runs in a transaction that is rolled back); see
``incidents.perf.benchmark`` for what is measured and ``docs/benchmarks.md`` for results.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from incidents.management.arguments import positive
from incidents.perf import benchmark


class Command(BaseCommand):
    help = (
        "Time the key API requests in process (p50, p95, SQL queries, size, export memory) "
        "against a raw .values() + json.dumps baseline on the same rows. Never writes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--repeat", type=positive, default=20, help="Timed runs per case (default 20)."
        )
        parser.add_argument(
            "--export-repeat",
            type=positive,
            default=3,
            help="Timed runs of the CSV export (default 3).",
        )
        parser.add_argument(
            "--only",
            default="",
            help=f"Comma-separated cases among: {', '.join(benchmark.CASE_NAMES)}.",
        )
        parser.add_argument("--markdown", action="store_true", help="Also print a Markdown table.")
        parser.add_argument(
            "--export-rss",
            action="store_true",
            help="Also stream the export once in a new process and report its peak resident "
            "memory (Linux).",
        )
        parser.add_argument(
            "--filters",
            action="store_true",
            help="Instead of the cases, time every figures filter (and q) at page size 100, "
            "with and without count (API only; --repeat runs each).",
        )
        parser.add_argument("--json", metavar="PATH", help="Save the results as JSON.")

    def handle(self, *args, **options):
        only = [name.strip() for name in options["only"].split(",") if name.strip()]
        unknown = sorted(set(only) - set(benchmark.CASE_NAMES))
        if unknown:
            names = ", ".join(benchmark.CASE_NAMES)
            raise CommandError(f"Unknown case {', '.join(unknown)}; choose among {names}.")
        if settings.DEBUG:
            self.stderr.write(
                "Warning: DEBUG is on, which logs every query and slows requests down; "
                "run with DEBUG=0 SECRET_KEY=... ALLOWED_HOSTS=testserver,localhost."
            )
        verbose = options["verbosity"] > 0

        def progress(name):
            if verbose:
                self.stderr.write(f"measuring {name} ...")

        if options["filters"]:
            try:
                swept = benchmark.sweep(repeat=options["repeat"], progress=progress)
            except benchmark.EmptyDatabase as error:
                raise CommandError(str(error)) from None
            self.stdout.write(benchmark.sweep_table(swept))
            return
        try:
            data, results = benchmark.run(
                only=only or None,
                repeat=options["repeat"],
                export_repeat=options["export_repeat"],
                progress=progress,
                export_rss=options["export_rss"],
            )
        except benchmark.EmptyDatabase as error:
            raise CommandError(str(error)) from None
        machine = benchmark.machine()
        self.stdout.write(
            f"{machine['database']} | {machine['cpu']} x{machine['cores']} | "
            f"Python {machine['python']}, Django {machine['django']} | "
            f"load average {' '.join(map(str, machine['load_average']))} | "
            f"repeat {options['repeat']} (export {options['export_repeat']})"
        )
        self.stdout.write(benchmark.text_table(results))
        self.stdout.write(benchmark.notes(data, results))
        if options["markdown"]:
            self.stdout.write("")
            self.stdout.write(benchmark.markdown_table(results))
        if options["json"]:
            Path(options["json"]).write_text(
                json.dumps(
                    {
                        "machine": machine,
                        "data": data.__dict__,
                        "repeat": options["repeat"],
                        "export_repeat": options["export_repeat"],
                        "results": [r.summary() for r in results],
                    },
                    indent=2,
                    default=str,
                )
            )
