"""Coverage, capacity, housing balance and conflicts on the hand-made town (see conftest)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import shapely

from miasto.planning.analyses.capacity import capacity, capacity_parcel_rows, housing_balance
from miasto.planning.analyses.config import analysis_config_for
from miasto.planning.analyses.conflicts import conflicts, conflicts_geojson
from miasto.planning.analyses.coverage import coverage, coverage_series, series_dates
from miasto.planning.models import Zone
from miasto.planning.services import plan_create, plan_set_zones
from miasto.planning.zoneset import ZoneSet
from tests.planning.analyses.conftest import NS, X, Y, enact, mpzp_zone, multi, sbox
from tests.territory.factories import ParcelFactory

pytestmark = pytest.mark.django_db


def by_code(items):  # type: ignore[no-untyped-def]
    return {d["code"]: d for d in items}


# --- configuration ----------------------------------------------------------------------


def test_configuration_is_versioned_data():
    config = analysis_config_for(dt.date(2025, 1, 1))
    assert config.usable_area_per_dwelling == Decimal("60")
    assert config.usable_to_gross == Decimal("0.75")
    assert config.persons_per_dwelling == Decimal("2.3")
    assert {"MN", "MW", "MN/U", "MW/U", "SW", "SJ"} <= set(config.residential_symbols)
    flood = next(r for r in config.conflict_rules if r.code == "housing-flood-hazard")
    assert flood.severity == "error" and "flood_1pct" in flood.constraint_kinds
    assert flood.description.startswith("Zabudowa mieszkaniowa")
    # a date before every configuration still gets one (the newest)
    assert analysis_config_for(dt.date(1990, 1, 1)).key == config.key


# --- coverage ---------------------------------------------------------------------------


def test_series_dates_default_from_first_local_plan(town):
    dates = series_dates(end=dt.date(2016, 3, 1))
    assert dates[0] == dt.date(2010, 1, 1)
    assert dates[-1] == dt.date(2016, 3, 1)
    assert dates[1:3] == [dt.date(2011, 1, 1), dt.date(2012, 1, 1)]
    assert series_dates(dt.date(2010, 1, 1), dt.date(2020, 1, 1), 5) == [
        dt.date(2010, 1, 1), dt.date(2015, 1, 1), dt.date(2020, 1, 1),
    ]  # fmt: skip


def test_coverage_over_time_by_area_and_population(town):
    result = coverage_series(dt.date(2009, 1, 1), dt.date(2016, 1, 1), 3)
    assert result["dates"] == ["2009-01-01", "2012-01-01", "2015-01-01", "2016-01-01"]
    s2009, s2012, s2015, s2016 = result["series"]
    assert s2009["city"]["covered_area"] == 0 and s2009["city"]["covered_population"] == 0
    # 2012: only L1 (500 000 m² of 01, 100 residents)
    assert s2012["city"] == {
        "area": 2_000_000.0, "covered_area": 500_000.0, "area_share": 0.25,
        "population": 200, "covered_population": 100, "population_share": 0.5,
    }  # fmt: skip
    assert s2015["city"]["covered_area"] == 500_000.0  # L2 comes into force in June 2015
    # 2016: L1 + L2
    assert s2016["city"]["covered_area"] == 750_000.0
    assert s2016["city"]["area_share"] == 0.375
    assert s2016["city"]["covered_population"] == 130
    assert s2016["city"]["population_share"] == 0.65
    d = by_code(s2016["districts"])
    assert d["01"]["area"] == 1_000_000.0 and d["01"]["covered_area"] == 500_000.0
    assert d["01"]["population"] == 150 and d["01"]["covered_population"] == 100
    assert d["02"]["covered_area"] == 250_000.0 and d["02"]["area_share"] == 0.25
    assert d["02"]["population"] == 50 and d["02"]["covered_population"] == 30
    assert d["02"]["population_share"] == 0.6
    # the general plan (2020) is not a local plan: it adds nothing
    later = coverage(ZoneSet(as_of=dt.date(2021, 1, 1)))["series"][0]
    assert later["city"]["covered_area"] == 750_000.0


def test_coverage_counts_overlapping_plans_once(town):
    # a second plan in force over part of L1 (x 400–600): 100 000 m² new, 100 000 m² overlap
    from tests.planning.analyses.conftest import enact

    extra = plan_create(
        kind="mpzp", title="Nakładka", local_id="L3", namespace=NS, geom=sbox(400, 0, 600, 1000)
    )
    plan_set_zones(plan=extra, zones=[mpzp_zone("L3-1U", "1U", "1.0", sbox(400, 0, 600, 1000))])
    enact(extra, dt.date(2012, 1, 1))
    city = coverage(ZoneSet(as_of=dt.date(2013, 1, 1)))["series"][0]["city"]
    assert city["covered_area"] == 600_000.0
    assert city["covered_population"] == 100  # R1 counted once
    # residents in both plans count once, on every date of a series
    from miasto.territory import models as tm
    from tests.planning.analyses.conftest import rect
    from tests.territory import factories as tf

    tf.BuildingFactory(
        identifier="R5", parcel=None, geom=rect(452, 602, 458, 608), storeys=1, residents=7,
        dwellings=3, use=tm.Building.Use.SINGLE_FAMILY,
    )  # fmt: skip
    series = coverage([ZoneSet(as_of=dt.date(y, 1, 1)) for y in (2009, 2011, 2013, 2016)])
    assert [s["city"]["covered_population"] for s in series["series"]] == [0, 107, 107, 137]


# --- capacity ---------------------------------------------------------------------------


def test_capacity_per_parcel_known_values(town):
    result = capacity(ZoneSet(as_of=dt.date(2021, 1, 1)), level="parcel")
    parcels = {p["identifier"].rsplit(".", 1)[1]: p for p in result["parcels"]["items"]}
    assert set(parcels) == {"1", "2", "3"}
    p1 = parcels["1"]
    assert (p1["basis"], p1["symbols"], p1["area"]) == ("plan_area", "MN", 2000.0)
    assert p1["max_floor_area"] == 1200.0
    assert p1["existing_floor_area"] == 200.0
    assert p1["remaining_floor_area"] == 1000.0
    assert p1["residential_floor_area"] == 1000.0
    assert p1["potential_dwellings"] == 12  # ⌊1000 × 0.75 ÷ 60⌋
    assert p1["potential_residents"] == 27.6
    p2 = parcels["2"]
    assert (p2["basis"], p2["symbols"]) == ("pog_zone", "SJ")
    assert (p2["max_floor_area"], p2["remaining_floor_area"]) == (800.0, 700.0)
    assert p2["residential_floor_area"] == 595.0  # SJ: 85 % housing
    assert p2["potential_dwellings"] == 7
    p3 = parcels["3"]  # the local plan binds where it covers the parcel, the POG on the rest
    assert (p3["basis"], p3["area"], p3["max_floor_area"]) == ("mixed", 1000.0, 700.0)
    assert p3["residential_floor_area"] == 640.0
    assert p3["potential_dwellings"] == 8
    assert p3["complete"] is True and p3["unknown_area"] == 0.0
    assert p1["district"] == "01" and p1["block"] == "K01"


def test_capacity_aggregates_city_district_block(town):
    zones = ZoneSet(as_of=dt.date(2021, 1, 1))
    result = capacity(zones, level="district")
    city = result["city"]
    assert city["parcels"] == 3
    assert city["max_floor_area"] == 2700.0
    assert city["existing_floor_area"] == 300.0
    assert city["remaining_floor_area"] == 2400.0
    assert city["residential_floor_area"] == 2235.0
    assert city["potential_dwellings"] == 27
    assert city["potential_residents"] == 62  # 27 × 2.3 = 62.1
    assert city["population"] == 200
    assert city["complete"] is True and city["parcels_incomplete"] == 0
    d = by_code(result["districts"])
    assert d["01"]["potential_dwellings"] == 27 and d["01"]["population"] == 150
    assert d["02"]["parcels"] == 0 and d["02"]["potential_dwellings"] == 0
    blocks = capacity(zones, level="block")["blocks"]
    assert blocks["count"] == 1 and blocks["items"][0]["code"] == "K01"
    assert blocks["items"][0]["remaining_floor_area"] == 2400.0
    only = capacity(zones, level="district", district="02")
    assert [x["code"] for x in only["districts"]] == ["02"]
    rows = list(capacity_parcel_rows(zones, "01"))
    assert [r["potential_dwellings"] for r in rows] == [12, 7, 8]


def test_capacity_zone_without_max_intensity_is_unknown_not_zero(town):
    """Local plan L3 (2020-06-01): area 7R x 1500–1600 without a maximum intensity. P4
    (1 000 m²) lies inside it; P5 (1 000 m²) has 250 m² in 7R and 750 m² in the general
    plan's 1SW (intensity 2.0) outside the local plan."""
    l3 = plan_create(
        kind="mpzp", title="Plan L3", local_id="L3", namespace=NS, geom=sbox(1500, 0, 1600, 1000)
    )
    plan_set_zones(
        plan=l3,
        zones=[mpzp_zone("L3-7R", "7R", "1.0", sbox(1500, 0, 1600, 1000))],
    )
    Zone.objects.filter(plan=l3).update(max_intensity=None, max_coverage=None)
    enact(l3, dt.date(2020, 6, 1))
    block = town.parcels["P1"].block
    for number, geom in (("4", multi(1520, 100, 1560, 125)), ("5", multi(1590, 300, 1630, 325))):
        ParcelFactory(precinct=town.parcels["P1"].precinct, number=number, block=block,
                      geom=geom, area=1000.0)  # fmt: skip
    zones = ZoneSet(as_of=dt.date(2021, 1, 1))
    result = capacity(zones, level="parcel")
    parcels = {p["identifier"].rsplit(".", 1)[1]: p for p in result["parcels"]["items"]}
    p4, p5 = parcels["4"], parcels["5"]
    assert (p4["basis"], p4["area"], p4["unknown_area"], p4["complete"]) == (
        "plan_area",
        1000.0,
        1000.0,
        False,
    )
    assert p4["max_floor_area"] is None and p4["remaining_floor_area"] is None
    assert p4["potential_dwellings"] is None  # unknown, not 0
    assert (p5["basis"], p5["area"], p5["unknown_area"], p5["complete"]) == (
        "mixed",
        1000.0,
        250.0,
        False,
    )
    assert p5["max_floor_area"] == 1500.0  # the known part only: a lower bound
    city = capacity(zones, level="city")["city"]
    assert (city["complete"], city["parcels_incomplete"], city["unknown_area"]) == (
        False,
        2,
        1250.0,
    )
    assert city["max_floor_area"] == 2700.0 + 1500.0


