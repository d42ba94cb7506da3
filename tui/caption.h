#ifndef STORECTL_TUI_CAPTION_H
#define STORECTL_TUI_CAPTION_H

#include <stddef.h>

#include "tui/draw.h"
#include "tui/statusbar.h"

/*
 * A caption box the console shows above its status line, fed by another
 * thread (the demo runner, cli/demo_console.c): a title ("Demo: outage -
 * step 3 of 12"), the caption text (wrapped on up to two lines), and
 * what runs now on the lines left (one or two). The feeding thread sets
 * the parts; each change
 * wakes the console's loop, which redraws. Thread-safe.
 */

enum tui_caption_part {
	TUI_CAPTION_TITLE,
	TUI_CAPTION_TEXT,
	TUI_CAPTION_STEP,
	TUI_CAPTION_PARTS
};

#define TUI_CAPTION_LINES 4 /* rows the box takes */

struct tui_caption;

/* NULL when out of memory. */
struct tui_caption *tui_caption_new(void);
void tui_caption_free(struct tui_caption *cap);

/* From any thread: sets a part (printf format) in level's colour, and
 * wakes the console. */
void tui_caption_set(struct tui_caption *cap, enum tui_caption_part part,
		     enum tui_say level, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* UI thread: 1 when a part changed since the generation in *seen (which
 * is updated). */
int tui_caption_changed(struct tui_caption *cap, unsigned *seen);

/* UI thread: draws the box in r (r.h rows, TUI_CAPTION_LINES wanted). */
void tui_caption_draw(struct tui_caption *cap, WINDOW *win,
		      struct tui_rect r);

#endif
