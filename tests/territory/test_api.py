"""The stable URL contract of the spine API."""

from __future__ import annotations

import mapbox_vector_tile
import pytest
from django.contrib.gis.geos import MultiPolygon, Point

from tests.territory import factories as tf

pytestmark = pytest.mark.django_db


@pytest.fixture
def spine(db):  # type: ignore[no-untyped-def]
    city = tf.CityFactory()
    district = tf.DistrictFactory(city=city, name="Stare Miasto", code="D01")
    precinct = tf.PrecinctFactory(district=district, code="0007", name="Śródmieście")
    parcel = tf.ParcelFactory(precinct=precinct, number="12/4", cell=0)
    other = tf.ParcelFactory(precinct=precinct, number="13", cell=1)
    building = tf.BuildingFactory(parcel=parcel)
    street = tf.StreetFactory(name="Długa")
    address = tf.AddressFactory(street=street, number="12A", parcel=parcel, building=building)
    flood = tf.ConstraintFactory()
    tf.PublicServiceFactory()
    return {"city": city, "parcel": parcel, "other": other, "address": address, "flood": flood}


def lonlat(point: Point) -> tuple[float, float]:
    p = point.transform(4326, clone=True)
    return p.x, p.y


def test_city_summary(client, spine):  # type: ignore[no-untyped-def]
    r = client.get("/api/v1/city")
    assert r.status_code == 200
    data = r.json()
    assert data["name"] == "Miasto Testowe" and data["teryt"] == "1064011"
    minlon, minlat, maxlon, maxlat = data["bbox"]
    assert 18.5 < minlon < maxlon < 19.5 and 51 < minlat < maxlat < 52
    assert data["counts"]["parcels"] == 2 and data["counts"]["buildings"] == 1
    assert data["population"] == 28


def test_city_missing_is_404(client, db):  # type: ignore[no-untyped-def]
    r = client.get("/api/v1/city")
    assert r.status_code == 404 and "make demo" in r.json()["message"]


def test_parcel_at_point_crs84_and_2180(client, spine):  # type: ignore[no-untyped-def]
    parcel = spine["parcel"]
    lon, lat = lonlat(parcel.geom.point_on_surface)
    r = client.get("/api/v1/parcels", {"lon": lon, "lat": lat})
    assert r.status_code == 200
    ids = [f["properties"]["identifier"] for f in r.json()["features"]]
    assert ids == [parcel.identifier]
    pos = parcel.geom.point_on_surface
    r = client.get("/api/v1/parcels", {"x": pos.x, "y": pos.y, "crs": "EPSG:2180"})
    assert [f["id"] for f in r.json()["features"]] == [parcel.identifier]
    geometry = r.json()["features"][0]["geometry"]
    assert geometry["type"] == "MultiPolygon"
    assert 18.5 < geometry["coordinates"][0][0][0][0] < 19.5  # CRS84: lon first


@pytest.mark.parametrize(
    "params,status",
    [
        ({"lon": "21.0", "lat": "52.2"}, 404),  # Warsaw: outside the city
        ({"lon": "abc", "lat": "52"}, 400),
        ({"lon": "nan", "lat": "52"}, 400),
        ({"lon": "500", "lat": "52"}, 400),
        ({"x": "1", "y": "2", "crs": "EPSG:9999"}, 400),
        ({}, 400),
    ],
)
def test_parcel_at_point_bad_input(client, spine, params, status):  # type: ignore[no-untyped-def]
    r = client.get("/api/v1/parcels", params)
    assert r.status_code == status
    assert r.json()["message"]


def test_parcel_panel(client, spine):  # type: ignore[no-untyped-def]
    parcel = spine["parcel"]
    r = client.get(f"/api/v1/parcels/{parcel.identifier}")
    assert r.status_code == 200
    data = r.json()
    assert data["identifier"] == "106401_1.0007.12/4"
    assert data["precinct"] == {
        "identifier": "106401_1.0007",
        "code": "0007",
        "name": "Śródmieście",
    }
    assert data["district"]["name"] == "Stare Miasto"
    assert data["addresses"] == [{"label": "ul. Długa 12A", "postcode": "98-200"}]
    assert data["buildings"][0]["storeys"] == 4
    assert data["buildings"][0]["use_label"]
    assert [c["kind"] for c in data["constraints"]] == ["flood_1pct"]
    assert data["geometry"]["type"] == "MultiPolygon"
    assert float(data["area"]) == pytest.approx(625.0)
    # the other parcel is outside the flood area
    other = client.get(f"/api/v1/parcels/{spine['other'].identifier}").json()
    assert other["constraints"] == [] or all(c["share"] > 0 for c in other["constraints"])


