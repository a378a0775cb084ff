/* Router-style forwarding step: decrements the IPv4 TTL with the
 * incremental checksum update of ip_decrease_ttl, or the IPv6 hop limit;
 * drops when it would reach zero. */
#include "include/bpf_uapi.h"

static __always_inline int ip_decrease_ttl(struct iphdr *iph)
{
	__u32 check = iph->check;

	check += bpf_htons(0x0100);
	iph->check = (__u16)(check + (check >= 0xFFFF));
	return --iph->ttl;
}

SEC("xdp")
int xdp_fwd_ttl(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct ethhdr *eth = data;

	if ((void *)(eth + 1) > data_end)
		return XDP_DROP;
	if (eth->h_proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *iph = (void *)(eth + 1);
		if ((void *)(iph + 1) > data_end)
			return XDP_DROP;
		if (iph->ttl <= 1)
			return XDP_DROP;
		ip_decrease_ttl(iph);
	} else if (eth->h_proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6h = (void *)(eth + 1);
		if ((void *)(ip6h + 1) > data_end)
			return XDP_DROP;
		if (ip6h->hop_limit <= 1)
			return XDP_DROP;
		ip6h->hop_limit--;
	}
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
