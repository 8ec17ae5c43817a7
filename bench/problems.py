"""Benchmarks of problem reports on the ``large`` demo city, with 100 000 generated reports.

Run with ``make bench`` after ``bench/run.py`` (which generates ``miasto_bench`` when missing;
the reports are added here, once, with ``miasto demo-problems --count 100000`` — a year of
reports at the city's addresses, in every status). With ``wrk`` at concurrency 1 and 8:

1. Open311 ``GET /open311/v2/requests.json`` with filters — a category and a status, a
   category within a month, a status within a week, ten ids, and no filter (the last 90
   days, the 1 000 newest) — mixed (target p95 < 100 ms);
2. the same as XML;
3. the reports' vector tiles (OGC API Tiles) at city zooms 12–15 around sampled reports, with
   the tile cache off, so every tile is built by PostGIS (target p95 < 80 ms).

Replaces the ``## Problem reports`` section of ``bench/RESULTS.md``.
"""

from __future__ import annotations

import random
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run as spine  # noqa: E402 — the spine harness: database, psql, server, wrk

REPORTS = 100_000
TARGETS = {"open311_ms": 100, "tiles_ms": 80}
TITLE = "Problem reports"
log = spine.log


def sql(query: str) -> str:
    return spine.psql(spine.DATABASE_URL, query)


def ensure_reports() -> None:
    if int(sql("SELECT count(*) FROM problems_report")) < REPORTS:
        log(f"adding {REPORTS} problem reports (once)")
        started = time.monotonic()
        subprocess.run(
            [spine.VENV / "miasto", "demo-problems", "--count", str(REPORTS)],
            check=True,
            env=spine.env(),
        )
        sql("ANALYZE problems_report; ANALYZE problems_reportupdate")
        log(f"added in {time.monotonic() - started:.0f} s")


def _w3c(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def open311_urls(rng: random.Random, fmt: str) -> list[str]:
    codes = sql("SELECT code FROM problems_service ORDER BY code").split("\n")
    ids = [int(i) for i in sql("SELECT id FROM problems_report ORDER BY id").split("\n")]
    now = datetime.now(UTC)
    queries: list[dict[str, str]] = []
    for _ in range(200):
        month = now - timedelta(days=rng.uniform(30, 365))
        week = now - timedelta(days=rng.uniform(7, 365))
        queries += [
            {"service_code": rng.choice(codes), "status": rng.choice(["open", "closed"])},
            {"service_code": rng.choice(codes), "start_date": _w3c(month),
             "end_date": _w3c(month + timedelta(days=30))},
            {"status": rng.choice(["open", "closed"]), "start_date": _w3c(week),
             "end_date": _w3c(week + timedelta(days=7))},
            {"service_request_id": ",".join(str(i) for i in rng.sample(ids, 10))},
            {},
        ]  # fmt: skip
    rng.shuffle(queries)
    return [f"/open311/v2/requests.{fmt}?{urlencode(q)}".rstrip("?") for q in queries]


def tile_urls(rng: random.Random) -> list[str]:
    points = [
        line.split("|")
        for line in sql(
            "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_Transform(geom, 4326) p FROM problems_report "
            "TABLESAMPLE SYSTEM (2) REPEATABLE (16) LIMIT 1500) s"
        ).splitlines()
    ]
    tiles: set[str] = set()
    for z in (12, 13, 14, 15):
        for lon, lat in points:
            x, y = spine.tile_xy(float(lon), float(lat), z)
            tiles.add(f"/ogcapi/collections/problem-reports/tiles/WebMercatorQuad/{z}/{y}/{x}")
    urls = sorted(tiles)
    rng.shuffle(urls)
    return urls[:800]


def measure(name: str, urls: list[str], extra_env: dict[str, str]) -> dict[int, dict]:  # type: ignore[type-arg]
    server = spine.start_server(extra_env)
    try:
        out = {}
        for concurrency in (1, 8):
            log(f"{name} at concurrency {concurrency} ({len(urls)} distinct requests)")
            out[concurrency] = r = spine.wrk(urls, f"problems_{name}", concurrency)
            log(f"  p50 {r['p50_ms']:.1f} ms, p95 {r['p95_ms']:.1f} ms, {r['rps']:.0f} req/s")
        return out
    finally:
        server.terminate()
        try:
            server.wait(60)
        except subprocess.TimeoutExpired:  # a loaded machine: do not leave it serving
            server.kill()
            server.wait(10)


def main() -> int:
    spine.ensure_database()
    ensure_reports()
    counts = sql(
        "SELECT (SELECT count(*) FROM territory_parcel) || ' parcels, ' || "
        "(SELECT count(*) FROM problems_report) || ' problem reports'"
    )
    rng = random.Random(16)
    results = {
        "open311_json": measure("open311_json", open311_urls(rng, "json"), {}),
        "open311_xml": measure("open311_xml", open311_urls(rng, "xml"), {}),
        "tiles": measure("tiles", tile_urls(rng), {"MIASTO_TILE_CACHE_DIR": ""}),
    }
    write_results(results, counts)
    return 0


def _row(label: str, r: dict, target: int) -> str:  # type: ignore[type-arg]
    met = "met" if r["p95_ms"] < target and not r["errors"] else "NOT met"
    errors = f", {r['errors']} errors" if r["errors"] else ""
    return (
        f"| {label} | p50 {r['p50_ms']:.1f} ms, p95 {r['p95_ms']:.1f} ms, "
        f"{r['rps']:.0f} req/s{errors} | p95 < {target} ms ({met}) |"
    )


def write_results(results: dict, counts: str) -> None:  # type: ignore[type-arg]
    machine = spine.machine().split("; load:")[0]
    load = Path("/proc/loadavg").read_text().split()[:3]
    lines = [
        f"## {TITLE}",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} by "
        "`bench/problems.py`, once, on a machine shared with other work.",
        "",
        f"- Machine: {machine}; load average at the end {', '.join(load)} (wrk, the server "
        "and whatever else runs share the cores).",
        f"- Data: the `large` demo city with generated reports: {counts}.",
        "",
        "| measurement | result | target |",
        "| --- | --- | --- |",
    ]
    for key, label in (("open311_json", "JSON"), ("open311_xml", "XML")):
        for c in (1, 8):
            lines.append(_row(
                f"Open311 GET requests.{key[-4:].lstrip('_')} with filters ({label}; category "
                f"+ status, category + month, status + week, 10 ids, none), concurrency {c}",
                results[key][c], TARGETS["open311_ms"],
            ))  # fmt: skip
    for c in (1, 8):
        lines.append(_row(
            f"report vector tiles z12–15, tile cache off (built by PostGIS), concurrency {c}",
            results["tiles"][c], TARGETS["tiles_ms"],
        ))  # fmt: skip
    lines += [
        "",
        "An answer without filters holds the 1 000 newest reports of the last 90 days "
        "(`MIASTO_OPEN311_MAX_REQUESTS`); the position in WGS 84 and the latest public note "
        "are stored on the report (docs/problems.md).",
        "",
    ]
    path = spine.BENCH / "RESULTS.md"
    text = path.read_text() if path.exists() else "# Benchmark results\n"
    head, *sections = text.split("\n## ")
    others = ["## " + part.rstrip("\n") for part in sections if not part.startswith(TITLE)]
    path.write_text("\n\n".join([head.rstrip("\n"), *others, "\n".join(lines)]) + "\n")
    log("wrote the problem reports section of bench/RESULTS.md")


if __name__ == "__main__":
    sys.exit(main())
