-- From version 12 to 13 (issue 14: the store at most 2.5 times the CSV's
-- bytes). The input columns of cases that only the case's own reading and
-- writing use (store/gt_case_io.c, store/gt_export.c, store/gt_agenda.c)
-- become numbers: the codes of series, skill_level, title_level and
-- tech_school_class as the new table input_codes numbers them (one byte in
-- place of 6 to 20), the five dates days since 1970-01-01 (two bytes in
-- place of ten), and so the applicants' birth dates and the evaluations'
-- as-of dates. The view case_inputs gives the case's as text again for the
-- shell; a birth date is the identity number's, an as-of date the
-- application date's.
--
-- As 012 did, each column is renamed aside, the new one added (at the end of
-- the table, as schema.sql has it), filled and the old one dropped. A value
-- that does not read (a code input_codes does not know, a date whose day
-- number does not give it back as written: 30 February) is kept as it was,
-- text: the readers show
-- such a value as it is, and reading the case then fails with its message.
-- A current file set back to an older version (as test_store does) has the
-- view and the table: made again here.
DROP VIEW IF EXISTS case_inputs;
DROP TABLE IF EXISTS input_codes;
CREATE TABLE input_codes (
	col  TEXT NOT NULL,
	code INTEGER NOT NULL,
	name TEXT NOT NULL,
	PRIMARY KEY (col, code)
) WITHOUT ROWID;
INSERT INTO input_codes (col, code, name) VALUES ('series', 0, 'engineering'), ('series', 1, 'agriculture'),
	('series', 2, 'arts_crafts'), ('series', 3, 'cultural_relics'), ('series', 4, 'lab_tech'), ('series', 5, 'art'),
	('series', 6, 'sports'), ('series', 7, 'tech_school_teacher'),
	('skill_level', 0, 'none'), ('skill_level', 1, 'junior'), ('skill_level', 2, 'intermediate'),
	('skill_level', 3, 'senior'), ('skill_level', 4, 'technician'), ('skill_level', 5, 'senior_technician'),
	('skill_level', 6, 'principal_technician'), ('skill_level', 7, 'chief_technician'),
	('title_level', 0, 'none'), ('title_level', 1, 'entry'), ('title_level', 2, 'assistant'),
	('title_level', 3, 'intermediate'), ('title_level', 4, 'deputy_senior'), ('title_level', 5, 'full_senior'),
	('tech_school_class', 0, 'none'), ('tech_school_class', 1, 'intermediate_worker'),
	('tech_school_class', 2, 'senior_worker'), ('tech_school_class', 3, 'preparatory_technician');

ALTER TABLE cases RENAME COLUMN series TO series_v12;
ALTER TABLE cases RENAME COLUMN skill_level TO skill_level_v12;
ALTER TABLE cases RENAME COLUMN title_level TO title_level_v12;
ALTER TABLE cases RENAME COLUMN tech_school_class TO tech_school_class_v12;
ALTER TABLE cases RENAME COLUMN skill_date TO skill_date_v12;
ALTER TABLE cases RENAME COLUMN title_date TO title_date_v12;
ALTER TABLE cases RENAME COLUMN work_start TO work_start_v12;
ALTER TABLE cases RENAME COLUMN region_work_start TO region_work_start_v12;
ALTER TABLE cases RENAME COLUMN application_date TO application_date_v12;
ALTER TABLE cases ADD COLUMN series INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN skill_level INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN title_level INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN tech_school_class INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN skill_date INTEGER;
ALTER TABLE cases ADD COLUMN title_date INTEGER;
ALTER TABLE cases ADD COLUMN work_start INTEGER;
ALTER TABLE cases ADD COLUMN region_work_start INTEGER;
ALTER TABLE cases ADD COLUMN application_date INTEGER NOT NULL DEFAULT 0;
UPDATE cases SET series = coalesce((SELECT code FROM input_codes WHERE col = 'series' AND name = series_v12),
		series_v12),
	skill_level = coalesce((SELECT code FROM input_codes WHERE col = 'skill_level' AND name = skill_level_v12),
		skill_level_v12),
	title_level = coalesce((SELECT code FROM input_codes WHERE col = 'title_level' AND name = title_level_v12),
		title_level_v12),
	tech_school_class = coalesce((SELECT code FROM input_codes WHERE col = 'tech_school_class' AND name = tech_school_class_v12),
		tech_school_class_v12),
	skill_date = iif(date(unixepoch(skill_date_v12), 'unixepoch') IS skill_date_v12, unixepoch(skill_date_v12) / 86400,
		skill_date_v12),
	title_date = iif(date(unixepoch(title_date_v12), 'unixepoch') IS title_date_v12, unixepoch(title_date_v12) / 86400,
		title_date_v12),
	work_start = iif(date(unixepoch(work_start_v12), 'unixepoch') IS work_start_v12, unixepoch(work_start_v12) / 86400,
		work_start_v12),
	region_work_start = iif(date(unixepoch(region_work_start_v12), 'unixepoch') IS region_work_start_v12, unixepoch(region_work_start_v12) / 86400,
		region_work_start_v12),
	application_date = iif(date(unixepoch(application_date_v12), 'unixepoch') IS application_date_v12, unixepoch(application_date_v12) / 86400,
		application_date_v12);
