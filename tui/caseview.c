/* The case view: the evaluator's full explanation of a stored case, the
 * awards that apply, the evidence checklist, decisions and the history. And
 * the export dialog. */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gt_file.h"
#include "gt_i18n.h"
#include "gt_rules.h"
#include "gt_text.h"
#include "cli.h"
#include "tui.h"

struct doc {
	char **line;
	int *kind;
	int n, cap;
};

static void doc_add(struct doc *d, int kind, const char *s)
{
	if (d->n == d->cap) {
		int cap = d->cap ? d->cap * 2 : 128;
		char **l = realloc(d->line, sizeof *l * (size_t)cap);
		if (!l)
			return;
		d->line = l;
		int *k = realloc(d->kind, sizeof *k * (size_t)cap);
		if (!k)
			return;
		d->kind = k;
		d->cap = cap;
	}
	d->line[d->n] = strdup(s);
	d->kind[d->n] = kind;
	if (d->line[d->n])
		d->n++;
}

static void doc_addf(struct doc *d, int kind, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void doc_addf(struct doc *d, int kind, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	doc_add(d, kind, buf);
}

/* Adds text wrapped to the screen width, line by line. */
static void doc_text(struct doc *d, int kind, const char *text, int width)
{
	const char *p = text;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char *one = strndup(p, n);
		if (!one)
			return;
		/* Keep the line's indentation on wrapped continuations. */
		int indent = 0;
		while (one[indent] == ' ')
			indent++;
		if (indent > width / 2)
			indent = width / 2;
		int starts[64], lens[64];
		int k = tui_wrap(one, width - indent - 2, starts, lens, 64);
		for (int i = 0; i < k; i++) {
			char buf[2048];
			snprintf(buf, sizeof buf, "%*s%.*s", i ? indent + 2 : 0, "", lens[i], one + starts[i]);
			doc_add(d, kind, buf);
		}
		free(one);
		p += n + (nl ? 1 : 0);
	}
}

static void doc_free(struct doc *d)
{
	for (int i = 0; i < d->n; i++)
		free(d->line[i]);
	free(d->line);
	free(d->kind);
	memset(d, 0, sizeof *d);
}

static const char *ev_name(int e)
{
	return gt_name_of(&gt_evidence_codes, e);
}

/* A document's state in words: missing, received (to verify), verified. */
enum ev_state { EV_MISSING, EV_RECEIVED, EV_VERIFIED };

static const char *ev_state_name(int state)
{
	return state == EV_VERIFIED ? _("verified") : state == EV_RECEIVED ? _("received, to verify") : _("MISSING");
}

static int ev_state_of(bool received, bool verified)
{
	return verified ? EV_VERIFIED : received ? EV_RECEIVED : EV_MISSING;
}

/* An audit action in words. */
static const char *audit_action_name(const char *code)
{
	static const struct {
		const char *code, *name;
	} names[] = {
		{ "case.create", N_("taken in") }, { "case.import", N_("imported") },
		{ "case.update", N_("changed") }, { "evidence.set", N_("evidence marked") },
		{ "case.reevaluate", N_("re-evaluated") },
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(code, names[i].code) == 0)
			return _(names[i].name);
	if (strncmp(code, "case.", 5) == 0)
		for (int a = 0; a < GT_ACT_COUNT; a++)
			if (strcmp(code + 5, gt_action_codes[a]) == 0)
				return gt_action_name(a);
	return code;
}

static int action_parse(const char *code)
{
	for (int a = 0; a < GT_ACT_COUNT; a++)
		if (strcmp(code, gt_action_codes[a]) == 0)
			return a;
	return -1;
}

/* s padded with spaces to w display columns. */
static void pad(char *out, size_t size, const char *s, int w)
{
	int n = w - tui_width(s);
	snprintf(out, size, "%s%*s", s, n > 0 ? n : 0, "");
}

/* The place of `"key":` at the top of or anywhere in an audit JSON object
 * (not inside a string: a quote that starts it is not escaped). */
static const char *json_key(const char *json, const char *key)
{
	char pat[64];
	snprintf(pat, sizeof pat, "\"%s\":", key);
	for (const char *p = json ? strstr(json, pat) : NULL; p; p = strstr(p + 1, pat))
		if (p == json || p[-1] != '\\')
			return p + strlen(pat);
	return NULL;
}

/* A document's state in an audit row's before or after, or -1 when the row
 * does not name it. */
static int audit_ev_state(const char *json, int e)
{
	const char *p = json_key(json, gt_code_of(&gt_evidence_codes, e));
	if (!p || *p != '{')
		return -1;
	const char *r = json_key(p, "received"), *v = json_key(p, "verified");
	if (!r || !v)
		return -1;
	return ev_state_of(strncmp(r, "true", 4) == 0, strncmp(v, "true", 4) == 0);
}

/* The note of a decision's or a void's audit row ("" when none): its JSON
 * string read back (the screen makes what is unsafe visible). */
static void audit_note(const char *json, char *out, size_t size)
{
	const char *p = json_key(json, "note");
	size_t n = 0;
	if (p && *p == '"')
		for (p++; *p && *p != '"' && n + 1 < size; p++) {
			if (*p == '\\' && p[1]) {
				p++;
				out[n++] = *p == 'n' || *p == 't' || *p == 'r' || *p == 'u' ? ' ' : *p;
				if (*p == 'u')
					p += strspn(p + 1, "0123456789abcdefABCDEF") > 3 ? 4 : 0;
				continue;
			}
			out[n++] = *p;
		}
	out[n] = '\0';
}

