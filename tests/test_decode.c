/*
 * test_decode.c - wire_decode, the captured frame's bytes to a TCP
 * segment: every link type tcpstep may capture on, IPv4 and IPv6 (with
 * options, extension headers, fragments), every TCP option, and the
 * frames an attacker or a short snaplen makes: cut at every length,
 * stuffed with options, lying about their lengths. Each frame is copied
 * into a buffer of exactly its captured size, so under AddressSanitizer
 * (make check-sanitize) a read past caplen fails the test.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "wire.h"

/* Room for any frame built here: link, IP with options, TCP, payload. */
#define FRAME_MAX	1024

/* A frame under construction. */
struct frame {
	unsigned char	 b[FRAME_MAX];
	size_t		 n;
};

static void
put(struct frame *f, const void *p, size_t n)
{
	assert_true(f->n + n <= sizeof f->b);
	memcpy(f->b + f->n, p, n);
	f->n += n;
}

static void
put8(struct frame *f, unsigned v)
{
	unsigned char b = (unsigned char)v;

	put(f, &b, 1);
}

static void
put16(struct frame *f, unsigned v)
{
	put8(f, v >> 8);
	put8(f, v);
}

static void
put32(struct frame *f, uint32_t v)
{
	put16(f, v >> 16);
	put16(f, v & 0xffff);
}

/*
 * Decode the first caplen bytes of frame from a heap copy of exactly
 * that size: ASan reports any read past it.
 */
static int
decode(int dlt, const unsigned char *frame, size_t caplen,
    struct wire_seg *seg)
{
	unsigned char *copy = malloc(caplen ? caplen : 1);
	int rc;

	assert_non_null(copy);
	memcpy(copy, frame, caplen);
	rc = wire_decode(dlt, copy, caplen, seg);
	free(copy);
	return rc;
}

/* A TCP segment's fields, for the builders. */
struct tcp {
	unsigned	 sport, dport;
	uint32_t	 seq, ack;
	unsigned	 flags, win, urp;
	const unsigned char *opt;	/* a multiple of 4 bytes */
	size_t		 optlen;
	const char	*data;
	size_t		 dlen;
};

/* The TCP header (RFC 9293 3.1), options and payload into f. */
static void
put_tcp(struct frame *f, const struct tcp *t)
{
	put16(f, t->sport);
	put16(f, t->dport);
	put32(f, t->seq);
	put32(f, t->ack);
	put8(f, (unsigned)((20 + t->optlen) / 4) << 4);	/* data offset */
	put8(f, t->flags);
	put16(f, t->win);
	put16(f, 0);			/* checksum: not checked */
	put16(f, t->urp);
	if (t->optlen)
		put(f, t->opt, t->optlen);
	if (t->dlen)
		put(f, t->data, t->dlen);
}

/* The IPv4 header (RFC 791) for l4 bytes of protocol proto. */
static void
put_ipv4(struct frame *f, unsigned proto, size_t l4, unsigned fragword)
{
	put8(f, 0x45);			/* version 4, IHL 5 */
	put8(f, 0);
	put16(f, (unsigned)(20 + l4));	/* total length */
	put16(f, 0x1234);		/* identification */
	put16(f, fragword);		/* flags, fragment offset */
	put8(f, 64);			/* TTL */
	put8(f, proto);
	put16(f, 0);			/* checksum: not checked */
	put32(f, 0x7f000001);		/* 127.0.0.1 */
	put32(f, 0x7f000002);		/* 127.0.0.2 */
}

/* The IPv6 header (RFC 8200): ::1 to ::2, payload bytes after it. */
static void
put_ipv6(struct frame *f, unsigned next, size_t payload)
{
	int i;

	put32(f, 0x60000000);		/* version 6, class, flow label */
	put16(f, (unsigned)payload);
	put8(f, next);
	put8(f, 64);			/* hop limit */
	for (i = 0; i < 15; i++)
		put8(f, 0);
	put8(f, 1);
	for (i = 0; i < 15; i++)
		put8(f, 0);
	put8(f, 2);
}

/* The link header of dlt before an IP packet of version v. */
static void
put_link(struct frame *f, int dlt, int v)
{
	static const unsigned char mac[12] = {
		0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2 };
	unsigned type = v == 4 ? 0x0800 : 0x86dd;
	int i;

	switch (dlt) {
	case DLT_EN10MB:
		put(f, mac, sizeof mac);
		put16(f, type);
		break;
	case DLT_LINUX_SLL:
		put16(f, 0);		/* packet type: to us */
		put16(f, 772);		/* ARPHRD_LOOPBACK */
		put16(f, 6);		/* address length */
		for (i = 0; i < 8; i++)
			put8(f, 0);
		put16(f, type);
		break;
	case DLT_LINUX_SLL2:
		put16(f, type);
		put16(f, 0);		/* reserved */
		put32(f, 1);		/* interface index */
		put16(f, 772);
		put8(f, 0);
		put8(f, 6);
		for (i = 0; i < 8; i++)
			put8(f, 0);
		break;
	case DLT_NULL:			/* the family, in this host's order */
		{
			uint32_t fam = v == 4 ? AF_INET : AF_INET6;

			put(f, &fam, 4);
		}
		break;
	case DLT_LOOP:			/* the family, network order */
		put32(f, v == 4 ? 2 : 24);
		break;
	default:			/* raw IP: nothing before it */
		break;
	}
}

