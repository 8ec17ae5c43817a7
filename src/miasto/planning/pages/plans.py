"""Planning pages: plan list, plan page, APP GML upload (see :mod:`miasto.planning.pages`).

- ``/planowanie/`` — the plan register: filters (type, status, in force on a date, text),
  counts, an overview map of the plans' boundaries with the table as its equivalent;
- ``/planowanie/plany/<id>/`` — one plan: metadata, legal acts, status history, amendments,
  the zones (map coloured by land use with a legend, and the zone table) in force on a date,
  building lines, OUZ/OZS/OSD areas, the APP GML download;
- ``/planowanie/import/`` — APP GML upload for planners, imported at once (the import of a
  plan takes well under a second; the service is atomic and its Polish error list is shown
  again with the form).
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from miasto.core.http import LimitedUploadHandler
from miasto.core.uploads import max_upload_bytes, safe_filename
from miasto.planning import app_gml, selectors
from miasto.planning.models import BuildingLine, Plan, SpecialArea
from miasto.planning.services import PlanError, plan_import_app
from miasto.planning.statuses import (
    DRAFT_STATUSES,
    ENDING_STATUSES,
    IN_FORCE_STATUSES,
    PlanStatus,
)
from miasto.planning.symbology import legend_for, zone_colour

#: Who may upload APP GML (the planner and administrator roles hold it).
IMPORT_PERMISSION = "planning.add_plan"

#: Overview map of the register: fill colour by plan type (types, not land use — the zone
#: colours of a plan's own map come from :mod:`miasto.planning.symbology`).
KIND_COLOURS: dict[str, str] = {
    Plan.Kind.POG: "#6a3d9a",
    Plan.Kind.MPZP: "#1f78b4",
    Plan.Kind.STUDIUM: "#8c6d31",
    Plan.Kind.ZPI: "#b15928",
    Plan.Kind.REVITALISATION: "#33a02c",
}
#: Status groups of the overview map (outline style) with their legend labels.
STATUS_GROUPS = {
    "draft": gettext_lazy("draft (dashed outline)"),
    "adopted": gettext_lazy("adopted, not yet in force (dotted outline)"),
    "in_force": gettext_lazy("in force (solid outline)"),
    "ended": gettext_lazy("no longer in force (grey, no fill)"),
}

#: Zone parameters in the zone table: (field, label, unit).
PARAMS = (
    ("max_intensity", gettext_lazy("max. building intensity"), ""),
    ("min_intensity", gettext_lazy("min. building intensity"), ""),
    ("max_coverage", gettext_lazy("max. building coverage"), "%"),
    ("min_bio_active", gettext_lazy("min. biologically active area"), "%"),
    ("max_height", gettext_lazy("max. building height"), "m"),
    ("max_storeys", gettext_lazy("max. storeys"), ""),
    ("min_plot_area", gettext_lazy("min. plot area"), "m²"),
    ("parking_ratio", gettext_lazy("parking spaces ratio"), ""),
)

_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def script_json(text: str) -> str:
    """JSON text made safe inside ``<script type="application/json">`` (``<``, ``>`` and ``&``
    only occur inside JSON strings, where the escapes mean the same)."""
    return text.translate(_JSON_ESCAPES)


def streets_tiles_url() -> str:
    """The XYZ template of the city's street tiles (the plan maps' faint background)."""
    return reverse("tile", args=["streets", 0, 0, 0]).replace("/0/0/0.mvt", "/{z}/{x}/{y}.mvt")


def status_group(status: str) -> str:
    if status in DRAFT_STATUSES:
        return "draft"
    if status in IN_FORCE_STATUSES:
        return "in_force"
    if status in ENDING_STATUSES:
        return "ended"
    return "adopted"


def _number(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        value = value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()
    return number_format(value, use_l10n=True)


def _error_page(request: HttpRequest, status: int, message: str) -> HttpResponse:
    title = _("Invalid request") if status == 400 else _("Page not found")
    return render(
        request,
        "planning/plan_error.html",
        {"title": title, "message": message, "status": status},
        status=status,
    )


# --------------------------------------------------------------------------- plan list


class PlanFilterForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Title, identifier or resolution number"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Plan type"),
        required=False,
        choices=[("", gettext_lazy("any type")), *Plan.Kind.choices],
        error_messages={"invalid_choice": gettext_lazy("Unknown plan type “%(value)s”.")},
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("any status")), *PlanStatus.choices],
        error_messages={"invalid_choice": gettext_lazy("Unknown status “%(value)s”.")},
    )
    in_force_on = forms.DateField(
        label=gettext_lazy("In force on"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": gettext_lazy("Enter a date as YYYY-MM-DD, e.g. 2024-05-31.")},
    )

    def clean_q(self) -> str:
        return (self.cleaned_data.get("q") or "").strip()


@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    form = PlanFilterForm(request.GET or None)
    valid = form.is_valid() if form.is_bound else True
    # The fields that are valid still filter (a bad date does not hide every plan).
    filters = {k: v for k, v in (form.cleaned_data if form.is_bound else {}).items() if v}
    plans = list(selectors.plan_search(**filters))
    rows = [
        {
            "plan": p,
            "kind_label": p.get_kind_display(),
            "status_label": PlanStatus(p.status).label,
            "group": status_group(p.status),
            "colour": KIND_COLOURS.get(p.kind, "#555555"),
        }
        for p in plans
    ]
    by_kind = Counter(p.kind for p in plans)
    by_status = Counter(p.status for p in plans)
    kinds_shown = [k for k in Plan.Kind if by_kind[k]]
    context = {
        "form": form,
        "rows": rows,
        "count": len(plans),
        "kind_counts": [(k.label, by_kind[k]) for k in kinds_shown],
        "status_counts": [(s.label, by_status[s]) for s in PlanStatus if by_status[s]],
        "any_filter": bool(filters),
        "map_data": script_json(
            selectors.plan_boundaries_geojson([p.pk for p in plans if p.geom is not None])
        )
        if any(p.geom is not None for p in plans)
        else None,
        "map_style": {
            "kinds": {k: KIND_COLOURS[k] for k in Plan.Kind},
            "groups": {s: status_group(s) for s in PlanStatus},
            "url": reverse("planning:plan", args=[0]).replace("/0/", "/{id}/"),
            "streets": streets_tiles_url(),
        },
        "legend_kinds": [(k.label, KIND_COLOURS[k]) for k in kinds_shown],
        "legend_groups": [
            (g, label) for g, label in STATUS_GROUPS.items() if any(r["group"] == g for r in rows)
        ],
        "can_import": request.user.has_perm(IMPORT_PERMISSION),
        "i18n_js": {
            "selected": _("Plan %(local_id)s: %(title)s — highlighted in the table."),
            "error": _("The map could not be shown; the table lists the same plans."),
        },
    }
    return render(request, "planning/plan_list.html", context, status=200 if valid else 400)


# --------------------------------------------------------------------------- plan page


def _parse_plan_id(raw: str) -> int | None:
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 12 else None


def _as_of(raw: str | None) -> tuple[dt.date | None, str]:
    """(date or None, Polish-first error message)."""
    raw = (raw or "").strip()
    if not raw:
        return None, ""
    try:
        if len(raw) != 10:
            raise ValueError
        return dt.date.fromisoformat(raw), ""
    except ValueError:
        return None, _("“%(value)s” is not a date; enter it as YYYY-MM-DD, e.g. 2024-05-31.") % {
            "value": raw[:30]
        }


def _colours(symbols: list[str]) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """Colour of each zone symbol and the legend rows (classes present, with their symbols),
    from :mod:`miasto.planning.symbology` — the same colours as the wyrys and the analyses."""
    return {s: zone_colour(s) for s in symbols}, legend_for(symbols)


def _zone_rows(zones: list[Any], colours: dict[str, str]) -> list[dict[str, Any]]:
    rows = []
    for z in zones:
        params = [
            {"label": label, "value": _number(getattr(z, name)), "unit": unit}
            for name, label, unit in PARAMS
            if getattr(z, name) is not None
        ]
        rows.append(
            {
                "zone": z,
                "colour": colours.get(z.symbol, "#999999"),
                "land_use": ", ".join(z.land_use_classes or []),
                "additional": ", ".join(z.additional_profile or []),
                "params": params,
            }
        )
    return rows


@require_GET
def plan_detail(request: HttpRequest, plan_id: str) -> HttpResponse:
    pk = _parse_plan_id(plan_id)
    if pk is None:
        return _error_page(
            request,
            400,
            _("The plan identifier must be a number, got “%(value)s”.") % {"value": plan_id[:30]},
        )
    plan = Plan.objects.select_related("amends").filter(pk=pk).first()
    if plan is None:
        return _error_page(request, 404, _("There is no plan with identifier %(id)s.") % {"id": pk})
    as_of, as_of_error = _as_of(request.GET.get("as_of"))
    shown_on = as_of
    last_day = None
    if as_of is None and plan.status in ENDING_STATUSES and plan.valid_to:
        # no zone of a plan that ended is current: show those of its last day
        shown_on = last_day = plan.valid_to - dt.timedelta(days=1)
    zones = list(selectors.plan_zones_on(plan, shown_on))
    symbols = sorted({z.symbol for z in zones})
    colours, legend = _colours(symbols)
    lines = list(selectors.plan_building_lines_on(plan, shown_on))
    specials = list(selectors.plan_special_areas_on(plan, shown_on))
    is_staff = request.user.is_staff
    context = {
        "plan": plan,
        "kind_label": plan.get_kind_display(),
        "status_label": PlanStatus(plan.status).label,
        "group": status_group(plan.status),
        "as_of": as_of,
        "as_of_raw": (request.GET.get("as_of") or "")[:30],
        "as_of_error": as_of_error,
        "last_day": last_day,
        "today": dt.date.today(),
        "zones": _zone_rows(zones, colours),
        "legend": legend,
        "lines": [
            {
                "line": b,
                "kind_label": BuildingLine.Kind(b.kind).label,
                "length": _number(round(b.length_m.m)),
            }
            for b in lines
        ],
        "specials": [
            {
                "area": s,
                "kind_label": SpecialArea.Kind(s.kind).label,
                "hectares": _number(Decimal(s.area_m2.sq_m / 10_000).quantize(Decimal("0.01"))),
                "attributes": sorted((s.attributes or {}).items()),
            }
            for s in specials
        ],
        "legal_acts": list(plan.legal_acts.order_by("date", "id")),
        "history": [
            {
                "change": c,
                "from_label": PlanStatus(c.from_status).label if c.from_status else "",
                "to_label": PlanStatus(c.to_status).label,
                "actor": c.actor_name if is_staff else "",
            }
            for c in plan.status_changes.order_by("created_at", "id")
        ],
        "show_actor": is_staff,
        "amendments": [
            {"plan": a, "status_label": PlanStatus(a.status).label}
            for a in plan.amendments.order_by("valid_from", "id")
        ],
        "amends_status": PlanStatus(plan.amends.status).label if plan.amends else "",
        "map_data": script_json(selectors.plan_page_geojson(plan.pk, shown_on)),
        "map_style": {"colours": colours, "streets": streets_tiles_url()},
        "can_import": request.user.has_perm(IMPORT_PERMISSION),
        "can_edit": request.user.has_perm("planning.change_plan") and is_staff,
        "i18n_js": {
            "selected": _("Zone %(designation)s (%(symbol)s) — highlighted in the table."),
            "shown": _("Zone %(designation)s shown on the map."),
            "error": _("The map could not be shown; the zone table lists the same zones."),
        },
    }
    return render(request, "planning/plan_detail.html", context, status=400 if as_of_error else 200)


# --------------------------------------------------------------------------- APP GML upload


def upload_limit() -> int:
    """The data hub's upload limit (``MIASTO_UPLOAD_MAX_BYTES``), not above what the APP
    reader accepts."""
    return min(max_upload_bytes(), app_gml.MAX_BYTES)


class AppUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("APP GML file"),
        help_text=gettext_lazy(
            "A planning act (AktPlanowaniaPrzestrzennego) or its zones, OUZ/OZS/OSD areas and "
            "documents, in the APP 2.0 schema (.gml or .xml)."
        ),
        error_messages={"required": gettext_lazy("Choose a file to import.")},
        widget=forms.ClearableFileInput(attrs={"accept": ".gml,.xml"}),
    )
    plan = forms.TypedChoiceField(
        label=gettext_lazy("Plan"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=gettext_lazy(
            "Optional: the plan the file belongs to (a new version of its zones). Without it, "
            "the plan is found by its identifier (idIIP) or created from the file's act."
        ),
        error_messages={"invalid_choice": gettext_lazy("There is no such plan.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plan = self.fields["plan"]
        assert isinstance(plan, forms.ChoiceField)
        plan.choices = [
            ("", _("— find or create from the file —")),
            *(
                (p.pk, f"{p.local_id} — {p.title}"[:160])
                for p in Plan.objects.order_by("kind", "local_id", "id").only(
                    "id", "local_id", "title"
                )
            ),
        ]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        suffix = Path(upload.name or "").suffix.lower()
        if suffix not in (".gml", ".xml"):
            raise forms.ValidationError(
                _("The file must be APP GML (.gml or .xml), got “%(name)s”.")
                % {"name": (upload.name or "")[:80]}
            )
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return upload


def _upload_context(form: AppUploadForm) -> dict[str, Any]:
    return {"form": form, "limit": filesizeformat(upload_limit())}


def _too_large(request: HttpRequest) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > upload_limit() + 64 * 1024  # multipart overhead


def _too_large_response(request: HttpRequest) -> HttpResponse:
    context = _upload_context(AppUploadForm())
    context["upload_error"] = _("The file is too large; the limit is %(limit)s.") % {
        "limit": context["limit"]
    }
    response = render(request, "planning/upload.html", context, status=413)
    response["Connection"] = "close"
    return response


def _may_import(request: HttpRequest) -> HttpResponse | None:
    """A login redirect for anonymous users; 403 without the planner role."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.has_perm(IMPORT_PERMISSION):
        raise PermissionDenied(_("Only planners may import plans."))
    return None


