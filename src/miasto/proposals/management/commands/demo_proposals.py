"""``miasto demo-proposals [--if-missing]``: residents' proposals over the demo city."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from miasto.core.audit import acting_as
from miasto.proposals.demo import NoCity, demo_proposals_generate


class Command(BaseCommand):
    help = "Tworzy pomysły mieszkańców z poparciami, komentarzami i odpowiedziami miasta."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-missing", action="store_true", help="nic nie rób, gdy są")

    def handle(self, *args: Any, **options: Any) -> None:
        start = time.monotonic()
        with acting_as(None, "cli"):
            try:
                result = demo_proposals_generate(if_missing=options["if_missing"])
            except NoCity as exc:
                raise CommandError(str(exc)) from None
        self.stdout.write(f"{result.summary()} ({time.monotonic() - start:.1f} s)")