static int history_line(const struct gt_audit_row *a, void *arg)
{
	struct doc *d = arg;
	char actor[128], what[2048];
	pad(actor, sizeof actor, a->actor, 10);
	struct gt_sb sb = gt_sb_make(what, sizeof what);
	gt_sb_add(&sb, audit_action_name(a->action));
	if (strcmp(a->action, "evidence.set") == 0) {
		/* Which document went from which state to which. */
		const char *sep = _(": ");
		for (int e = 0; e < GT_EV_COUNT; e++) {
			int from = audit_ev_state(a->before, e), to = audit_ev_state(a->after, e);
			if (to < 0 || from == to)
				continue;
			gt_sb_addf(&sb, _("%s%s: %s → %s"), sep, ev_name(e), ev_state_name(from < 0 ? EV_MISSING : from),
				   ev_state_name(to));
			sep = _("; ");
		}
	} else if (strncmp(a->action, "case.", 5) == 0 && action_parse(a->action + 5) >= 0) {
		char note[1024];
		audit_note(a->after, note, sizeof note);
		if (note[0])
			gt_sb_addf(&sb, _(": %s"), note);
	}
	char line[2300];
	snprintf(line, sizeof line, "  %s  %s %s", cli_time(a->at), actor, what);
	doc_text(d, C_NORMAL, line, COLS - 2);
	return 0;
}

/* What the case view shows besides its fixed parts. */
struct view_opts {
	bool clauses; /* c: the clause text under every route */
	bool routes;  /* Tab: every other route in full */
};

static const struct gt_code_table *levels_of(const struct gt_case *c)
{
	return c->direction == GT_DIR_SKILL_TO_TITLE ? &gt_title_levels : &gt_skill_levels;
}

static void date_or_dash(gt_date d, char out[11])
{
	if (d == GT_DATE_NONE)
		snprintf(out, 11, "—");
	else
		gt_date_format(d, out);
}

/* The applicant's facts as label-value pairs, two to a line when both fit:
 * a block to check against the paper file. */
struct facts {
	struct doc *d;
	int w, half;
	char pending[1024]; /* a left pair waiting for its right neighbour */
};

static void facts_put(struct facts *f, const char *label, const char *value)
{
	char pair[1024], lab[128];
	int lw = tui_width(label) + 1;
	pad(lab, sizeof lab, label, lw > 12 ? lw : 12);
	snprintf(pair, sizeof pair, "%s%s", lab, value);
	int pw = tui_width(pair);
	if (f->pending[0]) {
		if (pw <= f->w - f->half - 2) {
			char line[2200], left[1100];
			pad(left, sizeof left, f->pending, f->half);
			snprintf(line, sizeof line, "  %s%s", left, pair);
			doc_add(f->d, C_NORMAL, line);
			f->pending[0] = '\0';
			return;
		}
		doc_addf(f->d, C_NORMAL, "  %s", f->pending);
		f->pending[0] = '\0';
	}
	if (pw <= f->half - 2)
		snprintf(f->pending, sizeof f->pending, "%s", pair);
	else {
		snprintf(pair, sizeof pair, "  %s%s", lab, value);
		doc_text(f->d, C_NORMAL, pair, f->w);
	}
}

static void facts_end(struct facts *f)
{
	if (f->pending[0])
		doc_addf(f->d, C_NORMAL, "  %s", f->pending);
	f->pending[0] = '\0';
}

static const char *yes_no(bool b)
{
	return b ? _("yes") : _("no");
}

