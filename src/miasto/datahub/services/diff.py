"""What changed between two versions of a dataset: added, removed and changed features."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from psycopg import sql

from miasto.core import db
from miasto.core.jobs import JobError
from miasto.datahub.models import DatasetVersion
from miasto.datahub.services.tables import table_columns, table_sql

#: the diff's counts, from the temporary table ``_diff`` (ka/kb: key in a/b, changed)
_COUNTS = (
    "SELECT count(*) FILTER (WHERE ka IS NULL), count(*) FILTER (WHERE kb IS NULL), "
    "count(*) FILTER (WHERE ka IS NOT NULL AND kb IS NOT NULL AND changed), "
    "count(*) FILTER (WHERE ka IS NOT NULL AND kb IS NOT NULL AND NOT changed) FROM _diff"
)
#: the listed features of each kind: (columns, condition), both fixed
_LISTS = {
    "added": ("fb, kb", "ka IS NULL"),
    "removed": ("fa, ka", "kb IS NULL"),
    "changed": ("fa, fb, ka", "ka IS NOT NULL AND kb IS NOT NULL AND changed"),
}


def _keyed_rows(table: str, key_cols: list[str]) -> sql.Composed:
    """``SELECT <key> k, fid, <hash of the row> h FROM <table>``: every column name is quoted
    (they come from the imported file: see :mod:`miasto.core.sql`); without key columns the
    geometry is the key."""
    attrs = [c for c, _t in table_columns(table) if c not in ("fid", "geom")]
    row = sql.SQL(", ").join([*(sql.Identifier(c) for c in attrs), sql.SQL("ST_AsEWKB(geom)")])
    key: sql.Composable
    if key_cols:
        parts = sql.SQL(", ").join(sql.SQL("{}::text").format(sql.Identifier(c)) for c in key_cols)
        key = sql.SQL("concat_ws(' / ', {})").format(parts)
    else:
        key = sql.SQL("md5(ST_AsEWKB(geom))")
    return sql.SQL("SELECT {key} k, fid, md5(ROW({row})::text) h FROM {table}").format(
        key=key, row=row, table=table_sql(table)
    )


def _diff_keys(a: DatasetVersion, b: DatasetVersion) -> tuple[bool, list[str]]:
    """Whether the versions are paired by key, and the key columns (both versions have them)."""
    ka = a.quality.get("key_columns") or []
    kb = b.quality.get("key_columns") or []
    cols_a = {c for c, _t in table_columns(a.table_name)}
    cols_b = {c for c, _t in table_columns(b.table_name)}
    by_key = bool(ka) and ka == kb and set(ka) <= cols_a and set(ka) <= cols_b
    return by_key, ka if by_key else []


def _check_comparable(a: DatasetVersion, b: DatasetVersion) -> None:
    if a.dataset_id != b.dataset_id:
        raise JobError("Porównywać można tylko wersje tego samego zbioru danych.")
    for v in (a, b):
        if v.status not in (DatasetVersion.Status.READY, DatasetVersion.Status.REJECTED):
            raise JobError(f"Wersja {v.number} nie ma danych do porównania.")


def version_diff(a: DatasetVersion, b: DatasetVersion, *, limit: int = 100) -> dict[str, Any]:
    """What changed from ``a`` to ``b``: added / removed / changed features.

    Features are paired by key (the dataset's key columns, if both versions have them), else
    by geometry equality (then "changed" means same geometry, different attributes).
    """
    _check_comparable(a, b)
    by_key, keys = _diff_keys(a, b)
    with transaction.atomic():
        # (inside an outer transaction — a savepoint — an earlier diff's table is still there)
        db.execute("DROP TABLE IF EXISTS _diff")
        db.execute(
            sql.SQL(
                "CREATE TEMP TABLE _diff ON COMMIT DROP AS SELECT a.k AS ka, a.fid AS fa, "
                "b.k AS kb, b.fid AS fb, a.h IS DISTINCT FROM b.h AS changed FROM "
                "({a}) a FULL JOIN ({b}) b ON a.k = b.k"
            ).format(a=_keyed_rows(a.table_name, keys), b=_keyed_rows(b.table_name, keys))
        )
        counts = db.fetch_one(_COUNTS)
        assert counts is not None  # (aggregates: one row)
        lists = {
            kind: db.fetch_all(
                sql.SQL("SELECT {} FROM _diff WHERE {} ORDER BY 1 LIMIT %s").format(
                    sql.SQL(columns), sql.SQL(where)
                ),
                [int(limit)],
            )
            for kind, (columns, where) in _LISTS.items()
        }
    added, removed, changed, same = counts

    def keyed(k: Any) -> dict[str, Any]:
        return {"key": k} if keys else {}

    return {
        "from": a.number,
        "to": b.number,
        "by": "key" if by_key else "geometry",
        "key_columns": keys,
        "counts": {"added": added, "removed": removed, "changed": changed, "unchanged": same},
        "added": [{"fid": f, **keyed(k)} for f, k in lists["added"]],
        "removed": [{"fid": f, **keyed(k)} for f, k in lists["removed"]],
        "changed": [{"fid_from": fa, "fid_to": fb, **keyed(k)} for fa, fb, k in lists["changed"]],
        "limit": limit,
    }
