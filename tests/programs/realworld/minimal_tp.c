/* libbpf-bootstrap "minimal": prints the calling PID on every write(2),
 * optionally filtered by a PID the loader writes into .bss. */
#include "include/bpf_helpers.h"

int my_pid = 0;

SEC("tp/syscalls/sys_enter_write")
int handle_tp(void *ctx)
{
	int pid = bpf_get_current_pid_tgid() >> 32;

	if (my_pid && pid != my_pid)
		return 0;
	bpf_printk("BPF triggered from PID %d.\n", pid);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
