/* The office's figures on the command line (issue 18, item 3): `stats` as
 * text with bar charts, CSV or JSON. The figures are the store's SQL
 * aggregates (store/gt_stats.c); this file only shows them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "gt_i18n.h"
#include "gt_store.h"
#include "gt_text.h"

enum { FMT_TEXT, FMT_CSV, FMT_JSON };

void usage_stats(FILE *out)
{
	fprintf(out, _("Usage: %s stats [--db PATH] [--format text|csv|json]\n"
		       "\n"
		       "Counts the stored cases by region, direction, level, outcome, route and\n"
		       "status; the approvals and rejections by month and by reviewer; the awards\n"
		       "that opened green channels; and the days from intake to decision (median\n"
		       "and 90th percentile). Each figure is one SQL aggregate: no case is loaded.\n"
		       "\n"
		       "  --format F     text (default: bar charts; monochrome under NO_COLOR, ASCII\n"
		       "                 under GUANTONG_ASCII=1), csv (statistic,code,name,count,\n"
		       "                 rejected) or json\n"
		       "\n"
		       "Exit status: 0 done, 1 the database could not be read, 2 bad usage.\n"),
		gt_progname);
}

static const char *const stat_codes[GT_STAT_COUNT] = {
	"region", "direction", "level", "outcome", "route", "status", "month", "reviewer", "award",
};

const char *cli_stat_title(int k)
{
	static const char *const titles[GT_STAT_COUNT] = {
		N_("Cases by region"), N_("Cases by direction"), N_("Cases by level"), N_("Cases by outcome"),
		N_("Cases by route"), N_("Cases by status"), N_("Decisions by month (approved / rejected)"),
		N_("Decisions by reviewer (approved / rejected)"), N_("Awards that opened green channels"),
	};
	return _(titles[k]);
}

/* The name of an award code: an honour, a competition result
 * ("national_class1:first", "…:rank3") or a skill level. */
static void award_name(const char *code, char *buf, size_t size)
{
	int h = gt_code_lookup(&gt_honours, code, strlen(code));
	if (h >= 0) {
		snprintf(buf, size, "%s", gt_name_of(&gt_honours, h));
		return;
	}
	/* A direct route's basis names the skill level it rests on. */
	int l = gt_code_lookup(&gt_skill_levels, code, strlen(code));
	if (l >= 0) {
		snprintf(buf, size, "%s", gt_name_of(&gt_skill_levels, l));
		return;
	}
	const char *colon = strchr(code, ':');
	int c = colon ? gt_code_lookup(&gt_comps, code, (size_t)(colon - code)) : -1;
	if (c < 0) {
		snprintf(buf, size, "%s", cli_vis(code));
		return;
	}
	const char *res = colon + 1;
	int r = gt_code_lookup(&gt_results, res, strlen(res));
	if (r >= 0)
		snprintf(buf, size, "%s%s%s", gt_name_of(&gt_comps, c), gt_names_zh() ? "" : " ",
			 gt_name_of(&gt_results, r));
	else if (strncmp(res, "rank", 4) == 0)
		snprintf(buf, size, _("%s, place %s"), gt_name_of(&gt_comps, c), res + 4);
	else
		snprintf(buf, size, "%s %s", gt_name_of(&gt_comps, c), cli_vis(res));
}

