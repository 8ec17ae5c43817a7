"""``/api/v1/consultations…``: public consultations only, published comments as GeoJSON with
their handling, the report once published — never personal data; the OGC API collection and
the vector tiles carry the same."""

from __future__ import annotations

import math
from typing import Any

import mapbox_vector_tile
import pytest
from django.contrib.gis.geos import Point

from miasto.consultations.jobs import REPORT_JOB
from miasto.consultations.models import Status
from miasto.consultations.services import consultation_transition
from miasto.core.jobs import job_enqueue, job_run
from tests.consultations.factories import PLAN_X, PLAN_Y, add_comment, make_consultation


@pytest.fixture
def world(plan: Any) -> dict[str, Any]:
    running = make_consultation(plan, Status.OPEN, title="Trwające")
    draft = make_consultation(plan, Status.DRAFT, title="Szkic")
    add_comment(running, 1, text="Więcej drzew", handling="accepted", justification="Tak.")
    add_comment(running, 2, text="Czeka na moderację", moderation="pending")
    add_comment(running, 3, text="Ukryta", moderation="hidden", hidden_reason="spam")
    return {"running": running, "draft": draft}


def test_list_and_detail(client: Any, world: dict[str, Any]) -> None:
    data = client.get("/api/v1/consultations").json()
    assert [c["title"] for c in data["consultations"]] == ["Trwające"]
    item = data["consultations"][0]
    assert item["comments"] == 1 and item["report_pdf"] is None
    detail = client.get(f"/api/v1/consultations/{world['running'].pk}").json()
    assert detail["area"]["type"] == "MultiPolygon" and "comments" in detail["forms"]
    assert client.get(f"/api/v1/consultations/{world['draft'].pk}").status_code == 404
    missing = client.get("/api/v1/consultations/99999999999999999999")
    assert missing.status_code == 404 and "error" in missing.json()


def test_comments_geojson_has_no_personal_data(client: Any, world: dict[str, Any]) -> None:
    response = client.get(f"/api/v1/consultations/{world['running'].pk}/comments")
    assert response["Content-Type"].startswith("application/geo+json")
    data = response.json()
    (feature,) = data["features"]
    assert feature["properties"]["text"] == "Więcej drzew"
    assert feature["properties"]["handling"] == "accepted"
    lon, lat = feature["geometry"]["coordinates"]
    assert 14 < lon < 25 and 49 < lat < 55
    assert "Nowak" not in response.content.decode() and "Krótka" not in response.content.decode()


def test_report_only_once_published(client: Any, plan: Any, make_user: Any) -> None:
    c = make_consultation(plan, Status.CLOSED)
    add_comment(c, 1, handling="accepted", justification="Uwzględniono.")
    url = f"/api/v1/consultations/{c.pk}/report.pdf"
    assert client.get(url).status_code == 404
    job_run(job_enqueue(kind=REPORT_JOB, payload={"consultation_id": c.pk}))
    assert client.get(url).status_code == 404
    consultation_transition(
        consultation=c, target=Status.REPORT_PUBLISHED, user=make_user("planner")
    )
    pdf = client.get(url)
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    csv_answer = client.get(f"/api/v1/consultations/{c.pk}/report.csv")
    assert b"".join(csv_answer.streaming_content).decode().startswith("nr,")


def test_ogc_collection_and_tiles(client: Any, world: dict[str, Any]) -> None:
    items = client.get("/ogcapi/collections/consultation-comments/items?f=json").json()
    texts = [f["properties"]["text"] for f in items["features"]]
    assert texts == ["Więcej drzew"]
    assert "author_name" not in str(items) and "Nowak" not in str(items)
    lon, lat = Point(PLAN_X + 10, PLAN_Y + 10, srid=2180).transform(4326, clone=True).coords
    x, y = tile_of(lon, lat, 14)
    answer = client.get(f"/tiles/consultation-comments/14/{x}/{y}.mvt")
    layer = mapbox_vector_tile.decode(answer.content)["consultation-comments"]
    assert [f["properties"]["number"] for f in layer["features"]] == [1]
    assert set(layer["features"][0]["properties"]) == {
        "consultation",
        "number",
        "category",
        "handling",
    }
    x, y = tile_of(lon, lat, 12)  # below zoom 14: clusters per consultation, with a count
    answer = client.get(f"/tiles/consultation-comments/12/{x}/{y}.mvt")
    layer = mapbox_vector_tile.decode(answer.content)["consultation-comments"]
    [cluster] = layer["features"]
    assert cluster["properties"]["count"] == 1 and cluster["properties"]["number"] == 1
    assert cluster["properties"]["consultation"] == world["running"].pk


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y
