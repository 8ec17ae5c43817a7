"""``miasto import-app PATH [PATH…] [--plan ID]``: import APP 2.0 GML planning acts and zones."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from miasto.core.audit import acting_as
from miasto.planning.models import Plan
from miasto.planning.services import PlanError, plan_import_app


class Command(BaseCommand):
    help = (
        "Importuje plik(i) APP 2.0 GML (akt planowania, strefy, OUZ/OZS/OSD, dokumenty). "
        "Plan z kilku plików: najpierw plik aktu, potem plik stref."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--plan", type=int, help="identyfikator planu, do którego dołączyć")

    def handle(self, *args: Any, **options: Any) -> None:
        plan = None
        if options["plan"] is not None:
            plan = Plan.objects.filter(pk=options["plan"]).first()
            if plan is None:
                raise CommandError(f"Nie ma planu o identyfikatorze {options['plan']}.")
        with acting_as(None, "cli"):
            for path in options["paths"]:
                try:
                    result = plan_import_app(path=path, plan=plan)
                except PlanError as exc:
                    raise CommandError(str(exc)) from None
                self.stdout.write(result.summary())
