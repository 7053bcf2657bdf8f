/*
 * lab_steps.c - the steps: the table that names every step by operation
 * (lab_op_pane, lab_op_name), and what the steps that use a connection
 * do to a socket (send, receive, close, urgent data, fill, drain; the
 * steps that set one up are in src/lab_setup.c). Each
 * step makes real, non-blocking system calls through asock and records
 * what the kernel answered, in the notation strace users read, with a
 * sentence on what it means, or refuses and says which step to take
 * first. A step never moves a counter: only a notification from the event
 * loop does (src/lab.c). Which key runs which step is src/bind.c's: the
 * sentences name a step's key as the front end does (lab_key_name).
 */
#include <errno.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "asock.h"
#include "errname.h"
#include "lab.h"
#include "lab_auto.h"
#include "lab_core.h"
#include "lab_setup.h"
#include "lab_steps.h"

/* A failure's outcome: EAGAIN is "not now", the rest a real failure. */
enum lab_outcome
lab_steps_failure(int err)
{
	return err == EAGAIN ? LAB_WOULD_BLOCK : LAB_FAILED;
}

/*
 * Row p's error came from the call named name ("connect"): the pane says
 * so beside the error.
 */
void
lab_steps_error_from(struct lab_sock *p, int err, const char *name)
{
	p->err = err;
	snprintf(p->err_from, sizeof p->err_from, "%s", name);
}

/*
 * Record a failed system call, name being the call's name and call how
 * it was made ("connect(5, 127.0.0.1:4000)"); the pane's error shows it
 * too.
 */
void
lab_steps_failed(struct lab_sock *p, struct lab_result *r, int err,
    const char *name, const char *call, const char *meaning)
{
	lab_steps_error_from(p, err, name);
	lab_say(r, lab_steps_failure(err), err, errname_name(err),
	    "%s = -1 %s: %s", call, errname_name(err), meaning);
}

/* Whether p has an open socket; if not, a refusal that says what to press. */
int
lab_steps_open(const struct lab_sock *p, struct lab_result *r)
{
	const struct lab *lab = p->lab;

	if (lab_is_open(p))
		return 1;
	if (p->which == LAB_SEND)
		lab_refuse(r, "no accepted connection %s: press %s (%s)%s",
		    p->sock != NULL ? "open in this row" : "yet",
		    lab_key_name(lab, LAB_OP_ACCEPT),
		    lab_op_name(LAB_OP_ACCEPT), p->sock != NULL ?
		    " or pick another row" : " first");
	else if (p->which == LAB_CLIENT)
		lab_refuse(r, "no client socket %s: press %s (%s)%s",
		    p->sock != NULL ? "open in this row" : "yet",
		    lab_key_name(lab, LAB_OP_CLIENT_CREATE),
		    lab_op_name(LAB_OP_CLIENT_CREATE),
		    p->sock != NULL ? " to make it again" : " first");
	else
		lab_refuse(r, "no server socket yet: press %s (%s) first",
		    lab_key_name(lab, LAB_OP_SERVER_CREATE),
		    lab_op_name(LAB_OP_SERVER_CREATE));
	return 0;
}

/* Steps 6 and 8: one time record; the client's line (LAB_LINE_SIZE). */
static void
lab_steps_send(struct lab *lab, struct lab_sock *p, struct lab_result *r)
{
	char rec[LAB_LINE_SIZE], call[64];
	size_t len = 0;
	ssize_t n;

	if (!lab_steps_open(p, r))
		return;
	/* The client's own record says it is the client's. */
	if (p->which == LAB_CLIENT) {
		len = sizeof LAB_LINE_PREFIX - 1;
		memcpy(rec, LAB_LINE_PREFIX, len);
	}
	lab_time_record(rec + len);
	len += LAB_RECORD_SIZE;
	snprintf(call, sizeof call, "send(%d, %zu bytes)", asock_fd(p->sock),
	    len);
	n = asock_send(p->sock, rec, len);
	if (n == -1) {
		lab_steps_failed(p, r, errno, "send", call, errno == EAGAIN ?
		    "the send buffer is full; OnSend will say when there is "
		    "room again" : errno == EPIPE ?
		    "this side shut down or closed its sending direction: "
		    "nothing more can be sent" : errno == ENOTCONN ?
		    "the socket is not connected" :
		    "the connection cannot carry data");
		return;
	}
	p->err = 0;
	lab_say(r, LAB_OK, 0, "OK", "%s = %zd: on its way into the %s receive "
	    "queue; nothing has been read yet", call, n,
	    p->which == LAB_SEND ? "client's" : lab->cfg.role ==
	    LAB_ALL_IN_ONE ? "Server-Send socket's" : "server's");
}

