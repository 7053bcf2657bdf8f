/*
 * asock.c - CAsyncSocket's notification rules on top of libevent.
 *
 * Winsock's WSAAsyncSelect posts a message once and then stays quiet until
 * the program makes the call that re-enables it; a level-triggered one
 * (read, accept, out-of-band) comes again right after that call if its
 * condition still holds. A pending one-shot of one kind must not blind
 * the socket to the others: a reset is reported as FD_CLOSE at once, even
 * while an FD_READ waits to be re-enabled.
 *
 * So the read event cannot simply leave the loop while OnReceive waits,
 * as a one-shot libevent event would: the reset would go unseen until the
 * next recv. Nor can it stay in a level-triggered loop: unread bytes (or a
 * FIN) would wake it on every turn, a busy loop. Both events of a socket
 * are therefore edge-triggered (EV_ET) under both models, and the read
 * event stays in the loop from connection to close: the loop wakes only
 * when the kernel reports a change (new bytes, FIN, RST, a connection
 * queued), and the callback itself decides, from the socket's state and
 * the one-shot flags, which notification that change is. Winsock's level
 * rule is emulated: the re-enabling call (recv, accept, recv MSG_OOB)
 * starts a zero timeout, and its callback looks at the condition (SIOCINQ,
 * poll) as the read callback does. A timer rather than event_active: an
 * event made active from a callback runs in the same pass of the loop, so
 * under a flood the loop would never get back to epoll_wait and starve
 * every other socket, timer and key; a due timer waits for the next turn.
 * epoll_ctl (ADD, MOD) reports a condition already present, so conditions
 * waiting when a socket is accepted or an event added are reported too.
 *
 * Under a flood in auto mode (asock_set_quiet) a notification costs no
 * system call of its own: the bytes the last SIOCINQ counted are handed
 * out without asking again, and the kernel is asked (poll and SIOCINQ)
 * once those are read: once per queue-full. A reset that comes while
 * counted bytes remain is so reported once they are handed out (they came
 * before it), not at the wake-up itself, unless the handler leaves
 * OnReceive disabled. The timer costs no system call either (when the
 * kernel reported new bytes first, the read callback delivers and the
 * timer is moved on).
 *
 * Per socket:
 *   rd    - accept queue (listener) or receive queue / FIN / RST
 *   wr    - completion of a pending connect, or room to send (OnSend)
 *   again - the zero timeout of the level rule, and of urgent data that
 *           waited before the socket was accepted or connected
 * and one SIGURG event shared by all sockets: libevent cannot wait for
 * urgent data, so the kernel signals the owner process (F_SETOWN) and the
 * handler asks each socket whether an urgent byte waits.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/sockios.h>

#include <event2/event.h>

#include "addr.h"
#include "asock.h"
#include "errname.h"
#include "escape.h"

struct asock {
	struct event_base	*base;
	int			 fd;
	enum asock_state	 state;
	struct event		*rd;
	struct event		*wr;
	struct event		*again;		/* level rule: look again */
	int			 send_wanted;	/* FD_WRITE is enabled */
	int			 oob_wanted;	/* FD_OOB is enabled */
	int			 v6only;	/* IPV6_V6ONLY to set, -1: leave */
	int			 edge;		/* edge-triggered model (EV_ET) */
	int			 quiet;		/* no lines for OnReceive, recv */
	int			 rd_on;		/* FD_READ/FD_ACCEPT is enabled */
	int			 rd_added;	/* rd is in the loop */
	int			 left;		/* bytes known to be queued still */
	int			 stirred;	/* a kernel change not looked at */
	int			 oob_look;	/* look for an urgent byte */
	int			 reset;		/* OnClose(ECONNRESET) delivered */
	unsigned		 gen;		/* changes with each descriptor */
	asock_cb		*cb;
	void			*arg;
	asock_trace_cb		*trace;
	void			*trace_arg;
	struct asock		*next;		/* every live asock */
};

/*
 * All live sockets, for the SIGURG handler; the event exists while any do.
 * Process-wide because the kernel makes SIGURG so: it goes to the process
 * that owns the descriptor (F_SETOWN) and names no descriptor, and libevent
 * lets one event_base at a time watch a signal. So one event serves every
 * asock, and its handler must look at each of them.
 */
static struct asock	*asock_all;
static struct event	*asock_sigurg;
/*
 * The socket whose notification is running; asock_free clears it. A freed
 * socket cannot carry the news of its own freeing back to asock_notify, so
 * the mark lives outside it; one is enough because notifications never
 * nest: each comes from a callback of the event loop, none from a call.
 */
