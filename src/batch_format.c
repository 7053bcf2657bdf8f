/*
 * batch_format.c - the --batch formats brief and json.
 *
 * batch.c runs the keys and writes the text format; for brief and json
 * it hands each key's text here, of which only the "> " line is taken
 * (what the key did, in the words batch.c already chose). Everything else
 * is read from the lab through its public interface, as the text
 * snapshot reads it, so the three formats say the same things. Both
 * formats are contracts (tcpstep(1), BATCH FORMATS): fields are added,
 * never renamed or dropped.
 *
 * JSON is built with json-c, which does all the quoting: no string is
 * escaped by hand here. Bytes a socket read are given as the text
 * format shows them (escape.c: printable ASCII, the rest as \xHH) and
 * in hex, never raw: the output goes to terminals too.
 */
#include <stdlib.h>
#include <string.h>
#include <netinet/tcp.h>

#include <json-c/json.h>

#include "addr.h"
#include "asock.h"
#include "batch_format.h"
#include "bind.h"
#include "errname.h"
#include "escape.h"
#include "guide.h"
#include "lab.h"
#include "lab_wire.h"
#include "wire.h"

struct batch_formatter {
	enum batch_format	 fmt;
	const struct lab	*lab;
	const struct guide	*guide;
	FILE			*out;
	unsigned long		 printed;	/* transcript lines written */
	unsigned long		 wprinted;	/* captured segments written */
	int			 wnone;		/* why no capture: written */
	/* What each pane's counters were at the last key: brief's "+1". */
	unsigned long		 counts[LAB_PANES][ASOCK_NOTES];
};

/* The panes as the text snapshot names them. */
static const char *const batch_format_panes[LAB_PANES] = {
	"server", "server-send", "client"
};

struct batch_formatter *
batch_formatter_new(enum batch_format fmt, const struct lab *lab,
    const struct guide *guide, FILE *out)
{
	struct batch_formatter *f;

	if ((f = calloc(1, sizeof *f)) == NULL)
		return NULL;
	f->fmt = fmt;
	f->lab = lab;
	f->guide = guide;
	f->out = out;
	return f;
}

void
batch_formatter_free(struct batch_formatter *f)
{
	free(f);
}

/*
 * The step key's own result, when the line is the step's ("4 Client
 * Connect: in progress: ..."); NULL for other keys, and for a step the
 * guide refused (its line says so instead).
 */
static const struct lab_result *
batch_format_step(const struct lab *lab, const struct bind *k,
    const char *line, size_t len)
{
	char head[128];
	int n;

	if (k == NULL || k->cmd != BIND_LAB || k->op >= LAB_OP_STEPS)
		return NULL;
	n = snprintf(head, sizeof head, "%s %s %s: ", k->name,
	    lab_pane_name(lab_op_pane(k->op)), lab_op_name(k->op));
	if (n < 0 || (size_t)n >= sizeof head || (size_t)n > len ||
	    strncmp(line, head, (size_t)n) != 0)
		return NULL;
	return &lab->result[k->op];
}

/* ---- brief: one line per key ---- */

/* " | client OnConnect+1 OnSend+1": what moved in pane, if anything. */
static void
batch_format_moved(struct batch_formatter *f, int pane)
{
	const struct lab_sock *p = lab_sel(f->lab, pane);
	long d;
	int n, said = 0;

	for (n = 0; n < ASOCK_NOTES; n++) {
		d = (long)(p->counts[n] - f->counts[pane][n]);
		if (d == 0)
			continue;
		if (!said)
			fprintf(f->out, " | %s", batch_format_panes[pane]);
		said = 1;
		fprintf(f->out, " %s%+ld", asock_note_name(n), d);
	}
}

/*
 * "4 Client Connect: in progress | client OnConnect+1 OnSend+1 | server
 * OnAccept+1": the line up to the step's outcome (the whole line for
 * other keys), then the panes whose counters moved, the step's own pane
 * first.
 */
