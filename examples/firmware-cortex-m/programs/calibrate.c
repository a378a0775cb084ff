/* The sensor program again, built as an ELF object (calibrate.o) that the
 * firmware loads with `Executable::from_elf`, so it can use what raw bytecode
 * cannot:
 *
 * - the builtins are plain external functions; the loader binds each call to
 *   the registered builtin of the same name (src/board.rs);
 * - the per-channel calibration offsets are a constant table (.rodata, read
 *   through the program image);
 * - the statistics are an initialised global (.data): the firmware maps a
 *   copy of the executable's data template for each run, and reads the
 *   statistics back from it afterwards.
 *
 * Reads `channels` channels, corrects each reading by its channel's offset,
 * stores the corrected reading in the input block, logs it, and returns the
 * mean corrected reading (millidegrees, rounded towards zero). Returns 0 for
 * 0 or more than MAX_CHANNELS channels. */
#include "types.h"

extern s32 read_sensor(u32 channel);
extern u64 log_value(u64 tag, u64 value);

#define MAX_CHANNELS 8

struct sample_block {
	u32 channels;                /* in: how many channels to read */
	s32 reading[MAX_CHANNELS];   /* out: corrected readings */
};

/* Added to each channel's reading, in millidegrees. */
static const s32 offset[MAX_CHANNELS] = { -250, 125, 380, -75, 40, -40, 10, -10 };

struct stats {
	u32 samples;  /* corrected readings taken */
	s32 lowest;   /* the lowest of them */
	s32 highest;  /* the highest of them */
};

/* Starts empty: lowest above and highest below any reading. */
struct stats stats = { 0, 0x7fffffff, -0x7fffffff - 1 };

u64 entrypoint(struct sample_block *block)
{
	u32 n = block->channels;
	s64 sum = 0;
	u32 ch;

	if (n == 0 || n > MAX_CHANNELS)
		return 0;
	for (ch = 0; ch < n; ch++) {
		s32 value = read_sensor(ch) + offset[ch];

		block->reading[ch] = value;
		stats.samples++;
		if (value < stats.lowest)
			stats.lowest = value;
		if (value > stats.highest)
			stats.highest = value;
		log_value(ch, (u64)(s64)value);
		sum += value;
	}
	return (u64)(sum / (s64)n);
}
