"""Controlled vocabularies of DCAT-AP (and so DCAT-AP-PL), with Polish labels.

- Data themes: the EU Publications Office "data-theme" authority table.
- Frequencies: the EU "frequency" authority table, with the period after which a dataset is stale.
- Licences: a short list; CC BY 4.0 is the default for open city data.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _

EU_AUTHORITY = "http://publications.europa.eu/resource/authority"


class Theme(models.TextChoices):
    AGRI = "AGRI", _("Agriculture, fisheries, forestry and food")
    ECON = "ECON", _("Economy and finance")
    EDUC = "EDUC", _("Education, culture and sport")
    ENER = "ENER", _("Energy")
    ENVI = "ENVI", _("Environment")
    GOVE = "GOVE", _("Government and public sector")
    HEAL = "HEAL", _("Health")
    INTR = "INTR", _("International issues")
    JUST = "JUST", _("Justice, legal system and public safety")
    REGI = "REGI", _("Regions and cities")
    SOCI = "SOCI", _("Population and society")
    TECH = "TECH", _("Science and technology")
    TRAN = "TRAN", _("Transport")


class Frequency(models.TextChoices):
    DAILY = "DAILY", _("daily")
    WEEKLY = "WEEKLY", _("weekly")
    MONTHLY = "MONTHLY", _("monthly")
    QUARTERLY = "QUARTERLY", _("quarterly")
    BIANNUAL = "BIANNUAL", _("every six months")
    ANNUAL = "ANNUAL", _("annual")
    BIENNIAL = "BIENNIAL", _("every two years")
    IRREG = "IRREG", _("irregular")
    NEVER = "NEVER", _("never (historical)")
    UNKNOWN = "UNKNOWN", _("unknown")


#: After how long a dataset of this frequency is stale (None: never stale).
FREQUENCY_PERIOD: dict[str, timedelta | None] = {
    Frequency.DAILY: timedelta(days=1),
    Frequency.WEEKLY: timedelta(days=7),
    Frequency.MONTHLY: timedelta(days=31),
    Frequency.QUARTERLY: timedelta(days=92),
    Frequency.BIANNUAL: timedelta(days=183),
    Frequency.ANNUAL: timedelta(days=366),
    Frequency.BIENNIAL: timedelta(days=731),
    Frequency.IRREG: None,
    Frequency.NEVER: None,
    Frequency.UNKNOWN: None,
}


class Licence(models.TextChoices):
    CC_BY_4 = "CC-BY-4.0", "CC BY 4.0"
    CC_BY_SA_4 = "CC-BY-SA-4.0", "CC BY-SA 4.0"
    CC0 = "CC0-1.0", "CC0 1.0"
    ODBL = "ODbL-1.0", "ODbL 1.0"
    INTERNAL = "internal", _("internal use only")


LICENCE_URI = {
    Licence.CC_BY_4: "https://creativecommons.org/licenses/by/4.0/",
    Licence.CC_BY_SA_4: "https://creativecommons.org/licenses/by-sa/4.0/",
    Licence.CC0: "https://creativecommons.org/publicdomain/zero/1.0/",
    Licence.ODBL: "https://opendatacommons.org/licenses/odbl/1-0/",
    Licence.INTERNAL: "",
}


def theme_uri(code: str) -> str:
    return f"{EU_AUTHORITY}/data-theme/{code}"


def frequency_uri(code: str) -> str:
    return f"{EU_AUTHORITY}/frequency/{code}"


#: geometry types as GDAL and PostGIS name them (``DatasetVersion.geometry_type``), in words
GEOMETRY_TYPES = {
    "point": _("points"),
    "multipoint": _("points (multi-part)"),
    "linestring": _("lines"),
    "multilinestring": _("lines (multi-part)"),
    "polygon": _("polygons"),
    "multipolygon": _("polygons (multi-part)"),
    "geometrycollection": _("mixed geometries"),
    "geometry": _("mixed geometries"),
}


def geometry_label(geometry_type: str) -> str:
    """A geometry type in words ("MultiPolygon" → "wielokąty (wieloczęściowe)"); the type
    itself when unknown (a Z or M suffix is left out)."""
    name = (geometry_type or "").replace(" ", "").lower()
    for suffix in ("zm", "z", "m", "25d"):
        if name not in GEOMETRY_TYPES and name.endswith(suffix):
            name = name[: -len(suffix)]
    return str(GEOMETRY_TYPES.get(name, geometry_type))
