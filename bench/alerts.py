"""Benchmark of area alerts on the ``large`` demo city: matching one new event against
100 000 alert subscriptions (target < 1 s).

Run with ``make bench`` (after ``bench/run.py``, which generates ``miasto_bench`` when
missing). The subscriptions are added once, set-based and seeded (``setseed``), by 20 000
bench accounts (``bench-alerts-*``, five areas each): 60 % circles of 100–1000 m around an
address, 25 % drawn rectangles of 200–2000 m (clipped to the city), 15 % the district of an
address; 80 % follow the measured topic. Each event is matched by
:func:`miasto.alerts.events.alerts_match` — the one ``INSERT … SELECT`` of the listener — in a
transaction rolled back afterwards, so every event starts from the same table:

- a point (a problem report resolved at an address), 20 events;
- a plan's boundary (a square of 300–800 m around an address), 20 events;
- a district (a dataset covering a district), every district;
- the whole city (a dataset covering the city: every area that follows the topic matches),
  once — the worst case, reported beside the target.

Replaces the ``## Area alerts`` section of ``bench/RESULTS.md``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run as spine  # noqa: E402 — the spine harness: database, psql

SUBSCRIPTIONS = 100_000
PEOPLE = 20_000
TARGET_S = 1.0
SAMPLES = 20
TOPIC = "bench.event"
log = spine.log

SEED_SQL = f"""
INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email,
                       is_staff, is_active, date_joined)
SELECT '!', false, 'bench-alerts-' || g, '', '', 'bench-alerts-' || g || '@example.invalid',
       false, true, now()
FROM generate_series(1, {PEOPLE}) g
ON CONFLICT (username) DO NOTHING;
SELECT setseed(0.2026);
WITH people AS (
    SELECT id, row_number() OVER (ORDER BY id) - 1 AS n
    FROM auth_user WHERE username LIKE 'bench-alerts-%%'
), addresses AS (
    SELECT geom, row_number() OVER (ORDER BY id) - 1 AS n FROM territory_address
), total AS (SELECT count(*) AS c FROM territory_address),
draws AS (
    SELECT g, random() AS kind, random() AS size, floor(random() * (SELECT c FROM total)) AS pick
    FROM generate_series(0, {SUBSCRIPTIONS - 1}) g
), shaped AS (
    SELECT d.g, p.id AS user_id, d.kind, d.size, a.geom AS centre,
        CASE
        WHEN d.kind < 0.60 THEN ST_Multi(ST_Buffer(a.geom, 100 + d.size * 900, 8))
        WHEN d.kind < 0.85 THEN ST_Multi(ST_CollectionExtract(ST_Intersection(
            ST_Expand(a.geom, 100 + d.size * 900), (SELECT geom FROM territory_city LIMIT 1)), 3))
        ELSE (SELECT ST_Multi(t.geom) FROM territory_district t
              WHERE ST_Intersects(t.geom, a.geom) LIMIT 1)
        END AS geom
    FROM draws d
    JOIN addresses a ON a.n = d.pick
    JOIN people p ON p.n = d.g %% {PEOPLE}
)
INSERT INTO alerts_subscription (user_id, name, kind, address_label, radius_m, geom, topics,
                                 email, in_app, feed, created_at, updated_at)
SELECT user_id, 'bench ' || g,
       CASE WHEN kind < 0.60 THEN 'address' WHEN kind < 0.85 THEN 'area' ELSE 'district' END,
       '', CASE WHEN kind < 0.60 THEN (100 + size * 900)::int END, geom,
       CASE WHEN g %% 5 = 0 THEN ARRAY['plan.status_changed']
            ELSE ARRAY['{TOPIC}', 'plan.status_changed'] END,
       g %% 2 = 0, true, g %% 3 = 0, now(), now()
FROM shaped WHERE geom IS NOT NULL AND NOT ST_IsEmpty(geom);
"""

#: run in a Django process: the events and their timings (``out``)
MEASURE = f"""
from django.contrib.gis.geos import GEOSGeometry
from django.db import connection, transaction
from miasto.alerts.events import alerts_match
from miasto.core.db import fetch_all, fetch_value
from miasto.core.events import Event, Topic, topic_registry

topic_registry.register("{TOPIC}", Topic("{TOPIC}", "bench", lambda: [], lambda s: True))

def geoms(query):
    return [GEOSGeometry(memoryview(bytes(row[0]))) for row in fetch_all(query)]

def addresses(n, seed):
    return fetch_all(
        "SELECT ST_AsEWKB(geom) FROM territory_address "
        "ORDER BY md5(id::text || %s) LIMIT %s", [seed, n])

points = [GEOSGeometry(memoryview(bytes(r[0]))) for r in addresses({SAMPLES}, "p")]
plans = [GEOSGeometry(memoryview(bytes(r[0]))) for r in fetch_all(
    "SELECT ST_AsEWKB(ST_Expand(geom, 150 + (abs(hashtext(id::text)) %% 250))) "
    "FROM territory_address ORDER BY md5(id::text || 'q') LIMIT %s", [{SAMPLES}])]
districts = geoms("SELECT ST_AsEWKB(geom) FROM territory_district ORDER BY code")
city = geoms("SELECT ST_AsEWKB(geom) FROM territory_city ORDER BY id LIMIT 1")

def once(geometry):
    with transaction.atomic():
        started = time.perf_counter()
        reached = alerts_match(Event("{TOPIC}", "bench", {{"title": "bench", "url": ""}},
                                     geometry=geometry))
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return seconds, reached

