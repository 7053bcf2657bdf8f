/*
 * lab.c - the lab: the seed's sockets and every step of their lives.
 *
 * Each step makes real, non-blocking system calls through asock and
 * records what the kernel answered, in the notation strace users read, with
 * a sentence on what it means. Counters move only when the event loop
 * delivers a notification, never when a key is pressed: that difference is
 * the lesson. After every step and notification the kernel's own view of
 * the sockets involved (TCP state, queues, readiness) is read again.
 *
 * Except under a flood in auto mode: then a socket's OnReceive after the
 * first is only answered and counted until a front end looks (lab_look,
 * before each frame or snapshot), which writes the run up in one line and
 * reads the views once. Nobody can read two million lines a second, and
 * writing them was what made a notification expensive.
 *
 * The server accepts many connections and the lab can hold many clients:
 * each is a row (struct lab_sock) of the Server-Send or Client list, and
 * a pane's steps act on its selected row.
 */
#include <errno.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include <event2/event.h>
#include <event2/util.h>

#include "addr.h"
#include "errname.h"
#include "explain.h"
#include "lab.h"
#include "lab_auto.h"
#include "lab_core.h"
#include "lab_resolve.h"
#include "lab_steps.h"
#include "lab_transcript.h"
#include "lab_view.h"

const char *
lab_pane_name(enum lab_pane pane)
{
	static const char *names[LAB_PANES] = {
		"Server", "Server-Send", "Client"
	};

	return (unsigned)pane < LAB_PANES ? names[pane] : "?";
}

/* ---- the rows of the Server-Send and Client lists ---- */

int
lab_has_pane(const struct lab *lab, enum lab_pane pane)
{
	switch (lab->cfg.role) {
	case LAB_ROLE_SERVER:
		return pane != LAB_CLIENT;
	case LAB_ROLE_CLIENT:
		return pane == LAB_CLIENT;
	default:
		return 1;
	}
}

size_t
lab_rows(const struct lab *lab, enum lab_pane pane)
{
	return pane == LAB_SEND ? lab->nconns : pane == LAB_CLIENT ?
	    lab->nclients : 1;
}

size_t
lab_selected(const struct lab *lab, enum lab_pane pane)
{
	return pane == LAB_SEND ? lab->conn_sel : pane == LAB_CLIENT ?
	    lab->client_sel : 0;
}

const struct lab_sock *
lab_row(const struct lab *lab, enum lab_pane pane, size_t i)
{
	if (pane == LAB_SERVER)
		return &lab->server;
	if (i >= lab_rows(lab, pane))
		return &lab->none[pane];
	return pane == LAB_SEND ? lab->conns[i] : lab->clients[i];
}

const struct lab_sock *
lab_sel(const struct lab *lab, enum lab_pane pane)
{
	return lab_row(lab, pane, lab_selected(lab, pane));
}

/* Where row p keeps key's result: its place among its pane's steps. */
static int
lab_mark_slot(const struct lab_sock *p, int key)
{
	const struct lab_step_def *d;
	int n = 0;

	for (d = lab_steps; d->key != 0; d++) {
		if (d->pane != p->which)
			continue;
		if (d->key == key)
			return n < LAB_ROW_STEPS ? n : -1;
		n++;
	}
	return -1;
}

const struct lab_mark *
lab_mark(const struct lab_sock *p, int key)
{
	static const struct lab_mark unpressed;
	int slot = lab_mark_slot(p, key);

	return slot == -1 ? &unpressed : &p->marks[slot];
}

static void
lab_mark_set(struct lab_sock *p, int key, int ok, int refused, int err,
    const char *brief)
{
	int slot = lab_mark_slot(p, key);
	struct lab_mark *m;

	if (slot == -1)
		return;
	m = &p->marks[slot];
	m->pressed = 1;
	m->ok = ok != 0;
	m->refused = refused != 0;
	m->err = err;
	snprintf(m->brief, sizeof m->brief, "%s", brief);
}

/* The name of the call in "connect(5, ...)": "connect"; 0 if none. */
int
lab_call_name(const char *call, char *buf, size_t len)
{
	size_t n = strspn(call, "abcdefghijklmnopqrstuvwxyz_");

	if (n == 0 || call[n] != '(' || len == 0)
		return 0;
	if (n >= len)
		n = len - 1;
	memcpy(buf, call, n);
	buf[n] = '\0';
	return 1;
}

/*
 * After step key on row p with result r: the row's own result, and which
 * call its error came from. Details begin with the call in strace's
 * notation, "connect(5, ...) = -1 EINPROGRESS", also when the error is no
 * failure. A refusal made no call and leaves the error as it was.
 */
void
lab_row_said(struct lab_sock *p, int key, const struct lab_result *r)
{
	lab_mark_set(p, key, r->ok, r->refused, r->err, r->brief);
	/* A row n made was made as 3 would have made it. */
	if (key == 'n' && r->ok)
		lab_mark_set(p, '3', r->ok, 0, 0, r->brief);
	if (r->refused)
		return;
	if (p->err == 0)
		p->err_from[0] = '\0';
	else if (p->err == r->err)
		lab_call_name(r->detail, p->err_from, sizeof p->err_from);
}

/* The same, for the lab's own changes. */
static struct lab_sock *
lab_sel_mut(struct lab *lab, enum lab_pane pane)
{
	return (struct lab_sock *)lab_sel(lab, pane);
}

int
lab_is_open(const struct lab_sock *p)
{
	return p->sock != NULL && asock_fd(p->sock) != -1;
}

size_t
lab_open_conns(const struct lab *lab)
{
	size_t i, n = 0;

	for (i = 0; i < lab->nconns; i++)
		n += lab_is_open(lab->conns[i]);
	return n;
}

static void lab_note_cb(struct asock *, enum asock_note, int, void *);

