/*
 * lab_wire.c - the lab's view of the real wire: each segment the capture
 * hands over is kept in a ring for the Wire view, numbered from its
 * connection's first sequence number, tied to the step or notification
 * it followed, compared with the ladder's expected segments, and written
 * into the transcript in time order.
 *
 * A first cut: keeps the segments and their direction only.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "lab.h"
#include "lab_core.h"
#include "lab_wire.h"

void
lab_wire_attach(struct lab *lab, struct wire *w, enum lab_wire_where where,
    const char *why)
{
	lab->wire = w;
	lab->wire_where = where;
	snprintf(lab->wire_why, sizeof lab->wire_why, "%s",
	    why != NULL ? why : "");
}

const struct lab_wire_seg *
lab_wire_seg(const struct lab *lab, unsigned long n)
{
	if (n >= lab->nwsegs || lab->nwsegs - n > LAB_WIRE_SEGS)
		return NULL;
	return &lab->wsegs[n % LAB_WIRE_SEGS];
}

void
lab_wire_in(const struct wire_seg *seg, void *arg)
{
	struct lab *lab = arg;
	struct lab_wire_seg *s = &lab->wsegs[lab->nwsegs % LAB_WIRE_SEGS];

	memset(s, 0, sizeof *s);
	s->tv = seg->tv;
	s->op = LAB_OP_NONE;
	s->to_server = lab->have_server_addr &&
	    addr_port((const struct sockaddr *)&seg->dst) ==
	    addr_port((const struct sockaddr *)&lab->server_addr);
	s->flags = seg->flags;
	s->seq = seg->seq;
	s->ack = seg->ack;
	s->len = seg->len;
	s->win = seg->win;
	s->urp = seg->urp;
	s->mss = seg->mss;
	s->wscale = seg->wscale;
	s->sack_ok = seg->sack_ok;
	s->ts = seg->ts;
	s->mark = LAB_WIRE_EXTRA;
	s->expected = ULONG_MAX;
	lab->nwsegs++;
	lab_changed(lab);
}

char *
lab_wire_text(const struct lab_wire_seg *s, char *buf, size_t len)
{
	char f[48];

	snprintf(buf, len, "%s seq=%lu ack=%lu len=%lu win=%lu",
	    wire_flags_name(s->flags, f, sizeof f), (unsigned long)s->seq,
	    (unsigned long)s->ack, (unsigned long)s->len, s->win);
	return buf;
}

char *
lab_wire_label(const struct lab_wire_seg *s, char *buf, size_t len)
{
	char f[48];

	wire_flags_name(s->flags, f, sizeof f);
	if (s->len > 0)
		snprintf(buf, len, "%s %lu", f, (unsigned long)s->len);
	else
		snprintf(buf, len, "%s", f);
	return buf;
}

const char *
lab_wire_note_name(enum lab_wire_note note)
{
	(void)note;
	return "";
}

const char *
lab_wire_where_text(const struct lab *lab)
{
	return lab->wire_why;
}
