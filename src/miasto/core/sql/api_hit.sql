-- One API request: count it in the client's minute (returning the count so far and the
-- seconds left in the minute) and in the day's usage of its key and endpoint.
-- Parameters: subject (key, account or address), key (its id; NULL: anonymous), endpoint.
WITH usage AS (
    INSERT INTO core_apiusage AS u (key_id, endpoint, day, hits, limited)
    VALUES (%(key)s, %(endpoint)s, current_date, 1, 0)
    ON CONFLICT (key_id, endpoint, day) DO UPDATE SET hits = u.hits + 1
)
INSERT INTO core_apiratewindow AS w (subject, window_start, hits)
VALUES (%(subject)s, date_trunc('minute', now()), 1)
ON CONFLICT (subject, window_start) DO UPDATE SET hits = w.hits + 1
RETURNING w.hits, ceil(extract(epoch FROM w.window_start + interval '1 minute' - now()))::int
