-- guantong case store: the shape of the database, version 16.
--
-- This file is the single source of the database shape. The program embeds it,
-- applies it to a new file in one transaction and sets PRAGMA user_version to
-- the version above; an older file is migrated forward step by step (see
-- store/gt_migrate.c), a newer one is refused.
--
-- Codes are the ASCII codes of the case CSV contract (guantong-csv(5)), but
-- for the input codes only a case's own reading uses (series, the levels
-- held, the technical school class: input_codes' numbers, since version 13);
-- dates are YYYY-MM-DD text, but for a case's dates, an applicant's birth
-- date and an evaluation's as-of date (days since 1970-01-01, INTEGER, since
-- version 13; the view case_inputs gives a case's as text); times are UTC
-- "YYYY-MM-DD HH:MM:SS+00:00" text (files
-- before version 5 held local times with their offset), but for the times
-- of a case and of its evaluation, the rows there are most of: those are
-- whole seconds since 1970-01-01 UTC (INTEGER, since version 12; the views
-- case_times and evaluation_times give them as text, for a person reading
-- the file with the sqlite3 shell); flags are 0/1. Who did something is an
-- OS login name (users.login).

-- Facts about the file itself: who created it and when.
CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) WITHOUT ROWID;

-- The people who may use the file, by OS account, and what they may do:
-- a clerk takes in cases, toggles evidence and returns cases for evidence;
-- a reviewer also takes cases into review and approves or rejects them; an
-- admin also manages users and reopens decided cases.
CREATE TABLE users (
	login        TEXT PRIMARY KEY CHECK (length(login) BETWEEN 1 AND 64),
	role         TEXT NOT NULL CHECK (role IN ('clerk', 'reviewer', 'admin')),
	display_name TEXT NOT NULL DEFAULT '',
	active       INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	created_at   TEXT NOT NULL,
	created_by   TEXT NOT NULL
) WITHOUT ROWID;

-- A person, by resident identity number: one row a number (the index
-- applicants_id_number; a UNIQUE constraint in the table before version 15,
-- store/migrate/015.sql).
CREATE TABLE applicants (
	id         INTEGER PRIMARY KEY,
	id_number  TEXT NOT NULL CHECK (length(id_number) = 18),
	name       TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
	-- Days since 1970-01-01 (text before version 13: store/migrate/013.sql).
	birth_date INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX applicants_id_number ON applicants (id_number);

-- One application of one person in one region and direction: the input
-- columns of the case CSV, the workflow state and the optimistic-concurrency
-- version. eval_id is the current evaluation, decision_id the latest decision.
-- The CHECKs on region and status are OR chains, not IN lists: SQLite builds a
-- temporary b-tree for an IN list of more than two values on every inserted row.
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
-- One case per person, region and direction: on the ranks of the region and
-- the direction, as the queue's indexes below have them (since version 14,
-- in place of the table's UNIQUE on the codes: 13 bytes a case in place of
-- 32; the CHECKs make the two the same).
CREATE UNIQUE INDEX cases_person ON cases (applicant_id, (CASE region WHEN 'anshan' THEN 'a' WHEN 'chongqing' THEN 'b'
	WHEN 'guangzhou' THEN 'c' WHEN 'jiangsu' THEN 'd' WHEN 'sichuan' THEN 'e' ELSE region END),
	(CASE direction WHEN 'skill_to_title' THEN 'a' WHEN 'title_to_skill' THEN 'b' ELSE direction END));
