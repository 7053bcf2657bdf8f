/*
 * tui_screen.c - what each screen shows, and where.
 *
 * The main screen, from the top: the title, the panes, the Received line,
 * the last step's result, the views under the panes (Explain, the ladder,
 * the Events), the lesson's instruction in guided mode, the legend. Then
 * the screens that replace it until a key is pressed: help (?), the
 * errors explained (i), the last step in full (E), and the one that asks
 * for a larger terminal. tui_screen_draw picks one; tui.c calls it once a
 * frame. Network bytes are shown only escaped (escape.c).
 */
#include <stdio.h>
#include <string.h>

#include "bind.h"
#include "escape.h"
#include "explain.h"
#include "guide.h"
#include "lab.h"
#include "tui_draw.h"
#include "tui_ladder.h"
#include "tui_legend.h"
#include "tui_screen.h"

/* Rows transcript line l takes in the Events: its text wraps after the stamp. */
static int
tui_screen_event_rows(const struct lab_line *l, int width)
{
	return tui_draw_text(0, 0, width - TUI_STAMP_W, 0, 0, l->text, NULL);
}

/*
 * Keep scroll (lines back from the newest) within the transcript, and no
 * further back than a full view of rows starting at the oldest line.
 * Returns the oldest line kept.
 */
static unsigned long
tui_screen_events_clamp(const struct lab *lab, unsigned long *scroll,
    int rows, int width)
{
	const struct lab_line *l;
	unsigned long kept, n, oldest;
	int used;

	kept = lab->nlines < LAB_TRANSCRIPT ? lab->nlines : LAB_TRANSCRIPT;
	oldest = lab->nlines - kept;
	if (*scroll >= kept)
		*scroll = kept > 0 ? kept - 1 : 0;
	for (used = 0, n = oldest; n < lab->nlines && *scroll > 0; n++) {
		if ((l = lab_line(lab, n)) == NULL)
			continue;
		used += tui_screen_event_rows(l, width);
		if (used > rows)
			break;
		if (lab->nlines - n - 1 < *scroll)
			*scroll = lab->nlines - n - 1;
	}
	return oldest;
}

/*
 * PgUp's and PgDn's page of the Events, in lines, worked out when the key
 * runs from the scroll of now and the Events' rows and width as last laid
 * out: PgUp's is the lines shown, so the page before ends where this one
 * begins; PgDn's the newer lines that fit after the newest shown, so the
 * next page starts where this one ends. Keys faster than frames move by
 * whole pages all the same, and no line is skipped either way.
 */
unsigned long
tui_screen_events_page(struct tui *t, int down)
{
	const struct lab *lab = t->lab;
	const struct lab_line *l;
	unsigned long oldest, last, n, page = 0;
	int used, need, rows = t->erows, width = t->ewidth;

	if (rows < 1)
		return 1;		/* not laid out yet */
	oldest = tui_screen_events_clamp(lab, &t->scroll, rows, width);
	last = lab->nlines - t->scroll;		/* one past the newest shown */
	if (down) {
		for (used = 0, n = last; n < lab->nlines; n++) {
			if ((l = lab_line(lab, n)) == NULL)
				continue;
			used += tui_screen_event_rows(l, width);
			if (used > rows && page > 0)
				break;
			page++;
		}
	} else {
		for (used = 0, n = last; n > oldest && used < rows; n--) {
			if ((l = lab_line(lab, n - 1)) == NULL)
				break;
			need = tui_screen_event_rows(l, width);
			if (used + need > rows && used > 0)
				break;
			used += need;
			page++;
		}
	}
	return page > 0 ? page : 1;
}

/*
 * The newest transcript lines that fit rows, scrolled back by t->scroll
 * lines. A line too long for the row wraps under its own text, after the
 * stamp, so its end (the notification it led to) stays in view; a line
 * that does not fit whole is left out rather than cut.
 */
static void
tui_screen_events(struct tui *t, int y, int x, int rows, int width)
{
	const struct lab *lab = t->lab;
	const struct lab_line *l;
	unsigned long last, n, oldest;
	char stamp[32], more[32];
	int used, need;

	oldest = tui_screen_events_clamp(lab, &t->scroll, rows, width);
	last = lab->nlines - t->scroll;		/* one past the newest shown */
	for (used = 0, n = last; n > oldest && used < rows; n--) {
		if ((l = lab_line(lab, n - 1)) == NULL)
			break;
		need = tui_screen_event_rows(l, width);
		if (used + need > rows) {
			if (used > 0)
				break;
			need = rows;	/* even the newest does not fit */
		}
		mvaddstr(y + rows - used - need, x, lab_stamp(&l->tv, stamp,
		    sizeof stamp));
		tui_draw_text(y + rows - used - need, x + TUI_STAMP_W,
		    width - TUI_STAMP_W, 0, need, l->text, tui_draw_more(t,
		    "E", more, sizeof more));
		used += need;
	}
}

