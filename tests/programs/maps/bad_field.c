/* A BTF map definition with a member libbpf does not know: refused,
 * naming the map. */
#include "maps.h"

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __type(key, __u32);
    __type(value, __u32);
    __uint(max_entries, 4);
    __uint(colour, 3);
} painted SEC(".maps");

SEC("socket")
int prog(void *ctx)
{
    __u32 k = 0;
    return bpf_map_lookup_elem(&painted, &k) != 0;
}
