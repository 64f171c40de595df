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

-- A collector's own list (created_by = them) walks its own index instead of every record of the
-- form.
CREATE INDEX records_list_author ON records (form_id, created_by, updated_at) WHERE deleted_at IS NULL;

-- The question filter ("district = Gulu") at a million records: one token per answer, the
-- question's and the answer's UTF-8 bytes in hex ('q' || hex(path) || 'x' || hex(value)), so a
-- token matches exactly one question and one whole answer, whatever characters either has. Top-
-- level answers and each choice of a select_multiple; answers longer than 64 characters are left
-- out (free text; the filter reads the JSON for those). Contentless like records_fts, and kept
-- by triggers in the writer's transaction. The list reads it as a candidate set and still checks
-- each row's JSON (list.ts), so the index only has to never miss a match.
CREATE VIRTUAL TABLE records_answers USING fts5(
  a,
  content = '',
  contentless_delete = 1,
  detail = none,
  tokenize = 'unicode61 remove_diacritics 0'
);

CREATE TRIGGER records_answers_insert AFTER INSERT ON records
BEGIN
  INSERT INTO records_answers (rowid, a) VALUES (NEW.rid, (
    SELECT group_concat('q' || hex(t.key) || 'x' || hex(COALESCE(e.value, t.value)), ' ')
    FROM json_each(NEW.values_json) t
    LEFT JOIN json_each(CASE WHEN t.type = 'array' THEN t.value END) e
    WHERE (t.type IN ('text', 'integer', 'real', 'true', 'false') OR e.type IN ('text', 'integer', 'real', 'true', 'false'))
      AND length(COALESCE(e.value, t.value)) <= 64));
END;

CREATE TRIGGER records_answers_update AFTER UPDATE OF values_json ON records
BEGIN
  DELETE FROM records_answers WHERE rowid = OLD.rid;
  INSERT INTO records_answers (rowid, a) VALUES (NEW.rid, (
    SELECT group_concat('q' || hex(t.key) || 'x' || hex(COALESCE(e.value, t.value)), ' ')
    FROM json_each(NEW.values_json) t
    LEFT JOIN json_each(CASE WHEN t.type = 'array' THEN t.value END) e
    WHERE (t.type IN ('text', 'integer', 'real', 'true', 'false') OR e.type IN ('text', 'integer', 'real', 'true', 'false'))
      AND length(COALESCE(e.value, t.value)) <= 64));
END;

CREATE TRIGGER records_answers_delete AFTER DELETE ON records
BEGIN
  DELETE FROM records_answers WHERE rowid = OLD.rid;
END;

-- Records already on the laptop.
INSERT INTO records_answers (rowid, a)
  SELECT r.rid, (
    SELECT group_concat('q' || hex(t.key) || 'x' || hex(COALESCE(e.value, t.value)), ' ')
    FROM json_each(r.values_json) t
    LEFT JOIN json_each(CASE WHEN t.type = 'array' THEN t.value END) e
    WHERE (t.type IN ('text', 'integer', 'real', 'true', 'false') OR e.type IN ('text', 'integer', 'real', 'true', 'false'))
      AND length(COALESCE(e.value, t.value)) <= 64)
  FROM records r;
