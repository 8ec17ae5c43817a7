-- Repair the invalid geometries of {table} (their fids in _invalid) with ST_MakeValid, keeping
-- the geometry family (ST_CollectionExtract of the original dimension) and the multi or single
-- type of each.
UPDATE {table} t
SET geom = CASE
    WHEN GeometryType(t.geom) LIKE 'MULTI%%' THEN ST_Multi(r.g)
    WHEN ST_NumGeometries(r.g) = 1 THEN ST_GeometryN(r.g, 1)
    ELSE r.g
END
FROM (
    SELECT i.fid, ST_CollectionExtract(ST_MakeValid(x.geom), ST_Dimension(x.geom) + 1) g
    FROM _invalid i JOIN {table} x USING (fid)
) r
WHERE t.fid = r.fid
