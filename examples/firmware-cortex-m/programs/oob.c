/* A buggy program: sums the input as u32 words but runs one word past the
 * end (`<=` instead of `<`), so its last load faults. */
#include "builtins.h"

u64 entry(const u32 *words, u64 len)
{
	u64 sum = 0;
	u64 i;

	for (i = 0; i <= len / 4; i++)
		sum += words[i];
	return sum;
}
