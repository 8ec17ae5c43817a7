-- The places of a survey's map answers of one geometry type, as a GeoJSON FeatureCollection
-- in the storage CRS (for the GeoPackage export): no personal data, only the response number.
SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(
    json_build_object(
        'type', 'Feature',
        'geometry', ST_AsGeoJSON(p.geom, 2)::json,
        'properties', json_build_object(
            'response', p.response_id,
            'submitted', to_char(r.submitted_at AT TIME ZONE %(tz)s, 'YYYY-MM-DD'),
            'question', q.position,
            'question_text', q.text,
            'score', p.score
        )
    ) ORDER BY p.response_id, q.position, p.id), '[]'::json))
FROM surveys_place p
JOIN surveys_question q ON q.id = p.question_id
JOIN surveys_response r ON r.id = p.response_id
WHERE r.survey_id = %(survey)s AND GeometryType(p.geom) = %(type)s
