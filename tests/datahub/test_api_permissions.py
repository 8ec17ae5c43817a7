"""The data hub API and its permission matrix: invisible datasets are invisible everywhere."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from miasto.datahub.models import Dataset, DatasetVersion
from tests.territory import factories as tf

pytestmark = pytest.mark.django_db


def make_version(dataset: Dataset, number: int = 1, *, current: bool = True, age_days: int = 0):  # type: ignore[no-untyped-def]
    """A ready version with a tiny feature table (as an import would leave it)."""
    finished = timezone.now() - timezone.timedelta(days=age_days)
    version = DatasetVersion.objects.create(
        dataset=dataset, number=number, status="ready", is_current=current,
        source_name="trees.gpkg", format="gpkg", source_crs="EPSG:2180", feature_count=2,
        geometry_type="Point", attributes=[{"name": "species", "type": "String"}],
        finished_at=finished, quality={"summary": {"invalid": 0}}, quality_score=97.5,
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {version.table_name} (fid serial PRIMARY KEY, species text, "
            f"geom geometry(Point, 2180))"
        )
        cursor.execute(
            f"INSERT INTO {version.table_name} (species, geom) VALUES "
            f"('lipa', ST_SetSRID(ST_MakePoint(500010, 403710), 2180)), "
            f"('dąb', ST_SetSRID(ST_MakePoint(500020, 403720), 2180))"
        )
    return version


@pytest.fixture
def hub(db):  # type: ignore[no-untyped-def]
    tf.CityFactory()
    env_unit = tf.OrgUnitFactory(code="WOS", name="Wydział Ochrony Środowiska")
    geo_unit = tf.OrgUnitFactory(code="WGK", name="Wydział Geodezji")
    datasets = {}
    for access in ("public", "internal", "restricted"):
        ds = Dataset.objects.create(
            slug=f"drzewa-{access}", title_pl=f"Drzewa ({access})", owner=env_unit,
            access=access, frequency="ANNUAL", theme="ENVI", keywords=["drzewa", "zieleń"],
        )  # fmt: skip
        make_version(ds)
        datasets[access] = ds
    stale = Dataset.objects.create(
        slug="stare", title_pl="Stary zbiór", owner=geo_unit, frequency="MONTHLY"
    )
    make_version(stale, age_days=90)
    return {"datasets": datasets, "env": env_unit, "geo": geo_unit, "stale": stale}


def steward_of(make_user, unit):  # type: ignore[no-untyped-def]
    user = make_user("data_steward")
    unit.members.add(user)
    return user


def visible_slugs(client) -> set[str]:  # type: ignore[no-untyped-def]
    r = client.get("/api/v1/datasets", {"page_size": 100})
    assert r.status_code == 200
    return {d["slug"] for d in r.json()["results"]}


# who → which of public/internal/restricted they see
MATRIX = {
    "anonymous": {"public"},
    "resident": {"public"},
    "planner": {"public", "internal"},
    "steward_other_unit": {"public", "internal"},
    "steward_owner_unit": {"public", "internal", "restricted"},
    "administrator": {"public", "internal", "restricted"},
}


def login_as(who, client, make_user, hub):  # type: ignore[no-untyped-def]
    if who == "anonymous":
        return None
    if who == "steward_other_unit":
        user = steward_of(make_user, hub["geo"])
    elif who == "steward_owner_unit":
        user = steward_of(make_user, hub["env"])
    else:
        user = make_user(who)
    client.force_login(user)
    return user


@pytest.mark.parametrize("who", sorted(MATRIX))
def test_visibility_matrix_everywhere(who, client, make_user, hub):  # type: ignore[no-untyped-def]
    login_as(who, client, make_user, hub)
    allowed = MATRIX[who]
    expected = {f"drzewa-{a}" for a in allowed} | {"stare"}
    assert visible_slugs(client) == expected
    for access, ds in hub["datasets"].items():
        ok = access in allowed
        status = 200 if ok else 404
        assert client.get(f"/api/v1/datasets/{ds.slug}").status_code == status
        assert client.get(f"/api/v1/datasets/{ds.slug}/versions/1/quality").status_code == status
        assert client.get(f"/api/v1/datasets/{ds.slug}/versions/1/features").status_code == status
        tile = client.get(f"/tiles/ds-{ds.slug}/16/36044/21961.mvt")
        assert tile.status_code == (200 if ok else 404)
        layers = {layer["name"] for layer in client.get("/api/v1/layers").json()}
        assert (f"ds-{ds.slug}" in layers) is ok


def test_dataset_detail_and_features(client, hub):  # type: ignore[no-untyped-def]
    r = client.get("/api/v1/datasets/drzewa-public")
    data = r.json()
    assert data["feature_count"] == 2 and data["current_version"] == 1
    assert data["owner"]["code"] == "WOS" and data["licence"] == "CC-BY-4.0"
    assert data["versions"][0]["source"]["name"] == "trees.gpkg"
    assert data["layer"] == "ds-drzewa-public"
    features = client.get("/api/v1/datasets/drzewa-public/versions/1/features").json()
    assert features["columns"] == ["fid", "species"]
    assert [row[1] for row in features["rows"]] == ["lipa", "dąb"]


def test_catalogue_filters_and_facets(client, hub, make_user):  # type: ignore[no-untyped-def]
    client.force_login(make_user("administrator"))
    r = client.get("/api/v1/datasets", {"theme": "ENVI"}).json()
    assert r["count"] == 3
    assert {f["theme"]: f["count"] for f in r["facets"]["theme"]} == {"ENVI": 3}
    assert client.get("/api/v1/datasets", {"q": "zieleń"}).json()["count"] == 3
    assert client.get("/api/v1/datasets", {"owner": "WGK"}).json()["count"] == 1
    stale = client.get("/api/v1/datasets", {"freshness": "stale"}).json()
    assert [d["slug"] for d in stale["results"]] == ["stare"]
    assert stale["results"][0]["stale"] is True


@pytest.mark.parametrize(
    "url,status",
    [
        ("/api/v1/datasets?page=0", 400),
        ("/api/v1/datasets?page_size=abc", 400),
        ("/api/v1/datasets/nie-ma-takiego", 404),
        ("/api/v1/datasets/drzewa-public/versions/9/quality", 404),
        ("/api/v1/datasets/drzewa-public/download?format=exe", 400),
        ("/api/v1/datasets/drzewa-public/download?format=csv&crs=EPSG:1234", 400),
    ],
)
def test_bad_parameters(client, hub, url, status):  # type: ignore[no-untyped-def]
    r = client.get(url)
    assert r.status_code == status
    assert r.json()["message"]


def test_tile_of_generic_dataset_decodes(client, hub):  # type: ignore[no-untyped-def]
    import mapbox_vector_tile

    from tests.territory.test_api import tile_of

    point = tf.Point(500010, 403710, srid=2180).transform(4326, clone=True)
    x, y = tile_of(point.x, point.y, 16)
    r = client.get(f"/tiles/ds-drzewa-public/16/{x}/{y}.mvt")
    features = mapbox_vector_tile.decode(r.content)["ds-drzewa-public"]["features"]
    assert {f["properties"]["species"] for f in features} == {"lipa", "dąb"}
