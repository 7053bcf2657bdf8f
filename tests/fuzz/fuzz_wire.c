/*
 * fuzz_wire.c - libFuzzer target for wire_decode(), the first code a
 * captured frame's bytes meet. The first input byte picks the link type
 * (those tcpstep may capture on); the rest is the frame, handed over in a
 * buffer of exactly its size so ASan sees any read past caplen. Whatever
 * the bytes claim, a decoded segment keeps its invariants: an IPv4 or
 * IPv6 address family on both ends, no more payload captured than the IP
 * header says there is, a window shift of 14 at most, option fields only
 * where an option was read.
 */
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wire.h"

static const int fuzz_dlts[] = {
	DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_RAW, 101, DLT_NULL,
	DLT_LOOP, DLT_IPV4, DLT_IPV6,
};
#define FUZZ_NDLTS	(sizeof fuzz_dlts / sizeof fuzz_dlts[0])

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned char zero[WIRE_PAYLOAD];
	struct wire_seg seg;
	unsigned char *frame;
	char name[64], tiny[5];
	size_t n, i;
	int rc;

	if (size == 0)
		return 0;
	n = size - 1;
	frame = malloc(n ? n : 1);
	if (frame == NULL)
		return 0;
	memcpy(frame, data + 1, n);
	rc = wire_decode(fuzz_dlts[data[0] % FUZZ_NDLTS], frame, n, &seg);
	if (rc == 0) {
		if (seg.src.ss_family != seg.dst.ss_family ||
		    (seg.src.ss_family != AF_INET &&
		    seg.src.ss_family != AF_INET6))
			abort();
		/* The payload: captured part of what IP says, in the frame. */
		if (seg.caplen > seg.len || seg.caplen > n)
			abort();
		i = seg.caplen < WIRE_PAYLOAD ? seg.caplen : WIRE_PAYLOAD;
		if (memcmp(seg.payload + i, zero, WIRE_PAYLOAD - i) != 0)
			abort();
		if (seg.wscale < -1 || seg.wscale > 14)
			abort();
		if (seg.mss < -1 || seg.mss > 65535)
			abort();
		/* Four SACK blocks fill the 40 bytes options may have. */
		if (seg.nsack < 0 || seg.nsack > 4)
			abort();
		if (seg.sack_ok > 1 || seg.ts > 1 || seg.bad_opts > 1)
			abort();
		if (!seg.ts && (seg.tsval || seg.tsecr))
			abort();
		if (seg.tv.tv_sec != 0 || seg.tv.tv_usec != 0)
			abort();
	} else if (rc != -1) {
		abort();
	}
	/* The flags' names, in a buffer large enough and in a tiny one. */
	wire_flags_name(n ? frame[0] : 0, name, sizeof name);
	if (strlen(name) >= sizeof name)
		abort();
	wire_flags_name(n ? frame[0] : 0, tiny, 1 + data[0] % sizeof tiny);
	free(frame);
	return 0;
}
