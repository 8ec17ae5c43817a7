"""The catalogue's keyboard path: a skip link to the results, and facet groups that cost one
Tab each (collapsed <details>), open where a value is chosen."""

from __future__ import annotations

import re

import pytest

from tests.datahub.test_catalogue import _messages, catalogue  # noqa: F401 — fixtures

pytestmark = pytest.mark.django_db


def page(client, query: str = "") -> str:  # type: ignore[no-untyped-def]
    client.cookies["django_language"] = "pl"
    response = client.get(f"/dane/{query}", HTTP_ACCEPT_LANGUAGE="pl")
    assert response.status_code == 200
    return response.content.decode()


def test_skip_link_to_the_results_comes_right_after_the_main_one(client, catalogue):  # noqa: F811
    html = page(client)
    main = html.index('<a class="skip-link" href="#main">')
    results = html.index('<a class="skip-link" href="#results-title">')
    assert main < results < html.index("<header")
    assert '<h2 id="results-title" tabindex="-1">' in html


def test_facet_groups_are_collapsed_until_a_value_is_chosen(client, catalogue):  # noqa: F811
    html = page(client)
    groups = re.findall(r'<details class="facet"( open)?>', html)
    assert len(groups) >= 4
    assert all(not is_open for is_open in groups)

    html = page(client, "?theme=ENVI")
    opened = re.findall(r'<details class="facet" open>\s*<summary><span id="facet-(\w+)">', html)
    assert opened == ["theme"]
    assert '<span class="facet__chosen">: ' in html
    assert 'aria-current="true" class="is-selected"' in html
