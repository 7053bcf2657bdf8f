/*
 * lab_wire.c - the lab's view of the real wire: each segment the capture
 * hands over is kept in a ring for the Wire view, numbered from its
 * connection's first sequence number, tied to the step or notification
 * it followed, compared with the ladder's expected segments, and written
 * into the transcript in time order.
 *
 * The comparison decides by the expected segments' machine fields
 * (explain_seg's flags, len, repeat), never by their labels. A step's
 * segments are mostly captured while the step still runs (loopback
 * delivers synchronously), before its ladder is known: they are written
 * into the transcript at once and compared when lab_transcript_step has
 * added the ladder (lab_wire_step_said), so that the Explain paragraphs
 * on differences follow the step's own paragraph.
 */
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>

#include "addr.h"
#include "explain.h"
#include "lab.h"
#include "lab_core.h"
#include "lab_transcript.h"
#include "lab_wire.h"

/* Flags the comparison ignores: PSH and ECN are the sender's choice. */
#define LAB_WIRE_LOOSE	(WIRE_PSH | WIRE_ECE | WIRE_CWR)

static void lab_wire_settle(struct lab *lab, unsigned long from);

void
lab_wire_attach(struct lab *lab, struct wire *w, enum lab_wire_where where,
    const char *why)
{
	lab->wire = w;
	lab->wire_where = where;
	snprintf(lab->wire_why, sizeof lab->wire_why, "%s",
	    why != NULL ? why : "");
	/* Client role: the server's port is known from the start. */
	if (lab->cfg.role == LAB_ROLE_CLIENT)
		lab_wire_set_port(lab, lab->cfg.port);
	else if (lab->have_server_addr)
		lab_wire_set_port(lab, addr_port((const struct sockaddr *)
		    &lab->server_addr));
}

void
lab_wire_set_port(struct lab *lab, unsigned port)
{
	char why[200];

	if (lab->wmodel.port == port)
		return;
	lab->wmodel.port = port;
	if (lab->wire != NULL && wire_set_port(lab->wire, port, why,
	    sizeof why) == -1)
		lab_say_line(lab, "wire        cannot capture port %u: %s",
		    port, why);
}

void
lab_wire_drain(struct lab *lab)
{
	if (lab->wire == NULL || lab->wmodel.draining)
		return;
	lab->wmodel.draining = 1;
	wire_drain(lab->wire);
	lab->wmodel.draining = 0;
}

const struct lab_wire_seg *
lab_wire_seg(const struct lab *lab, unsigned long n)
{
	if (n >= lab->nwsegs || lab->nwsegs - n > LAB_WIRE_SEGS)
		return NULL;
	return &lab->wsegs[n % LAB_WIRE_SEGS];
}

/* ---- groups: the step key or notification a segment followed ---- */

static struct lab_wire_group *
lab_wire_group_get(struct lab *lab, unsigned long id)
{
	struct lab_wire_model *m = &lab->wmodel;

	if (id == 0 || id > m->ngroups || m->ngroups - id >= LAB_WIRE_GROUPS)
		return NULL;
	return &m->groups[(id - 1) % LAB_WIRE_GROUPS];
}

/*
 * The step group id belongs to: the latest step's (kept apart in
 * wmodel.cur, however many notifications came since), or an older one
 * still in the ring; NULL when it is forgotten or there is none.
 */
static struct lab_wire_group *
lab_wire_step_of(struct lab *lab, unsigned long id)
{
	struct lab_wire_model *m = &lab->wmodel;

	if (id == 0)
		return NULL;
	if (id == m->cur.id)
		return &m->cur;
	return lab_wire_group_get(lab, id);
}

