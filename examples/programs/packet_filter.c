/* Packet filter over a raw IPv4 packet (no link-layer header) in the input.
 *
 * Returns a verdict: 0 = PASS (a well-formed, unfragmented IPv4/TCP packet to
 * an allowed destination port), otherwise the first reason to drop it.
 */
#include "common.h"

enum verdict {
	PASS = 0,
	TOO_SHORT = 1,     /* shorter than a minimal IPv4 + TCP header */
	NOT_IPV4 = 2,      /* version is not 4, or IHL < 5 */
	BAD_LENGTH = 3,    /* total length inconsistent with the buffer or headers */
	NOT_TCP = 4,       /* protocol is not 6 */
	FRAGMENT = 5,      /* MF flag set or a non-zero fragment offset */
	BAD_TCP = 6,       /* TCP data offset < 5 or header past the packet end */
	PORT_DENIED = 7,   /* destination port not in the allow list */
};

/* The allow list lives in .rodata. */
static const u16 allowed_ports[] = { 22, 80, 443, 8443 };

static NOINLINE int port_allowed(u16 port)
{
	for (unsigned i = 0; i < sizeof(allowed_ports) / sizeof(allowed_ports[0]); i++)
		if (allowed_ports[i] == port)
			return 1;
	return 0;
}

SEC("socket")
int packet_filter(const u8 *pkt, u64 len)
{
	if (len < 40)
		return TOO_SHORT;
	u8 version = pkt[0] >> 4;
	u64 ihl = pkt[0] & 0x0f;
	if (version != 4 || ihl < 5)
		return NOT_IPV4;
	u64 ip_len = ihl * 4;
	u64 total = load_be16(pkt + 2);
	if (total > len || total < ip_len + 20)
		return BAD_LENGTH;
	if (pkt[9] != 6)
		return NOT_TCP;
	if (load_be16(pkt + 6) & 0x3fff)
		return FRAGMENT;
	const u8 *tcp = pkt + ip_len;
	u64 data_offset = tcp[12] >> 4;
	if (data_offset < 5 || ip_len + data_offset * 4 > total)
		return BAD_TCP;
	if (!port_allowed(load_be16(tcp + 2)))
		return PORT_DENIED;
	return PASS;
}
