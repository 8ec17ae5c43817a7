"""Benchmark: the accessibility standards (art. 13f) for every residential parcel.

    DATABASE_URL=postgis://miasto:miasto@127.0.0.1:5432/miasto_bench \
        .venv/bin/python bench/accessibility.py

Runs the full computation once (all active standards) and prints the time and per-standard
counts. Target (issue 4): < 5 min on the ``large`` city (≈1 M parcels).
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "miasto.config.settings")

import django  # noqa: E402

django.setup()

from miasto.accessibility.services import accessibility_compute  # noqa: E402


def main() -> int:
    t0 = time.perf_counter()
    run = accessibility_compute()
    total = time.perf_counter() - t0
    stats = run.stats
    print(f"residential parcels: {stats['residential_parcels']}, vertices: {stats['vertices']}")
    print(f"{'standard':<14} {'services':>8} {'parcels met':>14} {'residents met %':>16} {'s':>7}")
    for code, info in stats["standards"].items():
        pct = 100 * info["residents_met"] / info["residents"] if info["residents"] else 0.0
        print(
            f"{code:<14} {info['services']:>8} {info['parcels_met']:>7}/{info['parcels']:<7}"
            f" {pct:>15.1f} {info['seconds']:>7.1f}"
        )
    print(f"total: {total:.1f} s (run {run.pk}, recorded {run.duration_s} s); target < 300 s")
    return 0 if total < 300 else 1


if __name__ == "__main__":
    sys.exit(main())
