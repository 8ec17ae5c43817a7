-- One event against every area alert, in one statement: the pieces of the stored areas
-- (EPSG:2180, GiST index; see AreaPiece) that intersect the event's geometry give the
-- subscriptions touched; those that follow the event's topic make one notification per
-- person however many of their areas it touched (the channels of all of them together; the
-- first of them named). Parameters by name: topic, subject, title, url, data (JSON), at
-- (when it happened), geom (EWKB in EPSG:2180).
WITH event AS (
    SELECT ST_Force2D(ST_GeomFromEWKB(%(geom)s)) AS geom
), touched AS (
    SELECT DISTINCT p.subscription_id AS id
    FROM alerts_areapiece p, event e
    WHERE p.geom && e.geom AND ST_Intersects(p.geom, e.geom)
)
INSERT INTO alerts_notification (
    uuid, user_id, subscription_id, topic, subject, title, url, data, event_at, created_at,
    in_app, in_feed, email_state
)
SELECT gen_random_uuid(), s.user_id, min(s.id), %(topic)s, %(subject)s, %(title)s, %(url)s,
       %(data)s::jsonb, %(at)s, now(), bool_or(s.in_app), bool_or(s.feed),
       CASE WHEN bool_or(s.email) THEN 'pending' ELSE 'none' END
FROM touched t
JOIN alerts_subscription s ON s.id = t.id
WHERE s.topics @> ARRAY[%(topic)s]::varchar[]
GROUP BY s.user_id