void
lab_wire_group(struct lab *lab, const char *cause, enum lab_op op)
{
	struct lab_wire_model *m = &lab->wmodel;
	struct lab_wire_group *g;

	g = &m->groups[m->ngroups % LAB_WIRE_GROUPS];
	memset(g, 0, sizeof *g);
	g->id = ++m->ngroups;
	/* A key's group begins at its key line, already written. */
	if (op != LAB_OP_NONE && lab->nlines > 0)
		g->tv = lab_line(lab, lab->nlines - 1)->tv;
	else
		gettimeofday(&g->tv, NULL);
	snprintf(g->cause, sizeof g->cause, "%s", cause);
	if (op != LAB_OP_NONE) {	/* a key: a step, or reset */
		g->op = op;
		g->stepgroup = g->id;
		g->pending = lab_op_is_step(op);
		m->cur = *g;
	} else {
		/* A notification: under the latest step, from wmodel.cur. */
		g->op = m->cur.id != 0 ? m->cur.op : LAB_OP_NONE;
		g->stepgroup = m->cur.id;
	}
}

/* The latest group that began at or before tv; NULL: none kept. */
static const struct lab_wire_group *
lab_wire_group_at(struct lab *lab, const struct timeval *tv)
{
	const struct lab_wire_group *g;
	unsigned long id;

	for (id = lab->wmodel.ngroups; (g = lab_wire_group_get(lab, id)) !=
	    NULL; id--)
		if (!timercmp(&g->tv, tv, >))
			return g;
	return NULL;
}

/* ---- numbering: relative sequence numbers and scaled windows ---- */

/* Whether a and b are the same host (address; the port aside). */
static int
lab_wire_same_host(const struct sockaddr_storage *a,
    const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return 0;
	if (a->ss_family == AF_INET)
		return ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
		    ((const struct sockaddr_in *)b)->sin_addr.s_addr;
	if (a->ss_family == AF_INET6)
		return memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
		    &((const struct sockaddr_in6 *)b)->sin6_addr,
		    sizeof(struct in6_addr)) == 0;
	return 1;
}

/* The connection of client (address) port conn: found, or made anew. */
static struct lab_wire_flow *
lab_wire_flow(struct lab *lab, const struct sockaddr_storage *client,
    unsigned conn)
{
	struct lab_wire_model *m = &lab->wmodel;
	struct lab_wire_flow *f, *old = &m->flows[0];
	size_t i;

	for (i = 0; i < LAB_WIRE_FLOWS; i++) {
		f = &m->flows[i];
		if (f->conn == conn && lab_wire_same_host(&f->client, client)) {
			f->used = ++m->clock;
			return f;
		}
		if (f->used < old->used)
			old = f;
	}
	memset(old, 0, sizeof *old);
	old->conn = conn;
	old->client = *client;
	old->wscale[0] = old->wscale[1] = -1;
	old->used = ++m->clock;
	return old;
}

/* a - b, in sequence space: < 0 when a comes before b. */
static int32_t
lab_wire_cmp(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b);
}

/*
 * What flow f shows by itself about segment in (direction d, numbered in
 * s, f not yet updated by it): a window probe, a retransmission, the
 * urgent pointer, a zero window, a window update, an ACK piggy-backed
 * on data or delayed.
 */
static enum lab_wire_note
lab_wire_flow_note(const struct lab_wire_flow *f, int d,
    const struct wire_seg *in, const struct lab_wire_seg *s, uint32_t end)
{
	int e = !d, pure;
	long usec;

	pure = (in->flags & ~LAB_WIRE_LOOSE) == WIRE_ACK && in->len == 0;
	if (in->flags & WIRE_RST)
		return LAB_WIRE_NOTE_NONE;
	if (!(in->flags & (WIRE_SYN | WIRE_FIN)) && in->len <= 1 &&
	    f->acked[e] && f->lastwin[e] == 0 &&
	    s->seq == f->lastack[e] - 1)
		return LAB_WIRE_PROBE;
	if (end != s->seq && f->sent[d] &&
	    lab_wire_cmp(s->seq, f->next[d]) < 0)
		return LAB_WIRE_RETRANSMIT;
	if (in->flags & WIRE_URG)
		return LAB_WIRE_URGENT;
	if (in->win == 0)
		return LAB_WIRE_ZERO_WINDOW;
	if (pure && f->acked[d] && s->ack == f->lastack[d] &&
	    s->win > f->lastwin[d])
		return LAB_WIRE_WINDOW_UPDATE;
	if ((in->flags & WIRE_ACK) && f->acked[d] && f->data[e] &&
	    lab_wire_cmp(s->ack, f->lastack[d]) > 0 &&
	    lab_wire_cmp(f->data_end[e], f->lastack[d]) > 0) {
		usec = (in->tv.tv_sec - f->data_tv[e].tv_sec) * 1000000L +
		    (in->tv.tv_usec - f->data_tv[e].tv_usec);
		if (in->len > 0)
			return LAB_WIRE_PIGGYBACK;
		if (pure && usec > LAB_WIRE_DELAYED_USEC)
			return LAB_WIRE_DELAYED_ACK;
	}
	return LAB_WIRE_NOTE_NONE;
}

