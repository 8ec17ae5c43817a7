"""Benchmark: the advertising compliance engine and the carriers' tiles on the large city.

    DATABASE_URL=postgis://miasto:miasto@127.0.0.1:5432/miasto_bench \\
        .venv/bin/python bench/advertising.py

Everything happens in one transaction that is rolled back at the end, so the shared bench
database is left as it was: the module's tables are created from its migration, 100 000
carriers are generated (seeded) in the city, a resolution of 10 zones with 20 distance rules
(and 30 others) is applied, and then:

- the whole register is judged (target < 10 s);
- one carrier is moved and re-checked with its neighbours, 50 times (target < 100 ms);
- 300 carrier tiles z14–16 are built by the tile statement (target p95 < 80 ms; measured in
  process, without HTTP and without the tile cache).

The results go to ``bench/RESULTS.md`` (section "Advertising").
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import os
import platform
import random
import re
import statistics
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "miasto.config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from psycopg import sql  # noqa: E402

from miasto.advertising import compliance  # noqa: E402
from miasto.advertising.models import Carrier  # noqa: E402
from miasto.core.db import execute, fetch_all, fetch_one, fetch_value  # noqa: E402
from miasto.core.layers import layer_get  # noqa: E402

CARRIERS = 100_000
SEED = 2026
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"

ZONES = """
WITH c AS (SELECT ST_Union(geom) AS g FROM territory_city),
b AS (SELECT g, ST_XMin(g) AS x0, (ST_XMax(g) - ST_XMin(g)) / 10 AS w,
             ST_YMin(g) - 1 AS y0, ST_YMax(g) + 1 AS y1 FROM c)
INSERT INTO advertising_zone (ruleset_id, code, name, description, adjustment_months, provision,
                              geom)
SELECT %(rs)s, 'S' || i, 'Strefa ' || i, '', 24, '',
       ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Intersection(
         b.g, ST_MakeEnvelope(b.x0 + i * b.w, b.y0, b.x0 + (i + 1) * b.w, b.y1, 2180))), 3))
  FROM b, generate_series(0, 9) i
"""

CARRIERS_SQL = """
INSERT INTO advertising_carrier
       (reference, kind, status, location, width, height, sides, area, illumination, mounting,
        business, notes, installed_on, created_at, updated_at)
SELECT 'B/' || n, k.kind, 'active', p.geom, 3, 2, 1, (ARRAY[6, 12, 18, 24])[1 + n %% 4],
       CASE WHEN n %% 7 = 0 THEN 'led' ELSE 'none' END, 'freestanding', '', '',
       DATE '2020-01-01' + (n %% 2000)::int, now(), now()
  FROM (SELECT row_number() OVER () AS n, d.geom
          FROM (SELECT (ST_Dump(ST_GeneratePoints(ST_Union(geom), %(n)s, %(seed)s))).geom
                  FROM territory_city) d) p
 CROSS JOIN LATERAL (SELECT (ARRAY['board_freestanding', 'board_freestanding', 'citylight',
        'sign', 'board_facade', 'led_screen', 'pillar'])[1 + (p.n %% 7)::int] AS kind) k
"""

DISTANCE_RULES = [
    ("distance_carrier", 80, {"other_kinds": ["board_freestanding"]}),
    ("distance_building", 10, {}),
    ("distance_intersection", 50, {}),
    ("distance_stop", 15, {}),
    ("distance_road", 5, {"edge_offset": 3}),
]


def setup() -> int:
    """The tables (from the migration), a resolution with 10 zones, 50 rules, 100 000
    carriers; the id of the rule version."""
    if fetch_value("SELECT to_regclass('advertising_carrier') IS NULL"):
        out = io.StringIO()
        call_command("sqlmigrate", "advertising", "0001", stdout=out)
        with connection.cursor() as cursor:
            cursor.execute(out.getvalue().replace("BEGIN;", "").replace("COMMIT;", ""))
    else:  # a migrated database (perhaps with the demo's register): emptied, rolled back later
        tables = fetch_all(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
            "AND tablename LIKE 'advertising%%'"
        )
        execute(
            sql.SQL("TRUNCATE {} RESTART IDENTITY CASCADE").format(
                sql.SQL(", ").join(sql.Identifier(t[0]) for t in tables)
            )
        )
    execute(
        "INSERT INTO advertising_landscaperesolution (title, number, legal_basis, status, "
        "valid_from, journal_position, url, has_adjustment_provisions, description, created_at, "
        "updated_at) VALUES ('Bench', 'B/1', 'art. 37a', 'in_force', '2023-01-01', '', '', true, "
        "'', now(), now())"
    )
    rs = fetch_value(
        "INSERT INTO advertising_ruleset (resolution_id, label, valid_from, applied, note, "
        "created_at) SELECT id, 'v1', '2023-01-01', true, '', now() "
        "FROM advertising_landscaperesolution RETURNING id"
    )
    execute(ZONES, {"rs": rs})
    zones = [r[0] for r in fetch_all("SELECT id FROM advertising_zone ORDER BY code")]
    rows = []
    for i, zone in enumerate(zones):
        for kind, value, params in (DISTANCE_RULES[0], DISTANCE_RULES[1 + i % 4]):
            rows.append((zone, kind, ["board_freestanding", "led_screen"], value, None, params))
        rows.append((zone, "max_area", [], None, 12 + 6 * (i % 2), {}))
        allowed = ["board_freestanding", "citylight", "sign", "board_facade", "pillar"]
        allowed += ["led_screen"] if i % 2 else []
        rows.append((zone, "allowed_kinds", [], None, None, {"kinds": allowed}))
        rows.append(
            (zone, "illumination", [], None, None, {"allowed": ["none", "external", "internal"]})
        )
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO advertising_zonerule (zone_id, kind, carrier_kinds, min_value, "
            "max_value, params, provision) VALUES (%s, %s, %s, %s, %s, %s::jsonb, '§ 1')",
            [(z, k, ck, mn, mx, json.dumps(p)) for z, k, ck, mn, mx, p in rows],
        )
    execute(CARRIERS_SQL, {"n": CARRIERS, "seed": SEED})
    execute("ANALYZE advertising_carrier; ANALYZE advertising_zone; ANALYZE advertising_zonerule")
    return int(rs)


def deferred_checks() -> None:
    """The foreign keys' checks a commit would run (the bench never commits)."""
    execute("SET CONSTRAINTS ALL IMMEDIATE")
    execute("SET CONSTRAINTS ALL DEFERRED")


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, int(len(values) * 0.95) - 1)]


