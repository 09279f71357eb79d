/* The policy packs on this machine: found at start (the built-in ones, then
 * /etc/guantong/rules.d, then $XDG_DATA_HOME/guantong/rules, a later one
 * superseding an earlier one of the same document number and version), and
 * `guantong rules list|show|check`. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "gt_case.h"
#include "gt_eval.h"
#include "gt_i18n.h"
#include "gt_pack.h"
#include "gt_rules.h"
#include "gt_text.h"

#define PACK_MAX_BYTES (4u << 20)

static struct gt_ruleset loaded;

/* Reads a pack file (no symbolic link followed, at most 4 MiB). Returns a
 * malloc'd buffer, or NULL with errno. */
static char *read_pack(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	char *buf = NULL;
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) != 0)
		goto out;
	if (!S_ISREG(st.st_mode)) {
		errno = EINVAL;
		goto out;
	}
	if ((size_t)st.st_size > PACK_MAX_BYTES) {
		errno = EFBIG;
		goto out;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf)
		goto out;
	size_t got = 0;
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	buf[got] = '\0';
	*len = got;
out:
	close(fd);
	return buf;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static bool is_pack_name(const char *n)
{
	size_t l = strlen(n);
	return n[0] != '.' && l > 5 && strcmp(n + l - 5, ".yaml") == 0;
}

/* The packs of one directory, in name order; a missing directory is none. */
static int load_dir(struct gt_ruleset *rs, const char *dir)
{
	struct dirent **names = NULL;
	int n = scandir(dir, &names, NULL, by_name), status = 0;
	if (n < 0)
		return errno == ENOENT || errno == ENOTDIR ? 0 : 0;
	for (int i = 0; i < n; i++) {
		char path[4096];
		if (status == 0 && is_pack_name(names[i]->d_name) &&
		    (size_t)snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name) < sizeof path) {
			size_t len = 0;
			char *bytes = read_pack(path, &len);
			struct gt_pack_error err;
			struct gt_docver *dv;
			if (!bytes) {
				fprintf(stderr, _("%s: policy pack %s: %s\n"), gt_progname, cli_vis(path),
					strerror(errno));
				status = GT_EXIT_UNREADABLE;
			} else if (!(dv = gt_pack_parse(bytes, len, path, &err))) {
				fprintf(stderr, _("%s: policy pack %s, line %d, column %d: %s\n"), gt_progname,
					cli_vis(path), err.line, err.column, cli_vis(err.msg));
				status = GT_EXIT_UNREADABLE;
			} else if (gt_ruleset_add(rs, dv) < 0) {
				status = GT_EXIT_UNREADABLE;
			}
			free(bytes);
		}
		free(names[i]);
	}
	free(names);
	return status;
}

/* The local packs directory: $XDG_DATA_HOME/guantong/rules, else
 * ~/.local/share/guantong/rules. */
static int user_dir(char *buf, size_t size)
{
	const char *x = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
	if (x && x[0] == '/')
		return (size_t)snprintf(buf, size, "%s/guantong/rules", x) < size ? 0 : -1;
	if (home && home[0] == '/')
		return (size_t)snprintf(buf, size, "%s/.local/share/guantong/rules", home) < size ? 0 : -1;
	return -1;
}

static const char *system_dir(void)
{
	/* For tests and packagers: another directory instead of /etc's. */
	const char *d = getenv("GUANTONG_RULES_D");
	return d && d[0] ? d : "/etc/guantong/rules.d";
}

int gt_rules_startup(void)
{
	struct gt_pack_error err;
	char dir[4096];
	int status;
	if (gt_ruleset_add_builtin(&loaded, &err) < 0) {
		fprintf(stderr, _("%s: the built-in policy packs: %s\n"), gt_progname, err.msg);
		return GT_EXIT_UNREADABLE;
	}
	status = load_dir(&loaded, system_dir());
	if (status == 0 && user_dir(dir, sizeof dir) == 0)
		status = load_dir(&loaded, dir);
	if (status)
		fprintf(stderr, _("%s: fix or remove the policy pack (guantong rules check FILE).\n"),
			gt_progname);
	gt_rules_install(&loaded);
	return status;
}

/* ---- rules list, rules show */

static void ymd_text(int ymd, char *buf, size_t size)
{
	snprintf(buf, size, "%04d-%02d-%02d", ymd / 10000, ymd / 100 % 100, ymd % 100);
}