once(points[0])  # warm-up: the connection's first transformation, the statement's plan
out = {{}}
for name, events in [("point", points), ("plan", plans), ("district", districts),
                     ("city", city)]:
    runs = [once(g) for g in events]
    times = sorted(t for t, _ in runs)
    reached = sorted(r for _, r in runs)
    out[name] = {{"n": len(runs), "p50": times[len(times) // 2], "max": times[-1],
                 "p95": times[int(0.95 * (len(times) - 1))],
                 "reached_p50": reached[len(reached) // 2], "reached_max": reached[-1]}}
with connection.cursor() as cursor:
    cursor.execute("EXPLAIN SELECT 1 FROM alerts_areapiece p WHERE p.geom && "
                   "ST_Buffer(ST_PointOnSurface((SELECT geom FROM territory_city LIMIT 1)), 50) "
                   "AND ST_Intersects(p.geom, ST_Buffer(ST_PointOnSurface("
                   "(SELECT geom FROM territory_city LIMIT 1)), 50))")
    out["index"] = any("alerts_areapiece_geom" in row[0] for row in cursor.fetchall())
out["subscriptions"] = fetch_value("SELECT count(*) FROM alerts_subscription")
"""


def sql(query: str) -> str:
    return spine.psql(spine.DATABASE_URL, query)


def django(code: str) -> dict:  # type: ignore[type-arg]
    script = "import django, json, time\ndjango.setup()\n" + code + "\nprint(json.dumps(out))\n"
    proc = subprocess.run(
        [str(spine.VENV / "python"), "-c", script],
        env={**spine.env(), "DJANGO_SETTINGS_MODULE": "miasto.config.settings"},
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        raise SystemExit(f"benchmark step failed: {proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def ensure_subscriptions() -> float | None:
    """Add the bench subscriptions once; the seconds it took (None when they were there)."""
    have = int(sql("SELECT count(*) FROM alerts_subscription WHERE name LIKE 'bench %'"))
    if have >= SUBSCRIPTIONS * 0.99:
        return None
    log(f"adding {SUBSCRIPTIONS} alert subscriptions of {PEOPLE} bench accounts (once)")
    started = time.monotonic()
    sql("DELETE FROM alerts_subscription WHERE name LIKE 'bench %'")
    sql(SEED_SQL.replace("%%", "%"))
    sql("VACUUM ANALYZE alerts_subscription")
    return time.monotonic() - started


def _ok(seconds: float) -> str:
    return "met" if seconds < TARGET_S else "NOT met"


def write_results(r: dict, counts: str, seeded: float | None) -> None:  # type: ignore[type-arg]
    labels = {
        "point": "a point (a problem report at an address)",
        "plan": "a plan's boundary (a square of 300–800 m)",
        "district": "a district (a dataset covering it)",
    }
    lines = [
        "## Area alerts",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} by `bench/alerts.py`.",
        "",
        f"- Machine: {spine.machine().split('; server')[0]}. Shared with other work while "
        "measured.",
        f"- Data: {counts}; {r['subscriptions']} alert subscriptions of {PEOPLE} accounts "
        "(circles around addresses, drawn rectangles, districts); the GiST index on the "
        f"areas' pieces {'is' if r['index'] else 'is NOT'} used."
        + (f" Adding them took {seeded:.0f} s (set-based, once)." if seeded else ""),
        "",
        "| one new event matched against every subscription (`INSERT … SELECT` of the "
        "notifications, rolled back) | events | p50 | p95 | max | people reached (p50 / max) "
        "| target |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for key, label in labels.items():
        m = r[key]
        lines.append(
            f"| {label} | {m['n']} | {m['p50'] * 1000:.0f} ms | {m['p95'] * 1000:.0f} ms | "
            f"{m['max'] * 1000:.0f} ms | {m['reached_p50']} / {m['reached_max']} | "
            f"< {TARGET_S:.0f} s ({_ok(m['max'])}) |"
        )
    c = r["city"]
    lines += [
        f"| the whole city (worst case: every area following the topic) | 1 | "
        f"{c['p50'] * 1000:.0f} ms | – | – | {c['reached_max']} | (beyond the target: "
        f"{_ok(c['max'])} all the same) |",
        "",
        "Matching runs in the background job `alerts.match`, which the events listener queues "
        "after the emitting transaction commits (the request pays for queuing it only); the "
        "e-mails are sent by the worker (`alerts.send_emails`, every minute, one digest per "
        "person). Measured here: the job's statement, `alerts_match`.",
        "",
    ]
    path = spine.BENCH / "RESULTS.md"
    text = path.read_text() if path.exists() else "# Benchmark results\n"
    head, *sections = text.split("\n## ")
    others = ["## " + part.rstrip("\n") for part in sections if not part.startswith("Area alerts")]
    path.write_text("\n\n".join([head.rstrip("\n"), *others, "\n".join(lines)]) + "\n")
    log("wrote the area alerts section of bench/RESULTS.md")


def main() -> int:
    spine.ensure_database()
    counts = sql(
        "SELECT (SELECT count(*) FROM territory_parcel) || ' parcels, ' || "
        "(SELECT count(*) FROM territory_address) || ' addresses, ' || "
        "(SELECT count(*) FROM territory_district) || ' districts'"
    )
    seeded = ensure_subscriptions()
    log("matching events")
    results = django(MEASURE)
    for key in ("point", "plan", "district", "city"):
        m = results[key]
        log(f"  {key}: p50 {m['p50'] * 1000:.0f} ms, max {m['max'] * 1000:.0f} ms, "
            f"reached up to {m['reached_max']}")  # fmt: skip
    write_results(results, counts, seeded)
    return 0


if __name__ == "__main__":
    sys.exit(main())
