"""Pages of problem reports (``/zgloszenia/``): the public map and list, a report's page, the
report form, and the officers' queue with statistics (``/zgloszenia/obsluga/``).

Public pages show no personal data: neither who reported nor who handles a report. Views are
thin: the rules are in :mod:`miasto.problems.services` and reads in
:mod:`miasto.problems.selectors`.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.contrib.gis.geos import Point
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from miasto.core.layers import TILE_URL
from miasto.core.models import ContentReport
from miasto.core.moderation import ModerationError, content_report
from miasto.core.statemachine import TransitionError, roles_of
from miasto.core.throttle import throttle_hit
from miasto.problems import selectors
from miasto.problems.forms import (
    AssignForm,
    FilterForm,
    NoteForm,
    ReportForm,
    TransitionForm,
    templates_for,
)
from miasto.problems.models import Report
from miasto.problems.services import (
    Contact,
    ReportError,
    ReportInput,
    report_assign,
    report_create,
    report_hide,
    report_note,
    report_transition,
)
from miasto.problems.statuses import MACHINE
from miasto.territory.widgets import city_centre

STAFF_ROLES = {"case_officer", "moderator", "administrator"}
PAGE_SIZE = 50


def _list_filter(form: FilterForm) -> selectors.ListFilter:
    if not form.is_valid():
        return selectors.ListFilter()
    data = form.cleaned_data
    return selectors.ListFilter(
        service=data["service"].code if data.get("service") else "",
        status=data.get("status") or "",
        district=data["district"].pk if data.get("district") else None,
    )


def _map_config() -> dict[str, Any]:
    """What the page's map needs: the reports' and the streets' tiles, the city's centre."""
    streets = reverse("tile", args=["streets", 0, 0, 0]).replace("/0/0/0.mvt", "/{z}/{x}/{y}.mvt")
    return {
        "tiles": TILE_URL.replace("{name}", "problem-reports"),
        "streets": streets,
        "centre": city_centre(),
    }


@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None)
    reports = selectors.public_reports(_list_filter(form))
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("strona"))
    query = request.GET.copy()
    query.pop("strona", None)
    return render(
        request,
        "problems/list.html",
        {"form": form, "page": page, "query": query.urlencode(), "map_config": _map_config()},
    )


@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.public_report(pk)
    if report is None:
        raise Http404(_("There is no such report."))
    point = cast(Point, report.geom.transform(4326, clone=True))
    lonlat = (point.x, point.y)
    return render(
        request,
        "problems/detail.html",
        {
            "report": report,
            "updates": selectors.public_updates(report),
            "point": json.dumps({"lon": lonlat[0], "lat": lonlat[1]}),
            "map_config": _map_config(),
            "reasons": ContentReport.Reason.choices,
        },
    )


@require_GET
def report_photo(request: HttpRequest, pk: int) -> FileResponse:
    """The report's photo as stored: already without its metadata (see photos.py)."""
    report = selectors.public_report(pk)
    if report is None or not report.photo:
        raise Http404(_("There is no such photo."))
    response = FileResponse(report.photo.open("rb"))
    png = (report.photo.name or "").endswith(".png")
    response["Content-Type"] = "image/png" if png else "image/jpeg"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _throttled(request: HttpRequest) -> bool:
    return not throttle_hit(
        request,
        "problems.report",
        limit=int(settings.MIASTO_PROBLEMS_REPORTS_PER_HOUR),
        window=timedelta(hours=1),
    )


def _submit(request: HttpRequest, form: ReportForm) -> HttpResponse | list[dict[str, Any]]:
    """Send the report, or answer the nearby reports it may duplicate (not yet confirmed)."""
    data = form.cleaned_data
    x, y = form.point()
    if not data.get("confirm_new"):
        near = selectors.duplicates_near(data["service"].pk, x, y)
        if near:
            return near
    report = report_create(
        ReportInput(
            service=data["service"], x=x, y=y, description=data["description"],
            address=data.get("address", ""), photo=data.get("photo"),
            contact=Contact(email=data.get("email", "")), author=request.user,
        )
    )  # fmt: skip
    messages.success(
        request,
        _("Thank you. Your report no. %(id)d was sent to: %(unit)s.")
        % {"id": report.pk, "unit": report.unit.name},
    )
    return redirect("problems:detail", pk=report.pk)