static void
batch_format_brief(struct batch_formatter *f, const struct bind *k,
    const char *line, size_t len)
{
	const struct lab_result *r = batch_format_step(f->lab, k, line, len);
	int pane, first = -1;

	if (r != NULL) {
		first = lab_op_pane(k->op);
		fprintf(f->out, "%s %s %s: %s", k->name,
		    lab_pane_name(first), lab_op_name(k->op), r->brief);
	} else
		fprintf(f->out, "%.*s", (int)len, line);
	if (first != -1)
		batch_format_moved(f, first);
	for (pane = 0; pane < LAB_PANES; pane++)
		if (pane != first)
			batch_format_moved(f, pane);
	fprintf(f->out, "\n");
}

/* ---- json: one object per snapshot ---- */

/* json-c's object_add asserts on a NULL object: out of memory, skip. */
static void
batch_format_add(struct json_object *o, const char *key,
    struct json_object *v)
{
	if (o != NULL)
		json_object_object_add(o, key, v);
	else
		json_object_put(v);
}

static void
batch_format_append(struct json_object *a, struct json_object *v)
{
	if (a == NULL || json_object_array_add(a, v) != 0)
		json_object_put(v);
}

static struct json_object *
batch_format_str(const char *s)
{
	return json_object_new_string(s);
}

/*
 * Bytes a socket read, as "<key>" (the text format's escaped form) and
 * "<key>_hex" (every byte, two hex digits each).
 */
static void
batch_format_bytes(struct json_object *o, const char *key,
    const unsigned char *data, size_t n)
{
	/* Scratch for this call only, static to keep 256 KB off the stack. */
	static char esc[4 * LAB_RECV_MAX + 1], hex[2 * LAB_RECV_MAX + 1];
	char hkey[32];
	size_t i;

	escape_bytes(data, n, esc, sizeof esc);
	batch_format_add(o, key, batch_format_str(esc));
	for (i = 0; i < n && i < LAB_RECV_MAX; i++)
		snprintf(hex + 2 * i, 3, "%02x", data[i]);
	hex[2 * i] = '\0';
	snprintf(hkey, sizeof hkey, "%s_hex", key);
	batch_format_add(o, hkey, batch_format_str(hex));
}

/* The counters and errno of one socket, into o. */
static void
batch_format_counts(struct json_object *o, const struct lab_sock *p)
{
	int n;

	for (n = 0; n < ASOCK_NOTES; n++)
		batch_format_add(o, asock_note_name(n),
		    json_object_new_int64((int64_t)p->counts[n]));
	batch_format_add(o, "errno", batch_format_str(errname_name(p->err)));
}

/* The kernel's view of one socket: the text's "LISTEN local=..." fields. */
static struct json_object *
batch_format_view(const struct asock_view *v)
{
	struct json_object *o = json_object_new_object();
	char a[ADDR_STRLEN], ready[4];

	batch_format_add(o, "state", batch_format_str(v->tcp_state == -1 ?
	    "no-socket" : asock_tcp_state_name(v->tcp_state)));
	if (v->have_local)
		batch_format_add(o, "local", batch_format_str(addr_format(
		    (const struct sockaddr *)&v->local, a, sizeof a)));
	if (v->have_peer)
		batch_format_add(o, "peer", batch_format_str(addr_format(
		    (const struct sockaddr *)&v->peer, a, sizeof a)));
	if (v->tcp_state == TCP_LISTEN) {
		batch_format_add(o, "queue",
		    json_object_new_int64(v->accept_queue));
		batch_format_add(o, "backlog",
		    json_object_new_int64(v->backlog));
	} else if (v->tcp_state != -1) {
		batch_format_add(o, "inq", json_object_new_int64(v->inq));
		batch_format_add(o, "outq", json_object_new_int64(v->outq));
	}
	if (v->tcp_state != -1) {
		snprintf(ready, sizeof ready, "%c%c%c", v->readable ? 'r' : '-',
		    v->writable ? 'w' : '-', v->urgent ? 'u' : '-');
		batch_format_add(o, "ready", batch_format_str(ready));
	}
	return o;
}

