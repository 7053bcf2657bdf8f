/*
 * lab.h - the lab model: a listening server, the connections it accepts
 * (Server-Send), the client sockets, their steps, the counters a learner
 * watches, what the kernel says about each socket, and the transcript of
 * every system call and notification. No curses here: the TUI and batch
 * front ends only read this model and call lab_do() with an operation.
 *
 * All in one, the lab holds all three panes on loopback; in server role
 * (-s) the Server and Server-Send panes; in client role (-c HOST) the
 * Client pane. Server-Send and Client are lists with a selected row: the
 * steps of a pane act on its selected row.
 *
 * Implemented by src/lab.c (the core) and the src/lab_*.c files beside it;
 * their own headers (lab_core.h, lab_steps.h...) are for each other only.
 */
#ifndef TCPSTEP_LAB_H
#define TCPSTEP_LAB_H

#include <stddef.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "asock.h"
#include "explain.h"
#include "lab_names.h"
#include "lab_op.h"
#include "lab_wire.h"

enum lab_role {
	LAB_ALL_IN_ONE,		/* server and clients in one process */
	LAB_ROLE_SERVER,	/* -s */
	LAB_ROLE_CLIENT		/* -c HOST */
};

/* The panes, left to right as in the seed's dialog. */
enum lab_pane {
	LAB_SERVER,		/* the listening socket */
	LAB_SEND,		/* Server-Send: the socket accept() made */
	LAB_CLIENT,
	LAB_PANES
};

/* One time record: "HH:MM:SS.mmm\n". */
#define LAB_RECORD_SIZE	13
/* The client's line (step 8): this, then a time record. */
#define LAB_LINE_PREFIX	"ping "
#define LAB_LINE_SIZE	(sizeof LAB_LINE_PREFIX - 1 + LAB_RECORD_SIZE)
#define LAB_RECV_MAX	65536
/* What step 9 asks recv() for: the client's line fits. */
#define LAB_LINE_READ	64
/* CAsyncSocket::Listen's default backlog. */
#define LAB_BACKLOG	5
/* Connections the server holds at once: default and --max-conns limit. */
#define LAB_CONNS_DEFAULT	64
#define LAB_CONNS_LIMIT		1024
/* Client sockets one tcpstep can hold (LAB_OP_NEW_CLIENT adds one). */
#define LAB_CLIENTS_MAX		16
/* The Explain area: the last step's paragraph and its notifications'. */
#define LAB_EXPLAIN		2400
/* Expected segments kept for the ladder diagram. */
#define LAB_SEGS		64
/* Transcript lines kept in memory (the --log file keeps them all). */
#define LAB_TRANSCRIPT	512
#define LAB_LINE_MAX	300

/* The last result of one step, lab-wide: the status line's. */
struct lab_result {
	enum lab_outcome outcome;
	int	err;		/* errno of its system call, 0 when none */
	/* Words for people only: nothing decides by them. */
	char	brief[16];	/* fits a pane: "OK", "in progress", "EAGAIN" */
	char	detail[256];	/* the call, its result and what it means */
};

/*
 * What one row keeps of a step of its pane: the pane line's word, not the
 * status line's sentence (the server may hold LAB_CONNS_LIMIT rows).
 */
struct lab_mark {
	unsigned char	outcome;	/* enum lab_outcome */
	int		err;
	char		brief[16];
};
/* Steps one pane has at most (the Client's 12). */
#define LAB_ROW_STEPS	12

/* One socket of the lab and what the learner sees of it. */
struct lab_sock {
	struct lab	*lab;
	enum lab_pane	 which;
	unsigned	 id;		/* 1, 2, ... in the order rows were made */
	struct asock	*sock;		/* NULL until created */
	unsigned long	 counts[ASOCK_NOTES];
	int		 err;		/* errno of the last call or notification */
	char		 err_from[16];	/* which: "connect", "OnConnect" */
	enum lab_op	 last_op;	/* this pane's most recent step */
	struct lab_mark	 marks[LAB_ROW_STEPS];	/* its pane's steps, in order */
	struct asock_view view;		/* the kernel's view, kept fresh */
	/*
	 * The address the lists name a row by (a connection's peer, a
	 * client's own), kept once the socket has closed and lost it.
	 */
	struct sockaddr_storage named;
	int		 have_named;
	struct lab_name	 name;		/* server role: the peer's PTR name */
	unsigned char	*received;	/* what this socket last read */
	size_t		 received_len;
	int		 have_received;
	int		 urgent_read;	/* an urgent byte was read out of band */
	unsigned long long bytes_read;	/* by every recv of this socket */
	/*
	 * The last read was a drain (Drain: recv until EAGAIN), which keeps
	 * no bytes: it read drained bytes. A recv or an urgent read clears
	 * it; front ends show "drained N bytes" instead of received then.
	 */
	int		 have_drained;
	unsigned long long drained;
	int		 stale;		/* view to read again at lab_look */

