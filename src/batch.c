/*
 * batch.c - tcpstep without a screen, for tests and instructors' handouts.
 *
 * The same lab model as the TUI; after each key the event loop runs until
 * it has been quiet for the settle time, so every notification the step
 * caused is counted before the snapshot is printed. The snapshot format is
 * a documented contract (tcpstep(1), BATCH OUTPUT).
 */
#include <event2/event.h>

#include "asock.h"
#include "batch.h"
#include "errname.h"
#include "escape.h"
#include "lab.h"

struct batch {
	struct event	*quiet;		/* fires after settle ms of silence */
	struct timeval	 settle;
};

/* A notification arrived: the quiet period starts again. */
static void
batch_changed(void *arg)
{
	struct batch *b = arg;

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

void
batch_snapshot(const struct lab *lab, int key, FILE *out)
{
	static const char *names[LAB_PANES] = {
		"server", "server-send", "client"
	};
	static char esc[4 * LAB_RECV_MAX + 1];
	int i, n;

	fprintf(out, "= after %c\n", key);
	for (i = 0; i < LAB_PANES; i++) {
		fprintf(out, "%-12s", names[i]);
		for (n = 0; n < ASOCK_NOTES; n++)
			fprintf(out, " %s=%lu", asock_note_name(n),
			    lab->pane[i].counts[n]);
		fprintf(out, " errno=%s\n", errname_name(lab->pane[i].err));
	}
	if (!lab->have_received) {
		fprintf(out, "received     none\n");
		return;
	}
	escape_bytes(lab->received, lab->received_len, esc, sizeof esc);
	fprintf(out, "received     %zu bytes \"%s\"\n", lab->received_len, esc);
}

int
batch_run(struct lab *lab, const char *keys, unsigned settle_ms, FILE *out)
{
	struct batch b;
	const struct lab_step_def *def;
	const struct lab_result *r;

	b.settle.tv_sec = settle_ms / 1000;
	b.settle.tv_usec = (settle_ms % 1000) * 1000;
	b.quiet = evtimer_new(lab->base, batch_quiet_cb, lab->base);
	if (b.quiet == NULL)
		return -1;
	lab->changed = batch_changed;
	lab->changed_arg = &b;
	for (; *keys != '\0'; keys++) {
		if (*keys == ' ' || *keys == '\t' || *keys == '\n')
			continue;
		if (lab_step(lab, *keys) == -1)
			continue;
		evtimer_add(b.quiet, &b.settle);
		event_base_dispatch(lab->base);
		if (*keys == 'r') {
			fprintf(out, "> r Reset: every socket closed, every "
			    "counter zeroed\n");
		} else {
			def = lab_step_def(*keys);
			r = &lab->result[*keys - '0'];
			fprintf(out, "> %c %s %s: %s: %s\n", *keys,
			    lab_pane_name(def->pane), def->name, r->brief,
			    r->detail);
		}
		batch_snapshot(lab, *keys, out);
		fflush(out);
	}
	lab->changed = NULL;
	event_free(b.quiet);
	return 0;
}
