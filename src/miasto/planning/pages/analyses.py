"""Planning pages: the analyses — coverage by local plans, building capacity and the housing
balance, conflicts with constraints, accessibility standards (see :mod:`miasto.planning.pages`).

Each page has a map (districts coloured by the page's figure; conflict areas; accessibility
gaps), a chart (inline SVG drawn here) and a table with the same numbers, plus a CSV link to
the API. Views stay thin: the figures come from :mod:`miasto.planning.analyses`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from miasto.accessibility.selectors import accessibility_summary
from miasto.core.errors import InvalidParameter
from miasto.core.formats import plain_date
from miasto.core.http import int_value
from miasto.core.jobs import may_start, pending_job, start_job
from miasto.planning.analyses import charts
from miasto.planning.analyses.capacity import capacity, capacity_stored, housing_balance
from miasto.planning.analyses.common import districts, districts_geojson
from miasto.planning.analyses.config import SEVERITIES, analysis_config_for
from miasto.planning.analyses.conflicts import (
    ConflictFilters,
    conflicts,
    conflicts_geojson,
    conflicts_of_plan,
)
from miasto.planning.analyses.coverage import coverage_series
from miasto.planning.analyses.params import (
    CoverageRange,
    conflict_filters,
    coverage_params,
    forecast_params,
)
from miasto.planning.pages import computing_response
from miasto.planning.zoneset import ZoneSet

SEVERITY_COLOURS = {"error": "#b00020", "warning": "#b45f06", "info": "#5b3d8c"}
#: parcels of the capacity layer: (lowest potential dwellings, colour) — as in analysis.js
CAPACITY_CLASSES = ((0, "#fee6ce"), (1, "#fdae6b"), (10, "#e6550d"), (50, "#a63603"))


def _n(value: Any, digits: int = 0) -> str:
    if value is None:
        return "—"
    return number_format(round(float(value), digits), digits, force_grouping=True)


def _pct(value: Any, digits: int = 1) -> str:
    if value is None:
        return "—"
    return f"{number_format(round(float(value) * 100, digits), digits)} %"


def _ha(m2: Any) -> float | None:
    return None if m2 is None else round(float(m2) / 10_000, 2)


def _choropleth(
    values: dict[str, float | None], label: Callable[[float], str], title: str
) -> dict[str, Any]:
    """The district map: outlines with a fill per class of the figure, and the legend."""
    breaks = charts.classes(list(values.values()))
    colours = charts.SEQUENTIAL[-len(breaks) :] if breaks else ()
    geo = districts_geojson()
    for feature in geo["features"]:
        code = feature["properties"]["code"]
        value = values.get(code)
        feature["properties"]["colour"] = charts.class_colour(value, breaks)
        feature["properties"]["label"] = label(value) if value is not None else "—"
    legend = [
        {"colour": colours[i], "label": f"{label(lo)} – {label(hi)}"}
        for i, (lo, hi) in enumerate(breaks)
    ]
    return {"districts": geo, "legend": legend, "legend_title": title}


def _outlines(by_district: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """District outlines without a fill, labelled with the area of their conflicts."""
    geo = districts_geojson()
    for feature in geo["features"]:
        area = (by_district.get(feature["properties"]["code"]) or {}).get("area")
        feature["properties"]["colour"] = None
        feature["properties"]["outline"] = True
        feature["properties"]["label"] = f"{_n(area or 0)} m²"
    return {"districts": geo, "legend": [], "legend_title": ""}


def _map_i18n() -> dict[str, str]:
    return {
        "ready": _("The map is ready. The table below lists the same figures."),
        "error": _("The map could not be loaded; the table below lists the same figures."),
    }


def _context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    return {"map_i18n": _map_i18n(), **extra}


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    config = analysis_config_for()
    pages = [
        {
            "url": reverse("planning:analysis-coverage"),
            "title": _("Coverage by local plans"),
            "text": _(
                "Share of the city's and each district's area and residents covered by local "
                "plans in force, year by year."
            ),
        },
        {
            "url": reverse("planning:analysis-capacity"),
            "title": _("Building capacity and housing balance"),
            "text": _(
                "Floor area the plans still allow on each parcel, potential dwellings and "
                "residents, compared with a population forecast."
            ),
        },
        {
            "url": reverse("planning:analysis-conflicts"),
            "title": _("Conflicts with constraints"),
            "text": _(
                "Zones whose use conflicts with flood areas, nature protection, noise or "
                "heritage protection, by rule and district."
            ),
        },
        {
            "url": reverse("planning:analysis-accessibility"),
            "title": _("Accessibility standards"),
            "text": _(
                "Share of residents within reach of a primary school and green areas "
                "(art. 13f), per district, with the map of gaps."
            ),
        },
    ]
    return render(request, "planning/analysis_index.html", {"pages": pages, "config": config})


# --- coverage ---------------------------------------------------------------------------


@require_GET
def coverage_page(request: HttpRequest) -> HttpResponse:
    error = None
    try:
        rng = coverage_params(request.GET)
    except InvalidParameter as exc:
        error = exc.message
        rng = CoverageRange(start=None, end=dt.date.today(), step=1)
    result = coverage_series(rng.start, rng.end, rng.step)
    series = result["series"]
    last = series[-1]
    timeline = [
        {
            "date": s["date"],
            "day": dt.date.fromisoformat(s["date"]),
            **s["city"],
            "area_ha": _ha(s["city"]["area"]),
            "covered_ha": _ha(s["city"]["covered_area"]),
        }
        for s in series
    ]
    district_rows = [
        {**d, "area_ha": _ha(d["area"]), "covered_ha": _ha(d["covered_area"])}
        for d in last["districts"]
    ]
    labels = [plain_date(t["day"]) for t in timeline]
    chart = charts.line_chart(
        charts.Chart(
            chart_id="coverage-chart",
            title=_("Coverage by local plans over time"),
            description=_(
                "Share of the city's area and of its residents covered by local plans in force, "
                "from %(first)s to %(last)s; the table below gives the same figures."
            )
            % {"first": labels[0], "last": labels[-1]},
            labels=labels,
            series=[
                charts.Series(_("area"), [t["area_share"] for t in timeline]),
                charts.Series(_("residents"), [t["population_share"] for t in timeline]),
            ],
        ),
        y_max=max(
            [
                0.25,
                *[(t["area_share"] or 0) for t in timeline],
                *[(t["population_share"] or 0) for t in timeline],
            ]
        ),  # fmt: skip
        y_format=lambda v: _pct(v, 0),
    )
    query = {"from": request.GET.get("from", ""), "to": request.GET.get("to", ""),
             "step": request.GET.get("step", "")}  # fmt: skip
    query = {k: v for k, v in query.items() if v} if error is None else {}
    csv_url = reverse("api-analyses-coverage") + "?" + urlencode({**query, "format": "csv"})
    context = _context(
        request,
        result=result,
        timeline=timeline,
        districts=district_rows,
        last_date=dt.date.fromisoformat(last["date"]),
        chart=chart,
        map=_choropleth(
            {d["code"]: d["area_share"] for d in last["districts"]},
            lambda v: _pct(v, 0),
            _("Share of the area covered"),
        ),
        form={
            "from": request.GET.get("from", ""),
            "to": request.GET.get("to", ""),
            "step": request.GET.get("step", ""),
        },  # fmt: skip
        error=error,
        csv_url=csv_url,
        json_url=reverse("api-analyses-coverage") + ("?" + urlencode(query) if query else ""),
    )
    return render(request, "planning/analysis_coverage.html", context, status=400 if error else 200)


# --- capacity ---------------------------------------------------------------------------


@require_GET
def capacity_page(request: HttpRequest) -> HttpResponse:
    error = None
    forecast = None
    try:
        forecast = forecast_params(request.GET)
    except InvalidParameter as exc:
        error = exc.message
    zones = ZoneSet()
    if not capacity_stored(zones):  # a GET never starts the computation: staff do (POST)
        return computing_response(
            request,
            title=_("Building capacity"),
            job=pending_job("planning.capacity", {"as_of": zones.as_of.isoformat()}),
            breadcrumbs=[(reverse("planning:analyses"), _("Planning analyses"))],
            start_url=reverse("planning:analysis-capacity-start"),
        )
    result = capacity(zones, level="district")
    balance = housing_balance(result, forecast.population, forecast.year) if forecast else None
    by_code = {b["code"]: b for b in (balance or {}).get("districts", [])}
    rows = [{**d, "balance": by_code.get(d["code"])} for d in result["districts"]]
    labels = [d["name"] for d in rows]
    series = [charts.Series(_("potential dwellings"), [d["potential_dwellings"] for d in rows])]
    if balance:
        series.append(
            charts.Series(
                _("needed dwellings"), [by_code[d["code"]]["needed_dwellings"] for d in rows]
            )  # fmt: skip
        )
    chart = charts.bar_chart(
        charts.Chart(
            chart_id="capacity-chart",
            title=_("Potential dwellings by district"),
            description=(
                _("Potential dwellings and dwellings needed for the forecast, by district")
                if balance
                else _("Potential dwellings on the remaining residential floor area, by district")
            )
            + ". "
            + _("The table below gives the same figures."),
            labels=labels,
            series=series,
        ),
        value_format=lambda v: _n(v),
    )
    query: dict[str, str] = {}
    if forecast:
        query = {"forecast_population": str(forecast.population),
                 "forecast_year": str(forecast.year)}  # fmt: skip
    api = reverse("api-analyses-capacity")
    context = _context(
        request,
        result=result,
        rows=rows,
        balance=balance,
        forecast=forecast,
        chart=chart,
        map=_choropleth(
            {d["code"]: d["potential_dwellings"] for d in rows},
            lambda v: _n(v),
            _("Potential dwellings"),
        ),
        tiles=[
            {
                "name": "capacity",
                "title": _("Parcels by potential dwellings"),
                "url": "/tiles/capacity/{z}/{x}/{y}.mvt",
                "minzoom": 15,
            }
        ],
        parcel_classes=[
            {"colour": colour, "label": _parcel_class_label(i)}
            for i, (_lo, colour) in enumerate(CAPACITY_CLASSES)
        ],
        form={
            "forecast_population": request.GET.get("forecast_population", ""),
            "forecast_year": request.GET.get("forecast_year", ""),
        },
        default_year=dt.date.today().year + 10,
        error=error,
        csv_url=api + "?" + urlencode({**query, "format": "csv"}),
        csv_blocks_url=api + "?" + urlencode({"level": "block", "format": "csv"}),
        csv_parcels_url=api + "?" + urlencode({"level": "parcel", "format": "csv"}),
        json_url=api + ("?" + urlencode(query) if query else ""),
        config=analysis_config_for(),
        computed_at=dt.datetime.fromisoformat(result["run"]["computed_at"]),
    )
    return render(request, "planning/analysis_capacity.html", context, status=400 if error else 200)


@require_POST
def capacity_start(request: HttpRequest) -> HttpResponse:
    """Staff start the capacity run of the plans in force today (a background job); back to
    the page, which shows its progress."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("planning:analysis-capacity"))
    if not may_start(request.user):
        raise PermissionDenied(_("Starting a computation is for the city's staff."))
    start_job("planning.capacity", {"as_of": ZoneSet().as_of.isoformat()}, user=request.user)
    return redirect("planning:analysis-capacity")


