"""The collections registry (core.collections): declarations are checked, providers answer
their collections, and every registered collection's SQL runs — items, one feature, extent —
with each supported CRS (core.features)."""

from __future__ import annotations

import json

import pytest
from psycopg import sql

from miasto.core import crs as crs_mod
from miasto.core import features
from miasto.core.collections import (
    Collection,
    CollectionProvider,
    Property,
    collection_get,
    collection_providers,
    collection_registry,
    collections_all,
)
from miasto.core.errors import InvalidParameter
from miasto.core.sql import as_text
from tests.datahub.test_api_permissions import hub  # noqa: F401
from tests.ogcapi.conftest import town  # noqa: F401
from tests.planning.conftest import mpzp  # noqa: F401


def test_declarations_are_checked():
    with pytest.raises(ValueError, match="unknown type"):
        Property("a", "t.a", "text")
    with pytest.raises(ValueError, match="repeat"):
        Collection(
            id="x", title="x", table="t", properties=(Property("a", "t.a"), Property("a", "t.b"))
        )
    with pytest.raises(ValueError, match="temporal"):
        Collection(id="x", title="x", table="t", properties=(), temporal=("since", None))
    with pytest.raises(ValueError, match="id_type"):
        Collection(id="x", title="x", table="t", properties=(), id_type="uuid")
    assert collection_registry.get("parcels") is not None  # (the apps' modules are read)
    with pytest.raises(ValueError, match="already registered"):
        collection_registry.register(
            "parcels", Collection(id="parcels", title="p", table="t", properties=())
        )


class _Provider(CollectionProvider):
    def get(self, collection_id, version=None):  # type: ignore[no-untyped-def]
        if collection_id != "extra":
            return None
        return Collection(id="extra", title="E", table="territory_district", properties=(),
                          extra={"version": version or 3})  # fmt: skip

    def all(self):  # type: ignore[no-untyped-def]
        return [self.get("extra")]

    def versions(self, collection_id):  # type: ignore[no-untyped-def]
        return [3, 2] if collection_id == "extra" else []


@pytest.mark.django_db
def test_a_module_adds_collections_with_a_provider():
    provider = _Provider()
    collection_providers.append(provider)
    try:
        assert collection_get("extra").extra["version"] == 3
        assert collection_get("extra", 2).extra["version"] == 2
        assert "extra" in [c.id for c in collections_all()]
        assert collection_get("parcels", 2) is None  # registered ones have no versions
    finally:
        collection_providers.remove(provider)
    assert collection_get("extra") is None


def test_spine_planning_and_datahub_register_their_collections():
    assert {"parcels", "buildings", "addresses", "streets", "districts", "precincts", "services",
            "constraints", "plans", "zones"} <= set(collection_registry.keys())  # fmt: skip
    assert collection_registry.get("buildings").property("residents") is None


def test_crs_names_and_axis_order():
    assert crs_mod.parse(None).uri == crs_mod.CRS84
    assert crs_mod.parse("EPSG:2180").flip and crs_mod.parse("[EPSG:2180]").srid == 2180
    assert crs_mod.parse("urn:ogc:def:crs:EPSG::4326").flip
    assert not crs_mod.parse("http://www.opengis.net/def/crs/EPSG/0/3857").flip
    assert crs_mod.parse("CRS84").srid == 4326 and not crs_mod.parse("crs84").flip
    for bad in ("EPSG:4258", "EPSG:", "2180; DROP", "http://example.com/crs"):
        with pytest.raises(InvalidParameter):
            crs_mod.parse(bad)


def test_statement_is_composed_with_placeholders():
    parcels = collection_get("parcels")
    query = features.parse_items_query(
        parcels, {"filter": "land_use = 'B'", "bbox": "19,51,20,52", "limit": "5"}
    )
    statement, params = features.page_sql(parcels, query)
    text = as_text(statement)
    assert "'B'" not in text and "%(f0)s" in text and params["f0"] == "B"
    assert params["limit"] == 5 and params["fetch"] == 6
    assert isinstance(statement, sql.Composed)


@pytest.mark.django_db
@pytest.mark.parametrize("crs", [c.uri for c in crs_mod.SUPPORTED])
def test_every_collection_serves_pages_features_and_extent(town, crs):  # noqa: F811
    for collection in collections_all():
        query = features.parse_items_query(collection, {"crs": crs, "limit": "3", "offset": "1"})
        page = features.items_page(collection, query)
        parsed = json.loads(f"[{page.features}]")
        assert len(parsed) == page.returned <= 3, collection.id
        if parsed:
            feature = parsed[0]
            key = features.parse_feature_id(collection, str(feature["id"]))
            one = json.loads(features.item(collection, key, query.crs))
            assert one["geometry"] == feature["geometry"], collection.id
        assert "spatial" in features.extent(collection), collection.id
