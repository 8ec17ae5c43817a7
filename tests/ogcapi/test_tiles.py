"""OGC API Tiles: tilesets of a collection, their metadata, WebMercatorQuad, the tiles
(the same bytes as the old /tiles/ URLs, which keep working), the map's tile URLs, and the
deprecated /api/v1/layers/{layer}/features pointing at its successor."""

from __future__ import annotations

import json

import mapbox_vector_tile
import pytest
from django.contrib.gis.geos import Point

from tests.territory.test_api import tile_of

pytestmark = pytest.mark.django_db


def rels(doc):  # type: ignore[no-untyped-def]
    return {link["rel"]: link for link in doc["links"]}


def test_collection_links_its_tilesets(client, town):
    doc = client.get("/ogcapi/collections/parcels").json()
    tiles = rels(doc)["http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector"]
    assert tiles["href"].endswith("/ogcapi/collections/parcels/tiles")
    # no tile layer: no link
    assert "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector" not in rels(
        client.get("/ogcapi/collections/precincts").json()
    )


def test_tileset_metadata_and_tile_matrix_set(client, town):
    listing = client.get("/ogcapi/collections/parcels/tiles").json()
    tileset_url = rels(listing["tilesets"][0])["self"]["href"]
    tileset = client.get(tileset_url).json()
    assert tileset["dataType"] == "vector"
    assert tileset["tileMatrixSetURI"].endswith("/WebMercatorQuad")
    item = rels(tileset)["item"]
    assert item["type"] == "application/vnd.mapbox-vector-tile"
    assert item["href"].endswith("/parcels/tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}")
    assert tileset["layers"][0]["minTileMatrix"] == "14"
    tms = client.get(
        rels(tileset)["http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme"]["href"]
    ).json()
    assert tms["id"] == "WebMercatorQuad" and tms["crs"].endswith("/3857")
    z1 = tms["tileMatrices"][1]
    assert z1["matrixWidth"] == 2 and z1["pointOfOrigin"][0] == pytest.approx(-20037508.3427892)
    assert (
        client.get("/ogcapi/tileMatrixSets").json()["tileMatrixSets"][0]["id"] == "WebMercatorQuad"
    )


def test_tiles_are_the_layers_tiles(client, town):
    parcel = town["parcels"][0]
    point = parcel.geom.point_on_surface.transform(4326, clone=True)
    x, y = tile_of(point.x, point.y, 16)
    new = client.get(f"/ogcapi/collections/parcels/tiles/WebMercatorQuad/16/{y}/{x}")
    old = client.get(f"/tiles/parcels/16/{x}/{y}.mvt")
    assert new.status_code == old.status_code == 200
    assert new["Content-Type"] == "application/vnd.mapbox-vector-tile"
    assert new.content == old.content
    features = mapbox_vector_tile.decode(new.content)["parcels"]["features"]
    assert parcel.identifier in {f["properties"]["identifier"] for f in features}
    assert new["Cache-Control"].startswith("public")


def test_tile_errors(client, town):
    assert client.get("/ogcapi/collections/nope/tiles").status_code == 404
    assert client.get("/ogcapi/collections/parcels/tiles/WebMercatorQuad/40/0/0").status_code == 400
    assert client.get("/ogcapi/collections/parcels/tiles/WebMercatorQuad/2/9/0").status_code == 400
    r = client.get("/ogcapi/collections/parcels/tiles/WebMercatorQuad/21/0/0")
    assert r.status_code == 404 and set(r.json()) == {"code", "description"}


@pytest.mark.parametrize("who", ["anonymous", "administrator"])
def test_tiles_of_layers_not_everyone_may_see_are_not_here(client, town, make_user, who):
    point = Point(500010, 403710, srid=2180).transform(4326, clone=True)
    x, y = tile_of(point.x, point.y, 16)
    if who != "anonymous":
        client.force_login(make_user(who))
    for slug in ("drzewa-restricted", "drzewa-internal"):
        base = f"/ogcapi/collections/ds-{slug}/tiles"
        for path in (base, f"{base}/WebMercatorQuad", f"{base}/WebMercatorQuad/16/{y}/{x}"):
            assert client.get(path).status_code == 404, (who, path)
        old = client.get(f"/tiles/ds-{slug}/16/{x}/{y}.mvt")  # their own rules, there
        assert old.status_code == (404 if who == "anonymous" else 200)
    if who != "anonymous":
        layers = {layer["name"]: layer["tiles"] for layer in client.get("/api/v1/layers").json()}
        assert layers["ds-drzewa-restricted"] == "/tiles/ds-drzewa-restricted/{z}/{x}/{y}.mvt"
        assert layers["ds-drzewa-public"].startswith("/ogcapi/collections/ds-drzewa-public/")


def test_the_map_asks_for_ogc_tiles(client, town):
    layers = {layer["name"]: layer for layer in client.get("/api/v1/layers").json()}
    assert (
        layers["parcels"]["tiles"]
        == "/ogcapi/collections/parcels/tiles/WebMercatorQuad/{z}/{y}/{x}"
    )
    page = client.get("/map/").content.decode()
    assert "/ogcapi/collections/{name}/tiles/WebMercatorQuad/{z}/{y}/{x}" in page


def test_old_features_endpoint_is_deprecated_with_a_successor(client, town):
    r = client.get("/api/v1/layers/parcels/features", {"bbox": "18.9,51.4,19.1,51.6"})
    assert r.status_code == 200 and r["Deprecation"].startswith("@")
    assert (
        r["Link"] == '<http://testserver/ogcapi/collections/parcels/items>; rel="successor-version"'
    )
    water = client.get("/api/v1/layers/water/features", {"bbox": "18.9,51.4,19.1,51.6"})
    assert water["Link"].startswith("<http://testserver/ogcapi/collections>")
    assert json.loads(r.content)["features"]
