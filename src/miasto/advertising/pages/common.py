"""What the advertising pages share: filters of the register, the map's configuration."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from miasto.advertising.kinds import CarrierKind
from miasto.advertising.models import Zone
from miasto.core import db
from miasto.core.layers import TILE_URL

PAGE_SIZE = 50

ZONES_EXTENT = """
SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)
  FROM (SELECT ST_Transform(ST_SetSRID(ST_Extent(geom), 2180), 3857) AS e FROM advertising_zone) x
 WHERE e IS NOT NULL
"""


def zone_codes() -> list[tuple[str, Any]]:
    codes = Zone.objects.filter(ruleset__applied=True).values_list("code", flat=True).distinct()
    return [("", _("any zone")), *[(c, c) for c in sorted(set(codes))]]


class RegisterFilter(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("any kind")), *CarrierKind.choices]
    )
    zone = forms.ChoiceField(label=_("Zone"), required=False, choices=())
    compliant = forms.ChoiceField(
        label=_("Compliance"),
        required=False,
        choices=[("", _("all")), ("true", _("compliant")), ("false", _("not compliant"))],
    )
    page = forms.IntegerField(
        required=False, min_value=1, max_value=100_000, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["zone"].choices = zone_codes()  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        compliant = {"true": True, "false": False}.get(data.get("compliant") or "")
        return {"kind": data.get("kind") or None, "zone": data.get("zone") or None,
                "compliant": compliant}  # fmt: skip


def map_config() -> dict[str, Any]:
    extent = db.fetch_one(ZONES_EXTENT, [])
    return {
        "tiles": {
            "zones": TILE_URL.replace("{name}", "advertising-zones"),
            "carriers": TILE_URL.replace("{name}", "advertising-carriers"),
        },
        "extent": list(extent) if extent else None,
        "today": dt.date.today().isoformat(),
    }


def pages_around(page: int, pages: int) -> dict[str, Any]:
    return {"page": page, "pages": pages, "previous": page - 1 if page > 1 else None,
            "next": page + 1 if page < pages else None}  # fmt: skip
