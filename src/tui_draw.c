/*
 * tui_draw.c - the pieces the screen is drawn with: boxes, bars, text
 * wrapped between words, the panes (one socket each) and the lists
 * (several). tui_screen.c places them; nothing here decides what a screen
 * shows, and nothing here changes the lab.
 *
 * Every line is bounded by its room on screen and by its buffer, whatever
 * the terminal's width.
 */
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "bind.h"
#include "errname.h"
#include "guide.h"
#include "lab.h"
#include "tui_draw.h"

#define TUI_PANE_LINES	19	/* borders included */
/*
 * Under TUI_TALL lines, panes without the error rows leave room for a
 * view; the error goes in the bottom border, in a short form.
 */
#define TUI_PANE_SMALL	16
/*
 * The seed's seven steps, 1 to 7, are the first operations (lab_op.h):
 * each keeps a line of its pane; the pane's other steps share one.
 */
#define TUI_SEED_STEPS	(LAB_OP_CLIENT_RECEIVE + 1)

/* Draw a box with a title in its top border. */
void
tui_draw_box(struct tui *t, int y, int x, int h, int w, const char *title)
{
	if (t->ascii) {
		mvhline(y, x, '-', w);
		mvhline(y + h - 1, x, '-', w);
		mvvline(y, x, '|', h);
		mvvline(y, x + w - 1, '|', h);
		mvaddch(y, x, '+');
		mvaddch(y, x + w - 1, '+');
		mvaddch(y + h - 1, x, '+');
		mvaddch(y + h - 1, x + w - 1, '+');
	} else {
		mvhline(y, x, ACS_HLINE, w);
		mvhline(y + h - 1, x, ACS_HLINE, w);
		mvvline(y, x, ACS_VLINE, h);
		mvvline(y, x + w - 1, ACS_VLINE, h);
		mvaddch(y, x, ACS_ULCORNER);
		mvaddch(y, x + w - 1, ACS_URCORNER);
		mvaddch(y + h - 1, x, ACS_LLCORNER);
		mvaddch(y + h - 1, x + w - 1, ACS_LRCORNER);
	}
	attron(A_BOLD);
	mvprintw(y, x + 2, " %s ", title);
	attroff(A_BOLD);
}

/* Display columns of a UTF-8 string: its bytes less continuation bytes. */
int
tui_draw_cols(const char *s)
{
	int n = 0;

	for (; *s != '\0'; s++)
		if ((*s & 0xc0) != 0x80)
			n++;
	return n;
}

/*
 * Word-wrap text at (y, x) in rows of width columns, '\n' starting a new
 * paragraph, leaving out the first skip rows and drawing at most rows
 * more. Words are never split unless one is wider than a row. When text
 * is left over and more is not NULL, the last row drawn is shortened at
 * a word and ends with more (an ellipsis and the key that shows the
 * rest), so a reader can tell shortened text from a sentence that ended.
 * Returns the rows the whole text needs; rows 0 only measures.
 */
int
tui_draw_text(int y, int x, int width, int skip, int rows, const char *text,
    const char *more)
{
	const char *p = text, *end, *rest;
	int row = 0, n, cut, mw = more != NULL ? tui_draw_cols(more) : 0;

	if (width < 1)		/* a 1x1 terminal leaves no room at all */
		return 0;
	while (*p != '\0') {
		end = strchr(p, '\n');
		if (end == NULL)
			end = p + strlen(p);
		while (p < end && *p == ' ')
			p++;
		n = (int)(end - p);
		if (n > width) {
			for (cut = width; cut > 0 && p[cut] != ' '; cut--)
				;
			n = cut > 0 ? cut : width;
		}
		if (row >= skip && row < skip + rows) {
			for (rest = p + n; *rest == ' ' || *rest == '\n'; rest++)
				;
			if (row == skip + rows - 1 && *rest != '\0' &&
			    more != NULL) {
				/* The last row drawn, and text is left over. */
				while (n > 0 && n + 1 + mw > width) {
					for (n--; n > 0 && p[n] != ' '; n--)
						;
				}
				while (n > 0 && p[n - 1] == ' ')
					n--;
				mvaddnstr(y + row - skip, x, p, n);
				mvaddstr(y + row - skip, x + n + (n > 0), more);
			} else
				mvaddnstr(y + row - skip, x, p, n);
		}
		row++;
		p += n;
		while (p < end && *p == ' ')
			p++;
		if (p == end && *p == '\n')
			p++;
	}
	return row;
}

