#include "tui/textview.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "tui/text.h"

void tui_textview_clear(struct tui_textview *tv)
{
	for (size_t i = 0; i < tv->n; i++)
		free(tv->lines[i]);
	tv->n = 0;
}

void tui_textview_free(struct tui_textview *tv)
{
	tui_textview_clear(tv);
	free(tv->lines);
	free(tv->colors);
	memset(tv, 0, sizeof(*tv));
}

static void push(struct tui_textview *tv, enum tui_color color,
		 const char *s, size_t len)
{
	char *line;

	if (tv->n == tv->cap) {
		size_t cap = tv->cap ? tv->cap * 2 : 64;
		char **lines = realloc(tv->lines, cap * sizeof(*lines));
		enum tui_color *colors;

		if (lines == NULL)
			return;
		tv->lines = lines;
		colors = realloc(tv->colors, cap * sizeof(*colors));
		if (colors == NULL)
			return;
		tv->colors = colors;
		tv->cap = cap;
	}
	line = malloc(len + 1);
	if (line == NULL)
		return;
	memcpy(line, s, len);
	line[len] = '\0';
	tv->lines[tv->n] = line;
	tv->colors[tv->n] = color;
	tv->n++;
}

static void push_text(struct tui_textview *tv, enum tui_color color,
		      const char *text)
{
	for (;;) {
		size_t n = strcspn(text, "\n");

		push(tv, color, text, n);
		if (text[n] == '\0')
			break;
		text += n + 1;
	}
}

void tui_textview_add(struct tui_textview *tv, enum tui_color color,
		      const char *fmt, ...)
{
	char buf[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	push_text(tv, color, buf);
}

void tui_textview_add_json(struct tui_textview *tv, const char *raw,
			   const char *indent)
{
	json_error_t jerr;
	json_t *v = raw ? json_loads(raw, 0, &jerr) : NULL;
	char *pretty = v ? json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
				       JSON_REAL_PRECISION(8))
			 : NULL;
	const char *text = pretty ? pretty : raw ? raw : "(not kept)";

	for (;;) {
		size_t n = strcspn(text, "\n");
		char line[2048];

		snprintf(line, sizeof(line), "%s%.*s", indent, (int)n, text);
		push(tv, TUI_C_NORMAL, line, strlen(line));
		if (text[n] == '\0')
			break;
		text += n + 1;
	}
	free(pretty);
	json_decref(v);
}

/* Leading spaces of s, kept for the rows a long line wraps onto. */
static int indent_of(const char *s, int w)
{
	int n = 0;

	while (s[n] == ' ' && n < w / 2)
		n++;
	return n;
}

/*
 * Rows line s takes at width w: a line wider than w wraps (at spaces,
 * under its own indent plus two), up to TUI_TEXTVIEW_WRAP_MAX rows.
 * lines gets the pieces when not NULL.
 */
static int rows_of(const char *s, int w, char (*lines)[512])
{
	char tmp[TUI_TEXTVIEW_WRAP_MAX][512];
	int ind = indent_of(s, w);
	int n;

	if (tui_text_width(s) <= w || w - ind - 2 < 8) {
		if (lines != NULL)
			tui_copy_utf8(lines[0], sizeof(lines[0]), s);
		return 1;
	}
	n = tui_text_wrap(s + ind, w - ind - 2, lines ? lines : tmp,
			  TUI_TEXTVIEW_WRAP_MAX);
	return n > 0 ? n : 1;
}

void tui_textview_draw(WINDOW *win, struct tui_rect r, struct tui_textview *tv)
{
	char lines[TUI_TEXTVIEW_WRAP_MAX][512];
	size_t max_top = tv->n;
	int rows = 0, y = r.y;

	tv->visible = r.h;
	/* The last top that still shows the last line, rows counted. */
	while (max_top > 0) {
		rows += rows_of(tv->lines[max_top - 1], r.w, NULL);
		if (rows > r.h)
			break;
		max_top--;
	}
	tv->max_top = max_top;
	if (tv->top > max_top)
		tv->top = max_top;
	for (size_t k = tv->top; k < tv->n && y < r.y + r.h; k++) {
		const char *s = tv->lines[k];
		int ind = indent_of(s, r.w);
		int n = rows_of(s, r.w, lines);

		if (n == 1) { /* fits, or too narrow to wrap: cut */
			tui_draw_text(win, y++, r.x, r.w, s,
				      tui_theme_attr(tv->colors[k]));
			continue;
		}
		for (int i = 0; i < n && y < r.y + r.h; i++) {
			int x = ind + (i > 0 ? 2 : 0);

			tui_draw_text(win, y++, r.x + x, r.w - x, lines[i],
				      tui_theme_attr(tv->colors[k]));
		}
	}
}

int tui_textview_move(struct tui_textview *tv, enum tui_action action)
{
	size_t page = tv->visible > 1 ? (size_t)tv->visible - 1 : 1;
	/* Wrapped lines take more rows: the draw knows the last top. */
	size_t last = tv->max_top;

	switch (action) {
	case TUI_A_UP:
		if (tv->top > 0)
			tv->top--;
		return 1;
	case TUI_A_DOWN:
		if (tv->top < last)
			tv->top++;
		return 1;
	case TUI_A_PAGE_UP:
		tv->top = tv->top > page ? tv->top - page : 0;
		return 1;
	case TUI_A_PAGE_DOWN:
		tv->top = tv->top + page < last ? tv->top + page : last;
		return 1;
	case TUI_A_FIRST:
		tv->top = 0;
		return 1;
	case TUI_A_LAST:
		tv->top = last;
		return 1;
	default:
		return 0;
	}
}
