/* Part of the linked example (with main.c): the statistics functions. */
#include "../common.h"

u64 samples;

NOINLINE u32 min_of(const u8 *data, u64 count)
{
	u32 m = load_le32(data);
	for (u64 i = 1; i < count; i++) {
		u32 v = load_le32(data + 4 * i);
		if (v < m)
			m = v;
	}
	return m;
}

NOINLINE u32 max_of(const u8 *data, u64 count)
{
	u32 m = load_le32(data);
	for (u64 i = 1; i < count; i++) {
		u32 v = load_le32(data + 4 * i);
		if (v > m)
			m = v;
	}
	return m;
}
