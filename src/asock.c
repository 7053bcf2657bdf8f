/*
 * asock.c - a small CAsyncSocket on libevent: a socket's life and its calls.
 *
 * Each call (Create, Listen, Connect, Accept, Send, Receive, the
 * out-of-band pair, ShutDown, Close and an abortive close) makes the system
 * call it stands for, writes one transcript line with the kernel's answer,
 * and returns that answer with errno as the kernel left it. The calls that
 * re-enable a one-shot notification (accept, recv, send after EAGAIN, recv
 * MSG_OOB) arm its event again; when the loop wakes, asock_notify.c decides
 * which notification is due. asock_view reads the kernel's own view of a
 * socket for the panes.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
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
#include "asock_core.h"
#include "errname.h"
#include "escape.h"

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
void
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

	if ((s = calloc(1, sizeof *s)) == NULL)
		return NULL;
	s->base = base;
	s->fd = -1;
	s->state = ASOCK_CLOSED;
	s->v6only = -1;
	s->cb = cb;
	s->arg = arg;
	if (asock_notify_join(s) == -1) {
		free(s);
		return NULL;
	}
	return s;
}

void
asock_free(struct asock *s)
{
	if (s == NULL)
		return;
	if (s->fd != -1)
		asock_close(s);
	asock_notify_leave(s);
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
	if (asock_notify_events(s, s->fd) == -1)
		return -1;
	if (s->state == ASOCK_CONNECTED) {
		asock_notify_read_on(s);
		asock_notify_again(s);
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
	return asock_notify_attach(s, fd, ASOCK_CREATED);
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
	asock_notify_read_on(s);		/* FD_ACCEPT */
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
		asock_notify_read_on(listener);
	if (fd == -1) {
		errno = saved;
		return -1;
	}
	if (into->fd != -1)
		asock_close(into);
	if (asock_notify_attach(into, fd, ASOCK_CONNECTED) == -1)
		return -1;
	asock_notify_established(into);
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
		asock_notify_read_on(s);
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
		asock_notify_again(s);
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
