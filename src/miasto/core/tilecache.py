"""A file cache of vector tiles, keyed by the revision of the tables they are built from.

Every write to a mapped table bumps its revision (a statement trigger stores the writing
transaction's id in ``core_tablerevision``), so a cached tile is never stale: a change makes a
new key, and the directories of older revisions are removed when the first tile of a newer one
is written. A layer whose data is not in a tracked table (a dataset's published version, a
table of its own per version) adds its own key (``TileLayer.cache_key``: the version), so a
new version is a new key too.

The cache is bounded: at most ``MIASTO_TILE_CACHE_MAX_MB`` on disk (each file counted by the
blocks it takes, so a flood of empty tiles counts too). A process keeps an estimate of the
size (measured by a sweep, plus what it wrote since); when a write would pass the limit (or
the process has written 5 % of it since it last looked), a sweep measures the directory and
removes the oldest-written tiles down to 80 % of it. Tiles of
layers that are not public are never stored here (see :mod:`miasto.core.layers`).

Shared by all worker processes on a machine; set ``MIASTO_TILE_CACHE_DIR=""`` to turn it off
(e.g. several machines behind a load balancer without a shared disk).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from pathlib import Path

from django.conf import settings
from django.db import connection

from miasto.core.db import fetch_all

BLOCK = 4096
#: After a sweep the cache is at most this share of its limit.
LOW_WATER = 0.8
#: A process measures the cache again after writing this share of the limit.
RESWEEP = 0.05

_lock = threading.Lock()
#: root → estimated bytes on disk (measured by the last sweep, plus this process's writes)
_estimate: dict[Path, int] = {}
#: root → bytes this process wrote since its last sweep
_written: dict[Path, int] = {}


def cache_root() -> Path | None:
    root = getattr(settings, "MIASTO_TILE_CACHE_DIR", "")
    if not root:
        return None
    return Path(root) / str(connection.settings_dict["NAME"])


def limit_bytes() -> int:
    return int(float(getattr(settings, "MIASTO_TILE_CACHE_MAX_MB", 512)) * 1024 * 1024)


def revision_token(tables: tuple[str, ...]) -> str:
    found = dict(
        fetch_all(
            'SELECT "table", revision FROM core_tablerevision WHERE "table" = ANY(%s)',
            [list(tables)],
        )
    )
    return "-".join(str(found.get(t, 0)) for t in tables)


def tile_path(
    layer: str, tables: tuple[str, ...], tile: tuple[int, int, int], key: str = ""
) -> Path | None:
    """Where tile ``(z, x, y)`` of ``layer`` is cached, under the revisions of the tables it
    reads (and ``key``); ``None`` without a cache directory."""
    z, x, y = tile
    root = cache_root()
    if root is None:
        return None
    revision = revision_token(tables) + (f"-{key}" if key else "")
    return root / layer / revision / str(z) / str(x) / f"{y}.mvt"


def read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _on_disk(size: int) -> int:
    """Bytes a file of ``size`` takes: whole blocks, at least one (an empty tile too)."""
    return max(1, -(-size // BLOCK)) * BLOCK


def _files(root: Path) -> list[tuple[float, int, str]]:
    """(mtime, bytes on disk, path) of every tile under ``root``."""
    found = []
    for folder, _dirs, names in os.walk(root):
        for name in names:
            path = os.path.join(folder, name)
            try:
                st = os.stat(path)
            except OSError:
                continue  # removed meanwhile (another process)
            found.append((st.st_mtime, _on_disk(st.st_size), path))
    return found


def size_on_disk(root: Path | None = None) -> int:
    """The cache's size as :func:`sweep` counts it (bytes)."""
    root = root or cache_root()
    return 0 if root is None else sum(size for _m, size, _p in _files(root))


def sweep(root: Path, room: int = 0) -> int:
    """Measure the cache; if it (plus ``room`` about to be written) passes the limit, remove
    the oldest-written tiles down to the low-water mark. Returns the size left."""
    limit = limit_bytes()
    files = _files(root)
    total = sum(size for _m, size, _p in files)
    if total + room > limit:
        target = max(0, int(limit * LOW_WATER) - room)
        for _mtime, size, path in sorted(files):
            if total <= target:
                break
            try:
                os.unlink(path)
            except OSError:
                continue
            total -= size
    return total


def _make_room(root: Path, size: int) -> None:
    """Sweep when this write would pass the limit by this process's estimate — or when the
    process has written a twentieth of the limit since its last sweep: the other processes
    write too, so the cache passes its limit by at most a twentieth per process."""
    limit = limit_bytes()
    with _lock:
        known = _estimate.get(root)
        written = _written.get(root, 0)
        if known is None or known + size > limit or written + size > limit * RESWEEP:
            known, written = sweep(root, size), 0
        _estimate[root] = known + size
        _written[root] = written + size


def write(path: Path, data: bytes) -> None:
    """Write atomically within the size limit; the first tile of a new revision removes the
    older revisions."""
    root = cache_root()
    revision_dir = path.parents[2]
    fresh = not revision_dir.exists()
    if fresh:
        for sibling in revision_dir.parent.iterdir() if revision_dir.parent.exists() else ():
            if sibling != revision_dir and sibling.is_dir():
                shutil.rmtree(sibling, ignore_errors=True)
        if root is not None:
            _estimate.pop(root, None)  # measure again: a revision's tiles just went
    if root is not None and _on_disk(len(data)) > limit_bytes():
        return  # larger than the whole cache: never stored
    try:
        if root is not None:
            _make_room(root, _on_disk(len(data)))
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError:
        return  # a cache must never break the map
