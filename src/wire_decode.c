/*
 * wire_decode.c - a captured frame's bytes to a TCP segment: the link
 * header, IPv4 or IPv6, the TCP header and its options. Network bytes are
 * untrusted: every length is checked against what was captured, and the
 * decoder makes no system call, so the fuzzer can run it alone.
 */
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "wire.h"

/* The link types a capture may hand us: DLT_ values, see wire.h. */
/* The number pcap files use for raw IP (LINKTYPE_RAW); DLT_RAW is 12. */
#define WIRE_LINKTYPE_RAW	101

/* EtherType values (IEEE 802.3): what the link header says comes next. */
#define ETHERTYPE_IPV4	0x0800
#define ETHERTYPE_IPV6	0x86dd
#define ETHERTYPE_VLAN	0x8100		/* IEEE 802.1Q tag */
#define ETHERTYPE_QINQ	0x88a8		/* IEEE 802.1ad outer tag */
/* Tags a frame may stack (802.1ad: an outer and an inner): more is junk. */
#define WIRE_MAX_VLANS	2

/* IP protocol numbers (IANA), in IPv4's Protocol and IPv6's Next Header. */
#define IPPROTO_NUM_HOPOPTS	0
#define IPPROTO_NUM_TCP		6
#define IPPROTO_NUM_ROUTING	43
#define IPPROTO_NUM_FRAGMENT	44
#define IPPROTO_NUM_DSTOPTS	60
/*
 * IPv6 extension headers walked before giving up. RFC 8200 allows each
 * kind once (destination options twice); a longer chain is a forgery.
 */
#define WIRE_MAX_EXTHDRS	8

/* TCP option kinds (IANA; RFC 9293, RFC 7323, RFC 2018). */
#define TCPOPT_NUM_EOL		0
#define TCPOPT_NUM_NOP		1
#define TCPOPT_NUM_MSS		2
#define TCPOPT_NUM_WSCALE	3
#define TCPOPT_NUM_SACK_OK	4
#define TCPOPT_NUM_SACK		5
#define TCPOPT_NUM_TS		8
/* RFC 7323 section 2.3: a shift over 14 is used as 14. */
#define TCP_MAX_WSCALE		14

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
		if (n < 0 || (size_t)n >= len - used) {
			/* No room: whole names only, never "URG, SY". */
			buf[used] = '\0';
			break;
		}
		used += (size_t)n;
	}
	if (flags == 0)
		snprintf(buf, len, "none");
	return buf;
}

