-- The results of one survey, question by question, as one JSON array (public: no personal
-- data, no free text). Parameter: the survey id.
WITH q AS (
    SELECT id, position, kind, text, options, scale_min, scale_max
    FROM surveys_question WHERE survey_id = %(survey)s
),
choice AS (
    SELECT a.question_id, (c.value)::int AS idx, count(*) AS n
    FROM surveys_answer a
    JOIN q ON q.id = a.question_id
    CROSS JOIN LATERAL jsonb_array_elements_text(a.choices) AS c(value)
    GROUP BY 1, 2
),
scale AS (
    SELECT a.question_id, a.number AS value, count(*) AS n
    FROM surveys_answer a JOIN q ON q.id = a.question_id
    WHERE a.number IS NOT NULL
    GROUP BY 1, 2
),
answered AS (
    SELECT question_id, count(DISTINCT response_id) AS n FROM (
        SELECT question_id, response_id FROM surveys_answer a JOIN q ON q.id = a.question_id
        UNION ALL
        SELECT question_id, response_id FROM surveys_place p JOIN q ON q.id = p.question_id
    ) x GROUP BY 1
),
district AS (
    SELECT p.question_id, d.code, d.name, count(*) AS n, round(avg(p.score), 2) AS mean
    FROM surveys_place p
    JOIN q ON q.id = p.question_id
    JOIN territory_district d ON ST_Intersects(d.geom, ST_PointOnSurface(p.geom))
    GROUP BY 1, 2, 3
),
places AS (
    SELECT question_id, count(*) AS n, round(avg(score), 2) AS mean
    FROM surveys_place p JOIN q ON q.id = p.question_id GROUP BY 1
)
SELECT coalesce(json_agg(json_build_object(
    'id', q.id,
    'position', q.position,
    'kind', q.kind,
    'text', q.text,
    'answered', coalesce(answered.n, 0),
    'options', CASE WHEN q.kind IN ('single', 'multiple') THEN (
        SELECT json_agg(json_build_object('option', o.value, 'count', coalesce(choice.n, 0))
                        ORDER BY o.ord)
        FROM jsonb_array_elements_text(q.options) WITH ORDINALITY AS o(value, ord)
        LEFT JOIN choice ON choice.question_id = q.id AND choice.idx = o.ord - 1
    ) END,
    'scale', CASE WHEN q.kind = 'scale' THEN (
        SELECT json_agg(json_build_object('value', v, 'count', coalesce(scale.n, 0)) ORDER BY v)
        FROM generate_series(q.scale_min::int, q.scale_max::int) AS v
        LEFT JOIN scale ON scale.question_id = q.id AND scale.value = v
    ) END,
    'mean', CASE WHEN q.kind = 'scale' THEN (
        SELECT round(sum(value * n)::numeric / nullif(sum(n), 0), 2)
        FROM scale WHERE scale.question_id = q.id
    ) WHEN q.kind = 'rating' THEN places.mean END,
    'places', CASE WHEN q.kind IN ('points', 'lines', 'areas', 'rating')
                   THEN coalesce(places.n, 0) END,
    'districts', CASE WHEN q.kind IN ('points', 'lines', 'areas', 'rating') THEN (
        SELECT coalesce(json_agg(json_build_object(
            'code', district.code, 'name', district.name, 'count', district.n,
            'mean', CASE WHEN q.kind = 'rating' THEN district.mean END
        ) ORDER BY district.n DESC, district.name), '[]'::json)
        FROM district WHERE district.question_id = q.id
    ) END
) ORDER BY q.position, q.id), '[]'::json)
FROM q
LEFT JOIN answered ON answered.question_id = q.id
LEFT JOIN places ON places.question_id = q.id
