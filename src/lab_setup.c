/*
 * lab_setup.c - the steps that set a connection up: the Server's Create
 * and Listen, the Client's Create (and New, another client), Connect, and
 * Accept. Each makes its real, non-blocking system call through asock
 * and records what the kernel answered (see src/lab_steps.c, which holds
 * the table of every step and the steps that use a connection).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "addr.h"
#include "asock.h"
#include "lab.h"
#include "lab_auto.h"
#include "lab_core.h"
#include "lab_names.h"
#include "lab_resolve.h"
#include "lab_setup.h"
#include "lab_steps.h"

/* Make p's socket and bind it; shared by the Server's and Client's Create. */
static int
lab_setup_create(struct lab_sock *p, struct lab_result *r,
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
	p->have_drained = 0;
	p->urgent_read = 0;
	return 0;
}

/* Step 1: the server's socket, bound; all in one, the clients' target. */
void
lab_setup_server_create(struct lab *lab, struct lab_sock *p,
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
	if (lab_setup_create(p, r, (struct sockaddr *)&lab->cfg.bind_addr,
	    lab->cfg.bind_len) == -1)
		return;
	getsockname(asock_fd(p->sock), (struct sockaddr *)&lab->server_addr,
	    &len);
	lab->server_len = len;
	lab->have_server_addr = 1;
	/* The capture follows the server's port (the kernel's pick). */
	lab_wire_set_port(lab, addr_port((struct sockaddr *)&lab->server_addr));
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
void
lab_setup_listen(struct lab *lab, struct lab_sock *p, struct lab_result *r)
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
lab_setup_client_bind(const struct lab *lab, struct sockaddr_storage *ss,
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
void
lab_setup_client_create(struct lab *lab, struct lab_sock *p,
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
	lab_setup_client_bind(lab, &ss, &len);
	if (lab_setup_create(p, r, (struct sockaddr *)&ss, len) == -1)
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
void
lab_setup_new_client(struct lab *lab, struct lab_sock *p, struct lab_result *r)
{
	if (lab->nclients == 0) {
		lab_setup_client_create(lab, p, r);	/* the first row */
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
		lab_setup_client_create(lab, p, r);	/* says why not */
		return;
	}
	if ((p = lab_sock_new(lab, LAB_CLIENT)) == NULL) {
		lab_say(r, LAB_FAILED, ENOMEM, "ENOMEM", "out of memory");
		return;
	}
	lab->clients[lab->nclients] = p;
	lab->client_sel = lab->nclients++;
	lab_setup_client_create(lab, p, r);
	if (lab_outcome_ok(r->outcome))
		snprintf(r->detail + strlen(r->detail), sizeof r->detail -
		    strlen(r->detail), "; client #%u of %zu, selected", p->id,
		    lab->nclients);
}

/* What a connect that failed at once with err means, and what to do. */
static const char *
lab_setup_connect_meaning(const struct lab *lab, int err, char *buf, size_t len)
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
void
lab_setup_connect(struct lab *lab, struct lab_sock *p, struct lab_result *r)
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
		    lab_setup_connect_meaning(lab, err, meaning,
		    sizeof meaning));
	}
}

/*
 * Over --max-conns: accept the connection and close it at once, so the
 * peer learns at once instead of waiting in the queue.
 */
static void
lab_setup_accept_over(struct lab *lab, struct lab_sock *p, struct lab_result *r)
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
lab_setup_accept_meaning(const struct lab *lab, int err, char *buf, size_t len)
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
void
lab_setup_accept(struct lab *lab, struct lab_sock *p, struct lab_result *r)
{
	struct lab_sock *q;
	char call[64], meaning[256];
	int err;

	if (!lab_steps_open(p, r))
		return;
	if (lab_open_conns(lab) >= lab->cfg.max_conns) {
		lab_setup_accept_over(lab, p, r);
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
		    lab_setup_accept_meaning(lab, err, meaning,
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
	lab_names_ask(lab, q);
	lab_say(r, LAB_OK, 0, "OK",
	    "%s = fd %d: a new socket, Server-Send #%u, "
	    "carries this connection; the listener keeps listening", call,
	    asock_fd(q->sock), q->id);
}
