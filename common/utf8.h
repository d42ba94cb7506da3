#ifndef STORECTL_UTF8_H
#define STORECTL_UTF8_H

#include <stddef.h>

/*
 * 1 when s[0..len) is well-formed UTF-8 (RFC 3629): no overlong forms, no
 * surrogates (U+D800-U+DFFF), nothing above U+10FFFF, no cut-off sequence.
 * Query arguments arrive as percent-decoded bytes, so a service checks
 * them with this before it searches or echoes them.
 */
int utf8_valid(const char *s, size_t len);

#endif
