/*
 * wire.c - the real wire: capture the lab's own TCP segments with libpcap
 * inside the lab's libevent loop, and optionally write them to a pcap file.
 *
 * No helper process, no thread, no timer: the capture's selectable
 * descriptor is one more persistent EV_READ event. Immediate mode hands
 * each packet over as it comes (libpcap then uses TPACKET_V2, whose ring
 * has no block timeout), non-blocking mode lets pcap_dispatch return at
 * once, so an idle lab costs no system call at all. Where the process
 * has no privilege, wire_private_net gives it a network of its own in
 * which it has (see tcpstep(1), THE WIRE).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <pcap/pcap.h>
#include <event2/event.h>

#include "wire.h"

/* Bytes kept of each packet: headers and the lab's short lines. */
#define WIRE_SNAPLEN	512
/* The kernel's ring for the capture: bounded, whatever the traffic. */
#define WIRE_BUFFER	(1024 * 1024)
/*
 * Packets one callback reads at most: a flood cannot starve the keys,
 * libevent calls again while the descriptor stays readable.
 */
#define WIRE_BATCH	64
/* wire_drain's bound: rounds of WIRE_BATCH. */
#define WIRE_DRAIN_ROUNDS	16

struct wire {
	pcap_t		*pcap;
	struct event	*ev;
	int		 linktype;
	wire_fn		 fn;
	void		*arg;
	char		 device[IF_NAMESIZE + 1];
	unsigned	 port;
	int		 busy;		/* inside pcap_dispatch */
	unsigned long	 undecoded;	/* frames wire_decode refused */
	pcap_dumper_t	*dump;		/* --pcap, or NULL */
	int		 dump_err;	/* its first write error (errno) */
	char		 error[PCAP_ERRBUF_SIZE];	/* why it stopped */
};

/*
 * The filter that passes nothing, until the lab's port is known: one
 * BPF instruction, "return 0". Hand-made, as no expression says nothing.
 */
static int
wire_filter_none(struct wire *w, char *why, size_t len)
{
	struct bpf_insn none = BPF_STMT(BPF_RET | BPF_K, 0);
	struct bpf_program prog = { 1, &none };

	if (pcap_setfilter(w->pcap, &prog) == -1) {
		snprintf(why, len, "cannot filter the capture: %s",
		    pcap_geterr(w->pcap));
		return -1;
	}
	return 0;
}

/* One captured frame: to the pcap file as it is, to the lab decoded. */
static void
wire_frame(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct wire *w = (struct wire *)user;
	struct wire_seg seg;

	if (w->dump != NULL && w->dump_err == 0) {
		pcap_dump((u_char *)w->dump, h, bytes);
		/* Per packet: Wireshark may read the file while the lab runs. */
		if (pcap_dump_flush(w->dump) == -1)
			w->dump_err = errno != 0 ? errno : EIO;
	}
	if (wire_decode(w->linktype, bytes, h->caplen, &seg) == -1) {
		w->undecoded++;
		return;
	}
	seg.tv = h->ts;
	w->fn(&seg, w->arg);
}

/*
 * Read up to n packets; never re-entered (the callback may write a
 * transcript line, which drains the capture first). Returns how many.
 * A read that fails (the device went away: its descriptor then stays
 * readable, so libevent would call again and again) stops the capture
 * for good, its reason kept for wire_error.
 */
static int
wire_read(struct wire *w, int n)
{
	int got;

	if (w->busy || w->error[0] != '\0')
		return 0;
	w->busy = 1;
	got = pcap_dispatch(w->pcap, n, wire_frame, (u_char *)w);
	w->busy = 0;
	if (got == PCAP_ERROR) {
		snprintf(w->error, sizeof w->error, "capture on %s stopped: %s",
		    w->device, pcap_geterr(w->pcap));
		event_del(w->ev);
		return 0;
	}
	return got < 0 ? 0 : got;
}

/* The descriptor is readable: one bounded batch. */
static void
wire_readable(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	wire_read(arg, WIRE_BATCH);
}

