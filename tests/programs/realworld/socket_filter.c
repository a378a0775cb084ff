/* Socket filter with LD_ABS loads: keeps DNS replies (UDP from port 53)
 * on IPv4, truncated to 512 bytes; drops everything else. */
#include "include/bpf_uapi.h"

SEC("socket")
int dns_filter(struct __sk_buff *skb)
{
	__u32 ihl;

	if (load_half(skb, offsetof(struct ethhdr, h_proto)) != ETH_P_IP)
		return 0;
	if (load_byte(skb, ETH_HLEN + offsetof(struct iphdr, protocol)) != IPPROTO_UDP)
		return 0;
	/* Not a fragment. */
	if (load_half(skb, ETH_HLEN + offsetof(struct iphdr, frag_off)) & 0x1fff)
		return 0;
	ihl = (load_byte(skb, ETH_HLEN) & 0xf) << 2;
	if (load_half(skb, ETH_HLEN + ihl + offsetof(struct udphdr, source)) != 53)
		return 0;
	return 512;
}

char LICENSE[] SEC("license") = "GPL";
