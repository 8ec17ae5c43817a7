"""The data hub's pages: the role matrix, hostile input and the upload → mapping → job flow."""

from __future__ import annotations

import json
import shutil

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings

from miasto.core.jobs import job_run
from miasto.core.models import Job
from miasto.datahub.models import Dataset, DatasetVersion
from tests.datahub.test_api_permissions import hub, login_as, make_version, steward_of  # noqa: F401
from tests.i18n import compile_messages
from tests.territory import factories as tf

MATRIX = {
    "anonymous": {"public"},
    "resident": {"public"},
    "planner": {"public", "internal"},
    "steward_other_unit": {"public", "internal"},
    "steward_owner_unit": {"public", "internal", "restricted"},
    "administrator": {"public", "internal", "restricted"},
}
MANAGERS = {"steward_owner_unit", "administrator"}


def compile_datahub_messages() -> None:
    compile_messages("datahub")


@pytest.fixture(scope="module", autouse=True)
def _messages() -> None:
    compile_datahub_messages()


@pytest.fixture(autouse=True)
def _workdir(tmp_path, settings):  # type: ignore[no-untyped-def]
    settings.MIASTO_WORK_DIR = tmp_path / "work"
    yield


# --------------------------------------------------------------------------- role matrix


@pytest.mark.django_db
@pytest.mark.parametrize("who", sorted(MATRIX))
def test_pages_role_matrix(who, client, make_user, hub):  # type: ignore[no-untyped-def]  # noqa: F811
    login_as(who, client, make_user, hub)
    allowed = MATRIX[who]
    catalogue = client.get("/dane/")
    assert catalogue.status_code == 200
    body = catalogue.content.decode()
    stale = client.get("/dane/nieaktualne/")
    assert stale.status_code == 200
    assert "Stary zbiór" in stale.content.decode()
    for access, ds in hub["datasets"].items():
        ok = access in allowed
        assert (f'href="/dane/{ds.slug}/"' in body) is ok, (who, access)
        urls = [
            f"/dane/{ds.slug}/",
            f"/dane/{ds.slug}/wersje/1/jakosc/",
            f"/dane/{ds.slug}/roznice/?od=1&do=1",
        ]
        for url in urls:
            assert client.get(url).status_code == (200 if ok else 404), (who, url)
        # managing: anonymous → login; visible but not manager → 403; invisible → 404
        r = client.get(f"/dane/{ds.slug}/import/")
        if who == "anonymous":
            assert r.status_code == 302 and "/konto/logowanie/" in r["Location"]
        elif not ok:
            assert r.status_code == 404
        else:
            assert r.status_code == (200 if who in MANAGERS else 403), (who, access)
    r = client.get("/dane/nowy/")
    expected = {"anonymous": 302, "resident": 403, "planner": 403}.get(who, 200)
    assert r.status_code == expected


@pytest.mark.django_db
def test_catalogue_facets_search_and_paging(client, make_user, hub):  # type: ignore[no-untyped-def]  # noqa: F811
    client.force_login(make_user("administrator"))
    body = client.get("/dane/").content.decode()
    assert "4 zbiory danych" in body or "4 datasets" in body
    assert "Wydział Ochrony Środowiska" in body and "theme=ENVI" in body
    # a facet link filters; the freshness facet counts
    r = client.get("/dane/", {"owner": "WGK"})
    assert "Stary zbiór" in r.content.decode() and "drzewa-public" not in r.content.decode()
    r = client.get("/dane/", {"freshness": "stale"})
    assert 'href="/dane/stare/"' in r.content.decode()
    assert 'href="/dane/drzewa-public/"' not in r.content.decode()
    r = client.get("/dane/", {"q": "zieleń"})
    assert 'href="/dane/stare/"' not in r.content.decode()
    # hostile parameters never fail
    for params in (
        {"strona": "abc"},
        {"strona": "-5"},
        {"theme": "<script>"},
        {"access": "x" * 500},
        {"q": "'; DROP TABLE x; --"},
        {"freshness": "??"},
    ):
        r = client.get("/dane/", params)
        assert r.status_code == 200
        assert "<script>" not in r.content.decode().split("</header>", 1)[1]


@pytest.mark.django_db
def test_resident_sees_only_public_access_facet(client, make_user, hub):  # type: ignore[no-untyped-def]  # noqa: F811
    client.force_login(make_user("resident"))
    body = client.get("/dane/").content.decode()
    assert "access=public" in body
    assert "access=internal" not in body and "access=restricted" not in body


