#include "tui/draw.h"

#include "tui/text.h"

/* Worst case 4 bytes per column, plus the terminator. */
#define LINE_BYTES(width) ((size_t)(width) * 4 + 1)

static void put(WINDOW *win, int y, int x, int width, const char *s,
		attr_t attr, int pad, int ellipsis)
{
	char buf[LINE_BYTES(512)];
	int maxy, maxx;

	getmaxyx(win, maxy, maxx);
	if (y < 0 || y >= maxy || x < 0 || x >= maxx || width <= 0)
		return;
	if (width > maxx - x)
		width = maxx - x;
	if (width > 512)
		width = 512;
	tui_text_fit(s, width, pad, ellipsis, buf, sizeof(buf));
	wattrset(win, attr);
	mvwaddstr(win, y, x, buf);
	wattrset(win, A_NORMAL);
}

void tui_draw_text(WINDOW *win, int y, int x, int width, const char *s,
		   attr_t attr)
{
	put(win, y, x, width, s, attr, 1, 1);
}

void tui_draw_text_raw(WINDOW *win, int y, int x, int width, const char *s,
		       attr_t attr)
{
	put(win, y, x, width, s, attr, 0, 0);
}

void tui_draw_center(WINDOW *win, int y, int x, int width, const char *s,
		     attr_t attr)
{
	int tw = tui_text_width(s);
	int left = tw < width ? (width - tw) / 2 : 0;

	put(win, y, x, left, "", attr, 1, 0);
	put(win, y, x + left, width - left, s, attr, 1, 1);
}
