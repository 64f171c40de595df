-- Settings, this device, and forms with their immutable versions.
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL, -- JSON
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE devices (
  id TEXT PRIMARY KEY, -- UUIDv7
  name TEXT NOT NULL,
  is_self INTEGER NOT NULL DEFAULT 0 CHECK (is_self IN (0, 1)),
  public_key TEXT, -- Ed25519, base64; set at enrollment
  last_hlc TEXT, -- this device's clock, persisted so a restart never goes backwards
  created_at INTEGER NOT NULL
) STRICT;

CREATE UNIQUE INDEX devices_one_self ON devices (is_self) WHERE is_self = 1;

CREATE TABLE forms (
  id TEXT PRIMARY KEY, -- UUIDv7
  form_id TEXT NOT NULL UNIQUE, -- the XLSForm settings form_id
  title TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE form_versions (
  id TEXT PRIMARY KEY, -- UUIDv7
  form_id TEXT NOT NULL REFERENCES forms (id),
  version TEXT NOT NULL,
  title TEXT NOT NULL,
  xform TEXT NOT NULL, -- the compiled ODK XForm
  source_name TEXT, -- the spreadsheet it came from
  sha256 TEXT NOT NULL, -- of the XForm, to recognise a re-import
  created_at INTEGER NOT NULL,
  UNIQUE (form_id, version)
) STRICT;

-- A version never changes once stored: records keep the version they were filled with.
CREATE TRIGGER form_versions_immutable BEFORE UPDATE ON form_versions
BEGIN
  SELECT RAISE(ABORT, 'form versions are immutable');
END;
