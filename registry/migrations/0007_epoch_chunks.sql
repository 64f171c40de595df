-- The registry's epoch: an id every device compares on each sync. An admin who restores the
-- registry from a backup rotates it (`outpost-registry epoch rotate`), and every device then
-- reconciles in full (docs/sync.md, "Epoch check"). One row.
CREATE TABLE registry_epoch (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  epoch uuid NOT NULL DEFAULT gen_random_uuid(),
  rotated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO registry_epoch DEFAULT VALUES;

-- An unfinished attachment upload is kept as its chunks, one row each, so a chunk costs its own
-- size to store (the bytes column of attachment_uploads was rewritten whole on every chunk).
-- attachment_uploads keeps one row per upload with how many bytes arrived.
CREATE TABLE attachment_upload_chunks (
  sha256 text NOT NULL,
  device_id uuid NOT NULL REFERENCES devices (id),
  "offset" bigint NOT NULL,
  bytes bytea NOT NULL,
  PRIMARY KEY (sha256, device_id, "offset")
);
ALTER TABLE attachment_uploads ADD COLUMN received bigint NOT NULL DEFAULT 0;
INSERT INTO attachment_upload_chunks (sha256, device_id, "offset", bytes)
  SELECT sha256, device_id, 0, bytes FROM attachment_uploads WHERE length(bytes) > 0;
UPDATE attachment_uploads SET received = length(bytes), bytes = '';
