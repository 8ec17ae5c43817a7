"""OGC API – Features: Miasto against pygeoapi and tipg on the same parcels table.

Run with ``make bench`` (after ``bench/run.py``, which makes the ``large`` city in
``miasto_bench``) or alone: ``.venv/bin/python bench/ogcapi.py``. The peers are installed
once into their own virtualenv (``var/bench-peers``, pinned versions, from PyPI) — they are
never a dependency of Miasto. Each server gets 4 worker processes on the same machine and the
same database; the same seeded requests go to each:

- ``items_300m``: a ~300 m bbox (CRS84), ``limit=100``;
- ``items_1km``: a ~1 km bbox, ``limit=1000``;
- ``item``: one parcel by its id;
- ``filter_1km``: the ~1 km bbox and the CQL2 text filter ``area > 1500``, ``limit=1000``;

at concurrency 1 and 8 with ``wrk``, the three servers one after the other for each case
(each started for it and stopped after it). Before the runs, the number of features each server
returns for the same requests is compared (pages of the same size are being timed) and the
table says where they differ. Results: the "Open data" section of ``bench/RESULTS.md``.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run as spine  # noqa: E402  (bench/run.py: the database, wrk, the machine line)

PEERS_VENV = spine.ROOT / "var" / "bench-peers"
PEERS = [
    "pygeoapi==0.21.0",
    "tipg==1.6.1",
    "uvicorn==0.55.0",
    "gunicorn",
    "psycopg2-binary",
    "geoalchemy2",  # (pygeoapi's PostgreSQL provider needs it and does not require it)
]
PORTS = {"miasto": spine.PORT, "pygeoapi": spine.PORT + 1, "tipg": spine.PORT + 2}
PROPS = "identifier,number,area,land_use"
CASES = {
    "items_300m": "items, ~300 m bbox, limit 100",
    "items_1km": "items, ~1 km bbox, limit 1000",
    "item": "one item by id",
    "filter_1km": "items, ~1 km bbox + CQL2 `area > 1500`, limit 1000",
}
#: WFS 2.0 GetFeature of up to 1 000 parcels in the ~1 km bbox (Miasto only: no peer serves WFS)
WFS_CASES = {
    "wfs_gml": "WFS GetFeature, ~1 km bbox, COUNT=1000, GML 3.2",
    "wfs_json": "WFS GetFeature, ~1 km bbox, COUNT=1000, GeoJSON",
}
#: Miasto's throughput over the better peer's (issue 15): 1000-feature pages 4×, the other
#: listed cases 1.5×; the CQL2 filter is measured without a target
TARGET_RATIO = {"items_1km": 4.0, "items_300m": 1.5, "item": 1.5}


def log(message: str) -> None:
    print(f"[bench:ogcapi] {message}", flush=True)


def ensure_peers() -> Path:
    stamp = PEERS_VENV / (".stamp-" + hashlib.sha1(" ".join(PEERS).encode()).hexdigest()[:12])
    if not stamp.exists():
        log(f"installing the peers into {PEERS_VENV} (once): {', '.join(PEERS)}")
        subprocess.run([sys.executable, "-m", "venv", str(PEERS_VENV)], check=True)
        subprocess.run(
            [PEERS_VENV / "bin" / "pip", "install", "-q", *PEERS], check=True
        )  # fmt: skip
        stamp.touch()
    return PEERS_VENV / "bin"


@dataclass(frozen=True)
class Sample:
    pk: str
    identifier: str
    bbox_300: str
    bbox_1k: str
    #: the same boxes in EPSG:2180 (easting, northing): pygeoapi turns a CRS84 bbox into
    #: EPSG:2180 in the authority's axis order (northing first) and so finds nothing; it is
    #: given the bbox in its storage CRS instead, with ``bbox-crs``
    bbox_300_2180: str
    bbox_1k_2180: str


def samples(n: int = 400) -> list[Sample]:
    """Seeded parcels with bboxes (CRS84, and the same in EPSG:2180) of ~300 m and ~1 km,
    where the boxes hold full pages (at least 100 and 1000 parcels: built-up areas)."""
    boxes = ", ".join(_box_text(c) for c in ("b3", "b1", "c3", "c1"))
    sql = (
        "WITH s AS (SELECT id, identifier, ST_PointOnSurface(geom) p FROM territory_parcel "
        "TABLESAMPLE SYSTEM (1) REPEATABLE (11) LIMIT 3000), "
        "dense AS (SELECT * FROM s WHERE "
        "(SELECT count(*) FROM territory_parcel t WHERE t.geom && ST_Expand(s.p, 150)) >= 100 "
        "AND (SELECT count(*) FROM territory_parcel t WHERE t.geom && ST_Expand(s.p, 500)) "
        f">= 1000 LIMIT {n}), "
        "q AS (SELECT id, identifier, ST_Transform(ST_Expand(p, 150), 4326)::box2d b3, "
        "ST_Transform(ST_Expand(p, 500), 4326)::box2d b1 FROM dense) "
        f"SELECT id, identifier, {boxes} FROM (SELECT id, identifier, b3, b1, "
        "ST_Transform(ST_SetSRID(b3::geometry, 4326), 2180)::box2d c3, "
        "ST_Transform(ST_SetSRID(b1::geometry, 4326), 2180)::box2d c1 FROM q) r"
    )
    rows = [line.split("|") for line in spine.psql(spine.DATABASE_URL, sql).splitlines()]
    out = [Sample(*(c.strip() for c in row)) for row in rows if len(row) == 6]
    random.Random(2026).shuffle(out)
    return out


def _box_text(column: str) -> str:
    return (
        f"array_to_string(ARRAY[ST_XMin({column}), ST_YMin({column}), ST_XMax({column}), "
        f"ST_YMax({column})], ',')"
    )


def _bbox(text: str) -> str:
    return ",".join(f"{float(v):.6f}" for v in text.split(","))


def paths(server: str, case: str, s: Sample) -> str:
    bbox = _bbox(s.bbox_300 if case == "items_300m" else s.bbox_1k)
    limit = 100 if case == "items_300m" else 1000
    query: dict[str, str] = {"bbox": bbox, "limit": str(limit)}
    if case == "filter_1km":
        query["filter"] = "area > 1500"
        query["filter-lang"] = "cql2-text"
    if server == "miasto":
        base = "/ogcapi/collections/parcels/items"
        return f"{base}/{s.identifier}" if case == "item" else f"{base}?{urlencode(query)}"
    if server == "pygeoapi":
        base = "/collections/parcels/items"
        if case == "item":
            return f"{base}/{s.identifier}?f=json"
        query["bbox"] = _bbox(s.bbox_300_2180 if case == "items_300m" else s.bbox_1k_2180)
        query["bbox-crs"] = "http://www.opengis.net/def/crs/EPSG/0/2180"
        if "filter-lang" in query:
            query["filter-lang"] = "cql-text"  # (its name for CQL2 text)
        return f"{base}?{urlencode({**query, 'f': 'json'})}"
    base = "/collections/public.territory_parcel/items"
    extra = {"properties": PROPS, "geom-column": "geom", "f": "geojson"}
    if case == "item":
        return f"{base}/{s.pk}?{urlencode(extra)}"
    return f"{base}?{urlencode({**query, **extra})}"


def wfs_path(case: str, s: Sample) -> str:
    query = {
        "SERVICE": "WFS", "VERSION": "2.0.0", "REQUEST": "GetFeature", "TYPENAMES": "parcels",
        "BBOX": _bbox(s.bbox_1k_2180) + ",EPSG:2180", "COUNT": "1000",
    }  # fmt: skip
    if case == "wfs_json":
        query["OUTPUTFORMAT"] = "application/json"
    return "/wfs?" + urlencode(query)


def wfs_count(base: str, path: str) -> int:
    with urllib.request.urlopen(base + path, timeout=60) as r:
        body = r.read()
    if path.endswith("json"):
        return len(json.loads(body).get("features") or [])
    return body.count(b"<wfs:member>")


# --- the servers ---------------------------------------------------------------------------


def pygeoapi_config(work: Path) -> dict[str, str]:
    db = spine.DATABASE_URL.split("://", 1)[1]
    creds, rest = db.split("@", 1)
    user, password = creds.split(":", 1)
    hostport, dbname = rest.split("/", 1)
    host, port = hostport.split(":")
    url = f"http://127.0.0.1:{PORTS['pygeoapi']}"
    config = f"""