/* The ISNs: from each side's SYN, else the first number seen. */
static void
lab_wire_isn(struct lab_wire_flow *f, int d, const struct wire_seg *in)
{
	if ((in->flags & WIRE_SYN) && f->have[d] && in->seq != f->isn[d] &&
	    !(in->flags & WIRE_ACK)) {
		/* A new connection from the same address and port. */
		unsigned conn = f->conn;
		unsigned long used = f->used;
		struct sockaddr_storage client = f->client;

		memset(f, 0, sizeof *f);
		f->conn = conn;
		f->client = client;
		f->used = used;
		f->wscale[0] = f->wscale[1] = -1;
	}
	if (in->flags & WIRE_SYN) {
		f->isn[d] = in->seq;
		f->have[d] = f->syn[d] = 1;
		f->wscale[d] = in->wscale;
	} else if (!f->have[d]) {
		f->isn[d] = in->seq;
		f->have[d] = 1;
	}
	if ((in->flags & WIRE_ACK) && !f->have[!d]) {
		f->isn[!d] = in->ack;
		f->have[!d] = 1;
	}
}

/*
 * Number segment in (direction d: 0 to the server) into s from its
 * connection's state, note what the flow shows by itself, and bring the
 * flow up to date.
 */
static void
lab_wire_number(struct lab_wire_flow *f, int d,
    const struct wire_seg *in, struct lab_wire_seg *s)
{
	uint32_t end;

	lab_wire_isn(f, d, in);
	s->seq = in->seq - f->isn[d];
	s->ack = (in->flags & WIRE_ACK) ? in->ack - f->isn[!d] : 0;
	s->win = in->win;
	/* RFC 7323: scaled once both SYNs offered it; never a SYN's own. */
	if (!(in->flags & WIRE_SYN) && f->syn[0] && f->syn[1] &&
	    f->wscale[0] >= 0 && f->wscale[1] >= 0)
		s->win = (unsigned long)in->win << (f->wscale[d] > 14 ? 14 :
		    f->wscale[d]);
	end = s->seq + in->len + ((in->flags & (WIRE_SYN | WIRE_FIN)) ? 1 :
	    0);
	s->note = lab_wire_flow_note(f, d, in, s, end);
	/* The handshake: SYN, SYN-ACK, and the client's first ACK after. */
	if (in->flags & WIRE_SYN) {
		s->handshake = 1;
		if (d == 1 && (in->flags & WIRE_ACK))
			f->synack = 1;
	} else if (d == 0 && f->synack && !f->established &&
	    (in->flags & ~LAB_WIRE_LOOSE) == WIRE_ACK && in->len == 0 &&
	    s->seq == 1 && s->ack == 1) {
		s->handshake = 1;
		f->established = 1;
	}
	if (end != s->seq && (!f->sent[d] || lab_wire_cmp(end,
	    f->next[d]) > 0)) {
		f->next[d] = end;
		f->sent[d] = 1;
	}
	if (in->len > 0 && s->note != LAB_WIRE_PROBE) {
		f->data[d] = 1;
		f->data_tv[d] = in->tv;
		f->data_end[d] = s->seq + in->len;
	}
	if ((in->flags & WIRE_ACK) && !(in->flags & WIRE_RST)) {
		f->lastack[d] = s->ack;
		f->lastwin[d] = s->win;
		f->acked[d] = 1;
	}
}

