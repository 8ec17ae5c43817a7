"""The home page leads somewhere: a search that opens the map with the query, and the ways
in registered by the modules (:mod:`miasto.core.entrances`) as real links."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils.translation import gettext_lazy as _

from miasto.core.entrances import Entrance, entrance_registry, entrances

pytestmark = pytest.mark.django_db


def get(client: Client, url: str, lang: str = "pl"):  # type: ignore[no-untyped-def]
    client.cookies["django_language"] = lang
    return client.get(url, HTTP_ACCEPT_LANGUAGE=lang)


def way_in_links(html: str) -> list[str]:
    return re.findall(r'<a class="way-in__link" href="([^"]+)">', html)


def test_home_has_the_search_and_the_ways_in_as_links(client, small_city):
    html = get(client, "/").content.decode()
    assert '<form class="home-search" role="search" method="get" action="/map/">' in html
    assert 'name="q"' in html
    links = way_in_links(html)
    assert links == [
        "/map/", "/planowanie/wypis/", "/planowanie/", "/konsultacje/", "/dane/",
        "/zgloszenia/", "/planowanie/analizy/", "/reklamy/", "/pomysly/", "/ankiety/",
    ]  # fmt: skip
    for url in links:
        assert client.get(url).status_code == 200, url
    assert "Wypis i wyrys" in html or "wypis i wyrys" in html


def test_a_module_adds_its_way_in_with_one_registration(client, small_city):
    entry = Entrance(
        title=_("Consultations"), text=_("Take part."), url_name="web:privacy", order=60
    )
    entrance_registry.register("test-consultations", entry)
    try:
        assert ("test-consultations", entry) in entrances()
        assert way_in_links(get(client, "/").content.decode())[-1] == "/prywatnosc/"
    finally:
        entrance_registry.unregister("test-consultations")


def test_a_way_in_to_a_page_not_installed_is_left_out(client, small_city):
    before = len(way_in_links(get(client, "/").content.decode()))
    entrance_registry.register(
        "test-missing", Entrance(title="X", text="Y", url_name="nowhere:page", order=1)
    )
    try:
        response = get(client, "/")
        assert response.status_code == 200
        assert len(way_in_links(response.content.decode())) == before
    finally:
        entrance_registry.unregister("test-missing")


def test_the_map_opens_with_the_query_of_the_home_search(client, small_city):
    html = get(client, "/map/?q=D%C5%82uga+10").content.decode()
    assert 'value="Długa 10" autofocus' in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("<script>alert(1)</script>", 'value="&lt;script&gt;alert(1)&lt;/script&gt;"'),
        ("a\x1fb\tc   d", 'value="abc d"'),
        ("x" * 5000, f'value="{"x" * 200}"'),
    ],
)
def test_hostile_map_queries_are_cleaned_never_an_error(client, query, expected):
    response = client.get("/map/", {"q": query})
    assert response.status_code == 200
    assert expected in response.content.decode()


def test_a_nul_byte_in_the_query_is_refused_with_400(client):
    assert client.get("/map/", {"q": "a\x00b"}).status_code == 400


def test_the_map_without_a_query_does_not_take_focus(client):
    html = get(client, "/map/").content.decode()
    assert "autofocus" not in html


def test_header_has_a_menu_button_for_phones(client):
    html = get(client, "/").content.decode()
    assert (
        '<button type="button" class="menu-toggle" aria-expanded="false" '
        'aria-controls="site-menu" hidden>' in html
    )
    assert '<div class="site-menu" id="site-menu">' in html
    assert '<script src="/static/web/dist/site.js' in html or "site.js" in html
