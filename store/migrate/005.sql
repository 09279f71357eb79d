-- From version 4 to 5: an evaluation is stored as its answer (message,
-- citation and paths are derived on read; the text of older evaluations is
-- kept), the chosen rule is stored, and a decision keeps what the reviewer
-- saw. SQLite cannot drop a NOT NULL constraint in place: both tables are
-- copied aside and made again in their new shape (decisions first out of the
-- way, so that dropping the old evaluations breaks no reference), all in the
-- migration's one transaction.
CREATE TABLE evaluations_v4 AS SELECT * FROM evaluations;
CREATE TABLE decisions_v4 AS SELECT * FROM decisions;
DROP TABLE decisions;
DROP TABLE evaluations;
CREATE TABLE evaluations (
	id               INTEGER PRIMARY KEY,
	case_id          INTEGER NOT NULL REFERENCES cases(id),
	case_version     INTEGER NOT NULL,
	ruleset          TEXT NOT NULL,
	as_of            TEXT NOT NULL,
	evaluated_at     TEXT NOT NULL,
	evaluated_by     TEXT NOT NULL,
	outcome          TEXT NOT NULL,
	target           TEXT NOT NULL,
	route            TEXT NOT NULL,
	basis            TEXT NOT NULL,
	unmet            TEXT NOT NULL,
	missing_evidence TEXT NOT NULL,
	theory_exempt    INTEGER NOT NULL,
	rule_id          TEXT NOT NULL DEFAULT '',
	citation         TEXT,
	message          TEXT,
	paths            TEXT
);
INSERT INTO evaluations (id, case_id, case_version, ruleset, as_of, evaluated_at, evaluated_by,
	outcome, target, route, basis, unmet, missing_evidence, theory_exempt, rule_id, citation, message, paths)
SELECT id, case_id, case_version, ruleset, as_of, evaluated_at, evaluated_by, outcome, target, route,
	basis, unmet, missing_evidence, theory_exempt, '', citation, message, paths FROM evaluations_v4;
CREATE INDEX evaluations_case ON evaluations (case_id, id);
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
INSERT INTO decisions (id, case_id, case_version, eval_id, action, decided_by, decided_at, note, snapshot)
SELECT id, case_id, case_version, eval_id, action, decided_by, decided_at, note, snapshot FROM decisions_v4;
DROP TABLE decisions_v4;
DROP TABLE evaluations_v4;
CREATE INDEX decisions_case ON decisions (case_id, id);