/* The SYN options Linux sends: MSS, SACK permitted, timestamps, WS 7. */
static const unsigned char syn_opts[20] = {
	2, 4, 0xff, 0xd7,		/* MSS 65495 */
	4, 2,				/* SACK permitted */
	8, 10, 0, 0, 0x12, 0x34, 0, 0, 0, 0,	/* TSval 0x1234, TSecr 0 */
	1,				/* NOP */
	3, 3, 7,			/* window scale 7 */
};

static const struct tcp syn = {
	.sport = 46321, .dport = 5555, .seq = 0xdeadbeef, .ack = 0,
	.flags = WIRE_SYN, .win = 65495, .opt = syn_opts,
	.optlen = sizeof syn_opts,
};

static const struct tcp data = {
	.sport = 5555, .dport = 46321, .seq = 1000, .ack = 2000,
	.flags = WIRE_PSH | WIRE_ACK, .win = 512,
	.data = "Hello, World! and more", .dlen = 22,
};

/* A whole frame: link header, IP, TCP. */
static void
build(struct frame *f, int dlt, int v, const struct tcp *t)
{
	size_t l4 = 20 + t->optlen + t->dlen;

	f->n = 0;
	put_link(f, dlt, v);
	if (v == 4)
		put_ipv4(f, 6, l4, 0x4000);	/* Don't Fragment */
	else
		put_ipv6(f, 6, l4);
	put_tcp(f, t);
}

static unsigned
port_of(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)ss)->sin_port);
	return ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
}

static void
check_addrs(const struct wire_seg *s, int v)
{
	char a[INET6_ADDRSTRLEN];

	if (v == 4) {
		assert_int_equal(s->src.ss_family, AF_INET);
		assert_int_equal(s->dst.ss_family, AF_INET);
		inet_ntop(AF_INET, &((const struct sockaddr_in *)&s->src)->
		    sin_addr, a, sizeof a);
		assert_string_equal(a, "127.0.0.1");
		inet_ntop(AF_INET, &((const struct sockaddr_in *)&s->dst)->
		    sin_addr, a, sizeof a);
		assert_string_equal(a, "127.0.0.2");
	} else {
		assert_int_equal(s->src.ss_family, AF_INET6);
		assert_int_equal(s->dst.ss_family, AF_INET6);
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)&s->src)->
		    sin6_addr, a, sizeof a);
		assert_string_equal(a, "::1");
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)&s->dst)->
		    sin6_addr, a, sizeof a);
		assert_string_equal(a, "::2");
	}
}

/* The fields of data as decoded. */
static void
check_data(const struct wire_seg *s, int v)
{
	check_addrs(s, v);
	assert_int_equal(port_of(&s->src), 5555);
	assert_int_equal(port_of(&s->dst), 46321);
	assert_int_equal(s->seq, 1000);
	assert_int_equal(s->ack, 2000);
	assert_int_equal(s->flags, WIRE_PSH | WIRE_ACK);
	assert_int_equal(s->win, 512);
	assert_int_equal(s->len, 22);
	assert_int_equal(s->caplen, 22);
	assert_memory_equal(s->payload, "Hello, World! an", WIRE_PAYLOAD);
	assert_int_equal(s->mss, -1);
	assert_int_equal(s->wscale, -1);
	assert_int_equal(s->sack_ok, 0);
	assert_int_equal(s->ts, 0);
	assert_int_equal(s->bad_opts, 0);
	assert_int_equal(s->tv.tv_sec, 0);
	assert_int_equal(s->tv.tv_usec, 0);
}

static void
check_syn(const struct wire_seg *s, int v)
{
	check_addrs(s, v);
	assert_int_equal(port_of(&s->src), 46321);
	assert_int_equal(port_of(&s->dst), 5555);
	assert_int_equal(s->seq, 0xdeadbeef);
	assert_int_equal(s->flags, WIRE_SYN);
	assert_int_equal(s->win, 65495);
	assert_int_equal(s->len, 0);
	assert_int_equal(s->caplen, 0);
	assert_int_equal(s->mss, 65495);
	assert_int_equal(s->wscale, 7);
	assert_int_equal(s->sack_ok, 1);
	assert_int_equal(s->nsack, 0);
	assert_int_equal(s->ts, 1);
	assert_int_equal(s->tsval, 0x1234);
	assert_int_equal(s->tsecr, 0);
	assert_int_equal(s->bad_opts, 0);
}

/*
 * A SYN as Linux's lo really carried it (tcpdump -i lo -w, Python
 * connecting to 127.0.0.1:47123): Ethernet with zero addresses, IPv4 with
 * Don't Fragment, MSS 65495, SACK permitted, timestamps, NOP, WS 10.
 */