/* A row's name for people: codes by their names, a login made visible. */
void cli_stat_row_name(int k, const struct gt_stat_row *r, char *buf, size_t size)
{
	const struct gt_code_table *t = NULL;
	switch (k) {
	case GT_STAT_REGION: t = &gt_regions; break;
	case GT_STAT_DIRECTION: t = &gt_directions; break;
	case GT_STAT_OUTCOME: t = &gt_outcomes; break;
	case GT_STAT_ROUTE: t = &gt_routes; break;
	case GT_STAT_LEVEL:
		t = strcmp(r->key2, "title_to_skill") == 0 ? &gt_skill_levels : &gt_title_levels;
		break;
	case GT_STAT_STATUS: {
		int s = gt_status_parse(r->key);
		snprintf(buf, size, "%s", s >= 0 ? gt_status_name(s) : cli_vis(r->key));
		return;
	}
	case GT_STAT_AWARD:
		award_name(r->key, buf, size);
		return;
	default:
		snprintf(buf, size, "%s", cli_vis(r->key));
		return;
	}
	if (k == GT_STAT_LEVEL && !r->key[0]) {
		snprintf(buf, size, "%s", _("set by committee"));
		return;
	}
	if (k == GT_STAT_ROUTE && strcmp(r->key, "none") == 0) {
		snprintf(buf, size, "%s", _("no route"));
		return;
	}
	int i = gt_code_lookup(t, r->key, strlen(r->key));
	snprintf(buf, size, "%s", i >= 0 ? gt_name_of(t, i) : cli_vis(r->key));
}

/* ---- text: bar charts */

struct look {
	bool color, ascii;
	int bar;      /* the longest bar, in columns */
};

/* A bar of value/max * width columns in eighths of a block (or '#'). */
static void put_bar(const struct look *lk, int64_t value, int64_t max, FILE *f)
{
	static const char *const eighths[8] = { "", "▏", "▎", "▍", "▌", "▋", "▊", "▉" };
	if (max <= 0 || value <= 0)
		return;
	int64_t units = value * lk->bar * 8 / max;
	if (units == 0)
		units = 1; /* a count above zero shows */
	if (lk->color)
		fputs("\033[32m", f);
	for (int64_t i = 0; i < units / 8; i++)
		fputs(lk->ascii ? "#" : "█", f);
	if (units % 8)
		fputs(lk->ascii ? "#" : eighths[units % 8], f);
	if (lk->color)
		fputs("\033[0m", f);
}

static void text_table(const struct look *lk, const struct gt_stats *s, int k, FILE *f)
{
	const struct gt_stat_table *t = &s->t[k];
	char name[256];
	fprintf(f, "%s\n", cli_stat_title(k));
	if (!t->n) {
		fprintf(f, "  %s\n\n", _("(none)"));
		return;
	}
	bool two = k == GT_STAT_MONTH || k == GT_STAT_REVIEWER;
	int w = 0;
	int64_t max = 0, total = 0;
	for (int i = 0; i < t->n; i++) {
		cli_stat_row_name(k, &t->rows[i], name, sizeof name);
		int nw = gt_text_width(name);
		w = nw > w ? nw : w;
		int64_t v = t->rows[i].n + t->rows[i].n2;
		max = v > max ? v : max;
		total += v;
	}
	if (w > 40)
		w = 40;
	for (int i = 0; i < t->n; i++) {
		const struct gt_stat_row *r = &t->rows[i];
		cli_stat_row_name(k, r, name, sizeof name);
		char line[512];
		struct gt_sb sb = gt_sb_make(line, sizeof line);
		gt_sb_add(&sb, "  ");
		gt_sb_add_padded(&sb, name, w + 2);
		fputs(line, f);
		if (two)
			fprintf(f, "%8lld / %-8lld ", (long long)r->n, (long long)r->n2);
		else
			fprintf(f, "%9lld %5.1f%% ", (long long)r->n, total ? 100.0 * (double)r->n / (double)total : 0.0);
		put_bar(lk, r->n + r->n2, max, f);
		fputc('\n', f);
	}
	fputc('\n', f);
}

void cli_days_text(double d, char *buf, size_t size)
{
	snprintf(buf, size, _("%.1f days"), d);
}

