/* Helper ids of uBPF's test runner (ubpf_test / test_helpers). */
#ifndef RW_UBPF_H
#define RW_UBPF_H

typedef unsigned char uint8_t;
typedef unsigned short uint16_t;
typedef unsigned int uint32_t;
typedef unsigned long long uint64_t;

static void (*memfrob)(void *s, uint64_t n) = (void *)1;
static uint64_t (*sqrti)(uint64_t x) = (void *)3;
static uint64_t (*strcmp_ext)(const char *a, const char *b) = (void *)4;
static uint64_t (*unwind)(uint64_t i) = (void *)5;

#endif