/* ---- the transcript line ---- */

/*
 * The captured segment's line, at its own time stamp: usually after
 * every line already written, since each line drains the capture first.
 */
static void
lab_wire_line(struct lab *lab, const struct lab_wire_seg *s)
{
	char text[200];

	lab_wire_text(s, text, sizeof text);
	lab_transcript_at(lab, &s->tv, "wire        %s %s",
	    s->to_server ? "client>server" : "server>client", text);
}

/*
 * The front end redraws, and the guide checks again, after a segment
 * came from the event loop. Not while lab_say_line drains the capture:
 * that runs inside a step or a notification (even inside lab_reset,
 * between freeing one socket and the next), and the front end looks once
 * that has finished, as it does after every key and notification.
 */
static void
lab_wire_changed(struct lab *lab)
{
	if (!lab->wmodel.draining)
		lab_changed(lab);
}

void
lab_wire_in(const struct wire_seg *seg, void *arg)
{
	struct lab *lab = arg;
	struct lab_wire_model *m = &lab->wmodel;
	struct lab_wire_seg tmp, *s;
	const struct lab_wire_group *g;
	unsigned sport = addr_port((const struct sockaddr *)&seg->src);
	unsigned dport = addr_port((const struct sockaddr *)&seg->dst);
	unsigned port = m->port;
	struct lab_wire_flow *f;

	if (port == 0 && lab->have_server_addr)
		port = addr_port((const struct sockaddr *)&lab->server_addr);
	memset(&tmp, 0, sizeof tmp);
	tmp.tv = seg->tv;
	tmp.op = LAB_OP_NONE;
	tmp.to_server = dport == port;
	tmp.conn = tmp.to_server ? sport : dport;
	tmp.flags = seg->flags;
	tmp.len = seg->len;
	tmp.urp = seg->urp;
	tmp.mss = seg->mss;
	tmp.wscale = seg->wscale;
	tmp.sack_ok = seg->sack_ok;
	tmp.ts = seg->ts;
	tmp.mark = LAB_WIRE_EXTRA;
	tmp.expected = ULONG_MAX;
	f = lab_wire_flow(lab, tmp.to_server ? &seg->src : &seg->dst,
	    tmp.conn);
	lab_wire_number(f, !tmp.to_server, seg, &tmp);
	/* A flood: counted, written up at the next look. */
	if (m->burst >= LAB_WIRE_BURST) {
		m->summed++;
		m->summed_bytes += seg->len;
		lab_wire_changed(lab);
		return;
	}
	m->burst++;
	if ((g = lab_wire_group_at(lab, &seg->tv)) != NULL) {
		tmp.group = g->id;
		tmp.op = g->op;
		snprintf(tmp.cause, sizeof tmp.cause, "%s", g->cause);
		tmp.usec = (seg->tv.tv_sec - g->tv.tv_sec) * 1000000L +
		    (seg->tv.tv_usec - g->tv.tv_usec);
	}
	s = &lab->wsegs[lab->nwsegs % LAB_WIRE_SEGS];
	*s = tmp;
	lab->nwsegs++;
	lab_wire_line(lab, s);
	lab_wire_settle(lab, lab->nwsegs - 1);
	lab_wire_changed(lab);
}

void
lab_wire_lost(struct lab *lab, unsigned long total)
{
	struct lab_wire_model *m = &lab->wmodel;

	if (total > m->lost) {
		m->lost_new += total - m->lost;
		m->lost = total;
	}
}