/* Fill in a socket's state: its receive buffer and its asock; id 0. */
int
lab_sock_init(struct lab *lab, struct lab_sock *p, enum lab_pane which)
{
	size_t size = lab->cfg.recv_size > LAB_LINE_READ ?
	    lab->cfg.recv_size : LAB_LINE_READ;

	memset(p, 0, sizeof *p);
	p->lab = lab;
	p->which = which;
	p->view.tcp_state = -1;
	if ((p->received = malloc(size)) == NULL)
		return -1;
	if ((p->sock = asock_new(lab->base, lab_note_cb, p)) == NULL) {
		free(p->received);
		p->received = NULL;
		return -1;
	}
	asock_set_trace(p->sock, lab_transcript_trace, p);
	if (which != LAB_SERVER)
		asock_set_edge(p->sock, lab->edge);
	return 0;
}

/* Close a row's socket, if open, and let go of what it holds. */
void
lab_sock_clear(struct lab_sock *p)
{
	asock_free(p->sock);
	p->sock = NULL;
	free(p->received);
	p->received = NULL;
}

struct lab_sock *
lab_sock_new(struct lab *lab, enum lab_pane which)
{
	struct lab_sock *p = malloc(sizeof *p);

	if (p == NULL)
		return NULL;
	if (lab_sock_init(lab, p, which) == -1) {
		free(p);
		return NULL;
	}
	p->id = ++lab->next_id[which];
	return p;
}

static void
lab_sock_free(struct lab_sock *p)
{
	lab_sock_clear(p);
	free(p);
}

/*
 * A row for a new connection. When the list is full, rows whose socket is
 * closed make room (their counters were the history of a finished
 * connection); the caller has checked that an open-row limit allows one.
 */
struct lab_sock *
lab_conn_new(struct lab *lab)
{
	struct lab_sock *p, *sel = NULL;
	size_t i, j;

	if (lab->nconns == lab->cfg.max_conns) {
		if (lab->nconns > 0)
			sel = lab->conns[lab->conn_sel];
		for (i = j = 0; i < lab->nconns; i++) {
			if (lab_is_open(lab->conns[i]))
				lab->conns[j++] = lab->conns[i];
			else
				lab_sock_free(lab->conns[i]);
		}
		lab->nconns = j;
		lab->conn_sel = 0;
		for (i = 0; i < lab->nconns; i++)
			if (lab->conns[i] == sel)
				lab->conn_sel = i;
	}
	if (lab->nconns == lab->cfg.max_conns ||
	    (p = lab_sock_new(lab, LAB_SEND)) == NULL)
		return NULL;
	lab->conns[lab->nconns++] = p;
	return p;
}

/* Drop the newest Server-Send row again (its accept failed). */
void
lab_conn_drop_last(struct lab *lab)
{
	lab_sock_free(lab->conns[--lab->nconns]);
	lab->next_id[LAB_SEND]--;
	if (lab->conn_sel >= lab->nconns)
		lab->conn_sel = lab->nconns > 0 ? lab->nconns - 1 : 0;
}

void
lab_changed(struct lab *lab)
{
	if (lab->changed != NULL)
		lab->changed(lab->changed_arg);
}

size_t
lab_errors(const struct lab *lab, int *errs, size_t max)
{
	size_t n = 0, i;
	int pane, e, cand[LAB_PANES + 1];

	cand[0] = lab->last_key > 0 && lab->last_key < 128 ?
	    lab->result[lab->last_key].err : 0;
	for (pane = 0; pane < LAB_PANES; pane++)
		cand[pane + 1] = lab_sel(lab, pane)->err;
	for (e = 0; e < LAB_PANES + 1; e++) {
		if (cand[e] == 0)
			continue;
		for (i = 0; i < n && errs[i] != cand[e]; i++)
			;
		if (i == n && n < max)
			errs[n++] = cand[e];
	}
	return n;
}

/* Every notification lands here, from the event loop. */
static void
lab_note_cb(struct asock *s, enum asock_note note, int err, void *arg)
{
	struct lab_sock *p = arg;
	struct lab *lab = p->lab;

	(void)s;
	p->counts[note]++;
	if (err != 0) {
		p->err = err;
		snprintf(p->err_from, sizeof p->err_from, "%s",
		    asock_note_name(note));
	}
	/* 4 Connect shows how the connect ended, as the seed's dialog does. */
	if (note == ASOCK_ON_CONNECT)
		lab_mark_set(p, '4', err == 0, 0, err, err == 0 ? "OK" :
		    errname_name(err));
	lab->notes++;
	if (lab->auto_mode && lab_auto_quick(lab, p, note)) {
		lab_changed(lab);
		return;
	}
	lab_view_refresh(lab, p);
	lab_transcript_note(lab, p, note, err);
	if (lab->auto_mode)
		lab_auto_answer(lab, p, note);
	lab_changed(lab);
}

/*
 * Key m: the notification model of every client and Server-Send socket,
 * now and from now on. Listeners keep the Winsock model.
 */
void
lab_set_edge(struct lab *lab, int on)
{
	size_t i;

	lab->edge = on;
	for (i = 0; i < lab->nconns; i++)
		asock_set_edge(lab->conns[i]->sock, on);
	for (i = 0; i < lab->nclients; i++)
		asock_set_edge(lab->clients[i]->sock, on);
	lab_say_line(lab, "model %s", on ? "edge-triggered: EV_ET | "
	    "EV_PERSIST, every change fires" : "Winsock: one-shot, enabled "
	    "again by the re-enabling call");
	snprintf(lab->explain, sizeof lab->explain, "%s", on ?
	    "Edge-triggered model (libevent EV_ET): a notification fires "
	    "whenever the kernel reports a change, such as new bytes "
	    "arriving, whether or not the program made the re-enabling call. "
	    "Try 6 6 7: two OnReceive, where Winsock gives one until the "
	    "receive. Bytes left unread fire nothing, so correct code (and "
	    "auto mode, a) reads until EAGAIN on every OnReceive. The kernel "
	    "lines still show level-triggered readiness." :
	    "Winsock model: each notification fires once and comes again "
	    "only after the call that re-enables it (accept, recv, send "
	    "after EAGAIN, recv MSG_OOB). Try 6 6 7: one OnReceive until the "
	    "receive, then another because bytes remain.");
}

