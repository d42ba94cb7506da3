#ifndef STORECTL_TUI_TEXTVIEW_H
#define STORECTL_TUI_TEXTVIEW_H

#include <stddef.h>

#include "tui/draw.h"
#include "tui/keymap.h"

/*
 * Lines of text to read and scroll (a detail view, a store page): the
 * owner adds lines, each with a color by meaning, and the view scrolls
 * with the movement actions. A line wider than the view wraps at spaces
 * (wide characters stay whole) under its own indent plus two, on up to
 * TUI_TEXTVIEW_WRAP_MAX rows, so an error in a JSON record reads whole.
 */

#define TUI_TEXTVIEW_WRAP_MAX 4

struct tui_textview {
	char **lines;
	enum tui_color *colors;
	size_t n, cap;
	size_t top;
	int visible; /* rows shown at the last draw */
	size_t max_top; /* the last top that shows the end, at that draw */
};

/* Drops every line (the scroll position stays, clamped at draw). */
void tui_textview_clear(struct tui_textview *tv);
void tui_textview_free(struct tui_textview *tv);

/* Adds one line (printf); newlines in the text start new lines. */
void tui_textview_add(struct tui_textview *tv, enum tui_color color,
		      const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Adds a JSON text pretty-printed (or as it is when it does not parse). */
void tui_textview_add_json(struct tui_textview *tv, const char *raw,
			   const char *indent);

void tui_textview_draw(WINDOW *win, struct tui_rect r, struct tui_textview *tv);

/* Scrolls for a movement action; returns 1 when it was one. */
int tui_textview_move(struct tui_textview *tv, enum tui_action action);

#endif
