/*
 * lab.h - the lab model: three sockets, their steps, the counters a learner
 * watches, what the kernel says about each socket, and the transcript of
 * every system call and notification. No curses here: the TUI and batch
 * front ends only read this model and call lab_step().
 */
#ifndef TCPSTEP_LAB_H
#define TCPSTEP_LAB_H

#include <stddef.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "asock.h"

/* The panes, left to right as in the seed's dialog. */
enum lab_pane {
	LAB_SERVER,		/* the listening socket */
	LAB_SEND,		/* Server-Send: the socket accept() made */
	LAB_CLIENT,
	LAB_PANES
};

/* One time record: "HH:MM:SS.mmm\n". */
#define LAB_RECORD_SIZE	13
#define LAB_RECV_MAX	65536
/* What step 9 asks recv() for: the client's line fits. */
#define LAB_LINE_READ	64
/* CAsyncSocket::Listen's default backlog. */
#define LAB_BACKLOG	5
/* Transcript lines kept in memory (the --log file keeps them all). */
#define LAB_TRANSCRIPT	512
#define LAB_LINE_MAX	300

/* The last result of one step key. */
struct lab_result {
	int	pressed;
	int	ok;		/* the step did what it asked (EINPROGRESS counts) */
	int	err;		/* errno of its system call, 0 when none */
	char	brief[16];	/* fits a pane: "OK", "in progress", "EAGAIN" */
	char	detail[256];	/* the call, its result and what it means */
};

struct lab_pane_state {
	struct lab	*lab;
	enum lab_pane	 which;
	struct asock	*sock;		/* NULL until created */
	unsigned long	 counts[ASOCK_NOTES];
	int		 err;		/* errno of the last call or notification */
	int		 last_key;	/* this pane's most recent step key */
	struct asock_view view;		/* the kernel's view, kept fresh */
	unsigned char	*received;	/* what this socket last read */
	size_t		 received_len;
	int		 have_received;
	int		 urgent_read;	/* an urgent byte was read out of band */
};

/* A step key: which pane it belongs to and what it is called. */
struct lab_step_def {
	char		 key;
	enum lab_pane	 pane;
	const char	*name;
	const char	*help;		/* one line for the help screen */
	void		 (*run)(struct lab *, const struct lab_step_def *,
			     struct lab_result *);
};

/* One transcript line. */
struct lab_line {
	struct timeval	tv;
	char		text[LAB_LINE_MAX];
};

struct lab {
	struct event_base	*base;
	struct sockaddr_storage	 bind_addr;	/* where step 1 binds */
	socklen_t		 bind_len;
	struct sockaddr_storage	 server_addr;	/* where it did bind */
	socklen_t		 server_len;
	int			 have_server_addr;
	size_t			 recv_size;

	struct lab_pane_state	 pane[LAB_PANES];
	struct lab_result	 result[128];	/* indexed by step key */
	int			 last_key;	/* a step key, 'r' or 0 */

	int			 auto_mode;	/* notifications drive steps */
	int			 auto_running;	/* a step auto mode started */
	struct event		*auto_timer;	/* Server-Send's 1 s sends */
	struct event		*tick;		/* refresh during transitions */

	struct lab_line		 lines[LAB_TRANSCRIPT];	/* a ring */
	unsigned long		 nlines;	/* lines ever written */
	FILE			*log;		/* --log, or NULL */

	unsigned long		 notes;		/* notifications delivered */
	unsigned		 urgent_sent;	/* urgent bytes: A, B, C... */
	void			(*changed)(void *);	/* after a notification */
	void			*changed_arg;
};

int	 lab_init(struct lab *lab, struct event_base *base,
	     const struct sockaddr *bind_to, socklen_t len, size_t recv_size);
void	 lab_free(struct lab *lab);

/* Run a step key, 'r' or 'a'. Returns 0, or -1 for a key that is no step. */
int	 lab_step(struct lab *lab, int key);
void	 lab_reset(struct lab *lab);
void	 lab_set_auto(struct lab *lab, int on);

/* The step keys in display order; the list ends with key 0. */
extern const struct lab_step_def lab_steps[];
const struct lab_step_def *lab_step_def(int key);
const char	*lab_pane_name(enum lab_pane pane);
/* The time record: LAB_RECORD_SIZE bytes, not NUL-terminated. */
void	 lab_time_record(char out[LAB_RECORD_SIZE]);

/* Transcript line number n (0 = the first ever); NULL once dropped or not yet written. */
const struct lab_line *lab_line(const struct lab *lab, unsigned long n);
/* Add a line to the transcript and the log file. */
void	 lab_say_line(struct lab *lab, const char *fmt, ...)
	     __attribute__((format(printf, 2, 3)));
/* "19:40:01.123456" */
char	*lab_stamp(const struct timeval *tv, char *buf, size_t len);

#endif
