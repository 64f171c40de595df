-- What this laptop still has to push (docs/sync.md, "Push"): its own ops after the push cursor.
-- Without this index every sync read every op pulled from other devices to find none of its own
-- (a pull that brought nothing took 0.7 s with 100,000 records).
CREATE INDEX record_ops_by_device ON record_ops (device_id, seq);
