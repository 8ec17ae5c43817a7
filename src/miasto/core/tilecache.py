"""A file cache of vector tiles, keyed by the revision of the tables they are built from.

Every write to a mapped table bumps its revision (a statement trigger stores the writing
transaction's id in ``core_tablerevision``), so a cached tile is never stale: a change makes a
new key, and the directories of older revisions are removed when the first tile of a newer one
is written. Shared by all worker processes on a machine; set ``MIASTO_TILE_CACHE_DIR=""`` to
turn it off (e.g. several machines behind a load balancer without a shared disk).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection


def cache_root() -> Path | None:
    root = getattr(settings, "MIASTO_TILE_CACHE_DIR", "")
    if not root:
        return None
    return Path(root) / str(connection.settings_dict["NAME"])


def revision_token(tables: tuple[str, ...]) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            'SELECT "table", revision FROM core_tablerevision WHERE "table" = ANY(%s)',
            [list(tables)],
        )
        found = dict(cursor.fetchall())
    return "-".join(str(found.get(t, 0)) for t in tables)


def tile_path(layer: str, tables: tuple[str, ...], z: int, x: int, y: int) -> Path | None:
    root = cache_root()
    if root is None:
        return None
    return root / layer / revision_token(tables) / str(z) / str(x) / f"{y}.mvt"


def read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def write(path: Path, data: bytes) -> None:
    """Write atomically; the first tile of a new revision removes the older revisions."""
    revision_dir = path.parents[2]
    fresh = not revision_dir.exists()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError:
        return  # a cache must never break the map
    if fresh:
        for sibling in revision_dir.parent.iterdir():
            if sibling != revision_dir and sibling.is_dir():
                shutil.rmtree(sibling, ignore_errors=True)
