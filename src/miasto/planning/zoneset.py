"""Which zones bind on a date — and in a scenario — as one SQL subquery for every analysis.

Analyses (coverage, capacity, conflicts, accessibility of residential land) never query
``planning_zone`` directly: they select ``FROM ({zs}) z`` with ``zs=zoneset.query`` (a
``psycopg.sql`` composition), so that the same analysis runs on the plans in force and on a
*scenario* (a draft plan put in place of what it covers, and/or edited zone parameters), and
the two results can be compared side by side.

Rows of the subquery (one per zone in force):

``id, plan_id, plan_kind, category, designation, symbol, land_use_classes (jsonb),
min_intensity, max_intensity, max_coverage, min_bio_active, max_height, max_storeys,
min_plot_area, geom (MultiPolygon 2180), scenario (bool: comes from a draft of the scenario),
clipped (bool: the geometry is not the stored zone's — cut by a draft; otherwise the zone's
ready-made pieces in ``planning_zone_piece`` can stand for it)``

Rules:

- In force on ``as_of``: the plan's status is enacted (adopted, in force, amended — or later
  annulled/expired, when ``as_of`` falls inside the zone's validity) and
  ``valid_from <= as_of < valid_to``.
- A scenario's draft plans replace, inside each draft's boundary, the zones of the same
  category (a draft MPZP replaces local-plan areas, a draft POG replaces POG zones): zones
  in force are clipped to the area outside the drafts (parts below 1 m² dropped). The
  drafts' zones are taken whatever their status.
- The overlays are the safe ``miasto_*`` functions (:mod:`miasto.core.overlay`): a zone
  GEOS cannot clip the plain way is clipped on the 1 mm grid instead of failing the analysis.
- Parameter overrides ``{zone_id: {field: value}}`` replace single parameters of a zone (in
  force or draft); a ``None`` value clears it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from psycopg import sql
from psycopg.sql import Composable, Composed

from miasto.core.sql import as_text
from miasto.planning.statuses import ENACTED_STATUSES

#: zone parameters a scenario may override (numeric columns of planning_zone)
OVERRIDABLE = (
    "min_intensity",
    "max_intensity",
    "max_coverage",
    "min_bio_active",
    "max_height",
    "max_storeys",
    "min_plot_area",
)

_COLUMNS = sql.SQL(
    "id, plan_id, plan_kind, category, designation, symbol, land_use_classes, "
    + ", ".join(OVERRIDABLE)
    + ", geom, scenario, clipped"
)

_IN_FORCE = sql.SQL("""
SELECT z.id, z.plan_id, pl.kind AS plan_kind, z.category, z.designation, z.symbol,
       z.land_use_classes::jsonb AS land_use_classes, {params}, z.geom, false AS scenario,
       false AS clipped
FROM planning_zone z JOIN planning_plan pl ON pl.id = z.plan_id
WHERE pl.status = ANY(%(zs_statuses)s)
  AND z.valid_from <= %(zs_as_of)s AND (z.valid_to IS NULL OR z.valid_to > %(zs_as_of)s)
""")

_WITH_DRAFTS = sql.SQL("""
WITH zs_in_force AS ({base}),
zs_draft AS (
    SELECT z.id, z.plan_id, pl.kind AS plan_kind, z.category, z.designation, z.symbol,
           z.land_use_classes::jsonb AS land_use_classes, {params}, z.geom, true AS scenario,
           false AS clipped
    FROM planning_zone z JOIN planning_plan pl ON pl.id = z.plan_id
    WHERE z.plan_id = ANY(%(zs_drafts)s)
),
zs_cut AS (
    SELECT d.category, ST_Union(pl.geom) AS geom
    FROM (SELECT DISTINCT plan_id, category FROM zs_draft) d
    JOIN planning_plan pl ON pl.id = d.plan_id
    GROUP BY d.category
),
zs_kept AS (
    SELECT f.id, f.plan_id, f.plan_kind, f.category, f.designation, f.symbol,
           f.land_use_classes, {overridable},
           CASE WHEN c.geom IS NULL OR NOT miasto_intersects(f.geom, c.geom) THEN f.geom
                ELSE ST_Multi(ST_CollectionExtract(miasto_difference(f.geom, c.geom), 3))
           END AS geom,
           false AS scenario,
           c.geom IS NOT NULL AND miasto_intersects(f.geom, c.geom) AS clipped
    FROM zs_in_force f LEFT JOIN zs_cut c ON c.category = f.category
)
SELECT {columns} FROM zs_kept WHERE ST_Area(geom) >= 1
UNION ALL
SELECT {columns} FROM zs_draft
""")


@dataclass(frozen=True)
class ZoneSet:
    """The binding zones on ``as_of``, optionally changed by a scenario."""

    as_of: dt.date = field(default_factory=dt.date.today)
    #: ids of draft plans put in place of what they cover
    drafts: tuple[int, ...] = ()
    #: zone id → {parameter: value or None}
    overrides: dict[int, dict[str, Any]] = field(default_factory=dict)

    @property
    def is_scenario(self) -> bool:
        return bool(self.drafts or self.overrides)

    def params(self) -> dict[str, Any]:
        """Query parameters the subquery needs (names prefixed ``zs_``)."""
        return {
            "zs_as_of": self.as_of,
            "zs_statuses": sorted(str(s) for s in ENACTED_STATUSES),
            "zs_drafts": list(self.drafts),
        }

    @property
    def query(self) -> Composed:
        """A SELECT of the binding zones, composed; use as
        ``sql.SQL("… FROM ({zs}) z").format(zs=zs.query)`` with ``zs.params()``."""
        params = sql.SQL(", ").join(self._param_expr(p) for p in OVERRIDABLE)
        base = _IN_FORCE.format(params=params)
        if not self.drafts:
            return base
        return _WITH_DRAFTS.format(
            base=base,
            params=params,
            overridable=sql.SQL(", ".join(OVERRIDABLE)),
            columns=_COLUMNS,
        )

    @property
    def sql(self) -> str:
        """:attr:`query` as text (run with parameters, as every query of ``miasto.core.db``)."""
        return as_text(self.query)

    def _param_expr(self, name: str) -> Composable:
        column = sql.Identifier("z", name)
        changed = [
            (zone_id, values[name]) for zone_id, values in self.overrides.items() if name in values
        ]
        if not changed:
            return column
        whens = sql.SQL(" ").join(
            sql.SQL("WHEN {} THEN {}").format(sql.Literal(int(zone_id)), _literal(value))
            for zone_id, value in changed
        )
        return sql.SQL("(CASE z.id {whens} ELSE {column} END) AS {name}").format(
            whens=whens, column=column, name=sql.Identifier(name)
        )


def _literal(value: Any) -> Composable:
    if value is None:
        return sql.SQL("NULL")
    number = Decimal(str(value))
    if not number.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return sql.SQL("{}::numeric").format(sql.Literal(str(number)))