	/*
	 * Auto mode under a flood (see lab_look): once one OnReceive of this
	 * row was reported in full, the next ones until a front end looks are
	 * answered and counted but written up as one line, the run.
	 */
	int		 reported;
	int		 quick;		/* inside a quick step now */
	unsigned long	 run;		/* OnReceive + recv not written yet */
	unsigned long long run_bytes;
};

/* One transcript line. */
struct lab_line {
	struct timeval	tv;
	char		text[LAB_LINE_MAX];
};

/* One expected segment of the ladder, and the step that caused it. */
struct lab_seg {
	enum lab_op		 op;
	unsigned long		 step;	/* segments of one step share it */
	struct explain_seg	 seg;
	/* The captured segment (lab_wire_seg) it matched; ULONG_MAX: none. */
	unsigned long		 wire;
};

/* What main() decided from the command line. */
struct lab_config {
	enum lab_role		 role;
	struct sockaddr_storage	 bind_addr;	/* step 1's address; -c: -B */
	socklen_t		 bind_len;	/* 0: -c without -B */
	int			 v6only;	/* for "::", -1: system default */
	const char		*host;		/* -c HOST */
	unsigned		 port;		/* -c: the server's port */
	int			 family;	/* -c: AF_UNSPEC, or -4 / -6 */
	size_t			 recv_size;
	size_t			 max_conns;
	/*
	 * How the front end names the key of an operation ("1", "j"), for
	 * the transcript ("key 1: Server Create") and the sentences that say
	 * what to press: the model knows no keys. NULL: it names the
	 * operation instead ("press Accept").
	 */
	const char		*(*key_name)(enum lab_op op);
};

struct evdns_base;
struct evdns_getaddrinfo_request;

struct lab {
	struct event_base	*base;
	struct lab_config	 cfg;
	struct sockaddr_storage	 server_addr;	/* where step 1 did bind */
	socklen_t		 server_len;
	int			 have_server_addr;
	char			 reachable[200];	/* "10.0.0.1:49000, ..." */
	struct sockaddr_storage	 target;	/* where step 4 connects */
	socklen_t		 target_len;
	int			 have_target;

	/* Client role: the server's name, resolved by evdns. */
	struct evdns_base	*dns;
	struct evdns_getaddrinfo_request *resolving;	/* to cancel it */
	int			 resolve_pending;
	int			 resolve_err;	/* EVUTIL_EAI_*, 0: resolved */
	char			 resolved[160];	/* "host -> addr", for people */

	struct lab_sock		 server;
	struct lab_sock		**conns;	/* Server-Send rows, max_conns */
	size_t			 nconns;
	size_t			 conn_sel;
	struct lab_sock		*clients[LAB_CLIENTS_MAX];
	size_t			 nclients;
	size_t			 client_sel;
	unsigned		 next_id[LAB_PANES];
	struct lab_sock		 none[LAB_PANES];	/* an empty list shows this */
	int			 accept_starved;	/* accept hit EMFILE */
	int			 edge;		/* edge-triggered model (m) */

	/* Paragraphs separated by '\n': the step, then its notifications. */
	char			 explain[LAB_EXPLAIN];
	struct lab_seg		 segs[LAB_SEGS];	/* a ring */
	unsigned long		 nsegs;		/* segments ever added */
	unsigned long		 nsteps;	/* steps that added segments */

	struct lab_result	 result[LAB_OP_STEPS];	/* by step */
	enum lab_op		 last_op;	/* a step, RESET or NONE */

	int			 auto_mode;	/* notifications drive steps */
	int			 auto_running;	/* a step auto mode started */
	struct event		*auto_timer;	/* Server-Send's 1 s sends */
	struct event		*tick;		/* refresh during transitions */
	struct event		*retry;		/* auto mode's accept after EMFILE */

	struct lab_line		 lines[LAB_TRANSCRIPT];	/* a ring */
	unsigned long		 nlines;	/* lines ever written */
	/*
	 * Lines a front end has printed or drawn (batch: printed; the TUI:
	 * every line up to the newest it drew). A captured segment's line
	 * that arrives late is never put above these: it is appended.
	 * Front ends only ever raise it, to at most nlines.
	 */
	unsigned long		 lines_shown;
	FILE			*log;		/* --log, or NULL */
	const char		*log_name;	/* its name, for messages */
	int			 log_err;	/* errno of its first failed write */

