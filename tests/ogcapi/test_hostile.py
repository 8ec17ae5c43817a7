"""Bad and hostile input to /ogcapi/: always a 4xx with an OGC exception body
``{"code", "description"}`` naming the problem — never a 5xx, never SQL from a parameter."""

from __future__ import annotations

import json
from typing import Any

import pytest

from miasto.territory.models import Parcel

pytestmark = pytest.mark.django_db

ITEMS = "/ogcapi/collections/parcels/items"


def error(client: Any, path: str, status: int = 400, **params: Any) -> str:
    r = client.get(path, params)
    assert r.status_code == status, (params, r.content)
    body = r.json()
    assert set(body) == {"code", "description"} and body["description"]
    return str(body["description"])


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"bbox": "19.1,51.5,19.0,51.4"}, "min"),
        ({"bbox": "a,b,c,d"}, "liczbą"),
        ({"bbox": "1,2,3"}, "bbox"),
        ({"bbox": "1,2,3,nan"}, "skończoną"),
        ({"bbox": "0,0,200,10"}, "[-180"),
        ({"crs": "EPSG:4258"}, "układ"),
        ({"bbox-crs": "urn:nonsense"}, "bbox-crs"),
        ({"filter-crs": "EPSG:9999", "filter": "area > 1"}, "filter-crs"),
        ({"limit": "0"}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"offset": "-1"}, "offset"),
        ({"filter": "area >"}, "kolumnie 6"),
        ({"filter": "area > 1 AND"}, "kolumnie"),
        ({"filter": "owner = 'Kowalski'"}, "owner"),
        ({"filter": "area = 'abc'"}, "porównać"),
        ({"filter": "area + 1 > 2"}, "Filtr"),
        ({"filter": "{not json", "filter-lang": "cql2-json"}, "JSON"),
        ({"filter": '{"op": "=", "args": 5}', "filter-lang": "cql2-json"}, "CQL2 JSON"),
        ({"filter": "area > 1", "filter-lang": "ecql"}, "język"),
        ({"filter": "S_INTERSECTS(geometry, POINT(500 900))"}, "geometrii"),
        ({"sortby": "-owner"}, "owner"),
        ({"properties": "identifier,pesel"}, "pesel"),
        ({"datetime": "2020-01-01"}, "czasowej"),
        ({"f": "xml"}, "f"),
    ],
)
def test_bad_parameters_are_400_naming_the_problem(client, town, params, words):
    assert words in error(client, ITEMS, **params)


def test_malformed_cql2_names_the_position(client, town):
    r = client.get(ITEMS, {"filter": "land_use = 'B' AND AND"})
    assert r.status_code == 400 and "kolumnie 20" in r.json()["description"]


def test_datetime_errors_on_a_temporal_collection(client, town):
    for value in ("yesterday", "2020-13-01", "2021-01-01/2020-01-01", "../..x", "a/b/c", ".."):
        error(client, "/ogcapi/collections/zones/items", datetime=value)


def test_unknown_collection_feature_and_version_are_404(client, town):
    error(client, "/ogcapi/collections/nope", 404)
    error(client, "/ogcapi/collections/nope/items", 404)
    error(client, "/ogcapi/collections/nope/queryables", 404)
    error(client, "/ogcapi/collections/parcels/items/nope", 404)
    error(client, "/ogcapi/collections/zones/items/abc", 404)
    error(client, "/ogcapi/collections/zones/items/99999999999999999999999", 404)
    error(client, "/ogcapi/collections/parcels", 404, version=2)
    error(client, "/ogcapi/collections/ds-drzewa-public", 400, version="x")
    r = client.get("/ogcapi/nothing-here")
    assert r.status_code == 404 and r.json()["code"] == "NotFound"


def test_only_get(client, town):
    r = client.post(ITEMS)
    assert r.status_code == 405 and r.json()["code"]


INJECTIONS = [
    "'; DROP TABLE territory_parcel; --",
    "1) OR 1=1 --",
    '" OR ""="',
    "identifier; DELETE FROM territory_parcel",
    "%s%s%s%(x)s",
    "\\x27 OR 1=1",
    "ST_Intersects(geom, geom)",
]


@pytest.mark.parametrize("value", INJECTIONS)
def test_injection_in_any_parameter_is_refused_or_harmless(client, town, value):
    for name in ("bbox", "crs", "bbox-crs", "datetime", "filter", "filter-lang", "filter-crs",
                 "sortby", "properties", "limit", "offset", "f", "version"):  # fmt: skip
        r = client.get(ITEMS, {name: value})
        assert r.status_code in (200, 400), (name, value, r.status_code)
        if r.status_code == 400:
            assert set(r.json()) == {"code", "description"}
    for path in (f"/ogcapi/collections/{value}/items", f"{ITEMS}/{value}",
                 f"/ogcapi/collections/{value}/tiles"):  # fmt: skip
        assert client.get(path).status_code in (400, 404)
    assert Parcel.objects.count() == 30


def test_filter_values_never_reach_the_sql_text(town):
    from miasto.core import cql2
    from miasto.core.collections import collection_get
    from miasto.core.sql import as_text

    parcels = collection_get("parcels")
    node = cql2.parse("identifier = 'x\"; DROP TABLE t; --' AND area > 5", None)
    condition, params = cql2.translate(node, parcels, cql2.crs_mod.DEFAULT)
    text = as_text(condition)
    assert "DROP" not in text and "%(f0)s" in text and "%(f1)s" in text
    assert params == {"f0": 'x"; DROP TABLE t; --', "f1": 5}


def test_unknown_property_in_a_json_filter(client, town):
    flt = json.dumps({"op": "=", "args": [{"property": "t.id; --"}, 1]})
    assert "t.id" in error(client, ITEMS, filter=flt, **{"filter-lang": "cql2-json"})


def test_a_nul_byte_is_an_ogc_exception(client, town):
    r = client.get(ITEMS, {"f": "json\x00"})
    assert r.status_code == 400 and set(r.json()) == {"code", "description"}
