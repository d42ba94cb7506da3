#ifndef STORECTL_TUI_TABLE_H
#define STORECTL_TUI_TABLE_H

#include <stddef.h>

#include "tui/draw.h"
#include "tui/keymap.h"

/*
 * A scrolling table with a heading line and a cursor row. Column widths are
 * display columns; one column may be flexible (width 0) and takes what the
 * others leave. The table asks its owner for each visible cell through
 * cell(), so the owner's data never has to be copied, and never draws a
 * row it does not show.
 */

struct tui_column {
	const char *title;
	int width;       /* columns; 0 = flexible */
	int min;         /* flexible: at least this many */
	int align_right; /* numbers */
};

struct tui_table {
	const struct tui_column *cols;
	size_t ncols;
	size_t rows;     /* number of rows */
	size_t selected; /* the cursor row (< rows when rows > 0) */
	size_t top;      /* first visible row */
	int visible;     /* rows that fit, from the last draw */
	void *ctx;
	/* Writes the text of (row, col) into buf; may set *color. */
	void (*cell)(void *ctx, size_t row, size_t col, char *buf,
		     size_t len, enum tui_color *color);
};

/*
 * Draws the heading and the visible rows in r. focused picks the cursor
 * row's color; with rows == 0, empty (may be NULL) is shown instead,
 * wrapped on up to 3 lines.
 */
void tui_table_draw(WINDOW *win, struct tui_rect r, struct tui_table *t,
		    int focused, const char *empty);

/*
 * Applies a movement action (UP, DOWN, PAGE_UP, PAGE_DOWN, FIRST, LAST) to
 * the cursor. Returns 1 when the action is a movement (moved or not), else
 * 0.
 */
int tui_table_move(struct tui_table *t, enum tui_action action);

/* Keeps selected and top inside rows after the row count changed. */
void tui_table_clamp(struct tui_table *t);

#endif
