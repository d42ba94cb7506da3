/*
 * The console's layout: a title line, the screen on show (with the Stream
 * beside or below it when the terminal has room, or when asked with
 * Ctrl-W), the status line at the bottom; or, below 80x24, a message that
 * says so.
 */
#include "tui/console_priv.h"

#include <stdio.h>
#include <string.h>

#include "screens/screens.h"
#include "tui/caption.h"
#include "tui/help.h"
#include "tui/text.h"

#define PROMPT_FIELD_MIN 24 /* columns left to type in at the least */

int console_too_small(void)
{
	return COLS < CONSOLE_MIN_COLS || LINES < CONSOLE_MIN_LINES;
}

static const char *strip_scheme(const char *url)
{
	const char *p = strstr(url, "://");

	return p ? p + 3 : url;
}

/* The screens ':' reaches, for the title's tab row. */
static const enum console_view tab_views[] = {
	VIEW_STORES, VIEW_EDITOR, VIEW_STREAM, VIEW_SERVICES, VIEW_QUERY,
};

static void draw_title(struct console *c)
{
	char full[512], brief[512];
	const char *api = c->api == API_OK	 ? "ok"
			  : c->api == API_DOWN ? "UNREACHABLE"
					       : "...";
	const char *kafka = c->tail == NULL ? "off"
			    : c->tail_state == TUI_TAIL_LIVE ? "live"
			    : c->tail_state == TUI_TAIL_DOWN ? "DOWN"
							     : "connecting...";
	const char *sep =
		c->tail_state != TUI_TAIL_LIVE && c->tail_why[0] ? " - " : "";
	const char *why = c->tail_state != TUI_TAIL_LIVE ? c->tail_why : "";
	enum console_view on = c->history[c->depth - 1];
	const char *line;
	int tabs_w = 0, x;

	snprintf(full, sizeof(full), " storectl | api %s %s | kafka %s %s%s%s",
		 strip_scheme(c->cfg->store_api), api, c->cfg->brokers, kafka,
		 sep, why);
	snprintf(brief, sizeof(brief), " storectl | api %s | kafka %s%s%s",
		 api, kafka, sep, why);
	for (size_t i = 0; i < sizeof(tab_views) / sizeof(tab_views[0]); i++)
		tabs_w += tui_text_width(c->screens[tab_views[i]].ops->name) + 2;
	/* Hosts and tabs when both fit; tabs rather than hosts at 80
	 * columns; never the tabs over what is wrong. */
	if (tui_text_width(full) + tabs_w + 1 <= COLS)
		line = full;
	else if (tui_text_width(brief) + tabs_w + 1 <= COLS)
		line = brief;
	else
		line = NULL;
	if (line == NULL) {
		tui_draw_text(stdscr, 0, 0, COLS, full,
			      tui_theme_attr(TUI_C_TITLE));
		return;
	}
	tui_draw_text(stdscr, 0, 0, COLS - tabs_w, line,
		      tui_theme_attr(TUI_C_TITLE));
	x = COLS - tabs_w;
	for (size_t i = 0; i < sizeof(tab_views) / sizeof(tab_views[0]); i++) {
		const char *name = c->screens[tab_views[i]].ops->name;
		int w = tui_text_width(name) + 2;
		int current = tab_views[i] == on ||
			      (on == VIEW_EVENT && tab_views[i] == VIEW_STREAM);
		char tab[64];

		snprintf(tab, sizeof(tab), current ? "[%s]" : " %s ", name);
		tui_draw_text(stdscr, 0, x, w, tab,
			      current ? tui_theme_attr(TUI_C_PANE_FOCUS)
				      : tui_theme_attr(TUI_C_TITLE));
		x += w;
	}
}

static void draw_pane(struct screen *s, struct tui_rect r, int focused)
{
	char title[256] = "", line[320];

	if (r.h < 1 || r.w < 1)
		return;
	if (s->ops->title != NULL)
		s->ops->title(s, title, sizeof(title));
	snprintf(line, sizeof(line), " %s%s%s", s->ops->name,
		 title[0] ? " - " : "", title);
	tui_draw_text(stdscr, r.y, r.x, r.w, line,
		      tui_theme_attr(focused ? TUI_C_PANE_FOCUS : TUI_C_PANE));
	r.y++;
	r.h--;
	s->ops->draw(s, stdscr, r, focused);
}

static void draw_too_small(void)
{
	char line[128];
	int y = LINES / 2 - 1;

	snprintf(line, sizeof(line), "Terminal too small: %dx%d", COLS, LINES);
	tui_draw_center(stdscr, y < 0 ? 0 : y, 0, COLS, line,
			tui_theme_attr(TUI_C_WARN));
	snprintf(line, sizeof(line), "storectl needs at least %dx%d.",
		 CONSOLE_MIN_COLS, CONSOLE_MIN_LINES);
	tui_draw_center(stdscr, y + 1, 0, COLS, line, A_NORMAL);
	tui_draw_center(stdscr, y + 2, 0, COLS, "Enlarge it, or press q to quit.",
			A_NORMAL);
}

