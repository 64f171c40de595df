-- What each op's author had seen of the record's other keys (shared/sync/merge.ts): for a
-- delete, every key's clock; for any other op, the clock of '#deleted'. Supersedes
-- sync_op_meta.record_base_hlc (a single greatest clock, too coarse to decide a delete against
-- an edit), which is no longer written.
ALTER TABLE sync_op_meta ADD COLUMN seen TEXT NOT NULL DEFAULT '{}';

DROP TRIGGER sync_local_op;
CREATE TRIGGER sync_local_op AFTER INSERT ON record_ops
WHEN NEW.device_id = (SELECT id FROM devices WHERE is_self = 1)
BEGIN
  INSERT INTO sync_op_meta (op_id, base_hlc, seen) VALUES (
    NEW.id,
    (SELECT substr(clock, 1, instr(clock, ' ') - 1) FROM sync_field_clocks
      WHERE record_id = NEW.record_id
        AND key = CASE NEW.kind WHEN 'status' THEN '#status' WHEN 'delete' THEN '#deleted'
                   WHEN 'restore' THEN '#deleted' ELSE NEW.field_path END),
    CASE WHEN NEW.kind = 'delete' THEN
      (SELECT json_group_object(key, substr(clock, 1, instr(clock, ' ') - 1))
        FROM sync_field_clocks WHERE record_id = NEW.record_id)
    ELSE
      COALESCE((SELECT json_object('#deleted', substr(clock, 1, instr(clock, ' ') - 1))
        FROM sync_field_clocks WHERE record_id = NEW.record_id AND key = '#deleted'), '{}')
    END);
  INSERT INTO sync_field_clocks (record_id, key, clock)
    SELECT NEW.record_id,
      CASE NEW.kind WHEN 'status' THEN '#status' WHEN 'delete' THEN '#deleted'
        WHEN 'restore' THEN '#deleted' ELSE NEW.field_path END,
      NEW.hlc || ' ' || NEW.id
    WHERE NEW.kind <> 'create'
    ON CONFLICT (record_id, key) DO UPDATE SET clock = excluded.clock
      WHERE excluded.clock > sync_field_clocks.clock;
  INSERT INTO sync_field_clocks (record_id, key, clock)
    SELECT NEW.record_id, j.key, NEW.hlc || ' ' || NEW.id
    FROM json_each(NEW.new_value, '$.values') AS j
    WHERE NEW.kind = 'create'
    ON CONFLICT (record_id, key) DO UPDATE SET clock = excluded.clock
      WHERE excluded.clock > sync_field_clocks.clock;
  INSERT INTO sync_field_clocks (record_id, key, clock)
    SELECT NEW.record_id, '#status', NEW.hlc || ' ' || NEW.id WHERE NEW.kind = 'create'
    UNION ALL
    SELECT NEW.record_id, '#instanceName', NEW.hlc || ' ' || NEW.id
    WHERE NEW.kind = 'create' AND json_extract(NEW.new_value, '$.instanceName') IS NOT NULL
    ON CONFLICT (record_id, key) DO UPDATE SET clock = excluded.clock
      WHERE excluded.clock > sync_field_clocks.clock;
END;
