"""``miasto backup PATH``: the database (pg_dump) and the uploaded files, into a new folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from miasto.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump, custom format) and the uploaded files and media into "
        "the folder PATH (new or empty). Restore with 'miasto restore PATH'."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = backup_create(options["path"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Backup in {report.path}: database {report.database_bytes / 1e6:.1f} MB, "
            f"{report.files} file(s)"
        )
