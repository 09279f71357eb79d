/* guantong import: the case CSV (or an export) into the store, all rows or
 * none, in one transaction.
 *
 * Two threads (and one that hashes the file meanwhile: struct
 * fingerprint). A reader thread reads the file, checks each row and
 * evaluates it (pure work: the CSV reader, the row parser, the evaluator);
 * the calling thread takes the rows in file order and does everything else:
 * SQLite, the reject file, the callbacks. They meet in a few batches of rows
 * (memory does not grow with the file), under one mutex. Into an empty
 * store a third thread writes the applicants, the evaluations, the keys
 * and the terms' merge on a connection of its own, copied in at the end
 * (store/gt_keys.c, the second thread). */
#include <errno.h>
#include <fcntl.h>
#include <nettle/sha2.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gt_csv.h"
#include "gt_i18n.h"
#include "gt_pg.h"
#include "gt_store_int.h"

/* Columns of an export, and of a reject file, that import reads past. */
static const char *const export_extra[GT_SUM_COUNT + GT_XCOL_COUNT + 1] = {
	"outcome", "target", "route", "basis", "unmet", "missing_evidence", "theory_exempt",
	"citation", "message", "case_id", "status", "decided_by", "decided_at", "decision_note",
	"reject_reason",
};

struct importer {
	gt_store *st;
	const struct gt_import_opts *o;
	struct gt_import_result *res;
	const char *name;
	struct gt_out *reject;
	struct gt_case_stmts cs;
	struct gt_case_row *row, *old;
	char now[32];
	bool writing;           /* false once a row is invalid (without skip_invalid) */
	int nheader;            /* fields in the header row */
	/* What the import's audit row names: the cases it created, as ranges
	 * of numbers (each at version 1), and those it changed (number,
	 * version), and whether a case was written twice (a later row of the
	 * file for the same case). */
	int64_t (*created)[2], (*changed)[2];
	size_t ncreated, nchanged, cap_created, cap_changed;
	int64_t first_created;
	bool rewritten;
	/* Into a store without applicants: the identity numbers written so
	 * far, as a Bloom filter of fixed size (memory flat in the file's
	 * length). A number it has not seen names no stored applicant, and
	 * the two lookups of find_existing (a fifth of the writer's own work)
	 * are skipped; one it may have seen is looked up. */
	uint64_t *ids_seen;
	size_t ids_bytes; /* its size */
};

/* The filter's size and bits a number. A number it may have seen in vain
 * (a false positive) costs a look-up through the second thread's
 * connection, whose statement of 2,048 rows the writer then waits for: at
 * 1M cases, with 1 MiB and three bits, 7,506 of the import's 9,228
 * look-ups were such, and the writer slept about 20,000 times on that
 * connection. 4 MiB and four bits: 0.02% when a million numbers are in,
 * 38 false positives in that import's 1,760 look-ups (bench/store.sh's
 * file; a 3 MiB larger peak). A number's four bits are in one block of
 * 512 (a cache line): the filter is read at random, and with the bits
 * anywhere in its 4 MiB each row's test was up to four misses of the
 * cache (the test and the setting were 5% of the writer's time during the
 * rows of a 1M import, perf). */
enum { IDS_SEEN_BITS = 1 << 25, IDS_HASHES = 4, IDS_BLOCK_BITS = 512 };
static uint32_t ids_seen_bits = IDS_SEEN_BITS; /* gt_import_filter_bits */

void gt_import_filter_bits(uint32_t bits)
{
	ids_seen_bits = bits >= 64 && (bits & (bits - 1)) == 0 ? bits : IDS_SEEN_BITS;
}

/* The filter's bits of an identity number, from one FNV-1a hash: its
 * block from the low bits, the four places in the block from the high
 * bits of the hash mixed once more (a filter smaller than a block is one
 * block). */
static void ids_bits(const char *id_number, uint32_t bit[IDS_HASHES])
{
	uint64_t h = gt_fnv1a(GT_FNV1A_INIT, id_number, strlen(id_number));
	uint32_t block = ids_seen_bits < IDS_BLOCK_BITS ? ids_seen_bits : IDS_BLOCK_BITS;
	uint32_t base = (uint32_t)h & (ids_seen_bits - 1) & ~(block - 1);
	uint64_t g = h * 0x9E3779B97F4A7C15u;
	for (int i = 0; i < IDS_HASHES; i++)
		bit[i] = base + ((uint32_t)(g >> (64 - 9 * (i + 1))) & (block - 1));
}

static bool ids_maybe_seen(const uint64_t *seen, const char *id_number)
{
	uint32_t bit[IDS_HASHES];
	ids_bits(id_number, bit);
	for (int i = 0; i < IDS_HASHES; i++)
		if (!(seen[bit[i] / 64] & (1ull << (bit[i] % 64))))
			return false;
	return true;
}

static void ids_add(uint64_t *seen, const char *id_number)
{
	uint32_t bit[IDS_HASHES];
	ids_bits(id_number, bit);
	for (int i = 0; i < IDS_HASHES; i++)
		seen[bit[i] / 64] |= 1ull << (bit[i] % 64);
}

static int add_pair(int64_t (**v)[2], size_t *n, size_t *cap, int64_t a, int64_t b)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 64;
		int64_t (*p)[2] = realloc(*v, nc * sizeof **v);
		if (!p)
			return -1;
		*v = p;
		*cap = nc;
	}
	(*v)[*n][0] = a;
	(*v)[*n][1] = b;
	(*n)++;
	return 0;
}

/* ---- the file's fingerprint: SHA-256 (Nettle) and size, of a regular file
 * read through its descriptor (pread: the stream's position is untouched),
 * on a thread of its own while the rows are read: it is needed first by the
 * import's audit row at the end, and before the rows only when the last
 * import's file had the same size (same_as_before). Hashed first, it held
 * the import back by the time of a read of the whole file (0.07 s at 200k
 * cases, 0.35 s at 1M, with the CPU's SHA instructions). */
struct fingerprint {
	bool regular;     /* a regular file: hashed (else no fingerprint) */
	bool started;     /* by its thread, not yet joined */
	atomic_bool stop; /* the import ended first: read no further */
	int fd;
	int64_t expected; /* its size when the import began (fstat) */
	/* Set by the hashing, read after the join. */
	int err;          /* errno of a failed read */
	int64_t size;
	char hex[65];
	pthread_t thread;
};

