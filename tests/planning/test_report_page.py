"""The planning report page (/planowanie/wypis/…) on the hand-made parcel of ``test_report``:
form, redirects, the report with its numbers in Polish format, several parcels, 400 and 404."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.contrib.gis.geos import MultiPolygon

from miasto.planning import wypis
from tests.i18n import compile_messages
from tests.planning.test_report import X, Y, box_poly, site  # noqa: F401
from tests.planning.test_report_accessibility import computed  # noqa: F401
from tests.territory.factories import AddressFactory, ParcelFactory


def compile_planning_messages() -> None:
    compile_messages("planning")


@pytest.fixture(autouse=True)
def _messages():
    compile_planning_messages()


def _get(client, path, **kwargs):
    return client.get(path, HTTP_ACCEPT_LANGUAGE="pl", **kwargs)


class _Text(HTMLParser):
    """The visible text of a page, whitespace collapsed (no scripts, no SVG internals)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "svg"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "svg"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def text_of(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def test_form(client, db):
    response = _get(client, "/planowanie/wypis/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="parcels"' in html and 'name="address"' in html and 'name="as_of"' in html
    assert '<label for="id_parcels">' in html


def test_form_redirects_to_the_report(client, site):  # noqa: F811
    response = _get(client, "/planowanie/wypis/", data={"parcels": site.identifier, "as_of": ""})
    assert response.status_code == 302
    assert response["Location"] == f"/planowanie/wypis/{site.identifier}/"
    response = _get(
        client,
        "/planowanie/wypis/",
        data={"parcels": f" {site.identifier},\n106401_1.0007.5 ", "as_of": "2024-05-31"},
    )
    assert response.status_code == 302
    assert response["Location"] == (
        "/planowanie/wypis/?id=106401_1.0007.12%2F3&id=106401_1.0007.5&as_of=2024-05-31"
    )


def test_form_resolves_an_address(client, site):  # noqa: F811
    AddressFactory(parcel=site, number="12")
    from miasto.territory.models import Address

    label = Address.objects.get(parcel=site).label
    response = _get(client, "/planowanie/wypis/", data={"address": label})
    assert response.status_code == 302
    assert response["Location"] == f"/planowanie/wypis/{site.identifier}/"


@pytest.mark.parametrize(
    ("data", "status", "fragment"),
    [
        ({"parcels": "12/3"}, 400, "WWPPGG_R.XXXX.NDZ"),
        ({"parcels": "106401_1.0007.1, <script>"}, 400, "Oczekiwany format"),
        ({"parcels": "106401_1.0007.1", "as_of": "31.05.2024"}, 400, "RRRR-MM-DD"),
        ({"parcels": "", "address": ""}, 400, "Podaj identyfikator działki lub adres"),
        ({"address": "Nieistniejąca 999"}, 404, "Nie znaleziono działki pod adresem"),
        ({"parcels": "x" * 3000}, 400, "2000"),
    ],
)
def test_form_errors(client, db, data, status, fragment):
    response = _get(client, "/planowanie/wypis/", data=data)
    assert response.status_code == status
    html = response.content.decode()
    assert fragment in html
    assert "<script>" not in html.split("<main", 1)[1].split("</main>", 1)[0]
    assert 'role="alert"' in html


def test_report_page(client, site):  # noqa: F811
    response = _get(client, f"/planowanie/wypis/{site.identifier}/")
    assert response.status_code == 200
    html = response.content.decode()
    text = text_of(html)
    assert "Raport planistyczny dla działki 106401_1.0007.12/3" in text
    # zones with area and share, parameters with units in Polish number format
    assert "Teren 1MN" in text and "Teren 2MW" in text
    assert "600 m² (60 %)" in text and "400 m² (40 %)" in text
    assert "1,2" in text and "40 %" in text and "12 m" in text
    # derived figures and totals
    assert "720 m²" in text and "960 m²" in text and "760 m²" in text
    # building line, constraint, slivers note with the tolerance
    assert "nieprzekraczalna" in text.lower() and "Obszar szczególnego zagrożenia powodzią" in text
    assert "1 m² lub 0,5 % powierzchni działki" in text
    # the SVG map inline with its text alternative, and the legend
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="wyrys-map" role="img"' in html
    assert "Skala 1:500" in html
    assert "Legenda" in text
    # the fee, and the links
    assert "Opłata skarbowa" in text and "zł" in text
    assert f"/api/v1/parcels/{site.identifier}/planning.pdf" in html
    assert f"/api/v1/parcels/{site.identifier}/planning" in html
    # accessibility: not computed for this parcel
    assert "Nie obliczono dla tej działki" in text
    # the EGiB land use in words, its code on hover
    assert '<span class="coded" title="kod: B">tereny mieszkaniowe</span>' in html


def test_report_numbers_use_polish_grouping(client, site):  # noqa: F811
    from miasto.territory.models import Parcel

    Parcel.objects.filter(pk=site.pk).update(area=12345.6)
    text = text_of(_get(client, f"/planowanie/wypis/{site.identifier}/").content.decode())
    assert re.search(r"12\s345,6 m²", text.replace("\xa0", " "))


def test_report_as_of(client, site):  # noqa: F811
    text = text_of(
        _get(client, f"/planowanie/wypis/{site.identifier}/?as_of=2018-05-01").content.decode()
    )
    assert "Teren 1P" in text and "Teren 1MN" not in text


def test_several_parcels(client, site):  # noqa: F811
    other = ParcelFactory(
        precinct=site.precinct,
        number="13",
        geom=MultiPolygon(box_poly(X + 40, Y, X + 60, Y + 25), srid=2180),
    )
    response = _get(client, f"/planowanie/wypis/?id={site.identifier}&id={other.identifier}")
    assert response.status_code == 200
    html = response.content.decode()
    text = text_of(html)
    assert "Raport planistyczny dla działek 106401_1.0007.12/3, 106401_1.0007.13" in text
    assert text.count("Dane ewidencyjne") == 2
    assert html.count('class="wyrys-map"') == 2
    # element ids stay unique with two maps
    assert 'id="wyrys0-clip"' in html and 'id="wyrys1-clip"' in html
    # one PDF for both
    assert f"planning.pdf?id={other.identifier.replace('/', '%2F')}" in html
    # the other path form works too
    response = _get(client, f"/planowanie/wypis/{site.identifier}/?id={other.identifier}")
    assert (
        response.status_code == 200
        and text_of(response.content.decode()).count("Dane ewidencyjne") == 2
    )


@pytest.mark.parametrize(
    ("path", "status", "fragment"),
    [
        ("/planowanie/wypis/abc/", 400, "WWPPGG_R.XXXX.NDZ"),
        ("/planowanie/wypis/106401_1.0007.0/", 400, "Oczekiwany format"),
        ("/planowanie/wypis/106401_1.0007.999/", 404, "Nie znaleziono działki w ewidencji"),
        ("/planowanie/wypis/?id=106401_1.0007.12/3&id=106401_1.0007.998", 404, "106401_1.0007.998"),
        ("/planowanie/wypis/106401_1.0007.12/3/?as_of=2024-13-01", 400, "RRRR-MM-DD"),
        ("/planowanie/wypis/106401_1.0007.12/3/?as_of=%00", 400, "NUL"),
    ],
)
def test_report_errors(client, site, path, status, fragment):  # noqa: F811
    response = _get(client, path)
    assert response.status_code == status
    assert fragment in text_of(response.content.decode())


def test_too_many_parcels(client, db):
    ids = "&".join(f"id=106401_1.0007.{n}" for n in range(1, 30))
    response = _get(client, f"/planowanie/wypis/?{ids}")
    assert response.status_code == 400
    assert f"Najwyżej {wypis.max_parcels()} działek" in text_of(response.content.decode())


def test_report_accessibility_met_or_not(client, computed, site):  # noqa: F811
    text = text_of(_get(client, f"/planowanie/wypis/{site.identifier}/").content.decode())
    section = text.split("Standardy dostępności (art. 13f)", 1)[1]
    assert "Szkoła podstawowa" in section and "850 m" in section and "1 500 m" in section
    assert "tak" in section and "nie" in section
    assert "ponad dwukrotność limitu" in section