static void build_facts(struct doc *d, const struct gt_case *c, int w)
{
	char v[1024], d1[11];
	struct facts f = { .d = d, .w = w, .half = w / 2 };
	doc_add(d, C_NORMAL, "");
	doc_add(d, C_HEADER, _("The applicant (check against the paper file)"));
	date_or_dash(c->birth_date, d1);
	facts_put(&f, _("Born"), d1);
	facts_put(&f, _("Region"), gt_name_of(&gt_regions, c->region));
	facts_put(&f, _("Direction"), gt_name_of(&gt_directions, c->direction));
	facts_put(&f, _("Series"), gt_name_of(&gt_series_codes, c->series));
	date_or_dash(c->skill_date, d1);
	snprintf(v, sizeof v, c->skill_date == GT_DATE_NONE ? "%s" : _("%s since %s"),
		 gt_name_of(&gt_skill_levels, c->skill), d1);
	facts_put(&f, _("Skill level"), v);
	date_or_dash(c->title_date, d1);
	snprintf(v, sizeof v, c->title_date == GT_DATE_NONE ? "%s" : _("%s since %s"),
		 gt_name_of(&gt_title_levels, c->title), d1);
	facts_put(&f, _("Title"), v);
	date_or_dash(c->work_start, d1);
	facts_put(&f, _("Work since"), d1);
	date_or_dash(c->region_work_start, d1);
	facts_put(&f, _("In region since"), d1);
	if (c->appraisals < 0)
		snprintf(v, sizeof v, "%s", _("not recorded"));
	else
		snprintf(v, sizeof v, _("%d of 3 passed"), c->appraisals);
	facts_put(&f, _("Appraisals"), v);
	facts_put(&f, _("Related"), yes_no(c->related));
	facts_put(&f, _("Frontline"), yes_no(c->frontline));
	facts_put(&f, _("Employed here"), yes_no(c->employed_in_region));
	facts_put(&f, _("Pilot firm"), yes_no(c->pilot_enterprise));
	facts_put(&f, _("Self-employed"), yes_no(c->self_employed));
	if (c->tech_school)
		facts_put(&f, _("School class"), gt_name_of(&gt_schools, c->tech_school));
	if (c->diploma_related)
		facts_put(&f, _("Diploma"), _("related diploma"));
	if (c->public_institution_worker)
		facts_put(&f, _("Institution"), _("public-institution worker"));
	if (c->integrity_flag)
		facts_put(&f, _("Integrity"), _("a falsification or plagiarism finding is recorded"));
	facts_put(&f, _("Applies for"), c->requested >= 0 ? gt_name_of(levels_of(c), c->requested) : _("not stated"));
	facts_end(&f);
	struct gt_sb sb = gt_sb_make(v, sizeof v);
	for (int h = 0; h < GT_HON_COUNT; h++)
		if (c->honours & (1u << h))
			gt_sb_addf(&sb, "%s%s", sb.len ? _(", ") : "", gt_name_of(&gt_honours, h));
	facts_put(&f, _("Honours"), sb.len ? v : _("none"));
	facts_end(&f);
	sb = gt_sb_make(v, sizeof v);
	for (int k = 0; k < c->ncomps; k++) {
		const struct gt_comp_entry *e = &c->comps[k];
		gt_sb_addf(&sb, "%s%s ", sb.len ? _(", ") : "", gt_name_of(&gt_comps, e->comp));
		if (e->result == GT_RES_RANK)
			gt_sb_addf(&sb, _("place %u"), e->rank);
		else
			gt_sb_add(&sb, gt_name_of(&gt_results, e->result));
	}
	facts_put(&f, _("Competitions"), sb.len ? v : _("none"));
	facts_end(&f);
}

/* A route's title: outcome mark and word, level and route. */
static void route_title(char *buf, size_t size, const struct gt_eval *ev, const struct gt_path *p)
{
	snprintf(buf, size, "%s %s  %s  %s", tui_outcome_mark(p->outcome), gt_name_of(&gt_outcomes, p->outcome),
		 p->target >= 0 ? gt_name_of(levels_of(ev->c), p->target) : _("set by committee"),
		 gt_name_of(&gt_routes, p->rule->route));
}

static bool cond_same(const struct gt_cond *a, const struct gt_cond *b)
{
	return a->state == b->state && a->what == b->what && a->code == b->code && a->need == b->need &&
	       a->have == b->have && a->since == b->since &&
	       ((!a->clause && !b->clause) || (a->clause && b->clause && strcmp(a->clause, b->clause) == 0));
}

/* A route in full: its clause, each condition required vs actual (each said
 * once; those the route taken already shows are not repeated), and with
 * `text` the clause in the document's words. */
static void build_route(struct doc *d, const struct gt_eval *ev, const struct gt_path *p,
			const struct gt_path *shown, bool text, int w)
{
	char buf[2048], cite[512];
	gt_cite(ev->dv, p->rule->clause, cite, sizeof cite);
	snprintf(buf, sizeof buf, _("    under %s"), cite);
	doc_text(d, C_DIM, buf, w);
	for (int k = 0; k < p->nconds; k++) {
		const struct gt_cond *cd = &p->conds[k];
		bool seen = gt_cond_repeats(p, k);
		for (int j = 0; shown && !seen && j < shown->nconds; j++)
			seen = cond_same(cd, &shown->conds[j]);
		if (seen)
			continue;
		char cond[1024];
		gt_cond_text(cd, cond, sizeof cond);
		int n = snprintf(buf, sizeof buf, "    %s %s", cd->state == GT_COND_MET ? "[x]" : cd->state == GT_COND_PENDING ? "[?]" : "[ ]",
				 cond);
		if (cd->clause && strcmp(cd->clause, p->rule->clause) != 0 && n > 0 && (size_t)n < sizeof buf) {
			gt_cite(ev->dv, cd->clause, cite, sizeof cite);
			snprintf(buf + n, sizeof buf - (size_t)n, "  (%s)", cite);
		}
		doc_text(d, cd->state == GT_COND_MET ? C_NORMAL : C_WARN, buf, w);
	}
	char gaps[1024];
	if (p->missing_ev) {
		struct gt_sb sb = gt_sb_make(gaps, sizeof gaps);
		for (int e = 0; e < GT_EV_COUNT; e++)
			if (p->missing_ev & (1u << e))
				gt_sb_addf(&sb, "%s%s", sb.len ? _(", ") : "", ev_name(e));
		snprintf(buf, sizeof buf, _("    missing evidence: %s"), gaps);
		doc_text(d, C_WARN, buf, w);
	}
	if (p->rule->note && p->outcome == GT_OUT_MANUAL_REVIEW) {
		snprintf(buf, sizeof buf, _("    for the committee: %s"), _(p->rule->note));
		doc_text(d, C_NORMAL, buf, w);
	}
	if (text && p->rule->text && p->rule->text[0]) {
		snprintf(buf, sizeof buf, _("    The clause: %s"), p->rule->text);
		doc_text(d, C_DIM, buf, w);
	}
}