/* Word-wrap text into at most lines rows at (y, x); returns rows used. */
int
tui_draw_wrap(int y, int x, int width, int lines, const char *text)
{
	int need = tui_draw_text(y, x, width, 0, lines, text, NULL);

	return need < lines ? need : lines;
}

/* "... [E]": marks text shortened on purpose and names the key for it. */
const char *
tui_draw_more(struct tui *t, const char *key, char *buf, size_t len)
{
	snprintf(buf, len, "%s [%s]", t->ascii ? "..." : "\u2026", key);
	return buf;
}

static attr_t
tui_draw_pair(struct tui *t, int pair)
{
	return t->color ? COLOR_PAIR(pair) : 0;
}

/*
 * How a row's result of a step shows: dim while untried, green when it
 * did what it asked, red and bold when it failed or was refused.
 */
static attr_t
tui_draw_outcome(struct tui *t, const struct lab_mark *m)
{
	if (m->outcome == LAB_UNTRIED)
		return A_DIM;
	if (lab_outcome_ok((enum lab_outcome)m->outcome))
		return tui_draw_pair(t, TUI_PAIR_OK);
	return tui_draw_pair(t, TUI_PAIR_ERR) | A_BOLD;
}

/* A row's word for its result of a step: "-" while untried. */
static const char *
tui_draw_brief(const struct lab_mark *m)
{
	return m->outcome == LAB_UNTRIED ? "-" : m->brief;
}

/*
 * Whether op, a row's last_op, names a step of its pane: not LAB_OP_NONE,
 * and not what a row left all zero would hold.
 */
static int
tui_draw_other_step(enum lab_pane pane, enum lab_op op)
{
	return lab_op_is_step(op) && lab_op_pane(op) == pane;
}

void
tui_draw_hit(struct tui *t, int y, int x, int w, int key, enum lab_pane pane,
    size_t row)
{
	struct tui_hit *h;

	if (t->nhits >= TUI_HITS || w < 1)
		return;
	h = &t->hits[t->nhits++];
	h->y = y;
	h->x = x;
	h->w = w;
	h->key = key;
	h->pane = pane;
	h->row = row;
}

/*
 * One step line: marker, key, name, and row p's own result of it. A click
 * anywhere on it presses the step's key.
 */
static void
tui_draw_step_line(struct tui *t, const struct lab_sock *p, int row, int x,
    int inner, enum lab_op op)
{
	const struct lab_mark *m = lab_mark(p, op);
	attr_t a;

	tui_draw_hit(t, row, x - 1, inner + 1, bind_op(op)->key,
	    lab_op_pane(op), 0);
	/* The marker, not colour alone, says which step ran last. */
	mvaddch(row, x - 1, t->lab->last_op == op ? '>' : ' ');
	/* Guided mode shows the key to press next in reverse video. */
	if (guide_next_op(t->guide) == op)
		attron(A_REVERSE);
	printw("%s", bind_op_name(op));
	attroff(A_REVERSE);
	printw(" %-*s", TUI_STEP_NAME_W, lab_op_name(op));
	a = tui_draw_outcome(t, m);
	attron(a);
	addnstr(tui_draw_brief(m), inner - TUI_STEP_HEAD);
	attroff(a);
}

/*
 * Append to a line and say how long it is now, never past its buffer:
 * snprintf returns what it would have written, which at 800 columns is
 * more than the buffer holds.
 */
static size_t __attribute__((format(printf, 4, 5)))
tui_draw_cat(char *buf, size_t len, size_t used, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (used >= len)
		return len > 0 ? len - 1 : 0;
	va_start(ap, fmt);
	n = vsnprintf(buf + used, len - used, fmt, ap);
	va_end(ap);
	if (n < 0)
		return used;
	used += (size_t)n;
	return used < len ? used : len - 1;
}

