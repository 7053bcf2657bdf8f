/*
 * batch.c - tcpstep without a screen, for tests, scripts and instructors'
 * handouts.
 *
 * The same lab model as the TUI; after each key the event loop runs until
 * it has been quiet for the settle time, so every notification the step
 * caused is counted before the snapshot is printed. The snapshot format is
 * a documented contract (tcpstep(1), BATCH OUTPUT).
 *
 * Keys come from --keys, or from standard input. A pipe or terminal is
 * read as keys arrive, with the event loop running in between, so a script
 * can drive tcpstep on two machines and watch each one's output.
 */
#include <errno.h>
#include <signal.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <event2/event.h>

#include "addr.h"
#include "asock.h"
#include "batch.h"
#include "batch_format.h"
#include "bind.h"
#include "errname.h"
#include "escape.h"
#include "explain.h"
#include "guide.h"
#include "lab.h"
#include "opts.h"

struct batch {
	struct lab	*lab;
	struct guide	*guide;
	FILE		*out;		/* the text format's output */
	/*
	 * --format brief or json: out is a buffer of the key's text, which
	 * the formatter turns into its own output on final at each "= end".
	 */
	FILE		*final;		/* the real output, out for text */
	struct batch_formatter *fmt;	/* NULL: text */
	char		*text;
	size_t		 text_len;
	struct event	*quiet;		/* fires after settle ms of silence */
	struct event	*cap;		/* ends a key's run after a second */
	struct timeval	 settle;
	struct timeval	 last_change;	/* when the last notification came */
	int		 waiting;	/* key w: run the full second */
	int		 quiet_fired;
	unsigned long	 printed;	/* transcript lines already printed */
	unsigned long	 wprinted;	/* captured segments already printed */
	int		 wnone;		/* "wire none:" or "capture on" printed */

	const char	*keys;		/* --keys, or NULL: standard input */
	struct event	*input;		/* standard input is readable */
	char		 in[512];	/* keys read, not yet run */
	size_t		 in_len, in_pos;
	int		 eof;
	int		 out_err;	/* errno of the first failed write */
};

/*
 * Flush what a key printed and check that it was written: a full disk,
 * a closed pipe or a bad descriptor ends the run instead of losing every
 * later snapshot without a word.
 */
static void
batch_flush(struct batch *b)
{
	struct pollfd pfd;

	if ((fflush(b->final) == EOF || ferror(b->final)) && b->out_err == 0) {
		/*
		 * errno was cleared before the key's output (batch_print), so
		 * it is the failed write's. If a full buffer failed earlier
		 * and something cleared it since, a pipe without a reader
		 * still shows as POLLERR.
		 */
		b->out_err = errno;
		pfd.fd = fileno(b->final);
		pfd.events = POLLOUT;
		if (b->out_err == 0 && poll(&pfd, 1, 0) == 1 &&
		    (pfd.revents & POLLERR))
			b->out_err = EPIPE;
		if (b->out_err == 0)
			b->out_err = EIO;
	}
}

/*
 * Every snapshot, and every key's output, ends with this line; with
 * --format, the key's text is handed to the formatter there instead.
 */
static void
batch_end(struct batch *b, int key)
{
	fprintf(b->out, "= end\n");
	if (b->fmt != NULL) {
		if (fflush(b->out) == 0)
			batch_formatter_key(b->fmt, key, b->text, b->text_len);
		rewind(b->out);
	}
	batch_flush(b);
}

/*
 * A notification arrived: the quiet period starts again. Only its time is
 * noted (the loop's cached clock, no system call); the quiet timer, when
 * it fires, waits out the rest. Moving the timer on every notification of
 * a flood would cost more than the notification.
 */
static void
batch_changed(void *arg)
{
	struct batch *b = arg;

	guide_update(b->guide);
	event_base_gettimeofday_cached(b->lab->base, &b->last_change);
	if (!b->waiting && !evtimer_pending(b->quiet, NULL))
		evtimer_add(b->quiet, &b->settle);
}