def test_capacity_run_is_stored_and_reused(town):
    zones = ZoneSet(as_of=dt.date(2021, 1, 1))
    first = capacity(zones, level="city")["run"]
    again = capacity(zones, level="city")["run"]
    assert again["id"] == first["id"]
    # a change of an input (a zone) makes a new run
    Zone.objects.filter(designation="1MN").update(max_intensity=Decimal("0.5"))
    changed = capacity(zones, level="city")
    assert changed["run"]["id"] != first["id"]
    assert changed["city"]["max_floor_area"] == 2700.0 - 200.0 - 50.0


def dense_parcel(town, number: str, x0: float, y0: float, x1: float, y1: float):  # type: ignore[no-untyped-def]
    """A parcel of more than 128 vertices (a rectangle with points every 2 m)."""
    from django.contrib.gis.geos import GEOSGeometry, MultiPolygon

    from tests.territory import factories as tf

    dense = shapely.segmentize(shapely.box(X + x0, Y + y0, X + x1, Y + y1), 2)
    geom = MultiPolygon(GEOSGeometry(dense.wkt), srid=2180)
    first = town.parcels["P1"]
    return tf.ParcelFactory(
        precinct=first.precinct, number=number, block=first.block, geom=geom,
        area=round(geom.area, 1),
    )  # fmt: skip