@pytest.mark.django_db
def test_dataset_page_content(client, make_user, hub):  # type: ignore[no-untyped-def]  # noqa: F811
    ds = hub["datasets"]["public"]
    make_version(ds, 2, current=False)
    client.force_login(steward_of(make_user, hub["env"]))
    r = client.get(f"/dane/{ds.slug}/")
    body = r.content.decode()
    assert r.status_code == 200
    assert "Drzewa (public)" in body and "lipa" in body and "dąb" in body  # attribute table
    assert "ds-drzewa-public" in body  # map preview config
    assert "/api/v1/datasets/drzewa-public/download" in body
    assert 'value="EPSG:2180"' in body and 'value="CRS84"' in body
    assert f"/dane/{ds.slug}/roznice/?od=2&amp;do=1" in body
    assert f"/dane/{ds.slug}/wersje/2/biezaca/" in body  # make current (manager)
    assert "csrfmiddlewaretoken" in body
    # a resident sees no managing controls
    client.force_login(make_user("resident"))
    body = client.get(f"/dane/{ds.slug}/").content.decode()
    assert "/wersje/2/biezaca/" not in body and "/import/" not in body
    # table paging is bounded
    assert client.get(f"/dane/{ds.slug}/?strona=999999").status_code == 200
    assert client.get("/dane/nie-ma-takiego/").status_code == 404


@pytest.mark.django_db
def test_quality_page_and_blocking(client, hub):  # type: ignore[no-untyped-def]  # noqa: F811
    ds = hub["datasets"]["public"]
    v = ds.current_version
    v.quality = {
        "score": 41.5,
        "feature_count": 2,
        "checks": {
            "invalid_geometries": {
                "count": 1,
                "repaired": 1,
                "unrepairable": 0,
                "items": [{"fid": 2, "reason": "Self-intersection"}],
            },
            "outside_city": {"count": 2, "share": 1.0, "items": [1, 2]},
            "crs": {"swapped_axes": False, "wrong_crs": False, "message": ""},
        },
        "completeness": {"species": 0.5},
        "blocking": [
            {"rule": "max_outside_city_share", "message": "100% obiektów leży poza granicą miasta"}
        ],
    }
    v.save()
    body = client.get(f"/dane/{ds.slug}/wersje/1/jakosc/").content.decode()
    assert "Self-intersection" in body and "100% obiektów" in body
    assert "is-blocking" in body and "41,5" in body
    assert client.get(f"/dane/{ds.slug}/wersje/9/jakosc/").status_code == 404


@pytest.mark.django_db
def test_diff_page(client, hub):  # type: ignore[no-untyped-def]  # noqa: F811
    ds = hub["datasets"]["public"]
    v2 = make_version(ds, 2, current=False)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {v2.table_name} (species, geom) VALUES "
            f"('klon', ST_SetSRID(ST_MakePoint(500030, 403730), 2180))"
        )
    r = client.get(f"/dane/{ds.slug}/roznice/", {"od": 1, "do": 2})
    body = r.content.decode()
    assert r.status_code == 200
    assert "<dd>1</dd>" in body  # one added
    for params in ({"od": "x", "do": "2"}, {"od": "1", "do": "1"}):
        r = client.get(f"/dane/{ds.slug}/roznice/", params)
        assert r.status_code == 200 and 'class="notice"' in r.content.decode()
    # a version number never used: no such version (as one the user may not see)
    assert client.get(f"/dane/{ds.slug}/roznice/", {"od": "7", "do": "1"}).status_code == 404


@pytest.mark.django_db
def test_make_current_rollback(client, make_user, hub):  # type: ignore[no-untyped-def]  # noqa: F811
    ds = hub["datasets"]["public"]
    make_version(ds, 2, current=False)
    url = f"/dane/{ds.slug}/wersje/2/biezaca/"
    assert client.post(url, {"confirm": "yes"}).status_code == 302  # anonymous → login
    client.force_login(make_user("planner"))
    assert client.post(url, {"confirm": "yes"}).status_code == 403
    assert client.get(url).status_code == 405
    client.force_login(steward_of(make_user, hub["env"]))
    r = client.post(url)  # not confirmed
    assert r.status_code == 302 and ds.current_version.number == 1
    r = client.post(url, {"confirm": "yes"})
    assert r.status_code == 302 and ds.current_version.number == 2
    assert client.post(f"/dane/{ds.slug}/wersje/9/biezaca/", {"confirm": "yes"}).status_code == 404
    # CSRF is enforced
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(make_user("administrator"))
    assert strict.post(f"/dane/{ds.slug}/wersje/1/biezaca/", {"confirm": "yes"}).status_code == 403


