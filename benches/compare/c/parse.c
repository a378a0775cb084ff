/* Byte-wise parser over n bytes of text at data (a = n), b passes: decimal
 * numbers are summed, words counted and hashed, other bytes counted. */
#include "kernel.h"

KERNEL(parse) {
    u64 n = PARAM_A(in), passes = PARAM_B(in);
    const u8 *t = DATA(in);
    u64 sum = 0, words = 0, other = 0, hash = 0;
    for (u64 p = 0; p < passes; p++) {
        u64 i = 0;
        while (i < n) {
            u8 c = t[i];
            if (c >= '0' && c <= '9') {
                u64 v = 0;
                while (i < n && t[i] >= '0' && t[i] <= '9') {
                    v = v * 10 + (t[i] - '0');
                    i++;
                }
                sum += v;
            } else if ((u8)((c | 0x20) - 'a') < 26) {
                u64 w = 5381;
                while (i < n && (u8)((t[i] | 0x20) - 'a') < 26) {
                    w = w * 33 + (t[i] | 0x20);
                    i++;
                }
                words++;
                hash ^= w;
            } else {
                other++;
                i++;
            }
        }
    }
    return sum ^ (words << 40) ^ (other << 20) ^ hash;
}
