"""``miasto demo-plans [--if-missing]``: a POG and about 20 MPZPs for the demo city."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from miasto.core.audit import acting_as
from miasto.planning.demo import NoCity, demo_plans_generate


class Command(BaseCommand):
    help = "Tworzy plany demonstracyjne (plan ogólny i ok. 20 planów miejscowych)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-missing", action="store_true", help="nic nie rób, gdy są")

    def handle(self, *args: Any, **options: Any) -> None:
        start = time.monotonic()
        with acting_as(None, "cli"):
            try:
                result = demo_plans_generate(if_missing=options["if_missing"])
            except NoCity as exc:
                raise CommandError(str(exc)) from None
        self.stdout.write(f"{result.summary()} ({time.monotonic() - start:.1f} s)")
