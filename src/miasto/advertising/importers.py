"""Data hub import target ``ad_carriers``: the register of advertising carriers from any GIS
file (CSV with coordinates, GeoJSON, GeoPackage…), so imports get the data hub's quality
reports and versions.

Making a version current *publishes* it into the register, set-based: every row is checked
first (known kind, illumination and mounting; positive, credible dimensions; a point inside
the city; ISO dates) and the first bad row is named — nothing is written then; otherwise
carriers are matched by their register number (``reference``): new ones are added, known
ones updated (a partial delivery never removes carriers). Owners are matched by NIP, else by
name, and created when missing. The carriers' parcels and buildings come from the spine and
the register is judged again under the rules in force.
"""

from __future__ import annotations

import datetime as dt

from psycopg import sql

from miasto.advertising import compliance
from miasto.advertising.kinds import CarrierKind, Illumination, Mounting
from miasto.advertising.models import Carrier
from miasto.advertising.models.register import MAX_AREA_M2, MAX_DIMENSION_M
from miasto.advertising.services import carriers_bulk_recorded, carriers_link_spine
from miasto.core.db import execute, fetch_all, fetch_one, fetch_value
from miasto.core.importing import (
    ImportTarget,
    PublishOptions,
    TargetField,
    import_targets,
    qualified,
)
from miasto.core.jobs import JobError

MAX_CARRIERS = 500_000
DATE_RE = r"^\d{4}-\d{2}-\d{2}$"

#: (condition on the row ``s`` that makes it bad, the message naming the problem)
CHECKS = [
    ("s.kind IS NULL OR NOT (s.kind = ANY (%(kinds)s))",
     "nieznany rodzaj nośnika (dozwolone: %(kinds_text)s)"),
    ("s.illumination IS NOT NULL AND NOT (s.illumination = ANY (%(lights)s))",
     "nieznany rodzaj oświetlenia (dozwolone: %(lights_text)s)"),
    ("s.mounting IS NOT NULL AND NOT (s.mounting = ANY (%(mountings)s))",
     "nieznany sposób montażu (dozwolone: %(mountings_text)s)"),
    ("s.geom IS NULL OR GeometryType(s.geom) NOT IN ('POINT', 'MULTIPOINT')",
     "położenie nośnika musi być punktem"),
    ("s.width IS NULL OR s.width <= 0 OR s.width > %(max_dim)s",
     "szerokość musi być dodatnia i nie większa niż %(max_dim)s m"),
    ("s.height IS NULL OR s.height <= 0 OR s.height > %(max_dim)s",
     "wysokość musi być dodatnia i nie większa niż %(max_dim)s m"),
    ("s.sides IS NOT NULL AND (s.sides < 1 OR s.sides > 4)", "nośnik ma od 1 do 4 stron"),
    ("s.area IS NOT NULL AND (s.area <= 0 OR s.area > %(max_area)s)",
     "powierzchnia ekspozycji musi być dodatnia i nie większa niż %(max_area)s m²"),
    ("s.installed_on IS NOT NULL AND s.installed_on !~ %(date_re)s",
     "data umieszczenia w formacie RRRR-MM-DD"),
    ("s.removed_on IS NOT NULL AND s.removed_on !~ %(date_re)s",
     "data usunięcia w formacie RRRR-MM-DD"),
    ("EXISTS (SELECT 1 FROM territory_city) AND NOT EXISTS (SELECT 1 FROM territory_city c "
     "WHERE ST_Intersects(c.geom, ST_Transform(ST_GeometryN(ST_Multi(s.geom), 1), 2180)))",
     "położenie leży poza granicami miasta"),
]  # fmt: skip

OWNERS = """
INSERT INTO advertising_owner (name, kind, tax_id, address, email, phone, fee_exempt, created_at)
SELECT DISTINCT ON (coalesce(nullif(s.owner_nip, ''), s.owner)) left(s.owner, 250), 'company',
       left(coalesce(s.owner_nip, ''), 13), '', '', '', false, now()
  FROM ({src}) s
 WHERE s.owner IS NOT NULL
   AND NOT EXISTS (SELECT 1 FROM advertising_owner o
                    WHERE (s.owner_nip <> '' AND o.tax_id = s.owner_nip) OR o.name = s.owner)
"""

