-- From version 10 to 11 (issue 14: the store at most 2.5 times the CSV's
-- bytes; self-contained and safe to run again, so that it can run after any
-- other change of the same wave, renumbered).
--
-- case_terms_case, the terms by case (a third of the file's bytes with
-- case_terms), goes. It served to delete a changed case's old terms, which
-- the program now makes again from the case as stored and its stored keys
-- and deletes by their place in case_terms' own key (store/gt_keys.c), and
-- the search, which makes a found case's terms the same way (store/
-- gt_queue.c). For that the keys keep the syllables: where each syllable
-- after the first starts in the pinyin ("2,5" for "maxuemei"), which ICU
-- knows and the pinyin alone does not.
DROP INDEX IF EXISTS case_terms_case;
-- cases_level (the level shown, by its text): no query reads it since the
-- queue orders levels by rank (cases_level_rank).
DROP INDEX IF EXISTS cases_level;
-- The name's collation key as its bytes, a BLOB (BLOBs compare by memcmp,
-- as the hex text compared), rather than their hex: half the bytes, in the
-- table and in its index. The keys and terms of every case are made again
-- by the program after this runs (gt_keys_fill: ICU is in C), in this
-- transaction.
DROP TABLE IF EXISTS case_keys;
CREATE TABLE case_keys (
	case_id   INTEGER PRIMARY KEY REFERENCES cases(id),
	name_key  BLOB NOT NULL,
	pinyin    TEXT NOT NULL,
	initials  TEXT NOT NULL,
	syllables TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_keys_name ON case_keys (name_key, case_id);
DELETE FROM case_terms;
