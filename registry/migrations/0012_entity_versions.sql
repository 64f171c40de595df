-- ODK entities made or changed by the records offices send (registry/domain/entities.ts).
--
-- Every revision of every register entry, whoever made it (a CSV import, an HQ edit, a record),
-- so that an update a record made from an older revision (the entity spec's baseVersion) can be
-- checked against what changed since. Entries from before this migration start with their
-- current revision.
CREATE TABLE register_entity_versions (
  register_id uuid NOT NULL REFERENCES registers (id),
  entity_id text NOT NULL,
  revision integer NOT NULL,
  label text NOT NULL,
  "values" jsonb NOT NULL,
  deleted boolean NOT NULL,
  -- The record whose entity block made this revision; null for HQ's imports and edits.
  record_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (register_id, entity_id, revision)
);
INSERT INTO register_entity_versions (register_id, entity_id, revision, label, "values", deleted, created_at)
  SELECT register_id, entity_id, revision, label, "values", deleted, updated_at FROM register_entities;

-- A record's entity block is applied once: what it did, or why it was refused.
CREATE TABLE entity_actions (
  record_id uuid PRIMARY KEY REFERENCES records (id),
  dataset text NOT NULL,
  entity_id text NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('created', 'updated', 'refused')),
  revision integer,
  reason text,
  applied_at timestamptz NOT NULL DEFAULT now()
);

-- An update made from an older revision that wrote a property someone else had changed since:
-- the later write stands (every office gets the register whole, so all agree) and both values
-- are kept here until HQ resolves it. Updates of different properties both stand, no conflict.
CREATE TABLE entity_conflicts (
  id uuid PRIMARY KEY,
  register_id uuid NOT NULL REFERENCES registers (id),
  entity_id text NOT NULL,
  record_id uuid NOT NULL REFERENCES records (id),
  -- A property name, or '#label' for the entity's label.
  property text NOT NULL,
  base_revision integer NOT NULL,
  revision integer NOT NULL,
  -- What stood before this record's update (written from another revision than its base) and
  -- what the record wrote.
  theirs jsonb,
  ours jsonb,
  resolved_at timestamptz,
  resolved_by uuid REFERENCES hq_users (id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX entity_conflicts_open ON entity_conflicts (register_id, entity_id) WHERE resolved_at IS NULL;
