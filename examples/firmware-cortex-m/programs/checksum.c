/* RFC 1071 Internet checksum of the input region (r1 = start, r2 = length). */
#include "builtins.h"

u64 entry(const u8 *data, u64 len)
{
	u64 sum = 0;
	u64 i;

	for (i = 0; i + 1 < len; i += 2)
		sum += ((u64)data[i] << 8) | data[i + 1];
	if (i < len)
		sum += (u64)data[i] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}
