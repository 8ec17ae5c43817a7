"""``miasto demo-advertising [--if-missing]``: the demo landscape resolution (5 zones) and
about 5 000 carriers, about 15 % of them against the rules, with fees for the year."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from miasto.advertising.demo import NoCity, demo_advertising_generate
from miasto.core.audit import acting_as


class Command(BaseCommand):
    help = "Tworzy demonstracyjną uchwałę krajobrazową i rejestr ok. 5000 nośników reklamowych."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-missing", action="store_true", help="nic nie rób, gdy jest")
        parser.add_argument("--count", type=int, default=5000, help="liczba nośników")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args: Any, **options: Any) -> None:
        if not 10 <= options["count"] <= 200_000:
            raise CommandError("Liczba nośników: od 10 do 200 000.")
        start = time.monotonic()
        with acting_as(None, "cli"):
            try:
                result = demo_advertising_generate(
                    if_missing=options["if_missing"], count=options["count"], seed=options["seed"]
                )
            except NoCity as exc:
                raise CommandError(str(exc)) from None
        self.stdout.write(f"{result.summary()} ({time.monotonic() - start:.1f} s)")
