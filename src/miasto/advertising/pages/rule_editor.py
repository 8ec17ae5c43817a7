"""The rule editor under ``/reklamy/obsluga/reguly/`` (planners, administrators): a draft
version copied from the current one, its zones (drawn on the map or uploaded as GeoJSON,
with a table of zones beside the map) and their rules. Applied versions are read-only; the
preview and the application are on the version's page (:mod:`.staff`)."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from miasto.advertising.models import LandscapeResolution, RuleSet, Zone, ZoneRule
from miasto.advertising.pages.rule_forms import DraftForm, RuleForm, ZoneForm
from miasto.advertising.pages.staff import EDIT, staff_only
from miasto.advertising.rule_editing import (
    current_version,
    draft_create,
    ensure_draft,
    geometry_from_geojson,
    rule_delete,
    rule_edit,
    zone_delete,
    zone_edit,
)
from miasto.advertising.services import AdvertisingError, ZoneInput


def _refuse(
    request: HttpRequest, message: str, template: str, context: dict[str, Any], status: int = 400
) -> HttpResponse:
    return render(request, template, context | {"error": message}, status=status)


@require_http_methods(["GET", "POST"])
@staff_only(EDIT)
def draft_new(request: HttpRequest, resolution: int) -> HttpResponse:
    act = get_object_or_404(LandscapeResolution, pk=resolution)
    source = current_version(act.pk)
    form = DraftForm(request.POST or None, source_from=source.valid_from if source else None)
    context = {"resolution": act, "source": source, "form": form}
    template = "advertising/staff_draft_form.html"
    if request.method == "GET":
        return render(request, template, context)
    if source is None:
        return _refuse(request, _("This resolution has no version to copy."), template, context)
    if not form.is_valid():
        return render(request, template, context, status=400)
    try:
        draft = draft_create(source=source, **form.cleaned_data)
    except AdvertisingError as exc:
        return _refuse(request, str(exc), template, context)
    messages.success(request, _("Draft version %s created: a copy of the rules.") % draft.label)
    return redirect("advertising:ruleset", pk=draft.pk)


def _zone_initial(zone: Zone | None) -> dict[str, Any] | None:
    if zone is None:
        return None
    return {"code": zone.code, "name": zone.name, "adjustment_months": zone.adjustment_months,
            "provision": zone.provision, "description": zone.description,
            "geom": zone.geom.transform(3857, clone=True)}  # fmt: skip


@require_http_methods(["GET", "POST"])
@staff_only(EDIT)
def zone_form(request: HttpRequest, pk: int, zone: int | None = None) -> HttpResponse:
    version = get_object_or_404(RuleSet.objects.select_related("resolution"), pk=pk)
    target = get_object_or_404(Zone, pk=zone, ruleset=version) if zone else None
    template = "advertising/staff_zone_form.html"
    bound = request.method == "POST"
    form = ZoneForm(request.POST if bound else None, request.FILES if bound else None,
                    initial=_zone_initial(target))  # fmt: skip
    others = version.zones.exclude(pk=target.pk if target else 0).order_by("code")
    context = {"version": version, "zone": target, "form": form, "others": others}
    try:
        ensure_draft(version)
    except AdvertisingError as exc:
        return _refuse(request, str(exc), template, context, status=403 if bound else 200)
    if not bound:
        return render(request, template, context)
    if not form.is_valid():
        return render(request, template, context, status=400)
    data = form.cleaned_data
    try:
        geom = geometry_from_geojson(data["geojson"]) if data["geojson"] else data["geom"]
        saved = zone_edit(ruleset=version, zone=target, data=ZoneInput(
            code=data["code"], name=data["name"], geom=geom,
            adjustment_months=data["adjustment_months"], provision=data["provision"],
            description=data["description"],
        ))  # fmt: skip
    except AdvertisingError as exc:
        return _refuse(request, str(exc), template, context)
    messages.success(request, _("Zone %s saved.") % saved.code)
    return redirect("advertising:ruleset", pk=version.pk)


def _rule_initial(rule: ZoneRule | None) -> dict[str, Any] | None:
    if rule is None:
        return None
    return {"kind": rule.kind, "carrier_kinds": rule.carrier_kinds,
            "min_value": rule.min_value, "max_value": rule.max_value,
            "params": json.dumps(rule.params, ensure_ascii=False) if rule.params else "",
            "provision": rule.provision}  # fmt: skip


@require_http_methods(["GET", "POST"])
@staff_only(EDIT)
def rule_form(request: HttpRequest, pk: int, zone: int, rule: int | None = None) -> HttpResponse:
    target_zone = get_object_or_404(Zone.objects.select_related("ruleset"), pk=zone, ruleset_id=pk)
    target = get_object_or_404(ZoneRule, pk=rule, zone=target_zone) if rule else None
    bound = request.method == "POST"
    form = RuleForm(request.POST if bound else None, initial=_rule_initial(target))
    template = "advertising/staff_rule_form.html"
    context = {"version": target_zone.ruleset, "zone": target_zone, "rule": target, "form": form}
    try:
        ensure_draft(target_zone.ruleset)
    except AdvertisingError as exc:
        return _refuse(request, str(exc), template, context, status=403 if bound else 200)
    if not bound:
        return render(request, template, context)
    if not form.is_valid():
        return render(request, template, context, status=400)
    data = form.cleaned_data
    try:
        rule_edit(zone=target_zone, values=data, provision=data["provision"], rule=target)
    except AdvertisingError as exc:
        return _refuse(request, str(exc), template, context)
    messages.success(request, _("The rule of zone %s is saved.") % target_zone.code)
    return redirect("advertising:ruleset", pk=pk)


@require_POST
@staff_only(EDIT)
def zone_remove(request: HttpRequest, pk: int, zone: int) -> HttpResponse:
    target = get_object_or_404(Zone.objects.select_related("ruleset"), pk=zone, ruleset_id=pk)
    try:
        zone_delete(target)
    except AdvertisingError as exc:  # an applied version is read-only
        raise PermissionDenied(str(exc)) from None
    messages.success(request, _("Zone %s deleted with its rules.") % target.code)
    return redirect("advertising:ruleset", pk=pk)


@require_POST
@staff_only(EDIT)
def rule_remove(request: HttpRequest, pk: int, zone: int, rule: int) -> HttpResponse:
    target = get_object_or_404(
        ZoneRule.objects.select_related("zone__ruleset"), pk=rule, zone_id=zone,
        zone__ruleset_id=pk,
    )  # fmt: skip
    try:
        rule_delete(target)
    except AdvertisingError as exc:  # an applied version is read-only
        raise PermissionDenied(str(exc)) from None
    messages.success(request, _("The rule is deleted."))
    return redirect("advertising:ruleset", pk=pk)


BASE = "reklamy/obsluga/reguly/"
urlpatterns = [
    path(BASE + "uchwaly/<int:resolution>/nowa-wersja/", draft_new, name="ruleset-new"),
    path(BASE + "<int:pk>/strefy/nowa/", zone_form, name="zone-new"),
    path(BASE + "<int:pk>/strefy/<int:zone>/", zone_form, name="zone-edit"),
    path(BASE + "<int:pk>/strefy/<int:zone>/usun/", zone_remove, name="zone-delete"),
    path(BASE + "<int:pk>/strefy/<int:zone>/zasady/nowa/", rule_form, name="rule-new"),
    path(BASE + "<int:pk>/strefy/<int:zone>/zasady/<int:rule>/", rule_form, name="rule-edit"),
    path(
        BASE + "<int:pk>/strefy/<int:zone>/zasady/<int:rule>/usun/", rule_remove, name="rule-delete"
    ),  # fmt: skip
]
