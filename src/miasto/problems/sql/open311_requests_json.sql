-- The Open311 list as one JSON array built by PostgreSQL (keys in the specification's order:
-- json_build_object keeps them), and how many requests it holds. The rows are open311_requests.
SELECT count(*),
       coalesce(json_agg(json_build_object(
           'service_request_id', q.service_request_id,
           'status', q.status,
           'status_notes', q.status_notes,
           'service_name', q.service_name,
           'service_code', q.service_code,
           'description', q.description,
           'agency_responsible', q.agency_responsible,
           'service_notice', NULL,
           'requested_datetime', q.requested_datetime,
           'updated_datetime', q.updated_datetime,
           'expected_datetime', q.expected_datetime,
           'address', q.address,
           'address_id', NULL,
           'zipcode', NULL,
           'lat', q.lat,
           'long', q.long,
           'media_url', q.media_url
       ) ORDER BY q.sort_at DESC, q.service_request_id DESC), '[]')::text
FROM ({rows}) q
