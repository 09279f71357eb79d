-- From version 10 to 11 (issue 14: the store at most 2.5 times the CSV's
-- bytes; self-contained and safe to run again, so that it can run after any
-- other change of the same wave, renumbered).
--
-- case_terms_case, the terms by case (a third of the file's bytes with
-- case_terms): it served only to delete a changed case's old terms, which
-- the program now makes again from the case as stored and deletes by their
-- place in case_terms' own key (store/gt_keys.c), and the search, which
-- makes a found case's terms the same way (store/gt_queue.c).
DROP INDEX IF EXISTS case_terms_case;
-- cases_level (the level shown, by its text): no query reads it since the
-- queue orders levels by rank (cases_level_rank).
DROP INDEX IF EXISTS cases_level;
-- The name's collation key as its bytes, a BLOB (BLOBs compare by memcmp,
-- as the hex text compared), rather than their hex: half the bytes, in the
-- table and in its index. gt_unhex is the program's (SQLite has unhex()
-- only from 3.41).
-- Copied out and back rather than renamed, so that the table reads as
-- schema.sql writes it.
CREATE TEMP TABLE case_keys_011 AS
	SELECT case_id, iif(typeof(name_key) = 'blob', name_key, gt_unhex(name_key)) AS name_key, pinyin, initials
	FROM case_keys;
DROP TABLE case_keys;
CREATE TABLE case_keys (
	case_id   INTEGER PRIMARY KEY REFERENCES cases(id),
	name_key  BLOB NOT NULL,
	pinyin    TEXT NOT NULL,
	initials  TEXT NOT NULL
);
INSERT INTO case_keys (case_id, name_key, pinyin, initials)
	SELECT case_id, name_key, pinyin, initials FROM temp.case_keys_011 ORDER BY case_id;
DROP TABLE temp.case_keys_011;
CREATE INDEX case_keys_name ON case_keys (name_key, case_id);
