# Checksum: the RFC 1071 Internet checksum of the data, computed `rounds`
# times and combined as acc = acc * 31 + checksum.
#
# The sum runs over little-endian 32-bit words in a 64-bit accumulator (RFC
# 1071 section 2: deferred carries, wider words, byte-order independence); the
# folded 16-bit sum is byte-swapped (`be16`) into network order at the end.
#
# Input:  [r1+0] = data length in bytes (any), [r1+8] = rounds, data at [r1+16].
# Result: r0 = acc, starting from 0.
# Cost:   6 instructions per 8 bytes plus a short tail and fold per round.

    ldxdw r2, [r1+0]
    ldxdw r3, [r1+8]
    add r1, 16
    mov r8, r1
    add r8, r2              # end
    mov r9, r2
    and r9, -8
    add r9, r1              # end of the 8-byte blocks
    mov r0, 0
    jeq r3, 0, done
round:
    mov r4, 0               # sum
    mov r5, r1              # p
    jge r5, r9, tail
blocks:
    ldxw r6, [r5+0]
    ldxw r7, [r5+4]
    add r4, r6
    add r4, r7
    add r5, 8
    jlt r5, r9, blocks
tail:                       # 0..7 bytes left
    mov r6, r8
    sub r6, r5
    jlt r6, 4, tail2
    ldxw r7, [r5+0]
    add r4, r7
    add r5, 4
    sub r6, 4
tail2:
    jlt r6, 2, tail1
    ldxh r7, [r5+0]
    add r4, r7
    add r5, 2
    sub r6, 2
tail1:
    jeq r6, 0, fold
    ldxb r7, [r5+0]         # odd byte: the high byte of a zero-padded word
    add r4, r7
fold:                       # end-around carry until the sum fits 16 bits
    mov r6, r4
    rsh r6, 16
    and r4, 0xffff
    add r4, r6
    mov r6, r4
    rsh r6, 16
    jne r6, 0, fold
    be16 r4
    xor r4, 0xffff
    mul r0, 31
    add r0, r4
    sub r3, 1
    jne r3, 0, round
done:
    exit