static struct asock	*asock_reading;
static const struct timeval asock_now = { 0, 0 };

static int asock_events(struct asock *, int);
static void asock_read_on(struct asock *);
static void asock_read_cb(evutil_socket_t, short, void *);
static void asock_write_cb(evutil_socket_t, short, void *);
static void asock_again_cb(evutil_socket_t, short, void *);
static void asock_sigurg_cb(evutil_socket_t, short, void *);
static int asock_oob_check(struct asock *, const char *);

const char *
asock_note_name(enum asock_note note)
{
	static const char *names[ASOCK_NOTES] = {
		"OnAccept", "OnClose", "OnConnect", "OnOutOfBandData",
		"OnReceive", "OnSend"
	};

	return (unsigned)note < ASOCK_NOTES ? names[note] : "On?";
}

const char *
asock_tcp_state_name(int st)
{
	static const char *names[] = {
		"-", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1",
		"FIN_WAIT2", "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK",
		"LISTEN", "CLOSING"
	};

	if (st < 0 || (size_t)st >= sizeof names / sizeof names[0])
		return "-";
	return names[st];
}

/* Write one transcript line, if anyone listens. */
static void __attribute__((format(printf, 2, 3)))
asock_trace(struct asock *s, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	if (s->trace == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	s->trace(s, line, s->trace_arg);
}

/* " = 0", " = 13" or " = -1 EAGAIN" for a call that returned rc. */
static const char *
asock_rc(long rc, int err, char *buf, size_t len)
{
	if (rc == -1)
		snprintf(buf, len, "-1 %s", errname_name(err));
	else
		snprintf(buf, len, "%ld", rc);
	return buf;
}

struct asock *
asock_new(struct event_base *base, asock_cb *cb, void *arg)
{
	struct asock *s;

	if (asock_sigurg == NULL) {
		asock_sigurg = evsignal_new(base, SIGURG, asock_sigurg_cb,
		    NULL);
		if (asock_sigurg == NULL || event_add(asock_sigurg, NULL) == -1)
			return NULL;
	}
	if ((s = calloc(1, sizeof *s)) == NULL)
		return NULL;
	if ((s->again = evtimer_new(base, asock_again_cb, s)) == NULL) {
		free(s);
		return NULL;
	}
	s->base = base;
	s->fd = -1;
	s->state = ASOCK_CLOSED;
	s->v6only = -1;
	s->cb = cb;
	s->arg = arg;
	s->next = asock_all;
	asock_all = s;
	return s;
}

void
asock_free(struct asock *s)
{
	struct asock **pp;

	if (s == NULL)
		return;
	if (asock_reading == s)
		asock_reading = NULL;
	if (s->fd != -1)
		asock_close(s);
	event_free(s->again);
	for (pp = &asock_all; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == s) {
			*pp = s->next;
			break;
		}
	}
	if (asock_all == NULL && asock_sigurg != NULL) {
		event_free(asock_sigurg);
		asock_sigurg = NULL;
	}
	free(s);
}

/*
 * Switch the notification model. A connected socket gets new events at
 * once; under the Winsock model its notifications are enabled again as if
 * the re-enabling calls had just been made.
 */
int
asock_set_edge(struct asock *s, int on)
{
	if (s->edge == !!on)
		return 0;
	s->edge = !!on;
	if (s->fd == -1 || s->state == ASOCK_LISTENING)
		return 0;
	event_free(s->rd);
	event_free(s->wr);
	if (asock_events(s, s->fd) == -1)
		return -1;
	if (s->state == ASOCK_CONNECTED) {
		asock_read_on(s);
		event_add(s->again, &asock_now);
		if (s->edge || s->send_wanted)
			event_add(s->wr, NULL);
	} else if (s->state == ASOCK_CONNECTING)
		event_add(s->wr, NULL);
	else if (s->state == ASOCK_PEER_CLOSED && (s->edge || s->send_wanted))
		event_add(s->wr, NULL);	/* CLOSE_WAIT can still send */
	return 0;
}

void
asock_set_v6only(struct asock *s, int on)
{
	s->v6only = on;
}

void
asock_set_trace(struct asock *s, asock_trace_cb *cb, void *arg)
{
	s->trace = cb;
	s->trace_arg = arg;
}

void
asock_set_quiet(struct asock *s, int on)
{
	s->quiet = on;
}

