/* A module an attacker would plant (tests/modules/modules.sh): built as
 * gt-pdf.so and gt-pg.so, it says so and ends the process as soon as it is
 * loaded, before any check of its table could refuse it. */
#include <stdio.h>
#include <unistd.h>

__attribute__((constructor)) static void planted(void)
{
	static const char msg[] = "PLANTED MODULE LOADED\n";
	(void)!write(2, msg, sizeof msg - 1);
	_exit(97);
}
