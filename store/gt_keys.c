/* The queue's keys of a case, computed when the case is written and kept in
 * case_keys and case_terms (store/migrate/006.sql): the name's sort key by
 * ICU's "zh" collator (pinyin order), its pinyin and initials by ICU's
 * "Han-Latin; Latin-ASCII" transform, and the search terms that let "/" find
 * any part of the name, the pinyin or the initials, and the case_ref, by an
 * index range. gt_keys_write is the one writer: every case write (import,
 * edit, intake, evidence, re-evaluation) goes through gt_write_case, which
 * calls it. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include <unicode/ucol.h>
#include <unicode/ustring.h>
#include <unicode/uversion.h>

#include "gt_file.h"
#include "gt_i18n.h"
#include "gt_pinyin.h"
#include "gt_store_int.h"

static UCollator *coll;
static pthread_once_t coll_once = PTHREAD_ONCE_INIT;
static struct gt_py_icu icu; /* the transform, opened at the first name that needs it */
static pthread_once_t icu_once = PTHREAD_ONCE_INIT;
static pthread_once_t table_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t icu_lock = PTHREAD_MUTEX_INITIALIZER; /* ICU's objects, used by one thread at a time */

/* ---- the pinyin of a name at table speed
 *
 * The transform of a name made of ideographs of one plain syllable each is
 * the transforms of its characters, each taken alone, joined by spaces (see
 * store/gt_pinyin.c); a name holding any other character goes through ICU
 * whole. The characters' syllables come from the table written at build
 * time from the same ICU (gen_pinyin), so that a process making keys opens
 * only the collator (0.6 million instructions) and not the transform (a
 * billion). The few characters read in context (重 before 庆) have their
 * syllable before each character their rules name, and alone (py_pair).
 * Under another ICU version than the table's, the table is filled from ICU
 * instead, a character at its first use, and names with a context
 * character go through ICU whole.
 * tests/unit/test_keys.c compares the built table with ICU on every
 * ideograph, and both ways of making keys on every ideograph of the basic
 * and Ext-A blocks, on pairs and on generated names. */

/* One character's entry in the table filled at run time: py[0] is 0 until
 * it is looked up, PY_WHOLE when a name holding it goes through ICU whole,
 * else its syllable. */
#define PY_WHOLE '\1'
static char (*py_page[0x110000 >> 8])[GT_PY_MAX]; /* 256 entries a page, made at first use */
static bool py_built;                             /* the built table is this ICU's */

static void coll_open(void)
{
	UErrorCode e = U_ZERO_ERROR;
	coll = ucol_open("zh", &e);
	if (U_FAILURE(e))
		coll = NULL;
}

static void icu_open(void)
{
	gt_py_icu_open(&icu);
}

static void table_choose(void)
{
	UVersionInfo v;
	char version[U_MAX_VERSION_STRING_LENGTH];
	u_getVersion(v);
	u_versionToString(v, version);
	py_built = gt_py_table_usable && strcmp(version, gt_py_table_icu) == 0;
}

/* The transform of the whole name u[0..n) into UTF-8 (under icu_lock). */
static int py_whole(const UChar *u, int32_t n, char *out, int32_t size)
{
	pthread_once(&icu_once, icu_open);
	return icu.trans ? gt_py_icu_whole(icu.trans, u, n, out, size) : -1;
}

/* Character c's syllable; NULL when a name holding it goes through ICU
 * whole, or when out of memory (under icu_lock). */
static const char *py_entry(UChar32 c)
{
	if (py_built) {
		int i = gt_py_table_rows[gt_py_table_page[c >> 8]][c & 0xff];
		return i ? gt_py_table_syllables[i] : NULL;
	}
	pthread_once(&icu_once, icu_open);
	if (!icu.trans || !icu.usable)
		return NULL;
	char (**page)[GT_PY_MAX] = &py_page[c >> 8];
	if (!*page && !(*page = calloc(256, GT_PY_MAX)))
		return NULL;
	char *py = (*page)[c & 0xff];
	if (!py[0]) {
		gt_py_icu_char(&icu, c, py);
		if (!py[0])
			py[0] = PY_WHOLE;
	}
	return py[0] == PY_WHOLE ? NULL : py;
}

/* The syllable of context character c before character next (0: at the
 * end), from the built table's pairs; NULL when it has none. */
static const char *py_pair(UChar32 c, UChar32 next)
{
	const char *alone = NULL;
	for (int i = 0; py_built && i < gt_py_table_pairs_count; i++) {
		const struct gt_py_pair *pr = &gt_py_table_pairs[i];
		if (pr->c == (uint32_t)c && pr->next == (uint32_t)next)
			return pr->py;
		if (pr->c == (uint32_t)c && !pr->next)
			alone = pr->py;
	}
	return alone;
}

/* The transform of name u[0..n) into out, by the table: false when it
 * holds a character that needs ICU's transform of the whole name (under
 * icu_lock). */
static bool py_table(const UChar *u, int32_t n, char *out, size_t size)
{
	pthread_once(&table_once, table_choose);
	size_t p = 0;
	for (int32_t i = 0; i < n;) {
		UChar32 c, next = 0;
		U16_NEXT(u, i, n, c);
		const char *py = py_entry(c);
		if (!py && i < n) {
			int32_t j = i;
			U16_NEXT(u, j, n, next);
		}
		if (!py)
			py = py_pair(c, next);
		if (!py)
			return false;
		size_t len = strlen(py);
		if (p + len + 2 > size)
			return false;
		if (p)
			out[p++] = ' ';
		memcpy(out + p, py, len);
		p += len;
	}
	out[p] = '\0';
	return true;
}

static int keys_make(const char *name, struct gt_keys *k, bool whole)
{
	memset(k, 0, sizeof *k);
	pthread_once(&coll_once, coll_open);
	if (!coll)
		return -1;
	UChar u[GT_TEXT_MAX_BYTES + 1];
	int32_t n = 0;
	UErrorCode e = U_ZERO_ERROR;
	u_strFromUTF8(u, GT_TEXT_MAX_BYTES + 1, &n, name, -1, &e);
	if (U_FAILURE(e))
		return -1;
	/* The collation key, and the pinyin: syllables separated by spaces,
	 * as the transform leaves them. Under the lock: the import's reader
	 * thread makes keys while its writer may make a changed name's. */
	uint8_t key[GT_KEY_MAX];
	char spaced[4 * GT_TEXT_MAX_BYTES];
	pthread_mutex_lock(&icu_lock);
	int32_t kn = ucol_getSortKey(coll, u, n, key, (int32_t)sizeof key);
	int r = !whole && py_table(u, n, spaced, sizeof spaced) ? 0 : py_whole(u, n, spaced, (int32_t)sizeof spaced);
	pthread_mutex_unlock(&icu_lock);
	if (kn <= 0 || kn > (int32_t)sizeof key || r != 0)
		return -1;
	/* Its bytes as they are (stored as a BLOB, which compares by memcmp),
	 * without the closing 0: ICU's keys hold no other 0 byte. */
	memcpy(k->sortkey, key, (size_t)kn - 1);
	k->sortkey[kn - 1] = '\0';
	size_t p = 0, q = 0, ns = 0;
	bool start = true;
	for (const char *s = spaced; *s; s++) {
		char c = *s;
		bool letter = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
		if (!letter) {
			start = true;
			continue;
		}
		if (start && ns < GT_MAX_SYLLABLES) {
			k->syllable[ns++] = (uint16_t)p;
			if (q < sizeof k->initials - 1)
				k->initials[q++] = c;
		}
		start = false;
		if (p < sizeof k->pinyin - 1)
			k->pinyin[p++] = c;
	}
	k->pinyin[p] = '\0';
	k->initials[q] = '\0';
	k->nsyllables = (int)ns;
	return 0;
}

int gt_keys_make(const char *name, struct gt_keys *k)
{
	return keys_make(name, k, false);
}

int gt_keys_make_whole(const char *name, struct gt_keys *k)
{
	return keys_make(name, k, true);
}

static int set_chars(const USet *set, uint32_t *out, int max)
{
	if (!set)
		return -1;
	int n = 0;
	for (int32_t r = 0; r < uset_getRangeCount(set); r++) {
		UChar32 lo, hi;
		UErrorCode e = U_ZERO_ERROR;
		uset_getItem(set, r, &lo, &hi, NULL, 0, &e);
		for (UChar32 c = lo; c <= hi && U_SUCCESS(e); c++, n++)
			if (n < max)
				out[n] = (uint32_t)c;
	}
	return n;
}

int gt_keys_context_chars(bool named, uint32_t *out, int max)
{
	pthread_once(&table_once, table_choose);
	if (py_built) {
		const uint32_t *v = named ? gt_py_table_named : gt_py_table_context;
		int n = named ? gt_py_table_named_count : gt_py_table_context_count;
		for (int i = 0; i < n && i < max; i++)
			out[i] = v[i];
		return n;
	}
	pthread_once(&icu_once, icu_open);
	return set_chars(named ? icu.named : icu.context, out, max);
}

bool gt_keys_transform_opened(void)
{
	return icu.trans != NULL;
}

#define TERMS_MAX GT_TERMS_MAX

/* The terms of one case, distinct; t[id_at] is the identity number's,
 * which case_terms does not hold (-1: none of its own). */
struct term_list {
	int n, id_at;
	char t[TERMS_MAX][GT_TERM_BYTES];
};

static void term_add(struct term_list *tl, const char *term)
{
	if (!*term)
		return;
	for (int i = 0; i < tl->n; i++)
		if (strcmp(tl->t[i], term) == 0)
			return;
	if (tl->n < TERMS_MAX)
		gt_copy(tl->t[tl->n++], sizeof tl->t[0], term);
}

static bool term_in(const struct term_list *tl, const char *term)
{
	for (int i = 0; i < tl->n; i++)
		if (strcmp(tl->t[i], term) == 0)
			return true;
	return false;
}

/* The terms of a case: every suffix of the name (by character), of the
 * pinyin (by syllable) and of the initials, the case_ref in lower case, the
 * identity number and the case number; a search is a prefix of one of them.
 * All but the identity number's are written to case_terms: a search walks
 * the applicants' own index on the identity numbers for those (schema
 * version 14: 18 bytes a case, twice, in two indexes).
 * The one maker of terms: what is written, what is deleted when the case
 * changes (there is no index of the terms by case) and what the search
 * compares with (store/gt_queue.c) all come from here. In two parts: the
 * case's own data (terms_of_data: on the import's reader thread for a new
 * case, gt_terms_make), then the case number's (case_term, added by
 * terms_of or run_add_case: only the writer knows the number). */
