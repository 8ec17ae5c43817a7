"""``miasto demo-surveys [--if-missing] [--seed N]``: the demo city's map survey with a few
hundred answers, and a draft."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from miasto.core.audit import acting_as
from miasto.surveys.demo import NoCity, demo_surveys_generate


class Command(BaseCommand):
    help = "Tworzy ankietę mapową demonstracyjną z kilkuset odpowiedziami."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-missing", action="store_true", help="nic nie rób, gdy są")
        parser.add_argument("--seed", type=int, default=16, help="ziarno losowania")

    def handle(self, *args: Any, **options: Any) -> None:
        start = time.monotonic()
        with acting_as(None, "cli"):
            try:
                result = demo_surveys_generate(
                    if_missing=options["if_missing"], seed=options["seed"]
                )
            except NoCity as exc:
                raise CommandError(str(exc)) from None
        self.stdout.write(f"{result.summary()} ({time.monotonic() - start:.1f} s)")
