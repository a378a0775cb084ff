/* Never terminates: only the instruction budget stops it. */
#include "builtins.h"

u64 entry(void)
{
	volatile u64 counter = 0;

	for (;;)
		counter++;
}
