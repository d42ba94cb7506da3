#ifndef STORECTL_TUI_TEXTVIEW_H
#define STORECTL_TUI_TEXTVIEW_H

#include <stddef.h>

#include "tui/draw.h"
#include "tui/keymap.h"

/*
 * Lines of text to read and scroll (a detail view, a store page): the
 * owner adds lines, each with a color by meaning, and the view scrolls
 * with the movement actions. Long lines are cut at the edge, never
 * wrapped, so wide characters stay whole.
 */

struct tui_textview {
	char **lines;
	enum tui_color *colors;
	size_t n, cap;
	size_t top;
	int visible; /* lines shown at the last draw */
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
