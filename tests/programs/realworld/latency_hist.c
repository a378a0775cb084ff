/* Two programs in one object (biolatency-like): the entry probe stores a
 * start timestamp per thread, the return probe turns the elapsed time into
 * a log2 histogram bucket and deletes the start entry. */
#include "include/bpf_uapi.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u64);
} start SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 32);
	__type(key, __u32);
	__type(value, __u64);
} hist SEC(".maps");

static __noinline __u32 log2l(__u64 v)
{
	__u32 r = 0;

	while (v > 1 && r < 63) {
		v >>= 1;
		r++;
	}
	return r;
}

SEC("kprobe/vfs_fsync")
int fsync_entry(struct pt_regs *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u64 ts = bpf_ktime_get_ns();

	bpf_map_update_elem(&start, &tid, &ts, BPF_ANY);
	return 0;
}

SEC("kretprobe/vfs_fsync")
int fsync_return(struct pt_regs *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u64 *tsp, delta, *slotp;
	__u32 slot;

	tsp = bpf_map_lookup_elem(&start, &tid);
	if (!tsp)
		return 0;
	delta = bpf_ktime_get_ns() - *tsp;
	slot = log2l(delta);
	if (slot >= 32)
		slot = 31;
	slotp = bpf_map_lookup_elem(&hist, &slot);
	if (slotp)
		__sync_fetch_and_add(slotp, 1);
	bpf_map_delete_elem(&start, &tid);
	return slot;
}

char LICENSE[] SEC("license") = "GPL";
