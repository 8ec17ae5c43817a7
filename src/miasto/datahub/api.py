"""The data hub's JSON API: ``/api/v1/datasets…``. Thin: parse, check permission, call, answer."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_POST

from miasto.core.errors import InvalidParameter, NotFound
from miasto.core.geo import parse_crs
from miasto.core.http import int_param, json_response
from miasto.core.jobs import job_cancel, may_start
from miasto.core.models import Job
from miasto.datahub import permissions, selectors
from miasto.datahub.exports import export_version
from miasto.datahub.models import Dataset, DatasetVersion
from miasto.datahub.services import version_diff as diff

EXPORT_FORMATS = ("gpkg", "geojson", "csv", "shp")
HAS_DATA = (DatasetVersion.Status.READY, DatasetVersion.Status.REJECTED)


def visible_dataset(request: HttpRequest, slug: str) -> Dataset:
    """The dataset, or 404 — also when the user may not see it (its existence stays hidden)."""
    dataset = Dataset.objects.select_related("owner").filter(slug=slug[:80]).first()
    if dataset is None or not permissions.can_view(request.user, dataset):
        raise NotFound(f"Nie ma zbioru danych „{slug[:80]}”.")
    return dataset


def _version(request: HttpRequest, dataset: Dataset, number: int | None) -> DatasetVersion:
    """The version (the current one for ``None``), or 404 — also when the user may not see
    it (a version never accepted, for those who do not manage the dataset: see
    :func:`miasto.datahub.permissions.version_statuses`)."""
    if number is None:
        version = dataset.current_version
        if version is None:
            raise NotFound("Ten zbiór nie ma jeszcze aktualnej wersji.")
        return version
    version = permissions.versions_visible(request.user, dataset).filter(number=number).first()
    if version is None:
        raise NotFound(f"Zbiór {dataset.slug} nie ma wersji {number}.")
    return version


def _check_download(request: HttpRequest, dataset: Dataset, version: DatasetVersion) -> None:
    """Versions with data (ready, and — for those who manage the dataset — rejected ones)
    of the versions the user may see (see :func:`_version`)."""
    if not permissions.can_download(request.user, version, dataset):
        raise NotFound(f"Wersja {version.number} nie ma danych (import nieudany albo w toku).")


def filters_from(request: HttpRequest) -> selectors.CatalogueFilters:
    g = request.GET
    return selectors.CatalogueFilters(
        q=g.get("q", "")[:200],
        theme=g.get("theme", "")[:10],
        owner=g.get("owner", "")[:20],
        format=g.get("format", "")[:20],
        access=g.get("access", "")[:12],
        freshness=g.get("freshness", "")[:8],
        target=g.get("target", "")[:30],
    )


@require_GET
def dataset_list(request: HttpRequest) -> JsonResponse:
    page = int_param(request, "page", 1, 1, 100_000)
    size = int_param(request, "page_size", 20, 1, 100)
    qs = selectors.catalogue(request.user, filters_from(request))
    total = qs.count()
    items = list(qs[(page - 1) * size : page * size])
    language = get_language() or "pl"
    return json_response(
        {
            "count": total,
            "page": page,
            "page_size": size,
            "results": [selectors.dataset_summary(d, language) for d in items],
            "facets": selectors.facets(qs),
        }
    )


@require_GET
def dataset_detail(request: HttpRequest, slug: str) -> JsonResponse:
    dataset = visible_dataset(request, slug)
    data = selectors.dataset_summary(dataset, get_language() or "pl")
    versions = permissions.versions_visible(request.user, dataset).order_by("-number")
    data["versions"] = [selectors.version_summary(v) for v in versions]
    current = dataset.current_version
    data["quality"] = (current.quality or {}).get("summary") if current else None
    data["downloads"] = {
        fmt: f"/api/v1/datasets/{dataset.slug}/download?format={fmt}" for fmt in EXPORT_FORMATS
    }
    if dataset.target == "generic" and current:
        data["layer"] = f"ds-{dataset.slug}"
    return json_response(data)


@require_GET
def version_quality(request: HttpRequest, slug: str, number: int) -> JsonResponse:
    dataset = visible_dataset(request, slug)
    version = _version(request, dataset, number)
    return json_response(
        {
            "dataset": dataset.slug,
            "version": version.number,
            "status": version.status,
            "score": version.quality_score,
            "report": version.quality,
        }
    )


@require_GET
def version_features(request: HttpRequest, slug: str, number: int) -> JsonResponse:
    dataset = visible_dataset(request, slug)
    version = _version(request, dataset, number)
    _check_download(request, dataset, version)
    limit = int_param(request, "limit", 50, 1, 500)
    offset = int_param(request, "offset", 0, 0, 100_000_000)
    columns, rows = selectors.version_features(version, limit=limit, offset=offset)
    return json_response({"columns": columns, "rows": rows, "count": version.feature_count,
                  "labels": selectors.field_labels(version),
                  "limit": limit, "offset": offset})  # fmt: skip


@require_GET
def version_diff(request: HttpRequest, slug: str) -> JsonResponse:
    dataset = visible_dataset(request, slug)
    a = _version(request, dataset, int_param(request, "from", 0, 1, 1_000_000) or None)
    b = _version(request, dataset, int_param(request, "to", 0, 1, 1_000_000) or None)
    # (a rejected version has data too: its diff shows a steward what it would change)
    if not (a.status in HAS_DATA and b.status in HAS_DATA):
        raise InvalidParameter("Porównać można tylko wersje zaimportowane poprawnie.")
    return json_response(diff(a, b))


@require_GET
def download(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    dataset = visible_dataset(request, slug)
    fmt = request.GET.get("format", "geojson")
    if fmt not in EXPORT_FORMATS:
        raise InvalidParameter(
            f"Nieznany format „{fmt[:20]}”. Dostępne: {', '.join(EXPORT_FORMATS)}."
        )
    srid = parse_crs(request.GET.get("crs"), default=4326)
    number = int_param(request, "version", 0, 0, 1_000_000) or None
    version = _version(request, dataset, number)
    _check_download(request, dataset, version)

    export = export_version(version, fmt, srid)
    response = StreamingHttpResponse(export.chunks, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


def job_status(request: HttpRequest, pk: int) -> JsonResponse:
    """Progress of a background job: its owner and administrators may read it."""
    job = get_object_or_404(Job, pk=pk)
    if not (permissions.is_admin(request.user) or (
        request.user.is_authenticated and job.created_by_id == request.user.pk
    )):  # fmt: skip
        raise NotFound("Nie ma takiego zadania.")
    return json_response(_job_json(job))


@require_POST
def job_cancel_view(request: HttpRequest, pk: int) -> JsonResponse:
    """Cancel a queued or running job: staff (who start jobs) and administrators may; 409 when
    it has ended already."""
    job = get_object_or_404(Job, pk=pk)
    if not (may_start(request.user) or permissions.is_admin(request.user)):
        raise NotFound("Nie ma takiego zadania.")
    cancelled = job_cancel(job)
    job.refresh_from_db()
    return json_response(_job_json(job), status=200 if cancelled else 409)


def _job_json(job: Job) -> dict[str, Any]:
    return {
        "id": job.pk,
        "kind": job.kind,
        "status": job.status,
        "progress": job.progress,
        "message": job.message,
        "error": job.error,
        "result": {k: v for k, v in job.result.items() if k != "traceback"},
    }