@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest) -> HttpResponse:
    form = ReportForm(request.POST or None, request.FILES or None)
    duplicates: list[dict[str, Any]] = []
    status = 200
    if request.method == "POST":
        if _throttled(request):
            form.add_error(None, _("Too many reports in a short time. Try again in an hour."))
            status = 429
        elif form.is_valid():
            try:
                outcome = _submit(request, form)
            except ReportError as exc:
                form.add_error(None, str(exc))
                status = 400
            else:
                if isinstance(outcome, HttpResponse):
                    return outcome
                duplicates = outcome
        else:
            status = 400
    context = {"form": form, "duplicates": duplicates, "map_config": _map_config()}
    return render(request, "problems/new.html", context, status=status)


@require_POST
def report_flag(request: HttpRequest, pk: int) -> HttpResponse:
    """A signed-in person says the report breaks the rules (core.moderation)."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("problems:detail", args=[pk]))
    try:
        content_report(
            kind="problems.report", object_id=str(pk), reason=request.POST.get("reason", ""),
            note=request.POST.get("note", ""), reporter=request.user,
        )  # fmt: skip
    except ModerationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Thank you: a moderator will look at the report."))
    return redirect("problems:detail", pk=pk)


# ---------------------------------------------------------------------------- staff


def _staff(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not roles_of(request.user) & STAFF_ROLES:
        raise PermissionDenied(_("The queue of reports is for the city's officers."))
    return None


@require_GET
def staff_queue(request: HttpRequest) -> HttpResponse:
    if (refusal := _staff(request)) is not None:
        return refusal
    form = FilterForm(request.GET or None)
    reports = selectors.queue(request.user, _list_filter(form))
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("strona"))
    since = timezone.now() - timedelta(days=365)
    units = selectors.units_of(request.user)
    stats = {by: selectors.statistics(by, since, units) for by in ("category", "district", "unit")}
    query = request.GET.copy()
    query.pop("strona", None)
    context = {"form": form, "page": page, "stats": stats, "query": query.urlencode()}
    return render(request, "problems/queue.html", context)


def _act(request: HttpRequest, report: Report) -> None:
    action = request.POST.get("action", "")
    if action == "transition":
        form = TransitionForm(request.POST)
        if not form.is_valid():
            raise ReportError(_("Choose the new status."))
        report_transition(
            report, form.cleaned_data["target"], request.user, form.cleaned_data["note"],
            duplicate_of=form.duplicate(),
        )  # fmt: skip
    elif action == "note":
        note = NoteForm(request.POST)
        if not note.is_valid():
            raise ReportError(_("Write the note."))
        report_note(report, request.user, note.cleaned_data["note"],
                    public=note.cleaned_data["public"])  # fmt: skip
    elif action == "assign":
        assign = AssignForm(request.POST, report=report)
        if not assign.is_valid():
            raise ReportError(_("Choose an officer of the unit."))
        report_assign(report, assign.cleaned_data["assignee"])
    elif action == "hide":
        if not roles_of(request.user) & {"moderator", "administrator"}:
            raise PermissionDenied(_("Hiding reports is for moderators."))
        report_hide(report, request.POST.get("reason", ""))
    else:
        raise ReportError(_("Unknown action."))


@require_http_methods(["GET", "POST"])
def staff_case(request: HttpRequest, pk: int) -> HttpResponse:
    if (refusal := _staff(request)) is not None:
        return refusal
    report = selectors.report_for_staff(request.user, pk)
    if report is None:
        raise Http404(_("There is no such report in your units' queue."))
    status = 200
    if request.method == "POST":
        try:
            _act(request, report)
        except (ReportError, TransitionError) as exc:
            messages.error(request, str(exc))
            status = 400
        else:
            messages.success(request, _("Saved."))
            return redirect("problems:case", pk=pk)
        report.refresh_from_db()
    context = {
        "report": report,
        "updates": report.updates.select_related("author"),
        "transitions": MACHINE.targets(report.status, request.user),
        "assign_form": AssignForm(report=report),
        "templates": templates_for(report),
        "can_hide": bool(roles_of(request.user) & {"moderator", "administrator"}),
    }
    return render(request, "problems/case.html", context, status=status)
