/* Strict UTF-8 validation (RFC 3629, Table 3-7 of the Unicode standard). */
#include "common/utf8.h"

int utf8_valid(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		unsigned char c = u[i];
		unsigned char lo = 0x80, hi = 0xbf;
		size_t more;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			more = 1;
		} else if (c >= 0xe0 && c <= 0xef) {
			more = 2;
			if (c == 0xe0)
				lo = 0xa0; /* overlong below U+0800 */
			else if (c == 0xed)
				hi = 0x9f; /* surrogates */
		} else if (c >= 0xf0 && c <= 0xf4) {
			more = 3;
			if (c == 0xf0)
				lo = 0x90; /* overlong below U+10000 */
			else if (c == 0xf4)
				hi = 0x8f; /* above U+10FFFF */
		} else {
			return 0; /* a continuation byte, 0xc0, 0xc1, 0xf5.. */
		}
		if (len - i <= more)
			return 0;
		/* Only the first continuation byte has a narrower range. */
		if (u[i + 1] < lo || u[i + 1] > hi)
			return 0;
		for (size_t k = 2; k <= more; k++)
			if (u[i + k] < 0x80 || u[i + k] > 0xbf)
				return 0;
		i += more + 1;
	}
	return 1;
}