static void
test_real_lo_syn(void **state)
{
	static const unsigned char frame[] = {
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x08, 0x00, 0x45, 0x00, 0x00, 0x3c, 0xbc, 0xe1,
		0x40, 0x00, 0x40, 0x06, 0x7f, 0xd8, 0x7f, 0x00, 0x00, 0x01,
		0x7f, 0x00, 0x00, 0x01, 0xbc, 0x52, 0xb8, 0x13, 0xf3, 0x5d,
		0x19, 0x86, 0x00, 0x00, 0x00, 0x00, 0xa0, 0x02, 0xff, 0xd7,
		0xfe, 0x30, 0x00, 0x00, 0x02, 0x04, 0xff, 0xd7, 0x04, 0x02,
		0x08, 0x0a, 0xce, 0x48, 0x4e, 0xa4, 0x00, 0x00, 0x00, 0x00,
		0x01, 0x03, 0x03, 0x0a,
	};
	struct wire_seg s;
	char a[INET_ADDRSTRLEN], fl[40];

	(void)state;
	assert_int_equal(decode(DLT_EN10MB, frame, sizeof frame, &s), 0);
	assert_int_equal(s.src.ss_family, AF_INET);
	inet_ntop(AF_INET, &((struct sockaddr_in *)&s.src)->sin_addr, a,
	    sizeof a);
	assert_string_equal(a, "127.0.0.1");
	assert_int_equal(port_of(&s.src), 48210);
	assert_int_equal(port_of(&s.dst), 47123);
	assert_int_equal(s.seq, 0xf35d1986);
	assert_int_equal(s.ack, 0);
	assert_string_equal(wire_flags_name(s.flags, fl, sizeof fl), "SYN");
	assert_int_equal(s.win, 65495);
	assert_int_equal(s.len, 0);
	assert_int_equal(s.mss, 65495);
	assert_int_equal(s.wscale, 10);
	assert_int_equal(s.sack_ok, 1);
	assert_int_equal(s.ts, 1);
	assert_int_equal(s.tsval, 0xce484ea4);
	assert_int_equal(s.tsecr, 0);
	assert_int_equal(s.bad_opts, 0);
}

/* The same SYN and data segment under every link type, IPv4 and IPv6. */
static void
test_link_types(void **state)
{
	static const int dlts[] = {
		DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_RAW, 101,
		DLT_NULL, DLT_LOOP,
	};
	struct frame f;
	struct wire_seg s;
	size_t i;
	int v;

	(void)state;
	for (i = 0; i < sizeof dlts / sizeof dlts[0]; i++) {
		for (v = 4; v <= 6; v += 2) {
			build(&f, dlts[i], v, &syn);
			assert_int_equal(decode(dlts[i], f.b, f.n, &s), 0);
			check_syn(&s, v);
			build(&f, dlts[i], v, &data);
			assert_int_equal(decode(dlts[i], f.b, f.n, &s), 0);
			check_data(&s, v);
		}
	}
	/* DLT_IPV4 and DLT_IPV6: raw IP of that version only. */
	build(&f, DLT_RAW, 4, &data);
	assert_int_equal(decode(DLT_IPV4, f.b, f.n, &s), 0);
	check_data(&s, 4);
	assert_int_equal(decode(DLT_IPV6, f.b, f.n, &s), -1);
	build(&f, DLT_RAW, 6, &data);
	assert_int_equal(decode(DLT_IPV6, f.b, f.n, &s), 0);
	check_data(&s, 6);
	assert_int_equal(decode(DLT_IPV4, f.b, f.n, &s), -1);
	/* A link type not decoded. */
	assert_int_equal(decode(DLT_IEEE802_11, f.b, f.n, &s), -1);
}

/* DLT_NULL from a machine of the other byte order, and a BSD's AF_INET6. */
static void
test_null_byte_orders(void **state)
{
	struct frame f;
	struct wire_seg s;
	uint32_t fam;
	int v;

	(void)state;
	for (v = 4; v <= 6; v += 2) {
		build(&f, DLT_LOOP, v, &data);	/* big-endian family */
		assert_int_equal(decode(DLT_NULL, f.b, f.n, &s), 0);
		check_data(&s, v);
		f.b[0] = f.b[3];		/* little-endian family */
		f.b[3] = 0;
		assert_int_equal(decode(DLT_NULL, f.b, f.n, &s), 0);
		check_data(&s, v);
		/* DLT_LOOP is network order only. */
		assert_int_equal(decode(DLT_LOOP, f.b, f.n, &s), -1);
	}
	fam = 17;			/* AF_NETLINK: not IP */
	memcpy(f.b, &fam, 4);
	assert_int_equal(decode(DLT_NULL, f.b, f.n, &s), -1);
}

/* 802.1Q and 802.1ad tags before the EtherType, on Ethernet and SLL. */
static void
test_vlan(void **state)
{
	static const unsigned char mac[12];
	struct frame f;
	struct wire_seg s;
	int tags, t;

	(void)state;
	for (tags = 1; tags <= 3; tags++) {
		f.n = 0;
		put(&f, mac, sizeof mac);
		for (t = 0; t < tags; t++) {
			put16(&f, t == 0 && tags > 1 ? 0x88a8 : 0x8100);
			put16(&f, 100 + (unsigned)t);	/* VLAN id */
		}
		put16(&f, 0x0800);
		put_ipv4(&f, 6, 20 + data.dlen, 0);
		put_tcp(&f, &data);
		/* Two tags (802.1ad outer, 802.1Q inner) at most. */
		assert_int_equal(decode(DLT_EN10MB, f.b, f.n, &s),
		    tags <= 2 ? 0 : -1);
		if (tags <= 2)
			check_data(&s, 4);
	}
	/* libpcap puts a tag it took from the kernel after SLL's header. */
	f.n = 0;
	put_link(&f, DLT_LINUX_SLL, 6);
	f.n -= 2;
	put16(&f, 0x8100);
	put16(&f, 7);
	put16(&f, 0x86dd);
	put_ipv6(&f, 6, 20 + data.dlen);
	put_tcp(&f, &data);
	assert_int_equal(decode(DLT_LINUX_SLL, f.b, f.n, &s), 0);
	check_data(&s, 6);
}

