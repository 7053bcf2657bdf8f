/*
 * fuzz_escape.c - libFuzzer target for escape_bytes(), the one gate network
 * bytes pass before any output: whatever arrives, what comes out is
 * printable ASCII, fits the buffer, never cuts an escape in half, and
 * decodes back to exactly the bytes that were consumed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"

#define FUZZ_MAX 4096

/* Undo the escaping; returns the decoded length. */
static size_t
unescape(const char *s, unsigned char *out)
{
	size_t n = 0;
	unsigned v;

	while (*s != '\0') {
		if (*s != '\\') {
			out[n++] = (unsigned char)*s++;
			continue;
		}
		s++;
		switch (*s) {
		case 'n': out[n++] = '\n'; s++; break;
		case 'r': out[n++] = '\r'; s++; break;
		case 't': out[n++] = '\t'; s++; break;
		case '\\': out[n++] = '\\'; s++; break;
		case '"': out[n++] = '"'; s++; break;
		case 'x':
			v = (unsigned)strtoul((char[]){ s[1], s[2], 0 }, NULL, 16);
			out[n++] = (unsigned char)v;
			s += 3;
			break;
		default:
			abort();	/* an escape escape_bytes never writes */
		}
	}
	return n;
}

static void
check_printable(const char *s, size_t len)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (s[i] < 0x20 || s[i] >= 0x7f)
			abort();
	if (i >= len)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char big[4 * FUZZ_MAX + 1];
	static unsigned char back[FUZZ_MAX];
	char small[64];
	size_t n = size > FUZZ_MAX ? FUZZ_MAX : size, used, cap;

	/* Room for everything: all of it is consumed and comes back. */
	used = escape_bytes(data, n, big, sizeof big);
	if (used != n)
		abort();
	check_printable(big, sizeof big);
	if (unescape(big, back) != n || memcmp(back, data, n) != 0)
		abort();

	/* A small buffer of any size: a prefix, whole escapes only. */
	cap = size > 0 ? data[0] % sizeof small : 0;
	used = escape_bytes(data, n, small, cap);
	if (cap == 0)
		return used == 0 ? 0 : (abort(), 0);
	check_printable(small, cap);
	if (used > n || unescape(small, back) != used ||
	    memcmp(back, data, used) != 0)
		abort();
	return 0;
}
