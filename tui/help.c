#include "tui/help.h"

#include "tui/draw.h"
#include "tui/text.h"

#define HELP_LINES_MAX 256
#define HELP_WRAP_MAX 4 /* rows one action's help may take */

int tui_help_draw(WINDOW *win, const struct tui_keymap *const *maps,
		  size_t nmaps, int *scroll)
{
	struct tui_help_line lines[HELP_LINES_MAX];
	const char *headings[HELP_LINES_MAX];
	char wrapped[HELP_WRAP_MAX][512];
	int rows[HELP_LINES_MAX];
	size_t n = 0;
	int maxy, maxx, w, h, y0, x0, body, total = 0, row;

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
	/* A help text wider than its column goes on under itself rather
	 * than being cut at 80 columns. */
	for (size_t k = 0; k < n; k++) {
		rows[k] = headings[k] != NULL
				  ? 1
				  : tui_text_wrap(lines[k].help, w - 25, wrapped,
						  HELP_WRAP_MAX);
		if (rows[k] < 1)
			rows[k] = 1;
		total += rows[k];
	}
	/* A title line, the lines, a blank line; above the status line. */
	h = total + 2 < maxy - 1 ? total + 2 : maxy - 1;
	y0 = (maxy - 1 - h) / 2;
	x0 = (maxx - w) / 2;
	body = h - 2;
	if (*scroll > total - body)
		*scroll = total - body > 0 ? total - body : 0;
	tui_draw_text(win, y0, 0, maxx, "", tui_theme_attr(TUI_C_TITLE));
	tui_draw_text(win, y0, x0, w,
		      body < total ? " Keys (j/k scroll, any other key closes)"
				   : " Keys (any key closes)",
		      tui_theme_attr(TUI_C_TITLE));
	/* Whole lines, so nothing of the screen under it peeks out. */
	for (int i = 1; i < h; i++)
		tui_draw_text(win, y0 + i, 0, maxx, "", A_NORMAL);
	row = 0;
	for (size_t k = 0; k < n && row < *scroll + body; k++) {
		int nw;

		if (row + rows[k] <= *scroll) {
			row += rows[k];
			continue;
		}
		if (headings[k] != NULL) {
			tui_draw_text(win, y0 + 1 + row - *scroll, x0 + 1,
				      w - 2, headings[k],
				      tui_theme_attr(TUI_C_HEADER));
			row++;
			continue;
		}
		nw = tui_text_wrap(lines[k].help, w - 25, wrapped,
				   HELP_WRAP_MAX);
		for (int i = 0; i < rows[k]; i++, row++) {
			int y = y0 + 1 + row - *scroll;

			if (row < *scroll || row >= *scroll + body)
				continue;
			if (i == 0)
				tui_draw_text(win, y, x0 + 3, 20, lines[k].keys,
					      tui_theme_attr(TUI_C_LABEL));
			tui_draw_text(win, y, x0 + 24, w - 25,
				      i < nw ? wrapped[i] : "", A_NORMAL);
		}
	}
	return body < total;
}
