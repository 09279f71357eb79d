/* Writes a libFuzzer dictionary of the case CSV's words to standard output:
 * the column names, every code with its Chinese name and synonyms, the
 * result forms, yes/no, dates and identity numbers that pass their checks.
 * Built with the fuzzers; the build runs it (case.dict in the build tree), so
 * the dictionary never lags behind core/gt_codes.c. */
#include <stdio.h>
#include <string.h>

#include "gt_case.h"
#include "gt_codes.h"
#include "gt_idnum.h"

static void entry(const char *s, size_t n)
{
	putchar('"');
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch < 0x20 || ch >= 0x7F || ch == '"' || ch == '\\')
			printf("\\x%02X", ch);
		else
			putchar(ch);
	}
	printf("\"\n");
}

static void word(const char *s)
{
	if (s && *s)
		entry(s, strlen(s));
}

static void table(const struct gt_code_table *t)
{
	for (int i = 0; i < t->count; i++) {
		word(t->codes[i].code);
		word(t->codes[i].zh);
		const char *p = t->codes[i].synonyms;
		while (p && *p) {
			const char *bar = strchr(p, '|');
			size_t n = bar ? (size_t)(bar - p) : strlen(p);
			entry(p, n);
			p = bar ? bar + 1 : NULL;
		}
	}
}

int main(void)
{
	for (int i = 0; i < GT_COL_COUNT; i++)
		word(gt_column_names[i]);
	const struct gt_code_table *tables[] = {
		&gt_regions, &gt_directions, &gt_series_codes, &gt_skill_levels, &gt_title_levels,
		&gt_honours, &gt_comps, &gt_results, &gt_roles, &gt_schools, &gt_evidence_codes,
	};
	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
		table(tables[i]);
	static const char *const more[] = {
		"yes", "no", "rank", "rank4", "\xE7\xAC\xAC", "\xE5\x90\x8D", "\xE7\xAC\xAC" "4" "\xE5\x90\x8D",
		"\xE5\x88\x9D\xE7\xBA\xA7" /* the ambiguous bare 初级 */, ":", ";", ",", "\"", "\"\"", "\r\n",
		"\xEF\xBB\xBF", "'", "'=", "=", "+", "-", "@", "\t",
		"2024-02-29", "2023-02-29", "2024-13-01", "1900-01-01", "2199-12-31", "2024-06-30",
		"2021-06-30", "0000-00-00",
		/* The spreadsheet forms (spec, Input) and their near misses. */
		"2020/1/5", "2026.6.30", "2024/2/29", "2023.2.29", "2020/13/1", "2020/1/", "2020/1.5",
		"2020/01/05", "/", ".",
	};
	for (size_t i = 0; i < sizeof more / sizeof more[0]; i++)
		word(more[i]);
	/* Identity numbers that pass: a few birth dates, lower-case x too. */
	static const char *const stems[] = {
		"11010519491231002", "50010319880412123", "11010520000229001", "11010519000101001",
		"11010521991231001", "11010520240630001", "11010520240701001",
	};
	for (size_t i = 0; i < sizeof stems / sizeof stems[0]; i++) {
		char id[19];
		memcpy(id, stems[i], 17);
		id[17] = gt_id_check_char(stems[i]);
		id[18] = '\0';
		word(id);
		if (id[17] == 'X') {
			id[17] = 'x';
			word(id);
		}
	}
	return ferror(stdout) ? 1 : 0;
}
