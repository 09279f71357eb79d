-- A PostgreSQL database of schema version 1, for tests/pg/upgrade.sh: made by
-- the guantong of d9470ba (tests/pg/cluster.sh, then as in upgrade.sh's
-- header: init --admin gtadmin, user add gtclerk, import --skip-invalid
-- fixtures/demo.csv as gtclerk, decide 1 --approve as gtadmin) and dumped with
-- pg_dump -n guantong. Restored as the superuser after store/pg/roles.sql.
--
-- PostgreSQL database dump
--

\restrict Y4ITBr20B8qbjRsDZYVO04AvSWbnApWYe3mmRn1F4WKm4HM4t6Xcxb0qkn88wd9

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: guantong; Type: SCHEMA; Schema: -; Owner: guantong_owner
--

CREATE SCHEMA guantong;


ALTER SCHEMA guantong OWNER TO guantong_owner;

--
-- Name: audit_add(text, text, text, jsonb, jsonb); Type: FUNCTION; Schema: guantong; Owner: guantong_owner
--

CREATE FUNCTION guantong.audit_add(p_action text, p_entity text, p_entity_id text, p_before jsonb, p_after jsonb) RETURNS void
    LANGUAGE sql
    SET search_path TO 'guantong', 'pg_temp'
    AS $$
	INSERT INTO audit (at, actor, action, entity, entity_id, before, after)
	VALUES (now_text(), session_user, p_action, p_entity, p_entity_id, p_before::text, p_after::text)
$$;


ALTER FUNCTION guantong.audit_add(p_action text, p_entity text, p_entity_id text, p_before jsonb, p_after jsonb) OWNER TO guantong_owner;

--
-- Name: audit_append_only(); Type: FUNCTION; Schema: guantong; Owner: guantong_owner
--

CREATE FUNCTION guantong.audit_append_only() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
	RAISE EXCEPTION 'the audit log is append-only';
END
$$;


ALTER FUNCTION guantong.audit_append_only() OWNER TO guantong_owner;

--
-- Name: audit_file(text, text, text, bigint, jsonb); Type: FUNCTION; Schema: guantong; Owner: guantong_owner
--

CREATE FUNCTION guantong.audit_file(p_action text, p_file text, p_format text, p_cases bigint, p_filter jsonb) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'guantong', 'pg_temp'
    AS $$
BEGIN
	PERFORM require_role('clerk');
	PERFORM audit_add(p_action, p_action, p_file, NULL, jsonb_build_object('file', p_file, 'format', p_format,
		'cases', p_cases, 'filter', p_filter));
END
$$;


ALTER FUNCTION guantong.audit_file(p_action text, p_file text, p_format text, p_cases bigint, p_filter jsonb) OWNER TO guantong_owner;

--
-- Name: case_act(bigint, bigint, text, text, text, text, text, text); Type: FUNCTION; Schema: guantong; Owner: guantong_owner
--

CREATE FUNCTION guantong.case_act(p_id bigint, p_expect bigint, p_action text, p_note text, p_snapshot text, p_ruleset text, p_summary text, p_explanation text) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'guantong', 'pg_temp'
    AS $$
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
	IF p_action IN ('reject', 'return', 'reopen') AND p_note = '' THEN
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


ALTER FUNCTION guantong.case_act(p_id bigint, p_expect bigint, p_action text, p_note text, p_snapshot text, p_ruleset text, p_summary text, p_explanation text) OWNER TO guantong_owner;

--
-- Name: case_write(bigint, bigint, text, jsonb, jsonb, jsonb, text); Type: FUNCTION; Schema: guantong; Owner: guantong_owner
--

CREATE FUNCTION guantong.case_write(p_id bigint, p_expect bigint, p_status text, p_fields jsonb, p_eval jsonb, p_evidence jsonb, p_action text, OUT case_id bigint, OUT case_version bigint, OUT eval_id bigint) RETURNS record
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'guantong', 'pg_temp'
    AS $$
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
		                   created_by, updated_at, updated_by, outcome, target, eval_id)
		VALUES (col(f, 'id_number'), col(f, 'name'), col(f, 'region'), col(f, 'direction'),
		        coalesce(col(f, 'case_ref'), ''),
		        coalesce(nullif(col(f, 'requested_level'), ''), nullif(p_eval->>'level', ''), p_eval->>'target', ''), f, p_status,
		        now_t, session_user, now_t, session_user, p_eval->>'outcome', coalesce(p_eval->>'target', ''), 0)
		RETURNING id INTO case_id;
		case_version := 1;
		eval_id := eval_add(case_id, 1, p_eval);
		UPDATE cases SET eval_id = case_write.eval_id WHERE id = case_id;
		a := fields_json(f, NULL) || jsonb_build_object('status', p_status, 'outcome', p_eval->>'outcome');
		PERFORM audit_add('case.create', 'case', case_id::text, NULL, a);
		NOTIFY guantong;
		RETURN;
	END IF;
	c := lock_case(p_id, p_expect);
	IF c.status IN ('approved', 'rejected') THEN
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
		outcome = p_eval->>'outcome', target = coalesce(p_eval->>'target', ''), eval_id = case_write.eval_id
	WHERE id = p_id;
	PERFORM audit_add(coalesce(p_action, 'case.update'), 'case', p_id::text, b, a);
	NOTIFY guantong;
END
$$;


ALTER FUNCTION guantong.case_write(p_id bigint, p_expect bigint, p_status text, p_fields jsonb, p_eval jsonb, p_evidence jsonb, p_action text, OUT case_id bigint, OUT case_version bigint, OUT eval_id bigint) OWNER TO guantong_owner;

--
-- Name: check_case(text[], jsonb); Type: FUNCTION; Schema: guantong; Owner: guantong_owner
--

CREATE FUNCTION guantong.check_case(p_fields text[], p_eval jsonb) RETURNS void
    LANGUAGE plpgsql STABLE
    SET search_path TO 'guantong', 'pg_temp'
    AS $$
BEGIN
	IF p_fields IS NULL OR cardinality(p_fields) <> (SELECT count(*) FROM case_columns)
	   OR length(coalesce(col(p_fields, 'id_number'), '')) <> 18 OR coalesce(col(p_fields, 'name'), '') = ''
	   OR p_eval->>'outcome' IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'GT005', MESSAGE = 'a case needs every column and an evaluation';
	END IF;
END
$$;


ALTER FUNCTION guantong.check_case(p_fields text[], p_eval jsonb) OWNER TO guantong_owner;

--
-- Name: col(text[], text); Type: FUNCTION; Schema: guantong; Owner: guantong_owner
--

CREATE FUNCTION guantong.col(p_fields text[], p_name text) RETURNS text
    LANGUAGE sql STABLE
    SET search_path TO 'guantong', 'pg_temp'
    AS $$
	SELECT p_fields[(SELECT pos FROM case_columns WHERE name = p_name)]
$$;


ALTER FUNCTION guantong.col(p_fields text[], p_name text) OWNER TO guantong_owner;

--
-- Name: draft_delete(bigint); Type: FUNCTION; Schema: guantong; Owner: guantong_owner
--

CREATE FUNCTION guantong.draft_delete(p_id bigint) RETURNS void
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'guantong', 'pg_temp'
    AS $$
	DELETE FROM drafts WHERE owner = session_user AND id = p_id;
$$;


ALTER FUNCTION guantong.draft_delete(p_id bigint) OWNER TO guantong_owner;

--
-- Name: draft_list(bigint); Type: FUNCTION; Schema: guantong; Owner: guantong_owner
--

CREATE FUNCTION guantong.draft_list(p_case bigint) RETURNS TABLE(id bigint, name text, case_id bigint, base_version bigint, updated_at text)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'guantong', 'pg_temp'
    AS $$
	SELECT d.id, d.name, d.case_id, d.base_version, d.updated_at FROM drafts d
	WHERE d.owner = session_user AND (p_case < 0 OR d.case_id = p_case)
	ORDER BY d.updated_at DESC, d.id DESC
$$;


ALTER FUNCTION guantong.draft_list(p_case bigint) OWNER TO guantong_owner;

--
-- Name: draft_load(bigint); Type: FUNCTION; Schema: guantong; Owner: guantong_owner
--

CREATE FUNCTION guantong.draft_load(p_id bigint) RETURNS TABLE(id bigint, name text, case_id bigint, base_version bigint, updated_at text, fields text, base_fields text)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'guantong', 'pg_temp'
    AS $$
	SELECT d.id, d.name, d.case_id, d.base_version, d.updated_at, d.fields, d.base_fields FROM drafts d
	WHERE d.owner = session_user AND d.id = p_id
$$;


ALTER FUNCTION guantong.draft_load(p_id bigint) OWNER TO guantong_owner;

--
-- Name: draft_save(bigint, text, bigint, bigint, text, text); Type: FUNCTION; Schema: guantong; Owner: guantong_owner
--

CREATE FUNCTION guantong.draft_save(p_id bigint, p_name text, p_case bigint, p_base bigint, p_base_fields text, p_fields text) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'guantong', 'pg_temp'
    AS $$
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


ALTER FUNCTION guantong.draft_save(p_id bigint, p_name text, p_case bigint, p_base bigint, p_base_fields text, p_fields text) OWNER TO guantong_owner;

--
-- Name: eval_add(bigint, bigint, jsonb); Type: FUNCTION; Schema: guantong; Owner: guantong_owner
--

