"""Accessibility standards on a small hand-made city with known answers.

One straight street along y = Y0 from X0 to X0 + 4 000 m, junctions every 500 m. Residential
parcels are 25 m diamonds whose lowest corner lies 5 m north of the street (so the nearest
network point is unique); the school stands 10 m north of the vertex at X0. Parks are diamonds
whose top corner lies 20 m south of the street.

    distance(parcel, service) = |x_parcel − x_service| + 5 (parcel) + access of the service
"""

from __future__ import annotations

import math

import mapbox_vector_tile
import pytest
from django.contrib.gis.geos import LineString, MultiPolygon, Point, Polygon
from django.test import Client

from miasto.accessibility.models import Result, Run, Share, Standard
from miasto.accessibility.services import accessibility_compute
from miasto.core.jobs import job_enqueue, job_registry, job_run
from miasto.territory.models import PublicService, RoadSegment
from tests.territory import factories as tf

X0, Y0 = tf.CENTRE_X - 2_500.0, tf.CENTRE_Y
pytestmark = pytest.mark.django_db


def diamond(cx: float, top: float | None = None, bottom: float | None = None, d: float = 25.0):
    h = d / 2
    if bottom is not None:
        cy = bottom + h
    else:
        assert top is not None
        cy = top - h
    ring = ((cx, cy - h), (cx + h, cy), (cx, cy + h), (cx - h, cy), (cx, cy - h))
    return MultiPolygon(Polygon(ring, srid=2180), srid=2180)


def park(name: str, x: float, hectares: float) -> PublicService:
    d = math.sqrt(2 * hectares * 10_000)
    area = diamond(x, top=Y0 - 20, d=d)
    return tf.PublicServiceFactory(
        kind="green", name=name, geom=area.point_on_surface, area_geom=area
    )


@pytest.fixture
def town(db):  # type: ignore[no-untyped-def]
    north = tf.DistrictFactory(code="N1", name="Północ")
    south = tf.DistrictFactory(code="N2", name="Południe")
    pn = tf.PrecinctFactory(code="0001", district=north)
    ps = tf.PrecinctFactory(code="0002", district=south)
    for i in range(8):
        a, b = X0 + 500 * i, X0 + 500 * (i + 1)
        RoadSegment.objects.create(road_class="L", geom=LineString((a, Y0), (b, Y0), srid=2180))
    # a segment nobody may walk along: ignored
    RoadSegment.objects.create(
        road_class="GP", walkable=False, geom=LineString((X0, Y0 + 3), (X0 + 4000, Y0 + 3))
    )
    parcels = {}
    for key, x, precinct, residents in (
        ("E", X0, pn, 5),
        ("A", X0 + 1000, pn, 30),
        ("B", X0 + 1585, ps, 20),
        ("D", X0 + 2500, ps, 10),
        ("C", X0 + 3900, ps, 10),
    ):
        geom = diamond(x, bottom=Y0 + 5)
        parcel = tf.ParcelFactory(precinct=precinct, geom=geom, area=round(geom.area, 1))
        tf.BuildingFactory(
            parcel=parcel,
            residents=residents,
            geom=diamond(x, bottom=Y0 + 10, d=10)[0],
        )
        parcels[key] = parcel
    # a parcel with only a garage: not residential
    garage = tf.ParcelFactory(precinct=pn, geom=diamond(X0 + 600, bottom=Y0 + 5))
    tf.BuildingFactory(parcel=garage, use="utility", residents=0)
    parcels["garage"] = garage
    tf.PublicServiceFactory(name="SP nr 1", geom=Point(X0, Y0 + 10, srid=2180))
    park("Park 1", X0 + 2200, 1.6)
    park("Park 2", X0 + 2800, 1.6)
    park("Las Miejski", X0 + 3500, 20.5)
    return parcels


def results(parcels, code: str) -> dict[str, Result]:  # type: ignore[no-untyped-def]
    std = Standard.objects.get(code=code, version=1)
    out = {}
    for key, parcel in parcels.items():
        res = Result.objects.filter(standard=std, parcel=parcel).first()
        if res is not None:
            out[key] = res
    return out


def test_school_distances_are_walking_distances(town) -> None:  # type: ignore[no-untyped-def]
    run = accessibility_compute()
    assert run.status == Run.Status.DONE and run.duration_s is not None
    assert run.stats["residential_parcels"] == 5  # the garage parcel is not residential
    r = results(town, "school")
    assert "garage" not in r
    assert r["E"].distance_m == pytest.approx(15, abs=1)
    assert r["A"].distance_m == pytest.approx(1015, abs=1) and r["A"].met
    assert r["B"].distance_m == pytest.approx(1600, abs=1) and not r["B"].met
    assert r["D"].distance_m == pytest.approx(2515, abs=1) and not r["D"].met
    assert r["C"].distance_m is None and not r["C"].met  # beyond twice the standard
    assert r["A"].service.name == "SP nr 1"


