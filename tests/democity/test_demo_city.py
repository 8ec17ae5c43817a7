"""The demo city generator: validity, realism, determinism and the command's flags."""

from __future__ import annotations

import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from miasto.democity.services import DemoCityResult
from miasto.territory.identifiers import is_parcel_identifier
from miasto.territory.models import City, Parcel

pytestmark = pytest.mark.django_db


def scalar(sql: str, params: list[object] | None = None) -> object:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.fetchone()[0]


def rows(sql: str) -> list[tuple[object, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def fingerprint() -> str:
    return str(
        scalar(
            """
            SELECT md5(string_agg(x, '|' ORDER BY x)) FROM (
              SELECT identifier || encode(ST_AsBinary(geom), 'hex') || land_use || area AS x
                FROM territory_parcel
              UNION ALL
              SELECT identifier || encode(ST_AsBinary(geom), 'hex') || use || storeys || residents
                FROM territory_building
              UNION ALL
              SELECT label || encode(ST_AsBinary(geom), 'hex') FROM territory_address
              UNION ALL
              SELECT road_class || encode(ST_AsBinary(geom), 'hex') FROM territory_roadsegment
              UNION ALL
              SELECT kind || name || encode(ST_AsBinary(geom), 'hex') FROM territory_publicservice
            ) t
            """
        )
    )


def test_small_city_size(small_city: DemoCityResult) -> None:
    assert City.objects.get().teryt == "1064011"
    assert 1_500 <= Parcel.objects.count() <= 3_000
    assert small_city.stats["residents"] == scalar("SELECT sum(residents) FROM territory_building")
    assert scalar("SELECT sum(residents) FROM territory_building") > 0
    assert 8 <= scalar("SELECT count(*) FROM territory_district") <= 12
    characters = {r[0] for r in rows("SELECT DISTINCT character FROM territory_district")}
    assert {"old_town", "tenement", "estate", "suburb", "industrial", "farmland"} <= characters


def test_parcels_do_not_overlap(small_city: DemoCityResult) -> None:
    assert (
        scalar(
            """
            SELECT count(*) FROM territory_parcel a JOIN territory_parcel b
              ON a.id < b.id AND a.geom && b.geom AND ST_Intersects(a.geom, b.geom)
             WHERE ST_Area(ST_Intersection(a.geom, b.geom)) > 0.01
            """
        )
        == 0
    )


def test_parcels_lie_in_precinct_and_block_with_registered_area(small_city: DemoCityResult) -> None:
    assert (
        scalar(
            """
            SELECT count(*) FROM territory_parcel p
              JOIN territory_precinct r ON r.id = p.precinct_id
              LEFT JOIN territory_block b ON b.id = p.block_id
             WHERE NOT ST_CoveredBy(p.geom, r.geom)
                OR (b.id IS NOT NULL AND NOT ST_CoveredBy(p.geom, b.geom))
                OR abs(p.area - ST_Area(p.geom)) > 0.06
                OR ST_IsEmpty(p.geom) OR NOT ST_IsValid(p.geom)
            """
        )
        == 0
    )


def test_parcel_identifiers_are_valid(small_city: DemoCityResult) -> None:
    identifiers = Parcel.objects.values_list("identifier", "precinct__code", "number")
    for identifier, code, number in identifiers:
        assert is_parcel_identifier(identifier), identifier
        assert identifier == f"106401_1.{code}.{number}"
    assert any("/" in n for _, _, n in identifiers)


def test_tiling(small_city: DemoCityResult) -> None:
    city_area = scalar("SELECT ST_Area(geom) FROM territory_city")
    districts = scalar("SELECT sum(ST_Area(geom)) FROM territory_district")
    precincts = scalar("SELECT sum(ST_Area(geom)) FROM territory_precinct")
    assert abs(districts - city_area) < 1 and abs(precincts - city_area) < 1
    assert (
        scalar(
            """
            SELECT count(*) FROM territory_precinct p
              JOIN territory_district d ON d.id = p.district_id, territory_city c
             WHERE NOT ST_CoveredBy(p.geom, d.geom) OR NOT ST_CoveredBy(p.geom, c.geom)
            """
        )
        == 0
    )


def test_buildings_inside_parcels_with_fitting_attributes(small_city: DemoCityResult) -> None:
    assert (
        scalar(
            """
            SELECT count(*) FROM territory_building b
              LEFT JOIN territory_parcel p ON p.id = b.parcel_id
             WHERE p.id IS NULL OR NOT ST_CoveredBy(b.geom, p.geom) OR ST_Area(b.geom) < 10
                OR b.identifier NOT LIKE p.identifier || '_BUD.%%'
            """
        )
        == 0
    )
    # old town 3–4 storeys, estates 4–11, suburbs 1–2
    bad = rows(
        """
        SELECT d.character, b.use, b.storeys FROM territory_building b
          JOIN territory_parcel p ON p.id = b.parcel_id
          JOIN territory_block k ON k.id = p.block_id
          JOIN territory_district d ON d.id = k.district_id
         WHERE (d.character = 'old_town' AND b.use <> 'public'
                AND b.storeys NOT BETWEEN 3 AND 4)
            OR (d.character = 'estate' AND b.use = 'multi_family'
                AND b.storeys NOT BETWEEN 4 AND 11)
            OR (d.character = 'suburb' AND b.use = 'single_family'
                AND b.storeys NOT BETWEEN 1 AND 2)
        """
    )
    assert bad == []


def test_residents_consistent_with_dwellings(small_city: DemoCityResult) -> None:
    assert (
        scalar(
            """
            SELECT count(*) FROM territory_building
             WHERE (use IN ('single_family', 'multi_family', 'mixed')
                    AND (dwellings < 1 OR residents NOT BETWEEN dwellings AND 4 * dwellings))
                OR (use NOT IN ('single_family', 'multi_family', 'mixed')
                    AND (residents <> 0 OR dwellings <> 0))
            """
        )
        == 0
    )


def test_addresses_in_their_parcel_with_labels(small_city: DemoCityResult) -> None:
    assert (
        scalar(
            """
            SELECT count(*) FROM territory_address a
              LEFT JOIN territory_parcel p ON p.id = a.parcel_id
              LEFT JOIN territory_street s ON s.id = a.street_id
             WHERE p.id IS NULL OR s.id IS NULL OR NOT ST_Intersects(a.geom, p.geom)
                OR a.label <> s.kind || ' ' || s.name || ' ' || a.number
                OR a.postcode !~ '^98-2\\d\\d$'
                OR (a.building_id IS NOT NULL AND NOT EXISTS (
                    SELECT 1 FROM territory_building b
                     WHERE b.id = a.building_id AND b.parcel_id = a.parcel_id))
            """
        )
        == 0
    )
    numbers = [r[0] for r in rows("SELECT number FROM territory_address")]
    assert all(re.fullmatch(r"[1-9]\d*A?", n) for n in numbers)


def test_streets(small_city: DemoCityResult) -> None:
    assert (
        scalar(
            """
            SELECT count(*) FROM territory_street s
             WHERE s.ulic !~ '^\\d{5}$' OR NOT EXISTS (
                   SELECT 1 FROM territory_roadsegment r WHERE r.street_id = s.id)
                OR abs(ST_Length(s.geom) - (SELECT sum(ST_Length(r.geom))
                       FROM territory_roadsegment r WHERE r.street_id = s.id)) > 0.01
            """
        )
        == 0
    )
    classes = {r[0] for r in rows("SELECT DISTINCT road_class FROM territory_roadsegment")}
    assert {"GP", "G", "Z", "L", "D"} <= classes


def test_road_network_is_connected(small_city: DemoCityResult) -> None:
    segments = rows(
        """
        SELECT round(ST_X(a)::numeric, 3), round(ST_Y(a)::numeric, 3),
               round(ST_X(b)::numeric, 3), round(ST_Y(b)::numeric, 3)
          FROM (SELECT ST_StartPoint(geom) a, ST_EndPoint(geom) b FROM territory_roadsegment) s
        """
    )
    parent: dict[tuple[object, object], tuple[object, object]] = {}

    def find(x: tuple[object, object]) -> tuple[object, object]:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for x0, y0, x1, y1 in segments:
        a, b = find((x0, y0)), find((x1, y1))
        if a != b:
            parent[a] = b
    assert len(segments) > 50
    assert len({find(node) for node in list(parent)}) == 1
    # junctions are exact: every segment end meets another segment or is a dead end
    assert scalar("SELECT count(*) FROM territory_roadsegment WHERE ST_Length(geom) < 1") == 0


def test_services_have_realistic_gaps(small_city: DemoCityResult) -> None:
    kinds = {r[0] for r in rows("SELECT DISTINCT kind FROM territory_publicservice")}
    assert {"primary_school", "kindergarten", "clinic", "green", "transit_stop", "shop"} <= kinds
    without_school = rows(
        """
        SELECT d.name FROM territory_district d
         WHERE d.character IN ('suburb', 'estate', 'tenement', 'old_town')
           AND NOT EXISTS (SELECT 1 FROM territory_publicservice s
                            WHERE s.kind = 'primary_school' AND ST_Intersects(s.geom, d.geom))
        """
    )
    assert without_school, "a residential district without a primary school is expected"
    assert scalar("SELECT count(*) FROM territory_publicservice WHERE kind = 'primary_school'") >= 5
    assert (
        scalar("SELECT max(ST_Area(area_geom)) FROM territory_publicservice WHERE kind = 'green'")
        >= 200_000
    )
    assert scalar("SELECT count(*) FROM territory_orgunit WHERE name LIKE 'Wydział%%'") >= 4


def test_constraints(small_city: DemoCityResult) -> None:
    kinds = {r[0] for r in rows("SELECT DISTINCT kind FROM territory_constraint")}
    assert {"flood_1pct", "flood_risk", "heritage", "nature", "noise"} <= kinds
    # the old town lies in the heritage zone; some buildings stand in the flood risk area
    assert (
        scalar(
            """
        SELECT count(*) FROM territory_building b, territory_constraint c
         WHERE c.kind = 'flood_risk' AND ST_Intersects(b.geom, c.geom)
        """
        )
        > 0
    )


def test_audit_summary(small_city: DemoCityResult) -> None:
    assert (
        scalar(
            "SELECT count(*) FROM core_auditentry WHERE action = 'bulk_load' "
            "AND model = 'territory.parcel' AND source = 'cli'"
        )
        >= 1
    )


def test_command_flags_and_determinism(
    small_city: DemoCityResult, capsys: pytest.CaptureFixture[str]
) -> None:
    before = fingerprint()
    with pytest.raises(CommandError, match="--replace"):
        call_command(
            "demo_city", "--scale", "small", "--seed", "7", "--no-progress", "--no-catalogue"
        )
    call_command("demo_city", "--scale", "small", "--if-missing", "--no-progress", "--no-catalogue")
    assert "pominięto" in capsys.readouterr().out
    assert fingerprint() == before
    call_command(
        "demo_city",
        "--scale",
        "small",
        "--seed",
        "7",
        "--replace",
        "--no-progress",
        "--no-catalogue",
    )
    assert City.objects.count() == 1
    assert fingerprint() == before  # same seed, same city
    call_command(
        "demo_city",
        "--scale",
        "small",
        "--seed",
        "8",
        "--replace",
        "--no-progress",
        "--no-catalogue",
    )
    assert fingerprint() != before  # another seed, another city
    assert Parcel.objects.count() > 1_000