/*
 * The two events of a socket, both EV_ET (libevent refuses to mix edge-
 * and level-triggered events on one descriptor). The read event is
 * persistent under both models; the one-shot rule is asock's own (rd_on).
 * The write event is one-shot under the Winsock model, added by the
 * calls that want OnSend, and persistent under the edge-triggered one,
 * firing on every change the kernel reports.
 */
static int
asock_events(struct asock *s, int fd)
{
	s->rd_on = s->rd_added = 0;
	s->rd = event_new(s->base, fd, EV_READ | EV_ET | EV_PERSIST,
	    asock_read_cb, s);
	s->wr = event_new(s->base, fd, EV_WRITE | EV_ET |
	    (s->edge ? EV_PERSIST : 0), asock_write_cb, s);
	if (s->rd != NULL && s->wr != NULL)
		return 0;
	if (s->rd != NULL)
		event_free(s->rd);
	if (s->wr != NULL)
		event_free(s->wr);
	s->rd = s->wr = NULL;
	return -1;
}

/* Take ownership of fd: make the two events for it. */
static int
asock_attach(struct asock *s, int fd, enum asock_state state)
{
	if (asock_events(s, fd) == -1) {
		close(fd);
		errno = ENOMEM;
		return -1;
	}
	s->fd = fd;
	s->state = state;
	s->gen++;
	s->send_wanted = 0;
	s->oob_wanted = 1;
	s->reset = s->stirred = s->left = 0;
	/*
	 * Ask for SIGURG from the start: urgent data may arrive before the
	 * loop has even reported the connection.
	 */
	if (fcntl(fd, F_SETOWN, getpid()) == -1)
		asock_trace(s, "fcntl(%d, F_SETOWN, %d) = -1 %s: no urgent-data "
		    "notifications", fd, (int)getpid(), errname_name(errno));
	else
		asock_trace(s, "fcntl(%d, F_SETOWN, %d) = 0", fd,
		    (int)getpid());
	return 0;
}

/*
 * The re-enabling call was made: OnReceive (OnAccept) may fire again. The
 * first time, adding the event to the loop reports a condition already
 * present; after that the event is in the loop already, and the zero
 * timeout looks again on the next turn (Winsock's level rule). Under the
 * edge-triggered model nothing is looked at again: only changes fire.
 */
static void
asock_read_on(struct asock *s)
{
	s->rd_on = 1;
	if (!s->rd_added) {
		event_add(s->rd, NULL);
		s->rd_added = 1;
	} else if (!s->edge || s->state == ASOCK_LISTENING)
		event_add(s->again, &asock_now);
}

/*
 * Deliver one notification. The callback may free s, close it, or give it
 * a new descriptor: returns 1 only if s is still the socket it was (gen).
 */
static int
asock_notify(struct asock *s, enum asock_note note, int err)
{
	unsigned gen = s->gen;

	asock_reading = s;
	if (s->cb != NULL)
		s->cb(s, note, err, s->arg);
	if (asock_reading != s)
		return 0;		/* freed */
	asock_reading = NULL;
	return s->gen == gen && s->fd != -1;
}

/* A connection is up: arm OnSend once (FD_WRITE) and the receive side. */
static void
asock_established(struct asock *s)
{
	s->state = ASOCK_CONNECTED;
	s->send_wanted = 1;
	s->left = 0;
	event_add(s->wr, NULL);
	asock_read_on(s);
	/*
	 * An urgent byte that came before accept (or before the connection
	 * was reported) raised its SIGURG when no asock owned the socket:
	 * look for it on the next turn.
	 */
	s->oob_look = 1;
	event_add(s->again, &asock_now);
}