/* Big-endian (network order) fields, read byte by byte: no alignment. */
static uint16_t
get16(const unsigned char *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* The IP version an EtherType (IEEE 802.3) names, or -1: ARP and the rest. */
static int
wire_ip_of(uint16_t type)
{
	if (type == ETHERTYPE_IPV4)
		return 4;
	if (type == ETHERTYPE_IPV6)
		return 6;
	return -1;
}

/*
 * The EtherType at off, and any 802.1Q / 802.1ad tags after it: each tag
 * is 4 bytes (priority and VLAN id, then the next EtherType). Returns the
 * IP version the last EtherType names, *off moved past it, or -1.
 */
static int
wire_ethertype(const unsigned char *f, size_t caplen, size_t *off)
{
	uint16_t type;
	int tags;

	for (tags = 0;; tags++) {
		if (*off + 2 > caplen)
			return -1;
		type = get16(f + *off);
		*off += 2;
		if (type != ETHERTYPE_VLAN && type != ETHERTYPE_QINQ)
			return wire_ip_of(type);
		if (tags == WIRE_MAX_VLANS)
			return -1;
		/* Skip the tag control information (priority, VLAN id). */
		*off += 2;
	}
}

/*
 * The BSD loopback header (DLT_NULL, DLT_LOOP): a 4-byte address family.
 * DLT_NULL writes it in the capturing machine's byte order, which a file
 * from another machine need not share, so both orders are tried; AF_INET6
 * differs between systems (Linux 10, the BSDs 24, 28, 30).
 */
static int
wire_family(uint32_t fam)
{
	switch (fam) {
	case 2:
		return 4;
	case 10: case 24: case 28: case 30:
		return 6;
	default:
		return -1;
	}
}

/*
 * Skip the link-layer header of linktype: returns the IP version it
 * carries (4 or 6; 0: raw IP, read the version from the IP header) with
 * *off at the IP header, or -1 for a link type or protocol not decoded.
 */
static int
wire_link(int linktype, const unsigned char *f, size_t caplen, size_t *off)
{
	uint32_t fam;
	int v;

	*off = 0;
	switch (linktype) {
	case DLT_EN10MB:
		/*
		 * Ethernet II: destination and source MAC (6 + 6), then the
		 * EtherType. Linux's lo uses it too, with zero addresses.
		 */
		*off = 12;
		return wire_ethertype(f, caplen, off);
	case DLT_LINUX_SLL:
		/*
		 * Linux "cooked" header (the "any" device): packet type,
		 * ARPHRD type, address length, 8 address bytes, then the
		 * protocol as an EtherType at offset 14: 16 bytes in all.
		 */
		*off = 14;
		return wire_ethertype(f, caplen, off);
	case DLT_LINUX_SLL2:
		/*
		 * Its second version: the protocol first, then reserved,
		 * interface index, ARPHRD type, packet type, address length
		 * and 8 address bytes: 20 bytes in all.
		 */
		if (caplen < 20)
			return -1;
		*off = 20;
		return wire_ip_of(get16(f));
	case DLT_NULL:
	case DLT_LOOP:
		if (caplen < 4)
			return -1;
		*off = 4;
		fam = get32(f);
		if (linktype == DLT_LOOP)	/* always network order */
			return wire_family(fam);
		v = wire_family(fam);
		if (v < 0)
			v = wire_family((fam & 0xff) << 24 |
			    (fam & 0xff00) << 8 | (fam >> 8 & 0xff00) | fam >> 24);
		return v;
	case DLT_RAW:
	case WIRE_LINKTYPE_RAW:
		return 0;		/* the IP header's version says */
	case DLT_IPV4:
		return 4;
	case DLT_IPV6:
		return 6;
	default:
		return -1;
	}
}

/*
 * The IPv4 header (RFC 791) at f, n bytes of it captured: the addresses
 * into out, the TCP header's offset into *tcp and the bytes the IP header
 * says follow it (TCP header and payload) into *iplen. Returns 0, or -1
 * when this is not the first piece of a TCP segment.
 */
static int
wire_ipv4(const unsigned char *f, size_t n, struct wire_seg *out,
    size_t *tcp, size_t *iplen)
{
	struct sockaddr_in *src = (struct sockaddr_in *)&out->src;
	struct sockaddr_in *dst = (struct sockaddr_in *)&out->dst;
	size_t ihl, total;
	uint16_t frag;

	/* The fixed part: version/IHL ... destination address. */
	if (n < 20 || f[0] >> 4 != 4)
		return -1;
	/*
	 * IHL: the header's length in 32-bit words, options included. Under
	 * 5 is not a header; past the captured bytes cannot be skipped.
	 */
	ihl = (size_t)(f[0] & 0x0f) * 4;
	if (ihl < 20 || ihl > n)
		return -1;
	/*
	 * Total Length: header and data, as sent. A value under the header
	 * lies; one over what was captured is a short capture (snaplen),
	 * which is fine: the payload's length comes from here.
	 */
	total = get16(f + 2);
	if (total < ihl)
		return -1;
	if (f[9] != IPPROTO_NUM_TCP)
		return -1;		/* UDP, ICMP, ... */
	/*
	 * Flags and Fragment Offset: a later fragment (offset > 0) holds no
	 * TCP header. The first one (More Fragments set, offset 0) decodes
	 * if its TCP header is whole; its length is this fragment's.
	 */
	frag = get16(f + 6);
	if ((frag & 0x1fff) != 0)
		return -1;
	src->sin_family = AF_INET;
	dst->sin_family = AF_INET;
	memcpy(&src->sin_addr, f + 12, 4);
	memcpy(&dst->sin_addr, f + 16, 4);
	*tcp = ihl;
	*iplen = total - ihl;
	return 0;
}

/*
 * The IPv6 header (RFC 8200) at f, n bytes captured, and the extension
 * headers that may stand between it and TCP: hop-by-hop options, routing,
 * destination options (each "next header, length in 8-byte units not
 * counting the first 8"), and the fragment header (8 bytes; only the
 * first fragment holds the TCP header). As wire_ipv4 otherwise.
 */
static int
wire_ipv6(const unsigned char *f, size_t n, struct wire_seg *out,
    size_t *tcp, size_t *iplen)
{
	struct sockaddr_in6 *src = (struct sockaddr_in6 *)&out->src;
	struct sockaddr_in6 *dst = (struct sockaddr_in6 *)&out->dst;
	size_t off = 40, end, hlen;
	unsigned next;
	int i;

	if (n < 40 || f[0] >> 4 != 6)
		return -1;
	/*
	 * Payload Length: what follows the 40-byte header, extension
	 * headers included. Zero means a jumbogram (RFC 2675), which a
	 * loopback capture does not carry: it leaves no room for TCP, so
	 * it is not decoded.
	 */
	end = 40 + (size_t)get16(f + 4);
	next = f[6];
	for (i = 0; next != IPPROTO_NUM_TCP; i++) {
		if (i == WIRE_MAX_EXTHDRS)
			return -1;
		/* Every extension header starts with next header, length. */
		if (off + 8 > n || off + 8 > end)
			return -1;
		switch (next) {
		case IPPROTO_NUM_HOPOPTS:
		case IPPROTO_NUM_ROUTING:
		case IPPROTO_NUM_DSTOPTS:
			hlen = ((size_t)f[off + 1] + 1) * 8;
			break;
		case IPPROTO_NUM_FRAGMENT:
			/* Fragment Offset, the top 13 bits of bytes 2-3. */
			if (get16(f + off + 2) >> 3 != 0)
				return -1;
			hlen = 8;
			break;
		default:
			return -1;	/* UDP, ICMPv6, no next header... */
		}
		if (off + hlen > n || off + hlen > end)
			return -1;
		next = f[off];
		off += hlen;
	}
	src->sin6_family = AF_INET6;
	dst->sin6_family = AF_INET6;
	memcpy(&src->sin6_addr, f + 8, 16);
	memcpy(&dst->sin6_addr, f + 24, 16);
	*tcp = off;
	*iplen = end - off;
	return 0;
}

/*
 * The TCP options (RFC 9293 section 3.2) in opt[0..n): kind, then for
 * all but EOL and NOP a length byte counting kind and length. A length
 * that is impossible (under 2, past the header, or wrong for its kind)
 * makes the rest unreadable: the walk stops there with bad_opts set and
 * keeps what it read before.
 */
static void
wire_options(const unsigned char *opt, size_t n, struct wire_seg *out)
{
	size_t i = 0, olen;
	unsigned v;

	while (i < n) {
		if (opt[i] == TCPOPT_NUM_EOL)
			return;		/* End of Option List */
		if (opt[i] == TCPOPT_NUM_NOP) {
			i++;		/* No-Operation: padding */
			continue;
		}
		if (i + 1 >= n) {
			out->bad_opts = 1;	/* no room for the length */
			return;
		}
		olen = opt[i + 1];
		if (olen < 2 || i + olen > n) {
			out->bad_opts = 1;
			return;
		}
		switch (opt[i]) {
		case TCPOPT_NUM_MSS:
			/* Maximum Segment Size: 16 bits (RFC 9293 3.7.1). */
			if (olen != 4)
				goto bad;
			out->mss = get16(opt + i + 2);
			break;
		case TCPOPT_NUM_WSCALE:
			/* Window Scale: a shift count (RFC 7323 2.2, 2.3). */
			if (olen != 3)
				goto bad;
			v = opt[i + 2];
			out->wscale = v > TCP_MAX_WSCALE ? TCP_MAX_WSCALE :
			    (int)v;
			break;
		case TCPOPT_NUM_SACK_OK:
			/* SACK permitted, on SYNs (RFC 2018 section 2). */
			if (olen != 2)
				goto bad;
			out->sack_ok = 1;
			break;
		case TCPOPT_NUM_SACK:
			/* SACK: 8-byte blocks, left and right edges (RFC 2018 3). */
			if (olen < 10 || (olen - 2) % 8 != 0)
				goto bad;
			out->nsack = (int)(olen - 2) / 8;
			break;
		case TCPOPT_NUM_TS:
			/* Timestamps: TSval and TSecr (RFC 7323 section 3). */
			if (olen != 10)
				goto bad;
			out->ts = 1;
			out->tsval = get32(opt + i + 2);
			out->tsecr = get32(opt + i + 6);
			break;
		default:
			break;		/* others (MPTCP, TFO, ...): skipped */
		}
		i += olen;
	}
	return;
bad:
	out->bad_opts = 1;
}

/*
 * The TCP header (RFC 9293 section 3.1) at f, n bytes captured, of a
 * segment whose IP header says iplen bytes (TCP header and payload).
 */
static int
wire_tcp(const unsigned char *f, size_t n, size_t iplen,
    struct wire_seg *out)
{
	size_t doff;

	/* The fixed header: ports ... urgent pointer, 20 bytes. */
	if (n < 20)
		return -1;
	/*
	 * Data Offset: the header's length in 32-bit words, options
	 * included. Under 5 is not a header; past the IP data or the
	 * captured bytes, the header is not all there.
	 */
	doff = (size_t)(f[12] >> 4) * 4;
	if (doff < 20 || doff > iplen || doff > n)
		return -1;
	/* Ports stay in network order, as sockaddr wants them. */
	if (out->src.ss_family == AF_INET) {
		memcpy(&((struct sockaddr_in *)&out->src)->sin_port, f, 2);
		memcpy(&((struct sockaddr_in *)&out->dst)->sin_port, f + 2, 2);
	} else {
		memcpy(&((struct sockaddr_in6 *)&out->src)->sin6_port, f, 2);
		memcpy(&((struct sockaddr_in6 *)&out->dst)->sin6_port, f + 2,
		    2);
	}
	out->seq = get32(f + 4);
	out->ack = get32(f + 8);
	/* CWR ECE URG ACK PSH RST SYN FIN: the WIRE_* bits as they are. */
	out->flags = f[13];
	out->win = get16(f + 14);
	out->urp = get16(f + 18);
	wire_options(f + 20, doff - 20, out);
	/*
	 * The payload: its length is what the IP header says follows the
	 * TCP header; of that, only what the capture kept (snaplen) is here.
	 * Bytes captured past the IP datagram's end are not TCP's: the
	 * padding of a short Ethernet frame, say.
	 */
	out->len = (uint32_t)(iplen - doff);
	out->caplen = (uint32_t)(n - doff < iplen - doff ? n - doff :
	    iplen - doff);
	memcpy(out->payload, f + doff, out->caplen < WIRE_PAYLOAD ?
	    out->caplen : WIRE_PAYLOAD);
	return 0;
}

/*
 * Link header, then IP, then TCP. Each layer is handed only the bytes
 * that were captured after the one before, so no layer can read past
 * caplen whatever the lengths in the headers claim.
 */
int
wire_decode(int linktype, const unsigned char *frame, size_t caplen,
    struct wire_seg *out)
{
	size_t off, tcp, iplen, n;
	int v;

	memset(out, 0, sizeof *out);
	out->mss = -1;
	out->wscale = -1;
	v = wire_link(linktype, frame, caplen, &off);
	if (v < 0 || off >= caplen)
		return -1;
	frame += off;
	n = caplen - off;
	if (v == 0)
		v = frame[0] >> 4;	/* raw IP: the version nibble */
	if (v == 4)
		v = wire_ipv4(frame, n, out, &tcp, &iplen);
	else if (v == 6)
		v = wire_ipv6(frame, n, out, &tcp, &iplen);
	else
		v = -1;
	if (v != 0 || wire_tcp(frame + tcp, n - tcp, iplen, out) != 0) {
		memset(out, 0, sizeof *out);
		return -1;
	}
	return 0;
}
