/* execsnoop-style: sends one record per exec through a perf event array. */
#include "include/bpf_helpers.h"

struct data_t {
	__u32 pid;
	__u32 uid;
	char comm[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} events SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_execve")
int trace_execve(void *ctx)
{
	struct data_t data = {};

	data.pid = bpf_get_current_pid_tgid() >> 32;
	data.uid = (__u32)bpf_get_current_uid_gid();
	bpf_get_current_comm(&data.comm, sizeof(data.comm));
	bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, &data, sizeof(data));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
