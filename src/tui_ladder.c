/*
 * tui_ladder.c - the segments under the panes: the ladder (what each step
 * is expected to put on the wire, from the model's explain_segments) and
 * the Wire view (what the capture really saw, lab_wire.c), each an arrow
 * between the Client's rail on the left and the Server's on the right,
 * time going down. Apart from tui_screen.c, which places the views, so
 * that the drawing of one arrow and its words lives in one file.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "bind.h"
#include "lab.h"
#include "lab_wire.h"
#include "tui_draw.h"
#include "tui_ladder.h"

/* "5/4": segments out and in from TCP_INFO, "-" without a socket. */
void
tui_ladder_segs(const struct lab_sock *p, char *buf, size_t len)
{
	if (p->view.tcp_state == -1 || p->view.segs_out < 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%ld/%ld", p->view.segs_out,
		    p->view.segs_in);
}

/*
 * The ladder: the segments the latest steps are expected to put on the
 * wire, client on the left, server on the right, time going down; and the
 * kernel's own segment counts (TCP_INFO) to check the drawing against.
 */
void
tui_ladder_draw(struct tui *t, int y, int x, int rows, int width)
{
	const struct lab *lab = t->lab;
	const struct lab_sock *c = lab_sel(lab, LAB_CLIENT);
	const struct lab_sock *s = lab_sel(lab, LAB_SEND);
	const struct lab_seg *g, *prev;
	char line[160], a[24], b[24];
	unsigned long first, n;
	int row, pad, len, i;
	/* Between the rails: the client's left of it, the server's right. */
	int inner = width - TUI_LADDER_KEY_W - 2 * TUI_BORDER;

	tui_ladder_segs(c, a, sizeof a);
	tui_ladder_segs(s, b, sizeof b);
	/* Short of rows, the counts go in the rule above (tui_ladder_view). */
	if (rows >= TUI_LADDER_COUNTS_ROWS) {
		pad = width - TUI_LADDER_HEAD_W - (int)strlen(a) -
		    (int)strlen(b);
		snprintf(line, sizeof line, "Client segs out/in %s%*s%s "
		    "Server-Send", a, pad > 0 ? pad : 1, "", b);
		attron(A_BOLD);
		mvaddnstr(y++, x, line, width);
		attroff(A_BOLD);
		rows--;
	}
	if (lab->nsegs == 0) {
		mvaddnstr(y, x, "no segment yet: socket, bind, listen and "
		    "accept put nothing on the wire", width);
		return;
	}
	first = lab->nsegs > (unsigned long)rows ? lab->nsegs - rows : 0;
	if (lab->nsegs - first > LAB_SEGS)
		first = lab->nsegs - LAB_SEGS;
	for (n = first, row = y; n < lab->nsegs; n++, row++) {
		g = lab_seg(lab, n);
		/*
		 * The key labels the first segment of its step only; a step
		 * whose first segments scrolled off shows none, so a label
		 * never sits on the other side's reply.
		 */
		prev = n > 0 ? lab_seg(lab, n - 1) : NULL;
		mvprintw(row, x, "%-*s", TUI_LADDER_KEY_W, n == 0 ||
		    (prev != NULL && prev->step != g->step) ?
		    bind_op_name(g->op) : "");
		addch(t->ascii ? '|' : ACS_VLINE);
		/* The label, a space either side, centred on the arrow. */
		len = (int)strlen(g->seg.label);
		pad = (inner - len - 2) / 2;
		if (pad < 1)
			pad = 1;
		addch(g->seg.to_server ? (t->ascii ? '-' : ACS_HLINE) :
		    (t->ascii ? '<' : ACS_LARROW));
		for (i = 1; i < pad; i++)
			addch(t->ascii ? '-' : ACS_HLINE);
		printw(" %.*s ", inner - 4, g->seg.label);
		for (i = pad + len + 2; i < inner - 1; i++)
			addch(t->ascii ? '-' : ACS_HLINE);
		addch(g->seg.to_server ? (t->ascii ? '>' : ACS_RARROW) :
		    (t->ascii ? '-' : ACS_HLINE));
		addch(t->ascii ? '|' : ACS_VLINE);
	}
}

