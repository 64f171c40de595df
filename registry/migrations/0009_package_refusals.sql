-- Records an office's USB package carried that the registry refused (another office's record, a
-- form version never published to that office): the rest of the package applies, and these go
-- back in the device's next return package, where the laptop sets them aside as it does an
-- online refusal. One row per refused op.
CREATE TABLE package_refusals (
  op_id uuid PRIMARY KEY,
  device_id uuid NOT NULL REFERENCES devices (id),
  record_id uuid NOT NULL,
  code text NOT NULL,
  message text NOT NULL,
  package_id uuid NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX package_refusals_device ON package_refusals (device_id, recorded_at);
