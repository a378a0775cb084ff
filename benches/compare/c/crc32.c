/* Bitwise CRC-32 (IEEE, reflected) of a bytes at data, b times (the CRC of
 * each round seeds the next). */
#include "kernel.h"

KERNEL(crc32) {
    u64 n = PARAM_A(in), rounds = PARAM_B(in);
    const u8 *d = DATA(in);
    u32 crc = 0;
    for (u64 r = 0; r < rounds; r++) {
        crc = ~crc;
        for (u64 i = 0; i < n; i++) {
            crc ^= d[i];
            for (int k = 0; k < 8; k++)
                crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
        }
        crc = ~crc;
    }
    return crc;
}