/* "panes", "received", "server-read" and "kernel" of the snapshot. */
static void
batch_format_panes_json(struct json_object *o, const struct lab *lab)
{
	struct json_object *panes = json_object_new_object();
	struct json_object *kernel = json_object_new_object();
	struct json_object *c, *b;
	const struct lab_sock *p;
	static const int readers[2] = { LAB_CLIENT, LAB_SEND };
	static const char *const rnames[2] = { "received", "server-read" };
	int pane, i;

	for (pane = 0; pane < LAB_PANES; pane++) {
		c = json_object_new_object();
		batch_format_counts(c, lab_sel(lab, pane));
		batch_format_add(panes, batch_format_panes[pane], c);
		batch_format_add(kernel, batch_format_panes[pane],
		    batch_format_view(&lab_sel(lab, pane)->view));
	}
	batch_format_add(o, "panes", panes);
	for (i = 0; i < 2; i++) {
		p = lab_sel(lab, readers[i]);
		/* A drain keeps no bytes, only how many it read. */
		if (p->have_drained) {
			b = json_object_new_object();
			batch_format_add(b, "drained",
			    json_object_new_int64((int64_t)p->drained));
			batch_format_add(o, rnames[i], b);
			continue;
		}
		if (!p->have_received) {
			batch_format_add(o, rnames[i], NULL);
			continue;
		}
		b = json_object_new_object();
		batch_format_add(b, "bytes",
		    json_object_new_int64((int64_t)p->received_len));
		batch_format_bytes(b, "data", p->received, p->received_len);
		batch_format_add(o, rnames[i], b);
	}
	batch_format_add(o, "kernel", kernel);
}

/* Every row of the two lists, as the text's "row" lines. */
static struct json_object *
batch_format_rows(const struct lab *lab)
{
	struct json_object *rows = json_object_new_array(), *r;
	const struct lab_sock *p;
	size_t i;
	int pane;

	for (pane = LAB_SEND; pane <= LAB_CLIENT; pane++) {
		for (i = 0; i < lab_rows(lab, pane); i++) {
			p = lab_row(lab, pane, i);
			r = json_object_new_object();
			batch_format_add(r, "pane",
			    batch_format_str(batch_format_panes[pane]));
			batch_format_add(r, "id", json_object_new_int64(p->id));
			batch_format_add(r, "selected", json_object_new_boolean(
			    i == lab_selected(lab, pane)));
			batch_format_counts(r, p);
			batch_format_add(r, "kernel", batch_format_view(&p->view));
			batch_format_add(r, "bytes",
			    json_object_new_int64((int64_t)p->bytes_read));
			/* The text's read="...": the first LAB_LINE_READ. */
			if (p->have_received)
				batch_format_bytes(r, "read", p->received,
				    p->received_len < LAB_LINE_READ ?
				    p->received_len : LAB_LINE_READ);
			/* The text's name=: the peer's name, escaped. */
			if (lab_name_of(p) != NULL)
				batch_format_add(r, "name",
				    batch_format_str(lab_name_of(p)));
			batch_format_append(rows, r);
		}
	}
	return rows;
}

/* The Explain area, a string per paragraph. */
static struct json_object *
batch_format_explain(const struct lab *lab)
{
	struct json_object *a = json_object_new_array();
	const char *p0, *p1;

	for (p0 = lab->explain; *p0 != '\0'; p0 = *p1 == '\n' ? p1 + 1 : p1) {
		p1 = strchr(p0, '\n');
		if (p1 == NULL)
			p1 = p0 + strlen(p0);
		batch_format_append(a, json_object_new_string_len(p0,
		    (int)(p1 - p0)));
	}
	return a;
}

/* The transcript lines since the last key, as {"time", "text"}. */
static struct json_object *
batch_format_transcript(struct batch_formatter *f)
{
	struct json_object *a = json_object_new_array(), *l;
	const struct lab *lab = f->lab;
	const struct lab_line *line;
	char stamp[32];

	if (lab->nlines - f->printed > LAB_TRANSCRIPT)
		f->printed = lab->nlines - LAB_TRANSCRIPT;
	for (; f->printed < lab->nlines; f->printed++) {
		line = lab_line(lab, f->printed);
		l = json_object_new_object();
		batch_format_add(l, "time", batch_format_str(lab_stamp(
		    &line->tv, stamp, sizeof stamp)));
		batch_format_add(l, "text", batch_format_str(line->text));
		batch_format_append(a, l);
	}
	return a;
}

