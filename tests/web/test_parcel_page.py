"""A parcel's page (/dzialki/<identifier>/): server-rendered facts of the map's panel, the
sections the modules contribute (planning's plans and the wypis link), a map config, the
links to share it — and Polish 400/404 pages for hostile or unknown identifiers."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest

from tests.i18n import compile_messages
from tests.planning.test_report_page import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _messages() -> None:
    compile_messages("web")
    compile_messages("planning")


def _get(client, path):  # type: ignore[no-untyped-def]
    return client.get(path, HTTP_ACCEPT_LANGUAGE="pl")


def test_parcel_page_shows_the_panel_facts(client, small_city):  # type: ignore[no-untyped-def]
    parcel = small_city.parcels[4]  # 106401_1.0003.5/1: a slash in its number
    response = _get(client, f"/dzialki/{parcel.identifier}/")
    assert response.status_code == 200
    html = response.content.decode()
    text = text_of(html)
    assert f"<title>Działka {parcel.identifier} · " in html
    assert re.search(rf"<h1[^>]*>Działka {re.escape(parcel.identifier)}</h1>", html)
    # the map panel's facts, from the same selector
    assert "Powierzchnia 1 250,0 m²" in text  # (text_of turns the hard space into a blank)
    assert "Obręb ewidencyjny 106401_1.0003 (Śródmieście)" in text
    assert "Stare Miasto (D01)" in text
    assert "Adresy ul. Krótka 5, 95-001" in text
    assert f"{parcel.identifier}_BUD.1" in text
    assert "Układ urbanistyczny Starego Miasta" in text  # the heritage constraint over it
    # with no plan covering it, planning's section says so and links the wypis
    assert "Plany obowiązujące na działce" in text
    assert "działka nie jest objęta żadnym obowiązującym planem" in text
    assert f'href="/planowanie/wypis/{parcel.identifier}/"' in html


def test_parcel_page_shares_well(client, small_city):  # type: ignore[no-untyped-def]
    parcel = small_city.parcels[4]
    html = _get(client, f"/dzialki/{parcel.identifier}/").content.decode()
    canonical = f"http://testserver/dzialki/{parcel.identifier}/"
    assert f'<link rel="canonical" href="{canonical}">' in html
    assert f'<meta property="og:url" content="{canonical}">' in html
    assert f'<meta property="og:title" content="Działka {parcel.identifier}">' in html
    description = re.search(r'<meta property="og:description" content="([^"]+)">', html)
    assert description is not None
    assert unescape(description.group(1)) == (
        "Działka nr 5/1, obręb 0003 Śródmieście, powierzchnia 1\xa0250 m², dzielnica Stare Miasto."
    )
    # the city map opened on the parcel (URL state), with the panel open
    link = re.search(r'href="(/map/#map=18/[0-9.]+/[0-9.]+&amp;parcel=[^"]+)"', html)
    assert link is not None and unescape(link.group(1)).endswith(f"parcel={parcel.identifier}")


def test_parcel_page_map_config(client, small_city):  # type: ignore[no-untyped-def]
    parcel = small_city.parcels[0]
    html = _get(client, f"/dzialki/{parcel.identifier}/").content.decode()
    raw = re.search(r'<script id="parcel-map-config" type="application/json">(.*?)</script>', html)
    assert raw is not None
    config = json.loads(raw.group(1))
    assert config["identifier"] == parcel.identifier
    assert config["geometry"]["type"] == "MultiPolygon"
    west, south, east, north = config["bbox"]
    assert 18 < west < east < 20 and 50 < south < north < 53
    names = [layer["name"] for layer in config["layers"]]
    assert names == ["districts", "water", "parcels", "buildings", "streets"]
    assert config["layers"][0]["labels"] == "district-labels"
    assert 'src="/static/web/dist/parcel.js"' in html


def test_unknown_parcel_is_a_polish_404(client, small_city):  # type: ignore[no-untyped-def]
    response = _get(client, "/dzialki/106401_1.0003.999/")
    assert response.status_code == 404
    text = text_of(response.content.decode())
    assert "Nie znaleziono działki" in text
    assert "106401_1.0003.999" in text


@pytest.mark.parametrize(
    "path",
    [
        "/dzialki/../",
        "/dzialki/..%2F..%2Fetc%2Fpasswd/",
        "/dzialki/" + "1" * 5000 + "/",
        "/dzialki/<script>alert(1)<%2Fscript>/",
        "/dzialki/106401_1.0003/",
        "/dzialki/'%20OR%201=1--/",
    ],
)
def test_hostile_identifiers_are_a_polish_400(client, small_city, path):  # type: ignore[no-untyped-def]
    response = _get(client, path)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nieprawidłowy identyfikator działki" in text_of(html)
    assert "WWPPGG_R.XXXX.NDZ" in html
    assert "<script>alert" not in html
    assert len(html) < 20_000  # the long identifier is cut, not echoed whole


@pytest.mark.parametrize("path", ["/dzialki/%00/", "/dzialki/106401_1.0003.1%00/"])
def test_null_bytes_are_a_polish_400(client, small_city, path):  # type: ignore[no-untyped-def]
    response = _get(client, path)
    assert response.status_code == 400
    assert "Nieprawidłowe żądanie" in text_of(response.content.decode())


def test_link_previews_may_ask_with_head(client, small_city):  # type: ignore[no-untyped-def]
    response = client.head(f"/dzialki/{small_city.parcels[0].identifier}/")
    assert response.status_code == 200
    assert client.post(f"/dzialki/{small_city.parcels[0].identifier}/").status_code == 405


def test_map_page_links_the_parcel_page_and_checks_identifiers(client, small_city):  # type: ignore[no-untyped-def]
    """The city map's config: the parcel page's URL for its panel, and the identifier pattern
    (the server's own, in JavaScript's syntax) that URL state is checked against."""
    html = _get(client, "/map/").content.decode()
    raw = re.search(r'<script id="map-config" type="application/json">(.*?)</script>', html)
    assert raw is not None
    config = json.loads(raw.group(1))
    assert config["pages"]["parcelPage"] == "/dzialki/{identifier}/"
    pattern = config["parcelPattern"]
    assert "(?P<" not in pattern and "(?<unit>" in pattern
    assert re.match(pattern.replace("(?<", "(?P<"), small_city.parcels[4].identifier)
    assert not re.match(pattern.replace("(?<", "(?P<"), "../106401_1.0003.1")
    # "Mapa gotowa." goes to a visually hidden live region; the visible box is not read out
    assert '<div id="map-status" class="visually-hidden" role="status" aria-live="polite">' in html
    assert '<div id="map-notice" class="map-status" aria-hidden="true">' in html
