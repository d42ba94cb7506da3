#include "tui/text.h"

#include <string.h>
#include <wchar.h>

size_t tui_utf8_decode(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t c;
	size_t n;

	if (len == 0)
		return 0;
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	if (u[0] >= 0xc2 && u[0] <= 0xdf) {
		n = 2;
		c = u[0] & 0x1f;
	} else if (u[0] >= 0xe0 && u[0] <= 0xef) {
		n = 3;
		c = u[0] & 0x0f;
	} else if (u[0] >= 0xf0 && u[0] <= 0xf4) {
		n = 4;
		c = u[0] & 0x07;
	} else {
		*cp = 0xfffd;
		return 1;
	}
	if (len < n)
		goto bad;
	for (size_t i = 1; i < n; i++) {
		if ((u[i] & 0xc0) != 0x80)
			goto bad;
		c = (c << 6) | (u[i] & 0x3f);
	}
	/* Overlong forms, surrogates and values past U+10FFFF are malformed. */
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		goto bad;
	*cp = c;
	return n;
bad:
	*cp = 0xfffd;
	return 1;
}

size_t tui_utf8_encode(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp >= 0xd800 && cp <= 0xdfff)
		cp = 0xfffd;
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	if (cp > 0x10ffff)
		return tui_utf8_encode(0xfffd, out);
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* True for characters drawn as '?' (controls, DEL, C1 controls). */
static int is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp < 0xa0);
}

int tui_char_width(uint32_t cp)
{
	int w;

	if (is_control(cp))
		return 1;
	w = wcwidth((wchar_t)cp);
	if (w >= 0)
		return w;
	/*
	 * wcwidth() knows nothing in a non-UTF-8 locale; Hangul syllables and
	 * jamo are still two columns on every terminal that shows them.
	 */
	if ((cp >= 0x1100 && cp <= 0x115f) || (cp >= 0xac00 && cp <= 0xd7a3) ||
	    (cp >= 0x3130 && cp <= 0x318f) || (cp >= 0x4e00 && cp <= 0x9fff))
		return 2;
	return 1;
}

int tui_text_width(const char *s)
{
	size_t len = strlen(s);
	int w = 0;

	while (len > 0) {
		uint32_t cp;
		size_t n = tui_utf8_decode(s, len, &cp);

		w += tui_char_width(cp);
		s += n;
		len -= n;
	}
	return w;
}

int tui_text_fit(const char *s, int width, int pad, int ellipsis, char *out,
		 size_t outlen)
{
	size_t len = strlen(s);
	size_t o = 0;
	int used = 0;

	if (outlen == 0)
		return 0;
	if (width < 0)
		width = 0;
	while (len > 0) {
		uint32_t cp;
		size_t n = tui_utf8_decode(s, len, &cp);
		int w = tui_char_width(cp);
		int last = (n == len);
		/* Keep one column for the cut mark unless this is the end. */
		int room = width - used - (ellipsis && !last ? 1 : 0);

		if (w > room) {
			if (ellipsis && used < width && o + 1 < outlen) {
				out[o++] = '~';
				used++;
			}
			break;
		}
		if (is_control(cp) || cp == 0xfffd) {
			if (o + 1 >= outlen)
				break;
			out[o++] = '?';
		} else {
			if (o + n >= outlen)
				break;
			memcpy(out + o, s, n);
			o += n;
		}
		used += w;
		s += n;
		len -= n;
	}
	while (pad && used < width && o + 1 < outlen) {
		out[o++] = ' ';
		used++;
	}
	out[o] = '\0';
	return used;
}

char *tui_copy_utf8(char *dst, size_t len, const char *src)
{
	size_t n = strlen(src), o = 0;

	if (len == 0)
		return dst;
	while (o < n) {
		uint32_t cp;
		size_t step = tui_utf8_decode(src + o, n - o, &cp);

		if (o + step >= len)
			break;
		o += step;
	}
	memcpy(dst, src, o);
	dst[o] = '\0';
	return dst;
}

/* The bytes of the longest prefix of s that fits in width columns. */
static size_t fit_bytes(const char *s, size_t n, int width)
{
	size_t i = 0;
	int w = 0;

	while (i < n) {
		uint32_t cp;
		size_t k = tui_utf8_decode(s + i, n - i, &cp);
		int cw;

		if (k == 0)
			k = 1;
		cw = tui_char_width(cp);
		if (cw < 0)
			cw = 1;
		if (w + cw > width)
			break;
		w += cw;
		i += k;
	}
	return i;
}

int tui_text_wrap(const char *text, int width, char (*lines)[512],
		     int max)
{
	const char *p = text;
	int n = 0;

	if (width < 1 || max < 1)
		return 0;
	while (*p == ' ')
		p++;
	while (*p != '\0' && n < max) {
		size_t len = strlen(p);
		size_t take = fit_bytes(p, len, width);
		size_t cut = take;

		if (take < len) {
			/* Break at the last space that fits, if any. */
			while (cut > 0 && p[cut] != ' ')
				cut--;
			if (cut == 0)
				cut = take;
		}
		if (n == max - 1 && take < len) {
			/* The last line: cut visibly. */
			tui_text_fit(p, width, 0, 1, lines[n], sizeof(lines[0]));
			n++;
			break;
		}
		if (cut >= sizeof(lines[0]))
			cut = sizeof(lines[0]) - 1;
		memcpy(lines[n], p, cut);
		lines[n][cut] = '\0';
		n++;
		p += cut;
		while (*p == ' ')
			p++;
	}
	return n;
}
