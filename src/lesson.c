/*
 * lesson.c - read a lesson file (tcpstep-lesson(5)) into the guide's
 * struct guide_lesson.
 *
 * Lessons are written by instructors, not by us, so every way a file can
 * be wrong is one line "FILE:LINE: what is wrong", never a crash or a
 * half-read lesson (tests/fuzz/fuzz_lesson.c feeds it anything). A file
 * is read in two layers: physical lines (length, NUL bytes, control
 * characters, UTF-8, comments, continuations) make logical lines
 * "keyword: value", which are then checked against the lesson's shape.
 * Every string of a lesson lives in one buffer (l->text), so a lesson is
 * freed with one call and a failed parse leaves nothing behind.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bind.h"
#include "errname.h"
#include "escape.h"
#include "lesson.h"
#include "wire.h"

/* The longest errno a lesson may name; errname_name knows them all. */
#define LESSON_ERRNO_MAX	4096
/* Words in one expect: line; more is never a valid expect. */
#define LESSON_WORDS		8

struct lesson_parser {
	const char		*name;
	struct guide_lesson	*l;
	char			*err;
	size_t			 errlen;
	char			*out;		/* the free end of l->text */
	int			 line;		/* the logical line's first */
	char			 key[16];	/* its keyword */
	char			*value;		/* its value, in l->text */
	int			 step_line;	/* the current step's line */
	struct guide_step	*step;		/* NULL before the first */
	int			 expects;	/* expect: lines in the step */
	unsigned		 seen;		/* LP_* keywords given */
};

enum {
	LP_LESSON = 1, LP_GOAL = 2, LP_ROLE = 4, LP_SETUP = 8, LP_DONE = 16
};

/* Say what is wrong at line; returns -1 for the caller to return. */
static int
lesson_fail(struct lesson_parser *p, int line, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(p->err, p->errlen, "%s:%d: ", p->name, line);
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < p->errlen)
		vsnprintf(p->err + n, p->errlen - n, fmt, ap);
	va_end(ap);
	return -1;
}

/*
 * The file's own words in a message: escaped like network bytes (a
 * lesson may hold anything, and the message goes to a terminal) and cut
 * after 40 bytes. Two buffers: a message may quote twice.
 */
static const char *
lesson_quote(const char *s)
{
	static char buf[2][4 * 40 + 4];
	static int which;
	char *b = buf[which ^= 1];
	size_t n = strlen(s);

	if (escape_bytes(s, n > 40 ? 40 : n, b, sizeof buf[0] - 3) < n)
		strcat(b, "...");
	return b;
}

/*
 * The length of the UTF-8 sequence at s (n bytes left), or 0 when it is
 * not one: overlong forms, surrogates and values past U+10FFFF included.
 */
static size_t
lesson_utf8(const unsigned char *s, size_t n)
{
	size_t len, i;
	unsigned long c;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, c = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	return len;
}

/*
 * One physical line is text a terminal may show: no NUL, no control
 * character but a tab (an ESC would reach the screen through the
 * lesson's words), valid UTF-8.
 */
static int
lesson_line_ok(struct lesson_parser *p, int line, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i, k;

	if (n > LESSON_LINE_MAX)
		return lesson_fail(p, line, "line longer than %d bytes",
		    LESSON_LINE_MAX);
	for (i = 0; i < n; i += k) {
		if (u[i] == '\0')
			return lesson_fail(p, line, "NUL byte in the line");
		if ((u[i] < 0x20 && u[i] != '\t') || u[i] == 0x7f)
			return lesson_fail(p, line, "control character 0x%02x "
			    "in the line", u[i]);
		if ((k = lesson_utf8(u + i, n - i)) == 0)
			return lesson_fail(p, line, "not UTF-8 text");
	}
	return 0;
}

/* The op whose key the binding table names name; -1 if none. */
static int
lesson_op(const char *name, enum lab_op *op)
{
	int i;

	for (i = 0; i < LAB_OPS; i++)
		if (bind_op(i) != NULL && strcmp(bind_op_name(i), name) == 0) {
			*op = i;
			return 0;
		}
	return -1;
}