@csrf_exempt
@require_http_methods(["GET", "POST"])
def app_upload(request: HttpRequest) -> HttpResponse:
    # The size guard runs before the CSRF check reads the body (as in the data hub).
    if (response := _may_import(request)) is not None:
        return response
    if request.method == "POST" and _too_large(request):
        return _too_large_response(request)
    request.upload_handlers.insert(0, LimitedUploadHandler(request, upload_limit()))
    return _app_upload(request)


def _store(upload: Any, folder: Path) -> Path:
    target = folder / safe_filename(upload.name or "upload.gml")
    with target.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return target


@csrf_protect
def _app_upload(request: HttpRequest) -> HttpResponse:
    posted = request.method == "POST"
    files = request.FILES if posted else None  # parsed here at the latest: sets the flag
    if posted and getattr(request, "upload_too_large", False):
        return _too_large_response(request)
    initial = {}
    if not posted and (pk := _parse_plan_id(request.GET.get("plan", ""))) is not None:
        initial["plan"] = pk
    form = AppUploadForm(request.POST if posted else None, files, initial=initial)
    context = _upload_context(form)
    if posted and form.is_valid():
        plan_pk = form.cleaned_data.get("plan")
        target = Plan.objects.filter(pk=plan_pk).first() if plan_pk else None
        folder = Path(tempfile.mkdtemp(prefix="miasto-app-upload-"))
        try:
            stored = _store(form.cleaned_data["file"], folder)
            result = plan_import_app(path=stored, plan=target)  # audited as the user
        except PlanError as exc:
            context["import_error"] = exc.message
            context["problems"] = [str(p) for p in exc.problems]
        else:
            messages.success(request, result.summary().split("\n", 1)[0])
            for warning in result.warnings:
                messages.warning(request, str(warning))
            return redirect("planning:plan", plan_id=result.plan.pk)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    failed = bool(form.errors or context.get("import_error"))
    return render(request, "planning/upload.html", context, status=400 if failed else 200)


urlpatterns = [
    path("planowanie/", plan_list, name="plans"),
    path("planowanie/plany/<str:plan_id>/", plan_detail, name="plan"),
    path("planowanie/import/", app_upload, name="import"),
]