	/* The real wire (lab_wire.h): where it is captured, and what. */
	struct wire		*wire;		/* NULL: no capture */
	enum lab_wire_where	 wire_where;
	char			 wire_why[200];	/* why not, for people */
	struct lab_wire_seg	 wsegs[LAB_WIRE_SEGS];	/* a ring */
	unsigned long		 nwsegs;	/* segments ever captured */
	struct lab_wire_model	 wmodel;	/* numbering, groups, flood */

	unsigned long		 notes;		/* notifications delivered */
	unsigned		 urgent_sent;	/* urgent bytes: A, B, C... */
	void			(*changed)(void *);	/* after a notification */
	void			*changed_arg;
};

int	 lab_init(struct lab *lab, struct event_base *base,
	     const struct lab_config *cfg);
void	 lab_free(struct lab *lab);

/* lab_do's row: the one selected in the operation's pane. */
#define LAB_ROW_SELECTED	((size_t)-1)
/*
 * Run op: a step on row `row` of its pane (LAB_ROW_SELECTED: the selected
 * row; the Server pane has one), or an operation on the lab as a whole
 * (row is not used). Returns 0, or -1 for no such op or row.
 */
int	 lab_do(struct lab *lab, enum lab_op op, size_t row);
/* The pane a step acts on (LAB_SERVER for an op of the whole lab). */
enum lab_pane lab_op_pane(enum lab_op op);
/* What the op is called: "Create", "Connect"; "Reset", "Select"... */
const char *lab_op_name(enum lab_op op);
/* Whether this role has the pane at all. */
int	 lab_has_pane(const struct lab *lab, enum lab_pane pane);
/* The pane's selected socket; a zeroed placeholder while it has none. */
const struct lab_sock *lab_sel(const struct lab *lab, enum lab_pane pane);
/* Row i of the Server-Send or Client list, and how many rows there are. */
const struct lab_sock *lab_row(const struct lab *lab, enum lab_pane pane,
	     size_t i);
size_t	 lab_rows(const struct lab *lab, enum lab_pane pane);
/*
 * Row p's own result of step op, which follows the step's outcome (4
 * Connect: what OnConnect said). LAB_UNTRIED for a step of another pane.
 */
const struct lab_mark *lab_mark(const struct lab_sock *p, enum lab_op op);
size_t	 lab_selected(const struct lab *lab, enum lab_pane pane);
/* Whether the row has a socket with a descriptor (made, not closed). */
int	 lab_is_open(const struct lab_sock *p);
/* Server-Send rows whose socket is open. */
size_t	 lab_open_conns(const struct lab *lab);
void	 lab_reset(struct lab *lab);
void	 lab_set_auto(struct lab *lab, int on);
/* The notification model of client and Server-Send sockets. */
void	 lab_set_edge(struct lab *lab, int on);
/*
 * The errors on screen now, each once: the last step's and the selected
 * socket's of each pane. Returns how many were put in errs.
 */
size_t	 lab_errors(const struct lab *lab, int *errs, size_t max);
/* Expected segment n (0 = the first ever); NULL once dropped. */
const struct lab_seg *lab_seg(const struct lab *lab, unsigned long n);

const char	*lab_pane_name(enum lab_pane pane);
/*
 * How the front end names op's key, for the sentences that tell the
 * learner what to press; the op's own name when no front end said
 * (lab_config.key_name).
 */
const char	*lab_key_name(const struct lab *lab, enum lab_op op);
/* The time record: LAB_RECORD_SIZE bytes, not NUL-terminated. */
void	 lab_time_record(char out[LAB_RECORD_SIZE]);

/*
 * Before showing the lab: write up the runs of receives auto mode saved,
 * and read the kernel's view of every socket that changed since the last
 * look. The front ends call it before each frame or snapshot.
 */
void	 lab_look(struct lab *lab);

/* Transcript line number n (0 = the first ever); NULL once dropped or not yet written. */
const struct lab_line *lab_line(const struct lab *lab, unsigned long n);
/* Add a line to the transcript and the log file. */
void	 lab_say_line(struct lab *lab, const char *fmt, ...)
	     __attribute__((format(printf, 2, 3)));
/* "19:40:01.123456" */
char	*lab_stamp(const struct timeval *tv, char *buf, size_t len);

#endif