CREATE FUNCTION guantong.eval_add(p_case bigint, p_version bigint, p_eval jsonb) RETURNS bigint
    LANGUAGE sql
    SET search_path TO 'guantong', 'pg_temp'
    AS $$
	INSERT INTO evaluations (case_id, case_version, ruleset, as_of, evaluated_at, evaluated_by, outcome,
	                         target, route, basis, unmet, missing_evidence, theory_exempt, rule_id)
	VALUES (p_case, p_version, p_eval->>'ruleset', p_eval->>'as_of', now_text(), session_user,
	        p_eval->>'outcome', p_eval->>'target', p_eval->>'route', p_eval->>'basis', p_eval->>'unmet',
	        p_eval->>'missing_evidence', (p_eval->>'theory_exempt')::boolean, coalesce(p_eval->>'rule_id', ''))
	RETURNING id
$$;


ALTER FUNCTION guantong.eval_add(p_case bigint, p_version bigint, p_eval jsonb) OWNER TO guantong_owner;

--
-- Name: fields_json(text[], text[]); Type: FUNCTION; Schema: guantong; Owner: guantong_owner
--

CREATE FUNCTION guantong.fields_json(p_a text[], p_b text[]) RETURNS jsonb
    LANGUAGE sql STABLE
    SET search_path TO 'guantong', 'pg_temp'
    AS $$
	SELECT coalesce(jsonb_object_agg(c.name, p_a[c.pos] ORDER BY c.pos), '{}'::jsonb)
	FROM case_columns c
	WHERE CASE WHEN p_b IS NULL THEN coalesce(p_a[c.pos], '') <> ''
	           ELSE p_a[c.pos] IS DISTINCT FROM p_b[c.pos] END
$$;


ALTER FUNCTION guantong.fields_json(p_a text[], p_b text[]) OWNER TO guantong_owner;

--
-- Name: import_run(text, bigint, text); Type: FUNCTION; Schema: guantong; Owner: guantong_owner
--

CREATE FUNCTION guantong.import_run(p_file text, p_size bigint, p_sha256 text, OUT inserted bigint, OUT updated bigint, OUT unchanged bigint, OUT refused bigint, OUT superseded bigint) RETURNS record
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'guantong', 'pg_temp'
    SET jit TO 'off'
    SET work_mem TO '128MB'
    SET maintenance_work_mem TO '256MB'
    AS $$
DECLARE
	now_t text := now_text();
	ncol int := (SELECT count(*) FROM case_columns);
	idn int := (SELECT pos FROM case_columns WHERE name = 'id_number');
	reg int := (SELECT pos FROM case_columns WHERE name = 'region');
	dir int := (SELECT pos FROM case_columns WHERE name = 'direction');
	nam int := (SELECT pos FROM case_columns WHERE name = 'name');
	ref int := (SELECT pos FROM case_columns WHERE name = 'case_ref');
	req int := (SELECT pos FROM case_columns WHERE name = 'requested_level');
	n_rows bigint;
	n_bad bigint;
	base bigint := 0;
	bulk boolean := false;
	idx_defs text[];
	idx_drops text[];
	d text;
	created jsonb := '[]';
	changed jsonb;
	case_seq regclass := pg_get_serial_sequence('guantong.cases', 'id')::regclass;
	eval_seq regclass := pg_get_serial_sequence('guantong.evaluations', 'id')::regclass;
BEGIN
	PERFORM require_role('clerk');
	LOCK TABLE cases IN SHARE ROW EXCLUSIVE MODE;
	-- The last row of each case in the file, and its first (as in SQLite,
	-- where a later row updates the case an earlier one made: the case is
	-- numbered by its first row, holds its last, and the earlier rows count
	-- as updated), checked in the same pass.
	CREATE TEMP TABLE gt_import_last ON COMMIT DROP AS
		SELECT max(line) AS line, min(line) AS first, count(*) AS n,
		       bool_or(cardinality(fields) <> ncol OR length(coalesce(fields[idn], '')) <> 18
		               OR eval->>'outcome' IS NULL) AS bad
		FROM pg_temp.gt_import GROUP BY fields[idn], fields[reg], fields[dir];
	SELECT coalesce(sum(n), 0), count(*), count(*) FILTER (WHERE bad) INTO n_rows, superseded, n_bad
	FROM gt_import_last;
	IF n_bad > 0 THEN
		RAISE EXCEPTION USING ERRCODE = 'GT005', MESSAGE = 'an import row needs every column and an evaluation';
	END IF;
	superseded := n_rows - superseded;
	ANALYZE gt_import_last;
	-- What each becomes: n a new case (ord: its place among the new ones, in
	-- the order of their first rows), s the same as stored, r refused (decided), u updated.
	-- OFFSET 0 keeps the arrays out of the sort the window needs.
	CREATE TEMP TABLE gt_import_work ON COMMIT DROP AS
		SELECT s.line, s.case_id, s.old_version, s.old_outcome, s.kind,
		       count(*) FILTER (WHERE s.kind = 'n') OVER (ORDER BY s.first ROWS UNBOUNDED PRECEDING) AS ord,
		       CASE WHEN s.kind IN ('n', 'u') THEN nextval(eval_seq) END AS eval_id
		FROM (SELECT i.line, l.first, c.id AS case_id, c.version AS old_version, c.outcome AS old_outcome,
		             CASE WHEN c.id IS NULL THEN 'n' WHEN c.fields = i.fields THEN 's'
		                  WHEN c.status IN ('approved', 'rejected') THEN 'r' ELSE 'u' END AS kind
		      FROM gt_import_last l JOIN pg_temp.gt_import i ON i.line = l.line
		      LEFT JOIN cases c ON c.id_number = i.fields[idn] AND c.region = i.fields[reg]
		                       AND c.direction = i.fields[dir] OFFSET 0) s;
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
		LOCK TABLE cases, evaluations IN ACCESS EXCLUSIVE MODE;
		SELECT array_agg(pg_get_indexdef(x.indexrelid)), array_agg('DROP INDEX ' || x.indexrelid::regclass::text)
		INTO idx_defs, idx_drops
		FROM pg_index x WHERE x.indrelid IN ('guantong.cases'::regclass, 'guantong.evaluations'::regclass)
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
	INSERT INTO cases (id, id_number, name, region, direction, case_ref, level, fields, status, created_at,
	                   created_by, updated_at, updated_by, outcome, target, eval_id)
	SELECT base + w.ord - 1, i.fields[idn], i.fields[nam], i.fields[reg], i.fields[dir],
	       coalesce(i.fields[ref], ''), coalesce(nullif(i.fields[req], ''), nullif(i.eval->>'level', ''), i.eval->>'target', ''), i.fields,
	       'submitted', now_t, session_user, now_t, session_user, i.eval->>'outcome',
	       coalesce(i.eval->>'target', ''), w.eval_id
	FROM gt_import_work w JOIN pg_temp.gt_import i ON i.line = w.line WHERE w.kind = 'n';
	-- One row per changed case: the fields that changed (read before the update).
	INSERT INTO audit (at, actor, action, entity, entity_id, before, after)
	SELECT now_t, session_user, 'case.import', 'case', w.case_id::text,
	       (fields_json(c.fields, i.fields) || jsonb_build_object('version', w.old_version)
	        || CASE WHEN w.old_outcome <> i.eval->>'outcome' THEN jsonb_build_object('outcome', w.old_outcome)
	           ELSE '{}' END)::text,
	       (fields_json(i.fields, c.fields) || jsonb_build_object('version', w.old_version + 1)
	        || CASE WHEN w.old_outcome <> i.eval->>'outcome' THEN jsonb_build_object('outcome', i.eval->>'outcome')
	           ELSE '{}' END)::text
	FROM gt_import_work w JOIN pg_temp.gt_import i ON i.line = w.line JOIN cases c ON c.id = w.case_id
	WHERE w.kind = 'u' ORDER BY w.line;
	UPDATE cases c SET name = i.fields[nam], case_ref = coalesce(i.fields[ref], ''),
		level = coalesce(nullif(i.fields[req], ''), nullif(i.eval->>'level', ''), i.eval->>'target', ''),
		fields = i.fields, version = c.version + 1, updated_at = now_t, updated_by = session_user,
		outcome = i.eval->>'outcome', target = coalesce(i.eval->>'target', ''), eval_id = w.eval_id
	FROM gt_import_work w JOIN pg_temp.gt_import i ON i.line = w.line
	WHERE w.kind = 'u' AND c.id = w.case_id;
	INSERT INTO evaluations (id, case_id, case_version, ruleset, as_of, evaluated_at, evaluated_by, outcome,
	                         target, route, basis, unmet, missing_evidence, theory_exempt, rule_id)
	SELECT w.eval_id, coalesce(w.case_id, base + w.ord - 1), coalesce(w.old_version + 1, 1), i.eval->>'ruleset',
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
	SELECT coalesce(jsonb_agg(jsonb_build_array(case_id, old_version + 1) ORDER BY case_id), '[]') INTO changed
	FROM gt_import_work WHERE kind = 'u';
	IF inserted + updated > 0 THEN
		PERFORM audit_add('import', 'import', p_file, NULL, jsonb_build_object('file', p_file, 'size', p_size,
			'sha256', p_sha256, 'rows', n_rows, 'inserted', inserted, 'updated', updated,
			'unchanged', unchanged, 'refused', refused, 'superseded', superseded, 'created', created,
			'changed', changed));
		NOTIFY guantong;
	END IF;
END
$$;


ALTER FUNCTION guantong.import_run(p_file text, p_size bigint, p_sha256 text, OUT inserted bigint, OUT updated bigint, OUT unchanged bigint, OUT refused bigint, OUT superseded bigint) OWNER TO guantong_owner;

--
-- Name: json_fields(jsonb); Type: FUNCTION; Schema: guantong; Owner: guantong_owner
--

CREATE FUNCTION guantong.json_fields(p jsonb) RETURNS text[]
    LANGUAGE sql IMMUTABLE
    SET search_path TO 'guantong', 'pg_temp'
    AS $$
	SELECT coalesce(array_agg(v ORDER BY k), '{}') FROM jsonb_array_elements_text(p) WITH ORDINALITY AS t(v, k)
