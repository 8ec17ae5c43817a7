"""``miasto restore PATH``: a backup made by ``miasto backup`` into a fresh database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from miasto.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by 'miasto backup' into the database of DATABASE_URL, which must "
        "be fresh (createdb -T miasto_template NAME), and its files into MEDIA_ROOT and the "
        "uploads folder. Then run 'miasto migrate' if this Miasto is newer than the backup."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = backup_restore(options["path"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored {report.path}: the database and {report.files} file(s) "
            f"({len(report.skipped)} dump entries made by the template's extensions skipped)"
        )
