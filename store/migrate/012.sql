-- From version 11 to 12 (issue 14: the store at most 2.5 times the CSV's
-- bytes). The times of a case (created_at, updated_at) and of its
-- evaluation (evaluated_at), the rows there are most of, become whole
-- seconds since 1970 UTC, INTEGER: 4 bytes in place of 25, in the rows and
-- in cases_updated (16.1 MiB of 187.6 at 200,000 cases). The views
-- case_times and evaluation_times give them as text again for the shell.
--
-- SQLite cannot change a column's type in place, so each is renamed aside,
-- the new one added (at the end of its table, as schema.sql has it), filled
-- and the old one dropped, as 009 did; cases_updated and the decision_hours
-- triggers, which name created_at, are made again over the new columns. A
-- time that does not read (unixepoch gives NULL) is kept as it was, text:
-- the readers show such a value as it is (store/gt_store_int.h, GT_TIME_TEXT).
-- applicants_name (3.3 MiB at 200,000 cases) goes: no statement reads it
-- since the name's order walks case_keys_name (version 8); SQLite's plans
-- of the queue's statements are the same without it.
DROP INDEX IF EXISTS applicants_name;
-- A current file set back to an older version (as test_draft does) has
-- the views: they name the columns, and a renamed column renames them there.
DROP VIEW IF EXISTS case_times;
DROP VIEW IF EXISTS evaluation_times;
DROP TRIGGER IF EXISTS decision_hours_insert;
DROP TRIGGER IF EXISTS decision_hours_update;
DROP TRIGGER IF EXISTS decision_hours_delete;
DROP TRIGGER IF EXISTS decision_hours_decision;
DROP INDEX IF EXISTS cases_updated;
ALTER TABLE cases RENAME COLUMN created_at TO created_at_v11;
ALTER TABLE cases RENAME COLUMN updated_at TO updated_at_v11;
ALTER TABLE cases ADD COLUMN created_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
UPDATE cases SET created_at = coalesce(unixepoch(created_at_v11), created_at_v11),
	updated_at = coalesce(unixepoch(updated_at_v11), updated_at_v11);
ALTER TABLE cases DROP COLUMN created_at_v11;
ALTER TABLE cases DROP COLUMN updated_at_v11;
CREATE INDEX cases_updated ON cases (updated_at, id);
ALTER TABLE evaluations RENAME COLUMN evaluated_at TO evaluated_at_v11;
ALTER TABLE evaluations ADD COLUMN evaluated_at INTEGER NOT NULL DEFAULT 0;
UPDATE evaluations SET evaluated_at = coalesce(unixepoch(evaluated_at_v11), evaluated_at_v11);
ALTER TABLE evaluations DROP COLUMN evaluated_at_v11;
CREATE VIEW case_times (case_id, created_at, updated_at) AS
	SELECT id, coalesce(datetime(created_at, 'unixepoch') || '+00:00', created_at),
		coalesce(datetime(updated_at, 'unixepoch') || '+00:00', updated_at)
	FROM cases;
CREATE VIEW evaluation_times (eval_id, evaluated_at) AS
	SELECT id, coalesce(datetime(evaluated_at, 'unixepoch') || '+00:00', evaluated_at)
	FROM evaluations;
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
-- The hours to decision counted again from the rows, over the new column
-- (from nothing: a file set back to an older version before this ran 010's
-- count over seconds it read as text).
DELETE FROM decision_hours;
INSERT INTO decision_hours
	SELECT (unixepoch(d.decided_at) - iif(typeof(c.created_at) = 'integer', c.created_at,
		unixepoch(c.created_at))) / 3600, count(*)
	FROM cases c JOIN decisions d ON d.id = c.decision_id
	WHERE (d.action = 'approve' OR d.action = 'reject')
		AND unixepoch(d.decided_at) IS NOT NULL
		AND iif(typeof(c.created_at) = 'integer', c.created_at, unixepoch(c.created_at)) IS NOT NULL
	GROUP BY 1;
