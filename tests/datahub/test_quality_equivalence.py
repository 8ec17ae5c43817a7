"""The single-scan quality check reports exactly what the previous check (one query per
problem, kept in :mod:`tests.datahub.legacy_quality`) reported, on a hand-made layer with every
kind of problem, in the incremental overlap mode, and against the old check's every-pair mode
where the new one starts from the edges that do not match a neighbour's."""

from __future__ import annotations

import math
from typing import Any

import pytest
from django.db import connection

from miasto.datahub import coverage, quality
from miasto.datahub.importers import PARCEL_ID_SQL
from miasto.datahub.quality import checks
from tests.datahub import legacy_quality
from tests.datahub.conftest import X0, Y0

pytestmark = pytest.mark.django_db

SRID = 2180
OK = "106401_1.0001."


def box(x: float, y: float, w: float = 25.0, h: float = 25.0) -> str:
    return f"ST_MakeEnvelope({X0 + x}, {Y0 + y}, {X0 + x + w}, {Y0 + y + h}, {SRID})"


#: (identifier, land_use, geometry SQL)
FEATURES: list[tuple[str | None, str | None, str]] = [
    (OK + "1", "B", box(0, 0)),
    (OK + "2", "B", box(25, 0)),
    (OK + "3", "", box(25, 0)),  # duplicate geometry of 2 (and overlaps it by 625 m²)
    (OK + "4", None, box(50, 0)),
    (OK + "1", "B", box(75, 0)),  # duplicate key
    (None, "B", box(100, 0)),  # no key
    ("działka 7", "B", box(125, 0)),  # invalid key
    (OK + "8", "B", "NULL"),  # no geometry
    (OK + "9", "B", f"ST_GeomFromText('POLYGON EMPTY', {SRID})"),
    # a bow-tie: repaired into two triangles
    (
        OK + "10",
        "B",
        f"ST_GeomFromText('POLYGON(({X0} {Y0 + 100}, {X0 + 20} {Y0 + 120}, {X0 + 20} "
        f"{Y0 + 100}, {X0} {Y0 + 120}, {X0} {Y0 + 100}))', {SRID})",
    ),
    # collinear: nothing polygonal is left after repair
    (
        OK + "11",
        "B",
        f"ST_GeomFromText('POLYGON(({X0} {Y0 + 200}, {X0 + 10} {Y0 + 200}, {X0 + 20} "
        f"{Y0 + 200}, {X0} {Y0 + 200}))', {SRID})",
    ),
    (OK + "12", "B", box(8_000, 0)),  # outside the city
    (OK + "13", "B", box(8_000, 0)),  # … twice
    # a road parcel above the vertex limit, with a hole (a block), cut into pieces
    (
        OK + "14",
        "R",
        f"ST_Segmentize(ST_MakePolygon(ST_ExteriorRing({box(300, 0, 200, 200)}), "
        f"ARRAY[ST_ExteriorRing({box(350, 50, 100, 100)})]), 5)",
    ),
    (OK + "15", "B", box(350, 50, 50, 50)),  # in the hole: touches only
    (OK + "16", "B", box(400, 50, 50, 50)),  # in the hole
    (OK + "17", "B", box(345, 100, 55, 50)),  # 5 × 50 m over the road
    (OK + "18", "B", box(400.01, 100, 50, 50)),  # 0.5 m² over the road: tolerated
    (OK + "19", "B", box(310, 160, 20, 20)),  # on the road: 400 m²
    (OK + "20", "B", box(600, 0)),  # far from all
]


def make_layer(name: str, features: list[tuple[str | None, str | None, str]]) -> str:
    table = f"datahub_data.{name}"
    values = ", ".join(
        f"({i}, {'NULL' if k is None else repr(k)}, {'NULL' if u is None else repr(u)}, {g})"
        for i, (k, u, g) in enumerate(features, start=1)
    )
    with connection.cursor() as cur:
        cur.execute(
            f"CREATE TABLE {table} (fid integer PRIMARY KEY, identifier text, "
            f"land_use text, geom geometry(Geometry, {SRID}))"
        )
        cur.execute(f"INSERT INTO {table} VALUES {values}")
        cur.execute(f"CREATE INDEX ON {table} USING gist (geom)")
    return table


