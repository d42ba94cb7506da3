#include "tui/help.h"

#include "tui/draw.h"

#define HELP_LINES_MAX 256

void tui_help_draw(WINDOW *win, const struct tui_keymap *const *maps,
		   size_t nmaps, int *scroll)
{
	struct tui_help_line lines[HELP_LINES_MAX];
	const char *headings[HELP_LINES_MAX];
	size_t n = 0;
	int maxy, maxx, w, h, y0, x0, body;

	/* A heading line, then the map's lines. */
	for (size_t m = 0; m < nmaps && n + 1 < HELP_LINES_MAX; m++) {
		size_t k;

		headings[n] = maps[m]->name;
		lines[n++] = (struct tui_help_line){ "", NULL };
		k = tui_keymap_help(maps[m], lines + n, HELP_LINES_MAX - n);
		for (size_t i = 0; i < k; i++)
			headings[n + i] = NULL;
		n += k;
	}
	getmaxyx(win, maxy, maxx);
	w = maxx - 4 < 76 ? maxx - 4 : 76;
	/* A title line, the lines, a blank line; above the status line. */
	h = (int)n + 2 < maxy - 1 ? (int)n + 2 : maxy - 1;
	y0 = (maxy - 1 - h) / 2;
	x0 = (maxx - w) / 2;
	body = h - 2;
	if (*scroll > (int)n - body)
		*scroll = (int)n - body > 0 ? (int)n - body : 0;
	tui_draw_text(win, y0, 0, maxx, "", tui_theme_attr(TUI_C_TITLE));
	tui_draw_text(win, y0, x0, w,
		      body < (int)n ? " Keys (j/k scroll, any other key closes)"
				    : " Keys (any key closes)",
		      tui_theme_attr(TUI_C_TITLE));
	/* Whole lines, so nothing of the screen under it peeks out. */
	for (int i = 1; i < h; i++)
		tui_draw_text(win, y0 + i, 0, maxx, "", A_NORMAL);
	for (int i = 0; i < body; i++) {
		size_t k = (size_t)(*scroll + i);

		if (k >= n)
			break;
		if (headings[k] != NULL) {
			tui_draw_text(win, y0 + 1 + i, x0 + 1, w - 2,
				      headings[k], tui_theme_attr(TUI_C_HEADER));
			continue;
		}
		tui_draw_text(win, y0 + 1 + i, x0 + 3, 20, lines[k].keys,
			      tui_theme_attr(TUI_C_LABEL));
		tui_draw_text(win, y0 + 1 + i, x0 + 24, w - 25, lines[k].help,
			      A_NORMAL);
	}
}
