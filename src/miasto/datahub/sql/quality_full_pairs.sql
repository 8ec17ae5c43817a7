-- Every pair of features of the pieces table {pieces} whose pieces' interiors meet, into _pairs
-- (see miasto.datahub.quality.overlaps.full_pairs).
--
-- The box test on the columns kept with the pieces is a cheap prefilter: pieces whose boxes only
-- touch (shared edges) cannot overlap. miasto_relate: GEOS's relate throws on
-- valid-but-fragile pairs (core/overlay.py).
-- b.fid + 0: without it the planner ANDs the GiST scan with a pkey range scan fid > a.fid (a
-- bitmap per outer row: quadratic). Pairs with a piece of a big polygon are found from that
-- piece (a few thousand index probes returning hundreds of candidates each), not from each of
-- the lots around it.
INSERT INTO _pairs
SELECT DISTINCT a, b
FROM (
    SELECT a.fid a, b.fid b
    FROM {pieces} a
    JOIN {pieces} b
      ON a.fid < b.fid + 0 AND a.geom && b.geom AND NOT a.big AND NOT b.big
     AND (LEAST(a.x1, b.x1) - GREATEST(a.x0, b.x0)) * (LEAST(a.y1, b.y1) - GREATEST(a.y0, b.y0)) > 0
     AND miasto_relate(a.geom, b.geom, '2********')
    UNION ALL
    SELECT LEAST(a.fid, b.fid), GREATEST(a.fid, b.fid)
    FROM {pieces} b
    JOIN {pieces} a
      ON a.geom && b.geom AND a.fid <> b.fid + 0
     AND (NOT a.big OR a.fid < b.fid)
     AND (LEAST(a.x1, b.x1) - GREATEST(a.x0, b.x0)) * (LEAST(a.y1, b.y1) - GREATEST(a.y0, b.y0)) > 0
     AND miasto_relate(a.geom, b.geom, '2********')
    WHERE b.big
) p
