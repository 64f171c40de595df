-- What an op's author had seen of the record's other keys, to decide a delete against an edit
-- per key (shared/sync/merge.ts). Supersedes record_base_hlc, a single greatest clock, which
-- could make an edit look seen by a delete whose author had only seen a later edit of another
-- field; that column is no longer written.
ALTER TABLE record_ops ADD COLUMN seen jsonb NOT NULL DEFAULT '{}';