void
lab_wire_look(struct lab *lab)
{
	struct lab_wire_model *m = &lab->wmodel;
	struct lab_wire_seg *s;
	char lost[80] = "";

	if (lab->wire != NULL)
		lab_wire_lost(lab, wire_lost(lab->wire));
	if (m->summed > 0 || m->lost_new > 0) {
		s = &lab->wsegs[lab->nwsegs % LAB_WIRE_SEGS];
		memset(s, 0, sizeof *s);
		gettimeofday(&s->tv, NULL);
		s->op = LAB_OP_NONE;
		s->to_server = -1;
		s->mark = LAB_WIRE_EXTRA;
		s->expected = ULONG_MAX;
		s->settled = 1;
		s->summary = 1;
		s->summed = m->summed;
		s->summed_bytes = m->summed_bytes;
		s->lost = m->lost_new;
		lab->nwsegs++;
		if (m->lost_new > 0)
			snprintf(lost, sizeof lost, "%s%lu frame%s lost: the "
			    "capture's buffer overflowed", m->summed > 0 ?
			    "; " : "", m->lost_new, m->lost_new == 1 ? "" :
			    "s");
		if (m->summed > 0)
			lab_transcript_at(lab, &s->tv, "wire        ... %lu "
			    "segment%s, %.1f MB, not shown one by one%s",
			    m->summed, m->summed == 1 ? "" : "s",
			    (double)m->summed_bytes / 1e6, lost);
		else
			lab_transcript_at(lab, &s->tv, "wire        ... %s",
			    lost);
	}
	m->burst = m->summed = 0;
	m->summed_bytes = 0;
	m->lost_new = 0;
}

/* ---- expected against real ---- */

/* Whether captured segment s is the expected segment e. */
static int
lab_wire_alike(const struct explain_seg *e, const struct lab_wire_seg *s)
{
	if ((e->flags & ~LAB_WIRE_LOOSE) != (s->flags & ~LAB_WIRE_LOOSE))
		return 0;
	return e->len == EXPLAIN_LEN_ANY ? s->len > 0 :
	    (long)s->len == e->len;
}

/*
 * Compare segment n with its step's ladder: the first expected segment of
 * its direction it is like (a repeatable one as often as it comes), else
 * the first one not yet seen, which it then stands in for, unlike it. A
 * bare ACK takes no other segment's place: it is extra.
 */
static void
lab_wire_compare(struct lab *lab, unsigned long n, struct lab_wire_seg *s,
    unsigned long step)
{
	struct lab_seg *e, *first = NULL;
	unsigned long i, from;
	int pure;

	s->mark = LAB_WIRE_EXTRA;
	/* A listener (-s) expects its peers' handshakes, whatever the step. */
	if (s->handshake && lab->cfg.role == LAB_ROLE_SERVER &&
	    lab->server.view.tcp_state == TCP_LISTEN) {
		s->mark = LAB_WIRE_MATCH;
		return;
	}
	if (step == 0)
		return;
	from = lab->nsegs > LAB_SEGS ? lab->nsegs - LAB_SEGS : 0;
	for (i = from; i < lab->nsegs; i++) {
		e = &lab->segs[i % LAB_SEGS];
		if (e->step != step || e->seg.to_server != s->to_server)
			continue;
		if (lab_wire_alike(&e->seg, s) && (e->wire == ULONG_MAX ||
		    e->seg.repeat)) {
			s->mark = LAB_WIRE_MATCH;
			s->expected = i;
			if (e->wire == ULONG_MAX)
				e->wire = n;
			return;
		}
		if (first == NULL && e->wire == ULONG_MAX && !e->seg.repeat)
			first = e;
	}
	pure = (s->flags & ~LAB_WIRE_LOOSE) == WIRE_ACK && s->len == 0;
	if (first == NULL || (pure && !((first->seg.flags & ~LAB_WIRE_LOOSE) ==
	    WIRE_ACK && first->seg.len == 0)))
		return;
	s->mark = LAB_WIRE_DIFFERS;
	s->expected = (unsigned long)(first - lab->segs);
	first->wire = n;
	/* One segment where the ladder drew one send: sends coalesced. */
	if (s->note == LAB_WIRE_NOTE_NONE && first->seg.len > 0 &&
	    s->len > (uint32_t)first->seg.len)
		s->note = LAB_WIRE_COALESCED;
}

