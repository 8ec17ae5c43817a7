"""``miasto worker``: run background jobs (imports, exports, computations) and the periodic
housekeeping with procrastinate's worker (see :mod:`miasto.core.jobs`)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from miasto.core.worker import worker_loop


class Command(BaseCommand):
    help = (
        "Run queued background jobs (imports…) and the periodic housekeeping until stopped. "
        "--once: run what is queued, then stop."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true")
        parser.add_argument(
            "--poll",
            type=float,
            default=5.0,
            help="seconds between looks at the queue when no notification came (default 5)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        done = worker_loop(once=options["once"], poll=options["poll"])
        if options["once"]:
            self.stdout.write(f"{done} job(s) done")