UPSERT = """
INSERT INTO advertising_carrier
       (reference, kind, status, location, width, height, sides, area, illumination, mounting,
        bottom_edge, facade_share, window_share, business, installed_on, removed_on, owner_id,
        notes, created_at, updated_at)
SELECT left(s.reference, 40), s.kind,
       CASE WHEN s.removed_on IS NULL THEN 'active' ELSE 'removed' END,
       ST_Transform(ST_GeometryN(ST_Multi(s.geom), 1), 2180), s.width, s.height,
       coalesce(s.sides, 1), coalesce(s.area, round(s.width * s.height * coalesce(s.sides, 1), 2)),
       coalesce(s.illumination, 'none'), coalesce(s.mounting, 'freestanding'), s.bottom_edge,
       s.facade_share, s.window_share, left(coalesce(s.business, ''), 250),
       s.installed_on::date, s.removed_on::date,
       (SELECT o.id FROM advertising_owner o
         WHERE (s.owner_nip <> '' AND o.tax_id = s.owner_nip) OR o.name = s.owner
         ORDER BY (o.tax_id = coalesce(s.owner_nip, '')) DESC, o.id LIMIT 1),
       '', now(), now()
  FROM ({src}) s
ON CONFLICT (reference) DO UPDATE SET
  kind = EXCLUDED.kind, status = EXCLUDED.status, location = EXCLUDED.location,
  width = EXCLUDED.width, height = EXCLUDED.height, sides = EXCLUDED.sides, area = EXCLUDED.area,
  illumination = EXCLUDED.illumination, mounting = EXCLUDED.mounting,
  bottom_edge = EXCLUDED.bottom_edge, facade_share = EXCLUDED.facade_share,
  window_share = EXCLUDED.window_share, business = EXCLUDED.business,
  installed_on = EXCLUDED.installed_on, removed_on = EXCLUDED.removed_on,
  owner_id = coalesce(EXCLUDED.owner_id, advertising_carrier.owner_id), updated_at = now()
RETURNING id, (xmax = 0) AS inserted
"""


class CarriersTarget(ImportTarget):
    """Publishes into :class:`~miasto.advertising.models.Carrier`, set-based."""

    def publish(
        self, table: str, mapping: dict[str, str], options: PublishOptions | None = None
    ) -> dict[str, int]:
        count = fetch_value(sql.SQL("SELECT count(*) FROM {}").format(qualified(table)))
        if count > MAX_CARRIERS:
            raise JobError(f"Plik ma ponad {MAX_CARRIERS} obiektów — to nie jest rejestr nośników.")
        src = self.source_select(table, mapping)
        self._check(src)
        duplicate = fetch_one(
            sql.SQL("SELECT reference FROM ({}) s GROUP BY reference HAVING count(*) > 1 LIMIT 1")
            .format(src)
        )  # fmt: skip
        if duplicate:
            raise JobError(f"Numer w rejestrze „{duplicate[0]}” występuje w pliku więcej niż raz.")
        execute(sql.SQL(OWNERS).format(src=src), [])
        rows = fetch_all(sql.SQL(UPSERT).format(src=src), [])
        ids = [int(r[0]) for r in rows]
        carriers_link_spine(ids)
        compliance.check(dt.date.today())
        added = sum(1 for r in rows if r[1])
        carriers_bulk_recorded(len(rows), f"import: {table}")
        return {"added": added, "changed": len(rows) - added, "removed": 0}

    def _check(self, src: sql.Composable) -> None:
        params = {
            "max_dim": MAX_DIMENSION_M, "max_area": MAX_AREA_M2, "date_re": DATE_RE,
            "kinds": list(CarrierKind.values), "kinds_text": ", ".join(CarrierKind.values),
            "lights": list(Illumination.values), "lights_text": ", ".join(Illumination.values),
            "mountings": list(Mounting.values), "mountings_text": ", ".join(Mounting.values),
        }  # fmt: skip
        for condition, message in CHECKS:
            row = fetch_one(
                sql.SQL(
                    "SELECT s.fid, s.reference, s.kind FROM ({}) s WHERE {} ORDER BY s.fid LIMIT 1"
                )
                .format(src, sql.SQL(condition)),
                params,
            )  # fmt: skip
            if row:
                raise JobError(f"Obiekt nr {row[0]} ({row[1]}, {row[2]}): {message % params}.")


import_targets.register(
    "ad_carriers",
    CarriersTarget(
        key="ad_carriers",
        label="rejestr nośników reklamowych",
        model=Carrier,
        geometry="POINT",
        promote_to_multi=False,
        key_fields=("reference",),
        fields=(
            TargetField("reference", required=True, help="numer w rejestrze, np. R/2026/00123"),
            TargetField(
                "kind", required=True, choices=tuple(CarrierKind.values), help="rodzaj nośnika"
            ),
            TargetField("width", "decimal", required=True, help="szerokość (m)"),
            TargetField("height", "decimal", required=True, help="wysokość (m)"),
            TargetField("sides", "int", help="liczba stron (domyślnie 1)"),
            TargetField(
                "area",
                "decimal",
                help="powierzchnia ekspozycji (m²); domyślnie szerokość × wysokość × liczba stron",
            ),
            TargetField("illumination", choices=tuple(Illumination.values)),
            TargetField("mounting", choices=tuple(Mounting.values)),
            TargetField("bottom_edge", "decimal", help="dolna krawędź nad terenem (m)"),
            TargetField("facade_share", "decimal", help="udział w elewacji (%)"),
            TargetField("window_share", "decimal", help="udział w oknie (%)"),
            TargetField("business", help="działalność, o której informuje szyld"),
            TargetField("owner", help="właściciel (nazwa)"),
            TargetField("owner_nip", help="NIP właściciela"),
            TargetField("installed_on", help="data umieszczenia RRRR-MM-DD"),
            TargetField("removed_on", help="data usunięcia RRRR-MM-DD"),
        ),
    ),  # fmt: skip
)
