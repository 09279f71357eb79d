-- From version 8 to 9 (issue 16, item 12): a case can be voided, a duplicate
-- or a mistake set aside by an administrator with a note, audited, and kept
-- (nothing is ever deleted). A voided case has the status 'void': the queue,
-- the exports, the figures and the lists leave it out unless asked for.
--
-- The status CHECK gains 'void'. SQLite cannot change a CHECK in place, so
-- the column is renamed aside, the new one added (at the end of the table,
-- as schema.sql has it), filled and the old one dropped, as 006 did; the two
-- indexes on the status are made again over the new column.
-- A file that already had 010's counter triggers (a current file set back to
-- an older version, as test_draft does) loses them here: they name the
-- column; 010 makes them again and refills the counters.
DROP TRIGGER IF EXISTS case_counts_insert;
DROP TRIGGER IF EXISTS case_counts_update;
DROP TRIGGER IF EXISTS case_counts_delete;
DROP TRIGGER IF EXISTS case_counts_evaluation;
DROP TRIGGER IF EXISTS decision_hours_insert;
DROP TRIGGER IF EXISTS decision_hours_update;
DROP TRIGGER IF EXISTS decision_hours_delete;
DROP TRIGGER IF EXISTS decision_hours_decision;
DROP INDEX cases_status;
DROP INDEX cases_filter;
ALTER TABLE cases RENAME COLUMN status TO status_v8;
ALTER TABLE cases ADD COLUMN status TEXT NOT NULL DEFAULT 'draft'
	CHECK (status = 'draft' OR status = 'submitted' OR status = 'in_review' OR status = 'approved'
	       OR status = 'rejected' OR status = 'returned' OR status = 'void');
UPDATE cases SET status = status_v8;
ALTER TABLE cases DROP COLUMN status_v8;
CREATE INDEX cases_status ON cases (status, id);
CREATE INDEX cases_filter ON cases (status, region, outcome, direction, applicant_id);
