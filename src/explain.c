/*
 * explain.c - the words of the Explain area, the error page and the
 * ladder diagram.
 *
 * Kept apart from the mechanics in lab.c so the teaching can be read (and
 * corrected) in one place. Every text says what happened in the kernel
 * and why a counter did or did not move, in the words of the article's
 * readers: CAsyncSocket's methods and Winsock's FD_* events. None of it is
 * copied from "Asynchronous TCP Part 1". tests/claims.sh makes the kernel
 * do what each sentence says and checks it.
 */
#include <ctype.h>
#include <errno.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>

#include "errname.h"
#include "explain.h"
#include "lab.h"

/* What each error usually means while stepping through this lab. */
static const struct {
	int		 err;
	const char	*cause;
} explain_causes[] = {
	{ EAGAIN, "a non-blocking call that would have had to wait: recv "
	    "with nothing queued, accept with no connection waiting, send with "
	    "the queue full. Wait for the notification, then call again" },
	{ EINPROGRESS, "the normal answer of connect on a non-blocking "
	    "socket: the handshake goes on in the kernel and OnConnect reports "
	    "how it ended" },
	{ ECONNREFUSED, "nothing listens on that address and port (the "
	    "server has not called Listen, its listener closed, or another "
	    "port), so the server's kernel answered the SYN with RST" },
	{ ECONNRESET, "the peer sent RST: it aborted (Close after SO_LINGER "
	    "0), closed with bytes unread, or its listener closed while the "
	    "connection was queued. On Linux the bytes that reached this side "
	    "before the RST stay readable: recv returns them, then this error "
	    "once, then 0. Winsock discards them" },
	{ ECONNABORTED, "Linux reports once, on the next connect, that the "
	    "previous connect on this socket failed, and resets the socket; "
	    "the connect after it starts afresh" },
	{ EPIPE, "this side shut down sending (ShutDown) or the connection is "
	    "gone, so nothing more can be sent" },
	{ ENOTCONN, "the socket is not connected (Connect or Accept makes a "
	    "connection)" },
	{ EISCONN, "the socket is connected already; a socket connects once" },
	{ EALREADY, "a connect on this socket is still in progress; wait for "
	    "OnConnect" },
	{ EADDRINUSE, "another socket holds the address and port: another "
	    "tcpstep, or a server left running. Choose another --port" },
	{ EACCES, "ports below 1024 need privileges; choose a port from 1024 "
	    "up" },
	{ EADDRNOTAVAIL, "no interface of this machine has that address; "
	    "check -B" },
	{ EAFNOSUPPORT, "IPv6 is not available here, or the socket and the "
	    "address are of different families; try -4" },
	{ EINVAL, "the call does not fit the socket's state: accept before "
	    "listen, or recv MSG_OOB with no urgent byte waiting" },
	{ EMFILE, "this process has used all its descriptors (ulimit -n); "
	    "close connections to free some" },
	{ ENFILE, "the whole system has run out of descriptors" },
	{ ETIMEDOUT, "the peer never answered: a host that is down, or a "
	    "firewall dropping packets" },
	{ EHOSTUNREACH, "no route to that host; check the address and the "
	    "network" },
	{ ENETUNREACH, "this machine has no route to that network" },
	{ ENOMEM, "the system is out of memory" },
};

void
explain_error(const struct lab *lab, int err, char *buf, size_t len)
{
	const char *cause = "an error this lab does not usually meet";
	char desc[160], then[96] = "";
	size_t i;

	for (i = 0; i < sizeof explain_causes / sizeof explain_causes[0]; i++)
		if (explain_causes[i].err == err)
			cause = explain_causes[i].cause;
	/* What to press next names the keys the front end gave them. */
	if (err == ECONNREFUSED)
		snprintf(then, sizeof then, ". Once something listens, press %s "
		    "for a fresh client socket, then %s",
		    lab_key_name(lab, LAB_OP_NEW_CLIENT),
		    lab_key_name(lab, LAB_OP_CONNECT));
	errname_describe(err, desc, sizeof desc);
	snprintf(buf, len, "%s. %s%s.", desc, cause, then);
	/* Capitalise the cause's first letter for the page. */
	i = strlen(desc) + 2;
	if (i < len && islower((unsigned char)buf[i]))
		buf[i] = (char)toupper((unsigned char)buf[i]);
}

/* The sentence on re-enabling that differs between the two models. */
static const char *
explain_rearm(const struct lab *lab)
{
	return lab->edge ? "Under the edge-triggered model recv re-enables "
	    "nothing: only bytes that arrive later fire OnReceive again." :
	    "recv also re-enables OnReceive (FD_READ): if bytes remain, it "
	    "fires again at once.";
}

