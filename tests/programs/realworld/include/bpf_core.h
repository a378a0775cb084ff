/* CO-RE in the style of libbpf's bpf_core_read.h, minimal. */
#ifndef RW_BPF_CORE_H
#define RW_BPF_CORE_H
#include "bpf_helpers.h"

#define __core __attribute__((preserve_access_index))
#define bpf_core_read(dst, sz, src) \
	bpf_probe_read_kernel(dst, sz, (const void *)__builtin_preserve_access_index(src))
#define BPF_CORE_READ(src, field)                                        \
	({                                                               \
		typeof((src)->field) __r;                                \
		bpf_core_read(&__r, sizeof(__r), &(src)->field);         \
		__r;                                                     \
	})
#define bpf_core_field_exists(field) __builtin_preserve_field_info(field, 2)

#endif
