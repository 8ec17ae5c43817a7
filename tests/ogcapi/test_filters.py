"""OGC API Features Part 3: CQL2 text and JSON filters — comparisons, LIKE, IN, BETWEEN,
IS NULL, CASEI, spatial predicates in CRS84 and in ``filter-crs``, temporal predicates."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.gis.geos import Point

pytestmark = pytest.mark.django_db


def ids(client: Any, cid: str, flt: str | dict[str, Any], **params: Any) -> list[Any]:
    if isinstance(flt, dict):
        params |= {"filter": json.dumps(flt), "filter-lang": "cql2-json"}
    else:
        params["filter"] = flt
    r = client.get(f"/ogcapi/collections/{cid}/items", {"limit": 100, **params})
    assert r.status_code == 200, r.content.decode()
    return [f["id"] for f in json.loads(r.content)["features"]]


def numbers(client: Any, flt: str | dict[str, Any], **params: Any) -> set[int]:
    """The parcels found, by their number in the town: 1 to 30 (cells 0 to 29)."""
    town = client.town
    index = {p.identifier: n + 1 for n, p in enumerate(town["parcels"])}
    return {index[i] for i in ids(client, "parcels", flt, **params)}


@pytest.fixture
def client(client, town):  # type: ignore[no-untyped-def]
    client.town = town
    return client


def test_comparisons_and_logic(client, town):
    # parcels 1..30; land use R for cells 0, 3, 6… (numbers 1, 4, 7…)
    assert numbers(client, "land_use = 'R'") == set(range(1, 31, 3))
    p = town["parcels"]
    three = ",".join(f"'{x.number}'" for x in p[:3])
    assert numbers(client, f"land_use <> 'R' AND number IN ({three})") == {2, 3}
    assert numbers(client, "NOT (land_use = 'B') AND area >= 625") == set(range(1, 31, 3))
    assert numbers(client, f"number = '{p[4].number}' OR number = '{p[5].number}'") == {5, 6}
    assert numbers(client, "area < 0") == set()


def test_like_between_isnull_casei(client, town):
    unit = town["parcels"][0].identifier.split(".")[0]
    assert numbers(client, f"identifier LIKE '{unit}.%' AND land_use LIKE 'R%'") == set(
        range(1, 31, 3)
    )
    assert numbers(client, "land_use LIKE '_'") == set(range(1, 31))
    assert numbers(client, "CASEI(land_use) = casei('r')") == set(range(1, 31, 3))
    buildings = ids(client, "buildings", "year_built BETWEEN 1960 AND 1970 AND height > 10")
    assert len(buildings) == 5
    assert ids(client, "buildings", "year_built IS NULL") == []
    assert len(ids(client, "buildings", "year_built IS NOT NULL")) == 5


def test_cql2_json(client, town):
    flt = {"op": "and", "args": [
        {"op": "=", "args": [{"property": "land_use"}, "R"]},
        {"op": "between", "args": [{"property": "area"}, 600, 700]},
        {"op": "in", "args": [{"property": "number"}, [p.number for p in town["parcels"][:5]]]},
    ]}  # fmt: skip
    assert numbers(client, flt) == {1, 4}
    like = {"op": "like", "args": [{"property": "land_use"}, "B%"]}
    assert len(numbers(client, like)) == 20
    assert numbers(client, {"op": "isNull", "args": [{"property": "land_use"}]}) == set()


def test_spatial_filter_in_crs84_and_in_filter_crs(client, town):
    parcel = town["parcels"][4]
    inside = parcel.geom.point_on_surface
    lonlat = inside.transform(4326, clone=True)
    assert numbers(client, f"S_INTERSECTS(geometry, POINT({lonlat.x} {lonlat.y}))") == {5}
    # EPSG:2180 literal: northing first
    wkt = f"POINT({inside.y} {inside.x})"
    crs2180 = {"filter-crs": "http://www.opengis.net/def/crs/EPSG/0/2180"}
    assert numbers(client, f"S_INTERSECTS(geometry, {wkt})", **crs2180) == {5}
    point = {"type": "Point", "coordinates": [lonlat.x, lonlat.y]}
    assert numbers(client, {"op": "s_intersects", "args": [{"property": "geometry"}, point]}) == {5}
    x0, y0, x1, y1 = parcel.geom.extent
    corner = Point(x0 - 1, y0 - 1, srid=2180).transform(4326, clone=True)
    far = Point(x1 + 1, y1 + 1, srid=2180).transform(4326, clone=True)
    box = f"POLYGON(({corner.x} {corner.y}, {far.x} {corner.y}, {far.x} {far.y}, {corner.x} {far.y}, {corner.x} {corner.y}))"  # noqa: E501
    assert numbers(client, f"S_WITHIN(geometry, {box})") == {5}
    assert numbers(client, f"S_CONTAINS(geometry, POINT({lonlat.x} {lonlat.y}))") == {5}
    assert len(numbers(client, f"S_DISJOINT(geometry, {box})")) == 29
    env = f"S_INTERSECTS(geometry, BBOX({corner.x},{corner.y},{far.x},{far.y}))"
    assert 5 in numbers(client, env)


def test_temporal_filters(client, town):
    zones = list(town["plan"].zones.order_by("id"))
    zones[0].valid_from, zones[0].valid_to = "2020-01-01", "2022-12-31"
    zones[0].save()
    zones[1].valid_from = "2024-06-01"
    zones[1].save()
    a, b = zones[0].id, zones[1].id
    assert ids(client, "zones", "T_AFTER(valid_from, DATE('2023-01-01'))") == [b]
    assert ids(client, "zones", "T_BEFORE(valid_from, DATE('2023-01-01'))") == [a]
    assert ids(client, "zones", "valid_from > DATE('2023-01-01')") == [b]
    assert ids(client, "zones", "valid_from > '2023-01-01'") == [b]
    assert ids(
        client, "zones", "T_INTERSECTS(valid_from, INTERVAL('2019-01-01', '2020-06-01'))"
    ) == [a]
    assert ids(client, "zones", "T_DURING(valid_from, INTERVAL('2024-01-01', '..'))") == [b]
    assert ids(client, "zones", "T_EQUALS(valid_from, DATE('2020-01-01'))") == [a]
    after = {"op": "t_after", "args": [{"property": "valid_from"}, {"date": "2023-01-01"}]}
    assert ids(client, "zones", after) == [b]
    assert ids(client, "zones", {"op": "t_intersects", "args": [
        {"property": "valid_from"}, {"interval": ["2024-06-01", ".."]}]}) == [b]  # fmt: skip


def test_filter_combines_with_bbox_and_paging(client, town):
    r = client.get("/ogcapi/collections/parcels/items", {"filter": "land_use = 'B'", "limit": 5})
    doc = json.loads(r.content)
    assert doc["numberMatched"] == 20 and doc["numberReturned"] == 5
    nxt = next(link["href"] for link in doc["links"] if link["rel"] == "next")
    assert "filter=land_use" in nxt
