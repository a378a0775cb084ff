/* kprobe reading the probed function's arguments from pt_regs, and the
 * same argument again through bpf_probe_read_kernel (the pattern of
 * PT_REGS_PARM*_CORE / BPF_CORE_READ on the context). */
#include "include/bpf_uapi.h"

SEC("kprobe/do_unlinkat")
int BPF_KPROBE_do_unlinkat(struct pt_regs *ctx)
{
	long dfd = PT_REGS_PARM1(ctx);
	unsigned long name = 0;
	__u32 pid = bpf_get_current_pid_tgid() >> 32;

	if (bpf_probe_read_kernel(&name, sizeof(name), &ctx->si))
		return 1;
	bpf_printk("KPROBE ENTRY pid = %d, dfd = %ld, name = %lx\n", pid, dfd, name);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
