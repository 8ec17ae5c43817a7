"""The analyses API: JSON, CSV (streamed per parcel), GeoJSON, and 400 on bad parameters."""

from __future__ import annotations

import csv
import io
import math

import pytest

from tests.planning.analyses.conftest import get_computed

pytestmark = pytest.mark.django_db


def rows(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8")
    assert not text.startswith("\ufeff")  # no BOM, as the accessibility CSV
    return list(csv.reader(io.StringIO(text)))


def test_coverage_json_and_csv(client, town):
    r = client.get("/api/v1/analyses/coverage?from=2012&to=2016-01-01&step=4")
    assert r.status_code == 200
    data = r.json()
    assert data["dates"] == ["2012-01-01", "2016-01-01"]
    assert data["series"][1]["city"]["covered_area"] == 750_000.0
    r = client.get("/api/v1/analyses/coverage?from=2012&to=2016-01-01&step=4&format=csv")
    assert r.status_code == 200 and r["Content-Type"] == "text/csv; charset=utf-8"
    assert "pokrycie" in r["Content-Disposition"]
    table = rows(r)
    assert table[0][:4] == ["date", "scenario", "area_code", "area_name"]
    city_2016 = next(row for row in table if row[0] == "2016-01-01" and row[2] == "")
    assert city_2016[5] == "750000.0" and city_2016[6] == "0.375"
    assert len(table) == 1 + 2 * 3  # header + 2 dates × (city + 2 districts)


def test_capacity_levels_and_balance(client, town):
    url = "/api/v1/analyses/capacity?as_of=2021-01-01&forecast_population=246&forecast_year=2035"
    first = client.get(url)  # not computed yet: staff start it, a background job computes it
    assert first.status_code == 409 and first.json()["status"] == "not_computed"
    assert "POST /api/v1/analyses/capacity?as_of=2021-01-01" in first.json()["message"]
    r = get_computed(client, url)
    assert r.status_code == 200
    data = r.json()
    assert data["level"] == "district"
    assert data["city"]["potential_dwellings"] == 27
    assert data["balance"]["city"]["needed_dwellings"] == 20
    assert {d["code"] for d in data["balance"]["districts"]} == {"01", "02"}
    r = client.get("/api/v1/analyses/capacity?as_of=2021-01-01&level=parcel&page_size=2&page=2")
    page = r.json()["parcels"]
    assert (page["count"], page["pages"], len(page["items"])) == (3, 2, 1)
    r = client.get("/api/v1/analyses/capacity?as_of=2021-01-01&level=block")
    assert r.json()["blocks"]["items"][0]["code"] == "K01"


def test_capacity_csv(client, town):
    r = get_computed(client, "/api/v1/analyses/capacity?as_of=2021-01-01&level=parcel&format=csv")
    assert r.status_code == 200 and r.streaming
    table = rows(r)
    assert table[0][0] == "identifier" and table[0][-4:] == [
        "potential_dwellings", "potential_residents", "complete", "unknown_area",
    ]  # fmt: skip
    assert [row[-4] for row in table[1:]] == ["12", "7", "8"]
    assert [row[-2] for row in table[1:]] == ["True", "True", "True"]
    r = client.get("/api/v1/analyses/capacity?as_of=2021-01-01&format=csv&forecast_population=246")
    table = rows(r)
    assert table[0][-1] == "balance_dwellings"
    assert table[1][:2] == ["", "miasto"] and table[1][-1] == "7"
    r = client.get("/api/v1/analyses/capacity?as_of=2021-01-01&level=block&format=csv")
    assert rows(r)[1][:2] == ["K01", "01"]


def test_conflicts_json_csv_geojson(client, town):
    r = client.get("/api/v1/analyses/conflicts?as_of=2021-01-01&severity=error&district=01")
    assert r.status_code == 200
    assert r.json()["total"]["count"] == 2
    r = client.get("/api/v1/analyses/conflicts?as_of=2021-01-01&format=csv")
    table = rows(r)
    assert table[0][0] == "rule" and len(table) == 3
    assert {row[4] for row in table[1:]} == {"1MN", "1SJ"}
    r = client.get("/api/v1/analyses/conflicts?as_of=2021-01-01&format=geojson")
    assert r["Content-Type"] == "application/geo+json"
    assert len(r.json()["features"]) == 2


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("/api/v1/analyses/coverage?from=wczoraj", "RRRR-MM-DD"),
        ("/api/v1/analyses/coverage?from=2020&to=2010", "wcześniejsza"),
        ("/api/v1/analyses/coverage?step=0", "zakresie 1–50"),
        ("/api/v1/analyses/coverage?from=1800", "1950–2100"),
        ("/api/v1/analyses/coverage?format=xml", "json, csv"),
        ("/api/v1/analyses/capacity?level=street", "city, district, block, parcel"),
        ("/api/v1/analyses/capacity?district=99", "Nieznana dzielnica"),
        ("/api/v1/analyses/capacity?page=-1", "page"),
        ("/api/v1/analyses/capacity?forecast_population=-5", "forecast_population"),
        ("/api/v1/analyses/capacity?forecast_population=abc", "liczbą całkowitą"),
        ("/api/v1/analyses/capacity?forecast_population=1000&forecast_year=1999", "forecast_year"),
        ("/api/v1/analyses/capacity?forecast_year=2040", "prognozowaną liczbę"),
        ("/api/v1/analyses/capacity?forecast_population=999999999999", "zakresie"),
        ("/api/v1/analyses/conflicts?severity=fatal", "error, warning, info"),
        ("/api/v1/analyses/conflicts?as_of=2021-02-30", "RRRR-MM-DD"),
    ],
)
def test_bad_parameters_answer_400_in_polish(client, town, url, fragment):
    r = client.get(url)
    assert r.status_code == 400
    body = r.json()
    assert body["error"] == "invalid_parameter"
    assert fragment in body["message"]


def test_post_is_not_allowed(client, town):
    assert client.post("/api/v1/analyses/coverage").status_code == 405


def test_capacity_layer_tiles(client, town):
    get_computed(client, "/api/v1/analyses/capacity?level=city")  # computes today's run
    from miasto.core.layers import layer_get

    layer = layer_get("capacity")
    assert layer is not None
    found = layer.list_features((18.0, 51.0, 21.0, 53.0), 10, 0)
    assert found["count"] == 3
    assert {f["dwellings"] for f in found["features"]} == {12, 7, 8}
    # a tile over parcel P1
    centre = town.parcels["P1"].geom.point_on_surface.transform(4326, clone=True)
    z = 15
    n = 2**z
    x = int((centre.x + 180) / 360 * n)
    lat = math.radians(centre.y)
    y = int((1 - math.asinh(math.tan(lat)) / math.pi) / 2 * n)
    assert len(layer.tile(z, x, y)) > 0