static void *fingerprint_main(void *arg)
{
	struct fingerprint *fp = arg;
	struct sha256_ctx ctx;
	sha256_init(&ctx);
	enum { CHUNK = 1 << 17 };
	unsigned char *buf = malloc(CHUNK);
	off_t off = 0;
	fp->err = buf ? 0 : ENOMEM;
	while (!fp->err && !atomic_load_explicit(&fp->stop, memory_order_relaxed)) {
		ssize_t n = pread(fp->fd, buf, CHUNK, off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			fp->err = errno ? errno : EIO;
		else if (n == 0)
			break;
		else {
			sha256_update(&ctx, (size_t)n, buf);
			off += n;
		}
	}
	free(buf);
	unsigned char d[SHA256_DIGEST_SIZE];
	sha256_digest(&ctx, sizeof d, d);
	for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
		snprintf(fp->hex + 2 * i, 3, "%02x", d[i]);
	fp->size = (int64_t)off;
	return NULL;
}

/* Starts hashing in (hashed here when no thread can be made). */
static void fingerprint_start(struct fingerprint *fp, FILE *in)
{
	*fp = (struct fingerprint){ .fd = fileno(in), .expected = -1, .size = -1 };
	atomic_init(&fp->stop, false);
	struct stat sb;
	if (fp->fd < 0 || fstat(fp->fd, &sb) != 0 || !S_ISREG(sb.st_mode))
		return;
	fp->regular = true;
	fp->expected = (int64_t)sb.st_size;
	if (pthread_create(&fp->thread, NULL, fingerprint_main, fp) == 0)
		fp->started = true;
	else
		fingerprint_main(fp);
}

/* Waits for the hash: 0, or -1 with errno when the file could not be read. */
static int fingerprint_end(struct fingerprint *fp)
{
	if (fp->started) {
		pthread_join(fp->thread, NULL);
		fp->started = false;
	}
	errno = fp->err;
	return fp->err ? -1 : 0;
}

/* Ends the hashing at the import's end, done or not. */
static void fingerprint_stop(struct fingerprint *fp)
{
	atomic_store(&fp->stop, true);
	fingerprint_end(fp);
}

/* A rejected row goes to the reject file as read (cells neutralised again,
 * as export writes them, so that the file is safe in a spreadsheet and reads
 * back the same), with the reason in the reject_reason column. */
static void report(struct importer *im, const struct gt_csv_record *rec, const char *msg)
{
	im->res->invalid++;
	if (im->o->on_error)
		im->o->on_error(msg, im->o->arg);
	if (im->o->skip_invalid && im->reject) {
		int n = rec->nfields > im->nheader ? rec->nfields : im->nheader;
		for (int i = 0; i < n; i++) {
			const struct gt_span *f = &rec->fields[i];
			if (i >= rec->nfields)
				gt_out_cell(im->reject, "", 0, i == 0);
			else
				gt_out_cell(im->reject, f->p, f->n, i == 0);
		}
		gt_out_cell(im->reject, msg, strlen(msg), n == 0);
		gt_out_end(im->reject);
	} else if (!im->o->skip_invalid) {
		im->writing = false;
	}
}

/* ---- the reader thread */

/* The rows the reader may be ahead of the writer: as many as a batch of
 * new cases the writer writes at once (GT_BATCH_CASES), so that the reader
 * keeps reading while the writer writes it. A slot holds a case's whole
 * evaluation (35 KiB): 256 slots, 9 MiB. */
enum { BATCH_ROWS = 32, NBATCHES = GT_BATCH_CASES / BATCH_ROWS };

/* One row as the reader leaves it: its fields (copied, with export's formula
 * neutralisation undone), and either why it is invalid or the case with its
 * evaluation. */
struct row_slot {
	struct gt_csv_record rec;     /* fields point into raw */
	char *raw;
	size_t raw_size;
	bool valid;
	bool prepared;                /* pre holds the case's evaluation */
	char msg[1024];               /* why it is invalid */
	struct gt_case c;
	struct gt_case_prepared pre;
	bool keyed;                   /* keys holds the keys of the case's name */
	struct gt_keys keys;
	bool termed;                  /* terms holds its search terms but the case number's */
	struct gt_terms terms;
};

struct batch {
	struct row_slot *rows;
	int n;
	bool full;                    /* the reader filled it; the writer has not finished it */
};

struct reader {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	/* Held while a batch is read from the file (fill_next), by the
	 * reader thread or the writer: the file, the reader's own fields
	 * below and fill. */
	pthread_mutex_t fill_mu;
	struct batch b[NBATCHES];
	int err;                      /* errno of a failed read; ENOMEM */
	bool done;                    /* no batch will be filled after those that are full */
	bool stop;                    /* the writer gave up: read no further */
	int nfull;                    /* batches full */
	bool reader_waits;            /* for half of them to be free (reader_main) */
	atomic_bool checking_only;    /* nothing will be written: don't evaluate */
	bool make_keys;               /* the store was empty: every valid row is a new case */
	/* Whoever reads a batch, under fill_mu. */
	struct gt_term_maker *terms;  /* with make_keys: a new case's terms are made here too */
	gt_csv *csv;
	struct gt_csv_record *rec;
	const struct gt_header *h;
	gt_date as_of;
	int fill;
	/* The writer's own. */
	int take, pos;
	bool started;
	pthread_t thread;
};

/* Copies a record into a slot, undoing export's neutralisation of formula
 * cells in a well-formed one. */
static int copy_record(struct row_slot *sl, const struct gt_csv_record *rec)
{
	size_t need = 1;
	for (int i = 0; i < rec->nfields; i++)
		need += rec->fields[i].n;
	if (need > sl->raw_size) {
		char *p = realloc(sl->raw, need);
		if (!p)
			return -1;
		sl->raw = p;
		sl->raw_size = need;
	}
	sl->rec.nfields = rec->nfields;
	sl->rec.line = rec->line;
	sl->rec.error = rec->error;
	sl->rec.err_line = rec->err_line;
	sl->rec.err_field = rec->err_field;
	char *out = sl->raw;
	for (int i = 0; i < rec->nfields; i++) {
		const struct gt_span *f = &rec->fields[i];
		size_t n = f->n;
		if (rec->error == GT_CSV_OK && n && memchr(f->p, '\'', n))
			n = gt_cell_restore(f->p, f->n, out);
		else if (n)
			memcpy(out, f->p, n);
		sl->rec.fields[i].p = out;
		sl->rec.fields[i].n = n;
		out += n;
	}
	return 0;
}

static void check_row(struct reader *rd, struct row_slot *sl)
{
	sl->prepared = sl->keyed = sl->termed = false;
	if (sl->rec.error != GT_CSV_OK) {
		sl->valid = false;
		gt_csv_error_format(rd->h, &sl->rec, sl->msg, sizeof sl->msg);
		return;
	}
	struct gt_row_error err;
	if (gt_case_parse(&sl->c, rd->h, sl->rec.fields, sl->rec.nfields, rd->as_of, &err) < 0) {
		sl->valid = false;
		gt_row_error_format(&err, sl->rec.line, sl->msg, sizeof sl->msg);
		return;
	}
	sl->valid = true;
	if (!atomic_load_explicit(&rd->checking_only, memory_order_relaxed)) {
		/* Its evaluation; a new case needs no audit JSON of its own (the
		 * import's row names it), an update makes its own. */
		gt_case_prepare(&sl->c, -1, &sl->pre);
		sl->prepared = true;
		/* Into an empty store, the queue's keys of the name (ICU:
		 * the costliest part of a new case), here beside the writer
		 * rather than on its way. An update needs them only when the
		 * name changed, which the writer finds out. */
		sl->keyed = rd->make_keys && gt_keys_make(sl->c.name, &sl->keys) == 0;
		/* And its search terms (all but the case number's, which
		 * the writer adds); without memory the writer makes them. */
		sl->termed = sl->keyed && rd->terms &&
			     gt_terms_make(rd->terms, sl->c.name, sl->c.id_number, sl->c.case_ref, &sl->keys,
					   &sl->terms) == 0;
	}
}

/* A batch's rows, made when first needed (a short file needs one): left
 * uninitialised but for the buffers, which each row sizes. */
static struct row_slot *batch_rows(void)
{
	struct row_slot *rows = malloc(BATCH_ROWS * sizeof *rows);
	for (int i = 0; rows && i < BATCH_ROWS; i++) {
		rows[i].raw = NULL;
		rows[i].raw_size = 0;
		memset(&rows[i].terms, 0, sizeof rows[i].terms);
	}
	return rows;
}

/* Reads the next batch from the file into the first free one (under
 * fill_mu: by the reader thread, or by the writer when it has no row to
 * take, reader_next); nothing when all are full. False once the file is
 * read to its end, has failed, or the writer stopped the reading. */
static bool fill_next(struct reader *rd)
{
	pthread_mutex_lock(&rd->mu);
	bool room = rd->nfull < NBATCHES, end = rd->done || rd->stop;
	pthread_mutex_unlock(&rd->mu);
	if (end)
		return false;
	if (!room)
		return true;
	struct batch *b = &rd->b[rd->fill]; /* free: the full ones are those from take on */
	int n = 0, step = 1, err = 0;
	if (!b->rows && !(b->rows = batch_rows()))
		err = ENOMEM;
	while (n < BATCH_ROWS && !err) {
		step = gt_csv_next(rd->csv, rd->rec);
		if (step <= 0) {
			err = step < 0 ? (errno ? errno : EIO) : 0;
			break;
		}
		if (copy_record(&b->rows[n], rd->rec) < 0) {
			err = ENOMEM;
			break;
		}
		check_row(rd, &b->rows[n++]);
	}
	pthread_mutex_lock(&rd->mu);
	b->n = n;
	b->full = n > 0;
	rd->nfull += b->full;
	if (step <= 0 || err) {
		rd->err = err;
		rd->done = true;
	}
	pthread_cond_broadcast(&rd->cv);
	bool done = rd->done;
	pthread_mutex_unlock(&rd->mu);
	rd->fill = (rd->fill + 1) % NBATCHES;
	return !done;
}

static void *reader_main(void *arg)
{
	struct reader *rd = arg;
	for (;;) {
		pthread_mutex_lock(&rd->mu);
		/* All full: waits for half of them to be free, woken once for
		 * several batches, not for each (the writer's hand-backs). */
		if (rd->nfull == NBATCHES) {
			rd->reader_waits = true;
			while (rd->nfull > NBATCHES / 2 && !rd->stop)
				pthread_cond_wait(&rd->cv, &rd->mu);
			rd->reader_waits = false;
		}
		bool end = rd->stop || rd->done;
		pthread_mutex_unlock(&rd->mu);
		if (end)
			return NULL;
		pthread_mutex_lock(&rd->fill_mu);
		bool more = fill_next(rd);
		pthread_mutex_unlock(&rd->fill_mu);
		if (!more)
			return NULL;
	}
}

static int reader_start(struct reader *rd)
{
	pthread_mutex_init(&rd->mu, NULL);
	pthread_mutex_init(&rd->fill_mu, NULL);
	pthread_cond_init(&rd->cv, NULL);
	int rc = pthread_create(&rd->thread, NULL, reader_main, rd);
	if (rc) {
		pthread_cond_destroy(&rd->cv);
		pthread_mutex_destroy(&rd->fill_mu);
		pthread_mutex_destroy(&rd->mu);
		return rc;
	}
	rd->started = true;
	return 0;
}

/* The next row in file order; NULL at the end (rd->err says whether the
 * file was read to its end). */
static struct row_slot *reader_next(struct reader *rd)
{
	struct batch *b = &rd->b[rd->take];
	if (rd->pos > 0 && rd->pos == b->n) {
		pthread_mutex_lock(&rd->mu); /* done with it: hand it back */
		b->full = false;
		if (--rd->nfull <= NBATCHES / 2 && rd->reader_waits)
			pthread_cond_broadcast(&rd->cv);
		pthread_mutex_unlock(&rd->mu);
		rd->take = (rd->take + 1) % NBATCHES;
		rd->pos = 0;
		b = &rd->b[rd->take];
	}
	if (rd->pos == 0) {
		pthread_mutex_lock(&rd->mu);
		bool ready = b->full || rd->done;
		pthread_mutex_unlock(&rd->mu);
		/* None read ahead: rather than wait for the reader thread, which
		 * the writer's hand-back woke but which may wait for a core,
		 * the writer reads the batch itself when the thread is not
		 * reading one (the writer waited for rows 1.0-1.3 s of a 1M
		 * import, the reader 0.8-1.7 s for a core). */
		if (!ready && pthread_mutex_trylock(&rd->fill_mu) == 0) {
			fill_next(rd);
			pthread_mutex_unlock(&rd->fill_mu);
		}
		pthread_mutex_lock(&rd->mu);
		while (!b->full && !rd->done)
			pthread_cond_wait(&rd->cv, &rd->mu);
		bool full = b->full;
		pthread_mutex_unlock(&rd->mu);
		if (!full)
			return NULL;
	}
	return &b->rows[rd->pos++];
}

static void reader_stop(struct reader *rd)
{
	if (rd->started) {
		pthread_mutex_lock(&rd->mu);
		rd->stop = true;
		pthread_cond_broadcast(&rd->cv);
		pthread_mutex_unlock(&rd->mu);
		pthread_join(rd->thread, NULL);
		pthread_cond_destroy(&rd->cv);
		pthread_mutex_destroy(&rd->fill_mu);
		pthread_mutex_destroy(&rd->mu);
		rd->started = false;
	}
	for (int i = 0; i < NBATCHES; i++) {
		for (int k = 0; rd->b[i].rows && k < BATCH_ROWS; k++) {
			free(rd->b[i].rows[k].raw);
			gt_terms_free(&rd->b[i].rows[k].terms);
		}
		free(rd->b[i].rows);
		rd->b[i].rows = NULL;
	}
	gt_term_maker_free(rd->terms);
	rd->terms = NULL;
}

/* ---- the writer */

/* The stored applicant (*aid, 0 when none), whether the row names them
 * by another name (*renamed), and their case in the row's region and
 * direction (*id, 0 when none). The batch's rows are written first when
 * they could be the ones found: before the applicant is looked up in the
 * store, or, when the load's applicants are on its second connection
 * (which holds the batch's too), before their case is (a number the
 * Bloom filter may have seen but no applicant has, 3% of the rows at 1M,
 * leaves the batch gathering). */
static int find_existing(struct importer *im, const struct gt_case *c, int64_t *aid, bool *renamed, int64_t *id)
{
	bool on_side = gt_keys_side_rows(im->st, GT_SIDE_APPLICANTS) != NULL;
	char name[GT_TEXT_MAX_BYTES + 1];
	*aid = 0;
	int rc = on_side ? GT_OK : gt_case_batch_flush(im->st, &im->cs);
	if (!rc)
		rc = gt_find_applicant(im->st, &im->cs, c->id_number, aid, name);
	*renamed = *aid && strcmp(name, c->name) != 0;
	*id = 0;
	if (rc || !*aid)
		return rc;
	if (on_side && (rc = gt_case_batch_flush(im->st, &im->cs)))
		return rc;
	sqlite3_stmt *s = im->cs.find_case;
	sqlite3_bind_int64(s, 1, *aid);
	sqlite3_bind_text(s, 2, gt_code_of(&gt_regions, c->region), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, gt_code_of(&gt_directions, c->direction), -1, SQLITE_STATIC);
	int step = sqlite3_step(s);
	*id = step == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return gt_fail_sql(im->st, _("finding the case"));
	return GT_OK;
}

static int store_row(struct importer *im, const struct gt_csv_record *rec)
{
	gt_store *st = im->st;
	struct gt_case_row *row = im->row, *old = im->old;
	int64_t aid = 0, id = 0;
	bool renamed = false;
	int rc = GT_OK;
	/* A number it may have seen is looked up (a batch holds only new
	 * applicants' new cases: find_existing writes it first when needed). */
	if (!im->ids_seen || ids_maybe_seen(im->ids_seen, row->c.id_number))
		rc = find_existing(im, &row->c, &aid, &renamed, &id);
	if (rc)
		return rc;
	if (im->ids_seen)
		ids_add(im->ids_seen, row->c.id_number);
	if (!id) {
		row->id = 0;
		row->status = GT_ST_SUBMITTED;
		memset(row->evidence, 0, sizeof row->evidence);
		/* A known applicant under the row's new name: gt_write_case
		 * looks them up itself, renames them and moves the terms of
		 * their other cases to the new name, as an update does. */
		rc = gt_write_case(st, &im->cs, row, NULL, renamed ? -1 : aid, im->now, "case.import");
		if (rc)
			return rc;
		im->res->inserted++;
		if (!im->first_created)
			im->first_created = row->id;
		if (im->ncreated && im->created[im->ncreated - 1][1] + 1 == row->id)
			im->created[im->ncreated - 1][1] = row->id;
		else if (add_pair(&im->created, &im->ncreated, &im->cap_created, row->id, row->id) < 0)
			return gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
		return GT_OK;
	}
	if ((rc = gt_load_case_with(st, &im->cs, id, old)))
		return rc;
	/* The new data over the stored case: evidence details are kept for the
	 * documents still listed; the workflow fields are the stored ones. */
	struct gt_case c = row->c;
	*row = *old;
	row->c = c;
	for (int e = 0; e < GT_EV_COUNT; e++) {
		struct gt_evidence_item *it = &row->evidence[e];
		if ((c.evidence & (1u << e)) && !it->verified) {
			it->received = it->verified = true;
			gt_copy(it->received_by, sizeof it->received_by, it->received_by[0] ? it->received_by : st->actor);
			gt_copy(it->received_at, sizeof it->received_at, it->received_at[0] ? it->received_at : im->now);
			gt_copy(it->verified_by, sizeof it->verified_by, st->actor);
			gt_copy(it->verified_at, sizeof it->verified_at, im->now);
		} else if (!(c.evidence & (1u << e)) && it->verified) {
			it->verified = false;
			it->verified_by[0] = it->verified_at[0] = '\0';
		}
	}
	if (!gt_case_differs(row, old)) {
		im->res->unchanged++;
		return GT_OK;
	}
	if (old->status == GT_ST_APPROVED || old->status == GT_ST_REJECTED || old->status == GT_ST_VOID) {
		char msg[512];
		snprintf(msg, sizeof msg, _("line %ld: case %lld is %s; import does not change a decided case "
					    "(an administrator can reopen it)"),
			 rec->line, (long long)id, gt_status_name(old->status));
		im->res->refused++;
		report(im, rec, msg);
		return GT_OK;
	}
	rc = gt_write_case(st, &im->cs, row, old, -1, im->now, "case.import");
	if (rc)
		return rc;
	im->res->updated++;
	/* Written before by this import: a later row of the file for the same case. */
	if ((im->first_created && id >= im->first_created) ||
	    (old->updated_at[0] && strcmp(old->updated_at, im->now) == 0))
		im->rewritten = true;
	if (add_pair(&im->changed, &im->nchanged, &im->cap_changed, row->id, row->version) < 0)
		return gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
	return GT_OK;
}

/* The import's audit row: who and when (the row's own columns), the file,
 * its size and SHA-256, the counts, the cases created and changed. */
static int import_audit(struct importer *im, struct fingerprint *fp, gt_date as_of)
{
	if (fingerprint_end(fp) < 0)
		return gt_fail(im->st, GT_ERR, "%s: %s", im->name, strerror(errno));
	const struct gt_import_result *r = im->res;
	struct gt_sb a = gt_sb_heap();
	gt_sb_add(&a, "{\"file\":");
	gt_json_str(&a, im->name);
	if (fp->regular)
		gt_sb_addf(&a, ",\"size\":%lld,\"sha256\":\"%s\"", (long long)fp->size, fp->hex);
	else
		gt_sb_add(&a, ",\"size\":null,\"sha256\":null");
	char d[11];
	gt_date_format(as_of, d);
	gt_sb_add(&a, ",\"encoding\":");
	gt_json_str(&a, im->o->encoding ? im->o->encoding : "utf-8");
	gt_sb_addf(&a, ",\"as_of\":\"%s\",\"ruleset\":", d);
	gt_json_str(&a, gt_store_ruleset());
	if (r->same_as)
		gt_sb_addf(&a, ",\"same_as\":%lld", (long long)r->same_as);
	gt_sb_addf(&a, ",\"rows\":%ld,\"inserted\":%ld,\"updated\":%ld,\"unchanged\":%ld,\"invalid\":%ld,"
		   "\"refused\":%ld,\"rewritten\":%s,\"created\":[", r->rows, r->inserted, r->updated, r->unchanged,
		   r->invalid, r->refused, im->rewritten ? "true" : "false");
	for (size_t i = 0; i < im->ncreated; i++)
		gt_sb_addf(&a, "%s[%lld,%lld]", i ? "," : "", (long long)im->created[i][0],
			   (long long)im->created[i][1]);
	gt_sb_add(&a, "],\"changed\":[");
	for (size_t i = 0; i < im->nchanged; i++)
		gt_sb_addf(&a, "%s[%lld,%lld]", i ? "," : "", (long long)im->changed[i][0],
			   (long long)im->changed[i][1]);
	gt_sb_add(&a, "]}");
	int rc = a.truncated ? gt_fail(im->st, GT_ERR, "%s", strerror(ENOMEM))
			     : gt_audit(im->st, im->now, "import", "import", im->name, NULL, a.p);
	gt_sb_free(&a);
	return rc;
}

/* Into an empty store, the secondary indexes of the tables an import
 * writes are dropped before the rows are written and made again after them,
 * in the same transaction: built from sorted keys, their pages are full
 * (about a quarter smaller than indexes grown row by row in random order)
 * and the import is faster. So are the triggers that keep case_counts: the
 * counts are tallied in memory as the cases are written (gt_tally: each
 * case's row of case_counts, and an update's old row taken away) and added
 * at the end: what the triggers would have added row by row
 * (*counts_dropped). So is decision_hours_insert, whose WHEN (a decision
 * named by the new case) never holds for a case an import inserts: a
 * trigger on INSERT makes SQLite open a statement journal for every case
 * row (a savepoint, and a copy of each page the row touches), 12% of the
 * import's instructions. The statements are the schema's own, kept in
 * *saved (heap, ";"-separated). Not cases_person, the uniqueness of a
 * person's case in a region and direction, by which each row finds its
 * case. */
static int bulk_drop(gt_store *st, struct gt_sb *saved, bool *counts_dropped)
{
	sqlite3_stmt *s = gt_prepare(st, "SELECT type, name, sql FROM sqlite_schema WHERE sql IS NOT NULL AND "
				     "((type = 'index' AND tbl_name IN ('cases', 'applicants', 'evaluations', "
				     "'case_keys', 'case_terms', 'case_due') AND name <> 'cases_person') "
				     "OR (type = 'trigger' AND (name LIKE 'case\\_counts\\_%' ESCAPE '\\' "
				     "OR name = 'decision_hours_insert'))) "
				     "AND NOT EXISTS (SELECT 1 FROM cases) ORDER BY type = 'trigger', rowid");
	if (!s)
		return GT_ERR;
	struct gt_sb drop = gt_sb_heap();
	int step, rc = GT_OK;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		char *one = sqlite3_mprintf("DROP %s \"%w\";", gt_col_text(s, 0), gt_col_text(s, 1));
		if (!one) {
			rc = gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
			break;
		}
		gt_sb_add(&drop, one);
		sqlite3_free(one);
		gt_sb_add(saved, gt_col_text(s, 2));
		gt_sb_add(saved, ";\n");
		if (strncmp(gt_col_text(s, 1), "case_counts_", 12) == 0)
			*counts_dropped = true;
	}
	if (!rc && step != SQLITE_DONE)
		rc = gt_fail_sql(st, _("preparing the import"));
	sqlite3_finalize(s);
	if (!rc && (drop.truncated || saved->truncated))
		rc = gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
	if (!rc && drop.len && sqlite3_exec(st->db, drop.p, NULL, NULL, NULL) != SQLITE_OK)
		rc = gt_fail_sql(st, _("preparing the import"));
	gt_sb_free(&drop);
	return rc;
}

