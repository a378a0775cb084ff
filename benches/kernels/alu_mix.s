# ALU loop: a 64-bit multiply/xor/shift/rotate mixing chain.
#
# Input:  [r1+0] = iterations n, [r1+8] = seed x.
# Result: r0 = x after n rounds of
#           x ^= x >> 33; x *= K1; x = rotl(x, 27) + i; x ^= x >> 29; x *= K2
#         for i = 0, 1, ..., n - 1 (all arithmetic wrapping, 64-bit).
# Cost:   15 instructions per iteration.

    ldxdw r2, [r1+0]
    ldxdw r0, [r1+8]
    lddw r3, 0xff51afd7ed558ccd
    lddw r4, 0xc4ceb9fe1a85ec53
    mov r5, 0
    jeq r2, 0, done
loop:
    mov r6, r0
    rsh r6, 33
    xor r0, r6
    mul r0, r3
    mov r6, r0
    lsh r6, 27
    rsh r0, 37
    or r0, r6
    add r0, r5
    mov r6, r0
    rsh r6, 29
    xor r0, r6
    mul r0, r4
    add r5, 1
    jlt r5, r2, loop
done:
    exit
