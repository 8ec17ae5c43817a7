"""Planning pages: scenarios — list, form (planners), comparison with the plans in force.

Scenarios are the planners' working material: reading them needs ``planning.view_scenario``
(every staff role), writing ``planning.add_scenario`` / ``change_scenario`` (planners).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from miasto.core.errors import Forbidden, InvalidParameter, NotFound
from miasto.core.http import computing_json, json_response
from miasto.core.jobs import may_start
from miasto.planning.models import Plan, Scenario
from miasto.planning.pages import computing_response
from miasto.planning.scenarios import (
    ScenarioError,
    overrides_text,
    scenario_compare,
    scenario_job,
    scenario_maps,
    scenario_ready,
    scenario_save,
)
from miasto.planning.statuses import DRAFT_STATUSES


def _require(request: HttpRequest, perm: str) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.has_perm(perm):
        raise PermissionDenied(_("Scenarios are available to the city's planning staff."))
    return None


class ScenarioForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    as_of = forms.DateField(
        label=gettext_lazy("Compare with the plans in force on"),
        required=False,
        help_text=gettext_lazy("Empty: today."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    drafts = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Draft plans"),
        required=False,
        queryset=Plan.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Each draft replaces, inside its boundary, the zones in force."),
    )
    overrides = forms.CharField(
        label=gettext_lazy("Changed zone parameters"),
        required=False,
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text=gettext_lazy(
            "One zone per line: plan identifier, zone designation, then parameter=value "
            "pairs, e.g. “MPZP-07 3MN max_intensity=1.2 max_coverage=40”. Parameters: "
            "min_intensity, max_intensity, max_coverage, min_bio_active, max_height, "
            "max_storeys, min_plot_area. An empty value clears the parameter."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        drafts = self.fields["drafts"]
        assert isinstance(drafts, forms.ModelMultipleChoiceField)
        drafts.queryset = Plan.objects.filter(status__in=[str(s) for s in DRAFT_STATUSES]).order_by(
            "local_id"
        )
        drafts.label_from_instance = lambda obj: f"{obj.local_id} — {obj.title}"  # type: ignore[method-assign]


@require_GET
def scenario_list(request: HttpRequest) -> HttpResponse:
    if (response := _require(request, "planning.view_scenario")) is not None:
        return response
    scenarios = Scenario.objects.prefetch_related("drafts").order_by("-updated_at")[:200]
    return render(
        request,
        "planning/scenario_list.html",
        {
            "scenarios": scenarios,
            "may_add": request.user.has_perm("planning.add_scenario"),
        },
    )


def _scenario(raw: str) -> Scenario:
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 12:
        raise Http404(_("No such scenario."))
    scenario = Scenario.objects.filter(pk=int(raw)).first()
    if scenario is None:
        raise Http404(_("No such scenario."))
    return scenario


@require_http_methods(["GET", "POST"])
def scenario_edit(request: HttpRequest, scenario_id: str | None = None) -> HttpResponse:
    perm = "planning.change_scenario" if scenario_id else "planning.add_scenario"
    if (response := _require(request, perm)) is not None:
        return response
    scenario = _scenario(scenario_id) if scenario_id else None
    problems: list[str] = []
    if request.method == "POST":
        form = ScenarioForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                scenario = scenario_save(
                    name=data["name"],
                    description=data["description"],
                    as_of=data["as_of"],
                    drafts=list(data["drafts"]),
                    overrides=data["overrides"],
                    user=request.user,
                    scenario=scenario,
                )
            except ScenarioError as exc:
                problems = exc.problems
            else:
                messages.success(request, _("The scenario was saved."))
                return redirect("planning:scenario", scenario_id=scenario.pk)
    else:
        initial: dict[str, Any] = {}
        if scenario is not None:
            initial = {
                "name": scenario.name,
                "description": scenario.description,
                "as_of": scenario.as_of,
                "drafts": list(scenario.drafts.all()),
                "overrides": overrides_text(scenario),
            }
        form = ScenarioForm(initial=initial)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "planning/scenario_form.html",
        {"form": form, "scenario": scenario, "problems": problems},
        status=status,
    )


@require_GET
def scenario_detail(request: HttpRequest, scenario_id: str) -> HttpResponse:
    if (response := _require(request, "planning.view_scenario")) is not None:
        return response
    scenario = _scenario(scenario_id)
    if not scenario_ready(scenario):
        # the capacity runs take minutes at a million parcels: a background job computes
        # them (one per scenario at a time), started by staff (a POST, never this GET); this
        # page shows its progress meanwhile
        return computing_response(
            request,
            title=_("Scenario: %(name)s") % {"name": scenario.name},
            job=scenario_job(scenario),
            breadcrumbs=[(reverse("planning:scenarios"), _("Scenarios"))],
            start_url=reverse("planning:scenario-start", kwargs={"scenario_id": scenario.pk}),
        )
    comparison = scenario_compare(scenario)
    return render(
        request,
        "planning/scenario_detail.html",
        {
            "scenario": scenario,
            "c": comparison,
            "maps": scenario_maps(scenario),
            "may_change": request.user.has_perm("planning.change_scenario"),
            "today": dt.date.today(),
        },
    )


@require_POST
def scenario_start(request: HttpRequest, scenario_id: str) -> HttpResponse:
    """Staff start the scenario's capacity runs (a background job); back to its page."""
    if (response := _require(request, "planning.view_scenario")) is not None:
        return response
    if not may_start(request.user):
        raise PermissionDenied(_("Starting a computation is for the city's staff."))
    scenario = _scenario(scenario_id)
    scenario_job(scenario, user=request.user, start=True)
    return redirect("planning:scenario", scenario_id=scenario.pk)


