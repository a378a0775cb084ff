/* Insertion sort of n u32 (a = n): the n values at data are copied to the
 * n slots after them and sorted there; returns sum(i * sorted[i]) mixed. */
#include "kernel.h"

KERNEL(insertion_sort) {
    u64 n = PARAM_A(in);
    u32 *src = (u32 *)DATA(in);
    u32 *v = src + n;
    for (u64 i = 0; i < n; i++)
        v[i] = src[i];
    for (u64 i = 1; i < n; i++) {
        u32 x = v[i];
        u64 j = i;
        while (j > 0 && v[j - 1] > x) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x;
    }
    u64 h = 0;
    for (u64 i = 0; i < n; i++)
        h = h * 31 + v[i];
    return h;
}