/* The Explain text: the step's own paragraph, then its notifications'. */
static const char *
tui_screen_explain_text(struct tui *t)
{
	return t->lab->explain[0] != '\0' ? t->lab->explain : "Each step "
	    "and notification is explained here: what happened in the "
	    "kernel, and why each counter moved or did not.";
}

/*
 * The Explain text from its top, skip rows scrolled down (PgDn): what
 * the step did comes first, then what each notification it caused
 * meant. Wrapped between words; when it goes on past the last row, that
 * row says so and names E, the page that shows it all. Returns the rows
 * the whole text needs.
 */
static int
tui_screen_explain(struct tui *t, int y, int x, int rows, int width, int skip)
{
	char more[32];

	return tui_draw_text(y, x, width, skip, rows,
	    tui_screen_explain_text(t), tui_draw_more(t, "E", more,
	    sizeof more));
}

static const char *tui_screen_view_names[TUI_VIEWS] = {
	"Explain", "Ladder: expected segments", "Wire: captured segments",
	"Events"
};

/*
 * The Wire view's rule: which rail is which (the client's on the left,
 * as a tiny ladder) and what the marks mean, in the widest wording that
 * fits; scrolled back, that it is, instead of the marks.
 */
static void
tui_screen_wire_rule(struct tui *t, char *label, size_t len)
{
	const char *rails = t->ascii ? "Client|->|Server" :
	    "Client\u2502\u2500\u2192\u2502Server";
	const char *marks = "= match ! differs + extra - not seen";
	const char *head[] = { " Wire: captured segments", " Wire" };
	size_t i;

	for (i = 0; i < sizeof head / sizeof head[0]; i++) {
		if (t->wscroll > 0)
			snprintf(label, len, " Wire, scrolled back: PgDn for "
			    "the newest  %s  (v: %s) ", rails,
			    tui_screen_view_names[TUI_VIEW_EVENTS]);
		else
			snprintf(label, len, "%s  %s  %s  (v: %s) ", head[i],
			    rails, marks,
			    tui_screen_view_names[TUI_VIEW_EVENTS]);
		if (tui_draw_cols(label) <= COLS - 2 * TUI_RULE_INDENT)
			return;
	}
}

/* A short screen: one view, named in a rule above it (v: the next). */
static void
tui_screen_view(struct tui *t, int y, int rows)
{
	char label[128], a[24], b[24];
	const char *hint;
	int need, max;

	snprintf(label, sizeof label, " %s  (v: %s) ",
	    tui_screen_view_names[t->view],
	    tui_screen_view_names[(t->view + 1) % TUI_VIEWS]);
	/* Scrolled back, the view says so: new lines are not showing. */
	if (t->view == TUI_VIEW_EVENTS && t->scroll > 0)
		snprintf(label, sizeof label, " Events, scrolled back: PgDn "
		    "for the newest  (v: %s) ",
		    tui_screen_view_names[TUI_VIEW_EXPLAIN]);
	if (t->view == TUI_VIEW_WIRE && t->lab->wire != NULL)
		tui_screen_wire_rule(t, label, sizeof label);
	if (t->view == TUI_VIEW_LADDER && rows - 1 < TUI_LADDER_COUNTS_ROWS) {
		tui_ladder_segs(lab_sel(t->lab, LAB_CLIENT), a, sizeof a);
		tui_ladder_segs(lab_sel(t->lab, LAB_SEND), b, sizeof b);
		snprintf(label, sizeof label, " Ladder  TCP_INFO segs out/in: "
		    "Client %s, Server-Send %s  (v: Wire) ", a, b);
	}
	mvhline(y, 0, t->ascii ? '-' : ACS_HLINE, COLS);
	attron(A_BOLD);
	/* addnstr counts bytes: a label that fits goes whole. */
	mvaddnstr(y, TUI_RULE_INDENT, label, tui_draw_cols(label) <= COLS - 2 *
	    TUI_RULE_INDENT ? -1 : COLS - 2 * TUI_RULE_INDENT);
	attroff(A_BOLD);
	if (t->view == TUI_VIEW_EXPLAIN) {
		/* From the top, the step's own paragraph first; PgDn goes on. */
		need = tui_screen_explain(t, y + 1, TUI_MARGIN, 0, TUI_LINE_W,
		    0);
		max = need > rows - 1 ? need - (rows - 1) : 0;
		t->exrows = rows - 1;
		if (t->escroll > max)
			t->escroll = max;
		tui_screen_explain(t, y + 1, TUI_MARGIN, rows - 1, TUI_LINE_W,
		    t->escroll);
		/* At the rule's right end, before its last character. */
		hint = t->escroll < max ? " PgDn more " : t->escroll > 0 ?
		    " PgUp back " : NULL;
		if (hint != NULL)
			mvaddstr(y, COLS - TUI_MARGIN - (int)strlen(hint),
			    hint);
	} else if (t->view == TUI_VIEW_LADDER)
		tui_ladder_draw(t, y + 1, TUI_MARGIN, rows - 1, TUI_LINE_W);
	else if (t->view == TUI_VIEW_WIRE)
		tui_ladder_wire(t, y + 1, TUI_MARGIN, rows - 1, TUI_LINE_W, 0,
		    0);
	else
		tui_screen_events(t, y + 1, TUI_MARGIN, rows - 1, TUI_LINE_W);
	/* Where the Events go when shown: PgUp's page (any view's frame). */
	t->erows = rows - 1;
	t->ewidth = TUI_LINE_W;
}