def _parcel_class_label(i: int) -> str:
    lo = CAPACITY_CLASSES[i][0]
    if i == 0:
        return _("no potential dwelling")
    if i == len(CAPACITY_CLASSES) - 1:
        return _("%(n)s or more dwellings") % {"n": lo}
    return _("%(lo)s–%(hi)s dwellings") % {"lo": lo, "hi": CAPACITY_CLASSES[i + 1][0] - 1}


# --- conflicts --------------------------------------------------------------------------


#: conflicts listed (and drawn on the map) per page
CONFLICTS_PAGE = 50
MAX_PAGE = 100_000


def _conflict_request(request: HttpRequest, zones: ZoneSet) -> tuple[ConflictFilters, int, str]:
    """The filters and page number of the conflicts page; on a bad parameter no filter, the
    first page, and the message (the page answers 400 with the form and the message)."""
    try:
        filters = conflict_filters(request.GET, zones.as_of)
        number = int_value(request.GET, "page", 1, 1, MAX_PAGE) or 1
    except InvalidParameter as exc:
        return ConflictFilters(), 1, exc.message
    return filters, number, ""


def _plan_options(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The plans with conflicts in a result, by their identifier."""
    plans = {
        c["zone"]["plan_id"]: {
            "id": c["zone"]["plan_id"],
            "local_id": c["zone"]["plan_local_id"],
            "kind": c["zone"]["plan_kind_label"],
        }
        for c in result["conflicts"]
    }
    return sorted(plans.values(), key=lambda p: (str(p["local_id"]), p["id"]))


@require_GET
def conflicts_page(request: HttpRequest) -> HttpResponse:
    zones = ZoneSet()
    filters, number, error = _conflict_request(request, zones)
    wide = conflicts(zones, filters=replace(filters, plan=None), geometry=True)
    plan_options = _plan_options(wide)
    result = conflicts_of_plan(wide, filters.plan)
    page = Paginator(result["conflicts"], CONFLICTS_PAGE).get_page(number)
    # the map draws the conflicts of this page of the list (the list is its equivalent)
    overlay = conflicts_geojson({"conflicts": page.object_list})
    for feature in overlay["features"]:
        feature["properties"]["colour"] = SEVERITY_COLOURS[feature["properties"]["severity"]]
    for c in result["conflicts"]:
        c.pop("geometry", None)
    totals = result["totals"]
    by_district = {d["code"]: d for d in totals["by_district"]}
    query = {
        k: str(v)
        for k, v in {
            "district": filters.district,
            "severity": filters.severity,
            "rule": filters.rule,
            "plan": filters.plan,
        }.items()  # fmt: skip
        if v
    }
    api = reverse("api-analyses-conflicts")
    context = _context(
        request,
        result=result,
        page=page,
        page_query=urlencode(query),
        rules=totals["by_rule"],
        districts_rows=totals["by_district"],
        district_options=districts(),
        rule_options=[(r["code"], r["description"]) for r in result["rules"]],
        plan_options=plan_options,
        plan_missing=filters.plan is not None
        and all(p["id"] != filters.plan for p in plan_options),
        severities=[(k, str(v)) for k, v in SEVERITIES.items()],
        severity_colours=SEVERITY_COLOURS,
        chart=_conflicts_chart(result),
        map={**_outlines(by_district), "overlay": overlay, "overlay_title": _("Conflict areas")},
        selected={**{k: v for k, v in query.items() if k != "plan"}, "plan": filters.plan},
        error=error,
        csv_url=api + "?" + urlencode({**query, "format": "csv"}),
        geojson_url=api + "?" + urlencode({**query, "format": "geojson"}),
        json_url=api + ("?" + urlencode(query) if query else ""),
    )
    return render(
        request, "planning/analysis_conflicts.html", context, status=400 if error else 200
    )


def _conflicts_chart(result: dict[str, Any]) -> str:
    """The bar chart of the conflicts' area by rule, in m² as the tables."""
    rules = [r for r in result["totals"]["by_rule"] if r["count"]]
    return charts.bar_chart(
        charts.Chart(
            chart_id="conflicts-chart",
            title=_("Area of conflicts by rule"),
            description=_("Area of the overlaps, in square metres, for each conflict rule")
            + ". "
            + _("The table below gives the same figures."),
            labels=[r["description"].split(" — ")[0].rstrip(".") for r in rules],
            series=[charts.Series(_("area (m²)"), [r["area"] for r in rules])],
        ),
        value_format=lambda v: f"{_n(v)} m²",
    )


# --- accessibility ----------------------------------------------------------------------


@require_GET
def accessibility_page(request: HttpRequest) -> HttpResponse:
    summary = accessibility_summary()
    standards = summary["standards"]
    computed = [s for s in standards if s["city"]]
    chart = None
    if computed:
        chart = charts.bar_chart(
            charts.Chart(
                chart_id="accessibility-chart",
                title=_("Residents meeting each standard"),
                description=_("Share of the city's residents meeting each accessibility standard")
                + ". "
                + _("The tables below give the same figures."),
                labels=[s["standard"]["name"] for s in computed],
                series=[
                    charts.Series(
                        _("residents meeting (%)"),
                        [s["city"]["residents_met_pct"] for s in computed],
                    )
                ],
            ),
            value_format=lambda v: f"{_n(v, 1)} %",
        )
    # the map shows the chosen standard, by default the mandatory one met by the fewest
    chosen = request.GET.get("standard", "")

    def met(s: dict[str, Any]) -> float:
        pct = s["city"]["residents_met_pct"]
        return 101.0 if pct is None else float(pct)

    mandatory = sorted((s for s in computed if s["standard"]["mandatory"]), key=met)
    first = next((s for s in computed if s["standard"]["code"] == chosen), None) or next(
        iter(mandatory), computed[0] if computed else None
    )
    values: dict[str, float | None] = {}
    if first:
        values = {d["code"]: d["residents_met_pct"] for d in first["districts"]}
    context = _context(
        request,
        summary=summary,
        standards=standards,
        chart=chart,
        map_standard=first,
        map={
            **_choropleth(
                {k: (v / 100 if v is not None else None) for k, v in values.items()},
                lambda v: _pct(v, 0),
                _("Residents meeting: %(standard)s")
                % {"standard": first["standard"]["name"] if first else "—"},
            ),
        },
        tiles=[
            {
                "name": "accessibility-gaps",
                "title": _("Residential parcels missing a mandatory standard"),
                "url": "/tiles/accessibility-gaps/{z}/{x}/{y}.mvt",
                "minzoom": 11,
            }
        ],
        standard_options=[(s["standard"]["code"], s["standard"]["name"]) for s in computed],
        csv_url=reverse("api-accessibility") + "?format=csv",
        json_url=reverse("api-accessibility"),
    )
    return render(request, "planning/analysis_accessibility.html", context)


urlpatterns = [
    path("planowanie/analizy/", index, name="analyses"),
    path("planowanie/analizy/pokrycie/", coverage_page, name="analysis-coverage"),
    path("planowanie/analizy/chlonnosc/", capacity_page, name="analysis-capacity"),
    path("planowanie/analizy/chlonnosc/licz/", capacity_start, name="analysis-capacity-start"),
    path("planowanie/analizy/konflikty/", conflicts_page, name="analysis-conflicts"),
    path("planowanie/analizy/dostepnosc/", accessibility_page, name="analysis-accessibility"),
]
