-- Records, their append-only operation log, attachment references and per-form targets.
CREATE TABLE records (
  -- An explicit integer key: the full-text index and every list index point at it, and SQLite
  -- may renumber an implicit rowid on VACUUM, which would silently detach the search index.
  rid INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE, -- UUIDv7, the record's identity everywhere else (ops, sync, exports)
  form_id TEXT NOT NULL REFERENCES forms (id), -- denormalised from the version so lists index on it
  form_version_id TEXT NOT NULL REFERENCES form_versions (id),
  status TEXT NOT NULL DEFAULT 'draft'
    CHECK (status IN ('draft', 'complete', 'synced', 'approved', 'rejected')),
  instance_name TEXT,
  values_json TEXT NOT NULL DEFAULT '{}', -- RecordValues (shared/records/values.ts)
  instance_xml TEXT,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_by TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  deleted_at INTEGER,
  deleted_by TEXT
) STRICT;

-- One index per list sort, partial on live records so the list never reads deleted rows. Each
-- ends (implicitly) in rid, which breaks ties and makes the order total.
CREATE INDEX records_list_updated ON records (form_id, updated_at) WHERE deleted_at IS NULL;
CREATE INDEX records_list_created ON records (form_id, created_at) WHERE deleted_at IS NULL;
CREATE INDEX records_list_status ON records (form_id, status, updated_at) WHERE deleted_at IS NULL;
CREATE INDEX records_list_name ON records (form_id, instance_name) WHERE deleted_at IS NULL;
CREATE INDEX records_deleted ON records (form_id, deleted_at) WHERE deleted_at IS NOT NULL;

-- Live records per form and status, kept by triggers so that a list's total and the dashboard's
-- status counts are a lookup instead of a scan of a million index entries.
CREATE TABLE record_counts (
  form_id TEXT NOT NULL,
  status TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (form_id, status)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER record_counts_insert AFTER INSERT ON records WHEN NEW.deleted_at IS NULL
BEGIN
  INSERT INTO record_counts (form_id, status, n) VALUES (NEW.form_id, NEW.status, 1)
    ON CONFLICT (form_id, status) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER record_counts_update AFTER UPDATE OF status, deleted_at, form_id ON records
BEGIN
  UPDATE record_counts SET n = n - 1
    WHERE OLD.deleted_at IS NULL AND form_id = OLD.form_id AND status = OLD.status;
  INSERT INTO record_counts (form_id, status, n)
    SELECT NEW.form_id, NEW.status, 1 WHERE NEW.deleted_at IS NULL
    ON CONFLICT (form_id, status) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER record_counts_delete AFTER DELETE ON records WHEN OLD.deleted_at IS NULL
BEGIN
  UPDATE record_counts SET n = n - 1 WHERE form_id = OLD.form_id AND status = OLD.status;
END;

CREATE TABLE record_ops (
  id TEXT PRIMARY KEY, -- UUIDv7; makes a replayed op harmless
  seq INTEGER NOT NULL UNIQUE, -- local append order
  record_id TEXT NOT NULL REFERENCES records (id),
  field_path TEXT NOT NULL, -- '' for record-level ops (create, status, delete, restore)
  kind TEXT NOT NULL DEFAULT 'set'
    CHECK (kind IN ('create', 'set', 'revert', 'status', 'delete', 'restore')),
  old_value TEXT, -- JSON
  new_value TEXT, -- JSON; for 'create': {"formVersionId", "values", "status", "instanceName"}
  reverts_op_id TEXT, -- for 'revert': the op whose value the field was set back to
  hlc TEXT NOT NULL,
  device_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;

CREATE INDEX record_ops_by_record ON record_ops (record_id, seq);
CREATE INDEX record_ops_by_hlc ON record_ops (hlc);

-- The log is the audit trail: it is only ever appended to.
CREATE TRIGGER record_ops_no_update BEFORE UPDATE ON record_ops
BEGIN
  SELECT RAISE(ABORT, 'record_ops is append-only');
END;
CREATE TRIGGER record_ops_no_delete BEFORE DELETE ON record_ops
BEGIN
  SELECT RAISE(ABORT, 'record_ops is append-only');
END;

CREATE TABLE attachments (
  id TEXT PRIMARY KEY, -- UUIDv7
  record_id TEXT NOT NULL REFERENCES records (id),
  field_path TEXT NOT NULL,
  sha256 TEXT NOT NULL, -- the file's name in the content-addressed store (attachments/aa/bb/sha)
  size INTEGER NOT NULL,
  media_type TEXT NOT NULL,
  file_name TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;

CREATE INDEX attachments_by_record ON attachments (record_id);
CREATE INDEX attachments_by_sha256 ON attachments (sha256);

-- How many records a supervisor expects per form, for the progress dashboard.
CREATE TABLE record_targets (
  form_id TEXT PRIMARY KEY REFERENCES forms (id),
  target INTEGER NOT NULL CHECK (target >= 0),
  updated_by TEXT NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
