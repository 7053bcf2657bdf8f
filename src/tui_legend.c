/*
 * tui_legend.c - the legend, the bottom line of the main screen: the keys
 * that matter now, for this role and state, the most useful first. Every
 * item is the binding table's (src/bind.c): a key's own legend item, or a
 * group of step keys built from the table here.
 */
#include <stdio.h>
#include <string.h>

#include "bind.h"
#include "guide.h"
#include "lab.h"
#include "tui_draw.h"
#include "tui_legend.h"

/* Append s to buf, never past its end; returns the length now. */
static size_t
tui_legend_cat(char *buf, size_t len, size_t used, const char *s)
{
	int n;

	if (used + 1 >= len)
		return used;
	n = snprintf(buf + used, len - used, "%s", s);
	used += n > 0 ? (size_t)n : 0;
	return used < len ? used : len - 1;
}

/*
 * "xhzufd Client": the pane's step keys that the table puts in its group
 * (BIND_GROUP_ALONE ones only in -s and -c, where alone is set), in the
 * table's order, so the legend reads as the help page lists them.
 */
static const char *
tui_legend_group(int pane, int alone, char *buf, size_t len)
{
	const struct bind *b;
	size_t used = 0;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	for (b = bind_table; b->key != 0; b++) {
		if (b->cmd != BIND_LAB || !lab_op_is_step(b->op) ||
		    (int)lab_op_pane(b->op) != pane)
			continue;
		if (b->group == BIND_GROUP_PANE ||
		    (alone && b->group == BIND_GROUP_ALONE))
			used = tui_legend_cat(buf, len, used, b->name);
	}
	if (used > 0) {
		used = tui_legend_cat(buf, len, used, " ");
		tui_legend_cat(buf, len, used, lab_pane_name((enum lab_pane)pane));
	}
	return buf;
}

/*
 * The article's steps of the panes this role has (a bit per pane): "1-9
 * step" when it has them all, else "1 2 5 6 9 steps".
 */
static const char *
tui_legend_steps(unsigned panes, char *buf, size_t len)
{
	const struct bind *b, *first = NULL, *last = NULL;
	size_t used = 0;
	int all = 1;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	for (b = bind_table; b->key != 0; b++) {
		if (b->cmd != BIND_LAB || !lab_op_is_step(b->op) ||
		    b->page != 1)
			continue;
		if ((panes & (1u << lab_op_pane(b->op))) == 0) {
			all = 0;
			continue;
		}
		if (first == NULL)
			first = b;
		last = b;
		used = tui_legend_cat(buf, len, used, used > 0 ? " " : "");
		used = tui_legend_cat(buf, len, used, b->name);
	}
	if (first == NULL)
		return buf;
	if (all && first != last)
		snprintf(buf, len, "%s-%s step", first->name, last->name);
	else
		tui_legend_cat(buf, len, used, " steps");
	return buf;
}

/* Add an item to the legend if it fits in room columns. */
static void
tui_legend_add(char *buf, size_t len, int room, const char *item)
{
	size_t n = strlen(buf);

	if (item == NULL || item[0] == '\0')
		return;
	if ((int)(n + (n > 0 ? TUI_BAR_GAP : 0) + strlen(item)) <= room)
		snprintf(buf + n, len - n, "%s%s", n > 0 ? "  " : "", item);
}

/* The legend's keys of a role: new clients and picking, or a lesson. */
static void
tui_legend_roles(struct tui *t, char *buf, size_t len, int room)
{
	const struct lab *lab = t->lab;

	if (lab->cfg.role == LAB_ROLE_CLIENT) {
		tui_legend_add(buf, len, room,
		    bind_op_legend(LAB_OP_NEW_CLIENT));
		if (lab_rows(lab, LAB_CLIENT) > 1)
			tui_legend_add(buf, len, room,
			    bind_cmd_legend(BIND_PICK_NEXT));
	}
	if (lab->cfg.role == LAB_ROLE_SERVER && lab_rows(lab, LAB_SEND) > 1)
		tui_legend_add(buf, len, room,
		    bind_cmd_legend(BIND_PICK_DOWN));
	if (lab->cfg.role == LAB_ROLE_SERVER && lab_open_conns(lab) > 0)
		tui_legend_add(buf, len, room,
		    bind_op_legend(LAB_OP_SEND_ALL));
	if (lab->cfg.role == LAB_ALL_IN_ONE)
		tui_legend_add(buf, len, room,
		    bind_cmd_legend(BIND_GUIDE));
	tui_legend_add(buf, len, room, bind_op_legend(LAB_OP_AUTO));
}

