"""Bounded *wypis i wyrys*: a road-like parcel (two parts, many holes) whose map window cuts a
zone into a GEOMETRYCOLLECTION renders (its ``;``-separated SVG path once hung WeasyPrint for
minutes), and any layout over the configured time or memory answers 503 in Polish.

The PDF requests run under an alarm with a generous guard, so a regression fails the test
instead of hanging the suite."""

from __future__ import annotations

import datetime as dt
import io
import re
import signal
from typing import Any

import pytest
import shapely
from django.contrib.gis.geos import GEOSGeometry
from django.db import connection
from pypdf import PdfReader

from miasto.planning import wypis
from miasto.planning.mapsvg import map_extract, path_data
from miasto.planning.validation import ZoneInput
from tests.planning.test_report import ENACTED, _plan
from tests.planning.test_report_page import compile_planning_messages
from tests.territory.factories import ParcelFactory, PrecinctFactory

X, Y = 500_000.0, 400_000.0
GUARD_S = 90.0


@pytest.fixture(autouse=True)
def _messages():
    compile_planning_messages()


def _road() -> GEOSGeometry:
    """A road 600 × 12 m with 20 holes (traffic islands), plus a second part beside it."""
    main = shapely.box(X, Y, X + 600, Y + 12)
    holes = [shapely.box(X + 10 + 29 * i, Y + 4, X + 20 + 29 * i, Y + 8) for i in range(20)]
    main = shapely.Polygon(main.exterior, [h.exterior for h in holes])
    side = shapely.box(X + 100, Y + 30, X + 300, Y + 36)
    return GEOSGeometry(shapely.MultiPolygon([main, side]).wkt, srid=2180)


@pytest.fixture
def road(db) -> Any:
    """The road parcel and a local-plan zone in two parts: one over the road, one outside the
    map window touching its eastern edge along a segment — the window's clip of the zone is
    then a polygon and a line."""
    precinct = PrecinctFactory(unit="106401_1", code="0029")
    parcel = ParcelFactory(precinct=precinct, number="181", geom=_road(), area=7000.0)
    x0, y0, x1, y1 = map_extract([parcel.identifier]).window  # depends on the parcel alone
    inside = shapely.box(x0 + 5, Y - 20, X + 400, Y + 50)
    outside = shapely.box(x1, Y - 20, x1 + 40, Y + 50)  # its west edge is the window's east
    _plan(
        "ROAD",
        [
            ZoneInput(
                local_id="ROAD-1KD-Z",
                designation="1KD-Z",
                category="plan_area",
                geom=shapely.MultiPolygon([inside, outside]),
            )
        ],  # fmt: skip
        ENACTED,
        geom=shapely.box(x0 - 50, Y - 100, x1 + 100, Y + 100),
    )
    return parcel


