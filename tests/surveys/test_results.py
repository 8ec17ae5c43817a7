"""Results (counts, means, places per district, the heat-map grid), the exports (CSV, and a
GeoPackage opened again with GDAL), the API and the OGC API collection — never with
personal data."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from pathlib import Path

import pytest
from django.test import Client

from miasto.surveys import exports, selectors
from miasto.surveys.models import Identity, Survey
from miasto.surveys.services import Respondent, response_submit
from tests.surveys.conftest import collection, line, make_survey, point, polygon, questions

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(survey):  # type: ignore[no-untyped-def]
    """Three responses: two in the west district (D01), one in the east (D02)."""
    Survey.objects.filter(pk=survey.pk).update(identity=Identity.NAME_ADDRESS)
    q = questions(survey)
    west, east = point(50, 50), point(330, 330)

    def answer(**kw):  # type: ignore[no-untyped-def]
        who = Respondent(name="Anna Tajna", address="ul. Sekretna 7", email="anna@example.org")
        response_submit(survey, {q[k].pk: v for k, v in kw.items()}, who)

    answer(
        single="0",
        multiple=["0", "1"],
        scale="5",
        text='=HYPERLINK("x")',
        points=collection(west),
        rating=collection(west, score=4),
        lines=collection(line((10, 10), (200, 10))),
    )
    answer(
        single="0",
        multiple=["1"],
        scale="3",
        points=collection(west, east),
        rating=collection(east, score=2),
        areas=collection(polygon((20, 20), (120, 20), (120, 120), (20, 120))),
    )
    answer(single="2", scale="4", text="Więcej ławek")
    return survey


def by_kind(rows):  # type: ignore[no-untyped-def]
    return {r["kind"]: r for r in rows}


def test_results_count_answers_and_places(answered):  # type: ignore[no-untyped-def]
    rows = by_kind(selectors.results(answered))
    assert [o["count"] for o in rows["single"]["options"]] == [2, 0, 1]
    assert [o["count"] for o in rows["multiple"]["options"]] == [1, 2, 0]
    assert rows["multiple"]["answered"] == 2
    assert [v["count"] for v in rows["scale"]["scale"]] == [0, 0, 1, 1, 1]
    assert float(rows["scale"]["mean"]) == 4.0
    assert rows["points"]["places"] == 3
    districts = {d["code"]: d["count"] for d in rows["points"]["districts"]}
    assert districts == {"D01": 2, "D02": 1}
    rating = {d["code"]: float(d["mean"]) for d in rows["rating"]["districts"]}
    assert rating == {"D01": 4.0, "D02": 2.0}
    assert rows["text"]["answered"] == 2
    assert "HYPERLINK" not in json.dumps(rows) and "Anna" not in json.dumps(rows)


def test_heat_map_grid_counts_places_per_cell(answered):  # type: ignore[no-untyped-def]
    grid = selectors.density(questions(answered)["points"], cell=100)
    counts = sorted(f["properties"]["count"] for f in grid["features"])
    assert counts == [1, 2] and grid["max"] == 2
    ring = grid["features"][0]["geometry"]["coordinates"][0]
    assert 18 < ring[0][0] < 20 and 51 < ring[0][1] < 52  # WGS 84
    empty = selectors.density(questions(make_survey(title="Pusta"))["points"])
    assert empty["features"] == [] and empty["max"] == 0


def test_csv_export_is_anonymised_and_safe(answered):  # type: ignore[no-untyped-def]
    text = exports.survey_csv(answered)
    assert "Anna" not in text and "Sekretna" not in text and "anna@" not in text
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 4
    header = rows[0]
    single = header.index("1. Pytanie single")
    assert [r[single] for r in rows[1:]] == ["tak", "tak", "nie wiem"]
    text_col = header.index("3. Pytanie text")
    assert rows[1][text_col].startswith("'=")  # no formula for a spreadsheet
    assert rows[2][header.index("5. Pytanie points")].count("POINT") == 2
    assert "score=4" in rows[1][header.index("8. Pytanie rating")]


def gdal_layer(path: Path, name: str) -> dict:  # type: ignore[type-arg]
    """A layer of the file read back by GDAL (``ogr2ogr`` to GeoJSON)."""
    out = subprocess.run(
        ["ogr2ogr", "-f", "GeoJSON", "/vsistdout/", str(path), name],
        capture_output=True,
        check=True,
    )
    return json.loads(out.stdout)


def test_geopackage_export_opens_in_gdal(answered, tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "ankieta.gpkg"
    path.write_bytes(exports.survey_geopackage(answered))
    assert path.read_bytes()[:16] == b"SQLite format 3\x00"
    layers = {name: gdal_layer(path, name) for name in ("places", "routes", "areas", "answers")}
    listing = subprocess.run(["ogrinfo", "-ro", "-q", str(path)], capture_output=True, check=True)
    assert sorted(re.findall(r"^\d+: (\w+)", listing.stdout.decode(), re.M)) == sorted(layers)
    summary = subprocess.run(
        ["ogrinfo", "-ro", "-so", str(path), "places"], capture_output=True, check=True
    )
    assert 'ID["EPSG",2180]' in summary.stdout.decode()
    places = layers["places"]
    assert len(places["features"]) == 5  # 3 marked places and 2 rated ones
    scores = sorted(
        f["properties"]["score"] for f in places["features"] if f["properties"]["score"]
    )
    assert scores == [2, 4]
    x, y = places["features"][0]["geometry"]["coordinates"]
    assert 500_000 < x < 500_400 and 380_000 < y < 380_400
    assert len(layers["routes"]["features"]) == 1 and len(layers["areas"]["features"]) == 1
    answers = [f["properties"] for f in layers["answers"]["features"]]
    assert {"response", "question", "question_text", "answer"} <= set(answers[0])
    assert "Anna" not in path.read_bytes().decode("latin-1")


def test_api_lists_public_surveys_and_their_results(answered):  # type: ignore[no-untyped-def]
    client = Client()
    draft = make_survey(title="Szkic")
    Survey.objects.filter(pk=draft.pk).update(status="draft")
    listing = client.get("/api/v1/surveys").json()
    assert [s["id"] for s in listing["surveys"]] == [answered.pk]
    assert listing["surveys"][0]["responses"] == 3
    detail = client.get(f"/api/v1/surveys/{answered.pk}").json()
    assert len(detail["questions"]) == 8 and detail["respondents"] == "name_address"
    results = client.get(f"/api/v1/surveys/{answered.pk}/results?cell=100").json()
    assert results["responses"] == 3
    points = by_kind(results["questions"])["points"]
    assert points["heatmap"]["type"] == "FeatureCollection" and points["heatmap"]["cell"] == 100
    assert "Anna" not in json.dumps(results) and "Więcej ławek" not in json.dumps(results)
    assert client.get(f"/api/v1/surveys/{draft.pk}").status_code == 404
    assert client.get(f"/api/v1/surveys/{draft.pk}/results").status_code == 404
    bad = client.get("/api/v1/surveys/1x")
    assert bad.status_code == 400 and bad.json()["error"] == "invalid_parameter"
    assert client.get(f"/api/v1/surveys/{answered.pk}/results?cell=abc").status_code == 400
    Survey.objects.filter(pk=answered.pk).update(results_public=False)
    assert client.get(f"/api/v1/surveys/{answered.pk}/results").status_code == 404


def test_openapi_documents_the_endpoints(db):  # type: ignore[no-untyped-def]
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    for p in (
        "/api/v1/surveys",
        "/api/v1/surveys/{survey_id}",
        "/api/v1/surveys/{survey_id}/results",
    ):
        assert "get" in paths[p]


def test_ogc_collection_publishes_places_without_personal_data(answered):  # type: ignore[no-untyped-def]
    client = Client()
    items = client.get("/ogcapi/collections/survey-answers/items?limit=100&f=json").json()
    assert items["numberMatched"] == 7
    props = items["features"][0]["properties"]
    assert {"survey", "question", "kind"} <= set(props)
    text = json.dumps(items)
    assert "Anna" not in text and "Sekretna" not in text and "response" not in props
    Survey.objects.filter(pk=answered.pk).update(results_public=False)
    hidden = client.get("/ogcapi/collections/survey-answers/items?f=json").json()
    assert hidden["numberMatched"] == 0