/*
 * A tall screen: Explain and the ladder side by side, Events below. With
 * a capture the ladder box sets the captured segments beside the
 * expected ones, widened for them while Explain keeps
 * TUI_EXPLAIN_MIN_FIFTHS of the width; narrower than TUI_WIRE_PAIR_W it
 * shows the Wire view alone (its "not seen" rows stand for the expected
 * segments the wire lacks).
 */
static void
tui_screen_views(struct tui *t, int y, int rows)
{
	int top = rows >= TUI_VIEWS_SPLIT ? rows / 2 + 1 : rows;
	int left = COLS * TUI_EXPLAIN_FIFTHS / 5, in = 2 * TUI_BORDER;
	int wire = t->lab->wire != NULL, pair;

	if (wire && COLS - left - in < TUI_WIRE_PAIR_W &&
	    COLS - TUI_WIRE_PAIR_W - in >= COLS * TUI_EXPLAIN_MIN_FIFTHS / 5)
		left = COLS - TUI_WIRE_PAIR_W - in;
	pair = wire && COLS - left - in >= TUI_WIRE_PAIR_W;
	/* Each view inside its box: TUI_BORDER in from each side. */
	tui_draw_box(t, y, 0, top, left,
	    tui_screen_view_names[TUI_VIEW_EXPLAIN]);
	/* From the top, as on small screens; E shows what does not fit. */
	tui_screen_explain(t, y + TUI_BORDER, TUI_BORDER, top - in, left - in,
	    0);
	tui_draw_box(t, y, left, top, COLS - left, pair ?
	    "Ladder: expected, and captured on the wire" : wire ?
	    tui_screen_view_names[TUI_VIEW_WIRE] : "Ladder");
	if (wire)
		tui_ladder_wire(t, y + TUI_BORDER, left + TUI_BORDER, top - in,
		    COLS - left - in, pair, 1);
	else
		tui_ladder_draw(t, y + TUI_BORDER, left + TUI_BORDER,
		    top - in, COLS - left - in);
	/* The Events box, when it has a row inside its borders. */
	if (rows - top >= 1 + in) {
		tui_draw_box(t, y + top, 0, rows - top, COLS, t->scroll > 0 ?
		    "Events (scrolled: PgDn)" : "Events");
		tui_screen_events(t, y + top + TUI_BORDER, TUI_BORDER,
		    rows - top - in, COLS - in);
		t->erows = rows - top - in;
		t->ewidth = COLS - in;
	} else
		t->erows = 0;		/* no Events box at this size */
}

/*
 * The title bar: the role and where the server is. The addresses students
 * type are never cut: when they do not fit the bar beside the modes, the
 * bar says where to look and they get rows of their own under it, split
 * between addresses. Returns the rows used under the bar.
 */
static int
tui_screen_title(struct tui *t, const char *modes)
{
	const struct lab *lab = t->lab;
	const char *head, *where;
	char bar[400], more[32];
	int room = tui_draw_bar_room(modes), need;

	switch (lab->cfg.role) {
	case LAB_ROLE_SERVER:
		head = lab->have_server_addr ? "tcpstep -s  reachable at" :
		    "tcpstep -s  will listen on";
		where = lab->have_server_addr ? lab->reachable : t->bind_text;
		break;
	case LAB_ROLE_CLIENT:
		head = "tcpstep -c  server";
		where = lab->resolved;
		break;
	default:
		head = "tcpstep  server";
		where = lab->have_server_addr ? lab->reachable : t->bind_text;
		break;
	}
	snprintf(bar, sizeof bar, "%s %s", head, where);
	if ((int)strlen(bar) <= room) {
		tui_draw_bar(t, 0, bar, modes);
		return 0;
	}
	snprintf(bar, sizeof bar, "%s:", head);
	tui_draw_bar(t, 0, bar, modes);
	attron(A_BOLD);
	need = tui_draw_text(1, TUI_MARGIN, TUI_LINE_W, 0, TUI_TITLE_ROWS,
	    where, tui_draw_more(t, "E", more, sizeof more));
	attroff(A_BOLD);
	return need < TUI_TITLE_ROWS ? need : TUI_TITLE_ROWS;
}

/*
 * `13 bytes "..."`: n bytes escaped (never raw), shortened inside the
 * quotes when they need more than room columns, so the count and the
 * closing quote always show.
 */