/* socket() + bind(), as CAsyncSocket::Create does. */
int
asock_create(struct asock *s, const struct sockaddr *bind_to, socklen_t len)
{
	char a[ADDR_STRLEN], r[32];
	int fd, one = 1, saved, rc;

	if (s->fd != -1) {
		errno = EISCONN;
		return -1;
	}
	fd = socket(bind_to->sa_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	saved = errno;
	asock_trace(s, "socket(%s, SOCK_STREAM|SOCK_NONBLOCK) = %s",
	    bind_to->sa_family == AF_INET6 ? "AF_INET6" : "AF_INET",
	    asock_rc(fd, saved, r, sizeof r));
	if (fd == -1) {
		errno = saved;
		return -1;
	}
	/*
	 * A fixed port must be reusable right after a reset, while the old
	 * connection still sits in TIME_WAIT; a port some other program
	 * listens on still fails with EADDRINUSE.
	 */
	rc = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	asock_trace(s, "setsockopt(%d, SO_REUSEADDR, 1) = %s", fd,
	    asock_rc(rc, errno, r, sizeof r));
	/*
	 * "::" takes IPv4 connections too unless IPV6_V6ONLY is set; the
	 * system default (net.ipv6.bindv6only) decides when nobody says.
	 */
	if (bind_to->sa_family == AF_INET6 && s->v6only != -1) {
		rc = setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &s->v6only,
		    sizeof s->v6only);
		asock_trace(s, "setsockopt(%d, IPV6_V6ONLY, %d) = %s", fd,
		    s->v6only, asock_rc(rc, errno, r, sizeof r));
	}
	if (bind(fd, bind_to, len) == -1) {
		saved = errno;
		asock_trace(s, "bind(%d, %s) = -1 %s", fd,
		    addr_format(bind_to, a, sizeof a), errname_name(saved));
		close(fd);
		asock_trace(s, "close(%d) = 0", fd);
		errno = saved;
		return -1;
	}
	asock_trace(s, "bind(%d, %s) = 0", fd, addr_format(bind_to, a,
	    sizeof a));
	return asock_attach(s, fd, ASOCK_CREATED);
}

int
asock_listen(struct asock *s, int backlog)
{
	int rc = listen(s->fd, backlog), saved = errno;
	char r[32];

	asock_trace(s, "listen(%d, %d) = %s", s->fd, backlog,
	    asock_rc(rc, saved, r, sizeof r));
	if (rc == -1) {
		errno = saved;
		return -1;
	}
	s->state = ASOCK_LISTENING;
	asock_read_on(s);		/* FD_ACCEPT */
	return 0;
}

int
asock_connect(struct asock *s, const struct sockaddr *to, socklen_t len)
{
	char a[ADDR_STRLEN], r[32];
	int rc, saved;

	rc = connect(s->fd, to, len);
	saved = errno;
	asock_trace(s, "connect(%d, %s) = %s", s->fd, addr_format(to, a,
	    sizeof a), asock_rc(rc, saved, r, sizeof r));
	/*
	 * On a socket that is already connected, Linux answers 0 once (the
	 * non-blocking connect finished) and EISCONN after that. Neither
	 * starts a new connect, so no new OnConnect.
	 */
	if (s->state == ASOCK_CONNECTED || s->state == ASOCK_PEER_CLOSED) {
		errno = saved;
		return rc;
	}
	if (rc == -1 && saved != EINPROGRESS) {
		errno = saved;
		return -1;
	}
	/*
	 * Success or EINPROGRESS: either way the outcome is reported by
	 * OnConnect from the loop, read from SO_ERROR once the socket is
	 * writable.
	 */
	s->state = ASOCK_CONNECTING;
	event_add(s->wr, NULL);
	errno = saved;
	return rc;
}

int
asock_starved(int err)
{
	return err == EMFILE || err == ENFILE || err == ENOBUFS ||
	    err == ENOMEM;
}

int
asock_accept(struct asock *listener, struct asock *into)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	char a[ADDR_STRLEN], r[32];
	int fd, saved;

	fd = accept4(listener->fd, (struct sockaddr *)&ss, &len,
	    SOCK_NONBLOCK | SOCK_CLOEXEC);
	saved = errno;
	if (fd == -1)
		asock_trace(listener, "accept(%d) = %s", listener->fd,
		    asock_rc(fd, saved, r, sizeof r));
	else
		asock_trace(listener, "accept(%d) = %d, peer %s",
		    listener->fd, fd, addr_format((struct sockaddr *)&ss, a,
		    sizeof a));
	/*
	 * accept re-enables OnAccept; it fires again at once if more wait.
	 * Not when the process is out of descriptors: the connection stays
	 * queued, so a re-enabled OnAccept would fire, fail and fire again
	 * without end. The next accept() that succeeds re-enables it.
	 */
	if (listener->state == ASOCK_LISTENING && !(fd == -1 &&
	    asock_starved(saved)))
		asock_read_on(listener);
	if (fd == -1) {
		errno = saved;
		return -1;
	}
	if (into->fd != -1)
		asock_close(into);
	if (asock_attach(into, fd, ASOCK_CONNECTED) == -1)
		return -1;
	asock_established(into);
	return 0;
}

