"""``miasto demo-city``: generate the fictional demo city "Miasto Przykładowe".

By default the demo city's layers are then loaded into the data hub's catalogue (if the
catalogue is missing): ``--no-catalogue`` skips that.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from miasto.core.jobs import JobError
from miasto.democity.catalogue import demo_catalogue_load, summary_text
from miasto.democity.layout import SCALES
from miasto.democity.services import CityExists, demo_city_generate


class Command(BaseCommand):
    help = (
        "Generuje fikcyjne miasto demonstracyjne (działki, budynki, adresy, ulice, usługi) "
        "i wczytuje jego warstwy do katalogu danych."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=list(SCALES), default="city")
        parser.add_argument("--seed", type=int, default=2026)
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--if-missing", action="store_true", help="nic nie rób, gdy miasto jest")
        group.add_argument("--replace", action="store_true", help="usuń istniejące dane osnowy")
        parser.add_argument("--no-progress", action="store_true", help="bez pasków postępu")
        catalogue = parser.add_mutually_exclusive_group()
        catalogue.add_argument(
            "--with-catalogue",
            dest="catalogue",
            action="store_true",
            default=True,
            help="wczytaj warstwy miasta do katalogu danych, gdy go brak (domyślnie)",
        )
        catalogue.add_argument(
            "--no-catalogue",
            dest="catalogue",
            action="store_false",
            help="bez katalogu danych (tylko osnowa)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = demo_city_generate(
                scale=options["scale"],
                seed=options["seed"],
                if_missing=options["if_missing"],
                replace=options["replace"],
                progress=not options["no_progress"],
            )
        except CityExists as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(result.summary())
        if options["catalogue"]:
            try:
                summary = demo_catalogue_load(progress=not options["no_progress"])
            except JobError as exc:
                raise CommandError(f"Katalog danych: {exc}") from exc
            self.stdout.write(summary_text(summary))