def test_capacity_of_a_large_parcel_through_its_pieces(town):
    """A parcel of more than 128 vertices is overlaid through its stored pieces, which follow
    its geometry (insert, update, delete)."""
    from django.db import connection

    def pieces(parcel_id: int) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM territory_parcel_piece WHERE parcel_id = %s", [parcel_id]
            )
            return cursor.fetchone()[0]

    big = dense_parcel(town, "9", 400, 700, 600, 720)  # 4000 m², half in 1MN, half in 1SJ
    assert big.geom.num_points > 128 and pieces(big.pk) > 1
    result = capacity(ZoneSet(as_of=dt.date(2021, 1, 1)), level="parcel")
    row = {p["identifier"].rsplit(".", 1)[1]: p for p in result["parcels"]["items"]}["9"]
    assert (row["basis"], row["area"], row["max_floor_area"]) == ("mixed", 4000.0, 2800.0)
    assert row["potential_dwellings"] == 32  # ⌊(1200 + 1600 × 0.85) × 0.75 ÷ 60⌋
    big.geom = multi(400, 700, 600, 720)
    big.save()
    assert pieces(big.pk) == 0  # small now: measured whole
    big.geom = dense_parcel(town, "10", 600, 900, 900, 910).geom
    big.save()
    assert pieces(big.pk) > 1
    big.delete()
    assert pieces(big.pk) == 0


