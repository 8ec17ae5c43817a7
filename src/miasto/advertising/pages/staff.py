"""Staff pages under ``/reklamy/obsluga/``: the dashboard (violations by zone and kind,
trend, share resolved, fee revenue), the violation table, the rule versions with the preview
of a version's effect on the register and its application, the fee schedule (CSV for the
finance system), and the start of a full compliance check (a background job)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_POST

from miasto.advertising import compliance, fees, selectors
from miasto.advertising.jobs import CHECK
from miasto.advertising.kinds import CarrierKind
from miasto.advertising.models import ComplianceRun, LandscapeResolution, RuleSet
from miasto.advertising.pages.common import PAGE_SIZE, pages_around, zone_codes
from miasto.advertising.rule_editing import draft_apply
from miasto.advertising.rules import rule_kinds
from miasto.advertising.services import AdvertisingError
from miasto.core.jobs import may_start, pending_job, start_job

VIEW = "advertising.view_violation"
OWNERS = "advertising.view_owner"
APPLY = "advertising.change_ruleset"
EDIT = "advertising.change_zonerule"
CHECK_PERMISSION = "advertising.change_carrier"


def staff_only(permission: str) -> Callable[..., Any]:
    """Anonymous visitors go to the sign-in page; signed-in people without ``permission``
    get 403."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perm(permission):
                raise PermissionDenied(_("This page is for the city's staff."))
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year") or ""
    return int(raw) if raw.isdigit() and 2015 <= int(raw) <= 2100 else dt.date.today().year


@require_GET
@staff_only(VIEW)
def dashboard(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    data = selectors.dashboard(year)
    revenue = sum((o["amount"] for o in fees.by_owner(fees.schedule(year))), Decimal("0"))
    trend_max = max([1, *(max(t["detected"], t["resolved"]) for t in data["trend"])])
    context = {
        **data,
        "revenue": revenue,
        "trend_max": trend_max,
        "last_run": ComplianceRun.objects.exclude(scope="preview").first(),
        "job": pending_job(CHECK, {"on": dt.date.today().isoformat()}),
        "can_check": request.user.has_perm(CHECK_PERMISSION) and may_start(request.user),
    }
    return render(request, "advertising/staff_dashboard.html", context)


class ViolationFilter(forms.Form):
    zone = forms.ChoiceField(label=gettext_lazy("Zone"), required=False, choices=())
    rule_kind = forms.ChoiceField(label=gettext_lazy("Rule"), required=False, choices=())
    carrier_kind = forms.ChoiceField(
        label=gettext_lazy("Carrier kind"), required=False,
        choices=[("", gettext_lazy("any kind")), *CarrierKind.choices],
    )  # fmt: skip
    state = forms.ChoiceField(
        label=gettext_lazy("State"), required=False,
        choices=[("open", pgettext_lazy("violation", "open")),
                 ("resolved", pgettext_lazy("violation", "resolved")),
                 ("all", gettext_lazy("all"))],
    )  # fmt: skip
    page = forms.IntegerField(
        required=False, min_value=1, max_value=100_000, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["zone"].choices = zone_codes()  # type: ignore[attr-defined]
        kinds = sorted(rule_kinds().values(), key=lambda k: str(k.label))
        self.fields["rule_kind"].choices = [  # type: ignore[attr-defined]
            ("", _("any rule")),
            *[(k.key, k.label) for k in kinds],
        ]


@require_GET
@staff_only(VIEW)
def violations(request: HttpRequest) -> HttpResponse:
    form = ViolationFilter(request.GET or None)
    valid = not form.is_bound or form.is_valid()
    data = form.cleaned_data if form.is_bound and valid else {}
    filters = {k: data.get(k) or None for k in ("zone", "rule_kind", "carrier_kind", "state")}
    page = data.get("page") or 1
    result = selectors.violations_page(filters=filters, page=page, size=PAGE_SIZE)
    context = {
        "form": form,
        **result,
        "pager": pages_around(page, result["pages"]),
        "query": {k: v for k, v in request.GET.items() if k != "page"},
    }
    return render(
        request, "advertising/staff_violations.html", context, status=200 if valid else 400
    )


@require_GET
@staff_only(VIEW)
def rulesets(request: HttpRequest) -> HttpResponse:
    acts = LandscapeResolution.objects.prefetch_related(
        Prefetch("rulesets", queryset=RuleSet.objects.order_by("-valid_from", "-id"))
    ).order_by("-valid_from", "-id")
    context = {"resolutions": acts, "can_edit": request.user.has_perm(EDIT)}
    return render(request, "advertising/staff_rulesets.html", context)


@require_GET
@staff_only(VIEW)
def ruleset(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(RuleSet.objects.select_related("resolution"), pk=pk)
    zones = []
    for zone in version.zones.order_by("code"):
        rules = [
            {"r": r, "describe": selectors.describe_rule(
                {"kind": r.kind, "min_value": r.min_value, "max_value": r.max_value,
                 "params": r.params, "carrier_kinds": r.carrier_kinds})}
            for r in zone.rules.all()
        ]  # fmt: skip
        zones.append({"zone": zone, "rules": rules})
    preview = compliance.preview(version) if request.GET.get("preview") == "1" else None
    context = {
        "version": version,
        "zones": zones,
        "preview": preview,
        "can_apply": request.user.has_perm(APPLY) and not version.applied,
        "can_edit": request.user.has_perm(EDIT) and not version.applied,
    }
    return render(request, "advertising/staff_ruleset.html", context)


@require_POST
@staff_only(APPLY)
def ruleset_apply_view(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(RuleSet, pk=pk)
    try:
        summary = draft_apply(version)
    except AdvertisingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Version %(v)s applies; %(n)d violations found in the register.")
            % {"v": version.label, "n": summary.violations},
        )
    return redirect("advertising:ruleset", pk=pk)


@require_POST
@staff_only(CHECK_PERMISSION)
def check_start(request: HttpRequest) -> HttpResponse:
    if not may_start(request.user):
        raise PermissionDenied(_("This action is for the city's staff."))
    start_job(CHECK, {"on": dt.date.today().isoformat()}, user=request.user)
    messages.info(request, _("The compliance check has started; this page shows its progress."))
    return redirect("advertising:dashboard")


@require_GET
@staff_only(OWNERS)
def fee_schedule(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    if request.GET.get("format") == "csv":
        response = HttpResponse(fees.schedule_csv(year), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="oplata-reklamowa-{year}.csv"'
        return response
    owners = fees.by_owner(fees.schedule(year))
    context = {
        "year": year,
        "owners": owners,
        "total": sum((o["amount"] for o in owners), Decimal("0")),
        "csv_url": reverse("advertising:fees") + f"?year={year}&format=csv",
        "years": list(range(dt.date.today().year + 1, dt.date.today().year - 6, -1)),
    }
    return render(request, "advertising/staff_fees.html", context)


urlpatterns = [
    path("reklamy/obsluga/", dashboard, name="dashboard"),
    path("reklamy/obsluga/naruszenia/", violations, name="violations"),
    path("reklamy/obsluga/reguly/", rulesets, name="rulesets"),
    path("reklamy/obsluga/reguly/<int:pk>/", ruleset, name="ruleset"),
    path("reklamy/obsluga/reguly/<int:pk>/zastosuj/", ruleset_apply_view, name="ruleset-apply"),
    path("reklamy/obsluga/sprawdz/", check_start, name="check"),
    path("reklamy/obsluga/oplaty/", fee_schedule, name="fees"),
]
