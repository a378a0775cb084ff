/* Truncates frames longer than 64 bytes with xdp_adjust_tail (a sampler
 * keeping only the headers). */
#include "include/bpf_uapi.h"

#define SNAPLEN 64

SEC("xdp")
int xdp_trim_func(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	int len = data_end - data;

	if (len > SNAPLEN && bpf_xdp_adjust_tail(ctx, SNAPLEN - len))
		return XDP_ABORTED;
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