/* Step 7 reads --recv-size bytes; step 9 reads the client's line. */
size_t
lab_steps_recv_size(const struct lab *lab, const struct lab_sock *p)
{
	return p->which == LAB_CLIENT ? lab->cfg.recv_size : LAB_LINE_READ;
}

/* The receive itself, and its books: what was read and how much in all. */
ssize_t
lab_steps_recv(struct lab *lab, struct lab_sock *p)
{
	ssize_t n = asock_receive(p->sock, p->received,
	    lab_steps_recv_size(lab, p));

	if (n >= 0) {
		p->received_len = (size_t)n;
		p->have_received = 1;
		p->have_drained = 0;
		p->bytes_read += (unsigned long long)n;
	}
	return n;
}

/* What a receive that failed with err means, and what to do. */
static const char *
lab_steps_receive_meaning(const struct lab *lab, const struct lab_sock *p,
    int err, char *buf, size_t len)
{
	if (err == EAGAIN && lab->cfg.role != LAB_ALL_IN_ONE)
		return "nothing waits in the receive queue: the peer has sent "
		    "nothing that is still unread";
	if (err == EAGAIN)
		snprintf(buf, len, "nothing waits in the receive queue; "
		    "press %s to send first", lab_key_name(lab,
		    p->which == LAB_CLIENT ? LAB_OP_CONN_SEND :
		    LAB_OP_CLIENT_SEND));
	else if (err == ENOTCONN && p->which == LAB_CLIENT)
		snprintf(buf, len, "the socket is not connected: press %s "
		    "first", lab_key_name(lab, LAB_OP_CONNECT));
	else if (err == ENOTCONN)
		return "the socket is not connected";
	else if (err == ECONNRESET)
		return "the peer reset the connection, and every byte that "
		    "came before the RST has been read; Linux reports the "
		    "reset once, then recv returns 0";
	else
		return "the connection failed";
	return buf;
}

/* The step's result for a receive that returned n, errno err. */
void
lab_steps_received(struct lab *lab, struct lab_sock *p, struct lab_result *r,
    ssize_t n, int err)
{
	char call[64], brief[16], meaning[128];

	snprintf(call, sizeof call, "recv(%d, %zu)", asock_fd(p->sock),
	    lab_steps_recv_size(lab, p));
	if (n == -1) {
		lab_steps_failed(p, r, err, "recv", call,
		    lab_steps_receive_meaning(lab, p, err, meaning,
		    sizeof meaning));
		return;
	}
	p->err = 0;
	if (n == 0) {
		lab_say(r, LAB_END_OF_STREAM, 0, "end",
		    "%s = 0: end of stream: every byte "
		    "has been read, and the peer sent FIN (or its reset was "
		    "reported already)", call);
		return;
	}
	snprintf(brief, sizeof brief, "%zd byte%s", n, n == 1 ? "" : "s");
	lab_say(r, LAB_OK, 0, brief, "%s = %zd: read from the kernel's receive "
	    "queue into the program", call, n);
}

/* Steps 7 and 9: one recv() into the row's buffer. */
static void
lab_steps_receive(struct lab *lab, struct lab_sock *p, struct lab_result *r)
{
	ssize_t n;

	if (!lab_steps_open(p, r))
		return;
	n = lab_steps_recv(lab, p);
	lab_steps_received(lab, p, r, n, errno);
}

