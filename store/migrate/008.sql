-- From version 7 to 8 (issue 16, items 3 and 4; self-contained, so
-- that it can run after any other change of the same wave, renumbered).
--
-- The queue's keys of a case, computed when the case is written (store/
-- gt_keys.c, the one writer) and kept here for the queue's indexes:
--   name_key  the name's collation key by ICU's "zh" collator (pinyin order),
--             written as hex so that its text compares as the key's bytes
--             and a page's keyset place is text like every other order's;
--   pinyin    the name by ICU's "Han-Latin; Latin-ASCII" transform, lower
--             case, without spaces ("maxuemei"); initials ("mxm").
-- The terms are what "/" searches by index range: every suffix of the name,
-- of the pinyin (by syllable) and of the initials, the case_ref in lower
-- case, the identity number and the case number; a search matches when it
-- is the prefix of a term.
-- The rows of existing cases are filled by the program after this runs
-- (ICU is in C): gt_keys_fill.
CREATE TABLE IF NOT EXISTS case_keys (
	case_id   INTEGER PRIMARY KEY REFERENCES cases(id),
	name_key  TEXT NOT NULL,
	pinyin    TEXT NOT NULL,
	initials  TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS case_keys_name ON case_keys (name_key, case_id);
CREATE TABLE IF NOT EXISTS case_terms (
	term     TEXT NOT NULL,
	case_id  INTEGER NOT NULL REFERENCES cases(id),
	PRIMARY KEY (term, case_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS case_terms_case ON case_terms (case_id);
-- The level column in rank order (the queue's LEVEL_RANK, store/gt_queue.c):
-- skill levels 1-7, titles 11-15, by the case's direction.
CREATE INDEX IF NOT EXISTS cases_level_rank ON cases ((CASE WHEN direction = 'title_to_skill' THEN (CASE coalesce(requested_level, target) WHEN 'junior' THEN '01' WHEN 'intermediate' THEN '02' WHEN 'senior' THEN '03' WHEN 'technician' THEN '04' WHEN 'senior_technician' THEN '05' WHEN 'principal_technician' THEN '06' WHEN 'chief_technician' THEN '07' ELSE '00' END) ELSE (CASE coalesce(requested_level, target) WHEN 'entry' THEN '11' WHEN 'assistant' THEN '12' WHEN 'intermediate' THEN '13' WHEN 'deputy_senior' THEN '14' WHEN 'full_senior' THEN '15' ELSE '00' END) END), id);
