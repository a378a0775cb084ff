/* Shared definitions for the example eBPF programs.
 *
 * Every program is an ordinary C function `f(const u8 *data, u64 len)`: the VM
 * passes the input region's address in r1 and its length in r2.
 */
#ifndef EXAMPLES_COMMON_H
#define EXAMPLES_COMMON_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef long long s64;

/* Places a function in a named program section (the ELF loader's entry rule
 * prefers program sections over .text). */
#define SEC(name) __attribute__((section(name), used))

/* Keeps a helper function a real bpf-to-bpf call instead of inlining it. */
#define NOINLINE __attribute__((noinline))

/* Big-endian (network order) 16-bit read from bytes, alignment-free. */
static inline u16 load_be16(const u8 *p)
{
	return (u16)((p[0] << 8) | p[1]);
}

/* Little-endian 32-bit read from bytes, alignment-free. */
static inline u32 load_le32(const u8 *p)
{
	return (u32)p[0] | ((u32)p[1] << 8) | ((u32)p[2] << 16) | ((u32)p[3] << 24);
}

#endif
