# Branchy parser: tokenizes text into numbers and words, `rounds` times.
#
# Tokens: a number is an optional '-' directly followed by decimal digits
# (value wrapping modulo 2^64, negated after a '-'); a word is a letter or '_'
# followed by letters, digits and '_'; every other byte (and a '-' not followed
# by a digit) is skipped. Each number folds in as h = h * 31 + value, each
# word as h = h * 37 + length; h carries over from round to round.
#
# Input:  [r1+0] = text length in bytes, [r1+8] = rounds, text at [r1+16].
# Result: r0 = h, starting from 0.
# Cost:   about 7 instructions per byte, mostly compares and branches.

    ldxdw r2, [r1+0]
    ldxdw r3, [r1+8]
    add r1, 16
    mov r9, r1
    add r9, r2              # end
    mov r0, 0
    jeq r3, 0, done
round:
    mov r4, r1              # p
scan:
    jge r4, r9, round_end
    ldxb r5, [r4+0]
    mov r6, r5
    sub r6, 48
    jlt r6, 10, number      # '0'..'9'
    jeq r5, 45, minus       # '-'
    jeq r5, 95, word        # '_'
    mov r6, r5
    or r6, 32
    sub r6, 97
    jlt r6, 26, word        # 'a'..'z', 'A'..'Z'
    add r4, 1               # anything else: skip
    ja scan
minus:
    add r4, 1
    jge r4, r9, round_end
    ldxb r5, [r4+0]
    mov r6, r5
    sub r6, 48
    jge r6, 10, scan        # a lone '-': skipped; rescan the next byte
    mov r7, 0
neg_digits:
    mul r7, 10
    add r7, r6
    add r4, 1
    jge r4, r9, neg_done
    ldxb r5, [r4+0]
    mov r6, r5
    sub r6, 48
    jlt r6, 10, neg_digits
neg_done:
    neg r7
    ja emit_number
number:
    mov r7, 0
digits:
    mul r7, 10
    add r7, r6
    add r4, 1
    jge r4, r9, emit_number
    ldxb r5, [r4+0]
    mov r6, r5
    sub r6, 48
    jlt r6, 10, digits
emit_number:
    mul r0, 31
    add r0, r7
    ja scan
word:
    mov r8, r4              # start
word_chars:
    add r4, 1
    jge r4, r9, emit_word
    ldxb r5, [r4+0]
    mov r6, r5
    sub r6, 48
    jlt r6, 10, word_chars
    jeq r5, 95, word_chars
    mov r6, r5
    or r6, 32
    sub r6, 97
    jlt r6, 26, word_chars
emit_word:
    mov r6, r4
    sub r6, r8
    mul r0, 37
    add r0, r6
    ja scan
round_end:
    sub r3, 1
    jne r3, 0, round
done:
    exit
