"""CRS parameters: digits that str.isdigit() accepts and int() refuses are a 400."""

from __future__ import annotations

import pytest

from miasto.core import crs
from miasto.core.errors import InvalidParameter
from miasto.core.geo import parse_crs


@pytest.mark.parametrize("value", ["EPSG:¹", "²¹⁸⁰", "EPSG:2180\u0660"])
def test_unicode_digits_are_invalid(value):
    with pytest.raises(InvalidParameter):
        parse_crs(value)


def test_ascii_codes_still_parse():
    assert parse_crs("EPSG:2180") == 2180 and parse_crs("CRS84") == 4326


@pytest.mark.parametrize(
    ("bbox", "srid"),
    [
        ((19.0, 52.0, 19.02, 52.01), 4326),  # on the central meridian of EPSG:2180
        ((14.2, 53.8, 14.25, 53.83), 4326),  # far west: the edges turn by about 3°
        ((23.8, 50.9, 23.9, 50.95), 4326),  # far east
        ((2115000.0, 6800000.0, 2116000.0, 6801000.0), 3857),
        ((500000.0, 400000.0, 501000.0, 401000.0), 2180),
    ],
)
@pytest.mark.django_db
def test_the_inner_box_is_inside_the_transformed_bbox(bbox, srid):  # type: ignore[no-untyped-def]
    """core.crs.inner_box: the rectangle the bbox filter trusts without an exact test lies
    inside the bbox as PostGIS transforms it, and fills most of it."""
    from django.contrib.gis.geos import GEOSGeometry, Polygon

    from miasto.core.db import fetch_value

    inner = crs.inner_box(bbox, srid, 16)
    assert inner is not None
    west, south, east, north = bbox
    seg = max(east - west, north - south) / 16
    outer = fetch_value(
        "SELECT ST_AsText(ST_Transform(ST_Segmentize(ST_MakeEnvelope(%s, %s, %s, %s, %s),"
        " %s), 2180))",
        [west, south, east, north, srid, seg],
    )
    polygon = GEOSGeometry(outer, srid=2180)
    rectangle = Polygon.from_bbox(inner)
    assert polygon.contains(rectangle)
    assert rectangle.area > 0.8 * polygon.area


def test_no_inner_box_outside_the_projection():  # type: ignore[no-untyped-def]
    assert crs.inner_box((179.0, -89.0, 180.0, -88.0), 4326, 16) is None