/* The last void of a case: who, when, and the note. */
struct voided {
	char at[32], actor[65], note[1024];
};

static int last_void(const struct gt_audit_row *a, void *arg)
{
	struct voided *v = arg;
	if (strcmp(a->action, "case.void") == 0) {
		snprintf(v->at, sizeof v->at, "%s", a->at);
		snprintf(v->actor, sizeof v->actor, "%s", a->actor);
		audit_note(a->after, v->note, sizeof v->note);
	}
	return 0;
}

/* The header: status, decision and the application date, then the answer. */
static void build_header(struct doc *d, const struct gt_case_row *row, const struct gt_answer *ans, int w)
{
	char buf[4096], date[11];
	const struct gt_case *c = &row->c;
	const struct gt_eval *ev = &ans->ev;
	doc_addf(d, C_TITLE, _("Case %lld · %s · %s · %s · version %lld"), (long long)row->id, c->name,
		 c->id_number, gt_status_name(row->status), (long long)row->version);
	/* The answer: a decided case's as the reviewer saw it. */
	int outcome = ev->outcome, target = ev->target, route = ev->route;
	if (ans->source == GT_ANS_DECISION) {
		const char *o = ans->col[GT_SUM_OUTCOME], *t = ans->col[GT_SUM_TARGET], *r = ans->col[GT_SUM_ROUTE];
		int k = gt_code_lookup(&gt_outcomes, o, strlen(o));
		if (k >= 0)
			outcome = k;
		target = t[0] ? gt_code_lookup(levels_of(c), t, strlen(t)) : -1;
		k = gt_code_lookup(&gt_routes, r, strlen(r));
		route = k >= 0 ? k : 0;
	}
	snprintf(buf, sizeof buf, "%s %s", tui_outcome_mark(outcome), gt_name_of(&gt_outcomes, outcome));
	if (target >= 0) {
		size_t n = strlen(buf);
		snprintf(buf + n, sizeof buf - n, "  %s", gt_name_of(levels_of(c), target));
	}
	if (route) {
		size_t n = strlen(buf);
		snprintf(buf + n, sizeof buf - n, "  %s", gt_name_of(&gt_routes, route));
	}
	doc_add(d, tui_outcome_color(outcome), buf);
	gt_date_format(c->application_date, date);
	doc_addf(d, C_NORMAL, _("Application date %s: the years are counted to this day."), date);
	struct gt_decision dec;
	struct voided v = { .at = "" };
	if (row->status == GT_ST_VOID && gt_store_history(T.st, row->id, last_void, &v) == GT_OK && v.at[0]) {
		snprintf(buf, sizeof buf, _("Voided by %s at %s: %s (the case is kept; o reopens it)"), v.actor,
			 cli_time(v.at), v.note);
		doc_text(d, C_BAD, buf, w);
	} else if (row->decision_id && gt_store_get_decision(T.st, row->decision_id, &dec) == GT_OK) {
		int act = action_parse(dec.action);
		snprintf(buf, sizeof buf, _("Decision: %s by %s at %s: %s"), act >= 0 ? gt_action_name(act) : dec.action,
			 dec.decided_by, cli_time(dec.decided_at), dec.note);
		doc_text(d, C_HEADER, buf, w);
	} else {
		doc_add(d, C_DIM, _("Decision: none yet"));
	}
	/* The same answer in the reader's words unless the rules now differ. */
	doc_text(d, C_NORMAL, ans->differs ? ans->col[GT_SUM_MESSAGE] : ans->today.col[GT_SUM_MESSAGE], w);
	if (ans->source == GT_ANS_DECISION && ans->differs) {
		snprintf(buf, sizeof buf, _("Decided under rule set %s. This program's rules (%s) would answer "
					    "differently: %s"),
			 ans->ruleset, gt_store_eval_ruleset(ev), ans->today.col[GT_SUM_MESSAGE]);
		doc_text(d, C_WARN, buf, w);
	}
	doc_addf(d, C_DIM, _("  taken in %s by %s; last changed %s by %s%s%s"), cli_time(row->created_at),
		 row->created_by, cli_time(row->updated_at), row->updated_by, row->assignee[0] ? _("; assigned to ") : "",
		 row->assignee);
}

/* Builds the document of a case; *chosen_at is set to the line where the
 * routes start (where c and p take the view). */