/* Guided mode's legend: the key to press, the lesson, its own keys. */
static void
tui_legend_guide(struct tui *t, char *buf, size_t len, int room)
{
	const struct guide *g = t->guide;
	enum lab_op next = guide_next_op(g);
	char item[64], progress[32];

	if (next != LAB_OP_NONE)
		snprintf(item, sizeof item, "GUIDE: press %s",
		    bind_op_name(next));
	else
		snprintf(item, sizeof item, "GUIDE: %s", g->done ? "done" :
		    "waiting");
	tui_legend_add(buf, len, room, item);
	guide_progress(g, progress, sizeof progress);
	snprintf(item, sizeof item, "lesson %d/%d %s", g->lesson + 1,
	    GUIDE_LESSONS, progress);
	tui_legend_add(buf, len, room, item);
	tui_legend_add(buf, len, room, bind_op_legend(LAB_OP_RESET));
	tui_legend_add(buf, len, room,
	    bind_cmd_legend(BIND_LESSON_NEXT));
	tui_legend_add(buf, len, room, bind_cmd(BIND_GUIDE)->guided);
	if (t->lab->last_op != LAB_OP_NONE)
		tui_legend_add(buf, len, room,
		    bind_cmd_legend(BIND_EXPLAIN_PAGE));
}

/*
 * The legend: the keys that matter now, for this role and state, the
 * most useful first; whatever does not fit is left out whole, and it
 * always ends with help and quit. Every item is the binding table's
 * (bind.c): a key's own, or a group of step keys.
 */
void
tui_legend(struct tui *t, char *buf, size_t len)
{
	const struct lab *lab = t->lab;
	char tail[64], item[64];
	int room, pane, errs[LAB_PANES + 1];
	int alone = lab->cfg.role != LAB_ALL_IN_ONE;
	unsigned panes = 0;

	snprintf(tail, sizeof tail, "%s  %s", bind_cmd_legend(BIND_HELP),
	    bind_cmd_legend(BIND_QUIT));
	room = TUI_LINE_W - TUI_BAR_GAP - (int)strlen(tail);
	buf[0] = '\0';
	if (t->guide->on)
		tui_legend_guide(t, buf, len, room);
	else {
		for (pane = 0; pane < LAB_PANES; pane++)
			if (lab_has_pane(lab, pane))
				panes |= 1u << pane;
		tui_legend_add(buf, len, room,
		    tui_legend_steps(panes, item, sizeof item));
		if (lab->last_op != LAB_OP_NONE)
			tui_legend_add(buf, len, room,
			    bind_cmd_legend(BIND_EXPLAIN_PAGE));
		if (lab_errors(lab, errs, LAB_PANES + 1) > 0)
			tui_legend_add(buf, len, room,
			    bind_cmd_legend(BIND_ERRORS));
		/* v matters where one view shows (tui_screen_main). */
		if (t->one_view)
			tui_legend_add(buf, len, room,
			    bind_cmd_legend(BIND_VIEW));
		if (lab_sel(lab, LAB_CLIENT)->sock != NULL)
			tui_legend_add(buf, len, room,
			    tui_legend_group(LAB_CLIENT, alone, item, sizeof item));
		if (lab_sel(lab, LAB_SEND)->sock != NULL)
			tui_legend_add(buf, len, room,
			    tui_legend_group(LAB_SEND, alone, item, sizeof item));
		tui_legend_roles(t, buf, len, room);
	}
	snprintf(buf + strlen(buf), len - strlen(buf), "%s%s",
	    buf[0] != '\0' ? "  " : "", tail);
}
