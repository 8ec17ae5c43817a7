"""``miasto demo-alerts [--if-missing]``: the demo resident's area alerts and notifications."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from miasto.alerts.demo import DemoError, demo_alerts_generate
from miasto.core.audit import acting_as


class Command(BaseCommand):
    help = "Tworzy obszary powiadomień mieszkańca demonstracyjnego i przykładowe powiadomienia."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-missing", action="store_true", help="nic nie rób, gdy są")

    def handle(self, *args: Any, **options: Any) -> None:
        with acting_as(None, "cli"):
            try:
                result = demo_alerts_generate(if_missing=options["if_missing"])
            except DemoError as exc:
                raise CommandError(str(exc)) from None
        self.stdout.write(result.summary())
