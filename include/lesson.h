/*
 * lesson.h - the lesson file format (tcpstep-lesson(5)): plain text an
 * instructor writes, parsed into the guide's struct guide_lesson. Keys
 * are named as the binding table names them (bind_op_name).
 */
#ifndef TCPSTEP_LESSON_H
#define TCPSTEP_LESSON_H

#include <stddef.h>

#include "guide_lessons.h"

/* Larger files and longer lines are refused, not cut. */
#define LESSON_SIZE_MAX		65536
#define LESSON_LINE_MAX		1024

/*
 * Parse len bytes of a lesson read from file name into *l. Returns 0, or
 * -1 with "NAME:LINE: what is wrong" in err (and *l empty). Free a parsed
 * lesson with lesson_free.
 */
int		 lesson_parse(const char *name, const char *data, size_t len,
		     struct guide_lesson *l, char *err, size_t errlen);
/* Read and parse the file path; the same errors, and those of reading. */
int		 lesson_load(const char *path, struct guide_lesson *l,
		     char *err, size_t errlen);
void		 lesson_free(struct guide_lesson *l);

#endif
