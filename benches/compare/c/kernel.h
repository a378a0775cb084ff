/* Shared by every C benchmark kernel; see README.md in this directory.
 *
 * Each kernel is one function `KERNEL(name)` taking a pointer to the input
 * (the benchmark input layout: u64 a at 0, u64 b at 8, data from 16) and
 * returning the value the eBPF program leaves in r0. For BPF (clang -target
 * bpf) the function is the object's only code, so its .text is the program;
 * for the host (the `cc` crate) it is `ebpfvm_bench_NAME`.
 *
 * Rules that keep one object meaningful on every engine: no globals, no
 * .rodata, no calls (helpers are always_inline), unsigned arithmetic only,
 * and every address depends only on the header's sizes (data-dependent
 * indices are masked or checked against them), so an input of a given shape
 * stays in bounds whatever its contents. */
#ifndef EBPFVM_BENCH_KERNEL_H
#define EBPFVM_BENCH_KERNEL_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;

#ifdef __bpf__
#define KERNEL(name) u64 name(u8 *in)
#else
#define KERNEL(name) u64 ebpfvm_bench_##name(u8 *in)
#endif

#define INLINE static inline __attribute__((always_inline))

INLINE u64 load64(const u8 *p) { u64 v; __builtin_memcpy(&v, p, 8); return v; }
INLINE u32 load32(const u8 *p) { u32 v; __builtin_memcpy(&v, p, 4); return v; }
INLINE u16 load16be(const u8 *p) { return (u16)((p[0] << 8) | p[1]); }

#define PARAM_A(in) load64(in)
#define PARAM_B(in) load64((in) + 8)
#define DATA(in) ((in) + 16)

#endif
