/* One program per map kind; the tests pick the entry by name. */
#include "maps.h"

struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __type(key, __u32);
    __type(value, __u32);
    __uint(max_entries, 2);
} recent SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_QUEUE);
    __uint(value_size, 4);
    __uint(max_entries, 3);
} fifo SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_STACK);
    __uint(value_size, 4);
    __uint(max_entries, 3);
} lifo SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 256);
} events SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
    __uint(key_size, 4);
    __uint(value_size, 4);
} perf SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PROG_ARRAY);
    __uint(max_entries, 4);
    __uint(key_size, 4);
    __uint(value_size, 4);
} jumps SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_LRU_PERCPU_HASH);
    __type(key, __u32);
    __type(value, __u64);
    __uint(max_entries, 8);
} pcpu_hash SEC(".maps");

struct event {
    __u32 kind;
    __u32 value;
};

/* Touches keys input[0..4] in the LRU hash; returns how many were new. */
SEC("socket")
int lru(__u32 *input)
{
    int fresh = 0;
    for (int i = 0; i < 4; i++) {
        __u32 key = input[i];
        __u32 *v = bpf_map_lookup_elem(&recent, &key);
        if (v) {
            *v += 1;
        } else {
            __u32 one = 1;
            bpf_map_update_elem(&recent, &key, &one, BPF_ANY);
            fresh++;
        }
    }
    return fresh;
}

/* Pushes 1..4 into both (the 4th overwrites the oldest with BPF_EXIST),
 * then returns pop(queue) * 100 + pop(stack) * 10 + (push without EXIST == -E2BIG). */
SEC("socket")
int queue_stack(void *ctx)
{
    for (__u32 v = 1; v <= 3; v++) {
        bpf_map_push_elem(&fifo, &v, BPF_ANY);
        bpf_map_push_elem(&lifo, &v, BPF_ANY);
    }
    __u32 four = 4;
    long full = bpf_map_push_elem(&fifo, &four, BPF_ANY);
    bpf_map_push_elem(&fifo, &four, BPF_EXIST);
    bpf_map_push_elem(&lifo, &four, BPF_EXIST);
    __u32 q = 0, s = 0;
    bpf_map_pop_elem(&fifo, &q);
    bpf_map_pop_elem(&lifo, &s);
    return q * 100 + s * 10 + (full == -7);
}

/* Logs input[0] events through the ring buffer: reserve/submit for even
 * ones, discard for odd ones, one bpf_ringbuf_output at the end. Returns
 * the available data. */
SEC("socket")
int ringbuf(__u32 *input)
{
    __u32 n = input[0];
    for (__u32 i = 0; i < n && i < 16; i++) {
        struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
        if (!e)
            return -1;
        e->kind = 1;
        e->value = i;
        if (i & 1)
            bpf_ringbuf_discard(e, 0);
        else
            bpf_ringbuf_submit(e, 0);
    }
    struct event last = { 2, n };
    if (bpf_ringbuf_output(&events, &last, sizeof(last), 0))
        return -2;
    return bpf_ringbuf_query(&events, 0);
}

/* Writes one perf record on the current CPU. */
SEC("socket")
int perf_out(__u32 *input)
{
    struct event e = { 3, input[0] };
    return bpf_perf_event_output(input, &perf, BPF_F_CURRENT_CPU, &e, sizeof(e));
}

/* A tail call to an empty slot falls through; returns its error + 1000. */
SEC("socket")
int tail(void *ctx)
{
    long r = bpf_tail_call(ctx, &jumps, 2);
    return 1000 + r;
}

/* Adds input[0] to this CPU's value of key 7. */
SEC("socket")
int per_cpu_hash(__u32 *input)
{
    __u32 key = 7;
    __u64 *v = bpf_map_lookup_elem(&pcpu_hash, &key);
    if (v) {
        *v += input[0];
        return 0;
    }
    __u64 init = input[0];
    return bpf_map_update_elem(&pcpu_hash, &key, &init, BPF_NOEXIST);
}