static void
batch_quiet_cb(evutil_socket_t fd, short what, void *arg)
{
	struct batch *b = arg;
	struct timeval now, due, rest;

	(void)fd;
	(void)what;
	event_base_gettimeofday_cached(b->lab->base, &now);
	timeradd(&b->last_change, &b->settle, &due);
	if (timercmp(&due, &now, >)) {
		timersub(&due, &now, &rest);
		evtimer_add(b->quiet, &rest);
		return;
	}
	b->quiet_fired = 1;
	event_base_loopbreak(b->lab->base);
}

/* A key's run has lasted a second: auto mode may never fall quiet. */
static void
batch_cap_cb(evutil_socket_t fd, short what, void *arg)
{
	struct batch *b = arg;

	(void)fd;
	(void)what;
	event_base_loopbreak(b->lab->base);
}

static void
batch_input_cb(evutil_socket_t fd, short what, void *arg)
{
	struct batch *b = arg;
	ssize_t n;

	(void)what;
	n = read(fd, b->in, sizeof b->in);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0)
		b->eof = 1;
	else {
		b->in_len = (size_t)n;
		b->in_pos = 0;
	}
	event_base_loopbreak(b->lab->base);
}

static void
batch_bytes(const char *label, const struct lab_sock *p, FILE *out)
{
	/* Scratch for this call only, static to keep 256 KB off the stack. */
	static char esc[4 * LAB_RECV_MAX + 1];

	if (p->have_drained) {	/* a drain keeps no bytes: it counts */
		fprintf(out, "%-12s drained %llu byte%s\n", label, p->drained,
		    p->drained == 1 ? "" : "s");
		return;
	}
	if (!p->have_received) {
		fprintf(out, "%-12s none\n", label);
		return;
	}
	escape_bytes(p->received, p->received_len, esc, sizeof esc);
	fprintf(out, "%-12s %zu byte%s \"%s\"\n", label, p->received_len,
	    p->received_len == 1 ? "" : "s", esc);
}

/* "LISTEN local=... queue=0/5 ready=---": the kernel's view of one socket. */
static void
batch_view(const struct asock_view *v, FILE *out)
{
	char a[ADDR_STRLEN];

	fprintf(out, "%s", v->tcp_state == -1 ? "no-socket" :
	    asock_tcp_state_name(v->tcp_state));
	if (v->have_local)
		fprintf(out, " local=%s", addr_format(
		    (const struct sockaddr *)&v->local, a, sizeof a));
	if (v->have_peer)
		fprintf(out, " peer=%s", addr_format(
		    (const struct sockaddr *)&v->peer, a, sizeof a));
	if (v->tcp_state == TCP_LISTEN)
		fprintf(out, " queue=%u/%u", v->accept_queue, v->backlog);
	else if (v->tcp_state != -1)
		fprintf(out, " inq=%d outq=%d", v->inq, v->outq);
	if (v->tcp_state != -1)
		fprintf(out, " ready=%c%c%c", v->readable ? 'r' : '-',
		    v->writable ? 'w' : '-', v->urgent ? 'u' : '-');
}

static void
batch_counts(const struct lab_sock *p, FILE *out)
{
	int n;

	for (n = 0; n < ASOCK_NOTES; n++)
		fprintf(out, " %s=%lu", asock_note_name(n), p->counts[n]);
	fprintf(out, " errno=%s", errname_name(p->err));
}

