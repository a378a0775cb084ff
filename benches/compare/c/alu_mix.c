/* ALU mix: a rounds of 64- and 32-bit multiply, xor, shifts, rotates,
 * unsigned division and remainder on a small state seeded by b. */
#include "kernel.h"

INLINE u64 rotl(u64 x, u64 r) { return (x << r) | (x >> (64 - r)); }

KERNEL(alu_mix) {
    u64 rounds = PARAM_A(in), seed = PARAM_B(in);
    u64 x = seed, y = seed ^ 0x9e3779b97f4a7c15ull;
    u32 w = (u32)seed | 1;
    for (u64 i = 0; i < rounds; i++) {
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        y = rotl(y + x, 17) * 0xff51afd7ed558ccdull;
        w = w * 1664525u + 1013904223u;
        w ^= w >> 13;
        x += (u64)(w % 1000u) + (y / ((w | 1) & 0xffff));
    }
    return x ^ y ^ w;
}
