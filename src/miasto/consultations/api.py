"""``/api/v1/consultations``: consultations, their published comments (GeoJSON) and the
summary report (PDF, CSV) once published. Drafts are nobody's business but the planners'
(404); no answer carries personal data."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from miasto.consultations import selectors
from miasto.consultations.models import Consultation, Status
from miasto.core.errors import NotFound
from miasto.core.http import json_response

#: ids above this are not looked up (beyond PostgreSQL's bigint)
MAX_ID = 2**62


def _found(pk: int) -> Consultation:
    consultation = selectors.public_consultation(pk) if pk < MAX_ID else None
    if consultation is None:
        raise NotFound(f"Nie ma opublikowanych konsultacji o identyfikatorze {pk}.")
    return consultation


def _item(c: Consultation) -> dict[str, Any]:
    base = settings.MIASTO_PUBLIC_URL
    published = c.status == Status.REPORT_PUBLISHED
    return {
        "id": c.pk,
        "title": c.title,
        "status": c.status,
        "status_label": str(Status(c.status).label),
        "act": c.act or None,
        "act_title": c.act_title or None,
        "starts_on": c.starts_on.isoformat(),
        "ends_on": c.ends_on.isoformat(),
        "announced_on": c.announced_on.isoformat() if c.announced_on else None,
        "forms": list(c.forms),
        "comments": getattr(c, "published", None),
        "url": base + reverse("consultations:detail", args=[c.pk]),
        "comments_url": base + reverse("consultations:api-consultation-comments", args=[c.pk]),
        "report_pdf": base + reverse("consultations:api-consultation-report-pdf", args=[c.pk])
        if published
        else None,
        "report_csv": base + reverse("consultations:api-consultation-report-csv", args=[c.pk])
        if published
        else None,
    }


@require_GET
def consultations(request: HttpRequest) -> JsonResponse:
    items = [_item(c) for c in selectors.public_consultations().order_by("-starts_on", "-pk")]
    return json_response({"count": len(items), "consultations": items})


@require_GET
def consultation(request: HttpRequest, pk: int) -> JsonResponse:
    c = _found(pk)
    data = _item(c)
    data["summary"] = c.summary
    data["forms_labels"] = selectors.forms_labels(c)
    data["forms_details"] = c.forms_details
    data["area"] = json.loads(c.area.transform(4326, clone=True).json) if c.area else None
    data["documents"] = [
        {
            "title": d.title,
            "content_type": d.content_type,
            "size": d.size,
            "url": settings.MIASTO_PUBLIC_URL
            + reverse("consultations:document", args=[c.pk, d.pk]),
        }
        for d in c.documents.all()
    ]
    return json_response(data)


@require_GET
def comments(request: HttpRequest, pk: int) -> HttpResponse:
    c = _found(pk)
    return HttpResponse(
        selectors.comments_geojson(c.pk), content_type="application/geo+json; charset=utf-8"
    )


def _report_file(pk: int, which: str) -> FileResponse:
    c = _found(pk)
    report = getattr(c, "report", None)
    if c.status != Status.REPORT_PUBLISHED or report is None:
        raise NotFound("Raport podsumowujący tych konsultacji nie został jeszcze opublikowany.")
    file = report.pdf if which == "pdf" else report.csv
    response = FileResponse(
        file.open("rb"),
        content_type="application/pdf" if which == "pdf" else "text/csv; charset=utf-8",
        as_attachment=which == "csv",
        filename=f"raport-konsultacje-{c.pk}.{which}",
    )
    return response


@require_GET
def report_pdf(request: HttpRequest, pk: int) -> FileResponse:
    return _report_file(pk, "pdf")


@require_GET
def report_csv(request: HttpRequest, pk: int) -> FileResponse:
    return _report_file(pk, "csv")
