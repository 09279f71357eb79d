-- guantong on PostgreSQL: the only ways to write. Each function is SECURITY
-- DEFINER (it runs as guantong_owner), has a fixed search_path, checks the
-- caller's group itself (pg_has_role(session_user, ...)) and writes the
-- audit row in the same transaction, with session_user as the actor. Errors
-- carry an SQLSTATE of class GT that the client maps to its return codes:
--   GT001 conflict (the case changed since it was read)
--   GT002 denied (the caller's group does not allow it)
--   GT003 transition (not allowed from the case's status)
--   GT004 not found
--   GT005 invalid input
-- Every writing function ends with NOTIFY guantong: the workstations
-- LISTEN and refresh their queue when it arrives (after the commit).

CREATE FUNCTION now_text() RETURNS text LANGUAGE sql STABLE
SET search_path = guantong, pg_temp AS $$
	SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || '+00:00'
$$;

-- The caller's role: '' unless an active user and a member of a group.
CREATE FUNCTION my_role() RETURNS text LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = guantong, pg_temp AS $$
	SELECT CASE
		WHEN NOT EXISTS (SELECT 1 FROM users WHERE login = session_user AND active) THEN ''
		WHEN pg_has_role(session_user, 'guantong_admin', 'MEMBER') THEN 'admin'
		WHEN pg_has_role(session_user, 'guantong_reviewer', 'MEMBER') THEN 'reviewer'
		WHEN pg_has_role(session_user, 'guantong_clerk', 'MEMBER') THEN 'clerk'
		ELSE '' END
$$;

CREATE FUNCTION role_rank(p_role text) RETURNS int LANGUAGE sql IMMUTABLE
SET search_path = guantong, pg_temp AS $$
	SELECT CASE p_role WHEN 'clerk' THEN 1 WHEN 'reviewer' THEN 2 WHEN 'admin' THEN 3 ELSE 0 END
$$;

CREATE FUNCTION require_role(p_min text) RETURNS text LANGUAGE plpgsql STABLE
SET search_path = guantong, pg_temp AS $$
DECLARE
	r text := my_role();
BEGIN
	IF role_rank(r) < role_rank(p_min) THEN
		RAISE EXCEPTION USING ERRCODE = 'GT002',
			MESSAGE = format('%s is %s; this needs a %s', session_user,
			                 CASE WHEN r = '' THEN 'not a user of this database' ELSE 'a ' || r END, p_min);
	END IF;
	RETURN r;
END
$$;

CREATE FUNCTION audit_add(p_action text, p_entity text, p_entity_id text, p_before jsonb, p_after jsonb)
RETURNS void LANGUAGE sql SET search_path = guantong, pg_temp AS $$
	INSERT INTO audit (at, actor, action, entity, entity_id, before, after)
	VALUES (now_text(), session_user, p_action, p_entity, p_entity_id, p_before::text, p_after::text)
$$;

-- A case's field by column name.
CREATE FUNCTION col(p_fields text[], p_name text) RETURNS text LANGUAGE sql STABLE
SET search_path = guantong, pg_temp AS $$
	SELECT p_fields[(SELECT pos FROM case_columns WHERE name = p_name)]
$$;

-- The fields of a whose text differs from b's (b NULL: those not empty), as
-- a JSON object by column name.
CREATE FUNCTION fields_json(p_a text[], p_b text[]) RETURNS jsonb LANGUAGE sql STABLE
SET search_path = guantong, pg_temp AS $$
	SELECT coalesce(jsonb_object_agg(c.name, p_a[c.pos] ORDER BY c.pos), '{}'::jsonb)
	FROM case_columns c
	WHERE CASE WHEN p_b IS NULL THEN coalesce(p_a[c.pos], '') <> ''
	           ELSE p_a[c.pos] IS DISTINCT FROM p_b[c.pos] END
$$;

CREATE FUNCTION json_fields(p jsonb) RETURNS text[] LANGUAGE sql IMMUTABLE
SET search_path = guantong, pg_temp AS $$
	SELECT coalesce(array_agg(v ORDER BY k), '{}') FROM jsonb_array_elements_text(p) WITH ORDINALITY AS t(v, k)
$$;

CREATE FUNCTION eval_add(p_case bigint, p_version bigint, p_eval jsonb) RETURNS bigint LANGUAGE sql
SET search_path = guantong, pg_temp AS $$
	INSERT INTO evaluations (case_id, case_version, ruleset, as_of, evaluated_at, evaluated_by, outcome,
	                         target, route, basis, unmet, missing_evidence, theory_exempt, rule_id)
	VALUES (p_case, p_version, p_eval->>'ruleset', p_eval->>'as_of', now_text(), session_user,
	        p_eval->>'outcome', p_eval->>'target', p_eval->>'route', p_eval->>'basis', p_eval->>'unmet',
	        p_eval->>'missing_evidence', (p_eval->>'theory_exempt')::boolean, coalesce(p_eval->>'rule_id', ''))
	RETURNING id
$$;

CREATE FUNCTION check_case(p_fields text[], p_eval jsonb) RETURNS void LANGUAGE plpgsql STABLE
SET search_path = guantong, pg_temp AS $$
BEGIN
	IF p_fields IS NULL OR cardinality(p_fields) <> (SELECT count(*) FROM case_columns)
	   OR length(coalesce(col(p_fields, 'id_number'), '')) <> 18 OR coalesce(col(p_fields, 'name'), '') = ''
	   OR p_eval->>'outcome' IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'GT005', MESSAGE = 'a case needs every column and an evaluation';
	END IF;
END
$$;

-- The search terms of a case (schema.sql's case_terms), as terms_each in
-- store/gt_keys.c makes them on SQLite: the suffixes of the first 64
-- characters of the name, the pinyin's and the initials' suffixes by
-- syllable, the case_ref with A-Z in lower case, the identity number with
-- its x in lower case, and the case number; distinct, none empty.
-- One SELECT of built-in functions, with no SET clause, not STRICT and not
-- SECURITY DEFINER, so that the planner inlines it into the triggers' one
-- statement: the 2.2M terms of 200k cases took 13.6 s of the server's CPU
-- through a call per case, 7.2 s inlined (one session, load about 8). The
-- initials are the pinyin with each syllable cut to its first letter (a
-- syllable is [a-z0-9]+, the CHECK on cases.pinyin). It reads no table:
-- built-in names resolve in pg_catalog before any search_path.
CREATE FUNCTION case_terms_of(p_id bigint, p_name text, p_pinyin text, p_ref text, p_idn text)
RETURNS SETOF text LANGUAGE sql IMMUTABLE AS $$
	SELECT DISTINCT t FROM (
		SELECT substr(p_name, k) FROM generate_series(1, least(char_length(p_name), 64)) k
		UNION ALL
		SELECT unnest(ARRAY[array_to_string(s.syl[k:], ''), array_to_string(s.ini[k:], '')])
		FROM (SELECT string_to_array(nullif(p_pinyin, ''), ' ') AS syl,
		             string_to_array(regexp_replace(nullif(p_pinyin, ''), '([a-z0-9])[a-z0-9]*', '\1', 'g'), ' ')
		             AS ini) s,
		     generate_series(1, cardinality(s.syl)) k
		UNION ALL
		SELECT unnest(ARRAY[translate(p_ref, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'),
		                    replace(p_idn, 'X', 'x'), p_id::text])
	) x(t)
	WHERE t <> ''
$$;

-- The triggers that keep case_terms: a statement's new cases, and the cases
-- whose name, pinyin, case_ref or identity number an update changed, get
-- their terms (anew), in one statement each.
CREATE FUNCTION case_terms_insert() RETURNS trigger LANGUAGE plpgsql
SET search_path = guantong, pg_temp AS $$
BEGIN
	INSERT INTO case_terms (term, case_id)
	SELECT t, n.id FROM new_cases n, case_terms_of(n.id, n.name, n.pinyin, n.case_ref, n.id_number) t;
	RETURN NULL;
END
$$;
CREATE TRIGGER cases_terms_insert AFTER INSERT ON cases REFERENCING NEW TABLE AS new_cases
	FOR EACH STATEMENT EXECUTE FUNCTION case_terms_insert();

CREATE FUNCTION case_terms_update() RETURNS trigger LANGUAGE plpgsql
SET search_path = guantong, pg_temp AS $$
BEGIN
	-- The deletion and the insertion see the same snapshot: the new terms stay.
	WITH ch AS (SELECT n.id, n.name, n.pinyin, n.case_ref, n.id_number FROM new_cases n JOIN old_cases o ON o.id = n.id
	            WHERE (n.name, n.pinyin, n.case_ref, n.id_number)
	                  IS DISTINCT FROM (o.name, o.pinyin, o.case_ref, o.id_number)),
	     gone AS (DELETE FROM case_terms t USING ch WHERE t.case_id = ch.id)
	INSERT INTO case_terms (term, case_id)
	SELECT t, ch.id FROM ch, case_terms_of(ch.id, ch.name, ch.pinyin, ch.case_ref, ch.id_number) t;
	RETURN NULL;
END
$$;
CREATE TRIGGER cases_terms_update AFTER UPDATE ON cases REFERENCING OLD TABLE AS old_cases NEW TABLE AS new_cases
	FOR EACH STATEMENT EXECUTE FUNCTION case_terms_update();

-- A case's route and, for a green channel, the awards it rests on (the
-- evaluation's basis): cases keeps them beside the evaluation's id, so that
-- the counters below are kept from the case's row alone. Inlined.
CREATE FUNCTION eval_route(p_eval jsonb) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT coalesce(p_eval->>'route', '')
$$;
CREATE FUNCTION eval_award(p_eval jsonb) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN p_eval->>'route' = 'green_channel' THEN coalesce(p_eval->>'basis', '') ELSE '' END
$$;
-- The date a case that waits for years only may apply (store/gt_due.c's
-- gt_due_of, made by the client with the evaluation; NULL for every other
-- case): cases keeps it as SQLite's case_due does, and `due` reads it by
-- the index cases_due. Inlined.
CREATE FUNCTION eval_due(p_eval jsonb) RETURNS date LANGUAGE sql STABLE AS $$
	SELECT to_date(p_eval->>'due', 'YYYY-MM-DD')
$$;

-- The counters `stats` reads (schema.sql's case_counts, decision_counts and
-- decision_hours, as SQLite's store/migrate/010.sql), kept by statement
-- triggers in the transaction of every write, whoever writes: a statement's
-- rows grouped and added (new rows) or taken away (old rows) in one upsert.
-- (Dynamic SQL: a trigger's transition tables are the statement's, and a
-- statement names only those its event has.) decision_hours counts the cases
-- whose current decision is an approval or a rejection by the whole hours
-- from intake to it.
CREATE FUNCTION case_counts_keep() RETURNS trigger LANGUAGE plpgsql
SET search_path = guantong, pg_temp AS $$
DECLARE
	src text := concat_ws(' UNION ALL ',
		CASE WHEN TG_OP <> 'DELETE' THEN 'SELECT region, direction, level, outcome, route, award, status, '
		                                 'decision_id, created_at, 1 AS d FROM new_cases' END,
		CASE WHEN TG_OP <> 'INSERT' THEN 'SELECT region, direction, level, outcome, route, award, status, '
		                                 'decision_id, created_at, -1 AS d FROM old_cases' END);
BEGIN
	EXECUTE format('INSERT INTO case_counts AS k (region, direction, level, outcome, route, award, status, n)
		SELECT region, direction, level, outcome, route, award, status, sum(d) FROM (%s) x
		GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(d) <> 0
		ON CONFLICT (region, direction, level, outcome, route, award, status) DO UPDATE SET n = k.n + excluded.n', src);
	EXECUTE format('INSERT INTO decision_hours AS k (hours, n)
		SELECT (extract(epoch FROM e.decided_at::timestamptz) - extract(epoch FROM x.created_at::timestamptz))::bigint / 3600,
		       sum(x.d)
		FROM (%s) x JOIN decisions e ON e.id = x.decision_id AND e.action IN (''approve'', ''reject'')
		GROUP BY 1 HAVING sum(x.d) <> 0
		ON CONFLICT (hours) DO UPDATE SET n = k.n + excluded.n', src);
	RETURN NULL;
END
$$;
CREATE TRIGGER cases_counts_insert AFTER INSERT ON cases REFERENCING NEW TABLE AS new_cases
	FOR EACH STATEMENT EXECUTE FUNCTION case_counts_keep();
CREATE TRIGGER cases_counts_update AFTER UPDATE ON cases REFERENCING OLD TABLE AS old_cases NEW TABLE AS new_cases
	FOR EACH STATEMENT EXECUTE FUNCTION case_counts_keep();
CREATE TRIGGER cases_counts_delete AFTER DELETE ON cases REFERENCING OLD TABLE AS old_cases
	FOR EACH STATEMENT EXECUTE FUNCTION case_counts_keep();

-- Approvals and rejections by the decision's UTC hour (its first 13
-- characters: the month a person reads is local, made on read) and reviewer.
CREATE FUNCTION decision_counts_keep() RETURNS trigger LANGUAGE plpgsql
SET search_path = guantong, pg_temp AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		INSERT INTO decision_counts AS k (hour, reviewer, approved, rejected)
		SELECT left(decided_at, 13), decided_by, count(*) FILTER (WHERE action = 'approve'),
		       count(*) FILTER (WHERE action = 'reject')
		FROM new_decisions WHERE action IN ('approve', 'reject') GROUP BY 1, 2
		ON CONFLICT (hour, reviewer) DO UPDATE SET approved = k.approved + excluded.approved,
			rejected = k.rejected + excluded.rejected;
	ELSE
		INSERT INTO decision_counts AS k (hour, reviewer, approved, rejected)
		SELECT left(decided_at, 13), decided_by, -count(*) FILTER (WHERE action = 'approve'),
		       -count(*) FILTER (WHERE action = 'reject')
		FROM old_decisions WHERE action IN ('approve', 'reject') GROUP BY 1, 2
		ON CONFLICT (hour, reviewer) DO UPDATE SET approved = k.approved + excluded.approved,
			rejected = k.rejected + excluded.rejected;
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER decisions_counts_insert AFTER INSERT ON decisions REFERENCING NEW TABLE AS new_decisions
	FOR EACH STATEMENT EXECUTE FUNCTION decision_counts_keep();
CREATE TRIGGER decisions_counts_delete AFTER DELETE ON decisions REFERENCING OLD TABLE AS old_decisions
	FOR EACH STATEMENT EXECUTE FUNCTION decision_counts_keep();

-- The case, locked for the rest of the transaction, if it is still at the
-- version the caller read (p_expect; 0 or NULL: whatever it is now).
CREATE FUNCTION lock_case(p_id bigint, p_expect bigint) RETURNS cases LANGUAGE plpgsql
SET search_path = guantong, pg_temp AS $$
DECLARE
	c cases%ROWTYPE;
BEGIN
	SELECT * INTO c FROM cases WHERE id = p_id FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'GT004', MESSAGE = format('no case %s', p_id);
	END IF;
	IF p_expect IS NOT NULL AND p_expect <> 0 AND c.version <> p_expect THEN
		RAISE EXCEPTION USING ERRCODE = 'GT001',
			MESSAGE = format('case %s is at version %s, not %s', p_id, c.version, p_expect);
	END IF;
	RETURN c;
END
$$;

-- One applicant per identity number, as on SQLite (an applicants row): the
-- name a case was saved with is the one all the applicant's cases show. The
-- others take it, and its pinyin, without a version of their own (nobody
-- changed them; their search terms follow by the trigger).
CREATE FUNCTION applicant_rename(p_fields text[], p_pinyin text) RETURNS void LANGUAGE sql
SET search_path = guantong, pg_temp AS $$
	UPDATE cases SET name = col(p_fields, 'name'), pinyin = p_pinyin,
		fields[(SELECT pos FROM case_columns WHERE name = 'name')] = col(p_fields, 'name')
	WHERE id_number = col(p_fields, 'id_number') AND name <> col(p_fields, 'name')
$$;

-- Saves a case: a new one (p_id NULL; status draft or submitted), or the new
-- fields of one whose version is still p_expect. p_evidence, for
-- evidence.set: {code: {"received": b, "verified": b, "note": t}}.
CREATE FUNCTION case_write(p_id bigint, p_expect bigint, p_status text, p_fields jsonb, p_eval jsonb,
                           p_evidence jsonb, p_action text,
                           OUT case_id bigint, OUT case_version bigint, OUT eval_id bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = guantong, pg_temp AS $$
DECLARE
	f text[] := json_fields(p_fields);
	c cases%ROWTYPE;
	now_t text := now_text();
	b jsonb;
	a jsonb;
	e record;
	k text;
	v jsonb;
BEGIN
	PERFORM require_role('clerk');
	PERFORM check_case(f, p_eval);
	IF p_id IS NULL THEN
		IF p_status NOT IN ('draft', 'submitted') THEN
			RAISE EXCEPTION USING ERRCODE = 'GT005', MESSAGE = 'a new case is a draft or submitted';
		END IF;
		SELECT * INTO c FROM cases WHERE id_number = col(f, 'id_number') AND region = col(f, 'region')
			AND direction = col(f, 'direction');
		IF FOUND THEN
			RAISE EXCEPTION USING ERRCODE = 'GT005', MESSAGE = format('exists:%s', c.id);
		END IF;
		INSERT INTO cases (id_number, name, region, direction, case_ref, level, fields, status, created_at,
		                   created_by, updated_at, updated_by, outcome, target, eval_id, pinyin, route, award, due_on)
		VALUES (col(f, 'id_number'), col(f, 'name'), col(f, 'region'), col(f, 'direction'),
		        coalesce(col(f, 'case_ref'), ''),
		        coalesce(nullif(col(f, 'requested_level'), ''), nullif(p_eval->>'level', ''), p_eval->>'target', ''), f, p_status,
		        now_t, session_user, now_t, session_user, p_eval->>'outcome', coalesce(p_eval->>'target', ''), 0,
		        coalesce(p_eval->>'pinyin', ''), eval_route(p_eval), eval_award(p_eval), eval_due(p_eval))
		RETURNING id INTO case_id;
		PERFORM applicant_rename(f, coalesce(p_eval->>'pinyin', ''));
		case_version := 1;
		eval_id := eval_add(case_id, 1, p_eval);
		UPDATE cases SET eval_id = case_write.eval_id WHERE id = case_id;
		a := fields_json(f, NULL) || jsonb_build_object('status', p_status, 'outcome', p_eval->>'outcome');
		PERFORM audit_add('case.create', 'case', case_id::text, NULL, a);
		NOTIFY guantong;
		RETURN;
	END IF;
	c := lock_case(p_id, p_expect);
	IF c.status IN ('approved', 'rejected', 'void') THEN
		RAISE EXCEPTION USING ERRCODE = 'GT003', MESSAGE = format('case %s is %s', p_id, c.status);
	END IF;
	IF (col(f, 'id_number'), col(f, 'region'), col(f, 'direction')) IS DISTINCT FROM
	   (c.id_number, c.region, c.direction)
	   AND EXISTS (SELECT 1 FROM cases x WHERE x.id_number = col(f, 'id_number')
	               AND x.region = col(f, 'region') AND x.direction = col(f, 'direction')) THEN
		RAISE EXCEPTION USING ERRCODE = 'GT005', MESSAGE = 'another case has this identity number, region and direction';
	END IF;
	case_id := p_id;
	case_version := c.version + 1;
	eval_id := eval_add(p_id, case_version, p_eval);
	b := fields_json(c.fields, f);
	a := fields_json(f, c.fields);
	IF p_evidence IS NOT NULL THEN
		FOR k, v IN SELECT * FROM jsonb_each(p_evidence) LOOP
			SELECT * INTO e FROM evidence x WHERE x.case_id = p_id AND x.code = k;
			b := b || jsonb_build_object(k, jsonb_build_object('received', coalesce(e.received, false),
			          'verified', coalesce(e.verified, false), 'note', coalesce(e.note, '')));
			a := a || jsonb_build_object(k, v);
			INSERT INTO evidence AS x (case_id, code, received, verified, received_by, received_at,
			                           verified_by, verified_at, note)
			VALUES (p_id, k, (v->>'received')::boolean, (v->>'verified')::boolean,
			        CASE WHEN (v->>'received')::boolean THEN session_user END,
			        CASE WHEN (v->>'received')::boolean THEN now_t END,
			        CASE WHEN (v->>'verified')::boolean THEN session_user END,
			        CASE WHEN (v->>'verified')::boolean THEN now_t END, coalesce(v->>'note', ''))
			ON CONFLICT ON CONSTRAINT evidence_pkey DO UPDATE SET
				received = excluded.received, verified = excluded.verified, note = excluded.note,
				received_by = CASE WHEN x.received = excluded.received THEN x.received_by ELSE excluded.received_by END,
				received_at = CASE WHEN x.received = excluded.received THEN x.received_at ELSE excluded.received_at END,
				verified_by = CASE WHEN x.verified = excluded.verified THEN x.verified_by ELSE excluded.verified_by END,
				verified_at = CASE WHEN x.verified = excluded.verified THEN x.verified_at ELSE excluded.verified_at END;
		END LOOP;
	END IF;
	b := b || jsonb_build_object('version', c.version);
	a := a || jsonb_build_object('version', case_version);
	IF c.outcome <> p_eval->>'outcome' THEN
		b := b || jsonb_build_object('outcome', c.outcome);
		a := a || jsonb_build_object('outcome', p_eval->>'outcome');
	END IF;
	UPDATE cases SET id_number = col(f, 'id_number'), name = col(f, 'name'), region = col(f, 'region'),
		direction = col(f, 'direction'), case_ref = coalesce(col(f, 'case_ref'), ''),
		level = coalesce(nullif(col(f, 'requested_level'), ''), nullif(p_eval->>'level', ''), p_eval->>'target', ''), fields = f,
		version = case_version, updated_at = now_t, updated_by = session_user,
		outcome = p_eval->>'outcome', target = coalesce(p_eval->>'target', ''), eval_id = case_write.eval_id,
		pinyin = coalesce(p_eval->>'pinyin', ''), route = eval_route(p_eval), award = eval_award(p_eval),
		due_on = eval_due(p_eval)
	WHERE id = p_id;
	PERFORM applicant_rename(f, coalesce(p_eval->>'pinyin', ''));
	PERFORM audit_add(coalesce(p_action, 'case.update'), 'case', p_id::text, b, a);
	NOTIFY guantong;
END
$$;

-- The status an action leads to from p_from (NULL: not allowed), and the
-- least role that may take it: the table of gt_transition() in gt_store.c.
-- A void (an administrator's, with a note) sets a case aside from any status
-- but void; reopened, it goes back to submitted.
CREATE FUNCTION transition(p_from text, p_action text, OUT to_status text, OUT min_role text)
LANGUAGE sql IMMUTABLE SET search_path = guantong, pg_temp AS $$
	SELECT CASE p_action
		WHEN 'submit' THEN CASE WHEN p_from IN ('draft', 'returned') THEN 'submitted' END
		WHEN 'take' THEN CASE WHEN p_from = 'submitted' THEN 'in_review' END
		WHEN 'approve' THEN CASE WHEN p_from IN ('submitted', 'in_review') THEN 'approved' END
		WHEN 'reject' THEN CASE WHEN p_from IN ('submitted', 'in_review') THEN 'rejected' END
		WHEN 'return' THEN CASE WHEN p_from IN ('submitted', 'in_review') THEN 'returned' END
		WHEN 'reopen' THEN CASE WHEN p_from IN ('approved', 'rejected', 'returned') THEN 'in_review'
		                        WHEN p_from = 'void' THEN 'submitted' END
		WHEN 'void' THEN CASE WHEN p_from <> 'void' THEN 'void' END
	       END,
	       CASE WHEN p_action IN ('submit', 'return') THEN 'clerk'
	            WHEN p_action IN ('take', 'approve', 'reject') THEN 'reviewer'
	            WHEN p_action IN ('reopen', 'void') THEN 'admin' END
$$;

-- Moves a case along transition(); approve, reject and return record a
-- decision on the case's current evaluation, with what the reviewer saw.
CREATE FUNCTION case_act(p_id bigint, p_expect bigint, p_action text, p_note text, p_snapshot text,
                         p_ruleset text, p_summary text, p_explanation text)
RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = guantong, pg_temp AS $$
DECLARE
	c cases%ROWTYPE;
	t record;
	r text;
	d bigint;
	ev_outcome text;
	now_t text := now_text();
	a jsonb;
BEGIN
	SELECT * INTO t FROM transition('draft', p_action);
	IF t.min_role IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'GT005', MESSAGE = format('unknown action %s', p_action);
	END IF;
	r := require_role(t.min_role);
	p_note := coalesce(p_note, '');
	IF p_action IN ('reject', 'return', 'reopen', 'void') AND p_note = '' THEN
		RAISE EXCEPTION USING ERRCODE = 'GT005', MESSAGE = 'a note is required';
	END IF;
	c := lock_case(p_id, p_expect);
	SELECT * INTO t FROM transition(c.status, p_action);
	IF t.to_status IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'GT003', MESSAGE = format('case %s is %s', p_id, c.status);
	END IF;
	IF p_action = 'approve' THEN
		SELECT outcome INTO ev_outcome FROM evaluations WHERE id = c.eval_id;
		IF ev_outcome = 'vetoed' AND r <> 'admin' THEN
			RAISE EXCEPTION USING ERRCODE = 'GT002', MESSAGE = 'vetoed: only an administrator may approve';
		END IF;
		IF ev_outcome IS DISTINCT FROM 'eligible' AND p_note = '' THEN
			RAISE EXCEPTION USING ERRCODE = 'GT005', MESSAGE = 'approving against the evaluation needs a note';
		END IF;
	END IF;
	IF p_action IN ('approve', 'reject', 'return') THEN
		IF coalesce(p_snapshot, '') = '' THEN
			RAISE EXCEPTION USING ERRCODE = 'GT005', MESSAGE = 'a decision needs the case as decided';
		END IF;
		INSERT INTO decisions (case_id, case_version, eval_id, action, decided_by, decided_at, note, snapshot,
		                       ruleset, summary, explanation)
		VALUES (p_id, c.version + 1, c.eval_id, p_action, session_user, now_t, p_note, p_snapshot,
		        p_ruleset, p_summary, p_explanation)
		RETURNING id INTO d;
	END IF;
	UPDATE cases SET status = t.to_status, version = c.version + 1, updated_at = now_t,
		updated_by = session_user, decision_id = coalesce(d, decision_id),
		assignee = CASE WHEN p_action = 'take' THEN session_user ELSE assignee END
	WHERE id = p_id;
	a := jsonb_build_object('status', t.to_status, 'version', c.version + 1);
	IF d IS NOT NULL THEN
		a := a || jsonb_build_object('decision_id', d);
	END IF;
	IF p_note <> '' THEN
		a := a || jsonb_build_object('note', p_note);
	END IF;
	PERFORM audit_add('case.' || p_action, 'case', p_id::text,
	                  jsonb_build_object('status', c.status, 'version', c.version), a);
	NOTIFY guantong;
	RETURN c.version + 1;
END
$$;

-- Adds, changes or (p_role NULL) removes a user: the login role is made when
-- missing, its group granted, the others revoked. Administrators only.
CREATE FUNCTION user_set(p_login text, p_role text, p_display_name text)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = guantong, pg_temp AS $$
DECLARE
	u users%ROWTYPE;
	g text;
	now_t text := now_text();
	a jsonb;
BEGIN
	PERFORM require_role('admin');
	IF p_login IS NULL OR p_login !~ '^[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}$' OR p_login LIKE 'guantong\_%'
	   OR p_login IN ('postgres', 'public') THEN
		RAISE EXCEPTION USING ERRCODE = 'GT005', MESSAGE = format('"%s" is not a login this database accepts', p_login);
	END IF;
	IF p_role IS NOT NULL AND p_role NOT IN ('clerk', 'reviewer', 'admin') THEN
		RAISE EXCEPTION USING ERRCODE = 'GT005', MESSAGE = 'unknown role';
	END IF;
	SELECT * INTO u FROM users WHERE login = p_login FOR UPDATE;
	IF u.role = 'admin' AND u.active AND p_role IS DISTINCT FROM 'admin'
	   AND (SELECT count(*) FROM users WHERE role = 'admin' AND active) <= 1 THEN
		RAISE EXCEPTION USING ERRCODE = 'GT002', MESSAGE = format('%s is the last administrator', p_login);
	END IF;
	IF p_role IS NULL AND NOT FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'GT004', MESSAGE = format('no user %s', p_login);
	END IF;
	IF p_role IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_login) THEN
		EXECUTE format('CREATE ROLE %I LOGIN', p_login);
	END IF;
	FOREACH g IN ARRAY ARRAY['clerk', 'reviewer', 'admin'] LOOP
		IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_login) THEN
			EXECUTE format('REVOKE %I FROM %I', 'guantong_' || g, p_login);
		END IF;
	END LOOP;
	IF p_role IS NULL THEN
		UPDATE users SET active = false WHERE login = p_login;
		a := '{"active":0}';
	ELSE
		EXECUTE format('GRANT %I TO %I', 'guantong_' || p_role, p_login);
		INSERT INTO users AS x (login, role, display_name, created_at, created_by)
		VALUES (p_login, p_role, coalesce(p_display_name, ''), now_t, session_user)
		ON CONFLICT (login) DO UPDATE SET role = excluded.role, active = true,
			display_name = coalesce(p_display_name, x.display_name);
		a := jsonb_build_object('role', p_role, 'active', 1);
		IF p_display_name IS NOT NULL THEN
			a := a || jsonb_build_object('display_name', p_display_name);
		END IF;
	END IF;
	PERFORM audit_add(CASE WHEN u.login IS NULL THEN 'user.create' ELSE 'user.update' END, 'user', p_login,
	                  CASE WHEN u.login IS NULL THEN NULL ELSE jsonb_build_object('role', u.role,
	                       'active', u.active::int, 'display_name', u.display_name) END, a);
	NOTIFY guantong;
END
$$;

-- The documents an import row changes (its case's evidence list before,
-- p_before, and after, p_after), as SQLite's audit row has them: each one
-- added or dropped as {"received", "verified", "note"} before and after
-- ({"before": {...}, "after": {...}}). Received before: in the list before,
-- received or listed when stored (case p_case, read before the import
-- updates it), or listed by an earlier row of the file for the same case
-- (p_earlier; gt_import_few's rows of case p_last before line p_line);
-- received stays.
CREATE FUNCTION evidence_change(p_case bigint, p_last bigint, p_line bigint, p_earlier boolean, p_before text,
                                p_after text) RETURNS jsonb LANGUAGE plpgsql STABLE
SET search_path = guantong, pg_temp AS $$
DECLARE
	evi int := (SELECT pos FROM case_columns WHERE name = 'evidence');
	mb text[] := string_to_array(coalesce(p_before, ''), ';');
	ma text[] := string_to_array(coalesce(p_after, ''), ';');
	got text[];
BEGIN
	SELECT coalesce(array_agg(code), '{}') INTO got FROM (
		SELECT code FROM evidence WHERE case_id = p_case AND received
		UNION ALL SELECT unnest(string_to_array(fields[evi], ';')) FROM cases WHERE id = p_case
		UNION ALL SELECT unnest(string_to_array(m.fields[evi], ';'))
		          FROM gt_import_few m WHERE p_earlier AND m.last = p_last AND m.line < p_line) g;
	RETURN (SELECT jsonb_build_object(
		'before', coalesce(jsonb_object_agg(d.code, jsonb_build_object('received', d.rb, 'verified', d.vb,
		                                                               'note', d.note)), '{}'),
		'after', coalesce(jsonb_object_agg(d.code, jsonb_build_object('received', d.rb OR d.va, 'verified', d.va,
		                                                              'note', d.note)), '{}'))
		FROM (SELECT e.code, e.code = ANY (mb) AS vb, e.code = ANY (ma) AS va,
		             e.code = ANY (mb) OR e.code = ANY (got) AS rb,
		             coalesce((SELECT x.note FROM evidence x WHERE x.case_id = p_case AND x.code = e.code), '') AS note
		      FROM (SELECT unnest(mb) UNION SELECT unnest(ma)) e(code)
		      WHERE (e.code = ANY (mb)) <> (e.code = ANY (ma))) d);
END
$$;

-- Import, the server's half: the client has COPYed the rows into its
-- temporary table gt_import (line, fields, eval) and granted this function's
-- owner SELECT on it. All rows or none; one audit row for the import (the
-- file, its size and SHA-256, the counts, the cases created as ranges, those
-- changed with their versions; with p_meta, the client's reading of the
-- file: its encoding, as-of date, rule set, rows and invalid rows), also
-- when it changed nothing, as on SQLite, and one per update of a case. A
-- re-import of the file the last import read (size, SHA-256, encoding,
-- as-of date, rule set, nothing refused), after which nothing but exports
-- and backups was written, writes nothing and names that import (same_as).
-- Set-based: each step is one statement over the whole file, and the wide
-- rows are read from gt_import by line, never rewritten (a temporary table's
-- UPDATE copies the whole row). Into an empty table (a database's first
-- load) the indexes but the primary keys, the unique constraint and the
-- evaluations' foreign key are dropped and made again after the rows:
-- building an index from sorted rows, and checking a foreign key with one
-- join, costs a fraction of 200,000 inserts into each index and 200,000
-- trigger checks (server CPU 35.8 s before, 17-20 s after, at 200k). That
-- takes both tables' exclusive lock, which only this first load may.
CREATE FUNCTION import_run(p_file text, p_size bigint, p_sha256 text, p_meta jsonb,
                           OUT inserted bigint, OUT updated bigint, OUT unchanged bigint, OUT refused bigint,
                           OUT superseded bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = guantong, pg_temp
SET jit = off SET work_mem = '128MB' SET maintenance_work_mem = '256MB' AS $$
DECLARE
	now_t text := now_text();
	ncol int := (SELECT count(*) FROM case_columns);
	idn int := (SELECT pos FROM case_columns WHERE name = 'id_number');
	reg int := (SELECT pos FROM case_columns WHERE name = 'region');
	dir int := (SELECT pos FROM case_columns WHERE name = 'direction');
	nam int := (SELECT pos FROM case_columns WHERE name = 'name');
	ref int := (SELECT pos FROM case_columns WHERE name = 'case_ref');
	req int := (SELECT pos FROM case_columns WHERE name = 'requested_level');
	evi int := (SELECT pos FROM case_columns WHERE name = 'evidence');
	n_rows bigint;
	n_bad bigint;
	base bigint := 0;
	bulk boolean := false;
	idx_defs text[];
	idx_drops text[];
	d text;
	created jsonb := '[]';
	changed jsonb;
	same_as bigint;
	case_seq regclass := pg_get_serial_sequence('guantong.cases', 'id')::regclass;
	eval_seq regclass := pg_get_serial_sequence('guantong.evaluations', 'id')::regclass;
BEGIN
	PERFORM require_role('clerk');
	LOCK TABLE cases IN SHARE ROW EXCLUSIVE MODE;
	-- Each case the file gives (its key: identity number, region,
	-- direction) with its first and last row and the case stored under that
	-- key, checked in the same pass; the new ones numbered (ord) in the order
	-- of their first rows.
	CREATE TEMP TABLE gt_import_last ON COMMIT DROP AS
		SELECT g.line, g.first, g.n, g.bad, g.k_idn, g.k_reg, g.k_dir, c.id AS case_id, c.version AS old_version,
		       c.outcome AS old_outcome, c.status IN ('approved', 'rejected', 'void') AS decided,
		       CASE WHEN c.id IS NULL THEN count(*) FILTER (WHERE c.id IS NULL)
		                                   OVER (ORDER BY g.first ROWS UNBOUNDED PRECEDING) END AS ord
		FROM (SELECT max(line) AS line, min(line) AS first, count(*) AS n,
		             bool_or(cardinality(fields) <> ncol OR length(coalesce(fields[idn], '')) <> 18
		                     OR eval->>'outcome' IS NULL) AS bad,
		             fields[idn] AS k_idn, fields[reg] AS k_reg, fields[dir] AS k_dir
		      FROM pg_temp.gt_import GROUP BY fields[idn], fields[reg], fields[dir]) g
		LEFT JOIN cases c ON c.id_number = g.k_idn AND c.region = g.k_reg AND c.direction = g.k_dir;
	SELECT coalesce(sum(n), 0), count(*), count(*) FILTER (WHERE bad) INTO n_rows, superseded, n_bad
	FROM gt_import_last;
	IF n_bad > 0 THEN
		RAISE EXCEPTION USING ERRCODE = 'GT005', MESSAGE = 'an import row needs every column and an evaluation';
	END IF;
	superseded := n_rows - superseded;
	SELECT a.id INTO same_as FROM audit a
	WHERE a.id = (SELECT max(id) FROM audit WHERE action = 'import')
	  AND a.after::jsonb->>'sha256' = p_sha256 AND (a.after::jsonb->>'size')::bigint = p_size
	  AND a.after::jsonb->'encoding' = p_meta->'encoding' AND a.after::jsonb->'as_of' = p_meta->'as_of'
	  AND a.after::jsonb->'ruleset' = p_meta->'ruleset' AND (a.after::jsonb->>'refused')::bigint = 0
	  AND NOT EXISTS (SELECT 1 FROM audit b WHERE b.id > a.id AND b.action NOT IN ('export', 'backup'));
	-- The file the last import read, after which nothing but exports and
	-- backups was written (SQLite's same_as_before): every case of the file
	-- is as its last row made it (a case given twice would only go through
	-- the same versions again), so nothing is written; every row counts as
	-- unchanged and the audit row names that import.
	inserted := 0;
	updated := 0;
	refused := 0;
	unchanged := n_rows;
	changed := '[]';
	IF same_as IS NULL THEN
		ANALYZE gt_import_last;
		-- Every row with the row before it of the same case (prev): the rows of
		-- a case given once need no sort, those of a case given several times are
		-- put in order.
		CREATE TEMP TABLE gt_import_rows ON COMMIT DROP AS
			SELECT line, line AS last, NULL::bigint AS prev FROM gt_import_last WHERE n = 1;
		IF superseded > 0 THEN
			INSERT INTO gt_import_rows (line, last, prev)
			SELECT i.line, l.line, lag(i.line) OVER (PARTITION BY l.line ORDER BY i.line)
			FROM gt_import_last l JOIN pg_temp.gt_import i ON i.fields[idn] = l.k_idn AND i.fields[reg] = l.k_reg
			     AND i.fields[dir] = l.k_dir
			WHERE l.n > 1;
		END IF;
		-- One applicant per identity number, as on SQLite, where each row that
		-- writes a case names the applicant and so every case of theirs: when
		-- the file gives an identity number under several keys (cases), a row
		-- meets its case under the name of the row of that identity number
		-- before it (cur_name; a row that did not write it had that name
		-- already), not the name the case was stored or last given with. The
		-- rows of decided cases write nothing and name nobody.
		-- (Most files have no such identity number: then the wide rows are not
		-- read for it.)
		-- (Those identity numbers first, with their statistics: the planner
		-- would otherwise hash every wide row for the few of them.)
		CREATE TEMP TABLE gt_import_names (line bigint, cur_name text) ON COMMIT DROP;
		CREATE TEMP TABLE gt_import_idns ON COMMIT DROP AS
			SELECT k_idn FROM gt_import_last GROUP BY k_idn HAVING count(*) > 1;
		IF EXISTS (SELECT 1 FROM gt_import_idns) THEN
			ANALYZE gt_import_idns;
			INSERT INTO gt_import_names (line, cur_name)
			SELECT x.line, lag(x.name) OVER (PARTITION BY x.idn ORDER BY x.line)
			FROM (SELECT r.line, l.k_idn AS idn, i.fields[nam] AS name
			      FROM gt_import_last l JOIN gt_import_rows r ON r.last = l.line
			      JOIN pg_temp.gt_import i ON i.line = r.line
			      WHERE NOT coalesce(l.decided, false)
			        AND l.k_idn IN (SELECT k_idn FROM gt_import_idns)) x;
			ANALYZE gt_import_names;
		END IF;
		-- What each row does, as on SQLite, where each row meets the case as the
		-- row before it left it: the first row of a case against the stored case,
		-- each later one against the row before it (either under cur_name), or,
		-- when the stored case is decided (and stays so), against the stored case
		-- (as the client reads it for its reports). kind: n a new case, s
		-- the same, r refused (decided), u updated. Each n and u row writes an
		-- evaluation (eval_id, numbered in the file's order) and a version of the
		-- case (version: the case's after the row), each u row an audit row; the
		-- case keeps its last written row (final). wrote: the row written before
		-- this one, whose evaluation the case holds until this row. OFFSET 0 keeps
		-- the arrays out of the sorts the windows need.
		CREATE TEMP TABLE gt_import_work ON COMMIT DROP AS
			SELECT s.*, CASE WHEN s.kind IN ('n', 'u') THEN nextval(eval_seq) END AS eval_id
			FROM (SELECT k.*,
			             coalesce(k.old_version, 0) + count(*) FILTER (WHERE k.kind IN ('n', 'u'))
			                 OVER (PARTITION BY k.last ORDER BY k.line) AS version,
			             max(k.line) FILTER (WHERE k.kind IN ('n', 'u'))
			                 OVER (PARTITION BY k.last ORDER BY k.line ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
			                 AS wrote,
			             max(k.line) FILTER (WHERE k.kind IN ('n', 'u')) OVER (PARTITION BY k.last) AS final
			      FROM (SELECT r.line, r.last, r.prev, l.case_id, l.old_version, l.old_outcome, l.ord, nm.cur_name,
			                   CASE WHEN l.decided THEN CASE WHEN c.fields = i.fields THEN 's' ELSE 'r' END
			                        WHEN r.prev IS NULL AND l.case_id IS NULL THEN 'n'
			                        WHEN nm.cur_name IS NULL OR nm.cur_name = (coalesce(p.fields, c.fields))[nam]
			                             THEN CASE WHEN coalesce(p.fields, c.fields) = i.fields THEN 's' ELSE 'u' END
			                        WHEN i.fields[nam] = nm.cur_name AND i.fields[1:nam - 1] = (coalesce(p.fields, c.fields))[1:nam - 1]
			                             AND i.fields[nam + 1:ncol] = (coalesce(p.fields, c.fields))[nam + 1:ncol] THEN 's'
			                        ELSE 'u' END AS kind
			            FROM gt_import_rows r JOIN gt_import_last l ON l.line = r.last
			            JOIN pg_temp.gt_import i ON i.line = r.line
			            LEFT JOIN pg_temp.gt_import p ON p.line = r.prev
			            LEFT JOIN gt_import_names nm ON nm.line = r.line
			            LEFT JOIN cases c ON c.id = l.case_id OFFSET 0) k
			      ORDER BY k.line) s;
		SELECT count(*) FILTER (WHERE kind = 'n'), count(*) FILTER (WHERE kind = 'u'),
		       count(*) FILTER (WHERE kind = 's'), count(*) FILTER (WHERE kind = 'r')
		INTO inserted, updated, unchanged, refused FROM gt_import_work;
		ANALYZE gt_import_work;
		IF inserted > 0 THEN
			-- The new cases' numbers, one block in the file's order: nobody else
			-- inserts a case while this transaction holds the lock above.
			base := nextval(case_seq);
			PERFORM setval(case_seq, base + inserted - 1);
			created := jsonb_build_array(jsonb_build_array(base, base + inserted - 1));
			bulk := inserted >= 10000 AND NOT EXISTS (SELECT 1 FROM cases);
		END IF;
		IF bulk THEN
			LOCK TABLE cases, evaluations, case_terms IN ACCESS EXCLUSIVE MODE;
			SELECT array_agg(pg_get_indexdef(x.indexrelid)), array_agg('DROP INDEX ' || x.indexrelid::regclass::text)
			INTO idx_defs, idx_drops
			FROM pg_index x WHERE x.indrelid IN ('guantong.cases'::regclass, 'guantong.evaluations'::regclass,
			                                     'guantong.case_terms'::regclass)
			                  AND NOT x.indisunique;
			SELECT idx_defs || array_agg(format('ALTER TABLE %s ADD CONSTRAINT %I %s', k.conrelid::regclass,
			                                    k.conname, pg_get_constraintdef(k.oid))),
			       idx_drops || array_agg(format('ALTER TABLE %s DROP CONSTRAINT %I', k.conrelid::regclass, k.conname))
			INTO idx_defs, idx_drops
			FROM pg_constraint k WHERE (k.conrelid = 'guantong.evaluations'::regclass AND k.contype = 'f')
			                        OR (k.conrelid = 'guantong.cases'::regclass AND k.contype = 'u');
			FOREACH d IN ARRAY coalesce(idx_drops, '{}') LOOP
				EXECUTE d;
			END LOOP;
		END IF;
		-- A new case holds its last written row, at the version that row made.
		INSERT INTO cases (id, id_number, name, region, direction, case_ref, level, fields, status, version, created_at,
		                   created_by, updated_at, updated_by, outcome, target, eval_id, pinyin, route, award, due_on)
		SELECT base + w.ord - 1, i.fields[idn], i.fields[nam], i.fields[reg], i.fields[dir],
		       coalesce(i.fields[ref], ''), coalesce(nullif(i.fields[req], ''), nullif(i.eval->>'level', ''), i.eval->>'target', ''), i.fields,
		       'submitted', w.version, now_t, session_user, now_t, session_user, i.eval->>'outcome',
		       coalesce(i.eval->>'target', ''), w.eval_id, coalesce(i.eval->>'pinyin', ''), eval_route(i.eval),
		       eval_award(i.eval), eval_due(i.eval)
		FROM gt_import_work w JOIN pg_temp.gt_import i ON i.line = w.line WHERE w.case_id IS NULL AND w.line = w.final;
		-- Each update, in the file's order: the case as it was (the row before,
		-- else the stored case, read before the update, under cur_name), the
		-- outcome of the evaluation the case held (the row written before's,
		-- else the stored one), and, when the row changes the case's documents,
		-- each changed one as it was and is (evidence_change).
		-- The few wide rows the updates read (each update's row, the rows before
		-- it and written before it, its case's last, every row of a case given
		-- more than once), in one pass over them, not one per join.
		CREATE TEMP TABLE gt_import_few ON COMMIT DROP AS
			SELECT n.line, n.last, i.fields, i.eval->>'outcome' AS outcome
			FROM (SELECT w.line, w.last FROM gt_import_work w
			      WHERE w.line IN (SELECT unnest(ARRAY[line, prev, wrote, final]) FROM gt_import_work WHERE kind = 'u')
			         OR w.last IN (SELECT last FROM gt_import_work WHERE kind = 'u' AND (prev IS NOT NULL OR line <> last))) n
			JOIN pg_temp.gt_import i ON i.line = n.line;
		CREATE INDEX ON gt_import_few (line);
		CREATE INDEX ON gt_import_few (last);
		ANALYZE gt_import_few;
		CREATE TEMP TABLE gt_import_upd ON COMMIT DROP AS
			SELECT w.line, w.version, w.final, coalesce(w.case_id, base + w.ord - 1) AS id, b.fields, b.outcome,
			       CASE WHEN b.fields[evi] IS DISTINCT FROM i.fields[evi]
			            THEN evidence_change(w.case_id, w.last, w.line, w.prev IS NOT NULL, b.fields[evi], i.fields[evi])
			       END AS docs
			FROM gt_import_work w JOIN gt_import_few i ON i.line = w.line
			LEFT JOIN gt_import_few p ON p.line = w.prev LEFT JOIN gt_import_few o ON o.line = w.wrote
			LEFT JOIN cases c ON c.id = w.case_id
			CROSS JOIN LATERAL (SELECT CASE WHEN w.cur_name IS NULL THEN coalesce(p.fields, c.fields)
			                                ELSE (coalesce(p.fields, c.fields))[1:nam - 1] || w.cur_name
			                                     || (coalesce(p.fields, c.fields))[nam + 1:ncol] END AS fields,
			                           coalesce(o.outcome, w.old_outcome) AS outcome) b
			WHERE w.kind = 'u';
		-- One audit row per update: the fields that changed, the documents, the
		-- versions, and the outcome when it changed.
		INSERT INTO audit (at, actor, action, entity, entity_id, before, after)
		SELECT now_t, session_user, 'case.import', 'case', u.id::text,
		       (fields_json(u.fields, i.fields) || coalesce(u.docs->'before', '{}')
		        || jsonb_build_object('version', u.version - 1)
		        || CASE WHEN u.outcome <> i.outcome THEN jsonb_build_object('outcome', u.outcome)
		           ELSE '{}' END)::text,
		       (fields_json(i.fields, u.fields) || coalesce(u.docs->'after', '{}')
		        || jsonb_build_object('version', u.version)
		        || CASE WHEN u.outcome <> i.outcome THEN jsonb_build_object('outcome', i.outcome)
		           ELSE '{}' END)::text
		FROM gt_import_upd u JOIN gt_import_few i ON i.line = u.line
		ORDER BY u.line;
		-- The documents an update changed get a row of their own, as on SQLite
		-- (a document verified with a new case's data has none): received (it
		-- was in a row's list), verified as the case's last row says, who and
		-- when. Who received it stays; one received by this import, by a row
		-- that changed the case, is this import's; one verified now was
		-- verified by this import. The stored case is read before its update.
		INSERT INTO evidence AS x (case_id, code, received, verified, received_by, received_at, verified_by,
		                           verified_at, note)
		SELECT d.id, d.code, true, d.code = ANY (string_to_array(f.fields[evi], ';')),
		       CASE WHEN d.code = ANY (string_to_array(d.had, ';')) THEN NULL ELSE session_user END,
		       CASE WHEN d.code = ANY (string_to_array(d.had, ';')) THEN NULL ELSE now_t END,
		       CASE WHEN d.code = ANY (string_to_array(f.fields[evi], ';')) THEN session_user END,
		       CASE WHEN d.code = ANY (string_to_array(f.fields[evi], ';')) THEN now_t END, ''
		FROM (SELECT DISTINCT u.id, u.final, k.code,
		             CASE WHEN w1.case_id IS NULL THEN n1.fields[evi] ELSE c.fields[evi] END AS had
		      FROM gt_import_upd u CROSS JOIN LATERAL jsonb_object_keys(u.docs->'after') k(code)
		      JOIN gt_import_work w1 ON w1.line = u.final
		      LEFT JOIN cases c ON c.id = w1.case_id
		      LEFT JOIN gt_import_work wn ON w1.case_id IS NULL AND wn.last = w1.last AND wn.kind = 'n'
		      LEFT JOIN gt_import_few n1 ON n1.line = wn.line
		      WHERE u.docs IS NOT NULL) d
		JOIN gt_import_few f ON f.line = d.final
		ON CONFLICT ON CONSTRAINT evidence_pkey DO UPDATE SET
			received = true, verified = excluded.verified,
			received_by = CASE WHEN x.received THEN x.received_by ELSE excluded.received_by END,
			received_at = CASE WHEN x.received THEN x.received_at ELSE excluded.received_at END,
			verified_by = excluded.verified_by, verified_at = excluded.verified_at;
		UPDATE cases c SET name = i.fields[nam], case_ref = coalesce(i.fields[ref], ''),
			level = coalesce(nullif(i.fields[req], ''), nullif(i.eval->>'level', ''), i.eval->>'target', ''),
			fields = i.fields, version = w.version, updated_at = now_t, updated_by = session_user,
			outcome = i.eval->>'outcome', target = coalesce(i.eval->>'target', ''), eval_id = w.eval_id,
			pinyin = coalesce(i.eval->>'pinyin', ''), route = eval_route(i.eval), award = eval_award(i.eval),
			due_on = eval_due(i.eval)
		FROM gt_import_work w JOIN pg_temp.gt_import i ON i.line = w.line
		WHERE w.case_id IS NOT NULL AND w.line = w.final AND c.id = w.case_id;
		INSERT INTO evaluations (id, case_id, case_version, ruleset, as_of, evaluated_at, evaluated_by, outcome,
		                         target, route, basis, unmet, missing_evidence, theory_exempt, rule_id)
		SELECT w.eval_id, coalesce(w.case_id, base + w.ord - 1), w.version, i.eval->>'ruleset',
		       i.eval->>'as_of', now_t, session_user, i.eval->>'outcome', i.eval->>'target', i.eval->>'route',
		       i.eval->>'basis', i.eval->>'unmet', i.eval->>'missing_evidence', (i.eval->>'theory_exempt')::boolean,
		       coalesce(i.eval->>'rule_id', '')
		FROM gt_import_work w JOIN pg_temp.gt_import i ON i.line = w.line
		WHERE w.eval_id IS NOT NULL;
		IF bulk THEN
			FOREACH d IN ARRAY coalesce(idx_defs, '{}') LOOP
				EXECUTE d;
			END LOOP;
		END IF;
		-- One applicant per identity number, as on SQLite: named by the last row
		-- written, the name every case of theirs shows (the other cases keep
		-- their version: nobody changed them).
		IF inserted + updated > 0 THEN
			UPDATE cases c SET name = r.name, fields[nam] = r.name, pinyin = r.pinyin
			FROM (SELECT DISTINCT ON (i.fields[idn]) i.fields[idn] AS idn, i.fields[nam] AS name,
			             coalesce(i.eval->>'pinyin', '') AS pinyin
			      FROM gt_import_work w JOIN pg_temp.gt_import i ON i.line = w.line
			      WHERE w.kind IN ('n', 'u') ORDER BY i.fields[idn], w.line DESC) r
			WHERE c.id_number = r.idn AND c.name <> r.name;
		END IF;
		SELECT coalesce(jsonb_agg(jsonb_build_array(coalesce(case_id, base + ord - 1), version) ORDER BY line), '[]')
		INTO changed FROM gt_import_work WHERE kind = 'u';
	END IF;
	PERFORM audit_add('import', 'import', p_file, NULL, jsonb_build_object('file', p_file, 'size', p_size,
		'sha256', p_sha256, 'rows', n_rows, 'invalid', 0, 'inserted', inserted, 'updated', updated,
		'unchanged', unchanged, 'refused', refused, 'superseded', superseded, 'created', created,
		'changed', changed)
		|| jsonb_strip_nulls(jsonb_build_object('encoding', p_meta->'encoding', 'as_of', p_meta->'as_of',
		   'ruleset', p_meta->'ruleset', 'rows', p_meta->'rows', 'invalid', p_meta->'invalid',
		   'same_as', same_as)));
	IF inserted + updated > 0 THEN
		NOTIFY guantong;
	END IF;
END
$$;

-- Re-evaluation after the rules changed, the server's half: the client has
-- read the undecided cases, evaluated them with this program's rule set
-- (p_ruleset) and COPYed those it evaluates differently into its temporary
-- table gt_reeval (case_id, version, eval). As on SQLite: each gets a new
-- evaluation at its version (the case's version, updated_at and updated_by
-- stay: nobody changed the case), and one audit row names the rule sets
-- before, the count and the cases whose outcome changed. A case changed or
-- decided since the client read it is a conflict: nothing is written.
CREATE FUNCTION reevaluate_run(p_ruleset text, OUT cases_done bigint, OUT changed_outcome bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = guantong, pg_temp SET jit = off AS $$
DECLARE
	req int := (SELECT pos FROM case_columns WHERE name = 'requested_level');
	eval_seq regclass := pg_get_serial_sequence('guantong.evaluations', 'id')::regclass;
	n_given bigint;
	before_sets jsonb;
	changed jsonb;
BEGIN
	PERFORM require_role('clerk');
	LOCK TABLE cases IN SHARE ROW EXCLUSIVE MODE;
	SELECT count(*) INTO n_given FROM pg_temp.gt_reeval;
	CREATE TEMP TABLE gt_reeval_work ON COMMIT DROP AS
		SELECT r.case_id, c.version, c.outcome AS old_outcome, o.ruleset AS old_ruleset, r.eval,
		       c.fields[req] AS requested, nextval(eval_seq) AS eval_id
		FROM pg_temp.gt_reeval r JOIN cases c ON c.id = r.case_id AND c.version = r.version
		JOIN evaluations o ON o.id = c.eval_id
		LEFT JOIN decisions d ON d.id = c.decision_id AND d.case_version = c.version
		WHERE d.id IS NULL AND r.eval->>'outcome' IS NOT NULL;
	GET DIAGNOSTICS cases_done = ROW_COUNT;
	IF cases_done <> n_given THEN
		RAISE EXCEPTION USING ERRCODE = 'GT001',
			MESSAGE = 'cases changed or were decided while they were re-evaluated';
	END IF;
	INSERT INTO evaluations (id, case_id, case_version, ruleset, as_of, evaluated_at, evaluated_by, outcome,
	                         target, route, basis, unmet, missing_evidence, theory_exempt, rule_id)
	SELECT w.eval_id, w.case_id, w.version, w.eval->>'ruleset', w.eval->>'as_of', now_text(), session_user,
	       w.eval->>'outcome', w.eval->>'target', w.eval->>'route', w.eval->>'basis', w.eval->>'unmet',
	       w.eval->>'missing_evidence', (w.eval->>'theory_exempt')::boolean, coalesce(w.eval->>'rule_id', '')
	FROM gt_reeval_work w ORDER BY w.case_id;
	UPDATE cases c SET outcome = w.eval->>'outcome', target = coalesce(w.eval->>'target', ''),
		level = coalesce(nullif(w.requested, ''), nullif(w.eval->>'level', ''), w.eval->>'target', ''), eval_id = w.eval_id,
		route = eval_route(w.eval), award = eval_award(w.eval), due_on = eval_due(w.eval)
	FROM gt_reeval_work w WHERE c.id = w.case_id;
	SELECT count(*) FILTER (WHERE old_outcome <> eval->>'outcome'),
	       coalesce(jsonb_agg(jsonb_build_array(case_id, old_outcome, eval->>'outcome') ORDER BY case_id)
	                FILTER (WHERE old_outcome <> eval->>'outcome'), '[]'),
	       coalesce(jsonb_agg(DISTINCT old_ruleset), '[]')
	INTO changed_outcome, changed, before_sets FROM gt_reeval_work;
	IF cases_done > 0 THEN
		PERFORM audit_add('reevaluate', 'ruleset', p_ruleset, jsonb_build_object('rulesets', before_sets),
		                  jsonb_build_object('ruleset', p_ruleset, 'cases', cases_done,
		                                     'changed_outcome', changed_outcome, 'changed', changed));
		NOTIFY guantong;
	END IF;
END
$$;

-- An export's (or another file's) audit row: only the files the program
-- writes on this store (gt_export.c's export, gt_sheet.c's sheet and agenda),
-- in their formats, so that a client cannot enter rows that look like
-- decisions, imports or user changes in the log.
CREATE FUNCTION audit_file(p_action text, p_file text, p_format text, p_cases bigint, p_filter jsonb)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = guantong, pg_temp AS $$
BEGIN
	PERFORM require_role('clerk');
	IF (p_action, p_format) NOT IN (('export', 'csv'), ('export', 'xlsx'), ('sheet', 'pdf'), ('agenda', 'pdf'))
	   OR p_action IS NULL OR p_format IS NULL OR p_cases IS NULL OR p_cases < 0
	   OR coalesce(p_file, '') = '' THEN
		RAISE EXCEPTION USING ERRCODE = 'GT005',
			MESSAGE = format('%s (%s) is not a file this program audits', p_action, p_format);
	END IF;
	PERFORM audit_add(p_action, p_action, p_file, NULL, jsonb_build_object('file', p_file, 'format', p_format,
		'cases', p_cases, 'filter', p_filter));
END
$$;

-- Intake drafts: each user's own, by session_user. draft_save returns the
-- draft's number: a new one (p_id 0) gets the user's next; one deleted
-- meanwhile (the case saved from another session) is kept as a new one.
CREATE FUNCTION draft_save(p_id bigint, p_name text, p_case bigint, p_base bigint, p_base_fields text,
	p_fields text) RETURNS bigint LANGUAGE plpgsql
SECURITY DEFINER SET search_path = guantong, pg_temp AS $$
DECLARE
	v_id bigint := p_id;
BEGIN
	PERFORM require_role('clerk');
	IF v_id <> 0 THEN
		UPDATE drafts SET name = p_name, case_id = p_case, base_version = p_base,
			base_fields = p_base_fields, updated_at = now_text(), fields = p_fields
		WHERE owner = session_user AND id = v_id;
		IF FOUND THEN
			RETURN v_id;
		END IF;
	END IF;
	SELECT coalesce(max(id), 0) + 1 INTO v_id FROM drafts WHERE owner = session_user;
	INSERT INTO drafts (owner, id, name, case_id, base_version, base_fields, updated_at, fields)
	VALUES (session_user, v_id, p_name, p_case, p_base, p_base_fields, now_text(), p_fields);
	RETURN v_id;
END
$$;

CREATE FUNCTION draft_list(p_case bigint) RETURNS TABLE (id bigint, name text, case_id bigint,
	base_version bigint, updated_at text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = guantong, pg_temp AS $$
	SELECT d.id, d.name, d.case_id, d.base_version, d.updated_at FROM drafts d
	WHERE d.owner = session_user AND (p_case < 0 OR d.case_id = p_case)
	ORDER BY d.updated_at DESC, d.id DESC
$$;

CREATE FUNCTION draft_load(p_id bigint) RETURNS TABLE (id bigint, name text, case_id bigint,
	base_version bigint, updated_at text, fields text, base_fields text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = guantong, pg_temp AS $$
	SELECT d.id, d.name, d.case_id, d.base_version, d.updated_at, d.fields, d.base_fields FROM drafts d
	WHERE d.owner = session_user AND d.id = p_id
$$;

CREATE FUNCTION draft_delete(p_id bigint) RETURNS void LANGUAGE sql
SECURITY DEFINER SET search_path = guantong, pg_temp AS $$
	DELETE FROM drafts WHERE owner = session_user AND id = p_id;
$$;

-- Who may do what. Functions are executable by PUBLIC by default: not these.
REVOKE ALL ON ALL TABLES IN SCHEMA guantong FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA guantong FROM PUBLIC;
GRANT USAGE ON SCHEMA guantong TO guantong_clerk;
GRANT SELECT ON meta, case_columns, users, cases, case_terms, evidence, evaluations, decisions, audit,
	case_counts, decision_counts, decision_hours TO guantong_clerk;
GRANT EXECUTE ON FUNCTION my_role(), case_write(bigint, bigint, text, jsonb, jsonb, jsonb, text),
	case_act(bigint, bigint, text, text, text, text, text, text), import_run(text, bigint, text, jsonb), reevaluate_run(text),
	audit_file(text, text, text, bigint, jsonb), draft_save(bigint, text, bigint, bigint, text, text),
	draft_list(bigint), draft_load(bigint), draft_delete(bigint) TO guantong_clerk;
GRANT EXECUTE ON FUNCTION user_set(text, text, text) TO guantong_admin;
-- Anyone who can connect may ask what they are (my_role says '' for a stranger).
GRANT USAGE ON SCHEMA guantong TO PUBLIC;
GRANT EXECUTE ON FUNCTION my_role() TO PUBLIC;