/* Print the snapshot of lab, headed "= after KEY". */
static void
batch_snapshot(const struct lab *lab, int key, FILE *out)
{
	static const char *names[LAB_PANES] = {
		"server", "server-send", "client"
	};
	char esc[4 * LAB_LINE_READ + 1];
	const struct lab_sock *p;
	const char *p0, *p1;
	size_t i;
	int pane;

	fprintf(out, "= after %c\n", key);
	for (pane = 0; pane < LAB_PANES; pane++) {
		fprintf(out, "%-12s", names[pane]);
		batch_counts(lab_sel(lab, pane), out);
		fprintf(out, "\n");
	}
	batch_bytes("received", lab_sel(lab, LAB_CLIENT), out);
	batch_bytes("server-read", lab_sel(lab, LAB_SEND), out);
	for (pane = 0; pane < LAB_PANES; pane++) {
		fprintf(out, "kernel       %-11s ", names[pane]);
		batch_view(&lab_sel(lab, pane)->view, out);
		fprintf(out, "\n");
	}
	/* Every row of the two lists; '*' marks the selected one. */
	for (pane = LAB_SEND; pane <= LAB_CLIENT; pane++) {
		for (i = 0; i < lab_rows(lab, pane); i++) {
			p = lab_row(lab, pane, i);
			fprintf(out, "row          %s#%u %c", names[pane], p->id,
			    i == lab_selected(lab, pane) ? '*' : '-');
			batch_counts(p, out);
			fprintf(out, " ");
			batch_view(&p->view, out);
			fprintf(out, " bytes=%llu", p->bytes_read);
			if (p->have_received) {
				escape_bytes(p->received, p->received_len <
				    LAB_LINE_READ ? p->received_len :
				    LAB_LINE_READ, esc, sizeof esc);
				fprintf(out, " read=\"%s\"", esc);
			}
			/* Appended last: the line's fields keep their places. */
			if (lab_name_of(p) != NULL)
				fprintf(out, " name=%s", lab_name_of(p));
			fprintf(out, "\n");
		}
	}
	if (lab->cfg.role == LAB_ROLE_CLIENT)
		fprintf(out, "resolver     %s\n", lab->resolved);
	/* The Explain area, a line per paragraph. */
	for (p0 = lab->explain; *p0 != '\0'; p0 = *p1 == '\n' ? p1 + 1 : p1) {
		p1 = strchr(p0, '\n');
		if (p1 == NULL)
			p1 = p0 + strlen(p0);
		fprintf(out, "explain      %.*s\n", (int)(p1 - p0), p0);
	}
}

/* The transcript lines written since the last call, indented. */
static void
batch_transcript(struct batch *b)
{
	struct lab *lab = b->lab;
	const struct lab_line *l;
	char stamp[32];

	if (lab->nlines - b->printed > LAB_TRANSCRIPT)
		b->printed = lab->nlines - LAB_TRANSCRIPT;
	for (; b->printed < lab->nlines; b->printed++) {
		l = lab_line(lab, b->printed);
		fprintf(b->out, "  %s %s\n", lab_stamp(&l->tv, stamp,
		    sizeof stamp), l->text);
	}
	/* A late segment's line now goes after these, never among them. */
	b->lab->lines_shown = lab->nlines;
}

/* Guided mode: where the lesson stands, after the snapshot. */
static void
batch_guide(struct batch *b)
{
	struct guide *g = b->guide;
	char progress[32], say[400];

	if (!g->on)
		return;
	guide_progress(g, progress, sizeof progress);
	if (g->done)
		fprintf(b->out, "guide        lesson=%d done | %s\n",
		    g->lesson + 1, g->msg);
	else
		fprintf(b->out, "guide        lesson=%d %s next=%s | %s | %s\n",
		    g->lesson + 1, progress, guide_next_op(g) != LAB_OP_NONE ?
		    bind_op_name(guide_next_op(g)) : ".",
		    guide_say(g, say, sizeof say), g->msg);
}

/*
 * The segments captured since the last snapshot, one "wire" line each
 * (tcpstep(1), BATCH OUTPUT: a stable contract); a lab without capture
 * says why once, in the first snapshot.
 */