def test_capacity_runs_are_partitions_dropped_with_their_run(town):
    from django.db import connection

    def partitions() -> set[str]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                "WHERE i.inhparent = 'planning_capacity_parcel'::regclass"
            )
            return {r[0] for r in cursor.fetchall()}

    first = capacity(ZoneSet(as_of=dt.date(2021, 1, 1)), level="city")["run"]
    assert f"planning_capacity_parcel_{first['id']}" in partitions()
    with connection.cursor() as cursor:  # runs deleted by hand leave their partition …
        cursor.execute("DELETE FROM planning_capacity_run")
    second = capacity(ZoneSet(as_of=dt.date(2021, 1, 1)), level="city")
    # … until the next run, which drops it
    assert partitions() == {f"planning_capacity_parcel_{second['run']['id']}"}
    assert second["city"]["potential_dwellings"] == 27


def test_scenario_zoneset_changes_capacity(town):
    """The analysis honours the zone set: a scenario changes the result."""
    today = dt.date(2021, 1, 1)
    mn = Zone.objects.get(designation="1MN")
    base = capacity(ZoneSet(as_of=today), level="city")["city"]
    raised = capacity(
        ZoneSet(as_of=today, overrides={mn.pk: {"max_intensity": "1.0"}}), level="city"
    )
    assert raised["scenario"] is True
    # P1: 2000 × 1.0 − 200 = 1800 → 22 dwellings (+10); P3: 500 × 1.0 + 500 × 0.8 × 0.85
    # = 840 → 10 (+2)
    assert raised["city"]["potential_dwellings"] == base["potential_dwellings"] + 10 + 2
    # a draft plan over P2 (x 600–800) with a 1.5 MW area replaces the POG zone there
    draft = plan_create(
        kind="mpzp", title="Projekt", local_id="D1", namespace=NS, geom=sbox(600, 0, 800, 1000)
    )
    plan_set_zones(plan=draft, zones=[mpzp_zone("D1-1MW", "1MW", "1.5", sbox(600, 0, 800, 1000))])
    with_draft = capacity(ZoneSet(as_of=today, drafts=(draft.pk,)), level="parcel")
    p2 = next(p for p in with_draft["parcels"]["items"] if p["identifier"].endswith(".2"))
    assert (p2["basis"], p2["symbols"], p2["max_floor_area"]) == ("plan_area", "MW", 1500.0)
    # the plans in force are unchanged
    assert capacity(ZoneSet(as_of=today), level="city")["city"] == base


