/*
 * testutil.h - helpers shared by the cmocka tests: run the event loop until
 * it has been quiet for a while, and count open descriptors.
 */
#ifndef TCPSTEP_TESTUTIL_H
#define TCPSTEP_TESTUTIL_H

#include <dirent.h>

#include <event2/event.h>

/* Notifications reset this timer; when it fires the loop stops. */
struct pump {
	struct event_base	*base;
	struct event		*quiet;
	struct timeval		 tv;
	int			 fixed;		/* pump_for: ignore pokes */
};

static void
pump_quiet_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	event_base_loopbreak(arg);
}

/* Call after every notification the test sees. */
static inline void
pump_poke(struct pump *p)
{
	if (p->quiet != NULL && !p->fixed)
		evtimer_add(p->quiet, &p->tv);
}

/* Run the loop for ms milliseconds, whatever happens. */
static inline void
pump_for(struct pump *p, long ms)
{
	p->tv.tv_sec = ms / 1000;
	p->tv.tv_usec = (ms % 1000) * 1000;
	if (p->quiet == NULL)
		p->quiet = evtimer_new(p->base, pump_quiet_cb, p->base);
	p->fixed = 1;
	evtimer_add(p->quiet, &p->tv);
	event_base_dispatch(p->base);
	p->fixed = 0;
}

/* Run the loop until nothing has happened for 30 ms. */
static inline void
pump_run(struct pump *p)
{
	p->tv.tv_sec = 0;
	p->tv.tv_usec = 30000;
	if (p->quiet == NULL)
		p->quiet = evtimer_new(p->base, pump_quiet_cb, p->base);
	evtimer_add(p->quiet, &p->tv);
	event_base_dispatch(p->base);
}

static inline void
pump_free(struct pump *p)
{
	if (p->quiet != NULL)
		event_free(p->quiet);
	p->quiet = NULL;
}

static inline int
count_open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

#endif
