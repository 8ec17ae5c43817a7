"""The *wypis i wyrys* PDF of the demo city's worst parcels, under its bounds.

Run against a database holding the ``city`` demo city (seed 2026) and its plans::

    DATABASE_URL=postgis://…/miasto .venv/bin/python bench/wypis_limits.py

For the parcels whose map extract draws the most (road parcels: the largest extents, so the
1:10 000 window with the most neighbours and buildings; the parcels with the most rings and
vertices), and for one report of ``MIASTO_WYPIS_MAX_PARCELS`` of them: the wall and CPU time
of the whole PDF (report, map, layout, fee, bytes) and the peak memory the layout's child
process added to the worker (peak RSS of the child minus its RSS when forked). The CPU time is
what the PDF costs on an idle machine; the wall time also shows how loaded this one was.
Prints a Markdown table.
"""

from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "miasto.config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from miasto.core.limits import LimitExceeded, run_bounded  # noqa: E402
from miasto.planning import wypis  # noqa: E402

WORST = """
(SELECT identifier FROM territory_parcel WHERE land_use = 'dr'
 ORDER BY greatest(ST_XMax(geom) - ST_XMin(geom), ST_YMax(geom) - ST_YMin(geom)) DESC LIMIT 11)
UNION
(SELECT identifier FROM territory_parcel ORDER BY ST_NRings(geom) DESC LIMIT 3)
UNION
(SELECT identifier FROM territory_parcel ORDER BY ST_NPoints(geom) DESC LIMIT 3)
"""


def _rss_kb() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _measured(document: wypis.Wypis) -> tuple[int, int, float]:
    """In the child: the PDF's size, the child's peak memory above its start (kB) and the
    CPU time of the layout."""
    start, cpu = _rss_kb(), _cpu()
    pdf = wypis.render_pdf(document)
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - start
    return len(pdf), grown, _cpu() - cpu


def measure(ids: list[str]) -> str:
    """A table row: wall time, CPU time (report and map in this process, layout in the
    child), the layout's memory, the outcome."""
    started, cpu = time.monotonic(), _cpu()
    document = wypis.build(ids)
    build_cpu = _cpu() - cpu
    try:
        _size, grown, layout_cpu = run_bounded(_measured, document, **wypis._limits())
    except LimitExceeded as exc:
        return f"{time.monotonic() - started:.2f} | — | — | over the {exc.kind} limit"
    wall = time.monotonic() - started
    return f"{wall:.2f} | {build_cpu + layout_cpu:.2f} | {grown / 1024:.0f} | ok"


def main() -> None:
    wypis.warm_up()  # as a web worker does when it starts
    with connection.cursor() as cursor:
        cursor.execute(WORST)
        ids = sorted(r[0] for r in cursor.fetchall())
    print("| parcel(s) | wall, s | CPU, s | layout memory, MB | result |")
    print("|---|---:|---:|---:|---|")
    for ident in ids:
        print(f"| {ident} | {measure([ident])} |")
    n = wypis.max_parcels()
    print(f"| {n} of them in one report | {measure(ids[:n])} |")
    with connection.cursor() as cursor:  # ordinary parcels, the same ones every run
        cursor.execute(
            "SELECT identifier FROM territory_parcel WHERE land_use <> 'dr' "
            "ORDER BY md5(identifier) LIMIT %s",
            [n],
        )
        ordinary = [r[0] for r in cursor.fetchall()]
    print(f"| {n} ordinary parcels in one report | {measure(ordinary)} |")
    print(f"| 1 ordinary parcel ({ordinary[0]}) | {measure(ordinary[:1])} |")


if __name__ == "__main__":
    main()
