-- From version 1 to 2: name search for the queue, and intake drafts.
CREATE INDEX applicants_name ON applicants (name);

CREATE TABLE drafts (
	owner      TEXT NOT NULL,
	case_id    INTEGER NOT NULL,
	base_version INTEGER NOT NULL DEFAULT 0,
	updated_at TEXT NOT NULL,
	fields     TEXT NOT NULL,
	PRIMARY KEY (owner, case_id)
) WITHOUT ROWID;