def _guarded(fn: Any) -> Any:
    """``fn()`` under an alarm: fails (never hangs) when it does not end in GUARD_S. (A thread
    would not do: it has a database connection of its own, outside the test's transaction.)"""

    def expired(signum: int, frame: Any) -> None:
        raise TimeoutError(f"the PDF did not finish in {GUARD_S} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, GUARD_S)
    try:
        return fn()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_window_clip_is_a_collection(road):
    """The fixture is what broke: PostGIS writes the zone's clip with a ";" between parts."""
    x0, y0, x1, y1 = map_extract([road.identifier]).window
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT GeometryType(g), ST_AsSVG(g) FROM (SELECT ST_Intersection(z.geom, "
            "ST_MakeEnvelope(%s, %s, %s, %s, 2180)) AS g FROM planning_zone z "
            "WHERE z.local_id = 'ROAD-1KD-Z') q",
            [x0, y0, x1, y1],
        )
        kind, svg = cursor.fetchone()
    assert kind == "GEOMETRYCOLLECTION" and ";" in svg


def test_map_paths_are_plain(road):
    extract = map_extract([road.identifier])
    assert extract.counts["zones"] == 1
    paths = re.findall(r' d="([^"]*)"', extract.svg)  # (the description may hold a ";")
    assert paths and not any(";" in d for d in paths)
    assert "cx=" not in extract.svg.split("<text")[0]
    assert 'data-designation="1KD-Z"' in extract.svg


def test_path_data_keeps_only_paths():
    assert path_data("M 0 0 L 1 -1 Z") == "M 0 0 L 1 -1 Z"
    assert path_data("M 0 0 L 1 0 1 -1 Z;M 5 5 L 6 6") == "M 0 0 L 1 0 1 -1 Z M 5 5 L 6 6"
    assert path_data('M 0 0 L 1 -1 Z;cx="3" cy="-4"') == "M 0 0 L 1 -1 Z"
    assert path_data(None) == ""


def test_road_parcel_pdf(client, road):
    response = _guarded(
        lambda: client.get(
            f"/api/v1/parcels/{road.identifier}/planning.pdf?as_of={dt.date.today()}",
            HTTP_ACCEPT_LANGUAGE="pl",
        )
    )
    assert response.status_code == 200, response.content[:300]
    reader = PdfReader(io.BytesIO(response.content))
    assert int(response["X-Wyrys-Pages"]) == 1
    text = " ".join((p.extract_text() or "") for p in reader.pages)
    assert "1KD-Z" in text and road.identifier in text


def test_road_parcel_page(client, road):
    response = _guarded(
        lambda: client.get(f"/planowanie/wypis/{road.identifier}/", HTTP_ACCEPT_LANGUAGE="pl")
    )
    assert response.status_code == 200
    assert "1KD-Z" in response.content.decode()


def test_pdf_over_time_limit_is_503(client, road, settings):
    settings.MIASTO_PDF_TIMEOUT_S = 0.001
    response = _guarded(
        lambda: client.get(
            f"/api/v1/parcels/{road.identifier}/planning.pdf", HTTP_ACCEPT_LANGUAGE="pl"
        )
    )
    assert response.status_code == 503
    body = response.json()
    assert body["limit"] == "time"
    assert "limicie czasu" in body["message"]
    # the parent's database session survived the killed child
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM territory_parcel")
        assert cursor.fetchone()[0] >= 1


def test_page_over_time_limit_is_503(client, road, settings):
    settings.MIASTO_PDF_TIMEOUT_S = 0.001
    response = _guarded(
        lambda: client.get(f"/planowanie/wypis/{road.identifier}/", HTTP_ACCEPT_LANGUAGE="pl")
    )
    assert response.status_code == 503
    assert "limicie czasu" in response.content.decode()


def test_pdf_over_memory_limit_is_503(client, road, settings, monkeypatch):
    from miasto.planning import wypis

    layout = wypis._pdf_and_fee

    def greedy(data):  # type: ignore[no-untyped-def]
        # a layout that needs more than its budget, whatever the caches the worker already
        # holds (a warm WeasyPrint may lay a small map out in memory already mapped)
        ballast = bytearray(64 * 1024 * 1024)
        return layout(data) if ballast else None

    monkeypatch.setattr(wypis, "_pdf_and_fee", greedy)
    settings.MIASTO_PDF_MEMORY_MB = 1
    response = _guarded(
        lambda: client.get(
            f"/api/v1/parcels/{road.identifier}/planning.pdf", HTTP_ACCEPT_LANGUAGE="pl"
        )
    )
    assert response.status_code == 503
    assert response.json()["limit"] == "memory"


def test_parcel_count_is_configured(client, db, settings):
    settings.MIASTO_WYPIS_MAX_PARCELS = 3
    ids = "&".join(f"id=106401_1.0007.{n}" for n in range(1, 5))
    response = client.get(f"/api/v1/parcels/106401_1.0007.9/planning.pdf?{ids}")
    assert response.status_code == 400
    assert "Najwyżej 3 działek" in response.json()["message"]
    page = client.get(f"/planowanie/wypis/?{ids}", HTTP_ACCEPT_LANGUAGE="pl")
    assert page.status_code == 400


def test_wypis_number_of_parcels_default():
    assert wypis.max_parcels() == 5
