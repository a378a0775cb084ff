/* Heapsort of n u32 (a = n), b rounds: each round copies the n values at data
 * to the n slots after them and sorts those in place; returns a hash of the
 * sorted values. */
#include "kernel.h"

INLINE void sift_down(u32 *v, u64 root, u64 end) {
    for (;;) {
        u64 child = 2 * root + 1;
        if (child >= end)
            return;
        if (child + 1 < end && v[child] < v[child + 1])
            child++;
        if (v[root] >= v[child])
            return;
        u32 t = v[root];
        v[root] = v[child];
        v[child] = t;
        root = child;
    }
}

KERNEL(heap_sort) {
    u64 n = PARAM_A(in), rounds = PARAM_B(in);
    u32 *src = (u32 *)DATA(in);
    u32 *v = src + n;
    u64 h = 0;
    for (u64 r = 0; r < rounds; r++) {
        for (u64 i = 0; i < n; i++)
            v[i] = src[i];
        for (u64 i = n / 2; i > 0; i--)
            sift_down(v, i - 1, n);
        for (u64 end = n; end > 1; end--) {
            u32 t = v[0];
            v[0] = v[end - 1];
            v[end - 1] = t;
            sift_down(v, 0, end - 1);
        }
        for (u64 i = 0; i < n; i++)
            h = h * 31 + v[i];
    }
    return h;
}