urlpatterns = [
    path("planowanie/scenariusze/", scenario_list, name="scenarios"),
    path("planowanie/scenariusze/nowy/", scenario_edit, name="scenario-new"),
    path("planowanie/scenariusze/<str:scenario_id>/", scenario_detail, name="scenario"),
    path("planowanie/scenariusze/<str:scenario_id>/edycja/", scenario_edit, name="scenario-edit"),
    path("planowanie/scenariusze/<str:scenario_id>/licz/", scenario_start, name="scenario-start"),
]


# --------------------------------------------------------------------------- JSON API


def _api_require(request: HttpRequest) -> None:
    if not request.user.has_perm("planning.view_scenario"):
        raise Forbidden(
            "Scenariusze są dostępne dla pracowników urzędu zajmujących się planowaniem "
            "(zaloguj się)."
        )


@require_GET
def api_scenarios(request: HttpRequest) -> HttpResponse:
    _api_require(request)
    items = [
        {
            "id": s.pk,
            "name": s.name,
            "as_of": s.as_of.isoformat() if s.as_of else None,
            "drafts": [p.local_id for p in s.drafts.all()],
            "changed_zones": len(s.overrides or {}),
            "updated_at": s.updated_at.isoformat(),
        }
        for s in Scenario.objects.prefetch_related("drafts").order_by("-updated_at")[:500]
    ]
    return json_response({"count": len(items), "scenarios": items})


@require_http_methods(["GET", "HEAD", "POST"])
def api_scenario(request: HttpRequest, scenario_id: str) -> HttpResponse:
    """``GET`` the comparison (202 while its job runs, 409 when not computed); ``POST``
    (staff, with the CSRF token) starts the computation."""
    _api_require(request)
    if not (scenario_id.isascii() and scenario_id.isdigit()) or len(scenario_id) > 12:
        raise InvalidParameter(
            f"Identyfikator scenariusza musi być liczbą, otrzymano „{scenario_id[:30]}”."
        )
    scenario = Scenario.objects.filter(pk=int(scenario_id)).first()
    if scenario is None:
        raise NotFound(f"Nie ma scenariusza o identyfikatorze {scenario_id}.")
    if request.method == "POST":
        if not may_start(request.user):
            raise Forbidden("Zlecanie obliczeń jest dostępne dla pracowników urzędu.")
        if scenario_ready(scenario):
            return json_response({"status": "done"})
        return computing_json(scenario_job(scenario, user=request.user, start=True), "")
    if not scenario_ready(scenario):
        return computing_json(
            scenario_job(scenario), f"POST /api/v1/scenarios/{scenario.pk} (z tokenem CSRF)"
        )
    return json_response(scenario_compare(scenario))


urlpatterns += [
    path("api/v1/scenarios", api_scenarios, name="api-scenarios"),
    path("api/v1/scenarios/<str:scenario_id>", api_scenario, name="api-scenario"),
]
