"""``miasto demo-problems [--if-missing]``: about 2 000 problem reports for the demo city."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from miasto.core.audit import acting_as
from miasto.problems.demo import NoCity, demo_problems_generate


class Command(BaseCommand):
    help = "Tworzy zgłoszenia demonstracyjne (ok. 2000 w ciągu roku, w każdym statusie)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-missing", action="store_true", help="nic nie rób, gdy są")
        parser.add_argument("--count", type=int, default=2000, help="ile zgłoszeń")

    def handle(self, *args: Any, **options: Any) -> None:
        start = time.monotonic()
        with acting_as(None, "cli"):
            try:
                result = demo_problems_generate(
                    max(1, min(options["count"], 200_000)), if_missing=options["if_missing"]
                )
            except NoCity as exc:
                raise CommandError(str(exc)) from None
        self.stdout.write(f"{result.summary()} ({time.monotonic() - start:.1f} s)")