-- The workstation's queue: keyset pages in each sortable order (the number
-- is the rowid, the name is case_keys_name, the applicants' names have no
-- index since version 12: nothing read it). The status, region, outcome and
-- direction are indexed by their rank, one letter in the order of their codes
-- ('a' for the first code alphabetically; since version 14: a letter in place
-- of 6 to 14 bytes in five indexes, store/migrate/014.sql), so that each of
-- these orders and the filters read the same cases in the same order as by
-- the codes themselves. The queue (store/gt_queue.c) writes the very same
-- expressions: an index on an expression serves only that expression.
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
-- The queue's filters: the four filterable columns' ranks together, so that
-- what a combination of them leaves is counted exactly in one index, and
-- read through it when it is small; and the other half of "mine". Since
-- version 16 the four ranks are numbers (1 for the first code
-- alphabetically, as the letters above; 0 for none) in one integer, the
-- status's times 256 plus the region's times 32 plus the outcome's times 4
-- plus the direction's. With four fields a key, mostly equal, sorting the
-- keys was the dearest step of building an import's indexes
-- (store/migrate/016.sql).
-- (Until version 14 it also held the applicant, for an order by the
-- applicants' names that the collation key in case_keys replaced.)
CREATE INDEX cases_filter ON cases (((((CASE status WHEN 'approved' THEN 1 WHEN 'draft' THEN 2 WHEN 'in_review' THEN 3
	WHEN 'rejected' THEN 4 WHEN 'returned' THEN 5 WHEN 'submitted' THEN 6 WHEN 'void' THEN 7 ELSE 0 END) * 8
	+ (CASE region WHEN 'anshan' THEN 1 WHEN 'chongqing' THEN 2 WHEN 'guangzhou' THEN 3 WHEN 'jiangsu' THEN 4
	WHEN 'sichuan' THEN 5 ELSE 0 END)) * 8
	+ (CASE outcome WHEN 'eligible' THEN 1 WHEN 'invalid' THEN 2 WHEN 'manual_review' THEN 3
	WHEN 'needs_evidence' THEN 4 WHEN 'not_eligible' THEN 5 WHEN 'vetoed' THEN 6 ELSE 0 END)) * 4
	+ (CASE direction WHEN 'skill_to_title' THEN 1 WHEN 'title_to_skill' THEN 2 ELSE 0 END)));
CREATE INDEX cases_updated_by ON cases (updated_by);

-- Honours held, and competition results, per case.
CREATE TABLE case_honours (
	case_id INTEGER NOT NULL REFERENCES cases(id),
	honour  TEXT NOT NULL,
	PRIMARY KEY (case_id, honour)
) WITHOUT ROWID;

CREATE TABLE case_competitions (
	case_id     INTEGER NOT NULL REFERENCES cases(id),
	seq         INTEGER NOT NULL,
	competition TEXT NOT NULL,
	result      TEXT NOT NULL,
	role        TEXT NOT NULL DEFAULT 'winner',
	team_size   INTEGER NOT NULL DEFAULT 1 CHECK (team_size BETWEEN 1 AND 3),
	PRIMARY KEY (case_id, seq)
) WITHOUT ROWID;

-- Documents handled one by one (the workstation's checklist): received or
-- not, verified or not, by whom and when, with a note. A document listed in
-- an imported row is verified by that import (its audit row says who and
-- when) and has no row here until someone handles it. cases.evidence is
-- kept equal to the verified ones in the same transaction.
CREATE TABLE evidence (
	case_id     INTEGER NOT NULL REFERENCES cases(id),
	code        TEXT NOT NULL,
	received    INTEGER NOT NULL DEFAULT 0 CHECK (received IN (0, 1)),
	verified    INTEGER NOT NULL DEFAULT 0 CHECK (verified IN (0, 1)),
	received_by TEXT,
	received_at TEXT,
	verified_by TEXT,
	verified_at TEXT,
	note        TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (case_id, code)
) WITHOUT ROWID;

-- The evaluator's answer for one version of a case, with the rule-set version
-- and the as-of date: what the queue filters on and what replaying needs (the
-- outcome, target, route, basis, unmet conditions, missing evidence, theory
-- exemption and, in rule_id, the rule of the chosen pathway: its id in rule_names, 0 for none). The
-- message, the citation and the explanation are derived on read by the same
-- rule set from the case (store/gt_answer.c), so they are not stored: citation,
-- message and paths are NULL. An evaluation stored before version 5 keeps its
-- text there (paths: every pathway considered, "rule=outcome;...").
CREATE TABLE evaluations (
	id               INTEGER PRIMARY KEY,
	case_id          INTEGER NOT NULL REFERENCES cases(id),
	case_version     INTEGER NOT NULL,
	evaluated_by     TEXT NOT NULL,
	outcome          TEXT NOT NULL,
	target           TEXT NOT NULL,
	route            TEXT NOT NULL,
	basis            TEXT NOT NULL,
	unmet            TEXT NOT NULL,
	missing_evidence TEXT NOT NULL,
	theory_exempt    INTEGER NOT NULL,
	citation         TEXT,
	message          TEXT,
	paths            TEXT,
	-- The rule set's version: rulesets.id (its text is in rulesets.name;
	-- the view evaluation_rulesets joins them).
	ruleset INTEGER NOT NULL DEFAULT 0,
	-- Seconds since 1970 UTC (text before version 12: store/migrate/012.sql).
	evaluated_at INTEGER NOT NULL DEFAULT 0,
	-- The as-of date: days since 1970-01-01 (text before version 13: added
	-- last by store/migrate/013.sql, hence its place).
	as_of INTEGER NOT NULL DEFAULT 0,
	-- The rule of the chosen pathway: rule_names.id, 0 for none (text before
	-- version 14: added last by store/migrate/014.sql, hence its place; the
	-- view evaluation_rules gives it as text).
	rule_id INTEGER NOT NULL DEFAULT 0
);
-- No index on case_id: every read of an evaluation is by its id (cases.eval_id,
-- decisions.eval_id), and a case is never deleted nor renumbered, which is when
-- the foreign key would look its evaluations up.

-- The rule sets' versions that evaluations name, each once: a version is
-- long text (the document's title, its revision and a hash) shared by
-- thousands of evaluations.
CREATE TABLE rulesets (
	id   INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE
);

-- The rules that evaluations name (evaluations.rule_id), each once: the ids
-- of the rule sets' pathways ("CQ-S2T-1"), shared by thousands of evaluations.
CREATE TABLE rule_names (
	id   INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE
);
CREATE VIEW evaluation_rules (eval_id, rule_id) AS
	SELECT e.id, iif(typeof(e.rule_id) = 'integer', coalesce(n.name, ''), e.rule_id)
	FROM evaluations e LEFT JOIN rule_names n ON n.id = e.rule_id;

-- The codes of cases.evidence's bits: those of the case CSV contract, in its
-- order (guantong-csv(5)). Fixed: a new code is added with the next bit.
CREATE TABLE evidence_codes (
	bit  INTEGER PRIMARY KEY,
	code TEXT NOT NULL UNIQUE
);
INSERT INTO evidence_codes (bit, code) VALUES (0, 'id_card'), (1, 'skill_certificate'),
	(2, 'title_certificate'), (3, 'work_record'), (4, 'appraisal_records'), (5, 'award_certificate'),
	(6, 'commendation_document'), (7, 'diploma'), (8, 'tech_school_certificate'), (9, 'frontline_proof'),
	(10, 'employment_proof'), (11, 'achievement_evidence'), (12, 'international_certificate');

-- The numbers of the codes of cases' numeric input columns (col: the
-- column's name, code: the number stored, name: the case CSV's code). Fixed,
-- like evidence_codes: a new code is added with the next number.
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

-- For a person reading the file with the sqlite3 shell: each case's verified
-- documents as the case CSV writes them, each evaluation's rule set, and the
-- times.
CREATE VIEW case_evidence (case_id, evidence) AS
	SELECT c.id, coalesce((SELECT group_concat(code, ';') FROM
		(SELECT code FROM evidence_codes WHERE c.evidence >> bit & 1 ORDER BY bit)), '')
	FROM cases c;
CREATE VIEW evaluation_rulesets (eval_id, ruleset) AS
	SELECT e.id, r.name FROM evaluations e JOIN rulesets r ON r.id = e.ruleset;
-- The times of cases and evaluations as text, UTC ("YYYY-MM-DD HH:MM:SS+00:00").
CREATE VIEW case_times (case_id, created_at, updated_at) AS
	SELECT id, coalesce(datetime(created_at, 'unixepoch') || '+00:00', created_at),
		coalesce(datetime(updated_at, 'unixepoch') || '+00:00', updated_at)
	FROM cases;
-- The numeric input columns of cases as the case CSV writes them.
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
CREATE VIEW evaluation_times (eval_id, evaluated_at) AS
	SELECT id, coalesce(datetime(evaluated_at, 'unixepoch') || '+00:00', evaluated_at)
	FROM evaluations;

-- Decisions: approve and reject (reviewers), return for evidence (clerks and
-- reviewers). snapshot is the case's input row (case CSV columns) as decided,
-- eval_id the evaluation the decision was taken on. What the reviewer saw is
-- kept with it, so that a decided case is shown and exported as decided
-- whatever the rules say later: ruleset, summary (the screening columns from
-- outcome to message, a JSON array of text) and explanation (the full text of
-- every pathway). NULL for a decision recorded before version 5.
CREATE TABLE decisions (
	id           INTEGER PRIMARY KEY,
	case_id      INTEGER NOT NULL REFERENCES cases(id),
	case_version INTEGER NOT NULL,
	eval_id      INTEGER NOT NULL REFERENCES evaluations(id),
	action       TEXT NOT NULL CHECK (action IN ('approve', 'reject', 'return')),
	decided_by   TEXT NOT NULL,
	decided_at   TEXT NOT NULL,
	note         TEXT NOT NULL DEFAULT '',
	snapshot     TEXT NOT NULL,
	ruleset      TEXT,
	summary      TEXT,
	explanation  TEXT
);
CREATE INDEX decisions_case ON decisions (case_id, id);

-- Every change: who, when, what, and the values before and after (JSON
-- objects of the changed fields). An import is one row (entity 'import': the
-- file's name, size and SHA-256, the counts, the cases it created and those it
-- changed, with their versions); a case it changed also gets its own row with
-- the changed fields, a case it created none (the import row names it). Append-only: the triggers below make any
-- UPDATE or DELETE fail.
CREATE TABLE audit (
	id        INTEGER PRIMARY KEY,
	at        TEXT NOT NULL,
	actor     TEXT NOT NULL,
	action    TEXT NOT NULL,
	entity    TEXT NOT NULL,
	entity_id TEXT NOT NULL,
	before    TEXT,
	after     TEXT
);
CREATE INDEX audit_entity ON audit (entity, entity_id, id);

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
	SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
	SELECT RAISE(ABORT, 'the audit log is append-only');
END;

-- Intake in progress, saved as the clerk types so that a crash or a lost
-- connection loses nothing: several per user, each named and numbered (id,
-- per owner), for a new case (case_id 0) or an edit. fields holds the form's
-- values as a case CSV row (header line, then values); for an edit,
-- base_fields holds the case as it was at base_version, in the same form, so
-- that a change made meanwhile by someone else can be told from the clerk's.
CREATE TABLE drafts (
	owner        TEXT NOT NULL,
	id           INTEGER NOT NULL CHECK (id >= 1),
	name         TEXT NOT NULL DEFAULT '',
	case_id      INTEGER NOT NULL,
	base_version INTEGER NOT NULL DEFAULT 0,
	base_fields  TEXT NOT NULL DEFAULT '',
	updated_at   TEXT NOT NULL,
	fields       TEXT NOT NULL,
	PRIMARY KEY (owner, id)
) WITHOUT ROWID;
CREATE INDEX drafts_case ON drafts (owner, case_id);

-- The queue's keys of a case and its search terms: see store/migrate/008.sql
-- (name_key: the collation key's bytes; syllables; no index of the terms by
-- case: store/migrate/011.sql).
CREATE TABLE case_keys (
	case_id   INTEGER PRIMARY KEY REFERENCES cases(id),
	name_key  BLOB NOT NULL,
	pinyin    TEXT NOT NULL,
	initials  TEXT NOT NULL,
	syllables TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_keys_name ON case_keys (name_key, case_id);
CREATE TABLE case_terms (
	term     TEXT NOT NULL,
	case_id  INTEGER NOT NULL REFERENCES cases(id),
	PRIMARY KEY (term, case_id)
) WITHOUT ROWID;
-- Every search term of every case: case_terms, and the identity numbers,
-- which since version 14 only the applicants' index holds (the search walks
-- it: store/gt_queue.c; store/migrate/014.sql).
CREATE VIEW case_search_terms (term, case_id) AS
	SELECT term, case_id FROM case_terms
	UNION ALL
	SELECT lower(a.id_number), c.id FROM cases c JOIN applicants a ON a.id = c.applicant_id
	WHERE NOT EXISTS (SELECT 1 FROM case_terms t WHERE t.term = lower(a.id_number) AND t.case_id = c.id);
CREATE INDEX cases_level_rank ON cases ((CASE WHEN direction = 'title_to_skill' THEN (CASE coalesce(requested_level, target) WHEN 'junior' THEN '1' WHEN 'intermediate' THEN '2' WHEN 'senior' THEN '3' WHEN 'technician' THEN '4' WHEN 'senior_technician' THEN '5' WHEN 'principal_technician' THEN '6' WHEN 'chief_technician' THEN '7' ELSE '0' END) ELSE (CASE coalesce(requested_level, target) WHEN 'entry' THEN 'a' WHEN 'assistant' THEN 'b' WHEN 'intermediate' THEN 'c' WHEN 'deputy_senior' THEN 'd' WHEN 'full_senior' THEN 'e' ELSE '0' END) END), id);

-- The office's counters, kept on write by triggers: see store/migrate/009.sql.
CREATE TABLE case_counts (
	region    TEXT NOT NULL,
	direction TEXT NOT NULL,
	level     TEXT NOT NULL,
	outcome   TEXT NOT NULL,
	route     TEXT NOT NULL,
	award     TEXT NOT NULL,
	status    TEXT NOT NULL,
	n         INTEGER NOT NULL,
	PRIMARY KEY (region, direction, level, outcome, route, award, status)
) WITHOUT ROWID;

CREATE TRIGGER case_counts_insert AFTER INSERT ON cases
BEGIN
	INSERT INTO case_counts VALUES (NEW.region, NEW.direction, coalesce(NEW.requested_level, NEW.target),
		NEW.outcome, coalesce((SELECT route FROM evaluations WHERE id = NEW.eval_id), ''),
		coalesce((SELECT basis FROM evaluations WHERE id = NEW.eval_id AND route = 'green_channel'), ''),
		NEW.status, 1)
	ON CONFLICT DO UPDATE SET n = n + 1;
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

CREATE TRIGGER case_counts_delete AFTER DELETE ON cases
BEGIN
	INSERT INTO case_counts VALUES (OLD.region, OLD.direction, coalesce(OLD.requested_level, OLD.target),
		OLD.outcome, coalesce((SELECT route FROM evaluations WHERE id = OLD.eval_id), ''),
		coalesce((SELECT basis FROM evaluations WHERE id = OLD.eval_id AND route = 'green_channel'), ''),
		OLD.status, -1)
	ON CONFLICT DO UPDATE SET n = n - 1;
END;

-- The evaluation a case already names: the case moves from route '' to its.
CREATE TRIGGER case_counts_evaluation AFTER INSERT ON evaluations
WHEN NEW.route <> ''
BEGIN
	INSERT INTO case_counts SELECT c.region, c.direction, coalesce(c.requested_level, c.target), c.outcome,
		'', '', c.status, -1 FROM cases c WHERE c.id = NEW.case_id AND c.eval_id = NEW.id
	ON CONFLICT DO UPDATE SET n = n - 1;
	INSERT INTO case_counts SELECT c.region, c.direction, coalesce(c.requested_level, c.target), c.outcome,
		NEW.route, iif(NEW.route = 'green_channel', NEW.basis, ''), c.status, 1 FROM cases c
		WHERE c.id = NEW.case_id AND c.eval_id = NEW.id
	ON CONFLICT DO UPDATE SET n = n + 1;
END;

-- decision_counts: approvals and rejections by the UTC hour of the decision
-- ('YYYY-MM-DD HH:00:00'; '' for a time that does not read) and the
-- reviewer, every decision taken (a reopened case's earlier ones too). The
-- hour, not the month: the month a person reads is local, made on read.
CREATE TABLE decision_counts (
	hour     TEXT NOT NULL,
	reviewer TEXT NOT NULL,
	approved INTEGER NOT NULL,
	rejected INTEGER NOT NULL,
	PRIMARY KEY (hour, reviewer)
) WITHOUT ROWID;

CREATE TRIGGER decision_counts_insert AFTER INSERT ON decisions
WHEN NEW.action = 'approve' OR NEW.action = 'reject'
BEGIN
	INSERT INTO decision_counts VALUES (coalesce(strftime('%Y-%m-%d %H:00:00', NEW.decided_at), ''),
		NEW.decided_by, NEW.action = 'approve', NEW.action = 'reject')
	ON CONFLICT DO UPDATE SET approved = approved + excluded.approved, rejected = rejected + excluded.rejected;
END;

CREATE TRIGGER decision_counts_delete AFTER DELETE ON decisions
WHEN OLD.action = 'approve' OR OLD.action = 'reject'
BEGIN
	INSERT INTO decision_counts VALUES (coalesce(strftime('%Y-%m-%d %H:00:00', OLD.decided_at), ''),
		OLD.decided_by, -(OLD.action = 'approve'), -(OLD.action = 'reject'))
	ON CONFLICT DO UPDATE SET approved = approved + excluded.approved, rejected = rejected + excluded.rejected;
END;

CREATE TRIGGER decision_counts_update AFTER UPDATE OF action, decided_by, decided_at ON decisions
BEGIN
	INSERT INTO decision_counts SELECT coalesce(strftime('%Y-%m-%d %H:00:00', OLD.decided_at), ''),
		OLD.decided_by, -(OLD.action = 'approve'), -(OLD.action = 'reject')
		WHERE OLD.action = 'approve' OR OLD.action = 'reject'
	ON CONFLICT DO UPDATE SET approved = approved + excluded.approved, rejected = rejected + excluded.rejected;
	INSERT INTO decision_counts SELECT coalesce(strftime('%Y-%m-%d %H:00:00', NEW.decided_at), ''),
		NEW.decided_by, NEW.action = 'approve', NEW.action = 'reject'
		WHERE NEW.action = 'approve' OR NEW.action = 'reject'
	ON CONFLICT DO UPDATE SET approved = approved + excluded.approved, rejected = rejected + excluded.rejected;
END;

-- decision_hours: the cases whose current decision is an approval or a
-- rejection, by the whole hours from intake (cases.created_at) to that
-- decision: the median and the 90th percentile are read from this
-- histogram. Kept by the case (its decision_id and created_at) and by the
-- decision (a decision changed under a case that names it). created_at is
-- seconds; one that is text (a time an older version left that did not
-- read, or one a person wrote with the shell) is read as a time.
CREATE TABLE decision_hours (
	hours INTEGER PRIMARY KEY,
	n     INTEGER NOT NULL
);

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

CREATE TRIGGER decision_hours_decision AFTER UPDATE OF action, decided_at ON decisions
BEGIN
	INSERT INTO decision_hours SELECT (unixepoch(OLD.decided_at) - iif(typeof(c.created_at) = 'integer', c.created_at, unixepoch(c.created_at))) / 3600, -1
		FROM cases c WHERE c.decision_id = OLD.id AND c.id = OLD.case_id
		AND (OLD.action = 'approve' OR OLD.action = 'reject')
		AND unixepoch(OLD.decided_at) IS NOT NULL AND iif(typeof(c.created_at) = 'integer', c.created_at, unixepoch(c.created_at)) IS NOT NULL
	ON CONFLICT DO UPDATE SET n = n - 1;
	INSERT INTO decision_hours SELECT (unixepoch(NEW.decided_at) - iif(typeof(c.created_at) = 'integer', c.created_at, unixepoch(c.created_at))) / 3600, 1
		FROM cases c WHERE c.decision_id = NEW.id AND c.id = NEW.case_id
		AND (NEW.action = 'approve' OR NEW.action = 'reject')
		AND unixepoch(NEW.decided_at) IS NOT NULL AND iif(typeof(c.created_at) = 'integer', c.created_at, unixepoch(c.created_at)) IS NOT NULL
	ON CONFLICT DO UPDATE SET n = n + 1;
END;

-- case_due: the call-back list (issue 18, item 4): the cases whose answer is
-- "not eligible" only because a year threshold is not met yet, with the day
-- the earliest route that waits for years only opens (YYYY-MM-DD, the
-- evaluator's). Written with the case's evaluation (store/gt_case_io.c);
-- the rows of cases stored before are made by the program after this runs
-- (gt_due_fill: the evaluator is C). Read by `due`, the queue's 到期 list
-- and `export --due`.
CREATE TABLE case_due (
	case_id INTEGER PRIMARY KEY REFERENCES cases(id),
	due_on  TEXT NOT NULL
);
CREATE INDEX case_due_on ON case_due (due_on, case_id);
