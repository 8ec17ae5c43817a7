-- The Open311 list as the specification's XML body (<service_requests><request>…), concatenated
-- by PostgreSQL from fixed tags, and how many requests it holds. Every text value passes
-- through the escaping expression of miasto.problems.selectors (characters XML 1.0 cannot
-- carry dropped; ampersand, angle brackets and carriage return as entities): xmlelement would
-- escape the same way, but costs about four times as much per element (17 per request).
-- Empty values are empty elements, as the other Open311 answers (lxml) give them.
SELECT count(*),
       '<service_requests>' || coalesce(string_agg(
           '<request><service_request_id>' || q.service_request_id
           || '</service_request_id><status>' || q.status
           || '</status><status_notes>' || {status_notes}
           || '</status_notes><service_name>' || {service_name}
           || '</service_name><service_code>' || {service_code}
           || '</service_code><description>' || {description}
           || '</description><agency_responsible>' || {agency_responsible}
           || '</agency_responsible><service_notice></service_notice><requested_datetime>'
           || coalesce(q.requested_datetime, '')
           || '</requested_datetime><updated_datetime>' || coalesce(q.updated_datetime, '')
           || '</updated_datetime><expected_datetime>' || coalesce(q.expected_datetime, '')
           || '</expected_datetime><address>' || {address}
           || '</address><address_id></address_id><zipcode></zipcode><lat>'
           || coalesce(q.lat::text, '') || '</lat><long>' || coalesce(q.long::text, '')
           || '</long><media_url>' || {media_url} || '</media_url></request>',
           '' ORDER BY q.sort_at DESC, q.service_request_id DESC), '')
       || '</service_requests>'
FROM ({rows}) q