/*
 * One row of the Wire view: a captured segment and the expected one it
 * matched or took the place of (NULL: nothing expected it), or an
 * expected segment never seen on the wire (w NULL).
 */
struct tui_wire_row {
	const struct lab_wire_seg *w;
	const struct lab_seg	*e;
};

/* Rows the Wire view can have: every kept segment, captured or expected. */
#define TUI_WIRE_ROWS	(LAB_WIRE_SEGS + LAB_SEGS)

/*
 * The Wire view's rows, oldest first: the captured segments in the order
 * they came, each expected segment never matched placed before the first
 * captured one that matched a later expected segment (the ladder's order
 * is the steps'), the rest of them at the end. Returns how many.
 */
static size_t
tui_ladder_wire_rows(const struct lab *lab, struct tui_wire_row *rows)
{
	const struct lab_wire_seg *w;
	const struct lab_seg *e;
	unsigned long n, next;
	size_t k = 0;

	next = lab->nsegs > LAB_SEGS ? lab->nsegs - LAB_SEGS : 0;
	n = lab->nwsegs > LAB_WIRE_SEGS ? lab->nwsegs - LAB_WIRE_SEGS : 0;
	for (; n <= lab->nwsegs; n++) {
		w = n < lab->nwsegs ? lab_wire_seg(lab, n) : NULL;
		if (n < lab->nwsegs && (w == NULL ||
		    w->expected == ULONG_MAX)) {
			if (w != NULL)
				rows[k++] = (struct tui_wire_row){ w, NULL };
			continue;
		}
		/* The expected ones before it (all of them, at the end). */
		for (; next < lab->nsegs && (w == NULL || next < w->expected);
		    next++)
			if ((e = lab_seg(lab, next)) != NULL &&
			    e->wire == ULONG_MAX)
				rows[k++] = (struct tui_wire_row){ NULL, e };
		if (w == NULL)
			break;
		if (next == w->expected)
			next++;
		rows[k++] = (struct tui_wire_row){ w, lab_seg(lab,
		    w->expected) };
	}
	return k;
}

/* Whether row r is of the same step or notification as row p. */
static int
tui_ladder_wire_same(const struct tui_wire_row *p, const struct tui_wire_row *r)
{
	if (p->w != NULL && r->w != NULL)
		return p->w->group == r->w->group;
	if (p->e != NULL && r->e != NULL)
		return p->e->step == r->e->step;
	return 0;
}

/* What the cause column says of a row: "4", "client OnReceive". */
static const char *
tui_ladder_wire_cause(const struct tui_wire_row *r)
{
	return r->w != NULL ? r->w->cause : bind_op_name(r->e->op);
}

/* "+41us", "+12.3ms", "+2.5s": the time since the row's cause. */
static const char *
tui_ladder_usec(long usec, char *buf, size_t len)
{
	if (usec < 0)
		snprintf(buf, len, "?");
	else if (usec < 1000)
		snprintf(buf, len, "+%ldus", usec);
	else if (usec < 1000000)
		snprintf(buf, len, "+%ld.%ldms", usec / 1000,
		    usec % 1000 / 100);
	else if (usec < 1000000000)
		snprintf(buf, len, "+%ld.%lds", usec / 1000000,
		    usec % 1000000 / 100000);
	else
		snprintf(buf, len, "+%lds", usec / 1000000);
	return buf;
}

/*
 * Append word to buf (used columns of len) after sep when it fits whole:
 * a number or a word is never cut ("430" for 43061 would lie). Returns
 * whether it did.
 */
static int
tui_ladder_add(char *buf, size_t len, size_t *used, const char *sep,
    const char *word)
{
	size_t n = strlen(sep) + strlen(word);

	if (word[0] == '\0' || *used + n >= len)
		return 0;
	*used += (size_t)snprintf(buf + *used, len - *used, "%s%s", sep, word);
	return 1;
}

