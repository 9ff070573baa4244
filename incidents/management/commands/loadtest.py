"""Load-test gunicorn on loopback with wrk over a mix of the main read endpoints.

    python manage.py loadtest [--requests 20000] [--connections 16]
        [--config gthread:3:2 --config sync:5 ...] [--json PATH]

Needs wrk (Debian: apt-get install wrk) and data (generate_synthetic). It starts
and stops gunicorn itself, against the database this command uses; see
``incidents.perf.loadtest`` and ``docs/benchmarks.md``.
"""

import json
from dataclasses import asdict
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from incidents.management.arguments import positive
from incidents.perf import benchmark, loadtest

DEFAULT_CONFIGS = ("sync:3", "sync:5", "gthread:2:4", "gthread:3:2", "gthread:5:2")


class Command(BaseCommand):
    help = (
        "Start gunicorn on loopback with each --config and send a fixed number of requests "
        "with wrk over the main read endpoints; print requests/s, p50/p90/p99 and errors."
    )

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=positive, default=20000)
        parser.add_argument("--connections", type=positive, default=16)
        parser.add_argument(
            "--wrk-threads", type=positive, default=1, help="wrk's own threads (default 1)."
        )
        parser.add_argument(
            "--config",
            action="append",
            dest="configs",
            help="gunicorn worker class, workers and threads, e.g. gthread:3:2 or sync:5 "
            f"(repeatable; default: {' '.join(DEFAULT_CONFIGS)}).",
        )
        parser.add_argument(
            "--conn-max-age",
            type=int,
            default=60,
            help="CONN_MAX_AGE of the server (default 60: keep database connections).",
        )
        parser.add_argument("--json", metavar="PATH", help="Save the results as JSON.")

    def handle(self, *args, **options):
        try:
            configs = [loadtest.Config.parse(c) for c in options["configs"] or DEFAULT_CONFIGS]
        except ValueError as error:
            raise CommandError(str(error)) from None
        try:
            paths = loadtest.request_mix()
        except benchmark.EmptyDatabase as error:
            raise CommandError(str(error)) from None
        results = []
        for config in configs:
            if options["verbosity"] > 0:
                self.stderr.write(f"gunicorn {config}: {options['requests']:,} requests ...")
            try:
                result = loadtest.measure(
                    config,
                    paths,
                    requests=options["requests"],
                    connections=options["connections"],
                    wrk_threads=options["wrk_threads"],
                    conn_max_age=options["conn_max_age"],
                )
            except loadtest.LoadTestError as error:
                raise CommandError(str(error)) from None
            results.append(result)
        machine = benchmark.machine()
        self.stdout.write(
            f"{machine['database']} | {machine['cpu']} x{machine['cores']} | "
            f"load average {' '.join(map(str, machine['load_average']))} | "
            f"{options['connections']} connections, CONN_MAX_AGE={options['conn_max_age']}"
        )
        self.stdout.write("Mix (round robin): " + ", ".join(paths))
        self.stdout.write(loadtest.table(results))
        failed = sum(r.failed for r in results)
        if options["json"]:
            Path(options["json"]).write_text(
                json.dumps(
                    {"machine": machine, "paths": paths, "results": [asdict(r) for r in results]},
                    indent=2,
                    default=str,
                )
            )
        if failed:
            raise CommandError(f"{failed} requests did not get a 200: see the last column.")