static void
tui_screen_quoted(struct tui *t, const unsigned char *data, size_t n, int room,
    char *out, size_t len)
{
	char esc[512], count[32];
	const char *dots = t->ascii ? "..." : "\u2026";
	int fixed, avail;

	if (room > (int)len - 1)
		room = (int)len - 1;
	snprintf(count, sizeof count, "%zu byte%s \"", n, n == 1 ? "" : "s");
	fixed = (int)strlen(count) + 1;
	if (escape_bytes(data, n, esc, sizeof esc) == n &&
	    fixed + (int)strlen(esc) <= room) {
		snprintf(out, len, "%s%s\"", count, esc);
		return;
	}
	avail = room - fixed - tui_draw_cols(dots);
	escape_bytes(data, n, esc, avail > 0 && (size_t)avail < sizeof esc ?
	    (size_t)avail + 1 : avail > 0 ? sizeof esc : 1);
	snprintf(out, len, "%s%s%s\"", count, esc, dots);
}

/*
 * What the selected client and connection last read, escaped, in room
 * columns: each part shortened inside its quotes rather than cut.
 */
static void
tui_screen_received(struct tui *t, int room, char *line, size_t len)
{
	const struct lab *lab = t->lab;
	const struct lab_sock *c = lab_sel(lab, LAB_CLIENT);
	const struct lab_sock *s = lab_sel(lab, LAB_SEND);
	char cpart[300], spart[300], head[48], num[16];
	int pass;

	/* Which connection it was, once there are several. */
	if (lab_rows(lab, LAB_SEND) > 1)
		snprintf(num, sizeof num, " #%u", s->id);
	else
		num[0] = '\0';
	snprintf(head, sizeof head, "Server-Send%s read ", num);
	/* First as they are; too long, the client's part gets at most half. */
	for (pass = 0; pass < 2; pass++) {
		cpart[0] = spart[0] = '\0';
		if (c->have_received)
			tui_screen_quoted(t, c->received, c->received_len,
			    pass == 0 || !s->have_received ? room :
			    (room - TUI_RECEIVED_GAP) / 2, cpart, sizeof cpart);
		else if (lab_has_pane(lab, LAB_CLIENT))
			snprintf(cpart, sizeof cpart, "nothing yet");
		if (s->have_received) {
			snprintf(spart, sizeof spart, "%s", head);
			tui_screen_quoted(t, s->received, s->received_len,
			    room - (cpart[0] != '\0' ? TUI_RECEIVED_GAP +
			    (int)strlen(cpart) : 0) - (int)strlen(head),
			    spart + strlen(spart),
			    sizeof spart - strlen(spart));
		} else if (lab->cfg.role == LAB_ROLE_SERVER)
			snprintf(spart, sizeof spart, "Server-Send%s: nothing yet",
			    num);
		if ((int)(strlen(cpart) + strlen(spart)) + TUI_RECEIVED_GAP <=
		    room)
			break;
	}
	snprintf(line, len, "%s%s%s", cpart, cpart[0] != '\0' &&
	    spart[0] != '\0' ? "   " : "", spart);
}

/* The last step's full result, or what to press first in this role. */
static void
tui_screen_result(struct tui *t, char *line, size_t len)
{
	const struct lab *lab = t->lab;
	enum lab_op op = lab->last_op;

	if (lab_op_is_step(op))
		snprintf(line, len, "%s %s %s: %s", bind_op_name(op),
		    lab_pane_name(lab_op_pane(op)), lab_op_name(op),
		    lab->result[op].detail);
	else if (op == LAB_OP_RESET)
		snprintf(line, len, "%s Reset: every socket closed and every "
		    "counter zeroed; press %s to begin again.",
		    bind_op_name(op), bind_op_name(lab->cfg.role ==
		    LAB_ROLE_CLIENT ? LAB_OP_CLIENT_CREATE :
		    LAB_OP_SERVER_CREATE));
	else if (lab->cfg.role == LAB_ROLE_SERVER)
		snprintf(line, len, "Press %s to create the server socket and "
		    "%s to listen; %s accepts each client that connects, %s "
		    "sends it the time. %s explains every key.",
		    bind_op_name(LAB_OP_SERVER_CREATE),
		    bind_op_name(LAB_OP_LISTEN), bind_op_name(LAB_OP_ACCEPT),
		    bind_op_name(LAB_OP_CONN_SEND), bind_cmd_name(BIND_HELP));
	else if (lab->cfg.role == LAB_ROLE_CLIENT)
		snprintf(line, len, "Press %s to create the client socket and "
		    "%s to connect to the server; %s receives what it sends, "
		    "%s sends a line back. %s explains every key.",
		    bind_op_name(LAB_OP_CLIENT_CREATE),
		    bind_op_name(LAB_OP_CONNECT),
		    bind_op_name(LAB_OP_CLIENT_RECEIVE),
		    bind_op_name(LAB_OP_CLIENT_SEND), bind_cmd_name(BIND_HELP));
	else
		snprintf(line, len, "Press %s to create the server socket, "
		    "then %s to %s in order; %s starts a guided lesson. %s "
		    "explains every key.", bind_op_name(LAB_OP_SERVER_CREATE),
		    bind_op_name(LAB_OP_LISTEN),
		    bind_op_name(LAB_OP_CLIENT_RECEIVE),
		    bind_cmd_name(BIND_GUIDE), bind_cmd_name(BIND_HELP));
}