/*
 * The words on a captured segment's arrow, in at most room columns: its
 * label ("PSH, ACK 13") or nothing when even that does not fit whole,
 * then, within more (columns), what the Explain area said of it ("RST,
 * not FIN"), the urgent pointer, and as many whole numbers as fit. What
 * the label says already (the flags, the length, "win 0") is not said
 * again. Numbers and flags only: no payload byte is ever shown here.
 */
static const char *
tui_ladder_wire_words(const struct lab_wire_seg *w, int room, int more,
    char *buf, size_t len)
{
	char label[64], word[10][32];
	const char *sep = "  ";
	size_t used = 0, n = 0, i;

	if (len == 0)
		return "";
	buf[0] = '\0';
	if (room < 1)
		return buf;
	if (len > (size_t)room + 1)
		len = (size_t)room + 1;		/* room columns and the NUL */
	if (!tui_ladder_add(buf, len, &used, "", lab_wire_label(w, label,
	    sizeof label)))
		return buf;
	if (more < room)
		len = more > 0 ? (size_t)more + 1 : 1;
	tui_ladder_add(buf, len, &used, sep, lab_wire_note_name(w->note));
	if (w->flags & WIRE_URG)
		snprintf(word[n++], sizeof word[0], "urp=%u", w->urp);
	snprintf(word[n++], sizeof word[0], "seq=%lu", (unsigned long)w->seq);
	snprintf(word[n++], sizeof word[0], "ack=%lu", (unsigned long)w->ack);
	if (w->len == 0)
		snprintf(word[n++], sizeof word[0], "len=0");
	if (w->win != 0 || (w->flags & WIRE_RST))
		snprintf(word[n++], sizeof word[0], "win=%lu", w->win);
	if (w->mss >= 0 && (w->flags & WIRE_SYN))
		snprintf(word[n++], sizeof word[0], "mss=%d", w->mss);
	if (w->wscale >= 0 && (w->flags & WIRE_SYN))
		snprintf(word[n++], sizeof word[0], "ws=%d", w->wscale);
	if (w->sack_ok)
		snprintf(word[n++], sizeof word[0], "sack");
	if (w->ts)
		snprintf(word[n++], sizeof word[0], "ts");
	/* In order; the first that does not fit whole ends them. */
	for (i = 0; i < n && tui_ladder_add(buf, len, &used, sep, word[i]); i++)
		sep = " ";
	return buf;
}

/*
 * A summed entry (a flood): one line between the rails, no arrow, as
 * many of its phrases as fit whole.
 */
static const char *
tui_ladder_summed_words(const struct lab_wire_seg *w, int room, char *buf,
    size_t len)
{
	char part[3][48];
	size_t used = 0, i;

	if (len == 0)
		return "";
	buf[0] = '\0';
	if (room < 1)
		return buf;
	if (len > (size_t)room + 1)
		len = (size_t)room + 1;
	snprintf(part[0], sizeof part[0], "%lu segments", w->summed);
	snprintf(part[1], sizeof part[1], "%llu bytes", w->summed_bytes);
	snprintf(part[2], sizeof part[2], "not shown one by one");
	for (i = 0; i < 3 && tui_ladder_add(buf, len, &used, i > 0 ? ", " :
	    "", part[i]); i++)
		;
	return buf;
}

/*
 * A ladder arrow from x: the client's rail, inner columns, the server's
 * rail; the words centred on it with a space either side. Without line
 * (a segment never seen) the words stand alone between the rails.
 */
