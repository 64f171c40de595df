-- Records, their append-only operation log, and attachment references.
CREATE TABLE records (
  id TEXT PRIMARY KEY, -- UUIDv7
  form_version_id TEXT NOT NULL REFERENCES form_versions (id),
  status TEXT NOT NULL DEFAULT 'draft'
    CHECK (status IN ('draft', 'complete', 'synced', 'approved', 'rejected')),
  instance_name TEXT,
  values_json TEXT NOT NULL DEFAULT '{}',
  instance_xml TEXT,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_by TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  deleted_at INTEGER
) STRICT;

CREATE INDEX records_by_form_updated ON records (form_version_id, updated_at DESC);
CREATE INDEX records_by_status ON records (status, updated_at DESC);

CREATE TABLE record_ops (
  id TEXT PRIMARY KEY, -- UUIDv7; makes a replayed op harmless
  seq INTEGER NOT NULL UNIQUE, -- local append order
  record_id TEXT NOT NULL REFERENCES records (id),
  field_path TEXT NOT NULL, -- '' for record-level ops (create, status, delete)
  kind TEXT NOT NULL DEFAULT 'set' CHECK (kind IN ('create', 'set', 'status', 'delete', 'restore')),
  old_value TEXT, -- JSON
  new_value TEXT, -- JSON
  hlc TEXT NOT NULL,
  device_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;

CREATE INDEX record_ops_by_record ON record_ops (record_id, hlc);
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
  sha256 TEXT NOT NULL, -- the file's name in the content-addressed store
  size INTEGER NOT NULL,
  media_type TEXT NOT NULL,
  file_name TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;

CREATE INDEX attachments_by_record ON attachments (record_id);
CREATE INDEX attachments_by_sha256 ON attachments (sha256);