static void stats_text(const struct gt_stats *s, FILE *f)
{
	struct look lk = { .bar = 30 };
	const char *nc = getenv("NO_COLOR"), *ascii = getenv("GUANTONG_ASCII");
	lk.color = isatty(fileno(f)) && !(nc && *nc);
	lk.ascii = ascii && *ascii && strcmp(ascii, "0") != 0;
	fprintf(f, ngettext("%lld case\n\n", "%lld cases\n\n", (unsigned long)s->cases), (long long)s->cases);
	for (int k = 0; k < GT_STAT_COUNT; k++)
		text_table(&lk, s, k, f);
	fprintf(f, "%s\n", _("Time from intake to decision"));
	if (!s->decided) {
		fprintf(f, "  %s\n", _("(no case decided yet)"));
		return;
	}
	char med[64], p90[64];
	cli_days_text(s->median_days, med, sizeof med);
	cli_days_text(s->p90_days, p90, sizeof p90);
	fprintf(f, ngettext("  %lld case decided: median %s, 90th percentile %s\n",
			    "  %lld cases decided: median %s, 90th percentile %s\n", (unsigned long)s->decided),
		(long long)s->decided, med, p90);
}

/* ---- CSV and JSON: codes for programs, names beside them */

static void csv_cell(const char *v, FILE *f)
{
	bool quote = strpbrk(v, ",\"\r\n") != NULL;
	if (!quote) {
		fputs(v, f);
		return;
	}
	fputc('"', f);
	for (const char *p = v; *p; p++) {
		if (*p == '"')
			fputc('"', f);
		fputc(*p, f);
	}
	fputc('"', f);
}

static void stats_csv(const struct gt_stats *s, FILE *f)
{
	char name[256];
	fputs("statistic,code,name,count,rejected\r\n", f);
	fprintf(f, "cases,,,%lld,\r\n", (long long)s->cases);
	for (int k = 0; k < GT_STAT_COUNT; k++)
		for (int i = 0; i < s->t[k].n; i++) {
			const struct gt_stat_row *r = &s->t[k].rows[i];
			cli_stat_row_name(k, r, name, sizeof name);
			fprintf(f, "%s,", stat_codes[k]);
			if (k == GT_STAT_LEVEL && r->key2[0])
				fprintf(f, "%s:", r->key2);
			csv_cell(r->key, f);
			fputc(',', f);
			csv_cell(name, f);
			fprintf(f, ",%lld,", (long long)r->n);
			if (k == GT_STAT_MONTH || k == GT_STAT_REVIEWER)
				fprintf(f, "%lld", (long long)r->n2);
			fputs("\r\n", f);
		}
	fprintf(f, "decided,,,%lld,\r\n", (long long)s->decided);
	if (s->decided) {
		fprintf(f, "days_to_decision,median,,%.2f,\r\n", s->median_days);
		fprintf(f, "days_to_decision,p90,,%.2f,\r\n", s->p90_days);
	}
}

static void json_str(const char *v, FILE *f)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

static void stats_json(const struct gt_stats *s, FILE *f)
{
	char name[256];
	fprintf(f, "{\"cases\":%lld", (long long)s->cases);
	for (int k = 0; k < GT_STAT_COUNT; k++) {
		fprintf(f, ",\"%s\":[", stat_codes[k]);
		for (int i = 0; i < s->t[k].n; i++) {
			const struct gt_stat_row *r = &s->t[k].rows[i];
			cli_stat_row_name(k, r, name, sizeof name);
			fputs(i ? ",{\"code\":" : "{\"code\":", f);
			json_str(r->key, f);
			if (k == GT_STAT_LEVEL) {
				fputs(",\"direction\":", f);
				json_str(r->key2, f);
			}
			fputs(",\"name\":", f);
			json_str(name, f);
			if (k == GT_STAT_MONTH || k == GT_STAT_REVIEWER)
				fprintf(f, ",\"approved\":%lld,\"rejected\":%lld}", (long long)r->n, (long long)r->n2);
			else
				fprintf(f, ",\"count\":%lld}", (long long)r->n);
		}
		fputc(']', f);
	}
	fprintf(f, ",\"decided\":%lld", (long long)s->decided);
	if (s->decided)
		fprintf(f, ",\"days_to_decision\":{\"median\":%.2f,\"p90\":%.2f}", s->median_days, s->p90_days);
	fputs("}\n", f);
}

