#ifndef STORECTL_TUI_DRAW_H
#define STORECTL_TUI_DRAW_H

#include <ncurses.h>

#include "tui/theme.h"

/* A screen area in cells; screens draw only inside the one they get. */
struct tui_rect {
	int y, x, h, w;
};

/*
 * Draws s at (y, x) in exactly width columns with attribute attr: cut at a
 * character boundary (a '~' marks a cut), padded with spaces. Never writes
 * past x + width, so a wide character never wraps.
 */
void tui_draw_text(WINDOW *win, int y, int x, int width, const char *s,
		   attr_t attr);

/* As tui_draw_text without the cut mark and without padding. */
void tui_draw_text_raw(WINDOW *win, int y, int x, int width, const char *s,
		       attr_t attr);

/* Text centered in width columns (padded both sides). */
void tui_draw_center(WINDOW *win, int y, int x, int width, const char *s,
		     attr_t attr);

#endif