/* Split s in place at blanks into at most max words; returns how many. */
static int
lesson_words(char *s, char **w, int max)
{
	int n = 0;

	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0')
			return n;
		if (n == max)
			return max + 1;
		w[n++] = s;
		while (*s != '\0' && *s != ' ' && *s != '\t')
			s++;
		if (*s != '\0')
			*s++ = '\0';
	}
}

/* setup: the keys the guide presses first. */
static int
lesson_setup(struct lesson_parser *p)
{
	char *w[GUIDE_SETUP_MAX + 1];
	enum lab_op op;
	int n, i;

	n = lesson_words(p->value, w, GUIDE_SETUP_MAX);
	if (n > GUIDE_SETUP_MAX)
		return lesson_fail(p, p->line, "more than %d keys in "
		    "\"setup:\"", GUIDE_SETUP_MAX);
	for (i = 0; i < n; i++) {
		if (lesson_op(w[i], &op) == -1)
			return lesson_fail(p, p->line, "unknown key \"%s\" "
			    "(see tcpstep --help)", lesson_quote(w[i]));
		/* r and m would undo the lesson the guide just started. */
		if (op == LAB_OP_RESET || op == LAB_OP_MODEL)
			return lesson_fail(p, p->line, "key \"%s\" cannot be "
			    "in \"setup:\"", w[i]);
		p->l->setup[i] = op;
	}
	p->l->setup[n] = LAB_OP_NONE;
	return 0;
}

/* A step's key: one of the lab's steps, or a (auto mode). */
static int
lesson_step(struct lesson_parser *p)
{
	struct guide_lesson *l = p->l;
	char *w[2];
	enum lab_op op;

	if (l->nsteps == GUIDE_STEPS_MAX)
		return lesson_fail(p, p->line, "more than %d steps",
		    GUIDE_STEPS_MAX);
	if (strpbrk(p->value, " \t") != NULL ||
	    lesson_words(p->value, w, 1) != 1)
		return lesson_fail(p, p->line, "\"step:\" takes one key, not "
		    "\"%s\"", lesson_quote(p->value));
	if (lesson_op(w[0], &op) == -1)
		return lesson_fail(p, p->line, "unknown key \"%s\" (see "
		    "tcpstep --help)", lesson_quote(w[0]));
	if (!lab_op_is_step(op) && op != LAB_OP_AUTO)
		return lesson_fail(p, p->line, "key \"%s\" cannot be a step "
		    "(a step is one of the lab's steps, or %s)", w[0],
		    bind_op_name(LAB_OP_AUTO));
	p->step = &l->steps[l->nsteps++];
	p->step->op = op;
	p->step->check.kind = GK_OK;
	p->step_line = p->line;
	p->expects = 0;
	return 0;
}

/*
 * A number in an expect: "13", "2 records", "record" (the lab's time
 * record, LAB_RECORD_SIZE bytes); a "bytes" after it is allowed. *i moves
 * past the words it took.
 */
static int
lesson_number(struct lesson_parser *p, char **w, int n, int *i,
    unsigned long *v)
{
	const char *s;
	char *end;

	if (*i >= n)
		return lesson_fail(p, p->line, "expect: a number is missing");
	s = w[*i];
	if (strcmp(s, "record") == 0 || strcmp(s, "records") == 0) {
		*v = LAB_RECORD_SIZE;
		(*i)++;
		return 0;
	}
	errno = 0;
	if (s[0] < '0' || s[0] > '9' || strlen(s) > 9 ||
	    (*v = strtoul(s, &end, 10), *end != '\0'))
		return lesson_fail(p, p->line, "expect: \"%s\" is not a "
		    "number", lesson_quote(s));
	(*i)++;
	if (*i < n && (strcmp(w[*i], "record") == 0 ||
	    strcmp(w[*i], "records") == 0)) {
		*v *= LAB_RECORD_SIZE;
		(*i)++;
	} else if (*i < n && (strcmp(w[*i], "bytes") == 0 ||
	    strcmp(w[*i], "byte") == 0))
		(*i)++;
	return 0;
}