/* Rows that wrapping text into width columns takes, as tui_draw_wrap does. */
static int
tui_draw_wrap_rows(int width, const char *text)
{
	int rows = 0, n, cut;

	if (width < 1)
		return 0;
	while (*text != '\0') {
		while (*text == ' ')
			text++;
		if (*text == '\0')
			break;
		n = (int)strlen(text);
		if (n > width) {
			for (cut = width; cut > 0 && text[cut] != ' '; cut--)
				;
			n = cut > 0 ? cut : width;
		}
		text += n;
		rows++;
	}
	return rows;
}

/*
 * Row p's last error in the longest form that fits rows lines of width
 * columns: "connect: EINPROGRESS 115 Operation now in progress
 * (WSAEWOULDBLOCK 10035)" down to "connect EINPROGRESS 10035" and
 * "EINPROGRESS 10035". The Winsock code stays as long as anything does:
 * it is what the seed tells its readers to look up. "" without an error.
 */
static const char *
tui_draw_err_text(const struct lab_sock *p, int width, int rows, char *buf,
    size_t len)
{
	char full[200], from[24];
	const char *ws, *name = errname_name(p->err);
	int number, form;

	buf[0] = '\0';
	if (p->err == 0)
		return buf;
	ws = errname_winsock(p->err, &number);
	if (ws == NULL)
		number = p->err;
	snprintf(from, sizeof from, "%s%s", p->err_from, p->err_from[0] !=
	    '\0' ? ": " : "");
	for (form = 0; form < 5; form++) {
		switch (form) {
		case 0:
			snprintf(buf, len, "%s%s", from, errname_describe(
			    p->err, full, sizeof full));
			break;
		case 1:
			if (ws != NULL)
				snprintf(buf, len, "%s%s (%s %d)", from, name,
				    ws, number);
			else
				snprintf(buf, len, "%s%s %d", from, name,
				    number);
			break;
		case 2:
			snprintf(buf, len, "%s%s%s %d", p->err_from,
			    p->err_from[0] != '\0' ? " " : "", name, number);
			break;
		case 3:
			snprintf(buf, len, "%s %d", name, number);
			break;
		default:
			snprintf(buf, len, "%d", number);
			break;
		}
		if (rows > 1 ? tui_draw_wrap_rows(width, buf) <= rows :
		    (int)strlen(buf) <= width)
			break;
	}
	return buf;
}

/*
 * A short box has no row for the error: it goes in the bottom border,
 * from x, in at most w columns, with a space either side when they fit.
 * The call's name matters more than the spaces.
 */
static void
tui_draw_border_err(struct tui *t, const struct lab_sock *p, int y, int x,
    int w)
{
	char buf[200];
	int n;

	if (w < 1 || p->err == 0)
		return;
	n = (int)strlen(tui_draw_err_text(p, w, 1, buf, sizeof buf));
	attron(tui_draw_pair(t, TUI_PAIR_ERR) | A_BOLD);
	mvprintw(y, x, "%s%.*s%s", n < w ? " " : "", w, buf, n < w - 1 ?
	    " " : "");
	attroff(tui_draw_pair(t, TUI_PAIR_ERR) | A_BOLD);
}

/* Pane height: the error rows go first when the screen is short. */
int
tui_draw_pane_lines(void)
{
	return LINES >= TUI_TALL ? TUI_PANE_LINES : TUI_PANE_SMALL;
}

