-- A device's pull does not get its own ops back (registry/domain/feed.ts, readChanges): their
-- rows only move its cursor. Telling them apart read each row's data (`data->>'deviceId'`, the
-- op whole), about 30 ms a page of 1,000 rows, so the pull that follows a first push of 100,000
-- records spent seconds reading back what the device had just sent. The pushing device is now a
-- column of its own, written with the row. Rows written before keep it null and are still told
-- apart by their data (no rewrite of the feed here).
ALTER TABLE changes ADD COLUMN device_id text;
