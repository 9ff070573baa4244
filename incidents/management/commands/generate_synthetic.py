"""Fill the database with realistic synthetic records, reproducibly, for load tests.

    python manage.py generate_synthetic --incidents 2000 --figures 200000 \\
        --allegations 50000 --seed 1

Adds to what is there (see ``incidents.perf.synthetic`` for what is generated, how it
stays valid and reproducible, and how the change feed learns of it).
"""

import argparse
import sys

from django.core.management.base import BaseCommand, CommandError

from incidents.management.arguments import positive
from incidents.perf import synthetic


def count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise ValueError(text)
    return value


class Command(BaseCommand):
    help = (
        "Add realistic synthetic incidents, groups, figures, allegations, sources and "
        "citations (and their change feed), reproducibly for a given seed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--incidents", type=count, required=True)
        parser.add_argument("--figures", type=count, required=True)
        parser.add_argument("--allegations", type=count, required=True)
        parser.add_argument("--seed", type=int, default=0, help="Same seed, same records.")
        parser.add_argument(
            "--batch-size",
            type=positive,
            default=10_000,
            help="Figures per transaction (whole episodes of an incident; default 10000).",
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="No progress bar (also off at -v0)."
        )
        parser.add_argument(
            "--bulk",
            action=argparse.BooleanOptionalAction,
            default=None,
            help="Load in one transaction, with the secondary indexes and foreign keys set "
            "aside and rebuilt at the end (default: for 10,000 figures or more into tables "
            "that hold few enough already; see incidents.perf.synthetic.wants_bulk and BulkLoad).",
        )
        parser.add_argument(
            "--no-analyze",
            action="store_true",
            help="PostgreSQL: skip the ANALYZE of the tables written to (COPY leaves the "
            "planner without statistics until then).",
        )
        parser.add_argument(
            "--durable",
            action="store_true",
            help="SQLite: keep the fsync of each commit (default: off for this run's "
            "connection; see incidents.perf.synthetic.FastSQLite).",
        )

    def handle(self, *args, **options):
        if options["incidents"] == 0 and (options["figures"] or options["allegations"]):
            raise CommandError("Figures and allegations need at least one incident.")
        verbosity = options["verbosity"]
        bar = None
        if verbosity and not options["no_progress"]:
            from tqdm import tqdm

            bar = tqdm(
                total=options["figures"],
                unit="fig",
                unit_scale=True,
                desc="figures",
                file=sys.stderr,
                dynamic_ncols=True,
            )

        def progress(batch):
            if bar is not None:
                bar.update(batch.figures)

        try:
            summary = synthetic.generate(
                incidents=options["incidents"],
                figures=options["figures"],
                allegations=options["allegations"],
                seed=options["seed"],
                batch_size=options["batch_size"],
                progress=progress,
                durable=options["durable"],
                bulk=options["bulk"],
                analyze=not options["no_analyze"],
            )
        finally:
            if bar is not None:
                bar.close()
        if verbosity:
            counts = ", ".join(f"{n:,} {name}" for name, n in summary.counts.items())
            seconds = max(summary.seconds, 1e-9)
            figures = summary.counts["figures"]
            how = ["bulk load" if summary.bulk else "batch by batch"]
            if summary.contest_seconds:
                how.append(f"contest state {summary.contest_seconds:.2f}s")
            if summary.analyze_seconds is not None:
                how.append(f"ANALYZE {summary.analyze_seconds:.2f}s")
            self.stdout.write(
                f"Generated {counts} (run tag {summary.tag}) in {summary.seconds:.2f}s "
                f"({', '.join(how)}): "
                f"{summary.rows / seconds:,.0f} rows/s, {figures / seconds:,.0f} figures/s."
            )