static void build(struct doc *d, const struct gt_case_row *row, const struct gt_answer *ans,
		  const struct view_opts *o, int *routes_at)
{
	int w = COLS - 2;
	char buf[4096];
	const struct gt_case *c = &row->c;
	const struct gt_eval *ev = &ans->ev;
	bool vetoed = ev->outcome == GT_OUT_VETOED;

	build_header(d, row, ans, w);
	build_facts(d, c, w);

	/* The chosen route in full, with its clause's text beside it. */
	doc_add(d, C_NORMAL, "");
	*routes_at = d->n;
	if (ev->chosen >= 0) {
		const struct gt_path *p = &ev->paths[ev->chosen];
		char t[512];
		route_title(t, sizeof t, ev, p);
		snprintf(buf, sizeof buf, _("The route taken: %s"), t);
		doc_add(d, vetoed ? C_BAD : tui_outcome_color(p->outcome), buf);
		build_route(d, ev, p, NULL, true, w);
	} else {
		doc_add(d, C_HEADER, vetoed ? _("The route taken: none, the case is vetoed")
					    : _("The route taken: none"));
	}

	/* Every other route: one line, or in full (Tab), with its clause (c). */
	int others = ev->npaths - (ev->chosen >= 0);
	if (others > 0) {
		doc_add(d, C_NORMAL, "");
		doc_add(d, C_HEADER, o->routes || o->clauses ? _("Other routes (Tab: one line each)")
							     : _("Other routes (Tab: in full, c: with their clauses)"));
	}
	for (int i = 0; i < ev->npaths; i++) {
		if (i == ev->chosen)
			continue;
		const struct gt_path *p = &ev->paths[i];
		char t[512], gaps[1024];
		route_title(t, sizeof t, ev, p);
		/* A vetoed case: nothing reads as met in green. */
		int colour = vetoed && (p->outcome == GT_OUT_ELIGIBLE || p->outcome == GT_OUT_NEEDS_EVIDENCE)
				     ? C_NORMAL : tui_outcome_color(p->outcome);
		if (gt_path_gaps(p, gaps, sizeof gaps))
			snprintf(buf, sizeof buf, _("  %s: %s"), t, gaps);
		else
			snprintf(buf, sizeof buf, "  %s", t);
		doc_text(d, colour, buf, w);
		if (o->routes || o->clauses)
			build_route(d, ev, p, ev->chosen >= 0 ? &ev->paths[ev->chosen] : NULL, o->clauses, w);
	}

	/* Awards: those that decide, and those that would at another level. */
	doc_add(d, C_NORMAL, "");
	doc_add(d, C_HEADER, _("Green-channel awards"));
	bool any = false;
	for (int i = 0; i < ev->npaths; i++) {
		const struct gt_path *p = &ev->paths[i];
		if (!p->basis_honours && !p->basis_comps)
			continue;
		char basis[512];
		struct gt_sb sb = gt_sb_make(basis, sizeof basis);
		for (int h = 0; h < GT_HON_COUNT; h++)
			if (p->basis_honours & (1u << h))
				gt_sb_addf(&sb, "%s%s", sb.len ? ", " : "",
					   gt_name_of(&gt_honours, h));
		for (int k = 0; k < c->ncomps; k++)
			if (p->basis_comps & (1u << k))
				gt_sb_addf(&sb, "%s%s", sb.len ? ", " : "",
					   gt_name_of(&gt_comps, c->comps[k].comp));
		char cite[512];
		gt_cite(ev->dv, p->rule->clause, cite, sizeof cite);
		/* A vetoed case: no award applies, however it reads (never green). */
		bool applies = !vetoed && (p->outcome == GT_OUT_ELIGIBLE || p->outcome == GT_OUT_NEEDS_EVIDENCE);
		snprintf(buf, sizeof buf,
			 applies ? _("  applies: %s → %s (%s)")
			 : vetoed ? _("  not applied, the case is vetoed: %s → %s (%s)")
				  : _("  would apply for %s → %s once its other conditions are met (%s)"),
			 basis, p->target >= 0 ? gt_name_of(levels_of(c), p->target) : _("set by committee"), cite);
		doc_text(d, applies ? C_OK : C_NORMAL, buf, w);
		any = true;
	}
	if (!any)
		doc_add(d, C_DIM, _("  none of the applicant's honours or results is named by a rule"));

	/* Evidence checklist. */
	doc_add(d, C_NORMAL, "");
	doc_add(d, C_HEADER, _("Evidence (v to mark received / verified)"));
	uint16_t required = ev->chosen >= 0 ? ev->paths[ev->chosen].required_ev : 0;
	for (int e = 0; e < GT_EV_COUNT; e++) {
		const struct gt_evidence_item *it = &row->evidence[e];
		bool req = required & (1u << e);
		if (!req && !it->received)
			continue;
		char state[64];
		pad(state, sizeof state, it->verified ? _("verified") : it->received ? _("received, to verify") : _("MISSING"), 12);
		snprintf(buf, sizeof buf, "  [%s] %s %s%s%s%s", it->verified ? "x" : it->received ? "~" : " ",
			 state, ev_name(e), req ? _(" (required)") : "", it->verified_by[0] ? " — " : "",
			 it->verified_by);
		doc_add(d, it->verified ? C_NORMAL : req ? C_WARN : C_NORMAL, buf);
	}

	doc_add(d, C_NORMAL, "");
	doc_add(d, C_HEADER, _("History"));
	gt_store_history(T.st, row->id, history_line, d);
}

/* The evidence checklist: Space steps a document through missing, received
 * and verified, v toggles verified, u undoes the last mark. Nothing is
 * written until Enter, which saves every mark as one new version (one
 * audit row); leaving with marks not saved asks first. Returns false on a
 * conflict. */