/*
 * Close (LAB_OP_CLIENT_CLOSE, LAB_OP_CONN_CLOSE, LAB_OP_SERVER_CLOSE):
 * close(), and what the kernel sends for it: FIN, RST with bytes unread,
 * or nothing at all when no connection is left.
 */
static void
lab_steps_close(struct lab *lab, struct lab_sock *p, struct lab_result *r)
{
	unsigned queued;
	int fd;

	if (!lab_steps_open(p, r))
		return;
	fd = asock_fd(p->sock);
	asock_view(p->sock, &p->view);
	queued = p->view.accept_queue;
	if (asock_close(p->sock) == -1) {
		lab_steps_failed(p, r, errno, "close", "close()",
		    "the descriptor was bad");
		return;
	}
	p->err = 0;
	lab_auto_fd_freed(lab);
	if (p->view.tcp_state == TCP_SYN_SENT)
		lab_say(r, LAB_CANCELLED, 0, "OK",
		    "close(%d) = 0: the connect is cancelled; "
		    "nothing was established, so there is no FIN to send: the "
		    "kernel stops retrying its SYN", fd);
	else if (p->which == LAB_SERVER) {
		lab->have_server_addr = 0;
		if (lab->cfg.role == LAB_ALL_IN_ONE)
			lab->have_target = 0;
		lab_say(r, LAB_OK, 0, "OK",
		    "close(%d) = 0: the listener is gone; "
		    "%u connection(s) still in its queue were reset, and new "
		    "connects are refused", fd, queued);
	} else if (p->view.tcp_state == TCP_CLOSE)
		/*
		 * No connection is left (none was made, the connect failed,
		 * or the peer reset it): close sends neither FIN nor RST.
		 */
		lab_say(r, LAB_CLOSED_QUIETLY, 0, "OK",
		    "close(%d) = 0: %s, so nothing goes on "
		    "the wire, no FIN and no RST: the descriptor is only given "
		    "back", fd, p->counts[ASOCK_ON_CLOSE] > 0 ? "the peer had "
		    "already reset the connection" : "the socket was not "
		    "connected");
	else if (p->view.inq > 0 || p->urgent_read)
		/*
		 * Closing with data unread makes Linux send RST. A byte read
		 * with MSG_OOB leaves its place in the stream unread too.
		 */
		lab_say(r, LAB_CLOSED_RESET, 0, "OK",
		    "close(%d) = 0 with %s: so the kernel "
		    "sends RST, not FIN. The peer gets OnClose(ECONNRESET) at "
		    "once; on Linux it still reads what had reached it, then "
		    "ECONNRESET", fd, p->view.inq > 0 ?
		    "bytes unread" : "the urgent byte's place in the stream "
		    "unread");
	else
		lab_say(r, LAB_OK, 0, "OK",
		    "close(%d) = 0: FIN follows any queued "
		    "data; the peer sees OnClose(0) once it has read "
		    "everything", fd);
}

/* Shutdown (LAB_OP_*_SHUTDOWN): the half-close; this side still receives. */
static void
lab_steps_shutdown(struct lab *lab, struct lab_sock *p, struct lab_result *r)
{
	char call[64];

	(void)lab;
	if (!lab_steps_open(p, r))
		return;
	snprintf(call, sizeof call, "shutdown(%d, SHUT_WR)", asock_fd(p->sock));
	if (asock_shutdown(p->sock) == -1) {
		lab_steps_failed(p, r, errno, "shutdown", call,
		    errno == ENOTCONN ? "the socket is not connected" :
		    "the kernel refused");
		return;
	}
	p->err = 0;
	lab_say(r, LAB_OK, 0, "OK", "%s = 0: half-close; FIN goes after queued "
	    "data, this side can still receive, and a send now fails with "
	    "EPIPE", call);
}

