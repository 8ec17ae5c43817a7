"""The addresses' tile layer (the data hub's preview of an address dataset): points from zoom
15, none below; never kept in the shared tile cache (no revision trigger on the table)."""

from __future__ import annotations

import mapbox_vector_tile

from tests.territory import factories as tf
from tests.territory.test_api import lonlat, tile_of


def test_address_tiles(client, db):  # type: ignore[no-untyped-def]
    address = tf.AddressFactory()
    lon, lat = lonlat(address.geom)
    x, y = tile_of(lon, lat, 16)
    r = client.get(f"/tiles/addresses/16/{x}/{y}.mvt")
    assert r.status_code == 200
    assert "private" in r["Cache-Control"]
    features = mapbox_vector_tile.decode(r.content)["addresses"]["features"]
    assert [f["properties"]["label"] for f in features] == [address.label]
    x, y = tile_of(lon, lat, 14)
    assert client.get(f"/tiles/addresses/14/{x}/{y}.mvt").content == b""
