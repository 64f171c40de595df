-- Sync (docs/sync.md).

-- The clock node (the laptop's own device id, the end of every HLC it makes) a registry device
-- pushes with, bound by its first push: a device may only send ops made under its own clock.
ALTER TABLE devices ADD COLUMN clock_node text;

-- How many of a device's ops the registry holds is read at the start of every sync (the epoch
-- check); without an index that count read every op of every office (0.8 s at 100,000 records).
CREATE INDEX record_ops_device_id ON record_ops (device_id);
