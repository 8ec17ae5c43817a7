"""The spine's symbology: the colours (and hatching) of its layers, one source for the web map
and its legend (:mod:`miasto.web.mapstyle`) and the modules' maps (the PDF map of
:mod:`miasto.planning.mapsvg`).

Colours are chosen for contrast against the neutral background (#f4f2ee) and to stay
distinguishable for common colour-vision deficiencies where the categories matter most
(constraints additionally differ by hatching direction).
"""

from __future__ import annotations

from miasto.territory.models import Building, Constraint, District, PublicService, Street

BUILDING_COLOURS: dict[str, str] = {
    Building.Use.SINGLE_FAMILY: "#f2b36b",
    Building.Use.MULTI_FAMILY: "#d9603b",
    Building.Use.MIXED: "#b8477a",
    Building.Use.SERVICES: "#7b52ab",
    Building.Use.PUBLIC: "#2f6fbf",
    Building.Use.INDUSTRIAL: "#6b6b6b",
    Building.Use.FARM: "#9a8a3c",
    Building.Use.UTILITY: "#b0aba3",
}

CONSTRAINT_COLOURS: dict[str, str] = {
    Constraint.Kind.FLOOD_RISK: "#3c8fd6",
    Constraint.Kind.FLOOD_HAZARD_1: "#1a4fa8",
    Constraint.Kind.NATURE: "#3a8f3a",
    Constraint.Kind.NATURA2000: "#136b32",
    Constraint.Kind.HERITAGE: "#a0522d",
    Constraint.Kind.MONUMENT: "#8b1a1a",
    Constraint.Kind.NOISE: "#c98a00",
    Constraint.Kind.MINING: "#5c4033",
    Constraint.Kind.WATER_INTAKE: "#008a99",
    Constraint.Kind.UTILITY_CORRIDOR: "#8e44c9",
}
#: Hatching direction per constraint kind: "/" "\\" "-" "|" or "x".
CONSTRAINT_HATCH: dict[str, str] = {
    Constraint.Kind.FLOOD_RISK: "/",
    Constraint.Kind.FLOOD_HAZARD_1: "x",
    Constraint.Kind.NATURE: "\\",
    Constraint.Kind.NATURA2000: "x",
    Constraint.Kind.HERITAGE: "|",
    Constraint.Kind.MONUMENT: "x",
    Constraint.Kind.NOISE: "-",
    Constraint.Kind.MINING: "/",
    Constraint.Kind.WATER_INTAKE: "\\",
    Constraint.Kind.UTILITY_CORRIDOR: "|",
}

#: Road class → stroke colour and width (px).
STREET_STYLES = {
    Street.RoadClass.GP: ("#a8322a", 6),
    Street.RoadClass.G: ("#d35400", 5),
    Street.RoadClass.Z: ("#b7860b", 4),
    Street.RoadClass.L: ("#5d6d7e", 2.5),
    Street.RoadClass.D: ("#8c99a6", 1.5),
    Street.RoadClass.PEDESTRIAN: ("#2e8b57", 1.5),
}

SERVICE_COLOURS = {
    PublicService.Kind.PRIMARY_SCHOOL: "#1f77b4",
    PublicService.Kind.SECONDARY_SCHOOL: "#174a7c",
    PublicService.Kind.KINDERGARTEN: "#5aa9e6",
    PublicService.Kind.NURSERY: "#8fc6f0",
    PublicService.Kind.CLINIC: "#d62728",
    PublicService.Kind.HOSPITAL: "#8b0000",
    PublicService.Kind.LIBRARY: "#9467bd",
    PublicService.Kind.CULTURE: "#c05fc0",
    PublicService.Kind.SPORTS: "#ff7f0e",
    PublicService.Kind.GREEN: "#2ca02c",
    PublicService.Kind.TRANSIT_STOP: "#17becf",
    PublicService.Kind.SHOP: "#bcbd22",
    PublicService.Kind.PHARMACY: "#e377c2",
    PublicService.Kind.POST: "#e6b800",
    PublicService.Kind.SOCIAL: "#8c564b",
    PublicService.Kind.OFFICE: "#404040",
}
#: the colour of a kind of service added by configuration
SERVICE_DEFAULT_COLOUR = "#6b6b6b"

WATER_COLOUR = "#8fc1e8"

DISTRICT_FILLS = {
    District.Character.OLD_TOWN: "#efd9b8",
    District.Character.TENEMENT: "#eed3c0",
    District.Character.ESTATE: "#e4dbe9",
    District.Character.SUBURB: "#f5efd2",
    District.Character.INDUSTRIAL: "#dcdcdc",
    District.Character.FARMLAND: "#e2ecd3",
    District.Character.MIXED: "#ebe8e2",
}

#: Layer order on the map, bottom to top.
LAYER_ORDER = ["districts", "water", "parcels", "constraints", "buildings", "streets", "services"]
