/*
 * lab_steps.c - the steps: what each step operation does to a socket, and
 * the table that names them by operation (lab_op_pane, lab_op_name). Each
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

#include "addr.h"
#include "asock.h"
#include "errname.h"
#include "lab.h"
#include "lab_auto.h"
#include "lab_core.h"
#include "lab_resolve.h"
#include "lab_steps.h"

/* A failure's outcome: EAGAIN is "not now", the rest a real failure. */
static enum lab_outcome
lab_steps_failure(int err)
{
	return err == EAGAIN ? LAB_WOULD_BLOCK : LAB_FAILED;
}

/*
 * Row p's error came from the call named name ("connect"): the pane says
 * so beside the error.
 */
static void
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
static void
lab_steps_failed(struct lab_sock *p, struct lab_result *r, int err,
    const char *name, const char *call, const char *meaning)
{
	lab_steps_error_from(p, err, name);
	lab_say(r, lab_steps_failure(err), err, errname_name(err),
	    "%s = -1 %s: %s", call, errname_name(err), meaning);
}

/* Whether p has an open socket; if not, a refusal that says what to press. */
static int
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
		    " or pick another with Up/Down" : " first");
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

/* Make p's socket and bind it; shared by the Server's and Client's Create. */
static int
lab_steps_create(struct lab_sock *p, struct lab_result *r,
    const struct sockaddr *to, socklen_t len)
{
	char a[ADDR_STRLEN], call[128];

	addr_format(to, a, sizeof a);
	snprintf(call, sizeof call, "socket() + bind(%s)", a);
	if (asock_create(p->sock, to, len) == -1) {
		lab_steps_failed(p, r, errno, "socket", call,
		    errno == EADDRINUSE ? "another socket holds this address "
		    "and port; choose another --port, or leave it out to let "
		    "the kernel pick" :
		    errno == EACCES ? "ports below 1024 need privileges: "
		    "choose a port from 1024 up" : errno == EADDRNOTAVAIL ?
		    "no interface of this machine has that address (-B)" :
		    errno == EAFNOSUPPORT ? "this machine has no IPv6 (try -4)" :
		    errno == EMFILE ? "this process has no descriptor left" :
		    "the kernel refused to make or bind the socket");
		return -1;
	}
	p->err = 0;
	p->have_received = 0;
	p->urgent_read = 0;
	return 0;
}

/* Step 1: the server's socket, bound; all in one, the clients' target. */
static void
lab_steps_server_create(struct lab *lab, struct lab_sock *p,
    struct lab_result *r)
{
	char a[ADDR_STRLEN];
	socklen_t len = sizeof lab->server_addr;

	if (lab_is_open(p)) {
		lab_refuse(r, "the server socket already exists (fd %d); "
		    "press %s to reset and start over", asock_fd(p->sock),
		    lab_key_name(lab, LAB_OP_RESET));
		return;
	}
	asock_set_v6only(p->sock, lab->cfg.v6only);
	if (lab_steps_create(p, r, (struct sockaddr *)&lab->cfg.bind_addr,
	    lab->cfg.bind_len) == -1)
		return;
	getsockname(asock_fd(p->sock), (struct sockaddr *)&lab->server_addr,
	    &len);
	lab->server_len = len;
	lab->have_server_addr = 1;
	/* All in one, the clients connect where the server is. */
	if (lab->cfg.role == LAB_ALL_IN_ONE) {
		memcpy(&lab->target, &lab->server_addr, len);
		lab->target_len = len;
		lab->have_target = 1;
	}
	addr_format((struct sockaddr *)&lab->server_addr, a, sizeof a);
	addr_reachable((struct sockaddr *)&lab->server_addr,
	    lab->cfg.v6only == 1, lab->reachable, sizeof lab->reachable);
	if (addr_is_any((struct sockaddr *)&lab->server_addr))
		lab_say(r, LAB_OK, 0, "OK",
		    "socket() + bind() = fd %d at %s, every "
		    "address of this machine: %s. Nothing is accepted yet; "
		    "press %s to listen", asock_fd(p->sock), a, lab->reachable,
		    lab_key_name(lab, LAB_OP_LISTEN));
	else
		lab_say(r, LAB_OK, 0, "OK",
		    "socket() + bind() = fd %d at %s: the "
		    "server has an address but accepts nothing yet; press %s "
		    "to listen", asock_fd(p->sock), a,
		    lab_key_name(lab, LAB_OP_LISTEN));
}

