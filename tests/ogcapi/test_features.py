"""OGC API Features Part 1 and 2 at /ogcapi/: landing page, conformance, collections, items
(GeoJSON built by PostGIS), paging, properties, sorting, bbox, datetime, CRS and axis order,
single features and the HTML pages."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.gis.geos import Point

from tests.ogcapi.conftest import PARCELS

pytestmark = pytest.mark.django_db

SPINE = {"parcels", "buildings", "addresses", "streets", "districts", "precincts", "services",
         "constraints", "plans", "zones"}  # fmt: skip


def get(client: Any, path: str, **params: Any) -> Any:
    return client.get(path, params)


def items(client: Any, cid: str, **params: Any) -> dict[str, Any]:
    r = client.get(f"/ogcapi/collections/{cid}/items", params)
    assert r.status_code == 200, r.content
    assert r["Content-Type"] == "application/geo+json"
    return json.loads(r.content)


def rels(doc: dict[str, Any]) -> dict[str, str]:
    return {link["rel"]: link["href"] for link in doc["links"]}


def test_landing_page_links_what_clients_need(client, town):
    doc = get(client, "/ogcapi/").json()
    links = rels(doc)
    for rel in ("self", "service-desc", "conformance", "data"):
        assert rel in links
    assert links["service-desc"].endswith("/ogcapi/api")
    assert links["data"].endswith("/ogcapi/collections")


def test_conformance_declares_parts_1_to_3_and_tiles(client):
    classes = get(client, "/ogcapi/conformance").json()["conformsTo"]
    for part in ("ogcapi-features-1/1.0/conf/core", "ogcapi-features-1/1.0/conf/geojson",
                 "ogcapi-features-2/1.0/conf/crs", "ogcapi-features-3/1.0/conf/filter",
                 "cql2/1.0/conf/cql2-text", "cql2/1.0/conf/cql2-json",
                 "cql2/1.0/conf/temporal-functions", "ogcapi-tiles-1/1.0/conf/mvt"):  # fmt: skip
        assert any(c.endswith(part) for c in classes), part
    # not implemented, so not declared
    assert not any("arithmetic" in c or "array-functions" in c for c in classes)


def test_collections_list_the_spine_plans_and_public_datasets(client, town):
    doc = get(client, "/ogcapi/collections").json()
    ids = {c["id"] for c in doc["collections"]}
    assert ids >= SPINE
    assert "ds-drzewa-public" in ids and "ds-stare" in ids
    parcels = next(c for c in doc["collections"] if c["id"] == "parcels")
    assert parcels["storageCrs"] == "http://www.opengis.net/def/crs/EPSG/0/2180"
    assert "http://www.opengis.net/def/crs/OGC/1.3/CRS84" in parcels["crs"]
    assert "http://www.opengis.net/def/crs/EPSG/0/2176" in parcels["crs"]


def test_collection_has_extent_queryables_and_items_links(client, town):
    doc = get(client, "/ogcapi/collections/parcels").json()
    west, south, east, north = doc["extent"]["spatial"]["bbox"][0]
    assert 18.9 < west < east < 19.1 and 51.4 < south < north < 51.6
    links = {(link["rel"], link["type"]) for link in doc["links"]}
    assert ("items", "application/geo+json") in links
    assert ("http://www.opengis.net/def/rel/ogc/1.0/queryables", "application/schema+json") in links
    assert doc["itemType"] == "feature"


def test_temporal_extent_of_zones(client, town):
    town["plan"].zones.update(valid_from="2021-03-01")
    doc = get(client, "/ogcapi/collections/zones").json()
    assert doc["extent"]["temporal"]["interval"][0][0].startswith("2021-03-01")


def test_items_are_geojson_with_counts_and_paging_links(client, town):
    first = items(client, "parcels", limit=10)
    assert first["type"] == "FeatureCollection"
    assert first["numberReturned"] == 10 and first["numberMatched"] == PARCELS
    assert "timeStamp" in first
    links = rels(first)
    assert "next" in links and "prev" not in links
    ids = [f["id"] for f in first["features"]]
    assert ids == sorted(ids)
    second = json.loads(client.get(links["next"]).content)
    assert second["numberReturned"] == 10
    assert not {f["id"] for f in second["features"]} & set(ids)
    assert "prev" in rels(second)
    last = items(client, "parcels", limit=10, offset=20)
    assert last["numberReturned"] == 10 and "next" not in rels(last)


def test_number_matched_on_every_kind_of_page(client, town):
    """A full page counts the results again; a page that is not full, the last one, gives the
    count itself; a page past the end still knows the count."""
    for query in ({}, {"offset": 20}, {"offset": 25}, {"offset": PARCELS}, {"offset": 999}):
        for limit in (5, 10, PARCELS, 1000):
            doc = items(client, "parcels", limit=limit, **query)
            assert doc["numberMatched"] == PARCELS, (limit, query)
    assert items(client, "parcels", filter="land_use = 'R'", limit=3)["numberMatched"] == 10
    assert items(client, "parcels", filter="land_use = 'R'", offset=8)["numberMatched"] == 10
    assert items(client, "parcels", filter="land_use = 'nic'")["numberMatched"] == 0


def test_every_feature_of_a_collection_is_paged_once(client, town):
    seen: list[str] = []
    doc = items(client, "parcels", limit=7)
    while True:
        seen += [f["id"] for f in doc["features"]]
        nxt = rels(doc).get("next")
        if not nxt:
            break
        doc = json.loads(client.get(nxt).content)
    assert sorted(seen) == sorted(p.identifier for p in town["parcels"])


def test_limit_above_the_maximum_is_capped_with_a_next_link(client, town, settings):
    settings.MIASTO_OGC_MAX_LIMIT = 5
    doc = items(client, "parcels", limit=1_000_000)
    assert doc["numberReturned"] == 5
    assert "limit=5" in rels(doc)["next"]


def test_properties_selects_and_sortby_orders(client, town):
    doc = items(client, "buildings", properties="storeys,use", sortby="-identifier")
    first = doc["features"][0]
    assert set(first["properties"]) == {"storeys", "use"}
    ids = [f["id"] for f in doc["features"]]
    assert ids == sorted(ids, reverse=True)
    empty = items(client, "parcels", properties="", limit=1)
    assert empty["features"][0]["properties"] == {}


def test_bbox_in_crs84_and_in_epsg_2180_with_its_axis_order(client, town):
    parcel = town["parcels"][0]
    x0, y0, x1, y1 = parcel.geom.extent
    centre = Point((x0 + x1) / 2, (y0 + y1) / 2, srid=2180).transform(4326, clone=True)
    d = 0.00001
    doc = items(
        client, "parcels", bbox=f"{centre.x - d},{centre.y - d},{centre.x + d},{centre.y + d}"
    )
    assert [f["id"] for f in doc["features"]] == [parcel.identifier]
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    # EPSG:2180 is northing, easting
    doc = items(client, "parcels", bbox=f"{cy - 1},{cx - 1},{cy + 1},{cx + 1}",
                **{"bbox-crs": "http://www.opengis.net/def/crs/EPSG/0/2180"})  # fmt: skip
    assert [f["id"] for f in doc["features"]] == [parcel.identifier]
    # EPSG:4326 is latitude, longitude
    latlon = f"{centre.y - d},{centre.x - d},{centre.y + d},{centre.x + d}"
    doc = items(client, "parcels", bbox=latlon,
                **{"bbox-crs": "EPSG:4326"})  # fmt: skip
    assert [f["id"] for f in doc["features"]] == [parcel.identifier]


def _first_coordinate(doc: dict[str, Any]) -> list[float]:
    return doc["features"][0]["geometry"]["coordinates"][0][0][0]


@pytest.mark.parametrize(
    ("crs", "flip", "metric"),
    [
        ("http://www.opengis.net/def/crs/OGC/1.3/CRS84", False, False),
        ("http://www.opengis.net/def/crs/EPSG/0/4326", True, False),
        ("http://www.opengis.net/def/crs/EPSG/0/2180", True, True),
        ("http://www.opengis.net/def/crs/EPSG/0/2176", True, True),
        ("http://www.opengis.net/def/crs/EPSG/0/3857", False, True),
    ],
)
def test_crs_of_the_answer_and_its_axis_order(client, town, crs, flip, metric):
    r = client.get("/ogcapi/collections/parcels/items", {"crs": crs, "limit": 1})
    assert r["Content-Crs"] == f"<{crs}>"
    a, b = _first_coordinate(json.loads(r.content))
    first = town["parcels"][0].geom.coords[0][0][0]
    srid = int(crs.rsplit("/", 1)[1]) if "EPSG" in crs else 4326
    expected = Point(*first, srid=2180).transform(srid, clone=True)
    east, north = (b, a) if flip else (a, b)
    tolerance = 0.02 if metric else 1e-6
    assert abs(east - expected.x) < tolerance and abs(north - expected.y) < tolerance
    if crs.endswith("2180"):
        assert (a, b) == pytest.approx((first[1], first[0]), abs=0.01)


@pytest.mark.parametrize("cid", ["parcels", "buildings"])
def test_stored_copies_write_what_transforming_writes(client, town, cid):
    """Parcels and buildings are read from their stored CRS84 and Web Mercator copies
    (``Collection.copies``): the GeoJSON is the one ``ST_Transform`` gives, to the digit."""
    from miasto.core.collections import collection_get
    from miasto.core.db import fetch_all

    table = {"parcels": "territory_parcel", "buildings": "territory_building"}[cid]
    assert set(collection_get(cid).copies) == {3857, 4326}  # type: ignore[union-attr]
    for crs, srid, flip, decimals in (("OGC/1.3/CRS84", 4326, False, 7),
                                      ("EPSG/0/4326", 4326, True, 7),
                                      ("EPSG/0/3857", 3857, False, 2)):  # fmt: skip
        doc = items(client, cid, crs=f"http://www.opengis.net/def/crs/{crs}", limit=50)
        got = {f["id"]: f["geometry"] for f in doc["features"]}
        geom = f"ST_Transform(geom, {srid})"
        geom = f"ST_FlipCoordinates({geom})" if flip else geom
        expected = {
            ident: json.loads(text)
            for ident, text in fetch_all(
                f"SELECT identifier, ST_AsGeoJSON({geom}, {decimals}, 0) FROM {table} "
                "WHERE identifier = ANY(%s)",
                [list(got)],
            )
        }
        assert got and got == expected, crs


def test_datetime_selects_zones_in_force(client, town):
    zones = list(town["plan"].zones.order_by("id"))
    zones[0].valid_from, zones[0].valid_to = "2020-01-01", "2022-12-31"
    zones[0].save()
    zones[1].valid_from = "2024-06-01"
    zones[1].save()

    def ids(value: str) -> list[int]:
        return [f["id"] for f in items(client, "zones", datetime=value)["features"]]

    assert ids("2021-05-05") == [zones[0].id]
    assert ids("2025-01-01T00:00:00Z") == [zones[1].id]
    assert ids("2022-01-01/2024-12-31") == [zones[0].id, zones[1].id]
    assert ids("../2019-12-31") == []
    assert ids("2023-01-01/..") == [zones[1].id]


def test_single_feature_with_links_and_crs(client, town):
    parcel = town["parcels"][3]
    r = client.get(f"/ogcapi/collections/parcels/items/{parcel.identifier}",
                   {"crs": "EPSG:2180"})  # fmt: skip
    assert r.status_code == 200 and r["Content-Type"] == "application/geo+json"
    feature = json.loads(r.content)
    assert feature["id"] == parcel.identifier
    assert feature["properties"]["area"] == float(parcel.area)
    assert rels(feature)["self"].endswith(f"/items/{parcel.identifier}?f=json")
    assert r["Content-Crs"] == "<http://www.opengis.net/def/crs/EPSG/0/2180>"


def test_queryables_are_the_declared_properties(client, town):
    r = client.get("/ogcapi/collections/buildings/queryables")
    assert r["Content-Type"] == "application/schema+json"
    props = r.json()["properties"]
    assert props["storeys"]["type"] == "integer" and props["height"]["type"] == "number"
    assert props["geometry"]["x-ogc-role"] == "primary-geometry"
    zones = client.get("/ogcapi/collections/zones/queryables").json()["properties"]
    assert zones["valid_from"] == {"title": zones["valid_from"]["title"], "type": "string",
                                   "format": "date"}  # fmt: skip


@pytest.mark.parametrize(
    "path",
    ["/ogcapi/", "/ogcapi/conformance", "/ogcapi/collections", "/ogcapi/collections/parcels",
     "/ogcapi/collections/parcels/queryables", "/ogcapi/collections/parcels/items"],
)  # fmt: skip
def test_html_pages_for_browsers(client, town, path):
    r = client.get(path, HTTP_ACCEPT="text/html,application/xhtml+xml")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/html")
    assert b'<html lang="' in r.content and b"<h1>" in r.content
    assert client.get(path, {"f": "json"}, HTTP_ACCEPT="text/html")["Content-Type"] != "text/html"


def test_items_page_is_a_table_of_properties(client, town):
    r = client.get("/ogcapi/collections/buildings/items", {"f": "html"})
    html = r.content.decode()
    assert "<caption>" in html and '<th scope="col">' in html
    assert "5 obiektów na tej stronie — łącznie pasujących: 5" in html
    for building in town["buildings"]:
        assert building.identifier in html
    feature = client.get(f"/ogcapi/collections/buildings/items/{town['buildings'][0].identifier}",
                         {"f": "html"}).content.decode()  # fmt: skip
    assert '<th scope="row">' in feature and "1965" in feature


def test_dataset_collection_and_its_versions(client, town):
    from tests.datahub.test_api_permissions import make_version

    ds = town["hub"]["datasets"]["public"]
    ds.versions.update(is_current=False)
    make_version(ds, number=2)
    doc = get(client, "/ogcapi/collections/ds-drzewa-public").json()
    assert doc["version"] == 2
    history = [link["href"] for link in doc["links"] if link["rel"] == "version-history"]
    assert len(history) == 1 and history[0].endswith("version=1")
    old = items(client, "ds-drzewa-public", version=1)
    assert {f["properties"]["species"] for f in old["features"]} == {"lipa", "dąb"}
    assert "version=1" in rels(old)["self"]
    assert (
        client.get("/ogcapi/collections/ds-drzewa-public/items", {"version": 9}).status_code == 404
    )


def test_parcel_identifiers_with_a_slash(client, town):
    """EGiB numbers may hold a slash (``12/4``): such a parcel has its own item URL."""
    from tests.territory import factories as tf

    parcel = tf.ParcelFactory(cell=40, number="12/4")
    doc = items(client, "parcels", filter=f"identifier = '{parcel.identifier}'", f="json")
    feature = doc["features"][0]
    assert feature["id"] == parcel.identifier
    r = client.get(f"/ogcapi/collections/parcels/items/{parcel.identifier}")
    assert r.status_code == 200 and json.loads(r.content)["id"] == parcel.identifier
    assert rels(json.loads(r.content))["self"].endswith("/items/" + parcel.identifier + "?f=json")
    html = client.get("/ogcapi/collections/parcels/items", {"f": "html", "limit": 100})
    assert html.status_code == 200 and parcel.identifier in html.content.decode()


def test_extent_follows_changes_of_the_table(client, town):
    from tests.territory import factories as tf

    before = get(client, "/ogcapi/collections/parcels").json()["extent"]["spatial"]["bbox"][0]
    tf.ParcelFactory(cell=39_990)  # far to the north
    after = get(client, "/ogcapi/collections/parcels").json()["extent"]["spatial"]["bbox"][0]
    assert after[3] > before[3]


def test_dataset_properties_take_the_tables_column_types(client, town):
    from django.db import connection

    ds = town["hub"]["datasets"]["public"]
    table = ds.current_version.table_name
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {table} ADD COLUMN planted date, ADD COLUMN girth integer")
        cursor.execute(
            f"UPDATE {table} SET planted = '2019-04-01', girth = 120 WHERE species = 'lipa'"
        )
    props = client.get("/ogcapi/collections/ds-drzewa-public/queryables").json()["properties"]
    assert props["planted"]["format"] == "date" and props["girth"]["type"] == "integer"
    assert props["species"]["type"] == "string"
    found = items(client, "ds-drzewa-public", filter="planted < DATE('2020-01-01') AND girth > 100")
    assert [f["properties"]["species"] for f in found["features"]] == ["lipa"]
    assert found["features"][0]["properties"]["planted"] == "2019-04-01"


def test_any_web_page_may_read_the_open_data(client, town):
    """CORS: third parties' web maps read the API from their own sites."""
    for path in ("/ogcapi/", "/ogcapi/collections/parcels/items", "/ogcapi/collections/nope"):
        r = client.get(path, HTTP_ORIGIN="https://example.org")
        assert r["Access-Control-Allow-Origin"] == "*"
        assert "Content-Crs" in r["Access-Control-Expose-Headers"]