$$;


ALTER FUNCTION guantong.json_fields(p jsonb) OWNER TO guantong_owner;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: cases; Type: TABLE; Schema: guantong; Owner: guantong_owner
--

CREATE TABLE guantong.cases (
    id bigint NOT NULL,
    id_number text NOT NULL,
    name text NOT NULL,
    region text NOT NULL,
    direction text NOT NULL,
    case_ref text DEFAULT ''::text NOT NULL,
    level text DEFAULT ''::text NOT NULL,
    fields text[] NOT NULL,
    status text NOT NULL,
    assignee text,
    version bigint DEFAULT 1 NOT NULL,
    created_at text NOT NULL,
    created_by text NOT NULL,
    updated_at text NOT NULL,
    updated_by text NOT NULL,
    outcome text NOT NULL,
    target text DEFAULT ''::text NOT NULL,
    eval_id bigint NOT NULL,
    decision_id bigint,
    CONSTRAINT cases_id_number_check CHECK ((length(id_number) = 18)),
    CONSTRAINT cases_status_check CHECK ((status = ANY (ARRAY['draft'::text, 'submitted'::text, 'in_review'::text, 'approved'::text, 'rejected'::text, 'returned'::text]))),
    CONSTRAINT cases_version_check CHECK ((version >= 1))
);


ALTER TABLE guantong.cases OWNER TO guantong_owner;

--
-- Name: lock_case(bigint, bigint); Type: FUNCTION; Schema: guantong; Owner: guantong_owner
--

CREATE FUNCTION guantong.lock_case(p_id bigint, p_expect bigint) RETURNS guantong.cases
    LANGUAGE plpgsql
    SET search_path TO 'guantong', 'pg_temp'
    AS $$
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


ALTER FUNCTION guantong.lock_case(p_id bigint, p_expect bigint) OWNER TO guantong_owner;

--
-- Name: my_role(); Type: FUNCTION; Schema: guantong; Owner: guantong_owner
--

CREATE FUNCTION guantong.my_role() RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'guantong', 'pg_temp'
    AS $$
	SELECT CASE
		WHEN NOT EXISTS (SELECT 1 FROM users WHERE login = session_user AND active) THEN ''
		WHEN pg_has_role(session_user, 'guantong_admin', 'MEMBER') THEN 'admin'
		WHEN pg_has_role(session_user, 'guantong_reviewer', 'MEMBER') THEN 'reviewer'
		WHEN pg_has_role(session_user, 'guantong_clerk', 'MEMBER') THEN 'clerk'
		ELSE '' END
$$;


ALTER FUNCTION guantong.my_role() OWNER TO guantong_owner;

--
-- Name: now_text(); Type: FUNCTION; Schema: guantong; Owner: guantong_owner
--

CREATE FUNCTION guantong.now_text() RETURNS text
    LANGUAGE sql STABLE
    SET search_path TO 'guantong', 'pg_temp'
    AS $$
	SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || '+00:00'
$$;


ALTER FUNCTION guantong.now_text() OWNER TO guantong_owner;

--
-- Name: reevaluate_run(text); Type: FUNCTION; Schema: guantong; Owner: guantong_owner
--

CREATE FUNCTION guantong.reevaluate_run(p_ruleset text, OUT cases_done bigint, OUT changed_outcome bigint) RETURNS record
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'guantong', 'pg_temp'
    SET jit TO 'off'
    AS $$
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
		level = coalesce(nullif(w.requested, ''), nullif(w.eval->>'level', ''), w.eval->>'target', ''), eval_id = w.eval_id
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


ALTER FUNCTION guantong.reevaluate_run(p_ruleset text, OUT cases_done bigint, OUT changed_outcome bigint) OWNER TO guantong_owner;

--
-- Name: require_role(text); Type: FUNCTION; Schema: guantong; Owner: guantong_owner
--

CREATE FUNCTION guantong.require_role(p_min text) RETURNS text
    LANGUAGE plpgsql STABLE
    SET search_path TO 'guantong', 'pg_temp'
    AS $$
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


ALTER FUNCTION guantong.require_role(p_min text) OWNER TO guantong_owner;

--
-- Name: role_rank(text); Type: FUNCTION; Schema: guantong; Owner: guantong_owner
--

CREATE FUNCTION guantong.role_rank(p_role text) RETURNS integer
    LANGUAGE sql IMMUTABLE
    SET search_path TO 'guantong', 'pg_temp'
    AS $$
	SELECT CASE p_role WHEN 'clerk' THEN 1 WHEN 'reviewer' THEN 2 WHEN 'admin' THEN 3 ELSE 0 END
$$;


ALTER FUNCTION guantong.role_rank(p_role text) OWNER TO guantong_owner;

--
-- Name: transition(text, text); Type: FUNCTION; Schema: guantong; Owner: guantong_owner
--

CREATE FUNCTION guantong.transition(p_from text, p_action text, OUT to_status text, OUT min_role text) RETURNS record
    LANGUAGE sql IMMUTABLE
    SET search_path TO 'guantong', 'pg_temp'
    AS $$
	SELECT CASE p_action
		WHEN 'submit' THEN CASE WHEN p_from IN ('draft', 'returned') THEN 'submitted' END
		WHEN 'take' THEN CASE WHEN p_from = 'submitted' THEN 'in_review' END
		WHEN 'approve' THEN CASE WHEN p_from IN ('submitted', 'in_review') THEN 'approved' END
		WHEN 'reject' THEN CASE WHEN p_from IN ('submitted', 'in_review') THEN 'rejected' END
		WHEN 'return' THEN CASE WHEN p_from IN ('submitted', 'in_review') THEN 'returned' END
		WHEN 'reopen' THEN CASE WHEN p_from IN ('approved', 'rejected', 'returned') THEN 'in_review' END
	       END,
	       CASE WHEN p_action IN ('submit', 'return') THEN 'clerk'
	            WHEN p_action IN ('take', 'approve', 'reject') THEN 'reviewer'
	            WHEN p_action = 'reopen' THEN 'admin' END
$$;


ALTER FUNCTION guantong.transition(p_from text, p_action text, OUT to_status text, OUT min_role text) OWNER TO guantong_owner;

--
-- Name: user_set(text, text, text); Type: FUNCTION; Schema: guantong; Owner: guantong_owner
--

