#ifndef STORECTL_TUI_STATUSBAR_H
#define STORECTL_TUI_STATUSBAR_H

#include <stdarg.h>

#include "tui/draw.h"

/*
 * The bottom line: the latest message on the left (what just happened:
 * "loading…", "saved v8; search applied in 4 ms", an API error), short key
 * hints on the right. Informational messages fade after a while; warnings
 * and errors stay until the next message.
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

void tui_status_set(struct tui_status *st, enum tui_say level, double now_ms,
		    const char *fmt, va_list ap);

/* Drops an expired message; returns 1 when it changed. */
int tui_status_tick(struct tui_status *st, double now_ms);

/* Draws the bar on row y, width w; hints go right when there is room. */
void tui_status_draw(WINDOW *win, int y, int w, const struct tui_status *st,
		     const char *hints);

#endif
