/* Femto-Container sensor filter (RIOT): averages the samples in its
 * context, and publishes the average in the global store only when it
 * moved by more than the threshold since the last published value. */
#include "include/femto.h"

#define SENSOR_KEY 0x10
#define THRESHOLD 5

struct sensor_ctx {
	uint32_t count;
	uint16_t samples[8]; /* deci-degrees */
};

int sensor_filter(struct sensor_ctx *ctx)
{
	uint32_t sum = 0;
	uint32_t n = ctx->count > 8 ? 8 : ctx->count;
	uint32_t last = 0;
	uint32_t avg;

	if (n == 0)
		return 0;
	for (uint32_t i = 0; i < 8; i++)
		if (i < n)
			sum += ctx->samples[i];
	avg = sum / n;
	bpf_fetch_global(SENSOR_KEY, &last);
	if (avg > last + THRESHOLD || avg + THRESHOLD < last) {
		bpf_store_global(SENSOR_KEY, avg);
		bpf_printf("sensor: %u\n", avg);
	}
	return avg;
}
