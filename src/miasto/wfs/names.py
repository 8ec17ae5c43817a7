"""Names in the WFS: feature types, properties and CRSs.

Feature type names are the collections' ids when they are XML names, else ``c_`` + the id
with other characters as ``_`` (a dataset's slug may start with a digit); property names
likewise. CRSs are named ``urn:ogc:def:crs:EPSG::<code>`` and written in the authority's
axis order (EPSG:4326 latitude first, EPSG:2180 northing first), as WFS 2.0 and GDAL expect;
a short ``EPSG:<code>`` in a request is read in x/y (easting or longitude first) order.
"""

from __future__ import annotations

import re

from miasto.core import crs as crs_mod
from miasto.core.collections import Collection, collections_all
from miasto.core.errors import InvalidParameter

_NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
URN = "urn:ogc:def:crs:EPSG::"
#: the CRSs offered, storage first (the default)
CODES = (2180, 4326, 2176, 2177, 2178, 2179, 3857)


def xml_name(name: str) -> str:
    if _NCNAME.match(name):
        return name
    return "c_" + re.sub(r"[^A-Za-z0-9_.-]", "_", name)


def type_name(collection: Collection) -> str:
    return xml_name(collection.id)


def collection_by_type(name: str) -> Collection | None:
    """The collection a TYPENAMES value names (with or without the ``miasto:`` prefix)."""
    local = name.split(":", 1)[1] if ":" in name else name
    return next((c for c in collections_all() if type_name(c) == local), None)


def urn(srid: int) -> str:
    return f"{URN}{srid}"


def parse_srs(value: str | None) -> crs_mod.Crs:
    """SRSNAME (or a BBOX's CRS): a URN or URI in the authority's axis order, a short
    ``EPSG:n`` in x/y order; the storage CRS when absent."""
    if value is None or not value.strip():
        return crs_mod.STORAGE
    text = value.strip()
    try:
        found = crs_mod.parse(text, "srsName")
    except InvalidParameter:
        raise InvalidParameter(
            f"Nieobsługiwany układ współrzędnych „{text[:80]}”; dozwolone: "
            + ", ".join(urn(c) for c in CODES)
        ) from None
    if text.upper().startswith("EPSG:") and found.flip:
        return crs_mod.Crs(found.uri, found.srid, False, found.decimals)
    return found
