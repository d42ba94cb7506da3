#ifndef STORECTL_TUI_STATUSBAR_H
#define STORECTL_TUI_STATUSBAR_H

#include <stdarg.h>

#include "tui/draw.h"

/*
 * The bottom line: the latest message on the left (what just happened:
 * "loading…", "saved v8; search applied in 4 ms", an API error), short key
 * hints on the right. Informational messages fade after a while; warnings
 * and errors stay until the next message. A message wider than the line
 * wraps onto up to TUI_STATUS_LINES_MAX lines (the hints give way), so an
 * error is read whole at 80 columns.
 */

enum tui_say {
	TUI_SAY_INFO,
	TUI_SAY_GOOD,
	TUI_SAY_WARN,
	TUI_SAY_ERROR,
};

struct tui_status {
	char text[512];
	enum tui_say level;
	double expires_ms; /* monotonic; 0 = never */
};

#define TUI_STATUS_FADE_MS 15000.0
#define TUI_STATUS_LINES_MAX 3

void tui_status_set(struct tui_status *st, enum tui_say level, double now_ms,
		    const char *fmt, va_list ap);

/* Drops an expired message; returns 1 when it changed. */
int tui_status_tick(struct tui_status *st, double now_ms);

/* Rows the bar takes at width w: 1 to TUI_STATUS_LINES_MAX. */
int tui_status_lines(const struct tui_status *st, int w);

/*
 * Draws the bar with its last row on y, width w, taking the rows above
 * too when tui_status_lines says so; hints go right when there is room.
 */
void tui_status_draw(WINDOW *win, int y, int w, const struct tui_status *st,
		     const char *hints);

#endif
