"""The catalogue's facets (theme, owner, format, access, freshness) and search, in the page
and the API — and that facets never reveal a dataset the user may not see."""

from __future__ import annotations

import html
import re

import pytest
from django.test import override_settings
from django.utils import timezone

from miasto.datahub.models import Dataset, DatasetVersion
from tests.datahub.test_views import compile_datahub_messages
from tests.territory import factories as tf

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def _messages() -> None:
    compile_datahub_messages()


def _dataset(slug: str, owner, *, fmt: str | None = None, age_days: int = 0, **kw):  # type: ignore[no-untyped-def]
    ds = Dataset.objects.create(
        slug=slug, title_pl=kw.pop("title_pl", slug.title()), owner=owner, **kw
    )
    if fmt:
        DatasetVersion.objects.create(
            dataset=ds, number=1, status="ready", is_current=True, source_name=f"{slug}.{fmt}",
            format=fmt, feature_count=1,
            finished_at=timezone.now() - timezone.timedelta(days=age_days),
        )  # fmt: skip
    return ds


@pytest.fixture
def catalogue(db):  # type: ignore[no-untyped-def]
    tf.CityFactory()
    wos = tf.OrgUnitFactory(code="WOS", name="Wydział Ochrony Środowiska")
    wgk = tf.OrgUnitFactory(code="WGK", name="Wydział Geodezji")
    war = tf.OrgUnitFactory(code="WAR", name="Wydział Architektury")
    _dataset("drzewa", wos, fmt="gpkg", theme="ENVI", title_pl="Drzewa przyuliczne",
             title_en="Street trees", keywords=["zieleń", "pomniki"])  # fmt: skip
    _dataset("dzialki", wgk, fmt="csv", age_days=90, theme="REGI", title_pl="Działki",
             description_pl="Ewidencja gruntów i budynków.", frequency="MONTHLY")  # fmt: skip
    _dataset("pusty", wos, theme="ENVI", title_pl="Hałas")  # no version yet
    _dataset("archiwum", wgk, fmt="gpkg", age_days=2000, theme="REGI", frequency="IRREG",
             title_pl="Archiwalne granice")  # fmt: skip
    _dataset("szkoly", war, fmt="geojson", theme="EDUC", access="internal", title_pl="Szkoły")
    _dataset("tajne", war, fmt="kml", theme="HEAL", access="restricted", title_pl="Szpitale")
    return {"wos": wos, "wgk": wgk, "war": war}


def api_slugs(client, **params) -> set[str]:  # type: ignore[no-untyped-def]
    r = client.get("/api/v1/datasets", {"page_size": 100, **params})
    assert r.status_code == 200
    return {d["slug"] for d in r.json()["results"]}


def page_slugs(client, query: str = "") -> set[str]:  # type: ignore[no-untyped-def]
    body = client.get("/dane/" + query).content.decode()
    return set(re.findall(r'<h3><a href="/dane/([\w-]+)/">', body))


PUBLIC = {"drzewa", "dzialki", "pusty", "archiwum"}


@pytest.mark.parametrize(
    "param,value,expected",
    [
        ("theme", "ENVI", {"drzewa", "pusty"}),
        ("theme", "REGI", {"dzialki", "archiwum"}),
        ("owner", "WGK", {"dzialki", "archiwum"}),
        ("owner", "WOS", {"drzewa", "pusty"}),
        ("format", "csv", {"dzialki"}),
        ("format", "gpkg", {"drzewa", "archiwum"}),
        ("access", "public", PUBLIC),
        ("freshness", "stale", {"dzialki"}),
        # up to date: has a current version that is not overdue (irregular ones never are)
        ("freshness", "fresh", {"drzewa", "archiwum"}),
    ],
)
def test_each_facet_filters_page_and_api(param, value, expected, client, catalogue):  # type: ignore[no-untyped-def]
    assert api_slugs(client, **{param: value}) == expected
    body = client.get("/dane/").content.decode()
    # the facet link is offered (with its count), and following it gives the same list
    links = {
        html.unescape(href): int(count)
        for href, count in re.findall(
            r'<a href="(\?[^"]*)"[^>]*>\s*<span>[^<]*</span>\s*<span class="facet__count">(\d+)',
            body,
        )
    }
    url = f"?{param}={value}"
    assert links.get(url) == len(expected), (url, links)
    assert page_slugs(client, url) == expected
    selected = client.get("/dane/" + url).content.decode()
    assert 'aria-current="true"' in selected and "Wyczyść wszystkie filtry" in selected


def test_facets_combine_and_keep_the_search(client, catalogue):  # type: ignore[no-untyped-def]
    assert api_slugs(client, theme="REGI", freshness="stale") == {"dzialki"}
    assert api_slugs(client, owner="WOS", format="gpkg") == {"drzewa"}
    assert page_slugs(client, "?owner=WGK&freshness=fresh") == {"archiwum"}
    body = client.get("/dane/", {"owner": "WGK", "q": "granice"}).content.decode()
    # the search form keeps the chosen facets; facet links keep the search
    assert '<input type="hidden" name="owner" value="WGK">' in body
    assert "q=granice" in body and "theme=REGI" in body
    # choosing a selected facet again removes it
    link = re.search(r'<a href="([^"]*)" aria-current="true"', body)
    assert link is not None and "owner=" not in html.unescape(link.group(1))
    # counts follow the filter
    r = client.get("/api/v1/datasets", {"theme": "REGI"}).json()
    assert {f["owner__code"]: f["count"] for f in r["facets"]["owner"]} == {"WGK": 2}


