/* Traces setuid calls with the caller's uid and gid. */
#include "include/bpf_helpers.h"

SEC("tp/syscalls/sys_enter_setuid")
int trace_setuid(void *ctx)
{
	__u64 ugid = bpf_get_current_uid_gid();

	bpf_printk("setuid by uid %u gid %u\n", (__u32)ugid, (__u32)(ugid >> 32));
	return (__u32)ugid == 0;
}

char LICENSE[] SEC("license") = "GPL";