def test_green_three_hectares_sum(town) -> None:  # type: ignore[no-untyped-def]
    accessibility_compute(codes=["green-3ha"])
    r = results(town, "green-3ha")
    # D: both 1.6 ha parks at 300 + 5 + 20 m → 3.2 ha within 1 500 m
    assert r["D"].met and r["D"].distance_m == pytest.approx(325, abs=1)
    # A: Park 1 at 1 225 m (1.6 ha only); the second area is reached at 1 825 m
    assert not r["A"].met and r["A"].distance_m == pytest.approx(1825, abs=1)
    assert r["A"].service.name == "Park 1"  # the nearest green area
    # C: the 20.5 ha forest alone is enough, 400 + 5 + 20 m away
    assert r["C"].met and r["C"].distance_m == pytest.approx(425, abs=1)


def test_one_green_area_of_twenty_hectares(town) -> None:  # type: ignore[no-untyped-def]
    accessibility_compute(codes=["green-20ha"])
    r = results(town, "green-20ha")
    assert r["A"].met and r["A"].distance_m == pytest.approx(2525, abs=1)
    assert r["E"].distance_m == pytest.approx(3525, abs=1) and not r["E"].met
    assert all(res.service.name == "Las Miejski" for res in r.values() if res.service_id)


def test_small_parks_never_count_as_one_big_area(town) -> None:  # type: ignore[no-untyped-def]
    PublicService.objects.filter(name="Las Miejski").delete()
    accessibility_compute(codes=["green-20ha"])
    r = results(town, "green-20ha")
    assert not any(res.met for res in r.values())


def test_optional_standards_are_switchable(town) -> None:  # type: ignore[no-untyped-def]
    Standard.objects.filter(code="kindergarten").update(enabled=False)
    Standard.objects.filter(code="nursery").update(enabled=True)
    tf.PublicServiceFactory(kind="nursery", name="Żłobek", geom=Point(X0 + 1000, Y0 - 10))
    run = accessibility_compute()
    assert "kindergarten" not in run.stats["standards"]
    assert {c["code"] for c in run.config} >= {"school", "green-3ha", "green-20ha", "nursery"}
    r = results(town, "nursery")
    assert r["A"].met and r["A"].distance_m == pytest.approx(15, abs=1)
    with pytest.raises(ValueError):
        accessibility_compute(codes=["kindergarten"])


def test_a_new_version_replaces_the_value(town) -> None:  # type: ignore[no-untyped-def]
    old = Standard.objects.get(code="school", version=1)
    change = old.valid_from.replace(year=old.valid_from.year + 1)
    old.valid_to = change  # [valid_from, valid_to): ends the day the new version begins
    old.save()
    new = Standard.objects.create(
        code="school", version=2, name="Szkoła (3 km)", service_kinds=["primary_school"],
        distance_m=3000, aggregate="nearest", mandatory=True, legal_basis="test",
        valid_from=change,
    )  # fmt: skip
    run = accessibility_compute(codes=["school"])
    assert run.config[0]["version"] == 2
    assert Result.objects.get(standard=new, parcel=town["D"]).met


def test_shares_of_residents_per_district(town) -> None:  # type: ignore[no-untyped-def]
    accessibility_compute()
    std = Standard.objects.get(code="school", version=1)
    north = Share.objects.get(standard=std, district__code="N1")
    south = Share.objects.get(standard=std, district__code="N2")
    city = Share.objects.get(standard=std, district=None)
    assert (north.residents, north.residents_met, north.parcels_met) == (35, 35, 2)
    assert (south.residents, south.residents_met, south.parcels_met) == (40, 0, 0)
    assert (city.residents, city.residents_met, city.parcels, city.parcels_met) == (75, 35, 5, 2)


def test_results_are_replaced_on_each_run(town) -> None:  # type: ignore[no-untyped-def]
    accessibility_compute()
    first = Result.objects.count()
    accessibility_compute()
    assert Result.objects.count() == first
    assert Run.objects.count() == 2


# ----------------------------------------------------------------------------- API


@pytest.fixture
def client() -> Client:
    return Client(HTTP_HOST="localhost")


def test_analysis_json(town, client) -> None:  # type: ignore[no-untyped-def]
    accessibility_compute()
    response = client.get("/api/v1/analyses/accessibility")
    assert response.status_code == 200
    data = response.json()
    school = next(s for s in data["standards"] if s["standard"]["code"] == "school")
    assert school["city"]["residents_met_pct"] == pytest.approx(46.7)
    assert [d["code"] for d in school["districts"]] == ["N1", "N2"]
    assert school["districts"][1]["residents_met_pct"] == 0.0
    assert school["standard"]["legal_basis"].startswith("art. 13f")
    one = client.get("/api/v1/analyses/accessibility?standard=green-3ha").json()
    assert [s["standard"]["code"] for s in one["standards"]] == ["green-3ha"]


