/*
 * lab_wire.h - the lab's view of the real wire (src/lab_wire.c): the
 * segments captured on the lab's port, numbered from each connection's
 * first sequence number, grouped under the step key or notification they
 * followed, compared with the ladder's expected segments (differences
 * explained in the Explain area), and written into the transcript by
 * their time stamps, so that key, system call, segment and notification
 * read top to bottom in the order they happened.
 */
#ifndef TCPSTEP_LAB_WIRE_H
#define TCPSTEP_LAB_WIRE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "lab_op.h"
#include "wire.h"

struct lab;

/* Captured segments kept for the Wire view (a ring). */
#define LAB_WIRE_SEGS	256
/*
 * Segments kept one by one between two looks of a front end (lab_look);
 * the rest of a flood is counted and written up as one summed entry.
 */
#define LAB_WIRE_BURST	64
/* Connections whose numbering the lab remembers; the oldest goes first. */
#define LAB_WIRE_FLOWS	16
/* Steps and notifications a late segment can still be tied to. */
#define LAB_WIRE_GROUPS	32
/* A group's cause: "server-send#10 OnOutOfBandData" fits. */
#define LAB_WIRE_CAUSE	40
/* An ACK later than this after the data it acknowledges is "delayed". */
#define LAB_WIRE_DELAYED_USEC	10000

/* Where the lab captures, for the title, the view and the man page. */
enum lab_wire_where {
	LAB_WIRE_OFF,		/* --no-wire */
	LAB_WIRE_UNAVAILABLE,	/* cannot: lab->wire_why says why */
	LAB_WIRE_HOST,		/* the host's lo (root or CAP_NET_RAW) */
	LAB_WIRE_PRIVATE,	/* lo of the lab's private network */
	LAB_WIRE_ANY		/* -s / -c, already privileged: "any" */
};

/* How a captured segment compares with the ladder's expectation. */
enum lab_wire_mark {
	LAB_WIRE_MATCH,		/* an expected segment, as expected */
	LAB_WIRE_DIFFERS,	/* in place of an expected one, unlike it */
	LAB_WIRE_EXTRA		/* nothing expected it */
};

/*
 * What the Explain area said about a segment: the kinds of difference
 * between the ladder's model and the wire (and the urgent pointer).
 */
enum lab_wire_note {
	LAB_WIRE_NOTE_NONE,
	LAB_WIRE_RST_NOT_FIN,	/* close() with unread data reset */
	LAB_WIRE_COALESCED,	/* several sends in one segment */
	LAB_WIRE_PIGGYBACK,	/* the ACK rode on data going back */
	LAB_WIRE_DELAYED_ACK,	/* the ACK came late (delayed ACK) */
	LAB_WIRE_WINDOW_UPDATE,	/* the window reopened after a read */
	LAB_WIRE_ZERO_WINDOW,	/* the receiver's buffer is full */
	LAB_WIRE_PROBE,		/* the sender probing a zero window */
	LAB_WIRE_URGENT,	/* URG and where its pointer points */
	LAB_WIRE_RETRANSMIT,	/* sent again: sequence seen before */
	LAB_WIRE_NOTES
};

/*
 * One captured segment as the lab shows it, or a summary (summary = 1):
 * what a flood brought beyond LAB_WIRE_BURST between two looks (summed,
 * summed_bytes) and the frames the capture lost meanwhile (lost). A
 * summary has no direction (to_server -1), no connection, cause, group
 * or time since a step: draw it as a line across, not as an arrow.
 */
struct lab_wire_seg {
	struct timeval	 tv;		/* when it was captured */
	unsigned long	 group;		/* segments of one group share it */
	enum lab_op	 op;		/* the step of its group; NONE */
	char		 cause[LAB_WIRE_CAUSE];	/* "4", "client OnReceive" */
	long		 usec;		/* since that step or notification */
	int		 to_server;	/* client -> server, 0 back, -1 none */
	unsigned	 conn;		/* the connection: its client port */
	int		 handshake;	/* SYN, SYN-ACK, or the ACK ending it */
	uint8_t		 flags;		/* WIRE_* */
	uint32_t	 seq, ack;	/* relative to each side's ISN */
	uint32_t	 len;		/* payload bytes */
	unsigned long	 win;		/* scaled, once both SYNs agreed */
	uint16_t	 urp;
	int		 mss, wscale, sack_ok, ts;	/* SYN options */
	enum lab_wire_mark mark;
	enum lab_wire_note note;
	unsigned long	 expected;	/* the lab_seg it matched; ULONG_MAX */
	int		 settled;	/* mark final: its step's ladder known */
	/* A summary: segments not kept one by one, bytes, frames lost. */
	int		 summary;	/* 0: one real segment */
	unsigned long	 summed;
	unsigned long long summed_bytes;
	unsigned long	 lost;
};

/*
 * One connection's numbering: index 0 client -> server, 1 back. Keyed by
 * the client's address and port: two -s peers may use the same port.
 */
