/* errname.h - errno values by name, with the Winsock code the seed's readers know. */
#ifndef TCPSTEP_ERRNAME_H
#define TCPSTEP_ERRNAME_H

#include <stddef.h>

/* Symbolic name of an errno value ("EAGAIN"), or "0" for no error. */
const char *errname_name(int err);

/* Winsock name and number for err, or NULL when Winsock has none. */
const char *errname_winsock(int err, int *number);

/*
 * The full description a learner sees, e.g.
 * "EAGAIN 11 Resource temporarily unavailable (WSAEWOULDBLOCK 10035)".
 * Returns buf.
 */
char *errname_describe(int err, char *buf, size_t len);

#endif
