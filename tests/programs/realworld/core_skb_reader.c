/* CO-RE reader of the tc context: the local __sk_buff declares only the
 * fields it uses, so their local offsets differ from the real layout and
 * only the CO-RE relocations make the loads right. */
#include "include/bpf_helpers.h"

struct __sk_buff {
	__u32 len;
	__u32 mark;
	__u32 ifindex;
} __attribute__((preserve_access_index));

SEC("tc")
int core_read_skb(struct __sk_buff *skb)
{
	/* len | mark << 16 | ifindex << 24, each field read through CO-RE. */
	return skb->len | (skb->mark << 16) | (skb->ifindex << 24);
}

char LICENSE[] SEC("license") = "GPL";
