/* A chain of XDP programs through a program array: the dispatcher jumps to
 * stage 1, stage 1 to stage 2, each counting its visit. */
#include "include/bpf_uapi.h"

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} jmp_table SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} visits SEC(".maps");

static __always_inline void visit(__u32 stage)
{
	__u64 *count = bpf_map_lookup_elem(&visits, &stage);

	if (count)
		__sync_fetch_and_add(count, 1);
}

SEC("xdp/stage2")
int stage2(struct xdp_md *ctx)
{
	visit(2);
	return XDP_DROP;
}

SEC("xdp/stage1")
int stage1(struct xdp_md *ctx)
{
	visit(1);
	bpf_tail_call(ctx, &jmp_table, 2);
	return XDP_ABORTED;
}

SEC("xdp")
int dispatcher(struct xdp_md *ctx)
{
	visit(0);
	bpf_tail_call(ctx, &jmp_table, 1);
	/* Only reached when the slot is empty. */
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
