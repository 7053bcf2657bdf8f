/*
 * lab.h - the lab model: three sockets, seven steps, the counters a learner
 * watches. No curses here: the TUI and batch front ends only read this model
 * and call lab_step().
 */
#ifndef TCPSTEP_LAB_H
#define TCPSTEP_LAB_H

#include <stddef.h>
#include <sys/socket.h>

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
/* CAsyncSocket::Listen's default backlog. */
#define LAB_BACKLOG	5

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
	struct asock	*sock;		/* NULL until created */
	unsigned long	 counts[ASOCK_NOTES];
	int		 err;		/* errno of the last call or notification */
};

/* A step key: which pane it belongs to and what it is called. */
struct lab_step_def {
	char		 key;
	enum lab_pane	 pane;
	const char	*name;
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
	struct lab_result	 result[8];	/* indexed by step key 1..7 */
	int			 last_key;	/* '1'..'7', 'r' or 0 */

	unsigned char		*received;	/* what the last receive read */
	size_t			 received_len;
	int			 have_received;

	unsigned long		 notes;		/* notifications delivered */
	void			(*changed)(void *);	/* after a notification */
	void			*changed_arg;
};

int	 lab_init(struct lab *lab, struct event_base *base,
	     const struct sockaddr *bind_to, socklen_t len, size_t recv_size);
void	 lab_free(struct lab *lab);

/* Run step key '1'..'7' or 'r'. Returns 0, or -1 for a key that is no step. */
int	 lab_step(struct lab *lab, int key);
void	 lab_reset(struct lab *lab);

const struct lab_step_def *lab_step_def(int key);
const char	*lab_pane_name(enum lab_pane pane);
/* The time record: LAB_RECORD_SIZE bytes, not NUL-terminated. */
void	 lab_time_record(char out[LAB_RECORD_SIZE]);

#endif
