/*
 * lab_transcript.c - what the lab writes down for the learner: the
 * transcript (a ring of the last LAB_TRANSCRIPT lines, every line also in
 * the --log file), its time stamps, the Explain area's paragraphs after a
 * step and its notifications, and the ring of expected segments the ladder
 * diagram draws. The front ends read these; nothing here changes a socket.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "errname.h"
#include "explain.h"
#include "lab.h"
#include "lab_auto.h"
#include "lab_transcript.h"

void
lab_time_record(char out[LAB_RECORD_SIZE])
{
	struct timeval tv;
	struct tm tm;
	char buf[LAB_RECORD_SIZE + 1];

	gettimeofday(&tv, NULL);
	localtime_r(&tv.tv_sec, &tm);
	snprintf(buf, sizeof buf, "%02d:%02d:%02d.%03d\n", tm.tm_hour,
	    tm.tm_min, tm.tm_sec, (int)(tv.tv_usec / 1000));
	memcpy(out, buf, LAB_RECORD_SIZE);
}

char *
lab_stamp(const struct timeval *tv, char *buf, size_t len)
{
	struct tm tm;

	localtime_r(&tv->tv_sec, &tm);
	snprintf(buf, len, "%02d:%02d:%02d.%06ld", tm.tm_hour, tm.tm_min,
	    tm.tm_sec, (long)tv->tv_usec);
	return buf;
}

const struct lab_line *
lab_line(const struct lab *lab, unsigned long n)
{
	if (n >= lab->nlines || lab->nlines - n > LAB_TRANSCRIPT)
		return NULL;
	return &lab->lines[n % LAB_TRANSCRIPT];
}

/* Write line l to the --log file, if any; a failure is said once. */
static void
lab_transcript_log(struct lab *lab, const struct lab_line *l)
{
	char stamp[32];

	if (lab->log == NULL || lab->log_err != 0)
		return;
	/*
	 * The log is line-buffered, so a full disk shows at this line. Say so
	 * once, on screen, and write no more; main reports it at the end.
	 */
	lab_stamp(&l->tv, stamp, sizeof stamp);
	errno = 0;		/* so that it names this write's failure */
	if (fprintf(lab->log, "%s %s\n", stamp, l->text) < 0 ||
	    ferror(lab->log)) {
		lab->log_err = errno != 0 ? errno : EIO;
		lab_say_line(lab, "log         writing --log failed: %s; "
		    "nothing more is written to it", errname_name(lab->log_err));
	}
}

/*
 * Segments already captured are written first (lab_wire_drain), so a
 * segment the kernel sent before this line reads above it.
 */
void
lab_say_line(struct lab *lab, const char *fmt, ...)
{
	struct lab_line *l;
	va_list ap;

	lab_wire_drain(lab);
	l = &lab->lines[lab->nlines % LAB_TRANSCRIPT];
	gettimeofday(&l->tv, NULL);
	va_start(ap, fmt);
	vsnprintf(l->text, sizeof l->text, fmt, ap);
	va_end(ap);
	lab->nlines++;
	lab_transcript_log(lab, l);
}

/*
 * How far back a late line may still be put in. Lines arrive late only
 * by the time a captured segment takes from the kernel to the capture's
 * reader (lab_say_line drains the capture first), a handful of lines at
 * most; the bound keeps the shifting short under a flood of lines.
 */
#define LAB_TRANSCRIPT_LATE	32

/*
 * A late line goes in among the lines nobody has read yet, by its time
 * stamp: never above a line a front end printed or drew (lines_shown),
 * nor above one already written to --log, which cannot be taken back.
 * Otherwise it is appended, with its own (earlier) stamp.
 */