# --------------------------------------------------------------------------- create


@pytest.mark.django_db
def test_create_dataset_owner_restricted(client, make_user, hub):  # type: ignore[no-untyped-def]  # noqa: F811
    steward = steward_of(make_user, hub["env"])
    client.force_login(steward)
    body = client.get("/dane/nowy/").content.decode()
    assert "Wydział Ochrony Środowiska" in body and "Wydział Geodezji" not in body
    data = {
        "slug": "pomniki",
        "title_pl": "Pomniki przyrody",
        "theme": "ENVI",
        "owner": hub["geo"].pk,
        "licence": "CC-BY-4.0",
        "frequency": "ANNUAL",
        "access": "public",
        "target": "generic",
        "keywords": "drzewa, pomniki",
    }
    r = client.post("/dane/nowy/", data)
    assert r.status_code == 400 and "Wybierz poprawną wartość" in r.content.decode()
    data["owner"] = hub["env"].pk
    for bad in (
        {"slug": "nowy"},
        {"slug": "zły slug"},
        {"title_pl": ""},
        {"temporal_start": "2024-05-01", "temporal_end": "2020-01-01"},
        {"temporal_start": "31.02.2024"},
        {"target": "../../etc"},
    ):
        r = client.post("/dane/nowy/", {**data, **bad})
        assert r.status_code == 400, bad
        assert "error-summary" in r.content.decode()
    r = client.post("/dane/nowy/", data)
    assert r.status_code == 302 and r["Location"] == "/dane/pomniki/import/"
    ds = Dataset.objects.get(slug="pomniki")
    assert ds.keywords == ["drzewa", "pomniki"] and ds.owner == hub["env"]


# --------------------------------------------------------------------------- upload


GEOJSON = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"Gatunek": "lipa", "Nr": 1},
            "geometry": {"type": "Point", "coordinates": [19.000144, 51.499938]},
        },
        {
            "type": "Feature",
            "properties": {"Gatunek": "dąb", "Nr": 2},
            "geometry": {"type": "Point", "coordinates": [19.001729, 51.500928]},
        },
    ],
}


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name,content,message",
    [
        ("drzewa.exe", b"MZ\x00\x00", "Nieobsługiwany typ pliku"),
        ("drzewa.geojson", b"", "pusty"),
        ("drzewa.geojson", b"not json at all", "nie pasuje do rozszerzenia"),
        ("drzewa.gpkg", b"{}" * 10, "to nie jest GeoPackage"),
        ("drzewa.zip", b"PK\x03\x04broken", "uszkodzone"),
        ("drzewa.shp", b"xxxx", "Nieobsługiwany typ pliku"),
    ],
)
def test_bad_uploads_answer_in_polish(client, make_user, hub, name, content, message):  # type: ignore[no-untyped-def]  # noqa: F811
    client.force_login(steward_of(make_user, hub["env"]))
    r = client.post("/dane/drzewa-public/import/", {"file": _upload(name, content)})
    assert r.status_code == 400
    assert message in r.content.decode()
    assert Job.objects.count() == 0


@pytest.mark.django_db
def test_upload_over_the_limit(client, make_user, hub, settings):  # type: ignore[no-untyped-def]  # noqa: F811
    settings.MIASTO_UPLOAD_MAX_BYTES = 1024
    client.force_login(steward_of(make_user, hub["env"]))
    r = client.post(
        "/dane/drzewa-public/import/", {"file": _upload("a.geojson", b"{" + b" " * 200_000 + b"}")}
    )
    assert r.status_code == 413 and "za duży" in r.content.decode()
    # under the Content-Length guard but over the limit: the upload handler stops reading
    r = client.post(
        "/dane/drzewa-public/import/", {"file": _upload("a.geojson", b"{" + b" " * 2000 + b"}")}
    )
    assert r.status_code == 413 and "za duży" in r.content.decode()
    r = client.post("/dane/drzewa-public/import/", {})
    assert r.status_code == 400 and "Wybierz plik" in r.content.decode()


@pytest.mark.django_db
def test_mapping_token_is_checked(client, make_user, hub):  # type: ignore[no-untyped-def]  # noqa: F811
    client.force_login(steward_of(make_user, hub["env"]))
    for token in ("0" * 32, "../../etc/passwd", "x"):
        r = client.get(f"/dane/drzewa-public/import/{token}/")
        assert r.status_code in (302, 404)


