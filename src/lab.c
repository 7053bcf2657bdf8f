/*
 * lab.c - the lab: the seed's three sockets and every step of their lives.
 *
 * Each step makes real, non-blocking system calls through asock and
 * records what the kernel answered, in the notation strace users read, with
 * a sentence on what it means. Counters move only when the event loop
 * delivers a notification, never when a key is pressed: that difference is
 * the lesson. After every step and notification the kernel's own view of
 * each socket (TCP state, queues, readiness) is read again.
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

#include "addr.h"
#include "errname.h"
#include "escape.h"
#include "lab.h"

static void lab_server_create(struct lab *, const struct lab_step_def *,
    struct lab_result *);
static void lab_server_listen(struct lab *, const struct lab_step_def *,
    struct lab_result *);
static void lab_client_create(struct lab *, const struct lab_step_def *,
    struct lab_result *);
static void lab_client_connect(struct lab *, const struct lab_step_def *,
    struct lab_result *);
static void lab_server_accept(struct lab *, const struct lab_step_def *,
    struct lab_result *);
static void lab_send(struct lab *, const struct lab_step_def *,
    struct lab_result *);
static void lab_receive(struct lab *, const struct lab_step_def *,
    struct lab_result *);
static void lab_close(struct lab *, const struct lab_step_def *,
    struct lab_result *);
static void lab_shutdown(struct lab *, const struct lab_step_def *,
    struct lab_result *);
static void lab_abort(struct lab *, const struct lab_step_def *,
    struct lab_result *);
static void lab_send_urgent(struct lab *, const struct lab_step_def *,
    struct lab_result *);
static void lab_receive_urgent(struct lab *, const struct lab_step_def *,
    struct lab_result *);
static void lab_fill(struct lab *, const struct lab_step_def *,
    struct lab_result *);
static void lab_drain(struct lab *, const struct lab_step_def *,
    struct lab_result *);

/*
 * Every step, in the order the help screen lists them. Lower-case letters
 * act on the Client, the same letters shifted on Server-Send.
 */