def test_openapi_definition_is_valid_and_lists_the_collections(client, town):
    import schemathesis

    r = client.get("/ogcapi/api")
    assert r["Content-Type"] == "application/vnd.oai.openapi+json;version=3.0"
    doc = r.json()
    schemathesis.openapi.from_dict(doc).validate()  # against the OpenAPI 3.0 schema
    ids = doc["components"]["parameters"]["collectionId"]["schema"]["enum"]
    assert "parcels" in ids and "ds-drzewa-public" in ids
    assert "/collections/{collectionId}/items" in doc["paths"]


def test_number_matched_is_left_out_when_counting_would_be_costly(client, town, monkeypatch):
    from miasto.core import features

    monkeypatch.setattr(features, "MATCHED_CAP", 12)
    doc = items(client, "parcels", limit=5, filter="area > 0")
    assert "numberMatched" not in doc and doc["numberReturned"] == 5 and "next" in rels(doc)
    html = client.get(
        "/ogcapi/collections/parcels/items", {"f": "html", "limit": 5, "filter": "area > 0"}
    )
    assert "łącznie" not in html.content.decode()
    assert items(client, "parcels", filter="land_use = 'R'")["numberMatched"] == 10


def test_unfiltered_pages_count_every_feature_until_a_write(client, town, monkeypatch):
    """A tracked collection's count is kept under its tables' revisions: given beyond the
    cap for unfiltered pages (GDAL's layer count), and new after every write."""
    from miasto.core import features
    from miasto.territory.models import Parcel
    from tests.territory.factories import ParcelFactory

    monkeypatch.setattr(features, "MATCHED_CAP", 12)
    count = Parcel.objects.count()
    assert count > 12
    for offset in (0, 20, count + 5):
        doc = items(client, "parcels", limit=5, offset=offset, properties="number")
        assert doc["numberMatched"] == count, offset
    added = ParcelFactory()
    assert items(client, "parcels", limit=1)["numberMatched"] == count + 1
    added.delete()
    assert items(client, "parcels", limit=1)["numberMatched"] == count
    wfs = client.get("/wfs", {"SERVICE": "WFS", "VERSION": "2.0.0", "REQUEST": "GetFeature",
                              "TYPENAMES": "parcels", "RESULTTYPE": "hits"})  # fmt: skip
    assert f'numberMatched="{count}"' in wfs.content.decode()


