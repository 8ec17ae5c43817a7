"""Background jobs of the advertising module.

- ``advertising.check`` — payload ``{"on": "YYYY-MM-DD"}``: the whole register against the
  rules in force on that date (seconds at 100 000 carriers — too long for a web request, so
  staff start it with a POST and the page shows its progress);
- every night the register is judged again (``advertising.nightly-check``): adjustment
  periods and exposure times run out with the calendar, not with an edit.
"""

from __future__ import annotations

import datetime as dt
from datetime import timedelta
from typing import Any

from miasto.advertising import compliance, enforcement_jobs  # noqa: F401 (its periodic task)
from miasto.core.jobs import JobContext, JobError, job_registry, periodic

CHECK = "advertising.check"


def check_job(ctx: JobContext) -> dict[str, Any]:
    try:
        on = dt.date.fromisoformat(str(ctx.payload.get("on")))
    except ValueError as exc:
        raise JobError("Błędna data w parametrach zadania.") from exc
    ctx.progress(5, "Sprawdzanie zgodności nośników z uchwałą krajobrazową", force=True)
    summary = compliance.check(on)
    return {
        "carriers": summary.carriers,
        "violations": summary.violations,
        "new": summary.new,
        "resolved": summary.resolved,
        "duration_ms": summary.duration_ms,
    }


job_registry.register(CHECK, check_job)


@periodic("advertising.nightly-check", every=timedelta(days=1))
def nightly_check() -> None:
    compliance.check(dt.date.today())