/* Not TCP: UDP, ICMP, ICMPv6, ARP, 802.3 lengths, IPv6's "no next". */
static void
test_not_tcp(void **state)
{
	static const unsigned char mac[12];
	struct frame f;
	struct wire_seg s;
	int i;

	(void)state;
	f.n = 0;
	put_link(&f, DLT_EN10MB, 4);
	put_ipv4(&f, 17, 28, 0);		/* UDP */
	for (i = 0; i < 28; i++)
		put8(&f, 0);
	f.b[14 + 20 + 12] = 0x50;	/* a TCP data offset, were it TCP */
	assert_int_equal(decode(DLT_EN10MB, f.b, f.n, &s), -1);
	f.b[14 + 9] = 1;			/* ICMP */
	assert_int_equal(decode(DLT_EN10MB, f.b, f.n, &s), -1);
	f.b[14 + 9] = 6;			/* TCP: it was a good frame */
	assert_int_equal(decode(DLT_EN10MB, f.b, f.n, &s), 0);
	f.b[12] = 0x08;				/* ARP */
	f.b[13] = 0x06;
	assert_int_equal(decode(DLT_EN10MB, f.b, f.n, &s), -1);
	f.b[12] = 0x00;				/* an 802.3 length */
	f.b[13] = 0x40;
	assert_int_equal(decode(DLT_EN10MB, f.b, f.n, &s), -1);

	/* ARP as it is: hardware type ... target address, 28 bytes. */
	f.n = 0;
	put(&f, mac, sizeof mac);
	put16(&f, 0x0806);
	for (i = 0; i < 28; i++)
		put8(&f, i);
	assert_int_equal(decode(DLT_EN10MB, f.b, f.n, &s), -1);

	for (i = 0; i < 3; i++) {
		static const unsigned next[] = { 58, 17, 59 };

		f.n = 0;
		put_ipv6(&f, next[i], 40);
		for (int j = 0; j < 40; j++)
			put8(&f, 0);
		assert_int_equal(decode(DLT_RAW, f.b, f.n, &s), -1);
	}
	/* Raw IP of no version we know. */
	build(&f, DLT_RAW, 4, &data);
	f.b[0] = 0x55;
	assert_int_equal(decode(DLT_RAW, f.b, f.n, &s), -1);
	/* An unsuccessful decode leaves nothing behind. */
	assert_int_equal(s.src.ss_family, 0);
	assert_int_equal(s.len, 0);
}

/* Decode a SYN whose options are opt (a multiple of 4 bytes). */
static int
with_opts(const unsigned char *opt, size_t n, struct wire_seg *s)
{
	struct tcp t = syn;
	struct frame f;

	t.opt = opt;
	t.optlen = n;
	build(&f, DLT_EN10MB, 4, &t);
	return decode(DLT_EN10MB, f.b, f.n, s);
}

/* Each option alone, and the edges of their values. */
static void
test_options(void **state)
{
	static const unsigned char mss[] = { 2, 4, 0x05, 0xb4 };
	static const unsigned char ws14[] = { 3, 3, 14, 0 };
	static const unsigned char ws15[] = { 1, 3, 3, 15 };
	static const unsigned char ws255[] = { 3, 3, 255, 0 };
	static const unsigned char sackok[] = { 1, 1, 4, 2 };
	static const unsigned char ts[] = { 1, 1, 8, 10, 0xff, 0xff, 0xff,
		0xfe, 0x80, 0, 0, 1 };
	static const unsigned char eol[] = { 0, 2, 4, 0x05, 0xb4, 0, 0, 0 };
	/* MPTCP's kind 30 and an experimental 254: skipped, not bad. */
	static const unsigned char unknown[] = { 30, 4, 0x10, 0, 254, 4,
		0xf9, 0x89, 2, 4, 0x05, 0xb4 };
	unsigned char sack[40];
	struct wire_seg s;
	int n, i;

	(void)state;
	assert_int_equal(with_opts(mss, sizeof mss, &s), 0);
	assert_int_equal(s.mss, 1460);
	assert_int_equal(s.wscale, -1);
	assert_int_equal(s.sack_ok, 0);
	assert_int_equal(s.ts, 0);
	assert_int_equal(with_opts(ws14, sizeof ws14, &s), 0);
	assert_int_equal(s.wscale, 14);
	/* RFC 7323 2.3: a shift over 14 is taken as 14. */
	assert_int_equal(with_opts(ws15, sizeof ws15, &s), 0);
	assert_int_equal(s.wscale, 14);
	assert_int_equal(with_opts(ws255, sizeof ws255, &s), 0);
	assert_int_equal(s.wscale, 14);
	assert_int_equal(s.mss, -1);
	assert_int_equal(with_opts(sackok, sizeof sackok, &s), 0);
	assert_int_equal(s.sack_ok, 1);
	assert_int_equal(with_opts(ts, sizeof ts, &s), 0);
	assert_int_equal(s.ts, 1);
	assert_int_equal(s.tsval, 0xfffffffe);
	assert_int_equal(s.tsecr, 0x80000001);
	/* After End of Option List nothing is read. */
	assert_int_equal(with_opts(eol, sizeof eol, &s), 0);
	assert_int_equal(s.mss, -1);
	assert_int_equal(s.bad_opts, 0);
	assert_int_equal(with_opts(unknown, sizeof unknown, &s), 0);
	assert_int_equal(s.mss, 1460);
	assert_int_equal(s.bad_opts, 0);
	/* SACK blocks, 1 to 4 (4 fill the 40 bytes with two NOPs). */
	for (n = 1; n <= 4; n++) {
		memset(sack, 1, sizeof sack);
		sack[2] = 5;
		sack[3] = (unsigned char)(2 + 8 * n);
		for (i = 0; i < 8 * n; i++)
			sack[4 + i] = (unsigned char)i;
		assert_int_equal(with_opts(sack, (size_t)(4 + 8 * n + 3) & ~3u,
		    &s), 0);
		assert_int_equal(s.nsack, n);
		assert_int_equal(s.bad_opts, 0);
	}
}