void
tui_draw_pane(struct tui *t, enum lab_pane pane, int y, int x, int w)
{
	const struct lab_sock *p = lab_sel(t->lab, pane);
	const struct asock_view *v = &p->view;
	char buf[256], a[ADDR_STRLEN];
	int op, row = y + 1, n, inner = w - 2 * TUI_PANE_PAD;

	tui_draw_box(t, y, x, tui_draw_pane_lines(), w, lab_pane_name(pane));
	x += TUI_PANE_PAD;
	/* The seed's seven steps keep their places... */
	for (op = 0; op < TUI_SEED_STEPS; op++)
		if (lab_op_pane(op) == pane)
			tui_draw_step_line(t, p, row++, x, inner, op);
	/* ...and the pane's latest other step gets the line below them. */
	if (tui_draw_other_step(pane, p->last_op) &&
	    p->last_op >= TUI_SEED_STEPS)
		tui_draw_step_line(t, p, y + TUI_PANE_STEP_ROWS, x, inner,
		    p->last_op);
	row = y + 1 + TUI_PANE_STEP_ROWS;
	for (n = 0; n < ASOCK_NOTES; n++)
		mvprintw(row++, x, "%-*s%*lu", TUI_NOTE_NAME_W,
		    asock_note_name(n), inner - TUI_NOTE_NAME_W, p->counts[n]);

	/* What the kernel says, whatever the notifications said. */
	attron(A_BOLD);
	if (v->tcp_state == -1)
		mvaddstr(row++, x, "no socket");
	else
		mvprintw(row++, x, "fd %d %s", asock_fd(p->sock),
		    asock_tcp_state_name(v->tcp_state));
	attroff(A_BOLD);
	mvprintw(row++, x, "L %.*s", inner - TUI_ADDR_TAG_W, v->have_local ?
	    addr_format((const struct sockaddr *)&v->local, a, sizeof a) : "-");
	mvprintw(row++, x, "P %.*s", inner - TUI_ADDR_TAG_W, v->have_peer ?
	    addr_format((const struct sockaddr *)&v->peer, a, sizeof a) : "-");
	if (v->tcp_state == TCP_LISTEN)
		snprintf(buf, sizeof buf, "queue %u/%u", v->accept_queue,
		    v->backlog);
	else if (v->tcp_state != -1)
		snprintf(buf, sizeof buf, "in %d out %d", v->inq, v->outq);
	else
		buf[0] = '\0';
	if (v->tcp_state != -1)
		mvprintw(row, x, "%-*s%c%c%c", inner - TUI_RWU_W, buf,
		    v->readable ? 'r' : '-', v->writable ? 'w' : '-',
		    v->urgent ? 'u' : '-');
	row++;

	/* The last call's error, with the call and its Winsock code. */
	n = y + tui_draw_pane_lines() - 1 - row;
	if (n < 1) {
		/* Between the box's corners. */
		tui_draw_border_err(t, p, y + tui_draw_pane_lines() - 1,
		    x - TUI_PANE_PAD + TUI_BORDER, w - 2 * TUI_BORDER);
		return;
	}
	if (p->err != 0)
		attron(tui_draw_pair(t, TUI_PAIR_ERR));
	tui_draw_wrap(row, x, inner, n, p->err != 0 ?
	    tui_draw_err_text(p, inner, n, buf, sizeof buf) : "no error");
	attroff(tui_draw_pair(t, TUI_PAIR_ERR));
}

/*
 * The kernel's names for TCP states, as the panes, batch mode and the
 * transcript spell them, so that one screen never shows two spellings.
 */
static const char *
tui_draw_state_name(int st)
{
	return st == -1 ? "no socket" : asock_tcp_state_name(st);
}

/*
 * A number in at most width columns (4 or more): as it is when it fits,
 * else abbreviated, rounded down so it never claims more: 16k, 1.6M.
 */
static const char *
tui_draw_num(unsigned long long v, int width, char *buf, size_t len)
{
	static const char units[] = "kMGTPE";
	unsigned long long scale = 1;
	int u;

	snprintf(buf, len, "%llu", v);
	if ((int)strlen(buf) <= width)
		return buf;
	for (u = 0; units[u] != '\0'; u++) {
		scale *= 1000;
		if (v / scale < 1000)
			break;
	}
	if (units[u] == '\0')
		u--;
	if (v / scale < 10)
		snprintf(buf, len, "%llu.%llu%c", v / scale, v % scale /
		    (scale / 10), units[u]);
	else
		snprintf(buf, len, "%llu%c", v / scale, units[u]);
	return buf;
}

/* Whether a list of this pane, wide or not, has a column for counter k. */
static int
tui_draw_list_counts(enum lab_pane pane, int wide, int k)
{
	return wide || (k != ASOCK_ON_ACCEPT && (k != ASOCK_ON_CONNECT ||
	    pane == LAB_CLIENT));
}

/* A list's columns, as wide as its widest id and counter need. */
struct tui_list_cols {
	int	 wide;		/* in and out, and every counter: TUI_LIST_WIDE */
	int	 all;		/* every counter, even those that cannot move */
	int	 idw;		/* the id */
	int	 cw;		/* each counter */
	int	 addr_w;	/* the address: what the others leave */
	/*
	 * Server role's class view: who each peer is. With name_w, a name
	 * column after the address; without, the peer column shows the name
	 * once known instead of the address. read_w: bytes read, when wide.
	 */
	int	 names;
	int	 name_w;
	int	 read_w;
};

