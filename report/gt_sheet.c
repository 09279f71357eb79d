/* The case sheet (审核表) and the agenda as PDF: see gt_sheet.h.
 *
 * The page is a form of bordered rows on A4, drawn top to bottom: each row's
 * cells are laid out by Pango first (their wrapped height), then the row is
 * drawn when it fits above the footer, else on a new page that repeats the
 * case's heading. Every label goes through gettext; codes are shown by their
 * names (gt_name_of); a person's own text (name, notes, logins) is made
 * visible with gt_vis before it is laid out. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include "gt_file.h"
#include "gt_i18n.h"
#include "gt_sheet.h"
#include "gt_text.h"
#include "gt_time.h"
#include "gt_vis.h"

/* A4 in points, and the form's margins. */
#define PAGE_W 595.276
#define PAGE_H 841.89
#define MARGIN_X 42.0
#define MARGIN_TOP 34.0
#define FOOTER_Y (PAGE_H - 34.0)
#define BOTTOM (PAGE_H - 44.0)
#define FORM_W (PAGE_W - 2 * MARGIN_X)
#define PAD 2.2
/* The four columns of a form row: label, value, label, value. */
#define LABEL_W 90.0
#define VALUE_W (FORM_W / 2 - LABEL_W)

/* The fonts: Noto Sans CJK (fonts-noto-cjk), else WenQuanYi, else fontconfig's choice. */
#define FAMILY "Noto Sans CJK SC, WenQuanYi Micro Hei, sans-serif"

enum font { F_BODY, F_BOLD, F_TITLE, F_SMALL, F_COUNT };

struct pdf {
	cairo_surface_t *surface;
	cairo_t *cr;
	PangoLayout *lay;
	PangoFontDescription *font[F_COUNT];
	FILE *out;
	int write_errno;      /* the first failed write of the stream */
	double y;             /* where the next row goes */
	long pages;           /* pages finished */
	bool page_used;       /* something is drawn on the current page */
	char footer[512];     /* the current case's footer */
	char heading[512];    /* repeated on a continued page */
	char printed[32];     /* when the file was made, local */
};

static cairo_status_t pdf_write(void *closure, const unsigned char *data, unsigned int length)
{
	struct pdf *p = closure;
	if (p->write_errno)
		return CAIRO_STATUS_WRITE_ERROR;
	if (fwrite(data, 1, length, p->out) != length) {
		p->write_errno = errno ? errno : EIO;
		return CAIRO_STATUS_WRITE_ERROR;
	}
	return CAIRO_STATUS_SUCCESS;
}

