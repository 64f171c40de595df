-- The files a form reads (select_one_from_file, pulldata, instance('name')): CSV, GeoJSON or XML
-- given with the spreadsheet at import, one row per file the form names (e.g. villages.csv).
CREATE TABLE form_media (
  form_version_id TEXT NOT NULL REFERENCES form_versions (id),
  name TEXT NOT NULL, -- the file name as the form names it, e.g. villages.csv
  content TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (form_version_id, name)
) STRICT;

-- Registers HQ published to this office (lists of villages, schools, health facilities), as the
-- forms read them: a form naming `<name>.csv` gets the register's entries (name, label and one
-- column per property). Kept whole per register; refreshed when the feed says it changed.
CREATE TABLE registers (
  id TEXT PRIMARY KEY, -- the registry's id
  name TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  csv TEXT NOT NULL,
  entries INTEGER NOT NULL,
  stale INTEGER NOT NULL DEFAULT 0, -- 1: the feed announced a change not fetched yet
  updated_at INTEGER NOT NULL
) STRICT;