/* The CAsyncSocket method each step stands for, as the article names it. */
static const char *const explain_methods[LAB_OP_STEPS] = {
	[LAB_OP_SERVER_CREATE] = "Create",
	[LAB_OP_CLIENT_CREATE] = "Create",
	[LAB_OP_NEW_CLIENT] = "Create",
	[LAB_OP_LISTEN] = "Listen",
	[LAB_OP_CONNECT] = "Connect",
	[LAB_OP_ACCEPT] = "Accept",
	[LAB_OP_CONN_SEND] = "Send",
	[LAB_OP_CLIENT_SEND] = "Send",
	[LAB_OP_SEND_ALL] = "Send",
	[LAB_OP_CLIENT_RECEIVE] = "Receive",
	[LAB_OP_CONN_RECEIVE] = "Receive",
	[LAB_OP_CLIENT_CLOSE] = "Close",
	[LAB_OP_CONN_CLOSE] = "Close",
	[LAB_OP_SERVER_CLOSE] = "Close",
	[LAB_OP_CLIENT_SHUTDOWN] = "ShutDown",
	[LAB_OP_CONN_SHUTDOWN] = "ShutDown",
	[LAB_OP_CLIENT_ABORT] = "SetSockOpt(SO_LINGER) + Close",
	[LAB_OP_CONN_ABORT] = "SetSockOpt(SO_LINGER) + Close",
	[LAB_OP_CONN_URGENT] = "Send with MSG_OOB",
	[LAB_OP_CLIENT_URGENT] = "Send with MSG_OOB",
	[LAB_OP_CLIENT_READ_URGENT] = "Receive with MSG_OOB",
	[LAB_OP_CONN_READ_URGENT] = "Receive with MSG_OOB",
	[LAB_OP_CLIENT_FILL] = "Send until WSAEWOULDBLOCK",
	[LAB_OP_CONN_FILL] = "Send until WSAEWOULDBLOCK",
	[LAB_OP_CLIENT_DRAIN] = "Receive until WSAEWOULDBLOCK",
	[LAB_OP_CONN_DRAIN] = "Receive until WSAEWOULDBLOCK",
};

/* The method of a step, NULL for an op that is no step. */
static const char *
explain_method(enum lab_op op)
{
	return lab_op_is_step(op) ? explain_methods[op] : NULL;
}

/*
 * What a fresh, unconnected socket's "ready" means: poll answers POLLHUP
 * and POLLOUT because recv and send would not wait, they fail at once.
 */
#define EXPLAIN_FRESH_READY " Its ready flags rw- are poll()'s answer for " \
	"a socket in CLOSE: recv would fail at once with ENOTCONN and send " \
	"with EPIPE, so neither would wait; they promise no data."

/*
 * Making the sockets and the connection: Create, Listen, Connect, Accept.
 * A text that names a key is written into buf.
 */
static const char *
explain_setup_text(const struct lab *lab, enum lab_op op,
    const struct lab_result *r, char *buf, size_t len)
{
	switch (op) {
	case LAB_OP_SERVER_CREATE:
		return lab_outcome_ok(r->outcome) ?
		    "The server now has a socket with an address, "
		    "but it is not listening: a connect now would be refused. "
		    "Nothing went on the wire; socket and bind only set up "
		    "the kernel's bookkeeping." EXPLAIN_FRESH_READY : NULL;
	case LAB_OP_LISTEN:
		return lab_outcome_ok(r->outcome) ?
		    "listen made the socket a listener. From now on "
		    "the kernel itself answers every SYN with SYN-ACK and keeps "
		    "finished connections in the accept queue; the program is "
		    "not involved until it calls accept." : NULL;
	case LAB_OP_CLIENT_CREATE:
	case LAB_OP_NEW_CLIENT:
		if (!lab_outcome_ok(r->outcome))
			return NULL;
		snprintf(buf, len, "The client socket exists and the kernel "
		    "gave it a free port. Nothing went on the wire: a socket "
		    "is only a handle until it connects. Press %s to connect "
		    "it." EXPLAIN_FRESH_READY,
		    lab_key_name(lab, LAB_OP_CONNECT));
		return buf;
	case LAB_OP_CONNECT:
		return r->err == EINPROGRESS ? "connect on a non-blocking "
		    "socket returns at once: it sent a SYN and the kernel "
		    "finishes the handshake alone. OnConnect (FD_CONNECT) will "
		    "say how it ended. The server's kernel answers without "
		    "waiting for accept, so the client can be connected before "
		    "the server accepts. While it is pending (SYN_SENT) "
		    "Linux shows 0 bytes queued out, although the SYN is not "
		    "yet acknowledged." : NULL;
	case LAB_OP_ACCEPT:
		return lab_outcome_ok(r->outcome) ?
		    "accept took the oldest finished connection out "
		    "of the queue and gave it a socket of its own, a "
		    "Server-Send row. The listener keeps listening, and accept "
		    "re-enables OnAccept (FD_ACCEPT): it fires again at once if "
		    "more connections wait. The new socket's TCP_INFO counts "
		    "(segs out/in on the ladder) begin with the handshake "
		    "done: the SYN-ACK went out from the listener before this "
		    "socket existed, so its out count starts at 0 while the "
		    "client's is 2 (SYN, ACK), and never matches the ladder." :
		    r->err == EAGAIN ? "Nothing waits in the accept queue, so "
		    "accept cannot wait and says EAGAIN (WSAEWOULDBLOCK). "
		    "OnAccept exists so that a program calls accept only when a "
		    "connection is there." : r->outcome == LAB_OVER_LIMIT ?
		    "This server already holds --max-conns connections, so "
		    "tcpstep accepted the new one and closed it at once. The "
		    "peer learns at once, instead of waiting in the queue." :
		    NULL;
	default:
		break;
	}
	return NULL;
}