/* Lays text out in width (points) with a font; returns its height. */
static double pdf_layout(struct pdf *p, int font, double width, const char *text, bool center)
{
	pango_layout_set_font_description(p->lay, p->font[font]);
	pango_layout_set_width(p->lay, (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(p->lay, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(p->lay, center ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT);
	pango_layout_set_text(p->lay, text, -1);
	int w, h;
	pango_layout_get_size(p->lay, &w, &h);
	return (double)h / PANGO_SCALE;
}

static void pdf_show(struct pdf *p, double x, double y)
{
	cairo_move_to(p->cr, x, y);
	pango_cairo_show_layout(p->cr, p->lay);
}

static void pdf_text(struct pdf *p, int font, double x, double width, const char *text, bool center)
{
	double h = pdf_layout(p, font, width, text, center);
	pdf_show(p, x, p->y);
	p->y += h;
}

static void pdf_page_end(struct pdf *p)
{
	if (!p->page_used)
		return;
	char buf[640];
	snprintf(buf, sizeof buf, _("%s · page %ld"), p->footer, p->pages + 1);
	pdf_layout(p, F_SMALL, FORM_W, buf, false);
	cairo_set_source_rgb(p->cr, 0.3, 0.3, 0.3);
	pdf_show(p, MARGIN_X, FOOTER_Y);
	cairo_set_source_rgb(p->cr, 0, 0, 0);
	cairo_show_page(p->cr);
	p->pages++;
	p->page_used = false;
	p->y = MARGIN_TOP;
}

static void pdf_page_begin(struct pdf *p, bool continued)
{
	p->y = MARGIN_TOP;
	p->page_used = true;
	if (continued && p->heading[0]) {
		char buf[640];
		snprintf(buf, sizeof buf, _("%s (continued)"), p->heading);
		pdf_text(p, F_SMALL, MARGIN_X, FORM_W, buf, false);
		p->y += 6;
	}
}

/* Room for h more points on this page, else a new page. */
static void pdf_need(struct pdf *p, double h)
{
	if (!p->page_used) {
		pdf_page_begin(p, false);
		return;
	}
	if (p->y + h > BOTTOM) {
		pdf_page_end(p);
		pdf_page_begin(p, true);
	}
}

/* One cell of a form row. */
struct cell {
	const char *text;
	double width;
	int font;
	bool shade;   /* a label's grey ground */
	bool center;
	double min_h; /* room to write by hand */
};

/* A row of bordered cells, as tall as its tallest. */
static void pdf_row(struct pdf *p, const struct cell *c, int n)
{
	double h = 0;
	for (int i = 0; i < n; i++) {
		double k = pdf_layout(p, c[i].font, c[i].width - 2 * PAD, c[i].text ? c[i].text : "", c[i].center);
		k = k + 2 * PAD;
		if (c[i].min_h > k)
			k = c[i].min_h;
		if (k > h)
			h = k;
	}
	pdf_need(p, h);
	double x = MARGIN_X;
	cairo_set_line_width(p->cr, 0.6);
	for (int i = 0; i < n; i++) {
		cairo_rectangle(p->cr, x, p->y, c[i].width, h);
		if (c[i].shade) {
			cairo_set_source_rgb(p->cr, 0.92, 0.92, 0.92);
			cairo_fill_preserve(p->cr);
			cairo_set_source_rgb(p->cr, 0, 0, 0);
		}
		cairo_stroke(p->cr);
		pdf_layout(p, c[i].font, c[i].width - 2 * PAD, c[i].text ? c[i].text : "", c[i].center);
		pdf_show(p, x + PAD, p->y + PAD);
		x += c[i].width;
	}
	p->y += h;
}

/* A section's heading: a full-width shaded row. */
static void pdf_section(struct pdf *p, const char *title)
{
	struct cell c = { title, FORM_W, F_BOLD, true, false, 0 };
	p->y += 3;
	/* A heading never ends a page: keep room for one row after it. */
	pdf_need(p, 40);
	pdf_row(p, &c, 1);
}

/* label | value | label | value */
static void pdf_pair(struct pdf *p, const char *l1, const char *v1, const char *l2, const char *v2)
{
	struct cell c[4] = {
		{ l1, LABEL_W, F_BODY, true, false, 0 }, { v1, VALUE_W, F_BODY, false, false, 0 },
		{ l2, LABEL_W, F_BODY, true, false, 0 }, { v2, VALUE_W, F_BODY, false, false, 0 },
	};
	pdf_row(p, c, 4);
}

/* label | value across the rest of the row */
static void pdf_wide(struct pdf *p, const char *label, const char *value, double min_h)
{
	struct cell c[2] = {
		{ label, LABEL_W, F_BODY, true, false, min_h },
		{ value, FORM_W - LABEL_W, F_BODY, false, false, min_h },
	};
	pdf_row(p, c, 2);
}

static int pdf_open(struct pdf *p, FILE *out, const char *title)
{
	memset(p, 0, sizeof *p);
	p->out = out;
	p->surface = cairo_pdf_surface_create_for_stream(pdf_write, p, PAGE_W, PAGE_H);
	if (cairo_surface_status(p->surface) != CAIRO_STATUS_SUCCESS)
		return -1;
	cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_TITLE, title);
	cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_CREATOR, "guantong " GT_VERSION);
	p->cr = cairo_create(p->surface);
	p->lay = pango_cairo_create_layout(p->cr);
	/* Points are points: Pango's default is 96 dots an inch. */
	pango_cairo_context_set_resolution(pango_layout_get_context(p->lay), 72);
	pango_layout_context_changed(p->lay);
	static const char *const fonts[F_COUNT] = {
		FAMILY " 9", FAMILY " Bold 9.5", FAMILY " Bold 15", FAMILY " 7.5",
	};
	for (int i = 0; i < F_COUNT; i++)
		p->font[i] = pango_font_description_from_string(fonts[i]);
	char now[32];
	gt_time_now(now);
	gt_time_show(now, p->printed, sizeof p->printed);
	p->y = MARGIN_TOP;
	return cairo_status(p->cr) == CAIRO_STATUS_SUCCESS ? 0 : -1;
}

/* Finishes the document: 0, or the errno of the failed write (EIO for
 * another failure of Cairo). */
static int pdf_close(struct pdf *p)
{
	int rc = 0;
	if (p->cr)
		pdf_page_end(p);
	for (int i = 0; i < F_COUNT; i++)
		if (p->font[i])
			pango_font_description_free(p->font[i]);
	if (p->lay)
		g_object_unref(p->lay);
	if (p->cr) {
		if (cairo_status(p->cr) != CAIRO_STATUS_SUCCESS)
			rc = EIO;
		cairo_destroy(p->cr);
	}
	if (p->surface) {
		cairo_surface_finish(p->surface);
		if (cairo_surface_status(p->surface) != CAIRO_STATUS_SUCCESS && !rc)
			rc = EIO;
		cairo_surface_destroy(p->surface);
	}
	if (p->write_errno)
		rc = p->write_errno;
	return rc;
}

/* ---- the words of the sheet */

/* A person's own text, made visible (one of 8 buffers in turn). */
static const char *vis(const char *s)
{
	static char bufs[8][1024];
	static int next;
	char *b = bufs[next++ % 8];
	struct gt_sb sb = gt_sb_make(b, sizeof bufs[0]);
	gt_vis_sb(&sb, s, strlen(s), GT_VIS_KEEP_NL);
	return b;
}

static const char *yes_no(bool v)
{
	return v ? _("yes") : _("no");
}

static const char *date_text(gt_date d, char buf[11])
{
	if (d == GT_DATE_NONE)
		return "—";
	gt_date_format(d, buf);
	return buf;
}

/* A level held and since when: "技师（2015-06-30）". */
static const char *held(const struct gt_code_table *t, int level, gt_date since, char *buf, size_t size)
{
	char d[11];
	if (level <= 0)
		snprintf(buf, size, "%s", _("none"));
	else if (since == GT_DATE_NONE)
		snprintf(buf, size, "%s", gt_name_of(t, level));
	else
		snprintf(buf, size, _("%s (since %s)"), gt_name_of(t, level), date_text(since, d));
	return buf;
}

/* The name of a stored code; one this program does not know is shown as stored. */
static const char *code_name(const struct gt_code_table *t, const char *code)
{
	int i = gt_code_lookup(t, code, strlen(code));
	return i < 0 ? vis(code) : gt_name_of(t, i);
}

/* A stored list of codes ("a;b"; a competition as "comp:result") in names. */
static void code_list(struct gt_sb *sb, const struct gt_code_table *t, const char *codes)
{
	const char *p = codes;
	bool first = true;
	while (*p) {
		size_t n = strcspn(p, ";");
		if (n) {
			char one[128];
			snprintf(one, sizeof one, "%.*s", (int)n, p);
			if (!first)
				gt_sb_add(sb, gt_names_zh() ? "、" : ", ");
			first = false;
			char *colon = strchr(one, ':');
			int i = gt_code_lookup(t, one, strlen(one));
			if (i >= 0) {
				gt_sb_add(sb, gt_name_of(t, i));
			} else if (colon) {
				*colon = '\0';
				gt_sb_add(sb, code_name(&gt_comps, one));
				gt_sb_add(sb, gt_names_zh() ? "" : " ");
				if (strncmp(colon + 1, "rank", 4) == 0)
					gt_sb_addf(sb, _("place %s"), colon + 5);
				else
					gt_sb_add(sb, code_name(&gt_results, colon + 1));
			} else {
				gt_sb_add(sb, code_name(&gt_honours, one));
			}
		}
		p += n;
		if (*p)
			p++;
	}
}

/* The rule of the answer's citation, for its words: the chosen path's, else
 * any path whose clause is cited. NULL when this program's rules have none. */
static const struct gt_rule *cited_rule(const struct gt_answer *a)
{
	const struct gt_eval *ev = &a->ev;
	const char *cite = a->col[GT_SUM_CITATION];
	char buf[256];
	if (ev->chosen >= 0) {
		gt_cite(ev->dv, ev->paths[ev->chosen].rule->clause, buf, sizeof buf);
		if (strcmp(buf, cite) == 0)
			return ev->paths[ev->chosen].rule;
	}
	for (int i = 0; i < ev->npaths; i++) {
		gt_cite(ev->dv, ev->paths[i].rule->clause, buf, sizeof buf);
		if (strcmp(buf, cite) == 0)
			return ev->paths[i].rule;
	}
	return NULL;
}

static const char *action_name(const char *code)
{
	for (int i = 0; i < GT_ACT_COUNT; i++)
		if (strcmp(gt_action_codes[i], code) == 0)
			return gt_action_name(i);
	return vis(code);
}

/* The data of one sheet, read through the store. */
struct sheet {
	struct gt_case_row row;
	struct gt_stored_eval se;
	struct gt_answer ans;
	struct gt_decision d;
	bool decided;
};

static int sheet_read(gt_store *st, int64_t id, struct sheet *s)
{
	int rc;
	if ((rc = gt_store_get(st, id, &s->row)) != GT_OK)
		return rc;
	if ((rc = gt_store_get_eval(st, s->row.eval_id, &s->se)) != GT_OK)
		return rc;
	if ((rc = gt_store_answer(st, &s->row, &s->ans)) != GT_OK)
		return rc;
	s->decided = false;
	if (s->row.decision_id && gt_store_get_decision(st, s->row.decision_id, &s->d) == GT_OK)
		s->decided = s->d.case_version == s->row.version;
	return GT_OK;
}

static void sheet_applicant(struct pdf *p, const struct sheet *s)
{
	const struct gt_case *c = &s->row.c;
	char d1[11], d2[11], h1[128], h2[128];
	pdf_section(p, _("1. The applicant"));
	pdf_pair(p, _("Name"), vis(c->name), _("Identity number"), c->id_number);
	pdf_pair(p, _("Region"), gt_name_of(&gt_regions, c->region), _("Date of birth"),
		 date_text(c->birth_date, d1));
	pdf_pair(p, _("Occupation code"), c->occupation_code[0] ? vis(c->occupation_code) : "—",
		 _("Started work"), date_text(c->work_start, d2));
	pdf_pair(p, _("Employed in the region"), yes_no(c->employed_in_region), _("Work in the region since"),
		 date_text(c->region_work_start, d1));
	/* The scope facts of the employer and the post, on one line. */
	char facts[512];
	snprintf(facts, sizeof facts, _("frontline post: %s; self-employed: %s; pilot enterprise: %s; "
					"public institution worker: %s; related specialty: %s"),
		 yes_no(c->frontline), yes_no(c->self_employed), yes_no(c->pilot_enterprise),
		 yes_no(c->public_institution_worker), yes_no(c->related));
	pdf_wide(p, _("Employer and post"), facts, 0);
	pdf_pair(p, _("Skill level held"), held(&gt_skill_levels, c->skill, c->skill_date, h1, sizeof h1),
		 _("Title held"), held(&gt_title_levels, c->title, c->title_date, h2, sizeof h2));
}

static void sheet_application(struct pdf *p, const struct sheet *s)
{
	const struct gt_case *c = &s->row.c;
	const struct gt_code_table *lt = c->direction == GT_DIR_SKILL_TO_TITLE ? &gt_title_levels : &gt_skill_levels;
	char d[11];
	pdf_section(p, _("2. The application"));
	pdf_pair(p, _("Direction"), gt_name_of(&gt_directions, c->direction), _("Series"),
		 gt_name_of(&gt_series_codes, c->series));
	/* No level applied for: the one the evaluation judged the case for,
	 * as the queue shows it (a vetoed case's too). */
	char judged[160];
	int level = gt_eval_level(&s->ans.ev);
	if (c->requested < 0 && level >= 0)
		snprintf(judged, sizeof judged, _("not stated (judged for %s)"), gt_name_of(lt, level));
	else
		snprintf(judged, sizeof judged, "%s", c->requested >= 0 ? gt_name_of(lt, c->requested) : _("not stated"));
	pdf_pair(p, _("Level applied for"), judged, _("Application date"), date_text(c->application_date, d));
}

static void sheet_conclusion(struct pdf *p, const struct sheet *s)
{
	const struct gt_answer *a = &s->ans;
	const struct gt_case *c = &s->row.c;
	const struct gt_code_table *lt = c->direction == GT_DIR_SKILL_TO_TITLE ? &gt_title_levels : &gt_skill_levels;
	pdf_section(p, a->source == GT_ANS_DECISION ? _("3. The conclusion (as decided)") : _("3. The conclusion"));
	/* No target (vetoed, not eligible): the level judged for, said so. */
	char judged[160] = "—";
	int level = gt_eval_level(&a->ev);
	if (!a->col[GT_SUM_TARGET][0] && level >= 0)
		snprintf(judged, sizeof judged, _("%s (judged for; not granted)"), gt_name_of(lt, level));
	const char *target = a->col[GT_SUM_TARGET][0] ? code_name(lt, a->col[GT_SUM_TARGET]) : judged;
	const char *route = a->col[GT_SUM_ROUTE][0] ? code_name(&gt_routes, a->col[GT_SUM_ROUTE]) : "—";
	char awards[2048];
	struct gt_sb sb = gt_sb_make(awards, sizeof awards);
	code_list(&sb, &gt_honours, a->col[GT_SUM_BASIS]);
	pdf_pair(p, _("Outcome"), code_name(&gt_outcomes, a->col[GT_SUM_OUTCOME]), _("Level"), target);
	pdf_pair(p, _("Route"), route, _("Awards relied on"), sb.len ? awards : _("none"));
	pdf_wide(p, _("Clause"), a->col[GT_SUM_CITATION][0] ? a->col[GT_SUM_CITATION] : "—", 0);
	const struct gt_rule *r = a->col[GT_SUM_CITATION][0] ? cited_rule(a) : NULL;
	pdf_wide(p, _("The clause's words"), r && r->text ? r->text : "—", 0);
	pdf_wide(p, _("Reading"), vis(a->col[GT_SUM_MESSAGE]), 0);
}

static void sheet_evidence(struct pdf *p, const struct sheet *s)
{
	const struct gt_eval *ev = &s->ans.ev;
	uint32_t required = ev->chosen >= 0 ? ev->paths[ev->chosen].required_ev : 0;
	/* Every document received or asked for, two to a row. */
	const char *names[GT_EV_COUNT], *states[GT_EV_COUNT];
	bool missing[GT_EV_COUNT];
	int n = 0;
	for (int e = 0; e < GT_EV_COUNT; e++) {
		const struct gt_evidence_item *it = &s->row.evidence[e];
		if (!it->received && !it->verified && !(required & (1u << e)))
			continue;
		names[n] = gt_name_of(&gt_evidence_codes, e);
		missing[n] = !it->received && !it->verified;
		states[n++] = it->verified ? _("verified") : it->received ? _("received") : _("missing");
	}
	pdf_section(p, _("4. Evidence"));
	if (!n) {
		struct cell c = { _("none asked for"), FORM_W, F_BODY, false, false, 0 };
		pdf_row(p, &c, 1);
	}
	const double nw = FORM_W / 2 - 48, sw = 48;
	for (int i = 0; i < n; i += 2) {
		struct cell c[4];
		int k = 0;
		for (int j = i; j < i + 2; j++) {
			c[k++] = (struct cell){ j < n ? names[j] : "", nw, F_BODY, true, false, 0 };
			c[k++] = (struct cell){ j < n ? states[j] : "", sw, j < n && missing[j] ? F_BOLD : F_BODY,
					       false, true, 0 };
		}
		pdf_row(p, c, 4);
	}
}

static void sheet_conditions(struct pdf *p, const struct sheet *s)
{
	const struct gt_eval *ev = &s->ans.ev;
	char buf[1024], d[11];
	pdf_section(p, _("5. Conditions of the chosen route: required and actual"));
	if (s->ans.source == GT_ANS_DECISION && s->ans.differs) {
		struct cell c = { _("Below is this program's reading of the case today, which differs from the "
				    "one the decision was taken on."),
				  FORM_W, F_SMALL, false, false, 0 };
		pdf_row(p, &c, 1);
	}
	if (ev->chosen < 0) {
		struct cell c = { _("no route applies"), FORM_W, F_BODY, false, false, 0 };
		pdf_row(p, &c, 1);
	} else {
		const struct gt_path *path = &ev->paths[ev->chosen];
		for (int k = 0; k < path->nconds; k++) {
			const struct gt_cond *cd = &path->conds[k];
			gt_cond_text(cd, buf, sizeof buf);
			const char *mark = cd->state == GT_COND_MET ? _("met") : cd->state == GT_COND_PENDING ? _("to show")
													   : _("not met");
			struct cell c[2] = {
				{ mark, 52, cd->state == GT_COND_UNMET ? F_BOLD : F_BODY, true, true, 0 },
				{ buf, FORM_W - 52, F_BODY, false, false, 0 },
			};
			pdf_row(p, c, 2);
		}
	}
	/* When a year condition falls due: the chosen route's, and a higher
	 * level that waits only for years (gt_eval's next). */
	const struct gt_case *c = &s->row.c;
	const struct gt_code_table *lt = c->direction == GT_DIR_SKILL_TO_TITLE ? &gt_title_levels : &gt_skill_levels;
	if (ev->chosen >= 0 && ev->paths[ev->chosen].ready_on != GT_DATE_NONE &&
	    ev->paths[ev->chosen].ready_on > c->application_date) {
		snprintf(buf, sizeof buf, _("the year conditions are met on %s"),
			 date_text(ev->paths[ev->chosen].ready_on, d));
		pdf_wide(p, _("Falls due"), buf, 0);
	}
	if (ev->next >= 0 && ev->next < ev->npaths) {
		const struct gt_path *np = &ev->paths[ev->next];
		snprintf(buf, sizeof buf, _("%s by the %s route from %s (only years wait)"),
			 np->target >= 0 ? gt_name_of(lt, np->target) : _("a higher level"),
			 gt_name_of(&gt_routes, np->rule->route), date_text(np->ready_on, d));
		pdf_wide(p, _("Falls due"), buf, 0);
	}
}

static void sheet_decision(struct pdf *p, const struct sheet *s)
{
	pdf_section(p, _("6. The committee's decision"));
	if (s->decided) {
		char when[32];
		gt_time_show(s->d.decided_at, when, sizeof when);
		pdf_pair(p, _("Decision"), action_name(s->d.action), _("Decided by"), vis(s->d.decided_by));
		char eval[32];
		snprintf(eval, sizeof eval, "%lld", (long long)s->d.eval_id);
		pdf_pair(p, _("Decided at"), when, _("On evaluation"), eval);
		pdf_wide(p, _("Note"), s->d.note[0] ? vis(s->d.note) : "—", 0);
		return;
	}
	const double w = FORM_W / 3;
	struct cell votes[3] = {
		{ _("For: ____ votes"), w, F_BODY, false, false, 20 },
		{ _("Against: ____ votes"), w, F_BODY, false, false, 20 },
		{ _("Abstaining: ____ votes"), w, F_BODY, false, false, 20 },
	};
	pdf_row(p, votes, 3);
	pdf_wide(p, _("The committee's opinion"), "", 40);
	struct cell sign[4] = {
		{ _("Signatures"), LABEL_W, F_BODY, true, false, 28 }, { "", VALUE_W, F_BODY, false, false, 28 },
		{ _("Date"), LABEL_W, F_BODY, true, false, 28 }, { "", VALUE_W, F_BODY, false, false, 28 },
	};
	pdf_row(p, sign, 4);
}

static void sheet_draw(struct pdf *p, const struct sheet *s)
{
	const struct gt_case *c = &s->row.c;
	char status_line[512];
	snprintf(p->heading, sizeof p->heading, _("Case %lld, %s, %s"), (long long)s->row.id, vis(c->name),
		 c->id_number);
	snprintf(p->footer, sizeof p->footer, _("Rule set %s · case %lld, version %lld · printed %s"),
		 vis(s->ans.ruleset), (long long)s->row.id, (long long)s->row.version, p->printed);
	pdf_need(p, 0);
	pdf_text(p, F_TITLE, MARGIN_X, FORM_W,
		 _("Review form: skilled workers and professional titles, evaluated across"), true);
	p->y += 2;
	snprintf(status_line, sizeof status_line, _("%s · case %lld%s%s · %s · version %lld"),
		 gt_name_of(&gt_regions, c->region), (long long)s->row.id, c->case_ref[0] ? " · " : "",
		 c->case_ref[0] ? vis(c->case_ref) : "", gt_status_name(s->row.status), (long long)s->row.version);
	pdf_text(p, F_SMALL, MARGIN_X, FORM_W, status_line, true);
	p->y += 4;
	sheet_applicant(p, s);
	sheet_application(p, s);
	sheet_conclusion(p, s);
	sheet_evidence(p, s);
	sheet_conditions(p, s);
	sheet_decision(p, s);
}

/* ---- writing a file */

struct job {
	gt_store *st;
	struct gt_file *file;
	struct pdf pdf;
	struct sheet *sheet;
	struct gt_sheet_result *res;
	char *err;
	size_t errsz;
	bool pdf_open;
};

__attribute__((format(printf, 3, 4))) static int job_fail(struct job *j, int rc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(j->err, j->errsz, fmt, ap);
	va_end(ap);
	return rc;
}

static int file_rc(int frc)
{
	return frc == GT_FILE_EXISTS ? GT_ERR_EXISTS : frc == GT_FILE_REFUSED ? GT_ERR_INVALID : GT_ERR;
}

static int job_start(struct job *j, gt_store *st, const char *path, bool replace, const char *title,
		     struct gt_sheet_result *res, char *err, size_t errsz)
{
	memset(j, 0, sizeof *j);
	j->st = st;
	j->res = res;
	j->err = err;
	j->errsz = errsz;
	memset(res, 0, sizeof *res);
	int frc = gt_file_create(&j->file, path, replace ? GT_FILE_REPLACE : 0, gt_store_path(st), err, errsz);
	if (frc != GT_FILE_OK)
		return file_rc(frc);
	if (!(j->sheet = malloc(sizeof *j->sheet)))
		return job_fail(j, GT_ERR, "%s", strerror(ENOMEM));
	if (pdf_open(&j->pdf, gt_file_stream(j->file), title) != 0) {
		j->pdf_open = true;
		return job_fail(j, GT_ERR, _("%s: the PDF could not be started"), gt_file_target(j->file));
	}
	j->pdf_open = true;
	return GT_OK;
}

static int job_sheet(struct job *j, int64_t id)
{
	int rc = sheet_read(j->st, id, j->sheet);
	if (rc != GT_OK) {
		char num[32];
		snprintf(num, sizeof num, "%lld", (long long)id);
		return job_fail(j, rc, _("case %s: %s"), num, gt_store_errmsg(j->st));
	}
	pdf_page_end(&j->pdf); /* every sheet starts on its own page */
	long before = j->pdf.pages;
	sheet_draw(&j->pdf, j->sheet);
	pdf_page_end(&j->pdf);
	j->res->cases++;
	if (j->pdf.pages - before > 1)
		j->res->over++;
	return GT_OK;
}

/* Finishes the PDF, audits it and gives it its name. */
static int job_finish(struct job *j, int rc, const char *action, const struct gt_export_filter *f)
{
	const char *shown = j->file ? gt_file_target(j->file) : "";
	if (j->pdf_open) {
		int e = pdf_close(&j->pdf);
		j->pdf_open = false;
		j->res->pages = j->pdf.pages;
		if (!rc && e) {
			snprintf(j->err, j->errsz, _("writing %s: %s; nothing of it is left"), shown, strerror(e));
			rc = GT_ERR;
		}
	}
	if (!rc) {
		int frc = gt_file_sync(j->file, j->err, j->errsz);
		if (frc != GT_FILE_OK)
			rc = file_rc(frc);
	}
	if (!rc && (rc = gt_store_audit_file(j->st, action, shown, "pdf", j->res->cases, f)) != GT_OK)
		snprintf(j->err, j->errsz, _("%s; a file that is not in the audit log is not kept: nothing was written"),
			 gt_store_errmsg(j->st));
	if (!rc) {
		int frc = gt_file_commit(&j->file, j->err, j->errsz);
		if (frc != GT_FILE_OK)
			rc = file_rc(frc);
	}
	gt_file_abort(&j->file);
	free(j->sheet);
	return rc;
}

int gt_sheet_write(gt_store *st, const char *path, const int64_t *ids, long n, bool replace,
		   struct gt_sheet_result *res, char *err, size_t errsz)
{
	struct job *j = malloc(sizeof *j);
	if (!j) {
		snprintf(err, errsz, "%s", strerror(ENOMEM));
		return GT_ERR;
	}
	int rc = job_start(j, st, path, replace, _("Case sheets"), res, err, errsz);
	for (long i = 0; rc == GT_OK && i < n; i++) {
		if (gt_file_interrupted()) {
			rc = job_fail(j, GT_ERR, _("%s: interrupted; nothing of it is left"), path);
			break;
		}
		rc = job_sheet(j, ids[i]);
	}
	rc = job_finish(j, rc, "sheet", NULL);
	free(j);
	return rc;
}

/* ---- the agenda */

struct agenda {
	int64_t *ids;
	struct gt_awaiting *rows;
	long n, cap;
};

static int agenda_add(const struct gt_awaiting *a, void *arg)
{
	struct agenda *ag = arg;
	if (ag->n == ag->cap) {
		long cap = ag->cap ? ag->cap * 2 : 64;
		struct gt_awaiting *r = realloc(ag->rows, (size_t)cap * sizeof *r);
		if (!r)
			return GT_ERR;
		ag->rows = r;
		ag->cap = cap;
	}
	ag->rows[ag->n++] = *a;
	return 0;
}

static bool same_group(const struct gt_awaiting *a, const struct gt_awaiting *b)
{
	return a->series == b->series && a->direction == b->direction && a->level == b->level;
}

static const char *level_of(const struct gt_awaiting *a)
{
	if (a->level < 0)
		return _("set by committee");
	return gt_name_of(a->direction == GT_DIR_SKILL_TO_TITLE ? &gt_title_levels : &gt_skill_levels, a->level);
}

/* The agenda's pages: each group's lines, then its vote table. */
static int agenda_draw(struct job *j, const struct agenda *ag)
{
	struct pdf *p = &j->pdf;
	char buf[512], num[32];
	snprintf(p->heading, sizeof p->heading, "%s", _("The meeting's agenda"));
	snprintf(p->footer, sizeof p->footer, _("Agenda · %ld cases · printed %s"), ag->n, p->printed);
	pdf_need(p, 0);
	pdf_text(p, F_TITLE, MARGIN_X, FORM_W, _("The meeting's agenda"), true);
	p->y += 2;
	snprintf(buf, sizeof buf, gt_ngettext("%ld case awaiting a decision · printed %s",
					      "%ld cases awaiting a decision · printed %s", (unsigned long)ag->n),
		 ag->n, p->printed);
	pdf_text(p, F_SMALL, MARGIN_X, FORM_W, buf, true);
	p->y += 4;
	if (!ag->n) {
		struct cell c = { _("No case awaits a decision."), FORM_W, F_BODY, false, false, 0 };
		pdf_row(p, &c, 1);
	}
	for (long g = 0; g < ag->n;) {
		long end = g;
		while (end < ag->n && same_group(&ag->rows[g], &ag->rows[end]))
			end++;
		const struct gt_awaiting *a = &ag->rows[g];
		snprintf(buf, sizeof buf, _("%s · %s · %s (%ld)"), gt_name_of(&gt_series_codes, a->series),
			 gt_name_of(&gt_directions, a->direction), level_of(a), end - g);
		pdf_section(p, buf);
		const double wn = 44, wr = 60, wo = 70, wt = 90;
		for (long i = g; i < end; i++) {
			snprintf(num, sizeof num, "%lld", (long long)ag->rows[i].id);
			int rc = sheet_read(j->st, ag->rows[i].id, j->sheet);
			if (rc != GT_OK)
				return job_fail(j, rc, _("case %s: %s"), num, gt_store_errmsg(j->st));
			const struct gt_answer *ans = &j->sheet->ans;
			const struct gt_case *c = &j->sheet->row.c;
			const struct gt_code_table *lt =
				c->direction == GT_DIR_SKILL_TO_TITLE ? &gt_title_levels : &gt_skill_levels;
			char who[512];
			snprintf(who, sizeof who, "%s  %s", vis(c->name), c->id_number);
			char res[256];
			snprintf(res, sizeof res, "%s%s%s", ans->col[GT_SUM_TARGET][0] ? code_name(lt, ans->col[GT_SUM_TARGET]) : "—",
				 ans->col[GT_SUM_ROUTE][0] ? " · " : "",
				 ans->col[GT_SUM_ROUTE][0] ? code_name(&gt_routes, ans->col[GT_SUM_ROUTE]) : "");
			struct cell cl[5] = {
				{ num, wn, F_BODY, false, true, 0 },
				{ who, FORM_W - wn - wr - wo - wt, F_BODY, false, false, 0 },
				{ gt_name_of(&gt_regions, c->region), wr, F_BODY, false, false, 0 },
				{ code_name(&gt_outcomes, ans->col[GT_SUM_OUTCOME]), wo, F_BODY, false, false, 0 },
				{ res, wt, F_BODY, false, false, 0 },
			};
			pdf_row(p, cl, 5);
		}
		/* The vote table of the group. */
		p->y += 3;
		const double vw = (FORM_W - 44 - 120) / 3;
		struct cell head[5] = {
			{ _("Case"), 44, F_BOLD, true, true, 0 },   { _("For"), vw, F_BOLD, true, true, 0 },
			{ _("Against"), vw, F_BOLD, true, true, 0 }, { _("Abstaining"), vw, F_BOLD, true, true, 0 },
			{ _("Result"), 120, F_BOLD, true, true, 0 },
		};
		pdf_row(p, head, 5);
		for (long i = g; i < end; i++) {
			snprintf(num, sizeof num, "%lld", (long long)ag->rows[i].id);
			struct cell v[5] = {
				{ num, 44, F_BODY, false, true, 18 }, { "", vw, F_BODY, false, false, 18 },
				{ "", vw, F_BODY, false, false, 18 }, { "", vw, F_BODY, false, false, 18 },
				{ "", 120, F_BODY, false, false, 18 },
			};
			pdf_row(p, v, 5);
		}
		g = end;
	}
	pdf_page_end(p);
	return GT_OK;
}

int gt_agenda_write(gt_store *st, const char *path, const struct gt_export_filter *f, bool replace,
		    struct gt_sheet_result *res, char *err, size_t errsz)
{
	struct agenda ag = { 0 };
	struct job *j = malloc(sizeof *j);
	if (!j) {
		snprintf(err, errsz, "%s", strerror(ENOMEM));
		return GT_ERR;
	}
	int rc = job_start(j, st, path, replace, _("The meeting's agenda"), res, err, errsz);
	if (rc == GT_OK && (rc = gt_store_awaiting(st, f, agenda_add, &ag)) != GT_OK)
		job_fail(j, rc, "%s", gt_store_errmsg(st));
	if (rc == GT_OK)
		rc = agenda_draw(j, &ag);
	for (long i = 0; rc == GT_OK && i < ag.n; i++)
		rc = job_sheet(j, ag.rows[i].id);
	rc = job_finish(j, rc, "agenda", f);
	free(j);
	free(ag.rows);
	free(ag.ids);
	return rc;
}
