/* C = A * B for a x a matrices of u32 (wrapping), A then B at data, C after
 * them; returns a hash of C. */
#include "kernel.h"

KERNEL(matmul) {
    u64 n = PARAM_A(in);
    const u32 *a = (const u32 *)DATA(in);
    const u32 *b = a + n * n;
    u32 *c = (u32 *)(b + n * n);
    for (u64 i = 0; i < n; i++)
        for (u64 j = 0; j < n; j++) {
            u32 s = 0;
            for (u64 k = 0; k < n; k++)
                s += a[i * n + k] * b[k * n + j];
            c[i * n + j] = s;
        }
    u64 h = 0;
    for (u64 i = 0; i < n * n; i++)
        h = (h ^ c[i]) * 0x100000001b3ull;
    return h;
}