/* Abort (LAB_OP_*_ABORT): a zero linger makes close() send RST. */
static void
lab_steps_abort(struct lab *lab, struct lab_sock *p, struct lab_result *r)
{
	int fd;

	if (!lab_steps_open(p, r))
		return;
	fd = asock_fd(p->sock);
	if (asock_abort(p->sock) == -1) {
		lab_steps_failed(p, r, errno, "close", "close()",
		    "the descriptor was bad");
		return;
	}
	p->err = 0;
	lab_auto_fd_freed(lab);
	lab_say(r, LAB_OK, 0, "OK", "setsockopt(%d, SO_LINGER, {on, 0 s}) + "
	    "close(%d) = 0: RST instead of FIN; unsent data is dropped. The "
	    "peer gets OnClose(ECONNRESET) at once; on Linux it still reads "
	    "what had reached it, then ECONNRESET", fd, fd);
}

/*
 * Urgent send (LAB_OP_CONN_URGENT, LAB_OP_CLIENT_URGENT): one urgent byte
 * (MSG_OOB), a new letter each time.
 */
static void
lab_steps_send_urgent(struct lab *lab, struct lab_sock *p, struct lab_result *r)
{
	char call[64], c;

	if (!lab_steps_open(p, r))
		return;
	/* A new letter each time shows which urgent byte survived. */
	c = (char)('A' + lab->urgent_sent % 26);
	snprintf(call, sizeof call, "send(%d, \"%c\", 1, MSG_OOB)",
	    asock_fd(p->sock), c);
	if (asock_send_oob(p->sock, c) == -1) {
		lab_steps_failed(p, r, errno, "send", call, "the connection "
		    "cannot carry urgent data now");
		return;
	}
	p->err = 0;
	lab->urgent_sent++;
	lab_say(r, LAB_OK, 0, "OK",
	    "%s = 1: SIGURG tells the peer, which reads "
	    "it with recv MSG_OOB. Linux holds one urgent byte: a newer one "
	    "takes its place, and the older is dropped, or stays in the "
	    "stream as a plain byte if unread bytes were before it", call);
}

/*
 * Urgent read (LAB_OP_CLIENT_READ_URGENT, LAB_OP_CONN_READ_URGENT): the
 * urgent byte, read apart from the stream.
 */
static void
lab_steps_read_urgent(struct lab *lab, struct lab_sock *p, struct lab_result *r)
{
	char call[64], c;

	(void)lab;
	if (!lab_steps_open(p, r))
		return;
	snprintf(call, sizeof call, "recv(%d, 1, MSG_OOB)", asock_fd(p->sock));
	if (asock_receive_oob(p->sock, &c) != 1) {
		lab_steps_failed(p, r, errno, "recv", call, errno == EINVAL ?
		    "no urgent byte waits: none was sent, it was read already, "
		    "or a plain recv passed its place in the stream (Linux "
		    "drops it then)" : errno == EAGAIN ? "the urgent byte is announced "
		    "but has not arrived yet" : "the connection failed");
		return;
	}
	p->err = 0;
	p->received[0] = (unsigned char)c;
	p->received_len = 1;
	p->have_received = 1;
	p->have_drained = 0;
	p->urgent_read = 1;
	p->bytes_read++;
	lab_say(r, LAB_OK, 0, "1 urgent", "%s = 1: the urgent byte, read apart "
	    "from the stream; OnOutOfBandData is enabled again", call);
}

/* Fill (LAB_OP_*_FILL): send until EAGAIN, so that OnSend has a say. */
static void
lab_steps_fill(struct lab *lab, struct lab_sock *p, struct lab_result *r)
{
	static char chunk[16384];
	unsigned long total = 0, calls = 0;
	char call[64], how[48];
	ssize_t n;

	if (!lab_steps_open(p, r))
		return;
	memset(chunk, '.', sizeof chunk);
	snprintf(call, sizeof call, "send(%d, %zu bytes) repeated",
	    asock_fd(p->sock), sizeof chunk);
	while ((n = asock_send(p->sock, chunk, sizeof chunk)) > 0) {
		total += (unsigned long)n;
		calls++;
	}
	if (errno != EAGAIN) {
		lab_steps_failed(p, r, errno, "send", call, "the connection "
		    "cannot carry data");
		return;
	}
	lab_steps_error_from(p, EAGAIN, "send");
	if (lab->cfg.role != LAB_ALL_IN_ONE)
		snprintf(how, sizeof how, ", when the peer reads");
	else if (p->which == LAB_SEND)
		snprintf(how, sizeof how, " (%s drains the Client)",
		    lab_key_name(lab, LAB_OP_CLIENT_DRAIN));
	else
		snprintf(how, sizeof how, " (%s drains Server-Send)",
		    lab_key_name(lab, LAB_OP_CONN_DRAIN));
	lab_say(r, LAB_FILLED, EAGAIN, "full",
	    "%s: %lu bytes in %lu calls, then -1 "
	    "EAGAIN: the send queue is full, and the peer holds what its "
	    "receive buffer takes. OnSend fires once room frees up%s", call,
	    total, calls, how);
}

