-- From version 4 to 5: stored times are UTC, "YYYY-MM-DD HH:MM:SS+00:00".
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
