/*
 * lab.c - the lab: the seed's three sockets and seven steps.
 *
 * Each step makes one real, non-blocking system call through asock and
 * records what the kernel answered, in the notation strace users read, with
 * a sentence on what it means. Counters move only when the event loop
 * delivers a notification, never when a key is pressed: that difference is
 * the lesson.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "addr.h"
#include "errname.h"
#include "lab.h"

static const struct lab_step_def lab_steps[] = {
	{ '1', LAB_SERVER, "Create" },
	{ '2', LAB_SERVER, "Listen" },
	{ '3', LAB_CLIENT, "Create" },
	{ '4', LAB_CLIENT, "Connect" },
	{ '5', LAB_SERVER, "Accept" },
	{ '6', LAB_SEND,   "Send" },
	{ '7', LAB_CLIENT, "Receive" },
};

const struct lab_step_def *
lab_step_def(int key)
{
	size_t i;

	for (i = 0; i < sizeof lab_steps / sizeof lab_steps[0]; i++)
		if (lab_steps[i].key == key)
			return &lab_steps[i];
	return NULL;
}

const char *
lab_pane_name(enum lab_pane pane)
{
	static const char *names[LAB_PANES] = {
		"Server", "Server-Send", "Client"
	};

	return (unsigned)pane < LAB_PANES ? names[pane] : "?";
}

void
lab_time_record(char out[LAB_RECORD_SIZE])
{
	struct timeval tv;
	struct tm tm;
	char buf[LAB_RECORD_SIZE + 1];

	gettimeofday(&tv, NULL);
	localtime_r(&tv.tv_sec, &tm);
	snprintf(buf, sizeof buf, "%02d:%02d:%02d.%03d\n", tm.tm_hour,
	    tm.tm_min, tm.tm_sec, (int)(tv.tv_usec / 1000));
	memcpy(out, buf, LAB_RECORD_SIZE);
}

/* Every notification lands here, from the event loop. */
static void
lab_note_cb(struct asock *s, enum asock_note note, int err, void *arg)
{
	struct lab_pane_state *p = arg;
	struct lab *lab = p->lab;

	(void)s;
	p->counts[note]++;
	if (err != 0)
		p->err = err;
	lab->notes++;
	if (lab->changed != NULL)
		lab->changed(lab->changed_arg);
}

/* Record a step's outcome: brief for the pane, detail for the status line. */
static void __attribute__((format(printf, 5, 6)))
lab_say(struct lab_result *r, int ok, int err, const char *brief,
    const char *fmt, ...)
{
	va_list ap;

	r->pressed = 1;
	r->ok = ok;
	r->err = err;
	snprintf(r->brief, sizeof r->brief, "%s", brief);
	va_start(ap, fmt);
	vsnprintf(r->detail, sizeof r->detail, fmt, ap);
	va_end(ap);
}

/* A step that could not make its call at all: no errno, nothing changed. */
#define lab_refuse(r, ...) lab_say((r), 0, 0, "not now", __VA_ARGS__)

/* Record a failed system call; the pane's error shows it too. */
static void
lab_failed(struct lab_pane_state *p, struct lab_result *r, int err,
    const char *call, const char *meaning)
{
	p->err = err;
	lab_say(r, 0, err, errname_name(err), "%s = -1 %s: %s", call,
	    errname_name(err), meaning);
}

/* Make p's socket and bind it; shared by steps 1 and 3. */
static int
lab_create(struct lab *lab, struct lab_pane_state *p, struct lab_result *r,
    const struct sockaddr *to, socklen_t len)
{
	char a[ADDR_STRLEN], call[128];

	addr_format(to, a, sizeof a);
	snprintf(call, sizeof call, "socket() + bind(%s)", a);
	if (p->sock == NULL &&
	    (p->sock = asock_new(lab->base, lab_note_cb, p)) == NULL) {
		lab_failed(p, r, ENOMEM, call, "out of memory");
		return -1;
	}
	if (asock_create(p->sock, to, len) == -1) {
		lab_failed(p, r, errno, call, errno == EADDRINUSE ?
		    "another socket holds this address and port; choose "
		    "another --port, or 0 to let the kernel pick" :
		    "the kernel refused to make or bind the socket");
		return -1;
	}
	p->err = 0;
	return 0;
}

static void
lab_server_create(struct lab *lab, struct lab_result *r)
{
	struct lab_pane_state *p = &lab->pane[LAB_SERVER];
	char a[ADDR_STRLEN];
	socklen_t len = sizeof lab->server_addr;

	if (p->sock != NULL && asock_fd(p->sock) != -1) {
		lab_refuse(r, "the server socket already exists (fd %d); "
		    "press r to reset and start over", asock_fd(p->sock));
		return;
	}
	if (lab_create(lab, p, r, (struct sockaddr *)&lab->bind_addr,
	    lab->bind_len) == -1)
		return;
	getsockname(asock_fd(p->sock), (struct sockaddr *)&lab->server_addr,
	    &len);
	lab->server_len = len;
	lab->have_server_addr = 1;
	addr_format((struct sockaddr *)&lab->server_addr, a, sizeof a);
	lab_say(r, 1, 0, "OK", "socket() + bind() = fd %d at %s: the server "
	    "has an address but accepts nothing yet; press 2 to listen",
	    asock_fd(p->sock), a);
}

