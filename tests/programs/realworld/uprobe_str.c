/* uprobe reading a string argument with probe_read_user_str; a bad user
 * pointer must come back as -EFAULT, not crash. */
#include "include/bpf_uapi.h"

SEC("uprobe//bin/bash:readline")
int uprobe_readline(struct pt_regs *ctx)
{
	char line[32];
	long n = bpf_probe_read_user_str(line, sizeof(line), (const void *)PT_REGS_PARM1(ctx));

	if (n < 0)
		return -n;
	bpf_printk("readline: %s\n", line);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