def test_a_published_versions_count_is_kept(client, town, monkeypatch):
    """A dataset's published version never changes (``Collection.frozen``): its unfiltered
    pages count every feature beyond the cap, and the collections' list gives its extent."""
    from miasto.core import features
    from miasto.core.collections import collection_get
    from miasto.core.db import fetch_one

    monkeypatch.setattr(features, "MATCHED_CAP", 1)
    found = collection_get("ds-drzewa-public")
    assert found is not None and found.frozen
    row = fetch_one(f"SELECT count(*) FROM {found.table}")  # (a table name Miasto made)
    assert row is not None and row[0] > 1
    assert items(client, "ds-drzewa-public", limit=1)["numberMatched"] == row[0]
    assert "numberMatched" not in items(client, "ds-drzewa-public", limit=1, bbox="14,49,24.2,55")
    listed = {c["id"]: c for c in get(client, "/ogcapi/collections").json()["collections"]}
    assert "spatial" in listed["ds-drzewa-public"]["extent"]


def test_tracked_tables_have_revision_triggers():
    """A collection's count is kept only as long as every write to its tracked tables bumps
    their revision: each of them has the trigger."""
    from miasto.core.collections import collection_registry
    from miasto.core.db import fetch_all

    triggered = {
        r[0]
        for r in fetch_all(
            "SELECT c.relname FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid "
            "JOIN pg_proc p ON p.oid = g.tgfoid WHERE p.proname = 'miasto_bump_revision'"
        )
    }
    tracked = {t for _, c in collection_registry.items() for t in c.tracked}
    assert tracked and tracked <= triggered, tracked - triggered


