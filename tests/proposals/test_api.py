"""``GET /api/v1/proposals``: GeoJSON, filters, paging, 400 on bad parameters, no personal data;
the OGC API collection and the tile layer."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.proposals.factories import proposal

pytestmark = pytest.mark.django_db


def test_geojson_with_paging_and_no_person(resident) -> None:
    for n in range(3):
        proposal(resident, title=f"Pomysł {n}", category="sport" if n else "greenery")
    data = Client().get("/api/v1/proposals?limit=2").json()
    assert data["type"] == "FeatureCollection"
    assert data["numberMatched"] == 3 and data["numberReturned"] == 2
    assert [f["properties"]["title"] for f in data["features"]] == ["Pomysł 2", "Pomysł 1"]
    assert any(link["rel"] == "next" for link in data["links"])
    feature = data["features"][0]
    assert feature["geometry"]["type"] == "Point"
    lon, lat = feature["geometry"]["coordinates"]
    assert 14 < lon < 25 and 49 < lat < 55
    text = str(data)
    assert resident.username not in text and "author" not in text and "email" not in text
    assert Client().get("/api/v1/proposals?category=greenery").json()["numberMatched"] == 1


@pytest.mark.parametrize(
    "query",
    ["category=x", "status=lost", "limit=0", "limit=100000", "offset=-1", "bbox=1,2,3",
     "bbox=a,b,c,d", "bbox=20,50,19,51", f"district={'x' * 30}"],
)  # fmt: skip
def test_bad_parameters_are_400_json(city, query) -> None:
    response = Client().get(f"/api/v1/proposals?{query}")
    assert response.status_code == 400
    body = response.json()
    assert body["error"] and body["message"]


def test_bbox_filter(resident) -> None:
    proposal(resident)
    assert Client().get("/api/v1/proposals?bbox=14,49,25,55").json()["numberMatched"] == 1
    assert Client().get("/api/v1/proposals?bbox=0,0,1,1").json()["numberMatched"] == 0


def test_in_the_openapi_document(city) -> None:
    document = Client().get("/api/v1/openapi.json").json()
    operation = document["paths"]["/api/v1/proposals"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"category", "status", "bbox", "limit"}


def test_ogc_collection_and_tiles_without_personal_data(resident) -> None:
    proposal(resident, title="Ławka")
    client = Client()
    assert client.get("/ogcapi/collections/proposals").status_code == 200
    items = client.get("/ogcapi/collections/proposals/items?f=json")
    assert items.status_code == 200
    body = items.json()
    assert body["features"][0]["properties"]["title"] == "Ławka"
    assert resident.username not in items.content.decode()
    assert "author" not in str(body["features"][0]["properties"])
    assert client.get("/tiles/proposals/14/9045/5394.mvt").status_code in (200, 204)
