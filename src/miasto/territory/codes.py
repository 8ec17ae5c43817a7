"""The spine's code lists in one place, as data: what the codes stored in the spine mean in
plain words, for tables, panels and the data hub ("B" → "tereny mieszkaniowe",
"single_family" → "dom jednorodzinny"). Screens show the label and keep the code at hand (a
``title``); the codes themselves stay what the files and the API carry.

- EGiB land-use classes (*oznaczenia użytków gruntowych*): załącznik nr 6 do rozporządzenia
  Ministra Rozwoju, Pracy i Technologii z dnia 27 lipca 2021 r. w sprawie ewidencji gruntów i
  budynków (Dz.U. 2021 poz. 1390). A parcel may list several (``B,R``) and a farmland class
  may carry its soil class (``RIIIa``, ``ŁIV``): :func:`land_use_label` names each.
- Public road classes: § 4 rozporządzenia Ministra Infrastruktury z dnia 24 czerwca 2022 r. w
  sprawie przepisów techniczno-budowlanych dotyczących dróg publicznych (Dz.U. 2022
  poz. 1518); ``P`` (a pedestrian way) is Miasto's own class for streets closed to traffic.
- Building uses, service and constraint kinds, district characters: the spine models'
  choices (:mod:`miasto.territory.models`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _

from miasto.territory.models import (
    Address,
    Building,
    Constraint,
    District,
    Parcel,
    PublicService,
    Street,
)

#: EGiB land-use classes (załącznik nr 6 do rozporządzenia w sprawie EGiB, 2021)
LAND_USE_CLASSES: dict[str, Any] = {
    # grunty rolne
    "R": _("arable land"),
    "S": _("orchards"),
    "Ł": _("permanent meadows"),
    "Ps": _("permanent pastures"),
    "Br": _("built-up agricultural land"),
    "Wsr": _("land under fish ponds"),
    "W": _("land under ditches"),
    "Lzr": _("wooded and shrub land on agricultural land"),
    "N": _("wasteland"),
    # grunty leśne
    "Ls": _("forests"),
    "Lz": _("wooded and shrub land"),
    # grunty zabudowane i zurbanizowane
    "B": _("residential land"),
    "Ba": _("industrial land"),
    "Bi": _("other built-up land"),
    "Bp": _("urbanised land not built up or under construction"),
    "Bz": _("recreation and leisure land"),
    "K": _("mineral extraction land"),
    "dr": _("roads"),
    "Tk": _("railway land"),
    "Ti": _("other transport land"),
    "Tp": _("land designated for public roads or railway lines"),
    # grunty pod wodami
    "Wm": _("land under internal sea waters"),
    "Wp": _("land under flowing surface waters"),
    "Ws": _("land under standing surface waters"),
    # tereny różne
    "Tr": _("miscellaneous land"),
}

#: soil quality classes that may follow a farmland or forest class (``RIIIa``, ``LsIV``)
SOIL_CLASSES = ("I", "II", "IIIa", "IIIb", "III", "IVa", "IVb", "IV", "V", "VI", "VIz")

#: public road classes (rozporządzenie w sprawie przepisów techniczno-budowlanych dotyczących
#: dróg publicznych, 2022, § 4) and Miasto's pedestrian way
ROAD_CLASSES: dict[str, Any] = {
    "A": _("motorway"),
    "S": _("expressway"),
    "GP": _("main road of accelerated traffic"),
    "G": _("main road"),
    "Z": _("collector road"),
    "L": _("local road"),
    "D": _("access road"),
    Street.RoadClass.PEDESTRIAN.value: _("pedestrian way"),
}


def _choices(field: type[models.TextChoices]) -> dict[str, Any]:
    return {value: label for value, label in field.choices}


def _land_use_part(code: str) -> str:
    """One class, with its soil class where it has one ("RIIIa" → "grunty orne, klasa
    gleboznawcza IIIa", "Br-RIIIa" → "grunty rolne zabudowane — grunty orne, …"); the code
    itself when unknown."""
    if code in LAND_USE_CLASSES:
        return str(LAND_USE_CLASSES[code])
    for known in sorted(LAND_USE_CLASSES, key=len, reverse=True):  # the longest class first
        if not code.startswith(known):
            continue
        rest = code[len(known) :].lstrip("-")
        if rest in SOIL_CLASSES:
            return str(
                _("%(use)s, soil class %(soil)s") % {"use": LAND_USE_CLASSES[known], "soil": rest}
            )
        if rest and (named := _land_use_part(rest)) != rest:
            return f"{LAND_USE_CLASSES[known]} — {named}"
    return code


def land_use_label(value: str | None) -> str:
    """The land-use classes of a parcel in words ("B,R" → "tereny mieszkaniowe, grunty
    orne"); "" when none."""
    if not value:
        return ""
    parts = [p.strip() for p in str(value).replace(";", ",").split(",") if p.strip()]
    return "; ".join(_land_use_part(p) for p in parts)


def road_class_label(value: str | None) -> str:
    """A road class in words ("D" → "droga dojazdowa"); the code when unknown."""
    if not value:
        return ""
    return str(ROAD_CLASSES.get(value, value))


#: {layer: {field: {code: label}}}: the coded fields of the spine's layers
CODE_LISTS: dict[str, dict[str, Mapping[str, Any]]] = {
    "parcels": {"land_use": LAND_USE_CLASSES},
    "buildings": {"use": _choices(Building.Use)},
    "streets": {"road_class": ROAD_CLASSES},
    "services": {"kind": _choices(PublicService.Kind)},
    "constraints": {"kind": _choices(Constraint.Kind)},
    "districts": {"character": _choices(District.Character)},
}


def code_lists() -> dict[str, dict[str, dict[str, str]]]:
    """:data:`CODE_LISTS` in the active language, for the front end (the map's table and
    panel). Land use lists the single classes; a compound value is named part by part
    (util.js ``codeLabel``, as :func:`land_use_label`)."""
    return {
        layer: {
            field: {code: str(label) for code, label in values.items()}
            for field, values in fields.items()
        }  # fmt: skip
        for layer, fields in CODE_LISTS.items()
    }


#: the spine models behind the layers and the data hub's spine targets
MODELS: dict[str, type[models.Model]] = {
    "parcels": Parcel,
    "buildings": Building,
    "addresses": Address,
    "streets": Street,
    "services": PublicService,
    "constraints": Constraint,
    "districts": District,
}

#: fields whose values are codes, per layer: how to name a value
VALUE_LABELS = {
    ("parcels", "land_use"): land_use_label,
    ("streets", "road_class"): road_class_label,
}


def field_label(layer: str, field: str) -> str:
    """A spine field's name in words ("use" → "funkcja"), from its model; the field's name
    when the layer or the field is unknown (or a relation seen from the other side)."""
    model = MODELS.get(layer)
    if model is None:
        return field
    try:
        found = model._meta.get_field(field)
    except FieldDoesNotExist:
        return field
    return str(getattr(found, "verbose_name", field))


def value_label(layer: str, field: str, value: Any) -> str:
    """A coded value of a spine field in words; the value itself when it is not a code of
    the field's list (or the field has none)."""
    if value is None or value == "":
        return ""
    named = VALUE_LABELS.get((layer, field))
    if named is not None:
        return named(str(value))
    values = CODE_LISTS.get(layer, {}).get(field) or {}
    return str(values.get(str(value), value))
