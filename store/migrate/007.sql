-- From version 6 to 7 (issue 17, item 7): several named drafts per user, and
-- for the draft of an edit the case as it was when the draft began, so that
-- after someone else's change the form can say which fields they changed and
-- apply the clerk's own changes to the new version. Self-contained: it only
-- rebuilds the drafts table.
-- The old table is renamed away and the new one made under its own name, so
-- that its text in sqlite_schema is the text of schema.sql.
ALTER TABLE drafts RENAME TO drafts_old;
CREATE TABLE drafts (
	owner        TEXT NOT NULL,
	id           INTEGER NOT NULL CHECK (id >= 1),
	name         TEXT NOT NULL DEFAULT '',
	case_id      INTEGER NOT NULL,
	base_version INTEGER NOT NULL DEFAULT 0,
	base_fields  TEXT NOT NULL DEFAULT '',
	updated_at   TEXT NOT NULL,
	fields       TEXT NOT NULL,
	PRIMARY KEY (owner, id)
) WITHOUT ROWID;
-- A draft of schema 6 or older keeps its values; it has no base_fields (the form says
-- so if the case changed meanwhile) and no name until it is saved again.
INSERT INTO drafts (owner, id, name, case_id, base_version, base_fields, updated_at, fields)
	SELECT owner, row_number() OVER (PARTITION BY owner ORDER BY case_id), '', case_id, base_version, '',
	       updated_at, fields
	FROM drafts_old;
DROP TABLE drafts_old;
CREATE INDEX drafts_case ON drafts (owner, case_id);
