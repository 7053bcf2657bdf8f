/*
 * testlab.h - what the lab's unit tests (test_lab.c, test_robust.c) share:
 * a lab on its own event loop, and pressing keys as batch reads them.
 * Include after cmocka.h and testutil.h.
 */
#ifndef TCPSTEP_TESTLAB_H
#define TCPSTEP_TESTLAB_H

#include "bind.h"
#include "lab.h"
#include "testutil.h"

struct fixture {
	struct event_base	*base;
	struct pump		 pump;
	struct lab		 lab;
};

/* The lab's "changed" hook: a notification came, the loop runs on. */
static void
changed(void *arg)
{
	pump_poke(arg);
}

/* The lab operation a key runs, as batch reads it (src/bind.c). */
static enum lab_op
key_op(int key)
{
	const struct bind *b = bind_key(key, BIND_BATCH);

	assert_non_null(b);
	assert_int_equal(b->cmd, BIND_LAB);
	return b->op;
}

/* Press each key, letting the loop deliver what it causes. */
static void
keys(struct fixture *f, const char *k)
{
	for (; *k != '\0'; k++) {
		assert_int_equal(lab_do(&f->lab, key_op(*k),
		    LAB_ROW_SELECTED), 0);
		pump_run(&f->pump);
		lab_look(&f->lab);	/* as a front end does before showing */
	}
}

#endif
