"""Atom feeds of new versions: valid Atom, one entry per ready version, only what the reader
may see (a restricted dataset's feed is 404, and it is not in the catalogue's feed)."""

from __future__ import annotations

import defusedxml.ElementTree as ET
import pytest
from django.test import Client

from miasto.datahub import services
from tests.datahub.conftest import parcel_features, write_geojson

pytestmark = pytest.mark.django_db(transaction=True)

ATOM = "{http://www.w3.org/2005/Atom}"


def _import(dataset, tmp_path, name):  # type: ignore[no-untyped-def]
    return services.version_import(
        dataset=dataset,
        path=write_geojson(tmp_path / name, parcel_features(range(4))),
        source_name=name,
    )


def _entries(response) -> list[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return [e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")]


def test_dataset_feed_lists_its_versions_newest_first(city, make_dataset, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ds = make_dataset("generic", slug="drzewa", title_pl="Drzewa")
    _import(ds, tmp_path, "a.geojson")
    _import(ds, tmp_path, "b.geojson")
    titles = _entries(Client().get("/dane/drzewa/zmiany.atom"))
    assert titles == ["Drzewa — wersja 2", "Drzewa — wersja 1"] or titles == [
        "Drzewa — version 2",
        "Drzewa — version 1",
    ]
    body = Client().get("/dane/drzewa/zmiany.atom").content.decode()
    assert "urn:miasto:dataset:drzewa:version:2" in body and "b.geojson" in body


def test_hidden_datasets_have_no_feed(city, make_dataset, tmp_path) -> None:  # type: ignore[no-untyped-def]
    hidden = make_dataset("generic", slug="ukryty", title_pl="Ukryty", access="restricted")
    public = make_dataset("generic", slug="jawny", title_pl="Jawny")
    _import(hidden, tmp_path, "h.geojson")
    _import(public, tmp_path, "p.geojson")
    assert Client().get("/dane/ukryty/zmiany.atom").status_code == 404
    assert Client().get("/dane/nieznany/zmiany.atom").status_code == 404
    titles = _entries(Client().get("/dane/zmiany.atom"))
    assert any("Jawny" in t for t in titles)
    assert not any("Ukryty" in t for t in titles)


def test_the_catalogue_page_links_its_feed(city, make_dataset) -> None:  # type: ignore[no-untyped-def]
    page = Client().get("/dane/").content.decode()
    assert 'type="application/atom+xml"' in page and "/dane/zmiany.atom" in page
