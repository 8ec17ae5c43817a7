"""``miasto datahub-cleanup [--older-than HOURS] [--dry-run]``: remove the data hub's leftovers.

Abandoned uploads, work folders of crashed imports and exports, staging tables of crashed
imports and version tables without a version (see :mod:`miasto.datahub.cleanup`). The job
worker runs the same clean-up once an hour; this command is for a cron job or by hand.
Exit 0 on success; non-zero with one message if something could not be removed.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from miasto.datahub.cleanup import DEFAULT_HOURS, leftovers_cleanup

#: Below an hour the clean-up could remove an upload a person is mapping right now or an
#: export being streamed (running imports are protected by their lock whatever the age).
MIN_HOURS = 1.0


class Command(BaseCommand):
    help = (
        "Remove abandoned uploads, leftovers of crashed imports and exports (files and staging "
        "tables) older than --older-than hours, and version tables without a version."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than",
            type=float,
            default=DEFAULT_HOURS,
            metavar="HOURS",
            help=f"only leftovers older than this many hours (default {DEFAULT_HOURS:g}, "
            f"at least {MIN_HOURS:g})",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="list what would be removed, remove nothing"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        hours = opts["older_than"]
        if not hours >= MIN_HOURS:  # also NaN
            raise CommandError(
                f"--older-than musi wynosić co najmniej {MIN_HOURS:g} h: młodsze pliki mogą "
                "należeć do trwającego wczytywania albo pobierania."
            )
        report = leftovers_cleanup(timedelta(hours=hours), dry_run=opts["dry_run"])
        verb = "Do usunięcia" if opts["dry_run"] else "Usunięto"
        if opts["verbosity"] >= 2:
            for name in report.tables:
                self.stdout.write(f"  tabela {name}")
            for path in report.paths:
                self.stdout.write(f"  katalog {path}")
        self.stdout.write(
            f"{verb}: {len(report.tables)} tabel, {len(report.paths)} katalogów "
            f"(starszych niż {hours:g} h); pozostawiono {len(report.kept)} w użyciu lub młodszych."
        )
        if report.errors:
            raise CommandError(
                f"Nie udało się usunąć {len(report.errors)} pozycji: {'; '.join(report.errors)}"
            )
