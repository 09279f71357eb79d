/* Translations looked up once. dgettext takes a lock, reads the environment
 * (LANGUAGE) and hashes the msgid on every call; screen asks for the same few
 * dozen messages for every row. The first answer for a msgid is kept in a
 * small lock-free table keyed by the msgid's address (import evaluates on a
 * second thread), and later calls read it from there. */
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#include "gt_i18n.h"

/* Raised by gt_i18n_forget: what was made from translations under one value
 * may be kept while it stays (gt_explain.c's tables). */
static atomic_uint generation;

unsigned gt_i18n_generation(void)
{
	return atomic_load_explicit(&generation, memory_order_acquire);
}

#ifndef GT_NO_NLS

#define SLOTS 1024  /* a power of two, well above the number of messages */
#define PROBES 16   /* beyond that, ask gettext every time */

enum { SLOT_EMPTY, SLOT_FILLING, SLOT_READY };

struct slot {
	atomic_int state;
	const char *msgid, *plural;
	unsigned long n;
	const char *text;
};

static struct slot slots[SLOTS];

static size_t slot_of(const char *msgid, unsigned long n)
{
	uint64_t h = ((uint64_t)(uintptr_t)msgid ^ (n * 0x9E3779B97F4A7C15u)) * 0x9E3779B97F4A7C15u;
	return (size_t)(h >> 54) & (SLOTS - 1);
}

static const char *lookup(const char *msgid, const char *plural, unsigned long n)
{
	size_t i = slot_of(msgid, n);
	for (int k = 0; k < PROBES; k++, i = (i + 1) & (SLOTS - 1)) {
		struct slot *s = &slots[i];
		int st = atomic_load_explicit(&s->state, memory_order_acquire);
		if (st == SLOT_READY) {
			if (s->msgid == msgid && s->plural == plural && s->n == n)
				return s->text;
			continue;
		}
		const char *text = plural ? dngettext("guantong", msgid, plural, n)
					  : dgettext("guantong", msgid);
		int empty = SLOT_EMPTY;
		if (st == SLOT_EMPTY &&
		    atomic_compare_exchange_strong_explicit(&s->state, &empty, SLOT_FILLING,
							    memory_order_acquire, memory_order_relaxed)) {
			s->msgid = msgid;
			s->plural = plural;
			s->n = n;
			s->text = text;
			atomic_store_explicit(&s->state, SLOT_READY, memory_order_release);
		}
		return text; /* a slot being filled by another thread: ask each time */
	}
	return plural ? dngettext("guantong", msgid, plural, n) : dgettext("guantong", msgid);
}

const char *gt_gettext(const char *msgid)
{
	return lookup(msgid, NULL, 0);
}

const char *gt_ngettext(const char *msgid, const char *plural, unsigned long n)
{
	if (n > 1000) /* keep the table for the counts that repeat */
		return dngettext("guantong", msgid, plural, n);
	return lookup(msgid, plural, n);
}

void gt_i18n_forget(void)
{
	for (size_t i = 0; i < SLOTS; i++)
		atomic_store_explicit(&slots[i].state, SLOT_EMPTY, memory_order_relaxed);
	atomic_fetch_add_explicit(&generation, 1, memory_order_acq_rel);
}

#else

const char *gt_ngettext(const char *msgid, const char *plural, unsigned long n)
{
	return n == 1 ? msgid : plural;
}

void gt_i18n_forget(void)
{
	atomic_fetch_add_explicit(&generation, 1, memory_order_acq_rel);
}

#endif
