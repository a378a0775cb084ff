/* Boyer-Moore-Horspool: counts the occurrences of each of the patterns in
 * the text. Data: text of a bytes, then b patterns of 16 bytes each (the
 * first byte is the length, 1..15). The 256-entry shift table is on the
 * stack. */
#include "kernel.h"

KERNEL(str_search) {
    u64 n = PARAM_A(in), npat = PARAM_B(in);
    const u8 *text = DATA(in);
    const u8 *pats = text + n;
    u8 shift[256];
    u64 total = 0;
    for (u64 p = 0; p < npat; p++) {
        const u8 *pat = pats + 16 * p + 1;
        u64 m = pats[16 * p] & 15;
        if (m == 0 || m > n)
            continue;
        for (u64 c = 0; c < 256; c++)
            shift[c] = (u8)m;
        for (u64 k = 0; k + 1 < m; k++)
            shift[pat[k]] = (u8)(m - 1 - k);
        u64 found = 0;
        u64 pos = 0;
        while (pos + m <= n) {
            u64 k = m;
            while (k > 0 && text[pos + k - 1] == pat[k - 1])
                k--;
            if (k == 0)
                found++;
            pos += shift[text[pos + m - 1]];
        }
        total = total * 1000003 + found;
    }
    return total;
}
