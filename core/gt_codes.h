/* Codes of the case CSV contract (../shared/spec/case-csv.md): the enums, their
 * ASCII codes, Chinese display names and the Chinese synonyms accepted on input. */
#ifndef GT_CODES_H
#define GT_CODES_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef enum {
	GT_REGION_CHONGQING,
	GT_REGION_ANSHAN,
	GT_REGION_SICHUAN,
	GT_REGION_JIANGSU,
	GT_REGION_GUANGZHOU,
	GT_REGION_COUNT
} gt_region;

typedef enum {
	GT_DIR_SKILL_TO_TITLE,
	GT_DIR_TITLE_TO_SKILL,
	GT_DIR_COUNT
} gt_direction;

typedef enum {
	GT_SERIES_ENGINEERING,
	GT_SERIES_AGRICULTURE,
	GT_SERIES_ARTS_CRAFTS,
	GT_SERIES_CULTURAL_RELICS,
	GT_SERIES_LAB_TECH,
	GT_SERIES_ART,
	GT_SERIES_SPORTS,
	GT_SERIES_TECH_SCHOOL_TEACHER,
	GT_SERIES_COUNT
} gt_series;

/* Ordered: a larger value is a higher level. */
typedef enum {
	GT_SKILL_NONE,
	GT_SKILL_JUNIOR,
	GT_SKILL_INTERMEDIATE,
	GT_SKILL_SENIOR,
	GT_SKILL_TECHNICIAN,
	GT_SKILL_SENIOR_TECHNICIAN,
	GT_SKILL_PRINCIPAL_TECHNICIAN,
	GT_SKILL_CHIEF_TECHNICIAN,
	GT_SKILL_COUNT
} gt_skill;

/* Ordered: a larger value is a higher level. */
typedef enum {
	GT_TITLE_NONE,
	GT_TITLE_ENTRY,
	GT_TITLE_ASSISTANT,
	GT_TITLE_INTERMEDIATE,
	GT_TITLE_DEPUTY_SENIOR,
	GT_TITLE_FULL_SENIOR,
	GT_TITLE_COUNT
} gt_title;

typedef enum {
	GT_HON_CHINA_SKILLS_AWARD,
	GT_HON_NATIONAL_TECHNICAL_EXPERT,
	GT_HON_STATE_COUNCIL_ALLOWANCE,
	GT_HON_NATIONAL_MASTER_STUDIO,
	GT_HON_PROVINCIAL_MASTER_STUDIO,
	GT_HON_MUNICIPAL_MASTER_STUDIO,
	GT_HON_NATIONAL_HERITAGE_INHERITOR,
	GT_HON_PROVINCIAL_HERITAGE_INHERITOR,
	GT_HON_PROVINCIAL_GOV_AWARD,
	GT_HON_PROVINCIAL_TALENT_PROGRAM,
	GT_HON_PROVINCIAL_SCI_TECH_AWARD,
	GT_HON_INTERNATIONAL_CERTIFICATE,
	GT_HON_CHONGQING_SKILLS_MASTER,
	GT_HON_CHONGQING_CHIEF_MASTER_STUDIO,
	GT_HON_LIAONING_CRAFTSMAN,
	GT_HON_LIAONING_MERITORIOUS,
	GT_HON_LIAONING_OUTSTANDING,
	GT_HON_LIAONING_TECHNICAL_EXPERT,
	GT_HON_ANSHAN_CRAFTSMAN,
	GT_HON_SICHUAN_TECHNICAL_EXPERT,
	GT_HON_TIANFU_CRAFTSMAN,
	GT_HON_SICHUAN_SKILLS_MASTER,
	GT_HON_JIANGSU_GREAT_CRAFTSMAN,
	GT_HON_JIANGSU_CRAFTSMAN,
	GT_HON_JIANGSU_YOUNG_EXPERT,
	GT_HON_JIANGSU_RURAL_MASTER_STUDIO,
	GT_HON_COUNT
} gt_honour;

typedef enum {
	GT_COMP_WORLDSKILLS,
	GT_COMP_NATIONAL_SKILLS,
	GT_COMP_NATIONAL_CLASS1,
	GT_COMP_NATIONAL_CLASS2,
	GT_COMP_CHONGQING_SKILLS,
	GT_COMP_PROVINCIAL,
	GT_COMP_MUNICIPAL,
	GT_COMP_JIANGSU_CHAMPION,
	GT_COMP_JIANGSU_RURAL,
	GT_COMP_PROVINCIAL_OTHER,
	GT_COMP_COUNT
} gt_comp;

/* Results. GT_RES_RANK carries its number in gt_comp_entry.rank. */
typedef enum {
	GT_RES_GOLD,
	GT_RES_SILVER,
	GT_RES_BRONZE,
	GT_RES_EXCELLENCE,
	GT_RES_FIRST,
	GT_RES_SECOND,
	GT_RES_THIRD,
	GT_RES_RANK,
	GT_RES_COUNT
} gt_result;