/*
 * The selected row's own steps of the seed's (Server-Send: Send and
 * Receive; Client: Create, Connect and Receive), then the last other one
 * it ran. A click on one of them presses its key.
 */
static void
tui_draw_list_steps(struct tui *t, enum lab_pane pane,
    const struct lab_sock *sel, int y, int x, int inner)
{
	static const enum lab_op send_ops[] = {
		LAB_OP_CONN_SEND, LAB_OP_CONN_RECEIVE
	}, client_ops[] = {
		LAB_OP_CLIENT_CREATE, LAB_OP_CONNECT, LAB_OP_CLIENT_RECEIVE
	};
	const enum lab_op *chosen = pane == LAB_SEND ? send_ops : client_ops;
	size_t nchosen = pane == LAB_SEND ? 2 : 3;
	enum lab_op ops[4];
	char steps[256];
	size_t used, nops, k, from[4], sep, end, limit, key_w;

	for (nops = 0; nops < nchosen; nops++)
		ops[nops] = chosen[nops];
	for (k = 0; k < nchosen && chosen[k] != sel->last_op; k++)
		;
	if (k == nchosen && tui_draw_other_step(pane, sel->last_op))
		ops[nops++] = sel->last_op;
	/*
	 * Three spaces between steps, fewer where that is what it takes to
	 * keep the last one's result (n New: OK) in the pane.
	 */
	for (sep = 3;; sep--) {
		for (k = 0, used = 0; k < nops; k++) {
			from[k] = used + (k > 0 ? sep : 0);
			used = tui_draw_cat(steps, sizeof steps, used,
			    "%*s%s %s: %s", k > 0 ? (int)sep : 0, "",
			    bind_op_name(ops[k]), lab_op_name(ops[k]),
			    tui_draw_brief(lab_mark(sel, ops[k])));
		}
		if (used <= (size_t)inner || sep == 1)
			break;
	}
	/* Still too long: cut one column early for the mark that says so. */
	limit = used <= (size_t)inner || inner < 2 ? (size_t)inner :
	    (size_t)inner - 1;
	mvaddnstr(y, x, steps, (int)limit);
	if (limit < used)
		addstr(t->ascii ? "~" : "\u2026");
	/*
	 * A step whose key shows can be clicked, and guided mode shows the
	 * key to press next in reverse video.
	 */
	for (k = 0; k < nops; k++) {
		key_w = strlen(bind_op_name(ops[k]));
		if (from[k] + key_w > limit)
			break;
		end = k + 1 < nops ? from[k + 1] - sep : used;
		tui_draw_hit(t, y, x + (int)from[k], (int)((end < limit ? end :
		    limit) - from[k]), bind_op(ops[k])->key, pane, 0);
		if (guide_next_op(t->guide) == ops[k])
			mvchgat(y, x + (int)from[k], (int)key_w, A_REVERSE, 0,
			    NULL);
	}
}

/* Columns as wide as the widest id and counter of any row. */
static void
tui_draw_list_cols(const struct lab *lab, enum lab_pane pane, int inner,
    struct tui_list_cols *c)
{
	const struct lab_sock *p;
	size_t i, n = lab_rows(lab, pane);
	unsigned id;
	int k, ncounts = 0, peer_w, any_name;
	char a[ADDR_STRLEN];

