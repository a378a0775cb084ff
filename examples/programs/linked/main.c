/* Part of the linked example (with stats.c): range of the little-endian u32
 * values in the input, max - min (0 for no values). The statistics functions
 * and the sample counter are defined in the other translation unit; the two
 * are linked as LLVM bitcode (llvm-link) and compiled into one object, the
 * way bpf-linker ships multi-file programs.
 */
#include "../common.h"

extern u32 min_of(const u8 *data, u64 count);
extern u32 max_of(const u8 *data, u64 count);
extern u64 samples;

SEC("socket")
u64 range(const u8 *data, u64 len)
{
	u64 count = len / 4;
	if (count == 0)
		return 0;
	samples += count;
	return max_of(data, count) - min_of(data, count);
}
