-- A device's push writes a thousand ops, their feed rows and up to a thousand records per
-- statement; PostgreSQL checks each foreign key row by row (a lookup and a row lock per op),
-- about a third of the time of those inserts. The registry's own code is the only writer of these
-- rows and always names what exists: a record is inserted or locked before its ops in the same
-- transaction (registry/domain/records.ts, pushOps; reviews.ts locks it), a form version is
-- checked as published to the device's office before its records are taken, and offices, devices,
-- form versions and records are never deleted. The checks kept on the hot path are the primary
-- keys (op ids make a replay harmless) and the indexes the reads need.
ALTER TABLE record_ops DROP CONSTRAINT record_ops_record_id_fkey;
ALTER TABLE record_ops DROP CONSTRAINT record_ops_device_id_fkey;
ALTER TABLE changes DROP CONSTRAINT changes_office_id_fkey;
ALTER TABLE records DROP CONSTRAINT records_office_id_fkey;
ALTER TABLE records DROP CONSTRAINT records_form_version_id_fkey;
