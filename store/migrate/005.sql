-- From version 4 to 5, in one transaction, two changes.
--
-- First: stored times are UTC, "YYYY-MM-DD HH:MM:SS+00:00".
-- Before, each time was written in the server's local time with its offset
-- ("2026-12-05 13:54:12+08:00"), so that the text did not sort as time does
-- (the queue's last-change order, export --since) once times of two zones
-- met. SQLite reads the offset; strftime writes the same moment in UTC. A
-- value that is not such a time is left as it is. The audit log is
-- append-only and keeps its times as written; they are read the same way.
UPDATE users SET created_at = strftime('%Y-%m-%d %H:%M:%S+00:00', created_at)
	WHERE created_at NOT LIKE '%+00:00' AND strftime('%s', created_at) IS NOT NULL;
UPDATE cases SET created_at = strftime('%Y-%m-%d %H:%M:%S+00:00', created_at)
	WHERE created_at NOT LIKE '%+00:00' AND strftime('%s', created_at) IS NOT NULL;
UPDATE cases SET updated_at = strftime('%Y-%m-%d %H:%M:%S+00:00', updated_at)
	WHERE updated_at NOT LIKE '%+00:00' AND strftime('%s', updated_at) IS NOT NULL;
UPDATE evidence SET received_at = strftime('%Y-%m-%d %H:%M:%S+00:00', received_at)
	WHERE received_at NOT LIKE '%+00:00' AND strftime('%s', received_at) IS NOT NULL;
UPDATE evidence SET verified_at = strftime('%Y-%m-%d %H:%M:%S+00:00', verified_at)
	WHERE verified_at NOT LIKE '%+00:00' AND strftime('%s', verified_at) IS NOT NULL;
UPDATE evaluations SET evaluated_at = strftime('%Y-%m-%d %H:%M:%S+00:00', evaluated_at)
	WHERE evaluated_at NOT LIKE '%+00:00' AND strftime('%s', evaluated_at) IS NOT NULL;
UPDATE decisions SET decided_at = strftime('%Y-%m-%d %H:%M:%S+00:00', decided_at)
	WHERE decided_at NOT LIKE '%+00:00' AND strftime('%s', decided_at) IS NOT NULL;
UPDATE drafts SET updated_at = strftime('%Y-%m-%d %H:%M:%S+00:00', updated_at)
	WHERE updated_at NOT LIKE '%+00:00' AND strftime('%s', updated_at) IS NOT NULL;
UPDATE meta SET value = strftime('%Y-%m-%d %H:%M:%S+00:00', value)
	WHERE key = 'created_at' AND value NOT LIKE '%+00:00' AND strftime('%s', value) IS NOT NULL;

-- Second: an evaluation is stored as its answer (message,
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
