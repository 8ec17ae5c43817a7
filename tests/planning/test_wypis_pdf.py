"""The PDF draft of the wypis i wyrys on the hand-made parcel of ``test_report``: its text
(designations, parameter values, legal basis, fee amounts), page counts and errors."""

from __future__ import annotations

import io
import os
import re
from decimal import Decimal

import pytest
from pypdf import PdfReader

from miasto.planning import wypis
from tests.planning.test_report import site  # noqa: F401
from tests.planning.test_report_page import compile_planning_messages


@pytest.fixture(autouse=True)
def _messages():
    compile_planning_messages()


def _pdf(client, path):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="pl")
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.startswith(b"%PDF")
    if os.environ.get("MIASTO_KEEP_ARTIFACTS"):
        with open("/tmp/wypis.pdf", "wb") as fh:
            fh.write(body)
    return response, PdfReader(io.BytesIO(body))


def _text(reader: PdfReader) -> str:
    return " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)


def test_pdf_text(client, site):  # noqa: F811
    response, reader = _pdf(client, f"/api/v1/parcels/{site.identifier}/planning.pdf")
    text = _text(reader)
    assert "Wypis i wyrys z miejscowego planu zagospodarowania przestrzennego — projekt" in text
    assert "art. 30 ust. 1 ustawy z dnia 27 marca 2003 r." in text
    assert "106401_1.0007.12/3" in text
    for designation in ("1MN", "2MW"):
        assert designation in text
    assert "1P" not in re.findall(r"\b1P\b", text)  # the annulled plan is not in force
    # parameters with Polish decimals and units
    assert "1,2" in text and "40 %" in text and "12 m" in text
    # derived figures: 720 m² max floor area in 1MN, 960 m² in total
    assert "720 m²" in text and "960 m²" in text
    # the flood hazard area and the building line
    assert "Obszar szczególnego zagrożenia powodzią" in text
    assert "nieprzekraczalna" in text.lower()
    # the fee: wypis pages and one wyrys page, amounts in złoty
    wypis_pages = int(response["X-Wypis-Pages"])
    wyrys_pages = int(response["X-Wyrys-Pages"])
    assert wyrys_pages == 1
    assert len(reader.pages) == wypis_pages + wyrys_pages
    expected = "30,00 zł" if wypis_pages <= 5 else "50,00 zł"
    assert expected in text and "20,00 zł" in text
    total = Decimal(30 if wypis_pages <= 5 else 50) + 20
    assert f"{total:.2f}".replace(".", ",") + " zł" in text
    assert "Ustawa z dnia 16 listopada 2006 r. o opłacie skarbowej" in text
    # the wyrys page: scale and legend
    last = " ".join((reader.pages[-1].extract_text() or "").split())
    assert "1:500" in last and "Legenda" in last
    assert "dokument wygenerowany automatycznie — projekt" in text


def test_page_counts_come_from_the_layout(site):  # noqa: F811
    data = wypis.build([site.identifier])
    document = wypis.lay_out(data)
    assert data.fee is not None
    assert data.fee.wypis_pages + data.fee.wyrys_pages == len(document.pages)
    assert "wyrys-start" in document.pages[data.fee.wypis_pages].anchors


def test_long_wypis_costs_fifty(site):  # noqa: F811
    """Long rules text pushes the wypis over 5 pages: the fee follows the layout."""
    from miasto.planning.models import Zone

    Zone.objects.filter(designation="1MN").update(
        rules="\n\n".join(f"§ {i}. " + "Ustalenie szczegółowe dotyczące zabudowy. " * 12
                          for i in range(1, 90))
    )  # fmt: skip
    data = wypis.build([site.identifier])
    wypis.lay_out(data)
    assert data.fee.wypis_pages > 5
    assert data.fee.wypis == Decimal("50.00")


def test_history_as_of(client, site):  # noqa: F811
    _response, reader = _pdf(
        client, f"/api/v1/parcels/{site.identifier}/planning.pdf?as_of=2018-05-01"
    )
    text = _text(reader)
    assert "1P" in text and "1MN" not in text


@pytest.mark.parametrize(
    ("path", "status", "fragment"),
    [
        ("/api/v1/parcels/abc/planning.pdf", 400, "WWPPGG_R.XXXX.NDZ"),
        ("/api/v1/parcels/106401_1.0007.12/3/planning.pdf?id=x", 400, "Oczekiwany format"),
        ("/api/v1/parcels/106401_1.0007.999/planning.pdf", 404, "Nie znaleziono działki"),
        ("/api/v1/parcels/106401_1.0007.12/3/planning.pdf?as_of=2024-02-30", 400, "RRRR-MM-DD"),
        # only separators or control characters: no identifier at all
        ("/api/v1/parcels/%1F%0B/planning.pdf", 400, "identyfikator"),
        ("/api/v1/parcels/,;/planning.pdf", 400, "identyfikator"),
    ],
)
def test_pdf_errors_are_json(client, site, path, status, fragment):  # noqa: F811
    response = client.get(path)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert fragment in response.json()["message"]


def test_pdf_route_wins_over_the_parcel_catch_all(site):  # noqa: F811
    from django.urls import resolve

    match = resolve(f"/api/v1/parcels/{site.identifier}/planning.pdf")
    assert match.view_name == "planning:report-pdf"
    assert match.kwargs == {"identifier": site.identifier}


def test_renders_offline(site, monkeypatch):  # noqa: F811
    """No URL is ever fetched: the fetcher refuses everything and nothing asks it."""
    from weasyprint.urls import URLFetcher

    calls: list[str] = []
    monkeypatch.setattr(URLFetcher, "__call__", lambda self, url: calls.append(url))
    pdf = wypis.render_pdf(wypis.build([site.identifier]))
    assert pdf.startswith(b"%PDF") and calls == []


def test_two_parcels_two_wyrys_pages(client, site):  # noqa: F811
    from django.contrib.gis.geos import MultiPolygon

    from tests.planning.test_report import X, Y, box_poly
    from tests.territory.factories import ParcelFactory

    other = ParcelFactory(
        precinct=site.precinct,
        number="13",
        geom=MultiPolygon(box_poly(X + 40, Y, X + 60, Y + 25), srid=2180),
    )
    response, reader = _pdf(
        client, f"/api/v1/parcels/{site.identifier}/planning.pdf?id={other.identifier}"
    )
    assert response["X-Wyrys-Pages"] == "2"
    text = _text(reader)
    assert "106401_1.0007.13" in text and "40,00 zł" in text


def test_warm_up_lays_out_a_pdf_with_polish_letters():
    """A web worker warms WeasyPrint up when it starts (config/wsgi.py)."""
    pdf = wypis.warm_up()
    assert pdf.startswith(b"%PDF")
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "zażółć gęślą jaźń" in text