static void terms_of_data(const char *name, const char *id_number, const char *case_ref, const struct gt_keys *k,
			  struct term_list *tl)
{
	tl->n = 0;
	tl->id_at = -1;
	int chars = 0;
	for (const char *s = name; *s && chars < GT_MAX_SYLLABLES; chars++) {
		term_add(tl, s);
		s++;
		while ((*s & 0xC0) == 0x80)
			s++;
	}
	for (int i = 0; i < k->nsyllables; i++) {
		term_add(tl, k->pinyin + k->syllable[i]);
		term_add(tl, k->initials + i);
	}
	char ref[GT_TERM_BYTES];
	gt_copy(ref, sizeof ref, case_ref);
	for (char *s = ref; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
	term_add(tl, ref);
	gt_copy(ref, sizeof ref, id_number); /* its check character in lower case, as a search is */
	for (char *s = ref; *s; s++)
		if (*s == 'X')
			*s = 'x';
	int before = tl->n;
	term_add(tl, ref);
	tl->id_at = tl->n > before ? before : -1;
}

/* The case number's term, as text: its length. Through gt_sb_addf, whose
 * %ld is written without vsnprintf (snprintf was 2% of the writer's time
 * during the rows of a 1M import, perf). */
_Static_assert(sizeof(long) == sizeof(int64_t), "a case number is a long");
static int case_term(int64_t case_id, char out[24])
{
	struct gt_sb sb = gt_sb_make(out, 24);
	gt_sb_addf(&sb, "%ld", (long)case_id);
	return (int)sb.len;
}

static void terms_of(int64_t case_id, const char *name, const char *id_number, const char *case_ref,
		     const struct gt_keys *k, struct term_list *tl)
{
	terms_of_data(name, id_number, case_ref, k, tl);
	char num[24];
	case_term(case_id, num);
	term_add(tl, num);
}

struct gt_term_maker {
	struct term_list tl;
};

struct gt_term_maker *gt_term_maker_new(void)
{
	return malloc(sizeof(struct gt_term_maker));
}

void gt_term_maker_free(struct gt_term_maker *m)
{
	free(m);
}

static uint64_t head_of(const char *t, size_t len);

int gt_terms_make(struct gt_term_maker *m, const char *name, const char *id_number, const char *case_ref,
		  const struct gt_keys *k, struct gt_terms *out)
{
	const struct term_list *tl = &m->tl;
	terms_of_data(name, id_number, case_ref, k, &m->tl);
	size_t need = 0;
	for (int i = 0; i < tl->n; i++)
		need += strlen(tl->t[i]) + 1;
	if (need > out->size) {
		size_t size = out->size ? out->size : 256;
		while (size < need)
			size *= 2;
		char *text = realloc(out->text, size);
		if (!text)
			return -1;
		out->text = text;
		out->size = size;
	}
	/* The terms written to case_terms first, then the identity number's. */
	size_t at = 0;
	out->n = 0;
	for (int i = 0; i < tl->n; i++) {
		if (i == tl->id_at)
			continue;
		size_t len = strlen(tl->t[i]);
		memcpy(out->text + at, tl->t[i], len + 1);
		out->len[out->n] = (uint16_t)len;
		out->head[out->n++] = head_of(tl->t[i], len);
		at += len + 1;
	}
	out->block = at;
	out->id_len = -1;
	if (tl->id_at >= 0) {
		size_t len = strlen(tl->t[tl->id_at]);
		memcpy(out->text + at, tl->t[tl->id_at], len + 1);
		out->id_len = (int)len;
	}
	return 0;
}

void gt_terms_free(struct gt_terms *t)
{
	free(t->text);
	memset(t, 0, sizeof *t);
}

/* A bulk load's terms, sorted a run at a time (see run_spill). */
struct run_term {
	uint64_t head;    /* the term's first 8 bytes, big-endian, 0 after its end */
	const char *text; /* the term, in the run's text */
	int64_t case_id;
};
struct term_run {
	struct run_term *t, *tmp, *order; /* order: t or tmp, sorted */
	char *text;
	size_t n, used;
	size_t cap, text_cap, tmp_cap; /* what t, text and tmp hold */
	bool unordered;   /* a case's terms came after a later case's (run_drop_case) */
};
/* At most; a run starts at RUN_FIRST terms and RUN_FIRST_TEXT bytes and
 * doubles as it fills (an import of three rows takes 64 KiB, not 16 MiB:
 * under AddressSanitizer each fresh mapping of 16 MiB, and its shadow,
 * was cleared twice an execution of fuzz_import). */
enum { RUN_TERMS = 1 << 18, RUN_TEXT = 4 << 20, RUN_FIRST = 1 << 10, RUN_FIRST_TEXT = 16 << 10 };
static size_t run_terms = RUN_TERMS, run_text = RUN_TEXT; /* a run's size (gt_keys_run_size) */

void gt_keys_run_size(size_t terms)
{
	run_terms = terms ? terms < TERMS_MAX ? TERMS_MAX : terms > RUN_TERMS ? RUN_TERMS : terms : RUN_TERMS;
	run_text = run_terms == RUN_TERMS ? RUN_TEXT : (size_t)TERMS_MAX * GT_TERM_BYTES;
}

/* A full run, sorted and written to the scratch file (run_spill): its
 * bytes there, and the cases whose terms it holds, as ranges of
 * consecutive case numbers (an import's new cases: one range a run). */
struct spilled {
	off_t from, to;
	int64_t (*cases)[2];
	size_t ncases;
};
/* A case written again whose terms a spilled run holds: the merge leaves
 * them out of that run (its new terms are in a later one). */
struct skip {
	int64_t case_id;
	size_t run;
};
/* The runs written so far, in one scratch file (gt_file_scratch: no name,
 * 0600, in the database's directory: gone when closed, whatever ends the
 * process). */
struct spill {
	int fd; /* -1 until the first run is written */
	off_t end;
	struct spilled *runs;
	size_t n, cap;
	struct skip *skip;
	size_t nskip, skip_cap;
	unsigned char *buf; /* what is being written */
	/* The writer's: cases written again while a run was being spilled
	 * (spill_drop_later). */
	int64_t *later;
	size_t nlater, later_cap;
};

static void run_free(struct term_run *r)
{
	free(r->t);
	free(r->tmp);
	free(r->text);
	memset(r, 0, sizeof *r);
}

/* Room in the run for terms more terms of bytes bytes (they fit in a
 * run), its arrays doubled as needed; -1 when out of memory. The text
 * moves: the terms' pointers into it move with it. */
static int run_room(struct term_run *r, size_t terms, size_t bytes)
{
	if (r->n + terms > r->cap) {
		size_t cap = r->cap ? r->cap : RUN_FIRST;
		while (cap < r->n + terms)
			cap *= 2;
		if (cap > run_terms)
			cap = run_terms;
		struct run_term *t = realloc(r->t, cap * sizeof *t);
		if (!t)
			return -1;
		r->t = t;
		r->cap = cap;
	}
	if (r->used + bytes > r->text_cap) {
		size_t cap = r->text_cap ? r->text_cap : RUN_FIRST_TEXT;
		while (cap < r->used + bytes)
			cap *= 2;
		if (cap > run_text)
			cap = run_text;
		char *text = malloc(cap);
		if (!text)
			return -1;
		if (r->used)
			memcpy(text, r->text, r->used);
		for (size_t i = 0; i < r->n; i++)
			if (r->t[i].text)
				r->t[i].text = text + (r->t[i].text - r->text);
		free(r->text);
		r->text = text;
		r->text_cap = cap;
	}
	return 0;
}

/* The sort's second array, as large as the first; -1 when out of memory. */
static int run_tmp(struct term_run *r)
{
	if (r->tmp_cap >= r->cap)
		return 0;
	free(r->tmp);
	r->tmp_cap = 0;
	if (!(r->tmp = malloc(r->cap * sizeof *r->tmp)))
		return -1;
	r->tmp_cap = r->cap;
	return 0;
}

static void spill_free(struct spill *sp)
{
	if (sp->fd >= 0)
		close(sp->fd);
	for (size_t i = 0; i < sp->n; i++)
		free(sp->runs[i].cases);
	free(sp->runs);
	free(sp->skip);
	free(sp->buf);
	free(sp->later);
	memset(sp, 0, sizeof *sp);
	sp->fd = -1;
}

/* The thread that sorts a full run and writes it to the scratch file
 * (spill_main) while the writer fills the next run: started for each full
 * run, joined before the next one is handed over and before anything
 * reads the spill (spill_wait). */
struct spiller {
	pthread_t thread;
	bool busy;        /* started, not yet joined */
	bool joining;     /* the writer waits for it (spill_hold; under hold_mu) */
	int err;          /* errno of its failure (ECANCELED: stopped) */
	atomic_bool stop; /* set: it ends at its next write */
};

/* The statements, prepared once per connection (cached in st): ins_terms[n]
 * writes n terms in one INSERT (a statement each is most of a term's cost);
 * and the term lists, kept (they are large) for the next write. */
struct gt_keys_stmts {
	sqlite3_stmt *upsert, *stored, *del_term, *del_terms, *case_of;
	sqlite3_stmt *ins_terms[TERMS_MAX + 1];
	struct term_list cur, old;
	struct gt_keys keys, old_keys;
	bool bulk;              /* gt_keys_bulk: new cases' terms go to run */
	struct term_run run;
	struct spill spill;     /* the runs before it */
	struct term_run spare;  /* the run being spilled (spiller), or an empty one's arrays */
	struct spiller spiller; /* spills a full run while the writer fills the next */
	struct side *side;      /* the merge on its second thread (side_start) */
	bool side_attached;     /* its file is attached as gt_side (gt_keys_side_detach) */
};

static void side_stop(struct gt_keys_stmts *ks);
static void spill_stop(struct gt_keys_stmts *ks);

void gt_keys_stmts_free(struct gt_keys_stmts *ks)
{
	if (!ks)
		return;
	sqlite3_finalize(ks->upsert);
	sqlite3_finalize(ks->stored);
	sqlite3_finalize(ks->del_term);
	sqlite3_finalize(ks->del_terms);
	sqlite3_finalize(ks->case_of);
	side_stop(ks);
	spill_stop(ks);
	run_free(&ks->run);
	run_free(&ks->spare);
	spill_free(&ks->spill);
	for (int i = 0; i <= TERMS_MAX; i++)
		sqlite3_finalize(ks->ins_terms[i]);
	free(ks);
}

static struct gt_keys_stmts *stmts(gt_store *st)
{
	if (st->keys)
		return st->keys;
	struct gt_keys_stmts *ks = calloc(1, sizeof *ks);
	if (!ks) {
		gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
		return NULL;
	}
	ks->spill.fd = -1;
	ks->upsert = gt_prepare(st, "INSERT INTO case_keys (case_id, name_key, pinyin, initials, syllables) "
				    "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (case_id) DO UPDATE SET name_key = ?2, "
				    "pinyin = ?3, initials = ?4, syllables = ?5");
	/* The keys a case's terms were made from, and whether they were made
	 * from this name: the name's applicant may have been renamed through
	 * another of its cases since. */
	ks->stored = gt_prepare(st, "SELECT pinyin, initials, syllables, EXISTS (SELECT 1 FROM case_terms WHERE term = ?2 "
				    "AND case_id = ?1) FROM case_keys WHERE case_id = ?1");
	ks->del_term = gt_prepare(st, "DELETE FROM case_terms WHERE term = ? AND case_id = ?");
	/* Reads every term (no index by case): only for keys another ICU made. */
	ks->del_terms = gt_prepare(st, "DELETE FROM case_terms WHERE case_id = ?");
	ks->case_of = gt_prepare(st, "SELECT a.name, a.id_number, c.case_ref, k.pinyin, k.initials, k.syllables, "
				     "EXISTS (SELECT 1 FROM case_terms WHERE term = a.name AND case_id = c.id) FROM cases c "
				     "JOIN applicants a ON a.id = c.applicant_id JOIN case_keys k ON k.case_id = c.id "
				     "WHERE c.id = ?");
	if (!ks->upsert || !ks->stored || !ks->del_term || !ks->del_terms || !ks->case_of) {
		gt_keys_stmts_free(ks);
		return NULL;
	}
	return st->keys = ks;
}

/* The statement that inserts n terms of case ?1 (?2 ... ?n+1). */
static sqlite3_stmt *ins_terms(gt_store *st, struct gt_keys_stmts *ks, int n)
{
	if (ks->ins_terms[n])
		return ks->ins_terms[n];
	struct gt_sb sql = gt_sb_heap();
	gt_sb_add(&sql, "INSERT OR IGNORE INTO case_terms (term, case_id) VALUES ");
	for (int i = 0; i < n; i++)
		gt_sb_addf(&sql, "%s(?%d, ?1)", i ? ", " : "", i + 2);
	if (!sql.truncated)
		ks->ins_terms[n] = gt_prepare(st, sql.p);
	else
		gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
	gt_sb_free(&sql);
	return ks->ins_terms[n];
}

/* Where each syllable after the first starts in the pinyin, as stored:
 * "2,5" for "maxuemei". */
static void syllables_text(const struct gt_keys *k, char *out, size_t size)
{
	struct gt_sb sb = gt_sb_make(out, size);
	for (int i = 1; i < k->nsyllables; i++)
		gt_sb_addf(&sb, "%s%d", i > 1 ? "," : "", (int)k->syllable[i]);
}

/* The keys as stored (pinyin, initials, syllables): what a case's terms
 * were made from, made again without ICU (whose first use costs a fifth of
 * a second). False when they do not read (not written by this program). */
static bool keys_of_stored(const char *pinyin, const char *initials, const char *syllables, struct gt_keys *k)
{
	memset(k, 0, sizeof *k);
	size_t len = strlen(pinyin);
	if (len >= sizeof k->pinyin || strlen(initials) >= sizeof k->initials)
		return false;
	memcpy(k->pinyin, pinyin, len + 1);
	strcpy(k->initials, initials);
	if (len)
		k->nsyllables = 1;
	for (const char *p = syllables; *p;) {
		char *end;
		long at = strtol(p, &end, 10);
		if (end == p || (*end && *end != ',') || !len || k->nsyllables >= GT_MAX_SYLLABLES ||
		    at <= k->syllable[k->nsyllables - 1] || (size_t)at >= len)
			return false;
		k->syllable[k->nsyllables++] = (uint16_t)at;
		p = *end ? end + 1 : end;
	}
	if (strlen(initials) != (size_t)k->nsyllables)
		return false;
	for (int i = 0; i < k->nsyllables; i++)
		if (initials[i] != pinyin[k->syllable[i]])
			return false;
	return true;
}

/* Deletes the terms a case was stored with (old: its name, identity number
 * and case_ref then, with its stored keys) that its new ones (ks->cur) do
 * not have (during a bulk load every one of them: the new ones all go to
 * the run), by their place in the terms' index; before the new keys are
 * written. */
static int delete_old_terms(gt_store *st, struct gt_keys_stmts *ks, int64_t case_id, const struct gt_case *old)
{
	sqlite3_stmt *s = ks->stored;
	sqlite3_bind_int64(s, 1, case_id);
	sqlite3_bind_text(s, 2, old->name, -1, SQLITE_STATIC);
	int r = sqlite3_step(s);
	bool exact = r == SQLITE_ROW && sqlite3_column_int(s, 3) &&
		     keys_of_stored(gt_col_text(s, 0), gt_col_text(s, 1), gt_col_text(s, 2), &ks->old_keys);
	if (exact)
		terms_of(case_id, old->name, old->id_number, old->case_ref, &ks->old_keys, &ks->old);
	sqlite3_reset(s);
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		return gt_fail_sql(st, _("saving the case's search keys"));
	if (!exact) {
		sqlite3_bind_int64(ks->del_terms, 1, case_id);
		r = sqlite3_step(ks->del_terms);
		sqlite3_reset(ks->del_terms);
		return r == SQLITE_DONE ? GT_OK : gt_fail_sql(st, _("saving the case's search keys"));
	}
	for (int i = 0; i < ks->old.n; i++) {
		if (i == ks->old.id_at || (!ks->bulk && term_in(&ks->cur, ks->old.t[i])))
			continue;
		sqlite3_bind_text(ks->del_term, 1, ks->old.t[i], -1, SQLITE_STATIC);
		sqlite3_bind_int64(ks->del_term, 2, case_id);
		r = sqlite3_step(ks->del_term);
		sqlite3_reset(ks->del_term);
		if (r != SQLITE_DONE)
			return gt_fail_sql(st, _("saving the case's search keys"));
	}
	return GT_OK;
}

/* ---- a bulk load's terms, sorted runs merged once
 *
 * case_terms is a WITHOUT ROWID table: its rows are its primary key's
 * B-tree, (term, case_id). A case's 10 or so terms written as the case
 * comes go each to a random place of that tree: a seek from its root
 * through pages that are rarely in the CPU's caches, about 6,000
 * instructions a term, a quarter of an import. During a bulk load
 * (gt_keys_bulk) the new cases' terms are kept in a run instead; when it
 * is full (RUN_TERMS terms or RUN_TEXT bytes, 16 MiB in all: the memory
 * does not grow with the file) it is sorted here and written to a scratch
 * file (run_spill), and at the end of the load the runs and the last one,
 * still in memory, are merged (term_merge) and written in the terms'
 * order by one INSERT ... SELECT from the merge (the table-valued function
 * gt_term_run). Each row then lands after the table's last one: SQLite
 * appends it without a seek (btree.c, sqlite3BtreeIndexMoveto, for a key
 * after the last within one statement), and each page of case_terms is
 * written once. (Written into case_terms a run at a time, each run after
 * the first went into an ever larger tree, a seek from the root a term and
 * its pages rewritten by every run: 9.8 of the 1M import's 25.9 s of
 * writing.) SQLite's own sorter (INSERT ... SELECT ... ORDER BY from the
 * stored cases at the end) cost more than the seeks it saved: about 1,900
 * instructions a term for its sort alone. The rows are those the
 * row-by-row writes make (tests/unit/test_keys.c compares both).
 *
 * Appended in order, a WITHOUT ROWID table's pages are left about an
 * eighth empty (SQLite balances the full last leaf with its two left
 * siblings; only CREATE INDEX and the copy of a whole table into an empty
 * one, with their bulk cursor, fill them whole): case_terms took 2.7%
 * more pages than when the runs were merged into it one by one (the 1M
 * file 2.51 times its CSV's bytes, from 2.49). So when runs were spilled
 * and case_terms is empty (a bulk load into an empty store), the merge is
 * written to a table made like it and copied into it whole (stage_make).
 *
 * A case written again (old) whose terms the run holds has them dropped
 * from it; one whose terms a spilled run holds has them left out of that
 * run by the merge (struct skip); one whose terms are in case_terms has
 * them deleted there as usual; either way its new terms go to the run, so
 * that a case's terms are all in one run or all in case_terms. (Its new
 * terms went to case_terms once, and a single such row, of a renamed
 * applicant's other case, was enough to put most of the next run's terms
 * before the last row of the table: each of them was then a seek from the
 * root.) */

/* case_terms' order, (term, case_id), of two terms given with their heads
 * (their first 8 bytes, big-endian, 0 after their end). */
static inline int term_cmp(uint64_t ha, const char *ta, int64_t ca, uint64_t hb, const char *tb, int64_t cb)
{
	if (ha != hb)
		return ha < hb ? -1 : 1;
	/* The same first 8 bytes: a term shorter than 8 has a 0 in them, so
	 * both are that term; else their rests decide, in byte order (a
	 * BINARY key's order: strcmp compares unsigned bytes). */
	int c = ha & 0xff ? strcmp(ta + 8, tb + 8) : 0;
	if (c)
		return c;
	return (ca > cb) - (ca < cb);
}

static int run_cmp(const void *a, const void *b)
{
	const struct run_term *x = a, *y = b;
	return term_cmp(x->head, x->text, x->case_id, y->head, y->text, y->case_id);
}

/* Sorts the run into r->order: by the heads, a byte at a time from the
 * last (a stable radix sort, linear), then each run of equal heads that is
 * not yet in order by run_cmp (terms of 8 bytes or more; a term written
 * for cases in decreasing order), by qsort. About 150 instructions a term,
 * against 1,100 for qsort of the whole run. */
static void run_sort(struct term_run *r)
{
	struct run_term *a = r->t, *b = r->tmp;
	size_t n = r->n;
	for (int shift = 0; shift < 64; shift += 8) {
		size_t at[256] = { 0 };
		for (size_t i = 0; i < n; i++)
			at[a[i].head >> shift & 0xff]++;
		if (at[a[0].head >> shift & 0xff] == n)
			continue; /* one digit for all: nothing moves */
		for (size_t d = 0, sum = 0; d < 256; d++) {
			size_t c = at[d];
			at[d] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			b[at[a[i].head >> shift & 0xff]++] = a[i];
		struct run_term *swap = a;
		a = b;
		b = swap;
	}
	for (size_t i = 0, j; i < n; i = j) {
		bool sorted = true;
		for (j = i + 1; j < n && a[j].head == a[i].head; j++)
			if (sorted && run_cmp(&a[j - 1], &a[j]) > 0)
				sorted = false;
		if (!sorted)
			qsort(a + i, j - i, sizeof *a, run_cmp);
	}
	r->order = a;
}

static int cmp_case(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* The run without the terms dropped from it, and the cases it holds as
 * ranges of consecutive numbers (malloc'd, *nranges of them) when ranges
 * is not NULL; before it is sorted. -1 when out of memory. */
static int run_compact(struct term_run *r, int64_t (**ranges)[2], size_t *nranges)
{
	size_t kept = 0;
	for (size_t i = 0; i < r->n; i++)
		if (r->t[i].text)
			r->t[kept++] = r->t[i];
	r->n = kept;
	if (!ranges)
		return 0;
	/* The case numbers, in order, in the sort's spare array (not yet
	 * used): in the order they were added unless a case written again
	 * came after later ones. */
	int64_t *id = (int64_t *)(void *)r->tmp;
	size_t n = 0;
	for (size_t i = 0; i < r->n; i++)
		if (!n || id[n - 1] != r->t[i].case_id)
			id[n++] = r->t[i].case_id;
	if (r->unordered)
		qsort(id, n, sizeof *id, cmp_case);
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		m += !i || (id[i] != id[i - 1] && id[i] != id[i - 1] + 1);
	if (!(*ranges = malloc((m ? m : 1) * sizeof **ranges)))
		return -1;
	m = 0;
	for (size_t i = 0; i < n; i++) {
		if (i && id[i] == id[i - 1])
			continue;
		if (i && id[i] == id[i - 1] + 1) {
			(*ranges)[m - 1][1] = id[i];
			continue;
		}
		(*ranges)[m][0] = (*ranges)[m][1] = id[i];
		m++;
	}
	*nranges = m;
	return 0;
}

/* ---- the scratch file's records
 *
 * A spilled run is its terms in order, each as the length of the part it
 * shares with the term before, the length of the rest, the rest, and its
 * case number less the one before (zigzag): unsigned LEB128 numbers. The
 * terms of a sorted run share most of their bytes with the one before (a
 * name's suffixes, its pinyin's, the case numbers), so the file is small
 * beside the run. */
enum { REC_MAX = 3 + 3 + GT_TERM_BYTES + 10, SPILL_BUF = 256 << 10 };

static size_t put_uint(unsigned char *p, uint64_t v)
{
	size_t n = 0;
	while (v >= 0x80) {
		p[n++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (unsigned char)v;
	return n;
}

/* The number at *p (before end), *p moved past it; false when it does not
 * read. */
static bool get_uint(const unsigned char **p, const unsigned char *end, uint64_t *v)
{
	uint64_t x = 0;
	for (int shift = 0; *p < end && shift < 64; shift += 7) {
		unsigned char b = *(*p)++;
		x |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*v = x;
			return true;
		}
	}
	return false;
}

static bool write_all(int fd, const unsigned char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = EIO;
			return false;
		}
		p += w;
		n -= (size_t)w;
	}
	return true;
}

static int spill_fail(gt_store *st, int e)
{
	return gt_fail(st, GT_ERR, "%s: %s", _("saving the case's search keys"), strerror(e));
}

/* Sorts the full run r and writes it to the scratch file (open: sp->fd);
 * empties it. No SQLite and no store: it runs on the spiller's thread
 * (stop, when set, ends it with ECANCELED). 0, or an errno. */
static int spill_run(struct term_run *r, struct spill *sp, const atomic_bool *stop)
{
	struct spilled one = { 0 };
	if (run_tmp(r) != 0 || run_compact(r, &one.cases, &one.ncases) != 0)
		return ENOMEM;
	if (!r->n) {
		free(one.cases);
		r->used = 0;
		r->unordered = false;
		return 0;
	}
	if (sp->n == sp->cap) {
		size_t cap = sp->cap ? 2 * sp->cap : 16;
		struct spilled *runs = realloc(sp->runs, cap * sizeof *runs);
		if (!runs) {
			free(one.cases);
			return ENOMEM;
		}
		sp->runs = runs;
		sp->cap = cap;
	}
	if (!sp->buf && !(sp->buf = malloc(SPILL_BUF))) {
		free(one.cases);
		return ENOMEM;
	}
	run_sort(r);
	one.from = sp->end;
	const char *prev = "";
	size_t prev_len = 0, at = 0;
	int64_t prev_case = 0;
	int e = 0;
	for (size_t i = 0; !e && i < r->n; i++) {
		const struct run_term *t = &r->order[i];
		size_t len = strlen(t->text), same = 0;
		while (same < len && same < prev_len && t->text[same] == prev[same])
			same++;
		if (at + REC_MAX > SPILL_BUF) {
			if (stop && atomic_load_explicit(stop, memory_order_relaxed))
				e = ECANCELED;
			else if (!write_all(sp->fd, sp->buf, at))
				e = errno;
			at = 0;
			if (e)
				break;
		}
		at += put_uint(sp->buf + at, same);
		at += put_uint(sp->buf + at, len - same);
		memcpy(sp->buf + at, t->text + same, len - same);
		at += len - same;
		int64_t d = (int64_t)((uint64_t)t->case_id - (uint64_t)prev_case);
		at += put_uint(sp->buf + at, (uint64_t)d << 1 ^ (uint64_t)(d >> 63));
		prev = t->text;
		prev_len = len;
		prev_case = t->case_id;
	}
	if (!e && at && !write_all(sp->fd, sp->buf, at))
		e = errno;
	if (!e && (one.to = lseek(sp->fd, 0, SEEK_CUR)) < 0)
		e = errno;
	if (e) {
		free(one.cases);
		return e;
	}
	sp->end = one.to;
	sp->runs[sp->n++] = one;
	r->n = r->used = 0;
	r->unordered = false;
	return 0;
}

/* Tests: the spiller's thread waits, before it starts, until the writer
 * waits for it (spill_wait), so that what the writer does meanwhile
 * (a case written again whose terms the run being spilled holds) happens
 * while the run is surely being spilled. */
static bool spill_hold;
static pthread_mutex_t hold_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t hold_cv = PTHREAD_COND_INITIALIZER;

void gt_keys_spill_hold(bool hold)
{
	spill_hold = hold;
}

static void *spill_main(void *arg)
{
	struct gt_keys_stmts *ks = arg;
	struct spiller *sr = &ks->spiller;
	if (spill_hold) {
		pthread_mutex_lock(&hold_mu);
		while (!sr->joining)
			pthread_cond_wait(&hold_cv, &hold_mu);
		pthread_mutex_unlock(&hold_mu);
	}
	sr->err = spill_run(&ks->spare, &ks->spill, &sr->stop);
	return NULL;
}

/* Joins the spiller's thread, if one runs: its errno (0: none). */
static int spill_join(struct gt_keys_stmts *ks)
{
	struct spiller *sr = &ks->spiller;
	if (!sr->busy)
		return 0;
	pthread_mutex_lock(&hold_mu);
	sr->joining = true;
	pthread_cond_broadcast(&hold_cv);
	pthread_mutex_unlock(&hold_mu);
	pthread_join(sr->thread, NULL);
	sr->busy = sr->joining = false;
	int e = sr->err;
	sr->err = 0;
	return e;
}

static int spill_drops_apply(gt_store *st, struct spill *sp);
static struct side *rows_side(gt_store *st);

/* Waits for the run being spilled: then ks->spill holds it, and the spare
 * run is empty; the drops asked for meanwhile are made (spill_drop_later).
 * Its failure fails the load. */
static int spill_wait(gt_store *st, struct gt_keys_stmts *ks)
{
	int e = spill_join(ks);
	return e ? spill_fail(st, e) : spill_drops_apply(st, &ks->spill);
}

/* Stops the run being spilled (a failed or ended load): promptly, at its
 * next write; its outcome does not matter. */
static void spill_stop(struct gt_keys_stmts *ks)
{
	if (!ks->spiller.busy)
		return;
	atomic_store(&ks->spiller.stop, true);
	spill_join(ks);
	atomic_store(&ks->spiller.stop, false);
}

/* The run is full: it is handed to the spiller's thread (sorted and
 * written to the scratch file there), and the writer goes on with the
 * spare run's arrays, once the run handed over before is written. Where
 * no thread can be started the run is spilled here. Peak memory: two
 * runs (the one filling, the one being spilled), whatever the number of
 * cases. */
static int run_spill(gt_store *st, struct gt_keys_stmts *ks)
{
	int rc = spill_wait(st, ks);
	if (rc)
		return rc;
	struct spill *sp = &ks->spill;
	if (sp->fd < 0) {
		char *dir = gt_store_dir(st);
		sp->fd = dir ? gt_file_scratch(dir) : -1;
		int e = dir ? errno : ENOMEM;
		sqlite3_free(dir);
		if (sp->fd < 0)
			return spill_fail(st, e);
	}
	struct term_run full = ks->run;
	ks->run = ks->spare;
	ks->spare = full;
	struct spiller *sr = &ks->spiller;
	sr->err = 0;
	if (pthread_create(&sr->thread, NULL, spill_main, ks) == 0) {
		sr->busy = true;
		return GT_OK;
	}
	int e = spill_run(&ks->spare, sp, NULL);
	return e ? spill_fail(st, e) : GT_OK;
}

/* ---- the merge of the runs
 *
 * One source a run: the spilled ones read back through a buffer each
 * (SPILL_READ bytes in all, whatever their number), the last from memory.
 * A tournament of losers (Knuth, 5.4.1) picks the next term: log2 of the
 * runs' number of comparisons a term. */
enum { SPILL_READ = 4 << 20, SOURCE_BUF_MIN = 16 << 10 };

struct source {
	const char *term; /* the current term (NULL: no more) */
	int len;          /* its length (-1: from the run in memory) */
	uint64_t head;    /* as run_term's */
	int64_t case_id;
	/* a spilled run */
	size_t run;
	off_t at, to; /* what is left of it in the file, after buf */
	unsigned char *buf;
	size_t pos, got, size;
	char own[GT_TERM_BYTES];
	/* the run in memory */
	const struct term_run *mem;
	size_t i;
};

struct term_merge {
	const struct spill *sp;
	struct source *src;
	size_t k;     /* sources, padded to a power of two with empty ones */
	size_t *tree; /* tree[0]: the winner; tree[1..k): the losers */
	uint64_t *skip_bits; /* a case number's bit set: it may be in sp->skip (sorted) */
	int err;      /* errno of a failed read, or EILSEQ: the file does not read back */
	atomic_bool *stop; /* set: the merge ends (ECANCELED) */
};

static bool src_less(const struct source *a, const struct source *b)
{
	if (!a->term || !b->term)
		return a->term && !b->term;
	return term_cmp(a->head, a->term, a->case_id, b->head, b->term, b->case_id) < 0;
}

/* A term's first 8 bytes, big-endian, 0 after its end. */
static uint64_t head_of(const char *t, size_t len)
{
	uint64_t h = 0;
	for (size_t j = 0; j < 8; j++)
		h = h << 8 | (j < len ? (uint8_t)t[j] : 0);
	return h;
}

static int skip_cmp(const void *a, const void *b)
{
	const struct skip *x = a, *y = b;
	if (x->case_id != y->case_id)
		return (x->case_id > y->case_id) - (x->case_id < y->case_id);
	return (x->run > y->run) - (x->run < y->run);
}

static bool skipped(const struct term_merge *m, int64_t case_id, size_t run)
{
	uint64_t bit = (uint64_t)case_id & 0xffff;
	if (!m->skip_bits || !(m->skip_bits[bit >> 6] >> (bit & 63) & 1))
		return false;
	struct skip key = { case_id, run };
	return bsearch(&key, m->sp->skip, m->sp->nskip, sizeof key, skip_cmp) != NULL;
}

/* Moves source s to its next term; -1 when the file does not read. */
static int src_next(struct term_merge *m, struct source *s)
{
	if (s->mem) {
		if (s->i >= s->mem->n) {
			s->term = NULL;
			return 0;
		}
		const struct run_term *t = &s->mem->order[s->i++];
		s->term = t->text;
		s->head = t->head;
		s->case_id = t->case_id;
		return 0;
	}
	for (;;) {
		if (s->got - s->pos < REC_MAX && s->at < s->to) {
			memmove(s->buf, s->buf + s->pos, s->got - s->pos);
			s->got -= s->pos;
			s->pos = 0;
			size_t want = s->size - s->got;
			if ((off_t)want > s->to - s->at)
				want = (size_t)(s->to - s->at);
			ssize_t r;
			do
				r = pread(m->sp->fd, s->buf + s->got, want, s->at);
			while (r < 0 && errno == EINTR);
			if (r <= 0) {
				m->err = r < 0 ? errno : EIO;
				return -1;
			}
			s->got += (size_t)r;
			s->at += r;
		}
		if (s->pos == s->got) {
			s->term = NULL;
			return 0;
		}
		const unsigned char *p = s->buf + s->pos, *end = s->buf + s->got;
		uint64_t same, rest, z;
		size_t len = s->len < 0 ? 0 : (size_t)s->len;
		if (!get_uint(&p, end, &same) || !get_uint(&p, end, &rest) || same > len ||
		    rest >= GT_TERM_BYTES - same || (size_t)(end - p) < rest) {
			m->err = EILSEQ;
			return -1;
		}
		memcpy(s->own + same, p, rest);
		p += rest;
		if (!get_uint(&p, end, &z)) {
			m->err = EILSEQ;
			return -1;
		}
		len = same + rest;
		s->own[len] = '\0';
		s->len = (int)len;
		s->pos = (size_t)(p - s->buf);
		s->case_id = (int64_t)((uint64_t)s->case_id + (z >> 1 ^ -(z & 1)));
		s->term = s->own;
		if (same < 8)
			s->head = head_of(s->own, len);
		if (!skipped(m, s->case_id, s->run))
			return 0;
	}
}

static void merge_free(struct term_merge *m)
{
	for (size_t i = 0; m->src && i < m->k; i++)
		free(m->src[i].buf);
	free(m->src);
	free(m->tree);
	free(m->skip_bits);
	memset(m, 0, sizeof *m);
}

/* The sources, their first terms and the first tournament: the spilled
 * runs and r (sorted). -1 with m->err set. */
static int merge_start(struct term_merge *m, struct spill *sp, const struct term_run *r)
{
	memset(m, 0, sizeof *m);
	m->sp = sp;
	size_t n = sp->n + 1;
	m->k = 1;
	while (m->k < n)
		m->k *= 2;
	size_t size = SPILL_READ / n;
	if (size < SOURCE_BUF_MIN)
		size = SOURCE_BUF_MIN;
	if (!(m->src = calloc(m->k, sizeof *m->src)) || !(m->tree = calloc(m->k, sizeof *m->tree)) ||
	    (sp->nskip && !(m->skip_bits = calloc(1 << 10, sizeof *m->skip_bits)))) {
		m->err = ENOMEM;
		return -1;
	}
	if (sp->nskip)
		qsort(sp->skip, sp->nskip, sizeof *sp->skip, skip_cmp);
	for (size_t i = 0; i < sp->nskip; i++) {
		uint64_t bit = (uint64_t)sp->skip[i].case_id & 0xffff;
		m->skip_bits[bit >> 6] |= UINT64_C(1) << (bit & 63);
	}
	for (size_t i = 0; i < m->k; i++) {
		struct source *s = &m->src[i];
		s->len = -1;
		if (i < sp->n) {
			s->run = i;
			s->at = sp->runs[i].from;
			s->to = sp->runs[i].to;
			s->size = size;
			s->len = 0;
			if (!(s->buf = malloc(size))) {
				m->err = ENOMEM;
				return -1;
			}
		} else if (i == sp->n) {
			s->mem = r;
		} else {
			continue; /* padding: no term */
		}
		if (src_next(m, s) != 0)
			return -1;
	}
	/* The first tournament, from the leaves up: win[k + i] is source i. */
	size_t *win = malloc(2 * m->k * sizeof *win);
	if (!win) {
		m->err = ENOMEM;
		return -1;
	}
	for (size_t i = 0; i < m->k; i++)
		win[m->k + i] = i;
	for (size_t j = m->k - 1; j >= 1; j--) {
		size_t a = win[2 * j], b = win[2 * j + 1];
		bool b_first = src_less(&m->src[b], &m->src[a]);
		win[j] = b_first ? b : a;
		m->tree[j] = b_first ? a : b;
	}
	m->tree[0] = win[1];
	free(win);
	return 0;
}

/* The next term: the winner's source moves on, and plays its way up. */
static int merge_next(struct term_merge *m)
{
	if (m->stop && atomic_load_explicit(m->stop, memory_order_relaxed)) {
		m->err = ECANCELED;
		return -1;
	}
	size_t w = m->tree[0];
	if (src_next(m, &m->src[w]) != 0)
		return -1;
	for (size_t j = (m->k + w) / 2; j >= 1; j /= 2)
		if (src_less(&m->src[m->tree[j]], &m->src[w])) {
			size_t t = m->tree[j];
			m->tree[j] = w;
			w = t;
		}
	m->tree[0] = w;
	return 0;
}

static const struct source *merge_top(const struct term_merge *m)
{
	const struct source *s = &m->src[m->tree[0]];
	return s->term ? s : NULL;
}

/* The merge's rows, in order: (term, case_id), from the merge bound to its
 * hidden argument by sqlite3_bind_pointer (type "gt_term_run"). */
enum { RUN_COL_TERM, RUN_COL_CASE, RUN_COL_RUN };

static bool run_done(const void *p, size_t at)
{
	(void)at;
	return !merge_top(p);
}

static int run_next(void *p)
{
	return merge_next(p);
}

static void run_column(const void *p, size_t at, int col, sqlite3_context *ctx)
{
	(void)at;
	const struct source *s = merge_top(p);
	/* Static: the term stays where it is until the cursor moves on. */
	if (col == RUN_COL_TERM)
		sqlite3_result_text(ctx, s->term, s->len, SQLITE_STATIC);
	else if (col == RUN_COL_CASE)
		sqlite3_result_int64(ctx, s->case_id);
}

static const struct gt_ptr_table run_table = {
	.name = "gt_term_run",
	.decl = "CREATE TABLE x (term TEXT, case_id INTEGER, run HIDDEN)",
	.hidden = RUN_COL_RUN,
	.rows = RUN_TERMS,
	.done = run_done,
	.next = run_next,
	.column = run_column,
};

/* case_terms' declaration under the name name, when case_terms is empty
 * (else *make is NULL; sqlite3_free it). */
static int terms_decl(gt_store *st, const char *name, char **make)
{
	static const char table[] = "CREATE TABLE case_terms ";
	*make = NULL;
	sqlite3_stmt *s = gt_prepare(st, "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'case_terms' "
					 "AND NOT EXISTS (SELECT 1 FROM case_terms)");
	if (!s)
		return GT_ERR;
	int rc = GT_OK;
	if (sqlite3_step(s) == SQLITE_ROW && strncmp(gt_col_text(s, 0), table, sizeof table - 1) == 0 &&
	    !(*make = sqlite3_mprintf("CREATE TABLE %s %s", name, gt_col_text(s, 0) + sizeof table - 1)))
		rc = gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
	sqlite3_finalize(s);
	return rc;
}

/* The table the merge of spilled runs is written to when case_terms is
 * empty and the merge cannot run on its own thread (side_start): gt_terms_stage, made as case_terms is (from its declaration),
 * copied into it by SQLite's transfer (INSERT INTO case_terms SELECT *:
 * its pages filled whole) and dropped (*stage true). It is emptied before
 * it is dropped: DROP TABLE runs under a statement journal, in memory
 * under the store's temp_store = MEMORY, and Debian's SQLite
 * (SECURE_DELETE) zeroes each page it frees: the journal held a copy of
 * every page of the table (the import's peak 258 MiB at 1M); DELETE of
 * all its rows clears them without a statement journal. */
static int stage_make(gt_store *st, bool *stage)
{
	char *make;
	int rc = terms_decl(st, "gt_terms_stage", &make);
	*stage = false;
	if (!rc && make && sqlite3_exec(st->db, make, NULL, NULL, NULL) != SQLITE_OK)
		rc = gt_fail_sql(st, _("saving the case's search keys"));
	else if (!rc && make)
		*stage = true;
	sqlite3_free(make);
	return rc;
}

/* The merge's statement: every term in order, after the table's last. */
#define TERMS_APPEND "INSERT OR IGNORE INTO %s (term, case_id) SELECT term, case_id FROM gt_term_run(?1)"

/* Starts the merge m of the spilled runs and the run (compacted; sorted
 * here): 0, or an errno. */
static int merge_open(struct term_run *r, struct spill *sp, struct term_merge *m)
{
	memset(m, 0, sizeof *m);
	if (r->n && run_tmp(r) != 0)
		return ENOMEM;
	if (r->n)
		run_sort(r);
	return merge_start(m, sp, r) != 0 ? m->err : 0;
}

/* Writes every term of the load to case_terms, in order (the spilled runs
 * and the run, merged); empties the run and the spill. */
static int terms_write(gt_store *st, struct gt_keys_stmts *ks)
{
	struct term_run *r = &ks->run;
	struct spill *sp = &ks->spill;
	int waited = spill_wait(st, ks);
	if (waited)
		return waited;
	run_compact(r, NULL, NULL);
	if (!r->n && !sp->n) {
		r->used = 0;
		r->unordered = false;
		return GT_OK;
	}
	struct term_merge m;
	int rc = GT_OK, e = merge_open(r, sp, &m);
	if (e) {
		rc = spill_fail(st, e);
		goto out;
	}
	/* The module is registered again for each merge, and the statement
	 * prepared for it and finalized after (the cost is nothing). SQLite
	 * 3.40 keeps a table-valued function's table with a pointer to the
	 * schema it was first used under: once the schema was made again
	 * (sqlite3_deserialize, as fuzz_import resets its store), the next
	 * query of it read freed memory. Registering the module again drops
	 * that table (fuzz_import's crash of 2026-12-06;
	 * tests/unit/test_keys.c: a run written after the schema was made
	 * again). */
	if ((rc = gt_ptr_table_register(st, &run_table)))
		goto out;
	bool stage = false;
	if (sp->n && (rc = stage_make(st, &stage)))
		goto out;
	char sql[160];
	snprintf(sql, sizeof sql, TERMS_APPEND, stage ? "gt_terms_stage" : "case_terms");
	sqlite3_stmt *ins = gt_prepare(st, sql);
	if (!ins) {
		rc = GT_ERR;
		goto out;
	}
	sqlite3_bind_pointer(ins, 1, &m, "gt_term_run", NULL);
	int step = sqlite3_step(ins);
	sqlite3_finalize(ins);
	if (step != SQLITE_DONE)
		rc = m.err ? spill_fail(st, m.err) : gt_fail_sql(st, _("saving the case's search keys"));
	if (!rc && stage &&
	    sqlite3_exec(st->db, "INSERT OR IGNORE INTO case_terms SELECT * FROM gt_terms_stage; DELETE FROM gt_terms_stage; "
				 "DROP TABLE gt_terms_stage", NULL, NULL, NULL) != SQLITE_OK)
		rc = gt_fail_sql(st, _("saving the case's search keys"));
out:
	merge_free(&m);
	spill_free(sp);
	r->n = r->used = 0;
	r->unordered = false;
	return rc;
}

/* Drops the terms of case case_id from the run; whether it held them.
 * The run holds the terms in the order they were added: by case number
 * until a case written again adds its terms after later cases' (then
 * unordered, and the whole run is looked through: a few hundred
 * microseconds, for one row in a thousand of the 1M file). */
static bool run_drop_case(struct term_run *r, int64_t case_id)
{
	size_t lo = 0, hi = r->n;
	while (!r->unordered && lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (r->t[mid].case_id < case_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	bool held = false;
	for (; lo < r->n; lo++) {
		if (r->t[lo].case_id != case_id) {
			if (r->unordered)
				continue;
			break;
		}
		if (r->t[lo].text) {
			r->t[lo].text = NULL; /* left out when the run is written */
			held = true;
		}
	}
	return held;
}

/* Whether a spilled run holds the terms of case case_id: then the merge
 * leaves them out of it (the last run that holds the case: an earlier
 * one's were left out when it was written again before). -1 when out of
 * memory. */
static int spill_drop_case(struct spill *sp, int64_t case_id)
{
	for (size_t i = sp->n; i-- > 0;) {
		const struct spilled *run = &sp->runs[i];
		size_t lo = 0, hi = run->ncases;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (run->cases[mid][1] < case_id)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo == run->ncases || run->cases[lo][0] > case_id)
			continue;
		if (sp->nskip == sp->skip_cap) {
			size_t cap = sp->skip_cap ? 2 * sp->skip_cap : 64;
			struct skip *skip = realloc(sp->skip, cap * sizeof *skip);
			if (!skip)
				return -1;
			sp->skip = skip;
			sp->skip_cap = cap;
		}
		sp->skip[sp->nskip++] = (struct skip){ case_id, i };
		return 1;
	}
	return 0;
}

/* A case written again while a run is being spilled, during a load whose
 * second thread takes the rows: which run holds its terms is asked once
 * that run is written (spill_drops_apply, at the writer's next wait for
 * the spiller: the next full run, the end of the rows), not now. The
 * writer waited for the spiller there for each such case, 0.47 s of a 1M
 * import's rows (1,718 cases written again). The answer is the one it
 * would have had then: no other run is handed over before that wait
 * (run_spill waits first). */
static int spill_drop_later(gt_store *st, struct spill *sp, int64_t case_id)
{
	if (sp->nlater == sp->later_cap) {
		size_t cap = sp->later_cap ? 2 * sp->later_cap : 64;
		int64_t *l = realloc(sp->later, cap * sizeof *l);
		if (!l)
			return gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
		sp->later = l;
		sp->later_cap = cap;
	}
	sp->later[sp->nlater++] = case_id;
	return GT_OK;
}

/* The drops asked for later, once no run is being spilled. Each case's
 * terms are in a spilled run: the load's tables were empty when it began
 * and each case written since had its terms put in the run (see
 * gt_keys_write). */
static int spill_drops_apply(gt_store *st, struct spill *sp)
{
	for (size_t i = 0; i < sp->nlater; i++) {
		int held = spill_drop_case(sp, sp->later[i]);
		if (held <= 0) {
			sp->nlater = 0;
			return held < 0 ? gt_fail(st, GT_ERR, "%s", strerror(ENOMEM))
					: gt_fail(st, GT_ERR, "%s: %s", _("saving the case's search keys"),
						  _("a case written again has no search keys in the import's runs"));
		}
	}
	sp->nlater = 0;
	return GT_OK;
}

/* Room in the run for n more terms of bytes bytes (their 0s included) of
 * case case_id, the run handed to the spiller first when they would not
 * fit. */
static int run_reserve(gt_store *st, struct gt_keys_stmts *ks, int64_t case_id, size_t n, size_t bytes)
{
	struct term_run *r = &ks->run;
	bool fits = r->n + n <= run_terms && r->used + bytes <= run_text;
	int rc = !fits ? run_spill(st, ks) : GT_OK;
	if (rc)
		return rc;
	if (run_room(r, n, bytes) != 0)
		return gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
	if (r->n && r->t[r->n - 1].case_id > case_id)
		r->unordered = true;
	return GT_OK;
}

/* Adds one term of case case_id to the run (room reserved), its text at
 * text in the run's text. */
static inline void run_put(struct term_run *r, int64_t case_id, const char *text, uint64_t head)
{
	struct run_term *t = &r->t[r->n++];
	t->text = text;
	t->case_id = case_id;
	t->head = head;
}

/* Adds the terms of case case_id to the run: ks->cur (made by terms_of),
 * or given (made on the import's reader thread: all but the case number's,
 * added here as terms_of adds it, unless a term of the case's data is the
 * same text; their text copied as one block). The identity number's is
 * left out (not in case_terms). */
static int run_add_case(gt_store *st, struct gt_keys_stmts *ks, int64_t case_id, const struct gt_terms *given)
{
	struct term_run *r = &ks->run;
	if (!given) {
		size_t len[TERMS_MAX], bytes = 0;
		for (int i = 0; i < ks->cur.n; i++)
			bytes += (len[i] = strlen(ks->cur.t[i])) + 1;
		int n = ks->cur.n - (ks->cur.id_at >= 0);
		if (ks->cur.id_at >= 0)
			bytes -= len[ks->cur.id_at] + 1;
		int rc = run_reserve(st, ks, case_id, (size_t)n, bytes);
		for (int i = 0; !rc && i < ks->cur.n; i++) {
			if (i == ks->cur.id_at)
				continue;
			char *text = memcpy(r->text + r->used, ks->cur.t[i], len[i] + 1);
			r->used += len[i] + 1;
			run_put(r, case_id, text, head_of(text, len[i]));
		}
		return rc;
	}
	char num[24];
	int num_len = case_term(case_id, num);
	bool dup = given->id_len == num_len && memcmp(given->text + given->block, num, (size_t)num_len) == 0;
	const char *p = given->text;
	for (int i = 0; i < given->n && !dup; i++) {
		dup = given->len[i] == num_len && memcmp(p, num, (size_t)num_len) == 0;
		p += given->len[i] + 1;
	}
	bool add = !dup && given->n + (given->id_len >= 0) < TERMS_MAX;
	int rc = run_reserve(st, ks, case_id, (size_t)given->n + add, given->block + (add ? (size_t)num_len + 1 : 0));
	if (rc)
		return rc;
	char *text = memcpy(r->text + r->used, given->text, given->block);
	r->used += given->block;
	for (int i = 0; i < given->n; i++) {
		run_put(r, case_id, text, given->head[i]);
		text += given->len[i] + 1;
	}
	if (add) {
		text = memcpy(r->text + r->used, num, (size_t)num_len + 1);
		r->used += (size_t)num_len + 1;
		run_put(r, case_id, text, head_of(text, (size_t)num_len));
	}
	return GT_OK;
}

/* ---- the second thread: a bulk load's evaluations, keys and terms
 *
 * During a bulk load into a store whose evaluations, case_keys and
 * case_terms are empty (an import into an empty store), the calling
 * (writing) thread is the import's bottleneck and the second core is
 * mostly idle. So the load's evaluations and keys are written on a thread
 * of its own (side_main), on its own SQLite connection to a scratch
 * database, while the rows are read: the writer fills a buffer of rows
 * (gt_rows, a cell a value: cheap) and hands it over when full
 * (side_hand: double-buffered, it waits only while the thread still
 * writes the one before), and the thread writes it by the same
 * INSERT ... SELECT FROM gt_rows(?1) the store's batch would. After the
 * rows (gt_keys_bulk_merge) the thread builds the indexes of those tables
 * there (case_keys_name: the copy carries it), then merges the terms'
 * runs into its case_terms, while the calling thread builds the store's
 * other indexes; then the calling thread joins it and copies the three
 * tables into the store's, still empty, by SQLite's transfer (side_end:
 * each record and each index entry copied as it is, pages filled whole;
 * before the counts' triggers are restored, which would refuse it). The
 * rows are the ones the store's statements would have written:
 * evaluations are numbered by the writer (cs->next_eval), and a case's
 * keys written again replace its row (INSERT OR REPLACE, the upsert's
 * result). Nothing may read those tables from the store meanwhile: what
 * reads an evaluation during a load (the tally of a case written again,
 * its audit row's old outcome) asks gt_keys_side_eval, and what reads
 * keys or terms (delete_old_terms, gt_keys_case_terms) ends the side first
 * (gt_keys_bulk_end: joined, copied) and goes on in the store.
 *
 * When the store's applicants are empty too (an import into a new store)
 * they go there as well: every applicant row of the load, numbered by the
 * writer (cs->next_applicant), a rename as its row again
 * (gt_keys_side_applicant_put), and every read of one (the import's
 * look-up of a number its Bloom filter may have seen, gt_write_case's,
 * gt_load_case's by id) asks gt_keys_side_applicant_find: the rows being
 * filled and those handed over through a small hash of each (app_index),
 * then the thread's connection. The random inserts into the identity
 * numbers' unique index were a tenth of the writer's time at 200k cases,
 * and then, on this thread, a sixth of the load's CPU at 1M: since
 * version 15 the index (applicants_id_number) is built after the rows,
 * from sorted keys, as the other tables' are (side_main), and meanwhile
 * the load's numbers are looked up in memory (struct numbers: exact, in
 * the budget the thread's page cache had for that index; when it is full,
 * the index is built there and then and the look-ups go through it,
 * numbers_off). The thread writes its rows in one transaction
 * (side_rows), and the applicants a row a statement; the table is copied
 * with its index by the transfer (side_end) before the foreign keys are
 * checked (gt_import.c, fk_check).
 *
 * When the three tables are not all empty (an import into a store with
 * cases) and runs of terms were spilled into an empty case_terms, the
 * merge alone runs on such a thread, started after the rows
 * (gt_keys_bulk_merge), as before.
 *
 * The scratch database is a file SQLite opens by its name, made by
 * gt_file_scratch_named: DIR/.guantong-terms-XXXXXX/db, 0600, O_EXCL, in
 * a directory of its own (0700, so nobody else can plant a file or a link
 * there) in the database's directory. Both connections open it
 * (side_open: the thread's, with journal_mode OFF and synchronous OFF, and
 * the store's by ATTACH ... AS gt_side, which SQLite 3.40 allows inside the
 * transaction), each checked to have the file made (a random
 * application_id), then the file and its directory are removed, SIGINT,
 * SIGTERM and SIGHUP held meanwhile: a SIGKILL or a crash in those few
 * milliseconds leaves the directory, with empty tables in it. SQLite reads and writes
 * the unlinked file through its descriptors (it checks that a database was
 * not moved only when it opens a rollback journal, which the thread's
 * connection never does and the store's never does for gt_side, only
 * read). It is attached after BEGIN IMMEDIATE, not before: BEGIN
 * IMMEDIATE takes a write lock on every attached database, which would
 * have kept the thread's connection from writing; the store's reads it
 * only after the thread has ended. DETACH waits for the commit or the
 * rollback (gt_keys_side_detach), and the file's space is freed then.
 *
 * The thread reads the run and the spill, which the calling thread no
 * longer touches from gt_keys_bulk_merge to the join (gt_keys_bulk_end).
 * Two connections on two threads need SQLite's own mutexes (not
 * SQLITE_CONFIG_SINGLETHREAD, as the fuzzer configures): the thread's
 * connection is opened with SQLITE_OPEN_FULLMUTEX, which has a mutex only
 * when SQLite has them (the writer reads an evaluation through it,
 * gt_keys_side_eval); without one everything stays on the calling thread
 * (terms_write). So it does when the scratch file cannot be made or
 * opened. */
enum { SIDE_ROWS = 2048 }; /* rows handed over at a time */
static size_t side_size = SIDE_ROWS; /* gt_keys_side_size */

void gt_keys_side_size(size_t rows)
{
	side_size = rows && rows < SIDE_ROWS ? rows : SIDE_ROWS; /* never more: app_index's slots */
}

/* The memory the thread's connection has with the applicants, in KiB:
 * its page cache, or with the numbers in memory (struct numbers) a page
 * cache of at most NUMBERS_CACHE_KIB and the numbers' slots. Lent by the
 * store's cache (side_cache_lend). */
enum { SIDE_CACHE_KIB = 32768, NUMBERS_CACHE_KIB = 4096 };
static int side_cache_kib = SIDE_CACHE_KIB; /* gt_keys_side_cache */

void gt_keys_side_cache(int kib)
{
	side_cache_kib = kib > 0 ? kib : SIDE_CACHE_KIB;
}

/* The identity numbers of a load's applicants while their index waits for
 * the end of the rows: each as a number (number_key) in key (0: an empty
 * slot), the applicant's id less the first one's in id, open addressing.
 * NUMBERS_SLOTS of 12 bytes: 24 MiB, taken from the page cache the index
 * needed (SIDE_CACHE_KIB), allocated zeroed (gt_table_alloc: the kernel
 * gives a page when it is first touched) and filled to three quarters,
 * 1,572,864 applicants; past that, or for a number not of 17 digits and a check
 * character, numbers_off. At 1M cases (bench/store.sh's file) the rows
 * took 5.7 s instead of 6.2-6.4 s, the index about 0.4 s more on the
 * thread while the store's were built, and the import's peak RSS went
 * from 133 to 118 MiB. */
enum { NUMBERS_SLOTS = 1u << 21 };
static size_t numbers_slots = NUMBERS_SLOTS; /* gt_keys_side_numbers */

void gt_keys_side_numbers(size_t slots)
{
	numbers_slots = slots >= 8 && slots <= NUMBERS_SLOTS && (slots & (slots - 1)) == 0 ? slots : NUMBERS_SLOTS;
}

struct numbers {
	uint64_t *key;
	uint32_t *id;
	size_t slots, n;
	int64_t first; /* the first applicant's id */
	bool off;      /* the index is there (or never needed): look-ups go through it */
};

/* The numbers' memory given back (nothing can be looked up in them after). */
static void numbers_free(struct numbers *nb)
{
	gt_table_free(nb->key, nb->slots * sizeof *nb->key);
	gt_table_free(nb->id, nb->slots * sizeof *nb->id);
	nb->key = NULL;
	nb->id = NULL;
}

/* An index of a buffer of applicant rows (GT_SIDE_APPLICANTS), by identity
 * number and by id: each slot holds a row's position + 1 (0: empty), open
 * addressing, the latest row of a key kept (a rename follows its
 * applicant's row). At most SIDE_ROWS rows a buffer: half full at most. */
enum { APP_SLOTS = 2 * SIDE_ROWS, APP_CELL_RENAME = 0, APP_CELL_ID = 1, APP_CELL_NUMBER = 2, APP_CELL_NAME = 3,
       APP_CELL_BIRTH = 4 };
struct app_index {
	const struct gt_rows *of; /* the buffer it indexes */
	uint32_t by_number[APP_SLOTS], by_id[APP_SLOTS];
};

struct side {
	pthread_t thread;
	sqlite3 *db; /* the thread's connection (closed by it, under mu) */
	struct gt_keys_stmts *ks;
	char *make;  /* the tables' declarations: case_terms', with rows evaluations' and case_keys' too */
	/* With rows: the store's indexes of evaluations, of case_keys and of
	 * case_terms (NULL: none), built there after the rows (the last after
	 * the merge), so that the transfer applies (it needs each of the
	 * destination's indexes in the source). */
	char *indexes[3];
	/* The applicants' own, when the thread takes them (NULL: none), built
	 * after the rows, or amid them by the writer (numbers_off: then NULL,
	 * under mu). */
	char *app_indexes;
	int page_size;
	gt_store *st;
	struct term_merge m;
	atomic_bool stop;
	bool rows;   /* the load's evaluations and keys go there too (from gt_keys_bulk) */
	bool applicants; /* and its applicants (the store's table was empty) */
	/* sqlite3_temp_directory while the thread lives (its index builds'
	 * sorted runs go to files in the store's directory), and before. */
	char *tmpdir, *was_tmpdir;
	pthread_mutex_t mu; /* the fields below; cv: any of them changed */
	pthread_cond_t cv;
	bool sync_made;
	/* No more rows: the thread owns the run and the spill (set by the
	 * calling thread only, which reads it without mu). */
	bool rows_done;
	/* Each table's rows: filled by the writer, handed over (queued, NULL
	 * once written) and given back (spare) for the writer to fill. */
	struct gt_rows *fill[GT_SIDE_TABLES], *queued[GT_SIDE_TABLES], *spare[GT_SIDE_TABLES];
	bool writer_waits; /* in side_hand, for the thread (gt_keys_side_hold) */
	bool failed; /* then what (a message id) and msg say why */
	const char *what;
	char msg[256];
	sqlite3_stmt *read_eval; /* the writer's, on db (gt_keys_side_eval) */
	/* The writer's, on db (gt_keys_side_applicant_find): by number, by id. */
	sqlite3_stmt *read_app[2];
	/* The applicants' two buffers' indexes (fill and queued or spare). */
	struct app_index app_ix[2];
	/* The applicant found or written last (id 0: none): an import asks
	 * for one up to three times in a row (by number, by id as it loads the
	 * case, by number as it writes it), and each ask past the rows being
	 * filled waits for the thread's statement on its connection. */
	struct gt_side_applicant last_app;
	struct numbers num; /* the writer's */
	uint32_t stamp; /* the file's application_id (side_open) */
	int main_cache; /* the store's cache_size, given back at the end of the rows (0: untouched) */
};

/* The page cache of the thread's connection, in KiB, at first: with the
 * applicants the memory lent (SIDE_CACHE_KIB), less the numbers' slots
 * while they are used. */
static int side_cache_first(const struct side *sd)
{
	if (!sd->applicants)
		return 2000;
	return sd->num.off || side_cache_kib < NUMBERS_CACHE_KIB ? side_cache_kib : NUMBERS_CACHE_KIB;
}

/* Opens the scratch database name on its own connection, makes its tables
 * there and attaches it to the store's (gt_file_scratch_named's use; fd:
 * the file made). Both are checked to be that file: the thread's connection
 * stamps it with a random application_id, read back from fd before any
 * row is written, and through the attached database before its tables are
 * copied (side_end: read now, the store's transaction would hold it, and
 * the thread could not write). */
static int side_open(const char *name, int fd, void *arg)
{
	struct side *sd = arg;
	uint32_t stamp = 0;
	while (stamp == 0 || stamp > INT32_MAX)
		if (getentropy(&stamp, sizeof stamp) != 0)
			return -1;
	if (sqlite3_open_v2(name, &sd->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX | SQLITE_OPEN_NOFOLLOW,
			    NULL) != SQLITE_OK ||
	    !sqlite3_db_mutex(sd->db))
		return -1;
	sqlite3_busy_timeout(sd->db, GT_BUSY_TIMEOUT_MS);
	/* With the applicants, a page cache that holds most of their identity
	 * numbers' index, which takes its keys in random order (the rows are
	 * one transaction: a page pushed out is written, and read again). */
	char *prep = sqlite3_mprintf("PRAGMA page_size = %d; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; "
				     "PRAGMA temp_store = MEMORY; PRAGMA foreign_keys = OFF; PRAGMA cache_size = -%d; "
				     "PRAGMA application_id = %u; %s",
				     sd->page_size, side_cache_first(sd), (unsigned)stamp, sd->make);
	int rc = prep ? sqlite3_exec(sd->db, prep, NULL, NULL, NULL) : SQLITE_NOMEM;
	sqlite3_free(prep);
	unsigned char head[4]; /* the header's application_id: offset 68, big-endian */
	if (rc == SQLITE_OK && (pread(fd, head, sizeof head, 68) != (ssize_t)sizeof head ||
				((uint32_t)head[0] << 24 | (uint32_t)head[1] << 16 | (uint32_t)head[2] << 8 | head[3]) != stamp))
		rc = SQLITE_CANTOPEN; /* the connection's file is not the one made */
	if (rc == SQLITE_OK)
		rc = gt_ptr_table_module(sd->db, &run_table);
	if (rc == SQLITE_OK && sd->rows)
		rc = gt_rows_module(sd->db);
	sqlite3_stmt *at = NULL;
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(sd->st->db, "ATTACH ?1 AS gt_side", -1, &at, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(at, 1, name, -1, SQLITE_STATIC);
		rc = sqlite3_step(at) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
		sd->ks->side_attached = rc == SQLITE_OK;
	}
	sqlite3_finalize(at);
	sd->stamp = stamp;
	return rc == SQLITE_OK ? 0 : -1;
}

/* The thread's failure: what it was doing (a message id) and why; the
 * calling thread sees it at its next hand-over, or at the join. */
static void side_fail(struct side *sd, const char *what, const char *why)
{
	pthread_mutex_lock(&sd->mu);
	if (!sd->failed) {
		sd->failed = true;
		sd->what = what;
		snprintf(sd->msg, sizeof sd->msg, "%s", why);
	}
	pthread_cond_broadcast(&sd->cv);
	pthread_mutex_unlock(&sd->mu);
}

/* The calling thread's error for the thread's failure (seen under mu). */
static int side_failure(gt_store *st, struct side *sd)
{
	return gt_fail(st, GT_ERR, "%s: %s", _(sd->what), sd->msg);
}

/* Runs sql on the thread's connection; false (and failed) when it fails. */
static bool side_exec(struct side *sd, const char *sql, const char *what)
{
	if (sqlite3_exec(sd->db, sql, NULL, NULL, NULL) == SQLITE_OK)
		return true;
	side_fail(sd, what, sqlite3_errmsg(sd->db));
	return false;
}

/* The applicants' rows of r, each by its statement (cell k bound to ?k):
 * a rename by ren, a new one by ins, whose rowid is SQLite's own (the
 * table's largest plus one: the writer numbered them from there, in this
 * order), which spares a seek of the table, and is checked. False when
 * one fails (*mismatch: by its number). */
static bool side_app_rows(sqlite3 *db, sqlite3_stmt *ins, sqlite3_stmt *ren, const struct gt_rows *r, bool *mismatch)
{
	for (size_t at = 0; at < gt_rows_count(r); at++) {
		bool rename = gt_rows_get_int(r, at, APP_CELL_RENAME) != 0;
		sqlite3_stmt *s = rename ? ren : ins;
		int64_t id = gt_rows_get_int(r, at, APP_CELL_ID);
		int n = 0;
		const char *v;
		sqlite3_bind_int64(s, 1, id);
		v = gt_rows_get_text(r, at, APP_CELL_NUMBER, &n);
		sqlite3_bind_text(s, 2, v, n, SQLITE_STATIC);
		n = 0;
		v = gt_rows_get_text(r, at, APP_CELL_NAME, &n);
		sqlite3_bind_text(s, 3, v, n, SQLITE_STATIC);
		sqlite3_bind_int64(s, 4, gt_rows_get_int(r, at, APP_CELL_BIRTH));
		if (sqlite3_step(s) != SQLITE_DONE)
			return false;
		sqlite3_reset(s);
		if (!rename && sqlite3_last_insert_rowid(db) != id) {
			*mismatch = true;
			return false;
		}
	}
	return true;
}

/* For tests: the thread leaves the applicants' rows handed over unwritten
 * until the writer waits for it (the next hand-over, the end of the rows),
 * so that a look-up finds them there. */
static bool side_hold;

void gt_keys_side_hold(bool hold)
{
	side_hold = hold;
}

/* The thread's part of the rows: each buffer handed over, written by one
 * INSERT ... SELECT (the applicants a row at a time), in one transaction,
 * until the rows are done (true) or it fails or is stopped (false). */
static bool side_rows(struct side *sd)
{
	static const char *const what[GT_SIDE_TABLES] = { N_("saving the evaluation"),
							  N_("saving the case's search keys"),
							  N_("saving the applicant") };
	sqlite3_stmt *ins[GT_SIDE_TABLES] = { NULL };
	char sql[1024];
	gt_eval_rows_sql(sql, sizeof sql);
	/* The applicants a row a statement (side_app_rows): the rows are
	 * written in one transaction (below), inside which the CHECK calling
	 * length() makes SQLite keep a statement journal for an INSERT of
	 * several rows (rows_insert_each, gt_case_io.c). A rename is its
	 * applicant's id again: the row takes the new name, as the store's
	 * UPDATE. */
	const char *const ins_sql[GT_SIDE_TABLES] = {
		sql,
		"INSERT OR REPLACE INTO case_keys (case_id, name_key, pinyin, initials, syllables) "
		"SELECT c1, c2, c3, c4, c5 FROM gt_rows(?1)",
		"INSERT INTO applicants (id_number, name, birth_date) VALUES (?2, ?3, ?4)",
	};
	sqlite3_stmt *ren = NULL;
	if (sd->applicants &&
	    sqlite3_prepare_v2(sd->db, "INSERT INTO applicants (id, id_number, name, birth_date) VALUES (?1, ?2, ?3, ?4) "
			       "ON CONFLICT (id) DO UPDATE SET name = excluded.name", -1, &ren, NULL) != SQLITE_OK) {
		side_fail(sd, what[GT_SIDE_APPLICANTS], sqlite3_errmsg(sd->db));
		return false;
	}
	for (int t = 0; t < GT_SIDE_TABLES; t++)
		if ((t != GT_SIDE_APPLICANTS || sd->applicants) &&
		    sqlite3_prepare_v2(sd->db, ins_sql[t], -1, &ins[t], NULL) != SQLITE_OK) {
			side_fail(sd, what[t], sqlite3_errmsg(sd->db));
			for (int i = 0; i < t; i++)
				sqlite3_finalize(ins[i]);
			sqlite3_finalize(ren);
			return false;
		}
	/* One transaction for the rows: each statement's own (autocommit)
	 * wrote every page it changed, and the identity numbers' index takes
	 * its keys in random order: most of its pages, again and again. */
	bool ok = side_exec(sd, "BEGIN", what[GT_SIDE_EVALS]);
	pthread_mutex_lock(&sd->mu);
	for (;;) {
		int t = -1;
		while (!sd->failed && !atomic_load(&sd->stop)) {
			for (int i = 0; i < GT_SIDE_TABLES && t < 0; i++)
				if (sd->queued[i] && (i != GT_SIDE_APPLICANTS || !side_hold || sd->writer_waits || sd->rows_done))
					t = i;
			if (t >= 0 || sd->rows_done)
				break;
			pthread_cond_wait(&sd->cv, &sd->mu);
		}
		if (t < 0 || sd->failed || atomic_load(&sd->stop))
			break;
		struct gt_rows *r = sd->queued[t];
		pthread_mutex_unlock(&sd->mu);
		bool mismatch = false;
		if (t == GT_SIDE_APPLICANTS) {
			ok = side_app_rows(sd->db, ins[t], ren, r, &mismatch);
		} else {
			sqlite3_bind_pointer(ins[t], 1, r, "gt_rows", NULL);
			ok = sqlite3_step(ins[t]) == SQLITE_DONE;
		}
		if (!ok)
			side_fail(sd, what[t], mismatch ? "an applicant's number is not the one counted" : sqlite3_errmsg(sd->db));
		sqlite3_reset(ins[t]);
		sqlite3_reset(ren);
		pthread_mutex_lock(&sd->mu);
		if (!ok)
			break;
		gt_rows_empty(r);
		sd->spare[t] = r;
		sd->queued[t] = NULL;
		pthread_cond_broadcast(&sd->cv);
	}
	ok = !sd->failed && !atomic_load(&sd->stop);
	pthread_mutex_unlock(&sd->mu);
	for (int t = 0; t < GT_SIDE_TABLES; t++)
		sqlite3_finalize(ins[t]);
	sqlite3_finalize(ren);
	return ok && side_exec(sd, "COMMIT", what[GT_SIDE_EVALS]);
}

/* Merges the runs of terms (the spilled ones and the one in memory) into
 * the scratch database's case_terms; false when it failed. */
static bool side_merge(struct side *sd)
{
	struct gt_keys_stmts *ks = sd->ks;
	struct term_run *r = &ks->run;
	run_compact(r, NULL, NULL);
	int e = merge_open(r, &ks->spill, &sd->m);
	sd->m.stop = &sd->stop;
	/* The load's last merge: the sort's other array (6 MiB) is not needed
	 * again, nor is the run once merged (below), while the calling thread
	 * builds the indexes. */
	if (r->order == r->tmp) {
		free(r->t);
		r->t = NULL;
	} else {
		free(r->tmp);
		r->tmp = NULL;
	}
	char sql[160];
	snprintf(sql, sizeof sql, TERMS_APPEND, "case_terms");
	sqlite3_stmt *ins = NULL;
	bool done = false;
	if (!e && sqlite3_prepare_v2(sd->db, sql, -1, &ins, NULL) == SQLITE_OK) {
		sqlite3_bind_pointer(ins, 1, &sd->m, "gt_term_run", NULL);
		done = sqlite3_step(ins) == SQLITE_DONE;
		e = done ? 0 : sd->m.err;
	}
	if (!done)
		side_fail(sd, N_("saving the case's search keys"), e ? strerror(e) : sqlite3_errmsg(sd->db));
	sqlite3_finalize(ins);
	merge_free(&sd->m);
	run_free(r);
	spill_free(&ks->spill);
	return done;
}

static void *side_main(void *arg)
{
	struct side *sd = arg;
	static const char *const what[3] = { N_("saving the evaluation"), N_("saving the case's search keys"),
					     N_("saving the case's search keys") };
	bool ok = !sd->rows || side_rows(sd);
	/* The indexes' sorts in files in the store's directory (sd->tmpdir),
	 * not in memory (see bulk_indexes, gt_import.c). */
	if (ok && sd->rows)
		ok = side_exec(sd, "PRAGMA temp_store = FILE", what[0]);
	/* The applicants' cache (side_open) is no longer needed: its pages
	 * freed for the indexes and the merge. */
	if (ok && sd->applicants)
		ok = side_exec(sd, "PRAGMA cache_size = -2000", what[0]);
	for (int i = 0; ok && i < 2; i++)
		ok = !sd->indexes[i] || side_exec(sd, sd->indexes[i], what[i]);
	if (ok && sd->app_indexes)
		ok = side_exec(sd, sd->app_indexes, N_("saving the applicant"));
	if (ok)
		ok = side_merge(sd);
	if (ok && sd->indexes[2])
		side_exec(sd, sd->indexes[2], what[2]);
	/* The connection stays open while the writer may read through it
	 * (gt_keys_side_eval: until the rows are done). */
	pthread_mutex_lock(&sd->mu);
	while (!sd->rows_done && !atomic_load(&sd->stop))
		pthread_cond_wait(&sd->cv, &sd->mu);
	sqlite3_close_v2(sd->db);
	sd->db = NULL;
	pthread_mutex_unlock(&sd->mu);
	return NULL;
}

static void side_free(struct side *sd)
{
	numbers_free(&sd->num);
	sqlite3_finalize(sd->read_eval);
	for (int i = 0; i < 2; i++)
		sqlite3_finalize(sd->read_app[i]);
	if (sd->db)
		sqlite3_close_v2(sd->db);
	sqlite3_free(sd->make);
	for (int i = 0; i < 3; i++)
		sqlite3_free(sd->indexes[i]);
	sqlite3_free(sd->app_indexes);
	for (int t = 0; t < GT_SIDE_TABLES; t++) {
		gt_rows_free(sd->fill[t]);
		gt_rows_free(sd->queued[t]);
		gt_rows_free(sd->spare[t]);
	}
	if (sd->tmpdir) {
		sqlite3_temp_directory = sd->was_tmpdir;
		sqlite3_free(sd->tmpdir);
	}
	if (sd->sync_made) {
		pthread_mutex_destroy(&sd->mu);
		pthread_cond_destroy(&sd->cv);
	}
	free(sd);
}

/* With rows: the declarations of evaluations, case_keys and case_terms
 * and the indexes of each (the store's own statements) into sd, when the
 * three tables are empty (else sd->make stays NULL); and the applicants'
 * (sd->applicants) when that table is empty too, and its indexes
 * (applicants_id_number: built after the rows, or when the numbers in
 * memory are full, numbers_off). */
static int rows_decl(gt_store *st, struct side *sd)
{
	sqlite3_stmt *s = gt_prepare(st,
		"SELECT (SELECT group_concat(sql, ';\n') FROM sqlite_schema WHERE type = 'table' "
		"AND name IN ('evaluations', 'case_keys', 'case_terms')), "
		"(SELECT group_concat(sql, ';\n') FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL "
		"AND tbl_name = 'evaluations'), "
		"(SELECT group_concat(sql, ';\n') FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL "
		"AND tbl_name = 'case_keys'), "
		"(SELECT group_concat(sql, ';\n') FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL "
		"AND tbl_name = 'case_terms'), "
		"(SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN ('evaluations', 'case_keys', "
		"'case_terms')), "
		"(SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'applicants' "
		"AND NOT EXISTS (SELECT 1 FROM applicants)), "
		"(SELECT group_concat(sql, ';\n') FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL "
		"AND tbl_name = 'applicants') "
		"WHERE NOT EXISTS (SELECT 1 FROM evaluations) AND NOT EXISTS (SELECT 1 FROM case_keys) "
		"AND NOT EXISTS (SELECT 1 FROM case_terms)");
	if (!s)
		return GT_ERR;
	int rc = GT_OK, step = sqlite3_step(s);
	if (step == SQLITE_ROW && sqlite3_column_int(s, 4) == 3) {
		const char *app = (const char *)sqlite3_column_text(s, 5);
		sd->applicants = app != NULL;
		if (!(sd->make = sqlite3_mprintf("%s%s%s", gt_col_text(s, 0), app ? ";\n" : "", app ? app : "")))
			rc = gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
		for (int i = 0; !rc && i < 3; i++) {
			const char *idx = (const char *)sqlite3_column_text(s, 1 + i);
			if (idx && !(sd->indexes[i] = sqlite3_mprintf("%s", idx)))
				rc = gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
		}
		const char *app_idx = (const char *)sqlite3_column_text(s, 6);
		if (!rc && app && app_idx && !(sd->app_indexes = sqlite3_mprintf("%s", app_idx)))
			rc = gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
	} else if (step != SQLITE_ROW && step != SQLITE_DONE) {
		rc = gt_fail_sql(st, _("preparing the import"));
	}
	sqlite3_finalize(s);
	return rc;
}

static bool side_mutexes;
static pthread_once_t side_once = PTHREAD_ONCE_INIT;

/* Whether SQLite has its mutexes (not SQLITE_CONFIG_SINGLETHREAD, as the
 * fuzzer configures): a connection opened FULLMUTEX has one. Asked once,
 * so that an import without them does not make a scratch file to learn
 * it (side_open checks the thread's connection all the same). */
static void side_mutexes_check(void)
{
	sqlite3 *db = NULL;
	side_mutexes = sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, NULL) ==
			       SQLITE_OK &&
		       sqlite3_db_mutex(db);
	sqlite3_close(db);
}

/* With the applicants, the store's page cache lends the thread's its size
 * while the rows are written (their pages are no longer the store's), so
 * that the two hold no more than the store's alone; given back at the end
 * of the rows (side_cache_return). */
static void side_cache_lend(gt_store *st, struct side *sd)
{
	sqlite3_stmt *s = sd->applicants ? gt_prepare(st, "PRAGMA main.cache_size") : NULL;
	int kept = s && sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
	sqlite3_finalize(s);
	if (kept < 0 && -kept >= 2 * side_cache_kib) { /* KiB, as the store sets it */
		char set[64];
		snprintf(set, sizeof set, "PRAGMA main.cache_size = %d", kept + side_cache_kib);
		if (sqlite3_exec(st->db, set, NULL, NULL, NULL) == SQLITE_OK)
			sd->main_cache = kept;
	}
}

static void side_cache_return(gt_store *st, struct side *sd)
{
	char set[64];
	snprintf(set, sizeof set, "PRAGMA main.cache_size = %d", sd->main_cache);
	if (sd->main_cache && sqlite3_exec(st->db, set, NULL, NULL, NULL) == SQLITE_OK)
		sd->main_cache = 0;
}

/* Starts the second thread when it can (ks->side set): with rows, for the
 * load's evaluations, keys and terms (gt_keys_bulk), else for the merge
 * of the terms alone (after the rows). GT_OK and ks->side NULL when not
 * (then the calling thread writes them). */
static int side_start(gt_store *st, struct gt_keys_stmts *ks, bool rows)
{
	/* Not for a store in memory (tests, the fuzzer): its scratch file
	 * would go to the working directory. */
	pthread_once(&side_once, side_mutexes_check);
	const char *file = sqlite3_db_filename(st->db, "main");
	if (!side_mutexes || !file || !*file)
		return GT_OK;
	struct side *sd = calloc(1, sizeof *sd);
	if (!sd)
		return GT_OK;
	sd->st = st;
	sd->ks = ks;
	sd->rows = rows;
	sd->rows_done = !rows;
	atomic_init(&sd->stop, false);
	if (pthread_mutex_init(&sd->mu, NULL) != 0) {
		free(sd);
		return GT_OK;
	}
	if (pthread_cond_init(&sd->cv, NULL) != 0) {
		pthread_mutex_destroy(&sd->mu);
		free(sd);
		return GT_OK;
	}
	sd->sync_made = true;
	sqlite3_stmt *s = NULL;
	int rc = rows ? rows_decl(st, sd) : terms_decl(st, "case_terms", &sd->make);
	for (int t = 0; !rc && sd->make && rows && t < GT_SIDE_TABLES; t++) {
		if (t == GT_SIDE_APPLICANTS && !sd->applicants)
			break;
		/* cell k: ?k of write_eval's INSERT, of case_keys', of the applicants' (APP_CELL_*) */
		int ncols = t == GT_SIDE_EVALS ? 16 : t == GT_SIDE_KEYS ? 6 : 5;
		if (!(sd->fill[t] = gt_rows_new(ncols)) || !(sd->spare[t] = gt_rows_new(ncols))) {
			sqlite3_free(sd->make);
			sd->make = NULL;
		}
	}
	if (sd->applicants) {
		sd->app_ix[0].of = sd->fill[GT_SIDE_APPLICANTS];
		sd->app_ix[1].of = sd->spare[GT_SIDE_APPLICANTS];
	}
	sd->num.off = !sd->app_indexes; /* no index to build after the rows: none to stand for */
	if (!rc && sd->make && (s = gt_prepare(st, "PRAGMA main.page_size")) && sqlite3_step(s) == SQLITE_ROW)
		sd->page_size = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	char *dir = sd->page_size ? gt_store_dir(st) : NULL;
	if (dir && rows) {
		sd->tmpdir = sqlite3_mprintf("%s", dir);
		sd->was_tmpdir = sqlite3_temp_directory;
	}
	if (dir && (!rows || sd->tmpdir) && gt_file_scratch_named(dir, "terms-", side_open, sd) == 0) {
		if (sd->tmpdir) /* before the thread: it reads it, and nothing else writes it until the join */
			sqlite3_temp_directory = sd->tmpdir;
		if (pthread_create(&sd->thread, NULL, side_main, sd) == 0) {
			sqlite3_free(dir);
			ks->side = sd;
			side_cache_lend(st, sd);
			return GT_OK;
		}
	}
	sqlite3_free(dir);
	side_free(sd);
	gt_keys_side_detach(st); /* allowed: the transaction has not read it */
	return rc;
}

/* Waits for the thread (asked to stop first with stop) and takes it off
 * ks: its side, to free. */
static struct side *side_join(struct gt_keys_stmts *ks, bool stop)
{
	struct side *sd = ks->side;
	if (stop) {
		atomic_store(&sd->stop, true);
		pthread_mutex_lock(&sd->mu);
		pthread_cond_broadcast(&sd->cv);
		if (sd->db)
			sqlite3_interrupt(sd->db); /* an index being built */
		pthread_mutex_unlock(&sd->mu);
	}
	pthread_join(sd->thread, NULL);
	ks->side = NULL;
	return sd;
}

static void side_stop(struct gt_keys_stmts *ks)
{
	if (ks->side)
		side_free(side_join(ks, true));
}

/* Hands the rows of table t over to the thread when it has at least min
 * of them, waiting while it writes the ones before. */
static struct app_index *app_index_of(struct side *sd, const struct gt_rows *r);

static int side_hand(gt_store *st, struct side *sd, int t, size_t min)
{
	struct gt_rows *r = sd->fill[t];
	if (!r) /* a table the thread does not take */
		return GT_OK;
	if (!gt_rows_whole(r))
		return gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
	if (gt_rows_count(r) < min)
		return GT_OK;
	pthread_mutex_lock(&sd->mu);
	while (sd->queued[t] && !sd->failed) {
		sd->writer_waits = true;
		pthread_cond_broadcast(&sd->cv);
		pthread_cond_wait(&sd->cv, &sd->mu);
	}
	sd->writer_waits = false;
	bool failed = sd->failed;
	if (!failed) {
		sd->queued[t] = r;
		sd->fill[t] = sd->spare[t];
		sd->spare[t] = NULL;
		pthread_cond_broadcast(&sd->cv);
	}
	pthread_mutex_unlock(&sd->mu);
	if (!failed && t == GT_SIDE_APPLICANTS) { /* the writer's own now, empty: so is its index */
		struct app_index *ix = app_index_of(sd, sd->fill[t]);
		memset(ix->by_number, 0, sizeof ix->by_number);
		memset(ix->by_id, 0, sizeof ix->by_id);
	}
	return failed ? side_failure(st, sd) : GT_OK;
}

/* The end of the rows: the last ones handed over, and the thread goes on
 * to the indexes and the merge. */
static int side_rows_end(gt_store *st, struct side *sd)
{
	if (sd->rows_done)
		return GT_OK;
	int rc = GT_OK;
	for (int t = 0; t < GT_SIDE_TABLES && !rc; t++)
		rc = side_hand(st, sd, t, 1);
	sqlite3_finalize(sd->read_eval);
	sd->read_eval = NULL;
	for (int i = 0; i < 2; i++) {
		sqlite3_finalize(sd->read_app[i]);
		sd->read_app[i] = NULL;
	}
	pthread_mutex_lock(&sd->mu);
	sd->rows_done = true;
	pthread_cond_broadcast(&sd->cv);
	pthread_mutex_unlock(&sd->mu);
	side_cache_return(st, sd);
	/* Nothing is looked up past the rows: the numbers' memory goes before
	 * the indexes are built. */
	numbers_free(&sd->num);
	return rc;
}

/* The side that takes the load's rows now, or NULL. */
static struct side *rows_side(gt_store *st)
{
	struct gt_keys_stmts *ks = st->keys;
	return ks && ks->side && !ks->side->rows_done ? ks->side : NULL;
}

struct gt_rows *gt_keys_side_rows(gt_store *st, int table)
{
	struct side *sd = rows_side(st);
	return sd ? sd->fill[table] : NULL;
}

int gt_keys_side_hand(gt_store *st, int table)
{
	struct side *sd = rows_side(st);
	return sd ? side_hand(st, sd, table, side_size) : GT_OK;
}

/* The row of r (evaluations by increasing id) whose id is id; -1: none. */
static long rows_find(const struct gt_rows *r, int64_t id)
{
	size_t lo = 0, hi = r ? gt_rows_count(r) : 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int64_t v = gt_rows_get_int(r, mid, GT_EVAL_CELL_ID);
		if (v == id)
			return (long)mid;
		if (v < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static void cell_copy(char *out, size_t size, const char *v, int n)
{
	size_t len = v && n > 0 ? (size_t)n : 0;
	if (len >= size)
		len = size - 1;
	if (len)
		memcpy(out, v, len);
	out[len] = '\0';
}

static void eval_of_rows(const struct gt_rows *r, long at, struct gt_side_eval *e)
{
	int n = 0;
	const char *v = gt_rows_get_text(r, (size_t)at, GT_EVAL_CELL_OUTCOME, &n);
	cell_copy(e->outcome, sizeof e->outcome, v, n);
	n = 0;
	v = gt_rows_get_text(r, (size_t)at, GT_EVAL_CELL_ROUTE, &n);
	cell_copy(e->route, sizeof e->route, v, n);
	n = 0;
	v = gt_rows_get_text(r, (size_t)at, GT_EVAL_CELL_BASIS, &n);
	cell_copy(e->basis, sizeof e->basis, v, n);
}

/* Looks in the rows of table t handed over, which the thread only reads
 * until it gives them back (under mu): find(rows, arg) true when it found
 * (and copied) the row. GT_OK with *found, or when not found the thread's
 * failure if it failed (then its connection cannot be asked). */
static int side_queued(gt_store *st, struct side *sd, int t, bool (*find)(const struct gt_rows *, void *), void *arg,
		       bool *found)
{
	pthread_mutex_lock(&sd->mu);
	const struct gt_rows *q = sd->queued[t];
	*found = q && find(q, arg);
	bool failed = sd->failed;
	pthread_mutex_unlock(&sd->mu);
	return *found || !failed ? GT_OK : side_failure(st, sd);
}

struct eval_wanted {
	int64_t id;
	struct gt_side_eval *e;
};

static bool eval_find(const struct gt_rows *r, void *arg)
{
	struct eval_wanted *w = arg;
	long at = rows_find(r, w->id);
	if (at >= 0)
		eval_of_rows(r, at, w->e);
	return at >= 0;
}

int gt_keys_side_eval(gt_store *st, int64_t id, struct gt_side_eval *e, bool *found)
{
	*found = false;
	struct side *sd = rows_side(st);
	if (!sd)
		return GT_OK;
	/* In the rows being filled, or handed over (which the thread only
	 * reads until it gives them back, under mu), or written. */
	struct eval_wanted w = { id, e };
	if ((*found = eval_find(sd->fill[GT_SIDE_EVALS], &w)))
		return GT_OK;
	int rc = side_queued(st, sd, GT_SIDE_EVALS, eval_find, &w, found);
	if (rc || *found)
		return rc;
	/* Through the thread's connection, open until the rows are done
	 * (side_main); its mutex serializes the two threads' calls. */
	sqlite3_stmt *s = sd->read_eval;
	if (!s && sqlite3_prepare_v2(sd->db, "SELECT outcome, route, basis FROM evaluations WHERE id = ?1", -1,
				     &sd->read_eval, NULL) != SQLITE_OK)
		return gt_fail(st, GT_ERR, "%s", _("saving the evaluation"));
	s = sd->read_eval;
	sqlite3_bind_int64(s, 1, id);
	int step = sqlite3_step(s);
	if (step == SQLITE_ROW) {
		for (int i = 0; i < 3; i++) {
			char *out = i == 0 ? e->outcome : i == 1 ? e->route : e->basis;
			size_t size = i == 0 ? sizeof e->outcome : i == 1 ? sizeof e->route : sizeof e->basis;
			cell_copy(out, size, (const char *)sqlite3_column_text(s, i), sqlite3_column_bytes(s, i));
		}
		*found = true;
	}
	sqlite3_reset(s);
	return step == SQLITE_ROW || step == SQLITE_DONE ? GT_OK : gt_fail(st, GT_ERR, "%s", _("saving the evaluation"));
}

/* ---- the load's applicants on the second connection: the rows being
 * filled and the ones handed over are searched by their indexes
 * (app_index), the rows written by the thread's connection. */

static struct app_index *app_index_of(struct side *sd, const struct gt_rows *r)
{
	return sd->app_ix[0].of == r ? &sd->app_ix[0] : &sd->app_ix[1];
}

/* The slot of ix that holds (or would hold) the row of r whose identity
 * number is number (len bytes), or with number NULL whose id is id. */
static uint32_t *app_slot(struct app_index *ix, const struct gt_rows *r, const char *number, size_t len, int64_t id)
{
	uint32_t *slots = number ? ix->by_number : ix->by_id;
	uint64_t h = number ? gt_fnv1a(GT_FNV1A_INIT, number, len) : (uint64_t)id * 0x9E3779B97F4A7C15u;
	for (size_t i = (size_t)(h >> 40) & (APP_SLOTS - 1);; i = (i + 1) & (APP_SLOTS - 1)) {
		uint32_t at = slots[i];
		if (!at)
			return &slots[i];
		int n = 0;
		const char *v = number ? gt_rows_get_text(r, at - 1, APP_CELL_NUMBER, &n) : NULL;
		if (number ? v && (size_t)n == len && memcmp(v, number, len) == 0
			   : gt_rows_get_int(r, at - 1, APP_CELL_ID) == id)
			return &slots[i];
	}
}

/* The position + 1 of the latest row of r for the key (app_slot's); 0: none. */
static uint32_t app_in(struct side *sd, const struct gt_rows *r, const char *number, size_t len, int64_t id)
{
	return r && gt_rows_count(r) ? *app_slot(app_index_of(sd, r), r, number, len, id) : 0;
}

static void app_of_rows(const struct gt_rows *r, uint32_t at, struct gt_side_applicant *a)
{
	a->id = gt_rows_get_int(r, at, APP_CELL_ID);
	int n = 0;
	const char *v = gt_rows_get_text(r, at, APP_CELL_NUMBER, &n);
	cell_copy(a->id_number, sizeof a->id_number, v, n);
	n = 0;
	v = gt_rows_get_text(r, at, APP_CELL_NAME, &n);
	cell_copy(a->name, sizeof a->name, v, n);
}

/* An identity number's key in struct numbers, one for one: its 17 digits
 * and its check character (a digit, X or x: 12 values) as one number, plus
 * one; false when it is not such a number. */
static bool number_key(const char *number, uint64_t *key)
{
	uint64_t v = 0;
	for (int i = 0; i < 17; i++) {
		if (number[i] < '0' || number[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(number[i] - '0');
	}
	char c = number[17];
	int check = c >= '0' && c <= '9' ? c - '0' : c == 'X' ? 10 : c == 'x' ? 11 : -1;
	if (check < 0 || number[18] != '\0')
		return false;
	*key = v * 12 + (uint64_t)check + 1; /* below 1.2e18 */
	return true;
}

/* The slot of nb that holds key, or the empty one where it would go. */
static size_t number_slot(const struct numbers *nb, uint64_t key)
{
	size_t i = (size_t)((key * 0x9E3779B97F4A7C15u) >> 32) & (nb->slots - 1);
	while (nb->key[i] && nb->key[i] != key)
		i = (i + 1) & (nb->slots - 1);
	return i;
}

/* No more numbers in memory: the applicants' index is built now on the
 * thread's connection (the writer's statement on it, as its look-ups are;
 * the thread's own statements see the new index when they next run), and
 * that connection takes the whole memory lent again as its page cache. */
static int numbers_off(gt_store *st, struct side *sd)
{
	struct numbers *nb = &sd->num;
	numbers_free(nb);
	nb->off = true;
	pthread_mutex_lock(&sd->mu);
	char *idx = sd->app_indexes;
	sd->app_indexes = NULL;
	pthread_mutex_unlock(&sd->mu);
	char *err = NULL, set[64];
	int rc = GT_OK;
	if (idx && sqlite3_exec(sd->db, idx, NULL, NULL, &err) != SQLITE_OK)
		rc = gt_fail(st, GT_ERR, "%s: %s", _("saving the applicant"), err ? err : "?");
	sqlite3_free(err);
	sqlite3_free(idx);
	snprintf(set, sizeof set, "PRAGMA cache_size = -%d", side_cache_kib);
	if (!rc)
		sqlite3_exec(sd->db, set, NULL, NULL, NULL);
	return rc;
}

/* A new applicant's number and id into sd's numbers (numbers_off when it
 * cannot go there). */
static int numbers_put(gt_store *st, struct side *sd, const char *number, int64_t id)
{
	struct numbers *nb = &sd->num;
	if (nb->off)
		return GT_OK;
	uint64_t key;
	if (!nb->key) {
		nb->slots = numbers_slots;
		nb->first = id;
		nb->key = gt_table_alloc(nb->slots * sizeof *nb->key);
		nb->id = gt_table_alloc(nb->slots * sizeof *nb->id);
	}
	if (!nb->key || !nb->id || !number_key(number, &key) || id < nb->first || id - nb->first > UINT32_MAX ||
	    (nb->n + 1) * 4 > nb->slots * 3)
		return numbers_off(st, sd);
	size_t i = number_slot(nb, key);
	if (!nb->key[i])
		nb->n++;
	nb->key[i] = key;
	nb->id[i] = (uint32_t)(id - nb->first);
	return GT_OK;
}

int gt_keys_side_applicant_put(gt_store *st, int64_t id, const char *id_number, const char *name,
			       int64_t birth_date, bool rename)
{
	struct side *sd = rows_side(st);
	struct gt_rows *r = sd ? sd->fill[GT_SIDE_APPLICANTS] : NULL;
	if (!r) /* not the thread's table: the caller writes the store's */
		return gt_fail(st, GT_ERR, "%s", _("saving the applicant"));
	if (gt_rows_add(r) != 0)
		return gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
	uint32_t at = (uint32_t)gt_rows_count(r);
	gt_rows_int(r, APP_CELL_RENAME, rename);
	gt_rows_int(r, APP_CELL_ID, id);
	gt_rows_text(r, APP_CELL_NUMBER, id_number, -1);
	gt_rows_text(r, APP_CELL_NAME, name, -1);
	gt_rows_int(r, APP_CELL_BIRTH, birth_date);
	if (!gt_rows_whole(r)) /* a text lost: the index could not compare it */
		return gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
	struct app_index *ix = app_index_of(sd, r);
	*app_slot(ix, r, id_number, strlen(id_number), 0) = at;
	*app_slot(ix, r, NULL, 0, id) = at;
	int rc;
	if (!rename && (rc = numbers_put(st, sd, id_number, id)))
		return rc;
	if (sd->last_app.id == id) /* renamed: no longer as found */
		sd->last_app.id = 0;
	return side_hand(st, sd, GT_SIDE_APPLICANTS, side_size);
}

struct app_wanted {
	struct side *sd;
	const char *number; /* NULL: by id */
	size_t len;
	int64_t id;
	struct gt_side_applicant *a;
};

static bool app_find(const struct gt_rows *r, void *arg)
{
	struct app_wanted *w = arg;
	uint32_t at = app_in(w->sd, r, w->number, w->len, w->id);
	if (at)
		app_of_rows(r, at - 1, w->a);
	return at != 0;
}

int gt_keys_side_applicant_find(gt_store *st, const char *id_number, int64_t id, struct gt_side_applicant *a,
				bool *found)
{
	*found = false;
	struct side *sd = rows_side(st);
	if (!sd || !sd->applicants)
		return GT_OK;
	size_t len = id_number ? strlen(id_number) : 0;
	const struct gt_side_applicant *last = &sd->last_app;
	if (last->id && (id_number ? strcmp(last->id_number, id_number) == 0 : last->id == id)) {
		*a = *last;
		*found = true;
		return GT_OK;
	}
	/* A number in memory gives its applicant's id, to look up by; one
	 * not there has none. */
	uint64_t key;
	if (id_number && !sd->num.off && sd->num.key && number_key(id_number, &key)) {
		size_t i = number_slot(&sd->num, key);
		if (!sd->num.key[i])
			return GT_OK;
		int rc = gt_keys_side_applicant_find(st, NULL, sd->num.first + sd->num.id[i], a, found);
		if (!rc && (!*found || strcmp(a->id_number, id_number) != 0))
			rc = gt_fail(st, GT_ERR, "%s", _("finding the applicant"));
		return rc;
	}
	if (id_number && !sd->num.off) /* none written yet, or a number that is none */
		return GT_OK;
	/* The latest first: the rows being filled, then those handed over
	 * (which the thread only reads until it gives them back, under mu),
	 * then those written. */
	struct app_wanted w = { sd, id_number, len, id, a };
	if ((*found = app_find(sd->fill[GT_SIDE_APPLICANTS], &w)))
		return GT_OK;
	int rc = side_queued(st, sd, GT_SIDE_APPLICANTS, app_find, &w, found);
	if (!rc && *found)
		sd->last_app = *a;
	if (rc || *found)
		return rc;
	/* Through the thread's connection, as gt_keys_side_eval. */
	int k = id_number ? 0 : 1;
	if (!sd->read_app[k] &&
	    sqlite3_prepare_v2(sd->db, k ? "SELECT id, id_number, name FROM applicants WHERE id = ?1"
					 : "SELECT id, id_number, name FROM applicants WHERE id_number = ?1",
			       -1, &sd->read_app[k], NULL) != SQLITE_OK)
		return gt_fail(st, GT_ERR, "%s", _("finding the applicant"));
	sqlite3_stmt *s = sd->read_app[k];
	if (k)
		sqlite3_bind_int64(s, 1, id);
	else
		sqlite3_bind_text(s, 1, id_number, (int)len, SQLITE_STATIC);
	int step = sqlite3_step(s);
	if (step == SQLITE_ROW) {
		a->id = sqlite3_column_int64(s, 0);
		cell_copy(a->id_number, sizeof a->id_number, (const char *)sqlite3_column_text(s, 1),
			  sqlite3_column_bytes(s, 1));
		cell_copy(a->name, sizeof a->name, (const char *)sqlite3_column_text(s, 2), sqlite3_column_bytes(s, 2));
		*found = true;
		sd->last_app = *a;
	}
	sqlite3_reset(s);
	return step == SQLITE_ROW || step == SQLITE_DONE ? GT_OK : gt_fail(st, GT_ERR, "%s", _("finding the applicant"));
}

/* Waits for the thread; with write, copies its tables into the store's. */
static int side_end(gt_store *st, struct gt_keys_stmts *ks, bool write)
{
	if (!write) {
		if (ks->side) /* a load that failed amid the rows */
			side_cache_return(st, ks->side);
		side_stop(ks);
		return GT_OK;
	}
	int rc = side_rows_end(st, ks->side);
	struct side *sd = side_join(ks, rc != GT_OK);
	sqlite3_stmt *s = NULL;
	if (rc)
		;
	else if (sd->failed)
		rc = side_failure(st, sd);
	else if (!(s = gt_prepare(st, "PRAGMA gt_side.application_id")))
		rc = GT_ERR;
	else if (sqlite3_step(s) != SQLITE_ROW || (uint32_t)sqlite3_column_int64(s, 0) != sd->stamp)
		rc = gt_fail(st, GT_ERR, "%s: %s", _("saving the case's search keys"),
			     _("its scratch database was replaced while the import ran"));
	/* By SQLite's transfer: the store's tables are empty and have no
	 * trigger (the counts' are restored after this), the foreign keys
	 * are off during a bulk load, and each of their indexes is in the
	 * scratch database too (tests/unit/test_keys.c counts the VDBE's
	 * steps a row). */
	else if (sd->applicants && sqlite3_exec(st->db, "INSERT INTO main.applicants SELECT * FROM gt_side.applicants",
					       NULL, NULL, NULL) != SQLITE_OK)
		rc = gt_fail_sql(st, _("saving the applicant"));
	else if (sd->rows && sqlite3_exec(st->db, "INSERT INTO main.evaluations SELECT * FROM gt_side.evaluations", NULL,
					  NULL, NULL) != SQLITE_OK)
		rc = gt_fail_sql(st, _("saving the evaluation"));
	else if (sd->rows && sqlite3_exec(st->db, "INSERT INTO main.case_keys SELECT * FROM gt_side.case_keys", NULL, NULL,
					  NULL) != SQLITE_OK)
		rc = gt_fail_sql(st, _("saving the case's search keys"));
	else if (sqlite3_exec(st->db, "INSERT OR IGNORE INTO main.case_terms SELECT * FROM gt_side.case_terms", NULL,
			      NULL, NULL) != SQLITE_OK)
		rc = gt_fail_sql(st, _("saving the case's search keys"));
	sqlite3_finalize(s);
	side_free(sd);
	return rc;
}

void gt_keys_side_detach(gt_store *st)
{
	struct gt_keys_stmts *ks = st->keys;
	if (ks && ks->side_attached && sqlite3_exec(st->db, "DETACH gt_side", NULL, NULL, NULL) == SQLITE_OK)
		ks->side_attached = false;
}

int gt_keys_bulk_merge(gt_store *st)
{
	struct gt_keys_stmts *ks = st->keys;
	if (!ks || !ks->bulk)
		return GT_OK;
	/* The last run handed to the spiller is written (before the second
	 * thread owns the run and the spill); its arrays are not needed again
	 * while the indexes are built. */
	int waited = spill_wait(st, ks);
	run_free(&ks->spare);
	if (waited)
		return waited;
	if (ks->side) /* it took the rows: now the indexes and the merge, while the caller builds its own */
		return side_rows_end(st, ks->side);
	if (ks->spill.n) {
		int rc = side_start(st, ks, false);
		if (rc || ks->side)
			return rc;
	}
	return gt_keys_bulk_end(st, true);
}

int gt_keys_bulk_with(gt_store *st, bool rows)
{
	struct gt_keys_stmts *ks = stmts(st);
	if (!ks)
		return GT_ERR;
	ks->bulk = true;
	return rows && !ks->side ? side_start(st, ks, true) : GT_OK;
}

int gt_keys_bulk(gt_store *st)
{
	return gt_keys_bulk_with(st, true);
}

int gt_keys_bulk_end(gt_store *st, bool write)
{
	struct gt_keys_stmts *ks = st->keys;
	if (!ks || !ks->bulk)
		return GT_OK;
	/* The run being spilled is written before the second thread takes
	 * the run and the spill (side_end), or stopped. */
	int rc = GT_OK;
	if (!write)
		spill_stop(ks);
	else if ((rc = spill_wait(st, ks)) && ks->side)
		side_end(st, ks, false);
	if (!rc)
		rc = ks->side ? side_end(st, ks, write) : write ? terms_write(st, ks) : GT_OK;
	ks->bulk = false;
	spill_stop(ks); /* none runs by now (each path above waited): never left running */
	run_free(&ks->run);
	run_free(&ks->spare);
	spill_free(&ks->spill);
	return rc;
}

int gt_keys_write(gt_store *st, int64_t case_id, const char *name, const char *id_number, const char *case_ref,
		  const struct gt_keys *given, const struct gt_terms *given_terms, const struct gt_case *old)
{
	struct gt_keys_stmts *ks = stmts(st);
	if (!ks)
		return GT_ERR;
	if (ks->side && ks->side->rows_done && gt_keys_bulk_end(st, true)) /* not while the merge's thread reads the runs */
		return GT_ERR;
	const struct gt_keys *k = given;
	if (!k) {
		if (gt_keys_make(name, &ks->keys) != 0)
			return gt_fail(st, GT_ERR, _("cannot make the sort key of the name (ICU's zh collator or "
						     "Han-Latin transform is missing)"));
		k = &ks->keys;
	}
	/* A bulk load's new case may come with its terms made (all but the
	 * case number's); any other write makes them here. */
	if (!given || !ks->bulk || old)
		given_terms = NULL;
	if (!given_terms)
		terms_of(case_id, name, id_number, case_ref, k, &ks->cur);
	/* A case written again has its terms in the run, in a spilled run,
	 * or else all in case_terms; during a bulk load its new ones go to the
	 * run. */
	int rc = GT_OK;
	bool in_run = old && run_drop_case(&ks->run, case_id);
	if (old && !in_run && ks->spiller.busy && rows_side(st)) {
		rc = spill_drop_later(st, &ks->spill, case_id);
	} else if (old && !in_run) {
		/* Its terms may be in the run being spilled: once written, the
		 * spill's bookkeeping holds them. */
		if ((rc = spill_wait(st, ks)))
			return rc;
		int held = spill_drop_case(&ks->spill, case_id);
		if (held < 0)
			return gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
		/* delete_old_terms reads case_keys and case_terms. Not reached
		 * while the second thread takes the rows (rows_side): they were
		 * empty when the load began, and every case written since was
		 * this load's, its terms put in the run (bulk), so a case
		 * written again has them in the run or a spilled run. Should it
		 * be reached all the same, the side path ends first (joined, its
		 * tables copied into the store's) and this goes on in the store. */
		if (!held && ks->side && (rc = gt_keys_bulk_end(st, true)))
			return rc;
		if (!held)
			rc = delete_old_terms(st, ks, case_id, old);
	}
	if (rc)
		return rc;
	char syllables[4 * GT_MAX_SYLLABLES];
	syllables_text(k, syllables, sizeof syllables);
	struct gt_rows *side = gt_keys_side_rows(st, GT_SIDE_KEYS);
	if (side) { /* written on the second thread (INSERT OR REPLACE: the upsert's row) */
		if (gt_rows_add(side) != 0)
			return gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
		gt_rows_int(side, 1, case_id);
		gt_rows_blob(side, 2, k->sortkey, (int)strlen(k->sortkey));
		gt_rows_text(side, 3, k->pinyin, -1);
		gt_rows_text(side, 4, k->initials, -1);
		gt_rows_text(side, 5, syllables, -1);
		rc = gt_keys_side_hand(st, GT_SIDE_KEYS);
		return rc ? rc : ks->bulk ? run_add_case(st, ks, case_id, given_terms) : GT_OK;
	}
	sqlite3_bind_int64(ks->upsert, 1, case_id);
	sqlite3_bind_blob(ks->upsert, 2, k->sortkey, (int)strlen(k->sortkey), SQLITE_STATIC);
	sqlite3_bind_text(ks->upsert, 3, k->pinyin, -1, SQLITE_STATIC);
	sqlite3_bind_text(ks->upsert, 4, k->initials, -1, SQLITE_STATIC);
	sqlite3_bind_text(ks->upsert, 5, syllables, -1, SQLITE_STATIC);
	int r = sqlite3_step(ks->upsert);
	sqlite3_reset(ks->upsert);
	if (r != SQLITE_DONE)
		return gt_fail_sql(st, _("saving the case's search keys"));
	if (ks->bulk)
		return run_add_case(st, ks, case_id, given_terms);
	int n = ks->cur.n - (ks->cur.id_at >= 0);
	if (!n)
		return GT_OK;
	sqlite3_stmt *s = ins_terms(st, ks, n);
	if (!s)
		return GT_ERR;
	sqlite3_bind_int64(s, 1, case_id);
	for (int i = 0, j = 2; i < ks->cur.n; i++)
		if (i != ks->cur.id_at)
			sqlite3_bind_text(s, j++, ks->cur.t[i], -1, SQLITE_STATIC);
	r = sqlite3_step(s);
	sqlite3_reset(s);
	return r == SQLITE_DONE ? GT_OK : gt_fail_sql(st, _("saving the case's search keys"));
}

int gt_keys_case_terms(gt_store *st, int64_t case_id, const char (**terms)[GT_TERM_BYTES], int *n)
{
	*n = -1;
	struct gt_keys_stmts *ks = stmts(st);
	if (!ks)
		return GT_ERR;
	if (ks->side && gt_keys_bulk_end(st, true))
		return GT_ERR;
	if (spill_wait(st, ks))
		return GT_ERR;
	if ((ks->run.n || ks->spill.n) && terms_write(st, ks)) /* case_of reads case_terms */
		return GT_ERR;
	sqlite3_stmt *s = ks->case_of;
	sqlite3_bind_int64(s, 1, case_id);
	int r = sqlite3_step(s);
	if (r == SQLITE_ROW && sqlite3_column_int(s, 6) &&
	    keys_of_stored(gt_col_text(s, 3), gt_col_text(s, 4), gt_col_text(s, 5), &ks->old_keys)) {
		terms_of(case_id, gt_col_text(s, 0), gt_col_text(s, 1), gt_col_text(s, 2), &ks->old_keys, &ks->old);
		*terms = (const char (*)[GT_TERM_BYTES])ks->old.t;
		*n = ks->old.n;
	}
	sqlite3_reset(s);
	return r == SQLITE_ROW || r == SQLITE_DONE ? GT_OK : gt_fail_sql(st, _("reading the queue"));
}

int gt_keys_fill(gt_store *st)
{
	/* A case without keys has its terms made afresh: the terms it has
	 * (none unless written by hand) are deleted first, by reading every
	 * term, so only when there is such a case. Each upgrade calls this:
	 * on a store of 1M cases, where every case has its keys, the delete
	 * read 10M terms for nothing, 7.3 s of the upgrade's 16 s. */
	sqlite3_stmt *s = gt_prepare(st, "SELECT EXISTS (SELECT 1 FROM cases WHERE id NOT IN "
					 "(SELECT case_id FROM case_keys))");
	if (!s)
		return GT_ERR;
	int r = sqlite3_step(s);
	bool keyless = r == SQLITE_ROW && sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	if (r != SQLITE_ROW)
		return gt_fail_sql(st, _("upgrading the database"));
	if (keyless && sqlite3_exec(st->db, "DELETE FROM case_terms WHERE case_id NOT IN (SELECT case_id FROM case_keys)",
				    NULL, NULL, NULL) != SQLITE_OK)
		return gt_fail_sql(st, _("upgrading the database"));
	s = gt_prepare(st, "SELECT c.id, a.name, c.case_ref, a.id_number FROM cases c JOIN applicants a "
					 "ON a.id = c.applicant_id WHERE c.id NOT IN (SELECT case_id FROM case_keys)");
	if (!s)
		return GT_ERR;
	int rc = GT_OK;
	while (!rc && (r = sqlite3_step(s)) == SQLITE_ROW) {
		char name[GT_TEXT_MAX_BYTES + 1], ref[GT_TEXT_MAX_BYTES + 1], idn[19];
		gt_copy(name, sizeof name, gt_col_text(s, 1));
		gt_copy(ref, sizeof ref, gt_col_text(s, 2));
		gt_copy(idn, sizeof idn, gt_col_text(s, 3));
		rc = gt_keys_write(st, sqlite3_column_int64(s, 0), name, idn, ref, NULL, NULL, NULL);
	}
	if (!rc && r != SQLITE_DONE)
		rc = gt_fail_sql(st, _("upgrading the database"));
	sqlite3_finalize(s);
	return rc;
}

int gt_store_keys_rebuild(gt_store *st)
{
	int rc = gt_begin(st);
	if (rc)
		return rc;
	if (sqlite3_exec(st->db, "DELETE FROM case_keys; DELETE FROM case_terms", NULL, NULL, NULL) != SQLITE_OK)
		rc = gt_fail_sql(st, _("saving the case's search keys"));
	if (!rc)
		rc = gt_keys_fill(st);
	if (rc) {
		gt_rollback(st);
		return rc;
	}
	return gt_commit(st);
}
