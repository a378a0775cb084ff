/* Reads through a looked-up array value pointer at a byte offset taken
 * from the input: in bounds it returns the byte, past the map storage it
 * traps (the kernel's verifier would refuse the unchecked offset). */
#include "maps.h"

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __type(key, __u32);
    __type(value, __u64);
    __uint(max_entries, 1);
} only SEC(".maps");

SEC("socket")
int oob(__u32 *input)
{
    __u32 zero = 0;
    __u8 *v = bpf_map_lookup_elem(&only, &zero);
    if (!v)
        return -1;
    return v[input[0]];
}