/* The page cache while the indexes are built, in KiB. SQLite's sorter
 * (vdbesort.c) keeps up to the cache's size of keys in memory before it
 * writes a sorted run to a temporary file, in a buffer it grows by doubling
 * (a freed half can stay in the heap): under the store's 64 MiB cache an
 * import's peak grew by about 100 MiB in CREATE INDEX from 200k cases on. */
enum { INDEX_CACHE_KIB = 16384 };

/* Builds the indexes (statements sql) under the smaller cache, then sets
 * the connection's own back.
 *
 * The sort's runs go to temporary files for these statements only
 * (temp_store = FILE; the connection's own is MEMORY). With its temporary
 * files in memory SQLite's sorter never writes a run: it keeps every key
 * of an index in memory, one allocation each (vdbesort.c: mxPmaSize 0),
 * which grew the import's peak with the number of cases (110 MiB at 200k,
 * 207 MiB at 1M) and cost a third more CPU than sorting runs of at most the
 * cache's size in one buffer. The files are made where the database is
 * (sqlite3_temp_directory, read by SQLite each time it makes one; restored
 * after), not in /var/tmp: the keys are the database's own data, and SQLite
 * opens them O_EXCL, 0600, and unlinks them at once. At 1M cases the
 * import's peak in CREATE INDEX was 125 MiB with them. */