ALTER TABLE cases DROP COLUMN series_v12;
ALTER TABLE cases DROP COLUMN skill_level_v12;
ALTER TABLE cases DROP COLUMN title_level_v12;
ALTER TABLE cases DROP COLUMN tech_school_class_v12;
ALTER TABLE cases DROP COLUMN skill_date_v12;
ALTER TABLE cases DROP COLUMN title_date_v12;
ALTER TABLE cases DROP COLUMN work_start_v12;
ALTER TABLE cases DROP COLUMN region_work_start_v12;
ALTER TABLE cases DROP COLUMN application_date_v12;
-- The applicant's birth date and the evaluation's as-of date likewise.
ALTER TABLE applicants RENAME COLUMN birth_date TO birth_date_v12;
ALTER TABLE applicants ADD COLUMN birth_date INTEGER NOT NULL DEFAULT 0;
UPDATE applicants SET birth_date = iif(date(unixepoch(birth_date_v12), 'unixepoch') IS birth_date_v12,
	unixepoch(birth_date_v12) / 86400, birth_date_v12);
ALTER TABLE applicants DROP COLUMN birth_date_v12;
ALTER TABLE evaluations RENAME COLUMN as_of TO as_of_v12;
ALTER TABLE evaluations ADD COLUMN as_of INTEGER NOT NULL DEFAULT 0;
UPDATE evaluations SET as_of = iif(date(unixepoch(as_of_v12), 'unixepoch') IS as_of_v12,
	unixepoch(as_of_v12) / 86400, as_of_v12);
ALTER TABLE evaluations DROP COLUMN as_of_v12;
CREATE VIEW case_inputs (case_id, series, skill_level, skill_date, title_level, title_date, work_start,
		region_work_start, tech_school_class, application_date) AS
	SELECT id, coalesce((SELECT name FROM input_codes WHERE col = 'series' AND code = series), series),
		coalesce((SELECT name FROM input_codes WHERE col = 'skill_level' AND code = skill_level), skill_level),
		iif(typeof(skill_date) = 'integer', date(skill_date * 86400, 'unixepoch'), skill_date),
		coalesce((SELECT name FROM input_codes WHERE col = 'title_level' AND code = title_level), title_level),
		iif(typeof(title_date) = 'integer', date(title_date * 86400, 'unixepoch'), title_date),
		iif(typeof(work_start) = 'integer', date(work_start * 86400, 'unixepoch'), work_start),
		iif(typeof(region_work_start) = 'integer', date(region_work_start * 86400, 'unixepoch'),
			region_work_start),
		coalesce((SELECT name FROM input_codes WHERE col = 'tech_school_class' AND code = tech_school_class),
			tech_school_class),
		iif(typeof(application_date) = 'integer', date(application_date * 86400, 'unixepoch'),
			application_date)
	FROM cases;
