/* Drops every packet. */
#include "include/bpf_uapi.h"

SEC("xdp")
int xdp_drop_func(struct xdp_md *ctx)
{
	return XDP_DROP;
}

char _license[] SEC("license") = "GPL";
