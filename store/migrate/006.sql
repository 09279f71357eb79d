-- From version 5 to 6, in one transaction: the two longest texts that every
-- case repeated are stored once.
--
-- cases.evidence, the verified documents (about 90 bytes of codes a case),
-- becomes a set of bits: bit k for the code evidence_codes names k. And
-- evaluations.ruleset, the rule set's version (about 70 bytes, the same for
-- thousands of evaluations), becomes the id of its text in rulesets. The
-- columns keep their names and meanings; each old column is renamed aside,
-- the new one added (at the end of its table, as schema.sql has it), filled
-- and the old one dropped (ALTER TABLE rewrites the table in place: the
-- rows keep their ids and every reference to them holds).
CREATE TABLE rulesets (
	id   INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE
);
CREATE TABLE evidence_codes (
	bit  INTEGER PRIMARY KEY,
	code TEXT NOT NULL UNIQUE
);
INSERT INTO evidence_codes (bit, code) VALUES (0, 'id_card'), (1, 'skill_certificate'),
	(2, 'title_certificate'), (3, 'work_record'), (4, 'appraisal_records'), (5, 'award_certificate'),
	(6, 'commendation_document'), (7, 'diploma'), (8, 'tech_school_certificate'), (9, 'frontline_proof'),
	(10, 'employment_proof'), (11, 'achievement_evidence'), (12, 'international_certificate');

ALTER TABLE cases RENAME COLUMN evidence TO evidence_v5;
ALTER TABLE cases ADD COLUMN evidence INTEGER NOT NULL DEFAULT 0;
UPDATE cases SET evidence = (SELECT coalesce(sum(1 << bit), 0) FROM evidence_codes
	WHERE instr(';' || cases.evidence_v5 || ';', ';' || code || ';') > 0);
ALTER TABLE cases DROP COLUMN evidence_v5;

INSERT INTO rulesets (name) SELECT DISTINCT ruleset FROM evaluations ORDER BY ruleset;
ALTER TABLE evaluations RENAME COLUMN ruleset TO ruleset_v5;
ALTER TABLE evaluations ADD COLUMN ruleset INTEGER NOT NULL DEFAULT 0;
UPDATE evaluations SET ruleset = (SELECT id FROM rulesets WHERE name = evaluations.ruleset_v5);
ALTER TABLE evaluations DROP COLUMN ruleset_v5;

-- Nothing reads evaluations by case (every read is by id, from cases.eval_id
-- or decisions.eval_id): the index on case_id only cost bytes (15 a case).
DROP INDEX evaluations_case;

CREATE VIEW case_evidence (case_id, evidence) AS
	SELECT c.id, coalesce((SELECT group_concat(code, ';') FROM
		(SELECT code FROM evidence_codes WHERE c.evidence >> bit & 1 ORDER BY bit)), '')
	FROM cases c;
CREATE VIEW evaluation_rulesets (eval_id, ruleset) AS
	SELECT e.id, r.name FROM evaluations e JOIN rulesets r ON r.id = e.ruleset;
