"""The map's legend and layer switcher, from the spine's symbology
(:mod:`miasto.territory.symbology`: one source for the map style (JS), this legend and the
modules' maps). Labels come from the model choices, so they are translated like the rest of
the spine.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from miasto.territory.models import Building, Constraint, District, Street
from miasto.territory.service_kinds import service_kinds
from miasto.territory.symbology import (
    BUILDING_COLOURS,
    CONSTRAINT_COLOURS,
    CONSTRAINT_HATCH,
    DISTRICT_FILLS,
    SERVICE_COLOURS,
    SERVICE_DEFAULT_COLOUR,
    STREET_STYLES,
    WATER_COLOUR,
)


def _classes(colours: dict[Any, Any], choices: list[tuple[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for value, label in choices:
        style = colours.get(value)
        if style is None:
            continue
        row: dict[str, Any] = {"value": value, "label": str(label)}
        if isinstance(style, tuple):
            row["colour"], row["width"] = style
        else:
            row["colour"] = style
        rows.append(row)
    return rows


def map_layers() -> list[dict[str, Any]]:
    """The layers shown in the switcher and legend, in map order, with translated labels."""
    constraints = _classes(CONSTRAINT_COLOURS, Constraint.Kind.choices)
    for row in constraints:
        row["hatch"] = CONSTRAINT_HATCH.get(row["value"], "/")
    return [
        {
            "name": "districts",
            "title": _("Districts"),
            "property": "character",
            "visible": True,
            # the districts' names: a point layer of their own (labels decluttered), shown
            # with the districts at city zooms
            "labels": "district-labels",
            "classes": _classes(DISTRICT_FILLS, District.Character.choices),
        },
        {
            "name": "water",
            "title": _("Water"),
            "property": None,
            "visible": True,
            "classes": [{"value": "", "label": _("rivers and ponds"), "colour": WATER_COLOUR}],
        },
        {
            "name": "parcels",
            "title": _("Parcels"),
            "property": None,
            "visible": True,
            "minzoom": 14,
            "classes": [{"value": "", "label": _("parcel boundary"), "colour": "#7a7a7a"}],
        },
        {
            "name": "constraints",
            "title": _("Constraints"),
            "property": "kind",
            "visible": False,
            "classes": constraints,
        },
        {
            "name": "buildings",
            "title": _("Buildings"),
            "property": "use",
            "visible": True,
            "minzoom": 14,
            "classes": _classes(BUILDING_COLOURS, Building.Use.choices),
        },
        {
            "name": "streets",
            "title": _("Streets"),
            "property": "road_class",
            "visible": True,
            "labels": "street-labels",
            "classes": _classes(STREET_STYLES, Street.RoadClass.choices),
        },
        {
            "name": "services",
            "title": _("Public services"),
            "property": "kind",
            "visible": True,
            # (configured kinds — miasto.territory.service_kinds — in the default colour)
            "classes": _classes(
                {**dict.fromkeys(service_kinds(), SERVICE_DEFAULT_COLOUR), **SERVICE_COLOURS},
                list(service_kinds().items()),
            ),
        },
    ]