/* The Explain area gains note's paragraph, once per step. */
static void
lab_wire_explain(struct lab *lab, const struct lab_wire_group *step,
    const struct lab_wire_seg *s)
{
	struct lab_wire_model *m = &lab->wmodel;
	char text[LAB_EXPLAIN / 2];
	size_t used = strlen(lab->explain);
	unsigned long id = step != NULL ? step->id : 0;

	if (s->note == LAB_WIRE_NOTE_NONE)
		return;
	if (m->said_step != id) {
		m->said_step = id;
		m->said = 0;
	}
	if (m->said & (1u << s->note))
		return;
	m->said |= 1u << s->note;
	explain_wire(lab, s->note, s, text, sizeof text);
	if (used + strlen(text) + 2 >= sizeof lab->explain || used == 0)
		snprintf(lab->explain, sizeof lab->explain, "%s", text);
	else
		snprintf(lab->explain + used, sizeof lab->explain - used,
		    "\n%s", text);
}

/*
 * Settle the segments from n on whose step's ladder is known: compare
 * them, give the notes that depend on the step, explain. A segment of a
 * step still running waits for lab_wire_step_said.
 */
static void
lab_wire_settle(struct lab *lab, unsigned long from)
{
	const struct lab_wire_group *g, *step;
	struct lab_wire_seg *s;
	unsigned long n;

	if (lab->nwsegs > LAB_WIRE_SEGS && from < lab->nwsegs - LAB_WIRE_SEGS)
		from = lab->nwsegs - LAB_WIRE_SEGS;
	for (n = from; n < lab->nwsegs; n++) {
		s = &lab->wsegs[n % LAB_WIRE_SEGS];
		if (s->settled || s->summary)
			continue;
		g = lab_wire_group_get(lab, s->group);
		step = g != NULL ? lab_wire_step_of(lab, g->stepgroup) :
		    s->group == lab->wmodel.cur.id ? &lab->wmodel.cur : NULL;
		if (step != NULL && step->pending)
			continue;
		s->settled = 1;
		/*
		 * Closing with bytes unread resets: say why, match or not,
		 * when the RST comes from the side that closed.
		 */
		if ((s->flags & WIRE_RST) && ((s->op == LAB_OP_CLIENT_CLOSE &&
		    s->to_server == 1) || (s->op == LAB_OP_CONN_CLOSE &&
		    s->to_server == 0)))
			s->note = LAB_WIRE_RST_NOT_FIN;
		lab_wire_compare(lab, n, s, step != NULL ? step->step : 0);
		lab_wire_explain(lab, step, s);
	}
}

void
lab_wire_step_said(struct lab *lab, unsigned long step)
{
	struct lab_wire_group *g = &lab->wmodel.cur, *kept;
	unsigned long n;

	if (g->id == 0 || !g->pending)
		return;
	g->pending = 0;
	g->step = step;
	if ((kept = lab_wire_group_get(lab, g->id)) != NULL)
		*kept = *g;
	/* Its segments: the first one of its group on. */
	for (n = lab->nwsegs > LAB_WIRE_SEGS ? lab->nwsegs - LAB_WIRE_SEGS :
	    0; n < lab->nwsegs; n++)
		if (lab->wsegs[n % LAB_WIRE_SEGS].group >= g->id)
			break;
	lab_wire_settle(lab, n);
}

/* ---- words ---- */

