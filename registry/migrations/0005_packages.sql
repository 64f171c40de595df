-- USB packages (docs/packages.md): every package the registry applied from a device or wrote for
-- one. The latest import's feed position is where the device's return package starts; the op
-- range says what the device sent.
CREATE TABLE packages (
  id uuid PRIMARY KEY, -- the manifest's package id
  direction text NOT NULL CHECK (direction IN ('import', 'export')),
  device_id uuid NOT NULL REFERENCES devices (id),
  office_id uuid NOT NULL REFERENCES offices (id),
  from_seq bigint, -- import: the device's op seq range (from_seq, to_seq]
  to_seq bigint,
  feed_from text NOT NULL DEFAULT '', -- import: the device's pull cursor; export: the range covered
  feed_to text NOT NULL DEFAULT '',
  ops integer NOT NULL,
  attachments integer NOT NULL,
  bytes bigint NOT NULL,
  created_at timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX packages_device ON packages (device_id, direction, recorded_at);
