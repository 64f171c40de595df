-- A bulk create (createRecords of at least 100 records: an import, a big sync of local work)
-- commits its records, ops, counts and clocks at once and writes their search text and answer
-- tokens afterwards (electron/core/records/index-backlog.ts): the full-text index was a third of
-- such an insert. Each range of rids written but not yet indexed is a row here, in the same
-- transaction as the records, so a crash between the two loses nothing: the next open indexes
-- them. Search and the question filter first index whatever is left (list.ts), so neither ever
-- misses a saved record.
CREATE TABLE records_unindexed (
  first_rid INTEGER PRIMARY KEY,
  last_rid INTEGER NOT NULL CHECK (last_rid >= first_rid)
) STRICT;

-- An edit or a (hard) delete of a record still waiting leaves the indexes alone: the backlog
-- indexes the record as it is when its turn comes. Bodies as in 0003 and 0009.
DROP TRIGGER records_fts_update;
CREATE TRIGGER records_fts_update AFTER UPDATE OF values_json, instance_name ON records
WHEN NOT EXISTS (SELECT 1 FROM records_unindexed WHERE first_rid <= OLD.rid AND last_rid >= OLD.rid)
BEGIN
  DELETE FROM records_fts WHERE rowid = OLD.rid;
  INSERT INTO records_fts (rowid, text) VALUES (
    NEW.rid,
    COALESCE(NEW.instance_name, '') || ' ' || COALESCE((
      SELECT group_concat(value, ' ') FROM json_tree(NEW.values_json)
      WHERE type IN ('text', 'integer', 'real')
    ), '')
  );
END;

DROP TRIGGER records_fts_delete;
CREATE TRIGGER records_fts_delete AFTER DELETE ON records
WHEN NOT EXISTS (SELECT 1 FROM records_unindexed WHERE first_rid <= OLD.rid AND last_rid >= OLD.rid)
BEGIN
  DELETE FROM records_fts WHERE rowid = OLD.rid;
END;

DROP TRIGGER records_answers_update;
CREATE TRIGGER records_answers_update AFTER UPDATE OF values_json ON records
WHEN NOT EXISTS (SELECT 1 FROM records_unindexed WHERE first_rid <= OLD.rid AND last_rid >= OLD.rid)
BEGIN
  DELETE FROM records_answers WHERE rowid = OLD.rid;
  INSERT INTO records_answers (rowid, a) VALUES (NEW.rid, (
    SELECT group_concat('q' || hex(t.key) || 'x' || hex(COALESCE(e.value, t.value)), ' ')
    FROM json_each(NEW.values_json) t
    LEFT JOIN json_each(CASE WHEN t.type = 'array' THEN t.value END) e
    WHERE (t.type IN ('text', 'integer', 'real', 'true', 'false') OR e.type IN ('text', 'integer', 'real', 'true', 'false'))
      AND length(COALESCE(e.value, t.value)) <= 64));
END;

DROP TRIGGER records_answers_delete;
CREATE TRIGGER records_answers_delete AFTER DELETE ON records
WHEN NOT EXISTS (SELECT 1 FROM records_unindexed WHERE first_rid <= OLD.rid AND last_rid >= OLD.rid)
BEGIN
  DELETE FROM records_answers WHERE rowid = OLD.rid;
END;
