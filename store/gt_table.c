/* guantong store: zeroed tables read and written at random
 * (gt_store_int.h, gt_table_alloc). */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, MADV_HUGEPAGE */
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>

#include "gt_store_int.h"

/* Huge pages, because the tables are read at random and mostly read first:
 * in pages of 4 KiB, each of the 24 MiB of a bulk load's tables was first
 * mapped to the kernel's zero page by a read, then copied when written, and
 * every such write made the kernel flush the other threads' TLBs (about 9%
 * of the writer's time during the rows of a 200k import, perf). The
 * mapping is aligned to 2 MiB by hand: kernels before 6.7 do not align
 * large anonymous mappings. Without THP (or refused) it is an ordinary
 * zeroed mapping. */
enum { TABLE_ALIGN = 2u << 20 };

void *gt_table_alloc(size_t bytes)
{
	if (bytes == 0)
		return NULL;
	size_t len = (bytes + TABLE_ALIGN - 1) & ~(size_t)(TABLE_ALIGN - 1);
	char *m = mmap(NULL, len + TABLE_ALIGN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return NULL;
	char *p = (char *)(((uintptr_t)m + TABLE_ALIGN - 1) & ~(uintptr_t)(TABLE_ALIGN - 1));
	if (p > m)
		munmap(m, (size_t)(p - m));
	munmap(p + len, (size_t)(m + TABLE_ALIGN - p)); /* the tail: p - m < TABLE_ALIGN */
#ifdef MADV_HUGEPAGE
	madvise(p, len, MADV_HUGEPAGE);
#endif
	return p;
}

void gt_table_free(void *p, size_t bytes)
{
	if (p)
		munmap(p, (bytes + TABLE_ALIGN - 1) & ~(size_t)(TABLE_ALIGN - 1));
}