/* Step 2: from now on the kernel completes handshakes by itself. */
static void
lab_steps_listen(struct lab *lab, struct lab_sock *p, struct lab_result *r)
{
	char call[64];
	/*
	 * The seed's CAsyncSocket::Listen asks for 5; a server for a whole
	 * class asks for the system's maximum so no student waits.
	 */
	int backlog = lab->cfg.role == LAB_ROLE_SERVER ? SOMAXCONN :
	    LAB_BACKLOG;

	if (!lab_steps_open(p, r))
		return;
	snprintf(call, sizeof call, "listen(%d, %d)", asock_fd(p->sock),
	    backlog);
	if (asock_listen(p->sock, backlog) == -1) {
		lab_steps_failed(p, r, errno, "listen", call,
		    "the socket cannot listen");
		return;
	}
	p->err = 0;
	lab_say(r, LAB_OK, 0, "OK", "%s = 0: the kernel now answers connection "
	    "requests by itself and queues them until accept()", call);
}

/* Where a client binds: next to the server all in one, else -B or any. */
static int
lab_steps_client_bind(const struct lab *lab, struct sockaddr_storage *ss,
    socklen_t *len)
{
	int fam;

	if (lab->cfg.bind_len > 0) {
		memcpy(ss, &lab->cfg.bind_addr, sizeof *ss);
		*len = lab->cfg.bind_len;
	} else {
		fam = lab->have_target ? lab->target.ss_family :
		    lab->cfg.family == AF_INET6 ? AF_INET6 : AF_INET;
		addr_parse(fam == AF_INET6 ? "::" : "0.0.0.0", 0, ss, len);
	}
	addr_set_port((struct sockaddr *)ss, 0);
	return 0;
}

/* Step 3: the selected client row's socket (the first row if none). */
static void
lab_steps_client_create(struct lab *lab, struct lab_sock *p,
    struct lab_result *r)
{
	struct sockaddr_storage ss;
	char a[ADDR_STRLEN];
	socklen_t len = sizeof ss;

	if (lab_is_open(p)) {
		lab_refuse(r, "this client socket already exists (fd %d); "
		    "press %s for another client, or %s to start over",
		    asock_fd(p->sock), lab_key_name(lab, LAB_OP_NEW_CLIENT),
		    lab_key_name(lab, LAB_OP_RESET));
		return;
	}
	/* The server's address decides IPv4 or IPv6: wait for the name. */
	if (lab->resolve_pending) {
		lab_refuse(r, "still resolving %s (IPv4 or IPv6 depends on "
		    "the answer); the title line shows when it is done",
		    lab->cfg.host);
		return;
	}
	if (p->sock == NULL) {		/* the list was empty: its first row */
		if ((p = lab_sock_new(lab, LAB_CLIENT)) == NULL) {
			lab_say(r, LAB_FAILED, ENOMEM, "ENOMEM",
			    "out of memory");
			return;
		}
		lab->clients[lab->nclients] = p;
		lab->client_sel = lab->nclients++;
	}
	lab_steps_client_bind(lab, &ss, &len);
	if (lab_steps_create(p, r, (struct sockaddr *)&ss, len) == -1)
		return;
	len = sizeof ss;
	getsockname(asock_fd(p->sock), (struct sockaddr *)&ss, &len);
	addr_format((struct sockaddr *)&ss, a, sizeof a);
	lab_say(r, LAB_OK, 0, "OK",
	    "socket() + bind() = fd %d at %s (a port the "
	    "kernel chose); press %s to connect", asock_fd(p->sock), a,
	    lab_key_name(lab, LAB_OP_CONNECT));
}

/* New (LAB_OP_NEW_CLIENT): another client row, made at once and selected. */
static void
lab_steps_new_client(struct lab *lab, struct lab_sock *p, struct lab_result *r)
{
	if (lab->nclients == 0) {
		lab_steps_client_create(lab, p, r);	/* the first row */
		return;
	}
	if (lab->nclients == LAB_CLIENTS_MAX) {
		lab_refuse(r, "this lab holds %d clients at most; close one "
		    "(%s) and press %s in its row, or %s to start over",
		    LAB_CLIENTS_MAX, lab_key_name(lab, LAB_OP_CLIENT_CLOSE),
		    lab_key_name(lab, LAB_OP_CLIENT_CREATE),
		    lab_key_name(lab, LAB_OP_RESET));
		return;
	}
	if (lab->resolve_pending) {
		lab_steps_client_create(lab, p, r);	/* says why not */
		return;
	}
	if ((p = lab_sock_new(lab, LAB_CLIENT)) == NULL) {
		lab_say(r, LAB_FAILED, ENOMEM, "ENOMEM", "out of memory");
		return;
	}
	lab->clients[lab->nclients] = p;
	lab->client_sel = lab->nclients++;
	lab_steps_client_create(lab, p, r);
	if (lab_outcome_ok(r->outcome))
		snprintf(r->detail + strlen(r->detail), sizeof r->detail -
		    strlen(r->detail), "; client #%u of %zu, selected", p->id,
		    lab->nclients);
}

