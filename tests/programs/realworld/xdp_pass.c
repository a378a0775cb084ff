/* The smallest XDP program: lets every packet through. */
#include "include/bpf_uapi.h"

SEC("xdp")
int xdp_prog_simple(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
