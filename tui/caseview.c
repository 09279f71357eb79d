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

static int history_line(const struct gt_audit_row *a, void *arg)
{
	struct doc *d = arg;
	char actor[128];
	pad(actor, sizeof actor, a->actor, 10);
	doc_addf(d, C_NORMAL, "  %s  %s %s", cli_time(a->at), actor, audit_action_name(a->action));
	return 0;
}

/* Builds the document of a case. */
static void build(struct doc *d, const struct gt_case_row *row, const struct gt_eval *ev, bool clauses)
{
	int w = COLS - 2;
	char buf[4096];
	const struct gt_case *c = &row->c;
	doc_addf(d, C_TITLE, _("Case %lld · %s · %s · %s · version %lld"), (long long)row->id, c->name,
		 c->id_number, gt_status_name(row->status), (long long)row->version);
	doc_addf(d, C_DIM, _("  taken in %s by %s; last changed %s by %s%s%s"), cli_time(row->created_at),
		 row->created_by, cli_time(row->updated_at), row->updated_by, row->assignee[0] ? _("; assigned to ") : "",
		 row->assignee);

	/* Summary and message. */
	struct gt_summary *sum = malloc(sizeof *sum);
	if (sum) {
		gt_summary_make(ev, sum);
		const struct gt_code_table *levels =
			c->direction == GT_DIR_SKILL_TO_TITLE ? &gt_title_levels : &gt_skill_levels;
		doc_addf(d, tui_outcome_color(ev->outcome), _("%s %s  %s  %s"), tui_outcome_mark(ev->outcome),
			 gt_name_of(&gt_outcomes, ev->outcome), gt_name_of(levels, ev->target),
			 gt_name_of(&gt_routes, ev->route));
		doc_text(d, C_NORMAL, sum->col[GT_SUM_MESSAGE], w);
		free(sum);
	}
	/* Decided: what the reviewer saw is kept; say when today's rules differ. */
	struct gt_answer *ans = malloc(sizeof *ans);
	if (ans && gt_store_answer(T.st, row, ans) == GT_OK && ans->source == GT_ANS_DECISION && ans->differs) {
		snprintf(buf, sizeof buf, _("Decided under rule set %s, which answered: %s. This program's rules (%s) "
					    "would answer differently (above)."),
			 ans->ruleset, ans->col[GT_SUM_MESSAGE], gt_store_eval_ruleset(&ans->ev));
		doc_text(d, C_WARN, buf, w);
	}
	free(ans);

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
		bool applies = ev->outcome != GT_OUT_VETOED &&
			       (p->outcome == GT_OUT_ELIGIBLE || p->outcome == GT_OUT_NEEDS_EVIDENCE);
		snprintf(buf, sizeof buf,
			 applies ? _("  applies: %s → %s (%s)")
			 : ev->outcome == GT_OUT_VETOED ? _("  not applied, the case is vetoed: %s → %s (%s)")
							 : _("  would apply for %s → %s once its other conditions are met (%s)"),
			 basis, p->target >= 0 ? gt_name_of(c->direction == GT_DIR_SKILL_TO_TITLE ? &gt_title_levels
											 : &gt_skill_levels, p->target)
					       : _("set by committee"),
			 cite);
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
		pad(state, sizeof state, it->verified ? _("verified") : it->received ? _("received") : _("MISSING"), 12);
		snprintf(buf, sizeof buf, "  [%s] %s %s%s%s%s", it->verified ? "x" : it->received ? "~" : " ",
			 state, ev_name(e), req ? _(" (required)") : "", it->verified_by[0] ? " — " : "",
			 it->verified_by);
		doc_add(d, it->verified ? C_NORMAL : req ? C_WARN : C_NORMAL, buf);
	}

	/* The full explanation. */
	doc_add(d, C_NORMAL, "");
	doc_add(d, C_HEADER, _("Every pathway: each condition required vs actual, and its clause"));
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	if (m) {
		gt_explain(ev, m);
		fclose(m);
		doc_text(d, C_NORMAL, text, w);
		free(text);
	}
	if (clauses) {
		doc_add(d, C_NORMAL, "");
		doc_add(d, C_HEADER, _("The clauses, in the document's words"));
		for (int i = 0; i < ev->npaths; i++) {
			const struct gt_rule *r = ev->paths[i].rule;
			char cite[512];
			gt_cite(ev->dv, r->clause, cite, sizeof cite);
			doc_addf(d, C_TITLE, "  %s  [%s]", cite, r->id);
			doc_text(d, C_NORMAL, r->text, w - 4);
		}
	}

	/* Decision and history. */
	if (row->decision_id) {
		struct gt_decision dec;
		if (gt_store_get_decision(T.st, row->decision_id, &dec) == GT_OK) {
			doc_add(d, C_NORMAL, "");
			doc_add(d, C_HEADER, _("Decision"));
			int act = action_parse(dec.action);
			snprintf(buf, sizeof buf, _("  %s by %s at %s: %s"), act >= 0 ? gt_action_name(act) : dec.action,
				 dec.decided_by, cli_time(dec.decided_at), dec.note);
			doc_text(d, C_NORMAL, buf, w);
		}
	}
	doc_add(d, C_NORMAL, "");
	doc_add(d, C_HEADER, _("History"));
	gt_store_history(T.st, row->id, history_line, d);
}

