-- Sync with the registry (docs/sync.md): cursors, per-key clocks, what each op's author had seen,
-- conflicts kept until a person resolves them, and what the registry refused.
CREATE TABLE sync_state (
  key TEXT PRIMARY KEY, -- push_seq, acked_ops, pull_cursor, last_success_at, registry_url, ...
  value TEXT NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

-- The winning op of each key of a record ("hlc opId"): keys are field paths, '#status',
-- '#deleted' and '#instanceName' (shared/sync/ops.ts).
CREATE TABLE sync_field_clocks (
  record_id TEXT NOT NULL,
  key TEXT NOT NULL,
  clock TEXT NOT NULL,
  PRIMARY KEY (record_id, key)
) STRICT, WITHOUT ROWID;

-- Per op: the clock of its key and of its record that its author held when making it (what makes
-- "concurrent" decidable, shared/sync/merge.ts), and the conflicts a resolution settles.
CREATE TABLE sync_op_meta (
  op_id TEXT PRIMARY KEY,
  base_hlc TEXT,
  record_base_hlc TEXT,
  resolves TEXT NOT NULL DEFAULT '[]', -- JSON array of conflict ids
  kind TEXT -- 'resolve' when the op settles conflicts (record_ops.kind stores it as 'set')
) STRICT;

CREATE TABLE sync_conflicts (
  id TEXT PRIMARY KEY, -- the two op ids, ordered: the same on every replica
  record_id TEXT NOT NULL,
  field_path TEXT NOT NULL,
  op_a TEXT NOT NULL,
  op_b TEXT NOT NULL,
  value_a TEXT, -- JSON
  value_b TEXT, -- JSON
  hlc_a TEXT NOT NULL,
  hlc_b TEXT NOT NULL,
  user_a TEXT NOT NULL,
  user_b TEXT NOT NULL,
  node_a TEXT,
  node_b TEXT,
  created_at INTEGER NOT NULL,
  resolved_by_op TEXT,
  resolved_at INTEGER
) STRICT;
CREATE INDEX sync_conflicts_open ON sync_conflicts (created_at) WHERE resolved_by_op IS NULL;

CREATE TABLE sync_rejections (
  op_id TEXT PRIMARY KEY,
  record_id TEXT NOT NULL,
  code TEXT NOT NULL,
  message TEXT NOT NULL,
  rejected_at INTEGER NOT NULL
) STRICT;

CREATE TABLE sync_reviews (
  record_id TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  comment TEXT,
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE sync_uploads (
  sha256 TEXT PRIMARY KEY, -- stored on the registry (checked by its hash there)
  uploaded_at INTEGER NOT NULL
) STRICT;

-- This laptop's own ops: note what the author had seen of the key and the record, then advance
-- the key's clock, in the writer's own transaction, so the records code needs no change.
CREATE TRIGGER sync_local_op AFTER INSERT ON record_ops
WHEN NEW.device_id = (SELECT id FROM devices WHERE is_self = 1)
BEGIN
  INSERT INTO sync_op_meta (op_id, base_hlc, record_base_hlc) VALUES (
    NEW.id,
    (SELECT substr(clock, 1, instr(clock, ' ') - 1) FROM sync_field_clocks
      WHERE record_id = NEW.record_id
        AND key = CASE NEW.kind WHEN 'status' THEN '#status' WHEN 'delete' THEN '#deleted'
                   WHEN 'restore' THEN '#deleted' ELSE NEW.field_path END),
    (SELECT substr(max(clock), 1, instr(max(clock), ' ') - 1) FROM sync_field_clocks
      WHERE record_id = NEW.record_id));
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