static bool evidence_dialog(struct gt_case_row *row, const struct gt_eval *ev)
{
	int sel = 0, nundo = 0;
	int state[GT_EV_COUNT], was[GT_EV_COUNT];
	struct { int e, state; } undo[256];
	uint16_t required = ev->chosen >= 0 ? ev->paths[ev->chosen].required_ev : 0;
	for (int e = 0; e < GT_EV_COUNT; e++)
		state[e] = was[e] = ev_state_of(row->evidence[e].received, row->evidence[e].verified);
	for (;;) {
		int changed = 0;
		for (int e = 0; e < GT_EV_COUNT; e++)
			changed += state[e] != was[e];
		int h = GT_EV_COUNT + 4, w = COLS - 8;
		int y0 = (LINES - h) / 2 > 1 ? (LINES - h) / 2 : 1, x0 = 4;
		tui_clear_rect(y0, x0, h, w);
		tui_box(y0, x0, h, w);
		tui_attr_on(C_HEADER);
		char t[256];
		if (changed)
			snprintf(t, sizeof t, ngettext("Evidence: %d mark not saved (Enter saves, u undoes)",
						       "Evidence: %d marks not saved (Enter saves, u undoes)", changed),
				 changed);
		else
			snprintf(t, sizeof t, "%s", _("Evidence: Space marks, Enter saves, Esc back"));
		tui_cell(y0, x0 + 2, t, tui_width(t) < w - 4 ? tui_width(t) : w - 4, false);
		tui_attr_off(0);
		for (int e = 0; e < GT_EV_COUNT; e++) {
			char line[1024], now[128];
			if (state[e] != was[e])
				snprintf(now, sizeof now, "%s → %s", ev_state_name(was[e]), ev_state_name(state[e]));
			else
				snprintf(now, sizeof now, "%s", ev_state_name(state[e]));
			/* The place of the cursor as a mark too: a monochrome
			 * screen, and a test, find the row by it. */
			char doc[512];
			snprintf(doc, sizeof doc, _("%s%s: %s"), ev_name(e), required & (1u << e) ? _(" (required)") : "",
				 now);
			snprintf(line, sizeof line, "%s%s[%s] [%s] %s", e == sel ? ">" : " ", state[e] != was[e] ? "*" : " ",
				 state[e] >= EV_RECEIVED ? "R" : " ", state[e] == EV_VERIFIED ? "V" : " ", doc);
			int c = e == sel ? C_SELECT
				: state[e] != was[e] ? C_OK
				: (required & (1u << e)) && state[e] != EV_VERIFIED ? C_WARN : C_NORMAL;
			tui_attr_on(c);
			tui_cell(y0 + 2 + e, x0 + 1, line, w - 2, false);
			tui_attr_off(c);
		}
		tui_draw_footer(SCR_EVIDENCE);
		refresh();
		int k = tui_getkey(-1);
		if (k == KEY_RESIZE) {
			tui_check_size();
			continue;
		}
		T.status[0] = '\0';
		enum action a = tui_action_for(k, SCR_EVIDENCE);
		bool save = a == ACT_SAVE;
		if (a == ACT_BACK) {
			if (!changed)
				return true;
			char q[256];
			snprintf(q, sizeof q, ngettext("%d mark is not saved. Save it?", "%d marks are not saved. Save them?",
						       changed), changed);
			if (!tui_confirm(q)) {
				tui_set_status(false, "%s", _("The marks were not saved; the case is as it was."));
				return true;
			}
			save = true;
		}
		if (save) {
			uint16_t rec = 0, ver = 0;
			for (int e = 0; e < GT_EV_COUNT; e++) {
				rec |= (uint16_t)(state[e] >= EV_RECEIVED ? 1u << e : 0);
				ver |= (uint16_t)(state[e] == EV_VERIFIED ? 1u << e : 0);
			}
			bool written = false;
			int rc = gt_store_mark_evidence(T.st, row->id, row->version, rec, ver, &written);
			if (rc != GT_OK) {
				tui_message(_("Not saved"), gt_store_errmsg(T.st));
				if (rc == GT_ERR_CONFLICT)
					return false;
				continue;
			}
			if (written)
				tui_set_status(false, ngettext("%d mark saved: case %lld has a new version.",
							       "%d marks saved: case %lld has a new version.", changed),
					       changed, (long long)row->id);
			else
				tui_set_status(false, "%s", _("Nothing was changed, so nothing was saved."));
			return true;
		}
		switch (a) {
		case ACT_UP: sel = sel > 0 ? sel - 1 : sel; break;
		case ACT_DOWN: sel = sel < GT_EV_COUNT - 1 ? sel + 1 : sel; break;
		case ACT_HOME: sel = 0; break;
		case ACT_END: sel = GT_EV_COUNT - 1; break;
		case ACT_TOGGLE: case ACT_VERIFY:
			if (nundo == (int)(sizeof undo / sizeof undo[0])) {
				memmove(undo, undo + 1, sizeof undo - sizeof undo[0]);
				nundo--;
			}
			undo[nundo].e = sel;
			undo[nundo++].state = state[sel];
			if (a == ACT_TOGGLE)
				state[sel] = (state[sel] + 1) % 3;
			else
				state[sel] = state[sel] == EV_VERIFIED ? EV_RECEIVED : EV_VERIFIED;
			break;
		case ACT_UNDO:
			if (nundo) {
				nundo--;
				sel = undo[nundo].e;
				state[sel] = undo[nundo].state;
			} else {
				tui_set_status(true, "%s", _("Nothing to undo."));
			}
			break;
		case ACT_HELP: tui_help(SCR_EVIDENCE); break;
		case ACT_REDRAW: clearok(curscr, TRUE); break;
		default: tui_key_unknown(k); break;
		}
	}
}

/* A note typed for a decision that was not recorded (a conflict): kept, so
 * that the next decision's prompt starts with it instead of an empty line. */
static struct {
	int64_t case_id;
	char note[1024];
} kept;

/* Approving against the evaluation: shows what the evaluation says and why
 * a note is asked for; false when the user may not approve at all (a vetoed
 * case and no administrator: said on the status line). */
