#include "tui/textview.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

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

void tui_textview_draw(WINDOW *win, struct tui_rect r, struct tui_textview *tv)
{
	tv->visible = r.h;
	if (tv->n <= (size_t)r.h)
		tv->top = 0;
	else if (tv->top > tv->n - (size_t)r.h)
		tv->top = tv->n - (size_t)r.h;
	for (int i = 0; i < r.h; i++) {
		size_t k = tv->top + (size_t)i;

		if (k >= tv->n)
			break;
		tui_draw_text(win, r.y + i, r.x, r.w, tv->lines[k],
			      tui_theme_attr(tv->colors[k]));
	}
}

int tui_textview_move(struct tui_textview *tv, enum tui_action action)
{
	size_t page = tv->visible > 1 ? (size_t)tv->visible - 1 : 1;
	size_t last = tv->n > (size_t)tv->visible ? tv->n - (size_t)tv->visible
						  : 0;

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
