/* Global variables in .data and .bss: a call counter, a running byte total
 * and a histogram of byte values (by their top two bits).
 *
 * The data region is the host's: mapping a fresh copy of the executable's
 * data template starts from the initial values; reusing one buffer across
 * runs keeps the counts (and shares them between the two entry points).
 *
 *   count_bytes (section "socket", the default entry): counts the input,
 *     returns calls * 2^32 + total.
 *   histogram_bucket (section "query"): returns the count of bucket
 *     data[0] & 3.
 */
#include "common.h"

u64 calls;                  /* .bss */
u64 total = 1000;           /* .data: starts at 1000 */
static u32 histogram[4];    /* .bss */

static NOINLINE void account(u8 byte)
{
	histogram[byte >> 6]++;
	total += byte;
}

SEC("socket")
u64 count_bytes(const u8 *data, u64 len)
{
	calls++;
	for (u64 i = 0; i < len; i++)
		account(data[i]);
	return (calls << 32) + total;
}

SEC("query")
u64 histogram_bucket(const u8 *data, u64 len)
{
	return len ? histogram[data[0] & 3] : 0;
}
