"""Time a partner's bulk import of figures through the full stack: new, unchanged, changed.

    DEBUG=0 SECRET_KEY=... ALLOWED_HOSTS=testserver,localhost \\
        python manage.py benchmark_import [--rows 5000] [--repeat 3] [--baseline-rows 500]
    ... python manage.py benchmark_import --memory [--memory-bytes 20971520]

Makes its own partner, token and records and rolls everything back at the end;
see ``incidents.perf.benchmark_import`` for what is measured. ``--memory``
measures instead the peak resident memory of one request of tiny rows built
to exhaust it, each case in a fresh process.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from incidents.management.arguments import positive
from incidents.perf import benchmark, benchmark_import


class Command(BaseCommand):
    help = (
        "Import N figures (each with its asserting citation) through the HTTP stack in "
        "process, new, unchanged and changed, batched and row by row, and print figures a "
        "second. Everything is rolled back."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--rows", type=positive, default=5000, help="Figures a batch (default 5000)."
        )
        parser.add_argument(
            "--repeat", type=positive, default=3, help="Timed runs of each phase (default 3)."
        )
        parser.add_argument(
            "--baseline-rows",
            type=positive,
            default=None,
            help="Figures a batch on the row-by-row path (default: --rows, at most 500).",
        )
        parser.add_argument(
            "--no-baseline", action="store_true", help="Leave out the row-by-row path."
        )
        parser.add_argument(
            "--no-job", action="store_true", help="Leave out the background job's timing."
        )
        parser.add_argument("--json", metavar="PATH", help="Save the results as JSON.")
        parser.add_argument(
            "--memory",
            action="store_true",
            help="Measure the peak memory of a request of empty rows instead (Linux).",
        )
        parser.add_argument(
            "--memory-bytes",
            type=positive,
            default=benchmark_import.MEMORY_BYTES,
            help="Size of that request's body (default 20 MiB of [{},{},...]).",
        )
        parser.add_argument(
            "--memory-job-rows",
            type=positive,
            default=None,
            help="Rows of the job that is run (default: IMPORT_MAX_ROWS).",
        )

    def handle(self, *args, **options):
        if options["memory"]:
            self.memory(options)
            return
        rows = options["rows"]
        baseline = options["baseline_rows"]
        baseline = min(rows, 500) if baseline is None else baseline
        if options["no_baseline"]:
            baseline = 0
        if settings.DEBUG:
            self.stderr.write(
                "Warning: DEBUG is on, which logs every query and slows requests down; "
                "run with DEBUG=0 SECRET_KEY=... ALLOWED_HOSTS=testserver,localhost."
            )
        verbose = options["verbosity"] > 0

        def progress(message):
            if verbose:
                self.stderr.write(message)

        results = benchmark_import.run(
            rows=rows,
            repeat=options["repeat"],
            baseline_rows=baseline,
            job=not options["no_job"],
            progress=progress,
        )
        machine = benchmark.machine()
        self.stdout.write(
            f"{machine['database']} | {machine['cpu']} x{machine['cores']} | "
            f"Python {machine['python']}, Django {machine['django']} | "
            f"load average {' '.join(map(str, machine['load_average']))} | "
            f"repeat {options['repeat']}"
        )
        self.stdout.write(benchmark_import.text_table(results))
        written = ", ".join(f"{name} {count}" for name, count in results.written.items())
        self.stdout.write(f"written by the first new batch (then rolled back): {written}")
        if options["json"]:
            Path(options["json"]).write_text(
                json.dumps(
                    {
                        "machine": machine,
                        "rows": rows,
                        "repeat": options["repeat"],
                        "written": results.written,
                        "results": [entry.summary() for entry in results.phases],
                    },
                    indent=2,
                )
            )

    def memory(self, options):
        results = benchmark_import.memory_cases(
            size=options["memory_bytes"], job_rows=options["memory_job_rows"]
        )
        machine = benchmark.machine()
        self.stdout.write(
            f"{machine['database']} | {machine['cpu']} x{machine['cores']} | "
            f"Python {machine['python']}, Django {machine['django']}"
        )
        self.stdout.write(benchmark_import.memory_table(results))
        if options["json"]:
            Path(options["json"]).write_text(
                json.dumps({"machine": machine, "memory": results}, indent=2)
            )