ssize_t
asock_send(struct asock *s, const void *buf, size_t len)
{
	char esc[64], r[32];
	size_t shown;
	ssize_t n;
	int saved;

	n = send(s->fd, buf, len, MSG_NOSIGNAL);
	saved = errno;
	shown = escape_bytes(buf, len, esc, sizeof esc);
	asock_trace(s, "send(%d, \"%s\"%s, %zu) = %s", s->fd, esc,
	    shown < len ? "..." : "", len, asock_rc(n, saved, r, sizeof r));
	if (n == -1 && (saved == EAGAIN || saved == EWOULDBLOCK) &&
	    (s->state == ASOCK_CONNECTED || s->state == ASOCK_PEER_CLOSED)) {
		/*
		 * Only a send that would block re-enables OnSend; also after
		 * the peer's FIN (CLOSE_WAIT), since such a socket may send.
		 */
		s->send_wanted = 1;
		event_add(s->wr, NULL);
		saved = EAGAIN;
	}
	errno = saved;
	return n;
}

ssize_t
asock_receive(struct asock *s, void *buf, size_t len)
{
	char esc[64], r[32];
	size_t shown;
	ssize_t n;
	int saved;

	n = recv(s->fd, buf, len, 0);
	saved = errno;
	/* What the kernel said was queued, less what was taken. */
	s->left = n > 0 && s->left > n ? s->left - (int)n : 0;
	if (n > 0 && !s->quiet) {
		shown = escape_bytes(buf, n, esc, sizeof esc);
		asock_trace(s, "recv(%d, %zu) = %zd \"%s\"%s", s->fd, len, n,
		    esc, shown < (size_t)n ? "..." : "");
	} else if (n <= 0)
		asock_trace(s, "recv(%d, %zu) = %s", s->fd, len,
		    asock_rc(n, saved, r, sizeof r));
	/*
	 * recv re-enables OnReceive, successful or not. If bytes remain (or
	 * the stream has ended), the loop tells us on its next turn.
	 */
	if (s->state == ASOCK_CONNECTED)
		asock_read_on(s);
	errno = saved;
	return n;
}

ssize_t
asock_send_oob(struct asock *s, char byte)
{
	char esc[8], r[32];
	ssize_t n;
	int saved;

	n = send(s->fd, &byte, 1, MSG_OOB | MSG_NOSIGNAL);
	saved = errno;
	escape_bytes(&byte, 1, esc, sizeof esc);
	asock_trace(s, "send(%d, \"%s\", 1, MSG_OOB) = %s", s->fd, esc,
	    asock_rc(n, saved, r, sizeof r));
	errno = saved;
	return n;
}

ssize_t
asock_receive_oob(struct asock *s, char *byte)
{
	char esc[8], r[32];
	ssize_t n;
	int saved;

	n = recv(s->fd, byte, 1, MSG_OOB);
	saved = errno;
	s->left = 0;		/* the count no longer holds */
	if (n == 1) {
		escape_bytes(byte, 1, esc, sizeof esc);
		asock_trace(s, "recv(%d, 1, MSG_OOB) = 1 \"%s\"", s->fd, esc);
	} else
		asock_trace(s, "recv(%d, 1, MSG_OOB) = %s", s->fd,
		    asock_rc(n, saved, r, sizeof r));
	/*
	 * recv with MSG_OOB re-enables OnOutOfBandData: again at once if an
	 * urgent byte still waits (a newer one, whose SIGURG came while the
	 * notification was disabled).
	 */
	s->oob_wanted = 1;
	if (s->state == ASOCK_CONNECTED || s->state == ASOCK_PEER_CLOSED) {
		s->oob_look = 1;
		event_add(s->again, &asock_now);
	}
	errno = saved;
	return n;
}

int
asock_shutdown(struct asock *s)
{
	int rc = shutdown(s->fd, SHUT_WR), saved = errno;
	char r[32];

	asock_trace(s, "shutdown(%d, SHUT_WR) = %s", s->fd,
	    asock_rc(rc, saved, r, sizeof r));
	errno = saved;
	return rc;
}