/* An errno by its name ("ECONNRESET"); "0" when zero is allowed. */
static int
lesson_errno(struct lesson_parser *p, const char *name, int zero, int *err)
{
	int e;

	for (e = zero ? 0 : 1; e < LESSON_ERRNO_MAX; e++)
		if (strcmp(errname_name(e), name) == 0) {
			*err = e;
			return 0;
		}
	return lesson_fail(p, p->line, "expect: unknown error \"%s\"",
	    lesson_quote(name));
}

/* "SYN,ACK": the flags as batch's wire lines join them. */
static int
lesson_flags(struct lesson_parser *p, char *s, unsigned long *flags)
{
	static const char *names[] = {
		"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"
	};
	char *f, *save;
	size_t i;

	*flags = 0;
	for (f = strtok_r(s, ",", &save); f != NULL;
	    f = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < sizeof names / sizeof names[0]; i++)
			if (strcmp(f, names[i]) == 0)
				break;
		if (i == sizeof names / sizeof names[0])
			return lesson_fail(p, p->line, "expect: unknown TCP "
			    "flag \"%s\"", lesson_quote(f));
		*flags |= 1UL << i;	/* WIRE_FIN is bit 0, and so on */
	}
	if (*flags == 0)
		return lesson_fail(p, p->line, "expect: wire needs flags, "
		    "e.g. SYN,ACK");
	return 0;
}

static int
lesson_pane(const char *s, size_t len, enum lab_pane *pane)
{
	if (len == 6 && strncmp(s, "server", len) == 0)
		*pane = LAB_SERVER;
	else if (len == 11 && strncmp(s, "server-send", len) == 0)
		*pane = LAB_SEND;
	else if (len == 6 && strncmp(s, "client", len) == 0)
		*pane = LAB_CLIENT;
	else
		return -1;
	return 0;
}

/*
 * "client" reads the pane's selected row; "client#2" the row numbered 2
 * in the list's # column, whichever is selected. The Server has one
 * socket. Clients are never more than LAB_CLIENTS_MAX until r; a
 * Server-Send row's number goes on growing as a full list drops closed
 * rows, so only its digits are bounded.
 */
#define LESSON_ROW_MAX	999999	/* six digits */

static int
lesson_pane_row(struct lesson_parser *p, const char *s, struct guide_check *c)
{
	const char *hash = strchr(s, '#');
	size_t max;
	char *end;

	if (lesson_pane(s, hash != NULL ? (size_t)(hash - s) : strlen(s),
	    &c->pane) == -1)
		return lesson_fail(p, p->line, "expect: unknown pane \"%s\" "
		    "(server, server-send or client, or a row: client#2)",
		    lesson_quote(s));
	c->row = 0;
	if (hash == NULL)
		return 0;
	if (c->pane == LAB_SERVER)
		return lesson_fail(p, p->line, "expect: the Server has one "
		    "socket and no rows: write server, not \"%s\"",
		    lesson_quote(s));
	max = c->pane == LAB_SEND ? LESSON_ROW_MAX : LAB_CLIENTS_MAX;
	if (hash[1] < '1' || hash[1] > '9' || strlen(hash + 1) > 6 ||
	    (c->row = strtoul(hash + 1, &end, 10), *end != '\0') ||
	    c->row > max) {
		if (c->pane == LAB_SEND)
			return lesson_fail(p, p->line, "expect: \"%s\" is not "
			    "a row: rows are numbered from 1, as the list's # "
			    "column shows them", lesson_quote(s));
		return lesson_fail(p, p->line, "expect: \"%s\" is not a row: "
		    "rows are numbered 1 to %zu, as the list's # column shows "
		    "them", lesson_quote(s), max);
	}
	return 0;
}

