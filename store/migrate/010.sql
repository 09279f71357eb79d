-- From version 9 to 10 (issue 18, item 3: the office's figures in < 200 ms on
-- 1M cases; self-contained and safe to run again, so that it can run after
-- any other change of the same wave, renumbered).
--
-- Counters kept on write, so that `stats` reads small tables and no case:
-- triggers on the tables that hold the counted values keep them in the
-- transaction that writes those values, whoever writes (the program, an
-- import, the sqlite3 shell), and a write that is rolled back or killed
-- leaves them as they were.
--
-- case_counts: the cases by every combination of region, direction, level
-- shown (the level applied for, else the evaluation's target), outcome,
-- route of the current evaluation, the awards a green channel rests on (its
-- basis; '' for another route) and status. A case's evaluation is written
-- after the case that names it: until it is, the case counts under route
-- '', and the evaluation's insert moves it to its route. Rows that fall to
-- zero stay (read with sum(n) <> 0).
CREATE TABLE IF NOT EXISTS case_counts (
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

CREATE TRIGGER IF NOT EXISTS case_counts_insert AFTER INSERT ON cases
BEGIN
	INSERT INTO case_counts VALUES (NEW.region, NEW.direction, coalesce(NEW.requested_level, NEW.target),
		NEW.outcome, coalesce((SELECT route FROM evaluations WHERE id = NEW.eval_id), ''),
		coalesce((SELECT basis FROM evaluations WHERE id = NEW.eval_id AND route = 'green_channel'), ''),
		NEW.status, 1)
	ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER IF NOT EXISTS case_counts_update AFTER UPDATE OF region, direction, requested_level, target, outcome, status,
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

CREATE TRIGGER IF NOT EXISTS case_counts_delete AFTER DELETE ON cases
BEGIN
	INSERT INTO case_counts VALUES (OLD.region, OLD.direction, coalesce(OLD.requested_level, OLD.target),
		OLD.outcome, coalesce((SELECT route FROM evaluations WHERE id = OLD.eval_id), ''),
		coalesce((SELECT basis FROM evaluations WHERE id = OLD.eval_id AND route = 'green_channel'), ''),
		OLD.status, -1)
	ON CONFLICT DO UPDATE SET n = n - 1;
END;

-- The evaluation a case already names: the case moves from route '' to its.
CREATE TRIGGER IF NOT EXISTS case_counts_evaluation AFTER INSERT ON evaluations
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
CREATE TABLE IF NOT EXISTS decision_counts (
	hour     TEXT NOT NULL,
	reviewer TEXT NOT NULL,
	approved INTEGER NOT NULL,
	rejected INTEGER NOT NULL,
	PRIMARY KEY (hour, reviewer)
) WITHOUT ROWID;

CREATE TRIGGER IF NOT EXISTS decision_counts_insert AFTER INSERT ON decisions
WHEN NEW.action = 'approve' OR NEW.action = 'reject'
BEGIN
	INSERT INTO decision_counts VALUES (coalesce(strftime('%Y-%m-%d %H:00:00', NEW.decided_at), ''),
		NEW.decided_by, NEW.action = 'approve', NEW.action = 'reject')
	ON CONFLICT DO UPDATE SET approved = approved + excluded.approved, rejected = rejected + excluded.rejected;
END;

CREATE TRIGGER IF NOT EXISTS decision_counts_delete AFTER DELETE ON decisions
WHEN OLD.action = 'approve' OR OLD.action = 'reject'
BEGIN
	INSERT INTO decision_counts VALUES (coalesce(strftime('%Y-%m-%d %H:00:00', OLD.decided_at), ''),
		OLD.decided_by, -(OLD.action = 'approve'), -(OLD.action = 'reject'))
	ON CONFLICT DO UPDATE SET approved = approved + excluded.approved, rejected = rejected + excluded.rejected;
END;

CREATE TRIGGER IF NOT EXISTS decision_counts_update AFTER UPDATE OF action, decided_by, decided_at ON decisions
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
-- decision (a decision changed under a case that names it).
CREATE TABLE IF NOT EXISTS decision_hours (
	hours INTEGER PRIMARY KEY,
	n     INTEGER NOT NULL
);

CREATE TRIGGER IF NOT EXISTS decision_hours_insert AFTER INSERT ON cases
WHEN NEW.decision_id IS NOT NULL
BEGIN
	INSERT INTO decision_hours SELECT (unixepoch(d.decided_at) - unixepoch(NEW.created_at)) / 3600, 1
		FROM decisions d WHERE d.id = NEW.decision_id AND (d.action = 'approve' OR d.action = 'reject')
		AND unixepoch(d.decided_at) IS NOT NULL AND unixepoch(NEW.created_at) IS NOT NULL
	ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER IF NOT EXISTS decision_hours_update AFTER UPDATE OF decision_id, created_at ON cases
WHEN OLD.decision_id IS NOT NEW.decision_id OR OLD.created_at IS NOT NEW.created_at
BEGIN
	INSERT INTO decision_hours SELECT (unixepoch(d.decided_at) - unixepoch(OLD.created_at)) / 3600, -1
		FROM decisions d WHERE d.id = OLD.decision_id AND (d.action = 'approve' OR d.action = 'reject')
		AND unixepoch(d.decided_at) IS NOT NULL AND unixepoch(OLD.created_at) IS NOT NULL
	ON CONFLICT DO UPDATE SET n = n - 1;
	INSERT INTO decision_hours SELECT (unixepoch(d.decided_at) - unixepoch(NEW.created_at)) / 3600, 1
		FROM decisions d WHERE d.id = NEW.decision_id AND (d.action = 'approve' OR d.action = 'reject')
		AND unixepoch(d.decided_at) IS NOT NULL AND unixepoch(NEW.created_at) IS NOT NULL
	ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER IF NOT EXISTS decision_hours_delete AFTER DELETE ON cases
WHEN OLD.decision_id IS NOT NULL
BEGIN
	INSERT INTO decision_hours SELECT (unixepoch(d.decided_at) - unixepoch(OLD.created_at)) / 3600, -1
		FROM decisions d WHERE d.id = OLD.decision_id AND (d.action = 'approve' OR d.action = 'reject')
		AND unixepoch(d.decided_at) IS NOT NULL AND unixepoch(OLD.created_at) IS NOT NULL
	ON CONFLICT DO UPDATE SET n = n - 1;
END;

CREATE TRIGGER IF NOT EXISTS decision_hours_decision AFTER UPDATE OF action, decided_at ON decisions
BEGIN
	INSERT INTO decision_hours SELECT (unixepoch(OLD.decided_at) - unixepoch(c.created_at)) / 3600, -1
		FROM cases c WHERE c.decision_id = OLD.id AND c.id = OLD.case_id
		AND (OLD.action = 'approve' OR OLD.action = 'reject')
		AND unixepoch(OLD.decided_at) IS NOT NULL AND unixepoch(c.created_at) IS NOT NULL
	ON CONFLICT DO UPDATE SET n = n - 1;
	INSERT INTO decision_hours SELECT (unixepoch(NEW.decided_at) - unixepoch(c.created_at)) / 3600, 1
		FROM cases c WHERE c.decision_id = NEW.id AND c.id = NEW.case_id
		AND (NEW.action = 'approve' OR NEW.action = 'reject')
		AND unixepoch(NEW.decided_at) IS NOT NULL AND unixepoch(c.created_at) IS NOT NULL
	ON CONFLICT DO UPDATE SET n = n + 1;
END;

-- case_due: the call-back list (issue 18, item 4): the cases whose answer is
-- "not eligible" only because a year threshold is not met yet, with the day
-- the earliest route that waits for years only opens (YYYY-MM-DD, the
-- evaluator's). Written with the case's evaluation (store/gt_case_io.c);
-- the rows of cases stored before are made by the program after this runs
-- (gt_due_fill: the evaluator is C). Read by `due`, the queue's 到期 list
-- and `export --due`.
CREATE TABLE IF NOT EXISTS case_due (
	case_id INTEGER PRIMARY KEY REFERENCES cases(id),
	due_on  TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS case_due_on ON case_due (due_on, case_id);

-- The counts of the rows already stored (from nothing: this can run again
-- over a file that has the tables, as a renumbered migration may).
DELETE FROM case_counts;
DELETE FROM decision_counts;
DELETE FROM decision_hours;
INSERT INTO case_counts
	SELECT c.region, c.direction, coalesce(c.requested_level, c.target), c.outcome, coalesce(e.route, ''),
		coalesce(iif(e.route = 'green_channel', e.basis, ''), ''), c.status, count(*)
	FROM cases c LEFT JOIN evaluations e ON e.id = c.eval_id
	GROUP BY 1, 2, 3, 4, 5, 6, 7;
INSERT INTO decision_counts
	SELECT coalesce(strftime('%Y-%m-%d %H:00:00', decided_at), ''), decided_by, sum(action = 'approve'),
		sum(action = 'reject')
	FROM decisions WHERE action = 'approve' OR action = 'reject'
	GROUP BY 1, 2;
INSERT INTO decision_hours
	SELECT (unixepoch(d.decided_at) - unixepoch(c.created_at)) / 3600, count(*)
	FROM cases c JOIN decisions d ON d.id = c.decision_id
	WHERE (d.action = 'approve' OR d.action = 'reject')
		AND unixepoch(d.decided_at) IS NOT NULL AND unixepoch(c.created_at) IS NOT NULL
	GROUP BY 1;