/* Close with SO_LINGER {on, 0 s}: the kernel sends RST, not FIN. */
int
asock_abort(struct asock *s)
{
	struct linger lg = { 1, 0 };
	int rc, saved;
	char r[32];

	rc = setsockopt(s->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
	saved = errno;
	asock_trace(s, "setsockopt(%d, SO_LINGER, {on, 0 s}) = %s", s->fd,
	    asock_rc(rc, saved, r, sizeof r));
	return asock_close(s);
}

int
asock_close(struct asock *s)
{
	char r[32];
	int rc, saved;

	/* Safe on a socket that was never made (a failed start). */
	if (s == NULL || s->fd == -1) {
		errno = EBADF;
		return -1;
	}
	event_free(s->rd);
	event_free(s->wr);
	s->rd = s->wr = NULL;
	evtimer_del(s->again);
	rc = close(s->fd);
	saved = errno;
	asock_trace(s, "close(%d) = %s", s->fd, asock_rc(rc, saved, r,
	    sizeof r));
	s->fd = -1;
	s->state = ASOCK_CLOSED;
	s->send_wanted = 0;
	errno = saved;
	return rc;
}

int
asock_owed(const struct asock *s)
{
	return s != NULL && s->fd != -1 && !s->edge && !s->rd_on &&
	    (s->state == ASOCK_CONNECTED || s->state == ASOCK_LISTENING);
}

int
asock_fd(const struct asock *s)
{
	return s->fd;
}

enum asock_state
asock_state(const struct asock *s)
{
	return s->state;
}

void
asock_view(const struct asock *s, struct asock_view *v)
{
	/*
	 * glibc's struct tcp_info stops before the segment counters Linux
	 * 4.2 added; these are the fields that follow it in the kernel's.
	 */
	struct {
		struct tcp_info	ti;
		uint64_t	pacing_rate, max_pacing_rate;
		uint64_t	bytes_acked, bytes_received;
		uint32_t	segs_out, segs_in;
	} info;
	struct pollfd pfd;
	socklen_t len;

	memset(v, 0, sizeof *v);
	v->tcp_state = -1;
	v->inq = v->outq = -1;
	v->segs_out = v->segs_in = -1;
	if (s == NULL || s->fd == -1)
		return;
	memset(&info, 0, sizeof info);
	len = sizeof info;
	if (getsockopt(s->fd, IPPROTO_TCP, TCP_INFO, &info, &len) == 0) {
		v->tcp_state = info.ti.tcpi_state;
		/* For a listener, as ss(8) shows: queue length and backlog. */
		if (info.ti.tcpi_state == TCP_LISTEN) {
			v->accept_queue = info.ti.tcpi_unacked;
			v->backlog = info.ti.tcpi_sacked;
		}
		if (len >= sizeof info) {
			v->segs_out = (long)info.segs_out;
			v->segs_in = (long)info.segs_in;
		}
	}
	len = sizeof v->local;
	v->have_local = getsockname(s->fd, (struct sockaddr *)&v->local,
	    &len) == 0 && addr_port((struct sockaddr *)&v->local) != 0;
	len = sizeof v->peer;
	v->have_peer = getpeername(s->fd, (struct sockaddr *)&v->peer,
	    &len) == 0;
	if (v->tcp_state != TCP_LISTEN) {
		if (ioctl(s->fd, SIOCINQ, &v->inq) == -1)
			v->inq = -1;
		if (ioctl(s->fd, SIOCOUTQ, &v->outq) == -1)
			v->outq = -1;
	}
	/* Level-triggered truth, whatever the one-shot rules delivered. */
	pfd.fd = s->fd;
	pfd.events = POLLIN | POLLOUT | POLLPRI;
	pfd.revents = 0;
	if (poll(&pfd, 1, 0) == 1) {
		v->readable = (pfd.revents & (POLLIN | POLLHUP)) != 0;
		v->writable = (pfd.revents & POLLOUT) != 0;
		v->urgent = (pfd.revents & POLLPRI) != 0;
	}
}

/* poll() right now, without taking anything (0 if poll fails). */
static short
asock_poll(int fd, short events)
{
	struct pollfd pfd;

	pfd.fd = fd;
	pfd.events = events;
	pfd.revents = 0;
	return poll(&pfd, 1, 0) == 1 ? pfd.revents : 0;
}

/*
 * OnSend is owed (the FD_WRITE a connection or accept records) and the
 * peer closed: a socket in CLOSE_WAIT can still send, so OnSend comes,
 * and before OnClose, whichever event the loop runs first.
 */
static int
asock_send_first(struct asock *s, int fd, short rev)
{
	if (!s->send_wanted || s->edge || !(rev & POLLOUT))
		return 1;
	s->send_wanted = 0;
	asock_trace(s, "fd %d writable, room to send -> OnSend(0)", fd);
	return asock_notify(s, ASOCK_ON_SEND, 0);
}

/* The peer reset the connection: OnClose(ECONNRESET), whatever waits. */
static void
asock_reset(struct asock *s, int fd, const char *why, const char *what)
{
	s->state = ASOCK_PEER_CLOSED;
	s->reset = 1;
	s->left = 0;
	s->send_wanted = 0;	/* no OnSend after it: the socket is dead */
	asock_trace(s, "fd %d %s, %s, POLLERR: the peer reset the connection "
	    "-> OnClose(ECONNRESET)", fd, why, what);
	asock_notify(s, ASOCK_ON_CLOSE, ECONNRESET);
}

/*
 * The loop reports a change on a connected socket (kernel: the read event)
 * or asks again after a re-enabling call (the zero timeout). Decide which
 * notification it is, if any, from the kernel's state and the one-shot
 * flags, in Winsock's order: OnReceive while bytes wait, OnClose(0) only
 * once all are read, OnClose(ECONNRESET) at once, pending OnReceive or not.
 * A reset leaves an error pending for the next recv, and poll() reports it
 * as POLLERR without taking it; SO_ERROR or a peek would consume it, and
 * the learner's recv would see none.
 */
static void
asock_look(struct asock *s, int kernel)
{
	const char *why = kernel ? (s->edge ? "EV_READ (edge)" : "EV_READ") :
	    "OnReceive re-enabled";
	int fd = s->fd, on = s->rd_on || s->edge, queued = 0, err;
	short rev;
	char c;
	ssize_t n;

	/*
	 * The quiet fast path: bytes the kernel counted are still queued (a
	 * reset does not discard them), so hand them out without asking.
	 * A change reported meanwhile is looked at once they are read.
	 */
	if (on && s->quiet && s->left > 0) {
		s->rd_on = 0;
		s->stirred |= kernel;
		if (!asock_notify(s, ASOCK_ON_RECEIVE, 0) || s->rd_on ||
		    s->edge || !s->stirred || s->state != ASOCK_CONNECTED)
			return;
		/* Not re-enabled: the change may be a reset; look now. */
		on = 0;
	}
	if (!on && !kernel && !s->stirred)
		return;			/* nothing enabled, nothing new */
	s->stirred = 0;
	rev = asock_poll(fd, POLLIN | POLLOUT);
	if (!on) {
		/* OnReceive waits to be re-enabled: only a reset is news. */
		if (rev & POLLERR)
			asock_reset(s, fd, why, "OnReceive pending");
		return;
	}
	s->left = 0;
	if ((rev & (POLLIN | POLLERR | POLLHUP)) &&
	    ioctl(fd, SIOCINQ, &queued) == 0 && queued > 0) {
		s->left = queued;
		s->rd_on = 0;
		if (!s->quiet)
			asock_trace(s, "fd %d %s, %d bytes queued -> "
			    "OnReceive(0)", fd, why, queued);
		if (!asock_notify(s, ASOCK_ON_RECEIVE, 0) ||
		    !(rev & POLLERR) || s->state != ASOCK_CONNECTED)
			return;
		/* Both were there when the loop looked: the reset too. */
		asock_reset(s, fd, why, "bytes queued too");
		return;
	}
	if (rev & POLLERR) {
		asock_reset(s, fd, why, "nothing queued");
		return;
	}
	if (!(rev & (POLLIN | POLLHUP)))
		return;			/* nothing after all */
	n = recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
	err = errno;
	if (n > 0) {
		s->rd_on = 0;
		asock_trace(s, "fd %d %s, data queued -> OnReceive(0)", fd,
		    why);
		asock_notify(s, ASOCK_ON_RECEIVE, 0);
	} else if (n == 0) {
		if (!asock_send_first(s, fd, rev) ||
		    s->state != ASOCK_CONNECTED)
			return;
		s->state = ASOCK_PEER_CLOSED;
		asock_trace(s, "fd %d %s, nothing queued, end of stream "
		    "(FIN) -> OnClose(0)", fd, why);
		asock_notify(s, ASOCK_ON_CLOSE, 0);
	} else if (err != EAGAIN && err != EWOULDBLOCK && err != EINTR) {
		s->state = ASOCK_PEER_CLOSED;
		asock_trace(s, "fd %d %s, recv says %s -> OnClose(%s)", fd, why,
		    errname_name(err), errname_name(err));
		asock_notify(s, ASOCK_ON_CLOSE, err);
	}
}

/*
 * A listener: OnAccept if it is enabled and a connection waits now (the
 * change the loop reported may be gone: an accept took it).
 */
static void
asock_look_listener(struct asock *s, int kernel)
{
	if (!s->rd_on || !(asock_poll(s->fd, POLLIN) & POLLIN))
		return;
	s->rd_on = 0;
	asock_trace(s, "fd %d %s: a connection waits -> OnAccept(0)", s->fd,
	    kernel ? "EV_READ on a listener" : "OnAccept re-enabled");
	asock_notify(s, ASOCK_ON_ACCEPT, 0);
}

/* The kernel reported a change: edge-triggered, so only once per change. */
static void
asock_read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct asock *s = arg;

	(void)fd;
	(void)what;
	if (s->state == ASOCK_LISTENING)
		asock_look_listener(s, 1);
	else if (s->state == ASOCK_CONNECTED)
		asock_look(s, 1);
}

