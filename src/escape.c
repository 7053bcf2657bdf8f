/*
 * escape.c - the one gate network bytes pass through before any output.
 *
 * A peer can send anything: ESC sequences that clear the screen, retitle the
 * window or write the clipboard, C1 controls, broken UTF-8. tcpstep shows
 * printable ASCII as it is and everything else as a C-style escape, so what
 * the learner sees is exactly what arrived and nothing reaches the terminal
 * raw.
 */
#include <stdio.h>

#include "escape.h"

size_t
escape_bytes(const void *data, size_t n, char *out, size_t len)
{
	const unsigned char *p = data;
	char tmp[5];
	size_t i, used = 0, k;

	if (len == 0)
		return 0;
	for (i = 0; i < n; i++) {
		switch (p[i]) {
		case '\\': snprintf(tmp, sizeof tmp, "\\\\"); break;
		case '\n': snprintf(tmp, sizeof tmp, "\\n"); break;
		case '\r': snprintf(tmp, sizeof tmp, "\\r"); break;
		case '\t': snprintf(tmp, sizeof tmp, "\\t"); break;
		case '"':  snprintf(tmp, sizeof tmp, "\\\""); break;
		default:
			if (p[i] >= 0x20 && p[i] < 0x7f)
				snprintf(tmp, sizeof tmp, "%c", p[i]);
			else
				snprintf(tmp, sizeof tmp, "\\x%02x", p[i]);
		}
		for (k = 0; tmp[k] != '\0'; k++)
			;
		if (used + k >= len)
			break;
		for (k = 0; tmp[k] != '\0'; k++)
			out[used++] = tmp[k];
	}
	out[used] = '\0';
	return i;
}
