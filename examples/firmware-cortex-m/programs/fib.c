/* Recursive Fibonacci through bpf-to-bpf calls: fib(n) needs n + 1 active
 * frames, so it exercises the VM's call-depth limit. The input is a u64 n. */
#include "builtins.h"

__attribute__((noinline)) static u64 fib(u64 n)
{
	return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

u64 entry(const u64 *n)
{
	return fib(*n);
}
