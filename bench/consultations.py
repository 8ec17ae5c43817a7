"""Benchmarks of statutory consultations (``miasto.consultations``).

1. The summary report of a consultation with 2 000 comments, generated as the background job
   does it (``job_run`` of ``consultations.report``: reading, HTML, PDF/UA layout, CSV, files),
   target < 30 s.
2. The comments as vector tiles at city zooms (11–14) with 10 000 comments in the database:
   every tile over the comments' extent requested through Django (middleware, view, the
   layer's one SQL statement) with the tile cache off, target p95 < 80 ms.

The comments are generated once per database (seeded, ``ST_GeneratePoints`` inside the city)
in two consultations of their own, titled ``bench:…``. The database is ``BENCH_DATABASE_URL``
(``bench/run.py``'s ``miasto_bench`` by default; any migrated database with a city will do).
Replaces the ``## Consultations`` section of ``bench/RESULTS.md``.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run as spine  # noqa: E402 — the spine harness: database, psql, environment

TARGETS = {"report_s": 30.0, "tiles_p95_ms": 80.0}
REPORT_COMMENTS = 2_000
TILE_COMMENTS = 10_000
log = spine.log

SETUP = r"""
import datetime as dt
from django.db import connection
from miasto.consultations.models import Consultation
today = dt.date.today()
def bench(title, count, status, handled):
    c = Consultation.objects.filter(title=title).first()
    if c is None:
        c = Consultation.objects.create(
            title=title, status=status, starts_on=today - dt.timedelta(days=40),
            ends_on=today - dt.timedelta(days=10), announced_on=today - dt.timedelta(days=41),
            forms=["comments", "meeting", "study_walk"])
    have = c.comments.count()
    if have < count:
        with connection.cursor() as cur:
            cur.execute('''
                INSERT INTO consultations_comment (consultation_id, number, text, category,
                    part_key, part_label, geom, parcel, channel, received_on, author_name,
                    author_address, author_email, is_owner, moderation, hidden_reason, handling,
                    justification, created_at, updated_at)
                SELECT %s, %s + n, 'Uwaga testowa numer ' || (%s + n) || '. ' || repeat(
                        'Proszę o zmianę ustaleń planu w tym miejscu. ', (1 + n %% 5)::int),
                       (ARRAY['land_use','building','greenery','transport','other'])[1 + n %% 5],
                       '', CASE WHEN n %% 3 = 0 THEN '1MN' ELSE '' END, p.geom, '',
                       (ARRAY['online','paper','email'])[1 + n %% 3], %s, 'Jan Testowy',
                       'ul. Testowa 1', '', false, 'published', '',
                       CASE WHEN %s THEN (ARRAY['accepted','partly','not_accepted'])[1 + n %% 3]
                            ELSE '' END,
                       CASE WHEN %s THEN 'Uzasadnienie sposobu uwzględnienia uwagi ' || n
                            ELSE '' END,
                       now(), now()
                FROM (SELECT row_number() OVER () AS n, d.geom
                      FROM (SELECT geom FROM territory_city ORDER BY id LIMIT 1) city,
                           ST_Dump(ST_GeneratePoints(city.geom, %s, 16)) d) p
            ''', [c.pk, have, have, c.starts_on, handled, handled, count - have])
    return c
report = bench("bench: raport", REPORT_COMMENTS, "closed", True)
other = bench("bench: kafle", TILE_COMMENTS - REPORT_COMMENTS, "open", False)
with connection.cursor() as cur:
    cur.execute("ANALYZE consultations_comment")
    cur.execute("SELECT ST_Extent(ST_Transform(geom, 4326))::text FROM consultations_comment")
    extent = cur.fetchone()[0]
out = {"report": report.pk, "comments": report.comments.count() + other.comments.count(),
       "extent": extent}
"""

REPORT = r"""
from miasto.core.jobs import job_enqueue, job_run
started, cpu = time.monotonic(), time.process_time()
job = job_run(job_enqueue(kind="consultations.report", payload={"consultation_id": %d}))
seconds, cpu = time.monotonic() - started, time.process_time() - cpu
job.refresh_from_db()
out = {"seconds": seconds, "cpu": cpu, "status": job.status, "progress": job.progress,
       "message": job.message, "result": job.result}
"""

TILES = r"""
import math, statistics
from django.test import Client
client = Client(HTTP_HOST="127.0.0.1")
x0, y0, x1, y1 = %r
def tile(lon, lat, z):
    n = 2 ** z
    return (int((lon + 180) / 360 * n),
            int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n))
