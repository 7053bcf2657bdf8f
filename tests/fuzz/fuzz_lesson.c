/*
 * fuzz_lesson.c - libFuzzer target for the lesson parser: whatever the
 * bytes, lesson_parse() either gives a whole lesson (a title, a goal, an
 * end, steps that each say something, lists that end where they should)
 * or refuses with one line "fuzz.lesson:LINE: ..." of printable ASCII
 * (the file's own words in it are escaped), and leaves nothing
 * allocated (the leak checker sees it).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lesson.h"

static void
fuzz_check_lesson(const struct guide_lesson *l)
{
	int i;

	if (l->title == NULL || l->goal == NULL || l->done == NULL ||
	    l->nsteps < 1 || l->nsteps > GUIDE_STEPS_MAX ||
	    l->steps[l->nsteps].say != NULL)
		abort();
	for (i = 0; i < l->nsteps; i++)
		if (l->steps[i].say == NULL || l->steps[i].nmore < 0 ||
		    l->steps[i].nmore >= GUIDE_EXPECTS ||
		    (!lab_op_is_step(l->steps[i].op) &&
		    l->steps[i].op != LAB_OP_AUTO))
			abort();
	for (i = 0; l->setup[i] != LAB_OP_NONE; i++)
		if (i >= GUIDE_SETUP_MAX || l->setup[i] == LAB_OP_RESET ||
		    l->setup[i] == LAB_OP_MODEL)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct guide_lesson l;
	char err[512];
	const char *p;

	err[0] = '\0';
	if (lesson_parse("fuzz.lesson", (const char *)data, size, &l, err,
	    sizeof err) == 0) {
		fuzz_check_lesson(&l);
		lesson_free(&l);
		return 0;
	}
	if (strncmp(err, "fuzz.lesson:", 12) != 0 || l.text != NULL)
		abort();
	for (p = err; *p != '\0'; p++)
		if (*p < 0x20 || *p > 0x7e)
			abort();
	return 0;
}
