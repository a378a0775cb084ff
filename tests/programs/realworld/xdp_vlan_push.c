/* Pushes an 802.1Q tag (VLAN 100) in front of untagged frames with a
 * negative xdp_adjust_head. */
#include "include/bpf_uapi.h"

#define VLAN_ID 100

SEC("xdp")
int xdp_vlan_push_func(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct ethhdr *eth = data;
	struct ethhdr eth_cpy;
	struct vlan_hdr *vlh;

	if ((void *)(eth + 1) > data_end)
		return XDP_DROP;
	if (eth->h_proto == bpf_htons(ETH_P_8021Q))
		return XDP_PASS;
	__builtin_memcpy(&eth_cpy, eth, sizeof(eth_cpy));
	if (bpf_xdp_adjust_head(ctx, -(int)sizeof(struct vlan_hdr)))
		return XDP_DROP;
	data_end = (void *)(long)ctx->data_end;
	eth = (void *)(long)ctx->data;
	if ((void *)(eth + 1) + sizeof(*vlh) > data_end)
		return XDP_DROP;
	__builtin_memcpy(eth, &eth_cpy, sizeof(*eth));
	vlh = (void *)(eth + 1);
	vlh->h_vlan_TCI = bpf_htons(VLAN_ID);
	vlh->h_vlan_encapsulated_proto = eth->h_proto;
	eth->h_proto = bpf_htons(ETH_P_8021Q);
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
