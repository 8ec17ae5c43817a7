"""Planning's HTML pages and files, one module per area, each with its own ``urlpatterns``:

- :mod:`.report` — the parcel planning report page and the PDF *wypis i wyrys* draft;
- :mod:`.plans` — plan list, plan page, APP GML upload;
- :mod:`.analyses` — coverage, capacity, conflicts, accessibility and scenario pages.

Views stay thin: reads go through :mod:`miasto.planning.selectors` /
:mod:`miasto.planning.analyses`, writes through :mod:`miasto.planning.services`.
"""

from typing import Any  # noqa: E402

from django.http import HttpRequest, HttpResponse  # noqa: E402


def computing_response(
    request: HttpRequest, *, title: str, job: Any, breadcrumbs: list[tuple[str, str]]
) -> HttpResponse:
    """202 page for a result a background job is still computing (refreshes itself), or the
    job's error with a retry link."""
    from django.shortcuts import render

    from miasto.core.models import Job

    failed = job.status == Job.Status.FAILED
    return render(
        request,
        "planning/computing.html",
        {"title": title, "job": job, "failed": failed, "breadcrumbs": breadcrumbs},
        status=202,
    )


def computing_json(job: Any) -> HttpResponse:
    """202 JSON for an API result a background job is still computing."""
    from miasto.core.http import json_response
    from miasto.core.models import Job

    failed = job.status == Job.Status.FAILED
    return json_response(
        {
            "status": "failed" if failed else "computing",
            "message": (job.error or job.message)
            if failed
            else "Wynik jest liczony w tle; ponów zapytanie za chwilę (dodaj retry=1 po błędzie).",
            "job": {"id": job.pk, "progress": job.progress, "message": job.message},
        },
        status=202,
    )