/* "PANE NOTE >= N [error E]", "PANE inq == N" and the other pane forms. */
static int
lesson_expect_pane(struct lesson_parser *p, struct guide_check *c, char **w,
    int n)
{
	int i = 2, note;

	if (lesson_pane_row(p, w[0], c) == -1)
		return -1;
	if (n < 2)
		return lesson_fail(p, p->line, "expect: what of %s?", w[0]);
	if (strcmp(w[1], "received") == 0) {
		c->kind = GK_RECEIVED;
		if (lesson_number(p, w, n, &i, &c->n) == -1)
			return -1;
	} else {
		if (strcmp(w[1], "inq") == 0)
			c->kind = GK_INQ;
		else if (strcmp(w[1], "rows") == 0 && c->row != 0)
			return lesson_fail(p, p->line, "expect: rows counts "
			    "a pane's rows: name the pane without a row, not "
			    "\"%s\"", lesson_quote(w[0]));
		else if (strcmp(w[1], "rows") == 0)
			c->kind = GK_ROWS;
		else {
			for (note = 0; note < ASOCK_NOTES; note++)
				if (strcmp(w[1], asock_note_name(note)) == 0)
					break;
			if (note == ASOCK_NOTES)
				return lesson_fail(p, p->line, "expect: "
				    "unknown counter \"%s\" (inq, rows, "
				    "received, or OnAccept, OnClose, "
				    "OnConnect, OnOutOfBandData, OnReceive, "
				    "OnSend)", lesson_quote(w[1]));
			c->note = note;
			c->kind = GK_COUNT;
		}
		if (n < 3 || (strcmp(w[2], "==") != 0 &&
		    (c->kind != GK_COUNT || strcmp(w[2], ">=") != 0)))
			return lesson_fail(p, p->line, "expect: give %s after "
			    "%s", c->kind == GK_COUNT ? ">= or ==" : "==",
			    w[1]);
		if (c->kind == GK_COUNT && strcmp(w[2], "==") == 0)
			c->kind = GK_EXACT;
		i = 3;
		if (lesson_number(p, w, n, &i, &c->n) == -1)
			return -1;
		if (c->kind == GK_COUNT && i + 1 < n &&
		    strcmp(w[i], "error") == 0) {
			if (lesson_errno(p, w[i + 1], 1, &c->err) == -1)
				return -1;
			i += 2;
		}
	}
	if (i < n)
		return lesson_fail(p, p->line, "expect: unexpected \"%s\"",
		    lesson_quote(w[i]));
	return 0;
}

/* One expect: line, into the step's next check. */
static int
lesson_expect(struct lesson_parser *p)
{
	struct guide_step *s = p->step;
	struct guide_check *c;
	char *w[LESSON_WORDS + 1];
	int n;

	if (p->expects == GUIDE_EXPECTS)
		return lesson_fail(p, p->line, "more than %d \"expect:\" "
		    "lines in one step", GUIDE_EXPECTS);
	c = p->expects == 0 ? &s->check : &s->more[s->nmore++];
	p->expects++;
	n = lesson_words(p->value, w, LESSON_WORDS);
	if (n > LESSON_WORDS)
		return lesson_fail(p, p->line, "expect: too many words");
	if (strcmp(w[0], "ok") == 0 && n == 1)
		c->kind = GK_OK;
	else if (strcmp(w[0], "error") == 0 && n == 2) {
		c->kind = GK_ERR;
		return lesson_errno(p, w[1], 0, &c->err);
	} else if (strcmp(w[0], "auto") == 0 && n == 2 &&
	    (strcmp(w[1], "on") == 0 || strcmp(w[1], "off") == 0)) {
		c->kind = GK_AUTO;
		c->n = strcmp(w[1], "on") == 0;
	} else if (strcmp(w[0], "wire") == 0 && (n == 2 || n == 3)) {
		c->kind = GK_WIRE;
		if (n == 3 && strcmp(w[2], "client>server") == 0)
			c->dir = GD_TO_SERVER;
		else if (n == 3 && strcmp(w[2], "server>client") == 0)
			c->dir = GD_TO_CLIENT;
		else if (n == 3)
			return lesson_fail(p, p->line, "expect: give "
			    "client>server or server>client, not \"%s\"",
			    lesson_quote(w[2]));
		return lesson_flags(p, w[1], &c->n);
	} else if (strcmp(w[0], "ok") == 0 || strcmp(w[0], "error") == 0 ||
	    strcmp(w[0], "auto") == 0 || strcmp(w[0], "wire") == 0)
		return lesson_fail(p, p->line, "expect: \"%s\" is not how "
		    "\"%s\" is written (see tcpstep-lesson(5))",
		    lesson_quote(p->value), w[0]);
	else
		return lesson_expect_pane(p, c, w, n);
	return 0;
}