	c->wide = inner >= TUI_LIST_WIDE;
	c->names = pane == LAB_SEND && lab->cfg.role == LAB_ROLE_SERVER;
	c->all = c->wide;
	c->idw = TUI_LIST_ID_W;
	c->cw = TUI_LIST_COUNT_W;
	c->name_w = c->read_w = 0;
	for (i = 0, peer_w = 4, any_name = 0; i < n; i++) {
		p = lab_row(lab, pane, i);
		any_name |= c->names && lab_name_of(p) != NULL;
		if (p->have_named && (k = (int)strlen(addr_format(
		    (const struct sockaddr *)&p->named, a, sizeof a))) > peer_w)
			peer_w = k;
		for (id = p->id, k = 1; id >= 10; id /= 10)
			k++;
		if (k > c->idw)
			c->idw = k;
		for (k = 0; k < ASOCK_NOTES; k++)
			if (tui_draw_list_counts(pane, c->all, k) &&
			    p->counts[k] > 999)
				c->cw = TUI_LIST_COUNT_BIG;
	}
	for (k = 0; k < ASOCK_NOTES; k++)
		ncounts += tui_draw_list_counts(pane, c->all, k);
	/* The address (and the space before it) takes what the rest leave. */
	c->addr_w = inner - (TUI_LIST_MARK_W + c->idw) - 1 -
	    (1 + TUI_STATE_W) - ncounts * (1 + c->cw) -
	    (c->wide ? 2 * (1 + TUI_LIST_QUEUE_W) : 0);
	/*
	 * The class view: once a peer has a name, the address and a name
	 * column when both fit (else the name in place of the address), and
	 * bytes read when the name still gets TUI_LIST_NAME_MIN more. Until
	 * then the list is drawn as in every other role.
	 */
	if (any_name && c->addr_w >= peer_w + 1 + TUI_LIST_NAME_MIN) {
		if (c->wide && c->addr_w >= peer_w + 1 +
		    2 * TUI_LIST_NAME_MIN + 1 + TUI_LIST_QUEUE_W) {
			c->read_w = TUI_LIST_QUEUE_W;
			c->addr_w -= 1 + c->read_w;
		}
		c->name_w = c->addr_w - peer_w - 1;
		if (c->name_w > LAB_NAME_MAX - 1)
			c->name_w = LAB_NAME_MAX - 1;
		c->addr_w = peer_w;
	}
	if (c->addr_w > ADDR_STRLEN - 1)
		c->addr_w = ADDR_STRLEN - 1;
	if (c->addr_w < 1)
		c->addr_w = 1;
}

/* The headings over the rows. */
static void
tui_draw_list_head(enum lab_pane pane, const struct tui_list_cols *c, int y,
    int x, int inner)
{
	static const char *heads[ASOCK_NOTES] = {
		"Acc", "Clo", "Con", "OOB", "Rcv", "Snd"
	};
	char line[512];
	size_t used;
	int k;

	used = tui_draw_cat(line, sizeof line, 0, " %*s %-*s", c->idw, "#",
	    c->addr_w, pane == LAB_SEND ? "peer" : "local");
	if (c->name_w > 0)
		used = tui_draw_cat(line, sizeof line, used, " %-*s",
		    c->name_w, "name");
	used = tui_draw_cat(line, sizeof line, used, " %-*s", TUI_STATE_W,
	    "state");
	for (k = 0; k < ASOCK_NOTES; k++)
		if (tui_draw_list_counts(pane, c->all, k))
			used = tui_draw_cat(line, sizeof line, used, " %*s",
			    c->cw, heads[k]);
	if (c->wide)
		used = tui_draw_cat(line, sizeof line, used, " %*s %*s",
		    TUI_LIST_QUEUE_W, "in", TUI_LIST_QUEUE_W, "out");
	if (c->read_w > 0)
		tui_draw_cat(line, sizeof line, used, " %*s", c->read_w, "read");
	attron(A_BOLD);
	mvaddnstr(y, x, line, inner);
	attroff(A_BOLD);
}

