"""The data hub's pages: catalogue, dataset, quality report, diff, stale list, upload and jobs.

Thin views over :mod:`miasto.datahub.selectors` (reads) and :mod:`miasto.datahub.services`
(writes). Datasets a user may not see answer 404 (their existence stays hidden); managing
actions need a login and :func:`miasto.datahub.permissions.can_manage` (403 otherwise).
"""

from __future__ import annotations

import re
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext_lazy, ngettext, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from miasto.core.http import LimitedUploadHandler
from miasto.core.jobs import JobError, job_enqueue
from miasto.core.layers import layer_get
from miasto.core.models import Job
from miasto.core.plurals import plural_forms
from miasto.datahub import permissions, selectors
from miasto.datahub.api import EXPORT_FORMATS, filters_from
from miasto.datahub.cleanup import upload_remove
from miasto.datahub.columns import launder
from miasto.datahub.files import FORMAT_NAMES, max_upload_bytes
from miasto.datahub.forms import (
    DOWNLOAD_CRS,
    ColumnTypesForm,
    DatasetEditForm,
    DatasetForm,
    LayersForm,
    MappingForm,
    UploadForm,
    safe_filename,
    upload_dir_root,
)
from miasto.datahub.gdal import LayerInfo
from miasto.datahub.importers import get_target
from miasto.datahub.inspect import UploadInspection, upload_inspect
from miasto.datahub.models import Dataset, DatasetVersion
from miasto.datahub.services import dataset_create as create
from miasto.datahub.services import dataset_update, version_diff, version_set_current
from miasto.datahub.services.presets import NO_PRESET
from miasto.datahub.upload_choices import (
    copy_upload,
    detected_types,
    layer_dataset,
    merged_layer,
    preset_for,
    several_layers,
)
from miasto.datahub.vocabularies import FREQUENCY_PERIOD, Frequency, geometry_label

PAGE_SIZE = 20
TABLE_PAGE = 50
SESSION_UPLOADS = "datahub_uploads"
#: datasets this session made and has not imported into yet: their first import's job removes
#: the dataset when it fails (the creation is part of the import's outcome)
SESSION_CREATED = "datahub_created"
TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")

#: Quality checks in reading order, with a Polish-first label.
CHECK_LABELS = {
    "invalid_geometries": gettext_lazy("invalid geometries"),
    "null_geometries": gettext_lazy("missing geometries"),
    "empty_geometries": gettext_lazy("empty geometries"),
    "duplicate_geometries": gettext_lazy("duplicate geometries"),
    "duplicate_keys": gettext_lazy("duplicate keys"),
    "invalid_keys": gettext_lazy("invalid identifiers"),
    "outside_city": gettext_lazy("features outside the city"),
    "crs": gettext_lazy("coordinate reference system and axis order"),
    "overlaps": gettext_lazy("overlapping parcels"),
    "gaps": gettext_lazy("gaps between parcels"),
}
#: Which check each blocking rule is about (to highlight it).
RULE_CHECKS = {
    "max_outside_city_share": ("outside_city",),
    "block_swapped_axes": ("crs",),
    "block_wrong_crs": ("crs",),
    "max_unrepairable_geometries": ("invalid_geometries",),
    "max_duplicate_keys": ("duplicate_keys",),
    "max_invalid_keys": ("invalid_keys",),
    "max_empty_geometries": ("empty_geometries", "null_geometries"),
    "max_parcel_overlaps": ("overlaps",),
    "max_parcel_gaps": ("gaps",),
}
FORMAT_LABELS = {
    "gpkg": "GeoPackage",
    "geojson": "GeoJSON",
    "csv": gettext_lazy("CSV (geometry as WKT)"),
    "shp": gettext_lazy("Shapefile (ZIP)"),
}
SPINE_MAP_LAYERS = {"parcels", "buildings", "addresses", "streets", "services", "constraints"}


# --------------------------------------------------------------------------- helpers


def _language() -> str:
    return (get_language() or "pl")[:2]


def _visible_dataset(request: HttpRequest, slug: str) -> Dataset:
    """The dataset, or 404 — also when the user may not see it (an archived one: staff who
    could see it otherwise may, see :func:`permissions.can_open`)."""
    dataset = Dataset.objects.select_related("owner").filter(slug=slug[:80]).first()
    if dataset is None or not permissions.can_open(request.user, dataset):
        raise Http404(_("There is no such dataset."))
    return dataset