@pytest.mark.django_db(transaction=True)
def test_upload_mapping_job_end_to_end(client, make_user, settings):  # type: ignore[no-untyped-def]
    tf.CityFactory()
    unit = tf.OrgUnitFactory(code="WOS", name="Wydział Ochrony Środowiska")
    steward = make_user("data_steward")
    unit.members.add(steward)
    ds = Dataset.objects.create(slug="drzewa", title_pl="Drzewa", owner=unit, target="generic")
    client.force_login(steward)
    try:
        page = client.get("/dane/drzewa/import/")
        assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.content.decode()
        content = json.dumps(GEOJSON).encode()
        r = client.post(
            "/dane/drzewa/import/",
            {"file": _upload("drzewa miejskie.geojson", content), "crs": "", "target": "generic"},
        )
        assert r.status_code == 302, r.content.decode()[:2000]
        mapping_url = r["Location"]
        assert mapping_url.startswith("/dane/drzewa/import/")
        body = client.get(mapping_url).content.decode()
        assert "Gatunek" in body and "Nr" in body and "Point" in body
        r = client.post(mapping_url, {"key_field": "Nr", "action": "import"})
        assert r.status_code == 302 and r["Location"].startswith("/zadania/")
        job = Job.objects.get()
        assert job.kind == "datahub.import" and job.payload["dataset_id"] == ds.pk
        assert job.payload["user_id"] == steward.pk
        # the job page refreshes itself while the job waits
        page = client.get(r["Location"]).content.decode()
        assert "<progress" in page and 'http-equiv="refresh"' in page
        job = job_run(job)
        assert job.status == "done", job.error
        page = client.get(r["Location"]).content.decode()
        assert 'http-equiv="refresh"' not in page and "/dane/drzewa/" in page
        version = DatasetVersion.objects.get(dataset=ds)
        assert version.is_current and version.feature_count == 2
        ds.refresh_from_db()
        assert ds.key_field == "nr"
        # the dataset page shows the imported features
        body = client.get("/dane/drzewa/").content.decode()
        assert "lipa" in body and "dąb" in body
        # another user cannot read the job
        client.force_login(make_user("planner"))
        assert client.get(r["Location"]).status_code == 404
        assert client.get("/zadania/999999/").status_code == 404
    finally:
        with connection.cursor() as cursor:
            for v in DatasetVersion.objects.all():
                cursor.execute(f"DROP TABLE IF EXISTS {v.table_name}")
        shutil.rmtree(settings.MIASTO_WORK_DIR, ignore_errors=True)


@pytest.mark.django_db
def test_spine_mapping_form_requires_fields(client, make_user, hub):  # type: ignore[no-untyped-def]  # noqa: F811
    ds = Dataset.objects.create(
        slug="budynki", title_pl="Budynki", owner=hub["env"], target="buildings"
    )
    client.force_login(steward_of(make_user, hub["env"]))
    r = client.post(
        "/dane/budynki/import/",
        {"file": _upload("b.geojson", json.dumps(GEOJSON).encode()), "target": "buildings"},
    )
    assert r.status_code == 302
    mapping_url = r["Location"]
    body = client.get(mapping_url).content.decode()
    assert 'name="map_identifier"' in body and 'name="map_use"' in body
    r = client.post(mapping_url, {"map_identifier": "", "action": "import"})
    assert r.status_code == 400 and "identifier" in r.content.decode()
    r = client.post(mapping_url, {"map_identifier": "no-such-field", "action": "import"})
    assert r.status_code == 400
    assert Job.objects.count() == 0
    r = client.post(mapping_url, {"map_identifier": "Nr", "action": "import"})
    assert r.status_code == 302
    ds.refresh_from_db()
    assert ds.field_mapping == {"identifier": "nr"}


@override_settings(LANGUAGE_CODE="pl")
@pytest.mark.django_db
def test_job_page_shows_failure_in_polish(client, make_user, hub):  # type: ignore[no-untyped-def]  # noqa: F811
    steward = steward_of(make_user, hub["env"])
    job = Job.objects.create(
        kind="datahub.import",
        status="failed",
        created_by=steward,
        payload={"dataset_id": hub["datasets"]["public"].pk},
        error="Plik nie zawiera żadnych obiektów.",
    )
    client.force_login(steward)
    body = client.get(f"/zadania/{job.pk}/").content.decode()
    assert "Plik nie zawiera żadnych obiektów." in body
    assert "/dane/drzewa-public/" in body
    assert client.get("/zadania/abc/").status_code == 404