/* One row: id, address, state, counters, and in and out when wide. */
static void
tui_draw_list_row(enum lab_pane pane, const struct lab_sock *p, int selected,
    const struct tui_list_cols *c, int y, int x, int inner)
{
	const struct asock_view *v = &p->view;
	char line[512], a[ADDR_STRLEN], num[2][32];
	const char *name;
	size_t used;
	int k;

	/* A closed row keeps the address it had, to tell rows apart. */
	if (p->have_named)
		addr_format((const struct sockaddr *)&p->named, a, sizeof a);
	else
		snprintf(a, sizeof a, "-");
	/* Names are kept escaped (lab_names.c): safe to draw as they are. */
	name = c->names ? lab_name_of(p) : NULL;
	used = tui_draw_cat(line, sizeof line, 0, "%c%*u %-*.*s",
	    selected ? '>' : ' ', c->idw, p->id, c->addr_w, c->addr_w,
	    name != NULL && c->name_w == 0 ? name : a);
	if (c->name_w > 0)
		used = tui_draw_cat(line, sizeof line, used, " %-*.*s",
		    c->name_w, c->name_w, name != NULL ? name : "");
	used = tui_draw_cat(line, sizeof line, used, " %-*s", TUI_STATE_W,
	    tui_draw_state_name(v->tcp_state));
	for (k = 0; k < ASOCK_NOTES; k++)
		if (tui_draw_list_counts(pane, c->all, k))
			used = tui_draw_cat(line, sizeof line, used, " %*s",
			    c->cw, tui_draw_num(p->counts[k], c->cw, num[0],
			    sizeof num[0]));
	if (c->wide && v->tcp_state != -1)
		used = tui_draw_cat(line, sizeof line, used, " %*s %*s",
		    TUI_LIST_QUEUE_W, v->inq < 0 ? "-" :
		    tui_draw_num((unsigned)v->inq, TUI_LIST_QUEUE_W, num[0],
		    sizeof num[0]), TUI_LIST_QUEUE_W, v->outq < 0 ? "-" :
		    tui_draw_num((unsigned)v->outq, TUI_LIST_QUEUE_W, num[1],
		    sizeof num[1]));
	else if (c->read_w > 0)		/* a closed row: read stays in place */
		used = tui_draw_cat(line, sizeof line, used, " %*s %*s",
		    TUI_LIST_QUEUE_W, "", TUI_LIST_QUEUE_W, "");
	if (c->read_w > 0)
		tui_draw_cat(line, sizeof line, used, " %*s", c->read_w,
		    tui_draw_num(p->bytes_read, c->read_w, num[0],
		    sizeof num[0]));
	if (selected)
		attron(A_REVERSE);
	mvaddnstr(y, x, line, inner);
	attroff(A_REVERSE);
}

/*
 * Under the rows: the selected socket as the kernel sees it (the
 * addresses on a line of their own when the pane is narrow), and its last
 * error, in detail rows above the bottom border (y). With one row only,
 * the error goes in the border, in the room the row range leaves
 * (border_w columns).
 */
static void
tui_draw_list_detail(struct tui *t, const struct lab_sock *sel, int wide,
    int detail, int y, int x, int inner, int border_w)
{
	const struct asock_view *v = &sel->view;
	char line[512], addrs[160], a[ADDR_STRLEN], err[200];
	size_t used;

	if (v->tcp_state == -1)
		used = tui_draw_cat(line, sizeof line, 0, "no socket");
	else
		used = tui_draw_cat(line, sizeof line, 0,
		    "fd %d %s  in %d out %d %c%c%c", asock_fd(sel->sock),
		    asock_tcp_state_name(v->tcp_state), v->inq, v->outq,
		    v->readable ? 'r' : '-', v->writable ? 'w' : '-',
		    v->urgent ? 'u' : '-');
	addrs[0] = '\0';
	if (wide) {
		if (v->have_local)
			used = tui_draw_cat(line, sizeof line, used, "  L %s",
			    addr_format((const struct sockaddr *)&v->local, a,
			    sizeof a));
		if (v->have_peer)
			tui_draw_cat(line, sizeof line, used, "  P %s",
			    addr_format((const struct sockaddr *)&v->peer, a,
			    sizeof a));
	} else {
		used = 0;
		if (v->have_local)
			used = tui_draw_cat(addrs, sizeof addrs, used, "L %s",
			    addr_format((const struct sockaddr *)&v->local, a,
			    sizeof a));
		if (v->have_peer)
			tui_draw_cat(addrs, sizeof addrs, used, "%sP %s",
			    used > 0 ? "  " : "", addr_format(
			    (const struct sockaddr *)&v->peer, a, sizeof a));
	}
	attron(A_BOLD);
	mvaddnstr(y - detail, x, line, inner);
	attroff(A_BOLD);
	if (detail == 1) {
		/* No row for the error: the bottom border holds it. */
		tui_draw_border_err(t, sel, y, x, border_w);
		return;
	}
	if (!wide)
		mvaddnstr(y - 2, x, addrs, inner);
	if (sel->err != 0)
		attron(tui_draw_pair(t, TUI_PAIR_ERR));
	mvaddnstr(y - 1, x, sel->err != 0 ? tui_draw_err_text(sel, inner, 1,
	    err, sizeof err) : "no error", inner);
	attroff(tui_draw_pair(t, TUI_PAIR_ERR));
}