server:
  bind: {{host: 127.0.0.1, port: {PORTS["pygeoapi"]}}}
  url: {url}
  mimetype: application/json; charset=UTF-8
  encoding: utf-8
  languages: [en-US]
  limits: {{default_items: 10, max_items: 10000}}
  map: {{url: "https://tile.openstreetmap.org/{{z}}/{{x}}/{{y}}.png", attribution: OSM}}
logging: {{level: ERROR}}
metadata:
  identification:
    title: bench
    description: bench
    keywords: [bench]
    keywords_type: theme
    terms_of_service: https://creativecommons.org/licenses/by/4.0/
    url: {url}
  license: {{name: CC-BY 4.0, url: "https://creativecommons.org/licenses/by/4.0/"}}
  provider: {{name: bench, url: {url}}}
  contact: {{name: bench, position: bench, address: x, city: x, stateorprovince: x,
            postalcode: x, country: PL, phone: x, fax: x, email: x@example.org, url: {url},
            hours: x, instructions: x, role: pointOfContact}}
resources:
  parcels:
    type: collection
    title: Parcels
    description: Parcels
    keywords: [parcels]
    extents:
      spatial: {{bbox: [14.0, 49.0, 24.2, 54.9],
                crs: "http://www.opengis.net/def/crs/OGC/1.3/CRS84"}}
    providers:
      - type: feature
        name: PostgreSQL
        data: {{host: {host}, port: {port}, dbname: {dbname}, user: {user},
               password: {password}, search_path: [public]}}
        id_field: identifier
        table: territory_parcel
        geom_field: geom
        storage_crs: http://www.opengis.net/def/crs/EPSG/0/2180
        crs: ["http://www.opengis.net/def/crs/OGC/1.3/CRS84",
              "http://www.opengis.net/def/crs/EPSG/0/2180"]
        properties: [{PROPS}]