static void
batch_wire(struct batch *b)
{
	const struct lab *lab = b->lab;
	const struct lab_wire_seg *s;
	char cause[LAB_WIRE_CAUSE], text[200], *c;
	const char *note;

	if (lab->wire == NULL) {
		if (!b->wnone)
			fprintf(b->out, "%-12s none: %s\n", "wire",
			    lab_wire_where_text(lab));
		b->wnone = 1;
		return;
	}
	/* Where it captures, once: the host's lo or the private network's. */
	if (!b->wnone)
		fprintf(b->out, "%-12s capture on %s, %s\n", "wire",
		    lab->wire_where == LAB_WIRE_ANY ? "any" : "lo",
		    lab->wire_where == LAB_WIRE_PRIVATE ?
		    "private network" : lab->wire_where == LAB_WIRE_ANY ?
		    "every interface" : "host");
	b->wnone = 1;
	if (lab->nwsegs - b->wprinted > LAB_WIRE_SEGS)
		b->wprinted = lab->nwsegs - LAB_WIRE_SEGS;
	for (; b->wprinted < lab->nwsegs; b->wprinted++) {
		s = lab_wire_seg(lab, b->wprinted);
		if (s->summary) {
			fprintf(b->out, "%-12s %s\n", "wire", lab_wire_text(s,
			    text, sizeof text));
			continue;
		}
		/* "client OnReceive" -> "client:OnReceive": one field. */
		snprintf(cause, sizeof cause, "%s", s->cause[0] != '\0' ?
		    s->cause : "-");
		for (c = cause; *c != '\0'; c++)
			if (*c == ' ')
				*c = ':';
		note = lab_wire_note_word(s->note);
		fprintf(b->out, "%-12s after=%s +%ld.%03ldms conn=%u %s %s "
		    "%s%s%s\n", "wire", cause, s->usec / 1000,
		    s->usec % 1000, s->conn, s->to_server ? "client>server" :
		    "server>client", lab_wire_text(s, text, sizeof text),
		    lab_wire_mark_name(s->mark), *note != '\0' ? " note=" :
		    "", note);
	}
}

/* Key i: every error on screen explained, one line each. */
static void
batch_errors(struct batch *b, const struct bind *k)
{
	char text[600];
	int errs[LAB_PANES + 1];
	size_t i, n = lab_errors(b->lab, errs, LAB_PANES + 1);

	errno = 0;		/* see batch_flush */
	fprintf(b->out, "> %s Errors: %zu shown\n", k->name, n);
	for (i = 0; i < n; i++) {
		explain_error(b->lab, errs[i], text, sizeof text);
		fprintf(b->out, "error        %s\n", text);
	}
	batch_end(b, k->key);
}

/*
 * Run the loop until quiet; auto mode may never fall quiet, so a run ends
 * after a second in any case. Key w runs the whole second.
 */
static void
batch_settle(struct batch *b)
{
	static const struct timeval second = { 1, 0 };

	if (!b->waiting)
		evtimer_add(b->quiet, &b->settle);
	evtimer_add(b->cap, &second);
	event_base_dispatch(b->lab->base);
	evtimer_del(b->quiet);
	evtimer_del(b->cap);
}

/*
 * The steps a lesson's start left for the front end to run (g, [, ], r
 * in guided mode, --guide): each is settled like a typed key, with no
 * line or snapshot of its own; the key that started the lesson prints
 * one snapshot after all of them.
 */
static void
batch_setup(struct batch *b)
{
	enum lab_op op;

	while ((op = guide_setup_next(b->guide)) != LAB_OP_NONE) {
		lab_do(b->lab, op, LAB_ROW_SELECTED);
		batch_settle(b);
	}
}

