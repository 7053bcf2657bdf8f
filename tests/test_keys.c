/*
 * test_keys.c - the binding table is the one list of keys: every key in
 * it is documented in the man page's KEYS and in --help, and every key
 * they document is in it. With --list, print the keys the help pages must
 * show ("name<TAB>help"), and with --legend the legend's items, for
 * tests/keys.sh to check the screen.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bind.h"
#include "guide_lessons.h"
#include "lab.h"
#include "opts.h"

#define WORDS_MAX	512

struct words {
	char	*w[WORDS_MAX];
	size_t	 n;
};

static void
words_add(struct words *ws, const char *w, size_t len)
{
	if (len == 0 || ws->n == WORDS_MAX)
		return;
	ws->w[ws->n++] = strndup(w, len);
}

static int
words_has(const struct words *ws, const char *w)
{
	size_t i;

	for (i = 0; i < ws->n; i++)
		if (strcmp(ws->w[i], w) == 0)
			return 1;
	return 0;
}

static void
words_free(struct words *ws)
{
	while (ws->n > 0)
		free(ws->w[--ws->n]);
}

/* Split text at any of seps; "\&" (mdoc's zero-width escape) is dropped. */
static void
words_split(struct words *ws, const char *text, const char *seps)
{
	const char *p = text, *q;

	while (*p != '\0') {
		if (strncmp(p, "\\&", 2) == 0) {
			p += 2;
			continue;
		}
		q = p;
		while (*q != '\0' && strchr(seps, *q) == NULL &&
		    strncmp(q, "\\&", 2) != 0)
			q++;
		words_add(ws, p, (size_t)(q - p));
		p = *q != '\0' && strncmp(q, "\\&", 2) != 0 ? q + 1 : q;
	}
}

/* The man page's key list: the .It lines of KEYS, and the .Ic in them. */
static void
man_keys(struct words *items, struct words *all)
{
	FILE *fp = fopen("man/tcpstep.1", "r");
	char line[512];
	int in = 0;

	assert_non_null(fp);
	while (fgets(line, sizeof line, fp) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, ".Sh ", 4) == 0)
			in = strcmp(line, ".Sh KEYS") == 0;
		if (strncmp(line, ".It ", 4) == 0)
			words_split(all, line + 4, " ,");
		if (!in)
			continue;
		if (strncmp(line, ".It ", 4) == 0)
			words_split(items, line + 4, " ,");
		else if (strncmp(line, ".Ic ", 4) == 0)
			words_split(items, line + 4, " ,");
	}
	fclose(fp);
}

/* --help's "Keys:" paragraph, as words; "1-9" stands for 1 ... 9. */
static void
help_keys(struct words *ws)
{
	char *text = NULL, *keys, *p;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);
	char d[2] = { 0, 0 };

	assert_non_null(fp);
	opts_usage(fp);
	fclose(fp);
	keys = strstr(text, "\nKeys: ");
	assert_non_null(keys);
	if ((p = strstr(keys, "\nSee ")) != NULL)
		*p = '\0';
	words_split(ws, keys + 7, " \n,;/()");
	if (words_has(ws, "1-9"))
		for (d[0] = '1'; d[0] <= '9'; d[0]++)
			words_add(ws, d, 1);
	free(text);
}

/* Every key of the table is in the man page's KEYS (batch's w anywhere). */
static void
test_table_keys_in_man(void **state)
{
	struct words items = { .n = 0 }, all = { .n = 0 };
	const struct bind *b;

	(void)state;
	man_keys(&items, &all);
	for (b = bind_table; b->key != 0; b++) {
		if (!words_has((b->fronts & BIND_TUI) ? &items : &all,
		    b->name))
			fail_msg("key %s of the binding table is not in "
			    "tcpstep(1)'s KEYS", b->name);
	}
	words_free(&items);
	words_free(&all);
}

/* Every key the man page's KEYS lists is bound. */
static void
test_man_keys_in_table(void **state)
{
	struct words items = { .n = 0 }, all = { .n = 0 };
	const struct bind *b;
	size_t i;
	int found;

	(void)state;
	man_keys(&items, &all);
	assert_true(items.n > 20);
	for (i = 0; i < items.n; i++) {
		for (found = 0, b = bind_table; b->key != 0 && !found; b++)
			found = strcmp(b->name, items.w[i]) == 0;
		if (!found)
			fail_msg("tcpstep(1) lists key %s, which is not bound",
			    items.w[i]);
	}
	words_free(&items);
	words_free(&all);
}

/* --help names every key, and names no key that is not bound. */
static void
test_help_agrees(void **state)
{
	struct words ws = { .n = 0 };
	const struct bind *b;
	size_t i;
	int bound;

	(void)state;
	help_keys(&ws);
	for (b = bind_table; b->key != 0; b++)
		if (!words_has(&ws, b->name))
			fail_msg("--help does not name key %s", b->name);
	for (i = 0; i < ws.n; i++) {
		/* A one-character word is a key there, whatever its case. */
		if (strlen(ws.w[i]) != 1 || !isgraph((unsigned char)ws.w[i][0]))
			continue;
		for (bound = 0, b = bind_table; b->key != 0 && !bound; b++)
			bound = strcmp(b->name, ws.w[i]) == 0;
		if (!bound)
			fail_msg("--help names key %s, which is not bound",
			    ws.w[i]);
	}
	words_free(&ws);
}