def _managed_dataset(request: HttpRequest, slug: str) -> Dataset:
    """The dataset (404 when hidden) if the user may manage it (403 otherwise)."""
    dataset = _visible_dataset(request, slug)
    if not permissions.can_manage(request.user, dataset):
        raise PermissionDenied(_("Only data stewards of the owner unit may do this."))
    return dataset


def _login_required(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


def _page_number(request: HttpRequest, name: str = "strona") -> int:
    raw = request.GET.get(name, "1")
    try:
        return max(1, min(int(raw), 10_000_000))
    except (TypeError, ValueError):
        return 1


def _query_without(request: HttpRequest, *names: str, **extra: Any) -> str:
    params: dict[str, Any] = {k: v for k, v in request.GET.items() if k not in names and v}
    params.update({k: v for k, v in extra.items() if v not in (None, "")})
    return urlencode(params)


def _item_text(item: Any) -> str:
    """One listed item of a quality check as a short phrase."""
    if isinstance(item, dict):
        if "reason" in item:
            return _("feature %(fid)s: %(reason)s") % item
        if "key" in item and "fids" in item:
            return _("“%(key)s” in features %(fids)s") % {
                "key": item["key"],
                "fids": ", ".join(map(str, item["fids"])),
            }
        if "key" in item and "fid" in item:
            return _("feature %(fid)s: “%(key)s”") % item
        if "a" in item and "b" in item:
            return _("features %(a)s and %(b)s: %(area)s m²") % item
        if "area" in item:
            return _("%(area)s m² at x=%(x)s, y=%(y)s") % item
        return ", ".join(f"{k}: {v}" for k, v in item.items())
    if isinstance(item, list | tuple):
        return _("features %(fids)s") % {"fids": ", ".join(map(str, item))}
    return _("feature %(fid)s") % {"fid": item}


def quality_view(report: dict[str, Any], *, items: int = 10) -> dict[str, Any]:
    """The quality report as rows for a template: each check with count, items and blocking."""
    report = report or {}
    checks = report.get("checks") or {}
    blocking = report.get("blocking") or []
    blocked_checks = {c for b in blocking for c in RULE_CHECKS.get(b.get("rule", ""), ())}
    rows: list[dict[str, Any]] = []
    for name, label in CHECK_LABELS.items():
        check = checks.get(name)
        if check is None:
            continue
        if name == "crs":
            bad = bool(check.get("swapped_axes") or check.get("wrong_crs"))
            rows.append(
                {
                    "name": name,
                    "label": label,
                    "count": 1 if bad else 0,
                    "ok": not bad,
                    "message": check.get("message") or "",
                    "items": [],
                    "more": 0,
                    "blocking": name in blocked_checks,
                    "skipped": False,
                }
            )
            continue
        count = check.get("count")
        listed = check.get("items") or []
        detail = ""
        if name == "invalid_geometries" and count:
            detail = _("repaired: %(r)s, unrepairable: %(u)s") % {
                "r": check.get("repaired", 0),
                "u": check.get("unrepairable", 0),
            }
        elif name == "outside_city" and count:
            detail = _("%(share)s%% of features") % {"share": round(100 * check.get("share", 0), 1)}
        elif name in ("overlaps", "gaps"):
            detail = _("tolerance %(tol)s m²") % {"tol": check.get("tolerance_m2", 0)}
        elif name == "duplicate_keys":
            detail = _("key: %(cols)s") % {"cols": ", ".join(check.get("columns") or [])}
        rows.append(
            {
                "name": name,
                "label": label,
                "count": count,
                "ok": not count,
                "skipped": bool(check.get("skipped")),
                "message": detail,
                "items": [_item_text(i) for i in listed[:items]],
                "more": max(0, (count or 0) - min(len(listed), items)) if listed else 0,
                "blocking": name in blocked_checks,
            }
        )
    completeness = sorted(
        (
            {"name": k, "percent": round(100 * v, 1)}
            for k, v in (report.get("completeness") or {}).items()
        ),
        key=lambda r: (r["percent"], r["name"]),
    )
    return {
        "score": report.get("score"),
        "feature_count": report.get("feature_count"),
        "rows": rows,
        "blocking": blocking,
        "completeness": completeness,
        "published": report.get("published") or {},
        "key_columns": report.get("key_columns") or [],
        "has_report": bool(checks),
    }


def _map_preview(dataset: Dataset, current: DatasetVersion | None) -> dict[str, Any] | None:
    """Config for the preview map: the dataset's own layer or the matching spine layer, its
    zoom range and the area it opens on (:func:`selectors.preview_area`: a sample of a large
    dataset, at a zoom where the layer shows)."""
    if current is None or not current.has_data:
        return None
    if dataset.target == "generic":
        name = f"ds-{dataset.slug}"
    elif dataset.target in SPINE_MAP_LAYERS:
        name = dataset.target
    else:
        return None
    tile_layer = layer_get(name)
    if tile_layer is None:
        return None
    try:
        area = selectors.preview_area(tile_layer.table)
    except Exception:  # noqa: BLE001 — a preview never breaks the page
        area = None
    geometry = tile_layer.geometry
    kind = "point" if "point" in geometry else "line" if "line" in geometry else "polygon"
    return {
        "layer": name,
        "tiles": f"/tiles/{name}/{{z}}/{{x}}/{{y}}.mvt",
        "geometry": kind,
        "minzoom": tile_layer.minzoom,
        "maxzoom": tile_layer.max_zoom,
        "bbox": area.bbox if area else None,
        "extent": area.extent if area else None,
        "sampled": bool(area and area.sampled),
    }


def target_label(target: str) -> str:
    """The spine layer a dataset feeds, in words ("buildings" → "budynki")."""
    try:
        return str(get_target(target).label)
    except JobError:  # an unknown target (removed since) keeps its code
        return target


def _preview_i18n() -> dict[str, Any]:
    return {
        "ready": plural_forms(
            lambda n: ngettext(
                "Map preview ready: %(n)s feature in view.",
                "Map preview ready: %(n)s features in view.",
                n,
            )
        ),
        "sampled": plural_forms(
            lambda n: ngettext(
                "Map preview ready: it shows a part of the dataset, %(n)s feature in view; "
                "move the map or zoom out to see the rest.",
                "Map preview ready: it shows a part of the dataset, %(n)s features in view; "
                "move the map or zoom out to see the rest.",
                n,
            )
        ),
        "empty": _("There are no features of the dataset in this view; move the map."),
        "zoomIn": _("The layer shows from zoom %(zoom)s: zoom in to see the features."),
        "error": _("The map preview could not be loaded."),
    }


# --------------------------------------------------------------------------- catalogue


def catalogue(request: HttpRequest) -> HttpResponse:
    filters = selectors.valid_filters(filters_from(request))
    staff = permissions.is_staff_member(request.user)
    filters.archived = staff and request.GET.get("archiwum") == "1"
    qs = selectors.catalogue(request.user, filters)
    page = Paginator(qs, PAGE_SIZE).get_page(_page_number(request))
    groups = selectors.facet_groups(request.user, filters, qs)
    selected = {k: v for k, v in filters.__dict__.items() if v and k not in ("q", "archived")}
    for group in groups:
        _facet_links(request, group, selected.get(group["param"], ""))
    return render(
        request,
        "datahub/catalogue.html",
        {
            "filters": filters,
            "page": page,
            "results": selectors.catalogue_results(page.object_list, _language()),
            "facet_groups": groups,
            "any_filter": bool(selected or filters.q),
            "hidden_filters": sorted(selected.items())
            + ([("archiwum", "1")] if filters.archived else []),
            "page_query": _query_without(request, "strona"),
            "can_create": permissions.can_manage(request.user),
            "can_see_archived": staff,
        },
    )


def _facet_links(request: HttpRequest, group: dict[str, Any], selected: str) -> None:
    """A facet group's links: each value toggles its filter, keeping the other filters (and
    going back to the first page)."""
    param = group["param"]
    group["selected"] = selected
    group["links"] = [
        {
            "value": value,
            "label": label,
            "count": count,
            "selected": selected == value,
            "url": "?"
            + _query_without(
                request, param, "strona", **{param: "" if selected == value else value}
            ),
        }
        for value, label, count in group["items"]
    ]


def stale(request: HttpRequest) -> HttpResponse:
    groups = selectors.stale_datasets(request.user)
    language = _language()
    for group in groups:
        for row in group["datasets"]:
            row["title"] = row["dataset"].title(language)
    return render(request, "datahub/stale.html", {"groups": groups})


# --------------------------------------------------------------------------- dataset


def dataset_detail(request: HttpRequest, slug: str) -> HttpResponse:
    dataset = _visible_dataset(request, slug)
    language = _language()
    # (versions never accepted only for those who manage the dataset: permissions)
    visible = permissions.versions_visible(request.user, dataset)
    versions = list(visible.select_related("created_by").order_by("-number"))
    current = next((v for v in versions if v.is_current), None)
    for v in versions:
        v.format_label = FORMAT_NAMES.get(v.format, v.format)
        v.can_compare = bool(
            current is not None
            and current.has_data
            and not v.is_current
            and v.status in (DatasetVersion.Status.READY, DatasetVersion.Status.REJECTED)
        )
    table = None
    if current and current.has_data:
        count = current.feature_count or 0
        pages = max(1, -(-count // TABLE_PAGE))
        number = min(_page_number(request), pages)
        try:
            columns, rows = selectors.version_features(
                current, limit=TABLE_PAGE, offset=(number - 1) * TABLE_PAGE
            )
        except Exception:  # noqa: BLE001 — a missing table must not break the page
            columns, rows = [], []
        # (columns named by the spine field they feed or the file's name, codes in words)
        headers, cells = selectors.labelled_table(dataset, current, columns, rows)
        table = {
            "columns": columns,
            "headers": headers,
            "rows": cells,
            "page": number,
            "pages": pages,
            "count": count,
            "first": (number - 1) * TABLE_PAGE + 1 if rows else 0,
            "last": (number - 1) * TABLE_PAGE + len(rows),
            "prev": number - 1 if number > 1 else None,
            "next": number + 1 if number < pages else None,
        }
    stale_since = dataset.stale_since()
    archived = dataset.archived_at is not None
    # (an archived dataset's tiles and downloads answer 404: neither is offered)
    preview = None if archived else _map_preview(dataset, current)
    can_manage = permissions.can_manage(request.user, dataset)
    # Versions this user may download, newest first (rejected ones only for managers).
    statuses = permissions.download_statuses(request.user, dataset)
    downloadable = [] if archived else [v for v in versions if v.status in statuses]
    for v in versions:
        v.can_download = v in downloadable
    chosen = current if current in downloadable else (downloadable[0] if downloadable else None)
    context = {
        "dataset": dataset,
        "title": dataset.title(language),
        "description": dataset.description(language),
        "versions": versions,
        "current": current,
        "quality": quality_view(current.quality) if current else None,
        "table": table,
        "stale_since": stale_since,
        "geometry_label": geometry_label(current.geometry_type) if current else "",
        "target_label": target_label(dataset.target),
        "freshness": "stale" if stale_since else ("fresh" if current else "none"),
        "preview": preview,
        # the declared coverage (dct:spatial) first, else the extent of the current data
        "coverage_bbox": selectors.coverage_bbox(dataset) or (preview or {}).get("extent"),
        "preview_i18n": _preview_i18n(),
        "can_manage": can_manage,
        "can_archive": permissions.can_archive(request.user, dataset),
        "can_delete": permissions.can_delete(request.user, dataset),
        "export_formats": [(f, FORMAT_LABELS[f]) for f in EXPORT_FORMATS],
        "download_crs": DOWNLOAD_CRS,
        "download_url": reverse("api-dataset-download", args=[dataset.slug]),
        "downloadable": downloadable,
        "download_version": chosen,
        "frequency_period": FREQUENCY_PERIOD.get(dataset.frequency),
        "is_irregular": dataset.frequency in (Frequency.IRREG, Frequency.NEVER, Frequency.UNKNOWN),
    }
    return render(request, "datahub/dataset.html", context)


def quality_page(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    dataset = _visible_dataset(request, slug)
    version = permissions.versions_visible(request.user, dataset).filter(number=number).first()
    if version is None:
        raise Http404(_("This dataset has no such version."))
    return render(
        request,
        "datahub/quality.html",
        {
            "dataset": dataset,
            "title": dataset.title(_language()),
            "version": version,
            "quality": quality_view(version.quality, items=100),
        },
    )


def diff_page(request: HttpRequest, slug: str) -> HttpResponse:
    dataset = _visible_dataset(request, slug)
    # a version the user may not see is no version at all (404, as for a number never used)
    versions = list(permissions.versions_visible(request.user, dataset).order_by("-number"))
    comparable = [
        v
        for v in versions
        if v.status in (DatasetVersion.Status.READY, DatasetVersion.Status.REJECTED)
    ]
    current = next((v for v in versions if v.is_current), None)
    error = ""
    diff = None

    def pick(name: str, default: DatasetVersion | None) -> DatasetVersion | None:
        raw = request.GET.get(name, "")
        if raw == "":
            return default
        if not (raw.isascii() and raw.isdigit()):  # not "¹", which int() refuses
            return None
        found = next((v for v in versions if v.number == int(raw)), None)
        if found is None:
            raise Http404(_("This dataset has no such version."))
        return found

    a = pick("od", comparable[1] if len(comparable) > 1 else None)
    b = pick("do", current or (comparable[0] if comparable else None))
    if a is None or b is None:
        error = _("Choose two imported versions of this dataset to compare.")
    elif a.pk == b.pk:
        error = _("Choose two different versions.")
    elif a not in comparable or b not in comparable:
        error = _("Only versions that were imported can be compared.")
    else:
        try:
            diff = version_diff(a, b)
        except JobError as exc:
            error = str(exc)
    return render(
        request,
        "datahub/diff.html",
        {
            "dataset": dataset,
            "title": dataset.title(_language()),
            "versions": comparable,
            "a": a,
            "b": b,
            "diff": diff,
            "lists": _diff_lists(diff) if diff else [],
            "error": error,
        },
    )


def _diff_lists(diff: dict[str, Any]) -> list[tuple[str, Any, list[str]]]:
    def text(row: dict[str, Any], version: int, fid: Any) -> str:
        label = _("feature %(fid)s of version %(v)s") % {"fid": fid, "v": version}
        return f"{row['key']} — {label}" if row.get("key") is not None else label

    return [
        ("added", _("Added"), [text(r, diff["to"], r["fid"]) for r in diff["added"]]),
        ("removed", _("Removed"), [text(r, diff["from"], r["fid"]) for r in diff["removed"]]),
        (
            "changed",
            pgettext("diff", "Changed"),
            [
                text(r, diff["to"], r["fid_to"])
                + " "
                + _("(was feature %(fid)s)") % {"fid": r["fid_from"]}
                for r in diff["changed"]
            ],
        ),
    ]


@require_POST
def make_current(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    if (response := _login_required(request)) is not None:
        return response
    dataset = _managed_dataset(request, slug)
    version = dataset.versions.filter(number=number).first()
    if version is None:
        raise Http404(_("This dataset has no such version."))
    if request.POST.get("confirm") != "yes":
        messages.error(
            request, _("Confirm that version %(n)s should become current.") % {"n": number}
        )
        return redirect(reverse("datahub:dataset", args=[dataset.slug]) + "#wersje")
    try:
        version_set_current(version, request.user)
    except JobError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Version %(n)s is now current.") % {"n": number})
    return redirect(reverse("datahub:dataset", args=[dataset.slug]) + "#wersje")


# --------------------------------------------------------------------------- create, import


@require_http_methods(["GET", "POST"])
def dataset_create(request: HttpRequest) -> HttpResponse:
    if (response := _login_required(request)) is not None:
        return response
    if not permissions.can_manage(request.user):
        raise PermissionDenied(_("Only data stewards may create datasets."))
    form = DatasetForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items()}
        if fields.get("key_field"):
            fields["key_field"] = launder(fields["key_field"])
        try:
            dataset = create(user=request.user, **fields)
        except (ValidationError, JobError) as exc:
            form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))
        else:
            request.session[SESSION_CREATED] = [
                *request.session.get(SESSION_CREATED, [])[-9:],
                dataset.pk,
            ]
            messages.success(request, _("Dataset created. Now upload its first version."))
            return redirect("datahub:import", slug=dataset.slug)
    return render(
        request, "datahub/dataset_form.html", {"form": form}, status=400 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
def dataset_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Edit a dataset's metadata: data stewards of the owner unit and administrators."""
    if (response := _login_required(request)) is not None:
        return response
    dataset = _managed_dataset(request, slug)
    # The form and the update work on their own copies: a rejected edit must not show up in
    # the page's title or breadcrumbs.
    form = DatasetEditForm(
        request.POST if request.method == "POST" else None,
        instance=Dataset.objects.get(pk=dataset.pk),
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        try:
            dataset_update(Dataset.objects.get(pk=dataset.pk), user=request.user, **form.updates())
        except (ValidationError, JobError) as exc:
            form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(request, _("The dataset's metadata was saved."))
            return redirect("datahub:dataset", slug=dataset.slug)
    return render(
        request,
        "datahub/dataset_form.html",
        {
            "form": form,
            "dataset": dataset,
            "title": dataset.title(_language()),
            "editing": True,
            "rules": form.default_rules(),
        },
        status=400 if form.errors else 200,
    )


def _too_large(request: HttpRequest) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > max_upload_bytes() + 64 * 1024  # multipart overhead


@csrf_exempt
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest, slug: str) -> HttpResponse:
    # The size guard must run before the CSRF check reads the body (Django's documented way).
    if request.method == "POST" and _too_large(request):
        # Answer at once, without reading the body.
        if (response := _login_required(request)) is not None:
            return response
        return _too_large_response(request, _managed_dataset(request, slug))
    request.upload_handlers.insert(0, LimitedUploadHandler(request, max_upload_bytes()))
    return _import_upload(request, slug)


def _upload_context(dataset: Dataset) -> dict[str, Any]:
    return {
        "dataset": dataset,
        "title": dataset.title(_language()),
        "limit": filesizeformat(max_upload_bytes()),
    }


def _too_large_response(request: HttpRequest, dataset: Dataset) -> HttpResponse:
    context = _upload_context(dataset)
    context["form"] = UploadForm(dataset=dataset)
    context["upload_error"] = _("The file is too large; the limit is %(limit)s.") % {
        "limit": context["limit"]
    }
    response = render(request, "datahub/import_upload.html", context, status=413)
    response["Connection"] = "close"
    return response


@csrf_protect
def _import_upload(request: HttpRequest, slug: str) -> HttpResponse:
    """Step 1: upload a file (and declare its CRS); it is checked and described."""
    if (response := _login_required(request)) is not None:
        return response
    dataset = _managed_dataset(request, slug)
    context = _upload_context(dataset)
    posted = request.method == "POST"
    files = request.FILES if posted else None  # parsed here at the latest: sets the flag
    if posted and getattr(request, "upload_too_large", False):
        return _too_large_response(request, dataset)
    form = UploadForm(request.POST if posted else None, files, dataset=dataset)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        token = secrets.token_hex(16)
        folder = upload_dir_root() / token
        folder.mkdir(parents=True, exist_ok=False)
        name = safe_filename(upload.name)
        path = folder / name
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        try:
            inspection = upload_inspect(path, name)
        except JobError as exc:
            shutil.rmtree(folder, ignore_errors=True)
            form.add_error("file", str(exc))
        else:
            uploads = request.session.get(SESSION_UPLOADS, {})
            # keep the session small: the five latest uploads
            for old in list(uploads)[:-4]:
                shutil.rmtree(upload_dir_root() / old, ignore_errors=True)
                uploads.pop(old, None)
            uploads[token] = {
                "dataset_id": dataset.pk,
                "path": str(path),
                "source_name": upload.name[:255],
                "crs": form.cleaned_data.get("crs") or "",
                "target": form.cleaned_data.get("target") or dataset.target,
                "format": inspection.format,
            }
            request.session[SESSION_UPLOADS] = uploads
            step = "import-layers" if several_layers(inspection.layers) else "import-mapping"
            return redirect(f"datahub:{step}", slug=dataset.slug, token=token)
    context["form"] = form
    return render(
        request, "datahub/import_upload.html", context, status=400 if form.errors else 200
    )


def _session_upload(request: HttpRequest, dataset: Dataset, token: str) -> dict[str, Any] | None:
    """The upload ``token`` of this session for ``dataset``, if its file is still there."""
    upload = request.session.get(SESSION_UPLOADS, {}).get(token) if TOKEN_RE.match(token) else None
    if not upload or upload.get("dataset_id") != dataset.pk or not Path(upload["path"]).exists():
        return None
    return dict(upload)


def _upload_step(
    request: HttpRequest, slug: str, token: str
) -> tuple[Dataset, dict[str, Any], UploadInspection] | HttpResponse:
    """The dataset, the session's upload and its inspection for a step after the upload; or
    the answer sending the steward back to upload again."""
    if (response := _login_required(request)) is not None:
        return response
    dataset = _managed_dataset(request, slug)
    upload = _session_upload(request, dataset, token)
    if upload is None:
        messages.error(request, _("The uploaded file is no longer available; upload it again."))
        return redirect("datahub:import", slug=dataset.slug)
    path = Path(upload["path"])
    try:
        inspection = upload_inspect(path, path.name)
        get_target(upload["target"])
    except JobError as exc:
        messages.error(request, str(exc))
        return redirect("datahub:import", slug=dataset.slug)
    return dataset, upload, inspection


def _save_upload(request: HttpRequest, token: str, upload: dict[str, Any] | None) -> None:
    """Store (``None``: forget) the session's upload ``token``."""
    uploads = request.session.get(SESSION_UPLOADS, {})
    if upload is None:
        uploads.pop(token, None)
    else:
        uploads[token] = upload
    request.session[SESSION_UPLOADS] = uploads


@require_http_methods(["GET", "POST"])
def import_layers(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """Step 2 of a file with several layers: which layers to import — one, several (as one
    dataset with a ``layer`` attribute, or as separate datasets) or all."""
    found = _upload_step(request, slug, token)
    if isinstance(found, HttpResponse):
        return found
    dataset, upload, inspection = found
    posted = request.method == "POST"
    data = request.POST.copy() if posted else None
    if data is not None and data.get("action") == "all":
        data.setlist("layers", [lyr.name for lyr in inspection.layers])
    form = LayersForm(data, layers=inspection.layers, initial={"layers": upload.get("layers")})
    if posted and form.is_valid():
        upload["layers"] = form.cleaned_data["layers"]
        upload["mode"] = form.cleaned_data["mode"]
        _save_upload(request, token, upload)
        return redirect("datahub:import-mapping", slug=dataset.slug, token=token)
    return render(
        request,
        "datahub/import_layers.html",
        {
            "dataset": dataset,
            "title": dataset.title(_language()),
            "form": form,
            "inspection": inspection,
            "rows": [(lyr, form["layers"][i]) for i, lyr in enumerate(inspection.layers)],
            "upload": upload,
            "token": token,
        },
        status=400 if form.errors else 200,
    )


def _chosen_layer(
    request: HttpRequest, upload: dict[str, Any], inspection: UploadInspection
) -> tuple[LayerInfo, list[str], list[LayerInfo]]:
    """The layer the mapping is made on (several chosen as one dataset: all of them merged),
    the names of the layers chosen on the layers step, and the layers to choose from here
    (a file with several layers of which one has a geometry)."""
    chosen = [inspection.layer(name) for name in upload.get("layers") or []]
    if chosen:
        one = upload.get("mode") == LayersForm.ONE and len(chosen) > 1
        return (merged_layer(chosen) if one else chosen[0]), [c.name for c in chosen], []
    layer_name = request.POST.get("layer") or request.GET.get("warstwa") or None
    names = [lyr.name for lyr in inspection.layers]
    layer = inspection.layer(layer_name if layer_name in names else None)
    return layer, [], inspection.layers


@require_http_methods(["GET", "POST"])
def import_mapping(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """Step 2 (3 after the layers): map the file's attributes to the target's fields, confirm
    a preset, choose column types, then queue the import."""
    found = _upload_step(request, slug, token)
    if isinstance(found, HttpResponse):
        return found
    dataset, upload, inspection = found
    if not upload.get("layers") and several_layers(inspection.layers):
        return redirect("datahub:import-layers", slug=dataset.slug, token=token)
    path, target = Path(upload["path"]), get_target(upload["target"])
    layer, chosen, selectable = _chosen_layer(request, upload, inspection)
    data = request.POST if request.method == "POST" else None
    if data is not None and data.get("action") == "layer":
        data = None
    form = MappingForm(
        data,
        layers=selectable,
        layer=layer,
        target=target,
        saved=dataset.field_mapping,
        key_field=dataset.key_field,
    )
    csv = inspection.format == "csv" and path.suffix.lower() == ".csv"
    types = ColumnTypesForm(data, columns=detected_types(layer, path, csv))
    preset = preset_for(path, inspection.format, layer)
    if data is not None and form.is_valid() and types.is_valid():
        choice = ImportChoice(
            layer=layer.name if len(inspection.layers) > 1 and not chosen else None,
            layers=chosen,
            separate=upload.get("mode") == LayersForm.SEPARATE,
            column_types=types.column_types(),
            preset=_preset_choice(preset, data.get("preset")),
        )
        job = _queue_imports(request, dataset, upload, form, choice)
        if job is not None:
            _save_upload(request, token, None)
            return redirect("datahub:job", pk=job.pk)
    return render(
        request,
        "datahub/import_mapping.html",
        {
            "dataset": dataset,
            "title": dataset.title(_language()),
            "form": form,
            "types_form": types,
            "preset": preset,
            "inspection": inspection,
            "layer": layer,
            "chosen_layers": chosen,
            "separate": upload.get("mode") == LayersForm.SEPARATE and len(chosen) > 1,
            "target": target,
            "upload": upload,
            "token": token,
        },
        status=400 if form.errors or types.errors else 200,
    )


def _created_here(request: HttpRequest, dataset: Dataset) -> bool:
    """Did this session make ``dataset`` for the import it asks for now (no version yet)?"""
    made = request.session.get(SESSION_CREATED, [])
    return dataset.pk in made and not dataset.versions.exists()


def _preset_choice(shown: dict[str, Any] | None, confirmed: str | None) -> str | None:
    """The preset the import reads the file with: the one shown when the steward kept it
    ticked, ``"none"`` when they unticked it (else the import would recognise it anyway),
    ``None`` when the page showed none."""
    if shown is None:
        return None
    return shown["key"] if confirmed == shown["key"] else NO_PRESET


@dataclass(frozen=True)
class ImportChoice:
    """What the steward chose for an import besides the mapping: the layer (of a file with
    several where one has a geometry), the layers chosen on the layers step (``separate``:
    a dataset for each), the column types and the confirmed preset's key."""

    layer: str | None
    layers: list[str]
    separate: bool
    column_types: dict[str, str]
    preset: str | None


def _queue_imports(
    request: HttpRequest,
    dataset: Dataset,
    upload: dict[str, Any],
    form: MappingForm,
    choice: ImportChoice,
) -> Job | None:
    """Save the mapping on the dataset and queue its import (and, for separate datasets,
    one more dataset and import per further layer); the first job, or ``None`` with the
    form's error."""
    target = get_target(upload["target"])
    mapping = form.mapping()
    updates: dict[str, Any] = {"field_mapping": mapping}
    if "key_field" in form.fields:
        updates["key_field"] = launder(form.cleaned_data.get("key_field") or "")
    if not dataset.versions.exists():
        updates["target"] = target.key
    payload = {
        "dataset_id": dataset.pk,
        "path": upload["path"],
        "source_name": upload["source_name"],
        "crs": upload.get("crs") or None,
        "layer": choice.layer,
        "source_layers": [] if choice.separate else choice.layers,
        "user_id": request.user.pk,
        "mapping": mapping if target.fields else None,
        "column_types": choice.column_types or None,
        "preset": choice.preset,
        "created_dataset": _created_here(request, dataset),
    }
    try:
        dataset_update(dataset, user=request.user, **updates)
        others = [
            (layer_dataset(dataset, name, request.user, mapping), name)
            for name in (choice.layers[1:] if choice.separate else [])
        ]
    except (ValidationError, JobError) as exc:
        form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))
        return None
    if choice.separate and choice.layers:
        payload["layer"] = choice.layers[0]
    job = job_enqueue(kind="datahub.import", payload=payload, user=request.user)
    for other, name in others:
        extra = {"dataset_id": other.pk, "path": str(copy_upload(Path(upload["path"])))}
        job_enqueue(
            kind="datahub.import", payload={**payload, **extra, "layer": name}, user=request.user
        )
        messages.info(
            request,
            _("The layer “%(layer)s” is imported as the dataset “%(title)s”.")
            % {"layer": name, "title": other.title_pl},
        )
    return job


# --------------------------------------------------------------------------- jobs


def job_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Progress of a background job; refreshes itself (JS polling, or a meta refresh)."""
    if (response := _login_required(request)) is not None:
        return response
    job = Job.objects.filter(pk=pk).first()
    if job is None or not (
        permissions.is_admin(request.user) or job.created_by_id == request.user.pk
    ):
        raise Http404(_("There is no such job."))
    dataset = None
    if job.kind == "datahub.import":
        dataset = Dataset.objects.filter(pk=job.payload.get("dataset_id")).first()
        if dataset is not None and not permissions.can_view(request.user, dataset):
            dataset = None
        if job.status in (Job.Status.DONE, Job.Status.FAILED):
            upload_remove(job.payload.get("path"))
    result = job.result or {}
    return render(
        request,
        "datahub/job.html",
        {
            "job": job,
            "dataset": dataset,
            "running": job.status in (Job.Status.QUEUED, Job.Status.RUNNING),
            "result": {k: v for k, v in result.items() if k != "traceback"},
            "blocking": result.get("blocking") or [],
            "job_i18n": {
                "queued": _("Waiting in the queue…"),
                "running": _("Importing: %(progress)s%%"),
                "done": _("Finished."),
                "failed": _("The import failed."),
                "error": _("Could not read the job's progress; the page will retry."),
            },
        },
    )