/* What a connect that failed at once with err means, and what to do. */
static const char *
lab_steps_connect_meaning(const struct lab *lab, int err, char *buf, size_t len)
{
	if (err == EISCONN)
		return "this socket is already connected";
	if (err == EALREADY)
		return "a connect is already in progress";
	if (err == ECONNABORTED)
		snprintf(buf, len, "Linux reports here, once, that the last "
		    "connect on this socket failed, and resets the socket: the "
		    "next connect (%s) starts afresh",
		    lab_key_name(lab, LAB_OP_CONNECT));
	else if (err == EAFNOSUPPORT || err == EINVAL)
		snprintf(buf, len, "the client socket and the server's "
		    "address are of different families (IPv4, IPv6): press %s, "
		    "or use -4/-6", lab_key_name(lab, LAB_OP_RESET));
	else if (err == ENETUNREACH)
		return "no route to that network from this machine";
	else
		return "the kernel refused to start the connection";
	return buf;
}

/*
 * Step 4: a non-blocking connect, which returns before the handshake
 * ends; OnConnect says how it ended. Client role asks the resolver again
 * when the name did not resolve.
 */
static void
lab_steps_connect(struct lab *lab, struct lab_sock *p, struct lab_result *r)
{
	char a[ADDR_STRLEN], call[128], meaning[160];
	int connected, err;

	if (!lab_steps_open(p, r))
		return;
	if (lab->resolve_pending) {
		lab_refuse(r, "still resolving %s; the title line shows when "
		    "it is done", lab->cfg.host);
		return;
	}
	if (lab->cfg.role == LAB_ROLE_CLIENT && !lab->have_target) {
		/* Explained on the step, then asked again. */
		p->err = 0;
		lab_say(r, LAB_FAILED, 0,
		    lab_resolve_eai_name(lab->resolve_err),
		    "getaddrinfo(\"%s\") = %s: %s. Asking again now",
		    lab->cfg.host, lab_resolve_eai_name(lab->resolve_err),
		    lab_resolve_eai_meaning(lab, lab->resolve_err, meaning,
		    sizeof meaning));
		lab_resolve_start(lab);
		return;
	}
	if (!lab->have_target) {
		lab_refuse(r, "the server has no address yet: press %s first "
		    "(its port exists only once it is bound)",
		    lab_key_name(lab, LAB_OP_SERVER_CREATE));
		return;
	}
	addr_format((struct sockaddr *)&lab->target, a, sizeof a);
	snprintf(call, sizeof call, "connect(%d, %s)", asock_fd(p->sock), a);
	connected = asock_state(p->sock) == ASOCK_CONNECTED ||
	    asock_state(p->sock) == ASOCK_PEER_CLOSED;
	if (asock_connect(p->sock, (struct sockaddr *)&lab->target,
	    lab->target_len) == 0) {
		p->err = 0;
		lab_say(r, LAB_OK, 0, "OK", connected ? "%s = 0: already "
		    "connected; Linux confirms a finished non-blocking connect "
		    "once like this, and says EISCONN after that" :
		    "%s = 0: connected at once; OnConnect will confirm it",
		    call);
	} else if (errno == EINPROGRESS) {
		lab_steps_error_from(p, EINPROGRESS, "connect");
		lab_say(r, LAB_IN_PROGRESS, EINPROGRESS, "in progress",
		    "%s = -1 EINPROGRESS:"
		    " normal for a non-blocking socket; the handshake goes on "
		    "in the kernel and OnConnect will say how it ended", call);
	} else {
		err = errno;
		lab_steps_failed(p, r, err, "connect", call,
		    lab_steps_connect_meaning(lab, err, meaning,
		    sizeof meaning));
	}
}

/*
 * Over --max-conns: accept the connection and close it at once, so the
 * peer learns at once instead of waiting in the queue.
 */
