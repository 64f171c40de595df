-- A record's field clocks are kept packed: each distinct clock once, with the keys it wrote
-- ({"<hlc> <opId>": ["age", "name", "#status"]}), instead of one "<hlc> <opId>" text per key. A
-- record made by one create has a single clock for all its initial fields: ~0.3 kB instead of
-- ~3 kB for 30 fields, which was the largest part of a first push's writes and pushed the row
-- past PostgreSQL's 2 kB compression threshold. registry/domain/merge-ops.ts (packClocks,
-- unpackClocks) reads and writes this form; it still reads the old one.
UPDATE records SET field_clocks = (
  SELECT coalesce(jsonb_object_agg(c.clock, c.keys), '{}'::jsonb)
  FROM (
    SELECT e.value #>> '{}' AS clock, jsonb_agg(e.key ORDER BY e.key) AS keys
    FROM jsonb_each(records.field_clocks) AS e
    GROUP BY 1
  ) AS c
)
WHERE field_clocks <> '{}'::jsonb
  AND EXISTS (
    SELECT 1 FROM jsonb_each(records.field_clocks) AS e WHERE jsonb_typeof(e.value) = 'string'
  );