/* Sending and receiving the stream: Send, Send all, Receive. */
static const char *
explain_data_text(const struct lab *lab, enum lab_op op,
    const struct lab_result *r)
{
	switch (op) {
	case LAB_OP_CONN_SEND:
	case LAB_OP_CLIENT_SEND:
	case LAB_OP_SEND_ALL:
		return lab_outcome_ok(r->outcome) ? (lab->edge ?
		    "send copied the bytes into the "
		    "kernel's send queue; the kernel delivers them to the "
		    "peer's receive queue. Under the edge-triggered model every "
		    "arrival is a new edge, so the peer gets one OnReceive per "
		    "send, read or not." : "send copied the bytes into the "
		    "kernel's send queue; the kernel delivers them to the "
		    "peer's receive queue, where they wait to be read. If the "
		    "peer has not called recv since its last OnReceive "
		    "(FD_READ), it gets no new one: Winsock notifications are "
		    "one-shot, so two sends can give one OnReceive.") :
		    r->err == EAGAIN ? "The send queue is full because the peer "
		    "does not read, so send says EAGAIN instead of waiting. "
		    "OnSend (FD_WRITE) will fire once room frees up." :
		    r->err == EPIPE ? "This side has shut down sending or the "
		    "connection is gone, so the kernel refuses more data. "
		    "Receiving may still work." : NULL;
	case LAB_OP_CLIENT_RECEIVE:
	case LAB_OP_CONN_RECEIVE:
		return r->outcome == LAB_END_OF_STREAM ? "recv returned "
		    "0: end of stream. Every byte has been read, and the peer "
		    "either sent FIN (a graceful close or ShutDown) or reset "
		    "the connection, which Linux reported once already." :
		    r->err == EAGAIN ? "The receive queue is empty, so recv on "
		    "a non-blocking socket says EAGAIN (WSAEWOULDBLOCK 10035) "
		    "instead of waiting. Nothing was sent yet, or everything "
		    "was read: wait for OnReceive before calling recv." :
		    r->err == ECONNRESET ? "The peer reset the connection. On "
		    "Linux recv first returns every byte that came before the "
		    "RST, then fails once with ECONNRESET, as now, then returns "
		    "0 (Winsock discards those bytes). All that is left to do "
		    "is close the socket." : NULL;
	default:
		break;
	}
	return NULL;
}

/* Ending a connection: close, shutdown, abort, the listener's close. */
static const char *
explain_close_text(enum lab_op op, const struct lab_result *r)
{
	switch (op) {
	case LAB_OP_CLIENT_CLOSE:
	case LAB_OP_CONN_CLOSE:
		return !lab_outcome_ok(r->outcome) ? NULL :
		    r->outcome == LAB_CANCELLED ?
		    "Closing a socket whose connect has not finished cancels "
		    "the connect: no connection existed, so nothing is sent. "
		    "This is how a program gives up on a server that does not "
		    "answer, instead of waiting for the kernel's own timeout." :
		    r->outcome == LAB_CLOSED_QUIETLY ?
		    "No connection was left to close, so close only gave the "
		    "descriptor back: nothing was sent, and no notification "
		    "follows on either side." :
		    r->outcome == LAB_CLOSED_RESET ? "The socket was closed "
		    "with bytes still unread, so Linux sends RST instead of "
		    "FIN. The peer gets OnClose(ECONNRESET) (FD_CLOSE) at "
		    "once; on Linux its recv still returns the bytes that had "
		    "reached it, then ECONNRESET. Winsock would discard "
		    "them." : "close gave "
		    "the socket back. The kernel sends FIN after any queued "
		    "data, and the peer sees OnClose(0) (FD_CLOSE) only once "
		    "it has read everything before it: end of stream is the "
		    "last thing in its queue.";
	case LAB_OP_SERVER_CLOSE:
		return lab_outcome_ok(r->outcome) ?
		    "The listener is closed. Connections still "
		    "waiting in its queue are reset, and a new connect is "
		    "refused." : NULL;
	case LAB_OP_CLIENT_SHUTDOWN:
	case LAB_OP_CONN_SHUTDOWN:
		return lab_outcome_ok(r->outcome) ?
		    "shutdown(SHUT_WR) sent FIN but kept the socket: "
		    "this side can still receive, while a send now fails with "
		    "EPIPE. The peer sees OnClose(0) once it has read "
		    "everything, and may go on sending." : NULL;
	case LAB_OP_CLIENT_ABORT:
	case LAB_OP_CONN_ABORT:
		return lab_outcome_ok(r->outcome) ?
		    "SO_LINGER with a zero timeout makes close send "
		    "RST instead of FIN and drop anything unsent. The peer "
		    "gets OnClose(ECONNRESET) (FD_CLOSE) at once, even with "
		    "data unread. On Linux it still reads the bytes that had "
		    "reached it: its recv returns them, then fails once with "
		    "ECONNRESET. Winsock discards those bytes." : NULL;
	default:
		break;
	}
	return NULL;
}