/* Options that lie: the walk stops, bad_opts set, what was read kept. */
static void
test_options_bad(void **state)
{
	static const unsigned char nops[40] = {
		1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
		1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 };
	static const unsigned char zero[] = { 2, 4, 0x05, 0xb4, 30, 0, 3, 3,
		7, 1, 1, 1 };
	static const unsigned char one[] = { 4, 2, 30, 1, 2, 4, 5, 0xb4 };
	static const unsigned char past[] = { 2, 4, 0x05, 0xb4, 8, 10, 0, 0 };
	static const unsigned char nolen[] = { 1, 1, 1, 2 };
	static const unsigned char mss3[] = { 3, 3, 5, 2, 3, 5, 0xb4, 0 };
	static const unsigned char ws4[] = { 3, 4, 5, 0 };
	static const unsigned char sackok3[] = { 4, 3, 0, 0 };
	static const unsigned char sack9[] = { 5, 9, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 0 };
	static const unsigned char sack2[] = { 5, 2, 1, 1 };
	static const unsigned char ts8[] = { 8, 8, 0, 0, 0, 1, 0, 0 };
	unsigned char full[40];
	struct wire_seg s;

	(void)state;
	/* 40 bytes of No-Operation: a full header with nothing in it. */
	assert_int_equal(with_opts(nops, sizeof nops, &s), 0);
	assert_int_equal(s.bad_opts, 0);
	assert_int_equal(s.mss, -1);
	assert_int_equal(s.wscale, -1);
	/* A zero-length option: MSS before it kept, WS after it not read. */
	assert_int_equal(with_opts(zero, sizeof zero, &s), 0);
	assert_int_equal(s.bad_opts, 1);
	assert_int_equal(s.mss, 1460);
	assert_int_equal(s.wscale, -1);
	assert_int_equal(with_opts(one, sizeof one, &s), 0);
	assert_int_equal(s.bad_opts, 1);
	assert_int_equal(s.sack_ok, 1);
	assert_int_equal(s.mss, -1);
	/* Timestamps running past the header's end. */
	assert_int_equal(with_opts(past, sizeof past, &s), 0);
	assert_int_equal(s.bad_opts, 1);
	assert_int_equal(s.mss, 1460);
	assert_int_equal(s.ts, 0);
	/* The last byte a kind with no room for its length. */
	assert_int_equal(with_opts(nolen, sizeof nolen, &s), 0);
	assert_int_equal(s.bad_opts, 1);
	/* Each known kind with a length not its own. */
	assert_int_equal(with_opts(mss3, sizeof mss3, &s), 0);
	assert_int_equal(s.bad_opts, 1);
	assert_int_equal(s.wscale, 5);
	assert_int_equal(s.mss, -1);
	assert_int_equal(with_opts(ws4, sizeof ws4, &s), 0);
	assert_int_equal(s.bad_opts, 1);
	assert_int_equal(s.wscale, -1);
	assert_int_equal(with_opts(sackok3, sizeof sackok3, &s), 0);
	assert_int_equal(s.bad_opts, 1);
	assert_int_equal(s.sack_ok, 0);
	assert_int_equal(with_opts(sack9, sizeof sack9, &s), 0);
	assert_int_equal(s.bad_opts, 1);
	assert_int_equal(s.nsack, 0);
	assert_int_equal(with_opts(sack2, sizeof sack2, &s), 0);
	assert_int_equal(s.bad_opts, 1);
	assert_int_equal(with_opts(ts8, sizeof ts8, &s), 0);
	assert_int_equal(s.bad_opts, 1);
	assert_int_equal(s.ts, 0);
	/* One option claiming 255 bytes in a 40-byte space. */
	memset(full, 0, sizeof full);
	full[0] = 99;
	full[1] = 255;
	assert_int_equal(with_opts(full, sizeof full, &s), 0);
	assert_int_equal(s.bad_opts, 1);
}

