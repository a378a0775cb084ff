/* Map-in-map with a static initialiser: outer[0] = &inner_a. Looks up
 * inner map slot 0 and returns inner_a[0] + 1 after storing it. */
#include "maps.h"

struct inner {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __type(key, __u32);
    __type(value, __u32);
    __uint(max_entries, 1);
} inner_a SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
    __uint(max_entries, 2);
    __type(key, __u32);
    __array(values, struct inner);
} outer SEC(".maps") = {
    .values = { [0] = &inner_a },
};

SEC("socket")
int in_map(void *ctx)
{
    __u32 zero = 0, one = 1;
    void *m = bpf_map_lookup_elem(&outer, &zero);
    if (!m)
        return -1;
    if (bpf_map_lookup_elem(&outer, &one))
        return -2;
    __u32 *v = bpf_map_lookup_elem(m, &zero);
    if (!v)
        return -3;
    *v += 1;
    return *v;
}

/* A program array initialised with a program of this object. */
SEC("socket")
int jump_target(void *ctx)
{
    return 7;
}

struct {
    __uint(type, BPF_MAP_TYPE_PROG_ARRAY);
    __uint(max_entries, 2);
    __uint(key_size, 4);
    __array(values, int(void *));
} progs SEC(".maps") = {
    .values = { [1] = (void *)&jump_target },
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH_OF_MAPS);
    __uint(max_entries, 4);
    __type(key, __u32);
    __array(values, struct inner);
} by_id SEC(".maps");

SEC("socket")
int jump(void *ctx)
{
    bpf_tail_call(ctx, &progs, 0);       /* empty: falls through */
    __u32 key = 9;
    if (bpf_map_lookup_elem(&by_id, &key))
        return -1;
    bpf_tail_call(ctx, &progs, 1);       /* populated */
    return 0;
}