/* The urgent byte: sent with MSG_OOB, and read apart from the stream. */
static const char *
explain_urgent_text(enum lab_op op, const struct lab_result *r)
{
	switch (op) {
	case LAB_OP_CONN_URGENT:
	case LAB_OP_CLIENT_URGENT:
		return lab_outcome_ok(r->outcome) ?
		    "send with MSG_OOB marked one byte urgent. The "
		    "peer's kernel raises SIGURG, which becomes "
		    "OnOutOfBandData (FD_OOB). Linux holds one urgent byte "
		    "apart from the stream. If a newer one arrives before this "
		    "one is read with MSG_OOB, this one is dropped when it is "
		    "next in the stream, and stays in the stream as a plain "
		    "byte when unread bytes are before it. A plain recv that "
		    "reaches the urgent byte stops before it, and the next "
		    "recv skips it: it is lost." : NULL;
	case LAB_OP_CLIENT_READ_URGENT:
	case LAB_OP_CONN_READ_URGENT:
		return lab_outcome_ok(r->outcome) ?
		    "recv with MSG_OOB read the urgent byte apart "
		    "from the stream and re-enabled OnOutOfBandData (FD_OOB)." :
		    r->err == EINVAL ? "No urgent byte waits: none was sent, it "
		    "was read already, a newer one replaced it, or a plain recv "
		    "passed its place in the stream, which drops it on Linux." :
		    NULL;
	default:
		break;
	}
	return NULL;
}

/* Filling a send queue until EAGAIN, and draining the other end. */
static const char *
explain_flow_text(enum lab_op op, const struct lab_result *r)
{
	switch (op) {
	case LAB_OP_CLIENT_FILL:
	case LAB_OP_CONN_FILL:
		return r->err != EAGAIN ? NULL : "send was called until the "
		    "kernel refused: this side's send queue is full, and the "
		    "peer, which does not read, holds what its receive buffer "
		    "takes. OnSend (FD_WRITE) fires once room frees up, which "
		    "is the one time OnSend comes again: when the peer reads, "
		    "or without a read when Linux enlarges the peer's receive "
		    "buffer, as it may after the peer has read a lot.";
	case LAB_OP_CLIENT_DRAIN:
	case LAB_OP_CONN_DRAIN:
		return lab_outcome_ok(r->outcome) ?
		    "recv was called until the queue was empty. The "
		    "peer's kernel can now send what it held back, and if the "
		    "peer's send had failed with EAGAIN, its OnSend fires." :
		    NULL;
	default:
		break;
	}
	return NULL;
}

/*
 * The step's sentences, without the method in front; NULL when the
 * result needs none beyond its own detail. One function per family of
 * steps, each keyed as in explain_method. A sentence that names a key is
 * written into buf.
 */
static const char *
explain_step_text(const struct lab *lab, enum lab_op op,
    const struct lab_sock *p, const struct lab_result *r, char *buf,
    size_t len)
{
	switch (op) {
	case LAB_OP_SERVER_CREATE: case LAB_OP_LISTEN:
	case LAB_OP_CLIENT_CREATE: case LAB_OP_NEW_CLIENT:
	case LAB_OP_CONNECT: case LAB_OP_ACCEPT:
		return explain_setup_text(lab, op, r, buf, len);
	case LAB_OP_CONN_SEND: case LAB_OP_CLIENT_SEND: case LAB_OP_SEND_ALL:
	case LAB_OP_CLIENT_RECEIVE: case LAB_OP_CONN_RECEIVE:
		return explain_data_text(lab, op, r);
	case LAB_OP_CLIENT_CLOSE: case LAB_OP_CONN_CLOSE:
	case LAB_OP_SERVER_CLOSE: case LAB_OP_CLIENT_SHUTDOWN:
	case LAB_OP_CONN_SHUTDOWN: case LAB_OP_CLIENT_ABORT:
	case LAB_OP_CONN_ABORT:
		return explain_close_text(op, r);
	case LAB_OP_CONN_URGENT: case LAB_OP_CLIENT_URGENT:
	case LAB_OP_CLIENT_READ_URGENT: case LAB_OP_CONN_READ_URGENT:
		return explain_urgent_text(op, r);
	case LAB_OP_CLIENT_FILL: case LAB_OP_CONN_FILL:
	case LAB_OP_CLIENT_DRAIN: case LAB_OP_CONN_DRAIN:
		return explain_flow_text(op, r);
	default:
		break;
	}
	(void)p;
	return NULL;
}

