/* A per-key packet counter: a hash map keyed by the first input word, an
 * array of totals and a per-CPU array, all updated from the program.
 * Returns the key's new count. */
#include "maps.h"

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __type(key, __u32);
    __type(value, __u64);
    __uint(max_entries, 4);
} counts SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __type(key, __u32);
    __type(value, __u64);
    __uint(max_entries, 2);
} totals SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(key_size, 4);
    __uint(value_size, 8);
    __uint(max_entries, 1);
} per_cpu SEC(".maps");

SEC("socket")
int count(__u32 *input)
{
    __u32 key = input[0];
    __u32 zero = 0, one = 1;
    __u64 *total = bpf_map_lookup_elem(&totals, &zero);
    if (total)
        *total += 1;
    __u64 *mine = bpf_map_lookup_elem(&per_cpu, &zero);
    if (mine)
        *mine += key;
    __u64 *value = bpf_map_lookup_elem(&counts, &key);
    if (value) {
        *value += 1;
        return *value;
    }
    __u64 first = 1;
    long err = bpf_map_update_elem(&counts, &key, &first, BPF_NOEXIST);
    if (err) {
        /* Full: count the failure in totals[1] and return the errno. */
        __u64 *failures = bpf_map_lookup_elem(&totals, &one);
        if (failures)
            *failures += 1;
        return err;
    }
    return 1;
}