static int bulk_indexes(gt_store *st, const char *sql)
{
	sqlite3_stmt *s = gt_prepare(st, "PRAGMA cache_size");
	if (!s)
		return GT_ERR;
	int kept = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
	sqlite3_finalize(s);
	char *dir = gt_store_dir(st);
	if (!dir)
		return gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
	/* Already there while a bulk load's second thread lives (gt_keys.c,
	 * side_start), which reads it: left as it is. */
	char *was_dir = sqlite3_temp_directory;
	bool set_dir = !was_dir || strcmp(was_dir, dir) != 0;
	if (set_dir)
		sqlite3_temp_directory = dir;
	char set[64];
	snprintf(set, sizeof set, "PRAGMA cache_size = -%d", INDEX_CACHE_KIB);
	if (kept)
		sqlite3_exec(st->db, set, NULL, NULL, NULL);
	/* Refused inside a transaction when the connection has temporary
	 * tables or triggers (the program makes none; a test does): then the
	 * sort stays in memory. */
	bool to_file = sqlite3_exec(st->db, "PRAGMA temp_store = FILE", NULL, NULL, NULL) == SQLITE_OK;
	int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL) == SQLITE_OK ? GT_OK
									: gt_fail_sql(st, _("building the indexes"));
	if (to_file)
		sqlite3_exec(st->db, "PRAGMA temp_store = MEMORY", NULL, NULL, NULL);
	snprintf(set, sizeof set, "PRAGMA cache_size = %d", kept);
	if (kept)
		sqlite3_exec(st->db, set, NULL, NULL, NULL);
	if (set_dir)
		sqlite3_temp_directory = was_dir;
	sqlite3_free(dir);
	return rc;
}