void
explain_step(const struct lab *lab, enum lab_op op, const struct lab_sock *p,
    const struct lab_result *r, char *buf, size_t len)
{
	const char *t, *m = explain_method(op);
	char head[48], said[512];
	int client = p->which == LAB_CLIENT;

	if (r->outcome == LAB_NOT_NOW) {
		snprintf(buf, len, "Nothing was called: %s.", r->detail);
		return;
	}
	/* "CAsyncSocket::Receive: ", the article's name for the step. */
	head[0] = '\0';
	if (m != NULL)
		snprintf(head, sizeof head, "CAsyncSocket::%s: ", m);
	t = explain_step_text(lab, op, p, r, said, sizeof said);
	if (t == NULL && (op == LAB_OP_CLIENT_RECEIVE ||
	    op == LAB_OP_CONN_RECEIVE) && lab_outcome_ok(r->outcome)) {
		snprintf(buf, len, "%srecv moved bytes from the kernel's "
		    "receive queue into the program%s. %s", head,
		    p->view.inq > 0 ? ", and more are still queued" : "",
		    p->sock != NULL && asock_state(p->sock) ==
		    ASOCK_PEER_CLOSED ? "OnClose has come already, and after "
		    "it no notification comes: recv again until it says 0 or "
		    "ECONNRESET, then close." : explain_rearm(lab));
		return;
	}
	if (t != NULL)
		snprintf(buf, len, "%s%s", head, t);
	else if (r->err != 0)
		snprintf(buf, len, "%s%s failed with %s: %s.", head,
		    client ? "The client's call" : "The call",
		    errname_name(r->err), r->detail);
	else
		snprintf(buf, len, "%s%s.", head, r->detail);
}

/* "Client", "Server-Send #2": the socket a notification paragraph names. */
static void
explain_who(const struct lab_sock *p, char *buf, size_t len)
{
	if (p->id > 1)
		snprintf(buf, len, "%s #%u", lab_pane_name(p->which), p->id);
	else
		snprintf(buf, len, "%s", lab_pane_name(p->which));
}

/*
 * Whether "this side may still send" is true: the socket is open, its
 * connection is still there, and it has not shut down its sending side.
 */
static int
explain_may_send(const struct lab_sock *p)
{
	return lab_is_open(p) && (p->view.tcp_state == TCP_CLOSE_WAIT ||
	    p->view.tcp_state == TCP_ESTABLISHED);
}

/*
 * OnConnect: how the handshake ended. The refusal says what to do next,
 * which depends on whether the server is this tcpstep or another one.
 */
static void
explain_on_connect(const struct lab *lab, const char *who, int err,
    char *buf, size_t len)
{
	const char *new_key = lab_key_name(lab, LAB_OP_NEW_CLIENT);
	const char *connect_key = lab_key_name(lab, LAB_OP_CONNECT);
	char listen_text[32];

	if (err == ETIMEDOUT) {
		snprintf(buf, len, "%s OnConnect(ETIMEDOUT) "
		    "(FD_CONNECT): nothing ever answered the SYN, and "
		    "the kernel gave up after retrying it (about two "
		    "minutes by default, net.ipv4.tcp_syn_retries). A "
		    "program would give up sooner by closing the "
		    "socket (%s).", who,
		    lab_key_name(lab, LAB_OP_CLIENT_CLOSE));
		return;
	}
	snprintf(listen_text, sizeof listen_text, "Listen (%s)",
	    lab_key_name(lab, LAB_OP_LISTEN));
	if (err == 0)
		snprintf(buf, len, "%s OnConnect(0) (FD_CONNECT): the "
		    "handshake finished and the client is connected, "
		    "whether or not the server has called accept. "
		    "OnSend follows: a new connection may send.", who);
	else if (err == ECONNREFUSED)
		snprintf(buf, len, "%s OnConnect(ECONNREFUSED) "
		    "(FD_CONNECT): the server's kernel answered the SYN "
		    "with RST because nothing listens on that port. The "
		    "1 byte now shown queued out is the SYN, never "
		    "acknowledged: SIOCOUTQ counts sequence numbers "
		    "sent and not acknowledged, and a SYN takes one. "
		    "%s, then press %s for a fresh client socket and %s "
		    "to connect it.", who, lab->cfg.role ==
		    LAB_ROLE_CLIENT ? "Start the server (tcpstep -s) "
		    "or check -p" : listen_text, new_key, connect_key);
	else
		snprintf(buf, len, "%s OnConnect(%s) (FD_CONNECT): the "
		    "connect failed. Press %s for a fresh client socket "
		    "and %s to try again.", who, errname_name(err), new_key,
		    connect_key);
}

/* OnReceive: one-shot under Winsock, once per arrival on an edge. */
static void
explain_on_receive(const struct lab *lab, const struct lab_sock *p,
    const char *who, char *buf, size_t len)
{
	if (lab->edge)
		snprintf(buf, len, "%s OnReceive (FD_READ) on an edge: "
		    "new bytes arrived (%d queued). Under the "
		    "edge-triggered model each arrival fires again, "
		    "whether or not the program called recv in "
		    "between.", who, p->view.inq);
	else
		snprintf(buf, len, "%s OnReceive (FD_READ): bytes wait "
		    "in the receive queue. It does not fire again until "
		    "recv is called: more bytes arriving meanwhile give "
		    "no new OnReceive.", who);
}

/*
 * OnClose: a graceful close (FIN, after everything was read) or a reset,
 * which comes at once and may leave bytes that Linux still lets recv read.
 */