/* ---- what a step says ---- */

/* Record a step's outcome: brief for the pane, detail for the status line. */
void
lab_say(struct lab_result *r, int ok, int err, const char *brief,
    const char *fmt, ...)
{
	va_list ap;

	r->pressed = 1;
	r->ok = ok;
	r->err = err;
	r->refused = 0;
	snprintf(r->brief, sizeof r->brief, "%s", brief);
	va_start(ap, fmt);
	vsnprintf(r->detail, sizeof r->detail, fmt, ap);
	va_end(ap);
}

/* Record a failed system call; the pane's error shows it too. */
static void
lab_failed(struct lab_sock *p, struct lab_result *r, int err,
    const char *call, const char *meaning)
{
	p->err = err;
	if (!lab_call_name(call, p->err_from, sizeof p->err_from))
		p->err_from[0] = '\0';
	lab_say(r, 0, err, errname_name(err), "%s = -1 %s: %s", call,
	    errname_name(err), meaning);
}

/* Whether p has an open socket; if not, a refusal that says what to press. */
static int
lab_open(const struct lab_sock *p, struct lab_result *r)
{
	if (lab_is_open(p))
		return 1;
	if (p->which == LAB_SEND)
		lab_refuse(r, "no accepted connection %s: press 5 (Accept)%s",
		    p->sock != NULL ? "open in this row" : "yet",
		    p->sock != NULL ? " or pick another with Up/Down" :
		    " first");
	else if (p->which == LAB_CLIENT)
		lab_refuse(r, "no client socket %s: press 3 (Create)%s",
		    p->sock != NULL ? "open in this row" : "yet",
		    p->sock != NULL ? " to make it again" : " first");
	else
		lab_refuse(r, "no server socket yet: press 1 (Create) first");
	return 0;
}