"""
    (work / "pygeoapi.yml").write_text(config)
    return {
        "PYGEOAPI_CONFIG": str(work / "pygeoapi.yml"),
        "PYGEOAPI_OPENAPI": str(work / "pygeoapi-openapi.yml"),
    }


def start(server: str, peers: Path, work: Path) -> subprocess.Popen[bytes]:
    port = PORTS[server]
    if server == "miasto":
        return spine.start_server({})
    if server == "pygeoapi":
        env = {**os.environ, **pygeoapi_config(work)}
        subprocess.run(
            [peers / "pygeoapi", "openapi", "generate", env["PYGEOAPI_CONFIG"],
             "--output-file", env["PYGEOAPI_OPENAPI"]],
            check=True, env=env, capture_output=True,
        )  # fmt: skip
        cmd = [peers / "gunicorn", "pygeoapi.flask_app:APP", "--bind", f"127.0.0.1:{port}",
               "--workers", str(spine.WORKERS), "--log-level", "warning"]  # fmt: skip
    else:
        env = {
            **os.environ,
            "DATABASE_URL": spine.DATABASE_URL.replace("postgis://", "postgresql://"),
            "TIPG_DB_SCHEMAS": '["public"]',
            "TIPG_MAX_FEATURES_PER_QUERY": "10000",
        }
        cmd = [peers / "uvicorn", "tipg.main:app", "--host", "127.0.0.1", "--port", str(port),
               "--workers", str(spine.WORKERS), "--log-level", "warning"]  # fmt: skip
    proc = subprocess.Popen([str(c) for c in cmd], env=env)
    _wait(f"http://127.0.0.1:{port}/collections")
    return proc


def _wait(url: str) -> None:
    for _ in range(240):
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer")


def count(base: str, path: str) -> int:
    with urllib.request.urlopen(base + path, timeout=60) as r:
        body = json.loads(r.read())
    if body.get("type") == "Feature":
        return 1
    return len(body.get("features") or [])


# --- the runs ------------------------------------------------------------------------------


def run_all(peers: Path, work: Path, sample: list[Sample]) -> dict[str, dict]:
    """Each case on the three servers back to back, one server running at a time (started
    afresh for the case, 4 workers): a change in the machine's state between cases then
    touches every server's row of the case alike, and no server shares the machine with
    another's idle workers and connections."""
    out: dict[str, dict] = {server: {"counts": {}, "runs": {}} for server in PORTS}
    for case in CASES:
        for server in PORTS:
            counts, runs = run_case(server, case, peers, work, sample)
            out[server]["counts"][case] = counts
            out[server]["runs"].update(runs)
    proc = start("miasto", peers, work)
    try:
        out["miasto"]["wfs"] = run_wfs(f"http://127.0.0.1:{PORTS['miasto']}", sample)
    finally:
        stop(proc)
    return out


def run_case(
    server: str, case: str, peers: Path, work: Path, sample: list[Sample]
) -> tuple[list[int], dict]:
    """The features returned for the first 20 requests, and the runs at concurrency 1 and 8."""
    proc = start(server, peers, work)
    base = f"http://127.0.0.1:{PORTS[server]}"
    runs: dict = {}
    try:
        counts = [count(base, paths(server, case, s)) for s in sample[:20]]
        urls = [paths(server, case, s) for s in sample]
        for conc in (1, 8):
            r = runs[(case, conc)] = wrk_at(base, urls, f"ogc-{server}-{case}", conc)
            log(f"{server} {case} c{conc}: p50 {r['p50_ms']:.1f} ms, {r['rps']:.1f} req/s, "
                f"errors {int(r['errors'])}")  # fmt: skip
    finally:
        stop(proc)
    return counts, runs


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    proc.wait(20)