static int rules_list(void)
{
	const struct gt_ruleset *rs = gt_rules_active();
	for (int i = 0; i < rs->n; i++) {
		const struct gt_docver *v = rs->v[i];
		char from[16], until[16] = "";
		ymd_text(v->doc.effective_ymd, from, sizeof from);
		if (v->doc.until_ymd)
			ymd_text(v->doc.until_ymd, until, sizeof until);
		printf(gt_ngettext("%s  %s, version %s: in force from %s%s%s; %d rule\n",
				   "%s  %s, version %s: in force from %s%s%s; %d rules\n", (unsigned long)v->nrules),
		       gt_name_of(&gt_regions, v->doc.region), cli_vis(v->doc.number), cli_vis(v->doc.version),
		       from, until[0] ? _(" until ") : "", until, v->nrules);
		printf(_("    %s  (%s, %s)\n"), cli_vis(v->doc.title), cli_vis(v->origin), v->hash);
	}
	return GT_EXIT_OK;
}

static const char *level_name(int direction, int level)
{
	return gt_name_of(direction == GT_DIR_SKILL_TO_TITLE ? &gt_title_levels : &gt_skill_levels, level);
}

static int rules_show(const char *region_arg, const char *as_of)
{
	int region = gt_code_lookup(&gt_regions, region_arg, strlen(region_arg));
	gt_date date = GT_DATE_NONE;
	if (region < 0) {
		fprintf(stderr, _("%s: rules show: unknown region \"%s\"\n"), gt_progname, cli_vis(region_arg));
		return GT_EXIT_USAGE;
	}
	if (as_of && gt_date_parse(as_of, strlen(as_of), &date) != 0) {
		fprintf(stderr, _("%s: rules show: \"%s\" is not a date (YYYY-MM-DD)\n"), gt_progname,
			cli_vis(as_of));
		return GT_EXIT_USAGE;
	}
	if (!as_of)
		date = gt_date_from_ymd(9999, 12, 31); /* the latest version */
	const struct gt_docver *v = gt_rules_for(region, date);
	if (!v) {
		fprintf(stderr, _("%s: rules show: no policy pack for %s\n"), gt_progname,
			gt_name_of(&gt_regions, region));
		return GT_EXIT_UNREADABLE;
	}
	char from[16];
	ymd_text(v->doc.effective_ymd, from, sizeof from);
	if (as_of && date < v->doc.effective)
		printf(_("No version of the document is in force on %s; the first one takes effect on %s:\n"),
		       as_of, from);
	printf(_("%s, version %s, in force from %s\n"), cli_vis(v->doc.number), cli_vis(v->doc.version), from);
	printf("%s\n", cli_vis(v->doc.title));
	for (int d = 0; d < GT_DIR_COUNT; d++) {
		printf("\n%s\n", gt_name_of(&gt_directions, d));
		for (int i = v->first[d]; i < v->first[d] + v->count[d]; i++) {
			const struct gt_rule *r = &v->rules[i];
			char cite[512];
			gt_cite(v, r->clause, cite, sizeof cite);
			printf("  [%s] %s → %s  (%s)\n", cli_vis(r->id), gt_name_of(&gt_routes, r->route),
			       r->target ? level_name(d, r->target) : _("a level the clause does not fix"),
			       cli_vis(cite));
			printf("      %s\n", cli_vis(r->text));
		}
	}
	return GT_EXIT_OK;
}

/* ---- rules check */

struct checked {
	const char *name;
	const char *bytes;
	size_t len;
	struct gt_docver *dv;
};

static int errors;

