/* Recursion across bpf-to-bpf calls: the entry points live in program
 * sections and call recursive functions in .text.
 *
 *   fibonacci (section "recursion/fib", the default entry): fib(n) for n = the first
 *     input byte, computed by naive double recursion (call depth n).
 *   ackermann (section "recursion/ack", pick it by name): A(m, n) for m, n = the first
 *     two input bytes (call depth A(m, n) + 1 for small m).
 */
#include "common.h"

static NOINLINE u64 fib(u64 n)
{
	if (n < 2)
		return n;
	return fib(n - 1) + fib(n - 2);
}

static NOINLINE u64 ack(u64 m, u64 n)
{
	if (m == 0)
		return n + 1;
	if (n == 0)
		return ack(m - 1, 1);
	return ack(m - 1, ack(m, n - 1));
}

SEC("recursion/fib")
u64 fibonacci(const u8 *data, u64 len)
{
	return len ? fib(data[0]) : 0;
}

SEC("recursion/ack")
u64 ackermann(const u8 *data, u64 len)
{
	return len >= 2 ? ack(data[0], data[1]) : 0;
}