const struct lab_step_def lab_steps[] = {
	{ '1', LAB_SERVER, "Create", "socket() + bind(): the server gets "
	    "its address", lab_server_create },
	{ '2', LAB_SERVER, "Listen", "listen(): the kernel starts queueing "
	    "connections", lab_server_listen },
	{ '3', LAB_CLIENT, "Create", "socket() + bind() to a port the kernel "
	    "picks", lab_client_create },
	{ '4', LAB_CLIENT, "Connect", "connect(): the handshake runs inside "
	    "the kernel", lab_client_connect },
	{ '5', LAB_SERVER, "Accept", "accept(): a queued connection becomes "
	    "Server-Send", lab_server_accept },
	{ '6', LAB_SEND, "Send", "send() the time, one 13-byte record",
	    lab_send },
	{ '7', LAB_CLIENT, "Receive", "recv() what waits in the receive queue",
	    lab_receive },
	{ '8', LAB_CLIENT, "Send", "send() a line back: \"ping\" and the time",
	    lab_send },
	{ '9', LAB_SEND, "Receive", "recv() up to 64 bytes the client sent",
	    lab_receive },
	{ 'x', LAB_CLIENT, "Close", "close(): graceful, FIN after queued data",
	    lab_close },
	{ 'X', LAB_SEND, "Close", "close() Server-Send", lab_close },
	{ 'L', LAB_SERVER, "Close", "close() the listener; queued connections "
	    "are reset", lab_close },
	{ 'h', LAB_CLIENT, "Shutdown", "shutdown(SHUT_WR): half-close, can "
	    "still receive", lab_shutdown },
	{ 'H', LAB_SEND, "Shutdown", "shutdown(SHUT_WR) Server-Send",
	    lab_shutdown },
	{ 'z', LAB_CLIENT, "Abort", "SO_LINGER 0 + close(): abortive, RST",
	    lab_abort },
	{ 'Z', LAB_SEND, "Abort", "abortive close of Server-Send", lab_abort },
	{ 'U', LAB_SEND, "Urgent", "send() one urgent byte with MSG_OOB",
	    lab_send_urgent },
	{ 'u', LAB_CLIENT, "Urgent", "recv() the urgent byte with MSG_OOB",
	    lab_receive_urgent },
	{ 'f', LAB_CLIENT, "Fill", "send() until EAGAIN: fill the pipe",
	    lab_fill },
	{ 'F', LAB_SEND, "Fill", "Server-Send fills the pipe", lab_fill },
	{ 'd', LAB_CLIENT, "Drain", "recv() until EAGAIN: read everything",
	    lab_drain },
	{ 'D', LAB_SEND, "Drain", "Server-Send reads everything", lab_drain },
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

char *
lab_stamp(const struct timeval *tv, char *buf, size_t len)
{
	struct tm tm;

	localtime_r(&tv->tv_sec, &tm);
	snprintf(buf, len, "%02d:%02d:%02d.%06ld", tm.tm_hour, tm.tm_min,
	    tm.tm_sec, (long)tv->tv_usec);
	return buf;
}

const struct lab_line *
lab_line(const struct lab *lab, unsigned long n)
{
	if (n >= lab->nlines || lab->nlines - n > LAB_TRANSCRIPT)
		return NULL;
	return &lab->lines[n % LAB_TRANSCRIPT];
}

void
lab_say_line(struct lab *lab, const char *fmt, ...)
{
	struct lab_line *l = &lab->lines[lab->nlines % LAB_TRANSCRIPT];
	char stamp[32];
	va_list ap;

	gettimeofday(&l->tv, NULL);
	va_start(ap, fmt);
	vsnprintf(l->text, sizeof l->text, fmt, ap);
	va_end(ap);
	lab->nlines++;
	if (lab->log != NULL)
		fprintf(lab->log, "%s %s\n", lab_stamp(&l->tv, stamp,
		    sizeof stamp), l->text);
}

/* asock's transcript lines, tagged with the pane they belong to. */
static void
lab_trace_cb(struct asock *s, const char *line, void *arg)
{
	struct lab_pane_state *p = arg;
	static const char *tags[LAB_PANES] = {
		"server     ", "server-send", "client     "
	};

	(void)s;
	lab_say_line(p->lab, "%s %s", tags[p->which], line);
}

static int
lab_transitional(int tcp_state)
{
	switch (tcp_state) {
	case TCP_SYN_SENT:
	case TCP_SYN_RECV:
	case TCP_FIN_WAIT1:
	case TCP_CLOSING:
	case TCP_LAST_ACK:
		return 1;
	default:
		return 0;
	}
}

/*
 * Read the kernel's view of every socket again. While one is between
 * states, look again in half a second; otherwise no timer runs at all.
 */
static void
lab_refresh(struct lab *lab)
{
	static const struct timeval half = { 0, 500000 };
	int i, moving = 0;

	for (i = 0; i < LAB_PANES; i++) {
		asock_view(lab->pane[i].sock, &lab->pane[i].view);
		moving |= lab_transitional(lab->pane[i].view.tcp_state);
	}
	if (lab->tick == NULL)
		return;
	if (moving && !evtimer_pending(lab->tick, NULL))
		evtimer_add(lab->tick, &half);
	else if (!moving)
		evtimer_del(lab->tick);
}

static void
lab_tick_cb(evutil_socket_t fd, short what, void *arg)
{
	struct lab *lab = arg;

	(void)fd;
	(void)what;
	lab_refresh(lab);
	if (lab->changed != NULL)
		lab->changed(lab->changed_arg);
}

/* A step auto mode takes, marked so in the transcript. */
static void
lab_auto_step(struct lab *lab, int key)
{
	lab->auto_running = 1;
	lab_step(lab, key);
	lab->auto_running = 0;
}

/* Auto mode: what a real program would do on each notification. */
static void
lab_auto_react(struct lab *lab, struct lab_pane_state *p,
    enum asock_note note)
{
	int key = 0;

	switch (note) {
	case ASOCK_ON_ACCEPT:
		key = '5';
		break;
	case ASOCK_ON_RECEIVE:
		key = p->which == LAB_CLIENT ? '7' : '9';
		break;
	case ASOCK_ON_OOB:
		key = p->which == LAB_CLIENT ? 'u' : 0;
		break;
	case ASOCK_ON_CLOSE:
		key = p->which == LAB_CLIENT ? 'x' : 'X';
		break;
	default:
		return;		/* OnConnect, OnSend: carry on */
	}
	if (key != 0)
		lab_auto_step(lab, key);
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
	if (lab->auto_mode)
		lab_auto_react(lab, p, note);
	lab_refresh(lab);
	if (lab->changed != NULL)
		lab->changed(lab->changed_arg);
}

/* Auto mode's Server-Send: the time, once a second. */
static void
lab_auto_cb(evutil_socket_t fd, short what, void *arg)
{
	struct lab *lab = arg;
	struct asock *s = lab->pane[LAB_SEND].sock;

	(void)fd;
	(void)what;
	if (s != NULL && asock_state(s) == ASOCK_CONNECTED) {
		lab_auto_step(lab, '6');
		if (lab->changed != NULL)
			lab->changed(lab->changed_arg);
	}
}

void
lab_set_auto(struct lab *lab, int on)
{
	static const struct timeval second = { 1, 0 };
	struct lab_pane_state *p;

	lab->auto_mode = on;
	lab_say_line(lab, "auto mode %s", on ? "on: notifications drive the "
	    "steps" : "off: back to stepping by hand");
	if (!on) {
		evtimer_del(lab->auto_timer);
		return;
	}
	event_add(lab->auto_timer, &second);
	/*
	 * Notifications already delivered will not come again until their
	 * call is made, so act on what is waiting now, as the program would
	 * have done when they came.
	 */
	lab_refresh(lab);
	if (lab->pane[LAB_SERVER].view.accept_queue > 0)
		lab_auto_step(lab, '5');
	p = &lab->pane[LAB_CLIENT];
	if (p->view.inq > 0)
		lab_auto_step(lab, '7');
	p = &lab->pane[LAB_SEND];
	if (p->view.inq > 0)
		lab_auto_step(lab, '9');
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

/* The step's pane, with its open socket; NULL (and a refusal) if none. */
static struct lab_pane_state *
lab_open_pane(struct lab *lab, const struct lab_step_def *def,
    struct lab_result *r)
{
	struct lab_pane_state *p = &lab->pane[def->pane];

	if (p->sock != NULL && asock_fd(p->sock) != -1)
		return p;
	if (p->which == LAB_SEND)
		lab_refuse(r, "no accepted connection yet: press 5 (Accept) "
		    "first");
	else if (p->which == LAB_CLIENT)
		lab_refuse(r, "no client socket yet: press 3 (Create) first");
	else
		lab_refuse(r, "no server socket yet: press 1 (Create) first");
	return NULL;
}

/* Make p's socket and bind it; shared by steps 1 and 3. */
static int
lab_create(struct lab *lab, struct lab_pane_state *p, struct lab_result *r,
    const struct sockaddr *to, socklen_t len)
{
	char a[ADDR_STRLEN], call[128];

	addr_format(to, a, sizeof a);
	snprintf(call, sizeof call, "socket() + bind(%s)", a);
	if (p->sock == NULL) {
		if ((p->sock = asock_new(lab->base, lab_note_cb, p)) == NULL) {
			lab_failed(p, r, ENOMEM, call, "out of memory");
			return -1;
		}
		asock_set_trace(p->sock, lab_trace_cb, p);
	}
	if (asock_create(p->sock, to, len) == -1) {
		lab_failed(p, r, errno, call, errno == EADDRINUSE ?
		    "another socket holds this address and port; choose "
		    "another --port, or leave it out to let the kernel pick" :
		    errno == EACCES ? "ports below 1024 need privileges" :
		    "the kernel refused to make or bind the socket");
		return -1;
	}
	p->err = 0;
	return 0;
}

static void
lab_server_create(struct lab *lab, const struct lab_step_def *def,
    struct lab_result *r)
{
	struct lab_pane_state *p = &lab->pane[LAB_SERVER];
	char a[ADDR_STRLEN];
	socklen_t len = sizeof lab->server_addr;

	(void)def;
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
lab_server_listen(struct lab *lab, const struct lab_step_def *def,
    struct lab_result *r)
{
	struct lab_pane_state *p;
	char call[64];

	if ((p = lab_open_pane(lab, def, r)) == NULL)
		return;
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
lab_client_create(struct lab *lab, const struct lab_step_def *def,
    struct lab_result *r)
{
	struct lab_pane_state *p = &lab->pane[LAB_CLIENT];
	struct sockaddr_storage ss;
	char a[ADDR_STRLEN];
	socklen_t len = sizeof ss;

	(void)def;
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
lab_client_connect(struct lab *lab, const struct lab_step_def *def,
    struct lab_result *r)
{
	struct lab_pane_state *p;
	char a[ADDR_STRLEN], call[128];
	int connected;

	if ((p = lab_open_pane(lab, def, r)) == NULL)
		return;
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
lab_server_accept(struct lab *lab, const struct lab_step_def *def,
    struct lab_result *r)
{
	struct lab_pane_state *p, *q = &lab->pane[LAB_SEND];
	char call[64];

	if ((p = lab_open_pane(lab, def, r)) == NULL)
		return;
	if (q->sock != NULL && asock_fd(q->sock) != -1) {
		lab_refuse(r, "Server-Send already holds the accepted "
		    "connection (fd %d); this lab has one: press r to start "
		    "over", asock_fd(q->sock));
		return;
	}
	snprintf(call, sizeof call, "accept(%d)", asock_fd(p->sock));
	if (q->sock == NULL) {
		if ((q->sock = asock_new(lab->base, lab_note_cb, q)) == NULL) {
			lab_failed(p, r, ENOMEM, call, "out of memory");
			return;
		}
		asock_set_trace(q->sock, lab_trace_cb, q);
	}
	if (asock_accept(p->sock, q->sock) == -1) {
		lab_failed(p, r, errno, call, errno == EAGAIN ?
		    "no connection waits in the listen queue (that is what "
		    "OnAccept would have announced)" : errno == EINVAL ?
		    "the socket is not listening: press 2 first" :
		    errno == EMFILE ? "this process has no descriptor left" :
		    "the kernel could not hand over a connection");
		return;
	}
	p->err = 0;
	q->err = 0;
	q->have_received = 0;
	q->urgent_read = 0;
	lab_say(r, 1, 0, "OK", "%s = fd %d: a new socket, Server-Send, "
	    "carries this connection; the listener keeps listening", call,
	    asock_fd(q->sock));
}

static void
lab_send(struct lab *lab, const struct lab_step_def *def,
    struct lab_result *r)
{
	struct lab_pane_state *p;
	char rec[5 + LAB_RECORD_SIZE], call[64];
	size_t len = 0;
	ssize_t n;

	if ((p = lab_open_pane(lab, def, r)) == NULL)
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
	lab_say(r, 1, 0, "OK", "%s = %zd: on its way into the %s's receive "
	    "queue; nothing has been read yet", call, n,
	    p->which == LAB_CLIENT ? "Server-Send socket" : "client");
}

static void
lab_receive(struct lab *lab, const struct lab_step_def *def,
    struct lab_result *r)
{
	struct lab_pane_state *p;
	char call[64], brief[16];
	size_t size;
	ssize_t n;

	if ((p = lab_open_pane(lab, def, r)) == NULL)
		return;
	/* Step 7 reads --recv-size bytes; step 9 reads the client's line. */
	size = p->which == LAB_CLIENT ? lab->recv_size : LAB_LINE_READ;
	snprintf(call, sizeof call, "recv(%d, %zu)", asock_fd(p->sock), size);
	n = asock_receive(p->sock, p->received, size);
	if (n == -1) {
		lab_failed(p, r, errno, call, errno == EAGAIN ?
		    (p->which == LAB_CLIENT ? "nothing waits in the receive "
		    "queue; press 6 to send first" : "nothing waits in the "
		    "receive queue; press 8 to send first") : errno == ENOTCONN ?
		    "the socket is not connected: press 4 first" :
		    errno == ECONNRESET ? "the peer reset the connection; "
		    "what was queued is lost" : "the connection failed");
		return;
	}
	p->err = 0;
	p->received_len = (size_t)n;
	p->have_received = 1;
	if (n == 0) {
		lab_say(r, 1, 0, "end", "%s = 0: end of stream, the peer "
		    "closed its side and every byte has been read", call);
		return;
	}
	snprintf(brief, sizeof brief, "%zd bytes", n);
	lab_say(r, 1, 0, brief, "%s = %zd: read from the kernel's receive "
	    "queue into the program", call, n);
}

static void
lab_close(struct lab *lab, const struct lab_step_def *def,
    struct lab_result *r)
{
	struct lab_pane_state *p;
	unsigned queued;
	int fd;

	if ((p = lab_open_pane(lab, def, r)) == NULL)
		return;
	fd = asock_fd(p->sock);
	asock_view(p->sock, &p->view);
	queued = p->view.accept_queue;
	if (asock_close(p->sock) == -1) {
		lab_failed(p, r, errno, "close()", "the descriptor was bad");
		return;
	}
	p->err = 0;
	if (p->which == LAB_SERVER) {
		lab->have_server_addr = 0;
		lab_say(r, 1, 0, "OK", "close(%d) = 0: the listener is gone; "
		    "%u connection(s) still in its queue were reset, and new "
		    "connects are refused", fd, queued);
	} else if (p->view.inq > 0 || p->urgent_read)
		/*
		 * Closing with data unread makes Linux send RST. A byte read
		 * with MSG_OOB leaves its place in the stream unread too.
		 */
		lab_say(r, 1, 0, "OK", "close(%d) = 0 with %s: so the kernel "
		    "sends RST, not FIN, and the peer sees OnClose(ECONNRESET)",
		    fd, p->view.inq > 0 ? "bytes unread" :
		    "the urgent byte's place in the stream unread");
	else
		lab_say(r, 1, 0, "OK", "close(%d) = 0: FIN follows any queued "
		    "data; the peer sees OnClose(0) once it has read "
		    "everything", fd);
}

static void
lab_shutdown(struct lab *lab, const struct lab_step_def *def,
    struct lab_result *r)
{
	struct lab_pane_state *p;
	char call[64];

	if ((p = lab_open_pane(lab, def, r)) == NULL)
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
lab_abort(struct lab *lab, const struct lab_step_def *def,
    struct lab_result *r)
{
	struct lab_pane_state *p;
	int fd;

	if ((p = lab_open_pane(lab, def, r)) == NULL)
		return;
	fd = asock_fd(p->sock);
	if (asock_abort(p->sock) == -1) {
		lab_failed(p, r, errno, "close()", "the descriptor was bad");
		return;
	}
	p->err = 0;
	lab_say(r, 1, 0, "OK", "setsockopt(%d, SO_LINGER, {on, 0 s}) + "
	    "close(%d) = 0: RST instead of FIN; unsent data is dropped and "
	    "the peer sees OnClose(ECONNRESET)", fd, fd);
}

static void
lab_send_urgent(struct lab *lab, const struct lab_step_def *def,
    struct lab_result *r)
{
	struct lab_pane_state *p;
	char call[64], c;

	if ((p = lab_open_pane(lab, def, r)) == NULL)
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
	lab_say(r, 1, 0, "OK", "%s = 1: SIGURG tells the client. Linux keeps "
	    "one urgent byte: send another before u reads it and it is lost",
	    call);
}

static void
lab_receive_urgent(struct lab *lab, const struct lab_step_def *def,
    struct lab_result *r)
{
	struct lab_pane_state *p;
	char call[64], c;

	if ((p = lab_open_pane(lab, def, r)) == NULL)
		return;
	snprintf(call, sizeof call, "recv(%d, 1, MSG_OOB)", asock_fd(p->sock));
	if (asock_receive_oob(p->sock, &c) != 1) {
		lab_failed(p, r, errno, call, errno == EINVAL ?
		    "no urgent byte waits (none was sent, or it was already "
		    "read)" : errno == EAGAIN ? "the urgent byte is announced "
		    "but has not arrived yet" : "the connection failed");
		return;
	}
	p->err = 0;
	p->received[0] = (unsigned char)c;
	p->received_len = 1;
	p->have_received = 1;
	p->urgent_read = 1;
	lab_say(r, 1, 0, "1 urgent", "%s = 1: the urgent byte, read apart "
	    "from the stream; OnOutOfBandData is enabled again", call);
}

static void
lab_fill(struct lab *lab, const struct lab_step_def *def,
    struct lab_result *r)
{
	static char chunk[16384];
	struct lab_pane_state *p;
	unsigned long total = 0, calls = 0;
	char call[64];
	ssize_t n;

	if ((p = lab_open_pane(lab, def, r)) == NULL)
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
	    "EAGAIN: the send queue and the peer's receive queue are full. "
	    "OnSend fires once the peer reads (d/D drains)", call, total,
	    calls);
}

static void
lab_drain(struct lab *lab, const struct lab_step_def *def,
    struct lab_result *r)
{
	static unsigned char sink[65536];
	struct lab_pane_state *p;
	unsigned long total = 0;
	char call[64], brief[16];
	ssize_t n;

	if ((p = lab_open_pane(lab, def, r)) == NULL)
		return;
	snprintf(call, sizeof call, "recv(%d, %zu) repeated",
	    asock_fd(p->sock), sizeof sink);
	while ((n = asock_receive(p->sock, sink, sizeof sink)) > 0)
		total += (unsigned long)n;
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
	lab->tick = evtimer_new(base, lab_tick_cb, lab);
	lab->auto_timer = event_new(base, -1, EV_PERSIST, lab_auto_cb, lab);
	if (lab->tick == NULL || lab->auto_timer == NULL)
		return -1;
	for (i = 0; i < LAB_PANES; i++) {
		lab->pane[i].lab = lab;
		lab->pane[i].which = i;
		lab->pane[i].view.tcp_state = -1;
		lab->pane[i].received = malloc(recv_size > LAB_LINE_READ ?
		    recv_size : LAB_LINE_READ);
		if (lab->pane[i].received == NULL)
			return -1;
	}
	return 0;
}

/* Close every socket and forget every result: back to the first screen. */
void
lab_reset(struct lab *lab)
{
	struct lab_pane_state *p;
	int i;

	if (lab->auto_mode)
		lab_set_auto(lab, 0);
	for (i = 0; i < LAB_PANES; i++) {
		p = &lab->pane[i];
		asock_free(p->sock);
		p->sock = NULL;
		memset(p->counts, 0, sizeof p->counts);
		p->err = 0;
		p->last_key = 0;
		p->received_len = 0;
		p->have_received = 0;
		p->urgent_read = 0;
	}
	memset(lab->result, 0, sizeof lab->result);
	lab->have_server_addr = 0;
	lab->notes = 0;
	lab->urgent_sent = 0;
	lab_refresh(lab);
}

void
lab_free(struct lab *lab)
{
	int i;

	lab_reset(lab);
	for (i = 0; i < LAB_PANES; i++) {
		free(lab->pane[i].received);
		lab->pane[i].received = NULL;
	}
	if (lab->tick != NULL)
		event_free(lab->tick);
	if (lab->auto_timer != NULL)
		event_free(lab->auto_timer);
	lab->tick = lab->auto_timer = NULL;
}

int
lab_step(struct lab *lab, int key)
{
	const struct lab_step_def *def;
	struct lab_result *r;

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
	if ((def = lab_step_def(key)) == NULL)
		return -1;
	lab_say_line(lab, "key %c: %s %s%s", key, lab_pane_name(def->pane),
	    def->name, lab->auto_running ? " (auto mode)" : "");
	r = &lab->result[key];
	def->run(lab, def, r);
	if (!r->ok && r->err == 0)
		lab_say_line(lab, "            not now: %s", r->detail);
	lab->last_key = key;
	lab->pane[def->pane].last_key = key;
	lab_refresh(lab);
	return 0;
}
