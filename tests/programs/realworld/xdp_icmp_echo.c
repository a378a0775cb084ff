/* Answers ICMP echo requests in XDP: swaps MACs and IPs, turns the type
 * into an echo reply and updates the checksum incrementally (RFC 1624). */
#include "include/bpf_uapi.h"

#define ICMP_ECHO 8
#define ICMP_ECHOREPLY 0

static __always_inline __u16 csum_fold_helper(__u32 csum)
{
	__u32 sum = (csum >> 16) + (csum & 0xffff);

	sum += sum >> 16;
	return ~sum;
}

/* HC' = ~(~HC + ~m + m') for one 16-bit word. */
static __always_inline __u16 icmp_checksum_diff(__u16 seed, __u16 old, __u16 new)
{
	__u32 csum = (__u16)~seed;

	csum += (__u16)~old;
	csum += new;
	return csum_fold_helper(csum);
}

SEC("xdp")
int xdp_icmp_echo_func(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);
	struct icmphdr *icmp = (void *)(iph + 1);
	__u8 mac[ETH_ALEN];
	__be32 addr;
	__u16 old;

	if ((void *)(icmp + 1) > data_end)
		return XDP_PASS;
	if (eth->h_proto != bpf_htons(ETH_P_IP) || iph->ihl != 5 || iph->protocol != IPPROTO_ICMP)
		return XDP_PASS;
	if (icmp->type != ICMP_ECHO)
		return XDP_PASS;

	__builtin_memcpy(mac, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, mac, ETH_ALEN);
	addr = iph->saddr;
	iph->saddr = iph->daddr;
	iph->daddr = addr;

	old = *(__u16 *)icmp;
	icmp->type = ICMP_ECHOREPLY;
	icmp->checksum = icmp_checksum_diff(icmp->checksum, old, *(__u16 *)icmp);
	return XDP_TX;
}

char _license[] SEC("license") = "GPL";