/* Each key is bound once per front end, and each step has a key. */
static void
test_table_is_consistent(void **state)
{
	const struct bind *b, *c;
	int op;

	(void)state;
	for (b = bind_table; b->key != 0; b++) {
		for (c = b + 1; c->key != 0; c++)
			if (c->key == b->key && (c->fronts & b->fronts) != 0)
				fail_msg("key %s is bound twice", b->name);
		assert_non_null(b->name);
		if (b->cmd == BIND_LAB)
			assert_true(b->op < LAB_OPS);
	}
	for (op = 0; op < LAB_OPS; op++)
		if (bind_op((enum lab_op)op) == NULL)
			fail_msg("lab operation %d has no key", op);
	/* Batch takes exactly the keys the table gives it. */
	for (op = 1; op < 0x80; op++)
		assert_int_equal(opts_is_key(op),
		    bind_key(op, BIND_BATCH) != NULL);
}

/*
 * A lesson step's text that says "Press K" names the key of the step's
 * operation, so rebinding a key cannot leave a lesson telling the
 * learner to press another.
 */
static void
test_lessons_name_their_keys(void **state)
{
	const struct guide_step *s;
	const char *name;
	size_t len, checked = 0;
	int l;

	char err[512];

	(void)state;
	/* The shipped lessons, read as tcpstep reads them (run from the tree). */
	if (getenv("TCPSTEP_LESSONS") == NULL)
		setenv("TCPSTEP_LESSONS", "lessons", 1);
	if (guide_lessons_load(err, sizeof err) == -1)
		fail_msg("the lessons do not load: %s", err);
	assert_int_equal(GUIDE_LESSONS, 10);
	for (l = 0; l < GUIDE_LESSONS; l++)
		for (s = guide_lessons[l].steps; s->say != NULL; s++) {
			if (strncmp(s->say, "Press ", 6) != 0)
				continue;
			name = bind_op_name(s->op);
			len = strcspn(s->say + 6, " :");
			if (len != strlen(name) ||
			    strncmp(s->say + 6, name, len) != 0)
				fail_msg("lesson %d: \"%s\" runs the op of key "
				    "%s", l + 1, s->say, name);
			checked++;
		}
	assert_true(checked > 30);
	guide_lessons_free();
}

/*
 * What the legend may show of a pane's step keys, written here from the
 * table on its own (not with the TUI's code, which it checks): the names
 * of the pane's grouped keys, then the pane's name.
 */
static const char *
legend_group(int pane, int alone, char *buf, size_t len)
{
	const struct bind *b;
	size_t used = 0;

	buf[0] = '\0';
	for (b = bind_table; b->key != 0; b++)
		if (b->cmd == BIND_LAB && lab_op_is_step(b->op) &&
		    (int)lab_op_pane(b->op) == pane &&
		    (b->group == BIND_GROUP_PANE ||
		    (alone && b->group == BIND_GROUP_ALONE)))
			used += (size_t)snprintf(buf + used, len - used, "%s",
			    b->name);
	if (used > 0)
		snprintf(buf + used, len - used, " %s",
		    lab_pane_name((enum lab_pane)pane));
	return buf;
}

/* The article's steps of a role: "1-9 step", or "1 2 5 6 9 steps". */
static const char *
legend_steps(unsigned panes, char *buf, size_t len)
{
	const struct bind *b;
	size_t used = 0, n = 0, all = 0;

	buf[0] = '\0';
	for (b = bind_table; b->key != 0; b++) {
		if (b->cmd != BIND_LAB || !lab_op_is_step(b->op) ||
		    b->page != 1)
			continue;
		all++;
		if ((panes & (1u << lab_op_pane(b->op))) == 0)
			continue;
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
		    n++ > 0 ? " " : "", b->name);
	}
	if (n == all && n > 1)
		snprintf(buf, len, "%s-%s step",
		    bind_op_name(LAB_OP_SERVER_CREATE),
		    bind_op_name(LAB_OP_CONN_RECEIVE));
	else
		snprintf(buf + used, len - used, " steps");
	return buf;
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_is_consistent),
		cmocka_unit_test(test_table_keys_in_man),
		cmocka_unit_test(test_man_keys_in_table),
		cmocka_unit_test(test_help_agrees),
		cmocka_unit_test(test_lessons_name_their_keys),
	};
	/* The panes of each role: all in one, -s, -c. */
	static const unsigned roles[] = {
		1u << LAB_SERVER | 1u << LAB_SEND | 1u << LAB_CLIENT,
		1u << LAB_SERVER | 1u << LAB_SEND,
		1u << LAB_CLIENT
	};
	const struct bind *b;
	char buf[128];
	size_t r;
	int pane, alone;

	if (argc > 1 && strcmp(argv[1], "--list") == 0) {
		for (b = bind_table; b->key != 0; b++)
			if ((b->fronts & BIND_TUI) && b->help != NULL)
				printf("%s\t%s\n", b->label != NULL ?
				    b->label : b->name, b->help);
		return 0;
	}
	/*
	 * With --legend, every item the legend may show from the table, one
	 * a line: the keys' own, guided mode's, the groups of step keys of
	 * each pane (all in one and alone) and the steps of each role.
	 */
	if (argc > 1 && strcmp(argv[1], "--legend") == 0) {
		for (b = bind_table; b->key != 0; b++) {
			if (b->legend != NULL)
				printf("%s\n", b->legend);
			if (b->guided != NULL)
				printf("%s\n", b->guided);
		}
		for (pane = 0; pane < LAB_PANES; pane++)
			for (alone = 0; alone < 2; alone++)
				if (*legend_group(pane, alone, buf, sizeof buf))
					printf("%s\n", buf);
		for (r = 0; r < sizeof roles / sizeof roles[0]; r++)
			printf("%s\n", legend_steps(roles[r], buf, sizeof buf));
		return 0;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