def bench() -> dict[str, object]:
    setup()
    distance_rules = fetch_value(
        "SELECT count(*) FROM advertising_zonerule WHERE kind LIKE 'distance%%'"
    )
    today = dt.date.today()
    t0 = time.perf_counter()
    full = compliance.check(today)
    deferred_checks()
    full_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    compliance.check(today)  # again: the violations are known, only changes are written
    deferred_checks()
    repeat_s = time.perf_counter() - t0
    rng = random.Random(SEED)
    ids = [r[0] for r in fetch_all("SELECT id FROM advertising_carrier ORDER BY id")]
    times = []
    for pk in rng.sample(ids, 50):
        carrier = Carrier.objects.get(pk=pk)
        old = carrier.location.clone()
        carrier.location.x += 30
        carrier.save(update_fields=["location"])
        t1 = time.perf_counter()
        compliance.recheck_carrier(carrier, old_location=old, on=today)
        deferred_checks()
        times.append((time.perf_counter() - t1) * 1000)
    layer = layer_get("advertising-carriers")
    assert layer is not None
    tiles = []
    points = fetch_all(
        "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_Transform(location, 4326) p FROM "
        "advertising_carrier ORDER BY md5(id::text) LIMIT 300) x"
    )
    for i, (lon, lat) in enumerate(points):
        z = 14 + i % 3
        n = 1 << z
        x = int((lon + 180) / 360 * n)
        y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
        t2 = time.perf_counter()
        fetch_one(layer.tile_sql(z), {"z": z, "x": x, "y": y, "name": layer.name})
        tiles.append((time.perf_counter() - t2) * 1000)
    return {
        "carriers": fetch_value("SELECT count(*) FROM advertising_carrier"),
        "zones": fetch_value("SELECT count(*) FROM advertising_zone"),
        "distance_rules": distance_rules,
        "rules": fetch_value("SELECT count(*) FROM advertising_zonerule"),
        "violations": full.violations,
        "full_s": full_s,
        "repeat_s": repeat_s,
        "recheck_p50": statistics.median(times),
        "recheck_p95": p95(times),
        "recheck_max": max(times),
        "tile_p50": statistics.median(tiles),
        "tile_p95": p95(tiles),
        "tile_max": max(tiles),
    }


def write(r: dict[str, object]) -> str:
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    pg = fetch_value("SELECT version()")
    met = {True: "met", False: "missed"}
    when = f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M}"
    lines = [
        "## Advertising",
        "",
        f"Measured {when} UTC by `bench/advertising.py` on the `large` city (database "
        "`miasto_bench`), in one transaction rolled back at the end.",
        "",
        f"- Machine: {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{str(pg).split(' on ')[0]}; load averages at the end: {load} (other sessions share "
        "the cores).",
        f"- Data: {r['carriers']} carriers (seeded points in the city), {r['zones']} zones, "
        f"{r['rules']} rules of which {r['distance_rules']} distance rules (to other carriers, "
        f"buildings, intersections, stops, road edges); {r['violations']} violations found.",
        "- Times of the whole register and of a re-check include the foreign-key checks a "
        "commit would run (`SET CONSTRAINTS ALL IMMEDIATE`; the bench never commits).",
        "- Tiles: the `advertising-carriers` tile statement run in process for 300 tiles "
        "z14–16 around carriers (no HTTP, no tile cache).",
        "",
        "| measurement | result | target |",
        "| --- | ---: | --- |",
        f"| compliance of the whole register, first run (every violation new) | "
        f"{r['full_s']:.1f} s | < 10 s ({met[float(r['full_s']) < 10]}) |",
        f"| compliance of the whole register, run again (nightly check) | "
        f"{r['repeat_s']:.1f} s | < 10 s ({met[float(r['repeat_s']) < 10]}) |",
        f"| re-check after one moved carrier, p50 / p95 / max (50 runs) | "
        f"{r['recheck_p50']:.0f} / {r['recheck_p95']:.0f} / {r['recheck_max']:.0f} ms | "
        f"< 100 ms ({met[float(r['recheck_p95']) < 100]}) |",
        f"| carriers tile, p50 / p95 / max | {r['tile_p50']:.1f} / {r['tile_p95']:.1f} / "
        f"{r['tile_max']:.1f} ms | p95 < 80 ms ({met[float(r['tile_p95']) < 80]}) |",
    ]
    section = "\n".join(lines) + "\n"
    text = RESULTS.read_text(encoding="utf-8")
    pattern = re.compile(r"## Advertising\n.*?(?=\n## |\Z)", re.S)
    text = (
        pattern.sub(section.rstrip("\n"), text)
        if pattern.search(text)
        else text.rstrip("\n") + "\n\n" + section
    )
    RESULTS.write_text(text, encoding="utf-8")
    return section


class Rollback(Exception):
    pass


def main() -> int:
    result: dict[str, object] = {}
    try:
        with transaction.atomic():
            result = bench()
            raise Rollback
    except Rollback:
        pass
    print(write(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
