#include "tui/theme.h"

#include <stdlib.h>

/* One row per meaning: colors when we may use them, attributes otherwise. */
static const struct {
	short fg, bg;
	attr_t color_attr;
	attr_t mono_attr;
} theme[TUI_C_COUNT] = {
	[TUI_C_NORMAL] = { -1, -1, A_NORMAL, A_NORMAL },
	[TUI_C_TITLE] = { COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE | A_BOLD },
	[TUI_C_HEADER] = { COLOR_CYAN, -1, A_BOLD, A_BOLD | A_UNDERLINE },
	[TUI_C_SELECTED] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE },
	[TUI_C_SELECTED_DIM] = { -1, -1, A_REVERSE, A_UNDERLINE },
	[TUI_C_PANE] = { COLOR_WHITE, -1, A_BOLD, A_BOLD },
	[TUI_C_PANE_FOCUS] = { COLOR_BLACK, COLOR_WHITE, A_BOLD,
			       A_REVERSE | A_BOLD },
	[TUI_C_STATUS] = { COLOR_WHITE, COLOR_BLUE, A_NORMAL, A_REVERSE },
	[TUI_C_INFO] = { COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE | A_BOLD },
	[TUI_C_GOOD] = { COLOR_GREEN, -1, A_NORMAL, A_NORMAL },
	[TUI_C_WARN] = { COLOR_YELLOW, -1, A_BOLD, A_BOLD },
	[TUI_C_ERROR] = { COLOR_RED, -1, A_BOLD, A_BOLD | A_UNDERLINE },
	[TUI_C_DIM] = { -1, -1, A_DIM, A_DIM },
	[TUI_C_LABEL] = { COLOR_CYAN, -1, A_NORMAL, A_BOLD },
	[TUI_C_INPUT] = { -1, -1, A_UNDERLINE, A_UNDERLINE },
	[TUI_C_INPUT_FOCUS] = { COLOR_BLACK, COLOR_YELLOW, A_NORMAL,
				A_REVERSE },
};

static int use_color;

void tui_theme_init(void)
{
	const char *no_color = getenv("NO_COLOR");
	int defaults;

	use_color = 0;
	/* https://no-color.org: present and non-empty means no color. */
	if (no_color != NULL && *no_color != '\0')
		return;
	if (!has_colors() || start_color() == ERR)
		return;
	/* Without default colors (-1) fall back to white on black. */
	defaults = use_default_colors() == OK;
	if (COLORS < 8 || COLOR_PAIRS < TUI_C_COUNT)
		return;
	for (int i = 1; i < TUI_C_COUNT; i++) {
		short fg = theme[i].fg, bg = theme[i].bg;

		if (!defaults && fg < 0)
			fg = COLOR_WHITE;
		if (!defaults && bg < 0)
			bg = COLOR_BLACK;
		init_pair((short)i, fg, bg);
	}
	use_color = 1;
}

attr_t tui_theme_attr(enum tui_color c)
{
	if (c < 0 || c >= TUI_C_COUNT)
		return A_NORMAL;
	if (!use_color)
		return theme[c].mono_attr;
	if (c == TUI_C_NORMAL)
		return A_NORMAL;
	return COLOR_PAIR(c) | theme[c].color_attr;
}

int tui_theme_has_color(void)
{
	return use_color;
}
