"""``miasto worker``: run background jobs (imports, exports) from the PostgreSQL queue."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from miasto.core.jobs import worker_loop


class Command(BaseCommand):
    help = "Run queued background jobs (imports…). --once: run what is queued, then stop."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        done = worker_loop(once=options["once"])
        if options["once"]:
            self.stdout.write(f"{done} job(s) done")