int
wire_can_capture(void)
{
	int fd = socket(AF_PACKET, SOCK_RAW, 0);

	if (fd == -1)
		return 0;
	close(fd);
	return 1;
}

/* Write s to a /proc file in one write(2), as the kernel wants it. */
static int
wire_write_file(const char *path, const char *s, char *why, size_t len)
{
	int fd, saved;
	ssize_t n;

	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) == -1) {
		snprintf(why, len, "%s: %s", path, strerror(errno));
		return -1;
	}
	n = write(fd, s, strlen(s));
	saved = errno;
	close(fd);
	if (n != (ssize_t)strlen(s)) {
		snprintf(why, len, "%s: %s", path,
		    n == -1 ? strerror(saved) : "short write");
		return -1;
	}
	return 0;
}

/* The new namespace's lo starts down: bring it up, as `ip link` would. */
static int
wire_lo_up(char *why, size_t len)
{
	struct ifreq ifr;
	int fd, r = -1;

	if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1) {
		snprintf(why, len, "socket: %s", strerror(errno));
		return -1;
	}
	memset(&ifr, 0, sizeof ifr);
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) == -1)
		snprintf(why, len, "lo: %s", strerror(errno));
	else {
		ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
		if (ioctl(fd, SIOCSIFFLAGS, &ifr) == -1)
			snprintf(why, len, "bringing lo up: %s",
			    strerror(errno));
		else
			r = 0;
	}
	close(fd);
	return r;
}

/*
 * The steps of wire_private_net, in this process. Returns 0; -1 when
 * unshare failed (nothing changed), -2 when a later step failed (the
 * process is in the namespace, half set up). why says which step, and
 * *err its errno.
 */
static int
wire_enter_net(char *why, size_t len, int *err)
{
	char map[64];
	uid_t uid = geteuid();
	gid_t gid = getegid();

	if (unshare(CLONE_NEWUSER | CLONE_NEWNET) == -1) {
		*err = errno;
		snprintf(why, len, "unshare: %s", strerror(errno));
		return -1;
	}
	/*
	 * An unprivileged process may map only its own ids, and its gid
	 * only once setgroups(2) is denied in the namespace.
	 */
	snprintf(map, sizeof map, "%lu %lu 1\n", (unsigned long)uid,
	    (unsigned long)uid);
	if (wire_write_file("/proc/self/setgroups", "deny", why, len) == -1 ||
	    wire_write_file("/proc/self/uid_map", map, why, len) == -1)
		goto half;
	snprintf(map, sizeof map, "%lu %lu 1\n", (unsigned long)gid,
	    (unsigned long)gid);
	if (wire_write_file("/proc/self/gid_map", map, why, len) == -1 ||
	    wire_lo_up(why, len) == -1)
		goto half;
	return 0;
half:
	*err = errno;
	return -2;
}

/*
 * Why a private network could not be made, for people: by errno, as the
 * kernel meant it. unshare's EPERM: making a user namespace is not
 * permitted here (a sysctl, a security module, a container's seccomp
 * filter, or a user with no mapping in its own namespace); ENOSPC:
 * user.max_user_namespaces, 0 or used up. Anything else as it is.
 */
static void
wire_net_why(int r, int err, const char *step, char *why, size_t len)
{
	if (r == -1 && err == EPERM)
		snprintf(why, len, "making a user namespace is not permitted "
		    "here (%s)", step);
	else if (r == -1 && err == ENOSPC)
		snprintf(why, len, "no user namespace is left to make "
		    "(user.max_user_namespaces; %s)", step);
	else
		snprintf(why, len, "%s", step);
}

/*
 * The whole sequence in a child first, which reports through a pipe: a
 * step that fails there leaves this process untouched, in the host's
 * network with no capture rather than in a namespace with lo down.
 */
