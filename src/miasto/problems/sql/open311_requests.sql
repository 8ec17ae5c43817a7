-- Open311 GET requests: public reports with their category, unit and latest public note (stored
-- on the report, as its WGS 84 position is: no per-row subquery or transformation), newest
-- first. {where} is a list of fixed conditions (miasto.problems.selectors.open311_requests).
SELECT r.id AS service_request_id,
       r.status,
       r.public_note AS status_notes,
       s.name AS service_name,
       s.code AS service_code,
       r.description,
       o.name AS agency_responsible,
       r.requested_at AS requested_datetime,
       r.updated_at AS updated_datetime,
       r.expected_at AS expected_datetime,
       r.address,
       r.lat,
       r.lon AS long,
       r.photo
FROM problems_report r
JOIN problems_service s ON s.id = r.service_id
JOIN territory_orgunit o ON o.id = r.unit_id
WHERE r.hidden_reason = '' AND {where}
ORDER BY r.requested_at DESC, r.id DESC
LIMIT %(limit)s
