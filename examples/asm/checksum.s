# RFC 1071 Internet checksum over the input (r1 = address, r2 = length).
# With the 20-byte IPv4 header of the README's quick start (checksum field 0),
# the result is the checksum to store in the header: 0xb8b8.
    mov r0, 0                # running 32-bit sum
    mov r3, r2
    rsh r3, 1                # number of 16-bit words
    jeq r3, 0, tail
words:
    ldxb r4, [r1+0]          # network byte order: high byte first
    lsh r4, 8
    ldxb r5, [r1+1]
    or r4, r5
    add r0, r4
    add r1, 2
    sub r3, 1
    jne r3, 0, words
tail:
    jset r2, 1, odd
    ja fold
odd:
    ldxb r4, [r1+0]          # an odd final byte is the high byte of a word
    lsh r4, 8
    add r0, r4
fold:
    mov r4, r0
    rsh r4, 16
    jeq r4, 0, done
    and r0, 0xffff
    add r0, r4
    ja fold
done:
    xor r0, 0xffff
    exit
