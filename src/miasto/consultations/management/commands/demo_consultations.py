"""``miasto demo-consultations [--if-missing]``: a running consultation of a draft plan with a
few hundred comments and a closed one with its published summary report."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from miasto.consultations.demo import NoDraftPlans, demo_consultations_generate
from miasto.core.audit import acting_as


class Command(BaseCommand):
    help = "Tworzy konsultacje demonstracyjne (trwające i zakończone z raportem)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-missing", action="store_true", help="nic nie rób, gdy są")

    def handle(self, *args: Any, **options: Any) -> None:
        start = time.monotonic()
        with acting_as(None, "cli"):
            try:
                result = demo_consultations_generate(if_missing=options["if_missing"])
            except NoDraftPlans as exc:
                raise CommandError(str(exc)) from None
        if result is None:
            self.stdout.write("Konsultacje demonstracyjne już są.")
            return
        self.stdout.write(f"{result.summary()} ({time.monotonic() - start:.1f} s)")