def test_bbox_answers_as_the_exact_intersection_test(client, town):  # type: ignore[no-untyped-def]
    """The bbox filter trusts an inscribed rectangle and tests only the features near the
    edges exactly: the features found are those ST_Intersects finds, for boxes that cut
    through parcels at every edge."""
    from miasto.core.db import fetch_all

    rows = fetch_all(
        "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM "
        "(SELECT ST_Transform(ST_SetSRID(ST_Extent(geom)::geometry, 2180), 4326) e "
        "FROM territory_parcel) s"
    )
    x0, y0, x1, y1 = rows[0]
    for fx0, fy0, fx1, fy1 in [(0.1, 0.1, 0.6, 0.7), (0.33, 0.05, 0.97, 0.51), (0, 0, 1, 1)]:
        bbox = (
            x0 + (x1 - x0) * fx0,
            y0 + (y1 - y0) * fy0,
            x0 + (x1 - x0) * fx1,
            y0 + (y1 - y0) * fy1,
        )
        expected = {
            r[0]
            for r in fetch_all(
                "SELECT identifier FROM territory_parcel WHERE ST_Intersects(geom, "
                "ST_Transform(ST_Segmentize(ST_MakeEnvelope(%s, %s, %s, %s, 4326), %s), 2180))",
                [*bbox, max(bbox[2] - bbox[0], bbox[3] - bbox[1]) / 16],
            )
        }
        answer = client.get(
            "/ogcapi/collections/parcels/items",
            {"bbox": ",".join(f"{v:.9f}" for v in bbox), "limit": 1000},
        ).json()
        assert {f["id"] for f in answer["features"]} == expected
        assert answer["numberMatched"] == len(expected)


