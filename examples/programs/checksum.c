/* The Internet checksum (RFC 1071) of the input bytes: the one's complement of
 * the one's complement sum of the big-endian 16-bit words, an odd last byte
 * padded with a zero byte. The entry point is named `entrypoint`, the first
 * name the ELF loader's default entry rule looks for.
 */
#include "common.h"

static NOINLINE u64 fold(u64 sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

u64 entrypoint(const u8 *data, u64 len)
{
	u64 sum = 0;
	u64 i = 0;
	for (; i + 1 < len; i += 2)
		sum += load_be16(data + i);
	if (i < len)
		sum += (u64)data[i] << 8;
	return ~fold(sum) & 0xffff;
}
