/* kretprobe: histogram of return values (log2 buckets) in a hash map. */
#include "include/bpf_uapi.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} ret_hist SEC(".maps");

static __always_inline __u32 log2_u64(__u64 v)
{
	__u32 r = 0;

#pragma unroll
	for (int i = 32; i > 0; i >>= 1) {
		if (v >= (1ULL << i)) {
			v >>= i;
			r += i;
		}
	}
	return r;
}

SEC("kretprobe/vfs_read")
int read_ret(struct pt_regs *ctx)
{
	long ret = PT_REGS_RC(ctx);
	__u32 slot;
	__u64 one = 1, *count;

	if (ret <= 0)
		return 0;
	slot = log2_u64(ret);
	count = bpf_map_lookup_elem(&ret_hist, &slot);
	if (count)
		__sync_fetch_and_add(count, 1);
	else
		bpf_map_update_elem(&ret_hist, &slot, &one, BPF_NOEXIST);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