/*
 * The lesson's instruction, on a line of its own: first what the guide
 * has to say about the last key (a hint to get back on track, what it
 * waits for, or that the lesson is done), then the key to press and what
 * it will show; the lesson's goal before its first step.
 */
static void
tui_screen_guide_text(struct tui *t, char *buf, size_t len, int goal)
{
	const struct guide *g = t->guide;
	int first = goal && g->step == 0 && !g->pressed && !g->done;
	char say[400];

	snprintf(buf, len, "%s%s%s%s%s", g->msg, g->msg[0] != '\0' &&
	    !g->done ? " " : "", g->done ? "" : guide_say(g, say, sizeof say),
	    first ? " Goal: " : "", first ? guide_goal(g) : "");
}

/*
 * The panes, from row y: the three of the seed's dialog side by side, or
 * in a role or with several rows, a pane and the lists beside it.
 */
static void
tui_screen_panes(struct tui *t, int y)
{
	const struct lab *lab = t->lab;
	int w = COLS / 3, top;

	switch (lab->cfg.role) {
	case LAB_ROLE_SERVER:
		/* Server and its connections, the list as wide as it can be. */
		tui_draw_pane(t, LAB_SERVER, y, 0, w);
		tui_draw_list(t, LAB_SEND, y, w, tui_draw_pane_lines(),
		    COLS - w);
		break;
	case LAB_ROLE_CLIENT:
		tui_draw_pane(t, LAB_CLIENT, y, 0, w);
		tui_draw_list(t, LAB_CLIENT, y, w, tui_draw_pane_lines(),
		    COLS - w);
		break;
	default:
		tui_draw_pane(t, LAB_SERVER, y, 0, w);
		if (lab_rows(lab, LAB_SEND) <= 1 &&
		    lab_rows(lab, LAB_CLIENT) <= 1) {
			/* The seed's dialog: three panes side by side. */
			tui_draw_pane(t, LAB_SEND, y, w, w);
			tui_draw_pane(t, LAB_CLIENT, y, 2 * w, COLS - 2 * w);
			break;
		}
		/* Several: the two lists, one above the other. */
		top = tui_draw_pane_lines() / 2 + 1;
		tui_draw_list(t, LAB_SEND, y, w, top, COLS - w);
		tui_draw_list(t, LAB_CLIENT, y + top, w,
		    tui_draw_pane_lines() - top, COLS - w);
		break;
	}
}

/*
 * The main screen. From the top: the title, the panes, the Received
 * line, the last step's result, the view(s), the lesson's instruction in
 * guided mode, the legend. The result and the instruction get the rows
 * they need up to a limit (two under TUI_TALL lines, three from it); the
 * views get the rest, at least a rule and a line.
 */
