/*
 * wire_decode.c - a captured frame's bytes to a TCP segment: the link
 * header, IPv4 or IPv6, the TCP header and its options. Network bytes are
 * untrusted: every length is checked against what was captured, and the
 * decoder makes no system call, so the fuzzer can run it alone.
 */
#include <stdio.h>
#include <string.h>

#include "wire.h"

char *
wire_flags_name(uint8_t flags, char *buf, size_t len)
{
	/* In the order people say them: "SYN, ACK", "PSH, ACK", "FIN, ACK". */
	static const struct {
		uint8_t		 bit;
		const char	*name;
	} names[] = {
		{ WIRE_URG, "URG" }, { WIRE_SYN, "SYN" }, { WIRE_FIN, "FIN" },
		{ WIRE_RST, "RST" }, { WIRE_PSH, "PSH" }, { WIRE_ACK, "ACK" },
		{ WIRE_ECE, "ECE" }, { WIRE_CWR, "CWR" },
	};
	size_t i, used = 0;
	int n;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (!(flags & names[i].bit))
			continue;
		n = snprintf(buf + used, len - used, "%s%s", used ? ", " : "",
		    names[i].name);
		if (n < 0 || (size_t)n >= len - used)
			break;
		used += (size_t)n;
	}
	if (used == 0)
		snprintf(buf, len, "none");
	return buf;
}

/* A first cut: decodes nothing yet. */
int
wire_decode(int linktype, const unsigned char *frame, size_t caplen,
    struct wire_seg *out)
{
	(void)linktype;
	(void)frame;
	(void)caplen;
	memset(out, 0, sizeof *out);
	return -1;
}