def test_analysis_csv(town, client) -> None:  # type: ignore[no-untyped-def]
    accessibility_compute()
    response = client.get("/api/v1/analyses/accessibility?format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("standard,version,mandatory")
    assert "school,1,True,1500,,,miasto,5,2,40.0,75,35,46.7" in lines


def test_analysis_before_any_run(db, client) -> None:  # type: ignore[no-untyped-def]
    data = client.get("/api/v1/analyses/accessibility").json()
    assert data["last_run"] is None and data["standards"][0]["city"] is None


@pytest.mark.parametrize(
    "query", ["format=xml", "standard=nope", "standard=nursery", "standard=%00", "format="]
)
def test_analysis_bad_input(db, client, query) -> None:  # type: ignore[no-untyped-def]
    response = client.get(f"/api/v1/analyses/accessibility?{query}")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_parameter"


def test_parcel_accessibility(town, client) -> None:  # type: ignore[no-untyped-def]
    accessibility_compute()
    parcel = town["A"]
    response = client.get(f"/api/v1/parcels/{parcel.identifier}/accessibility")
    assert response.status_code == 200
    data = response.json()
    school = next(s for s in data["standards"] if s["standard"]["code"] == "school")
    assert school["met"] is True and school["distance_m"] == pytest.approx(1015, abs=1)
    assert school["nearest_service"]["name"] == "SP nr 1"
    green = next(s for s in data["standards"] if s["standard"]["code"] == "green-3ha")
    assert green["met"] is False
    # the territory route still answers
    assert client.get(f"/api/v1/parcels/{parcel.identifier}").status_code == 200
    garage = client.get(f"/api/v1/parcels/{town['garage'].identifier}/accessibility").json()
    assert garage["residential"] is False and garage["standards"][0]["computed"] is False


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/v1/parcels/not-a-parcel/accessibility", 400),
        ("/api/v1/parcels/%3Cscript%3E/accessibility", 400),
        ("/api/v1/parcels/106401_1.0001.99999/accessibility", 404),
    ],
)
def test_parcel_bad_input(db, client, path, status) -> None:  # type: ignore[no-untyped-def]
    response = client.get(path)
    assert response.status_code == status
    assert "message" in response.json()


def test_gap_tiles_decode(town, client) -> None:  # type: ignore[no-untyped-def]
    accessibility_compute()
    lon, lat = _lonlat(X0 + 1585, Y0 + 15)
    z = 14
    x, y = _tile(lon, lat, z)
    response = client.get(f"/tiles/accessibility-gaps/{z}/{x}/{y}.mvt")
    assert response.status_code == 200
    decoded = mapbox_vector_tile.decode(response.content)
    features = decoded["accessibility-gaps"]["features"]
    by_id = {f["properties"]["identifier"]: f["properties"]["missed"] for f in features}
    assert by_id[town["B"].identifier] == "school"
    assert town["A"].identifier not in by_id or "school" not in by_id[town["A"].identifier]
    listed = client.get("/api/v1/layers").json()
    assert "accessibility-gaps" in [layer["name"] for layer in listed]


def _lonlat(x: float, y: float) -> tuple[float, float]:
    p = Point(x, y, srid=2180)
    p.transform(4326)
    return p.x, p.y


def _tile(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 1 << z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


# ----------------------------------------------------------------------------- job, CLI


def test_job_kind(town) -> None:  # type: ignore[no-untyped-def]
    assert "accessibility.compute" in job_registry
    job = job_run(job_enqueue(kind="accessibility.compute", payload={"standards": ["school"]}))
    assert job.status == "done", job.error
    assert set(job.result["stats"]["standards"]) == {"school"}
    bad = job_run(job_enqueue(kind="accessibility.compute", payload={"standards": ["nope"]}))
    assert bad.status == "failed" and "nope" in bad.error


def test_cli(town, capsys) -> None:  # type: ignore[no-untyped-def]
    from django.core.management import call_command
    from django.core.management.base import CommandError

    call_command("accessibility", "--standard", "school", verbosity=0)
    out = capsys.readouterr().out
    assert "school: 2/5" in out
    with pytest.raises(CommandError):
        call_command("accessibility", "--standard", "nope", verbosity=0)
    # make demo: --if-missing leaves a finished computation alone
    runs = Run.objects.count()
    call_command("accessibility", "--if-missing", verbosity=0)
    assert Run.objects.count() == runs
    assert "pomijam" in capsys.readouterr().out
