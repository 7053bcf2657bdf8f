/*
 * asock.h - a small CAsyncSocket for Linux, built on libevent.
 *
 * One asock wraps one non-blocking TCP socket and reports the six
 * notifications of Microsoft's CAsyncSocket through one callback. Delivery
 * follows Winsock's WSAAsyncSelect rules (design.md section 2): each
 * notification is one-shot and comes again only after the call that
 * re-enables it (accept, recv, send after EWOULDBLOCK). A pending one does
 * not hide the others: a reset gives OnClose(ECONNRESET) at once. What
 * holds when a socket is connected or accepted is reported at once; a
 * condition gone before the loop looked gives no notification.
 *
 * Calls return what the system call returned and leave errno as it set it,
 * so a caller can show the kernel's own answer.
 */
#ifndef TCPSTEP_ASOCK_H
#define TCPSTEP_ASOCK_H

#include <sys/types.h>
#include <sys/socket.h>

struct event_base;

/* The six notifications, in the order the panes list them. */
enum asock_note {
	ASOCK_ON_ACCEPT,
	ASOCK_ON_CLOSE,
	ASOCK_ON_CONNECT,
	ASOCK_ON_OOB,
	ASOCK_ON_RECEIVE,
	ASOCK_ON_SEND,
	ASOCK_NOTES
};

/* What the socket is doing, as far as tcpstep's steps have taken it. */
enum asock_state {
	ASOCK_CLOSED,		/* no descriptor */
	ASOCK_CREATED,		/* socket() and bind() done */
	ASOCK_LISTENING,
	ASOCK_CONNECTING,	/* connect() said EINPROGRESS */
	ASOCK_CONNECTED,
	ASOCK_PEER_CLOSED	/* OnClose delivered */
};

struct asock;

/* Called from the event loop with the notification and its error (0 or errno). */
typedef void asock_cb(struct asock *s, enum asock_note note, int err,
    void *arg);

/*
 * Called with one transcript line: each system call asock makes, with its
 * arguments and result ("connect(7, 127.0.0.1:40113) = -1 EINPROGRESS"),
 * and each notification with the reason it fired. Peer bytes are escaped.
 */
typedef void asock_trace_cb(struct asock *s, const char *line, void *arg);

/* What the kernel says about a socket right now. */
struct asock_view {
	int			tcp_state;	/* TCP_ESTABLISHED..., -1: none */
	struct sockaddr_storage	local;
	struct sockaddr_storage	peer;
	int			have_local;
	int			have_peer;
	unsigned		accept_queue;	/* listener: waiting, backlog */
	unsigned		backlog;
	int			inq;		/* bytes to read, -1: n/a */
	int			outq;		/* bytes not yet acknowledged */
	int			readable;	/* poll() right now */
	int			writable;
	int			urgent;
	long			segs_out;	/* TCP_INFO segments, -1: n/a */
	long			segs_in;
};

struct asock	*asock_new(struct event_base *base, asock_cb *cb, void *arg);
void		 asock_free(struct asock *s);

int		 asock_create(struct asock *s, const struct sockaddr *bind_to,
		     socklen_t len);
int		 asock_listen(struct asock *s, int backlog);
int		 asock_connect(struct asock *s, const struct sockaddr *to,
		     socklen_t len);
int		 asock_accept(struct asock *listener, struct asock *into);
/*
 * Whether err, from asock_accept, means out of descriptors or memory:
 * then OnAccept stays off (it would only fail again) until an accept
 * succeeds.
 */
int		 asock_starved(int err);
ssize_t		 asock_send(struct asock *s, const void *buf, size_t len);
ssize_t		 asock_receive(struct asock *s, void *buf, size_t len);
int		 asock_close(struct asock *s);
int		 asock_shutdown(struct asock *s);
int		 asock_abort(struct asock *s);
ssize_t		 asock_send_oob(struct asock *s, char byte);
ssize_t		 asock_receive_oob(struct asock *s, char *byte);

/*
 * 1: libevent's edge-triggered model (EV_ET | EV_PERSIST) for this
 * connected socket; 0: Winsock's one-shot model (the default). Listeners
 * keep the Winsock model. Returns -1 when out of memory.
 */
int		 asock_set_edge(struct asock *s, int on);
/* Before asock_create on "::": 1 IPv6 only, 0 IPv4 too, -1 system default. */
void		 asock_set_v6only(struct asock *s, int on);
void		 asock_set_trace(struct asock *s, asock_trace_cb *cb,
		     void *arg);
/*
 * 1: write no trace line for OnReceive or for a recv that read bytes (the
 * caller counts those itself, as auto mode does under a flood); every
 * other line is still written. 0: trace everything (the default).
 */
void		 asock_set_quiet(struct asock *s, int on);
void		 asock_view(const struct asock *s, struct asock_view *v);
const char	*asock_tcp_state_name(int tcp_state);

/*
 * Whether OnAccept (a listener) or OnReceive was delivered and waits for
 * its re-enabling call (accept, recv): a program that starts handling
 * notifications now owes it that call. Winsock model only.
 */
int		 asock_owed(const struct asock *s);
int		 asock_fd(const struct asock *s);
enum asock_state asock_state(const struct asock *s);
const char	*asock_note_name(enum asock_note note);

#endif