/* After a bulk load, in two steps: the indexes (bulk_restore_indexes);
 * then the counts the dropped triggers would have kept (tally: the same
 * grouping as case_counts_insert and case_counts_evaluation, schema.sql),
 * and the triggers (bulk_restore_triggers). Between the two the rows
 * written on the second thread are copied in (gt_keys_bulk_end). The
 * counts were made at the end by one aggregate over the cases and their
 * evaluations (GROUP BY the seven columns), 0.66 s of CPU at 200k; the
 * tally costs a hash of seven codes a case. The triggers come last in
 * saved (bulk_drop's order). */
static int bulk_restore_indexes(gt_store *st, const struct gt_sb *saved)
{
	if (!saved->len)
		return GT_OK;
	const char *trig = strstr(saved->p, "CREATE TRIGGER");
	size_t nidx = trig ? (size_t)(trig - saved->p) : saved->len;
	if (!nidx)
		return GT_OK;
	char *idx = sqlite3_mprintf("%.*s", (int)nidx, saved->p);
	int rc = idx ? bulk_indexes(st, idx) : gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
	sqlite3_free(idx);
	return rc;
}

static int bulk_restore_triggers(gt_store *st, const struct gt_sb *saved, const struct gt_tally *tally)
{
	const char *trig = saved->len ? strstr(saved->p, "CREATE TRIGGER") : NULL;
	int rc = GT_OK;
	if (trig && tally)
		rc = gt_tally_write(st, tally);
	if (!rc && trig && sqlite3_exec(st->db, trig, NULL, NULL, NULL) != SQLITE_OK)
		rc = gt_fail_sql(st, _("building the indexes"));
	return rc;
}

