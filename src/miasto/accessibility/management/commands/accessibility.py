"""``miasto accessibility [--standard CODE ...]``: compute the accessibility standards."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from miasto.accessibility.models import Run
from miasto.accessibility.services import accessibility_compute


class Command(BaseCommand):
    help = "Compute the accessibility standards (art. 13f) for every residential parcel."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--standard", action="append", help="standard code (repeatable; default: all active)"
        )
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="do nothing when a computation has already finished (make demo)",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["if_missing"] and Run.objects.filter(status=Run.Status.DONE).exists():
            self.stdout.write("Dostępność jest już policzona — pomijam.")
            return
        bar = tqdm(
            total=100, unit="%", desc="Dostępność", disable=True if opts["verbosity"] == 0 else None
        )

        def progress(percent: float, message: str) -> None:
            bar.n = int(percent)
            if message:
                bar.set_description_str(message[:40], refresh=False)
            bar.refresh()

        try:
            run = accessibility_compute(codes=opts["standard"], progress=progress)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            bar.close()
        stats = run.stats
        self.stdout.write(
            f"Działki mieszkaniowe: {stats['residential_parcels']}, czas {run.duration_s} s"
        )
        for code, info in stats["standards"].items():
            pct = 100 * info["residents_met"] / info["residents"] if info["residents"] else 0
            self.stdout.write(
                f"  {code}: {info['parcels_met']}/{info['parcels']} działek, "
                f"{pct:.1f}% mieszkańców spełnia ({info['services']} usług, {info['seconds']} s)"
            )
