/* ICU's side of the pinyin table (see gt_pinyin.h and store/gt_keys.c).
 *
 * ICU's Han-Latin rules (utrans_toRules) are, but for a few, one rule per
 * reading: a set of characters and their syllable, whatever surrounds them;
 * and Han-Spacedhan, which Han-Latin runs first, puts a space between two
 * ideographs. So the transform of a name made of such ideographs alone is
 * the transforms of its characters, each taken alone, joined by spaces. The
 * few rules with a context ("{重}' '?庆 > chóng") make their characters'
 * reading depend on the next one; a name holding one of those, or any
 * character that is not an ideograph of one plain syllable (Latin letters,
 * digits, "·", a character without a reading), goes through ICU whole. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/ustring.h>

#include "gt_case.h"
#include "gt_pinyin.h"

/* Adds the characters of a rule's text s[0..n) to set: those of its sets
 * and its literal non-ASCII characters (ASCII is the rule syntax, and a
 * name with ASCII goes through ICU whole anyway). -1 on a set ICU cannot
 * read back. */
static int py_rule_chars(const UChar *s, int32_t n, USet *set)
{
	for (int32_t i = 0; i < n;) {
		if (s[i] == '[') {
			UErrorCode e = U_ZERO_ERROR;
			USet *one = uset_openEmpty();
			int32_t end = uset_applyPattern(one, s + i, n - i, 0, &e);
			if (U_SUCCESS(e))
				uset_addAll(set, one);
			uset_close(one);
			if (U_FAILURE(e) || end <= 0)
				return -1;
			i += end;
			continue;
		}
		UChar32 c;
		U16_NEXT(s, i, n, c);
		if (c >= 0x80)
			uset_add(set, c);
	}
	return 0;
}

/* Reads Han-Latin's rules for the characters read in context: for each
 * rule but those of one set or one character and no context, the
 * characters it rewrites (between "{" and "}", else its whole left side)
 * go into p->context, and all it names into p->named. Any other transform
 * inside Han-Latin than Han-Spacedhan, or a rule it cannot read, leaves
 * p->usable false: every name then goes through ICU whole. */
static void py_rules_read(struct gt_py_icu *p)
{
	UErrorCode e = U_ZERO_ERROR;
	UChar id[16];
	u_uastrcpy(id, "Han-Latin");
	UTransliterator *hl = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &e);
	UChar *r = NULL;
	int32_t n = 0;
	if (U_SUCCESS(e))
		n = utrans_toRules(hl, false, NULL, 0, &e);
	if (e == U_BUFFER_OVERFLOW_ERROR && (r = malloc(((size_t)n + 1) * sizeof *r))) {
		e = U_ZERO_ERROR;
		utrans_toRules(hl, false, r, n + 1, &e);
	}
	if (hl)
		utrans_close(hl);
	if (!r || U_FAILURE(e))
		goto out;
	bool ok = true;
	for (int32_t i = 0; i < n && ok;) {
		/* One statement: up to a ";" outside quotes and sets; where its
		 * first set ends, and whether a set holds a string ("{ab}"). */
		int32_t start = i, op = -1, open = -1, close = -1, set_end = -1, depth = 0;
		bool quoted = false, strings = false;
		for (; i < n && (quoted || depth || r[i] != ';'); i++) {
			if (r[i] == '\\' && i + 1 < n)
				i++;
			else if (r[i] == '\'')
				quoted = !quoted;
			else if (quoted)
				continue;
			else if (r[i] == '[')
				depth++;
			else if (r[i] == ']' && depth)
				set_end = --depth == 0 && set_end < 0 ? i : set_end;
			else if (depth && op < 0 && r[i] == '{')
				strings = true;
			else if (!depth && op < 0 && (r[i] == '>' || r[i] == '<' || r[i] == 0x2192 || r[i] == 0x2190 ||
						      r[i] == 0x2194))
				op = i;
			else if (!depth && op < 0 && r[i] == '{')
				open = i;
			else if (!depth && op < 0 && r[i] == '}')
				close = i;
		}
		int32_t end = i++;
		while (start < end && (r[start] == ' ' || r[start] == '\n'))
			start++;
		if (start == end)
			continue;
		if (end - start >= 2 && r[start] == ':' && r[start + 1] == ':') {
			static const char spaced[] = "::Han-Spacedhan()";
			int32_t k = 0;
			while (spaced[k] && start + k < end && r[start + k] == spaced[k])
				k++;
			ok = !spaced[k] && start + k == end;
			continue;
		}
		if (op < 0) {
			ok = false;
			break;
		}
		int32_t left = op;
		while (left > start && r[left - 1] == ' ')
			left--;
		/* One character, or one set of single characters, and no context. */
		bool single = false;
		if (open < 0 && close < 0) {
			int32_t k = start;
			UChar32 c;
			U16_NEXT(r, k, left, c);
			if (k == left && c != '[' && c >= 0x80) {
				single = true;
			} else {
				/* The set closes at the left side's end and holds no
				 * string: read by its brackets, as ICU would take
				 * ~30,000 instructions a set to parse it. */
				single = r[start] == '[' && set_end == left - 1 && !strings;
			}
		}
		if (single)
			continue;
		int32_t from = start, to = left;
		if (open >= 0 && close > open) {
			from = open + 1;
			to = close;
		}
		if (py_rule_chars(r + from, to - from, p->context) < 0 ||
		    py_rule_chars(r + start, left - start, p->named) < 0)
			ok = false;
	}
	p->usable = ok && !uset_isEmpty(p->context);
