/* gt-pg.so's one visible symbol: its table (store/gt_module.h), through
 * which the program calls the store on PostgreSQL once it has loaded it. */
#include "gt_module.h"
#include "gt_pg.h"

#define GT_PG_ENTRY(ret, name, params, args) .name = gt_pg_##name,
#define GT_PG_VENTRY(name, params, args) .name = gt_pg_##name,
__attribute__((visibility("default"))) const struct gt_pg_module gt_pg_module = {
	.head = { GT_MODULE_ABI },
	.open = gt_pg_open,
	.init = gt_pg_init,
	GT_PG_CALLS(GT_PG_ENTRY, GT_PG_VENTRY)
};
