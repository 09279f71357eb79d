/* gen_pinyin OUT.c: writes the pinyin table of single characters
 * (gt_pinyin.h) from this machine's ICU, at build time, so that making a
 * name's keys does not compile Han-Latin's rules (about a billion
 * instructions, a third of a second, in every process that writes a case).
 * Each character's entry is what gt_py_icu_char says, the function the
 * store falls back on when the ICU it runs with is another version. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/uversion.h>

#include "gt_pinyin.h"

enum { MAX_SYLLABLES = 4096, PAGES = 0x110000 >> 8 };

static char syllables[MAX_SYLLABLES][GT_PY_MAX];
static int nsyllables = 1; /* 0 is "through ICU whole" */
static uint16_t entry[0x110000];

static int syllable_index(const char *py)
{
	for (int i = 1; i < nsyllables; i++)
		if (strcmp(syllables[i], py) == 0)
			return i;
	if (nsyllables == MAX_SYLLABLES)
		return -1;
	strcpy(syllables[nsyllables], py);
	return nsyllables++;
}

static void put_set(FILE *f, const char *name, const USet *set)
{
	int n = 0;
	fprintf(f, "const uint32_t %s[] = {", name);
	for (int32_t r = 0; set && r < uset_getRangeCount(set); r++) {
		UChar32 lo, hi;
		UErrorCode e = U_ZERO_ERROR;
		uset_getItem(set, r, &lo, &hi, NULL, 0, &e);
		for (UChar32 c = lo; c <= hi && U_SUCCESS(e); c++, n++)
			fprintf(f, "%s0x%04x", n ? ", " : " ", (unsigned)c);
	}
	fprintf(f, "%s };\nconst int %s_count = %d;\n", n ? "" : " 0", name, n);
}

/* The pairs of context character c (see gt_pinyin.h) into f: its syllable
 * alone, and before each character the context rules name where it
 * differs; none (c's names go through ICU whole) when a pair with a named
 * character does not read as two plain syllables, or a named character
 * before c changes c's reading. Only the characters the context rules name
 * can change a reading (py_rules_read); tests/unit/test_keys.c checks c
 * before and after every ideograph of the basic block against ICU. */
