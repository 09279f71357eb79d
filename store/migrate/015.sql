-- From version 14 to 15 (issue 14: the import within 1.3 times the sqlite3
-- shell's). The applicants' identity numbers are unique by the index
-- applicants_id_number in place of the UNIQUE constraint in the table: the
-- same uniqueness, the same order of keys, and an index that an import into
-- an empty store can drop and build again after its rows, from sorted keys
-- (store/gt_import.c, bulk_drop; store/gt_keys.c, side_main), as it does the
-- other indexes. A table's own constraint is made only with the table, and
-- SQLite's transfer of the rows (INSERT ... SELECT) needs the two tables'
-- indexes to be alike, so the table is made again, as 014.sql did cases:
-- the old one renamed aside with the references to it left as they are
-- (legacy_alter_table; the upgrade runs with the foreign keys off,
-- store/gt_store.c), the new one made as schema.sql has it and filled with
-- every row as it was (the same ids), the old one dropped with its index.
PRAGMA legacy_alter_table = ON;
ALTER TABLE applicants RENAME TO applicants_v14;
CREATE TABLE applicants (
	id         INTEGER PRIMARY KEY,
	id_number  TEXT NOT NULL CHECK (length(id_number) = 18),
	name       TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
	-- Days since 1970-01-01 (text before version 13: store/migrate/013.sql).
	birth_date INTEGER NOT NULL DEFAULT 0
);
INSERT INTO applicants (id, id_number, name, birth_date) SELECT id, id_number, name, birth_date FROM applicants_v14;
DROP TABLE applicants_v14;
PRAGMA legacy_alter_table = OFF;
CREATE UNIQUE INDEX applicants_id_number ON applicants (id_number);
