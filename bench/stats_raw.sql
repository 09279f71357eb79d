-- bench/report.sh: what `stats` counted before the counters of schema 9, the
-- same figures as aggregates over the raw tables, for the sqlite3 shell to
-- run side by side with `guantong stats` (which reads store/migrate/009.sql's
-- counters instead).
SELECT region, count(*) FROM cases GROUP BY region;
SELECT direction, count(*) FROM cases GROUP BY direction;
SELECT direction, coalesce(requested_level, target), count(*) FROM cases GROUP BY 1, 2;
SELECT outcome, count(*) FROM cases GROUP BY outcome;
SELECT e.route, count(*) FROM cases c JOIN evaluations e ON e.id = c.eval_id GROUP BY e.route;
SELECT status, count(*) FROM cases GROUP BY status;
SELECT strftime('%Y-%m', decided_at, 'localtime') AS m, sum(action = 'approve'), sum(action = 'reject')
	FROM decisions WHERE action = 'approve' OR action = 'reject' GROUP BY m;
SELECT decided_by, sum(action = 'approve'), sum(action = 'reject') FROM decisions
	WHERE action = 'approve' OR action = 'reject' GROUP BY decided_by;
WITH RECURSIVE b(rest, item) AS (
	SELECT e.basis || ';', NULL FROM cases c JOIN evaluations e ON e.id = c.eval_id
	WHERE e.route = 'green_channel' AND e.basis <> ''
	UNION ALL SELECT substr(rest, instr(rest, ';') + 1), substr(rest, 1, instr(rest, ';') - 1) FROM b WHERE rest <> '')
SELECT item, count(*) FROM b WHERE item IS NOT NULL AND item <> '' GROUP BY item;
SELECT count(*), (unixepoch(x.decided_at) - c.created_at) / 3600 AS h
	FROM decisions x JOIN cases c ON c.id = x.case_id AND c.decision_id = x.id
	WHERE x.action = 'approve' OR x.action = 'reject' GROUP BY h;
