#ifndef STORECTL_TUI_TEXTFIELD_H
#define STORECTL_TUI_TEXTFIELD_H

#include <stddef.h>
#include <stdint.h>

/*
 * A one-line text field holding UTF-8, edited a character at a time: the
 * cursor moves over whole characters (a Hangul syllable is one step and two
 * columns), never into the middle of one. The field never draws itself;
 * tui_field_view() says what to show in a given width and where the cursor
 * goes, and the caller draws it.
 */

#define TUI_FIELD_MAX 2048 /* bytes of text, NUL excluded */

struct tui_field {
	char text[TUI_FIELD_MAX + 1];
	size_t len;    /* bytes */
	size_t cursor; /* byte offset, always on a character boundary */
	int scroll;    /* first visible column */
};

/* Sets the text (cut at a character boundary when too long); cursor at end. */
void tui_field_set(struct tui_field *f, const char *text);

/* Inserts one character at the cursor; returns 0, or -1 when full or cp is
 * a control character. */
int tui_field_insert(struct tui_field *f, uint32_t cp);

/* Each returns 1 when the text or cursor changed, 0 when nothing to do. */
int tui_field_backspace(struct tui_field *f);
int tui_field_delete(struct tui_field *f);
int tui_field_left(struct tui_field *f);
int tui_field_right(struct tui_field *f);
int tui_field_home(struct tui_field *f);
int tui_field_end(struct tui_field *f);
int tui_field_kill_before(struct tui_field *f); /* Ctrl-U */
int tui_field_kill_after(struct tui_field *f);  /* Ctrl-K */

/*
 * Fits the field into width columns: out gets the visible text (padded to
 * width, NUL-terminated, outlen >= 4 * width + 1 is always enough) and
 * *cursor_col the cursor's column within it. Scrolls so the cursor stays
 * visible.
 */
void tui_field_view(struct tui_field *f, int width, char *out, size_t outlen,
		    int *cursor_col);

#endif
