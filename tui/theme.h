#ifndef STORECTL_TUI_THEME_H
#define STORECTL_TUI_THEME_H

#include <ncurses.h>

/*
 * Colors named by what they mean, not how they look. tui/theme.c is the
 * only file that creates color pairs; everything else asks for an attribute
 * by meaning. With NO_COLOR set (non-empty) or on a monochrome terminal
 * every meaning maps to plain attributes (bold, reverse, dim, underline).
 */
enum tui_color {
	TUI_C_NORMAL,
	TUI_C_TITLE,      /* top line */
	TUI_C_HEADER,     /* column headings */
	TUI_C_SELECTED,   /* cursor row in the focused pane */
	TUI_C_SELECTED_DIM, /* cursor row in the other pane */
	TUI_C_PANE,       /* a pane's title line */
	TUI_C_PANE_FOCUS, /* the focused pane's title line */
	TUI_C_STATUS,     /* status bar */
	TUI_C_INFO,       /* status bar message */
	TUI_C_GOOD,       /* saved, applied */
	TUI_C_WARN,       /* conflict, stale, loading */
	TUI_C_ERROR,      /* failures */
	TUI_C_DIM,        /* secondary text, coalesced, waiting */
	TUI_C_LABEL,      /* form labels */
	TUI_C_INPUT,      /* a form field */
	TUI_C_INPUT_FOCUS, /* the form field being edited */
	TUI_C_COUNT
};

/* Decides color or monochrome and creates the pairs; call after initscr. */
void tui_theme_init(void);

/* The attribute for a meaning (color pair plus attributes). */
attr_t tui_theme_attr(enum tui_color c);

/* 1 when colors are in use. */
int tui_theme_has_color(void);

#endif