int cmd_stats(int argc, char **argv)
{
	const char *db = NULL;
	int format = FMT_TEXT;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v;
		bool missing = false;
		int r = db_option(argc, argv, &i, &db);
		if (r < 0)
			return bad_usage("stats", _("%s needs a value"), a);
		if (r > 0)
			continue;
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage_stats(stdout);
			return GT_EXIT_OK;
		} else if ((v = opt_value(argc, argv, &i, "--format", &missing)) || missing) {
			if (v && strcmp(v, "text") == 0)
				format = FMT_TEXT;
			else if (v && strcmp(v, "csv") == 0)
				format = FMT_CSV;
			else if (v && strcmp(v, "json") == 0)
				format = FMT_JSON;
			else
				return bad_usage("stats", _("%s is text, csv or json"), "--format");
		} else {
			return bad_usage("stats", _("unknown argument \"%s\""), a);
		}
	}
	gt_store *st;
	int status = gt_open_store(&st, db, GT_OPEN_READONLY);
	if (status)
		return status;
	struct gt_stats s;
	if (gt_store_stats(st, &s) != GT_OK) {
		status = store_fail(st, "stats");
		gt_store_close(st);
		return status;
	}
	if (format == FMT_CSV)
		stats_csv(&s, stdout);
	else if (format == FMT_JSON)
		stats_json(&s, stdout);
	else
		stats_text(&s, stdout);
	if (fflush(stdout) != 0)
		status = GT_EXIT_UNREADABLE;
	gt_stats_free(&s);
	gt_store_close(st);
	return status;
}

/* ---- due: the call-back list */

void usage_due(FILE *out)
{
	fprintf(out, _("Usage: %s due [--db PATH] [--within N] [--format text|csv]\n"
		       "\n"
		       "Lists the cases that are not eligible yet only because a year threshold\n"
		       "is not met (every other condition of their nearest route is), with the\n"
		       "date it will be, as the evaluator computes it: those falling due within N\n"
		       "days from today (default 30), and those already due, earliest first.\n"
		       "Approved cases are left out.\n"
		       "\n"
		       "  --within N     days from today (0 to 36600)\n"
		       "  --format F     text (default) or csv (for spreadsheets: a byte-order mark,\n"
		       "                 CRLF line ends)\n"
		       "\n"
		       "Exit status: 0 done, 1 the database could not be read, 2 bad usage.\n"),
		gt_progname);
}


struct due_walk {
	struct cli_due_item *items;
	long n, cap;
};

/* A case of the call-back list, with its date (store/gt_due.c) and the
 * route that opens then and its level, as the store answers the case. */
static int due_add(const struct gt_case_row *row, const struct gt_answer *ans, gt_date on, void *arg)
{
	struct due_walk *w = arg;
	const struct gt_eval *ev = &ans->ev;
	const uint32_t years = (1u << GT_UNMET_YEARS_SINCE_LEVEL) | (1u << GT_UNMET_YEARS_CUMULATIVE) |
			       (1u << GT_UNMET_YEARS_IN_REGION);
	int best = -1;
	for (int i = 0; i < ev->npaths; i++) {
		const struct gt_path *p = &ev->paths[i];
		if (!p->candidate || p->outcome != GT_OUT_NOT_ELIGIBLE || !p->unmet || (p->unmet & ~years) ||
		    p->ready_on == GT_DATE_NONE)
			continue;
		if (best < 0 || p->ready_on < ev->paths[best].ready_on)
			best = i;
	}
	if (w->n == w->cap) {
		long cap = w->cap ? w->cap * 2 : 64;
		struct cli_due_item *it = realloc(w->items, (size_t)cap * sizeof *it);
		if (!it)
			return GT_ERR;
		w->items = it;
		w->cap = cap;
	}
	struct cli_due_item *it = &w->items[w->n++];
	it->id = row->id;
	it->on = on;
	it->direction = row->c.direction;
	it->region = row->c.region;
	it->status = row->status;
	/* A decided case answers as decided: its route then, if any waits for years. */
	it->level = best >= 0 ? ev->paths[best].target : -1;
	it->route = best >= 0 ? ev->paths[best].rule->route : 0;
	snprintf(it->name, sizeof it->name, "%s", row->c.name);
	snprintf(it->id_number, sizeof it->id_number, "%s", row->c.id_number);
	return 0;
}

