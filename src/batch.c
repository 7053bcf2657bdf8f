/*
 * batch.c - tcpstep without a screen, for tests and instructors' handouts.
 *
 * The same lab model as the TUI; after each key the event loop runs until
 * it has been quiet for the settle time, so every notification the step
 * caused is counted before the snapshot is printed. The snapshot format is
 * a documented contract (tcpstep(1), BATCH OUTPUT).
 */
#include <netinet/tcp.h>

#include <event2/event.h>

#include "addr.h"
#include "asock.h"
#include "batch.h"
#include "errname.h"
#include "escape.h"
#include "lab.h"

struct batch {
	struct event	*quiet;		/* fires after settle ms of silence */
	struct event	*cap;		/* ends a key's run after a second */
	struct timeval	 settle;
	int		 waiting;	/* key w: run the full second */
	unsigned long	 printed;	/* transcript lines already printed */
};

/* A notification arrived: the quiet period starts again. */
static void
batch_changed(void *arg)
{
	struct batch *b = arg;

	if (!b->waiting)
		evtimer_add(b->quiet, &b->settle);
}

static void
batch_quiet_cb(evutil_socket_t fd, short what, void *arg)
{
	struct event_base *base = arg;

	(void)fd;
	(void)what;
	event_base_loopbreak(base);
}

static void
batch_bytes(const char *label, const struct lab_pane_state *p, FILE *out)
{
	static char esc[4 * LAB_RECV_MAX + 1];

	if (!p->have_received) {
		fprintf(out, "%-12s none\n", label);
		return;
	}
	escape_bytes(p->received, p->received_len, esc, sizeof esc);
	fprintf(out, "%-12s %zu bytes \"%s\"\n", label, p->received_len, esc);
}

void
batch_snapshot(const struct lab *lab, int key, FILE *out)
{
	static const char *names[LAB_PANES] = {
		"server", "server-send", "client"
	};
	const struct asock_view *v;
	char a[ADDR_STRLEN], b[ADDR_STRLEN];
	int i, n;

	fprintf(out, "= after %c\n", key);
	for (i = 0; i < LAB_PANES; i++) {
		fprintf(out, "%-12s", names[i]);
		for (n = 0; n < ASOCK_NOTES; n++)
			fprintf(out, " %s=%lu", asock_note_name(n),
			    lab->pane[i].counts[n]);
		fprintf(out, " errno=%s\n", errname_name(lab->pane[i].err));
	}
	batch_bytes("received", &lab->pane[LAB_CLIENT], out);
	batch_bytes("server-read", &lab->pane[LAB_SEND], out);
	for (i = 0; i < LAB_PANES; i++) {
		v = &lab->pane[i].view;
		fprintf(out, "kernel       %-11s %s", names[i],
		    v->tcp_state == -1 ? "no-socket" :
		    asock_tcp_state_name(v->tcp_state));
		if (v->have_local)
			fprintf(out, " local=%s", addr_format(
			    (const struct sockaddr *)&v->local, a, sizeof a));
		if (v->have_peer)
			fprintf(out, " peer=%s", addr_format(
			    (const struct sockaddr *)&v->peer, b, sizeof b));
		if (v->tcp_state == TCP_LISTEN)
			fprintf(out, " queue=%u/%u", v->accept_queue,
			    v->backlog);
		else if (v->tcp_state != -1)
			fprintf(out, " inq=%d outq=%d", v->inq, v->outq);
		if (v->tcp_state != -1)
			fprintf(out, " ready=%c%c%c", v->readable ? 'r' : '-',
			    v->writable ? 'w' : '-', v->urgent ? 'u' : '-');
		fprintf(out, "\n");
	}
}

/* The transcript lines written since the last call, indented. */
static void
batch_transcript(const struct lab *lab, struct batch *b, FILE *out)
{
	const struct lab_line *l;
	char stamp[32];

	if (lab->nlines - b->printed > LAB_TRANSCRIPT)
		b->printed = lab->nlines - LAB_TRANSCRIPT;
	for (; b->printed < lab->nlines; b->printed++) {
		l = lab_line(lab, b->printed);
		fprintf(out, "  %s %s\n", lab_stamp(&l->tv, stamp,
		    sizeof stamp), l->text);
	}
}

int
batch_run(struct lab *lab, const char *keys, unsigned settle_ms, FILE *out)
{
	static const struct timeval second = { 1, 0 };
	struct batch b;
	const struct lab_step_def *def;
	const struct lab_result *r;

	b.settle.tv_sec = settle_ms / 1000;
	b.settle.tv_usec = (settle_ms % 1000) * 1000;
	b.printed = lab->nlines;
	b.quiet = evtimer_new(lab->base, batch_quiet_cb, lab->base);
	b.cap = evtimer_new(lab->base, batch_quiet_cb, lab->base);
	if (b.quiet == NULL || b.cap == NULL)
		return -1;
	lab->changed = batch_changed;
	lab->changed_arg = &b;
	for (; *keys != '\0'; keys++) {
		if (*keys == ' ' || *keys == '\t' || *keys == '\n')
			continue;
		b.waiting = *keys == 'w';
		if (b.waiting)
			fprintf(out, "> w Wait: one second of the event loop\n");
		else if (lab_step(lab, *keys) == -1)
			continue;
		if (b.waiting) {
			/* printed above */
		} else if (*keys == 'r') {
			fprintf(out, "> r Reset: every socket closed, every "
			    "counter zeroed\n");
		} else if (*keys == 'a') {
			fprintf(out, "> a Auto mode: %s\n", lab->auto_mode ?
			    "on" : "off");
		} else {
			def = lab_step_def(*keys);
			r = &lab->result[(int)*keys];
			fprintf(out, "> %c %s %s: %s: %s\n", *keys,
			    lab_pane_name(def->pane), def->name, r->brief,
			    r->detail);
		}
		/*
		 * Run until quiet; auto mode may never fall quiet, so a key's
		 * run ends after a second in any case. w always runs it all.
		 */
		if (!b.waiting)
			evtimer_add(b.quiet, &b.settle);
		evtimer_add(b.cap, &second);
		event_base_dispatch(lab->base);
		evtimer_del(b.quiet);
		evtimer_del(b.cap);
		batch_transcript(lab, &b, out);
		batch_snapshot(lab, *keys, out);
		fflush(out);
	}
	lab->changed = NULL;
	event_free(b.quiet);
	event_free(b.cap);
	return 0;
}
