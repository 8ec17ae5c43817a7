-- The standard's shares per district and for the city (the grouping set without a district).
-- Parameters: run, std.
INSERT INTO accessibility_share
    (run_id, standard_id, district_id, parcels, parcels_met, residents, residents_met)
SELECT %(run)s, %(std)s, pr.district_id, count(*), count(*) FILTER (WHERE r.met),
       COALESCE(sum(p.residents), 0), COALESCE(sum(p.residents) FILTER (WHERE r.met), 0)
FROM accessibility_result r
JOIN acc_parcel p USING (parcel_id)
LEFT JOIN territory_precinct pr ON pr.id = p.precinct_id
WHERE r.standard_id = %(std)s
GROUP BY GROUPING SETS ((pr.district_id), ())
HAVING GROUPING(pr.district_id) = 1 OR pr.district_id IS NOT NULL
RETURNING district_id, parcels, parcels_met, residents, residents_met
