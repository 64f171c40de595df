-- Sync speed (docs/sync.md, "Benchmark"). A record's field clocks ("hlc opId" per field, ~3 kB for
-- 30 fields) pushed its row past the TOAST threshold, and compressing every row on every write
-- cost more than the rest of the merge: keep those values out of line, uncompressed.
ALTER TABLE records ALTER COLUMN field_clocks SET STORAGE EXTERNAL;
ALTER TABLE records ALTER COLUMN "values" SET STORAGE EXTERNAL;

-- The clock node (the laptop's own device id, the end of every HLC it makes) a registry device
-- pushes with, bound by its first push: a device may only send ops made under its own clock.
ALTER TABLE devices ADD COLUMN clock_node text;