CREATE FUNCTION guantong.user_set(p_login text, p_role text, p_display_name text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'guantong', 'pg_temp'
    AS $_$
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
$_$;


ALTER FUNCTION guantong.user_set(p_login text, p_role text, p_display_name text) OWNER TO guantong_owner;

--
-- Name: audit; Type: TABLE; Schema: guantong; Owner: guantong_owner
--

CREATE TABLE guantong.audit (
    id bigint NOT NULL,
    at text NOT NULL,
    actor text NOT NULL,
    action text NOT NULL,
    entity text NOT NULL,
    entity_id text NOT NULL,
    before text,
    after text
);


ALTER TABLE guantong.audit OWNER TO guantong_owner;

--
-- Name: audit_id_seq; Type: SEQUENCE; Schema: guantong; Owner: guantong_owner
--

ALTER TABLE guantong.audit ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME guantong.audit_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: case_columns; Type: TABLE; Schema: guantong; Owner: guantong_owner
--

CREATE TABLE guantong.case_columns (
    pos integer NOT NULL,
    name text NOT NULL
);


ALTER TABLE guantong.case_columns OWNER TO guantong_owner;

--
-- Name: cases_id_seq; Type: SEQUENCE; Schema: guantong; Owner: guantong_owner
--

ALTER TABLE guantong.cases ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME guantong.cases_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: decisions; Type: TABLE; Schema: guantong; Owner: guantong_owner
--

CREATE TABLE guantong.decisions (
    id bigint NOT NULL,
    case_id bigint NOT NULL,
    case_version bigint NOT NULL,
    eval_id bigint NOT NULL,
    action text NOT NULL,
    decided_by text NOT NULL,
    decided_at text NOT NULL,
    note text DEFAULT ''::text NOT NULL,
    snapshot text NOT NULL,
    ruleset text,
    summary text,
    explanation text,
    CONSTRAINT decisions_action_check CHECK ((action = ANY (ARRAY['approve'::text, 'reject'::text, 'return'::text])))
);


ALTER TABLE guantong.decisions OWNER TO guantong_owner;

--
-- Name: decisions_id_seq; Type: SEQUENCE; Schema: guantong; Owner: guantong_owner
--

ALTER TABLE guantong.decisions ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME guantong.decisions_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: drafts; Type: TABLE; Schema: guantong; Owner: guantong_owner
--

CREATE TABLE guantong.drafts (
    owner text NOT NULL,
    id bigint NOT NULL,
    name text DEFAULT ''::text NOT NULL,
    case_id bigint NOT NULL,
    base_version bigint DEFAULT 0 NOT NULL,
    base_fields text DEFAULT ''::text NOT NULL,
    updated_at text NOT NULL,
    fields text NOT NULL,
    CONSTRAINT drafts_id_check CHECK ((id >= 1))
);


ALTER TABLE guantong.drafts OWNER TO guantong_owner;

--
-- Name: evaluations; Type: TABLE; Schema: guantong; Owner: guantong_owner
--

CREATE TABLE guantong.evaluations (
    id bigint NOT NULL,
    case_id bigint NOT NULL,
    case_version bigint NOT NULL,
    ruleset text NOT NULL,
    as_of text NOT NULL,
    evaluated_at text NOT NULL,
    evaluated_by text NOT NULL,
    outcome text NOT NULL,
    target text NOT NULL,
    route text NOT NULL,
    basis text NOT NULL,
    unmet text NOT NULL,
    missing_evidence text NOT NULL,
    theory_exempt boolean NOT NULL,
    rule_id text DEFAULT ''::text NOT NULL
);


ALTER TABLE guantong.evaluations OWNER TO guantong_owner;

--
-- Name: evaluations_id_seq; Type: SEQUENCE; Schema: guantong; Owner: guantong_owner
--

ALTER TABLE guantong.evaluations ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME guantong.evaluations_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: evidence; Type: TABLE; Schema: guantong; Owner: guantong_owner
--

CREATE TABLE guantong.evidence (
    case_id bigint NOT NULL,
    code text NOT NULL,
    received boolean DEFAULT false NOT NULL,
    verified boolean DEFAULT false NOT NULL,
    received_by text,
    received_at text,
    verified_by text,
    verified_at text,
    note text DEFAULT ''::text NOT NULL
);


ALTER TABLE guantong.evidence OWNER TO guantong_owner;

--
-- Name: meta; Type: TABLE; Schema: guantong; Owner: guantong_owner
--

CREATE TABLE guantong.meta (
    key text NOT NULL,
    value text NOT NULL
);


ALTER TABLE guantong.meta OWNER TO guantong_owner;

--
-- Name: users; Type: TABLE; Schema: guantong; Owner: guantong_owner
--

CREATE TABLE guantong.users (
    login text NOT NULL,
    role text NOT NULL,
    display_name text DEFAULT ''::text NOT NULL,
    active boolean DEFAULT true NOT NULL,
    created_at text NOT NULL,
    created_by text NOT NULL,
    CONSTRAINT users_login_check CHECK (((length(login) >= 1) AND (length(login) <= 63))),
    CONSTRAINT users_role_check CHECK ((role = ANY (ARRAY['clerk'::text, 'reviewer'::text, 'admin'::text])))
);


ALTER TABLE guantong.users OWNER TO guantong_owner;

--
-- Data for Name: audit; Type: TABLE DATA; Schema: guantong; Owner: guantong_owner
--

COPY guantong.audit (id, at, actor, action, entity, entity_id, before, after) FROM stdin;
1	2026-12-05 17:50:56+00:00	gtpg	user.create	user	gtadmin	\N	{"role": "admin", "login": "gtadmin"}
2	2026-12-05 17:50:57+00:00	gtadmin	user.create	user	gtclerk	\N	{"role": "clerk", "active": 1}
3	2026-12-05 17:50:58+00:00	gtclerk	import	import	/tmp/gtpgtest.qxhQmv/demo.csv	\N	{"file": "/tmp/gtpgtest.qxhQmv/demo.csv", "rows": 13, "size": 4813, "sha256": "21422b7ab29b5929044e6184a3292e022ac780f6a9b01f99e90f2c6fffbba611", "changed": [], "created": [[1, 13]], "refused": 0, "updated": 0, "inserted": 13, "unchanged": 0, "superseded": 0}
4	2026-12-05 17:50:59+00:00	gtadmin	case.approve	case	1	{"status": "submitted", "version": 1}	{"status": "approved", "version": 2, "decision_id": 1}
\.


--
-- Data for Name: case_columns; Type: TABLE DATA; Schema: guantong; Owner: guantong_owner
--

COPY guantong.case_columns (pos, name) FROM stdin;
1	case_ref
2	name
3	id_number
4	region
5	direction
6	series
7	occupation_code
8	skill_level
9	skill_date
10	title_level
11	title_date
12	related
13	work_start
14	appraisals_passed
15	frontline
16	employed_in_region
17	self_employed
18	region_work_start
19	pilot_enterprise
20	honors
21	competitions
22	diploma_related
23	tech_school_class
24	integrity_flag
25	public_institution_worker
26	evidence
27	requested_level
28	application_date
\.


--
-- Data for Name: cases; Type: TABLE DATA; Schema: guantong; Owner: guantong_owner
--

COPY guantong.cases (id, id_number, name, region, direction, case_ref, level, fields, status, assignee, version, created_at, created_by, updated_at, updated_by, outcome, target, eval_id, decision_id) FROM stdin;
2	320602197910224794	孟立新	jiangsu	title_to_skill	js-t2s-principal-by-full-senior-manual	principal_technician	{js-t2s-principal-by-full-senior-manual,孟立新,320602197910224794,jiangsu,title_to_skill,engineering,"",none,"",full_senior,2023-01-01,yes,"","",no,yes,no,"",no,"","",no,none,no,no,id_card;skill_certificate;title_certificate;work_record;appraisal_records;award_certificate;commendation_document;frontline_proof;employment_proof,principal_technician,2025-06-15}	submitted	\N	1	2026-12-05 17:50:58+00:00	gtclerk	2026-12-05 17:50:58+00:00	gtclerk	manual_review	principal_technician	2	\N
3	440106197904084815	钱思远	guangzhou	skill_to_title	gz-comp-s2t-region-1y-day-of		{gz-comp-s2t-region-1y-day-of,钱思远,440106197904084815,guangzhou,skill_to_title,engineering,"",technician,2023-01-01,none,"",yes,"","",yes,yes,no,2023-07-01,no,"",worldskills:excellence,no,none,no,no,id_card;skill_certificate;title_certificate;work_record;appraisal_records;award_certificate;commendation_document;frontline_proof;employment_proof,"",2024-07-01}	submitted	\N	1	2026-12-05 17:50:58+00:00	gtclerk	2026-12-05 17:50:58+00:00	gtclerk	manual_review		3	\N
4	510104199401015927	马雪梅	sichuan	title_to_skill	sc-t2s-a2-5-1-3-day-of	senior	{sc-t2s-a2-5-1-3-day-of,马雪梅,510104199401015927,sichuan,title_to_skill,engineering,"",none,"",assistant,2019-01-01,yes,2022-03-01,3,no,yes,no,"",no,"","",no,none,no,no,id_card;skill_certificate;title_certificate;work_record;appraisal_records;award_certificate;commendation_document;frontline_proof;employment_proof,senior,2024-03-01}	submitted	\N	1	2026-12-05 17:50:58+00:00	gtclerk	2026-12-05 17:50:58+00:00	gtclerk	eligible	senior	4	\N
5	320602199310221839	朱明亮	jiangsu	skill_to_title	js-s2t-integrity-veto	deputy_senior	{js-s2t-integrity-veto,朱明亮,320602199310221839,jiangsu,skill_to_title,engineering,"",senior,2024-12-01,none,"",yes,"",3,yes,yes,no,"",no,jiangsu_great_craftsman,"",no,none,yes,no,id_card;skill_certificate;title_certificate;work_record;appraisal_records;award_certificate;commendation_document;frontline_proof;employment_proof,"",2025-06-15}	submitted	\N	1	2026-12-05 17:50:58+00:00	gtclerk	2026-12-05 17:50:58+00:00	gtclerk	vetoed		5	\N
6	500103196907154068	方振华	chongqing	skill_to_title	cq-s2t-appraisal-blank	assistant	{cq-s2t-appraisal-blank,方振华,500103196907154068,chongqing,skill_to_title,engineering,"",senior,2019-05-01,none,"",yes,"","",no,yes,no,"",no,"","",no,none,no,no,id_card;skill_certificate;title_certificate;work_record;appraisal_records;award_certificate;commendation_document;frontline_proof;employment_proof,"",2025-06-15}	submitted	\N	1	2026-12-05 17:50:58+00:00	gtclerk	2026-12-05 17:50:58+00:00	gtclerk	needs_evidence	assistant	6	\N
7	210302198210227030	田明亮	anshan	skill_to_title	as-s2t-pg-liaoning-craftsman	full_senior	{as-s2t-pg-liaoning-craftsman,田明亮,210302198210227030,anshan,skill_to_title,engineering,"",senior,2024-12-01,none,"",yes,"",3,yes,yes,no,"",no,liaoning_craftsman,"",no,none,no,no,id_card;skill_certificate;title_certificate;work_record;appraisal_records;award_certificate;commendation_document;frontline_proof;employment_proof,"",2025-06-15}	submitted	\N	1	2026-12-05 17:50:58+00:00	gtclerk	2026-12-05 17:50:58+00:00	gtclerk	eligible	full_senior	7	\N
8	210302197510228516	廖淑芬	anshan	skill_to_title	as-s2t-pg-liaoning-outstanding	deputy_senior	{as-s2t-pg-liaoning-outstanding,廖淑芬,210302197510228516,anshan,skill_to_title,engineering,"",senior,2024-12-01,none,"",yes,"",3,yes,yes,no,"",no,liaoning_outstanding,"",no,none,no,no,id_card;skill_certificate;title_certificate;work_record;appraisal_records;award_certificate;commendation_document;frontline_proof;employment_proof,"",2025-06-15}	submitted	\N	1	2026-12-05 17:50:58+00:00	gtclerk	2026-12-05 17:50:58+00:00	gtclerk	eligible	deputy_senior	8	\N
9	50010319920101776X	潘春生	chongqing	skill_to_title	cq-s2t-integrity-veto	deputy_senior	{cq-s2t-integrity-veto,潘春生,50010319920101776X,chongqing,skill_to_title,engineering,"",technician,2020-05-01,none,"",yes,"",3,no,yes,no,"",no,national_technical_expert,"",no,none,yes,no,id_card;skill_certificate;title_certificate;work_record;appraisal_records;award_certificate;commendation_document;frontline_proof;employment_proof,"",2025-06-15}	submitted	\N	1	2026-12-05 17:50:58+00:00	gtclerk	2026-12-05 17:50:58+00:00	gtclerk	vetoed		9	\N
10	500103198010228877	汪晓东	chongqing	title_to_skill	cq-t2s-1-assistant-to-senior-exam-waived	senior	{cq-t2s-1-assistant-to-senior-exam-waived,汪晓东,500103198010228877,chongqing,title_to_skill,engineering,"",none,"",assistant,2022-01-01,yes,"",3,no,yes,no,"",no,"","",no,none,no,no,id_card;skill_certificate;title_certificate;work_record;appraisal_records;award_certificate;commendation_document;frontline_proof;employment_proof,"",2025-06-15}	submitted	\N	1	2026-12-05 17:50:58+00:00	gtclerk	2026-12-05 17:50:58+00:00	gtclerk	eligible	senior	10	\N
11	500103197604082575	冯燕妮	chongqing	title_to_skill	cq-t2s-direct-third-prize-not-enough	senior	{cq-t2s-direct-third-prize-not-enough,冯燕妮,500103197604082575,chongqing,title_to_skill,engineering,"",none,"",assistant,2022-01-01,no,"",3,no,yes,no,"",no,"",provincial:third,no,none,no,no,id_card;skill_certificate;title_certificate;work_record;appraisal_records;award_certificate;commendation_document;frontline_proof;employment_proof,"",2025-06-15}	submitted	\N	1	2026-12-05 17:50:58+00:00	gtclerk	2026-12-05 17:50:58+00:00	gtclerk	not_eligible		11	\N
12	440106199401015921	马雪梅	guangzhou	skill_to_title	gz-comp-s2t-no-level-scope		{gz-comp-s2t-no-level-scope,马雪梅,440106199401015921,guangzhou,skill_to_title,engineering,"",intermediate,2022-01-01,none,"",yes,"","",yes,yes,no,2020-01-01,no,"",national_skills:excellence,no,none,no,no,id_card;skill_certificate;title_certificate;work_record;appraisal_records;award_certificate;commendation_document;frontline_proof;employment_proof,"",2025-06-15}	submitted	\N	1	2026-12-05 17:50:58+00:00	gtclerk	2026-12-05 17:50:58+00:00	gtclerk	manual_review		12	\N
13	440106197401014444	贺卫东	guangzhou	skill_to_title	gz-comp-s2t-region-1y-day-before		{gz-comp-s2t-region-1y-day-before,贺卫东,440106197401014444,guangzhou,skill_to_title,engineering,"",technician,2023-01-01,none,"",yes,"","",yes,yes,no,2023-07-01,no,"",worldskills:excellence,no,none,no,no,id_card;skill_certificate;title_certificate;work_record;appraisal_records;award_certificate;commendation_document;frontline_proof;employment_proof,"",2024-06-30}	submitted	\N	1	2026-12-05 17:50:58+00:00	gtclerk	2026-12-05 17:50:58+00:00	gtclerk	not_eligible		13	\N
1	510104198110222956	魏秋菊	sichuan	skill_to_title	sc-s2t-pg-class1-rank3-pair	deputy_senior	{sc-s2t-pg-class1-rank3-pair,魏秋菊,510104198110222956,sichuan,skill_to_title,engineering,"",senior,2024-12-01,none,"",yes,"",3,no,yes,no,"",no,"",national_class1:rank3:winner:2,no,none,no,no,id_card;skill_certificate;title_certificate;work_record;appraisal_records;award_certificate;commendation_document;frontline_proof;employment_proof;achievement_evidence,"",2025-06-15}	approved	\N	2	2026-12-05 17:50:58+00:00	gtclerk	2026-12-05 17:50:59+00:00	gtadmin	eligible	deputy_senior	1	1
\.


--
-- Data for Name: decisions; Type: TABLE DATA; Schema: guantong; Owner: guantong_owner
--

COPY guantong.decisions (id, case_id, case_version, eval_id, action, decided_by, decided_at, note, snapshot, ruleset, summary, explanation) FROM stdin;
1	1	2	1	approve	gtadmin	2026-12-05 17:50:59+00:00		sc-s2t-pg-class1-rank3-pair,魏秋菊,510104198110222956,sichuan,skill_to_title,engineering,,senior,2024-12-01,none,,yes,,3,no,yes,no,,no,,national_class1:rank3:winner:2,no,none,no,no,id_card;skill_certificate;title_certificate;work_record;appraisal_records;award_certificate;commendation_document;frontline_proof;employment_proof;achievement_evidence,,2025-06-15	《四川省高技能人才与专业技术人才职业发展贯通实施方案》 1 c0c8659afad1f3ff	["eligible","deputy_senior","green_channel","national_class1:rank3","","","no","《四川省高技能人才与专业技术人才职业发展贯通实施方案》 附件1 六（二）3","Eligible for deputy senior level by the green channel route under 《四川省高技能人才与专业技术人才职业发展贯通实施方案》 附件1 六（二）3, resting on national class I competition place 3."]	sc-s2t-pg-class1-rank3-pair 魏秋菊  510104198110222956\n  outcome: eligible  target: deputy senior level  route: green channel\n  Eligible for deputy senior level by the green channel route under 《四川省高技能人才与专业技术人才职业发展贯通实施方案》 附件1 六（二）3, resting on national class I competition place 3.\n\n    not eligible    assistant level       regular        [SC-S2T-1]\n    《四川省高技能人才与专业技术人才职业发展贯通实施方案》 附件1 五（一）3\n      [x] needs skill level senior worker or above, holds senior worker  (《四川省高技能人才与专业技术人才职业发展贯通实施方案》 三（一）1)\n      [x] employed in the region  (《四川省高技能人才与专业技术人才职业发展贯通实施方案》 三（一）1)\n      [x] needs skill level senior worker or above, holds senior worker\n      [x] the held level is in a related specialty\n      [ ] needs 2 years since 2024-12-01, has 6 months, short by 1 year 6 months (met on 2026-12-01)\n      [x] needs 3 passed annual appraisals in the last 3 years, has 3  (《四川省高技能人才与专业技术人才职业发展贯通实施方案》 附件1 三)\n      year conditions met on 2026-12-01\n\n    not eligible    intermediate level    regular        [SC-S2T-2]\n    《四川省高技能人才与专业技术人才职业发展贯通实施方案》 附件1 五（二）4\n      [x] needs skill level senior worker or above, holds senior worker  (《四川省高技能人才与专业技术人才职业发展贯通实施方案》 三（一）1)\n      [x] employed in the region  (《四川省高技能人才与专业技术人才职业发展贯通实施方案》 三（一）1)\n      [ ] needs skill level technician or above, holds senior worker\n      [x] the held level is in a related specialty\n      [ ] needs 3 years since the level is obtained; the level is not held\n      [x] needs 3 passed annual appraisals in the last 3 years, has 3  (《四川省高技能人才与专业技术人才职业发展贯通实施方案》 附件1 三)\n\n    not eligible    deputy senior level   regular        [SC-S2T-3]\n    《四川省高技能人才与专业技术人才职业发展贯通实施方案》 附件1 五（三）4\n      [x] needs skill level senior worker or above, holds senior worker  (《四川省高技能人才与专业技术人才职业发展贯通实施方案》 三（一）1)\n      [x] employed in the region  (《四川省高技能人才与专业技术人才职业发展贯通实施方案》 三（一）1)\n      [ ] needs skill level senior technician or above, holds senior worker\n      [x] the held level is in a related specialty\n      [ ] needs 4 years since the level is obtained; the level is not held\n      [x] needs 3 passed annual appraisals in the last 3 years, has 3  (《四川省高技能人才与专业技术人才职业发展贯通实施方案》 附件1 三)\n\n    not eligible    full senior level     regular        [SC-S2T-4A]\n    《四川省高技能人才与专业技术人才职业发展贯通实施方案》 附件1 五（四）5\n      [x] needs skill level senior worker or above, holds senior worker  (《四川省高技能人才与专业技术人才职业发展贯通实施方案》 三（一）1)\n      [x] employed in the region  (《四川省高技能人才与专业技术人才职业发展贯通实施方案》 三（一）1)\n      [ ] needs title deputy senior level or above, holds no title\n      [x] the held level is in a related specialty\n      [ ] needs 5 years since the level is obtained; the level is not held\n      [x] needs 3 passed annual appraisals in the last 3 years, has 3  (《四川省高技能人才与专业技术人才职业发展贯通实施方案》 附件1 三)\n\n    not eligible    full senior level     regular        [SC-S2T-4B]\n    《四川省高技能人才与专业技术人才职业发展贯通实施方案》 附件1 五（四）5\n      [x] needs skill level senior worker or above, holds senior worker  (《四川省高技能人才与专业技术人才职业发展贯通实施方案》 三（一）1)\n      [x] employed in the region  (《四川省高技能人才与专业技术人才职业发展贯通实施方案》 三（一）1)\n      [ ] needs skill level senior technician or above, holds senior worker\n      [x] the held level is in a related specialty\n      [ ] needs 10 years since the level is obtained; the level is not held\n      [x] needs 3 passed annual appraisals in the last 3 years, has 3  (《四川省高技能人才与专业技术人才职业发展贯通实施方案》 附件1 三)\n\n    not eligible    intermediate level    green channel  [SC-S2T-G1-1]\n    《四川省高技能人才与专业技术人才职业发展贯通实施方案》 附件1 六（一）1\n      [x] needs skill level senior worker or above, holds senior worker  (《四川省高技能人才与专业技术人才职业发展贯通实施方案》 三（一）1)\n      [x] employed in the region  (《四川省高技能人才与专业技术人才职业发展贯通实施方案》 三（一）1)\n      [x] needs 3 passed annual appraisals in the last 3 years, has 3  (《四川省高技能人才与专业技术人才职业发展贯通实施方案》 附件1 三)\n      [ ] no honour or competition result the clause lists\n\n    not eligible    intermediate level    green channel  [SC-S2T-G1-2]\n    《四川省高技能人才与专业技术人才职业发展贯通实施方案》 附件1 六（一）2\n      [x] needs skill level senior worker or above, holds senior worker  (《四川省高技能人才与专业技术人才职业发展贯通实施方案》 三（一）1)\n      [x] employed in the region  (《四川省高技能人才与专业技术人才职业发展贯通实施方案》 三（一）1)\n      [x] needs 3 passed annual appraisals in the last 3 years, has 3  (《四川省高技能人才与专业技术人才职业发展贯通实施方案》 附件1 三)\n      [ ] no honour or competition result the clause lists\n\n    not eligible    intermediate level    green channel  [SC-S2T-G1-3]\n    《四川省高技能人才与专业技术人才职业发展贯通实施方案》 附件1 六（一）3\n      [x] needs skill level senior worker or above, holds senior worker  (《四川省高技能人才与专业技术人才职业发展贯通实施方案》 三（一）1)\n      [x] employed in the region  (《四川省高技能人才与专业技术人才职业发展贯通实施方案》 三（一）1)\n      [x] needs 3 passed annual appraisals in the last 3 years, has 3  (《四川省高技能人才与专业技术人才职业发展贯通实施方案》 附件1 三)\n      [ ] no honour or competition result the clause lists\n\n    not eligible    intermediate level    green channel  [SC-S2T-G1-4]\n    《四川省高技能人才与专业技术人才职业发展贯通实施方案》 附件1 六（一）4\n      [x] needs skill level senior worker or above, holds senior worker  (《四川省高技能人才与专业技术人才职业发展贯通实施方案》 三（一）1)\n      [x] employed in the region  (《四川省高技能人才与专业技术人才职业发展贯通实施方案》 三（一）1)\n      [x] needs 3 passed annual appraisals in the last 3 years, has 3  (《四川省高技能人才与专业技术人才职业发展贯通实施方案》 附件1 三)\n      [ ] no honour or competition result the clause lists\n\n    not eligible    deputy senior level   green channel  [SC-S2T-G2-1]\n    《四川省高技能人才与专业技术人才职业发展贯通实施方案》 附件1 六（二）1\n      [x] needs skill level senior worker or above, holds senior worker  (《四川省高技能人才与专业技术人才职业发展贯通实施方案》 三（一）1)\n      [x] employed in the region  (《四川省高技能人才与专业技术人才职业发展贯通实施方案》 三（一）1)\n      [x] needs 3 passed annual appraisals in the last 3 years, has 3  (《四川省高技能人才与专业技术人才职业发展贯通实施方案》 附件1 三)\n      [ ] no honour or competition result the clause lists\n\n    not eligible    deputy senior level   green channel  [SC-S2T-G2-2]\n    《四川省高技能人才与专业技术人才职业发展贯通实施方案》 附件1 六（二）2\n      [x] needs skill level senior worker or above, holds senior worker  (《四川省高技能人才与专业技术人才职业发展贯通实施方案》 三（一）1)\n      [x] employed in the region  (《四川省高技能人才与专业技术人才职业发展贯通实施方案》 三（一）1)\n      [x] needs 3 passed annual appraisals in the last 3 years, has 3  (《四川省高技能人才与专业技术人才职业发展贯通实施方案》 附件1 三)\n      [ ] no honour or competition result the clause lists\n\n  * eligible        deputy senior level   green channel  [SC-S2T-G2-3]\n    《四川省高技能人才与专业技术人才职业发展贯通实施方案》 附件1 六（二）3\n      [x] needs skill level senior worker or above, holds senior worker  (《四川省高技能人才与专业技术人才职业发展贯通实施方案》 三（一）1)\n      [x] employed in the region  (《四川省高技能人才与专业技术人才职业发展贯通实施方案》 三（一）1)\n      [x] needs 3 passed annual appraisals in the last 3 years, has 3  (《四川省高技能人才与专业技术人才职业发展贯通实施方案》 附件1 三)\n      [x] holds an honour or result the clause lists\n      basis: national class I competition place 3\n\n    not eligible    deputy senior level   green channel  [SC-S2T-G2-4]\n    《四川省高技能人才与专业技术人才职业发展贯通实施方案》 附件1 六（二）4\n      [x] needs skill level senior worker or above, holds senior worker  (《四川省高技能人才与专业技术人才职业发展贯通实施方案》 三（一）1)\n      [x] employed in the region  (《四川省高技能人才与专业技术人才职业发展贯通实施方案》 三（一）1)\n      [x] needs 3 passed annual appraisals in the last 3 years, has 3  (《四川省高技能人才与专业技术人才职业发展贯通实施方案》 附件1 三)\n      [ ] no honour or competition result the clause lists\n\n    not eligible    full senior level     green channel  [SC-S2T-G3-1]\n    《四川省高技能人才与专业技术人才职业发展贯通实施方案》 附件1 六（三）1\n      [x] needs skill level senior worker or above, holds senior worker  (《四川省高技能人才与专业技术人才职业发展贯通实施方案》 三（一）1)\n      [x] employed in the region  (《四川省高技能人才与专业技术人才职业发展贯通实施方案》 三（一）1)\n      [x] needs 3 passed annual appraisals in the last 3 years, has 3  (《四川省高技能人才与专业技术人才职业发展贯通实施方案》 附件1 三)\n      [ ] not in a frontline post\n      [ ] no honour or competition result the clause lists\n\n    not eligible    full senior level     green channel  [SC-S2T-G3-2]\n    《四川省高技能人才与专业技术人才职业发展贯通实施方案》 附件1 六（三）2\n      [x] needs skill level senior worker or above, holds senior worker  (《四川省高技能人才与专业技术人才职业发展贯通实施方案》 三（一）1)\n      [x] employed in the region  (《四川省高技能人才与专业技术人才职业发展贯通实施方案》 三（一）1)\n      [x] needs 3 passed annual appraisals in the last 3 years, has 3  (《四川省高技能人才与专业技术人才职业发展贯通实施方案》 附件1 三)\n      [ ] no honour or competition result the clause lists\n\n    not eligible    full senior level     green channel  [SC-S2T-G3-3]\n    《四川省高技能人才与专业技术人才职业发展贯通实施方案》 附件1 六（三）3\n      [x] needs skill level senior worker or above, holds senior worker  (《四川省高技能人才与专业技术人才职业发展贯通实施方案》 三（一）1)\n      [x] employed in the region  (《四川省高技能人才与专业技术人才职业发展贯通实施方案》 三（一）1)\n      [x] needs 3 passed annual appraisals in the last 3 years, has 3  (《四川省高技能人才与专业技术人才职业发展贯通实施方案》 附件1 三)\n      [ ] no honour or competition result the clause lists\n
\.


--
-- Data for Name: drafts; Type: TABLE DATA; Schema: guantong; Owner: guantong_owner
--

COPY guantong.drafts (owner, id, name, case_id, base_version, base_fields, updated_at, fields) FROM stdin;
\.


--
-- Data for Name: evaluations; Type: TABLE DATA; Schema: guantong; Owner: guantong_owner
--

COPY guantong.evaluations (id, case_id, case_version, ruleset, as_of, evaluated_at, evaluated_by, outcome, target, route, basis, unmet, missing_evidence, theory_exempt, rule_id) FROM stdin;
1	1	1	《四川省高技能人才与专业技术人才职业发展贯通实施方案》 1 c0c8659afad1f3ff	2025-06-15	2026-12-05 17:50:58+00:00	gtclerk	eligible	deputy_senior	green_channel	national_class1:rank3			f	SC-S2T-G2-3
2	2	1	苏人社发〔2021〕132号 1 74403553f776c0d1	2025-06-15	2026-12-05 17:50:58+00:00	gtclerk	manual_review	principal_technician	regular				t	JS-T2S-P1
3	3	1	广州市《高技能人才与专业技术人才职业融合发展试点实施方案》 1 71075947207c9924	2024-07-01	2026-12-05 17:50:58+00:00	gtclerk	manual_review		competition	worldskills:excellence			f	GZ-S2T-C
4	4	1	《四川省高技能人才与专业技术人才职业发展贯通实施方案》 1 c0c8659afad1f3ff	2024-03-01	2026-12-05 17:50:58+00:00	gtclerk	eligible	senior	regular				f	SC-T2S-1
5	5	1	苏人社发〔2021〕132号 1 74403553f776c0d1	2025-06-15	2026-12-05 17:50:58+00:00	gtclerk	vetoed						f	
6	6	1	渝人社发〔2021〕55号 1 99be6308f85f28a0	2025-06-15	2026-12-05 17:50:58+00:00	gtclerk	needs_evidence	assistant	regular			appraisal_records	f	CQ-S2T-1
7	7	1	鞍人社〔2020〕33号 1 58bc7ae2ed7ce0d9	2025-06-15	2026-12-05 17:50:58+00:00	gtclerk	eligible	full_senior	green_channel	liaoning_craftsman			f	AS-S2T-G1
8	8	1	鞍人社〔2020〕33号 1 58bc7ae2ed7ce0d9	2025-06-15	2026-12-05 17:50:58+00:00	gtclerk	eligible	deputy_senior	green_channel	liaoning_outstanding			f	AS-S2T-G2
9	9	1	渝人社发〔2021〕55号 1 99be6308f85f28a0	2025-06-15	2026-12-05 17:50:58+00:00	gtclerk	vetoed						f	
10	10	1	渝人社发〔2021〕55号 1 99be6308f85f28a0	2025-06-15	2026-12-05 17:50:58+00:00	gtclerk	eligible	senior	regular				t	CQ-T2S-1A
11	11	1	渝人社发〔2021〕55号 1 99be6308f85f28a0	2025-06-15	2026-12-05 17:50:58+00:00	gtclerk	not_eligible				related		f	CQ-T2S-1A
12	12	1	广州市《高技能人才与专业技术人才职业融合发展试点实施方案》 1 71075947207c9924	2025-06-15	2026-12-05 17:50:58+00:00	gtclerk	manual_review		competition	national_skills:excellence			f	GZ-S2T-C
13	13	1	广州市《高技能人才与专业技术人才职业融合发展试点实施方案》 1 71075947207c9924	2024-06-30	2026-12-05 17:50:58+00:00	gtclerk	not_eligible				years_in_region		f	GZ-S2T-C
\.


--
-- Data for Name: evidence; Type: TABLE DATA; Schema: guantong; Owner: guantong_owner
--

COPY guantong.evidence (case_id, code, received, verified, received_by, received_at, verified_by, verified_at, note) FROM stdin;
\.


--
-- Data for Name: meta; Type: TABLE DATA; Schema: guantong; Owner: guantong_owner
--

COPY guantong.meta (key, value) FROM stdin;
created_at	2026-12-05 17:50:56+00:00
created_by	gtpg
created_with	guantong 0.1.0
backend	postgresql
\.


--
-- Data for Name: users; Type: TABLE DATA; Schema: guantong; Owner: guantong_owner
--

COPY guantong.users (login, role, display_name, active, created_at, created_by) FROM stdin;
gtadmin	admin		t	2026-12-05 17:50:56+00:00	gtpg
gtclerk	clerk		t	2026-12-05 17:50:57+00:00	gtadmin
\.


--
-- Name: audit_id_seq; Type: SEQUENCE SET; Schema: guantong; Owner: guantong_owner
--

SELECT pg_catalog.setval('guantong.audit_id_seq', 4, true);


--
-- Name: cases_id_seq; Type: SEQUENCE SET; Schema: guantong; Owner: guantong_owner
--

SELECT pg_catalog.setval('guantong.cases_id_seq', 13, true);


--
-- Name: decisions_id_seq; Type: SEQUENCE SET; Schema: guantong; Owner: guantong_owner
--

SELECT pg_catalog.setval('guantong.decisions_id_seq', 1, true);


--
-- Name: evaluations_id_seq; Type: SEQUENCE SET; Schema: guantong; Owner: guantong_owner
--

SELECT pg_catalog.setval('guantong.evaluations_id_seq', 13, true);


--
-- Name: audit audit_pkey; Type: CONSTRAINT; Schema: guantong; Owner: guantong_owner
--

ALTER TABLE ONLY guantong.audit
    ADD CONSTRAINT audit_pkey PRIMARY KEY (id);


--
-- Name: case_columns case_columns_name_key; Type: CONSTRAINT; Schema: guantong; Owner: guantong_owner
--

ALTER TABLE ONLY guantong.case_columns
    ADD CONSTRAINT case_columns_name_key UNIQUE (name);


--
-- Name: case_columns case_columns_pkey; Type: CONSTRAINT; Schema: guantong; Owner: guantong_owner
--

ALTER TABLE ONLY guantong.case_columns
    ADD CONSTRAINT case_columns_pkey PRIMARY KEY (pos);


--
-- Name: cases cases_id_number_region_direction_key; Type: CONSTRAINT; Schema: guantong; Owner: guantong_owner
--

ALTER TABLE ONLY guantong.cases
    ADD CONSTRAINT cases_id_number_region_direction_key UNIQUE (id_number, region, direction);


--
-- Name: cases cases_pkey; Type: CONSTRAINT; Schema: guantong; Owner: guantong_owner
--

ALTER TABLE ONLY guantong.cases
    ADD CONSTRAINT cases_pkey PRIMARY KEY (id);


--
-- Name: decisions decisions_pkey; Type: CONSTRAINT; Schema: guantong; Owner: guantong_owner
--

ALTER TABLE ONLY guantong.decisions
    ADD CONSTRAINT decisions_pkey PRIMARY KEY (id);


--
-- Name: drafts drafts_pkey; Type: CONSTRAINT; Schema: guantong; Owner: guantong_owner
--

ALTER TABLE ONLY guantong.drafts
    ADD CONSTRAINT drafts_pkey PRIMARY KEY (owner, id);


--
-- Name: evaluations evaluations_pkey; Type: CONSTRAINT; Schema: guantong; Owner: guantong_owner
--

ALTER TABLE ONLY guantong.evaluations
    ADD CONSTRAINT evaluations_pkey PRIMARY KEY (id);


--
-- Name: evidence evidence_pkey; Type: CONSTRAINT; Schema: guantong; Owner: guantong_owner
--

ALTER TABLE ONLY guantong.evidence
    ADD CONSTRAINT evidence_pkey PRIMARY KEY (case_id, code);


--
-- Name: meta meta_pkey; Type: CONSTRAINT; Schema: guantong; Owner: guantong_owner
--

ALTER TABLE ONLY guantong.meta
    ADD CONSTRAINT meta_pkey PRIMARY KEY (key);


--
-- Name: users users_pkey; Type: CONSTRAINT; Schema: guantong; Owner: guantong_owner
--

ALTER TABLE ONLY guantong.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (login);


--
-- Name: audit_entity; Type: INDEX; Schema: guantong; Owner: guantong_owner
--

CREATE INDEX audit_entity ON guantong.audit USING btree (entity, entity_id, id);


--
-- Name: audit_import; Type: INDEX; Schema: guantong; Owner: guantong_owner
--

CREATE INDEX audit_import ON guantong.audit USING btree (action) WHERE (action = 'import'::text);


--
-- Name: cases_assignee; Type: INDEX; Schema: guantong; Owner: guantong_owner
--

CREATE INDEX cases_assignee ON guantong.cases USING btree (COALESCE(assignee, ''::text), id);


--
-- Name: cases_direction; Type: INDEX; Schema: guantong; Owner: guantong_owner
--

CREATE INDEX cases_direction ON guantong.cases USING btree (direction, id);


--
-- Name: cases_level; Type: INDEX; Schema: guantong; Owner: guantong_owner
--

CREATE INDEX cases_level ON guantong.cases USING btree (level, id);


--
-- Name: cases_name; Type: INDEX; Schema: guantong; Owner: guantong_owner
--

CREATE INDEX cases_name ON guantong.cases USING btree (name, id);


--
-- Name: cases_outcome; Type: INDEX; Schema: guantong; Owner: guantong_owner
--

CREATE INDEX cases_outcome ON guantong.cases USING btree (outcome, id);


--
-- Name: cases_ref; Type: INDEX; Schema: guantong; Owner: guantong_owner
--

CREATE INDEX cases_ref ON guantong.cases USING btree (case_ref) WHERE (case_ref <> ''::text);


--
-- Name: cases_region; Type: INDEX; Schema: guantong; Owner: guantong_owner
--

CREATE INDEX cases_region ON guantong.cases USING btree (region, id);


--
-- Name: cases_status; Type: INDEX; Schema: guantong; Owner: guantong_owner
--

CREATE INDEX cases_status ON guantong.cases USING btree (status, id);


--
-- Name: cases_updated; Type: INDEX; Schema: guantong; Owner: guantong_owner
--

CREATE INDEX cases_updated ON guantong.cases USING btree (updated_at, id);


--
-- Name: cases_updated_by; Type: INDEX; Schema: guantong; Owner: guantong_owner
--

CREATE INDEX cases_updated_by ON guantong.cases USING btree (updated_by);


--
-- Name: decisions_case; Type: INDEX; Schema: guantong; Owner: guantong_owner
--

CREATE INDEX decisions_case ON guantong.decisions USING btree (case_id, id);


--
-- Name: evaluations_case; Type: INDEX; Schema: guantong; Owner: guantong_owner
--

CREATE INDEX evaluations_case ON guantong.evaluations USING btree (case_id, id);


--
-- Name: audit audit_no_change; Type: TRIGGER; Schema: guantong; Owner: guantong_owner
--

CREATE TRIGGER audit_no_change BEFORE DELETE OR UPDATE ON guantong.audit FOR EACH ROW EXECUTE FUNCTION guantong.audit_append_only();


--
-- Name: audit audit_no_truncate; Type: TRIGGER; Schema: guantong; Owner: guantong_owner
--

CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON guantong.audit FOR EACH STATEMENT EXECUTE FUNCTION guantong.audit_append_only();


--
-- Name: decisions decisions_case_id_fkey; Type: FK CONSTRAINT; Schema: guantong; Owner: guantong_owner
--

ALTER TABLE ONLY guantong.decisions
    ADD CONSTRAINT decisions_case_id_fkey FOREIGN KEY (case_id) REFERENCES guantong.cases(id);


--
-- Name: decisions decisions_eval_id_fkey; Type: FK CONSTRAINT; Schema: guantong; Owner: guantong_owner
--

ALTER TABLE ONLY guantong.decisions
    ADD CONSTRAINT decisions_eval_id_fkey FOREIGN KEY (eval_id) REFERENCES guantong.evaluations(id);


--
-- Name: evaluations evaluations_case_id_fkey; Type: FK CONSTRAINT; Schema: guantong; Owner: guantong_owner
--

ALTER TABLE ONLY guantong.evaluations
    ADD CONSTRAINT evaluations_case_id_fkey FOREIGN KEY (case_id) REFERENCES guantong.cases(id);


--
-- Name: evidence evidence_case_id_fkey; Type: FK CONSTRAINT; Schema: guantong; Owner: guantong_owner
--

ALTER TABLE ONLY guantong.evidence
    ADD CONSTRAINT evidence_case_id_fkey FOREIGN KEY (case_id) REFERENCES guantong.cases(id);


--
-- Name: SCHEMA guantong; Type: ACL; Schema: -; Owner: guantong_owner
--

GRANT USAGE ON SCHEMA guantong TO guantong_clerk;
GRANT USAGE ON SCHEMA guantong TO PUBLIC;


--
-- Name: FUNCTION audit_add(p_action text, p_entity text, p_entity_id text, p_before jsonb, p_after jsonb); Type: ACL; Schema: guantong; Owner: guantong_owner
--

REVOKE ALL ON FUNCTION guantong.audit_add(p_action text, p_entity text, p_entity_id text, p_before jsonb, p_after jsonb) FROM PUBLIC;


--
-- Name: FUNCTION audit_append_only(); Type: ACL; Schema: guantong; Owner: guantong_owner
--

REVOKE ALL ON FUNCTION guantong.audit_append_only() FROM PUBLIC;


--
-- Name: FUNCTION audit_file(p_action text, p_file text, p_format text, p_cases bigint, p_filter jsonb); Type: ACL; Schema: guantong; Owner: guantong_owner
--

REVOKE ALL ON FUNCTION guantong.audit_file(p_action text, p_file text, p_format text, p_cases bigint, p_filter jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION guantong.audit_file(p_action text, p_file text, p_format text, p_cases bigint, p_filter jsonb) TO guantong_clerk;


--
-- Name: FUNCTION case_act(p_id bigint, p_expect bigint, p_action text, p_note text, p_snapshot text, p_ruleset text, p_summary text, p_explanation text); Type: ACL; Schema: guantong; Owner: guantong_owner
--

REVOKE ALL ON FUNCTION guantong.case_act(p_id bigint, p_expect bigint, p_action text, p_note text, p_snapshot text, p_ruleset text, p_summary text, p_explanation text) FROM PUBLIC;
GRANT ALL ON FUNCTION guantong.case_act(p_id bigint, p_expect bigint, p_action text, p_note text, p_snapshot text, p_ruleset text, p_summary text, p_explanation text) TO guantong_clerk;


--
-- Name: FUNCTION case_write(p_id bigint, p_expect bigint, p_status text, p_fields jsonb, p_eval jsonb, p_evidence jsonb, p_action text, OUT case_id bigint, OUT case_version bigint, OUT eval_id bigint); Type: ACL; Schema: guantong; Owner: guantong_owner
--

REVOKE ALL ON FUNCTION guantong.case_write(p_id bigint, p_expect bigint, p_status text, p_fields jsonb, p_eval jsonb, p_evidence jsonb, p_action text, OUT case_id bigint, OUT case_version bigint, OUT eval_id bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION guantong.case_write(p_id bigint, p_expect bigint, p_status text, p_fields jsonb, p_eval jsonb, p_evidence jsonb, p_action text, OUT case_id bigint, OUT case_version bigint, OUT eval_id bigint) TO guantong_clerk;


--
-- Name: FUNCTION check_case(p_fields text[], p_eval jsonb); Type: ACL; Schema: guantong; Owner: guantong_owner
--

REVOKE ALL ON FUNCTION guantong.check_case(p_fields text[], p_eval jsonb) FROM PUBLIC;


--
-- Name: FUNCTION col(p_fields text[], p_name text); Type: ACL; Schema: guantong; Owner: guantong_owner
--

REVOKE ALL ON FUNCTION guantong.col(p_fields text[], p_name text) FROM PUBLIC;


--
-- Name: FUNCTION draft_delete(p_id bigint); Type: ACL; Schema: guantong; Owner: guantong_owner
--

REVOKE ALL ON FUNCTION guantong.draft_delete(p_id bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION guantong.draft_delete(p_id bigint) TO guantong_clerk;


--
-- Name: FUNCTION draft_list(p_case bigint); Type: ACL; Schema: guantong; Owner: guantong_owner
--

REVOKE ALL ON FUNCTION guantong.draft_list(p_case bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION guantong.draft_list(p_case bigint) TO guantong_clerk;


--
-- Name: FUNCTION draft_load(p_id bigint); Type: ACL; Schema: guantong; Owner: guantong_owner
--

REVOKE ALL ON FUNCTION guantong.draft_load(p_id bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION guantong.draft_load(p_id bigint) TO guantong_clerk;


--
-- Name: FUNCTION draft_save(p_id bigint, p_name text, p_case bigint, p_base bigint, p_base_fields text, p_fields text); Type: ACL; Schema: guantong; Owner: guantong_owner
--

REVOKE ALL ON FUNCTION guantong.draft_save(p_id bigint, p_name text, p_case bigint, p_base bigint, p_base_fields text, p_fields text) FROM PUBLIC;
GRANT ALL ON FUNCTION guantong.draft_save(p_id bigint, p_name text, p_case bigint, p_base bigint, p_base_fields text, p_fields text) TO guantong_clerk;


--
-- Name: FUNCTION eval_add(p_case bigint, p_version bigint, p_eval jsonb); Type: ACL; Schema: guantong; Owner: guantong_owner
--

REVOKE ALL ON FUNCTION guantong.eval_add(p_case bigint, p_version bigint, p_eval jsonb) FROM PUBLIC;


--
-- Name: FUNCTION fields_json(p_a text[], p_b text[]); Type: ACL; Schema: guantong; Owner: guantong_owner
--

REVOKE ALL ON FUNCTION guantong.fields_json(p_a text[], p_b text[]) FROM PUBLIC;


--
-- Name: FUNCTION import_run(p_file text, p_size bigint, p_sha256 text, OUT inserted bigint, OUT updated bigint, OUT unchanged bigint, OUT refused bigint, OUT superseded bigint); Type: ACL; Schema: guantong; Owner: guantong_owner
--

REVOKE ALL ON FUNCTION guantong.import_run(p_file text, p_size bigint, p_sha256 text, OUT inserted bigint, OUT updated bigint, OUT unchanged bigint, OUT refused bigint, OUT superseded bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION guantong.import_run(p_file text, p_size bigint, p_sha256 text, OUT inserted bigint, OUT updated bigint, OUT unchanged bigint, OUT refused bigint, OUT superseded bigint) TO guantong_clerk;


--
-- Name: FUNCTION json_fields(p jsonb); Type: ACL; Schema: guantong; Owner: guantong_owner
--

REVOKE ALL ON FUNCTION guantong.json_fields(p jsonb) FROM PUBLIC;


--
-- Name: TABLE cases; Type: ACL; Schema: guantong; Owner: guantong_owner
--

GRANT SELECT ON TABLE guantong.cases TO guantong_clerk;


--
-- Name: FUNCTION lock_case(p_id bigint, p_expect bigint); Type: ACL; Schema: guantong; Owner: guantong_owner
--

REVOKE ALL ON FUNCTION guantong.lock_case(p_id bigint, p_expect bigint) FROM PUBLIC;


--
-- Name: FUNCTION my_role(); Type: ACL; Schema: guantong; Owner: guantong_owner
--

GRANT ALL ON FUNCTION guantong.my_role() TO guantong_clerk;


--
-- Name: FUNCTION now_text(); Type: ACL; Schema: guantong; Owner: guantong_owner
--

REVOKE ALL ON FUNCTION guantong.now_text() FROM PUBLIC;


--
-- Name: FUNCTION reevaluate_run(p_ruleset text, OUT cases_done bigint, OUT changed_outcome bigint); Type: ACL; Schema: guantong; Owner: guantong_owner
--

REVOKE ALL ON FUNCTION guantong.reevaluate_run(p_ruleset text, OUT cases_done bigint, OUT changed_outcome bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION guantong.reevaluate_run(p_ruleset text, OUT cases_done bigint, OUT changed_outcome bigint) TO guantong_clerk;


--
-- Name: FUNCTION require_role(p_min text); Type: ACL; Schema: guantong; Owner: guantong_owner
--

REVOKE ALL ON FUNCTION guantong.require_role(p_min text) FROM PUBLIC;


--
-- Name: FUNCTION role_rank(p_role text); Type: ACL; Schema: guantong; Owner: guantong_owner
--

REVOKE ALL ON FUNCTION guantong.role_rank(p_role text) FROM PUBLIC;


--
-- Name: FUNCTION transition(p_from text, p_action text, OUT to_status text, OUT min_role text); Type: ACL; Schema: guantong; Owner: guantong_owner
--

REVOKE ALL ON FUNCTION guantong.transition(p_from text, p_action text, OUT to_status text, OUT min_role text) FROM PUBLIC;


--
-- Name: FUNCTION user_set(p_login text, p_role text, p_display_name text); Type: ACL; Schema: guantong; Owner: guantong_owner
--

REVOKE ALL ON FUNCTION guantong.user_set(p_login text, p_role text, p_display_name text) FROM PUBLIC;
GRANT ALL ON FUNCTION guantong.user_set(p_login text, p_role text, p_display_name text) TO guantong_admin;


--
-- Name: TABLE audit; Type: ACL; Schema: guantong; Owner: guantong_owner
--

GRANT SELECT ON TABLE guantong.audit TO guantong_clerk;


--
-- Name: TABLE case_columns; Type: ACL; Schema: guantong; Owner: guantong_owner
--

GRANT SELECT ON TABLE guantong.case_columns TO guantong_clerk;


--
-- Name: TABLE decisions; Type: ACL; Schema: guantong; Owner: guantong_owner
--

GRANT SELECT ON TABLE guantong.decisions TO guantong_clerk;


--
-- Name: TABLE evaluations; Type: ACL; Schema: guantong; Owner: guantong_owner
--

GRANT SELECT ON TABLE guantong.evaluations TO guantong_clerk;


--
-- Name: TABLE evidence; Type: ACL; Schema: guantong; Owner: guantong_owner
--

GRANT SELECT ON TABLE guantong.evidence TO guantong_clerk;


--
-- Name: TABLE meta; Type: ACL; Schema: guantong; Owner: guantong_owner
--

GRANT SELECT ON TABLE guantong.meta TO guantong_clerk;


--
-- Name: TABLE users; Type: ACL; Schema: guantong; Owner: guantong_owner
--

GRANT SELECT ON TABLE guantong.users TO guantong_clerk;


--
-- PostgreSQL database dump complete
--

\unrestrict Y4ITBr20B8qbjRsDZYVO04AvSWbnApWYe3mmRn1F4WKm4HM4t6Xcxb0qkn88wd9