/*
 * Every prefix of a valid frame: shorter than the end of the TCP header
 * (options included) it is -1; from there on it decodes, the payload's
 * length from the IP header and its captured part from the prefix.
 */
static void
cut_everywhere(int dlt, const struct frame *f, size_t hdr_end,
    uint32_t len)
{
	struct wire_seg s;
	size_t n;

	for (n = 0; n <= f->n; n++) {
		if (n < hdr_end) {
			if (decode(dlt, f->b, n, &s) != -1)
				fail_msg("dlt %d: %zu of %zu bytes decoded", dlt,
				    n, f->n);
			continue;
		}
		assert_int_equal(decode(dlt, f->b, n, &s), 0);
		assert_int_equal(s.len, len);
		assert_int_equal(s.caplen, n - hdr_end);
		assert_true(s.caplen <= s.len);
	}
}

static void
test_truncated(void **state)
{
	static const int dlts[] = {
		DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_RAW, DLT_NULL,
	};
	static const size_t linklen[] = { 14, 16, 20, 0, 4 };
	struct tcp t = data;
	struct frame f;
	size_t i;
	int v;

	(void)state;
	t.opt = syn_opts;
	t.optlen = sizeof syn_opts;
	for (i = 0; i < sizeof dlts / sizeof dlts[0]; i++) {
		for (v = 4; v <= 6; v += 2) {
			build(&f, dlts[i], v, &t);
			cut_everywhere(dlts[i], &f, linklen[i] +
			    (v == 4 ? 20 : 40) + 40, 22);
		}
	}
}

/* An IPv6 packet with hop-by-hop, routing and destination options. */
static void
build_ipv6_ext(struct frame *f, const struct tcp *t)
{
	size_t l4 = 20 + t->optlen + t->dlen;
	int i;

	f->n = 0;
	put_ipv6(f, 0, 8 + 24 + 16 + 8 + l4);
	/* Hop-by-hop: next routing, 8 bytes, PadN. */
	put8(f, 43);
	put8(f, 0);
	put8(f, 1);
	put8(f, 4);
	put32(f, 0);
	/* Routing: next destination options, 24 bytes, segments left 0. */
	put8(f, 60);
	put8(f, 2);
	put8(f, 0);
	put8(f, 0);
	for (i = 0; i < 20; i++)
		put8(f, 0);
	/* Destination options: next fragment, 16 bytes. */
	put8(f, 44);
	put8(f, 1);
	put8(f, 1);
	put8(f, 12);
	for (i = 0; i < 12; i++)
		put8(f, 0);
	/* Fragment: first fragment, more to come. */
	put8(f, 6);
	put8(f, 0);
	put16(f, 0x0001);		/* offset 0, M set */
	put32(f, 0xabcd);
	put_tcp(f, t);
}

/*
 * IPv6 then a chain of n destination options headers (8 bytes each, a
 * PadN option filling each), then t.
 */
static void
build_ipv6_dstopts(struct frame *f, int n, const struct tcp *t)
{
	int i;

	f->n = 0;
	put_ipv6(f, 60, n * 8 + 20 + t->dlen);
	for (i = 0; i < n; i++) {
		put8(f, i < n - 1 ? 60 : 6);
		put8(f, 0);
		put8(f, 1);
		put8(f, 4);
		put32(f, 0);
	}
	put_tcp(f, t);
}

static void
test_ipv6_extension_headers(void **state)
{
	struct frame f;
	struct wire_seg s;
	size_t ext = 8 + 24 + 16 + 8;
	int i;

	(void)state;
	build_ipv6_ext(&f, &data);
	assert_int_equal(decode(DLT_RAW, f.b, f.n, &s), 0);
	check_data(&s, 6);
	cut_everywhere(DLT_RAW, &f, 40 + ext + 20, 22);
	/* A later fragment (offset 8 units) holds no TCP header. */
	f.b[40 + 48 + 2] = 0x00;
	f.b[40 + 48 + 3] = 0x08;
	assert_int_equal(decode(DLT_RAW, f.b, f.n, &s), -1);
	/* A payload length ending inside the extension headers. */
	build_ipv6_ext(&f, &data);
	f.b[4] = 0;
	f.b[5] = 30;
	assert_int_equal(decode(DLT_RAW, f.b, f.n, &s), -1);
	/* Payload length 0: a jumbogram, not decoded. */
	f.b[5] = 0;
	assert_int_equal(decode(DLT_RAW, f.b, f.n, &s), -1);
	/* A chain of destination options longer than any real one. */
	build_ipv6_dstopts(&f, 9, &data);
	assert_int_equal(decode(DLT_RAW, f.b, f.n, &s), -1);
	/* Hop-by-hop options of 24 bytes right before TCP, cut anywhere. */
	f.n = 0;
	put_ipv6(&f, 0, 24 + 20 + data.dlen);
	put8(&f, 6);
	put8(&f, 2);
	put8(&f, 1);
	put8(&f, 20);
	for (i = 0; i < 20; i++)
		put8(&f, 0);
	put_tcp(&f, &data);
	cut_everywhere(DLT_RAW, &f, 40 + 24 + 20, 22);
	/* Its payload length ending inside it, or inside the TCP header. */
	f.b[5] = 23;
	assert_int_equal(decode(DLT_RAW, f.b, f.n, &s), -1);
	f.b[5] = 24 + 19;
	assert_int_equal(decode(DLT_RAW, f.b, f.n, &s), -1);
	/* Eight of them pass. */
	build_ipv6_dstopts(&f, 8, &data);
	assert_int_equal(decode(DLT_RAW, f.b, f.n, &s), 0);
	check_data(&s, 6);
}

