/* Sieve of Eratosthenes over n bytes of scratch at data (a = n); returns the
 * number of primes below n. */
#include "kernel.h"

KERNEL(sieve) {
    u64 n = PARAM_A(in);
    u8 *s = DATA(in);
    for (u64 i = 0; i < n; i++)
        s[i] = 0;
    u64 count = 0;
    for (u64 i = 2; i < n; i++) {
        if (s[i])
            continue;
        count++;
        for (u64 j = i * i; j < n; j += i)
            s[j] = 1;
    }
    return count;
}
