/* Adler-32 of a bytes at data, b times (deferred modulo every 4096 bytes,
 * as zlib does). */
#include "kernel.h"

KERNEL(adler32) {
    u64 n = PARAM_A(in), rounds = PARAM_B(in);
    const u8 *d = DATA(in);
    u64 result = 0;
    for (u64 r = 0; r < rounds; r++) {
        u32 s1 = 1 + (u32)r, s2 = 0;
        u64 i = 0;
        while (i < n) {
            u64 end = i + 4096 < n ? i + 4096 : n;
            for (; i < end; i++) {
                s1 += d[i];
                s2 += s1;
            }
            s1 %= 65521;
            s2 %= 65521;
        }
        result = result * 31 + ((s2 << 16) | s1);
    }
    return result;
}
