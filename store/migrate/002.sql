-- From version 1 to 2: the workstation's queue (name search, sorting by last
-- change and by outcome) and intake drafts.
CREATE INDEX applicants_name ON applicants (name);
CREATE INDEX cases_updated ON cases (updated_at, id);
CREATE INDEX cases_outcome ON cases (outcome, id);

CREATE TABLE drafts (
	owner      TEXT NOT NULL,
	case_id    INTEGER NOT NULL,
	base_version INTEGER NOT NULL DEFAULT 0,
	updated_at TEXT NOT NULL,
	fields     TEXT NOT NULL,
	PRIMARY KEY (owner, case_id)
) WITHOUT ROWID;