static void
tui_screen_main(struct tui *t)
{
	struct lab *lab = t->lab;
	char line[700], more[32];
	const char *role, *received = "Received: ";
	int y, area, rows, res, gd, gneed, cap, vmin, rec;

	/* Its own network: nothing outside tcpstep sees its sockets. */
	role = lab->cfg.role == LAB_ROLE_SERVER ? "server role" :
	    lab->cfg.role == LAB_ROLE_CLIENT ? "client role" :
	    lab->wire_where == LAB_WIRE_PRIVATE ? "private network" :
	    "loopback lab";
	/* A log that stopped is said where it stays in view (see main). */
	snprintf(line, sizeof line, "%s%s%s%s", lab->log_err != 0 ?
	    "LOG FAILED  " : "", lab->auto_mode ? "AUTO MODE  " : "",
	    lab->edge ? "EDGE MODEL  " : "", role);
	y = 1 + tui_screen_title(t, line);
	tui_screen_panes(t, y);

	y += tui_draw_pane_lines();
	rec = y++;		/* the Received line */

	/* Rows for the result and the lesson; the views keep at least two. */
	area = LINES - 1 - y;
	cap = LINES >= TUI_TALL ? TUI_RESULT_ROWS_TALL : TUI_RESULT_ROWS;
	tui_screen_result(t, line, sizeof line);
	res = tui_draw_text(0, 0, TUI_LINE_W, 0, 0, line, NULL);
	res = res < cap ? res : cap;
	gd = 0;
	if (t->guide->on) {
		tui_screen_guide_text(t, line, sizeof line, 1);
		gneed = tui_draw_text(0, 0, TUI_LINE_W, 0, 0, line, NULL);
		gd = gneed < cap ? gneed : cap;
	}
	/* The ladder's handshake takes three rows under its rule. */
	vmin = t->view == TUI_VIEW_LADDER || t->view == TUI_VIEW_WIRE ?
	    TUI_LADDER_ROWS_MIN : TUI_VIEW_ROWS_MIN;
	while (area - res - gd < vmin && res > 1)
		res--;
	while (area - res - gd < vmin && gd > 1)
		gd--;
	/*
	 * Still short (a role's addresses took a row under the title): the
	 * Received line gives its row to the view; E shows it in full.
	 */
	if (area - res - gd < vmin) {
		y = rec;
		area++;
	} else {
		tui_screen_received(t, TUI_LINE_W - (int)strlen(received),
		    line, sizeof line);
		attron(A_BOLD);
		mvaddstr(rec, TUI_MARGIN, received);
		attroff(A_BOLD);
		addstr(line);
	}
	tui_screen_result(t, line, sizeof line);
	tui_draw_text(y, TUI_MARGIN, TUI_LINE_W, 0, res, line, tui_draw_more(t,
	    "E", more, sizeof more));
	y += res;
	rows = area - res - gd;
	t->one_view = rows < TUI_VIEWS_MIN;
	if (rows >= TUI_VIEWS_MIN)
		tui_screen_views(t, y, rows);
	else if (rows > 1)
		tui_screen_view(t, y, rows);
	if (gd > 0) {
		tui_screen_guide_text(t, line, sizeof line, 1);
		attron(A_BOLD);
		tui_draw_text(LINES - 1 - gd, TUI_MARGIN, TUI_LINE_W, 0, gd,
		    line, tui_draw_more(t, "E", more, sizeof more));
		attroff(A_BOLD);
	}
	tui_legend(t, line, sizeof line);
	tui_draw_bar(t, LINES - 1, line, NULL);
}

/*
 * Key E: the last step on a page of its own, nothing shortened: where
 * the server is, the step's result, what was received, the whole Explain
 * text, the lesson (scrolled with PgDn when it is longer than the page),
 * and the newest Events in the rows left.
 */
static void
tui_screen_explain_page(struct tui *t)
{
	const struct guide *g = t->guide;
	char text[LAB_EXPLAIN + 2800], rec[700], head[96], progress[32];
	char guide[700], where[320];
	unsigned long scroll;
	const char *sep;
	int rows, avail = LINES - 2, k, rw;

	tui_draw_bar(t, 0, "The last step, explained in full",
	    "any key returns");
	/* As wide as on the main screen, or wider: the page wraps it. */
	rw = TUI_LINE_W - (int)strlen("Received: ");
	tui_screen_received(t, rw > TUI_RECEIVED_PAGE ? rw : TUI_RECEIVED_PAGE,
	    rec, sizeof rec);
	guide[0] = '\0';
	if (g->on) {
		guide_heading(g, head, sizeof head);
		guide_progress(g, progress, sizeof progress);
		snprintf(guide, sizeof guide, "%s (%s). %s", head, progress,
		    guide_goal(g));
	}
	/* Where the server is, which the title may have had to shorten. */
	if (t->lab->cfg.role == LAB_ROLE_CLIENT)
		snprintf(where, sizeof where, "Server: %s", t->lab->resolved);
	else
		snprintf(where, sizeof where, "Server %s: %s",
		    t->lab->have_server_addr ? "reachable at" : "will listen on",
		    t->lab->have_server_addr ? t->lab->reachable : t->bind_text);
	/* Blank lines between the parts when they all fit with them. */
	for (k = 0; k < 2; k++) {
		sep = k == 0 ? "\n\n" : "\n";
		snprintf(text, sizeof text, "%s%s", where, sep);
		tui_screen_result(t, text + strlen(text), sizeof text -
		    strlen(text));
		snprintf(text + strlen(text), sizeof text - strlen(text),
		    "%sReceived: %s%s%s", sep, rec, sep,
		    tui_screen_explain_text(t));
		if (g->on) {
			snprintf(text + strlen(text), sizeof text -
			    strlen(text), "%s%s\n", sep, guide);
			/* The goal is on the heading's line already. */
			tui_screen_guide_text(t, text + strlen(text),
			    sizeof text - strlen(text), 0);
		}
		rows = tui_draw_text(0, 0, TUI_LINE_W, 0, 0, text, NULL);
		if (rows <= avail)
			break;
	}
	/* Longer than the page: PgDn and PgUp scroll it, and say so. */
	if (rows > avail) {
		if (t->pscroll > rows - avail)
			t->pscroll = rows - avail;
		tui_draw_text(1, TUI_MARGIN, TUI_LINE_W, t->pscroll, avail,
		    text, NULL);
		tui_draw_bar(t, LINES - 1, t->pscroll < rows - avail ?
		    "PgDn more  PgUp back  any other key returns  q quit" :
		    "PgUp back  any other key returns  q quit", NULL);
		return;
	}
	t->pscroll = 0;
	tui_draw_text(1, TUI_MARGIN, TUI_LINE_W, 0, avail, text, NULL);
	/* The newest Events under it, if three rows or more are left. */
	if (avail - rows - 1 >= 3) {
		attron(A_BOLD);
		mvaddstr(rows + 2, TUI_MARGIN, "Events");
		attroff(A_BOLD);
		/* The newest, whatever the Events view is scrolled to. */
		scroll = t->scroll;
		t->scroll = 0;
		tui_screen_events(t, rows + 3, TUI_MARGIN, avail - rows - 2,
		    TUI_LINE_W);
		t->scroll = scroll;
	}
	tui_draw_bar(t, LINES - 1, "any key returns  q quit", NULL);
}

