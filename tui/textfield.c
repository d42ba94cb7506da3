#include "tui/textfield.h"

#include <string.h>

#include "tui/text.h"

/* Byte offset of the character boundary before pos. */
static size_t prev_boundary(const struct tui_field *f, size_t pos)
{
	size_t p = 0, last = 0;

	/* Walk from the start: UTF-8 is self-synchronising, but walking
	 * keeps a malformed byte exactly one step, as the decoder sees it. */
	while (p < pos) {
		uint32_t cp;

		last = p;
		p += tui_utf8_decode(f->text + p, f->len - p, &cp);
	}
	return last;
}

static size_t next_boundary(const struct tui_field *f, size_t pos)
{
	uint32_t cp;

	if (pos >= f->len)
		return f->len;
	return pos + tui_utf8_decode(f->text + pos, f->len - pos, &cp);
}

/* Columns of text[from..to). */
static int width_between(const struct tui_field *f, size_t from, size_t to)
{
	int w = 0;

	while (from < to) {
		uint32_t cp;

		from += tui_utf8_decode(f->text + from, to - from, &cp);
		w += tui_char_width(cp);
	}
	return w;
}

void tui_field_set(struct tui_field *f, const char *text)
{
	size_t len = text ? strlen(text) : 0;
	size_t p = 0;

	/* Copy whole characters only. */
	while (p < len) {
		uint32_t cp;
		size_t n = tui_utf8_decode(text + p, len - p, &cp);

		if (p + n > TUI_FIELD_MAX)
			break;
		p += n;
	}
	if (p > 0)
		memcpy(f->text, text, p);
	f->text[p] = '\0';
	f->len = p;
	f->cursor = p;
	f->scroll = 0;
}

int tui_field_insert(struct tui_field *f, uint32_t cp)
{
	char enc[4];
	size_t n;

	if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp > 0x10ffff)
		return -1;
	n = tui_utf8_encode(cp, enc);
	if (f->len + n > TUI_FIELD_MAX)
		return -1;
	memmove(f->text + f->cursor + n, f->text + f->cursor,
		f->len - f->cursor + 1);
	memcpy(f->text + f->cursor, enc, n);
	f->len += n;
	f->cursor += n;
	return 0;
}

/* Removes text[from..to). */
static void cut(struct tui_field *f, size_t from, size_t to)
{
	memmove(f->text + from, f->text + to, f->len - to + 1);
	f->len -= to - from;
	if (f->cursor >= to)
		f->cursor -= to - from;
	else if (f->cursor > from)
		f->cursor = from;
}

int tui_field_backspace(struct tui_field *f)
{
	if (f->cursor == 0)
		return 0;
	cut(f, prev_boundary(f, f->cursor), f->cursor);
	return 1;
}

int tui_field_delete(struct tui_field *f)
{
	if (f->cursor >= f->len)
		return 0;
	cut(f, f->cursor, next_boundary(f, f->cursor));
	return 1;
}

int tui_field_left(struct tui_field *f)
{
	if (f->cursor == 0)
		return 0;
	f->cursor = prev_boundary(f, f->cursor);
	return 1;
}

int tui_field_right(struct tui_field *f)
{
	if (f->cursor >= f->len)
		return 0;
	f->cursor = next_boundary(f, f->cursor);
	return 1;
}

int tui_field_home(struct tui_field *f)
{
	if (f->cursor == 0)
		return 0;
	f->cursor = 0;
	return 1;
}

int tui_field_end(struct tui_field *f)
{
	if (f->cursor == f->len)
		return 0;
	f->cursor = f->len;
	return 1;
}

int tui_field_kill_before(struct tui_field *f)
{
	if (f->cursor == 0)
		return 0;
	cut(f, 0, f->cursor);
	return 1;
}

int tui_field_kill_after(struct tui_field *f)
{
	if (f->cursor >= f->len)
		return 0;
	cut(f, f->cursor, f->len);
	return 1;
}

void tui_field_view(struct tui_field *f, int width, char *out, size_t outlen,
		    int *cursor_col)
{
	int ccol = width_between(f, 0, f->cursor);
	size_t start = 0;
	int skipped = 0;

	if (width < 1)
		width = 1;
	/* Keep one column after the cursor for the cursor itself. */
	if (ccol < f->scroll)
		f->scroll = ccol;
	if (ccol - f->scroll > width - 1)
		f->scroll = ccol - (width - 1);
	if (f->scroll < 0)
		f->scroll = 0;
	/* Skip whole characters until scroll is reached; a wide character
	 * straddling the left edge is skipped too. */
	while (start < f->len && skipped < f->scroll) {
		uint32_t cp;
		size_t n = tui_utf8_decode(f->text + start, f->len - start, &cp);

		skipped += tui_char_width(cp);
		start += n;
	}
	f->scroll = skipped;
	tui_text_fit(f->text + start, width, 1, 0, out, outlen);
	*cursor_col = ccol - skipped;
	if (*cursor_col > width - 1)
		*cursor_col = width - 1;
}
