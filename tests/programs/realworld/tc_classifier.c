/* tc classifier on __sk_buff: drops TCP to port 23, marks web traffic. */
#include "include/bpf_uapi.h"

#define MARK_WEB 0x50

SEC("tc")
int tc_classify(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip;
	struct tcphdr *tcp;

	if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return TC_ACT_OK;
	ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end || ip->protocol != IPPROTO_TCP)
		return TC_ACT_OK;
	tcp = (void *)ip + ip->ihl * 4;
	if ((void *)(tcp + 1) > data_end)
		return TC_ACT_OK;
	if (tcp->dest == bpf_htons(23))
		return TC_ACT_SHOT;
	if (tcp->dest == bpf_htons(80) || tcp->dest == bpf_htons(443)) {
		skb->mark = MARK_WEB;
		skb->priority = 6;
	}
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
