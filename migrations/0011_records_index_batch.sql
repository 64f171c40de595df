-- Inserting a record paid four per-row triggers (search text, answers, status counts, the
-- create's sync clock), each a sub-program run per row: together more than the writes they do.
-- Their work now runs as one statement per batch of records, in the writer's own transaction
-- (electron/core/records/index-batch.ts). The two places that insert records or local creates
-- (records/ops.ts, sync/apply.ts) call it; updates and deletes keep their triggers.
DROP TRIGGER records_fts_insert;
DROP TRIGGER records_answers_insert;
DROP TRIGGER record_counts_insert;
DROP TRIGGER sync_local_create;
