-- The street of each address (a row of _src) by its name or by its full name ("ul. Polna"),
-- with the label the address takes from it. Written as one equi-join against both names
-- (UNION ALL), not as an OR of two conditions: the OR makes a nested loop of every address
-- with every street (see docs/datahub.md, "Publishing: why the statements are shaped as they
-- are").
UPDATE _src s
SET street_id = st.id, label = st.label
FROM (
    SELECT id, name AS k, kind || ' ' || name AS label FROM territory_street
    UNION ALL
    SELECT id, kind || ' ' || name, kind || ' ' || name FROM territory_street
) st
WHERE s.street = st.k