char *
lab_wire_text(const struct lab_wire_seg *s, char *buf, size_t len)
{
	char f[48], *p;
	size_t used;

	if (s->summary) {
		snprintf(buf, len, "summed segments=%lu bytes=%llu", s->summed,
		    s->summed_bytes);
		if (s->lost > 0 && strlen(buf) < len)
			snprintf(buf + strlen(buf), len - strlen(buf),
			    " lost=%lu", s->lost);
		return buf;
	}
	/* "SYN, ACK" -> "SYN,ACK": one word for scripts. */
	wire_flags_name(s->flags, f, sizeof f);
	for (p = f; (p = strstr(p, ", ")) != NULL; )
		memmove(p + 1, p + 2, strlen(p + 2) + 1);
	snprintf(buf, len, "%s seq=%lu ack=%lu len=%lu win=%lu", f,
	    (unsigned long)s->seq, (unsigned long)s->ack,
	    (unsigned long)s->len, s->win);
#define LAB_WIRE_ADD(...) do {						\
	used = strlen(buf);						\
	if (used < len)							\
		snprintf(buf + used, len - used, __VA_ARGS__);		\
} while (0)
	if (s->flags & WIRE_URG)
		LAB_WIRE_ADD(" urp=%u", (unsigned)s->urp);
	if (s->mss >= 0 && (s->flags & WIRE_SYN))
		LAB_WIRE_ADD(" mss=%d", s->mss);
	if (s->wscale >= 0 && (s->flags & WIRE_SYN))
		LAB_WIRE_ADD(" ws=%d", s->wscale);
	if (s->sack_ok)
		LAB_WIRE_ADD(" sack");
	if (s->ts)
		LAB_WIRE_ADD(" ts");
#undef LAB_WIRE_ADD
	return buf;
}

char *
lab_wire_label(const struct lab_wire_seg *s, char *buf, size_t len)
{
	char f[48];

	if (s->summary) {
		snprintf(buf, len, "%lu segment%s not shown%s", s->summed,
		    s->summed == 1 ? "" : "s", s->lost > 0 ? ", frames lost" :
		    "");
		return buf;
	}
	wire_flags_name(s->flags, f, sizeof f);
	if (s->win == 0 && !(s->flags & WIRE_RST) && s->len > 0)
		snprintf(buf, len, "%s %lu win 0", f, (unsigned long)s->len);
	else if (s->win == 0 && !(s->flags & WIRE_RST))
		snprintf(buf, len, "%s win 0", f);
	else if (s->len > 0)
		snprintf(buf, len, "%s %lu", f, (unsigned long)s->len);
	else
		snprintf(buf, len, "%s", f);
	return buf;
}

const char *
lab_wire_note_name(enum lab_wire_note note)
{
	static const char *names[LAB_WIRE_NOTES] = {
		"", "RST, not FIN", "sends coalesced", "ACK piggy-backed",
		"delayed ACK", "window update", "zero window",
		"window probe", "urgent pointer", "retransmission"
	};

	return (unsigned)note < LAB_WIRE_NOTES ? names[note] : "";
}

const char *
lab_wire_note_word(enum lab_wire_note note)
{
	static const char *words[LAB_WIRE_NOTES] = {
		"", "rst-not-fin", "coalesced", "piggyback", "delayed-ack",
		"window-update", "zero-window", "probe", "urgent",
		"retransmit"
	};

	return (unsigned)note < LAB_WIRE_NOTES ? words[note] : "";
}

const char *
lab_wire_mark_name(enum lab_wire_mark mark)
{
	return mark == LAB_WIRE_MATCH ? "match" : mark == LAB_WIRE_DIFFERS ?
	    "differs" : "extra";
}

const char *
lab_wire_where_text(const struct lab *lab)
{
	switch (lab->wire_where) {
	case LAB_WIRE_HOST:
	case LAB_WIRE_PRIVATE:
	case LAB_WIRE_ANY:
		/* Opened, then stopped: a read error (the device went). */
		if (lab->wire != NULL && wire_error(lab->wire) != NULL)
			return wire_error(lab->wire);
		/* In the private network, but its capture did not open. */
		if (lab->wire == NULL)
			return lab->wire_why[0] != '\0' ? lab->wire_why :
			    "no capture";
		return lab->wire_where == LAB_WIRE_HOST ?
		    "capturing on the host's lo" :
		    lab->wire_where == LAB_WIRE_PRIVATE ?
		    "capturing on lo of the lab's private network" :
		    "capturing on every interface (any)";
	case LAB_WIRE_OFF:
		return lab->wire_why[0] != '\0' ? lab->wire_why :
		    "no capture: --no-wire";
	default:
		return lab->wire_why[0] != '\0' ? lab->wire_why :
		    "no capture";
	}
}