static void
lab_server_listen(struct lab *lab, struct lab_result *r)
{
	struct lab_pane_state *p = &lab->pane[LAB_SERVER];
	char call[64];

	if (p->sock == NULL || asock_fd(p->sock) == -1) {
		lab_refuse(r, "no server socket yet: press 1 (Create) first");
		return;
	}
	snprintf(call, sizeof call, "listen(%d, %d)", asock_fd(p->sock),
	    LAB_BACKLOG);
	if (asock_listen(p->sock, LAB_BACKLOG) == -1) {
		lab_failed(p, r, errno, call, "the socket cannot listen");
		return;
	}
	p->err = 0;
	lab_say(r, 1, 0, "OK", "%s = 0: the kernel now answers connection "
	    "requests by itself and queues them until accept()", call);
}

static void
lab_client_create(struct lab *lab, struct lab_result *r)
{
	struct lab_pane_state *p = &lab->pane[LAB_CLIENT];
	struct sockaddr_storage ss;
	char a[ADDR_STRLEN];
	socklen_t len = sizeof ss;

	if (p->sock != NULL && asock_fd(p->sock) != -1) {
		lab_refuse(r, "the client socket already exists (fd %d); "
		    "press r to reset and start over", asock_fd(p->sock));
		return;
	}
	/* Same address as the server, port 0: the kernel picks a free one. */
	memcpy(&ss, &lab->bind_addr, sizeof ss);
	addr_set_port((struct sockaddr *)&ss, 0);
	if (lab_create(lab, p, r, (struct sockaddr *)&ss, lab->bind_len) == -1)
		return;
	getsockname(asock_fd(p->sock), (struct sockaddr *)&ss, &len);
	addr_format((struct sockaddr *)&ss, a, sizeof a);
	lab_say(r, 1, 0, "OK", "socket() + bind() = fd %d at %s (a port the "
	    "kernel chose); press 4 to connect", asock_fd(p->sock), a);
}

static void
lab_client_connect(struct lab *lab, struct lab_result *r)
{
	struct lab_pane_state *p = &lab->pane[LAB_CLIENT];
	char a[ADDR_STRLEN], call[128];
	int connected;

	if (p->sock == NULL || asock_fd(p->sock) == -1) {
		lab_refuse(r, "no client socket yet: press 3 (Create) first");
		return;
	}
	if (!lab->have_server_addr) {
		lab_refuse(r, "the server has no address yet: press 1 first "
		    "(its port exists only once it is bound)");
		return;
	}
	addr_format((struct sockaddr *)&lab->server_addr, a, sizeof a);
	snprintf(call, sizeof call, "connect(%d, %s)", asock_fd(p->sock), a);
	connected = asock_state(p->sock) == ASOCK_CONNECTED ||
	    asock_state(p->sock) == ASOCK_PEER_CLOSED;
	if (asock_connect(p->sock, (struct sockaddr *)&lab->server_addr,
	    lab->server_len) == 0) {
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
		    "socket failed; press 4 again to retry (Winsock would want "
		    "a new socket: r)" :
		    "the kernel refused to start the connection");
	}
}

static void
lab_server_accept(struct lab *lab, struct lab_result *r)
{
	struct lab_pane_state *p = &lab->pane[LAB_SERVER];
	struct lab_pane_state *q = &lab->pane[LAB_SEND];
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	char a[ADDR_STRLEN], call[64];

	if (p->sock == NULL || asock_fd(p->sock) == -1) {
		lab_refuse(r, "no server socket yet: press 1 (Create) and 2 "
		    "(Listen) first");
		return;
	}
	if (q->sock != NULL && asock_fd(q->sock) != -1) {
		lab_refuse(r, "Server-Send already holds the accepted "
		    "connection (fd %d); this lab has one: press r to start "
		    "over", asock_fd(q->sock));
		return;
	}
	snprintf(call, sizeof call, "accept(%d)", asock_fd(p->sock));
	if (q->sock == NULL &&
	    (q->sock = asock_new(lab->base, lab_note_cb, q)) == NULL) {
		lab_failed(p, r, ENOMEM, call, "out of memory");
		return;
	}
	if (asock_accept(p->sock, q->sock) == -1) {
		lab_failed(p, r, errno, call, errno == EAGAIN ?
		    "no connection waits in the listen queue (that is what "
		    "OnAccept would have announced)" : errno == EINVAL ?
		    "the socket is not listening: press 2 first" :
		    "the kernel could not hand over a connection");
		return;
	}
	p->err = 0;
	q->err = 0;
	getpeername(asock_fd(q->sock), (struct sockaddr *)&ss, &len);
	addr_format((struct sockaddr *)&ss, a, sizeof a);
	lab_say(r, 1, 0, "OK", "%s = fd %d, peer %s: a new socket, "
	    "Server-Send, carries this connection; the listener keeps "
	    "listening", call, asock_fd(q->sock), a);
}

