"""Batch overlays that neither crash on valid-but-fragile geometries nor store half a result.

GEOS's relate (behind ``ST_Intersects``, ``ST_Covers``, ``ST_Relate``) can throw
``TopologyException: side location conflict`` on *valid* geometries with nearly coincident
edges (a zone's hair-thin spike whose tip lies on a parcel's edge). Two defences:

1. Stored pieces of geometries (``miasto_pieces``: the zones' pieces the analyses measure
   against) are valid and on the :data:`GRID` (1 mm, ten times finer than the surveyed
   coordinates, which it leaves as they are); reducing to it removes such spikes.
2. Batch statements are written with the ``miasto_*`` functions (migration
   ``core.0004_safe_overlay``): each answers a GEOS error of one pair by a method that cannot
   fail there. Their exception blocks make a statement serial (PostgreSQL starts no
   subtransaction in a parallel query), so :func:`execute_overlay` runs the statement first
   with the plain PostGIS functions (in parallel) and only when GEOS threw, again with the safe
   ones; if that fails too, :class:`OverlayError` (a :class:`JobError` with a Polish message)
   — the caller's transaction then stores nothing.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import DatabaseError, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from miasto.core.jobs import JobError

log = logging.getLogger(__name__)

#: the precision grid of derived geometries (m); the SQL functions use the same literal
GRID = 0.001

#: safe function → the plain PostGIS function of the same arguments
_PLAIN = {
    "miasto_intersects": "ST_Intersects",
    "miasto_covers": "ST_Covers",
    "miasto_relate": "ST_Relate",
    "miasto_intersection": "ST_Intersection",
    "miasto_difference": "ST_Difference",
}
_SAFE_CALL = re.compile(r"\b(" + "|".join(_PLAIN) + r")\(")
_AT = re.compile(r" at (-?[0-9.]+) (-?[0-9.]+)")


class OverlayError(JobError):
    """GEOS could not overlay some geometries even by the fallback methods."""


def plain(sql: str) -> str:
    """``sql`` with the ``miasto_*`` safe functions replaced by the plain PostGIS ones."""
    return _SAFE_CALL.sub(lambda m: _PLAIN[m.group(1)] + "(", sql)


def is_geos_error(exc: BaseException) -> bool:
    """Whether a database error is GEOS giving up on geometries (not a bug of the query)."""
    cause = exc.__cause__ or exc
    if getattr(cause, "sqlstate", None) not in (None, "XX000"):
        return False
    text = str(exc)
    return "GEOS" in text or "TopologyException" in text


def execute_overlay(
    cursor: Any,
    sql: str,
    params: Sequence[Any] | Mapping[str, Any] | None = None,
    *,
    what: str | Promise,
) -> None:
    """Run a statement written with the ``miasto_*`` safe functions: first with the plain
    PostGIS ones (parallel workers may run them), and when GEOS throws, again with the safe
    ones (each savepoint undoes the failed try). ``what`` names the step in the error.

    Must run inside a transaction (the analyses' ``atomic`` block): an error leaves it to
    the caller to roll back, so nothing of a failed computation is kept."""
    try:
        with transaction.atomic():
            cursor.execute(plain(sql), params)
        return
    except DatabaseError as exc:
        if not is_geos_error(exc):
            raise
        log.warning("overlay %s: GEOS failed (%s); again with the safe functions", what, exc)
    try:
        with transaction.atomic():
            cursor.execute(sql, params)
    except DatabaseError as exc:
        if not is_geos_error(exc):
            raise
        raise overlay_error(what, exc) from exc


def overlay_error(what: str | Promise, exc: BaseException) -> OverlayError:
    """The Polish message for a GEOS failure in step ``what`` (with the place, if known)."""
    found = _AT.search(str(exc))
    where = (
        _(" near x = %(x)s, y = %(y)s (EPSG:2180)")
        % {"x": f"{float(found.group(1)):.2f}", "y": f"{float(found.group(2)):.2f}"}
        if found
        else ""
    )
    return OverlayError(
        _(
            "The analysis failed: the geometries could not be overlaid (%(what)s)%(where)s. "
            "Nothing was saved. Check the geometries of the zones and parcels there."
        )
        % {"what": what, "where": where}
    )
