-- Local accounts. Passwords are not here: each user's password wraps the data key in the keyring
-- file (electron/core/auth/keyring.ts), and this database is only readable with that key.
-- username is what records and ops carry as their author (created_by, user_id): readable at HQ
-- and stable, since a username never changes.
CREATE TABLE users (
  id TEXT PRIMARY KEY, -- UUIDv7
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('supervisor', 'collector', 'clerk')),
  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