static void
explain_on_close(const struct lab_sock *p, const char *who, int err,
    char *buf, size_t len)
{
	int client = p->which == LAB_CLIENT;
	const char *recv_key = lab_key_name(p->lab, client ?
	    LAB_OP_CLIENT_RECEIVE : LAB_OP_CONN_RECEIVE);
	const char *close_key = lab_key_name(p->lab, client ?
	    LAB_OP_CLIENT_CLOSE : LAB_OP_CONN_CLOSE);
	char may_send[64] = "";

	if (explain_may_send(p))
		snprintf(may_send, sizeof may_send, " This side may still "
		    "send until it closes (%s).", close_key);
	if (err == 0)
		snprintf(buf, len, "%s OnClose(0) (FD_CLOSE): the peer "
		    "closed gracefully, and every byte it sent before "
		    "its FIN has been read; end of stream waits behind "
		    "the data, which is why OnClose comes only now.%s",
		    who, may_send);
	else if (p->view.inq > 0)
		snprintf(buf, len, "%s OnClose(%s) (FD_CLOSE): the peer "
		    "reset the connection: it aborted, closed with bytes "
		    "unread, or its listener went away. A reset is "
		    "reported at once, even while OnReceive waits to be "
		    "re-enabled. The %d bytes that reached this side "
		    "before the RST are still queued: on Linux recv (%s) "
		    "returns them, then fails once with ECONNRESET "
		    "(Winsock would have discarded them); then close "
		    "this socket (%s).", who, errname_name(err),
		    p->view.inq, recv_key, close_key);
	else
		snprintf(buf, len, "%s OnClose(%s) (FD_CLOSE): the peer "
		    "reset the connection: it aborted, closed with bytes "
		    "unread, or its listener went away. Nothing that "
		    "reached this side is left unread; close this socket "
		    "(%s).", who, errname_name(err), close_key);
}

void
explain_note(const struct lab *lab, const struct lab_sock *p,
    enum asock_note note, int err, char *buf, size_t len)
{
	char who[32];

	explain_who(p, who, sizeof who);
	switch (note) {
	case ASOCK_ON_ACCEPT:
		snprintf(buf, len, "%s OnAccept (FD_ACCEPT): a connection "
		    "finished its handshake and waits in the listener's queue. "
		    "Call accept (%s) to take it; until then OnAccept does not "
		    "fire again, however many more arrive.", who,
		    lab_key_name(lab, LAB_OP_ACCEPT));
		break;
	case ASOCK_ON_CONNECT:
		explain_on_connect(lab, who, err, buf, len);
		break;
	case ASOCK_ON_SEND:
		snprintf(buf, len, "%s %s", who, lab->edge ? "OnSend "
		    "(FD_WRITE) on an edge: under the edge-triggered model the "
		    "socket reports itself writable on every wakeup, including "
		    "when data arrives, so OnSend comes far more often than "
		    "under Winsock." : "OnSend (FD_WRITE): the socket may "
		    "send. Under the Winsock model it comes once when the "
		    "connection is up, then only after a send failed with "
		    "EAGAIN and room came free.");
		break;
	case ASOCK_ON_RECEIVE:
		explain_on_receive(lab, p, who, buf, len);
		break;
	case ASOCK_ON_OOB:
		snprintf(buf, len, "%s OnOutOfBandData (FD_OOB): an urgent "
		    "byte waits. Read it with MSG_OOB (%s) before any plain "
		    "recv reaches it; until then this notification does not "
		    "fire again.", who, lab_key_name(lab,
		    p->which == LAB_CLIENT ? LAB_OP_CLIENT_READ_URGENT :
		    LAB_OP_CONN_READ_URGENT));
		break;
	case ASOCK_ON_CLOSE:
		explain_on_close(p, who, err, buf, len);
		break;
	default:
		snprintf(buf, len, "%s %s.", who, asock_note_name(note));
		break;
	}
}

/*
 * One segment of the table below. A data segment names its size, taken
 * from the constants that define the records: "data 13 bytes" + label.
 * flags, bytes and repeat are what the wire is compared with.
 */
struct explain_seg_row {
	int		 to_server;
	const char	*label;
	size_t		 bytes;		/* a data segment's, or 0 */
	unsigned char	 flags;		/* WIRE_* */
	long		 len;		/* its payload, or EXPLAIN_LEN_ANY */
	int		 repeat;	/* several of it may come */
};

#define SEG(to, label, fl)	{ to, label, 0, fl, 0, 0 }
#define DATA(to, label, n, fl)	{ to, label, n, fl, n, 0 }
#define MANY(to, label, fl, len) { to, label, 0, fl, len, 1 }
#define URGENT(to)		{ to, "URG data 1 byte", 0, WIRE_URG | F_DATA, 1, 0 }
#define F_ACK			WIRE_ACK
#define F_DATA			(WIRE_PSH | WIRE_ACK)

static void
explain_seg_put(struct explain_seg *out, const struct explain_seg_row *s)
{
	out->to_server = s->to_server;
	if (s->bytes > 0)
		snprintf(out->label, sizeof out->label, "data %zu bytes%s",
		    s->bytes, s->label);
	else
		snprintf(out->label, sizeof out->label, "%s", s->label);
	out->flags = s->flags;
	out->len = s->len;
	out->repeat = s->repeat;
}