/* The line of a lab operation key k that ran: what it did. */
static void
batch_op_line(struct batch *b, const struct bind *k)
{
	const struct lab *lab = b->lab;
	const struct lab_result *r;
	enum lab_pane pane;

	switch (k->op) {
	case LAB_OP_MODEL:
		fprintf(b->out, "> %s Model: %s\n", k->name, lab->edge ?
		    "edge-triggered (EV_ET)" : "Winsock (one-shot)");
		break;
	case LAB_OP_RESET:
		fprintf(b->out, "> %s Reset: every socket closed, every "
		    "counter zeroed\n", k->name);
		break;
	case LAB_OP_AUTO:
		fprintf(b->out, "> %s Auto mode: %s\n", k->name,
		    lab->auto_mode ? "on" : "off");
		break;
	case LAB_OP_CONN_NEXT:
	case LAB_OP_CONN_PREV:
	case LAB_OP_CLIENT_NEXT:
	case LAB_OP_CLIENT_PREV:
		pane = k->op == LAB_OP_CONN_NEXT || k->op == LAB_OP_CONN_PREV ?
		    LAB_SEND : LAB_CLIENT;
		fprintf(b->out, "> %s Select: %s row %zu of %zu\n", k->name,
		    lab_pane_name(pane), lab_selected(lab, pane) + 1,
		    lab_rows(lab, pane));
		break;
	default:
		r = &lab->result[k->op];
		fprintf(b->out, "> %s %s %s: %s: %s\n", k->name,
		    lab_pane_name(lab_op_pane(k->op)), lab_op_name(k->op),
		    r->brief, r->detail);
		break;
	}
}

/*
 * Run key k and print its line; returns -1 when it did nothing (an
 * operation with no row to act on), and prints nothing then.
 */
static int
batch_run_key(struct batch *b, const struct bind *k)
{
	char text[160];

	switch (k->cmd) {
	case BIND_WAIT:
		fprintf(b->out, "> %s Wait: one second of the event loop\n",
		    k->name);
		guide_op(b->guide, LAB_OP_NONE);
		return 0;
	case BIND_GUIDE:
	case BIND_LESSON_NEXT:
	case BIND_LESSON_PREV:
		guide_command(b->guide, b->lab, guide_cmd_of(k->cmd));
		if (b->guide->on)
			guide_heading(b->guide, text, sizeof text);
		fprintf(b->out, "> %s Guide: %s\n", k->name, b->guide->on ?
		    text : "off");
		return 0;
	case BIND_LAB:
		break;
	default:
		return -1;	/* the screen's keys: not batch's */
	}
	if (guide_refuse(b->guide, k->op))
		/* Guided mode turned the key down (m: lessons teach Winsock). */
		fprintf(b->out, "> %s Guide: refused: %s\n", k->name,
		    b->guide->msg);
	else if (lab_do(b->lab, k->op, LAB_ROW_SELECTED) == -1)
		return -1;
	else
		batch_op_line(b, k);
	guide_op(b->guide, k->op);
	return 0;
}

/* Run one key and print its line, its transcript and the snapshot. */
static void
batch_key(struct batch *b, int key)
{
	const struct bind *k = bind_key(key, BIND_BATCH);

	if (k == NULL)
		return;
	if (k->cmd == BIND_ERRORS) {
		batch_errors(b, k);
		return;
	}
	b->waiting = k->cmd == BIND_WAIT;
	if (batch_run_key(b, k) == -1) {
		b->waiting = 0;
		return;
	}
	batch_settle(b);
	b->waiting = 0;
	batch_setup(b);
	lab_look(b->lab);
	errno = 0;		/* from here on, only the output's own writes */
	batch_transcript(b);
	batch_snapshot(b->lab, key, b->out);
	batch_guide(b);
	batch_wire(b);
	batch_end(b, key);
}

/*
 * The next key from standard input. While none waits, the loop runs:
 * notifications that arrive meanwhile are printed as a snapshot "after ."
 * once they fall quiet, so a script can see them before it sends a key.
 * Returns the byte (a NUL too: it is refused as no key), -1 at the end of
 * input or once the output failed.
 */
static int
batch_next_input(struct batch *b)
{
	while (b->in_pos == b->in_len && !b->eof && b->out_err == 0) {
		b->quiet_fired = 0;
		event_add(b->input, NULL);
		event_base_dispatch(b->lab->base);
		event_del(b->input);
		if (b->quiet_fired)
			lab_look(b->lab);
		if (b->quiet_fired && b->lab->nlines != b->printed) {
			errno = 0;	/* see batch_flush */
			fprintf(b->out, "> . Notified while waiting for the "
			    "next key\n");
			batch_transcript(b);
			batch_snapshot(b->lab, '.', b->out);
			batch_guide(b);
			batch_wire(b);
			batch_end(b, '.');
		}
	}
	evtimer_del(b->quiet);
	return b->in_pos < b->in_len && b->out_err == 0 ?
	    (unsigned char)b->in[b->in_pos++] : -1;
}

