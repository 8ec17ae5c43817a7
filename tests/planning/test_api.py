import pytest
from lxml import etree

from miasto.planning import app_gml


def test_plan_list(client, mpzp):
    body = client.get("/api/v1/plans").json()
    assert body["count"] == 1
    item = body["plans"][0]
    assert (item["kind"], item["status"], item["local_id"]) == ("mpzp", "initiated", "T1MPZP")
    assert "valid_from" in item and "valid_to" in item


def test_plan_detail_geojson_crs84(client, mpzp):
    body = client.get(f"/api/v1/plans/{mpzp.pk}").json()
    assert body["crs"] == "CRS84"
    features = body["zones"]["features"]
    assert {f["properties"]["designation"] for f in features} == {"3MN", "1KD-L"}
    mn = next(f for f in features if f["properties"]["designation"] == "3MN")
    assert mn["properties"]["max_intensity"] == 0.6
    assert mn["properties"]["land_use_classes"] == ["MN"]
    lon, lat = mn["geometry"]["coordinates"][0][0][0]
    assert 14 < lon < 25 and 49 < lat < 55


@pytest.mark.parametrize(
    ("url", "status", "fragment"),
    [
        ("/api/v1/plans/abc", 400, "liczbą"),
        ("/api/v1/plans/999999", 404, "Nie znaleziono"),
        ("/api/v1/plans?kind=xyz", 400, "Nieznany rodzaj"),
        ("/api/v1/plans?status=xyz", 400, "Nieznany status"),
        ("/api/v1/plans/999999/app.gml", 404, "Nie znaleziono"),
    ],
)
def test_bad_requests(client, db, url, status, fragment):
    response = client.get(url)
    assert response.status_code == status
    assert fragment in response.json()["message"]


def test_app_gml_endpoint(client, mpzp):
    response = client.get(f"/api/v1/plans/{mpzp.pk}/app.gml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/gml+xml")
    assert app_gml.xsd_errors(etree.fromstring(response.content)) == []
    bad = client.get(f"/api/v1/plans/{mpzp.pk}/app.gml?crs=EPSG:4326")
    assert bad.status_code == 400