/*
 * A list pane: Server-Send's connections or the clients, one row each with
 * its address, state and counters, the selected one marked and kept in
 * view; above, the selected row's step results; below, its kernel view
 * and error. Narrow panes leave out the counters that cannot move on that
 * kind of socket (an accepted socket never gets OnAccept or OnConnect, a
 * client never OnAccept). Columns are as wide as their widest value, so
 * ids of 100 and counters of 1000 stay under their headings (numbers from
 * 10000 shortened: 16k, 1.6M); every line is cut to its buffer, whatever
 * the terminal's width.
 */
void
tui_draw_list(struct tui *t, enum lab_pane pane, int y, int x, int h, int w)
{
	const struct lab *lab = t->lab;
	const struct lab_sock *sel = lab_sel(lab, pane);
	struct tui_list_cols c;
	size_t n = lab_rows(lab, pane), i, first,
	    sel_i = lab_selected(lab, pane);
	char title[96], range[64];
	int inner = w - 2 * TUI_BORDER, row, detail, rows;

	tui_draw_list_cols(lab, pane, inner, &c);
	/* Under the list: kernel view, addresses (when narrow), error. */
	detail = h >= TUI_LIST_TALL ? 3 - c.wide : 1;
	rows = h - TUI_LIST_FRAME - detail;
	if (n == 0)
		snprintf(title, sizeof title, "%s: none yet", lab_pane_name(pane));
	else
		snprintf(title, sizeof title, "%s: %zu, #%u selected",
		    lab_pane_name(pane), n, sel->id);
	tui_draw_box(t, y, x, h, w, title);
	x += TUI_BORDER;

	tui_draw_list_steps(t, pane, sel, y + 1, x, inner);
	tui_draw_list_head(pane, &c, y + 2, x, inner);
	first = rows > 0 && sel_i >= (size_t)rows ? sel_i - (size_t)rows + 1 :
	    0;
	for (i = first, row = y + 3; i < n && row < y + 3 + rows; i++, row++) {
		tui_draw_list_row(pane, lab_row(lab, pane, i), i == sel_i, &c,
		    row, x, inner);
		tui_draw_hit(t, row, x, inner, 0, pane, i);	/* selects */
	}
	/* Which rows show, at the right end of the bottom border. */
	range[0] = '\0';
	if (rows > 0 && n > (size_t)rows)
		snprintf(range, sizeof range, " %zu-%zu of %zu ", first + 1,
		    first + (size_t)rows, n);
	if (range[0] != '\0' && (int)strlen(range) < inner)
		mvaddstr(y + h - 1, x + inner - (int)strlen(range), range);
	tui_draw_list_detail(t, sel, c.wide, detail, y + h - 1, x, inner,
	    inner - (int)strlen(range) - (range[0] != '\0'));
}

/*
 * The columns a bar gives its left part. The right part (the modes) wins
 * and the left is cut to make room, unless that would leave the left
 * TUI_BAR_KEEP columns or fewer: then the right part is left out.
 */
int
tui_draw_bar_room(const char *right)
{
	int room;

	if (right == NULL)
		return TUI_LINE_W;
	room = TUI_LINE_W - TUI_BAR_GAP - (int)strlen(right);
	return room > TUI_BAR_KEEP ? room : TUI_LINE_W;
}

void
tui_draw_bar(struct tui *t, int y, const char *left, const char *right)
{
	int room = tui_draw_bar_room(right);

	attron(A_REVERSE | tui_draw_pair(t, TUI_PAIR_TITLE));
	mvhline(y, 0, ' ', COLS);
	mvaddnstr(y, TUI_MARGIN, left, room);
	if (right != NULL && room < TUI_LINE_W)
		mvaddstr(y, COLS - TUI_MARGIN - (int)strlen(right), right);
	attroff(A_REVERSE | tui_draw_pair(t, TUI_PAIR_TITLE));
}