static void report(const struct checked *k, const char *anchor, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void report(const struct checked *k, const char *anchor, const char *fmt, ...)
{
	int line = 0, column = 0;
	char msg[768];
	va_list ap;
	if (anchor)
		gt_pack_locate(k->bytes, k->len, NULL, anchor, &line, &column);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	printf(_("%s, line %d, column %d: %s\n"), cli_vis(k->name), line, column, cli_vis(msg));
	errors++;
}

static bool str_same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Two rules that ask and give the same, whatever their ids. */
static bool rules_same(const struct gt_rule *a, const struct gt_rule *b)
{
	struct gt_rule x = *a, y = *b;
	if (!str_same(a->clause, b->clause) || !str_same(a->text, b->text) || !str_same(a->note, b->note))
		return false;
	x.id = y.id = NULL;
	x.clause = y.clause = x.text = y.text = x.note = y.note = NULL;
	return memcmp(&x, &y, sizeof x) == 0;
}

static int lowest_bit(uint32_t m)
{
	return m ? __builtin_ctz(m) : 0;
}

/* A case that meets every condition of rule r (passing) or none (failing). */
static void make_case(const struct gt_docver *v, const struct gt_rule *r, bool pass, struct gt_case *c)
{
	const struct gt_scope *s = &v->scopes[r->direction];
	gt_case_init(c);
	c->region = v->doc.region;
	c->direction = r->direction;
	c->series = (uint8_t)lowest_bit(s->series_mask);
	c->application_date = v->doc.effective + 1;
	c->appraisals = pass ? 3 : 0;
	c->requested = -1;
	if (!pass) {
		/* Above the title it allows at most, where it bounds one. */
		if (r->max_title != 0xff && r->max_title + 1 < GT_TITLE_COUNT)
			c->title = (uint8_t)(r->max_title + 1);
		return;
	}
	c->skill = r->min_skill > s->min_skill ? r->min_skill : s->min_skill;
	c->title = r->min_title > s->min_title ? r->min_title : s->min_title;
	c->skill_date = c->title_date = c->work_start = c->region_work_start =
		gt_date_from_ymd(1960, 1, 1);
	c->related = c->frontline = c->employed_in_region = c->pilot_enterprise = true;
	c->honours = r->honours;
	c->evidence = (uint16_t)((1u << GT_EV_COUNT) - 1);
	if (r->nadmits) {
		const struct gt_comp_admit *a = &r->admits[0];
		struct gt_comp_entry *e = &c->comps[c->ncomps++];
		e->comp = (uint8_t)lowest_bit(a->comps);
		e->role = (uint8_t)lowest_bit(a->roles);
		e->team_size = 1;
		if (a->results) {
			e->result = (uint8_t)lowest_bit(a->results);
			e->rank = e->result <= GT_RES_BRONZE ? (uint16_t)(e->result + 1) : 0;
		} else {
			e->result = GT_RES_RANK;
			e->rank = 1;
		}
	}
}

static int path_outcome(const struct gt_eval *ev, const struct gt_rule *r)
{
	for (int i = 0; i < ev->npaths; i++)
		if (ev->paths[i].rule == r)
			return ev->paths[i].outcome;
	return -1;
}

static void check_reachable(const struct checked *k)
{
	struct gt_docver *only[1] = { k->dv };
	struct gt_ruleset one = { only, 1, 1 };
	const struct gt_ruleset *before = gt_rules_active();
	struct gt_case *c = malloc(sizeof *c);
	struct gt_eval *ev = malloc(sizeof *ev);
	if (!c || !ev)
		goto out;
	gt_rules_install(&one);
	for (int i = 0; i < k->dv->nrules; i++) {
		const struct gt_rule *r = &k->dv->rules[i];
		make_case(k->dv, r, true, c);
		gt_evaluate(c, ev);
		int o = path_outcome(ev, r);
		if (o != GT_OUT_ELIGIBLE && o != GT_OUT_NEEDS_EVIDENCE && o != GT_OUT_MANUAL_REVIEW)
			report(k, r->id, _("rule %s is unreachable: a case with every condition it names does not pass it"),
			       r->id);
		make_case(k->dv, r, false, c);
		gt_evaluate(c, ev);
		if (path_outcome(ev, r) != GT_OUT_NOT_ELIGIBLE)
			report(k, r->id, _("rule %s asks nothing: a case with no level, honour or result passes it"),
			       r->id);
	}
out:
	gt_rules_install(before);
	free(c);
	free(ev);
}

static char *load_source(const char *dir, const char *file)
{
	char path[4096];
	size_t len;
	if (strchr(file, '/') || (size_t)snprintf(path, sizeof path, "%s/%s", dir, file) >= sizeof path)
		return NULL;
	char *s = read_pack(path, &len);
	if (s)
		gt_text_fold(s);
	return s;
}

static void check_one(const struct checked *k, const char *sources)
{
	const struct gt_docver *v = k->dv;
	for (int i = 0; i < v->nrules; i++)
		for (int j = 0; j < i; j++)
			if (rules_same(&v->rules[i], &v->rules[j]))
				report(k, v->rules[i].id, _("rules %s and %s are identical"), v->rules[j].id,
				       v->rules[i].id);
	for (int i = 0; i < v->nrules; i++)
		if (((v->rules[i].flags & GT_RF_MANUAL) || v->rules[i].target_kind == GT_TGT_OPEN) &&
		    !v->rules[i].note)
			report(k, v->rules[i].id, _("rule %s leads to a manual review but gives no reason (note)"),
			       v->rules[i].id);
	char *doc = sources ? load_source(sources, v->doc.source) : NULL;
	if (!doc) {
		/* Not an error of the pack: said, not counted. */
		report(k, v->doc.source, _("the source document %s cannot be read, so its quotations are not checked (--sources DIR)"),
		       v->doc.source);
		errors--;
	} else {
		char frag[2048];
		const char *miss;
		for (int i = 0; i < v->nrules; i++)
			if ((miss = gt_quote_missing(doc, v->rules[i].text, frag, sizeof frag)))
				report(k, v->rules[i].id, _("rule %s quotes words not in %s: %s"), v->rules[i].id,
				       v->doc.source, miss);
		for (int i = 0; i < v->nexemptions; i++)
			if ((miss = gt_quote_missing(doc, v->exemptions[i].text, frag, sizeof frag)))
				report(k, v->exemptions[i].text, _("an exemption quotes words not in %s: %s"),
				       v->doc.source, miss);
		for (int i = 0; i < v->nnotes; i++)
			if ((miss = gt_quote_missing(doc, v->notes[i].text, frag, sizeof frag)))
				report(k, v->notes[i].text, _("a note quotes words not in %s: %s"), v->doc.source, miss);
		free(doc);
	}
	check_reachable(k);
}

/* Versions of one document in force at once: each runs from its date until
 * its own end, else until the next version's date. */
static void check_overlaps(struct checked *ks, int n)
{
	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++) {
			const struct gt_document *a = &ks[i].dv->doc, *b = &ks[j].dv->doc;
			if (i == j || strcmp(a->number, b->number) != 0 || b->effective < a->effective ||
			    (b->effective == a->effective && j < i))
				continue;
			if (b->effective == a->effective || (a->until != GT_DATE_NONE && a->until > b->effective)) {
				char d[16];
				ymd_text(b->effective_ymd, d, sizeof d);
				report(&ks[j], "in_force_from",
				       _("in force from %s while version %s (%s) still is: the in-force ranges overlap"),
				       d, a->version, ks[i].name);
			}
		}
}

