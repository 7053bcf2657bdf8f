/*
 * lesson_check.h - tcpstep --check-lesson: play the loaded lessons
 * against the real kernel and say, step by step, whether what each
 * step expects holds.
 */
#ifndef TCPSTEP_LESSON_CHECK_H
#define TCPSTEP_LESSON_CHECK_H

#include <stdio.h>

struct lab;

/*
 * Play every loaded lesson (guide_lessons) on lab, settling after each
 * key as batch does (settle_ms of quiet), and print a line per step and
 * per lesson to out. Returns 0 when every step passed, 1 when one did
 * not, -1 when out of memory.
 */
int	lesson_check_run(struct lab *lab, unsigned settle_ms, FILE *out);

#endif
