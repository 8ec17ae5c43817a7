-- sum_area: per parcel, the distance at which the areas reachable in order of distance add up
-- to the minimum (parameter: min_area), and the nearest of them.
SELECT parcel_id, min(nearest) AS svid,
       min(dist) FILTER (WHERE cum >= %(min_area)s) AS dist
FROM (
    SELECT parcel_id, dist,
           first_value(svid) OVER w AS nearest,
           sum(a.area) OVER (w ROWS UNBOUNDED PRECEDING) AS cum
    FROM (
        SELECT parcel_id, svid, min(dist) AS dist FROM acc_cand
        GROUP BY parcel_id, svid
    ) pairs JOIN acc_svc a USING (svid)
    WINDOW w AS (PARTITION BY parcel_id ORDER BY dist, svid)
) c GROUP BY parcel_id
