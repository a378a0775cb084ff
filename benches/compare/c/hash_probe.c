/* Open-addressing hash table (linear probing, 2^b u32 slots after the keys):
 * inserts the first half of a keys (nonzero u32 at data), then looks up all
 * of them; returns hits, misses and probe count. */
#include "kernel.h"

KERNEL(hash_probe) {
    u64 n = PARAM_A(in), bits = PARAM_B(in);
    const u32 *keys = (const u32 *)DATA(in);
    u32 *table = (u32 *)DATA(in) + n;
    u64 size = 1ull << bits, mask = size - 1;
    for (u64 i = 0; i < size; i++)
        table[i] = 0;
    u64 probes = 0;
    for (u64 i = 0; i < n / 2; i++) {
        u32 k = keys[i];
        u64 h = (u32)(k * 2654435761u) & mask;
        while (table[h] != 0 && table[h] != k) {
            h = (h + 1) & mask;
            probes++;
        }
        table[h] = k;
    }
    u64 hits = 0;
    for (u64 i = 0; i < n; i++) {
        u32 k = keys[i];
        u64 h = (u32)(k * 2654435761u) & mask;
        for (;;) {
            u32 slot = table[h];
            if (slot == k) {
                hits++;
                break;
            }
            if (slot == 0)
                break;
            h = (h + 1) & mask;
            probes++;
        }
    }
    return (hits << 32) | probes;
}