static bool approve_warn(const struct gt_case_row *row, const struct gt_eval *ev, char *label, size_t size)
{
	int need = gt_approve_need(ev->outcome);
	const char *said = gt_name_of(&gt_outcomes, ev->outcome);
	if (need == GT_APPROVE_FREE)
		return true;
	if (need == GT_APPROVE_ADMIN && gt_store_role(T.st) != GT_USER_ADMIN) {
		tui_set_status(true, _("Case %lld is vetoed (%s): only an administrator may approve it; you are a %s."),
			       (long long)row->id, said, _(gt_role_codes[gt_store_role(T.st)]));
		return false;
	}
	char msg[1024];
	snprintf(msg, sizeof msg, "%s%s%s",
		 need == GT_APPROVE_ADMIN
			 ? _("The evaluation vetoes this case. Only an administrator may approve a vetoed case; "
			     "you are one. ")
			 : "",
		 _("The evaluation says: "), said);
	char text[1400];
	snprintf(text, sizeof text, _("%s.\nApproving against the evaluation needs a note that says why the "
				      "committee decides otherwise; the note is kept with the decision."),
		 msg);
	tui_message(_("Approving against the evaluation"), text);
	snprintf(label, size, _("approve case %lld against the evaluation (%s) — note:"), (long long)row->id, said);
	return true;
}

/* Records a decision; returns whether the case should be read again. */
static bool decide(struct gt_case_row *row, const struct gt_eval *ev, int action)
{
	char note[1024] = "";
	char label[512];
	snprintf(label, sizeof label, _("%s case %lld — note:"), gt_action_name(action), (long long)row->id);
	if (action == GT_ACT_APPROVE && !approve_warn(row, ev, label, sizeof label))
		return false;
	if (kept.case_id == row->id)
		snprintf(note, sizeof note, "%s", kept.note);
	if (!tui_prompt(label, note, sizeof note))
		return false;
	int rc = gt_store_act(T.st, row->id, row->version, action, note);
	if (rc == GT_OK) {
		kept.case_id = 0;
		kept.note[0] = '\0';
		tui_set_status(false, _("Case %lld is now %s."), (long long)row->id,
			       gt_status_name(gt_transition(row->status, action, NULL)));
		return true;
	}
	if (rc == GT_ERR_CONFLICT) {
		/* The note is the user's work: kept for the next decision. */
		kept.case_id = row->id;
		snprintf(kept.note, sizeof kept.note, "%s", note);
		char msg[1200];
		snprintf(msg, sizeof msg, "%s", gt_store_errmsg(T.st));
		erase();
		tui_message(_("Someone else changed this case"), msg);
		if (tui_confirm(_("Reload the case to see the change?"))) {
			if (note[0])
				tui_set_status(false, "%s", _("Your note is kept: the next decision's prompt starts with it."));
			return true;
		}
		tui_set_status(true, "%s", _("Nothing was saved; the case on screen is out of date."));
		return false;
	}
	if (note[0]) {
		kept.case_id = row->id;
		snprintf(kept.note, sizeof kept.note, "%s", note);
	}
	tui_set_status(true, "%s", gt_store_errmsg(T.st));
	return false;
}

/* The case view as a screen of the one loop (screen.c). */
struct caseview {
	int64_t id;
	struct gt_case_row *row;
	struct gt_answer *ans;
	struct doc d;
	struct view_opts o;
	bool to_routes; /* after c or Tab: the view goes to the routes */
	int top, routes_at;
};

/* Reads the case and its evaluation, and lays out the view; false (said in
 * a message) when the case cannot be read: the view closes. */
static bool cv_load(struct caseview *v)
{
	if (gt_store_get(T.st, v->id, v->row) != GT_OK) {
		tui_message(_("Cannot open the case"), gt_store_errmsg(T.st));
		return false;
	}
	/* Evaluated by other rules and not decided: the undecided cases follow
	 * this program's rules, in one audited step. */
	bool stale = false;
	struct gt_reevaluate_result rr;
	if (gt_store_eval_stale(T.st, v->id, &stale) == GT_OK && stale && gt_store_reevaluate_all(T.st, &rr) == GT_OK)
		gt_store_get(T.st, v->id, v->row);
	/* One read path: the evaluation as the store answers it (a decided
	 * case's as the reviewer saw it). */
	if (gt_store_answer(T.st, v->row, v->ans) != GT_OK) {
		tui_message(_("Cannot open the case"), gt_store_errmsg(T.st));
		return false;
	}
	T.case_status = v->row->status;
	T.case_id = v->id;
	doc_free(&v->d);
	build(&v->d, v->row, v->ans, &v->o, &v->routes_at);
	if (v->to_routes)
		v->top = v->routes_at;
	v->to_routes = false;
	T.data_version = gt_store_data_version(T.st);
	return true;
}

static int cv_reload(void *self)
{
	return cv_load(self) ? SK_DONE : SK_CLOSE;
}

static void cv_draw(void *self)
{
	struct caseview *v = self;
	int h = LINES - 4;
	if (v->top > v->d.n - h)
		v->top = v->d.n - h;
	if (v->top < 0)
		v->top = 0;
	erase();
	char title[256];
	snprintf(title, sizeof title, _(" guantong — case %lld"), (long long)v->id);
	tui_draw_title(title);
	for (int i = 0; i < h && v->top + i < v->d.n; i++) {
		tui_attr_on(v->d.kind[v->top + i]);
		tui_cell(1 + i, 1, v->d.line[v->top + i], COLS - 2, false);
		tui_attr_off(v->d.kind[v->top + i]);
	}
	tui_draw_footer(SCR_CASE);
	refresh();
}

