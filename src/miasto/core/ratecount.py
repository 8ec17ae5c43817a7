"""Counting API requests without a database write per request.

Every API request counts in its client's minute (the rate limit) and in the day's usage of its
key and endpoint. Written one by one, that is a statement per request on two hot rows — the
same client's minute, the same endpoint's day — which the worker processes take in turn: at
concurrency 8 the counting, not the query, set the pace. So each process counts in memory and
writes what it counted in one statement (:data:`FLUSH`) at most every
``MIASTO_API_COUNT_FLUSH_S`` seconds, reading back each client's total over all processes.

A client's count is then exact as far as this process knows it, plus what other processes have
not written yet (at most a second of their traffic). Close to the limit (:data:`NEAR`) a
process writes on every request, so the limit holds to the request where it matters. A process
that dies loses at most its last second of counts — counters, not records: the statement asks
for an asynchronous commit (no wait for the disk), and the minutes' table is UNLOGGED.
``MIASTO_API_COUNT_FLUSH_S = 0`` writes every request (the tests' default: exact and simple).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from miasto.core import db

#: from this share of its limit on, a client's requests are written one by one
NEAR = 0.9
#: write at once when so many clients or endpoints are waiting (memory stays bounded)
MAX_PENDING = 2000

FLUSH = """
WITH async AS (SELECT set_config('synchronous_commit', 'off', true) AS off),
usage AS (
    INSERT INTO core_apiusage AS u (key_id, endpoint, day, hits, limited)
    SELECT k, e, current_date, h, l
    FROM unnest(%(keys)s::bigint[], %(endpoints)s::text[], %(hits)s::int[], %(limited)s::int[])
        AS t(k, e, h, l)
    ON CONFLICT (key_id, endpoint, day)
    DO UPDATE SET hits = u.hits + excluded.hits, limited = u.limited + excluded.limited
)
INSERT INTO core_apiratewindow AS w (subject, window_start, hits)
SELECT s, to_timestamp(%(minute)s * 60), h
FROM unnest(%(subjects)s::text[], %(counts)s::int[]) AS t(s, h)
ON CONFLICT (subject, window_start) DO UPDATE SET hits = w.hits + excluded.hits
RETURNING w.subject, w.hits, (SELECT off FROM async)
"""


@dataclass
class _Counts:
    minute: int = 0
    flushed_at: float = 0.0
    #: requests not written yet: per client, and per (key id, endpoint) as [hits, limited]
    subjects: Counter[str] = field(default_factory=Counter)
    usage: dict[tuple[int | None, str], list[int]] = field(default_factory=dict)
    #: each client's total in this minute over all processes, as of the last write
    known: dict[str, int] = field(default_factory=dict)


_lock = threading.Lock()
_counts = _Counts()


def count_request(subject: str, key_id: int | None, endpoint: str, limit: int) -> int:
    """Count one request; returns the client's requests in this minute (this one included)."""
    now = time.time()
    minute = int(now // 60)
    with _lock:
        state = _counts
        if minute != state.minute:
            _roll_over(state, minute)
        state.subjects[subject] += 1
        state.usage.setdefault((key_id, endpoint), [0, 0])[0] += 1
        count = state.known.get(subject, 0) + state.subjects[subject]
        if _due(state, now, count, limit):
            _flush(state, now)
            count = state.known.get(subject, count)
        return count


def count_refused(key_id: int | None, endpoint: str) -> None:
    """Note a refused request in the day's usage (written with the next counts)."""
    with _lock:
        _counts.usage.setdefault((key_id, endpoint), [0, 0])[1] += 1
        if float(settings.MIASTO_API_COUNT_FLUSH_S) <= 0:
            _flush(_counts, time.time())


def counts_flush() -> None:
    """Write what this process has counted (tests, and a worker that is about to stop)."""
    with _lock:
        _flush(_counts, time.time())


def counts_forget() -> None:
    """Drop this process's counts, written or not (the tests' database is rolled back)."""
    global _counts
    with _lock:
        _counts = _Counts()


def _due(state: _Counts, now: float, count: int, limit: int) -> bool:
    every = float(settings.MIASTO_API_COUNT_FLUSH_S)
    return (
        every <= 0
        or now - state.flushed_at >= every
        or (limit > 0 and count >= limit * NEAR)
        or len(state.subjects) + len(state.usage) > MAX_PENDING
    )


def _roll_over(state: _Counts, minute: int) -> None:
    if state.subjects or state.usage:
        # a past minute's counters may be lost (see the module docstring)
        with contextlib.suppress(Exception):
            _flush(state, time.time())
    state.minute, state.known, state.flushed_at = minute, {}, time.time()
    state.subjects.clear()
    state.usage.clear()


def _flush(state: _Counts, now: float) -> None:
    if not state.subjects and not state.usage:
        state.flushed_at = now
        return
    usage = list(state.usage.items())
    params: dict[str, Any] = {
        "keys": [k for (k, _e), _v in usage],
        "endpoints": [e for (_k, e), _v in usage],
        "hits": [v[0] for _k, v in usage],
        "limited": [v[1] for _k, v in usage],
        "minute": state.minute,
        "subjects": list(state.subjects),
        "counts": list(state.subjects.values()),
    }
    rows = db.fetchall_prepared(FLUSH, params)
    # (an error above leaves the counts waiting for the next write)
    state.known.update({subject: int(hits) for subject, hits, _off in rows})
    state.subjects.clear()
    state.usage.clear()
    state.flushed_at = now