/* Make p's socket and bind it; shared by steps 1, 3 and n. */
static int
lab_create(struct lab_sock *p, struct lab_result *r,
    const struct sockaddr *to, socklen_t len)
{
	char a[ADDR_STRLEN], call[128];

	addr_format(to, a, sizeof a);
	snprintf(call, sizeof call, "socket() + bind(%s)", a);
	if (asock_create(p->sock, to, len) == -1) {
		lab_failed(p, r, errno, call, errno == EADDRINUSE ?
		    "another socket holds this address and port; choose "
		    "another --port, or leave it out to let the kernel pick" :
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

static void
lab_server_create(struct lab *lab, struct lab_sock *p, struct lab_result *r)
{
	char a[ADDR_STRLEN];
	socklen_t len = sizeof lab->server_addr;

	if (lab_is_open(p)) {
		lab_refuse(r, "the server socket already exists (fd %d); "
		    "press r to reset and start over", asock_fd(p->sock));
		return;
	}
	asock_set_v6only(p->sock, lab->cfg.v6only);
	if (lab_create(p, r, (struct sockaddr *)&lab->cfg.bind_addr,
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
		lab_say(r, 1, 0, "OK", "socket() + bind() = fd %d at %s, every "
		    "address of this machine: %s. Nothing is accepted yet; "
		    "press 2 to listen", asock_fd(p->sock), a, lab->reachable);
	else
		lab_say(r, 1, 0, "OK", "socket() + bind() = fd %d at %s: the "
		    "server has an address but accepts nothing yet; press 2 "
		    "to listen", asock_fd(p->sock), a);
}

static void
lab_server_listen(struct lab *lab, struct lab_sock *p, struct lab_result *r)
{
	char call[64];
	/*
	 * The seed's CAsyncSocket::Listen asks for 5; a server for a whole
	 * class asks for the system's maximum so no student waits.
	 */
	int backlog = lab->cfg.role == LAB_ROLE_SERVER ? SOMAXCONN :
	    LAB_BACKLOG;

	if (!lab_open(p, r))
		return;
	snprintf(call, sizeof call, "listen(%d, %d)", asock_fd(p->sock),
	    backlog);
	if (asock_listen(p->sock, backlog) == -1) {
		lab_failed(p, r, errno, call, "the socket cannot listen");
		return;
	}
	p->err = 0;
	lab_say(r, 1, 0, "OK", "%s = 0: the kernel now answers connection "
	    "requests by itself and queues them until accept()", call);
}

/* Where a client binds: next to the server all in one, else -B or any. */
static int
lab_client_bind(const struct lab *lab, struct sockaddr_storage *ss,
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

static void
lab_client_create(struct lab *lab, struct lab_sock *p, struct lab_result *r)
{
	struct sockaddr_storage ss;
	char a[ADDR_STRLEN];
	socklen_t len = sizeof ss;

	if (lab_is_open(p)) {
		lab_refuse(r, "this client socket already exists (fd %d); "
		    "press n for another client, or r to start over",
		    asock_fd(p->sock));
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
			lab_say(r, 0, ENOMEM, "ENOMEM", "out of memory");
			return;
		}
		lab->clients[lab->nclients] = p;
		lab->client_sel = lab->nclients++;
	}
	lab_client_bind(lab, &ss, &len);
	if (lab_create(p, r, (struct sockaddr *)&ss, len) == -1)
		return;
	len = sizeof ss;
	getsockname(asock_fd(p->sock), (struct sockaddr *)&ss, &len);
	addr_format((struct sockaddr *)&ss, a, sizeof a);
	lab_say(r, 1, 0, "OK", "socket() + bind() = fd %d at %s (a port the "
	    "kernel chose); press 4 to connect", asock_fd(p->sock), a);
}

/* Key n: another client row, created at once and selected. */
static void
lab_new_client(struct lab *lab, struct lab_sock *p, struct lab_result *r)
{
	if (lab->nclients == 0) {
		lab_client_create(lab, p, r);	/* the first row */
		return;
	}
	if (lab->nclients == LAB_CLIENTS_MAX) {
		lab_refuse(r, "this lab holds %d clients at most; close one "
		    "(x) and press 3 in its row, or r to start over",
		    LAB_CLIENTS_MAX);
		return;
	}
	if (lab->resolve_pending) {
		lab_client_create(lab, p, r);	/* says why not */
		return;
	}
	if ((p = lab_sock_new(lab, LAB_CLIENT)) == NULL) {
		lab_say(r, 0, ENOMEM, "ENOMEM", "out of memory");
		return;
	}
	lab->clients[lab->nclients] = p;
	lab->client_sel = lab->nclients++;
	lab_client_create(lab, p, r);
	if (r->ok)
		snprintf(r->detail + strlen(r->detail), sizeof r->detail -
		    strlen(r->detail), "; client #%u of %zu, selected", p->id,
		    lab->nclients);
}

static void
lab_client_connect(struct lab *lab, struct lab_sock *p, struct lab_result *r)
{
	char a[ADDR_STRLEN], call[128];
	int connected;

	if (!lab_open(p, r))
		return;
	if (lab->resolve_pending) {
		lab_refuse(r, "still resolving %s; the title line shows when "
		    "it is done", lab->cfg.host);
		return;
	}
	if (lab->cfg.role == LAB_ROLE_CLIENT && !lab->have_target) {
		/* Explained on the step, then asked again. */
		p->err = 0;
		lab_say(r, 0, 0, lab_resolve_eai_name(lab->resolve_err),
		    "getaddrinfo(\"%s\") = %s: %s. Asking again now",
		    lab->cfg.host, lab_resolve_eai_name(lab->resolve_err),
		    lab_resolve_eai_meaning(lab->resolve_err));
		lab_resolve_start(lab);
		return;
	}
	if (!lab->have_target) {
		lab_refuse(r, "the server has no address yet: press 1 first "
		    "(its port exists only once it is bound)");
		return;
	}
	addr_format((struct sockaddr *)&lab->target, a, sizeof a);
	snprintf(call, sizeof call, "connect(%d, %s)", asock_fd(p->sock), a);
	connected = asock_state(p->sock) == ASOCK_CONNECTED ||
	    asock_state(p->sock) == ASOCK_PEER_CLOSED;
	if (asock_connect(p->sock, (struct sockaddr *)&lab->target,
	    lab->target_len) == 0) {
		p->err = 0;
		lab_say(r, 1, 0, "OK", connected ? "%s = 0: already "
		    "connected; Linux confirms a finished non-blocking connect "
		    "once like this, and says EISCONN after that" :
		    "%s = 0: connected at once; OnConnect will confirm it",
		    call);
	} else if (errno == EINPROGRESS) {
		p->err = EINPROGRESS;
		lab_say(r, 1, EINPROGRESS, "in progress", "%s = -1 EINPROGRESS:"
		    " normal for a non-blocking socket; the handshake goes on "
		    "in the kernel and OnConnect will say how it ended", call);
	} else {
		lab_failed(p, r, errno, call, errno == EISCONN ?
		    "this socket is already connected" : errno == EALREADY ?
		    "a connect is already in progress" : errno == ECONNABORTED ?
		    "Linux reports here, once, that the last connect on this "
		    "socket failed, and resets the socket: the next connect "
		    "(4) starts afresh" : errno == EAFNOSUPPORT ||
		    errno == EINVAL ? "the client socket and the server's "
		    "address are of different families (IPv4, IPv6): press r, "
		    "or use -4/-6" : errno == ENETUNREACH ? "no route to that "
		    "network from this machine" :
		    "the kernel refused to start the connection");
	}
}

/*
 * Over --max-conns: accept the connection and close it at once, so the
 * peer learns at once instead of waiting in the queue.
 */
static void
lab_accept_over(struct lab *lab, struct lab_sock *p, struct lab_result *r)
{
	struct lab_sock q;
	char call[64];
	int fd;

	snprintf(call, sizeof call, "accept(%d)", asock_fd(p->sock));
	if (lab_sock_init(lab, &q, LAB_SEND) == -1) {
		lab->accept_starved = 1;
		lab_failed(p, r, ENOMEM, call, "out of memory");
		return;
	}
	if (asock_accept(p->sock, q.sock) == -1) {
		/*
		 * Out of descriptors, the over-limit connection stays queued
		 * and OnAccept stays off (asock_accept); a descriptor freed
		 * later retries, as for any other accept (lab_auto_fd_freed).
		 */
		lab->accept_starved = asock_starved(errno);
		lab_failed(p, r, errno, call, lab->accept_starved ? "no "
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
	lab_say(r, 0, 0, "full", "%s = fd %d, then close(%d): this server "
	    "already holds %zu connections (--max-conns), so the peer sees "
	    "its connection closed at once", call, fd, fd,
	    lab->cfg.max_conns);
}

static void
lab_server_accept(struct lab *lab, struct lab_sock *p, struct lab_result *r)
{
	struct lab_sock *q;
	char call[64];
	int err;

	if (!lab_open(p, r))
		return;
	if (lab_open_conns(lab) >= lab->cfg.max_conns) {
		lab_accept_over(lab, p, r);
		return;
	}
	snprintf(call, sizeof call, "accept(%d)", asock_fd(p->sock));
	if ((q = lab_conn_new(lab)) == NULL) {
		lab->accept_starved = 1;	/* OnAccept stays off: retry later */
		lab_failed(p, r, ENOMEM, call, "out of memory");
		return;
	}
	if (asock_accept(p->sock, q->sock) == -1) {
		err = errno;
		lab_conn_drop_last(lab);
		lab->accept_starved = asock_starved(err);
		lab_failed(p, r, err, call, err == EAGAIN ?
		    "no connection waits in the listen queue (that is what "
		    "OnAccept would have announced)" : err == EINVAL ?
		    "the socket is not listening: press 2 first" :
		    lab->accept_starved ? "no descriptor is left for a new "
		    "socket; the connection stays queued. OnAccept waits until "
		    "an accept succeeds (it would only fail again): close a "
		    "connection, then press 5" :
		    "the kernel could not hand over a connection");
		return;
	}
	lab->accept_starved = 0;
	p->err = 0;
	lab_auto_timer_on(lab);
	/* Auto mode leaves the learner's selection where it was. */
	if (!lab->auto_running || lab->nconns == 1)
		lab->conn_sel = lab->nconns - 1;
	asock_view(q->sock, &q->view);
	lab_say(r, 1, 0, "OK", "%s = fd %d: a new socket, Server-Send #%u, "
	    "carries this connection; the listener keeps listening", call,
	    asock_fd(q->sock), q->id);
}

static void
lab_send(struct lab *lab, struct lab_sock *p, struct lab_result *r)
{
	char rec[5 + LAB_RECORD_SIZE], call[64];
	size_t len = 0;
	ssize_t n;

	if (!lab_open(p, r))
		return;
	/* The client's own record says it is the client's. */
	if (p->which == LAB_CLIENT) {
		memcpy(rec, "ping ", 5);
		len = 5;
	}
	lab_time_record(rec + len);
	len += LAB_RECORD_SIZE;
	snprintf(call, sizeof call, "send(%d, %zu bytes)", asock_fd(p->sock),
	    len);
	n = asock_send(p->sock, rec, len);
	if (n == -1) {
		lab_failed(p, r, errno, call, errno == EAGAIN ?
		    "the send buffer is full; OnSend will say when there is "
		    "room again" : errno == EPIPE ?
		    "this side shut down or closed its sending direction: "
		    "nothing more can be sent" : errno == ENOTCONN ?
		    "the socket is not connected" :
		    "the connection cannot carry data");
		return;
	}
	p->err = 0;
	lab_say(r, 1, 0, "OK", "%s = %zd: on its way into the %s receive "
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

/* The step's result for a receive that returned n, errno err. */
void
lab_steps_received(struct lab *lab, struct lab_sock *p, struct lab_result *r,
    ssize_t n, int err)
{
	char call[64], brief[16];

	snprintf(call, sizeof call, "recv(%d, %zu)", asock_fd(p->sock),
	    lab_steps_recv_size(lab, p));
	if (n == -1) {
		lab_failed(p, r, err, call, err == EAGAIN ?
		    (lab->cfg.role != LAB_ALL_IN_ONE ? "nothing waits in the "
		    "receive queue: the peer has sent nothing that is still "
		    "unread" : p->which == LAB_CLIENT ? "nothing waits in the "
		    "receive queue; press 6 to send first" : "nothing waits in "
		    "the receive queue; press 8 to send first") :
		    err == ENOTCONN ? (p->which == LAB_CLIENT ? "the socket "
		    "is not connected: press 4 first" : "the socket is not "
		    "connected") : err == ECONNRESET ? "the peer reset the "
		    "connection, and every byte that came before the RST has "
		    "been read; Linux reports the reset once, then recv "
		    "returns 0" : "the connection failed");
		return;
	}
	p->err = 0;
	if (n == 0) {
		lab_say(r, 1, 0, "end", "%s = 0: end of stream: every byte "
		    "has been read, and the peer sent FIN (or its reset was "
		    "reported already)", call);
		return;
	}
	snprintf(brief, sizeof brief, "%zd byte%s", n, n == 1 ? "" : "s");
	lab_say(r, 1, 0, brief, "%s = %zd: read from the kernel's receive "
	    "queue into the program", call, n);
}

static void
lab_receive(struct lab *lab, struct lab_sock *p, struct lab_result *r)
{
	ssize_t n;

	if (!lab_open(p, r))
		return;
	n = lab_steps_recv(lab, p);
	lab_steps_received(lab, p, r, n, errno);
}

static void
lab_close(struct lab *lab, struct lab_sock *p, struct lab_result *r)
{
	unsigned queued;
	int fd;

	if (!lab_open(p, r))
		return;
	fd = asock_fd(p->sock);
	asock_view(p->sock, &p->view);
	queued = p->view.accept_queue;
	if (asock_close(p->sock) == -1) {
		lab_failed(p, r, errno, "close()", "the descriptor was bad");
		return;
	}
	p->err = 0;
	lab_auto_fd_freed(lab);
	if (p->view.tcp_state == TCP_SYN_SENT)
		lab_say(r, 1, 0, "OK", "close(%d) = 0: the connect is cancelled; "
		    "nothing was established, so there is no FIN to send: the "
		    "kernel stops retrying its SYN", fd);
	else if (p->which == LAB_SERVER) {
		lab->have_server_addr = 0;
		if (lab->cfg.role == LAB_ALL_IN_ONE)
			lab->have_target = 0;
		lab_say(r, 1, 0, "OK", "close(%d) = 0: the listener is gone; "
		    "%u connection(s) still in its queue were reset, and new "
		    "connects are refused", fd, queued);
	} else if (p->view.tcp_state == TCP_CLOSE)
		/*
		 * No connection is left (none was made, the connect failed,
		 * or the peer reset it): close sends neither FIN nor RST.
		 */
		lab_say(r, 1, 0, "OK", "close(%d) = 0: %s, so nothing goes on "
		    "the wire, no FIN and no RST: the descriptor is only given "
		    "back", fd, p->counts[ASOCK_ON_CLOSE] > 0 ? "the peer had "
		    "already reset the connection" : "the socket was not "
		    "connected");
	else if (p->view.inq > 0 || p->urgent_read)
		/*
		 * Closing with data unread makes Linux send RST. A byte read
		 * with MSG_OOB leaves its place in the stream unread too.
		 */
		lab_say(r, 1, 0, "OK", "close(%d) = 0 with %s: so the kernel "
		    "sends RST, not FIN. The peer gets OnClose(ECONNRESET) at "
		    "once; on Linux it still reads what had reached it, then "
		    "ECONNRESET", fd, p->view.inq > 0 ?
		    "bytes unread" : "the urgent byte's place in the stream "
		    "unread");
	else
		lab_say(r, 1, 0, "OK", "close(%d) = 0: FIN follows any queued "
		    "data; the peer sees OnClose(0) once it has read "
		    "everything", fd);
}

static void
lab_shutdown(struct lab *lab, struct lab_sock *p, struct lab_result *r)
{
	char call[64];

	(void)lab;
	if (!lab_open(p, r))
		return;
	snprintf(call, sizeof call, "shutdown(%d, SHUT_WR)", asock_fd(p->sock));
	if (asock_shutdown(p->sock) == -1) {
		lab_failed(p, r, errno, call, errno == ENOTCONN ?
		    "the socket is not connected" : "the kernel refused");
		return;
	}
	p->err = 0;
	lab_say(r, 1, 0, "OK", "%s = 0: half-close; FIN goes after queued "
	    "data, this side can still receive, and a send now fails with "
	    "EPIPE", call);
}

static void
lab_abort(struct lab *lab, struct lab_sock *p, struct lab_result *r)
{
	int fd;

	if (!lab_open(p, r))
		return;
	fd = asock_fd(p->sock);
	if (asock_abort(p->sock) == -1) {
		lab_failed(p, r, errno, "close()", "the descriptor was bad");
		return;
	}
	p->err = 0;
	lab_auto_fd_freed(lab);
	lab_say(r, 1, 0, "OK", "setsockopt(%d, SO_LINGER, {on, 0 s}) + "
	    "close(%d) = 0: RST instead of FIN; unsent data is dropped. The "
	    "peer gets OnClose(ECONNRESET) at once; on Linux it still reads "
	    "what had reached it, then ECONNRESET", fd, fd);
}

static void
lab_send_urgent(struct lab *lab, struct lab_sock *p, struct lab_result *r)
{
	char call[64], c;

	if (!lab_open(p, r))
		return;
	/* A new letter each time shows which urgent byte survived. */
	c = (char)('A' + lab->urgent_sent % 26);
	snprintf(call, sizeof call, "send(%d, \"%c\", 1, MSG_OOB)",
	    asock_fd(p->sock), c);
	if (asock_send_oob(p->sock, c) == -1) {
		lab_failed(p, r, errno, call, "the connection cannot carry "
		    "urgent data now");
		return;
	}
	p->err = 0;
	lab->urgent_sent++;
	lab_say(r, 1, 0, "OK", "%s = 1: SIGURG tells the peer, which reads "
	    "it with recv MSG_OOB. Linux holds one urgent byte: a newer one "
	    "takes its place, and the older is dropped, or stays in the "
	    "stream as a plain byte if unread bytes were before it", call);
}

static void
lab_receive_urgent(struct lab *lab, struct lab_sock *p, struct lab_result *r)
{
	char call[64], c;

	(void)lab;
	if (!lab_open(p, r))
		return;
	snprintf(call, sizeof call, "recv(%d, 1, MSG_OOB)", asock_fd(p->sock));
	if (asock_receive_oob(p->sock, &c) != 1) {
		lab_failed(p, r, errno, call, errno == EINVAL ?
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
	lab_say(r, 1, 0, "1 urgent", "%s = 1: the urgent byte, read apart "
	    "from the stream; OnOutOfBandData is enabled again", call);
}

static void
lab_fill(struct lab *lab, struct lab_sock *p, struct lab_result *r)
{
	static char chunk[16384];
	unsigned long total = 0, calls = 0;
	char call[64];
	ssize_t n;

	(void)lab;
	if (!lab_open(p, r))
		return;
	memset(chunk, '.', sizeof chunk);
	snprintf(call, sizeof call, "send(%d, %zu bytes) repeated",
	    asock_fd(p->sock), sizeof chunk);
	while ((n = asock_send(p->sock, chunk, sizeof chunk)) > 0) {
		total += (unsigned long)n;
		calls++;
	}
	if (errno != EAGAIN) {
		lab_failed(p, r, errno, call, "the connection cannot carry "
		    "data");
		return;
	}
	p->err = EAGAIN;
	lab_say(r, 1, EAGAIN, "full", "%s: %lu bytes in %lu calls, then -1 "
	    "EAGAIN: the send queue is full, and the peer holds what its "
	    "receive buffer takes. OnSend fires once room frees up%s", call,
	    total, calls, lab->cfg.role != LAB_ALL_IN_ONE ? ", when the peer "
	    "reads" : p->which == LAB_SEND ? " (d drains the Client)" :
	    " (D drains Server-Send)");
}

static void
lab_drain(struct lab *lab, struct lab_sock *p, struct lab_result *r)
{
	static unsigned char sink[65536];
	unsigned long total = 0;
	char call[64], brief[16];
	ssize_t n;

	(void)lab;
	if (!lab_open(p, r))
		return;
	snprintf(call, sizeof call, "recv(%d, %zu) repeated",
	    asock_fd(p->sock), sizeof sink);
	while ((n = asock_receive(p->sock, sink, sizeof sink)) > 0)
		total += (unsigned long)n;
	p->bytes_read += total;
	if (n == -1 && errno != EAGAIN) {
		lab_failed(p, r, errno, call, "the connection failed");
		return;
	}
	p->err = 0;
	snprintf(brief, sizeof brief, "%lu bytes", total);
	lab_say(r, 1, 0, brief, "%s: %lu bytes read until %s; the peer's "
	    "send queue empties and its OnSend can fire", call, total,
	    n == 0 ? "end of stream" : "EAGAIN");
}

/* Key b: step 6 on every open connection, one result for them all. */
static void
lab_send_all(struct lab *lab, struct lab_sock *p, struct lab_result *r)
{
	struct lab_result one;
	size_t i, sent = 0, tried = 0;
	int err = 0;

	(void)p;
	for (i = 0; i < lab->nconns; i++) {
		if (!lab_is_open(lab->conns[i]))
			continue;
		tried++;
		lab_send(lab, lab->conns[i], &one);
		lab_row_said(lab->conns[i], '6', &one);
		if (one.ok)
			sent++;
		else if (err == 0)
			err = one.err;
	}
	if (tried == 0) {
		lab_refuse(r, "no connection is open: press 5 to accept one");
		return;
	}
	if (sent == tried)
		lab_say(r, 1, 0, "OK", "send() of the time on each of %zu "
		    "connection(s): all %zu on their way", tried, sent);
	else
		lab_say(r, 0, err, errname_name(err), "send() of the time on "
		    "each of %zu connection(s): %zu sent, %zu failed (first "
		    "error %s); the rows show which", tried, sent,
		    tried - sent, errname_name(err));
}

/*
 * Every step, in the order the help screen lists them. Lower-case letters
 * act on the selected Client, the same letters shifted on the selected
 * Server-Send connection.
 */
const struct lab_step_def lab_steps[] = {
	{ '1', LAB_SERVER, "Create", "Create(): socket() + bind(), an "
	    "address", lab_server_create },
	{ '2', LAB_SERVER, "Listen", "Listen(): listen(), the kernel queues "
	    "connections", lab_server_listen },
	{ '3', LAB_CLIENT, "Create", "Create(): socket() + bind(), a "
	    "kernel-picked port", lab_client_create },
	{ '4', LAB_CLIENT, "Connect", "Connect(): connect(), the kernel "
	    "handshakes", lab_client_connect },
	{ '5', LAB_SERVER, "Accept", "Accept(): accept(), a queued connection "
	    "gets a row", lab_server_accept },
	{ '6', LAB_SEND, "Send", "Send(): send() the time, one 13-byte record",
	    lab_send },
	{ '7', LAB_CLIENT, "Receive", "Receive(): recv() what the receive "
	    "queue holds", lab_receive },
	{ '8', LAB_CLIENT, "Send", "Send(): send() a line back, \"ping\" and "
	    "the time", lab_send },
	{ '9', LAB_SEND, "Receive", "Receive(): recv() up to 64 bytes the "
	    "client sent", lab_receive },
	{ 'x', LAB_CLIENT, "Close", "Close(): close(), FIN after queued data",
	    lab_close },
	{ 'X', LAB_SEND, "Close", "Close(): close() Server-Send, FIN after its "
	    "data", lab_close },
	{ 'L', LAB_SERVER, "Close", "Close(): close() the listener; queued "
	    "ones get RST", lab_close },
	{ 'h', LAB_CLIENT, "Shutdown", "ShutDown(1): shutdown(SHUT_WR), FIN, "
	    "still receives", lab_shutdown },
	{ 'H', LAB_SEND, "Shutdown", "ShutDown(1): shutdown(SHUT_WR) of "
	    "Server-Send", lab_shutdown },
	{ 'z', LAB_CLIENT, "Abort", "SetSockOpt(SO_LINGER 0) + Close(): RST",
	    lab_abort },
	{ 'Z', LAB_SEND, "Abort", "SetSockOpt(SO_LINGER 0) + Close(): RST",
	    lab_abort },
	{ 'U', LAB_SEND, "Urgent", "Send(MSG_OOB): one urgent byte (FD_OOB "
	    "there)", lab_send_urgent },
	{ 'u', LAB_CLIENT, "Urgent", "Receive(MSG_OOB): recv() the urgent "
	    "byte", lab_receive_urgent },
	{ 'o', LAB_CLIENT, "Urg send", "Send(MSG_OOB): the client sends an "
	    "urgent byte", lab_send_urgent },
	{ 'O', LAB_SEND, "Urg read", "Receive(MSG_OOB): Server-Send reads it",
	    lab_receive_urgent },
	{ 'f', LAB_CLIENT, "Fill", "Send() until EAGAIN (WSAEWOULDBLOCK)",
	    lab_fill },
	{ 'F', LAB_SEND, "Fill", "Send() until EAGAIN: Server-Send fills it",
	    lab_fill },
	{ 'd', LAB_CLIENT, "Drain", "Receive() until EAGAIN: read everything",
	    lab_drain },
	{ 'D', LAB_SEND, "Drain", "Receive() until EAGAIN: Server-Send reads "
	    "all", lab_drain },
	{ 'n', LAB_CLIENT, "New", "Create(): another client socket, then 4",
	    lab_new_client },
	{ 'b', LAB_SEND, "Send all", "Send(): the time on every connection",
	    lab_send_all },
	{ 0, 0, NULL, NULL, NULL }
};

const struct lab_step_def *
lab_step_def(int key)
{
	const struct lab_step_def *d;

	for (d = lab_steps; d->key != 0; d++)
		if (d->key == key)
			return d;
	return NULL;
}

int
lab_init(struct lab *lab, struct event_base *base,
    const struct lab_config *cfg)
{
	int i;

	memset(lab, 0, sizeof *lab);
	lab->base = base;
	lab->cfg = *cfg;
	lab->tick = lab_view_tick_new(lab);
	lab->retry = lab_auto_retry_new(lab);
	lab->auto_timer = lab_auto_timer_new(lab);
	lab->conns = calloc(cfg->max_conns, sizeof *lab->conns);
	if (lab->tick == NULL || lab->retry == NULL || lab->auto_timer == NULL ||
	    lab->conns == NULL)
		return -1;
	for (i = 0; i < LAB_PANES; i++) {
		lab->none[i].lab = lab;
		lab->none[i].which = i;
		lab->none[i].view.tcp_state = -1;
	}
	if (lab_sock_init(lab, &lab->server, LAB_SERVER) == -1)
		return -1;
	lab->server.id = 1;
	if (cfg->role == LAB_ROLE_CLIENT && lab_resolve_init(lab) == -1)
		return -1;
	return 0;
}

/* Close every socket and forget every result: back to the first screen. */
void
lab_reset(struct lab *lab)
{
	size_t i;

	if (lab->auto_mode)
		lab_set_auto(lab, 0);
	if (lab->server.sock != NULL)
		asock_close(lab->server.sock);
	memset(lab->server.counts, 0, sizeof lab->server.counts);
	lab->server.err = 0;
	lab->server.err_from[0] = '\0';
	lab->server.last_key = 0;
	memset(lab->server.marks, 0, sizeof lab->server.marks);
	for (i = 0; i < LAB_PANES; i++)
		memset(lab->none[i].marks, 0, sizeof lab->none[i].marks);
	for (i = 0; i < lab->nconns; i++)
		lab_sock_free(lab->conns[i]);
	for (i = 0; i < lab->nclients; i++)
		lab_sock_free(lab->clients[i]);
	lab->nconns = lab->conn_sel = lab->nclients = lab->client_sel = 0;
	lab->next_id[LAB_SEND] = lab->next_id[LAB_CLIENT] = 0;
	memset(lab->result, 0, sizeof lab->result);
	lab->explain[0] = '\0';
	lab->nsegs = 0;
	lab->have_server_addr = 0;
	if (lab->cfg.role == LAB_ALL_IN_ONE)
		lab->have_target = 0;
	lab->accept_starved = 0;
	lab->notes = 0;
	lab->urgent_sent = 0;
	lab_view_refresh_all(lab);
}

void
lab_free(struct lab *lab)
{
	lab_reset(lab);
	lab_sock_clear(&lab->server);
	lab_resolve_free(lab);
	free(lab->conns);
	lab->conns = NULL;
	if (lab->tick != NULL)
		event_free(lab->tick);
	if (lab->auto_timer != NULL)
		event_free(lab->auto_timer);
	if (lab->retry != NULL)
		event_free(lab->retry);
	lab->tick = lab->auto_timer = lab->retry = NULL;
}

/* Keys j k (Server-Send down, up) and c C (next, previous client). */
static void
lab_select(struct lab *lab, int key)
{
	enum lab_pane pane = key == 'j' || key == 'k' ? LAB_SEND : LAB_CLIENT;
	size_t n = lab_rows(lab, pane), *sel = pane == LAB_SEND ?
	    &lab->conn_sel : &lab->client_sel;
	const struct lab_sock *p;
	char tag[32], a[ADDR_STRLEN];

	if (n == 0) {
		lab_say_line(lab, "key %c: the %s list is empty", key,
		    lab_pane_name(pane));
		return;
	}
	if (key == 'j' || key == 'c')
		*sel = (*sel + 1) % n;
	else
		*sel = (*sel + n - 1) % n;
	p = lab_sel(lab, pane);
	lab_view_refresh_sock(lab, lab_sel_mut(lab, pane));
	lab_say_line(lab, "key %c: %s selected (row %zu of %zu%s%s)", key,
	    lab_transcript_tag(p, tag, sizeof tag), *sel + 1, n,
	    p->view.have_peer ? ", peer " : "", p->view.have_peer ?
	    addr_format((const struct sockaddr *)&p->view.peer, a, sizeof a) :
	    "");
}

/* Run key on target, or on its pane's selected socket when NULL. */
int
lab_step_on(struct lab *lab, int key, struct lab_sock *target)
{
	const struct lab_step_def *def;
	struct lab_result *r;
	struct lab_sock *p, *q;

	if ((def = lab_step_def(key)) == NULL)
		return -1;
	p = target != NULL ? target : lab_sel_mut(lab, def->pane);
	lab_say_line(lab, "key %c: %s %s%s", key, lab_pane_name(def->pane),
	    def->name, lab->auto_running ? " (auto mode)" : "");
	r = &lab->result[key];
	if (!lab_has_pane(lab, def->pane))
		lab_refuse(r, "this tcpstep has no %s pane: %s",
		    lab_pane_name(def->pane), lab->cfg.role == LAB_ROLE_SERVER ?
		    "clients connect with tcpstep -c HOST" :
		    "the server runs as tcpstep -s elsewhere");
	else
		def->run(lab, p, r);
	if (r->refused)
		lab_say_line(lab, "            not now: %s", r->detail);
	/* The step's own socket, which may be a row it just made. */
	q = target != NULL ? target : lab_sel_mut(lab, def->pane);
	lab_row_said(q, key, r);
	lab_view_refresh(lab, q);
	lab_transcript_step(lab, key, q, r);
	lab->last_key = key;
	/* A new client or connection may be selected now. */
	lab_sel_mut(lab, def->pane)->last_key = key;
	return 0;
}

int
lab_step(struct lab *lab, int key)
{
	if (key == 'r') {
		lab_say_line(lab, "key r: reset, every socket closed");
		lab_reset(lab);
		lab->last_key = 'r';
		return 0;
	}
	if (key == 'a') {
		lab_set_auto(lab, !lab->auto_mode);
		return 0;
	}
	if (key != 0 && strchr(LAB_SELECT_KEYS, key) != NULL) {
		lab_select(lab, key);
		return 0;
	}
	if (key == 'm') {
		lab_set_edge(lab, !lab->edge);
		return 0;
	}
	return lab_step_on(lab, key, NULL);
}