/* A text line's value, once: "goal: ..." given twice is a mistake. */
static int
lesson_text(struct lesson_parser *p, const char **where)
{
	if (*where != NULL)
		return lesson_fail(p, p->line, "\"%s:\" given twice in this "
		    "step", p->key);
	*where = p->value;
	return 0;
}

/*
 * on: who acts in a step of a two-machine lesson. Each side has only its
 * own panes, so a step whose key acts on the other side's pane could
 * never be pressed where the lesson says.
 */
static int
lesson_on(struct lesson_parser *p)
{
	struct guide_step *s = p->step;
	enum guide_side on;
	enum lab_pane pane;

	if (!p->l->pair)
		return lesson_fail(p, p->line, "\"on:\" is for two-machine "
		    "lessons: give \"role: pair\" before the first \"step:\"");
	if (s->on != GS_EITHER)
		return lesson_fail(p, p->line, "\"on:\" given twice in this "
		    "step");
	if (strcmp(p->value, "server") == 0)
		on = GS_SERVER;
	else if (strcmp(p->value, "client") == 0)
		on = GS_CLIENT;
	else
		return lesson_fail(p, p->line, "on: give server or client, not "
		    "\"%s\"", lesson_quote(p->value));
	/* Auto mode (a) is no pane's: either side may turn it on. */
	pane = lab_op_pane(s->op);
	if (lab_op_is_step(s->op) && (pane == LAB_CLIENT) != (on == GS_CLIENT))
		return lesson_fail(p, p->line, "on: %s, but key \"%s\" is a "
		    "step of the %s pane, which only tcpstep %s has",
		    p->value, bind_op_name(s->op), lab_pane_name(pane),
		    pane == LAB_CLIENT ? "-c" : "-s");
	s->on = on;
	return 0;
}

/*
 * The last step read has its say: (and, in a pair lesson, its on:), or
 * the file is wrong there.
 */
static int
lesson_step_done(struct lesson_parser *p)
{
	if (p->step != NULL && p->step->say == NULL)
		return lesson_fail(p, p->step_line, "step %d has no \"say:\"",
		    p->l->nsteps);
	if (p->step != NULL && p->l->pair && p->step->on == GS_EITHER)
		return lesson_fail(p, p->step_line, "step %d has no \"on:\" "
		    "(in a \"role: pair\" lesson each step says who acts: "
		    "on: server or on: client)", p->l->nsteps);
	return 0;
}

/* Once per keyword line: the keywords before the first step. */
static int
lesson_head(struct lesson_parser *p, unsigned bit)
{
	if (p->step != NULL)
		return lesson_fail(p, p->line, "\"%s:\" must come before the "
		    "first \"step:\"", p->key);
	if (p->seen & bit)
		return lesson_fail(p, p->line, "\"%s:\" given twice", p->key);
	p->seen |= bit;
	return 0;
}