def test_housing_balance_city_and_districts(town):
    result = capacity(ZoneSet(as_of=dt.date(2021, 1, 1)), level="district")
    balance = housing_balance(result, 246, 2035)
    assert balance["forecast_year"] == 2035
    assert balance["city"]["population"] == 200
    assert balance["city"]["needed_dwellings"] == 20  # (246 − 200) ÷ 2.3
    assert balance["city"]["potential_dwellings"] == 27
    assert balance["city"]["balance_dwellings"] == 7 and balance["city"]["sufficient"]
    d = by_code(balance["districts"])
    # split by current population: 01 gets 246 × 150/200 = 184.5 → (34.5 ÷ 2.3) = 15
    assert d["01"]["forecast_population"] in (184, 185)
    assert d["01"]["needed_dwellings"] == 15 and d["01"]["balance_dwellings"] == 12
    assert d["02"]["needed_dwellings"] == 5 and d["02"]["balance_dwellings"] == -5
    assert d["02"]["sufficient"] is False
    shrinking = housing_balance(result, 150, 2035)
    assert shrinking["city"]["needed_dwellings"] == 0


# --- conflicts --------------------------------------------------------------------------


def test_conflicts_flood_crossing_housing(town):
    result = conflicts(ZoneSet(as_of=dt.date(2021, 1, 1)), geometry=True)
    assert result["total"]["count"] == 2
    assert result["ignored_slivers"] == 2  # the 50 m² noise sliver, on 1MN and on 1SJ
    by_zone = {c["zone"]["designation"]: c for c in result["conflicts"]}
    assert set(by_zone) == {"1MN", "1SJ"}
    mn = by_zone["1MN"]
    assert mn["rule"] == "housing-flood-hazard" and mn["severity"] == "error"
    assert mn["area"] == 100_000.0
    assert mn["share_of_zone"] == 0.2
    assert mn["zone"]["plan_local_id"] == "L1"
    assert mn["constraint"]["kind"] == "flood_1pct"
    assert mn["constraint"]["name"] == "Zalew testowy"
    assert mn["districts"] == [{"code": "01", "name": "Zachód", "area": 100000.0}]
    assert mn["geometry"]["type"] in ("Polygon", "MultiPolygon")
    totals = result["totals"]
    assert totals["by_severity"]["error"] == {"count": 2, "area": 200_000.0}
    rule = next(r for r in result["rules"] if r["code"] == "housing-flood-hazard")
    assert (rule["count"], rule["area"]) == (2, 200_000.0)
    assert totals["by_district"] == [
        {"code": "01", "name": "Zachód", "count": 2, "area": 200_000.0,
         "error": 2, "warning": 0, "info": 0},
    ]  # fmt: skip
    geo = conflicts_geojson(result)
    assert len(geo["features"]) == 2 and geo["features"][0]["properties"]["severity"] == "error"


def test_conflicts_filters_and_dates(town):
    zones = ZoneSet(as_of=dt.date(2021, 1, 1))
    assert conflicts(zones, district="02")["total"]["count"] == 0
    assert conflicts(zones, severity="warning")["total"]["count"] == 0
    assert conflicts(zones, severity="error")["total"]["count"] == 2
    # before the general plan only the local plan's area conflicts
    early = conflicts(ZoneSet(as_of=dt.date(2012, 1, 1)))
    assert [c["zone"]["designation"] for c in early["conflicts"]] == ["1MN"]
    assert early["conflicts"][0]["scenario"] is False