/* The foreign keys, after a load into an empty store made without them:
 * any row that names a missing row fails the import. Only those of cases
 * are checked: a case's applicant is the one reference taken from a lookup
 * (gt_write_case: found by identity number, or inserted), while every other
 * row the import writes (children, evidence, evaluation, keys, terms, due
 * date) carries the number of the case inserted just before it in the same
 * gt_write_case. The whole check read every term (15 rows a case) and cost
 * 15,000 instructions a case; the fuzzer (fuzz_import) and the stress tests
 * run the whole check after their imports. */
static int fk_check(gt_store *st)
{
	sqlite3_stmt *s = gt_prepare(st, "PRAGMA foreign_key_check(cases)");
	if (!s)
		return GT_ERR;
	int step = sqlite3_step(s), rc = GT_OK;
	if (step == SQLITE_ROW)
		rc = gt_fail(st, GT_ERR, _("a row of table %s names a row of %s that does not exist; nothing was imported"),
			     gt_col_text(s, 0), gt_col_text(s, 2));
	else if (step != SQLITE_DONE)
		rc = gt_fail_sql(st, _("checking the imported rows"));
	sqlite3_finalize(s);
	return rc;
}

/* A re-import of a file byte for byte the same as the last import (size
 * and SHA-256, encoding, as-of date and rule set), after which nothing but
 * exports and backups was written, and which had no refused row: every case
 * of the file is as its last row made it (a case the file names twice was
 * left as its later row says, and would only go through the same versions
 * again to end where it is). *prev gets
 * that import's audit row (0: not such a re-import); was its counts. The
 * file's hash is waited for only when that import's file had its size. */
static int same_as_before(struct importer *im, struct fingerprint *fp, gt_date as_of, int64_t *prev,
			  struct gt_import_result *was)
{
	*prev = 0;
	if (!fp->regular)
		return GT_OK;
	char d[11];
	gt_date_format(as_of, d);
	sqlite3_stmt *s = gt_prepare(im->st,
		"SELECT a.id, json_extract(a.after, '$.rows'), json_extract(a.after, '$.inserted') "
		"+ json_extract(a.after, '$.updated') + json_extract(a.after, '$.unchanged'), "
		"json_extract(a.after, '$.invalid'), json_extract(a.after, '$.sha256') "
		"FROM audit a WHERE a.id = (SELECT max(id) FROM audit WHERE action = 'import') "
		"AND json_extract(a.after, '$.size') = ?2 "
		"AND json_extract(a.after, '$.encoding') = ?3 AND json_extract(a.after, '$.as_of') = ?4 "
		"AND json_extract(a.after, '$.ruleset') = ?5 "
		"AND json_extract(a.after, '$.refused') = 0 "
		"AND NOT EXISTS (SELECT 1 FROM audit b WHERE b.id > a.id AND b.action NOT IN ('export', 'backup'))");
	if (!s)
		return GT_ERR;
	sqlite3_bind_int64(s, 2, fp->expected);
	sqlite3_bind_text(s, 3, im->o->encoding ? im->o->encoding : "utf-8", -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, d, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 5, gt_store_ruleset(), -1, SQLITE_STATIC);
	int step = sqlite3_step(s), rc = GT_OK;
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = gt_fail_sql(im->st, _("reading the audit log"));
	else if (step == SQLITE_ROW && fingerprint_end(fp) < 0) /* a file of that size: its hash is needed now */
		rc = gt_fail(im->st, GT_ERR, "%s: %s", im->name, strerror(errno));
	else if (step == SQLITE_ROW && fp->size == fp->expected && strcmp(gt_col_text(s, 4), fp->hex) == 0) {
		*prev = sqlite3_column_int64(s, 0);
		was->rows = (long)sqlite3_column_int64(s, 1);
		was->unchanged = (long)sqlite3_column_int64(s, 2);
		was->invalid = (long)sqlite3_column_int64(s, 3);
	}
	sqlite3_finalize(s);
	return rc;
}