/* The evidence checklist: Space received, v verified; each change is saved
 * (a new version, audited) at once. Returns false on a conflict. */
static bool evidence_dialog(struct gt_case_row *row, const struct gt_eval *ev)
{
	int sel = 0;
	uint16_t required = ev->chosen >= 0 ? ev->paths[ev->chosen].required_ev : 0;
	for (;;) {
		int h = GT_EV_COUNT + 4, w = COLS - 8;
		int y0 = (LINES - h) / 2 > 1 ? (LINES - h) / 2 : 1, x0 = 4;
		tui_clear_rect(y0, x0, h, w);
		tui_box(y0, x0, h, w);
		tui_attr_on(C_HEADER);
		const char *t = _("Evidence: Space received, v verified, Esc done");
		tui_cell(y0, x0 + 2, t, tui_width(t) < w - 4 ? tui_width(t) : w - 4, false);
		tui_attr_off(0);
		for (int e = 0; e < GT_EV_COUNT; e++) {
			const struct gt_evidence_item *it = &row->evidence[e];
			char line[512];
			snprintf(line, sizeof line, "[%s] [%s] %s%s", it->received ? "R" : " ", it->verified ? "V" : " ",
				 ev_name(e), required & (1u << e) ? _(" (required)") : "");
			int c = e == sel ? C_SELECT : (required & (1u << e)) && !it->verified ? C_WARN : C_NORMAL;
			tui_attr_on(c);
			tui_cell(y0 + 2 + e, x0 + 2, line, w - 4, false);
			tui_attr_off(c);
		}
		tui_draw_footer(SCR_PICK);
		refresh();
		int k = tui_getkey(-1);
		enum action a = tui_action_for(k, SCR_PICK);
		if (a == ACT_BACK || a == ACT_PICK)
			return true;
		if (a == ACT_UP && sel > 0)
			sel--;
		else if (a == ACT_DOWN && sel < GT_EV_COUNT - 1)
			sel++;
		else if (a == ACT_TOGGLE || a == ACT_VERIFY) {
			struct gt_evidence_item *it = &row->evidence[sel];
			bool rec = it->received, ver = it->verified;
			if (a == ACT_TOGGLE) {
				rec = !rec;
				if (!rec)
					ver = false;
			} else {
				ver = !ver;
				if (ver)
					rec = true;
			}
			int rc = gt_store_set_evidence(T.st, row->id, row->version, sel, rec, ver, it->note);
			if (rc != GT_OK) {
				bool conflict = rc == GT_ERR_CONFLICT;
				tui_message(_("Not saved"), gt_store_errmsg(T.st));
				if (conflict)
					return false;
				continue;
			}
			gt_store_get(T.st, row->id, row);
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

bool tui_case_view(int64_t id)
{
	bool quit = false;
	struct gt_case_row *row = malloc(sizeof *row);
	struct gt_eval *ev = malloc(sizeof *ev);
	struct doc d = { 0 };
	if (!row || !ev) {
		free(row);
		free(ev);
		return false;
	}
	bool clauses = false, reload = true;
	int top = 0;
	for (;;) {
		if (reload) {
			if (gt_store_get(T.st, id, row) != GT_OK) {
				tui_message(_("Cannot open the case"), gt_store_errmsg(T.st));
				break;
			}
			/* Evaluated by other rules and not decided: the undecided
			 * cases follow this program's rules, in one audited step. */
			bool stale = false;
			struct gt_reevaluate_result rr;
			if (gt_store_eval_stale(T.st, id, &stale) == GT_OK && stale &&
			    gt_store_reevaluate_all(T.st, &rr) == GT_OK)
				gt_store_get(T.st, id, row);
			gt_evaluate(&row->c, ev);
			T.case_status = row->status;
			doc_free(&d);
			build(&d, row, ev, clauses);
			reload = false;
			T.data_version = gt_store_data_version(T.st);
		}
		if (T.too_small) {
			/* Keep the too-small message (drawn by tui_check_size) until
			 * the terminal is large enough again, or q. */
			int k = tui_getkey(-1);
			if (k == KEY_RESIZE && tui_check_size()) {
				reload = true;
			} else if (k == 'q' || k == 'Q') {
				quit = true;
				goto out;
			}
			continue;
		}
		int h = LINES - 4;
		if (top > d.n - h)
			top = d.n - h;
		if (top < 0)
			top = 0;
		erase();
		char title[256];
		snprintf(title, sizeof title, _(" guantong — case %lld"), (long long)id);
		tui_draw_title(title);
		for (int i = 0; i < h && top + i < d.n; i++) {
			tui_attr_on(d.kind[top + i]);
			tui_cell(1 + i, 1, d.line[top + i], COLS - 2, false);
			tui_attr_off(d.kind[top + i]);
		}
		tui_draw_footer(SCR_CASE);
		refresh();
		int k = tui_getkey(1000);
		if (k == ERR) {
			int64_t v = gt_store_data_version(T.st);
			if (v != T.data_version)
				reload = true;
			continue;
		}
		if (k == KEY_RESIZE) {
			if (tui_check_size())
				reload = true;
			continue;
		}
		if (T.too_small)
			continue;
		T.status[0] = '\0';
		enum action a = tui_action_for(k, SCR_CASE);
		int act = -1;
		switch (a) {
		case ACT_DOWN: top++; break;
		case ACT_UP: top--; break;
		case ACT_PGDN: top += h - 1; break;
		case ACT_PGUP: top -= h - 1; break;
		case ACT_HOME: top = 0; break;
		case ACT_END: top = d.n; break;
		case ACT_CLAUSES: clauses = !clauses; reload = true; break;
		case ACT_EVIDENCE:
			evidence_dialog(row, ev);
			reload = true;
			break;
		case ACT_APPROVE: act = GT_ACT_APPROVE; break;
		case ACT_REJECT: act = GT_ACT_REJECT; break;
		case ACT_RETURN: act = GT_ACT_RETURN; break;
		case ACT_TAKE: act = GT_ACT_TAKE; break;
		case ACT_SUBMIT: act = GT_ACT_SUBMIT; break;
		case ACT_REOPEN: act = GT_ACT_REOPEN; break;
		case ACT_EDIT:
			tui_intake(id);
			reload = true;
			break;
		case ACT_HELP: tui_help(SCR_CASE); break;
		case ACT_REDRAW: clearok(curscr, TRUE); break;
		case ACT_BACK: tui_key_done(k); goto out;
		default: tui_key_unknown(k); break;
		}
		if (act >= 0) {
			int min_role = 0;
			if (gt_transition(row->status, act, &min_role) < 0) {
				tui_set_status(true, _("Case %lld is %s: \"%s\" is not possible now."), (long long)id,
					       gt_status_name(row->status), gt_action_name(act));
			} else if (!gt_role_allows(gt_store_role(T.st), act)) {
				/* The store refuses too; say it before asking for a note. */
				gt_store_act(T.st, id, row->version, act, "-");
				tui_set_status(true, "%s", gt_store_errmsg(T.st));
			} else {
				reload = decide(row, ev, act);
			}
		}
		tui_key_done(k);
	}
out:
	T.case_status = -1;
	doc_free(&d);
	free(row);
	free(ev);
	return quit;
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
	o.filter.status_mask = f->status_mask;
	o.filter.region_mask = f->region_mask;
	o.filter.outcome_mask = f->outcome_mask;
	o.filter.direction_mask = f->direction_mask;
	if (f->mine)
		snprintf(o.filter.assignee, sizeof o.filter.assignee, "%s", gt_store_actor(T.st));
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
		tui_set_status(false, _("Exported %ld cases to %s."), rows, path);
	else
		tui_set_status(true, "%s", gt_store_errmsg(T.st));
}
