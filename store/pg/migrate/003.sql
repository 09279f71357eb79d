-- Schema version 2 to 3. Run by `guantong init` on an older database as
-- guantong_owner in schema guantong, in the transaction of the whole upgrade,
-- before functions.sql is made anew. No table changes: the version is the
-- functions' (an older program could not call them, a newer one cannot call
-- the older ones):
--   * import_run takes the client's reading of the file (encoding, as-of
--     date, rule set, rows, invalid rows) and writes its audit row also when
--     nothing changed, naming the import it repeats (same_as), as on SQLite.
SELECT 1;