int
wire_private_net(char *why, size_t len)
{
	char step[160];
	int fds[2], r, err = 0, st, off = 0;
	ssize_t n;
	pid_t pid;

	if (len > 0)
		why[0] = '\0';
	if (pipe2(fds, O_CLOEXEC) == -1) {
		snprintf(why, len, "pipe: %s", strerror(errno));
		return -1;
	}
	if ((pid = fork()) == -1) {
		snprintf(why, len, "fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		close(fds[0]);
		step[0] = '\0';
		r = wire_enter_net(step, sizeof step, &err);
		/* r, errno, the step: one write, read whole by the parent. */
		dprintf(fds[1], "%d %d %s", r, err, step);
		_exit(0);
	}
	close(fds[1]);
	memset(step, 0, sizeof step);
	n = read(fds[0], step, sizeof step - 1);
	close(fds[0]);
	while (waitpid(pid, &st, 0) == -1 && errno == EINTR)
		;
	if (n <= 0 || sscanf(step, "%d %d %n", &r, &err, &off) < 2 ||
	    off == 0) {
		snprintf(why, len, "the trial in a child process died");
		return -1;
	}
	if (r != 0) {
		wire_net_why(r, err, step + off, why, len);
		return -1;
	}
	/* The child got in: now this process, which should too. */
	if ((r = wire_enter_net(step, sizeof step, &err)) != 0)
		wire_net_why(r, err, step, why, len);
	return r;
}

/* Each setting before pcap_activate; says which one failed. */
static int
wire_settings(pcap_t *p, char *why, size_t len)
{
	if (pcap_set_immediate_mode(p, 1) != 0 ||
	    pcap_set_snaplen(p, WIRE_SNAPLEN) != 0 ||
	    pcap_set_buffer_size(p, WIRE_BUFFER) != 0 ||
	    pcap_set_promisc(p, 0) != 0) {
		snprintf(why, len, "cannot set up the capture");
		return -1;
	}
	return 0;
}

/* pcap_activate's answer for people: an error, or a warning that is one. */
static int
wire_activate(pcap_t *p, const char *device, char *why, size_t len)
{
	int r = pcap_activate(p);

	if (r == 0)
		return 0;
	if (r > 0 && r != PCAP_WARNING_PROMISC_NOTSUP)
		return 0;	/* a warning: the capture runs */
	if (r == PCAP_ERROR_PERM_DENIED)
		snprintf(why, len, "capture on %s: permission denied (needs "
		    "root or CAP_NET_RAW)", device);
	else if (r == PCAP_ERROR_NO_SUCH_DEVICE)
		snprintf(why, len, "capture on %s: no such device", device);
	else if (r < 0)
		snprintf(why, len, "capture on %s: %s", device,
		    pcap_geterr(p));
	else
		return 0;
	return -1;
}

struct wire *
wire_open(struct event_base *base, const char *device, wire_fn fn,
    void *arg, char *why, size_t len)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct wire *w;
	int fd;

	if ((w = calloc(1, sizeof *w)) == NULL) {
		snprintf(why, len, "out of memory");
		return NULL;
	}
	w->fn = fn;
	w->arg = arg;
	snprintf(w->device, sizeof w->device, "%s", device);
	errbuf[0] = '\0';
	if ((w->pcap = pcap_create(device, errbuf)) == NULL) {
		snprintf(why, len, "capture on %s: %s", device, errbuf);
		free(w);
		return NULL;
	}
	if (wire_settings(w->pcap, why, len) == -1 ||
	    wire_activate(w->pcap, device, why, len) == -1)
		goto fail;
	/* Nothing passes until the lab's port is known. */
	if (wire_filter_none(w, why, len) == -1)
		goto fail;
	if (pcap_setnonblock(w->pcap, 1, errbuf) == -1) {
		snprintf(why, len, "capture on %s: %s", device, errbuf);
		goto fail;
	}
	w->linktype = pcap_datalink(w->pcap);
	if ((fd = pcap_get_selectable_fd(w->pcap)) == -1) {
		snprintf(why, len, "capture on %s: no descriptor to wait on",
		    device);
		goto fail;
	}
	if ((w->ev = event_new(base, fd, EV_READ | EV_PERSIST, wire_readable,
	    w)) == NULL || event_add(w->ev, NULL) == -1) {
		snprintf(why, len, "capture on %s: cannot watch it", device);
		goto fail;
	}
	return w;
fail:
	if (w->ev != NULL)
		event_free(w->ev);
	pcap_close(w->pcap);
	free(w);
	return NULL;
}

