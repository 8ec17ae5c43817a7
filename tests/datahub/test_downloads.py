"""Downloads of any version the user may see: the dataset page's version choice and links,
and the API's ``version=`` — rejected versions only for those who manage the dataset."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings

from miasto.datahub.models import DatasetVersion
from tests.datahub.test_api_permissions import hub, login_as, make_version  # noqa: F401
from tests.datahub.test_edit import MANAGERS, WHO
from tests.datahub.test_views import compile_datahub_messages

# The API streams through ogr2ogr, which reads the version tables on its own connection.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module", autouse=True)
def _messages() -> None:
    compile_datahub_messages()


@pytest.fixture
def versions(hub):  # type: ignore[no-untyped-def]  # noqa: F811
    """drzewa-public: v1 ready and current, v2 ready, v3 rejected, v4 failed (no table)."""
    ds = hub["datasets"]["public"]
    make_version(ds, 2, current=False)
    v3 = make_version(ds, 3, current=False)
    DatasetVersion.objects.filter(pk=v3.pk).update(
        status="rejected", error="100% obiektów leży poza granicą miasta"
    )
    DatasetVersion.objects.create(
        dataset=ds, number=4, status="failed", source_name="zly.gpkg", error="Plik uszkodzony."
    )
    return ds


def _options(body: str) -> list[tuple[str, bool]]:
    select = body.split('id="download-version"', 1)[1].split("</select>", 1)[0]
    return [
        (m.group(1), bool(m.group(2)))
        for m in re.finditer(r'<option value="(\d+)"( selected)?', select)
    ]


@pytest.mark.parametrize("who", WHO)
def test_page_offers_every_version_the_user_may_download(who, client, make_user, hub, versions):  # type: ignore[no-untyped-def]  # noqa: F811
    login_as(who, client, make_user, hub)
    body = client.get(f"/dane/{versions.slug}/").content.decode()
    manager = who in MANAGERS
    expected = ["3", "2", "1"] if manager else ["2", "1"]  # newest first
    assert [n for n, _s in _options(body)] == expected
    assert [n for n, selected in _options(body) if selected] == ["1"]  # the current one
    url = f"/api/v1/datasets/{versions.slug}/download"
    for n in (1, 2, 3, 4):
        link = f'{url}?format=gpkg&amp;crs=EPSG:2180&amp;version={n}"'
        assert (link in body) is (n in (1, 2) or (n == 3 and manager)), (who, n)


def test_page_without_a_current_version_selects_the_newest(client, make_user, hub):  # type: ignore[no-untyped-def]  # noqa: F811
    ds = hub["datasets"]["public"]
    DatasetVersion.objects.filter(dataset=ds).update(is_current=False)
    make_version(ds, 2, current=False)
    body = client.get(f"/dane/{ds.slug}/").content.decode()
    assert _options(body) == [("2", True), ("1", False)]
    # nothing to download: no section at all
    DatasetVersion.objects.filter(dataset=ds).update(status="failed")
    body = client.get(f"/dane/{ds.slug}/").content.decode()
    assert 'id="pobieranie"' not in body and "download-version" not in body


@override_settings(LANGUAGE_CODE="pl")
@pytest.mark.parametrize("who", WHO)
def test_api_download_of_versions(who, client, make_user, hub, versions):  # type: ignore[no-untyped-def]  # noqa: F811
    login_as(who, client, make_user, hub)
    url = f"/api/v1/datasets/{versions.slug}/download"
    for n in (1, 2):
        r = client.get(url, {"format": "csv", "crs": "EPSG:2180", "version": n})
        assert r.status_code == 200, (who, n)
        assert f"drzewa-public-v{n}-2180.csv" in r["Content-Disposition"]
        text = b"".join(r.streaming_content).decode()
        assert "lipa" in text and "POINT (500010 403710)" in text
    r = client.get(url, {"format": "csv", "crs": "EPSG:2180", "version": 3})
    if who in MANAGERS:
        assert r.status_code == 200
        assert "drzewa-public-v3-2180.csv" in r["Content-Disposition"]
        assert "lipa" in b"".join(r.streaming_content).decode()
    else:  # (a version never accepted does not exist for them: as a number never used)
        assert r.status_code == 404
        assert r.json()["message"] == "Zbiór drzewa-public nie ma wersji 3."
    r = client.get(url, {"format": "csv", "version": 4})
    assert r.status_code == 404
    assert ("nie ma danych" in r.json()["message"]) is (who in MANAGERS)
    assert client.get(url, {"format": "csv", "version": 99}).status_code == 404
    assert client.get(url, {"format": "csv", "version": "x"}).status_code == 400
    # the attribute table of a rejected version follows the same rule
    r = client.get(f"/api/v1/datasets/{versions.slug}/versions/3/features")
    assert r.status_code == (200 if who in MANAGERS else 404)


def test_rejected_version_of_a_hidden_dataset_stays_hidden(client, make_user, hub):  # type: ignore[no-untyped-def]  # noqa: F811
    ds = hub["datasets"]["restricted"]
    v = make_version(ds, 2, current=False)
    DatasetVersion.objects.filter(pk=v.pk).update(status="rejected")
    login_as("steward_other_unit", client, make_user, hub)
    r = client.get(f"/api/v1/datasets/{ds.slug}/download", {"version": 2})
    assert r.status_code == 404
    login_as("steward_owner_unit", client, make_user, hub)
    r = client.get(f"/api/v1/datasets/{ds.slug}/download", {"version": 2, "format": "geojson"})
    assert r.status_code == 200 and b"lipa" in b"".join(r.streaming_content)
