"""Reads of the spine. Hot paths build their JSON in PostGIS in one statement."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings

from miasto.core.db import fetch_json, fetch_value, fetchone_prepared
from miasto.core.sql import choices_case
from miasto.territory.models import Building, Constraint, PublicService

SRID = settings.MIASTO_SRID
#: parcels of more than this many vertices are also kept cut into pieces of at most this many
#: (``territory_parcel_piece``, trigger-maintained: migration ``0009_parcel_pieces``)
PARCEL_PIECE_VERTICES = 128


def city_summary() -> dict[str, Any] | None:
    """Name, TERYT, CRS84 bbox, centre, counts per spine layer, population; None without a city."""
    data: dict[str, Any] | None = fetch_json(
        """
        SELECT json_build_object(
            'name', c.name,
            'teryt', c.teryt,
            'voivodeship', c.voivodeship,
            'fictional', c.fictional,
            'bbox', json_build_array(
                round(ST_XMin(b)::numeric, 6), round(ST_YMin(b)::numeric, 6),
                round(ST_XMax(b)::numeric, 6), round(ST_YMax(b)::numeric, 6)),
            'center', json_build_array(
                round(ST_X(ctr)::numeric, 6), round(ST_Y(ctr)::numeric, 6)),
            'area_km2', round((ST_Area(c.geom) / 1e6)::numeric, 2),
            'counts', json_build_object(
                'districts', (SELECT count(*) FROM territory_district),
                'precincts', (SELECT count(*) FROM territory_precinct),
                'parcels', (SELECT count(*) FROM territory_parcel),
                'buildings', (SELECT count(*) FROM territory_building),
                'addresses', (SELECT count(*) FROM territory_address),
                'streets', (SELECT count(*) FROM territory_street),
                'services', (SELECT count(*) FROM territory_publicservice),
                'constraints', (SELECT count(*) FROM territory_constraint),
                'org_units', (SELECT count(*) FROM territory_orgunit)
            ),
            'population', (SELECT COALESCE(sum(residents), 0) FROM territory_building),
            'dwellings', (SELECT COALESCE(sum(dwellings), 0) FROM territory_building)
        )
        FROM (
            SELECT c.*, ST_Transform(ST_Envelope(c.geom), 4326)::box2d AS b,
                   ST_Transform(ST_PointOnSurface(c.geom), 4326) AS ctr
            FROM territory_city c ORDER BY c.id LIMIT 1
        ) c
        """,
        [],
    )
    return data


def parcel_ids_at_point(x: float, y: float, srid: int) -> list[dict[str, Any]]:
    """GeoJSON features (CRS84) of the parcels containing a point."""
    data = fetch_json(
        f"""
        SELECT COALESCE(json_agg(json_build_object(
            'type', 'Feature',
            'id', p.identifier,
            'geometry', ST_AsGeoJSON(ST_Transform(p.geom, 4326), 7)::json,
            'properties', json_build_object(
                'identifier', p.identifier,
                'area', p.area,
                'precinct', pr.unit || '.' || pr.code,
                'precinct_name', pr.name,
                'district', d.name,
                'url', '/api/v1/parcels/' || p.identifier
            )
        ) ORDER BY p.identifier), '[]'::json)
        FROM territory_parcel p
        JOIN territory_precinct pr ON pr.id = p.precinct_id
        LEFT JOIN territory_district d ON d.id = pr.district_id
        WHERE ST_Intersects(p.geom, ST_Transform(ST_SetSRID(ST_MakePoint(%s, %s), %s), {SRID}))
        """,
        [x, y, srid],
    )
    return data or []


def point_in_city(x: float, y: float, srid: int) -> bool:
    return bool(
        fetch_value(
            f"SELECT EXISTS (SELECT 1 FROM territory_city WHERE ST_Intersects(geom, "
            f"ST_Transform(ST_SetSRID(ST_MakePoint(%s, %s), %s), {SRID})))",
            [x, y, srid],
        )
    )


def parcel_panel(identifier: str) -> dict[str, Any] | None:
    """Everything the map's side panel shows about one parcel (as a dict)."""
    text = parcel_panel_json(identifier)
    return None if text is None else json.loads(text)


def parcel_panel_json(identifier: str) -> str | None:
    """The panel as JSON text built by PostGIS, passed to the client without re-encoding
    (parsing and re-serialising it in Python cost ≈1 ms of a ≈5 ms request)."""
    use_label = choices_case("b.use", Building.Use.choices)
    kind_label = choices_case("c.kind", Constraint.Kind.choices)
    row = fetchone_prepared(
        f"""
        SELECT json_build_object(
            'identifier', p.identifier,
            'number', p.number,
            'area', p.area,
            'geometry_area', round(ST_Area(p.geom)::numeric, 1),
            'land_use', p.land_use,
            'precinct', json_build_object(
                'identifier', pr.unit || '.' || pr.code, 'code', pr.code, 'name', pr.name),
            'district', CASE WHEN d.id IS NULL THEN NULL
                        ELSE json_build_object('code', d.code, 'name', d.name) END,
            'block', bl.code,
            'addresses', COALESCE((
                SELECT json_agg(json_build_object('label', a.label, 'postcode', a.postcode)
                                ORDER BY a.label)
                FROM territory_address a WHERE a.parcel_id = p.id), '[]'::json),
            'buildings', COALESCE((
                SELECT json_agg(json_build_object(
                    'identifier', b.identifier, 'use', b.use, 'use_label', {use_label},
                    'storeys', b.storeys, 'height', b.height, 'dwellings', b.dwellings,
                    'residents', b.residents, 'year_built', b.year_built,
                    'footprint_area', round(ST_Area(b.geom)::numeric, 1)
                ) ORDER BY b.identifier)
                FROM territory_building b WHERE b.parcel_id = p.id), '[]'::json),
            'constraints', COALESCE((
                SELECT json_agg(json_build_object(
                    'kind', c.kind, 'kind_label', {kind_label}, 'name', c.name,
                    'legal_basis', c.legal_basis,
                    'share', round((ST_Area(ST_Intersection(c.geom, p.geom))
                                    / NULLIF(ST_Area(p.geom), 0))::numeric, 3)
                ) ORDER BY c.kind, c.name)
                FROM territory_constraint c
                WHERE c.geom && p.geom AND ST_Intersects(c.geom, p.geom)
                  AND NOT ST_Touches(c.geom, p.geom)), '[]'::json),
            'geometry', ST_AsGeoJSON(ST_Transform(p.geom, 4326), 7)::json,
            'bbox', json_build_array(
                round(ST_XMin(bb)::numeric, 6), round(ST_YMin(bb)::numeric, 6),
                round(ST_XMax(bb)::numeric, 6), round(ST_YMax(bb)::numeric, 6)),
            'centroid', json_build_array(round(ST_X(ctr)::numeric, 6), round(ST_Y(ctr)::numeric, 6))
        )::text
        FROM (
            SELECT p.*, ST_Transform(ST_Envelope(p.geom), 4326)::box2d AS bb,
                   ST_Transform(ST_PointOnSurface(p.geom), 4326) AS ctr
            FROM territory_parcel p WHERE p.identifier = %s
        ) p
        JOIN territory_precinct pr ON pr.id = p.precinct_id
        LEFT JOIN territory_district d ON d.id = pr.district_id
        LEFT JOIN territory_block bl ON bl.id = p.block_id
        """,
        [identifier],
    )
    return None if row is None else str(row[0])


def service_kinds() -> list[tuple[str, str]]:
    return [(k, str(label)) for k, label in PublicService.Kind.choices]