typedef enum {
	GT_ROLE_WINNER,
	GT_ROLE_COACH,
	GT_ROLE_EXPERT,
	GT_ROLE_EXPERT_LEADER,
	GT_ROLE_COACH_LEADER,
	GT_ROLE_STUDENT_COACH,
	GT_ROLE_COUNT
} gt_role;

typedef enum {
	GT_SCHOOL_NONE,
	GT_SCHOOL_INTERMEDIATE_WORKER,
	GT_SCHOOL_SENIOR_WORKER,
	GT_SCHOOL_PREPARATORY_TECHNICIAN,
	GT_SCHOOL_COUNT
} gt_school;

typedef enum {
	GT_EV_ID_CARD,
	GT_EV_SKILL_CERTIFICATE,
	GT_EV_TITLE_CERTIFICATE,
	GT_EV_WORK_RECORD,
	GT_EV_APPRAISAL_RECORDS,
	GT_EV_AWARD_CERTIFICATE,
	GT_EV_COMMENDATION_DOCUMENT,
	GT_EV_DIPLOMA,
	GT_EV_TECH_SCHOOL_CERTIFICATE,
	GT_EV_FRONTLINE_PROOF,
	GT_EV_EMPLOYMENT_PROOF,
	GT_EV_ACHIEVEMENT_EVIDENCE,
	GT_EV_INTERNATIONAL_CERTIFICATE,
	GT_EV_COUNT
} gt_evidence;

/* Unmet-condition codes, in the order of the spec's table (also the output order). */
typedef enum {
	GT_UNMET_SCOPE_LEVEL,
	GT_UNMET_SCOPE_SERIES,
	GT_UNMET_SCOPE_REGION,
	GT_UNMET_SCOPE_PILOT,
	GT_UNMET_HELD_LEVEL,
	GT_UNMET_RELATED,
	GT_UNMET_YEARS_SINCE_LEVEL,
	GT_UNMET_YEARS_CUMULATIVE,
	GT_UNMET_APPRAISAL,
	GT_UNMET_FRONTLINE,
	GT_UNMET_HONOUR,
	GT_UNMET_YEARS_IN_REGION,
	GT_UNMET_NO_RULE,
	GT_UNMET_COUNT
} gt_unmet;

/* Declared in the order of the spec's ties: regular before green_channel,
 * before direct, before competition; gt_eval.c compares them as numbers. */
typedef enum {
	GT_ROUTE_NONE,
	GT_ROUTE_REGULAR,
	GT_ROUTE_GREEN_CHANNEL,
	GT_ROUTE_DIRECT,
	GT_ROUTE_COMPETITION,
	GT_ROUTE_COUNT
} gt_route;

typedef enum {
	GT_OUT_ELIGIBLE,
	GT_OUT_NEEDS_EVIDENCE,
	GT_OUT_NOT_ELIGIBLE,
	GT_OUT_VETOED,
	GT_OUT_MANUAL_REVIEW,
	GT_OUT_INVALID,
	GT_OUT_COUNT
} gt_outcome;

/* One entry of a code table: the ASCII code (for the machine columns and the
 * input), the English and the Chinese display names (for sentences a person
 * reads), and further accepted Chinese spellings separated by '|' (may be NULL). */
struct gt_code {
	const char *code;
	const char *en;
	const char *zh;
	const char *synonyms;
};

/* The ASCII codes of a table by a perfect hash (gt_codes.c builds it at
 * start-up, choosing a multiplier under which no two codes share a slot); a
 * table without one is searched in order. A code of at most 24 bytes is
 * compared as three words (gt_code_key), a longer one with memcmp. */
#define GT_CODE_SLOTS 256
struct gt_code_index {
	uint8_t ready;               /* built */
	uint8_t slot[GT_CODE_SLOTS]; /* 1 + the code's index; 0: empty */
	uint8_t len[32];             /* the codes' lengths */
	uint64_t mul;                /* the hash's multiplier */
	uint64_t key[32][3];         /* the codes' words */
	/* The codes of 2 to 24 bytes by their first two bytes, when no two
	 * share them (gt_code_list_exact): a hash of those two bytes alone. */
	uint8_t pready;              /* built */
	uint8_t pslot[GT_CODE_SLOTS]; /* 1 + the code's index; 0: none */
	uint64_t pmul;               /* the prefix hash's multiplier */
};

struct gt_code_table {
	const char *column; /* the CSV column these codes fill, for messages */
	const struct gt_code *codes;
	int count;
	struct gt_code_index *index; /* NULL: searched in order */
};

extern const struct gt_code_table gt_regions, gt_directions, gt_series_codes,
	gt_skill_levels, gt_title_levels, gt_honours, gt_comps, gt_results,
	gt_roles, gt_schools, gt_evidence_codes, gt_unmet_codes, gt_routes,
	gt_outcomes;

/* Looks up s[0..n) as a code or an accepted Chinese spelling; returns the index
 * or -1. Codes match exactly (ASCII, lower case). */
int gt_code_lookup(const struct gt_code_table *t, const char *s, size_t n);
/* The same by comparing every code in order (the reference the tests hold
 * the index to). */