/* One logical line "keyword: value", checked against the lesson's shape. */
static int
lesson_logical(struct lesson_parser *p)
{
	struct guide_lesson *l = p->l;
	struct guide_step *s = p->step;
	const char *k = p->key;

	if (p->value[0] == '\0')
		return lesson_fail(p, p->line, "\"%s:\" has no value", k);
	if (!(p->seen & LP_LESSON) && strcmp(k, "lesson") != 0)
		return lesson_fail(p, p->line, "\"lesson:\" must come first, "
		    "not \"%s:\"", k);
	if ((p->seen & LP_DONE))
		return lesson_fail(p, p->line, "\"%s:\" after \"done:\" (it "
		    "ends the lesson)", k);
	if (strcmp(k, "lesson") == 0) {
		if (lesson_head(p, LP_LESSON) == -1)
			return -1;
		l->title = p->value;
	} else if (strcmp(k, "goal") == 0) {
		if (lesson_head(p, LP_GOAL) == -1)
			return -1;
		l->goal = p->value;
	} else if (strcmp(k, "role") == 0) {
		if (lesson_head(p, LP_ROLE) == -1)
			return -1;
		if (strcmp(p->value, "all-in-one") == 0)
			l->role = LAB_ALL_IN_ONE;
		else if (strcmp(p->value, "server") == 0)
			l->role = LAB_ROLE_SERVER;
		else if (strcmp(p->value, "client") == 0)
			l->role = LAB_ROLE_CLIENT;
		else if (strcmp(p->value, "pair") == 0)
			l->pair = 1;
		else
			return lesson_fail(p, p->line, "role: give all-in-one, "
			    "server, client or pair, not \"%s\"",
			    lesson_quote(p->value));
	} else if (strcmp(k, "setup") == 0) {
		if (lesson_head(p, LP_SETUP) == -1)
			return -1;
		return lesson_setup(p);
	} else if (strcmp(k, "step") == 0) {
		if (lesson_step_done(p) == -1)
			return -1;
		return lesson_step(p);
	} else if (strcmp(k, "done") == 0) {
		if (s == NULL)
			return lesson_fail(p, p->line, "\"done:\" before any "
			    "\"step:\"");
		if (lesson_step_done(p) == -1)
			return -1;
		p->seen |= LP_DONE;
		l->done = p->value;
	} else if (strcmp(k, "say") == 0 || strcmp(k, "expect") == 0 ||
	    strcmp(k, "waiting") == 0 || strcmp(k, "then") == 0 ||
	    strcmp(k, "on") == 0) {
		if (s == NULL)
			return lesson_fail(p, p->line, "\"%s:\" outside a "
			    "step (it follows \"step:\")", k);
		if (strcmp(k, "say") == 0)
			return lesson_text(p, &s->say);
		if (strcmp(k, "waiting") == 0)
			return lesson_text(p, &s->check.waiting);
		if (strcmp(k, "then") == 0)
			return lesson_text(p, &s->then);
		if (strcmp(k, "on") == 0)
			return lesson_on(p);
		return lesson_expect(p);
	} else
		return lesson_fail(p, p->line, "unknown keyword \"%s:\"",
		    lesson_quote(k));
	return 0;
}

/*
 * A keyword line: "keyword:" and its value, which starts a new logical
 * line in the text buffer.
 */
static int
lesson_keyword(struct lesson_parser *p, int line, const char *s, size_t n)
{
	char quote[42];
	size_t k = 0;

	while (k < n && ((s[k] >= 'a' && s[k] <= 'z') || s[k] == '-'))
		k++;
	if (k == 0 || k >= n || s[k] != ':' || k >= sizeof p->key) {
		snprintf(quote, sizeof quote, "%.*s", (int)(n > 41 ? 41 : n),
		    s);
		return lesson_fail(p, line, "expected \"keyword: value\", "
		    "not \"%s\"", lesson_quote(quote));
	}
	memcpy(p->key, s, k);
	p->key[k] = '\0';
	p->line = line;
	p->value = p->out;
	for (k++; k < n && (s[k] == ' ' || s[k] == '\t'); k++)
		;
	memcpy(p->out, s + k, n - k);
	p->out += n - k;
	return 0;
}

/* End the logical line being read (if any): trim it, then check it. */
static int
lesson_end_logical(struct lesson_parser *p)
{
	if (p->value == NULL)
		return 0;
	while (p->out > p->value && (p->out[-1] == ' ' || p->out[-1] == '\t'))
		p->out--;
	*p->out++ = '\0';
	if (lesson_logical(p) == -1)
		return -1;
	p->value = NULL;
	return 0;
}