def both(features, *, previous=None, **overrides):  # type: ignore[no-untyped-def]
    rules = quality.rules_for(True, overrides)
    reports = []
    for n, check in enumerate((legacy_quality.quality_check, quality.quality_check)):
        table = make_layer(f"eq{n}", features)
        prev = make_layer(f"eq{n}_prev", previous) if previous is not None else None
        if prev:  # a version's table holds its geometries as repaired
            with connection.cursor() as cur:
                cur.execute(
                    f"UPDATE {prev} SET geom = ST_CollectionExtract(ST_MakeValid(geom), 3) "
                    "WHERE NOT ST_IsValid(geom)"
                )
        reports.append(
            check(
                table,
                key_columns=["identifier"],
                rules=rules,
                parcels=True,
                key_regex=PARCEL_ID_SQL,
                previous_table=prev,
            )
        )
    old, new = reports
    new.pop("filled")  # (exact counts behind ``completeness``, which the old check lacked)
    new["checks"]["invalid_keys"].pop("pattern")  # (what a later version is checked with)
    new["checks"]["outside_city"].pop("city")
    # how the overlaps were looked for may differ (the old check tested every pair, the new
    # one starts from the edges that do not match), not what is found
    modes = old["checks"]["overlaps"].pop("mode"), new["checks"]["overlaps"].pop("mode")
    old["checks"]["overlaps"].pop("checked_features")
    new["checks"]["overlaps"]["checked"] = new["checks"]["overlaps"].pop("checked_features")
    return old, new, modes


def _same(old, new):  # type: ignore[no-untyped-def]
    new["checks"]["overlaps"].pop("checked")
    assert new == old


def test_every_problem_reported_as_before(city):
    old, new, modes = both(FEATURES)
    assert modes == ("full", "edges")
    _same(old, new)
    c = new["checks"]
    assert c["null_geometries"]["count"] == 1 and c["empty_geometries"]["count"] == 1
    assert c["invalid_geometries"]["count"] == 2 and c["invalid_geometries"]["unrepairable"] == 1
    assert c["duplicate_geometries"]["items"] == [[2, 3], [12, 13]]
    assert c["duplicate_keys"]["count"] == 1 and c["invalid_keys"]["count"] == 2
    assert c["outside_city"]["count"] == 2
    assert {(o["a"], o["b"], o["area"]) for o in c["overlaps"]["items"]} == {
        (2, 3, 625.0),
        (12, 13, 625.0),
        (14, 17, 250.0),
        (14, 19, 400.0),
    }
    assert new["completeness"] == old["completeness"]


def test_full_mode_as_before(city, monkeypatch):
    # ST_MakeValid leaves nothing invalid in practice; were it to, every pair is tested
    monkeypatch.setattr(checks, "_broken", lambda table: True)
    old, new, modes = both(FEATURES, overlap_tolerance_m2=0)
    assert modes == ("full", "full")
    _same(old, new)
    assert new["checks"]["overlaps"]["count"] == 5


def test_too_many_vertices_to_match(city, monkeypatch):
    # a layer too big for the edge matching in memory is checked pair by pair in PostGIS
    monkeypatch.setattr(coverage, "MAX_VERTICES", 50)
    old, new, modes = both(FEATURES)
    assert modes == ("full", "full")
    _same(old, new)


def test_small_lists_and_no_tolerance(city):
    old, new, _ = both(FEATURES, list_limit=1, overlap_tolerance_m2=0)
    _same(old, new)
    assert new["checks"]["overlaps"]["count"] == 5  # the 0.5 m² one counts too


def test_incremental_overlaps_as_before(city):
    # the previous version had no overlaps (the premise of the incremental check)
    clean = [f for f in FEATURES if f[0] not in (OK + "3", OK + "13")]
    previous = [f for f in clean if f[0] not in (OK + "17", OK + "19")]
    old, new, modes = both(clean, previous=previous)
    assert modes == ("changed", "changed")
    _same(old, new)
    assert new["checks"]["overlaps"]["count"] == 2


