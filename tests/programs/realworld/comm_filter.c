/* Counts openat calls made by one command, matched by get_current_comm. */
#include "include/bpf_helpers.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} hits SEC(".maps");

static __always_inline bool comm_is(const char *comm, const char *want, int n)
{
	for (int i = 0; i < n; i++)
		if (comm[i] != want[i])
			return false;
	return true;
}

SEC("tp/syscalls/sys_enter_openat")
int count_openat(void *ctx)
{
	char comm[16];
	__u32 zero = 0;
	__u64 *count;

	bpf_get_current_comm(comm, sizeof(comm));
	if (!comm_is(comm, "ebpfvm", 7))
		return 0;
	count = bpf_map_lookup_elem(&hits, &zero);
	if (count)
		__sync_fetch_and_add(count, 1);
	return 1;
}

char LICENSE[] SEC("license") = "GPL";
