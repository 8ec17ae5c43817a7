"""Is the layer where the city is? The coordinate system check of a quality report."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import DatabaseError, transaction
from psycopg import sql

from miasto.core.db import fetch_one, fetch_value
from miasto.datahub.quality.tables import ident

SRID = settings.MIASTO_SRID

#: PUWG 1992 (EPSG:2180) extent of Poland with a margin.
POLAND_2180 = (140_000.0, 120_000.0, 880_000.0, 860_000.0)
CITY_MARGIN = 20_000.0

Box = tuple[float, ...]

_EXTENT = sql.SQL(
    "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) "
    "FROM (SELECT ST_Extent(geom)::geometry e FROM {}) x"
)

#: the point (x, y) of the version's CRS read as (lat, lon) swapped: back in that CRS
_LONLAT_SWAPPED = sql.SQL(
    "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_Transform(ST_SetSRID(ST_MakePoint("
    "ST_Y(g), ST_X(g)), 4326), {srid}) p FROM (SELECT ST_Transform(ST_SetSRID("
    "ST_MakePoint(%s, %s), {srid}), 4326) g) a) b"
).format(srid=sql.Literal(SRID))

SWAPPED_AXES = (
    "Dane leżą poza miastem, a po zamianie osi X/Y trafiłyby w nie — "
    "prawdopodobnie zamieniona kolejność współrzędnych (northing/easting)."
)
SWAPPED_LONLAT = (
    "Dane leżą poza miastem, a po zamianie długości i szerokości geograficznej "
    "trafiłyby w nie — prawdopodobnie zamienione kolumny lon/lat."
)
WRONG_CRS = (
    "Zasięg danych leży poza Polską — prawdopodobnie zadeklarowano zły układ "
    "współrzędnych (np. liczby w EPSG:2180 opisane jako EPSG:4326)."
)


def city_fingerprint() -> str:
    """An md5 of the city's geometries: a later check knows whether the city is the same."""
    query = "SELECT md5(string_agg(ST_AsEWKB(geom), ''::bytea ORDER BY id)) FROM territory_city"
    return str(fetch_value(query))


def table_extent(table: str) -> Box | None:
    """(x min, y min, x max, y max) of ``table``'s geometries."""
    return fetch_one(_EXTENT.format(ident(table)))


def city_box() -> Box:
    """The city's extent with a margin, or Poland's without a city."""
    city = fetch_one(_EXTENT.format(sql.Identifier("territory_city")))
    if city and city[0] is not None:
        return (
            city[0] - CITY_MARGIN,
            city[1] - CITY_MARGIN,
            city[2] + CITY_MARGIN,
            city[3] + CITY_MARGIN,
        )
    return POLAND_2180


def inside(x: float, y: float, box: Box) -> bool:
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def lonlat_swapped(cx: float, cy: float) -> tuple[float, float] | None:
    """The point (``cx``, ``cy``) transformed to geographic, lon and lat swapped, transformed
    back; ``None`` where PostGIS cannot transform it."""
    try:
        with transaction.atomic():
            back = fetch_one(_LONLAT_SWAPPED, [cx, cy])
    except DatabaseError:
        return None
    if not back or back[0] is None:
        return None
    return back[0], back[1]


def crs_check(table: str, extent: Box | None = None) -> dict[str, Any]:
    """Is the extent where the city is? If not, would swapping the axes put it there?

    ``extent``: the table's (x min, y min, x max, y max), if known."""
    ext = extent or table_extent(table)
    result: dict[str, Any] = {"swapped_axes": False, "wrong_crs": False, "message": ""}
    if ext is None or ext[0] is None:
        return result
    result["extent"] = [round(v, 2) for v in ext]
    cx, cy = (ext[0] + ext[2]) / 2, (ext[1] + ext[3]) / 2
    box = city_box()
    if inside(cx, cy, box):
        return result
    if inside(cy, cx, box):
        return result | {"swapped_axes": True, "message": SWAPPED_AXES}
    back = lonlat_swapped(cx, cy)
    if back and inside(back[0], back[1], box):
        return result | {"swapped_axes": True, "message": SWAPPED_LONLAT}
    if not inside(cx, cy, POLAND_2180):
        return result | {"wrong_crs": True, "message": WRONG_CRS}
    return result