/* What every lesson must have, once the file has ended at line last. */
static int
lesson_complete(struct lesson_parser *p, int last)
{
	if (!(p->seen & LP_LESSON))
		return lesson_fail(p, last, "no \"lesson:\" line");
	if (!(p->seen & LP_GOAL))
		return lesson_fail(p, last, "no \"goal:\" line");
	if (p->step == NULL)
		return lesson_fail(p, last, "no \"step:\" line");
	if (lesson_step_done(p) == -1)
		return -1;
	if (!(p->seen & LP_DONE))
		return lesson_fail(p, last, "no \"done:\" line");
	return 0;
}

/* The physical lines: comments, blank lines, continuations, keywords. */
static int
lesson_lines(struct lesson_parser *p, const char *data, size_t len)
{
	const char *s = data, *nl, *end = data + len;
	size_t n, i;
	int line = 0;

	while (s < end) {
		line++;
		nl = memchr(s, '\n', end - s);
		n = (nl != NULL ? nl : end) - s;
		if (lesson_line_ok(p, line, s, n - (n > 0 && s[n - 1] == '\r'))
		    == -1)
			return -1;
		if (n > 0 && s[n - 1] == '\r')
			n--;	/* a file written on Windows */
		for (i = 0; i < n && (s[i] == ' ' || s[i] == '\t'); i++)
			;
		if (i == n || s[i] == '#')
			;	/* blank or a comment */
		else if (i > 0) {
			if (p->value == NULL)
				return lesson_fail(p, line, "continuation line "
				    "with nothing to continue");
			*p->out++ = ' ';
			memcpy(p->out, s + i, n - i);
			p->out += n - i;
		} else if (lesson_end_logical(p) == -1 ||
		    lesson_keyword(p, line, s, n) == -1)
			return -1;
		if (nl == NULL)
			break;
		s = nl + 1;
	}
	if (lesson_end_logical(p) == -1)
		return -1;
	return lesson_complete(p, line > 0 ? line : 1);
}

int
lesson_parse(const char *name, const char *data, size_t len,
    struct guide_lesson *l, char *err, size_t errlen)
{
	struct lesson_parser p;
	size_t nlen = strlen(name);

	memset(l, 0, sizeof *l);
	memset(&p, 0, sizeof p);
	p.name = name;
	p.l = l;
	p.err = err;
	p.errlen = errlen;
	if (len > LESSON_SIZE_MAX)
		return lesson_fail(&p, 1, "file larger than %d bytes",
		    LESSON_SIZE_MAX);
	/*
	 * Room for every value: a value is never longer than its lines,
	 * plus a space per continuation (which replaces a newline) and a NUL.
	 */
	if ((l->text = malloc(nlen + 1 + 2 * len + 2)) == NULL) {
		snprintf(err, errlen, "%s: out of memory", name);
		return -1;
	}
	memcpy(l->text, name, nlen + 1);
	l->file = l->text;
	p.out = l->text + nlen + 1;
	l->setup[0] = LAB_OP_NONE;
	if (lesson_lines(&p, data, len) == -1) {
		lesson_free(l);
		return -1;
	}
	/* The step after the last ends the list (say NULL). */
	l->steps[l->nsteps].say = NULL;
	return 0;
}

int
lesson_load(const char *path, struct guide_lesson *l, char *err,
    size_t errlen)
{
	static char buf[LESSON_SIZE_MAX + 1];
	FILE *fp;
	size_t n;
	int bad;

	memset(l, 0, sizeof *l);
	if ((fp = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	n = fread(buf, 1, sizeof buf, fp);
	bad = ferror(fp);
	fclose(fp);
	if (bad) {
		snprintf(err, errlen, "%s: cannot read it", path);
		return -1;
	}
	return lesson_parse(path, buf, n, l, err, errlen);
}

void
lesson_free(struct guide_lesson *l)
{
	free(l->text);
	memset(l, 0, sizeof *l);
	l->setup[0] = LAB_OP_NONE;
}