static void
lab_send(struct lab *lab, struct lab_result *r)
{
	struct lab_pane_state *p = &lab->pane[LAB_SEND];
	char rec[LAB_RECORD_SIZE], call[64];
	ssize_t n;

	if (p->sock == NULL || asock_fd(p->sock) == -1) {
		lab_refuse(r, "no accepted connection yet: press 5 (Accept) "
		    "first");
		return;
	}
	lab_time_record(rec);
	snprintf(call, sizeof call, "send(%d, %d bytes)", asock_fd(p->sock),
	    LAB_RECORD_SIZE);
	n = asock_send(p->sock, rec, sizeof rec);
	if (n == -1) {
		lab_failed(p, r, errno, call, errno == EAGAIN ?
		    "the send buffer is full; OnSend will say when there is "
		    "room again" : errno == EPIPE ?
		    "this side can no longer send on the connection" :
		    "the connection cannot carry data");
		return;
	}
	p->err = 0;
	lab_say(r, 1, 0, "OK", "%s = %zd: the time is on its way into the "
	    "client's receive queue; nothing has been read yet", call, n);
}

static void
lab_receive(struct lab *lab, struct lab_result *r)
{
	struct lab_pane_state *p = &lab->pane[LAB_CLIENT];
	char call[64], brief[16];
	ssize_t n;

	if (p->sock == NULL || asock_fd(p->sock) == -1) {
		lab_refuse(r, "no client socket yet: press 3 (Create) first");
		return;
	}
	snprintf(call, sizeof call, "recv(%d, %zu)", asock_fd(p->sock),
	    lab->recv_size);
	n = asock_receive(p->sock, lab->received, lab->recv_size);
	if (n == -1) {
		lab_failed(p, r, errno, call, errno == EAGAIN ?
		    "nothing waits in the receive queue; press 6 to send "
		    "first" : errno == ENOTCONN ?
		    "the socket is not connected: press 4 first" :
		    "the connection failed");
		return;
	}
	p->err = 0;
	lab->received_len = (size_t)n;
	lab->have_received = 1;
	if (n == 0) {
		lab_say(r, 1, 0, "end", "%s = 0: end of stream, the peer "
		    "closed its side and every byte has been read", call);
		return;
	}
	snprintf(brief, sizeof brief, "%zd bytes", n);
	lab_say(r, 1, 0, brief, "%s = %zd: read from the kernel's receive "
	    "queue into the program", call, n);
}

int
lab_init(struct lab *lab, struct event_base *base,
    const struct sockaddr *bind_to, socklen_t len, size_t recv_size)
{
	int i;

	memset(lab, 0, sizeof *lab);
	lab->base = base;
	memcpy(&lab->bind_addr, bind_to, len);
	lab->bind_len = len;
	lab->recv_size = recv_size;
	if ((lab->received = malloc(recv_size)) == NULL)
		return -1;
	for (i = 0; i < LAB_PANES; i++)
		lab->pane[i].lab = lab;
	return 0;
}

/* Close every socket and forget every result: back to the first screen. */
void
lab_reset(struct lab *lab)
{
	int i;

	for (i = 0; i < LAB_PANES; i++) {
		asock_free(lab->pane[i].sock);
		lab->pane[i].sock = NULL;
		memset(lab->pane[i].counts, 0, sizeof lab->pane[i].counts);
		lab->pane[i].err = 0;
	}
	memset(lab->result, 0, sizeof lab->result);
	lab->have_server_addr = 0;
	lab->received_len = 0;
	lab->have_received = 0;
	lab->notes = 0;
}

void
lab_free(struct lab *lab)
{
	lab_reset(lab);
	free(lab->received);
	lab->received = NULL;
}

int
lab_step(struct lab *lab, int key)
{
	static void (*const run[])(struct lab *, struct lab_result *) = {
		lab_server_create, lab_server_listen, lab_client_create,
		lab_client_connect, lab_server_accept, lab_send, lab_receive
	};

	if (key == 'r') {
		lab_reset(lab);
		lab->last_key = 'r';
		return 0;
	}
	if (key < '1' || key > '7')
		return -1;
	run[key - '1'](lab, &lab->result[key - '0']);
	lab->last_key = key;
	return 0;
}