/*
 * Run the keys until they end or the output or the log fails: --keys was
 * checked whole by the option parser, standard input is checked here.
 * Returns 0, or 2 for a byte of standard input that is no key.
 */
static int
batch_keys(struct batch *b)
{
	const char *keys = b->keys;
	int key;

	while (b->out_err == 0 && b->lab->log_err == 0) {
		key = keys != NULL ? (*keys != '\0' ?
		    (unsigned char)*keys++ : -1) : batch_next_input(b);
		if (key == -1)
			break;
		if (opts_is_space(key))
			continue;
		if (!opts_is_key(key)) {
			fprintf(stderr, "tcpstep: standard input: '%s' is not "
			    "a step key (see tcpstep --help)\n", opts_key(key));
			return 2;
		}
		batch_key(b, key);
	}
	return 0;
}

/*
 * The run's status once the output is judged: a reader that went away
 * (| head) ends the run quietly with the status SIGPIPE would give, as
 * other filters end; any other failure to write is said and is an error.
 * Otherwise status stands.
 */
static int
batch_out_status(const struct batch *b, int status)
{
	if (b->out_err == EPIPE)
		status = 128 + SIGPIPE;
	else if (b->out_err != 0) {
		fprintf(stderr, "tcpstep: cannot write the batch output to "
		    "standard output: %s\n", strerror(b->out_err));
		status = 1;
	}
	return status;
}

int
batch_run(struct lab *lab, struct guide *guide, const char *keys,
    unsigned settle_ms, enum batch_format format, FILE *out)
{
	struct batch b;
	int status = 0;

	memset(&b, 0, sizeof b);
	b.lab = lab;
	b.guide = guide;
	b.out = b.final = out;
	if (format != BATCH_FORMAT_TEXT) {
		b.fmt = batch_formatter_new(format, lab, guide, out);
		b.out = open_memstream(&b.text, &b.text_len);
		if (b.fmt == NULL || b.out == NULL) {
			status = -1;
			goto done;
		}
	}
	b.keys = keys;
	b.settle.tv_sec = settle_ms / 1000;
	b.settle.tv_usec = (settle_ms % 1000) * 1000;
	b.quiet = evtimer_new(lab->base, batch_quiet_cb, &b);
	b.cap = evtimer_new(lab->base, batch_cap_cb, &b);
	if (keys == NULL)
		b.input = event_new(lab->base, STDIN_FILENO, EV_READ,
		    batch_input_cb, &b);
	if (b.quiet == NULL || b.cap == NULL || (keys == NULL &&
	    b.input == NULL)) {
		status = -1;
		goto done;
	}
	lab->changed = batch_changed;
	lab->changed_arg = &b;
	/*
	 * A script's first key should not race the resolver: wait for the
	 * server's name (evdns gives up on its own), and print what it said.
	 */
	b.printed = 0;
	while (lab->resolve_pending)
		event_base_loop(lab->base, EVLOOP_ONCE);
	/* --guide: the lesson's setup, printed with the first key's lines. */
	batch_setup(&b);
	status = batch_keys(&b);
	lab->changed = NULL;
	status = batch_out_status(&b, status);
done:
	if (b.out != NULL && b.out != out)
		fclose(b.out);
	free(b.text);
	batch_formatter_free(b.fmt);
	if (b.quiet != NULL)
		event_free(b.quiet);
	if (b.cap != NULL)
		event_free(b.cap);
	if (b.input != NULL)
		event_free(b.input);
	return status;
}

/* Whether standard input can be watched by the loop (pipe, tty, socket). */
int
batch_stdin_streams(void)
{
	struct stat st;

	if (fstat(STDIN_FILENO, &st) == -1)
		return 0;
	return S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) ||
	    isatty(STDIN_FILENO);
}