out:
	free(r);
}

int gt_py_icu_open(struct gt_py_icu *p)
{
	memset(p, 0, sizeof *p);
	UChar id[64];
	UErrorCode e = U_ZERO_ERROR;
	u_strFromUTF8(id, 64, NULL, "Han-Latin; Latin-ASCII; Lower", -1, &e);
	if (U_SUCCESS(e))
		p->trans = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &e);
	if (U_FAILURE(e) || !p->trans) {
		p->trans = NULL;
		return -1;
	}
	p->context = uset_openEmpty();
	p->named = uset_openEmpty();
	py_rules_read(p);
	return 0;
}

void gt_py_icu_close(struct gt_py_icu *p)
{
	if (p->trans)
		utrans_close(p->trans);
	if (p->context)
		uset_close(p->context);
	if (p->named)
		uset_close(p->named);
	memset(p, 0, sizeof *p);
}

int gt_py_icu_whole(UTransliterator *trans, const UChar *u, int32_t n, char *out, int32_t size)
{
	UChar t[4 * GT_TEXT_MAX_BYTES];
	if (n > (int32_t)(sizeof t / sizeof t[0]))
		return -1;
	u_memcpy(t, u, n);
	int32_t len = n, limit = n;
	UErrorCode e = U_ZERO_ERROR;
	utrans_transUChars(trans, t, &len, (int32_t)(sizeof t / sizeof t[0]), 0, &limit, &e);
	if (U_SUCCESS(e))
		u_strToUTF8(out, size, NULL, t, len, &e);
	return U_SUCCESS(e) && e != U_STRING_NOT_TERMINATED_WARNING ? 0 : -1;
}

int gt_py_icu_syllables(const struct gt_py_icu *p, const UChar32 *cs, int n, char (*out)[GT_PY_MAX])
{
	UChar u[16] = { 0 };
	int32_t len = 0;
	for (int i = 0; i < n; i++) {
		if (len + 2 > (int32_t)(sizeof u / sizeof u[0]))
			return -1;
		U16_APPEND_UNSAFE(u, len, cs[i]);
	}
	char s[4 * GT_TEXT_MAX_BYTES];
	if (gt_py_icu_whole(p->trans, u, len, s, (int32_t)sizeof s) != 0)
		return -1;
	const char *t = s;
	for (int i = 0; i < n; i++) {
		size_t k = strspn(t, "abcdefghijklmnopqrstuvwxyz");
		if (!k || k >= GT_PY_MAX || t[k] != (i + 1 < n ? ' ' : '\0'))
			return -1;
		memcpy(out[i], t, k);
		out[i][k] = '\0';
		t += k + (i + 1 < n);
	}
	return 0;
}

/* The characters that join the parts of a name (次仁·多吉) and that the
 * transform leaves without a letter or a digit, so that a name's keys see
 * them as the space between two syllables: checked by sep_ok. */
static const UChar32 py_seps[] = { 0x00B7, 0x2022, 0x2027, 0x30FB, 0xFF65 };

/* Whether s's transform, alone and between two ideographs, holds no letter
 * or digit and leaves its neighbours' syllables as they are alone. */
static bool sep_ok(const struct gt_py_icu *p, UChar32 s)
{
	UChar u[8];
	int32_t n = 0;
	U16_APPEND_UNSAFE(u, n, 0x4E00);
	int32_t mid = n;
	U16_APPEND_UNSAFE(u, n, s);
	int32_t end = n;
	U16_APPEND_UNSAFE(u, n, 0x4E00);
	char alone[64], both[64];
	if (gt_py_icu_whole(p->trans, u + mid, end - mid, alone, (int32_t)sizeof alone) != 0 ||
	    gt_py_icu_whole(p->trans, u, n, both, (int32_t)sizeof both) != 0 ||
	    strcspn(alone, "abcdefghijklmnopqrstuvwxyz0123456789") != strlen(alone))
		return false;
	char want[sizeof alone + 8];
	snprintf(want, sizeof want, "yi%syi", alone);
	return strcmp(both, want) == 0;
}

void gt_py_icu_char(const struct gt_py_icu *p, UChar32 c, char py[GT_PY_MAX])
{
	py[0] = '\0';
	for (size_t i = 0; i < sizeof py_seps / sizeof py_seps[0]; i++)
		if (c == py_seps[i]) {
			if (sep_ok(p, c))
				strcpy(py, " ");
			return;
		}
	if (!u_hasBinaryProperty(c, UCHAR_IDEOGRAPHIC) || u_charType(c) != U_OTHER_LETTER ||
	    uset_contains(p->context, c))
		return;
	char one[1][GT_PY_MAX];
	if (gt_py_icu_syllables(p, &c, 1, one) == 0)
		memcpy(py, one[0], GT_PY_MAX);
}
