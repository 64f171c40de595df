-- Sync: ops carry their kind and what their author had seen (merge.ts in shared/sync), records
-- carry status, deletion and instance name as merged keys, and concurrent edits are kept as
-- conflicts until a person resolves them.
ALTER TABLE record_ops
  ADD COLUMN kind text NOT NULL DEFAULT 'set'
    CHECK (kind IN ('create', 'set', 'revert', 'status', 'delete', 'restore', 'resolve')),
  ADD COLUMN base_hlc text,
  ADD COLUMN record_base_hlc text,
  ADD COLUMN resolves jsonb NOT NULL DEFAULT '[]',
  -- The author's node: a device id, or 'registry' for HQ's own ops (device_id stays null then).
  ADD COLUMN node text;

ALTER TABLE records
  ADD COLUMN status text,
  ADD COLUMN instance_name text,
  ADD COLUMN deleted boolean NOT NULL DEFAULT false;

CREATE TABLE conflicts (
  id text PRIMARY KEY, -- the two op ids, ordered: the same on every replica
  record_id uuid NOT NULL REFERENCES records (id),
  office_id uuid NOT NULL REFERENCES offices (id),
  field_path text NOT NULL,
  op_a uuid NOT NULL,
  op_b uuid NOT NULL,
  value_a jsonb,
  value_b jsonb,
  hlc_a text NOT NULL,
  hlc_b text NOT NULL,
  user_a text NOT NULL,
  user_b text NOT NULL,
  node_a text,
  node_b text,
  created_at timestamptz NOT NULL DEFAULT now(),
  resolved_by_op uuid,
  resolved_at timestamptz
);
CREATE INDEX conflicts_open ON conflicts (office_id, created_at) WHERE resolved_by_op IS NULL;
CREATE INDEX conflicts_record ON conflicts (record_id);

-- Content-addressed attachments, uploaded in chunks and verified by sha256 before they count.
CREATE TABLE attachment_blobs (
  sha256 text PRIMARY KEY,
  size bigint NOT NULL,
  bytes bytea NOT NULL,
  office_id uuid NOT NULL REFERENCES offices (id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE attachment_uploads (
  sha256 text NOT NULL,
  device_id uuid NOT NULL REFERENCES devices (id),
  bytes bytea NOT NULL DEFAULT '',
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (sha256, device_id)
);