/*
 * The zero timeout: a re-enabling call was made, or a socket was just
 * connected or accepted. Report the conditions that hold now.
 */
static void
asock_again_cb(evutil_socket_t fd, short what, void *arg)
{
	struct asock *s = arg;

	(void)fd;
	(void)what;
	if (s->fd == -1)
		return;
	if (s->state == ASOCK_LISTENING) {
		asock_look_listener(s, 0);
		return;
	}
	if (s->oob_look) {
		s->oob_look = 0;
		if (asock_oob_check(s, "an urgent byte already waits") == 0)
			return;		/* s was freed or reused */
	}
	if (s->state == ASOCK_CONNECTED)
		asock_look(s, 0);
}

/*
 * OnOutOfBandData, if it is enabled and an urgent byte waits (peeked, not
 * taken). Returns 0 when the handler freed or reused s, 1 otherwise.
 */
static int
asock_oob_check(struct asock *s, const char *why)
{
	char c;

	if (s->fd == -1 || !s->oob_wanted ||
	    recv(s->fd, &c, 1, MSG_OOB | MSG_PEEK) != 1)
		return 1;
	s->oob_wanted = 0;
	s->left = 0;	/* recv skips the urgent byte: count again */
	asock_trace(s, "fd %d, %s -> OnOutOfBandData(0)", s->fd, why);
	return asock_notify(s, ASOCK_ON_OOB, 0);
}