/* Drain (LAB_OP_*_DRAIN): receive until EAGAIN; the peer's OnSend fires. */
static void
lab_steps_drain(struct lab *lab, struct lab_sock *p, struct lab_result *r)
{
	static unsigned char sink[65536];
	unsigned long total = 0;
	char call[64], brief[16];
	ssize_t n;

	(void)lab;
	if (!lab_steps_open(p, r))
		return;
	snprintf(call, sizeof call, "recv(%d, %zu) repeated",
	    asock_fd(p->sock), sizeof sink);
	while ((n = asock_receive(p->sock, sink, sizeof sink)) > 0)
		total += (unsigned long)n;
	p->bytes_read += total;
	p->have_drained = 1;
	p->drained = total;
	if (n == -1 && errno != EAGAIN) {
		lab_steps_failed(p, r, errno, "recv", call,
		    "the connection failed");
		return;
	}
	p->err = 0;
	snprintf(brief, sizeof brief, "%lu bytes", total);
	lab_say(r, LAB_OK, 0, brief, "%s: %lu bytes read until %s; the peer's "
	    "send queue empties and its OnSend can fire", call, total,
	    n == 0 ? "end of stream" : "EAGAIN");
}

/*
 * Send all (LAB_OP_SEND_ALL): Server-Send's Send on every open
 * connection, one result for them all.
 */
static void
lab_steps_send_all(struct lab *lab, struct lab_sock *p, struct lab_result *r)
{
	struct lab_result one;
	size_t i, sent = 0, tried = 0;
	int err = 0;

	(void)p;
	for (i = 0; i < lab->nconns; i++) {
		if (!lab_is_open(lab->conns[i]))
			continue;
		tried++;
		lab_steps_send(lab, lab->conns[i], &one);
		lab_row_said(lab->conns[i], LAB_OP_CONN_SEND, &one);
		if (lab_outcome_ok(one.outcome))
			sent++;
		else if (err == 0)
			err = one.err;
	}
	if (tried == 0) {
		lab_refuse(r, "no connection is open: press %s to accept one",
		    lab_key_name(lab, LAB_OP_ACCEPT));
		return;
	}
	if (sent == tried)
		lab_say(r, LAB_OK, 0, "OK", "send() of the time on each of %zu "
		    "connection(s): all %zu on their way", tried, sent);
	else
		lab_say(r, lab_steps_failure(err), err, errname_name(err),
		    "send() of the time on "
		    "each of %zu connection(s): %zu sent, %zu failed (first "
		    "error %s); the rows show which", tried, sent,
		    tried - sent, errname_name(err));
}

/* A step: the pane whose selected row it acts on, its name, its call. */
struct lab_steps_def {
	enum lab_pane	 pane;
	const char	*name;
	/* p: the row it acts on (a placeholder while its list is empty) */
	void		 (*run)(struct lab *, struct lab_sock *p,
			     struct lab_result *);
};

/*
 * Every step, by operation. The Client's steps and Server-Send's are the
 * same calls on the other end of the connection; which keys run them and
 * their help lines are in src/bind.c.
 */