static void
tui_ladder_arrow(struct tui *t, int row, int x, int inner, int to_server,
    int line, const char *words)
{
	chtype h = line ? (t->ascii ? '-' : ACS_HLINE) : ' ';
	int len = (int)strlen(words), pad, i;

	mvaddch(row, x, t->ascii ? '|' : ACS_VLINE);
	if (inner >= 2) {
		/* Words too long for it are left out whole, never cut. */
		if (len > inner - 4)
			len = 0;
		pad = (inner - len - 2) / 2;
		if (pad < 1)
			pad = 1;
		addch(!line ? ' ' : to_server ? h : t->ascii ? '<' :
		    ACS_LARROW);
		for (i = 1; i < pad; i++)
			addch(h);
		if (len > 0)
			printw(" %.*s ", len, words);
		for (i = pad + (len > 0 ? len + 2 : 0); i < inner - 1; i++)
			addch(h);
		addch(!line ? ' ' : to_server ? (t->ascii ? '>' :
		    ACS_RARROW) : h);
	}
	mvaddch(row, x + 1 + (inner > 0 ? inner : 0), t->ascii ? '|' :
	    ACS_VLINE);
}

/*
 * A cause in cw columns: whole when it fits, else its last word (the
 * notification, "OnReceive"), else nothing: a word is never cut.
 */
static const char *
tui_ladder_wire_fit(const char *cause, int cw)
{
	const char *last = strrchr(cause, ' ');

	if ((int)strlen(cause) <= cw)
		return cause;
	last = last != NULL ? last + 1 : cause;
	return (int)strlen(last) <= cw ? last : "";
}

/*
 * The columns of rows first to last: the cause's (the longest cause
 * shown, whole within a quarter of the width or else its last word,
 * at least a key's, at most TUI_WIRE_CAUSE_W and a third of the width)
 * and the time's (the longest time shown).
 */
static void
tui_ladder_wire_cols(const struct tui_wire_row *rows, size_t first,
    size_t last, int width, int *cw, int *tw)
{
	const char *c, *l;
	char when[32];
	size_t i;
	int n, cap = TUI_WIRE_CAUSE_W;

	if (cap > width / 3)
		cap = width / 3 > 0 ? width / 3 : 1;
	*cw = TUI_LADDER_KEY_W - 1;
	*tw = 0;
	for (i = first; i < last; i++) {
		c = tui_ladder_wire_cause(&rows[i]);
		l = strrchr(c, ' ');
		n = (int)strlen((int)strlen(c) <= width / 4 || l == NULL ? c :
		    l + 1);
		if (n > *cw && n <= cap)
			*cw = n;
		if (rows[i].w != NULL && rows[i].w->summed == 0 &&
		    (n = (int)strlen(tui_ladder_usec(rows[i].w->usec, when,
		    sizeof when))) > *tw)
			*tw = n < TUI_WIRE_TIME_W ? n : TUI_WIRE_TIME_W;
	}
}

/*
 * One Wire row from x in width columns: the cause (when cause is set),
 * the arrow with the segment's words, the mark and the time since its
 * cause (in tw columns). The words give way first, whole, down to an
 * arrow of TUI_WIRE_ARROW_MIN columns; then the time. A segment never
 * seen: "SYN, ACK not seen" between the rails, marked -. A summed entry
 * (a flood): its count between the rails, no arrow, mark or time.
 */