/* Guided mode's line: null while it is off. */
static struct json_object *
batch_format_guide(const struct guide *g)
{
	struct json_object *o;
	char progress[32], say[400];
	enum lab_op next;

	if (g == NULL || !g->on)
		return NULL;
	o = json_object_new_object();
	batch_format_add(o, "lesson", json_object_new_int64(g->lesson + 1));
	batch_format_add(o, "done", json_object_new_boolean(g->done));
	if (!g->done) {
		guide_progress(g, progress, sizeof progress);
		next = guide_next_op(g);
		batch_format_add(o, "progress", batch_format_str(progress));
		batch_format_add(o, "next", batch_format_str(
		    next != LAB_OP_NONE ? bind_op_name(next) : "."));
		batch_format_add(o, "say", batch_format_str(guide_say(g, say,
		    sizeof say)));
	}
	batch_format_add(o, "msg", batch_format_str(g->msg));
	return o;
}

/* The TCP flags of a segment by name: ["SYN", "ACK"] (WIRE_* bit order). */
static struct json_object *
batch_format_flags(unsigned flags)
{
	static const char *const names[8] = {
		"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"
	};
	struct json_object *a = json_object_new_array();
	int i;

	for (i = 0; i < 8; i++)
		if (flags & (1u << i))
			batch_format_append(a, batch_format_str(names[i]));
	return a;
}

/* One captured segment: the fields of the text's "wire" line. */
static struct json_object *
batch_format_seg(const struct lab_wire_seg *s)
{
	struct json_object *o = json_object_new_object();
	char text[200];

	batch_format_add(o, "text", batch_format_str(lab_wire_text(s, text,
	    sizeof text)));
	if (s->summed > 0) {
		batch_format_add(o, "summed",
		    json_object_new_int64((int64_t)s->summed));
		batch_format_add(o, "summed_bytes",
		    json_object_new_int64((int64_t)s->summed_bytes));
		return o;
	}
	batch_format_add(o, "after", batch_format_str(s->cause[0] != '\0' ?
	    s->cause : "-"));
	batch_format_add(o, "usec", json_object_new_int64(s->usec));
	batch_format_add(o, "conn", json_object_new_int64(s->conn));
	batch_format_add(o, "direction", batch_format_str(s->to_server ?
	    "client>server" : "server>client"));
	batch_format_add(o, "flags", batch_format_flags(s->flags));
	batch_format_add(o, "seq", json_object_new_int64(s->seq));
	batch_format_add(o, "ack", json_object_new_int64(s->ack));
	batch_format_add(o, "len", json_object_new_int64(s->len));
	batch_format_add(o, "win", json_object_new_int64((int64_t)s->win));
	/* The options, when the text names them (lab_wire_text). */
	if (s->flags & WIRE_URG)
		batch_format_add(o, "urp", json_object_new_int64(s->urp));
	if (s->mss >= 0 && (s->flags & WIRE_SYN))
		batch_format_add(o, "mss", json_object_new_int64(s->mss));
	if (s->wscale >= 0 && (s->flags & WIRE_SYN))
		batch_format_add(o, "ws", json_object_new_int64(s->wscale));
	batch_format_add(o, "sack", json_object_new_boolean(s->sack_ok));
	batch_format_add(o, "ts", json_object_new_boolean(s->ts));
	batch_format_add(o, "mark", batch_format_str(lab_wire_mark_name(
	    s->mark)));
	if (s->note != LAB_WIRE_NOTE_NONE)
		batch_format_add(o, "note", batch_format_str(
		    lab_wire_note_word(s->note)));
	return o;
}

/*
 * "wire": the segments captured since the last key; a lab without
 * capture has "wire_none" with the reason instead, in the first snapshot.
 */
