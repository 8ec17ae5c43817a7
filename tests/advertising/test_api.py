"""The advertising API: filters, personal data only for staff, bad parameters as 400 JSON."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from miasto.advertising import compliance
from miasto.advertising.models import FeeRate
from tests.advertising.factories import (
    CarrierFactory,
    OwnerFactory,
    ZoneFactory,
    ZoneRuleFactory,
    pt,
    rect,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


@pytest.fixture
def register(db):  # type: ignore[no-untyped-def]
    zone = ZoneFactory(code="A", geom=rect(0, 0, 1000, 1000))
    ZoneRuleFactory(zone=zone, max_value=Decimal("12"), provision="§ 7")
    person = OwnerFactory(name="Jan Kowalski", kind="person")
    big = CarrierFactory(area=Decimal("18"), owner=person, location=pt(100, 100))
    small = CarrierFactory(kind="citylight", area=Decimal("2"), location=pt(200, 200))
    outside = CarrierFactory(location=pt(5000, 5000))
    compliance.check(TODAY)
    return {"big": big, "small": small, "outside": outside, "person": person}


def test_carriers_geojson_with_filters(client, register) -> None:  # type: ignore[no-untyped-def]
    data = client.get("/api/v1/advertising/carriers").json()
    assert data["type"] == "FeatureCollection" and data["numberMatched"] == 3
    bad = client.get("/api/v1/advertising/carriers?compliant=false").json()
    assert [f["properties"]["reference"] for f in bad["features"]] == [register["big"].reference]
    assert client.get("/api/v1/advertising/carriers?kind=citylight").json()["numberMatched"] == 1
    assert client.get("/api/v1/advertising/carriers?zone=A").json()["numberMatched"] == 2
    lon_lat = register["small"].location.transform(4326, clone=True)
    box = f"{lon_lat.x - 0.0005},{lon_lat.y - 0.0005},{lon_lat.x + 0.0005},{lon_lat.y + 0.0005}"
    inside = client.get(f"/api/v1/advertising/carriers?bbox={box}").json()
    assert [f["id"] for f in inside["features"]] == [register["small"].pk]
    assert "owner" not in data["features"][0]["properties"]


@pytest.mark.parametrize(
    "query",
    ["kind=zeppelin", "compliant=maybe", "bbox=1,2,3", "bbox=10,10,5,5", "zone=%27;drop",
     "limit=0", "limit=abc"],
)  # fmt: skip
def test_bad_parameters_are_400_json(client, register, query) -> None:  # type: ignore[no-untyped-def]
    response = client.get(f"/api/v1/advertising/carriers?{query}")
    assert response.status_code == 400
    assert response.json()["message"]


def test_carrier_detail_with_violations_and_owner_only_for_staff(
    client, register, make_user
) -> None:  # type: ignore[no-untyped-def]
    big = register["big"]
    data = client.get(f"/api/v1/advertising/carriers/{big.pk}").json()
    props = data["properties"]
    assert props["compliant"] is False and props["zone"] == "A"
    [v] = props["violations"]
    assert (v["rule_kind"], v["measured"], v["allowed"]) == ("max_area", "18.00", "12.00")
    assert "§ 7" in v["legal_basis"]
    assert "owner" not in props and "Kowalski" not in str(data)
    client.force_login(make_user("inspector"))
    staff = client.get(f"/api/v1/advertising/carriers/{big.pk}").json()["properties"]
    assert staff["owner"] == "Jan Kowalski"
    assert client.get("/api/v1/advertising/carriers/999999").status_code == 404
    assert client.get("/api/v1/advertising/carriers/abc").status_code == 400


def test_violations_paging_and_filters(client, register) -> None:  # type: ignore[no-untyped-def]
    data = client.get("/api/v1/advertising/violations?page_size=1").json()
    assert (data["count"], data["pages"], len(data["violations"])) == (1, 1, 1)
    assert client.get("/api/v1/advertising/violations?rule_kind=bottom_edge").json()["count"] == 0
    assert client.get("/api/v1/advertising/violations?state=resolved").json()["count"] == 0
    assert client.get("/api/v1/advertising/violations?rule_kind=nope").status_code == 400
    assert client.get("/api/v1/advertising/violations?page=0").status_code == 400


def test_fees_and_penalty_are_for_staff(client, register, make_user) -> None:  # type: ignore[no-untyped-def]
    FeeRate.objects.create(
        valid_from=dt.date(2020, 1, 1), fixed_daily=Decimal("2.50"),
        variable_daily_per_m2=Decimal("0.20"), resolution="Uchwała o opłacie",
    )  # fmt: skip
    big = register["big"]
    url = f"/api/v1/advertising/carriers/{big.pk}/penalty?from=2026-03-01&to=2026-03-11"
    assert client.get(url).status_code == 403
    assert client.get("/api/v1/advertising/fees?year=2026").status_code == 403
    client.force_login(make_user("resident"))
    assert client.get(url).status_code == 403
    client.force_login(make_user("case_officer"))
    penalty = client.get(url).json()
    # 40 × 2.50 + 40 × 0.20 × 18 = 100 + 144 = 244 zł a day, 10 days
    assert (penalty["days"], penalty["amount"]) == (10, "2440.00")
    assert penalty["derivation"]
    assert client.get(url.replace("to=2026-03-11", "to=2026-02-01")).status_code == 400
    assert client.get(url.replace("from=2026-03-01", "from=1.3.2026")).status_code == 400
    fees = client.get("/api/v1/advertising/fees?year=2026").json()
    assert fees["owners"] and fees["lines"]
    owner = register["person"].pk
    mine = client.get(f"/api/v1/advertising/fees?year=2026&owner={owner}").json()
    assert {line["owner_id"] for line in mine["lines"]} == {owner}
    csv = client.get("/api/v1/advertising/fees?year=2026&format=csv")
    assert csv["Content-Type"].startswith("text/csv") and b"rok,nip" in csv.content
    assert client.get("/api/v1/advertising/fees").status_code == 400
    assert client.get("/api/v1/advertising/fees?year=1900").status_code == 400
    assert client.get("/api/v1/advertising/fees?year=2026&owner=99999").status_code == 404


def test_every_endpoint_is_in_the_openapi_document(client) -> None:  # type: ignore[no-untyped-def]
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for p in ("/api/v1/advertising/carriers", "/api/v1/advertising/carriers/{carrier_id}",
              "/api/v1/advertising/carriers/{carrier_id}/penalty",
              "/api/v1/advertising/violations", "/api/v1/advertising/fees"):  # fmt: skip
        assert p in paths, p
