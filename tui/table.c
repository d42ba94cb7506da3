#include "tui/table.h"

#include <stdio.h>

#include "tui/text.h"

#define TABLE_COLS_MAX 16

/* Computes each column's width for a total width of w. */
static void layout(const struct tui_table *t, int w, int *widths)
{
	int fixed = 0, flex = -1;

	for (size_t i = 0; i < t->ncols && i < TABLE_COLS_MAX; i++) {
		widths[i] = t->cols[i].width;
		if (widths[i] == 0 && flex < 0)
			flex = (int)i;
		fixed += widths[i] + (i > 0 ? 1 : 0);
	}
	if (flex >= 0) {
		int rest = w - fixed;

		widths[flex] = rest > t->cols[flex].min ? rest
							 : t->cols[flex].min;
	}
}

void tui_table_clamp(struct tui_table *t)
{
	if (t->rows == 0) {
		t->selected = 0;
		t->top = 0;
		return;
	}
	if (t->selected >= t->rows)
		t->selected = t->rows - 1;
	if (t->visible > 0) {
		if (t->selected < t->top)
			t->top = t->selected;
		if (t->selected >= t->top + (size_t)t->visible)
			t->top = t->selected - (size_t)t->visible + 1;
		/* No blank space below the last row while rows are hidden
		 * above. */
		if (t->rows >= (size_t)t->visible &&
		    t->top > t->rows - (size_t)t->visible)
			t->top = t->rows - (size_t)t->visible;
		if (t->rows < (size_t)t->visible)
			t->top = 0;
	}
}

static void draw_row(WINDOW *win, int y, int x, int w, const int *widths,
		     const struct tui_table *t, size_t row, attr_t row_attr,
		     int use_cell_colors)
{
	int col_x = x;

	/* The row attribute covers the separators too. */
	tui_draw_text(win, y, x, w, "", row_attr);
	for (size_t c = 0; c < t->ncols && c < TABLE_COLS_MAX; c++) {
		char text[512] = "";
		enum tui_color color = TUI_C_NORMAL;
		int cw = widths[c];
		int tw;
		attr_t attr = row_attr;

		if (col_x >= x + w)
			break;
		if (cw > x + w - col_x)
			cw = x + w - col_x;
		if (row == (size_t)-1)
			snprintf(text, sizeof(text), "%s", t->cols[c].title);
		else
			t->cell(t->ctx, row, c, text, sizeof(text), &color);
		if (use_cell_colors && color != TUI_C_NORMAL)
			attr = tui_theme_attr(color);
		tw = tui_text_width(text);
		if (t->cols[c].align_right && tw < cw)
			tui_draw_text(win, y, col_x + cw - tw, tw, text, attr);
		else
			tui_draw_text(win, y, col_x, cw, text, attr);
		col_x += cw + 1;
	}
}

void tui_table_draw(WINDOW *win, struct tui_rect r, struct tui_table *t,
		    int focused, const char *empty)
{
	int widths[TABLE_COLS_MAX];

	if (r.h < 1 || r.w < 1)
		return;
	layout(t, r.w, widths);
	draw_row(win, r.y, r.x, r.w, widths, t, (size_t)-1,
		 tui_theme_attr(TUI_C_HEADER), 0);
	t->visible = r.h - 1;
	tui_table_clamp(t);
	if (t->rows == 0 && empty != NULL && r.h > 1) {
		/* Often an error with a URL in it: wrapped, not cut. */
		char lines[3][512];
		int n = tui_text_wrap(empty, r.w, lines,
				      r.h - 1 < 3 ? r.h - 1 : 3);

		for (int i = 0; i < n; i++)
			tui_draw_text(win, r.y + 1 + i, r.x, r.w, lines[i],
				      tui_theme_attr(TUI_C_DIM));
	}
	for (int i = 0; i < t->visible; i++) {
		size_t row = t->top + (size_t)i;
		int selected = row == t->selected;
		attr_t attr;

		if (row >= t->rows)
			break;
		if (selected)
			attr = tui_theme_attr(focused ? TUI_C_SELECTED
						      : TUI_C_SELECTED_DIM);
		else
			attr = tui_theme_attr(TUI_C_NORMAL);
		draw_row(win, r.y + 1 + i, r.x, r.w, widths, t, row, attr,
			 !selected);
	}
}

int tui_table_move(struct tui_table *t, enum tui_action action)
{
	size_t page = t->visible > 1 ? (size_t)t->visible - 1 : 1;

	switch (action) {
	case TUI_A_UP:
		if (t->selected > 0)
			t->selected--;
		break;
	case TUI_A_DOWN:
		if (t->selected + 1 < t->rows)
			t->selected++;
		break;
	case TUI_A_PAGE_UP:
		t->selected = t->selected > page ? t->selected - page : 0;
		break;
	case TUI_A_PAGE_DOWN:
		t->selected += page;
		break;
	case TUI_A_FIRST:
		t->selected = 0;
		break;
	case TUI_A_LAST:
	case TUI_A_FOLLOW_END:
		t->selected = t->rows > 0 ? t->rows - 1 : 0;
		break;
	default:
		return 0;
	}
	tui_table_clamp(t);
	return 1;
}