/*
 * Help pages 1 and 2: the page's steps (1: the article's, the digits; 2:
 * the others), then the other keys it lists, from the binding table the
 * keys run by, so the page cannot drift from what the keys do.
 */
static void
tui_screen_help_keys(struct tui *t)
{
	const struct bind *b;
	int row = 1;

	attron(A_BOLD);
	mvaddstr(row++, TUI_MARGIN, t->help == 1 ? "Steps: the article's "
	    "seven, and the way back" : "More steps (lower case: Client, "
	    "shifted: Server-Send)");
	attroff(A_BOLD);
	for (b = bind_table; b->key != 0 && row < LINES - 1; b++) {
		if (b->cmd != BIND_LAB || !lab_op_is_step(b->op) ||
		    b->page != t->help)
			continue;
		mvprintw(row++, TUI_MARGIN, "  %s  %-11s %-8s %.*s", b->name,
		    lab_pane_name(lab_op_pane(b->op)), lab_op_name(b->op),
		    COLS - TUI_HELP_STEP_W, b->help);
	}
	row++;
	for (b = bind_table; b->key != 0 && row < LINES - 1; b++) {
		if ((b->cmd == BIND_LAB && lab_op_is_step(b->op)) ||
		    !(b->fronts & BIND_TUI))
			continue;
		/* Page 2 lists its own keys; page 1 every other key. */
		if (t->help == 2 ? b->page != 2 : b->help == NULL ||
		    b->page == 2)
			continue;
		mvprintw(row++, TUI_MARGIN, "  %-9s %.*s", b->label != NULL ?
		    b->label : b->name, COLS - TUI_HELP_KEY_W, b->help);
	}
	/* The mouse has no key in the table, but is read as keys (tui.c). */
	if (t->help == 2 && row < LINES - 1)
		mvprintw(row, TUI_MARGIN, "  %-9s %.*s", "Mouse",
		    COLS - TUI_HELP_KEY_W, t->mouse ? "click a step to press "
		    "it, a row to select it; the wheel scrolls" : "off "
		    "(--no-mouse, or no mouse here): dragging selects text");
}

/* Help page 4: the Wire view, its marks, and the private network. */
static const char *tui_screen_help_wire[] = {
"The Wire view (v): the segments really captured on the lab's port",
"",
"  Each row is one TCP segment: an arrow from the Client's rail (left) to the",
"  Server's (right) or back, its flags and length (\"PSH, ACK 13\"), then seq,",
"  ack and win counted from each side's first sequence number. At its left",
"  the key or notification it followed, at its right its mark and the time",
"  since that key or notification.",
"",
"  =  match     the ladder expected this segment in this place",
"  !  differs   it took an expected segment's place, but is unlike it",
"  +  extra     the ladder expected nothing like it",
"  -  not seen  the ladder expected a segment the wire never carried",
"",
"  PgUp/PgDn scroll it; scrolled back, it holds still while segments come.",
"  Tall screens set the expected segments beside the captured ones.",
"",
"  \"private network\" in the title: this lab's sockets live in a network",
"  namespace of their own (tcpstep made it to capture without root); ss and",
"  nc in other windows cannot see them.",
};

/*
 * Help (? or F1, again for the next page): pages 1 and 2 the steps and
 * keys, page 3 what each notification means, page 4 the Wire view.
 */
