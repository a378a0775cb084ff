/* Femto-Containers (RIOT) helper ids, as RIOT's bpf/shared.h numbers them. */
#ifndef RW_FEMTO_H
#define RW_FEMTO_H

typedef unsigned char uint8_t;
typedef unsigned short uint16_t;
typedef short int16_t;
typedef unsigned int uint32_t;
typedef int int32_t;
typedef unsigned long long uint64_t;
typedef unsigned long size_t;

enum {
	BPF_FUNC_BPF_PRINTF = 0x01,
	BPF_FUNC_BPF_MEMCPY = 0x02,
	BPF_FUNC_BPF_STORE_LOCAL = 0x10,
	BPF_FUNC_BPF_STORE_GLOBAL = 0x11,
	BPF_FUNC_BPF_FETCH_LOCAL = 0x12,
	BPF_FUNC_BPF_FETCH_GLOBAL = 0x13,
	BPF_FUNC_BPF_NOW_MS = 0x20,
	BPF_FUNC_BPF_FMT_S16_DFP = 0x50,
	BPF_FUNC_BPF_FMT_U32_DEC = 0x51,
	BPF_FUNC_BPF_ZTIMER_NOW = 0x60,
};

static void *(*bpf_printf)(const char *fmt, ...) = (void *)BPF_FUNC_BPF_PRINTF;
static void *(*bpf_memcpy)(void *dest, const void *src, size_t n) = (void *)BPF_FUNC_BPF_MEMCPY;
static int (*bpf_store_local)(uint32_t key, uint32_t value) = (void *)BPF_FUNC_BPF_STORE_LOCAL;
static int (*bpf_store_global)(uint32_t key, uint32_t value) = (void *)BPF_FUNC_BPF_STORE_GLOBAL;
static int (*bpf_fetch_local)(uint32_t key, uint32_t *value) = (void *)BPF_FUNC_BPF_FETCH_LOCAL;
static int (*bpf_fetch_global)(uint32_t key, uint32_t *value) = (void *)BPF_FUNC_BPF_FETCH_GLOBAL;
static uint32_t (*bpf_now_ms)(void) = (void *)BPF_FUNC_BPF_NOW_MS;
static size_t (*bpf_fmt_s16_dfp)(char *out, int16_t val, int fp_digits) = (void *)BPF_FUNC_BPF_FMT_S16_DFP;
static size_t (*bpf_fmt_u32_dec)(char *out, uint32_t val) = (void *)BPF_FUNC_BPF_FMT_U32_DEC;
static uint32_t (*bpf_ztimer_now)(void) = (void *)BPF_FUNC_BPF_ZTIMER_NOW;

#endif
