/*
 * wire.h - the real wire: the TCP segments of the lab's own ports,
 * captured with libpcap (the library of tcpdump and Wireshark) inside the
 * lab's event loop, decoded, and optionally written to a pcap file.
 *
 * Part of the socket layer: it knows ports and devices, not the lab.
 * Implemented by src/wire.c (capture, privilege, the private network)
 * and src/wire_decode.c (frame bytes to a segment: no libpcap, no
 * system calls, so the fuzzer can run it alone).
 */
#ifndef TCPSTEP_WIRE_H
#define TCPSTEP_WIRE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <pcap/dlt.h>

/*
 * The link types (DLT_ values) come from <pcap/dlt.h>, libpcap's list of
 * numbers (no functions: the decoder and its fuzzer link without
 * libpcap); the newer ones are spelled out here, once, for an older
 * libpcap.
 */
#ifndef DLT_LINUX_SLL2
#define DLT_LINUX_SLL2	276
#endif
#ifndef DLT_IPV4
#define DLT_IPV4	228
#endif
#ifndef DLT_IPV6
#define DLT_IPV6	229
#endif

struct event_base;

/* The TCP header's flag bits, as they are on the wire (RFC 9293). */
#define WIRE_FIN	0x01
#define WIRE_SYN	0x02
#define WIRE_RST	0x04
#define WIRE_PSH	0x08
#define WIRE_ACK	0x10
#define WIRE_URG	0x20
#define WIRE_ECE	0x40
#define WIRE_CWR	0x80

/* Payload bytes a decoded segment keeps, for the escaper only. */
#define WIRE_PAYLOAD	16

/*
 * One decoded TCP segment. It holds copies: nothing in it points into
 * the captured frame, which libpcap reuses.
 */
struct wire_seg {
	struct timeval	 tv;		/* when the kernel captured it */
	struct sockaddr_storage src;	/* address and port it came from */
	struct sockaddr_storage dst;	/* and went to */
	uint32_t	 seq;		/* absolute, as on the wire */
	uint32_t	 ack;
	uint8_t		 flags;		/* WIRE_* bits */
	uint16_t	 win;		/* as sent: not scaled */
	uint16_t	 urp;		/* urgent pointer (with WIRE_URG) */
	uint32_t	 len;		/* payload length the IP header gives */
	uint32_t	 caplen;	/* payload bytes captured (<= len) */
	/* Options; -1 / 0 when absent. */
	int		 mss;
	int		 wscale;
	int		 sack_ok;	/* SACK permitted (SYNs) */
	int		 nsack;		/* SACK blocks carried */
	int		 ts;		/* timestamps present */
	uint32_t	 tsval, tsecr;
	int		 bad_opts;	/* options malformed: stopped there */
	unsigned char	 payload[WIRE_PAYLOAD];	/* its first bytes */
};

/*
 * Decode one captured frame of link type linktype (a DLT_ value:
 * DLT_EN10MB on Linux's lo and Ethernet, DLT_LINUX_SLL / DLT_LINUX_SLL2
 * on "any", DLT_RAW, DLT_NULL), caplen bytes of it captured. Returns 0
 * for a TCP segment over IPv4 or IPv6, -1 for anything else or anything
 * malformed or cut short before the end of the TCP header. Never reads
 * past caplen, whatever the headers claim.
 */
int	 wire_decode(int linktype, const unsigned char *frame, size_t caplen,
	     struct wire_seg *out);

/*
 * "SYN, ACK", "PSH, ACK", "RST": the flags for people, in this order:
 * URG, SYN, FIN, RST, PSH, ACK, ECE, CWR (so "URG, PSH, ACK").
 */
char	*wire_flags_name(uint8_t flags, char *buf, size_t len);

/* An open capture. */
struct wire;
/* Called once per captured TCP segment, from the event loop. */
typedef void (*wire_fn)(const struct wire_seg *seg, void *arg);

/*
 * Whether this process may capture in its present network namespace
 * (root, or CAP_NET_RAW as `setcap cap_net_raw+ep` gives): it tries to
 * open a packet socket and closes it.
 */
int	 wire_can_capture(void);
/*
 * Move this process into a new user and network namespace of its own
 * (no privilege needed where unprivileged user namespaces are allowed),
 * map its user and group to themselves, and bring that namespace's lo
 * up: the process may then capture on its private loopback. Must run
 * before any socket is made. The whole sequence is tried first in a
 * child process, so that a step that fails leaves this process where
 * it was. Returns 0 (in); -1 with why in why, nothing changed; or -2
 * when the child got in but this process failed half-way (why says
 * where): it is in a namespace with lo down and must not go on.
 */
int	 wire_private_net(char *why, size_t len);

/*
 * Capture on device ("lo", or "any" for -s / -c) in immediate,
 * non-blocking mode, read from base's loop: fn gets each segment. No
 * segment passes until wire_set_port names the lab's port. NULL with
 * why said when the device cannot be opened.
 */
struct wire *wire_open(struct event_base *base, const char *device,
	     wire_fn fn, void *arg, char *why, size_t len);
/* Capture TCP to or from port only; 0: nothing. Returns 0 or -1. */
int	 wire_set_port(struct wire *w, unsigned port, char *why, size_t len);
/*
 * Write every captured frame to f as a pcap file too, flushed per
 * packet so Wireshark can open it while the lab runs. The wire owns f
 * from here on. w NULL: a valid pcap file with no packet in it. Returns
 * 0, or -1 with why said.
 */
int	 wire_dump(struct wire *w, FILE *f, char *why, size_t len);
/* Hand fn what is captured already, without waiting. */
void	 wire_drain(struct wire *w);
/* Frames lost: dropped by the kernel's buffer, or not a TCP segment. */
unsigned long wire_lost(struct wire *w);
/*
 * Why the capture stopped ("" while it runs): libpcap could not read
 * (the device went away). Nothing more is read after that.
 */
const char *wire_error(const struct wire *w);
/* Stop, and close the pcap file (its last error, if any, in why). */
int	 wire_close(struct wire *w, char *why, size_t len);

#endif
