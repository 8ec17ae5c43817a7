-- Residents a scenario's capacity adds on parcels meeting, not meeting, or not assessed for
-- each accessibility standard (planning.scenarios._accessibility_compare).
-- Parameters: standards (standard ids), run (a capacity run id).
SELECT s.code, s.name, s.distance_m,
       COALESCE(sum(c.residents) FILTER (WHERE r.met), 0),
       COALESCE(sum(c.residents) FILTER (WHERE NOT r.met), 0),
       COALESCE(sum(c.residents) FILTER (WHERE r.parcel_id IS NULL), 0)
FROM accessibility_standard s
CROSS JOIN planning_capacity_parcel c
LEFT JOIN accessibility_result r ON r.parcel_id = c.parcel_id AND r.standard_id = s.id
WHERE s.id = ANY(%(standards)s) AND c.run_id = %(run)s AND c.dwellings > 0
GROUP BY s.id, s.code, s.name, s.distance_m, s."order" ORDER BY s."order", s.code