/* The store's file, in bytes (INT64_MAX when unknown). */
static int64_t store_bytes(gt_store *st)
{
	sqlite3_stmt *s = NULL;
	int64_t n = INT64_MAX;
	if (sqlite3_prepare_v2(st->db, "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()",
			       -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

int gt_import_reject_flush(gt_store *st, struct gt_out *reject, const char *name)
{
	if (gt_out_flush(reject) == 0)
		return GT_OK;
	int e = reject->err;
	bool full = e == ENOSPC || e == EFBIG || e == EDQUOT;
	return gt_fail(st, GT_ERR,
		       full ? _("writing the reject file %s: %s (the disk is full or the file size limit "
				"was reached); nothing was imported and %s was not written")
			    : _("writing the reject file %s: %s; nothing was imported and %s was not written"),
		       name, strerror(e), name);
}

int gt_store_import(gt_store *st, FILE *in, const char *name, const struct gt_import_opts *o,
		    struct gt_import_result *res)
{
	if (st->pg)
		return gt_pg_import(st, in, name, o, res);
	memset(res, 0, sizeof *res);
	if (st->role < GT_USER_CLERK)
		return gt_fail(st, GT_ERR_DENIED,
			       _("%s is not a user of this database; an administrator can add you with "
				 "\"guantong user add %s --role clerk\""), st->actor, st->actor);
	struct importer im = { .st = st, .o = o, .res = res, .name = name, .writing = true };
	struct reader rd = { 0 };
	struct fingerprint fp = { 0 };
	gt_csv *r = gt_csv_new(in);
	struct gt_csv_record *rec = malloc(sizeof *rec);
	im.row = malloc(sizeof *im.row);
	im.old = malloc(sizeof *im.old);
	struct gt_file **rfile = o->skip_invalid && o->reject_file && *o->reject_file ? o->reject_file : NULL;
	if (rfile || (o->skip_invalid && o->reject))
		im.reject = malloc(sizeof *im.reject);
	int rc = GT_OK;
	bool in_tx = false, fk_off = false, journal_switched = false;
	struct gt_sb saved_indexes = gt_sb_heap();
	struct gt_tally *tally = NULL;
	FILE *rstream = rfile ? gt_file_stream(*rfile) : o->skip_invalid ? o->reject : NULL;
	if (!r || !rec || !im.row || !im.old || ((rfile || rstream) && (!im.reject || !rstream))) {
		rc = gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
		goto out;
	}
	if (im.reject)
		gt_out_init(im.reject, rstream);

	char msg[1024];
	struct gt_header h;
	if (gt_csv_set_encoding(r, o->encoding) < 0) {
		rc = gt_fail(st, GT_ERR, "%s: %s: %s", name, o->encoding, strerror(errno));
		goto out;
	}
	int step = gt_csv_next(r, rec);
	if (step < 0) {
		rc = gt_fail(st, GT_ERR, "%s: %s", name, strerror(errno));
		goto out;
	}
	if (step == 0) {
		rc = gt_fail(st, GT_ERR_INVALID, _("%s: the file is empty; expected a header row"), name);
		goto out;
	}
	if (rec->error == GT_CSV_BAD_UTF8)
		res->not_utf8 = true;
	if (rec->error != GT_CSV_OK) {
		rc = gt_fail(st, GT_ERR_INVALID, _("%s: line %ld, column %d: %s"), name, rec->err_line,
			     rec->err_field + 1, _(gt_csv_strerror(rec->error)));
		goto out;
	}
	if (gt_header_parse(&h, rec->fields, rec->nfields, export_extra,
			    (int)(sizeof export_extra / sizeof export_extra[0]), msg, sizeof msg) < 0) {
		rc = gt_fail(st, GT_ERR_INVALID, "%s: %s", name, msg);
		goto out;
	}
	im.nheader = rec->nfields;
	if (im.reject) {
		for (int i = 0; i < rec->nfields; i++)
			gt_out_field(im.reject, rec->fields[i].p, rec->fields[i].n, i == 0);
		gt_out_field(im.reject, "reject_reason", 13, rec->nfields == 0);
		gt_out_end(im.reject);
	}
	/* From here the reader thread owns r and rec. */
	rd.csv = r;
	rd.rec = rec;
	rd.h = &h;
	rd.as_of = o->as_of == GT_DATE_NONE ? gt_date_today() : o->as_of;

	fingerprint_start(&fp, in);
	/* Into an empty store, the foreign keys are checked once at the end
	 * (PRAGMA foreign_key_check) rather than row by row: enforced, each
	 * statement that writes a case's rows keeps a journal of every page it
	 * touches (a third of the writer's work). The pragma is the
	 * connection's and takes effect only outside a transaction; should a
	 * case arrive meanwhile, the check at the end covers it all the same. */
	sqlite3_stmt *q = gt_prepare(st, "SELECT NOT EXISTS (SELECT 1 FROM cases)");
	if (!q) {
		rc = GT_ERR;
		goto out;
	}
	bool bulk = sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	if (bulk && sqlite3_exec(st->db, "PRAGMA foreign_keys = OFF", NULL, NULL, NULL) != SQLITE_OK) {
		rc = gt_fail_sql(st, _("preparing the import"));
		goto out;
	}
	fk_off = bulk;
	/* Into an empty store, or one whose file is smaller than the file
	 * imported, each page written once: a rollback journal for the
	 * transaction, when no other connection has the file open
	 * (gt_store_journal_alone); WAL again after it. The journal holds at
	 * most the pages the store had, the WAL every page written. */
	journal_switched = (bulk || (fp.regular && store_bytes(st) < fp.expected)) && gt_store_journal_alone(st);
	if ((rc = gt_begin(st)))
		goto out;
	in_tx = true;
	if (bulk) { /* asked inside the transaction: no other writer adds an applicant meanwhile */
		if (!(q = gt_prepare(st, "SELECT NOT EXISTS (SELECT 1 FROM applicants)"))) {
			rc = GT_ERR;
			goto out;
		}
		bool none = sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0);
		sqlite3_finalize(q);
		im.ids_bytes = ids_seen_bits / 8;
		if (none && !(im.ids_seen = gt_table_alloc(im.ids_bytes))) {
			rc = gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
			goto out;
		}
	}
	gt_now(im.now);
	int64_t prev = 0;
	struct gt_import_result was = { 0 };
	if ((rc = same_as_before(&im, &fp, rd.as_of, &prev, &was)))
		goto out;
	if (prev && was.invalid == 0) {
		/* Nothing to read: the file is the one imported then, and nothing
		 * changed since. One audit row says so. */
		res->rows = was.rows;
		res->unchanged = was.unchanged;
		res->same_as = prev;
		if ((rc = import_audit(&im, &fp, rd.as_of)))
			goto out;
		in_tx = false;
		rc = gt_commit(st);
		goto out;
	}
	/* The same file with invalid rows: read only to check the rows again
	 * (the reject file, the messages); every valid row is unchanged. */
	bool replay = prev != 0;
	if (replay) {
		res->same_as = prev;
		atomic_store_explicit(&rd.checking_only, true, memory_order_relaxed);
	}
	rd.make_keys = bulk && !replay && !o->row_by_row;
	rd.terms = rd.make_keys ? gt_term_maker_new() : NULL; /* NULL: the writer makes them */
	int err = reader_start(&rd);
	if (err) {
		rc = gt_fail(st, GT_ERR, "%s", strerror(err));
		goto out;
	}
	bool counts_dropped = false;
	/* The keys' bulk load first: its second thread, when it takes the
	 * evaluations and keys (gt_keys_side_rows), makes their tables and
	 * learns their indexes from the schema before bulk_drop drops them. */
	if (!replay && (rc = gt_keys_bulk_with(st, !o->row_by_row)))
		goto out;
	if (!replay && (rc = bulk_drop(st, &saved_indexes, &counts_dropped)))
		goto out;
	if ((rc = gt_case_stmts_prepare(st, &im.cs)))
		goto out;
	im.cs.no_new_audit = true;
	/* Into a store without applicants, a new applicant's new case (every
	 * row whose identity number the filter has not seen) needs no lookup:
	 * its applicant, case and evaluation rows are written a few thousand
	 * at a time, each table's by one statement (gt_case_batch_start). */
	if (im.ids_seen && !replay && !o->row_by_row && (rc = gt_case_batch_start(st, &im.cs)))
		goto out;
	/* The counts' triggers were dropped: the cases are counted here. */
	if (counts_dropped && !(im.cs.tally = tally = gt_tally_new())) {
		rc = gt_fail(st, GT_ERR, "%s", strerror(ENOMEM));
		goto out;
	}

	struct row_slot *sl;
	while ((sl = reader_next(&rd))) {
		res->rows++;
		if (o->progress && res->rows % 10000 == 0)
			o->progress(res->rows, o->arg);
		if (!sl->valid) {
			if (sl->rec.error == GT_CSV_BAD_UTF8)
				res->not_utf8 = true;
			report(&im, &sl->rec, sl->msg);
		} else if (im.writing && replay) {
			res->unchanged++;
		} else if (im.writing) {
			im.row->c = sl->c;
			im.cs.given = sl->prepared ? &sl->pre : NULL;
			im.cs.given_keys = sl->keyed ? &sl->keys : NULL;
			im.cs.given_terms = sl->termed ? &sl->terms : NULL;
			rc = store_row(&im, &sl->rec);
			im.cs.given = NULL;
			im.cs.given_keys = NULL;
			im.cs.given_terms = NULL;
			if (rc)
				goto out;
		}
		if (!im.writing) /* only checking now: nothing will be written */
			atomic_store_explicit(&rd.checking_only, true, memory_order_relaxed);
	}
	if (rd.err) {
		rc = gt_fail(st, GT_ERR, "%s: %s", name, strerror(rd.err));
		goto out;
	}
	if ((rc = gt_case_batch_flush(st, &im.cs)))
		goto out;
	if (o->progress)
		o->progress(res->rows, o->arg);
	if (res->rows == 0) {
		rc = gt_fail(st, GT_ERR_INVALID, _("%s: the file has a header but no rows; nothing was imported"),
			     name);
		goto out;
	}
	if (!im.writing) {
		rc = gt_fail(st, GT_ERR_INVALID,
			     ngettext("%s: %ld row is invalid; nothing was imported",
				      "%s: %ld rows are invalid; nothing was imported", (unsigned long)res->invalid),
			     name, res->invalid);
		goto out;
	}
	/* The reject file is complete and on the disk, and has its name, before
	 * the cases commit: when it cannot be written, nothing is imported. */
	if (im.reject && !rfile && gt_out_flush(im.reject) != 0) {
		rc = gt_fail(st, GT_ERR, _("writing the reject file: %s; nothing was imported"),
			     strerror(im.reject->err));
		goto out;
	}
	if (rfile) {
		char ferr[1024];
		int frc = GT_FILE_OK;
		if ((rc = gt_import_reject_flush(st, im.reject, gt_file_target(*rfile))))
			goto out;
		if (res->invalid > 0)
			frc = gt_file_commit(rfile, ferr, sizeof ferr);
		else
			gt_file_abort(rfile); /* no invalid row: no reject file */
		if (frc != GT_FILE_OK) {
			rc = gt_fail(st, frc == GT_FILE_EXISTS ? GT_ERR_EXISTS : GT_ERR, _("%s; nothing was imported"), ferr);
			goto out;
		}
	}
	/* The second thread's indexes and terms' merge while the store's
	 * indexes are built (gt_keys_bulk_merge), then its evaluations, keys
	 * and terms copied into the store's tables (gt_keys_bulk_end), before
	 * the counts' triggers are back (with case_counts_evaluation in place
	 * the copy would count each evaluation again, and SQLite's transfer
	 * would not apply). */
	if ((rc = gt_keys_bulk_merge(st)) || (rc = bulk_restore_indexes(st, &saved_indexes)) ||
	    (rc = gt_keys_bulk_end(st, true)) || (rc = bulk_restore_triggers(st, &saved_indexes, tally)) ||
	    (fk_off && (rc = fk_check(st))))
		goto out;
	if ((rc = import_audit(&im, &fp, rd.as_of)))
		goto out;
	gt_case_stmts_finalize(&im.cs);
	in_tx = false;
	rc = gt_commit(st);
	if (rc && rfile && res->invalid > 0) {
		char why[sizeof st->err];
		memcpy(why, st->err, sizeof why);
		rc = gt_fail(st, rc, _("%s (the invalid rows were written to the reject file all the same)"), why);
	}
out:
	if (rfile)
		gt_file_abort(rfile); /* not committed: removes its temporary file */
	reader_stop(&rd);
	fingerprint_stop(&fp);
	gt_case_stmts_finalize(&im.cs);
	gt_keys_bulk_end(st, false);
	if (in_tx)
		gt_rollback(st);
	gt_keys_side_detach(st); /* before journal_mode, which would apply to it too */
	if (fk_off)
		sqlite3_exec(st->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
	if (journal_switched) { /* the import's outcome and message stay what they were */
		char why[sizeof st->err];
		memcpy(why, st->err, sizeof why);
		gt_store_journal_wal(st);
		memcpy(st->err, why, sizeof why);
	}
	if (rc) /* what was counted as written was rolled back */
		res->inserted = res->updated = 0;
	gt_csv_free(&r);
	free(rec);
	free(im.row);
	free(im.old);
	free(im.reject);
	free(im.created);
	free(im.changed);
	gt_table_free(im.ids_seen, im.ids_bytes);
	gt_sb_free(&saved_indexes);
	gt_tally_free(tally);
	return rc;
}
