# Memory-heavy: sieve of Eratosthenes over a scratch buffer in the input.
#
# Input:  [r1+0] = n (a multiple of 8), [r1+8] unused, n scratch bytes at
#         [r1+16] (their contents on entry do not matter).
# Result: r0 = the number of primes below n.
# Cost:   the clear (3 per 8 bytes), 3 per composite mark, 4 per byte tallied.

    ldxdw r2, [r1+0]
    add r1, 16
    mov r3, r1
    add r3, r2              # end of the scratch buffer
    mov r4, r1
    jge r4, r3, sieve
clear:                      # byte i = 0: i is not (yet) known to be composite
    stdw [r4+0], 0
    add r4, 8
    jlt r4, r3, clear
sieve:
    mov r5, 2               # i
outer:
    mov r6, r5
    mul r6, r5              # i * i
    jge r6, r2, count
    mov r4, r1
    add r4, r5
    ldxb r7, [r4+0]
    jne r7, 0, next         # i is composite: its multiples are marked already
    mov r4, r1
    add r4, r6
mark:                       # mark i*i, i*i + i, ... below n
    stb [r4+0], 1
    add r4, r5
    jlt r4, r3, mark
next:
    add r5, 1
    ja outer
count:                      # primes = (n - 2) - composites in [2, n)
    mov r0, 0
    jle r2, 2, done
    mov r4, r1
    add r4, 2
    mov r8, 0
tally:
    ldxb r7, [r4+0]
    add r8, r7
    add r4, 1
    jlt r4, r3, tally
    mov r0, r2
    sub r0, 2
    sub r0, r8
done:
    exit