static void
lab_steps_accept_over(struct lab *lab, struct lab_sock *p, struct lab_result *r)
{
	struct lab_sock q;
	char call[64];
	int fd;

	snprintf(call, sizeof call, "accept(%d)", asock_fd(p->sock));
	if (lab_sock_init(lab, &q, LAB_SEND) == -1) {
		lab->accept_starved = 1;
		lab_steps_failed(p, r, ENOMEM, "accept", call, "out of memory");
		return;
	}
	if (asock_accept(p->sock, q.sock) == -1) {
		/*
		 * Out of descriptors, the over-limit connection stays queued
		 * and OnAccept stays off (asock_accept); a descriptor freed
		 * later retries, as for any other accept (lab_auto_fd_freed).
		 */
		lab->accept_starved = asock_starved(errno);
		lab_steps_failed(p, r, errno, "accept", call,
		    lab->accept_starved ? "no "
		    "descriptor is left even to close this connection at once; "
		    "it stays queued until a connection closes" :
		    "the kernel could not hand over a connection");
		lab_sock_clear(&q);
		return;
	}
	lab->accept_starved = 0;
	fd = asock_fd(q.sock);
	lab_sock_clear(&q);
	lab_say_line(lab, "server      over --max-conns %zu: fd %d closed "
	    "at once", lab->cfg.max_conns, fd);
	p->err = 0;
	lab_say(r, LAB_OVER_LIMIT, 0, "full",
	    "%s = fd %d, then close(%d): this server "
	    "already holds %zu connections (--max-conns), so the peer sees "
	    "its connection closed at once", call, fd, fd,
	    lab->cfg.max_conns);
}

/* What an accept that failed with err means, and what to do. */
static const char *
lab_steps_accept_meaning(const struct lab *lab, int err, char *buf, size_t len)
{
	if (err == EAGAIN)
		return "no connection waits in the listen queue (that is what "
		    "OnAccept would have announced)";
	if (err == EINVAL)
		snprintf(buf, len, "the socket is not listening: press %s "
		    "first", lab_key_name(lab, LAB_OP_LISTEN));
	else if (lab->accept_starved)
		snprintf(buf, len, "no descriptor is left for a new socket; "
		    "the connection stays queued. OnAccept waits until an "
		    "accept succeeds (it would only fail again): close a "
		    "connection, then press %s",
		    lab_key_name(lab, LAB_OP_ACCEPT));
	else
		return "the kernel could not hand over a connection";
	return buf;
}

/* Step 5: a queued connection gets its own socket, a Server-Send row. */
static void
lab_steps_accept(struct lab *lab, struct lab_sock *p, struct lab_result *r)
{
	struct lab_sock *q;
	char call[64], meaning[256];
	int err;

	if (!lab_steps_open(p, r))
		return;
	if (lab_open_conns(lab) >= lab->cfg.max_conns) {
		lab_steps_accept_over(lab, p, r);
		return;
	}
	snprintf(call, sizeof call, "accept(%d)", asock_fd(p->sock));
	if ((q = lab_conn_new(lab)) == NULL) {
		lab->accept_starved = 1;	/* OnAccept stays off: retry later */
		lab_steps_failed(p, r, ENOMEM, "accept", call, "out of memory");
		return;
	}
	if (asock_accept(p->sock, q->sock) == -1) {
		err = errno;
		lab_conn_drop_last(lab);
		lab->accept_starved = asock_starved(err);
		lab_steps_failed(p, r, err, "accept", call,
		    lab_steps_accept_meaning(lab, err, meaning,
		    sizeof meaning));
		return;
	}
	lab->accept_starved = 0;
	p->err = 0;
	lab_auto_timer_on(lab);
	/* Auto mode leaves the learner's selection where it was. */
	if (!lab->auto_running || lab->nconns == 1)
		lab->conn_sel = lab->nconns - 1;
	asock_view(q->sock, &q->view);
	lab_say(r, LAB_OK, 0, "OK",
	    "%s = fd %d: a new socket, Server-Send #%u, "
	    "carries this connection; the listener keeps listening", call,
	    asock_fd(q->sock), q->id);
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
	    lab_steps_server_create },
	[LAB_OP_LISTEN] = { LAB_SERVER, "Listen", lab_steps_listen },
	[LAB_OP_CLIENT_CREATE] = { LAB_CLIENT, "Create",
	    lab_steps_client_create },
	[LAB_OP_CONNECT] = { LAB_CLIENT, "Connect", lab_steps_connect },
	[LAB_OP_ACCEPT] = { LAB_SERVER, "Accept", lab_steps_accept },
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
	[LAB_OP_NEW_CLIENT] = { LAB_CLIENT, "New", lab_steps_new_client },
	[LAB_OP_SEND_ALL] = { LAB_SEND, "Send all", lab_steps_send_all }
};

enum lab_pane
lab_op_pane(enum lab_op op)
{
	return (unsigned)op < LAB_OP_STEPS ? lab_steps_defs[op].pane :
	    LAB_SERVER;
}

const char *
lab_op_name(enum lab_op op)
{
	if ((unsigned)op < LAB_OP_STEPS)
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
