"""Benchmarks of the OGC API Features (``/ogcapi/``) on the ``large`` demo city.

Run with ``.venv/bin/python bench/ogcapi.py`` after ``make bench`` made (and migrated) the
database ``miasto_bench``. Serves the app with gunicorn like ``bench/run.py`` and loads it with
``wrk`` at concurrency 1 and 8: parcels in a ~300 m bbox (limit 100), in a ~1 km bbox
(limit 1000), single parcels, and a CQL2-filtered page. Writes the section "OGC API Features"
of ``bench/RESULTS.md``. (The comparison with pygeoapi and tipg on the same requests, which
issue 15 asks for, needs those servers installed beside it: not done here.)
"""

from __future__ import annotations

import os
import random
import sys
import time
from urllib.parse import quote, urlencode

from run import BENCH, DATABASE_URL, DURATION, log, machine, psql, start_server, wrk

#: half-widths of the boxes in degrees (≈ 150 m and ≈ 500 m at latitude 51.6)
BOXES = {"items_300m": (0.00108, 0.00068, 100), "items_1km": (0.0072, 0.0045, 1000)}
TITLES = {
    "items_300m": "parcels in a ~300 m bbox, `limit=100`",
    "items_1km": "parcels in a ~1 km bbox, `limit=1000`",
    "item": "one parcel `/items/{id}`",
    "filtered": "CQL2 `land_use = 'B' AND area > 500` in a ~1 km bbox, `limit=1000`",
}


#: centres whose boxes hold full pages: ~1 km boxes with at least 1000 parcels, ~300 m boxes
#: with at least 100 (EPSG:2180 half-widths, metres)
CENTRES_SQL = """
    SELECT identifier, ST_X(ST_Transform(c, 4326)), ST_Y(ST_Transform(c, 4326)),
           (SELECT count(*) FROM territory_parcel p WHERE p.geom && ST_Expand(s.c, 150)),
           (SELECT count(*) FROM territory_parcel p WHERE p.geom && ST_Expand(s.c, 500))
    FROM (SELECT identifier, ST_PointOnSurface(geom) c FROM territory_parcel
          TABLESAMPLE SYSTEM (1) REPEATABLE (15) LIMIT 1500) s
"""


def _box(x: str, y: str, dx: float, dy: float) -> str:
    lon, lat = float(x), float(y)
    return f"{lon - dx:.6f},{lat - dy:.6f},{lon + dx:.6f},{lat + dy:.6f}"


def sample_requests(rng: random.Random) -> dict[str, list[str]]:
    rows = [line.split("|") for line in psql(DATABASE_URL, CENTRES_SQL).splitlines() if line]
    rng.shuffle(rows)
    base = "/ogcapi/collections/parcels/items"
    dense = {"items_300m": [r for r in rows if int(r[3]) >= 100][:300],
             "items_1km": [r for r in rows if int(r[4]) >= 1000][:300]}  # fmt: skip
    out: dict[str, list[str]] = {}
    for name, (dx, dy, limit) in BOXES.items():
        out[name] = [
            f"{base}?{urlencode({'bbox': _box(x, y, dx, dy), 'limit': limit})}"
            for _, x, y, _, _ in dense[name]
        ]
    out["item"] = [f"{base}/{quote(r[0], safe='/')}" for r in rows[:600]]
    out["filtered"] = [
        url + "&" + urlencode({"filter": "land_use = 'B' AND area > 500"})
        for url in out["items_1km"]
    ]
    return out


def write_section(results: dict[tuple[str, int], dict[str, float]], counts: str) -> None:
    load = os.getloadavg()[0]
    lines = [
        "## OGC API Features",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} by `bench/ogcapi.py`, "
        f"{DURATION} s per row after a 3 s warm-up; load average at the end {load:.1f}.",
        "",
        f"- Machine: {machine()}.",
        f"- Data: {counts}. Requests round-robin: boxes around random parcels whose boxes hold "
        "full pages (≥ 100 parcels in the ~300 m box, ≥ 1000 in the ~1 km one: every page "
        "of those rows has `limit` features), 600 random parcels for single items.",
        "- Peers (pygeoapi's PostgreSQL provider, tipg) not measured yet: the targets are 4× "
        "the better peer for 1000-feature pages (peers manage about 6/s there) and 1.5× "
        "elsewhere.",
        "",
        "| request | concurrency | p50 ms | p95 ms | p99 ms | req/s | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for (name, conc), r in results.items():
        lines.append(
            f"| {TITLES[name]} | {conc} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | "
            f"{r['p99_ms']:.1f} | {r['rps']:.0f} | {int(r['errors'])} |"
        )
    path = BENCH / "RESULTS.md"
    old = path.read_text() if path.exists() else "# Benchmark results\n"
    head, *sections = old.split("\n## ")
    kept = ["## " + s.rstrip() + "\n" for s in sections if not s.startswith("OGC API Features")]
    path.write_text("\n".join([head.rstrip() + "\n", *kept, "\n".join(lines) + "\n"]))
    log("wrote the OGC API section of bench/RESULTS.md")


def main() -> None:
    # (the database of `make bench`, as it is: this script neither makes nor migrates it)
    counts = psql(DATABASE_URL, "SELECT count(*) || ' parcels' FROM territory_parcel")
    requests = sample_requests(random.Random(2026))
    results: dict[tuple[str, int], dict[str, float]] = {}
    server = start_server({})
    try:
        for name, urls in requests.items():
            for concurrency in (1, 8):
                log(f"{name} at concurrency {concurrency}")
                results[(name, concurrency)] = r = wrk(urls, f"ogc_{name}", concurrency)
                log(f"  p50 {r['p50_ms']:.1f} ms, p95 {r['p95_ms']:.1f} ms, {r['rps']:.1f} req/s")
    finally:
        server.terminate()
        server.wait(10)
    write_section(results, counts)


if __name__ == "__main__":
    sys.exit(main())