static int pairs_of(const struct gt_py_icu *icu, UChar32 c, FILE *f)
{
	char alone[1][GT_PY_MAX], two[2][GT_PY_MAX], next[1][GT_PY_MAX];
	if (gt_py_icu_syllables(icu, &c, 1, alone) != 0)
		return 0;
	struct gt_py_pair found[64];
	int n = 0;
	for (int32_t r = 0; r < uset_getRangeCount(icu->named); r++) {
		UChar32 lo, hi;
		UErrorCode e = U_ZERO_ERROR;
		uset_getItem(icu->named, r, &lo, &hi, NULL, 0, &e);
		for (UChar32 d = lo; d <= hi && U_SUCCESS(e); d++) {
			UChar32 cd[2] = { c, d }, dc[2] = { d, c };
			if (gt_py_icu_syllables(icu, &d, 1, next) != 0 || gt_py_icu_syllables(icu, cd, 2, two) != 0 ||
			    strcmp(two[1], next[0]) != 0)
				return 0;
			if (strcmp(two[0], alone[0]) != 0) {
				if (n == 64)
					return 0;
				found[n].c = (uint32_t)c;
				found[n].next = (uint32_t)d;
				memcpy(found[n++].py, two[0], GT_PY_MAX);
			}
			if (gt_py_icu_syllables(icu, dc, 2, two) != 0 || strcmp(two[1], alone[0]) != 0)
				return 0;
		}
	}
	fprintf(f, "\t{ 0x%04x, 0, \"%s\" },\n", (unsigned)c, alone[0]);
	for (int i = 0; i < n; i++)
		fprintf(f, "\t{ 0x%04x, 0x%04x, \"%s\" },\n", found[i].c, found[i].next, found[i].py);
	return 1 + n;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: gen_pinyin OUT.c\n");
		return 2;
	}
	struct gt_py_icu icu;
	bool usable = gt_py_icu_open(&icu) == 0 && icu.usable;
	for (UChar32 c = 0; usable && c < 0x110000; c++) {
		if (!u_hasBinaryProperty(c, UCHAR_IDEOGRAPHIC) && !u_ispunct(c))
			continue;
		char py[GT_PY_MAX];
		gt_py_icu_char(&icu, c, py);
		int i = py[0] ? syllable_index(py) : 0;
		if (i < 0) {
			fprintf(stderr, "gen_pinyin: more than %d syllables\n", MAX_SYLLABLES);
			return 1;
		}
		entry[c] = (uint16_t)i;
	}
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s.tmp", argv[1]);
	FILE *f = fopen(tmp, "w");
	if (!f) {
		perror(tmp);
		return 1;
	}
	UVersionInfo v;
	char version[U_MAX_VERSION_STRING_LENGTH];
	u_getVersion(v);
	u_versionToString(v, version);
	fprintf(f, "/* Written by gen_pinyin (store/gen/gen_pinyin.c) from ICU %s: do not edit. */\n"
		   "#include \"gt_pinyin.h\"\n\n"
		   "const char gt_py_table_icu[] = \"%s\";\nconst bool gt_py_table_usable = %s;\n",
		version, version, usable ? "true" : "false");
	fprintf(f, "const char gt_py_table_syllables[][GT_PY_MAX] = {");
	for (int i = 0; i < nsyllables; i++)
		fprintf(f, "%s%s\"%s\"", i ? "," : "", i % 12 ? " " : "\n\t", syllables[i]);
	fprintf(f, "\n};\n");
	/* Row 0 is all zeros: the pages without an entry. */
	int nrows = 1;
	static uint16_t page_row[PAGES];
	for (int pg = 0; pg < PAGES; pg++)
		for (int k = 0; k < 256 && !page_row[pg]; k++)
			if (entry[pg * 256 + k])
				page_row[pg] = (uint16_t)nrows++;
	fprintf(f, "const uint16_t gt_py_table_page[0x110000 >> 8] = {");
	for (int pg = 0, n = 0; pg < PAGES; pg++)
		if (page_row[pg])
			fprintf(f, "%s%s[0x%x] = %d", n ? "," : "", n % 6 ? " " : "\n\t", pg, page_row[pg]), n++;
	fprintf(f, "\n};\nconst uint16_t gt_py_table_rows[][256] = {\n\t{ 0 },");
	for (int pg = 0; pg < PAGES; pg++) {
		if (!page_row[pg])
			continue;
		fprintf(f, "\n\t{ /* U+%04X */", pg * 256);
		for (int k = 0; k < 256; k++)
			fprintf(f, "%s%d,", k % 24 ? " " : "\n\t  ", entry[pg * 256 + k]);
		fprintf(f, "\n\t},");
	}
	fprintf(f, "\n};\n");
	int npairs = 0;
	fprintf(f, "const struct gt_py_pair gt_py_table_pairs[] = {\n");
	for (int32_t r = 0; usable && r < uset_getRangeCount(icu.context); r++) {
		UChar32 lo, hi;
		UErrorCode e = U_ZERO_ERROR;
		uset_getItem(icu.context, r, &lo, &hi, NULL, 0, &e);
		for (UChar32 c = lo; c <= hi && U_SUCCESS(e); c++)
			npairs += pairs_of(&icu, c, f);
	}
	fprintf(f, "%s};\nconst int gt_py_table_pairs_count = %d;\n", npairs ? "" : "\t{ 0, 0, \"\" },\n", npairs);
	put_set(f, "gt_py_table_context", usable ? icu.context : NULL);
	put_set(f, "gt_py_table_named", usable ? icu.named : NULL);
	gt_py_icu_close(&icu);
	if (fclose(f) != 0 || rename(tmp, argv[1]) != 0) {
		perror(argv[1]);
		return 1;
	}
	return 0;
}
