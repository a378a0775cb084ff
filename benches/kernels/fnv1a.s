# Hash: 64-bit FNV-1a over the data, repeated `rounds` times (the hash of the
# data concatenated `rounds` times).
#
# Input:  [r1+0] = data length in bytes, [r1+8] = rounds, data at [r1+16].
# Result: r0 = FNV-1a-64 of data^rounds.
# Cost:   5 instructions per byte.

    ldxdw r2, [r1+0]
    ldxdw r3, [r1+8]
    lddw r0, 0xcbf29ce484222325
    lddw r4, 0x100000001b3
    add r1, 16
    mov r5, r1
    add r5, r2
    jeq r2, 0, done
round:
    jeq r3, 0, done
    mov r6, r1
byte:
    ldxb r7, [r6+0]
    xor r0, r7
    mul r0, r4
    add r6, 1
    jlt r6, r5, byte
    sub r3, 1
    ja round
done:
    exit