def test_links_are_the_urls_django_reverses(rf):  # type: ignore[no-untyped-def]
    """ogcapi.documents.url builds links without ``reverse`` on each call: the same URLs,
    quoted the same way, for awkward ids too."""
    from django.urls import reverse

    from miasto.ogcapi.documents import url

    request = rf.get("/ogcapi/")
    for feature_id in ["106401_1.0002.2814", "a b/ć%d?#", "12"]:
        expected = request.build_absolute_uri(
            reverse("ogcapi:item", args=["parcels", feature_id]) + "?f=json"
        )
        assert url(request, "item", "parcels", feature_id, f="json") == expected
    assert url(request, "collections") == "http://testserver/ogcapi/collections"


def test_bbox_inside_a_parcels_hole_and_across_a_strip(client, town):  # type: ignore[no-untyped-def]
    """Parcels far larger than the bbox, with thousands of vertices: a frame whose hole holds
    the whole bbox does not intersect it (the rectangle inscribed in the bbox lies in the
    hole), a thin strip whose every vertex is outside the bbox crosses it."""
    from django.contrib.gis.geos import MultiPolygon, Polygon

    from tests.territory.factories import CENTRE_X, CENTRE_Y, ParcelFactory

    x, y = CENTRE_X + 4_000, CENTRE_Y + 4_000
    frame = Polygon(_ring(x, y, 300), _ring(x, y, 200), srid=2180)
    strip = Polygon(_ring(x, y, 1_000, 5), srid=2180)
    for number, shape in (("9001", frame), ("9002", strip)):
        ParcelFactory(number=number, geom=MultiPolygon(shape, srid=2180))
    for crs, box in (("2180", (y - 50, x - 50, y + 50, x + 50)), (None, None)):
        params: dict[str, Any] = {"limit": 100}
        if box:  # (EPSG:2180's axis order: northing first)
            params.update(bbox=",".join(map(str, box)), **{"bbox-crs": EPSG_2180})
        else:
            params["bbox"] = _crs84_box(x - 50, y - 50, x + 50, y + 50)
        found = {f["id"].rsplit(".", 1)[1] for f in items(client, "parcels", **params)["features"]}
        assert "9002" in found and "9001" not in found, (crs, found)


EPSG_2180 = "http://www.opengis.net/def/crs/EPSG/0/2180"


def _ring(
    x: float, y: float, half_x: float, half_y: float | None = None
) -> list[tuple[float, float]]:
    """A rectangle's ring centred on (x, y), a vertex every 2 m."""
    hy = half_x if half_y is None else half_y
    corners = [
        (x - half_x, y - hy),
        (x + half_x, y - hy),
        (x + half_x, y + hy),
        (x - half_x, y + hy),
    ]
    ring = []
    for (ax, ay), (bx, by) in zip(corners, corners[1:] + corners[:1], strict=True):
        steps = max(int(max(abs(bx - ax), abs(by - ay)) / 2), 1)
        ring += [(ax + (bx - ax) * i / steps, ay + (by - ay) * i / steps) for i in range(steps)]
    return [*ring, ring[0]]


def _crs84_box(x0: float, y0: float, x1: float, y1: float) -> str:
    from django.contrib.gis.geos import Polygon

    box = Polygon.from_bbox((x0, y0, x1, y1))
    box.srid = 2180
    box.transform(4326)
    return ",".join(f"{v:.7f}" for v in box.extent)
