/* An array map with an 8-byte key: the kernel refuses it (-EINVAL), so
 * does the loader, naming the map. */
#include "maps.h"

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __type(key, __u64);
    __type(value, __u32);
    __uint(max_entries, 4);
} wide_key SEC(".maps");

SEC("socket")
int prog(void *ctx)
{
    __u64 k = 0;
    return bpf_map_lookup_elem(&wide_key, &k) != 0;
}
