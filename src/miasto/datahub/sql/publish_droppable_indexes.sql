-- The indexes of a spine table (the parameter: its name) that publishing may drop around a
-- bulk insert and build again: not those of a constraint (its primary key, unique
-- constraints), nor one that something else needs (a foreign key of another table refers
-- through it).
-- Schema, name and definition (pg_get_indexdef: the CREATE INDEX that makes it again).
SELECT n.nspname, c.relname, pg_get_indexdef(i.indexrelid)
FROM pg_index i
JOIN pg_class c ON c.oid = i.indexrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE i.indrelid = %s::regclass
  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
  AND NOT EXISTS (
      SELECT 1 FROM pg_depend d WHERE d.refobjid = i.indexrelid AND d.deptype = 'n'
  )
ORDER BY c.relname