struct lab_wire_flow {
	unsigned	 conn;		/* client port; 0: free */
	struct sockaddr_storage client;	/* the client's address */
	unsigned long	 used;		/* for forgetting the oldest */
	int		 have[2];	/* isn known */
	uint32_t	 isn[2];	/* each sender's first sequence number */
	int		 syn[2];	/* its SYN seen (so wscale is known) */
	int		 wscale[2];	/* its SYN's window scale, -1 none */
	int		 sent[2];	/* next[] is valid */
	uint32_t	 next[2];	/* relative end of what it sent */
	int		 acked[2];	/* lastack[], lastwin[] valid */
	uint32_t	 lastack[2];	/* relative to the peer's ISN */
	unsigned long	 lastwin[2];	/* scaled */
	int		 synack;	/* the server's SYN-ACK seen */
	int		 established;	/* the client's ACK of it seen */
	int		 data[2];	/* data_tv, data_end valid */
	struct timeval	 data_tv[2];	/* its last data segment */
	uint32_t	 data_end[2];
};

/* A step key or a notification: segments after it belong to it. */
struct lab_wire_group {
	unsigned long	 id;		/* 1, 2...; 0: none */
	struct timeval	 tv;
	char		 cause[LAB_WIRE_CAUSE];	/* "4", "client OnReceive" */
	enum lab_op	 op;		/* the step (its own or the latest) */
	unsigned long	 stepgroup;	/* the step's group id */
	unsigned long	 step;		/* lab_seg.step of its ladder; 0 none */
	int		 pending;	/* a step whose ladder is not known yet */
};

/* The model's own state, inside struct lab. */
struct lab_wire_model {
	unsigned	 port;		/* the server's port; 0 unknown */
	struct lab_wire_flow flows[LAB_WIRE_FLOWS];
	unsigned long	 clock;
	struct lab_wire_group groups[LAB_WIRE_GROUPS];	/* a ring */
	unsigned long	 ngroups;
	/*
	 * The latest step's group, kept apart from the ring: a run of
	 * notifications may push it out of the ring (and the next group may
	 * reuse its slot) while its segments still wait for its ladder.
	 */
	struct lab_wire_group cur;
	unsigned long	 said_step;	/* notes said were for this group */
	unsigned	 said;		/* bit per enum lab_wire_note */
	unsigned long	 burst;		/* kept one by one since the look */
	unsigned long	 summed;	/* counted only, since the look */
	unsigned long long summed_bytes;
	unsigned long	 lost;		/* frames lost, already said */
	unsigned long	 lost_new;	/* lost since, to say at the look */
	int		 draining;
};

/*
 * The lab's capture: w open on where (NULL: where says why not, in
 * why). w must have been opened with lab_wire_in and the lab as its
 * callback. The lab does not own w: main closes it after lab_free.
 */
void	 lab_wire_attach(struct lab *lab, struct wire *w,
	     enum lab_wire_where where, const char *why);
/* wire_open's callback: one captured segment for the lab (the arg). */
void	 lab_wire_in(const struct wire_seg *seg, void *lab);
/* Captured segment n (0 = the first ever); NULL once dropped. */
const struct lab_wire_seg *lab_wire_seg(const struct lab *lab,
	     unsigned long n);
/*
 * One segment in the words the Wire view, the transcript and batch's
 * "wire" line share: "SYN seq=0 ack=0 len=0 win=65495 mss=65495 ws=7
 * sack ts". Returns buf.
 */
char	*lab_wire_text(const struct lab_wire_seg *s, char *buf, size_t len);
/* A short label for an arrow: "SYN", "PSH, ACK 13", "ACK win 0". */
char	*lab_wire_label(const struct lab_wire_seg *s, char *buf, size_t len);
/* The words for a note: "RST, not FIN", "window probe"; "" for NONE. */
const char *lab_wire_note_name(enum lab_wire_note note);
/* One line on where the lab captures, for the title's help and the view. */
const char *lab_wire_where_text(const struct lab *lab);

/* ---- the lab's hooks (lab.c, lab_setup.c, lab_transcript.c) ---- */

/* The server's port is known or changed: capture it (0: nothing). */
void	 lab_wire_set_port(struct lab *lab, unsigned port);
/* Hand over what is captured already (not re-entered from its lines). */
void	 lab_wire_drain(struct lab *lab);
/*
 * A key (op a step or reset, its key line just written) or a
 * notification (op LAB_OP_NONE, cause "client OnReceive") begins: a group.
 */
void	 lab_wire_group(struct lab *lab, const char *cause, enum lab_op op);
/* The step's ladder is known (lab_transcript_step): compare its group. */
void	 lab_wire_step_said(struct lab *lab, unsigned long step);
/*
 * A front end looks: a flood's count, and the frames the capture lost,
 * become one summary entry.
 */
void	 lab_wire_look(struct lab *lab);
/*
 * The capture has lost total frames so far (wire_lost): the ones not said
 * yet go into the next summary. lab_wire_look asks the capture itself.
 */
void	 lab_wire_lost(struct lab *lab, unsigned long total);
/* "match", "differs", "extra" */
const char *lab_wire_mark_name(enum lab_wire_mark mark);
/* "rst-not-fin", "window-update"...: batch's note= word; "" for NONE. */
const char *lab_wire_note_word(enum lab_wire_note note);

#endif
