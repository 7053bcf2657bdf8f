/*
 * asock_notify.c - when a notification is due: Winsock's one-shot rules,
 * edge-triggered events and SIGURG, for CAsyncSocket's notifications on
 * top of libevent. The calls themselves are in asock.c.
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
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/sockios.h>

#include <event2/event.h>

#include "asock.h"
#include "asock_core.h"
#include "errname.h"

/*
 * All live sockets, for the SIGURG handler; the event exists while any do.
 * Process-wide because the kernel makes SIGURG so: it goes to the process
 * that owns the descriptor (F_SETOWN) and names no descriptor, and libevent
 * lets one event_base at a time watch a signal. So one event serves every
 * asock, and its handler must look at each of them.
 */
static struct asock	*asock_notify_all;
static struct event	*asock_notify_sigurg;
/*
 * The socket whose notification is running; asock_free clears it (through
 * asock_notify_leave). A freed socket cannot carry the news of its own
 * freeing back to asock_notify, so the mark lives outside it; one is
 * enough because notifications never nest: each comes from a callback of
 * the event loop, none from a call.
 */
static struct asock	*asock_notify_reading;
static const struct timeval asock_notify_now = { 0, 0 };

static void asock_notify_read_cb(evutil_socket_t, short, void *);
static void asock_notify_write_cb(evutil_socket_t, short, void *);
static void asock_notify_again_cb(evutil_socket_t, short, void *);
static void asock_notify_sigurg_cb(evutil_socket_t, short, void *);
static int asock_notify_oob_check(struct asock *, const char *);

/*
 * s joins the live sockets: the SIGURG event comes with the first, and
 * each socket has its own zero timeout.
 */
int
asock_notify_join(struct asock *s)
{
	if (asock_notify_sigurg == NULL) {
		asock_notify_sigurg = evsignal_new(s->base, SIGURG,
		    asock_notify_sigurg_cb, NULL);
		if (asock_notify_sigurg == NULL ||
		    event_add(asock_notify_sigurg, NULL) == -1)
			return -1;
	}
	s->again = evtimer_new(s->base, asock_notify_again_cb, s);
	if (s->again == NULL)
		return -1;
	s->next = asock_notify_all;
	asock_notify_all = s;
	return 0;
}

/* s is going (asock_free): the SIGURG event goes with the last socket. */
void
asock_notify_leave(struct asock *s)
{
	struct asock **pp;

	if (asock_notify_reading == s)
		asock_notify_reading = NULL;
	event_free(s->again);
	for (pp = &asock_notify_all; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == s) {
			*pp = s->next;
			break;
		}
	}
	if (asock_notify_all == NULL && asock_notify_sigurg != NULL) {
		event_free(asock_notify_sigurg);
		asock_notify_sigurg = NULL;
	}
}

/*
 * The two events of a socket, both EV_ET (libevent refuses to mix edge-
 * and level-triggered events on one descriptor). The read event is
 * persistent under both models; the one-shot rule is asock's own (rd_on).
 * The write event is one-shot under the Winsock model, added by the
 * calls that want OnSend, and persistent under the edge-triggered one,
 * firing on every change the kernel reports.
 */
