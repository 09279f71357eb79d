-- From version 13 to 14 (issue 14: the store at most 2.5 times the CSV's
-- bytes). The queue's indexes on the status, region, outcome and direction
-- (cases_status, cases_region, cases_outcome, cases_direction, and the four
-- together in cases_filter) hold each code's rank, one letter in the order
-- of the codes, in place of the code (6 to 14 bytes); the queue reads them
-- through the same expressions (store/gt_queue.c), in the same order.
-- cases_filter no longer holds the applicant (the name's order reads the
-- collation key in case_keys since version 8). The columns of cases are as
-- they were.
--
-- The identity numbers leave case_terms: the search walks the applicants'
-- index on them (store/gt_queue.c), and the view case_search_terms gives
-- every term for the shell. A case whose case_ref is its identity number
-- keeps that term, its case_ref's.
DROP INDEX IF EXISTS cases_status;
DROP INDEX IF EXISTS cases_outcome;
DROP INDEX IF EXISTS cases_region;
DROP INDEX IF EXISTS cases_direction;
DROP INDEX IF EXISTS cases_filter;
CREATE INDEX cases_status ON cases ((CASE status WHEN 'approved' THEN 'a' WHEN 'draft' THEN 'b' WHEN 'in_review' THEN 'c'
	WHEN 'rejected' THEN 'd' WHEN 'returned' THEN 'e' WHEN 'submitted' THEN 'f' WHEN 'void' THEN 'g' ELSE status END), id);
CREATE INDEX cases_outcome ON cases ((CASE outcome WHEN 'eligible' THEN 'a' WHEN 'invalid' THEN 'b' WHEN 'manual_review'
	THEN 'c' WHEN 'needs_evidence' THEN 'd' WHEN 'not_eligible' THEN 'e' WHEN 'vetoed' THEN 'f' ELSE outcome END), id);
CREATE INDEX cases_region ON cases ((CASE region WHEN 'anshan' THEN 'a' WHEN 'chongqing' THEN 'b' WHEN 'guangzhou' THEN 'c'
	WHEN 'jiangsu' THEN 'd' WHEN 'sichuan' THEN 'e' ELSE region END), id);
CREATE INDEX cases_direction ON cases ((CASE direction WHEN 'skill_to_title' THEN 'a' WHEN 'title_to_skill' THEN 'b'
	ELSE direction END), id);
CREATE INDEX cases_filter ON cases ((CASE status WHEN 'approved' THEN 'a' WHEN 'draft' THEN 'b' WHEN 'in_review' THEN 'c'
	WHEN 'rejected' THEN 'd' WHEN 'returned' THEN 'e' WHEN 'submitted' THEN 'f' WHEN 'void' THEN 'g' ELSE status END),
	(CASE region WHEN 'anshan' THEN 'a' WHEN 'chongqing' THEN 'b' WHEN 'guangzhou' THEN 'c'
	WHEN 'jiangsu' THEN 'd' WHEN 'sichuan' THEN 'e' ELSE region END),
	(CASE outcome WHEN 'eligible' THEN 'a' WHEN 'invalid' THEN 'b' WHEN 'manual_review'
	THEN 'c' WHEN 'needs_evidence' THEN 'd' WHEN 'not_eligible' THEN 'e' WHEN 'vetoed' THEN 'f' ELSE outcome END),
	(CASE direction WHEN 'skill_to_title' THEN 'a' WHEN 'title_to_skill' THEN 'b' ELSE direction END));
DELETE FROM case_terms WHERE (term, case_id) IN (SELECT lower(a.id_number), c.id FROM cases c
	JOIN applicants a ON a.id = c.applicant_id WHERE lower(c.case_ref) <> lower(a.id_number));
DROP VIEW IF EXISTS case_search_terms;
CREATE VIEW case_search_terms (term, case_id) AS
	SELECT term, case_id FROM case_terms
	UNION ALL
	SELECT lower(a.id_number), c.id FROM cases c JOIN applicants a ON a.id = c.applicant_id
	WHERE NOT EXISTS (SELECT 1 FROM case_terms t WHERE t.term = lower(a.id_number) AND t.case_id = c.id);