static void
asock_write_cb(evutil_socket_t fd, short what, void *arg)
{
	struct asock *s = arg;
	int err = 0;
	socklen_t len = sizeof err;

	(void)what;
	if (s->state == ASOCK_CONNECTING) {
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
			err = errno;
		asock_trace(s, "fd %d EV_WRITE, SO_ERROR = %s -> OnConnect(%s)",
		    (int)fd, errname_name(err), errname_name(err));
		if (err != 0)
			s->state = ASOCK_CREATED;	/* may connect again */
		else
			asock_established(s);
		asock_notify(s, ASOCK_ON_CONNECT, err);
		return;
	}
	if (s->edge && (s->state == ASOCK_CONNECTED ||
	    (s->state == ASOCK_PEER_CLOSED && !s->reset))) {
		s->send_wanted = 0;	/* this one pays what was owed */
		asock_trace(s, "fd %d EV_WRITE (edge), room to send -> "
		    "OnSend(0)", (int)fd);
		asock_notify(s, ASOCK_ON_SEND, 0);
		return;
	}
	/*
	 * Winsock's one-shot. A socket whose peer closed gracefully can
	 * still send (CLOSE_WAIT); one that was reset cannot, and libevent
	 * runs this callback for a reset too (EPOLLERR is EV_READ|EV_WRITE).
	 */
	if (!s->send_wanted || s->edge || s->reset ||
	    (s->state != ASOCK_CONNECTED && s->state != ASOCK_PEER_CLOSED))
		return;
	if (s->state == ASOCK_CONNECTED &&
	    (asock_poll(fd, POLLOUT) & POLLERR))
		return;		/* the read side reports the reset */
	s->send_wanted = 0;
	asock_trace(s, "fd %d EV_WRITE, room to send -> OnSend(0)", (int)fd);
	asock_notify(s, ASOCK_ON_SEND, 0);
}

/* The kernel raised SIGURG: find the sockets with an urgent byte waiting. */
static void
asock_sigurg_cb(evutil_socket_t sig, short what, void *arg)
{
	struct asock *s, *next;

	(void)sig;
	(void)what;
	(void)arg;
	for (s = asock_all; s != NULL; s = next) {
		next = s->next;		/* the callback may free s */
		asock_oob_check(s, "SIGURG, an urgent byte waits");
	}
}
