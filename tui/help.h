#ifndef STORECTL_TUI_HELP_H
#define STORECTL_TUI_HELP_H

#include <stddef.h>

#include <ncurses.h>

#include "tui/keymap.h"

/*
 * The key help overlay, generated from keymaps (the focused pane's, then
 * the global one): a heading per map, one line per action with all its
 * keys (the help wrapped under itself when it is wider than its column).
 * Drawn centered above the status line; *scroll (lines skipped) is
 * clamped so the last line stays in view. Returns 1 when it does not all
 * fit (j/k scroll), 0 when any key may close it.
 */
int tui_help_draw(WINDOW *win, const struct tui_keymap *const *maps,
		  size_t nmaps, int *scroll);

#endif