urls = []
for z in (11, 12, 13, 14):
    (a, b), (c, d) = tile(x0, y1, z), tile(x1, y0, z)
    urls += [f"/tiles/consultation-comments/{z}/{x}/{y}.mvt"
             for x in range(a, c + 1) for y in range(b, d + 1)]
for url in urls[:20]:  # warm-up: connection, PROJ
    client.get(url)
times, sizes = [], []
for _round in range(10):
    for url in urls:
        started = time.perf_counter()
        answer = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 200, (url, answer.status_code)
        sizes.append(len(answer.content))
times.sort()
out = {"tiles": len(urls), "requests": len(times), "p50": statistics.median(times),
       "p95": times[int(0.95 * (len(times) - 1))], "max": times[-1],
       "bytes_max": max(sizes)}
"""


def django(code: str, extra_env: dict[str, str] | None = None) -> dict:  # type: ignore[type-arg]
    """Run ``code`` (which sets ``out``) with Django set up; return ``out`` as JSON."""
    script = "import django, json, time\ndjango.setup()\n" + code + "\nprint(json.dumps(out))\n"
    proc = subprocess.run(
        [str(spine.VENV / "python"), "-c", script],
        env={**spine.env(), "DJANGO_SETTINGS_MODULE": "miasto.config.settings",
             **(extra_env or {})},
        capture_output=True, text=True,
    )  # fmt: skip
    if proc.returncode != 0:
        raise SystemExit(f"benchmark step failed: {proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def extent(box: str) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = (float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", box))
    return x0, y0, x1, y1


def write(world: dict, report: dict, tiles: dict) -> None:  # type: ignore[type-arg]
    ok = {
        "report": report["seconds"] < TARGETS["report_s"],
        "tiles": tiles["p95"] < TARGETS["tiles_p95_ms"],
    }
    lines = [
        "## Consultations",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} by "
        f"`bench/consultations.py` on `{spine.DATABASE_URL.rsplit('/', 1)[-1]}` "
        f"({world['comments']} comments in the database), one process, on a machine shared "
        f"with other work (load average {os.getloadavg()[0]:.1f} at the end: the wall times "
        "are upper bounds; the report's CPU time is the steadier figure).",
        "",
        "| what | measured | target | met |",
        "| --- | ---: | --- | --- |",
        f"| summary report of {REPORT_COMMENTS} comments as a job (PDF/UA + CSV; "
        f"{report['result'].get('pdf_bytes', 0) // 1024} KB PDF): wall (CPU of the job's process) "
        f"| {report['seconds']:.1f} s ({report['cpu']:.1f} s) "
        f"| < {TARGETS['report_s']:.0f} s | {'yes' if ok['report'] else 'NO'} |",
        f"| comments as vector tiles, z11–14, {tiles['tiles']} tiles × 10, cache off: p50 / "
        f"p95 / max | {tiles['p50']:.1f} / {tiles['p95']:.1f} / {tiles['max']:.1f} ms "
        f"| p95 < {TARGETS['tiles_p95_ms']:.0f} ms | {'yes' if ok['tiles'] else 'NO'} |",
        "",
        "Tiles are requested through Django's test client in one process (the whole request "
        "path without the network and gunicorn). "
        f"The largest tile is {tiles['bytes_max'] // 1024} KB; below zoom 14 the layer is "
        "clustered (a point per cell of the tile with `count`, docs/api.md).",
        "",
    ]
    path = spine.BENCH / "RESULTS.md"
    old = path.read_text() if path.exists() else ""
    kept = re.sub(r"## Consultations\n.*?(?=\n## |\Z)", "", old, flags=re.S).rstrip()
    path.write_text((kept + "\n\n" if kept else "") + "\n".join(lines))
    log("wrote the Consultations section of bench/RESULTS.md")


def main() -> None:
    log("consultations: comments for the benchmark (once per database)")
    world = django(SETUP.replace("REPORT_COMMENTS", str(REPORT_COMMENTS)).replace(
        "TILE_COMMENTS", str(TILE_COMMENTS)))  # fmt: skip
    log(f"  {world['comments']} comments; the summary report of {REPORT_COMMENTS}")
    report = django(REPORT % world["report"])
    if report["status"] != "done":
        raise SystemExit(f"the report job failed: {report}")
    log(f"  report: {report['seconds']:.1f} s, CPU {report['cpu']:.1f} s ({report['message']})")
    tiles = django(TILES % (extent(world["extent"]),), {"MIASTO_TILE_CACHE_DIR": ""})
    log(f"  tiles: p95 {tiles['p95']:.1f} ms over {tiles['requests']} requests")
    write(world, report, tiles)


if __name__ == "__main__":
    main()
