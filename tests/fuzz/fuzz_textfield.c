/*
 * libFuzzer target: the console's UTF-8 text field (tui/textfield.c) and
 * column measuring (tui/text.c). The input is a script of edits: each
 * byte picks an operation, the following bytes give its argument (a code
 * point to insert, a width to view, text to set). After every operation
 * the field must hold valid UTF-8 of at most TUI_FIELD_MAX bytes with the
 * cursor on a character boundary, and a view must fit its width.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tui/text.h"
#include "tui/textfield.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Valid UTF-8 by the strict rules (what the field must always hold). */
static int utf8_valid(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		size_t n;
		uint32_t cp;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			n = 2, cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			n = 3, cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			n = 4, cp = c & 0x07;
		else
			return 0;
		if (i + n > len)
			return 0;
		for (size_t k = 1; k < n; k++) {
			unsigned char d = (unsigned char)s[i + k];

			if ((d & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (d & 0x3f);
		}
		if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += n;
	}
	return 1;
}

/*
 * Always: the length, the NUL and the cursor within the text. While every
 * byte that went in was valid UTF-8 (clean), also: the text is valid UTF-8
 * and the cursor never sits inside a character. Malformed input (a paste
 * of bytes) is kept byte by byte, one step per malformed byte.
 */
static void check(const struct tui_field *f, int clean)
{
	if (f->len > TUI_FIELD_MAX || f->cursor > f->len ||
	    f->text[f->len] != '\0' || strlen(f->text) != f->len)
		abort();
	if (!clean)
		return;
	if (!utf8_valid(f->text, f->len))
		abort();
	if (f->cursor < f->len && ((unsigned char)f->text[f->cursor] & 0xc0) == 0x80)
		abort();
}

static uint32_t take_u32(const uint8_t **p, const uint8_t *end)
{
	uint32_t v = 0;

	for (int i = 0; i < 3 && *p < end; i++, (*p)++)
		v = v << 8 | **p;
	return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tui_field f;
	const uint8_t *p = data, *end = data + size;
	char out[4 * 300 + 1];
	char text[512];
	int col;
	int clean = 1;

	memset(&f, 0, sizeof(f));
	/* The raw input also goes through the measuring functions. */
	if (size < sizeof(text)) {
		memcpy(text, data, size);
		text[size] = '\0';
		(void)tui_text_width(text);
		for (int w = 0; w < 12; w += 3) {
			int cols = tui_text_fit(text, w, w & 1, 1, out, sizeof(out));

			if (cols > w || strlen(out) >= sizeof(out))
				abort();
		}
		tui_copy_utf8(out, 7, text);
		if (strlen(out) >= 7)
			abort();
	}
	while (p < end) {
		uint8_t op = *p++;

		switch (op % 14) {
		case 0: {
			uint32_t cp = take_u32(&p, end);
			char enc[4];
			size_t n = tui_utf8_encode(cp & 0x1fffff, enc);
			uint32_t back;

			if (n < 1 || n > 4)
				abort();
			(void)tui_utf8_decode(enc, n, &back);
			cp &= 0x1fffff;
			/* A surrogate is not a character; the field encodes it
			 * as given (ncurses never hands one over). */
			if (cp >= 0xd800 && cp <= 0xdfff)
				clean = 0;
			(void)tui_field_insert(&f, cp);
			break;
		}
		case 1: (void)tui_field_insert(&f, 0xAC00 + (op >> 4)); break;
		case 2: (void)tui_field_insert(&f, 'a' + (op >> 4)); break;
		case 3: (void)tui_field_backspace(&f); break;
		case 4: (void)tui_field_delete(&f); break;
		case 5: (void)tui_field_left(&f); break;
		case 6: (void)tui_field_right(&f); break;
		case 7: (void)tui_field_home(&f); break;
		case 8: (void)tui_field_end(&f); break;
		case 9: (void)tui_field_kill_before(&f); break;
		case 10: (void)tui_field_kill_after(&f); break;
		case 11: {
			/* Set from the next bytes up to a NUL (any bytes at all). */
			size_t n = 0;

			while (p < end && *p != 0 && n < sizeof(text) - 1)
				text[n++] = (char)*p++;
			text[n] = '\0';
			if (!utf8_valid(text, n))
				clean = 0;
			tui_field_set(&f, text);
			break;
		}
		case 12: {
			/* A long paste: more than the field holds. */
			static char big[TUI_FIELD_MAX + 64];

			memset(big, 0, sizeof(big));
			for (size_t i = 0; i + 3 <= sizeof(big) - 1; i += 3)
				memcpy(big + i, "\xea\xb0\x80", 3);
			big[(op >> 4) % 8 + TUI_FIELD_MAX - 8] = '\0';
			/* Most cuts split the last character: bytes as pasted. */
			if (!utf8_valid(big, strlen(big)))
				clean = 0;
			tui_field_set(&f, big);
			break;
		}
		default: {
			int width = p < end ? *p++ % 300 : 10;

			tui_field_view(&f, width, out, sizeof(out), &col);
			if (col < 0 || (width > 0 && col > width) ||
			    strlen(out) >= sizeof(out))
				abort();
			break;
		}
		}
		check(&f, clean);
	}
	return 0;
}