int
wire_set_port(struct wire *w, unsigned port, char *why, size_t len)
{
	struct bpf_program prog;
	char expr[32];

	if (w == NULL)
		return 0;
	if (port == 0 || port > 65535) {
		w->port = 0;
		return wire_filter_none(w, why, len);
	}
	if (port == w->port)
		return 0;
	snprintf(expr, sizeof expr, "tcp port %u", port);
	if (pcap_compile(w->pcap, &prog, expr, 1, PCAP_NETMASK_UNKNOWN) == -1) {
		snprintf(why, len, "capture filter '%s': %s", expr,
		    pcap_geterr(w->pcap));
		return -1;
	}
	if (pcap_setfilter(w->pcap, &prog) == -1) {
		snprintf(why, len, "capture filter '%s': %s", expr,
		    pcap_geterr(w->pcap));
		pcap_freecode(&prog);
		return -1;
	}
	pcap_freecode(&prog);
	w->port = port;
	return 0;
}

/*
 * w NULL: no capture, but --pcap still makes a valid file (the header,
 * Ethernet as on lo, no packet), written and closed here.
 */
static int
wire_dump_empty(FILE *f, char *why, size_t len)
{
	pcap_t *dead;
	pcap_dumper_t *d;
	int err = 0;

	if ((dead = pcap_open_dead(DLT_EN10MB, WIRE_SNAPLEN)) == NULL) {
		fclose(f);
		snprintf(why, len, "out of memory");
		return -1;
	}
	if ((d = pcap_dump_fopen(dead, f)) == NULL) {
		snprintf(why, len, "%s", pcap_geterr(dead));
		fclose(f);
		pcap_close(dead);
		return -1;
	}
	errno = 0;
	if (pcap_dump_flush(d) == -1)
		err = errno != 0 ? errno : EIO;
	/* pcap_dump_close says nothing of fclose: close it ourselves. */
	if (fclose(pcap_dump_file(d)) == EOF && err == 0)
		err = errno;
	pcap_close(dead);
	if (err != 0) {
		snprintf(why, len, "%s", strerror(err));
		return -1;
	}
	return 0;
}

int
wire_dump(struct wire *w, FILE *f, char *why, size_t len)
{
	if (w == NULL)
		return wire_dump_empty(f, why, len);
	if ((w->dump = pcap_dump_fopen(w->pcap, f)) == NULL) {
		snprintf(why, len, "%s", pcap_geterr(w->pcap));
		fclose(f);
		return -1;
	}
	/* The header now, so the file opens before the first packet. */
	errno = 0;
	if (pcap_dump_flush(w->dump) == -1)
		w->dump_err = errno != 0 ? errno : EIO;
	return 0;
}

void
wire_drain(struct wire *w)
{
	int i;

	if (w == NULL)
		return;
	for (i = 0; i < WIRE_DRAIN_ROUNDS; i++)
		if (wire_read(w, WIRE_BATCH) < WIRE_BATCH)
			break;
}

unsigned long
wire_lost(struct wire *w)
{
	struct pcap_stat st;
	unsigned long lost;

	if (w == NULL)
		return 0;
	lost = w->undecoded;
	if (pcap_stats(w->pcap, &st) == 0)
		lost += st.ps_drop;
	return lost;
}

const char *
wire_error(const struct wire *w)
{
	return w != NULL ? w->error : "";
}

int
wire_close(struct wire *w, char *why, size_t len)
{
	int err;

	if (w == NULL)
		return 0;
	err = w->dump_err;
	if (w->dump != NULL) {
		errno = 0;
		if (err == 0 && pcap_dump_flush(w->dump) == -1)
			err = errno != 0 ? errno : EIO;
		/* The dumper is the FILE itself; fclose tells its error. */
		if (fclose(pcap_dump_file(w->dump)) == EOF && err == 0)
			err = errno;
	}
	event_free(w->ev);
	pcap_close(w->pcap);
	free(w);
	if (err != 0) {
		snprintf(why, len, "%s", strerror(err));
		return -1;
	}
	return 0;
}
