-- The extent of a scenario's draft plans and overridden zones (planning.scenarios.scenario_maps).
-- Parameters: drafts (plan ids), zones (zone ids).
SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (
    SELECT ST_Extent(g)::geometry AS e FROM (
        SELECT geom AS g FROM planning_plan WHERE id = ANY(%(drafts)s)
        UNION ALL SELECT geom FROM planning_zone WHERE id = ANY(%(zones)s)
    ) x
) y
