-- The records store at scale (issue 5): a create's clock is one row instead of one per field,
-- local creates need no sync_op_meta row, an unused index goes, and the question filter and the
-- collector's own list get indexes.

-- A create's clock covers every key it wrote (its fields, '#status', and '#instanceName' when it
-- named the record): one row under the key '#create' instead of ~32 rows, which made the sync
-- trigger most of the cost of an insert. A key's clock is its own row when a later op wrote it,
-- else the create's when the create wrote the key (sync_clocks below). Records created before
-- this migration keep their per-key rows, which take precedence, so they read the same.
CREATE VIEW sync_clocks (record_id, key, clock) AS
  SELECT record_id, key, clock FROM sync_field_clocks WHERE key <> '#create'
  UNION ALL
  SELECT c.record_id, w.key, c.clock
  FROM sync_field_clocks c
  JOIN record_ops o ON o.id = substr(c.clock, instr(c.clock, ' ') + 1)
  JOIN json_each(json_patch(
    COALESCE(json_extract(o.new_value, '$.values'), '{}'),
    json_object('#status', 1, '#instanceName', json_extract(o.new_value, '$.instanceName'))
  )) w
  WHERE c.key = '#create'
    AND NOT EXISTS (SELECT 1 FROM sync_field_clocks e WHERE e.record_id = c.record_id AND e.key = w.key);

-- This laptop's own ops (as in 0005): what the author had seen of the key and of the record, then
-- the key's clock. A create of a new record had seen nothing (no base, an empty `seen`, which is
-- what a missing sync_op_meta row reads as), so it only writes its '#create' clock.
DROP TRIGGER sync_local_op;
CREATE TRIGGER sync_local_create AFTER INSERT ON record_ops
WHEN NEW.kind = 'create' AND NEW.device_id = (SELECT id FROM devices WHERE is_self = 1)
BEGIN
  INSERT INTO sync_field_clocks (record_id, key, clock) VALUES (NEW.record_id, '#create', NEW.hlc || ' ' || NEW.id);
END;

CREATE TRIGGER sync_local_op AFTER INSERT ON record_ops
WHEN NEW.kind <> 'create' AND NEW.device_id = (SELECT id FROM devices WHERE is_self = 1)
BEGIN
  INSERT INTO sync_op_meta (op_id, base_hlc, seen) VALUES (
    NEW.id,
    (SELECT substr(clock, 1, instr(clock, ' ') - 1) FROM sync_clocks
      WHERE record_id = NEW.record_id
        AND key = CASE NEW.kind WHEN 'status' THEN '#status' WHEN 'delete' THEN '#deleted'
                   WHEN 'restore' THEN '#deleted' ELSE NEW.field_path END),
    CASE WHEN NEW.kind = 'delete' THEN
      COALESCE((SELECT json_group_object(key, substr(clock, 1, instr(clock, ' ') - 1))
        FROM sync_clocks WHERE record_id = NEW.record_id), '{}')
    ELSE
      COALESCE((SELECT json_object('#deleted', substr(clock, 1, instr(clock, ' ') - 1))
        FROM sync_field_clocks WHERE record_id = NEW.record_id AND key = '#deleted'), '{}')
    END);
  INSERT INTO sync_field_clocks (record_id, key, clock)
    SELECT NEW.record_id, k.key, NEW.hlc || ' ' || NEW.id
    FROM (SELECT CASE NEW.kind WHEN 'status' THEN '#status' WHEN 'delete' THEN '#deleted'
            WHEN 'restore' THEN '#deleted' ELSE NEW.field_path END AS key) k
    WHERE NEW.hlc || ' ' || NEW.id > COALESCE(
      (SELECT clock FROM sync_clocks WHERE record_id = NEW.record_id AND key = k.key), '')
    ON CONFLICT (record_id, key) DO UPDATE SET clock = excluded.clock
      WHERE excluded.clock > sync_field_clocks.clock;
END;

-- Nothing reads record_ops in clock order; the index cost every append.
DROP INDEX record_ops_by_hlc;