@pytest.mark.parametrize(
    "q,expected",
    [
        ("drzewa", {"drzewa"}),  # slug and title
        ("STREET", {"drzewa"}),  # English title, any case
        ("zieleń", {"drzewa"}),  # a keyword, with Polish letters
        ("pomniki drzewa", {"drzewa"}),  # every word must match
        ("pomniki działki", set()),
        ("ewidencja", {"dzialki"}),  # the description
        ("szpital", set()),  # a restricted dataset is not found by others
        ("'; DROP TABLE datahub_dataset; --", set()),
    ],
)
def test_search(q, expected, client, catalogue):  # type: ignore[no-untyped-def]
    assert api_slugs(client, q=q) == expected
    assert page_slugs(client, "?q=" + q.replace(" ", "+").replace("#", "")) == expected


@override_settings(LANGUAGE_CODE="pl")
def test_no_result_message_and_counts(client, catalogue):  # type: ignore[no-untyped-def]
    body = client.get("/dane/", {"q": "nic-takiego"}).content.decode()
    assert "Żaden zbiór nie pasuje" in body
    body = client.get("/dane/").content.decode()
    assert "4 zbiory danych" in body


def test_facets_never_reveal_hidden_datasets(client, make_user, catalogue):  # type: ignore[no-untyped-def]
    hidden_values = ("EDUC", "HEAL", "WAR", "geojson", "kml", "internal", "restricted")
    body = client.get("/dane/").content.decode()
    facets = body.split('class="hub-facets"', 1)[1].split("</aside>", 1)[0]
    for value in hidden_values:
        assert f"={value}" not in facets, value
    assert "Wydział Architektury" not in body
    data = client.get("/api/v1/datasets").json()
    flat = str(data["facets"])
    for value in hidden_values:
        assert value not in flat, value
    assert data["count"] == 4
    # a planner (city staff) sees the internal one, not the restricted one
    client.force_login(make_user("planner"))
    assert api_slugs(client) == PUBLIC | {"szkoly"}
    assert api_slugs(client, owner="WAR") == {"szkoly"}
    assert api_slugs(client, format="kml") == set() and api_slugs(client, theme="HEAL") == set()
    assert page_slugs(client, "?access=restricted") == set()
    # a steward of the owner unit sees both
    steward = make_user("data_steward")
    catalogue["war"].members.add(steward)
    client.force_login(steward)
    assert api_slugs(client, owner="WAR") == {"szkoly", "tajne"}
    assert page_slugs(client, "?theme=HEAL") == {"tajne"}


def test_paging_keeps_filters(client, catalogue):  # type: ignore[no-untyped-def]
    for n in range(25):
        _dataset(f"zbior-{n:02d}", catalogue["wos"], fmt="gpkg", theme="TRAN")
    body = client.get("/dane/", {"theme": "TRAN"}).content.decode()
    assert len(page_slugs(client, "?theme=TRAN")) == 20
    assert "?theme=TRAN&amp;strona=2" in body
    assert len(page_slugs(client, "?theme=TRAN&strona=2")) == 5
    r = client.get("/api/v1/datasets", {"theme": "TRAN", "page": 2, "page_size": 20}).json()
    assert r["count"] == 25 and len(r["results"]) == 5


def test_catalogue_steps_as_selectors(catalogue):  # type: ignore[no-untyped-def]
    """The page's steps run alone: the filters cleaned, the facet groups (an anonymous user's:
    public datasets only), the result rows."""
    from django.contrib.auth.models import AnonymousUser

    from miasto.datahub import selectors

    filters = selectors.valid_filters(
        selectors.CatalogueFilters(theme="NOPE", access="x", freshness="old", owner="WGK")
    )
    assert (filters.theme, filters.access, filters.freshness, filters.owner) == ("", "", "", "WGK")
    user = AnonymousUser()
    qs = selectors.catalogue(user, filters)
    assert {d.slug for d in qs} == {"dzialki", "archiwum"}
    groups = {g["param"]: g["items"] for g in selectors.facet_groups(user, filters, qs)}
    assert [(value, count) for value, _label, count in groups["owner"]] == [("WGK", 2)]
    assert [(value, count) for value, _label, count in groups["freshness"]] == [
        ("fresh", 1),  # (irregular updates: never overdue)
        ("stale", 1),
    ]
    rows = {r["dataset"].slug: r for r in selectors.catalogue_results(qs, "pl")}
    assert rows["dzialki"]["freshness"] == "stale" and rows["archiwum"]["freshness"] == "unknown"
    assert rows["dzialki"]["current"].format == "csv"