_Static_assert(sizeof ((struct cli_due_item *)0)->name == GT_TEXT_MAX_BYTES + 1, "a name fits");

int cli_due_list(gt_store *st, gt_date until, struct cli_due_item **items, long *n)
{
	struct due_walk w = { 0 };
	int rc = gt_store_due_cases(st, until, due_add, &w);
	if (rc != GT_OK) {
		free(w.items);
		w.items = NULL;
		w.n = 0;
	}
	*items = w.items;
	*n = w.n;
	return rc;
}

const char *cli_due_level(const struct cli_due_item *it)
{
	if (it->level < 0)
		return _("set by committee");
	return gt_name_of(it->direction == GT_DIR_SKILL_TO_TITLE ? &gt_title_levels : &gt_skill_levels, it->level);
}

void cli_due_days(long days, char *out, size_t size)
{
	if (days > 0)
		snprintf(out, size, "%ld", days);
	else if (days == 0)
		snprintf(out, size, "%s", _("due now"));
	else
		snprintf(out, size, ngettext("%ld day overdue", "%ld days overdue", (unsigned long)-days), -days);
}

/* A CSV cell for a spreadsheet: quoted when needed, and text that a
 * spreadsheet would take for a formula kept as text (a leading apostrophe). */
static void sheet_cell(const char *v, FILE *f)
{
	if (strchr("=+-@\t\r", v[0]) && v[0]) {
		char buf[GT_TEXT_MAX_BYTES + 2];
		snprintf(buf, sizeof buf, "'%s", v);
		csv_cell(buf, f);
		return;
	}
	csv_cell(v, f);
}

static void due_csv(const struct due_walk *w, gt_date today, FILE *f)
{
	char d[11];
	fputs("\xef\xbb\xbf", f);
	fprintf(f, "%s,%s,%s,%s,%s,%s,%s,%s,%s\r\n", _("due date"), _("days left"), _("case"), _("name"),
		_("identity number"), _("region"), _("level"), _("route"), _("status"));
	for (long i = 0; i < w->n; i++) {
		const struct cli_due_item *it = &w->items[i];
		gt_date_format(it->on, d);
		fprintf(f, "%s,%ld,%lld,", d, (long)(it->on - today), (long long)it->id);
		sheet_cell(it->name, f);
		/* Grouped 6-8-4, as the export for people: a spreadsheet keeps it as text. */
		fprintf(f, ",%.6s %.8s %.4s,", it->id_number, it->id_number + 6, it->id_number + 14);
		csv_cell(gt_name_of(&gt_regions, it->region), f);
		fputc(',', f);
		csv_cell(cli_due_level(it), f);
		fputc(',', f);
		csv_cell(gt_name_of(&gt_routes, it->route), f);
		fputc(',', f);
		csv_cell(gt_status_name(it->status), f);
		fputs("\r\n", f);
	}
}

