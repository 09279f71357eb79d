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

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: gen_pinyin OUT.c\n");
		return 2;
	}
	struct gt_py_icu icu;
	bool usable = gt_py_icu_open(&icu) == 0 && icu.usable;
	for (UChar32 c = 0; usable && c < 0x110000; c++) {
		if (!u_hasBinaryProperty(c, UCHAR_IDEOGRAPHIC))
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
	put_set(f, "gt_py_table_context", usable ? icu.context : NULL);
	put_set(f, "gt_py_table_named", usable ? icu.named : NULL);
	gt_py_icu_close(&icu);
	if (fclose(f) != 0 || rename(tmp, argv[1]) != 0) {
		perror(argv[1]);
		return 1;
	}
	return 0;
}