/* A case action (approve...): its preconditions were checked by the
 * dispatcher; the decision asks for its note. */
static int cv_act(struct caseview *v, int act)
{
	return decide(v->row, &v->ans->ev, act) ? cv_reload(v) : SK_DONE;
}

static int cv_key(void *self, enum action a, int key)
{
	(void)key;
	struct caseview *v = self;
	int h = LINES - 4;
	switch (a) {
	case ACT_DOWN: v->top++; return SK_DONE;
	case ACT_UP: v->top--; return SK_DONE;
	case ACT_PGDN: v->top += h - 1; return SK_DONE;
	case ACT_PGUP: v->top -= h - 1; return SK_DONE;
	case ACT_HOME: v->top = 0; return SK_DONE;
	case ACT_END: v->top = v->d.n; return SK_DONE;
	case ACT_CLAUSES:
		/* Shown where the user looks: the view goes to the routes. */
		v->o.clauses = !v->o.clauses;
		v->to_routes = true;
		tui_set_status(false, "%s", v->o.clauses ? _("Each route is shown with its clause's text.")
							 : _("The clause texts are hidden; the route taken keeps its own."));
		return cv_reload(v);
	case ACT_ROUTES:
		v->o.routes = !v->o.routes;
		v->to_routes = true;
		return cv_reload(v);
	case ACT_EVIDENCE:
		evidence_dialog(v->row, &v->ans->ev);
		return cv_reload(v);
	case ACT_EDIT:
		tui_intake(v->id);
		return cv_reload(v);
	case ACT_PRINT: tui_print_case(v->id); return SK_DONE;
	default: {
		int act = tui_action_case_act(a);
		return act >= 0 ? cv_act(v, act) : SK_IGNORED;
	}
	}
}

static const struct tui_screen case_screen = {
	.scr = SCR_CASE, .draw = cv_draw, .key = cv_key, .resize = cv_reload, .follow = cv_reload,
};

bool tui_case_view(int64_t id)
{
	struct caseview v = { .id = id };
	v.row = malloc(sizeof *v.row);
	v.ans = malloc(sizeof *v.ans);
	int r = SK_CLOSE;
	if (v.row && v.ans && cv_load(&v))
		r = tui_screen_run(&case_screen, &v);
	T.case_status = -1;
	T.case_id = 0;
	doc_free(&v.d);
	free(v.row);
	free(v.ans);
	return r == SK_QUIT;
}

/* ---- export */

static void progress(long done, long total, void *arg)
{
	(void)arg;
	int w = COLS - 20;
	int fill = total > 0 ? (int)((double)done / (double)total * w) : 0;
	move(LINES - 2, 0);
	clrtoeol();
	char pct[32];
	snprintf(pct, sizeof pct, " %3d%% ", total > 0 ? (int)(done * 100 / total) : 0);
	addstr(pct);
	addch('[');
	for (int i = 0; i < w; i++)
		addch(i < fill ? (T.ascii ? '#' : ACS_CKBOARD) : ' ');
	addch(']');
	refresh();
}

void tui_export(const struct gt_queue_filter *f)
{
	struct gt_export_filter xf = { .status_mask = f->status_mask, .region_mask = f->region_mask,
				       .outcome_mask = f->outcome_mask, .direction_mask = f->direction_mask };
	if (f->mine)
		snprintf(xf.assignee, sizeof xf.assignee, "%s", gt_store_actor(T.st));
	tui_export_filter(&xf);
}

void tui_export_filter(const struct gt_export_filter *xf)
{
	char path[1024];
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(path, sizeof path, "guantong-export-%Y%m%d.csv", &tm);
	if (!tui_prompt(_("Export to (.csv or .xlsx):"), path, sizeof path) || !path[0])
		return;
	struct gt_export_opts o = { .format = GT_EXPORT_CSV, .progress = progress };
	if (gt_export_format_of(path, -1, &o.format) != 0) {
		tui_set_status(true, _("%s: the file name must end in .csv or .xlsx; nothing was written."), path);
		return;
	}
	o.filter = *xf;
	long rows = 0;
	int rc = gt_store_export(T.st, path, &o, &rows);
	if (rc == GT_ERR_EXISTS) {
		/* The day's earlier file, say: replaced only when the clerk
		 * says so, and the question names it. */
		char q[1200], shown[1024];
		if (gt_file_expand(path, shown, sizeof shown) != 0)
			snprintf(shown, sizeof shown, "%s", path);
		snprintf(q, sizeof q, _("%s exists. Replace it?"), shown);
		if (!tui_confirm(q)) {
			tui_set_status(false, _("Not exported: %s was left as it was."), shown);
			return;
		}
		o.replace = true;
		rc = gt_store_export(T.st, path, &o, &rows);
	}
	if (rc == GT_OK)
		tui_set_status(false, gt_ngettext("Exported %ld case to %s.", "Exported %ld cases to %s.", (unsigned long)rows),
			       rows, path);
	else
		tui_set_status(true, "%s", gt_store_errmsg(T.st));
}