int gt_code_lookup_in_order(const struct gt_code_table *t, const char *s, size_t n);

/* A text of n >= 1 bytes as three words that, with n, tell it from every
 * other text of at most 24 bytes: the first and the last eight bytes and the
 * eight after the first (overlapping where it is shorter). */
static inline void gt_code_key(const char *s, size_t n, uint64_t k[3])
{
	const unsigned char *u = (const unsigned char *)s;
	k[1] = k[2] = 0;
	if (n >= 8) {
		memcpy(&k[0], s, 8);
		memcpy(&k[1], s + n - 8, 8);
		if (n > 16)
			memcpy(&k[2], s + 8, 8);
	} else if (n >= 4) {
		uint32_t x, y;
		memcpy(&x, s, 4);
		memcpy(&y, s + n - 4, 4);
		k[0] = x | (uint64_t)y << 32;
	} else {
		k[0] = u[0] | (uint64_t)u[n / 2] << 8 | (uint64_t)u[n - 1] << 16;
	}
}

static inline unsigned gt_code_hash(uint64_t mul, const uint64_t k[3], size_t n)
{
	uint64_t x = (k[0] ^ (k[1] * 0x9E3779B97F4A7C15u) ^ (k[2] << 1) ^ n) * mul;
	return (unsigned)(x >> 56); /* GT_CODE_SLOTS == 256 */
}

/* gt_code_lookup in line for the common case, an ASCII code of at most 24
 * bytes in the index; anything else is left to gt_code_lookup. */
static inline int gt_code_find(const struct gt_code_table *t, const char *s, size_t n)
{
	const struct gt_code_index *ix = t->index;
	if (n - 1 < 24 && ix->ready) {
		uint64_t k[3];
		gt_code_key(s, n, k);
		int e = ix->slot[gt_code_hash(ix->mul, k, n)];
		if (e) {
			const uint64_t *c = ix->key[e - 1];
			if (ix->len[e - 1] == n && ((k[0] ^ c[0]) | (k[1] ^ c[1]) | (k[2] ^ c[2])) == 0)
				return e - 1;
		}
	}
	return gt_code_lookup(t, s, n);
}

static inline unsigned gt_code_prefix_hash(uint64_t mul, const char *s)
{
	uint16_t k;
	memcpy(&k, s, 2);
	return (unsigned)((k * mul) >> 56); /* GT_CODE_SLOTS == 256 */
}

/* A list cell s[0..n) that is exactly codes of t joined by single ';'s (no
 * blank, no empty item, no Chinese spelling): true with *mask their bits,
 * found in one pass, each code by its first two bytes and compared whole in
 * place. False (mask untouched) for anything else, which the caller reads
 * item by item; for the cells this accepts, both give the same mask. */
static inline bool gt_code_list_exact(const struct gt_code_table *t, const char *s, size_t n,
				      uint32_t *mask)
{
	const struct gt_code_index *ix = t->index;
	uint32_t m = 0;
	if (!ix || !ix->pready)
		return false;
	for (size_t i = 0;;) {
		if (n - i < 2)
			return false;
		int e = ix->pslot[gt_code_prefix_hash(ix->pmul, s + i)];
		if (!e)
			return false;
		size_t len = ix->len[e - 1];
		if (len > n - i)
			return false;
		uint64_t k[3];
		gt_code_key(s + i, len, k);
		const uint64_t *c = ix->key[e - 1];
		if (((k[0] ^ c[0]) | (k[1] ^ c[1]) | (k[2] ^ c[2])) != 0)
			return false;
		m |= 1u << (e - 1);
		i += len;
		if (i == n)
			break;
		if (s[i] != ';')
			return false;
		i++;
	}
	*mask = m;
	return true;
}

static inline const char *gt_code_of(const struct gt_code_table *t, int i)
{
	return (i >= 0 && i < t->count) ? t->codes[i].code : "";
}

/* strlen(gt_code_of(t, i)), from the index's lengths (a table of at most 32
 * codes, every one; gt_codes.c). */
static inline size_t gt_code_len(const struct gt_code_table *t, int i)
{
	if (i < 0 || i >= t->count)
		return 0;
	size_t n = t->count <= 32 ? t->index->len[i] : 0;
	return n || !t->codes[i].code[0] ? n : strlen(t->codes[i].code);
}

static inline const char *gt_zh_of(const struct gt_code_table *t, int i)
{
	return (i >= 0 && i < t->count) ? t->codes[i].zh : "";
}

static inline const char *gt_en_of(const struct gt_code_table *t, int i)
{
	return (i >= 0 && i < t->count) ? t->codes[i].en : "";
}

/* The display name in the message language (gt_names_zh): what a sentence
 * says, never the code. */
const char *gt_name_of(const struct gt_code_table *t, int i);
/* The same, short enough for a narrow column (the queue's): the levels'
 * English names are shortened, the rest are gt_name_of's. */
const char *gt_short_name_of(const struct gt_code_table *t, int i);

#endif
