"""Home and map pages: key figures, both languages, layer switcher, table equivalent."""

from __future__ import annotations

import json

import pytest
from django.utils import translation

pytestmark = pytest.mark.django_db


def get(client, url, lang="pl"):
    client.cookies["django_language"] = lang
    return client.get(url, HTTP_ACCEPT_LANGUAGE=lang)


def test_home_without_city_tells_how_to_get_data(client):
    response = get(client, "/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "make demo" in html
    assert '<a class="way-in__link" href="/dane/">' in html  # the ways in lead on all the same
    assert 'lang="pl"' in html


def test_home_shows_key_figures_in_polish(client, small_city):
    response = get(client, "/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Miastko Testowe" in html
    assert "Najważniejsze liczby" in html
    assert "Działki" in html
    # 72 parcels, buildings, addresses; 9 residents in each of the 27 residential buildings.
    assert ">72<" in html
    assert "243" in html
    assert 'href="/map/"' in html
    assert 'class="skip-link" href="#main"' in html
    assert '<main id="main"' in html


def test_home_in_english(client, small_city):
    response = get(client, "/", lang="en")
    html = response.content.decode()
    assert 'lang="en"' in html
    assert "Key figures" in html
    assert "Search on the map" in html
    assert ">City map</a>" in html  # the map's way in


def test_language_switch_sets_the_language(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert 'lang="en"' in html
    assert 'aria-pressed="true" class="is-current"' in html


def test_map_page_has_switcher_legend_table_and_config(client, small_city):
    response = get(client, "/map/")
    assert response.status_code == 200
    html = response.content.decode()
    for name in (
        "districts", "water", "parcels", "buildings", "streets", "services", "constraints"
    ):  # fmt: skip
        assert f'id="layer-{name}"' in html
    assert "Warstwy mapy" in html
    assert 'role="combobox"' in html and 'aria-controls="search-listbox"' in html
    assert 'role="tab"' in html and "Tabela" in html
    assert 'id="feature-table"' in html
    assert 'id="parcel-panel"' in html and 'role="region"' in html
    assert "web/dist/main.js" in html
    config = json.loads(
        response.context["map_config"] and json.dumps(response.context["map_config"])
    )
    assert [layer["name"] for layer in config["layers"]] == [
        "districts",
        "water",
        "parcels",
        "constraints",
        "buildings",
        "streets",
        "services",
    ]
    assert "cdn" not in html.lower()
    # the parcel panel's link to the planning report: from the config, not written in the JS
    assert config["pages"]["planningReport"] == "/planowanie/wypis/{identifier}/"


def test_map_strings_for_js_follow_the_language(client):
    with translation.override("en"):
        html_en = get(client, "/map/", lang="en").content.decode()
    html_pl = get(client, "/map/", lang="pl").content.decode()
    assert '"showOnMap": "Show on map"' in html_en
    assert '"showOnMap": "Poka\\u017c na mapie"' in html_pl or "Pokaż na mapie" in html_pl


def test_mapa_redirects_to_map(client):
    response = client.get("/mapa/")
    assert response.status_code == 302
    assert response["Location"] == "/map/"