def run_wfs(base: str, sample: list[Sample]) -> dict:
    out: dict = {"counts": {}, "runs": {}}
    for case in WFS_CASES:
        out["counts"][case] = [wfs_count(base, wfs_path(case, s)) for s in sample[:20]]
        urls = [wfs_path(case, s) for s in sample]
        for conc in (1, 8):
            r = wrk_at(base, urls, f"ogc-miasto-{case}", conc)
            out["runs"][(case, conc)] = r
            log(f"miasto {case} c{conc}: p50 {r['p50_ms']:.1f} ms, {r['rps']:.1f} req/s")
    return out


def wrk_at(base: str, urls: list[str], name: str, concurrency: int) -> dict[str, float]:
    old = spine.BASE
    spine.BASE = base
    try:
        return spine.wrk(urls, name, concurrency)
    finally:
        spine.BASE = old


def write(results: dict[str, dict], sample_size: int) -> None:
    lines = [
        "## Open data (OGC API Features)",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} by `bench/ogcapi.py`: "
        f"Miasto, pygeoapi 0.21 (its PostgreSQL provider) and tipg 1.6 serving the same "
        f"`territory_parcel` table of `{spine.DB_NAME}`, {spine.WORKERS} worker processes each "
        f"(pygeoapi: gunicorn sync, tipg: uvicorn), {spine.DURATION} s per row after a 3 s "
        f"warm-up, {sample_size} seeded parcels and their bboxes requested round-robin; "
        "output in CRS84, the same four properties. Each case runs on the three servers one "
        "after the other, one server running at a time. Load average at the end: "
        f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}.",
        "",
        "| request | concurrency | Miasto req/s | pygeoapi req/s | tipg req/s | Miasto p95 ms "
        "| ratio to the better peer | target |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for case, title in CASES.items():
        for conc in (1, 8):
            m, p, t = (results[s]["runs"][(case, conc)] for s in ("miasto", "pygeoapi", "tipg"))
            better = max(p["rps"] if not p["errors"] else 0, t["rps"] if not t["errors"] else 0)
            ratio = m["rps"] / better if better else float("inf")
            goal = TARGET_RATIO.get(case)
            if goal is None:
                target = "measured"
            else:
                target = f"≥ {goal}× ({'met' if ratio >= goal else '**missed**'})"
            lines.append(
                f"| {title} | {conc} | {m['rps']:.1f} | {_rps(p)} | {_rps(t)} | "
                f"{m['p95_ms']:.0f} | {ratio:.1f}× | {target} |"
            )
    lines += ["", "Features returned for the first 20 requests of each kind (the same pages?):", ""]
    for case in CASES:
        counts = {s: results[s]["counts"][case] for s in results}
        same = counts["miasto"] == counts["pygeoapi"] == counts["tipg"]
        detail = (
            "identical"
            if same
            else "differ: " + "; ".join(f"{s} {sum(c)}" for s, c in counts.items())
        )
        lines.append(f"- {CASES[case]}: {sum(counts['miasto'])} features in total, {detail}.")
    lines += wfs_lines(results["miasto"].get("wfs"))
    path = spine.BENCH / "RESULTS.md"
    old = path.read_text() if path.exists() else ""
    parts = old.split("\n## ")
    kept = [parts[0].rstrip() + "\n"] + [
        "## " + part.rstrip() + "\n"
        for part in parts[1:]
        if not part.startswith(("Open data", "OGC API Features"))
    ]
    path.write_text("\n".join(kept + lines))
    log("wrote the Open data section of bench/RESULTS.md")


def wfs_lines(wfs: dict | None) -> list[str]:
    if not wfs:
        return ["", "WFS GetFeature was not measured.", ""]
    lines = [
        "",
        "WFS 2.0 GetFeature on the same server and bboxes (Miasto only: neither peer serves WFS; "
        "the 1 km OGC API page above is the comparable request):",
        "",
        "| request | concurrency | req/s | p50 ms | p95 ms | features (first 20 requests) |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for case, title in WFS_CASES.items():
        for conc in (1, 8):
            r = wfs["runs"][(case, conc)]
            lines.append(
                f"| {title} | {conc} | {r['rps']:.1f} | {r['p50_ms']:.0f} | {r['p95_ms']:.0f} | "
                f"{sum(wfs['counts'][case])} |"
            )
    return [*lines, ""]


def _rps(r: dict[str, float]) -> str:
    return f"{r['rps']:.1f}" + (f" ({int(r['errors'])} errors)" if r["errors"] else "")


def main() -> None:
    spine.ensure_database()
    peers = ensure_peers()
    work = spine.OUT / "ogcapi"
    work.mkdir(parents=True, exist_ok=True)
    sample = samples()
    results = run_all(peers, work, sample)
    write(results, len(sample))


if __name__ == "__main__":
    sys.exit(main())
