-- Full-text search over each record's values and instance name. Contentless (the text lives in
-- records.values_json already) with contentless_delete so an edit can replace a row's terms.
-- remove_diacritics 2 lets "Sao" find "São". detail=none keeps no positions: searches are ANDs
-- of (prefix) words, never phrases, and positions cost a third of the insert rate. The
-- 2-letter prefix index answers the first keystrokes of a type-ahead ("gu*") from one doclist;
-- longer prefixes match few enough terms to merge on the fly (measured in test/bench/store.ts).
CREATE VIRTUAL TABLE records_fts USING fts5(
  text,
  content = '',
  contentless_delete = 1,
  detail = none,
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '2'
);

-- Triggers keep the index in the writer's own transaction: a record and its search terms commit
-- together. The text is every scalar in the values (json_tree walks repeats too) plus the name.
CREATE TRIGGER records_fts_insert AFTER INSERT ON records
BEGIN
  INSERT INTO records_fts (rowid, text) VALUES (
    NEW.rid,
    COALESCE(NEW.instance_name, '') || ' ' || COALESCE((
      SELECT group_concat(value, ' ') FROM json_tree(NEW.values_json)
      WHERE type IN ('text', 'integer', 'real')
    ), '')
  );
END;

CREATE TRIGGER records_fts_update AFTER UPDATE OF values_json, instance_name ON records
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

CREATE TRIGGER records_fts_delete AFTER DELETE ON records
BEGIN
  DELETE FROM records_fts WHERE rowid = OLD.rid;
END;