/*
 * Whether step op, with result r, put nothing on the wire whatever the
 * table says: closing what is no connection (any more), and a connect
 * that started no handshake. Only EINPROGRESS, or an error the handshake
 * itself ended with, means a SYN went out; connect = 0 on Linux's
 * non-blocking socket confirms a connect that finished before (an
 * EINPROGRESS one), and EISCONN, EALREADY and the like refuse at once.
 */
static int
explain_sends_nothing(enum lab_op op, const struct lab_result *r)
{
	if (op == LAB_OP_CLIENT_CLOSE || op == LAB_OP_CONN_CLOSE)
		return r->outcome == LAB_CLOSED_QUIETLY;
	if (op != LAB_OP_CONNECT)
		return 0;
	if (r->outcome == LAB_IN_PROGRESS)
		return 0;
	return !(r->outcome == LAB_FAILED && (r->err == ECONNREFUSED ||
	    r->err == ETIMEDOUT || r->err == ECONNRESET));
}

int
explain_segments(enum lab_op op, const struct lab_sock *p,
    const struct lab_result *r, struct explain_seg *out, int max)
{
	/* The client's side is on the left; "to_server" points right. */
	static const struct {
		enum lab_op	 op;
		int		 ok;		/* 1: on success, 0: any */
		struct explain_seg_row segs[3];
	} table[] = {
		{ LAB_OP_CONNECT, 0,
		    { SEG(1, "SYN", WIRE_SYN),
		    SEG(0, "SYN, ACK", WIRE_SYN | WIRE_ACK), SEG(1, "ACK", F_ACK) } },
		{ LAB_OP_CONN_SEND, 1,
		    { DATA(0, "", LAB_RECORD_SIZE, F_DATA), SEG(1, "ACK", F_ACK) } },
		{ LAB_OP_SEND_ALL, 1,
		    { { 0, " (each)", LAB_RECORD_SIZE, F_DATA, LAB_RECORD_SIZE, 1 },
		    MANY(1, "ACK", F_ACK, 0) } },
		{ LAB_OP_CLIENT_SEND, 1,
		    { DATA(1, "", LAB_LINE_SIZE, F_DATA), SEG(0, "ACK", F_ACK) } },
		{ LAB_OP_CLIENT_CLOSE, 1, { SEG(1, "FIN, ACK", WIRE_FIN | F_ACK),
		    SEG(0, "ACK", F_ACK) } },
		{ LAB_OP_CLIENT_SHUTDOWN, 1,
		    { SEG(1, "FIN, ACK", WIRE_FIN | F_ACK), SEG(0, "ACK", F_ACK) } },
		{ LAB_OP_CONN_CLOSE, 1, { SEG(0, "FIN, ACK", WIRE_FIN | F_ACK),
		    SEG(1, "ACK", F_ACK) } },
		{ LAB_OP_CONN_SHUTDOWN, 1,
		    { SEG(0, "FIN, ACK", WIRE_FIN | F_ACK), SEG(1, "ACK", F_ACK) } },
		{ LAB_OP_CLIENT_ABORT, 1, { SEG(1, "RST", WIRE_RST | F_ACK) } },
		{ LAB_OP_CONN_ABORT, 1, { SEG(0, "RST", WIRE_RST | F_ACK) } },
		{ LAB_OP_CONN_URGENT, 1,
		    { URGENT(0),
		    SEG(1, "ACK", F_ACK) } },
		{ LAB_OP_CLIENT_URGENT, 1,
		    { URGENT(1),
		    SEG(0, "ACK", F_ACK) } },
		{ LAB_OP_CLIENT_FILL, 0,
		    { MANY(1, "data ... until the window is full", F_ACK,
		    EXPLAIN_LEN_ANY),
		    MANY(0, "ACK, window 0", F_ACK, 0) } },
		{ LAB_OP_CONN_FILL, 0,
		    { MANY(0, "data ... until the window is full", F_ACK,
		    EXPLAIN_LEN_ANY),
		    MANY(1, "ACK, window 0", F_ACK, 0) } },
		{ LAB_OP_CLIENT_DRAIN, 1, { SEG(1, "window update", F_ACK) } },
		{ LAB_OP_CONN_DRAIN, 1, { SEG(0, "window update", F_ACK) } },
		{ LAB_OP_SERVER_CLOSE, 1,
		    { MANY(0, "RST to each queued connection",
		    WIRE_RST | F_ACK, 0) } },
	};
	size_t i;
	int n = 0, k;

	if (r->outcome == LAB_NOT_NOW || explain_sends_nothing(op, r))
		return 0;
	/* All in one, a connect with nobody listening meets RST. */
	if (op == LAB_OP_CONNECT && p->lab->cfg.role == LAB_ALL_IN_ONE &&
	    p->lab->server.view.tcp_state != TCP_LISTEN && n < max - 1) {
		explain_seg_put(&out[n++], &(struct explain_seg_row)
		    SEG(1, "SYN", WIRE_SYN));
		explain_seg_put(&out[n++], &(struct explain_seg_row)
		    SEG(0, "RST, ACK: refused", WIRE_RST | F_ACK));
		return n;
	}
	/* Closing with bytes unread is abortive, whatever was meant. */
	if ((op == LAB_OP_CLIENT_CLOSE || op == LAB_OP_CONN_CLOSE) &&
	    r->outcome == LAB_CLOSED_RESET)
		op = op == LAB_OP_CLIENT_CLOSE ? LAB_OP_CLIENT_ABORT :
		    LAB_OP_CONN_ABORT;
	for (i = 0; i < sizeof table / sizeof table[0]; i++) {
		if (table[i].op != op ||
		    (table[i].ok && !lab_outcome_ok(r->outcome)))
			continue;
		for (k = 0; k < 3 && table[i].segs[k].label != NULL &&
		    n < max; k++)
			explain_seg_put(&out[n++], &table[i].segs[k]);
	}
	return n;
}

