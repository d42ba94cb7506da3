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

void tui_status_draw(WINDOW *win, int y, int w, const struct tui_status *st,
		     const char *hints)
{
	attr_t bar = tui_theme_attr(TUI_C_STATUS);
	int hw = hints ? tui_text_width(hints) : 0;
	int mw = st->text[0] ? tui_text_width(st->text) : 0;
	enum tui_color c;

	tui_draw_text(win, y, 0, w, "", bar);
	/* The message wins over the hints when both do not fit. */
	if (hw > 0 && mw + hw + 3 <= w)
		tui_draw_text(win, y, w - hw - 1, hw, hints, bar);
	if (mw == 0)
		return;
	switch (st->level) {
	case TUI_SAY_ERROR:
		c = TUI_C_ERROR;
		break;
	case TUI_SAY_WARN:
		c = TUI_C_WARN;
		break;
	default:
		c = TUI_C_INFO;
	}
	/* Errors keep the bar's background in color, stand out in mono. */
	tui_draw_text(win, y, 1, mw < w - 1 ? mw : w - 1, st->text,
		      c == TUI_C_INFO ? tui_theme_attr(TUI_C_INFO)
				      : (tui_theme_attr(c) | A_REVERSE));
}
