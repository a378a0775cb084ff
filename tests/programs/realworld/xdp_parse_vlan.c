/* Packet parsing with bounds checks, tutorial style: Ethernet with up to
 * two VLAN tags, IPv4 or IPv6, then TCP or UDP. Drops UDP to the discard
 * port (9) and TCP to port 7; passes the rest. */
#include "include/bpf_uapi.h"

#define VLAN_MAX_DEPTH 2

struct hdr_cursor {
	void *pos;
};

static __always_inline int proto_is_vlan(__u16 h_proto)
{
	return h_proto == bpf_htons(ETH_P_8021Q) || h_proto == bpf_htons(ETH_P_8021AD);
}

static __always_inline int parse_ethhdr(struct hdr_cursor *nh, void *data_end, struct ethhdr **ethhdr)
{
	struct ethhdr *eth = nh->pos;
	struct vlan_hdr *vlh;
	__u16 h_proto;

	if ((void *)(eth + 1) > data_end)
		return -1;
	nh->pos = eth + 1;
	*ethhdr = eth;
	vlh = nh->pos;
	h_proto = eth->h_proto;
#pragma unroll
	for (int i = 0; i < VLAN_MAX_DEPTH; i++) {
		if (!proto_is_vlan(h_proto))
			break;
		if ((void *)(vlh + 1) > data_end)
			break;
		h_proto = vlh->h_vlan_encapsulated_proto;
		vlh++;
	}
	nh->pos = vlh;
	return h_proto;
}

static __always_inline int parse_ip6hdr(struct hdr_cursor *nh, void *data_end, struct ipv6hdr **ip6hdr)
{
	struct ipv6hdr *ip6h = nh->pos;

	if ((void *)(ip6h + 1) > data_end)
		return -1;
	nh->pos = ip6h + 1;
	*ip6hdr = ip6h;
	return ip6h->nexthdr;
}

static __always_inline int parse_iphdr(struct hdr_cursor *nh, void *data_end, struct iphdr **iphdr)
{
	struct iphdr *iph = nh->pos;
	int hdrsize;

	if ((void *)(iph + 1) > data_end)
		return -1;
	hdrsize = iph->ihl * 4;
	if (hdrsize < (int)sizeof(*iph))
		return -1;
	if (nh->pos + hdrsize > data_end)
		return -1;
	nh->pos += hdrsize;
	*iphdr = iph;
	return iph->protocol;
}

SEC("xdp")
int xdp_parser_func(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct hdr_cursor nh = { .pos = data };
	struct ethhdr *eth;
	struct ipv6hdr *ip6h;
	struct iphdr *iph;
	int nh_type, l4;

	nh_type = parse_ethhdr(&nh, data_end, &eth);
	if (nh_type == bpf_htons(ETH_P_IPV6))
		l4 = parse_ip6hdr(&nh, data_end, &ip6h);
	else if (nh_type == bpf_htons(ETH_P_IP))
		l4 = parse_iphdr(&nh, data_end, &iph);
	else
		return XDP_PASS;

	if (l4 == IPPROTO_UDP) {
		struct udphdr *udp = nh.pos;
		if ((void *)(udp + 1) > data_end)
			return XDP_ABORTED;
		if (udp->dest == bpf_htons(9))
			return XDP_DROP;
	} else if (l4 == IPPROTO_TCP) {
		struct tcphdr *tcp = nh.pos;
		if ((void *)(tcp + 1) > data_end)
			return XDP_ABORTED;
		if (tcp->dest == bpf_htons(7))
			return XDP_DROP;
	}
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