static void
tui_screen_help(struct tui *t)
{
	static const char *notes[] = {
"Notifications mean \"now you can\", not \"it happened\"",
"",
"  OnAccept  FD_ACCEPT   a connection waits in the listen queue: Accept it.",
"                        Again after each accept, at once if more wait.",
"  OnConnect FD_CONNECT  your Connect finished, with 0 or its error. Once",
"                        per connect.",
"  OnSend    FD_WRITE    you may Send: once when connected, then only after",
"                        a send failed with EAGAIN and room came free.",
"  OnReceive FD_READ     bytes wait: Receive them. Again after each recv,",
"                        at once if bytes remain.",
"  OnOutOfBandData FD_OOB  an urgent byte waits: Receive it with MSG_OOB,",
"                        which enables this notification again.",
"  OnClose   FD_CLOSE    the peer closed: 0 graceful (once everything",
"                        queued was read), ECONNRESET abortive. Once.",
"",
"Counters move when the event loop delivers a notification, never when you",
"press a key. The kernel lines of each pane show the level-triggered truth:",
"TCP state, local (L) and peer (P) address, bytes queued in (IOCtl FIONREAD)",
"and out, and whether poll() says readable, writable or urgent (r w u).",
"Errors show the Linux name, number and text, and the Winsock code the same",
"error has on Windows (EAGAIN is WSAEWOULDBLOCK 10035). The steps follow",
"\"Asynchronous TCP Part 1\" by bkelly13 (The Code Project).",
	};
	char head[64];
	const char **text = t->help == 4 ? tui_screen_help_wire : notes;
	size_t i, n = t->help == 4 ? sizeof tui_screen_help_wire /
	    sizeof tui_screen_help_wire[0] : sizeof notes / sizeof notes[0];
	int row = 1;

	snprintf(head, sizeof head, "tcpstep help, page %d of %d", t->help,
	    TUI_HELP_PAGES);
	tui_draw_bar(t, 0, head, "? next page, any key returns");
	if (t->help == 1 || t->help == 2)
		tui_screen_help_keys(t);
	else {
		for (i = 0; i < n && row < LINES - 1; i++) {
			if (i == 0)
				attron(A_BOLD);
			mvaddnstr(row++, TUI_MARGIN, text[i], TUI_LINE_W);
			attroff(A_BOLD);
		}
	}
	tui_draw_bar(t, LINES - 1,
	    "? or Space next page  any key returns  q quit", NULL);
}

/* Key i: every error on screen, in full, with its usual cause here. */
static void
tui_screen_errors(struct tui *t)
{
	int errs[LAB_PANES + 1], row = 2;
	size_t i, n = lab_errors(t->lab, errs, LAB_PANES + 1);
	char text[600];

	tui_draw_bar(t, 0, "Errors on screen, explained", "any key returns");
	if (n == 0)
		tui_draw_wrap(row, TUI_MARGIN, TUI_LINE_W, LINES - 2 - row,
		    "No error is shown now. Errors appear in the panes and "
		    "in the step's result; i explains them here.");
	for (i = 0; i < n && row < LINES - 2; i++) {
		explain_error(t->lab, errs[i], text, sizeof text);
		row += tui_draw_wrap(row, TUI_MARGIN, TUI_LINE_W,
		    LINES - 2 - row, text) + 1;
	}
	tui_draw_bar(t, LINES - 1, "any key returns  q quit", NULL);
}

/* The y/n question of g, [ or ], or what the answer did, on the last line. */
static void
tui_screen_prompt(struct tui *t)
{
	char line[128];
	int lesson = t->guide->lesson + 1;

	if (t->asking != NULL) {
		if (t->asking->cmd == BIND_LESSON_NEXT)
			lesson = lesson < GUIDE_LESSONS ? lesson + 1 : lesson;
		else if (t->asking->cmd == BIND_LESSON_PREV)
			lesson = lesson > 1 ? lesson - 1 : lesson;
		snprintf(line, sizeof line, "%s: start lesson %d and close "
		    "every socket? %s/n", t->asking->name, lesson,
		    bind_cmd_name(BIND_YES));
		tui_draw_bar(t, LINES - 1, line, NULL);
	} else if (t->notice[0] != '\0')
		tui_draw_bar(t, LINES - 1, t->notice, NULL);
}

void
tui_screen_draw(struct tui *t)
{
	char msg[128];

	lab_look(t->lab);
	erase();
	t->nhits = 0;		/* the panes note theirs anew */
	if (COLS < TUI_MIN_COLS || LINES < TUI_MIN_LINES) {
		snprintf(msg, sizeof msg, "terminal too small - need %dx%d, "
		    "now %dx%d", TUI_MIN_COLS, TUI_MIN_LINES, COLS, LINES);
		tui_draw_wrap(LINES / 2 - 1, TUI_MARGIN, TUI_LINE_W, 2, msg);
		snprintf(msg, sizeof msg, "%s quits; other keys do nothing "
		    "at this size", bind_cmd_name(BIND_QUIT));
		tui_draw_wrap(LINES / 2 + 1, TUI_MARGIN, TUI_LINE_W, 2, msg);
		if (t->ignored != 0) {
			snprintf(msg, sizeof msg, "key %s does nothing until "
			    "the terminal is larger", keyname(t->ignored));
			tui_draw_wrap(LINES / 2 + 3, TUI_MARGIN, TUI_LINE_W, 2,
			    msg);
		}
	} else if (t->errors == TUI_PAGE_EXPLAIN)
		tui_screen_explain_page(t);
	else if (t->errors)
		tui_screen_errors(t);
	else if (t->help)
		tui_screen_help(t);
	else {
		tui_screen_main(t);
		tui_screen_prompt(t);
	}
	refresh();
}