static void
tui_ladder_wire_row(struct tui *t, const struct tui_wire_row *r, int cause,
    int row, int x, int width, int cw, int tw)
{
	static const char marks[] = { '=', '!', '+' };
	char words[200], when[32];
	int inner;

	/*
	 * cause, space, rail, arrow, rail, space, mark, space, time: the
	 * time in a column of its own width where the arrow has room to
	 * spare (rows do not shift as times change), else in tw.
	 */
	inner = width - cw - 1 - 2 * TUI_BORDER - 2 - 1 - TUI_WIRE_TIME_W;
	if (inner >= TUI_WIRE_ARROW_ROOM)
		tw = TUI_WIRE_TIME_W;
	else
		inner = width - cw - 1 - 2 * TUI_BORDER - 2 - (tw > 0 ? 1 +
		    tw : 0);
	if (inner < TUI_WIRE_ARROW_MIN) {
		tw = 0;		/* the time goes last */
		inner = width - cw - 1 - 2 * TUI_BORDER - 2;
	}
	if (inner < 1)
		return;
	mvprintw(row, x, "%-*.*s ", cw, cw, cause ?
	    tui_ladder_wire_fit(tui_ladder_wire_cause(r), cw) : "");
	if (r->w != NULL && r->w->summed > 0) {
		tui_ladder_summed_words(r->w, inner - 4, words, sizeof words);
		tui_ladder_arrow(t, row, x + cw + 1, inner, 1, 0, words);
	} else if (r->w != NULL) {
		/* A line either side of the extra words, so the arrow reads. */
		tui_ladder_wire_words(r->w, inner - 4, inner - 6, words,
		    sizeof words);
		tui_ladder_arrow(t, row, x + cw + 1, inner, r->w->to_server, 1,
		    words);
		printw(" %c", r->w->mark < sizeof marks ? marks[r->w->mark] :
		    '?');
		if (tw > 0)
			printw(" %*.*s", tw, tw, tui_ladder_usec(r->w->usec,
			    when, sizeof when));
	} else {
		snprintf(words, sizeof words, "%s not seen", r->e->seg.label);
		if ((int)strlen(words) > inner - 4)
			snprintf(words, sizeof words, "%s", r->e->seg.label);
		tui_ladder_arrow(t, row, x + cw + 1, inner,
		    r->e->seg.to_server, 0, words);
		printw(" -");
	}
}

/*
 * The expected segment of row r as the ladder draws it, from x in width
 * columns (key column and rails included); key says whether the row
 * starts its step. Rails only when nothing expected the segment.
 */
static void
tui_ladder_expected_row(struct tui *t, const struct tui_wire_row *r, int key,
    int row, int x, int width)
{
	int inner = width - TUI_LADDER_KEY_W - 2 * TUI_BORDER;

	mvprintw(row, x, "%-*s", TUI_LADDER_KEY_W, key && r->e != NULL ?
	    bind_op_name(r->e->op) : "");
	tui_ladder_arrow(t, row, x + TUI_LADDER_KEY_W, inner, r->e != NULL ?
	    r->e->seg.to_server : 1, r->e != NULL, r->e != NULL ?
	    r->e->seg.label : "");
}

/* Without capture: why, in the view's rows (lab->wire_why). */
static void
tui_ladder_wire_why(struct tui *t, int y, int x, int rows, int width)
{
	const struct lab *lab = t->lab;
	const char *why = lab->wire_why;
	char line[sizeof lab->wire_why + 16], more[32];

	if (why[0] == '\0' && lab->wire_where == LAB_WIRE_OFF)
		snprintf(line, sizeof line, "--no-wire: nothing is captured; "
		    "the Ladder shows what each step should send");
	else
		snprintf(line, sizeof line, "%s%s", strncmp(why, "no capture",
		    10) == 0 ? "" : "no capture: ", why[0] != '\0' ? why :
		    "the capture could not start");
	tui_draw_text(y, x, width, 0, rows, line, tui_draw_more(t, "E", more,
	    sizeof more));
}

/*
 * The line over the Wire rows on tall screens, in width columns: with
 * pair, "Expected" over the ladder's part and "Captured" over the wire's;
 * then which rail is which (a tiny ladder: the client's on the left) and
 * what each mark means, as many of them as fit whole.
 */
static void
tui_ladder_wire_head(struct tui *t, int pair, int ew, int width, char *buf,
    size_t len)
{
	const char *rails = t->ascii ? "Client|->|Server" :
	    "Client\u2502\u2500\u2192\u2502Server";
	const char *part[] = { rails, "= match", "! differs", "+ extra",
	    "- not seen", rails };
	size_t i, used;

	/* Beside the ladder the rails speak for themselves: marks first. */
	snprintf(buf, len, "%-*s%s", pair ? ew : 0, pair ? "Expected" : "",
	    pair ? "Captured" : "");
	for (i = pair ? 1 : 0; i < sizeof part / sizeof part[0] - !pair; i++) {
		used = strlen(buf);
		snprintf(buf + used, len - used, "%s%s", used == 0 ? "" :
		    i <= 1 || i == 5 ? "  " : " ", part[i]);
		if (tui_draw_cols(buf) > width) {
			buf[used] = '\0';
			break;
		}
	}
}

