/* escape.h - make untrusted bytes safe to show on a terminal. */
#ifndef TCPSTEP_ESCAPE_H
#define TCPSTEP_ESCAPE_H

#include <stddef.h>

/*
 * Write data as printable ASCII into out (always NUL-terminated when len > 0):
 * printable ASCII stays, backslash becomes "\\", newline, CR and tab become
 * "\n", "\r", "\t", every other byte "\xHH". A byte's escape is never cut in
 * half: output stops before an escape that would not fit. Returns the number
 * of input bytes consumed.
 */
size_t escape_bytes(const void *data, size_t n, char *out, size_t len);

#endif
