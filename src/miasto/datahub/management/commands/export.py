"""``miasto export SLUG --format gpkg|geojson|csv|shp --out FILE``: write a version to a file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from miasto.core.jobs import JobError
from miasto.datahub.exports import EXPORT_FORMATS, export_version
from miasto.datahub.models import Dataset


class Command(BaseCommand):
    help = "Export a dataset version (default: the current one) in a chosen format and CRS."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # ``--version N`` (the syntax) replaces Django's ``--version`` flag here
        kwargs.setdefault("conflict_handler", "resolve")
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--format", required=True, choices=sorted(EXPORT_FORMATS))
        parser.add_argument("--out", required=True, help="output file")
        parser.add_argument("--version", type=int, help="version number (default: current)")
        parser.add_argument(
            "--crs", default="EPSG:2180", help="EPSG:2180 (default), 2176–2179, 4326, CRS84, 3857"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        dataset = Dataset.objects.filter(slug=opts["slug"]).first()
        if dataset is None:
            raise CommandError(f"Nie ma zbioru danych „{opts['slug']}”.")
        if opts["version"]:
            version = dataset.versions.filter(number=opts["version"]).first()
            if version is None:
                raise CommandError(f"Zbiór „{dataset.slug}” nie ma wersji {opts['version']}.")
        else:
            version = dataset.current_version
            if version is None:
                raise CommandError(f"Zbiór „{dataset.slug}” nie ma bieżącej wersji.")
        out = Path(opts["out"])
        part = out.with_name(out.name + ".part")
        try:
            export = export_version(version, opts["format"], opts["crs"])
            size = 0
            with part.open("wb") as fh:
                for chunk in export.chunks:
                    fh.write(chunk)
                    size += len(chunk)
            os.replace(part, out)
        except JobError as exc:
            part.unlink(missing_ok=True)
            raise CommandError(f"Eksport nie powiódł się: {exc}") from None
        except OSError as exc:
            part.unlink(missing_ok=True)
            raise CommandError(f"Nie można zapisać {out}: {exc.strerror}") from None
        self.stdout.write(
            f"Zapisano {out} ({version}, {version.feature_count} obiektów, {size / 1024:.0f} kB)."
        )