static const struct lab_steps_def lab_steps_defs[LAB_OP_STEPS] = {
	[LAB_OP_SERVER_CREATE] = { LAB_SERVER, "Create",
	    lab_setup_server_create },
	[LAB_OP_LISTEN] = { LAB_SERVER, "Listen", lab_setup_listen },
	[LAB_OP_CLIENT_CREATE] = { LAB_CLIENT, "Create",
	    lab_setup_client_create },
	[LAB_OP_CONNECT] = { LAB_CLIENT, "Connect", lab_setup_connect },
	[LAB_OP_ACCEPT] = { LAB_SERVER, "Accept", lab_setup_accept },
	[LAB_OP_CONN_SEND] = { LAB_SEND, "Send", lab_steps_send },
	[LAB_OP_CLIENT_RECEIVE] = { LAB_CLIENT, "Receive", lab_steps_receive },
	[LAB_OP_CLIENT_SEND] = { LAB_CLIENT, "Send", lab_steps_send },
	[LAB_OP_CONN_RECEIVE] = { LAB_SEND, "Receive", lab_steps_receive },
	[LAB_OP_CLIENT_CLOSE] = { LAB_CLIENT, "Close", lab_steps_close },
	[LAB_OP_CONN_CLOSE] = { LAB_SEND, "Close", lab_steps_close },
	[LAB_OP_SERVER_CLOSE] = { LAB_SERVER, "Close", lab_steps_close },
	[LAB_OP_CLIENT_SHUTDOWN] = { LAB_CLIENT, "Shutdown",
	    lab_steps_shutdown },
	[LAB_OP_CONN_SHUTDOWN] = { LAB_SEND, "Shutdown", lab_steps_shutdown },
	[LAB_OP_CLIENT_ABORT] = { LAB_CLIENT, "Abort", lab_steps_abort },
	[LAB_OP_CONN_ABORT] = { LAB_SEND, "Abort", lab_steps_abort },
	[LAB_OP_CONN_URGENT] = { LAB_SEND, "Urgent", lab_steps_send_urgent },
	[LAB_OP_CLIENT_READ_URGENT] = { LAB_CLIENT, "Urgent",
	    lab_steps_read_urgent },
	[LAB_OP_CLIENT_URGENT] = { LAB_CLIENT, "Urg send",
	    lab_steps_send_urgent },
	[LAB_OP_CONN_READ_URGENT] = { LAB_SEND, "Urg read",
	    lab_steps_read_urgent },
	[LAB_OP_CLIENT_FILL] = { LAB_CLIENT, "Fill", lab_steps_fill },
	[LAB_OP_CONN_FILL] = { LAB_SEND, "Fill", lab_steps_fill },
	[LAB_OP_CLIENT_DRAIN] = { LAB_CLIENT, "Drain", lab_steps_drain },
	[LAB_OP_CONN_DRAIN] = { LAB_SEND, "Drain", lab_steps_drain },
	[LAB_OP_NEW_CLIENT] = { LAB_CLIENT, "New", lab_setup_new_client },
	[LAB_OP_SEND_ALL] = { LAB_SEND, "Send all", lab_steps_send_all }
};

enum lab_pane
lab_op_pane(enum lab_op op)
{
	return lab_op_is_step(op) ? lab_steps_defs[op].pane :
	    LAB_SERVER;
}

const char *
lab_op_name(enum lab_op op)
{
	if (lab_op_is_step(op))
		return lab_steps_defs[op].name;
	switch (op) {
	case LAB_OP_RESET:
		return "Reset";
	case LAB_OP_AUTO:
		return "Auto";
	case LAB_OP_MODEL:
		return "Model";
	case LAB_OP_CONN_NEXT:
	case LAB_OP_CONN_PREV:
	case LAB_OP_CLIENT_NEXT:
	case LAB_OP_CLIENT_PREV:
		return "Select";
	default:
		return "?";
	}
}

/* Run step op on row p with its result in r (op is a step). */
void
lab_steps_run(struct lab *lab, enum lab_op op, struct lab_sock *p,
    struct lab_result *r)
{
	lab_steps_defs[op].run(lab, p, r);
}
