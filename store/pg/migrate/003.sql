-- Schema version 2 to 3. Run by `guantong init` on an older database as
-- guantong_owner in schema guantong, in the transaction of the whole upgrade,
-- before functions.sql is made anew.
--   * the queue's level order is by the level's rank, not its text: the
--     index on the rank (gt_pg_queue.c's LEVEL_RANK) instead of the text's;
--   * import_run takes the client's reading of the file (encoding, as-of
--     date, rule set, rows, invalid rows) and writes its audit row also when
--     nothing changed, naming the import it repeats (same_as), as on SQLite.
DROP INDEX cases_level;
CREATE INDEX cases_level_rank ON cases ((CASE WHEN direction = 'title_to_skill' THEN (CASE level
	WHEN 'junior' THEN '01' WHEN 'intermediate' THEN '02' WHEN 'senior' THEN '03' WHEN 'technician' THEN '04'
	WHEN 'senior_technician' THEN '05' WHEN 'principal_technician' THEN '06' WHEN 'chief_technician' THEN '07'
	ELSE '00' END) ELSE (CASE level WHEN 'entry' THEN '11' WHEN 'assistant' THEN '12' WHEN 'intermediate' THEN '13'
	WHEN 'deputy_senior' THEN '14' WHEN 'full_senior' THEN '15' ELSE '00' END) END), id);
