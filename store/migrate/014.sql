-- From version 13 to 14 (issue 14: the store at most 2.5 times the CSV's
-- bytes). The queue's indexes on the status, region, outcome and direction
-- (cases_status, cases_region, cases_outcome, cases_direction, and the four
-- together in cases_filter) hold each code's rank, one letter in the order
-- of the codes, in place of the code (6 to 14 bytes); the queue reads them
-- through the same expressions (store/gt_queue.c), in the same order.
-- cases_filter no longer holds the applicant (the name's order reads the
-- collation key in case_keys since version 8). The columns of cases are as
-- they were.
--
-- The identity numbers leave case_terms: the search walks the applicants'
-- index on them (store/gt_queue.c), and the view case_search_terms gives
-- every term for the shell. A case whose case_ref is its identity number
-- keeps that term, its case_ref's.
--
-- The table's UNIQUE (applicant_id, region, direction) on the codes becomes
-- the index cases_person on the ranks: SQLite changes a table's constraints
-- only by making the table again. The old one is renamed aside with the
-- references to it left as they are (legacy_alter_table; the upgrade runs
-- with the foreign keys off, store/gt_store.c), the new one made as
-- schema.sql has it and filled with every row as it was (the same ids),
-- the old one dropped with its indexes and triggers, which are made again.
PRAGMA legacy_alter_table = ON;
ALTER TABLE cases RENAME TO cases_v13;
CREATE TABLE cases (
	id                INTEGER PRIMARY KEY,
	applicant_id      INTEGER NOT NULL REFERENCES applicants(id),
	case_ref          TEXT NOT NULL DEFAULT '',
	region            TEXT NOT NULL CHECK (region = 'chongqing' OR region = 'anshan' OR region = 'sichuan'
	                         OR region = 'jiangsu' OR region = 'guangzhou'),
	direction         TEXT NOT NULL CHECK (direction IN ('skill_to_title', 'title_to_skill')),
	occupation_code   TEXT NOT NULL DEFAULT '',
	related           INTEGER NOT NULL DEFAULT 1,
	appraisals_passed INTEGER CHECK (appraisals_passed BETWEEN 0 AND 3),
	frontline         INTEGER NOT NULL DEFAULT 0,
	employed_in_region INTEGER NOT NULL DEFAULT 1,
	self_employed     INTEGER NOT NULL DEFAULT 0,
	pilot_enterprise  INTEGER NOT NULL DEFAULT 0,
	diploma_related   INTEGER NOT NULL DEFAULT 0,
	integrity_flag    INTEGER NOT NULL DEFAULT 0,
	public_institution_worker INTEGER NOT NULL DEFAULT 0,
	requested_level   TEXT,
	assignee          TEXT REFERENCES users(login),
	version           INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
	created_by        TEXT NOT NULL,
	updated_by        TEXT NOT NULL,
	-- Copied from the current evaluation, for the queue's filters and sorting.
	outcome           TEXT NOT NULL,
	target            TEXT NOT NULL DEFAULT '',
	eval_id           INTEGER NOT NULL,
	decision_id       INTEGER,
	-- The verified documents (the case CSV's evidence column): what the
	-- evaluator counts, as a set of bits, bit k for the code evidence_codes
	-- names k (the view case_evidence gives them as the CSV writes them).
	-- Who received and verified a document one by one, and any note, is in
	-- the evidence table.
	evidence INTEGER NOT NULL DEFAULT 0,
	-- The workflow state. 'void': set aside by an administrator (a duplicate or
	-- a mistake), kept but left out of the queue, exports and figures unless
	-- asked for (added last by store/migrate/009.sql, hence its place).
	status TEXT NOT NULL DEFAULT 'draft'
		CHECK (status = 'draft' OR status = 'submitted' OR status = 'in_review' OR status = 'approved'
		       OR status = 'rejected' OR status = 'returned' OR status = 'void'),
	-- When the case was taken in and last changed, by created_by and
	-- updated_by: seconds since 1970 UTC (text before version 12; added
	-- last by store/migrate/012.sql, hence their place).
	created_at INTEGER NOT NULL DEFAULT 0,
	updated_at INTEGER NOT NULL DEFAULT 0,
	-- Input columns that only the case's own reading and writing use, as
	-- numbers (since version 13; added last by store/migrate/013.sql, hence
	-- their place): the codes as input_codes numbers them, the dates as days
	-- since 1970-01-01 (NULL: none). The view case_inputs gives them as the
	-- case CSV writes them. Text a person writes by hand with the shell is
	-- read as written.
	series            INTEGER NOT NULL DEFAULT 0,
	skill_level       INTEGER NOT NULL DEFAULT 0,
	title_level       INTEGER NOT NULL DEFAULT 0,
	tech_school_class INTEGER NOT NULL DEFAULT 0,
	skill_date        INTEGER,
	title_date        INTEGER,
	work_start        INTEGER,
	region_work_start INTEGER,
	application_date  INTEGER NOT NULL DEFAULT 0
);
INSERT INTO cases SELECT * FROM cases_v13;
DROP TABLE cases_v13;
PRAGMA legacy_alter_table = OFF;
CREATE UNIQUE INDEX cases_person ON cases (applicant_id, (CASE region WHEN 'anshan' THEN 'a' WHEN 'chongqing' THEN 'b'
	WHEN 'guangzhou' THEN 'c' WHEN 'jiangsu' THEN 'd' WHEN 'sichuan' THEN 'e' ELSE region END),
	(CASE direction WHEN 'skill_to_title' THEN 'a' WHEN 'title_to_skill' THEN 'b' ELSE direction END));
CREATE INDEX cases_status ON cases ((CASE status WHEN 'approved' THEN 'a' WHEN 'draft' THEN 'b' WHEN 'in_review' THEN 'c'
	WHEN 'rejected' THEN 'd' WHEN 'returned' THEN 'e' WHEN 'submitted' THEN 'f' WHEN 'void' THEN 'g' ELSE status END), id);
CREATE INDEX cases_updated ON cases (updated_at, id);
CREATE INDEX cases_outcome ON cases ((CASE outcome WHEN 'eligible' THEN 'a' WHEN 'invalid' THEN 'b' WHEN 'manual_review'
	THEN 'c' WHEN 'needs_evidence' THEN 'd' WHEN 'not_eligible' THEN 'e' WHEN 'vetoed' THEN 'f' ELSE outcome END), id);
CREATE INDEX cases_region ON cases ((CASE region WHEN 'anshan' THEN 'a' WHEN 'chongqing' THEN 'b' WHEN 'guangzhou' THEN 'c'
	WHEN 'jiangsu' THEN 'd' WHEN 'sichuan' THEN 'e' ELSE region END), id);
CREATE INDEX cases_direction ON cases ((CASE direction WHEN 'skill_to_title' THEN 'a' WHEN 'title_to_skill' THEN 'b'
	ELSE direction END), id);
CREATE INDEX cases_assignee ON cases (coalesce(assignee, ''), id);
CREATE INDEX cases_filter ON cases ((CASE status WHEN 'approved' THEN 'a' WHEN 'draft' THEN 'b' WHEN 'in_review' THEN 'c'
	WHEN 'rejected' THEN 'd' WHEN 'returned' THEN 'e' WHEN 'submitted' THEN 'f' WHEN 'void' THEN 'g' ELSE status END),
	(CASE region WHEN 'anshan' THEN 'a' WHEN 'chongqing' THEN 'b' WHEN 'guangzhou' THEN 'c'
	WHEN 'jiangsu' THEN 'd' WHEN 'sichuan' THEN 'e' ELSE region END),
	(CASE outcome WHEN 'eligible' THEN 'a' WHEN 'invalid' THEN 'b' WHEN 'manual_review'
	THEN 'c' WHEN 'needs_evidence' THEN 'd' WHEN 'not_eligible' THEN 'e' WHEN 'vetoed' THEN 'f' ELSE outcome END),
	(CASE direction WHEN 'skill_to_title' THEN 'a' WHEN 'title_to_skill' THEN 'b' ELSE direction END));
CREATE INDEX cases_updated_by ON cases (updated_by);
CREATE INDEX cases_level_rank ON cases ((CASE WHEN direction = 'title_to_skill' THEN (CASE coalesce(requested_level, target) WHEN 'junior' THEN '1' WHEN 'intermediate' THEN '2' WHEN 'senior' THEN '3' WHEN 'technician' THEN '4' WHEN 'senior_technician' THEN '5' WHEN 'principal_technician' THEN '6' WHEN 'chief_technician' THEN '7' ELSE '0' END) ELSE (CASE coalesce(requested_level, target) WHEN 'entry' THEN 'a' WHEN 'assistant' THEN 'b' WHEN 'intermediate' THEN 'c' WHEN 'deputy_senior' THEN 'd' WHEN 'full_senior' THEN 'e' ELSE '0' END) END), id);
CREATE TRIGGER case_counts_insert AFTER INSERT ON cases
BEGIN
	INSERT INTO case_counts VALUES (NEW.region, NEW.direction, coalesce(NEW.requested_level, NEW.target),
		NEW.outcome, coalesce((SELECT route FROM evaluations WHERE id = NEW.eval_id), ''),
		coalesce((SELECT basis FROM evaluations WHERE id = NEW.eval_id AND route = 'green_channel'), ''),
		NEW.status, 1)
	ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER case_counts_delete AFTER DELETE ON cases
BEGIN
	INSERT INTO case_counts VALUES (OLD.region, OLD.direction, coalesce(OLD.requested_level, OLD.target),
		OLD.outcome, coalesce((SELECT route FROM evaluations WHERE id = OLD.eval_id), ''),
		coalesce((SELECT basis FROM evaluations WHERE id = OLD.eval_id AND route = 'green_channel'), ''),
		OLD.status, -1)
	ON CONFLICT DO UPDATE SET n = n - 1;
END;

CREATE TRIGGER decision_hours_insert AFTER INSERT ON cases
WHEN NEW.decision_id IS NOT NULL
BEGIN
	INSERT INTO decision_hours SELECT (unixepoch(d.decided_at) - iif(typeof(NEW.created_at) = 'integer', NEW.created_at, unixepoch(NEW.created_at))) / 3600, 1
		FROM decisions d WHERE d.id = NEW.decision_id AND (d.action = 'approve' OR d.action = 'reject')
		AND unixepoch(d.decided_at) IS NOT NULL AND iif(typeof(NEW.created_at) = 'integer', NEW.created_at, unixepoch(NEW.created_at)) IS NOT NULL
	ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER decision_hours_update AFTER UPDATE OF decision_id, created_at ON cases
WHEN OLD.decision_id IS NOT NEW.decision_id OR OLD.created_at IS NOT NEW.created_at
BEGIN
	INSERT INTO decision_hours SELECT (unixepoch(d.decided_at) - iif(typeof(OLD.created_at) = 'integer', OLD.created_at, unixepoch(OLD.created_at))) / 3600, -1
		FROM decisions d WHERE d.id = OLD.decision_id AND (d.action = 'approve' OR d.action = 'reject')
		AND unixepoch(d.decided_at) IS NOT NULL AND iif(typeof(OLD.created_at) = 'integer', OLD.created_at, unixepoch(OLD.created_at)) IS NOT NULL
	ON CONFLICT DO UPDATE SET n = n - 1;
	INSERT INTO decision_hours SELECT (unixepoch(d.decided_at) - iif(typeof(NEW.created_at) = 'integer', NEW.created_at, unixepoch(NEW.created_at))) / 3600, 1
		FROM decisions d WHERE d.id = NEW.decision_id AND (d.action = 'approve' OR d.action = 'reject')
		AND unixepoch(d.decided_at) IS NOT NULL AND iif(typeof(NEW.created_at) = 'integer', NEW.created_at, unixepoch(NEW.created_at)) IS NOT NULL
	ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER decision_hours_delete AFTER DELETE ON cases
WHEN OLD.decision_id IS NOT NULL
BEGIN
	INSERT INTO decision_hours SELECT (unixepoch(d.decided_at) - iif(typeof(OLD.created_at) = 'integer', OLD.created_at, unixepoch(OLD.created_at))) / 3600, -1
		FROM decisions d WHERE d.id = OLD.decision_id AND (d.action = 'approve' OR d.action = 'reject')
		AND unixepoch(d.decided_at) IS NOT NULL AND iif(typeof(OLD.created_at) = 'integer', OLD.created_at, unixepoch(OLD.created_at)) IS NOT NULL
	ON CONFLICT DO UPDATE SET n = n - 1;
END;

CREATE TRIGGER case_counts_update AFTER UPDATE OF region, direction, requested_level, target, outcome, status,
	eval_id ON cases
WHEN (OLD.region, OLD.direction, OLD.requested_level, OLD.target, OLD.outcome, OLD.status, OLD.eval_id) IS NOT
	(NEW.region, NEW.direction, NEW.requested_level, NEW.target, NEW.outcome, NEW.status, NEW.eval_id)
BEGIN
	INSERT INTO case_counts VALUES (OLD.region, OLD.direction, coalesce(OLD.requested_level, OLD.target),
		OLD.outcome, coalesce((SELECT route FROM evaluations WHERE id = OLD.eval_id), ''),
		coalesce((SELECT basis FROM evaluations WHERE id = OLD.eval_id AND route = 'green_channel'), ''),
		OLD.status, -1)
	ON CONFLICT DO UPDATE SET n = n - 1;
	INSERT INTO case_counts VALUES (NEW.region, NEW.direction, coalesce(NEW.requested_level, NEW.target),
		NEW.outcome, coalesce((SELECT route FROM evaluations WHERE id = NEW.eval_id), ''),
		coalesce((SELECT basis FROM evaluations WHERE id = NEW.eval_id AND route = 'green_channel'), ''),
		NEW.status, 1)
	ON CONFLICT DO UPDATE SET n = n + 1;
END;
DELETE FROM case_terms WHERE (term, case_id) IN (SELECT lower(a.id_number), c.id FROM cases c
	JOIN applicants a ON a.id = c.applicant_id WHERE lower(c.case_ref) <> lower(a.id_number));
DROP VIEW IF EXISTS case_search_terms;
CREATE VIEW case_search_terms (term, case_id) AS
	SELECT term, case_id FROM case_terms
	UNION ALL
	SELECT lower(a.id_number), c.id FROM cases c JOIN applicants a ON a.id = c.applicant_id
	WHERE NOT EXISTS (SELECT 1 FROM case_terms t WHERE t.term = lower(a.id_number) AND t.case_id = c.id);

-- The evaluations' rule (the chosen pathway's id, about 8 bytes) becomes the
-- id of its name in rule_names, as 006.sql did for the rule set: renamed
-- aside, added at the end of the table, filled, the old column dropped (the
-- rows keep their ids). The view evaluation_rules gives it as text.
DROP VIEW IF EXISTS evaluation_rules;
DROP TABLE IF EXISTS rule_names;
CREATE TABLE rule_names (
	id   INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE
);
INSERT INTO rule_names (name) SELECT DISTINCT rule_id FROM evaluations WHERE rule_id <> '' ORDER BY 1;
ALTER TABLE evaluations RENAME COLUMN rule_id TO rule_id_v13;
ALTER TABLE evaluations ADD COLUMN rule_id INTEGER NOT NULL DEFAULT 0;
UPDATE evaluations SET rule_id = coalesce((SELECT id FROM rule_names WHERE name = rule_id_v13), 0)
	WHERE rule_id_v13 <> '';
ALTER TABLE evaluations DROP COLUMN rule_id_v13;
CREATE VIEW evaluation_rules (eval_id, rule_id) AS
	SELECT e.id, iif(typeof(e.rule_id) = 'integer', coalesce(n.name, ''), e.rule_id)
	FROM evaluations e LEFT JOIN rule_names n ON n.id = e.rule_id;