@pytest.mark.parametrize(
    "identifier,status",
    [("not-an-id", 400), ("106401_1.0007", 400), ("106401_1.0007.999", 404), ("x" * 5000, 400)],
)
def test_parcel_panel_bad_identifier(client, spine, identifier, status):  # type: ignore[no-untyped-def]
    r = client.get(f"/api/v1/parcels/{identifier}")
    assert r.status_code == status
    if status == 400:
        assert "WWPPGG_R.XXXX.NDZ" in r.json()["message"]


@pytest.mark.parametrize(
    "q,expected_type,expected_label",
    [
        ("Długa 12", "address", "ul. Długa 12A"),
        ("dluga", "street", "ul. Długa"),
        ("ul. Długa", "street", "ul. Długa"),
        ("106401_1.0007.12", "parcel", "106401_1.0007.12/4"),
        ("12/4", "parcel", "106401_1.0007.12/4"),
        ("ługa 12", "address", "ul. Długa 12A"),  # substring, when nothing starts so
        ("ŁUGA", "street", "ul. Długa"),
    ],
)
def test_search(client, spine, q, expected_type, expected_label):  # type: ignore[no-untyped-def]
    r = client.get("/api/v1/search", {"q": q})
    assert r.status_code == 200
    results = r.json()["results"]
    assert any(x["type"] == expected_type and x["label"] == expected_label for x in results), (
        results
    )
    hit = next(x for x in results if x["label"] == expected_label)
    assert len(hit["point"]) == 2 and 18.5 < hit["point"][0] < 19.5


@pytest.mark.parametrize("q", ["", "a", "%", "_", "'; DROP TABLE x; --", "\\", "ą" * 3])
def test_search_odd_input_is_not_an_error(client, spine, q):  # type: ignore[no-untyped-def]
    r = client.get("/api/v1/search", {"q": q})
    assert r.status_code == 200
    assert isinstance(r.json()["results"], list)


def test_search_too_long(client, spine):  # type: ignore[no-untyped-def]
    r = client.get("/api/v1/search", {"q": "x" * 10_000})
    assert r.status_code == 400 and r.json()["message"]


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    import math

    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


@pytest.mark.parametrize(
    "layer,prop,value",
    [
        ("parcels", "identifier", "106401_1.0007.12/4"),
        ("buildings", "use", "multi_family"),
        ("districts", "name", "Stare Miasto"),
        ("constraints", "kind", "flood_1pct"),
    ],
)
def test_tiles_decode(client, spine, layer, prop, value):  # type: ignore[no-untyped-def]
    lon, lat = lonlat(spine["parcel"].geom.point_on_surface)
    x, y = tile_of(lon, lat, 16)
    r = client.get(f"/tiles/{layer}/16/{x}/{y}.mvt")
    assert r.status_code == 200
    assert r["Content-Type"] == "application/vnd.mapbox-vector-tile"
    decoded = mapbox_vector_tile.decode(r.content)
    features = decoded[layer]["features"]
    assert any(f["properties"].get(prop) == value for f in features)


def test_tiles_below_minzoom_are_empty(client, spine):  # type: ignore[no-untyped-def]
    lon, lat = lonlat(spine["parcel"].geom.point_on_surface)
    x, y = tile_of(lon, lat, 10)
    r = client.get(f"/tiles/parcels/10/{x}/{y}.mvt")
    assert r.status_code == 200 and r.content == b""


@pytest.mark.parametrize(
    "url,status",
    [
        ("/tiles/parcels/16/999999/1.mvt", 400),
        ("/tiles/parcels/40/0/0.mvt", 400),
        ("/tiles/nope/10/0/0.mvt", 404),
        ("/tiles/parcels/-1/0/0.mvt", 404),
    ],
)
def test_tiles_bad_coordinates(client, spine, url, status):  # type: ignore[no-untyped-def]
    assert client.get(url).status_code == status


def test_layers_and_features_list(client, spine):  # type: ignore[no-untyped-def]
    names = [layer["name"] for layer in client.get("/api/v1/layers").json()]
    spine = ["districts", "water", "parcels", "buildings", "streets", "services", "constraints"]
    # other apps (e.g. accessibility) register their own layers after the spine's
    assert [n for n in names if n in spine] == spine
    r = client.get("/api/v1/layers/parcels/features", {"bbox": "18.9,51.4,19.1,51.6"})
    assert r.status_code == 200
    data = r.json()
    assert data["count"] == 2
    assert data["features"][0]["identifier"] == "106401_1.0007.12/4"
    assert client.get("/api/v1/layers/parcels/features", {"bbox": "1,2"}).status_code == 400
    assert client.get("/api/v1/layers/parcels/features", {"bbox": "19,52,18,51"}).status_code == 400


