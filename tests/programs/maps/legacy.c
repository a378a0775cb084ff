/* Legacy map definitions (struct bpf_map_def in SEC("maps")), plus
 * globals in .data, .bss and .rodata. */
#include "maps.h"

struct bpf_map_def {
    unsigned int type;
    unsigned int key_size;
    unsigned int value_size;
    unsigned int max_entries;
    unsigned int map_flags;
};

struct bpf_map_def SEC("maps") legacy_hash = {
    .type = BPF_MAP_TYPE_HASH,
    .key_size = 4,
    .value_size = 4,
    .max_entries = 16,
};

struct bpf_map_def SEC("maps") legacy_array = {
    .type = BPF_MAP_TYPE_ARRAY,
    .key_size = 4,
    .value_size = 8,
    .max_entries = 4,
};

__u64 runs = 100;        /* .data */
__u64 zeroed;            /* .bss */
const __u64 step = 5;    /* .rodata */

SEC("socket")
int legacy(__u32 *input)
{
    __u32 key = input[0];
    __u32 v = input[1];
    bpf_map_update_elem(&legacy_hash, &key, &v, BPF_ANY);
    __u32 idx = 3;
    __u64 *slot = bpf_map_lookup_elem(&legacy_array, &idx);
    if (slot)
        *slot += step;
    runs += 1;
    zeroed += 2;
    return runs + zeroed;
}
