/* guantong: the workstation (ncurses) and the batch commands. */
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "tui.h"
#include "gt_i18n.h"
#include "gt_store.h"
#include "gt_text.h"

const char *gt_progname = "guantong";

void gt_i18n_init(void)
{
	if (!setlocale(LC_ALL, "")) {
		/* The asked-for locale is not installed: keep UTF-8 at least. */
		setlocale(LC_ALL, "C.UTF-8");
	}
	/* A build tree's catalogues win over the installed ones, so that the
	 * program run from build/ speaks the language of its own sources. */
	const char *dir = getenv("GUANTONG_LOCALEDIR");
	struct stat st;
	if (!dir || !*dir)
		dir = stat(GT_BUILD_LOCALEDIR, &st) == 0 ? GT_BUILD_LOCALEDIR : GT_LOCALEDIR;
	bindtextdomain("guantong", dir);
	bind_textdomain_codeset("guantong", "UTF-8");
	textdomain("guantong");
	gt_i18n_forget(); /* nothing looked up before the domain was bound is kept */
	/* Chinese display names exactly when the Chinese catalogue is in use. */
	const char *probe = "Eligible for %s by the %s route under %s";
	gt_set_names_zh(strcmp(_(probe), probe) != 0);
}

static void usage(FILE *out)
{
	fprintf(out, _("Usage: %s [--db PATH | --demo]      (the workstation)\n"
		       "       %s [--db PATH | --demo] COMMAND [ARGS]\n"
		       "\n"
		       "Eligibility of skilled workers for professional titles and of titled\n"
		       "professionals for skill levels under five regional documents, each\n"
		       "answer citing its clause.\n"
		       "\n"
		       "Commands:\n"
		       "  screen [--as-of YYYY-MM-DD] [--explain] FILE.csv\n"
		       "                  evaluate every case in FILE (- for standard input) and\n"
		       "                  write the screening CSV to standard output\n"
		       "  import FILE.csv store the cases of FILE and their evaluations\n"
		       "  export          write the stored cases as CSV or XLSX\n"
		       "  evaluate CASE   explain a stored case\n"
		       "  decide CASE --approve|--reject|--return --note TEXT\n"
		       "                  record a decision\n"
		       "  void CASE --note TEXT\n"
		       "                  set a duplicate or mistaken case aside (administrators)\n"
		       "  user list|add|remove\n"
		       "                  who may use the database, and in which role\n"
		       "  init            set up a new database (an SQLite file, or PostgreSQL's\n"
		       "                  roles and schema)\n"
		       "  backup FILE     copy the live database safely\n"
		       "  reevaluate      re-evaluate undecided cases after the rules changed\n"
		       "  sheet CASE...   the case sheets (审核表) as PDF\n"
		       "  agenda --out FILE.pdf\n"
		       "                  the meeting's agenda and its case sheets as PDF\n"
		       "  stats           counts and times of the stored cases, with bar charts\n"
		       "  due --within N  the cases whose year threshold falls due within N days\n"
		       "  keys            print the workstation's keys (as man page rows)\n"
		       "  rules list|show|check\n"
		       "                  the policy packs: what is loaded, one region's rules,\n"
		       "                  a check of pack files\n"
		       "\n"
		       "Options:\n"
		       "  --db PATH       the database, a file or a PostgreSQL connection string\n"
		       "                  (postgresql:///guantong; default: $GUANTONG_DB, else\n"
		       "                  $XDG_DATA_HOME/guantong/cases.db, else\n"
		       "                  ~/.local/share/guantong/cases.db)\n"
		       "  --demo          the demo database instead, of example cases (made\n"
		       "                  when missing): demo.db beside the default database,\n"
		       "                  never mixed with real cases\n"
		       "  -h, --help      show this help and exit\n"
		       "  -V, --version   show the version and exit\n"
		       "\n"
		       "'%s COMMAND --help' describes a command. See guantong(1), guantong-csv(5) and guantong-rules(5).\n"),
		gt_progname, gt_progname, gt_progname);
}

int main(int argc, char **argv)
{
	/* A file size limit (ulimit -f) must not kill us in the middle of a
	 * write: ignored, the write fails with EFBIG, SQLite reports it and the
	 * transaction is rolled back like any other failed write. */
	signal(SIGXFSZ, SIG_IGN);
	/* Setgid in the shared install: a clean environment before anything reads it. */
	gt_shared_startup();
	gt_store_multi_threaded();
	gt_i18n_init();
	/* The policy packs, before any case is judged. A broken local pack stops
	 * every command but `rules check`, which says what is wrong. */
	int rules_status = gt_rules_startup();
	bool checking = argc >= 3 && strcmp(argv[1], "rules") == 0 && strcmp(argv[2], "check") == 0;
	if (rules_status && !checking)
		return rules_status;
	/* guantong [--db PATH | --demo]: the workstation. */
	const char *db = NULL;
	char demo[4096];
	bool is_demo = false;
	if (argc >= 2 && strcmp(argv[1], "--demo") == 0) {
		if (argc >= 3 && strncmp(argv[2], "--db", 4) == 0) {
			fprintf(stderr, _("%s: --demo and --db exclude each other\n"), gt_progname);
			return GT_EXIT_USAGE;
		}
		int rc = gt_demo_prepare(demo, sizeof demo);
		if (rc)
			return rc;
		db = demo;
		is_demo = true;
		argv += 1;
		argc -= 1;
	} else if (argc >= 3 && strcmp(argv[1], "--db") == 0) {
		db = argv[2];
		argv += 2;
		argc -= 2;
	} else if (argc >= 2 && strncmp(argv[1], "--db=", 5) == 0) {
		db = argv[1] + 5;
		argv += 1;
		argc -= 1;
	}
	if (argc < 2) {
		if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
			fprintf(stderr, _("%s: the workstation needs a terminal; for scripts use a command.\n"),
				gt_progname);
			usage(stderr);
			return GT_EXIT_USAGE;
		}
		return tui_run(db, is_demo);
	}
	if (db) {
		/* guantong --db PATH COMMAND ...: as if --db were given to the command. */
		setenv("GUANTONG_DB", db, 1);
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0) {
		usage(stdout);
		return GT_EXIT_OK;
	}
	if (strcmp(cmd, "keys") == 0) {
		/* The workstation's keys as man page rows (man/src/guantong.1). */
		tui_print_keys_man(stdout);
		return GT_EXIT_OK;
	}
	if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0) {
		printf("guantong %s\n", GT_VERSION);
		return GT_EXIT_OK;
	}
	static const struct {
		const char *name;
		int (*run)(int, char **);
	} commands[] = {
		{ "screen", cmd_screen }, { "import", cmd_import }, { "export", cmd_export },
		{ "evaluate", cmd_evaluate }, { "decide", cmd_decide }, { "void", cmd_void }, { "user", cmd_user }, { "init", cmd_init },
		{ "backup", cmd_backup }, { "rules", cmd_rules }, { "reevaluate", cmd_reevaluate },
		{ "sheet", cmd_sheet }, { "agenda", cmd_agenda }, { "stats", cmd_stats }, { "due", cmd_due },
	};
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(cmd, commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, _("%s: unknown command \"%s\"\n"), gt_progname, cli_vis(cmd));
	fprintf(stderr, _("Try \"%s --help\" for the commands.\n"), gt_progname);
	return GT_EXIT_USAGE;
}