static void usage_rules(FILE *out)
{
	fprintf(out, _("Usage: %s rules list\n"
		       "       %s rules show REGION [--as-of YYYY-MM-DD]\n"
		       "       %s rules check [--sources DIR] [FILE.yaml...]\n"
		       "\n"
		       "The policy packs: the built-in ones, then /etc/guantong/rules.d, then\n"
		       "$XDG_DATA_HOME/guantong/rules (see guantong-rules(5)). 'check' checks the\n"
		       "FILEs (else the built-in packs and the two directories' files) and exits 1\n"
		       "when one has an error; DIR holds the source documents the packs quote\n"
		       "(default: the directory of each FILE).\n"),
		gt_progname, gt_progname, gt_progname);
}

static char *dir_of(const char *path)
{
	char *d = strdup(path);
	if (!d)
		return NULL;
	char *slash = strrchr(d, '/');
	if (slash)
		*slash = '\0';
	else
		strcpy(d, ".");
	return d;
}

static int rules_check(int argc, char **argv)
{
	const char *sources = NULL;
	int nfiles = 0;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--sources") == 0) {
			if (++i >= argc) {
				fprintf(stderr, _("%s: rules check: --sources needs a directory\n"), gt_progname);
				return GT_EXIT_USAGE;
			}
			sources = argv[i];
		} else if (strncmp(argv[i], "--sources=", 10) == 0) {
			sources = argv[i] + 10;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, _("%s: rules check: unknown argument \"%s\"\n"), gt_progname, cli_vis(argv[i]));
			return GT_EXIT_USAGE;
		} else {
			argv[nfiles++] = argv[i];
		}
	}
	/* No FILE: the built-in packs and every pack file of the two
	 * directories, loaded or not (a broken one is not loaded). */
	char **found = NULL;
	int nfound = 0;
	if (!nfiles) {
		char udir[4096];
		const char *dirs[2] = { system_dir(), user_dir(udir, sizeof udir) == 0 ? udir : NULL };
		for (int d = 0; d < 2; d++) {
			struct dirent **names = NULL;
			int m = dirs[d] ? scandir(dirs[d], &names, NULL, by_name) : -1;
			for (int i = 0; i < m; i++) {
				char path[4096];
				char **grown;
				if (is_pack_name(names[i]->d_name) &&
				    (size_t)snprintf(path, sizeof path, "%s/%s", dirs[d], names[i]->d_name) < sizeof path &&
				    (grown = realloc(found, (size_t)(nfound + 1) * sizeof *found)) != NULL) {
					found = grown;
					if ((found[nfound] = strdup(path)) != NULL)
						nfound++;
				}
				free(names[i]);
			}
			free(names);
		}
	}
	int n = nfiles ? nfiles : gt_builtin_pack_count + nfound;
	struct checked *ks = calloc((size_t)n + 1, sizeof *ks);
	char **bufs = calloc((size_t)n + 1, sizeof *bufs);
	int parsed = 0;
	errors = 0;
	if (!ks || !bufs)
		goto out;
	for (int i = 0; i < n; i++) {
		struct checked k = { 0 };
		struct gt_pack_error err;
		if (nfiles) {
			k.name = argv[i];
			bufs[i] = read_pack(argv[i], &k.len);
			if (!bufs[i]) {
				printf(_("%s: %s\n"), cli_vis(argv[i]), strerror(errno));
				errors++;
				continue;
			}
			k.bytes = bufs[i];
		} else if (i < gt_builtin_pack_count) {
			k.name = gt_builtin_packs[i].name;
			k.bytes = gt_builtin_packs[i].data;
			k.len = gt_builtin_packs[i].len;
		} else {
			const char *path = found[i - gt_builtin_pack_count];
			k.name = path;
			bufs[i] = read_pack(path, &k.len);
			if (!bufs[i]) {
				printf(_("%s: %s\n"), cli_vis(path), strerror(errno));
				errors++;
				continue;
			}
			k.bytes = bufs[i];
		}
		k.dv = gt_pack_parse(k.bytes, k.len, k.name, &err);
		if (!k.dv) {
			printf(_("%s, line %d, column %d: %s\n"), cli_vis(k.name), err.line, err.column,
			       cli_vis(err.msg));
			errors++;
			continue;
		}
		char *dir = sources || i < (nfiles ? 0 : gt_builtin_pack_count) ? NULL : dir_of(k.name);
		check_one(&k, sources ? sources : dir);
		free(dir);
		ks[parsed++] = k;
	}
	check_overlaps(ks, parsed);
	if (errors == 0)
		printf(ngettext("%d policy pack checked: no error\n", "%d policy packs checked: no error\n",
				(unsigned long)parsed), parsed);
out:
	for (int i = 0; i < parsed; i++)
		gt_pack_free(ks[i].dv);
	for (int i = 0; bufs && i < n; i++)
		free(bufs[i]);
	free(bufs);
	free(ks);
	for (int i = 0; i < nfound; i++)
		free(found[i]);
	free(found);
	return errors ? GT_EXIT_UNREADABLE : GT_EXIT_OK;
}

int cmd_rules(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		usage_rules(argc < 2 ? stderr : stdout);
		return argc < 2 ? GT_EXIT_USAGE : GT_EXIT_OK;
	}
	if (strcmp(argv[1], "list") == 0 && argc == 2)
		return rules_list();
	if (strcmp(argv[1], "show") == 0 && (argc == 3 || argc == 5)) {
		const char *as_of = NULL;
		if (argc == 5) {
			if (strcmp(argv[3], "--as-of") != 0) {
				usage_rules(stderr);
				return GT_EXIT_USAGE;
			}
			as_of = argv[4];
		}
		return rules_show(argv[2], as_of);
	}
	if (strcmp(argv[1], "check") == 0)
		return rules_check(argc - 2, argv + 2);
	usage_rules(stderr);
	return GT_EXIT_USAGE;
}
