-- Schema version 1 (guantong 0.x before the search terms: no schema_version
-- in meta) to 2. Run by `guantong init` on an older database as
-- guantong_owner in schema guantong, in the transaction of the whole upgrade,
-- before functions.sql is made anew. What it adds is schema.sql's:
--   * the void status;
--   * the pinyin order of names (the collation zh and its index);
--   * the name's pinyin (filled by the client after this script: the server
--     has no transform) and the search terms (filled after functions.sql).
ALTER TABLE cases DROP CONSTRAINT cases_status_check;
ALTER TABLE cases ADD CONSTRAINT cases_status_check CHECK (status IN ('draft', 'submitted', 'in_review', 'approved',
                                                                      'rejected', 'returned', 'void'));
ALTER TABLE cases ADD COLUMN pinyin text NOT NULL DEFAULT '' CHECK (pinyin ~ '^[a-z0-9]*( [a-z0-9]+)*$');
CREATE COLLATION zh (provider = icu, locale = 'zh');
DROP INDEX cases_name;
CREATE INDEX cases_name ON cases (name COLLATE zh, id);
CREATE TABLE case_terms (
	term    text COLLATE "C" NOT NULL,
	case_id bigint NOT NULL
);
CREATE INDEX case_terms_term ON case_terms (term, case_id);
CREATE INDEX case_terms_case ON case_terms (case_id, term);
