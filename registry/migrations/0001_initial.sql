-- The registry's first schema. Times are timestamptz throughout; ids are UUIDv7 made by the app.

CREATE TABLE offices (
  id uuid PRIMARY KEY,
  code text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9][a-z0-9_-]{0,39}$'),
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE hq_users (
  id uuid PRIMARY KEY,
  email text NOT NULL UNIQUE,
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('admin', 'data_manager', 'viewer')),
  password_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  disabled_at timestamptz
);

-- Only a sha256 of each bearer token is stored: a database dump does not let anyone sign in.
CREATE TABLE hq_sessions (
  token_hash text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES hq_users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);

CREATE TABLE devices (
  id uuid PRIMARY KEY,
  office_id uuid NOT NULL REFERENCES offices (id),
  name text NOT NULL,
  public_key text NOT NULL,
  token_hash text NOT NULL UNIQUE,
  enrolled_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
CREATE INDEX devices_office_id ON devices (office_id);

CREATE TABLE enrollment_codes (
  code_hash text PRIMARY KEY,
  office_id uuid NOT NULL REFERENCES offices (id),
  created_by uuid REFERENCES hq_users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  device_id uuid REFERENCES devices (id)
);

CREATE TABLE forms (
  id uuid PRIMARY KEY,
  form_key text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE form_versions (
  id uuid PRIMARY KEY,
  form_id uuid NOT NULL REFERENCES forms (id),
  version text NOT NULL,
  title text NOT NULL,
  file_name text NOT NULL,
  file_sha256 text NOT NULL,
  file_bytes bytea NOT NULL,
  definition jsonb,
  created_by uuid REFERENCES hq_users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (form_id, version)
);

-- A form version is immutable: records keep the version they were filled with.
CREATE FUNCTION refuse_form_version_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'form versions are immutable';
END
$$;
CREATE TRIGGER form_versions_immutable BEFORE UPDATE OR DELETE ON form_versions
  FOR EACH ROW EXECUTE FUNCTION refuse_form_version_change();

CREATE TABLE form_publications (
  form_version_id uuid NOT NULL REFERENCES form_versions (id),
  office_id uuid NOT NULL REFERENCES offices (id),
  published_by uuid REFERENCES hq_users (id),
  published_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (form_version_id, office_id)
);
CREATE INDEX form_publications_office_id ON form_publications (office_id);

CREATE TABLE registers (
  id uuid PRIMARY KEY,
  name text NOT NULL UNIQUE CHECK (name ~ '^[a-z_][a-z0-9_]{0,63}$'),
  title text NOT NULL,
  columns jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE register_entities (
  register_id uuid NOT NULL REFERENCES registers (id),
  entity_id text NOT NULL,
  label text NOT NULL,
  "values" jsonb NOT NULL,
  revision integer NOT NULL DEFAULT 1,
  deleted boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (register_id, entity_id)
);

CREATE TABLE register_publications (
  register_id uuid NOT NULL REFERENCES registers (id),
  office_id uuid NOT NULL REFERENCES offices (id),
  published_by uuid REFERENCES hq_users (id),
  published_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (register_id, office_id)
);
CREATE INDEX register_publications_office_id ON register_publications (office_id);

CREATE TABLE records (
  id uuid PRIMARY KEY,
  office_id uuid NOT NULL REFERENCES offices (id),
  form_version_id uuid NOT NULL REFERENCES form_versions (id),
  "values" jsonb NOT NULL DEFAULT '{}',
  -- The clock of the op that set each field, so that the latest op wins whatever the arrival order.
  field_clocks jsonb NOT NULL DEFAULT '{}',
  review_state text NOT NULL DEFAULT 'received'
    CHECK (review_state IN ('received', 'approved', 'rejected', 'corrected')),
  review_comment text,
  reviewed_by uuid REFERENCES hq_users (id),
  reviewed_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX records_office_id ON records (office_id, id);

CREATE TABLE record_ops (
  op_id uuid PRIMARY KEY,
  record_id uuid NOT NULL REFERENCES records (id),
  field_path text NOT NULL,
  old_value jsonb,
  new_value jsonb,
  hlc text NOT NULL,
  device_id uuid REFERENCES devices (id),
  user_id text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX record_ops_record_id ON record_ops (record_id, hlc);

-- The change feed. A row's position is (txid, id); readers only see rows whose transaction is
-- older than every transaction still running (pg_snapshot_xmin), so a change committed late by a
-- concurrent transaction is never skipped. See docs/sync.md, "Change feed".
CREATE TABLE changes (
  id bigint GENERATED ALWAYS AS IDENTITY,
  txid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  office_id uuid REFERENCES offices (id),
  kind text NOT NULL,
  entity_id text NOT NULL,
  data jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (txid, id)
);
CREATE INDEX changes_office_position ON changes (office_id, txid, id);

-- Per-subject request counters in fixed windows, kept here so every instance shares them.
CREATE TABLE rate_limit_windows (
  subject text NOT NULL,
  window_start timestamptz NOT NULL,
  hits integer NOT NULL,
  PRIMARY KEY (subject, window_start)
);
