"""Planning's HTML pages and files, one module per area, each with its own ``urlpatterns``:

- :mod:`.report` — the parcel planning report page and the PDF *wypis i wyrys* draft;
- :mod:`.plans` — plan list, plan page, APP GML upload;
- :mod:`.analyses` — coverage, capacity, conflicts, accessibility and scenario pages.

Views stay thin: reads go through :mod:`miasto.planning.selectors` /
:mod:`miasto.planning.analyses`, writes through :mod:`miasto.planning.services`.
"""

from typing import Any  # noqa: E402

from django.http import HttpRequest, HttpResponse  # noqa: E402

from miasto.core.jobs import may_start
from miasto.core.models import Job


def computing_response(
    request: HttpRequest,
    *,
    title: str,
    job: Any,
    breadcrumbs: list[tuple[str, str]],
    start_url: str,
) -> HttpResponse:
    """The page of a result that is not stored: 202 while a background job computes it
    (the page refreshes itself); 409 when no job is running — never computed, or the last
    job failed (its error shown). Staff see a button that starts the computation (a POST to
    ``start_url``); a GET never starts one."""
    from django.shortcuts import render

    failed = job is not None and job.status == Job.Status.FAILED
    running = job is not None and not failed
    return render(
        request,
        "planning/computing.html",
        {
            "title": title,
            "job": job,
            "failed": failed,
            "running": running,
            "breadcrumbs": breadcrumbs,
            "start_url": start_url,
            "may_start": may_start(request.user),
        },
        status=202 if running else 409,
    )
