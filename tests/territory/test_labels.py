"""The map's names come from the vector tiles: street labels along the road segments and one
label point per district (``district-labels``), decoded from real MVT built by PostGIS."""

from __future__ import annotations

import math

import mapbox_vector_tile
import pytest
from django.contrib.gis.geos import LineString, MultiLineString, MultiPolygon, Point, Polygon

from miasto.territory.models import RoadSegment, Street
from tests.territory import factories as tf

pytestmark = pytest.mark.django_db

EXTENT = 4096


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def lonlat(point: Point) -> tuple[float, float]:
    p = point.transform(4326, clone=True)
    return p.x, p.y


def tile_lonlat(z: int, x: int, y: int, px: float, py: float) -> tuple[float, float]:
    """A point in tile ``z/x/y`` (MVT pixels, y up as mapbox_vector_tile decodes) to lon/lat."""
    n = 2**z
    fx = x + px / EXTENT
    fy = y + (EXTENT - py) / EXTENT
    lon = fx / n * 360 - 180
    lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * fy / n))))
    return lon, lat


def features(client, layer: str, z: int, at: Point) -> tuple[list[dict], tuple[int, int]]:  # type: ignore[no-untyped-def]
    lon, lat = lonlat(at)
    x, y = tile_of(lon, lat, z)
    response = client.get(f"/tiles/{layer}/{z}/{x}/{y}.mvt")
    assert response.status_code == 200
    decoded = mapbox_vector_tile.decode(response.content)
    return decoded.get(layer, {}).get("features", []), (x, y)


@pytest.fixture
def streets(db):  # type: ignore[no-untyped-def]
    """Three streets, each of two segments meeting at a junction (as the spine splits them)."""
    x, y = tf.CENTRE_X, tf.CENTRE_Y
    for name, kind, road_class, dy in [
        ("Długa", Street.Kind.STREET, Street.RoadClass.L, 0),
        ("Lipowa", Street.Kind.AVENUE, Street.RoadClass.G, 40),
        ("Grunwaldzki", Street.Kind.SQUARE, Street.RoadClass.D, 80),
    ]:
        parts = [
            LineString((x - 300, y + dy), (x, y + dy), srid=2180),
            LineString((x, y + dy), (x + 300, y + dy), srid=2180),
        ]
        street = tf.StreetFactory(
            name=name, kind=kind, road_class=road_class, geom=MultiLineString(*parts, srid=2180)
        )
        for part in parts:
            RoadSegment.objects.create(street=street, road_class=road_class, geom=part)
    return Point(x, y + 40, srid=2180)


def test_street_names_are_one_line_per_street(client, streets):  # type: ignore[no-untyped-def]
    found, _ = features(client, "street-labels", 16, streets)
    labels = {f["properties"]["label"]: f for f in found}
    # "ul." is left out on the map (the street is obviously one); other kinds keep theirs
    assert set(labels) == {"Długa", "al. Lipowa", "pl. Grunwaldzki"}
    assert len(found) == 3  # the two segments of each street merged into one line to name
    assert all(f["geometry"]["type"] == "LineString" for f in found)
    assert labels["al. Lipowa"]["properties"]["road_class"] == "G"
    # the segments stay apart in the streets layer (the routing edges), with the full name
    segments, _ = features(client, "streets", 16, streets)
    assert len(segments) == 6
    assert {f["properties"]["name"] for f in segments} >= {"ul. Długa", "al. Lipowa"}


def test_street_names_at_city_zooms_only_for_main_roads(client, streets):  # type: ignore[no-untyped-def]
    found, _ = features(client, "street-labels", 12, streets)
    assert [f["properties"]["label"] for f in found] == ["al. Lipowa"]
    found, _ = features(client, "street-labels", 11, streets)
    assert found == []  # below the layer's minimum zoom


@pytest.fixture
def u_district(db):  # type: ignore[no-untyped-def]
    """A U-shaped district (its centroid lies in the notch, outside it) and a square one."""
    x, y = tf.CENTRE_X - 2_000, tf.CENTRE_Y - 2_000
    u = Polygon(
        (
            (x, y),
            (x + 3_000, y),
            (x + 3_000, y + 3_000),
            (x + 2_000, y + 3_000),
            (x + 2_000, y + 800),
            (x + 1_000, y + 800),
            (x + 1_000, y + 3_000),
            (x, y + 3_000),
            (x, y),
        ),
        srid=2180,
    )
    city = tf.CityFactory()
    concave = tf.DistrictFactory(
        city=city, code="U1", name="Osiedle Kopernika", geom=MultiPolygon(u, srid=2180)
    )
    square = tf.DistrictFactory(
        city=city,
        code="S1",
        name="Fabryczna",
        geom=MultiPolygon(tf.square(x + 3_000, y, 3_000), srid=2180),
    )
    return concave, square


def test_one_label_point_per_district_inside_it(client, u_district):  # type: ignore[no-untyped-def]
    concave, square = u_district
    assert not concave.geom.contains(concave.geom.centroid)  # the case a centroid gets wrong
    z = 11
    found, (x, y) = features(client, "district-labels", z, concave.geom.centroid)
    by_name = {f["properties"]["name"]: f for f in found}
    assert set(by_name) == {"Osiedle Kopernika", "Fabryczna"}
    assert len(found) == 2  # one point each, not one per tile piece
    for district in (concave, square):
        feature = by_name[district.name]
        assert feature["geometry"]["type"] == "Point"
        assert feature["properties"]["code"] == district.code
        lon, lat = tile_lonlat(z, x, y, *feature["geometry"]["coordinates"])
        point = Point(lon, lat, srid=4326).transform(2180, clone=True)
        # inside, and well away from the edges (the widest place of the district)
        assert district.geom.contains(point)
        assert district.geom.boundary.distance(point) > 300


def test_district_labels_are_served_from_city_zooms(client, u_district):  # type: ignore[no-untyped-def]
    concave, _ = u_district
    found, _ = features(client, "district-labels", 8, concave.geom.centroid)
    assert found == []  # below the layer's minimum zoom: an empty tile
    lon, lat = lonlat(concave.geom.centroid)
    x, y = tile_of(lon, lat, 17)
    assert client.get(f"/tiles/district-labels/17/{x}/{y}.mvt").status_code == 404
