-- Schema version 3 to 4. Run by `guantong init` on an older database as
-- guantong_owner in schema guantong, in the transaction of the whole upgrade,
-- before functions.sql is made anew (version 4's functions):
--   * case_terms_of is one inlinable SELECT (no SET clause), so that the
--     triggers make a statement's search terms in one plan, with no function
--     call per case;
--   * import_run counts a case given by several rows of one file as SQLite
--     does (each row against the case as the row before it left it), where
--     it counted every earlier row as updated;
--   * the counters `stats` reads (schema.sql's case_counts, decision_counts
--     and decision_hours), kept by functions.sql's triggers, counted here
--     from the rows stored; cases keeps its evaluation's route and award
--     (the counters' keys) beside its eval_id.
ALTER TABLE cases ADD COLUMN route text NOT NULL DEFAULT '', ADD COLUMN award text NOT NULL DEFAULT '';
UPDATE cases c SET route = e.route, award = CASE WHEN e.route = 'green_channel' THEN e.basis ELSE '' END
FROM evaluations e WHERE e.id = c.eval_id;
CREATE TABLE case_counts (
	region    text NOT NULL,
	direction text NOT NULL,
	level     text NOT NULL,
	outcome   text NOT NULL,
	route     text NOT NULL,
	award     text NOT NULL,
	status    text NOT NULL,
	n         bigint NOT NULL,
	PRIMARY KEY (region, direction, level, outcome, route, award, status)
);
CREATE TABLE decision_counts (
	hour     text NOT NULL,
	reviewer text NOT NULL,
	approved bigint NOT NULL,
	rejected bigint NOT NULL,
	PRIMARY KEY (hour, reviewer)
);
CREATE TABLE decision_hours (
	hours bigint PRIMARY KEY,
	n     bigint NOT NULL
);
INSERT INTO case_counts
SELECT region, direction, level, outcome, route, award, status, count(*) FROM cases GROUP BY 1, 2, 3, 4, 5, 6, 7;
INSERT INTO decision_counts
SELECT left(decided_at, 13), decided_by, count(*) FILTER (WHERE action = 'approve'),
       count(*) FILTER (WHERE action = 'reject')
FROM decisions WHERE action IN ('approve', 'reject') GROUP BY 1, 2;
INSERT INTO decision_hours
SELECT (extract(epoch FROM d.decided_at::timestamptz) - extract(epoch FROM c.created_at::timestamptz))::bigint / 3600,
       count(*)
FROM cases c JOIN decisions d ON d.id = c.decision_id AND d.action IN ('approve', 'reject') GROUP BY 1;
