#include "tui/statusbar.h"

#include <stdio.h>

#include "tui/text.h"

void tui_status_set(struct tui_status *st, enum tui_say level, double now_ms,
		    const char *fmt, va_list ap)
{
	vsnprintf(st->text, sizeof(st->text), fmt, ap);
	st->level = level;
	st->expires_ms = level <= TUI_SAY_GOOD ? now_ms + TUI_STATUS_FADE_MS
					       : 0;
}

int tui_status_tick(struct tui_status *st, double now_ms)
{
	if (st->text[0] == '\0' || st->expires_ms == 0 ||
	    now_ms < st->expires_ms)
		return 0;
	st->text[0] = '\0';
	return 1;
}

/* The message fits on one line beside the left margin. */
static int fits(const struct tui_status *st, int w)
{
	return st->text[0] == '\0' || tui_text_width(st->text) <= w - 1;
}

int tui_status_lines(const struct tui_status *st, int w)
{
	char lines[TUI_STATUS_LINES_MAX][512];

	if (w < 3 || fits(st, w))
		return 1;
	return tui_text_wrap(st->text, w - 2, lines, TUI_STATUS_LINES_MAX);
}

static attr_t message_attr(enum tui_say level)
{
	switch (level) {
	case TUI_SAY_ERROR:
		return tui_theme_attr(TUI_C_ERROR) | A_REVERSE;
	case TUI_SAY_WARN:
		return tui_theme_attr(TUI_C_WARN) | A_REVERSE;
	default:
		return tui_theme_attr(TUI_C_INFO);
	}
}

void tui_status_draw(WINDOW *win, int y, int w, const struct tui_status *st,
		     const char *hints)
{
	attr_t bar = tui_theme_attr(TUI_C_STATUS);
	int hw = hints ? tui_text_width(hints) : 0;
	int mw = st->text[0] ? tui_text_width(st->text) : 0;
	char lines[TUI_STATUS_LINES_MAX][512];
	int n;

	if (w >= 3 && !fits(st, w)) {
		/* Wrapped: the whole message, no hints. */
		n = tui_text_wrap(st->text, w - 2, lines, TUI_STATUS_LINES_MAX);
		for (int i = 0; i < n; i++) {
			int row = y - (n - 1) + i;

			tui_draw_text(win, row, 0, w, "", bar);
			/* Errors keep the bar's background in color, stand
			 * out in mono. */
			tui_draw_text(win, row, 1, tui_text_width(lines[i]),
				      lines[i], message_attr(st->level));
		}
		return;
	}
	tui_draw_text(win, y, 0, w, "", bar);
	/* The message wins over the hints when both do not fit. */
	if (hw > 0 && mw + hw + 3 <= w)
		tui_draw_text(win, y, w - hw - 1, hw, hints, bar);
	if (mw == 0)
		return;
	tui_draw_text(win, y, 1, mw < w - 1 ? mw : w - 1, st->text,
		      message_attr(st->level));
}
