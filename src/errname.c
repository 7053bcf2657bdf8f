/*
 * errname.c - turn errno into the words a learner can look up.
 *
 * Linux names come from glibc (strerrorname_np); the Winsock column is the
 * table in design.md section 3, because the article that tcpstep re-creates
 * tells its readers to look up Winsock codes such as 10035.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "errname.h"

static const struct {
	int		 err;
	const char	*name;
	int		 number;
} errname_table[] = {
	{ EAGAIN,	 "WSAEWOULDBLOCK",	10035 },
	/* Winsock has no EINPROGRESS for connect: it says "would block". */
	{ EINPROGRESS,	 "WSAEWOULDBLOCK",	10035 },
	{ EALREADY,	 "WSAEALREADY",		10037 },
	{ ENOTSOCK,	 "WSAENOTSOCK",		10038 },
	{ EINVAL,	 "WSAEINVAL",		10022 },
	{ EMFILE,	 "WSAEMFILE",		10024 },
	{ EADDRINUSE,	 "WSAEADDRINUSE",	10048 },
	{ EADDRNOTAVAIL, "WSAEADDRNOTAVAIL",	10049 },
	{ ENETUNREACH,	 "WSAENETUNREACH",	10051 },
	{ ECONNABORTED,	 "WSAECONNABORTED",	10053 },
	{ ECONNRESET,	 "WSAECONNRESET",	10054 },
	{ EISCONN,	 "WSAEISCONN",		10056 },
	{ ENOTCONN,	 "WSAENOTCONN",		10057 },
	{ ESHUTDOWN,	 "WSAESHUTDOWN",	10058 },
	{ EPIPE,	 "WSAESHUTDOWN",	10058 },
	{ ETIMEDOUT,	 "WSAETIMEDOUT",	10060 },
	{ ECONNREFUSED,	 "WSAECONNREFUSED",	10061 },
};

const char *
errname_name(int err)
{
	const char *name;

	if (err == 0)
		return "0";
	name = strerrorname_np(err);
	return name != NULL ? name : "E?";
}

const char *
errname_winsock(int err, int *number)
{
	size_t i;

	for (i = 0; i < sizeof errname_table / sizeof errname_table[0]; i++) {
		if (errname_table[i].err == err) {
			if (number != NULL)
				*number = errname_table[i].number;
			return errname_table[i].name;
		}
	}
	return NULL;
}

char *
errname_describe(int err, char *buf, size_t len)
{
	const char *ws;
	int number;

	if (err == 0) {
		snprintf(buf, len, "none");
		return buf;
	}
	ws = errname_winsock(err, &number);
	if (ws == NULL)
		snprintf(buf, len, "%s %d %s", errname_name(err), err,
		    strerror(err));
	else
		snprintf(buf, len, "%s %d %s (%s %d)", errname_name(err), err,
		    strerror(err), ws, number);
	return buf;
}
