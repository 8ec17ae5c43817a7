"""Landscape resolutions as acts residents may be consulted on (:mod:`miasto.core.acts`):
drafts go to consultation; the parts of an act are its zones."""

from __future__ import annotations

from typing import Any

from django.contrib.gis.db.models import Union
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from miasto.advertising.models import LandscapeResolution, Zone
from miasto.core.acts import ActKind, ActPart, act_registry


def _get(act_id: str) -> LandscapeResolution | None:
    if not (act_id.isascii() and act_id.isdigit()) or len(act_id) > 12:
        return None
    return LandscapeResolution.objects.filter(pk=int(act_id)).first()


def _choices() -> list[tuple[str, str]]:
    return [(str(r.pk), str(r)) for r in LandscapeResolution.objects.order_by("-id")]


def _title(act_id: str) -> str | None:
    r = _get(act_id)
    return str(r) if r else None


def _url(act_id: str) -> str | None:
    return reverse("advertising:public") if _get(act_id) else None


def _latest_zones(r: LandscapeResolution) -> Any:
    ruleset = r.rulesets.order_by("-valid_from", "-id").first()
    return Zone.objects.filter(ruleset=ruleset) if ruleset else Zone.objects.none()


def _area(act_id: str) -> Any:
    r = _get(act_id)
    if r is None:
        return None
    return r.geom or _latest_zones(r).aggregate(u=Union("geom"))["u"]


def _parts(act_id: str) -> list[ActPart]:
    r = _get(act_id)
    if r is None:
        return []
    return [ActPart(z.code, f"{z.code} {z.name}", z.geom) for z in _latest_zones(r)]


act_registry.register(
    "landscape",
    ActKind(
        key="landscape",
        label=_("Landscape resolution"),
        choices=_choices,
        title=_title,
        url=_url,
        area=_area,
        parts=_parts,
    ),
)
