-- Open311 GET requests: public reports with their category, unit and latest public note (stored
-- on the report, as its WGS 84 position is: no per-row subquery or transformation), newest
-- first, each field already as the answer gives it (W3C dates in the city's time zone, Open311's
-- two statuses, the photo's address). The placeholders: the list of fixed conditions and the
-- W3C form of the three dates (miasto.problems.selectors.open311_answer, which wraps this
-- in the JSON or XML aggregate).
SELECT r.id AS service_request_id,
       CASE WHEN r.status = ANY(%(active)s) THEN 'open' ELSE 'closed' END AS status,
       r.public_note AS status_notes,
       s.name AS service_name,
       s.code AS service_code,
       r.description,
       o.name AS agency_responsible,
       {requested} AS requested_datetime,
       {updated} AS updated_datetime,
       {expected} AS expected_datetime,
       r.address,
       round(r.lat::numeric, 7)::float8 AS lat,
       round(r.lon::numeric, 7)::float8 AS long,
       CASE WHEN r.photo <> '' THEN %(media_head)s || r.id || %(media_tail)s END AS media_url,
       r.requested_at AS sort_at
FROM problems_report r
JOIN problems_service s ON s.id = r.service_id
JOIN territory_orgunit o ON o.id = r.unit_id
WHERE r.hidden_reason = '' AND {where}
ORDER BY r.requested_at DESC, r.id DESC
LIMIT %(limit)s
