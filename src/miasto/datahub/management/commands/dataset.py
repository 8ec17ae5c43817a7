"""``miasto dataset archive|restore|delete SLUG``: a dataset's lifecycle from the command line.

``archive`` hides the dataset (kept with its versions), ``restore`` brings it back, ``delete``
removes it with its versions, tables, waiting uploads and cached tiles (see
:mod:`miasto.datahub.services.lifecycle`): it lists what would go and asks, unless ``--yes``;
without a terminal to ask on and without ``--yes`` it refuses. ``--spine``: delete a dataset
that is the current source of a spine layer. Every change is recorded in the audit log.
"""

from __future__ import annotations

import sys
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from miasto.core.jobs import JobError
from miasto.datahub.models import Dataset
from miasto.datahub.services import (
    DeletionPlan,
    dataset_archive,
    dataset_delete,
    dataset_restore,
    deletion_plan,
)


def plan_lines(plan: DeletionPlan) -> list[str]:
    """What deleting the dataset removes, one line each (Polish)."""
    lines = [f"Zbiór danych {plan.dataset.slug} („{plan.dataset.title_pl}”) z metadanymi"]
    for v in plan.versions:
        table = f", tabela {v.table}" if v.table else ""
        lines.append(f"  wersja {v.number} ({v.status_label}): {v.rows or 0} obiektów{table}")
    if not plan.versions:
        lines.append("  (brak wersji)")
    lines.append(f"  pliki czekające na import: {len(plan.files)}")
    lines += [f"    {path}" for path in plan.files]
    lines.append(f"  kafle mapy w pamięci podręcznej: {len(plan.tile_dirs)} wersji")
    if plan.spine_source:
        lines.append(
            f"  UWAGA: bieżące źródło warstwy „{plan.spine_layer}” ({plan.spine_rows} obiektów; "
            "zostaną w warstwie bez źródła — potrzebne --spine)"
        )
    return lines


class Command(BaseCommand):
    help = "Archive, restore or delete a dataset (delete: with its versions, tables and files)."
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["archive", "restore", "delete"])
        parser.add_argument("slug", help="dataset slug")
        parser.add_argument("--yes", action="store_true", help="delete without asking")
        parser.add_argument(
            "--spine",
            action="store_true",
            help="delete also a dataset that is the current source of a spine layer",
        )
        parser.add_argument("--user", help="username recorded in the audit log")

    def handle(self, *args: Any, **opts: Any) -> None:
        dataset = Dataset.objects.filter(slug=opts["slug"]).first()
        if dataset is None:
            raise CommandError(f"Nie ma zbioru danych „{opts['slug']}”.")
        user = self._user(opts["user"])
        if opts["action"] == "archive":
            dataset_archive(dataset, user=user)
            self.stdout.write(f"Zbiór {dataset.slug} zarchiwizowany (ukryty, wersje zachowane).")
        elif opts["action"] == "restore":
            dataset_restore(dataset, user=user)
            self.stdout.write(f"Zbiór {dataset.slug} przywrócony do katalogu.")
        else:
            self._delete(dataset, user, opts)

    def _user(self, username: str | None) -> Any:
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Nie ma użytkownika {username}.")
        return user

    def _delete(self, dataset: Dataset, user: Any, opts: dict[str, Any]) -> None:
        plan = deletion_plan(dataset)
        self.stdout.write("Zostanie usunięte:")
        for line in plan_lines(plan):
            self.stdout.write(line)
        if plan.spine_source and not opts["spine"]:
            raise CommandError(
                f"Zbiór „{dataset.slug}” jest bieżącym źródłem warstwy „{plan.spine_layer}”; "
                "aby go mimo to usunąć, dodaj --spine."
            )
        if not opts["yes"] and not self._confirmed(opts.get("stdin") or sys.stdin):
            raise CommandError("Nie usunięto niczego.")
        try:
            dataset_delete(dataset, user=user, spine=opts["spine"])
        except JobError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Zbiór {dataset.slug} usunięty.")

    def _confirmed(self, stdin: TextIO) -> bool:
        if not stdin.isatty():
            raise CommandError(
                "Bez terminala nie ma kogo zapytać: dodaj --yes, aby usunąć zbiór danych."
            )
        self.stdout.write("Usunąć? Wpisz „tak”: ", ending="")
        self.stdout.flush()
        return stdin.readline().strip().lower() in ("tak", "t", "yes", "y")