def test_clean_layer(city):
    feats = [(f"{OK}{n + 1}", "B", box(25 * (n % 10), 25 * (n // 10))) for n in range(30)]
    old, new, modes = both(feats)
    # a clean grid: every inner edge matches, only the outer ones are looked at
    assert new["checks"]["overlaps"]["checked"] == 2 * 10 + 2 * 3 - 4
    _same(old, new)
    assert new["blocking"] == [] and new["checks"]["overlaps"]["count"] == 0


def _grid(n: int, size: float = 25.0, *, ox: float = 0.0, oy: float = 0.0, angle: float = 0.0):
    """Vertices of an ``n × n`` grid of cells (each vertex computed once: neighbours share it
    exactly), rotated by ``angle`` degrees about the first corner."""
    c, s = math.cos(math.radians(angle)), math.sin(math.radians(angle))

    def at(i: int, j: int) -> tuple[float, float]:
        x, y = i * size, j * size
        return X0 + ox + c * x - s * y, Y0 + oy + s * x + c * y

    return at


def _poly(points: list[tuple[float, float]]) -> str:
    ring = ", ".join(f"{x!r} {y!r}" for x, y in [*points, points[0]])
    return f"ST_GeomFromText('POLYGON(({ring}))', {SRID})"


def _cells(n: int, **kw: Any) -> list[str]:
    at = _grid(n, **kw)
    return [
        _poly([at(i, j), at(i + 1, j), at(i + 1, j + 1), at(i, j + 1)])
        for j in range(n)
        for i in range(n)
    ]


def _layout(name: str) -> list[str]:
    if name == "rotated grid":  # shared vertices, no axis-parallel edge: all matched inside
        return _cells(5, angle=30)
    if name == "clockwise rings":
        return [f"ST_Reverse({g})" for g in _cells(4)]
    if name == "T-junctions":  # rows of lots whose back edges do not share vertices
        front = [box(25 * i, 0, 25, 30) for i in range(4)]
        back = [box(0, 30, 40, 30), box(40, 30, 30, 30), box(70, 30, 30, 30)]
        return front + back + [box(0, 60, 100, 10)]
    if name == "one inside another":
        return [*_cells(3), box(20, 20, 10, 10)]  # over four cells
    if name == "stacked grids":
        # the same 4 × 4 cells twice, the second copy with a vertex in the middle of each
        # edge: inside either copy every edge matches; only the border shows the overlap
        return _cells(4) + [f"ST_Segmentize({g}, 12.5)" for g in _cells(4)]
    if name == "stacked rotated grids":
        return _cells(4, angle=30) + [f"ST_Segmentize({g}, 12.5)" for g in _cells(4, angle=30)]
    if name == "off the line":  # a T-junction vertex 1 mm inside the neighbour
        at = _grid(3, angle=17)
        cells = _cells(3, angle=17)
        mid = ((at(1, 1)[0] + at(2, 1)[0]) / 2, (at(1, 1)[1] + at(2, 1)[1]) / 2 + 0.001)
        cells[4] = _poly([at(1, 1), at(2, 1), at(2, 2), at(1, 2)])
        cells[1] = _poly([at(1, 0), at(2, 0), at(2, 1), mid, at(1, 1)])
        return cells
    raise AssertionError(name)


@pytest.mark.parametrize(
    "name, pairs",
    [
        ("rotated grid", 0),
        ("clockwise rings", 0),
        ("T-junctions", 0),
        ("one inside another", 4),
        ("stacked grids", 16),
        # (the midpoints are rounded off the rotated edges: slivers between neighbours too)
        ("stacked rotated grids", 64),
        ("off the line", 1),
    ],
)
def test_layouts_against_every_pair(city, name, pairs):
    """The edge-driven search finds the same pairs as testing every pair, with no tolerance."""
    feats = [(f"{OK}{n + 1}", "B", g) for n, g in enumerate(_layout(name))]
    old, new, modes = both(feats, overlap_tolerance_m2=0, list_limit=1000)
    assert modes == ("full", "edges")
    assert new["checks"]["overlaps"]["count"] == pairs
    if pairs == 0:  # only the cells on the border were looked at
        assert new["checks"]["overlaps"]["checked"] < len(feats)
    _same(old, new)


@pytest.mark.django_db(transaction=True)
def test_edges_matched_in_a_thread(monkeypatch):
    """Outside a transaction the edges are matched in a thread with its own connection, started
    before the check (as the import does, right after loading) and again after repairs."""
    started = []
    start = checks.start_edge_match
    monkeypatch.setattr(
        checks, "start_edge_match", lambda *a: started.append(start(*a)) or started[-1]
    )
    table = make_layer("eq_thread", FEATURES)
    try:
        report = quality.quality_check(
            table,
            key_columns=["identifier"],
            rules=quality.rules_for(True, {}),
            parcels=True,
            key_regex=PARCEL_ID_SQL,
            edges=checks.start_edge_match(table),
        )
    finally:
        with connection.cursor() as cur:
            cur.execute(f"DROP TABLE {table}")
    # the bow-tie was repaired after the first matching started: matched again
    assert len(started) == 2 and all(f is not None for f in started)
    ov = report["checks"]["overlaps"]
    assert ov["mode"] == "edges"
    assert {(o["a"], o["b"], o["area"]) for o in ov["items"]} == {
        (2, 3, 625.0),
        (12, 13, 625.0),
        (14, 17, 250.0),
        (14, 19, 400.0),
    }
