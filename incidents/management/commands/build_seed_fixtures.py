"""Regenerate fixtures/ from the articles in seeds/ (or check they are current)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from incidents.writes.seeding import SeedError, build_all


class Command(BaseCommand):
    help = "Extract every article in seeds/ and write fixtures/NAME.json for loaddata."

    def add_arguments(self, parser):
        parser.add_argument("--seeds", default=str(settings.SEEDS_DIR))
        parser.add_argument("--output", default=str(Path(settings.BASE_DIR) / "fixtures"))
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; fail if the committed fixtures differ from what would be built.",
        )

    def handle(self, *args, seeds, output, check, **options):
        try:
            outputs = build_all(Path(seeds))
        except SeedError as error:
            raise CommandError(str(error)) from error
        if not outputs:
            raise CommandError(f"No articles (*.txt) in {seeds}")
        out_dir = Path(output)
        stale = []
        for name, content in outputs.items():
            path = out_dir / name
            current = path.read_bytes().decode("utf-8") if path.exists() else None
            if current == content:
                self.stdout.write(f"unchanged {path}")
                continue
            if check:
                stale.append(name)
                continue
            out_dir.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content.encode("utf-8"))
            self.stdout.write(f"wrote {path}")
        extra = sorted(p.name for p in out_dir.glob("*.json") if p.name not in outputs)
        if check and (stale or extra):
            raise CommandError(
                "fixtures/ is not what seeds/ produces "
                f"(differs: {', '.join(stale) or 'none'}; no seed: {', '.join(extra) or 'none'}). "
                "Run `make fixtures` and commit the result."
            )
