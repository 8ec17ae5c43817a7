"""``miasto demo-advertising-cases [--if-missing]``: enforcement cases in every state of the
workflow, from the demo register's violations (after ``demo-advertising`` and ``demo-users``)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from miasto.advertising.enforcement_demo import NoDemoData, demo_cases_generate
from miasto.core.audit import acting_as


class Command(BaseCommand):
    help = "Tworzy demonstracyjne sprawy egzekwowania uchwały krajobrazowej na każdym etapie."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-missing", action="store_true", help="nic nie rób, gdy są")
        parser.add_argument("--per-state", type=int, default=4, help="spraw na każdym etapie")

    def handle(self, *args: Any, **options: Any) -> None:
        if not 1 <= options["per_state"] <= 100:
            raise CommandError("Liczba spraw na etapie: od 1 do 100.")
        start = time.monotonic()
        with acting_as(None, "cli"):
            try:
                result = demo_cases_generate(
                    if_missing=options["if_missing"], per_state=options["per_state"]
                )
            except NoDemoData as exc:
                raise CommandError(str(exc)) from None
        self.stdout.write(f"{result.summary()} ({time.monotonic() - start:.1f} s)")
