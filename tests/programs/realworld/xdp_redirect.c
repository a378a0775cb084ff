/* Sends every frame out of interface 5. */
#include "include/bpf_uapi.h"

SEC("xdp")
int xdp_redirect_func(struct xdp_md *ctx)
{
	return bpf_redirect(5, 0);
}

char _license[] SEC("license") = "GPL";