def test_healthz(client, db):  # type: ignore[no-untyped-def]
    r = client.get("/healthz")
    assert r.status_code == 200 and r.json()["status"] == "ok"


def test_tile_cache_follows_every_write(client, spine):  # type: ignore[no-untyped-def]
    """A cached tile is served until the table changes; any write makes a new tile."""
    from miasto.territory.models import Parcel

    lon, lat = lonlat(spine["parcel"].geom.point_on_surface)
    x, y = tile_of(lon, lat, 16)
    url = f"/tiles/parcels/16/{x}/{y}.mvt"

    def identifiers() -> set[str]:
        layer = mapbox_vector_tile.decode(client.get(url).content).get("parcels", {})
        return {f["properties"]["identifier"] for f in layer.get("features", [])}

    from pathlib import Path

    from django.conf import settings

    before = identifiers()
    assert "106401_1.0007.12/4" in before
    cached = list(Path(settings.MIASTO_TILE_CACHE_DIR).rglob(f"parcels/*/16/{x}/{y}.mvt"))
    assert len(cached) == 1
    assert identifiers() == before  # served from the cache
    Parcel.objects.filter(number="13").delete()  # a write in the same transaction
    assert identifiers() == before - {"106401_1.0007.13"}
    Parcel.objects.filter(number="12/4").update(identifier="106401_1.0007.12/5")
    assert "106401_1.0007.12/5" in identifiers()


def test_invalid_geometry_is_a_validation_error_with_a_message(db):  # type: ignore[no-untyped-def]
    """The CHECK (ST_IsValid) constraints validate in forms and the admin: no IntegrityError."""
    from django.contrib.gis.geos import GEOSGeometry
    from django.core.exceptions import ValidationError
    from django.utils import translation

    bowtie = "SRID=2180;MULTIPOLYGON(((500000 400000,500010 400010,500010 400000,500000 400010,500000 400000)))"  # noqa: E501
    parcel = tf.ParcelFactory.build(precinct=tf.PrecinctFactory(), geom=GEOSGeometry(bowtie))
    with translation.override("pl"), pytest.raises(ValidationError) as error:
        parcel.full_clean()
    assert "Geometria jest nieprawidłowa" in str(error.value)


def test_swapped_axes_get_a_hint(client, spine):  # type: ignore[no-untyped-def]
    pos = spine["parcel"].geom.point_on_surface
    r = client.get("/api/v1/parcels", {"x": pos.y, "y": pos.x, "crs": "EPSG:2180"})
    assert r.status_code == 404 and "zamieniono osi" in r.json()["message"]


def test_features_world_bbox_is_cut_to_the_area_of_use(client, spine):  # type: ignore[no-untyped-def]
    """A bbox wider than EPSG:2180's area of use finds every parcel: transformed whole, the
    world is a line along the 19th meridian and found only the parcels crossing it."""
    west = tf.ParcelFactory(
        precinct=spine["parcel"].precinct,
        number="900",
        geom=MultiPolygon(tf.square(250_000, 600_000, 30.0), srid=2180),  # near Szczecin
    )
    # near the southern border at 19° E: below the box of the area's four corners in EPSG:2180
    south = tf.ParcelFactory(
        precinct=spine["parcel"].precinct,
        number="901",
        geom=MultiPolygon(tf.square(500_000, 131_500, 30.0), srid=2180),
    )
    url = "/api/v1/layers/parcels/features"
    for bbox in ("-180,-90,180,90", "0,40,40,70", "14.1,49,24.2,56"):
        r = client.get(url, {"bbox": bbox, "limit": 500})
        assert r.status_code == 200, bbox
        found = {f["identifier"] for f in r.json()["features"]}
        assert r.json()["count"] == 4 and {west.identifier, south.identifier} <= found, bbox
    # wholly outside the area of use (the Atlantic): nothing, not an error
    r = client.get(url, {"bbox": "-40,10,-30,20"})
    assert r.status_code == 200 and r.json()["count"] == 0 and r.json()["features"] == []


@pytest.mark.parametrize(
    "bbox",
    ["19.1,51.6,18.9,51.4", "18.9,51.6,19.1,51.4", "a,b,c,d", "18.9,51.4,19.1,nan",
     "18.9,51.4,19.1,inf", "", "18.9,51.4,19.1", "18.9,51.4,19.1,51.6,1", "-200,0,10,10"],
)  # fmt: skip
def test_features_bad_bbox_is_400(client, spine, bbox):  # type: ignore[no-untyped-def]
    r = client.get("/api/v1/layers/parcels/features", {"bbox": bbox})
    assert r.status_code == 400
    assert "bbox" in r.json()["message"]