/*
 * The Wire view: the captured segments, newest at the bottom, each an
 * arrow between the Client's rail and the Server's with its flags,
 * length and numbers, under the key or notification it followed; marked
 * = as expected, ! unlike the expected one in its place, + unexpected,
 * and - for an expected segment never seen. With pair, each row has
 * the expected segment at its left, as the ladder draws it: expected
 * beside real. Scrolled back by t->wscroll rows.
 */
void
tui_ladder_wire(struct tui *t, int y, int x, int rows, int width, int pair,
    int head)
{
	const struct lab *lab = t->lab;
	static struct tui_wire_row wr[TUI_WIRE_ROWS];
	size_t n, first, last, i;
	unsigned long ever;	/* rows ever, those dropped from the ring too */
	int cw, tw, ew = pair ? TUI_WIRE_EXPECTED_W + TUI_WIRE_GAP : 0, row;
	char line[200];

	if (rows < 1)
		return;
	if (lab->wire == NULL) {
		tui_ladder_wire_why(t, y, x, rows, width);
		return;
	}
	if (head && rows >= TUI_LADDER_COUNTS_ROWS) {
		tui_ladder_wire_head(t, pair, ew, width, line, sizeof line);
		attron(A_BOLD);
		mvaddstr(y++, x, line);
		attroff(A_BOLD);
		rows--;
	}
	n = tui_ladder_wire_rows(lab, wr);
	/*
	 * Scrolled back, the rows shown hold still while new ones arrive
	 * below: the scroll grows by what came since the last frame.
	 */
	ever = n + (lab->nwsegs > LAB_WIRE_SEGS ? lab->nwsegs -
	    LAB_WIRE_SEGS : 0);
	if (t->wscroll > 0 && ever > t->wseen)
		t->wscroll += ever - t->wseen;
	t->wseen = ever;
	t->wpage = (unsigned long)rows;
	if (n == 0) {
		/* What the title's "private network" means, while there is room. */
		tui_draw_text(y, x, width, 0, rows, lab->wire_where ==
		    LAB_WIRE_PRIVATE ? "nothing captured yet: socket, bind, "
		    "listen and accept put nothing on the wire. Private "
		    "network: this lab's sockets live in a network namespace "
		    "of their own; ss and nc in other windows cannot see "
		    "them." : "nothing captured yet: socket, bind, listen and "
		    "accept put nothing on the wire", NULL);
		return;
	}
	if (t->wscroll > n - 1)
		t->wscroll = n - 1;
	if (n - t->wscroll < (size_t)rows)
		t->wscroll = n > (size_t)rows ? n - (size_t)rows : 0;
	last = n - t->wscroll;
	first = last > (size_t)rows ? last - (size_t)rows : 0;
	tui_ladder_wire_cols(wr, first, last, width - ew, &cw, &tw);
	for (i = first, row = y; i < last; i++, row++) {
		/*
		 * As on the ladder, a label only on its group's first row: a
		 * group whose first rows scrolled off shows none.
		 */
		if (pair)
			tui_ladder_expected_row(t, &wr[i], i == 0 ||
			    wr[i - 1].e == NULL || wr[i].e == NULL ||
			    wr[i - 1].e->step != wr[i].e->step, row, x,
			    TUI_WIRE_EXPECTED_W);
		tui_ladder_wire_row(t, &wr[i], i == 0 ||
		    !tui_ladder_wire_same(&wr[i - 1], &wr[i]), row, x + ew,
		    width - ew, cw, tw);
	}
}
