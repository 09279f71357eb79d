-- Schema version 4 to 5. Run by `guantong init` on an older database as
-- guantong_owner in schema guantong, in the transaction of the whole upgrade,
-- before functions.sql is made anew (version 5's functions):
--   * cases keeps the date a case that waits for years only may apply
--     (due_on, as SQLite's case_due), written with each evaluation by the
--     functions from the client's evaluation, and `due` reads it by one
--     index; the upgrade fills it for the cases stored (store/pg/gt_pg.c's
--     fill_due: the client evaluates them, as SQLite's gt_due_fill);
--   * import_run writes a case given by several rows of one file as SQLite
--     does, row by row: a version, an evaluation and an audit row for each
--     row that changes it (it wrote the last row only);
--   * one applicant per identity number, as on SQLite: a case saved or
--     imported under another name renames the applicant's other cases (the
--     upgrade gives every identity number the name of its case changed last).
ALTER TABLE cases ADD COLUMN due_on date;
CREATE INDEX cases_due ON cases (due_on, id) WHERE due_on IS NOT NULL;
