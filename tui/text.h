#ifndef STORECTL_TUI_TEXT_H
#define STORECTL_TUI_TEXT_H

#include <stddef.h>
#include <stdint.h>

/*
 * UTF-8 text measured in terminal columns. Hangul and other East Asian wide
 * characters take two columns, combining marks none; a malformed byte or a
 * control character counts as one column and is drawn as '?'. Nothing here
 * depends on the C library's multibyte state except wcwidth(), so the
 * console calls setlocale() first (tui/term.c).
 */

/*
 * Decodes one character at s[0..len). Returns the number of bytes used
 * (1..4), or 0 when len is 0. A malformed sequence yields U+FFFD and uses
 * one byte, so callers always make progress.
 */
size_t tui_utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Encodes cp as UTF-8 into out (>= 4 bytes); returns the length (1..4). */
size_t tui_utf8_encode(uint32_t cp, char *out);

/* Columns one character takes: 0, 1 or 2 (controls count 1, drawn '?'). */
int tui_char_width(uint32_t cp);

/* Columns the whole string takes. */
int tui_text_width(const char *s);

/*
 * Copies the longest prefix of s that fits in width columns into out
 * (outlen bytes, always NUL-terminated), never splitting a character, then
 * pads with spaces to exactly width columns when pad is set. Control
 * characters become '?'. When s does not fit and ellipsis is set, the last
 * column shows "~" so a cut is visible. Returns the columns written.
 */
int tui_text_fit(const char *s, int width, int pad, int ellipsis, char *out,
		 size_t outlen);

/*
 * Copies src into dst (len bytes, NUL-terminated), cutting at a character
 * boundary when it does not fit. Returns dst.
 */
char *tui_copy_utf8(char *dst, size_t len, const char *src);

/*
 * Word-wraps text into at most max lines of width columns each (breaking
 * at spaces, a word wider than a line where it must); the last line shows
 * a '~' when text did not fit. Returns the number of lines.
 */
int tui_text_wrap(const char *text, int width, char (*lines)[512], int max);

#endif