int
asock_notify_events(struct asock *s, int fd)
{
	s->rd_on = s->rd_added = 0;
	s->rd = event_new(s->base, fd, EV_READ | EV_ET | EV_PERSIST,
	    asock_notify_read_cb, s);
	s->wr = event_new(s->base, fd, EV_WRITE | EV_ET |
	    (s->edge ? EV_PERSIST : 0), asock_notify_write_cb, s);
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
int
asock_notify_attach(struct asock *s, int fd, enum asock_state state)
{
	if (asock_notify_events(s, fd) == -1) {
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
void
asock_notify_read_on(struct asock *s)
{
	s->rd_on = 1;
	if (!s->rd_added) {
		event_add(s->rd, NULL);
		s->rd_added = 1;
	} else if (!s->edge || s->state == ASOCK_LISTENING)
		event_add(s->again, &asock_notify_now);
}

/* Look again on the loop's next turn: the level rule's zero timeout. */
void
asock_notify_again(struct asock *s)
{
	event_add(s->again, &asock_notify_now);
}

/*
 * Deliver one notification. The callback may free s, close it, or give it
 * a new descriptor: returns 1 only if s is still the socket it was (gen).
 */
static int
asock_notify(struct asock *s, enum asock_note note, int err)
{
	unsigned gen = s->gen;

	asock_notify_reading = s;
	if (s->cb != NULL)
		s->cb(s, note, err, s->arg);
	if (asock_notify_reading != s)
		return 0;		/* freed */
	asock_notify_reading = NULL;
	return s->gen == gen && s->fd != -1;
}

/* A connection is up: arm OnSend once (FD_WRITE) and the receive side. */
void
asock_notify_established(struct asock *s)
{
	s->state = ASOCK_CONNECTED;
	s->send_wanted = 1;
	s->left = 0;
	event_add(s->wr, NULL);
	asock_notify_read_on(s);
	/*
	 * An urgent byte that came before accept (or before the connection
	 * was reported) raised its SIGURG when no asock owned the socket:
	 * look for it on the next turn.
	 */
	s->oob_look = 1;
	event_add(s->again, &asock_notify_now);
}

/* poll() right now, without taking anything (0 if poll fails). */
static short
asock_notify_poll(int fd, short events)
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
asock_notify_send_first(struct asock *s, int fd, short rev)
{
	if (!s->send_wanted || s->edge || !(rev & POLLOUT))
		return 1;
	s->send_wanted = 0;
	asock_trace(s, "fd %d writable, room to send -> OnSend(0)", fd);
	return asock_notify(s, ASOCK_ON_SEND, 0);
}

/* The peer reset the connection: OnClose(ECONNRESET), whatever waits. */
static void
asock_notify_reset(struct asock *s, int fd, const char *why, const char *what)
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
asock_notify_look(struct asock *s, int kernel)
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
	rev = asock_notify_poll(fd, POLLIN | POLLOUT);
	if (!on) {
		/* OnReceive waits to be re-enabled: only a reset is news. */
		if (rev & POLLERR)
			asock_notify_reset(s, fd, why, "OnReceive pending");
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
		asock_notify_reset(s, fd, why, "bytes queued too");
		return;
	}
	if (rev & POLLERR) {
		asock_notify_reset(s, fd, why, "nothing queued");
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
		if (!asock_notify_send_first(s, fd, rev) ||
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
asock_notify_look_listener(struct asock *s, int kernel)
{
	if (!s->rd_on || !(asock_notify_poll(s->fd, POLLIN) & POLLIN))
		return;
	s->rd_on = 0;
	asock_trace(s, "fd %d %s: a connection waits -> OnAccept(0)", s->fd,
	    kernel ? "EV_READ on a listener" : "OnAccept re-enabled");
	asock_notify(s, ASOCK_ON_ACCEPT, 0);
}

/* The kernel reported a change: edge-triggered, so only once per change. */
static void
asock_notify_read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct asock *s = arg;

	(void)fd;
	(void)what;
	if (s->state == ASOCK_LISTENING)
		asock_notify_look_listener(s, 1);
	else if (s->state == ASOCK_CONNECTED)
		asock_notify_look(s, 1);
}

/*
 * The zero timeout: a re-enabling call was made, or a socket was just
 * connected or accepted. Report the conditions that hold now.
 */
static void
asock_notify_again_cb(evutil_socket_t fd, short what, void *arg)
{
	struct asock *s = arg;

	(void)fd;
	(void)what;
	if (s->fd == -1)
		return;
	if (s->state == ASOCK_LISTENING) {
		asock_notify_look_listener(s, 0);
		return;
	}
	if (s->oob_look) {
		s->oob_look = 0;
		if (asock_notify_oob_check(s,
		    "an urgent byte already waits") == 0)
			return;		/* s was freed or reused */
	}
	if (s->state == ASOCK_CONNECTED)
		asock_notify_look(s, 0);
}

/*
 * OnOutOfBandData, if it is enabled and an urgent byte waits (peeked, not
 * taken). Returns 0 when the handler freed or reused s, 1 otherwise.
 */
static int
asock_notify_oob_check(struct asock *s, const char *why)
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
asock_notify_write_cb(evutil_socket_t fd, short what, void *arg)
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
			asock_notify_established(s);
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
	    (asock_notify_poll(fd, POLLOUT) & POLLERR))
		return;		/* the read side reports the reset */
	s->send_wanted = 0;
	asock_trace(s, "fd %d EV_WRITE, room to send -> OnSend(0)", (int)fd);
	asock_notify(s, ASOCK_ON_SEND, 0);
}

/* The kernel raised SIGURG: find the sockets with an urgent byte waiting. */
static void
asock_notify_sigurg_cb(evutil_socket_t sig, short what, void *arg)
{
	struct asock *s, *next;

	(void)sig;
	(void)what;
	(void)arg;
	for (s = asock_notify_all; s != NULL; s = next) {
		next = s->next;		/* the callback may free s */
		asock_notify_oob_check(s, "SIGURG, an urgent byte waits");
	}
}
