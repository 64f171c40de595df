-- USB packages (docs/packages.md): every package this laptop wrote or applied. An export "since
-- the last package" starts after the highest exported op; an import whose feed range ends at or
-- before what was applied is recognised as already applied.
CREATE TABLE packages (
  id TEXT PRIMARY KEY, -- the manifest's package id (UUIDv7)
  direction TEXT NOT NULL CHECK (direction IN ('export', 'import')),
  source TEXT NOT NULL, -- device id, or the registry id
  destination TEXT NOT NULL,
  from_seq INTEGER, -- exported: local op seq range (from_seq, to_seq]
  to_seq INTEGER,
  feed_from TEXT, -- imported: the registry feed range (feed_from, feed_to]
  feed_to TEXT,
  ops INTEGER NOT NULL,
  attachments INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  created_at INTEGER NOT NULL, -- the manifest's time
  recorded_at INTEGER NOT NULL
) STRICT;
CREATE INDEX packages_direction ON packages (direction, recorded_at);