/* IPv4 with options (IHL over 5), and IHL values that lie. */
static void
test_ipv4_header(void **state)
{
	struct frame f;
	struct wire_seg s;
	size_t l4 = 20 + data.dlen;

	(void)state;
	/* Router Alert (RFC 2113) and padding: IHL 7. */
	f.n = 0;
	put_ipv4(&f, 6, l4 + 8, 0);
	f.b[0] = 0x47;
	put32(&f, 0x94040000);
	put32(&f, 0x01010100);		/* NOP NOP NOP EOL */
	put_tcp(&f, &data);
	assert_int_equal(decode(DLT_RAW, f.b, f.n, &s), 0);
	check_data(&s, 4);
	cut_everywhere(DLT_RAW, &f, 28 + 20, 22);
	/* IHL under 5. */
	f.b[0] = 0x44;
	assert_int_equal(decode(DLT_RAW, f.b, f.n, &s), -1);
	/* IHL 15: 60 bytes of header, reaching into the TCP header. */
	f.b[0] = 0x4f;
	assert_int_equal(decode(DLT_RAW, f.b, 59, &s), -1);
	/* Version 6 in an IPv4-only link type. */
	f.b[0] = 0x67;
	assert_int_equal(decode(DLT_IPV4, f.b, f.n, &s), -1);
}

/* Fragments: the first, whole TCP header, decodes; the others are -1. */
static void
test_ipv4_fragments(void **state)
{
	struct frame f;
	struct wire_seg s;

	(void)state;
	f.n = 0;
	put_ipv4(&f, 6, 20 + data.dlen, 0x2000);	/* MF, offset 0 */
	put_tcp(&f, &data);
	assert_int_equal(decode(DLT_RAW, f.b, f.n, &s), 0);
	check_data(&s, 4);
	f.b[7] = 3;					/* offset 24 bytes */
	assert_int_equal(decode(DLT_RAW, f.b, f.n, &s), -1);
	f.b[6] = 0;					/* the last one */
	assert_int_equal(decode(DLT_RAW, f.b, f.n, &s), -1);
	/* A first fragment too short for the TCP header (total 20 + 16). */
	f.n = 0;
	put_ipv4(&f, 6, 16, 0x2000);
	put_tcp(&f, &data);
	assert_int_equal(decode(DLT_RAW, f.b, f.n, &s), -1);
}

/* Lengths that lie, and captured bytes past the IP datagram. */
static void
test_lengths(void **state)
{
	struct frame f;
	struct wire_seg s;
	int v;

	(void)state;
	for (v = 4; v <= 6; v += 2) {
		size_t ip = v == 4 ? 14 + 2 : 14 + 4;	/* length field */
		unsigned hdrs = v == 4 ? 40 : 20;	/* IP length counts */

		/* Larger than captured: len from IP, caplen captured. */
		build(&f, DLT_EN10MB, v, &data);
		f.b[ip] = 0x05;
		f.b[ip + 1] = 0xdc - (v == 4 ? 0 : 20);	/* 1500 packet */
		assert_int_equal(decode(DLT_EN10MB, f.b, f.n, &s), 0);
		assert_int_equal(s.len, 1500 - 40);
		assert_int_equal(s.caplen, 22);
		assert_memory_equal(s.payload, "Hello, World! an", 16);
		/* Smaller than captured: Ethernet padding is not payload. */
		build(&f, DLT_EN10MB, v, &data);
		f.b[ip] = 0;
		f.b[ip + 1] = (unsigned char)(hdrs + 5);
		assert_int_equal(decode(DLT_EN10MB, f.b, f.n, &s), 0);
		assert_int_equal(s.len, 5);
		assert_int_equal(s.caplen, 5);
		assert_memory_equal(s.payload, "Hello\0\0\0\0\0\0\0\0\0\0\0", 16);
		/* Exactly the headers: no payload. */
		f.b[ip + 1] = (unsigned char)hdrs;
		assert_int_equal(decode(DLT_EN10MB, f.b, f.n, &s), 0);
		assert_int_equal(s.len, 0);
		assert_int_equal(s.caplen, 0);
		/* Smaller than the headers: -1. */
		f.b[ip + 1] = (unsigned char)(hdrs - 1);
		assert_int_equal(decode(DLT_EN10MB, f.b, f.n, &s), -1);
		f.b[ip + 1] = v == 4 ? 19 : 0;
		assert_int_equal(decode(DLT_EN10MB, f.b, f.n, &s), -1);
		/* Room for 20 bytes of TCP, but its header has 40. */
		build(&f, DLT_EN10MB, v, &syn);
		f.b[ip + 1] = (unsigned char)(hdrs - 20 + 30);
		assert_int_equal(decode(DLT_EN10MB, f.b, f.n, &s), -1);
		f.b[ip + 1] = (unsigned char)(hdrs + 20);
		assert_int_equal(decode(DLT_EN10MB, f.b, f.n, &s), 0);
		check_syn(&s, v);
	}
}

