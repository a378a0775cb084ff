/* Packet parsing: a bytes of records at data, each a u16 little-endian
 * length then an Ethernet frame. Each frame is parsed (Ethernet, optional
 * 802.1Q tag, IPv4 with options, TCP or UDP) with every field read checked
 * against the frame's length, as an XDP program would; returns counts and a
 * hash of the flows. b passes over the records. */
#include "kernel.h"

KERNEL(packets) {
    u64 n = PARAM_A(in), passes = PARAM_B(in);
    const u8 *d = DATA(in);
    u64 tcp = 0, udp = 0, other = 0, bad = 0, flows = 0, bytes = 0;
    for (u64 p = 0; p < passes; p++) {
        u64 off = 0;
        while (off + 2 <= n) {
            u64 len = d[off] | ((u64)d[off + 1] << 8);
            off += 2;
            if (len > n - off) {
                bad++;
                break;
            }
            const u8 *f = d + off;
            off += len;
            if (len < 14) {
                bad++;
                continue;
            }
            u64 l3 = 14;
            u16 type = load16be(f + 12);
            if (type == 0x8100) {
                if (len < 18) {
                    bad++;
                    continue;
                }
                type = load16be(f + 16);
                l3 = 18;
            }
            if (type != 0x0800 || len < l3 + 20) {
                other++;
                continue;
            }
            const u8 *ip = f + l3;
            u64 ihl = (ip[0] & 15) * 4;
            if ((ip[0] >> 4) != 4 || ihl < 20 || len < l3 + ihl) {
                bad++;
                continue;
            }
            u64 total = load16be(ip + 2);
            bytes += total;
            u8 proto = ip[9];
            u32 src = load32(ip + 12), dst = load32(ip + 16);
            const u8 *l4 = ip + ihl;
            u64 room = len - l3 - ihl;
            if (proto == 6 && room >= 20) {
                tcp++;
                u64 ports = ((u64)load16be(l4) << 16) | load16be(l4 + 2);
                u8 flags = l4[13];
                flows = (flows ^ src ^ ((u64)dst << 32) ^ ports ^ flags) * 0x100000001b3ull;
            } else if (proto == 17 && room >= 8) {
                udp++;
                u64 ports = ((u64)load16be(l4) << 16) | load16be(l4 + 2);
                flows = (flows ^ src ^ ((u64)dst << 32) ^ ports) * 0x100000001b3ull;
            } else {
                other++;
            }
        }
    }
    return (tcp << 48) ^ (udp << 32) ^ (other << 16) ^ bad ^ flows ^ bytes;
}
