/* Samples `channels` sensor channels through the `read_sensor` builtin,
 * stores each reading into the input region, logs it, and returns the mean
 * reading (millidegrees, rounded towards zero). */
#include "builtins.h"

struct sample_block {
	u32 channels;   /* in: how many channels to read */
	s32 reading[8]; /* out: one reading per channel */
};

u64 entry(struct sample_block *block)
{
	u32 n = block->channels;
	long long sum = 0;
	u32 ch;

	if (n == 0)
		return 0;
	for (ch = 0; ch < n; ch++) {
		s32 value = read_sensor(ch);

		if (ch < 8)
			block->reading[ch] = value;
		log_value(ch, (u64)(long long)value);
		sum += value;
	}
	return (u64)(sum / (long long)n);
}
