"""The quality check as it was before the single-scan rewrite (commit e2e2037), kept as the
reference the new code's reports are compared with (tests/datahub/test_quality_equivalence.py).
Not used by the application."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import DatabaseError

from miasto.core.db import execute as _exec
from miasto.core.db import fetch_all as _all
from miasto.core.db import fetch_one as _one
from miasto.core.sql import quote_ident
from miasto.datahub.quality import _blocking, _crs_check, _score, attribute_columns


def quality_check(
    table: str,
    *,
    key_columns: list[str],
    rules: dict[str, Any],
    parcels: bool = False,
    key_regex: str | None = None,
    previous_table: str | None = None,
) -> dict[str, Any]:
    """Check (and repair) a version's table; return the report with ``score`` and ``blocking``.

    ``previous_table``: the table of the current version, when it had no parcel overlaps;
    then only pairs involving a feature whose geometry is new or changed are tested for
    overlaps (the count stays exact: pairs of unchanged features did not overlap before).
    The report's ``overlaps.mode`` says which check ran (``full`` or ``changed``).
    """
    limit = int(rules.get("list_limit") or 100)
    report: dict[str, Any] = {"checks": {}, "rules": rules}
    checks = report["checks"]
    total = _one(f"SELECT count(*) FROM {table}")[0]
    report["feature_count"] = total

    # NULL and empty geometries
    nulls = _all(f"SELECT fid FROM {table} WHERE geom IS NULL ORDER BY fid")
    empties = _all(f"SELECT fid FROM {table} WHERE ST_IsEmpty(geom) ORDER BY fid")
    checks["null_geometries"] = {"count": len(nulls), "items": [r[0] for r in nulls[:limit]]}
    checks["empty_geometries"] = {"count": len(empties), "items": [r[0] for r in empties[:limit]]}

    # invalid geometries: list, repair keeping the family, count what stays broken
    _exec("DROP TABLE IF EXISTS _invalid")
    _exec(
        f"CREATE TEMP TABLE _invalid AS SELECT fid, ST_IsValidReason(geom) AS reason "
        f"FROM {table} WHERE geom IS NOT NULL AND NOT ST_IsValid(geom)"
    )
    invalid = _one("SELECT count(*) FROM _invalid")[0]
    items = _all(f"SELECT fid, reason FROM _invalid ORDER BY fid LIMIT {limit}")
    unrepairable = 0
    if invalid:
        _exec(
            f"UPDATE {table} t SET geom = CASE WHEN GeometryType(t.geom) LIKE 'MULTI%%' "
            f"THEN ST_Multi(r.g) WHEN ST_NumGeometries(r.g) = 1 THEN ST_GeometryN(r.g, 1) "
            f"ELSE r.g END FROM (SELECT i.fid, ST_CollectionExtract(ST_MakeValid(x.geom), "
            f"ST_Dimension(x.geom) + 1) g FROM _invalid i JOIN {table} x USING (fid)) r "
            f"WHERE t.fid = r.fid"
        )
        unrepairable = _one(
            f"SELECT count(*) FROM {table} t JOIN _invalid USING (fid) "
            f"WHERE ST_IsEmpty(t.geom) OR NOT ST_IsValid(t.geom)"
        )[0]
    checks["invalid_geometries"] = {
        "count": invalid,
        "repaired": invalid - unrepairable,
        "unrepairable": unrepairable,
        "items": [{"fid": f, "reason": r} for f, r in items],
    }
    _exec("DROP TABLE _invalid")

    # duplicate geometries
    groups = _all(
        f"SELECT array_agg(fid ORDER BY fid) FROM {table} WHERE geom IS NOT NULL "
        f"AND NOT ST_IsEmpty(geom) GROUP BY ST_AsEWKB(geom) HAVING count(*) > 1 ORDER BY 1"
    )
    checks["duplicate_geometries"] = {
        "count": sum(len(g[0]) - 1 for g in groups),
        "groups": len(groups),
        "items": [g[0][:10] for g in groups[:limit]],
    }

    # duplicate and invalid keys
    if key_columns:
        cols = ", ".join(quote_ident(c) for c in key_columns)
        groups = _all(
            f"SELECT concat_ws(' / ', {cols}), array_agg(fid ORDER BY fid) FROM {table} "
            f"GROUP BY {cols} HAVING count(*) > 1 ORDER BY 1"
        )
        checks["duplicate_keys"] = {
            "columns": key_columns,
            "count": sum(len(g[1]) - 1 for g in groups),
            "groups": len(groups),
            "items": [{"key": k, "fids": f[:10]} for k, f in groups[:limit]],
        }
        if key_regex and len(key_columns) == 1:
            col = quote_ident(key_columns[0])
            bad = _all(
                f"SELECT fid, {col}::text FROM {table} WHERE {col} IS NULL "
                f"OR NOT ({col}::text ~ %s) ORDER BY fid",
                [key_regex],
            )
            checks["invalid_keys"] = {
                "count": len(bad),
                "items": [{"fid": f, "key": k} for f, k in bad[:limit]],
            }

    # completeness per attribute (one pass)
    attrs = attribute_columns(table)
    completeness: dict[str, float] = {}
    if attrs and total:
        exprs = ", ".join(
            f"count(*) FILTER (WHERE NULLIF(trim({quote_ident(a)}::text), '') IS NOT NULL)"
            for a in attrs
        )
        row = _one(f"SELECT {exprs} FROM {table}")
        completeness = {a: round(n / total, 4) for a, n in zip(attrs, row, strict=True)}
    report["completeness"] = completeness

    # outside the city
    has_city = _one("SELECT count(*) FROM territory_city")[0] > 0
    if has_city:
        _exec("DROP TABLE IF EXISTS _outside")
        _exec(
            f"CREATE TEMP TABLE _outside AS SELECT fid FROM {table} t WHERE geom IS NOT NULL "
            f"AND NOT ST_IsEmpty(geom) AND NOT EXISTS (SELECT 1 FROM territory_city c "
            f"WHERE ST_Intersects(c.geom, t.geom))"
        )
        n_out = _one("SELECT count(*) FROM _outside")[0]
        out_items = [r[0] for r in _all(f"SELECT fid FROM _outside ORDER BY fid LIMIT {limit}")]
        _exec("DROP TABLE _outside")
        checks["outside_city"] = {
            "count": n_out,
            "share": round(n_out / total, 4) if total else 0.0,
            "items": out_items,
        }

    checks["crs"] = _crs_check(table)

    # parcel overlaps and gaps
    if parcels:
        tol = float(rules.get("overlap_tolerance_m2") or 0)
        incremental = _overlap_candidates(table, previous_table)
        _exec("DROP TABLE IF EXISTS _overlaps")
        # Pairs are tested on pieces of at most 64 vertices (ST_Subdivide): a road parcel of a
        # whole precinct has thousands of vertices and its box meets hundreds of lots, so whole
        # geometries cost a slow ST_Relate each (46 312 parcels: 71 s → 2.9 s on pieces).
        # Pieces live in an UNLOGGED table of the data schema, not a temporary one, so that
        # the full self-join below can run on parallel workers (temporary tables are
        # invisible to them); only polygons above 64 vertices are subdivided.
        pieces = f"{table}_pieces"
        _exec(f"DROP TABLE IF EXISTS {pieces}")
        _exec(
            f"CREATE UNLOGGED TABLE {pieces} AS "
            f"SELECT fid, geom FROM {table} WHERE ST_NPoints(geom) <= 64 AND NOT ST_IsEmpty(geom) "
            f"UNION ALL SELECT fid, ST_Subdivide(geom, 64) FROM {table} "
            f"WHERE ST_NPoints(geom) > 64"
        )
        _exec(f"CREATE INDEX ON {pieces} USING gist (geom)")
        _exec(f"CREATE INDEX ON {pieces} (fid)")
        _exec(f"ANALYZE {pieces}")
        # cheap prefilter: pieces whose boxes only touch (shared edges) cannot overlap
        box = (
            "(LEAST(ST_XMax(a.geom), ST_XMax(b.geom)) - GREATEST(ST_XMin(a.geom), "
            "ST_XMin(b.geom))) * (LEAST(ST_YMax(a.geom), ST_YMax(b.geom)) - "
            "GREATEST(ST_YMin(a.geom), ST_YMin(b.geom))) > 0"
        )
        relate = "ST_Relate(a.geom, b.geom, '2********')"
        area = "sum(ST_Area(ST_Intersection(a.geom, b.geom)))"
        if incremental is None:
            # ``b.fid + 0``: without it the planner ANDs the GiST scan with a pkey range scan
            # ``fid > a.fid`` (a bitmap per outer row: O(n²)).
            pairs = (
                f"SELECT a.fid a, b.fid b, {area} area "
                f"FROM {pieces} a JOIN {pieces} b ON a.fid < b.fid + 0 AND a.geom && b.geom "
                f"AND {box} AND {relate} GROUP BY 1, 2"
            )
        else:
            # only pairs with a new or changed feature: the others were in the previous
            # version, which had no overlaps. 922 730 parcels, 1 % changed: ≈ 1 s.
            pairs = (
                f"SELECT LEAST(a.fid, b.fid) a, GREATEST(a.fid, b.fid) b, {area} area "
                f"FROM _changed c JOIN {pieces} a ON a.fid = c.fid JOIN {pieces} b "
                f"ON a.geom && b.geom AND b.fid <> a.fid + 0 AND (b.fid > a.fid OR NOT EXISTS "
                f"(SELECT 1 FROM _changed d WHERE d.fid = b.fid)) "
                f"AND {box} AND {relate} GROUP BY 1, 2"
            )
        workers = int(getattr(settings, "MIASTO_BATCH_PARALLEL_WORKERS", 2))
        try:
            # a batch job may use both cores (the web's settings turn parallel query off)
            _exec(f"SET max_parallel_workers_per_gather = {workers}")
            _exec(
                f"CREATE TEMP TABLE _overlaps AS SELECT a, b, area FROM ({pairs}) x "
                f"WHERE area > %s",
                [tol],
            )
        finally:
            try:
                _exec("RESET max_parallel_workers_per_gather")
                _exec(f"DROP TABLE IF EXISTS {pieces}")
            except DatabaseError:  # an aborted transaction: its rollback undoes both
                pass
        n_ov = _one("SELECT count(*) FROM _overlaps")[0]
        ov_items = _all(
            f"SELECT a, b, round(area::numeric, 2) FROM _overlaps "
            f"ORDER BY area DESC, a, b LIMIT {limit}"
        )
        _exec("DROP TABLE _overlaps")
        _exec("DROP TABLE IF EXISTS _changed")
        checks["overlaps"] = {
            "count": n_ov,
            "tolerance_m2": tol,
            "mode": "full" if incremental is None else "changed",
            "checked_features": total if incremental is None else incremental,
            "items": [{"a": a, "b": b, "area": float(ar)} for a, b, ar in ov_items],
        }
        gtol = float(rules.get("gap_tolerance_m2") or 0)
        if total <= int(rules.get("gaps_max_features") or 0):
            gaps = _all(
                f"SELECT round(ST_Area(r)::numeric, 2), ST_X(ST_PointOnSurface(r)), "
                f"ST_Y(ST_PointOnSurface(r)) FROM (SELECT ST_MakePolygon(ST_InteriorRingN(p, "
                f"generate_series(1, ST_NumInteriorRings(p)))) r FROM (SELECT (ST_Dump("
                f"ST_Union(geom))).geom p FROM {table} WHERE geom IS NOT NULL) u) h "
                f"WHERE ST_Area(r) > %s ORDER BY 1 DESC",
                [gtol],
            )
            checks["gaps"] = {
                "count": len(gaps),
                "tolerance_m2": gtol,
                "items": [
                    {"area": float(a), "x": round(x, 2), "y": round(y, 2)}
                    for a, x, y in gaps[:limit]
                ],
            }
        else:
            checks["gaps"] = {"count": None, "skipped": True, "tolerance_m2": gtol}

    report["blocking"] = _blocking(report, rules)
    report["score"] = _score(report)
    return report


def _overlap_candidates(table: str, previous_table: str | None) -> int | None:
    """Fill ``_changed`` with the fids whose geometry is not in ``previous_table``.

    Returns their number, or ``None`` (full check) without a usable previous version or when
    more than half of the features changed (the full self-join is then cheaper).
    """
    _exec("DROP TABLE IF EXISTS _changed")
    if not previous_table or not _one("SELECT to_regclass(%s)", [previous_table])[0]:
        return None
    # PostGIS ``=`` (same coordinates in the same order) as a hash anti-join: ≈ 5 s for
    # 2 × 922 730 parcels (md5 of the EWKB instead: 18 s)
    _exec(
        f"CREATE TEMP TABLE _changed AS SELECT s.fid FROM {table} s WHERE s.geom IS NOT NULL "
        f"AND NOT ST_IsEmpty(s.geom) AND NOT EXISTS (SELECT 1 FROM {previous_table} p "
        f"WHERE p.geom = s.geom)"
    )
    n = _one("SELECT count(*) FROM _changed")[0]
    total = _one(f"SELECT count(*) FROM {table}")[0]
    if n > total / 2:
        _exec("DROP TABLE _changed")
        return None
    _exec("CREATE UNIQUE INDEX ON _changed (fid)")
    _exec("ANALYZE _changed")
    return int(n)
