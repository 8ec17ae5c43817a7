-- Open311 GET requests: public reports with their category, unit and latest public note, newest
-- first. {where} is a list of fixed conditions (miasto.problems.selectors.open311_requests).
SELECT r.id AS service_request_id,
       r.status,
       (SELECT u.note FROM problems_reportupdate u
         WHERE u.report_id = r.id AND u.public AND u.note <> ''
         ORDER BY u.at DESC, u.id DESC LIMIT 1) AS status_notes,
       s.name AS service_name,
       s.code AS service_code,
       r.description,
       o.name AS agency_responsible,
       r.requested_at AS requested_datetime,
       r.updated_at AS updated_datetime,
       r.expected_at AS expected_datetime,
       r.address,
       ST_Y(ST_Transform(r.geom, 4326)) AS lat,
       ST_X(ST_Transform(r.geom, 4326)) AS long,
       r.photo
FROM problems_report r
JOIN problems_service s ON s.id = r.service_id
JOIN territory_orgunit o ON o.id = r.unit_id
WHERE r.hidden_reason = '' AND {where}
ORDER BY r.requested_at DESC, r.id DESC
LIMIT %(limit)s
