/* gt-xlsx.so (store/gt_module.h): libxlsxwriter, and the zip and OpenSSL
 * libraries behind it (libcrypto alone is 21,000 relocations at every
 * start), loaded when an export first writes XLSX. The export calls the
 * library's functions by their names (store/gt_export.c); those names are
 * the program's own small functions (store/gt_xlsx.c) that forward to the
 * module's table, whose members are the library's functions. */
#ifndef GT_XLSX_MODULE_H
#define GT_XLSX_MODULE_H

#include <stdbool.h>
#include <stddef.h>

#include <xlsxwriter.h>

#include "gt_module.h"

/* X(return type, name, (parameters), (arguments)); V(...): returns nothing. */
#define GT_XLSX_CALLS(X, V)                                                                                     \
	V(format_set_align, (lxw_format * format, uint8_t alignment), (format, alignment))                       \
	V(format_set_bold, (lxw_format * format), (format))                                                      \
	V(format_set_num_format, (lxw_format * format, const char *num_format), (format, num_format))            \
	V(format_set_text_wrap, (lxw_format * format), (format))                                                 \
	X(char *, lxw_strerror, (lxw_error error_num), (error_num))                                              \
	X(lxw_format *, workbook_add_format, (lxw_workbook * workbook), (workbook))                              \
	X(lxw_worksheet *, workbook_add_worksheet, (lxw_workbook * workbook, const char *sheetname),             \
	  (workbook, sheetname))                                                                                 \
	X(lxw_error, workbook_close, (lxw_workbook * workbook), (workbook))                                      \
	X(lxw_workbook *, workbook_new_opt, (const char *filename, lxw_workbook_options *options),               \
	  (filename, options))                                                                                   \
	V(worksheet_fit_to_pages, (lxw_worksheet * worksheet, uint16_t width, uint16_t height),                  \
	  (worksheet, width, height))                                                                            \
	V(worksheet_freeze_panes, (lxw_worksheet * worksheet, lxw_row_t row, lxw_col_t col), (worksheet, row, col)) \
	X(lxw_error, worksheet_repeat_rows, (lxw_worksheet * worksheet, lxw_row_t first_row, lxw_row_t last_row), \
	  (worksheet, first_row, last_row))                                                                      \
	X(lxw_error, worksheet_set_column,                                                                       \
	  (lxw_worksheet * worksheet, lxw_col_t first_col, lxw_col_t last_col, double width, lxw_format *format), \
	  (worksheet, first_col, last_col, width, format))                                                       \
	X(lxw_error, worksheet_set_column_opt,                                                                   \
	  (lxw_worksheet * worksheet, lxw_col_t first_col, lxw_col_t last_col, double width, lxw_format *format, \
	   lxw_row_col_options *options),                                                                        \
	  (worksheet, first_col, last_col, width, format, options))                                              \
	X(lxw_error, worksheet_set_footer, (lxw_worksheet * worksheet, const char *string), (worksheet, string))  \
	X(lxw_error, worksheet_set_header, (lxw_worksheet * worksheet, const char *string), (worksheet, string))  \
	V(worksheet_set_landscape, (lxw_worksheet * worksheet), (worksheet))                                     \
	V(worksheet_set_margins, (lxw_worksheet * worksheet, double left, double right, double top, double bottom), \
	  (worksheet, left, right, top, bottom))                                                                 \
	V(worksheet_set_paper, (lxw_worksheet * worksheet, uint8_t paper_type), (worksheet, paper_type))         \
	X(lxw_error, worksheet_set_row, (lxw_worksheet * worksheet, lxw_row_t row, double height, lxw_format *format), \
	  (worksheet, row, height, format))                                                                      \
	X(lxw_error, worksheet_write_string,                                                                     \
	  (lxw_worksheet * worksheet, lxw_row_t row, lxw_col_t col, const char *string, lxw_format *format),     \
	  (worksheet, row, col, string, format))

#define GT_XLSX_MEMBER(ret, name, params, args) ret(*name) params;
#define GT_XLSX_VMEMBER(name, params, args) void(*name) params;
struct gt_xlsx_module {
	struct gt_module_head head;
	GT_XLSX_CALLS(GT_XLSX_MEMBER, GT_XLSX_VMEMBER)
};
#define GT_XLSX_MODULE_FILE "gt-xlsx.so"
#define GT_XLSX_MODULE_SYM "gt_xlsx_module"

/* Loads gt-xlsx.so before an export's first call of the library: false,
 * with why in err, when it cannot be (then no call may be made). */
bool gt_xlsx_load(char *err, size_t errsz);

#endif
