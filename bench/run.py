"""Benchmarks of the spine API on the ``large`` demo city (≈1 M parcels).

Run with ``make bench``. Uses its own database (``miasto_bench``, generated once and kept),
serves the app with gunicorn on 127.0.0.1:8765 and loads it with ``wrk`` (same seeded request
lists for every run), at concurrency 1 and 8. Writes ``bench/RESULTS.md``.
"""

from __future__ import annotations

import json
import math
import os
import platform
import random
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
OUT = BENCH / "out"
VENV = ROOT / ".venv" / "bin"
PORT = int(os.environ.get("BENCH_PORT", "8765"))
BASE = f"http://127.0.0.1:{PORT}"
DB_NAME = os.environ.get("BENCH_DB", "miasto_bench")
SCALE = os.environ.get("BENCH_SCALE", "large")
DURATION = int(os.environ.get("BENCH_SECONDS", "15"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
ADMIN_URL = os.environ.get("BENCH_ADMIN_URL", "postgresql://miasto:miasto@127.0.0.1:5432/postgres")
#: the database provisioning makes with the extensions (the app role may not create them)
TEMPLATE = os.environ.get("MIASTO_DB_TEMPLATE", "miasto_template")
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", f"postgis://miasto:miasto@127.0.0.1:5432/{DB_NAME}"
)
#: the forms of search queries measured one by one (see search_terms)
SEARCH_FORMS = {
    "identifier": "EGiB identifier or its beginning (`106401_1.0036.19`)",
    "precinct_number": "obręb.numer (`0036.196`)",
    "number_area": "number with a precinct or district name (`196 Łęgi`)",
    "address": "address, with or without the kind (`ul. Długa 12 5`, `Długa 12 5`)",
    "address_plain": "address without diacritics, lower case (`dluga 12 5`)",
    "street": "street name, whole or begun (`Dłu`)",
    "typo": "street (and number) with a typo (`Dlugaa 12 5`)",
    "area": "district or precinct name (`Osiedle Słoneczne`)",
}
#: BENCH_ONLY=search runs only the rows whose name begins so (comma-separated); the rows of
#: the other requests in RESULTS.md are kept as they were
ONLY = tuple(x for x in os.environ.get("BENCH_ONLY", "").split(",") if x)
TARGETS_MS = {
    "panel": 30,
    "parcel_at_point": 30,
    "tiles_uncached": 80,
    "tiles": 80,
    "search": 50,
    **{f"search_{form}": 50 for form in SEARCH_FORMS},
}


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


def env() -> dict[str, str]:
    e = dict(os.environ)
    e["DATABASE_URL"] = DATABASE_URL
    # wrk is one client sending thousands of requests a minute: counted, as in production,
    # but not refused (the rate limit would measure 429s)
    e["MIASTO_API_RATE_ANONYMOUS"] = "0"
    e.pop("DEBUG", None)
    return e


def psql(url: str, sql: str) -> str:
    return subprocess.run(
        ["psql", url.replace("postgis://", "postgresql://"), "-Atqc", sql],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def ensure_database() -> None:
    exists = psql(ADMIN_URL, f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}'")
    if exists != "1":
        log(f"creating database {DB_NAME}")
        psql(ADMIN_URL, f"CREATE DATABASE {DB_NAME} TEMPLATE {TEMPLATE}")
    subprocess.run([VENV / "miasto", "migrate", "-v0"], check=True, env=env())
    has_city = psql(DATABASE_URL, "SELECT count(*) FROM territory_city")
    if has_city == "0":
        log(f"generating the {SCALE} demo city (once; it is kept in {DB_NAME})")
        started = time.monotonic()
        subprocess.run(
            [VENV / "miasto", "demo-city", "--scale", SCALE, "--seed", "2026"],
            check=True,
            env=env(),
        )
        log(f"generated in {time.monotonic() - started:.0f} s")


def tile_xy(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def sample_requests(rng: random.Random) -> dict[str, list[str]]:
    def rows(sql: str) -> list[list[str]]:
        return [line.split("|") for line in psql(DATABASE_URL, sql).splitlines() if line]

    parcels = rows(
        "SELECT identifier, ST_X(p), ST_Y(p) FROM (SELECT identifier, "
        "ST_Transform(ST_PointOnSurface(geom), 4326) p FROM territory_parcel "
        "TABLESAMPLE SYSTEM (1) REPEATABLE (42) LIMIT 2000) s"
    )
    buildings = rows(
        "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_Transform(ST_Centroid(geom), 4326) p "
        "FROM territory_building TABLESAMPLE SYSTEM (1) REPEATABLE (7) LIMIT 2000) s"
    )
    streets = [r[0] for r in rows("SELECT name FROM territory_street ORDER BY id")]
    addresses = rows(
        "SELECT label FROM territory_address TABLESAMPLE SYSTEM (1) REPEATABLE (3) LIMIT 500"
    )
    rng.shuffle(parcels)
    panel = [f"/api/v1/parcels/{quote(p[0], safe='/')}" for p in parcels[:1000]]
    at_point = [f"/api/v1/parcels?{urlencode({'lon': p[1], 'lat': p[2]})}" for p in parcels[:1000]]
    tiles: list[str] = []
    for z in (14, 15, 16, 17):
        seen: set[tuple[int, int]] = set()
        for lon, lat in buildings:
            x, y = tile_xy(float(lon), float(lat), z)
            if (x, y) not in seen:
                seen.add((x, y))
                tiles.append(f"{z}/{x}/{y}")
    rng.shuffle(tiles)
    tile_urls = [
        f"/tiles/{layer}/{t}.mvt" for t in tiles[:600] for layer in ("parcels", "buildings")
    ]
    rng.shuffle(tile_urls)
    words = random.Random(14)  # its own generator: the other samples stay as they were
    labels = [a[0] for a in addresses]
    words.shuffle(labels)
    forms = search_terms(words, parcels, streets, labels, rows)
    search_urls = {
        name: [f"/api/v1/search?{urlencode({'q': t})}" for t in terms]
        for name, terms in forms.items()
    }
    mixed = [url for urls in search_urls.values() for url in urls]
    words.shuffle(mixed)
    return {
        "panel": panel,
        "parcel_at_point": at_point,
        "tiles": tile_urls,
        "search": mixed,
        **{f"search_{name}": urls for name, urls in search_urls.items()},
    }


#: Polish letters without their diacritics, as people type on a phone or a foreign keyboard
PLAIN = str.maketrans("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ", "acelnoszzACELNOSZZ")


def typo(rng: random.Random, word: str) -> str:
    """One small slip: a letter doubled, dropped or swapped for its neighbour on the keyboard."""
    if len(word) < 5:
        return word + word[-1]
    i = rng.randrange(1, len(word) - 1)
    slip = rng.choice(("double", "drop", "neighbour"))
    if slip == "double":
        return word[: i + 1] + word[i:]
    if slip == "drop":
        return word[:i] + word[i + 1 :]
    near = {"a": "s", "e": "r", "o": "p", "i": "u", "s": "d", "n": "m", "r": "t", "k": "l"}
    return word[:i] + near.get(word[i], "a") + word[i + 1 :]


def search_terms(
    rng: random.Random,
    parcels: list[list[str]],
    streets: list[str],
    addresses: list[str],
    rows: Any,
) -> dict[str, list[str]]:
    """Search queries of every form people type (issue 14), 100 of each, seeded."""
    areas = rows(
        "SELECT pr.name, d.name FROM territory_precinct pr "
        "LEFT JOIN territory_district d ON d.id = pr.district_id ORDER BY pr.id"
    )
    area_of = {}
    for (name, district), code in zip(
        areas, rows("SELECT code FROM territory_precinct ORDER BY id"), strict=True
    ):
        area_of[code[0]] = (name, district)
    identifiers = [p[0] for p in parcels[:100]]
    parts = [(i.split(".")[1], i.rsplit(".", 1)[-1]) for i in identifiers]
    terms: dict[str, list[str]] = {
        # the full identifier, or its beginning while typing
        "identifier": [
            i if n % 2 else i[: rng.randint(12, len(i))] for n, i in enumerate(identifiers)
        ],
        # obręb.numer: 0036.196
        "precinct_number": [f"{code}.{number}" for code, number in parts],
        # a number with the precinct's or the district's name, either order
        "number_area": [
            f"{number} {area_of[code][n % 2] or area_of[code][0]}"
            if n % 3
            else f"{area_of[code][1]} {number}"
            for n, (code, number) in enumerate(parts)
        ],
        # addresses as labelled, without the kind, without diacritics and lower case
        "address": [a if n % 3 == 0 else a.split(" ", 1)[1] for n, a in enumerate(addresses[:100])],
        "address_plain": [a.split(" ", 1)[1].translate(PLAIN).lower() for a in addresses[100:200]],
        # street names, whole or begun (at least 3 letters)
        "street": [
            s if n % 2 else s[: rng.randint(3, max(3, len(s)))]
            for n, s in enumerate(rng.sample(streets, 100))
        ],
        # a small typo in the street's name, with or without the house number
        "typo": [
            " ".join([typo(rng, a.split(" ")[1])] + a.split(" ")[2:]) for a in addresses[200:300]
        ],
        # district and precinct names
        "area": [name for pair in areas for name in pair if name][:100],
    }
    return terms


def wait_ready() -> None:
    for _ in range(120):
        try:
            with urllib.request.urlopen(f"{BASE}/healthz", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("the benchmark server did not start")


def wrk(urls: list[str], name: str, concurrency: int) -> dict[str, float]:
    OUT.mkdir(exist_ok=True)
    url_file = OUT / f"{name}.txt"
    url_file.write_text("\n".join(urls) + "\n")
    # warm-up pass (connections, caches), then the measured run
    for seconds in (3, DURATION):
        proc = subprocess.run(
            ["wrk", f"-t{min(concurrency, 2)}", f"-c{concurrency}", f"-d{seconds}s",
             "--timeout", "10s", "-s", str(BENCH / "urls.lua"), BASE],
            env={**os.environ, "WRK_URLS": str(url_file)},
            capture_output=True, text=True, check=True,
        )  # fmt: skip
    line = next(li for li in proc.stdout.splitlines() if li.startswith("RESULT "))
    result = json.loads(line[len("RESULT ") :])
    result["rps"] = result["requests"] / result["seconds"]
    return result


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    pg = psql(DATABASE_URL, "SELECT version()").split(" on ")[0]
    postgis = psql(DATABASE_URL, "SELECT postgis_lib_version()")
    return (
        f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB RAM, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}, {pg}, PostGIS {postgis}; "
        f"server: gunicorn {WORKERS} sync workers; load: wrk on the same machine"
    )


def main() -> None:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: sudo apt-get install wrk")
    ensure_database()
    counts = psql(
        DATABASE_URL,
        "SELECT (SELECT count(*) FROM territory_parcel) || ' parcels, ' || "
        "(SELECT count(*) FROM territory_building) || ' buildings, ' || "
        "(SELECT count(*) FROM territory_address) || ' addresses'",
    )
    requests = sample_requests(random.Random(2026))
    results: dict[tuple[str, int], dict[str, float]] = {}
    # tiles twice: with the tile cache off (every tile built by PostGIS), then on (as served)
    runs = [("tiles_uncached", requests["tiles"], {"MIASTO_TILE_CACHE_DIR": ""})]
    runs += [(name, urls, {}) for name, urls in requests.items()]
    runs = [run for run in runs if not ONLY or run[0].startswith(ONLY)]
    server = None
    for name, urls, extra_env in runs:
        if extra_env or server is None:
            server = start_server(extra_env)
        try:
            for concurrency in (1, 8):
                log(f"{name} at concurrency {concurrency} ({len(urls)} distinct requests)")
                results[(name, concurrency)] = r = wrk(urls, name, concurrency)
                log(f"  p50 {r['p50_ms']:.1f} ms, p95 {r['p95_ms']:.1f} ms, {r['rps']:.0f} req/s")
        finally:
            if extra_env or name == runs[-1][0]:
                server.terminate()
                server.wait(10)
                server = None
    write_results(results, counts)


def start_server(extra_env: dict[str, str]) -> subprocess.Popen[bytes]:
    cache = Path(os.environ.get("MIASTO_TILE_CACHE_DIR", ROOT / "var" / "cache" / "tiles"))
    shutil.rmtree(cache / DB_NAME, ignore_errors=True)  # every run starts with a cold cache
    server = subprocess.Popen(
        [VENV / "gunicorn", "miasto.config.wsgi", "--bind", f"127.0.0.1:{PORT}",
         "--workers", str(WORKERS), "--log-level", "warning"],
        env={**env(), **extra_env},
    )  # fmt: skip
    wait_ready()
    return server


def write_results(results: dict[tuple[str, int], dict[str, float]], counts: str) -> None:
    titles = {
        "panel": "parcel panel `GET /api/v1/parcels/{id}`",
        "parcel_at_point": "parcel at point `GET /api/v1/parcels?lon&lat`",
        "tiles_uncached": "MVT tiles z14–17, parcels + buildings, tile cache off",
        "tiles": "MVT tiles z14–17, parcels + buildings, tile cache on (cold at start)",
        "search": "search `GET /api/v1/search?q`, every form below mixed",
        **{f"search_{form}": f"search: {title}" for form, title in SEARCH_FORMS.items()},
    }
    measured = (
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} by `make bench` "
        f"(`bench/run.py`), {DURATION} s per row after a 3 s warm-up."
    )
    old = (BENCH / "RESULTS.md").read_text() if (BENCH / "RESULTS.md").exists() else ""
    kept_rows: list[str] = []
    if ONLY:  # a partial run: the other rows stay, with when they were measured
        kept_rows, earlier = _earlier_rows(old, titles)
        measured = f"Rows `{','.join(ONLY)}*`: {measured} Other rows: {earlier}"
    lines = [
        "# Benchmark results",
        "",
        "## Spine API",
        "",
        measured,
        "",
        f"- Machine: {machine()}.",
        f"- Data: the `{SCALE}` demo city (seed 2026): {counts}.",
        "- Machine load when the rows were written (1, 5, 15 min averages; other work on the "
        f"machine competes for its cores): {', '.join(f'{x:.1f}' for x in os.getloadavg())}.",
        "- Requests: seeded random samples (1000 parcels, 1000 points, 1200 tiles over "
        "built-up areas, 100 search queries of each form), requested round-robin.",
        "",
        "| request | concurrency | p50 ms | p95 ms | p99 ms | req/s | errors | target p95 |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        *kept_rows,
    ]
    for (name, conc), r in results.items():
        target = TARGETS_MS[name]
        ok = "met" if r["p95_ms"] < target else "**missed**"
        lines.append(
            f"| {titles[name]} | {conc} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | "
            f"{r['p99_ms']:.1f} | {r['rps']:.0f} | {int(r['errors'])} | < {target} ms ({ok}) |"
        )
    lines += [
        "",
        "The tile cache is keyed by table revisions (statement triggers), so served tiles are",
        "never stale; the uncached rows show what PostGIS alone does (dense z14 tiles hold ≈4 000",
        "parcels). At concurrency 8 the 2 cores are shared by gunicorn, PostgreSQL and wrk, so",
        "p95 there is mostly queueing; repeated panel runs vary by ±3 ms.",
        "",
    ]
    # keep the sections other benchmarks wrote (## Data hub, ## Accessibility, …)
    others = old.split("\n## ")[1:]
    kept = ["## " + part.rstrip() + "\n" for part in others if not part.startswith("Spine API")]
    (BENCH / "RESULTS.md").write_text("\n".join(lines + kept))
    log("wrote bench/RESULTS.md")


def _earlier_rows(old: str, titles: dict[str, str]) -> tuple[list[str], str]:
    """The Spine API rows of an earlier RESULTS.md that a partial run (``BENCH_ONLY``) leaves
    as they were, and the sentence saying when they were measured."""
    section = old.split("\n## Spine API\n", 1)[-1].split("\n## ", 1)[0] if old else ""
    names = {title: name for name, title in titles.items()}
    kept, earlier = [], "not measured yet."
    for line in section.splitlines():
        if line.startswith("Measured "):
            earlier = line
        elif line.startswith("Rows `") and "Other rows: " in line:
            earlier = line.split("Other rows: ", 1)[1]
        elif line.startswith("| ") and not line.startswith(("| request", "| ---")):
            title = line[2:].split(" | ", 1)[0]
            name = names.get(title, title.split(" ", 1)[0].rstrip(":").lower())
            if not name.startswith(ONLY):
                kept.append(line)
    return kept, earlier


if __name__ == "__main__":
    sys.exit(main())
