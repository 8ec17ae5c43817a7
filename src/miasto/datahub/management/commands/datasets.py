"""``miasto datasets [SLUG]``: a table of datasets and their versions."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Prefetch

from miasto.datahub.models import Dataset, DatasetVersion


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]


class Command(BaseCommand):
    help = "List datasets with their versions (current marked with *)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", nargs="?", help="only this dataset")

    def handle(self, *args: Any, **opts: Any) -> None:
        qs = Dataset.objects.select_related("owner").prefetch_related(
            Prefetch(
                "versions",
                queryset=DatasetVersion.objects.select_related("created_by").order_by("number"),
            )
        )
        if opts["slug"]:
            qs = qs.filter(slug=opts["slug"])
            if not qs.exists():
                raise CommandError(f"Nie ma zbioru danych „{opts['slug']}”.")
        rows = [
            [
                "zbiór / wersja",
                "warstwa",
                "właściciel",
                "status",
                "obiekty",
                "jakość",
                "kiedy",
                "plik",
            ]
        ]
        for ds in qs.order_by("slug"):
            stale = " (nieaktualny)" if ds.stale_since() else ""
            stale += " (zarchiwizowany)" if ds.archived_at else ""
            rows.append([ds.slug, ds.target, ds.owner.code, ds.access + stale, "", "", "", ""])
            for v in ds.versions.all():
                rows.append(
                    [
                        f"  {'*' if v.is_current else ' '}v{v.number}",
                        v.format,
                        v.created_by.get_username() if v.created_by else "",
                        v.status,
                        "" if v.feature_count is None else str(v.feature_count),
                        "" if v.quality_score is None else f"{v.quality_score:.0f}",
                        v.created_at.strftime("%Y-%m-%d %H:%M"),
                        v.source_name,
                    ]
                )
        if len(rows) == 1:
            self.stdout.write("Brak zbiorów danych.")
            return
        for line in _table(rows):
            self.stdout.write(line)