void
lab_transcript_at(struct lab *lab, const struct timeval *tv, const char *fmt,
    ...)
{
	struct lab_line line, *l;
	unsigned long n, floor;
	va_list ap;

	line.tv = *tv;
	va_start(ap, fmt);
	vsnprintf(line.text, sizeof line.text, fmt, ap);
	va_end(ap);
	floor = lab->nlines > LAB_TRANSCRIPT_LATE ? lab->nlines -
	    LAB_TRANSCRIPT_LATE : 0;
	if (floor < lab->lines_shown)
		floor = lab->lines_shown;
	if (lab->log != NULL && lab->log_err == 0)
		floor = lab->nlines;
	/* Move later lines down one place, to just after the earlier. */
	for (n = lab->nlines; n > floor; n--) {
		l = &lab->lines[(n - 1) % LAB_TRANSCRIPT];
		if (!timercmp(&l->tv, tv, >))
			break;
		lab->lines[n % LAB_TRANSCRIPT] = *l;
	}
	lab->lines[n % LAB_TRANSCRIPT] = line;
	lab->nlines++;
	lab_transcript_log(lab, &line);
}

/*
 * The model knows no keys: the front end that binds them says how each
 * op's key is named (lab_config.key_name), for the transcript and for every
 * sentence that tells the learner what to press.
 */
const char *
lab_key_name(const struct lab *lab, enum lab_op op)
{
	return lab->cfg.key_name != NULL ? lab->cfg.key_name(op) :
	    lab_op_name(op);
}

/*
 * The transcript's name for a socket: "server", "server-send", "client",
 * and "#2", "#3"... for the rows after the first.
 */
const char *
lab_transcript_tag(const struct lab_sock *p, char *buf, size_t len)
{
	static const char *tags[LAB_PANES] = {
		"server", "server-send", "client"
	};

	if (p->id == 0)		/* accepted over --max-conns */
		snprintf(buf, len, "%s#over", tags[p->which]);
	else if (p->id > 1)
		snprintf(buf, len, "%s#%u", tags[p->which], p->id);
	else
		snprintf(buf, len, "%s", tags[p->which]);
	return buf;
}

/*
 * asock's transcript lines, tagged with the socket they belong to. A run
 * of quick receives on the socket is written up first, to keep the order.
 */
void
lab_transcript_trace(struct asock *s, const char *line, void *arg)
{
	struct lab_sock *p = arg;
	char tag[32];

	(void)s;
	if (p->run > 0 || p->quick)
		lab_auto_run_said(p->lab, p);
	lab_say_line(p->lab, "%-11s %s", lab_transcript_tag(p, tag, sizeof tag),
	    line);
}

/*
 * A notification's paragraph follows the step that caused it in the
 * Explain area; one that came on its own starts the area afresh.
 */
void
lab_transcript_note(struct lab *lab, struct lab_sock *p, enum asock_note note,
    int err)
{
	char text[LAB_EXPLAIN / 2];
	size_t used = strlen(lab->explain);

	explain_note(lab, p, note, err, text, sizeof text);
	if (used + strlen(text) + 2 >= sizeof lab->explain || used == 0)
		snprintf(lab->explain, sizeof lab->explain, "%s", text);
	else
		snprintf(lab->explain + used, sizeof lab->explain - used,
		    "\n%s", text);
}

const struct lab_seg *
lab_seg(const struct lab *lab, unsigned long n)
{
	if (n >= lab->nsegs || lab->nsegs - n > LAB_SEGS)
		return NULL;
	return &lab->segs[n % LAB_SEGS];
}

/* After a step: its paragraph, and the segments it should cause. */
void
lab_transcript_step(struct lab *lab, enum lab_op op, struct lab_sock *p,
    const struct lab_result *r)
{
	struct explain_seg segs[4];
	int i, n;

	explain_step(lab, op, p, r, lab->explain, sizeof lab->explain);
	n = explain_segments(op, p, r, segs, 4);
	if (n > 0)
		lab->nsteps++;
	for (i = 0; i < n; i++) {
		lab->segs[lab->nsegs % LAB_SEGS].op = op;
		lab->segs[lab->nsegs % LAB_SEGS].step = lab->nsteps;
		lab->segs[lab->nsegs % LAB_SEGS].seg = segs[i];
		lab->segs[lab->nsegs % LAB_SEGS].wire = ULONG_MAX;
		lab->nsegs++;
	}
	/* The segments the step put on the wire meet its ladder now. */
	lab_wire_step_said(lab, n > 0 ? lab->nsteps : 0);
}