static void
batch_format_wire(struct batch_formatter *f, struct json_object *o)
{
	const struct lab *lab = f->lab;
	struct json_object *a;

	if (lab->wire == NULL) {
		if (!f->wnone)
			batch_format_add(o, "wire_none",
			    batch_format_str(lab_wire_where_text(lab)));
		f->wnone = 1;
		return;
	}
	/* Where it captures, once, as the text's first "wire" line. */
	if (!f->wnone)
		batch_format_add(o, "wire_capture", batch_format_str(
		    lab->wire_where == LAB_WIRE_PRIVATE ? "lo, private network" :
		    lab->wire_where == LAB_WIRE_ANY ? "any, every interface" :
		    "lo, host"));
	f->wnone = 1;
	a = json_object_new_array();
	if (lab->nwsegs - f->wprinted > LAB_WIRE_SEGS)
		f->wprinted = lab->nwsegs - LAB_WIRE_SEGS;
	for (; f->wprinted < lab->nwsegs; f->wprinted++)
		batch_format_append(a, batch_format_seg(lab_wire_seg(lab,
		    f->wprinted)));
	batch_format_add(o, "wire", a);
}

/* Key i: every error on screen explained, no snapshot. */
static void
batch_format_errors(struct json_object *o, const struct lab *lab)
{
	struct json_object *a = json_object_new_array();
	char text[600];
	int errs[LAB_PANES + 1];
	size_t i, n = lab_errors(lab, errs, LAB_PANES + 1);

	for (i = 0; i < n; i++) {
		explain_error(lab, errs[i], text, sizeof text);
		batch_format_append(a, batch_format_str(text));
	}
	batch_format_add(o, "errors", a);
}

static void
batch_format_json(struct batch_formatter *f, int key, const struct bind *k,
    const char *line, size_t len)
{
	const struct lab *lab = f->lab;
	const struct lab_result *r;
	struct json_object *o, *s;
	char kstr[2] = { (char)key, '\0' };

	if ((o = json_object_new_object()) == NULL)
		return;
	batch_format_add(o, "key", batch_format_str(kstr));
	batch_format_add(o, "line", json_object_new_string_len(line, (int)len));
	if (k != NULL && k->cmd == BIND_ERRORS) {
		batch_format_errors(o, lab);
		goto out;
	}
	r = batch_format_step(lab, k, line, len);
	if (r != NULL) {
		s = json_object_new_object();
		batch_format_add(s, "pane", batch_format_str(
		    batch_format_panes[lab_op_pane(k->op)]));
		batch_format_add(s, "op", batch_format_str(lab_op_name(k->op)));
		batch_format_add(s, "outcome", batch_format_str(r->brief));
		batch_format_add(s, "errno", batch_format_str(errname_name(
		    r->err)));
		batch_format_add(s, "detail", batch_format_str(r->detail));
		batch_format_add(o, "step", s);
	} else
		batch_format_add(o, "step", NULL);
	batch_format_add(o, "transcript", batch_format_transcript(f));
	batch_format_panes_json(o, lab);
	batch_format_add(o, "rows", batch_format_rows(lab));
	if (lab->cfg.role == LAB_ROLE_CLIENT)
		batch_format_add(o, "resolver", batch_format_str(lab->resolved));
	batch_format_add(o, "explain", batch_format_explain(lab));
	batch_format_add(o, "guide", batch_format_guide(f->guide));
	batch_format_wire(f, o);
out:
	fprintf(f->out, "%s\n", json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

void
batch_formatter_key(struct batch_formatter *f, int key, const char *text,
    size_t len)
{
	const struct bind *k = key == '.' ? NULL : bind_key(key, BIND_BATCH);
	const char *line = text, *nl;
	int pane, n;

	/* The key's line, without "> " and its newline. */
	if (len >= 2 && strncmp(text, "> ", 2) == 0) {
		line += 2;
		len -= 2;
	}
	nl = memchr(line, '\n', len);
	if (nl != NULL)
		len = (size_t)(nl - line);
	if (f->fmt == BATCH_FORMAT_BRIEF)
		batch_format_brief(f, k, line, len);
	else
		batch_format_json(f, key, k, line, len);
	for (pane = 0; pane < LAB_PANES; pane++)
		for (n = 0; n < ASOCK_NOTES; n++)
			f->counts[pane][n] = lab_sel(f->lab, pane)->counts[n];
}
