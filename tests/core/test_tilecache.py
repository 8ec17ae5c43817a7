"""The tile cache's bounds: no tile (and no file) above a layer's max zoom, the directory kept
under its size limit by evicting the oldest tiles, public tiles cacheable."""

from __future__ import annotations

from pathlib import Path

import pytest

from miasto.core import tilecache
from miasto.core.layers import layer_get
from tests.territory.test_api import lonlat, spine, tile_of  # noqa: F401


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def cache(settings, tmp_path) -> Path:  # type: ignore[no-untyped-def]
    settings.MIASTO_TILE_CACHE_DIR = str(tmp_path / "tiles")
    return tmp_path / "tiles"


def test_above_max_zoom_is_404_and_writes_nothing(client, spine, cache):  # noqa: F811
    lon, lat = lonlat(spine["parcel"].geom.point_on_surface)
    layer = layer_get("parcels")
    assert layer is not None and layer.max_zoom <= 20
    for z in (layer.max_zoom + 1, 22):
        x, y = tile_of(lon, lat, z)
        r = client.get(f"/tiles/parcels/{z}/{x}/{y}.mvt")
        assert r.status_code == 404
        assert "poziomu przybliżenia" in r.json()["message"]
    assert _files(cache) == []
    x, y = tile_of(lon, lat, layer.max_zoom)
    assert client.get(f"/tiles/parcels/{layer.max_zoom}/{x}/{y}.mvt").status_code == 200
    assert len(_files(cache)) == 1


def test_max_zoom_setting_caps_every_layer(client, spine, cache, settings):  # noqa: F811
    settings.MIASTO_TILE_MAX_ZOOM = 17
    described = {d["name"]: d["maxzoom"] for d in client.get("/api/v1/layers").json()}
    assert described and max(described.values()) <= 17
    lon, lat = lonlat(spine["parcel"].geom.point_on_surface)
    x, y = tile_of(lon, lat, 18)
    assert client.get(f"/tiles/buildings/18/{x}/{y}.mvt").status_code == 404


def test_public_tiles_are_cacheable(client, spine, cache):  # noqa: F811
    lon, lat = lonlat(spine["parcel"].geom.point_on_surface)
    x, y = tile_of(lon, lat, 16)
    r = client.get(f"/tiles/parcels/16/{x}/{y}.mvt")
    assert r["Cache-Control"].startswith("public")


def test_cache_stays_under_its_size_limit(client, spine, cache, settings):  # noqa: F811
    settings.MIASTO_TILE_CACHE_MAX_MB = 0.05  # 12 blocks of 4 KB
    limit = tilecache.limit_bytes()
    lon, lat = lonlat(spine["parcel"].geom.point_on_surface)
    x, y = tile_of(lon, lat, 16)
    for dx in range(40):  # 40 distinct tiles, most of them empty: each still takes a block
        assert client.get(f"/tiles/parcels/16/{x + dx}/{y}.mvt").status_code == 200
        assert tilecache.size_on_disk() <= limit
    kept = _files(cache)
    assert 0 < len(kept) <= limit // tilecache.BLOCK
    # the newest tile is kept, the oldest went first
    assert any(p.parent.name == str(x + 39) for p in kept)
    assert not any(p.parent.name == str(x) for p in kept)


def test_sweep_evicts_oldest_first(settings, tmp_path):
    import os

    settings.MIASTO_TILE_CACHE_MAX_MB = 10 * tilecache.BLOCK / (1024 * 1024)
    for i in range(15):
        path = tmp_path / f"{i}.mvt"
        path.write_bytes(b"x")
        os.utime(path, (1000 + i, 1000 + i))
    left = tilecache.sweep(tmp_path)
    names = sorted(int(p.stem) for p in tmp_path.iterdir())
    assert left <= tilecache.limit_bytes() * tilecache.LOW_WATER
    assert names == list(range(15 - len(names), 15))
