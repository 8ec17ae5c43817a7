"""Dataset tiles in the cache: a new published version makes new tiles (its table has no
tracked revision, the version is the key); a restricted dataset's tiles are private and never
stored in the shared file cache."""

from __future__ import annotations

from pathlib import Path

import mapbox_vector_tile
import pytest
from django.db import connection

from miasto.datahub.models import DatasetVersion
from tests.datahub.test_api_permissions import hub, make_version  # noqa: F401
from tests.territory import factories as tf
from tests.territory.test_api import tile_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def cache(settings, tmp_path) -> Path:  # type: ignore[no-untyped-def]
    settings.MIASTO_TILE_CACHE_DIR = str(tmp_path / "tiles")
    return tmp_path / "tiles"


def _url(slug: str) -> str:
    point = tf.Point(500010, 403710, srid=2180).transform(4326, clone=True)
    x, y = tile_of(point.x, point.y, 16)
    return f"/tiles/ds-{slug}/16/{x}/{y}.mvt"


def _species(content: bytes, slug: str) -> set[str]:
    layer = mapbox_vector_tile.decode(content).get(f"ds-{slug}", {"features": []})
    return {f["properties"]["species"] for f in layer["features"]}


def test_new_version_new_tiles(client, hub, cache):  # noqa: F811
    ds = hub["datasets"]["public"]
    first = client.get(_url(ds.slug))
    assert _species(first.content, ds.slug) == {"lipa", "dąb"}
    assert client.get(_url(ds.slug)).content == first.content  # served from the cache
    DatasetVersion.objects.filter(dataset=ds).update(is_current=False)
    v2 = make_version(ds, number=2)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {v2.table_name} SET species = 'klon'")
    second = client.get(_url(ds.slug))
    assert second.content != first.content
    assert _species(second.content, ds.slug) == {"klon"}


def test_restricted_tiles_are_private_and_not_stored(client, hub, cache, make_user):  # noqa: F811
    client.force_login(make_user("administrator"))
    restricted = hub["datasets"]["restricted"]
    r = client.get(_url(restricted.slug))
    assert r.status_code == 200 and _species(r.content, restricted.slug) == {"lipa", "dąb"}
    assert r["Cache-Control"].startswith("private")
    assert not (cache / connection.settings_dict["NAME"] / f"ds-{restricted.slug}").exists()
    internal = hub["datasets"]["internal"]
    assert client.get(_url(internal.slug))["Cache-Control"].startswith("private")
    public = hub["datasets"]["public"]
    r = client.get(_url(public.slug))
    assert r["Cache-Control"].startswith("public")
    assert (cache / connection.settings_dict["NAME"] / f"ds-{public.slug}").exists()