static void due_text(const struct due_walk *w, gt_date today, int within, FILE *f)
{
	char d[11], line[1024];
	fprintf(f, ngettext("%ld case falls due within %d days (or is due already):\n",
			    "%ld cases fall due within %d days (or are due already):\n", (unsigned long)w->n),
		w->n, within);
	if (!w->n)
		return;
	int nw = gt_text_width(_("name"));
	for (long i = 0; i < w->n; i++) {
		int k = gt_text_width(cli_vis(w->items[i].name));
		nw = k > nw ? k : nw;
	}
	if (nw > 24)
		nw = 24;
	/* The days, region and level columns as wide as their widest
	 * ("逾期887天", "Guangzhou", "set by committee"). */
	int dw = gt_text_width(_("days")), rw = gt_text_width(_("region")), lw = gt_text_width(_("level"));
	for (long i = 0; i < w->n; i++) {
		char days[64];
		cli_due_days((long)(w->items[i].on - today), days, sizeof days);
		int k = gt_text_width(days);
		dw = k > dw ? k : dw;
		k = gt_text_width(gt_name_of(&gt_regions, w->items[i].region));
		rw = k > rw ? k : rw;
		k = gt_text_width(cli_due_level(&w->items[i]));
		lw = k > lw ? k : lw;
	}
	struct gt_sb sb = gt_sb_make(line, sizeof line);
	gt_sb_add_padded(&sb, _("due date"), 12);
	gt_sb_add_padded(&sb, _("days"), dw + 2);
	gt_sb_add_padded(&sb, _("case"), 8);
	gt_sb_add_padded(&sb, _("name"), nw + 2);
	gt_sb_add_padded(&sb, _("region"), rw + 2);
	gt_sb_add_padded(&sb, _("level"), lw + 2);
	gt_sb_add(&sb, _("route"));
	fprintf(f, "%s\n", line);
	for (long i = 0; i < w->n; i++) {
		const struct cli_due_item *it = &w->items[i];
		char num[32], days[64];
		gt_date_format(it->on, d);
		snprintf(num, sizeof num, "%lld", (long long)it->id);
		cli_due_days((long)(it->on - today), days, sizeof days);
		sb = gt_sb_make(line, sizeof line);
		gt_sb_add_padded(&sb, d, 12);
		gt_sb_add_padded(&sb, days, dw + 2);
		gt_sb_add_padded(&sb, num, 8);
		gt_sb_add_padded(&sb, cli_vis(it->name), nw + 2);
		gt_sb_add_padded(&sb, gt_name_of(&gt_regions, it->region), rw + 2);
		gt_sb_add_padded(&sb, cli_due_level(it), lw + 2);
		gt_sb_add(&sb, gt_name_of(&gt_routes, it->route));
		fprintf(f, "%s\n", line);
	}
}

int cmd_due(int argc, char **argv)
{
	const char *db = NULL;
	int within = 30;
	bool csv = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v;
		bool missing = false;
		int r = db_option(argc, argv, &i, &db);
		if (r < 0)
			return bad_usage("due", _("%s needs a value"), a);
		if (r > 0)
			continue;
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage_due(stdout);
			return GT_EXIT_OK;
		} else if ((v = opt_value(argc, argv, &i, "--within", &missing)) || missing) {
			char *end = NULL;
			long n = missing ? -1 : strtol(v, &end, 10);
			if (missing || !*v || *end || n < 0 || n > 36600)
				return bad_usage("due", _("%s needs a number of days from 0 to 36600"), "--within");
			within = (int)n;
		} else if ((v = opt_value(argc, argv, &i, "--format", &missing)) || missing) {
			if (v && strcmp(v, "csv") == 0)
				csv = true;
			else if (v && strcmp(v, "text") == 0)
				csv = false;
			else
				return bad_usage("due", _("%s is text or csv"), "--format");
		} else {
			return bad_usage("due", _("unknown argument \"%s\""), a);
		}
	}
	gt_store *st;
	int status = gt_open_store(&st, db, GT_OPEN_READONLY);
	if (status)
		return status;
	gt_date today = gt_date_today();
	struct due_walk w = { .n = 0 };
	if (cli_due_list(st, today + within, &w.items, &w.n) != GT_OK) {
		status = store_fail(st, "due");
		goto out;
	}
	if (csv)
		due_csv(&w, today, stdout);
	else
		due_text(&w, today, within, stdout);
	if (fflush(stdout) != 0)
		status = GT_EXIT_UNREADABLE;
out:
	free(w.items);
	gt_store_close(st);
	return status;
}