/* TCP data offsets that are not headers, and the urgent pointer. */
static void
test_tcp_header(void **state)
{
	struct tcp t = data;
	struct frame f;
	struct wire_seg s;
	size_t doff = 14 + 20 + 12;
	unsigned d;

	(void)state;
	t.flags = WIRE_URG | WIRE_ACK | WIRE_PSH | WIRE_ECE | WIRE_CWR;
	t.urp = 13;
	build(&f, DLT_EN10MB, 4, &t);
	assert_int_equal(decode(DLT_EN10MB, f.b, f.n, &s), 0);
	assert_int_equal(s.flags, t.flags);
	assert_int_equal(s.urp, 13);
	/* Data offset under 5 words. */
	for (d = 0; d < 5; d++) {
		f.b[doff] = (unsigned char)(d << 4);
		assert_int_equal(decode(DLT_EN10MB, f.b, f.n, &s), -1);
	}
	/* Data offset 15 words: past the 42 bytes of TCP there are. */
	f.b[doff] = 0xf0;
	assert_int_equal(decode(DLT_EN10MB, f.b, f.n, &s), -1);
	/* 10 words: 40 bytes of header, options read from the payload. */
	f.b[doff] = 0xa0;
	assert_int_equal(decode(DLT_EN10MB, f.b, f.n, &s), 0);
	assert_int_equal(s.len, 2);
	/* The reserved bits (and AccECN's AE) are not flags. */
	f.b[doff] = 0x5f;
	assert_int_equal(decode(DLT_EN10MB, f.b, f.n, &s), 0);
	assert_int_equal(s.len, 22);
}

/* The payload copy: at most WIRE_PAYLOAD bytes, never past the capture. */
static void
test_payload(void **state)
{
	struct tcp t = data;
	struct frame f;
	struct wire_seg s;
	size_t n;

	(void)state;
	t.data = "abc";
	t.dlen = 3;
	build(&f, DLT_EN10MB, 6, &t);
	memset(&s, 0x55, sizeof s);
	assert_int_equal(decode(DLT_EN10MB, f.b, f.n, &s), 0);
	assert_int_equal(s.len, 3);
	assert_memory_equal(s.payload, "abc\0\0\0\0\0\0\0\0\0\0\0\0\0", 16);
	assert_int_equal(s.tv.tv_sec, 0);
	/* A snaplen cutting the payload: only the bytes there. */
	t.data = "0123456789abcdefghij";
	t.dlen = 20;
	build(&f, DLT_EN10MB, 4, &t);
	for (n = 0; n <= 20; n++) {
		assert_int_equal(decode(DLT_EN10MB, f.b, 54 + n, &s), 0);
		assert_int_equal(s.len, 20);
		assert_int_equal(s.caplen, n);
		assert_memory_equal(s.payload, t.data,
		    n < WIRE_PAYLOAD ? n : WIRE_PAYLOAD);
	}
}

static void
test_flags_name(void **state)
{
	char buf[64], small[8];

	(void)state;
	assert_string_equal(wire_flags_name(WIRE_SYN | WIRE_ACK, buf,
	    sizeof buf), "SYN, ACK");
	assert_string_equal(wire_flags_name(WIRE_PSH | WIRE_ACK, buf,
	    sizeof buf), "PSH, ACK");
	assert_string_equal(wire_flags_name(WIRE_FIN | WIRE_ACK, buf,
	    sizeof buf), "FIN, ACK");
	assert_string_equal(wire_flags_name(0, buf, sizeof buf), "none");
	assert_string_equal(wire_flags_name(0xff, buf, sizeof buf),
	    "URG, SYN, FIN, RST, PSH, ACK, ECE, CWR");
	/* A small buffer: whole names only. */
	assert_string_equal(wire_flags_name(0xff, small, sizeof small),
	    "URG");
	/* No room for even one: empty, never "no" cut from "none". */
	assert_string_equal(wire_flags_name(WIRE_SYN, small, 3), "");
	assert_string_equal(wire_flags_name(0, small, 3), "no");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_lo_syn),
		cmocka_unit_test(test_link_types),
		cmocka_unit_test(test_null_byte_orders),
		cmocka_unit_test(test_vlan),
		cmocka_unit_test(test_not_tcp),
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_options_bad),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_ipv6_extension_headers),
		cmocka_unit_test(test_ipv4_header),
		cmocka_unit_test(test_ipv4_fragments),
		cmocka_unit_test(test_lengths),
		cmocka_unit_test(test_tcp_header),
		cmocka_unit_test(test_payload),
		cmocka_unit_test(test_flags_name),
	};

	return cmocka_run_group_tests_name("decode", tests, NULL, NULL);
}