/* The bottom line while a prompt is open: label, then the field. */
static void draw_prompt(struct console *c)
{
	struct console_prompt *p = &c->prompt;
	int lw = tui_text_width(p->label);
	char view[TUI_FIELD_MAX * 4 + 8];
	int ccol = 0, fw;

	tui_draw_text(stdscr, LINES - 1, 0, COLS, "",
		      tui_theme_attr(TUI_C_STATUS));
	/* A question takes the line; a prompt leaves room to type (24
	 * columns: the label, an example in it, is read whole at 80). */
	if (lw > (p->confirm ? COLS - 2 : COLS - PROMPT_FIELD_MIN))
		lw = p->confirm ? COLS - 2 : COLS - PROMPT_FIELD_MIN;
	tui_draw_text(stdscr, LINES - 1, 0, lw, p->label,
		      tui_theme_attr(TUI_C_INFO));
	if (p->confirm) {
		c->cursor_on = 1;
		c->cursor_y = LINES - 1;
		c->cursor_x = lw < COLS - 1 ? lw : COLS - 1;
		return;
	}
	fw = COLS - lw - 1;
	if (fw < 4)
		return;
	/* One column per byte at most; view holds 4 bytes a column. */
	if (fw > (int)(sizeof(view) - 8) / 4)
		fw = (int)(sizeof(view) - 8) / 4;
	tui_field_view(&p->field, fw, view, sizeof(view), &ccol);
	tui_draw_text_raw(stdscr, LINES - 1, lw, fw, view,
			  tui_theme_attr(TUI_C_INPUT_FOCUS));
	c->cursor_on = 1;
	c->cursor_y = LINES - 1;
	c->cursor_x = lw + ccol;
}

static void draw_status(struct console *c, struct screen *f)
{
	const char *hints = f->ops->hint != NULL ? f->ops->hint(f) : NULL;

	if (c->prompt.active) {
		draw_prompt(c);
		return;
	}
	tui_status_draw(stdscr, LINES - 1, COLS, &c->status,
			hints != NULL ? hints : f->ops->hints);
}

static void draw_help(struct console *c, struct screen *f)
{
	const struct tui_keymap *maps[4 * VIEW_COUNT + 3];
	size_t n = 0;

	for (int v = 0; v < VIEW_COUNT; v++) {
		const struct screen_ops *ops = c->screens[v].ops;

		if (!c->help_all && ops != f->ops)
			continue;
		maps[n++] = ops->keymap;
		for (size_t i = 0; ops->more_keymaps != NULL &&
				   ops->more_keymaps[i] != NULL && i < 3;
		     i++)
			maps[n++] = ops->more_keymaps[i];
	}
	if (c->help_all || f->ops->edits_text)
		maps[n++] = &tui_keymap_text;
	maps[n++] = &tui_keymap_global;
	c->cursor_on = 0;
	c->help_scrolls = tui_help_draw(stdscr, maps, n, &c->help_scroll);
}

void console_draw(struct console *c)
{
	struct screen *main_s = console_main(c);
	struct screen *side = console_side(c);
	struct screen *f = console_focused(c);
	int avail;

	c->cursor_on = 0;
	if (c->full_redraw) {
		clearok(curscr, TRUE);
		c->full_redraw = 0;
	}
	erase();
	if (console_too_small()) {
		draw_too_small();
	} else {
		/* A long message takes more than the last line. */
		avail = LINES - 1 -
			(c->prompt.active ? 1 : tui_status_lines(&c->status, COLS));
		draw_title(c);
		/* The caption box sits above the status line. */
		if (c->cfg->caption != NULL) {
			avail -= TUI_CAPTION_LINES;
			tui_caption_draw(c->cfg->caption, stdscr,
					 (struct tui_rect){ 1 + avail, 0,
							    TUI_CAPTION_LINES,
							    COLS });
		}
		if (side == NULL) {
			draw_pane(main_s, (struct tui_rect){ 1, 0, avail, COLS },
				  1);
		} else if (COLS >= 2 * CONSOLE_MIN_COLS) {
			/* Beside: the Stream needs 80 columns for its five
			 * services; the screen on show gets the rest. */
			int side_w = COLS / 2;

			draw_pane(main_s,
				  (struct tui_rect){ 1, 0, avail,
						     COLS - side_w - 1 },
				  !c->focus_side);
			for (int y = 1; y <= avail; y++)
				mvaddch(y, COLS - side_w - 1, '|');
			draw_pane(side,
				  (struct tui_rect){ 1, COLS - side_w, avail,
						     side_w },
				  c->focus_side);
		} else {
			int top_h = avail / 2 + (avail >= 36 ? avail / 10 : 0);

			draw_pane(main_s, (struct tui_rect){ 1, 0, top_h, COLS },
				  !c->focus_side);
			draw_pane(side,
				  (struct tui_rect){ 1 + top_h, 0,
						     avail - top_h, COLS },
				  c->focus_side);
		}
		draw_status(c, f);
		if (c->help_open)
			draw_help(c, f);
	}
	if (c->cursor_on && !c->help_open) {
		curs_set(1);
		move(c->cursor_y, c->cursor_x);
	} else {
		curs_set(0);
	}
	wnoutrefresh(stdscr);
	doupdate();
	c->dirty = 0;
}