/*
 * The Explain area's words on what the wire showed beside the ladder.
 * Each sentence says what the segment itself shows, or what TCP allows
 * (the RFCs named); each one that says what Linux did is checked against
 * the kernel by tests/wire.sh (RST for unread bytes, the zero window and
 * the EAGAIN behind it, the probes, the window update, the urgent
 * pointer).
 */
void
explain_wire(const struct lab *lab, enum lab_wire_note note,
    const struct lab_wire_seg *s, char *buf, size_t len)
{
	const char *from = s->to_server ? "the client" : "the server";
	const char *to = s->to_server ? "the server" : "the client";
	const char *From = s->to_server ? "The client" : "The server";

	(void)lab;
	switch (note) {
	case LAB_WIRE_RST_NOT_FIN:
		snprintf(buf, len, "Wire: RST, not FIN. close() found bytes "
		    "%s had not read, so Linux reset the connection instead "
		    "of closing it with FIN: the unread bytes are thrown "
		    "away and %s's OnClose reports ECONNRESET. Read "
		    "everything before closing to close gracefully.", from,
		    to);
		break;
	case LAB_WIRE_COALESCED:
		snprintf(buf, len, "Wire: sends coalesced. This segment "
		    "carried %lu bytes where the ladder drew one send of "
		    "fewer: TCP is a byte stream, and a sender may put what "
		    "several send() calls wrote into one segment (RFC 9293). "
		    "recv() sees bytes, never where one send ended.",
		    (unsigned long)s->len);
		break;
	case LAB_WIRE_PIGGYBACK:
		snprintf(buf, len, "Wire: ACK piggy-backed. %s's segment "
		    "carries its own data and acknowledges what it had "
		    "received (ack=%lu): TCP lets an acknowledgement ride on "
		    "data going the other way, in place of a bare ACK.", From,
		    (unsigned long)s->ack);
		break;
	case LAB_WIRE_DELAYED_ACK:
		snprintf(buf, len, "Wire: delayed ACK. %s's bare ACK came more "
		    "than %d ms after the data it acknowledges: TCP lets a "
		    "receiver hold its ACK back a little (RFC 1122, delayed "
		    "ACK) in the hope of sending it with data.", From,
		    LAB_WIRE_DELAYED_USEC / 1000);
		break;
	case LAB_WIRE_WINDOW_UPDATE:
		snprintf(buf, len, "Wire: window update. Reading made room in "
		    "%s's receive buffer, and it said so in an ACK that "
		    "acknowledges nothing new (ack=%lu) but offers a larger "
		    "window (win=%lu bytes): %s may send again.", from,
		    (unsigned long)s->ack, s->win, to);
		break;
	case LAB_WIRE_ZERO_WINDOW:
		snprintf(buf, len, "Wire: zero window. %s's receive buffer is "
		    "full: its ACK offers win=0, and %s must stop sending. "
		    "Its send() fails with EAGAIN once its own send queue is "
		    "full too. Reading on %s's side (drain) opens the window "
		    "again.", From, to, from);
		break;
	case LAB_WIRE_PROBE:
		snprintf(buf, len, "Wire: window probe. While %s's window is "
		    "0, Linux on %s's side sends a segment with no new data "
		    "again and again, waiting longer each time, one below the "
		    "acknowledged edge (seq=%lu), and %s answers with its "
		    "window: a lost window update cannot stall the connection "
		    "for ever.", to, from, (unsigned long)s->seq, to);
		break;
	case LAB_WIRE_URGENT:
		snprintf(buf, len, "Wire: urgent pointer. The urgent byte went "
		    "out with URG set, seq=%lu len=%lu urp=%u: Linux points "
		    "the urgent pointer one past the urgent byte (the BSD "
		    "reading; net.ipv4.tcp_stdurg=0, the default), so the "
		    "urgent byte is the one at seq+urp-1.",
		    (unsigned long)s->seq, (unsigned long)s->len,
		    (unsigned)s->urp);
		break;
	case LAB_WIRE_RETRANSMIT:
		snprintf(buf, len, "Wire: retransmission. %s sent again "
		    "sequence numbers it had sent before (seq=%lu, %lu "
		    "bytes): TCP sends again what it has no acknowledgement "
		    "for.", From, (unsigned long)s->seq,
		    (unsigned long)s->len);
		break;
	default:
		snprintf(buf, len, "%s", "");
		break;
	}
}
