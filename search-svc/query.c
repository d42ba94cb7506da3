#include "search-svc/query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/utf8.h"

/* Trigram needs this many characters to match a word. */
#define TRIGRAM_MIN 3

size_t search_utf8_chars(const char *s, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			n++;
	return n;
}

char *search_like_pattern(const char *s, size_t len)
{
	char *out = malloc(2 * len + 3);
	size_t n = 0;

	if (out == NULL)
		return NULL;
	out[n++] = '%';
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\\' || s[i] == '%' || s[i] == '_')
			out[n++] = '\\';
		out[n++] = s[i];
	}
	out[n++] = '%';
	out[n] = '\0';
	return out;
}

char *search_fts_string(const char *s, size_t len)
{
	char *out = malloc(2 * len + 3);
	size_t n = 0;

	if (out == NULL)
		return NULL;
	out[n++] = '"';
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"')
			out[n++] = '"';
		out[n++] = s[i];
	}
	out[n++] = '"';
	out[n] = '\0';
	return out;
}

/*
 * Length in bytes of the white space at s[i] (ASCII, U+00A0 no-break space
 * or U+3000 ideographic space, which Korean input methods type), or 0.
 */
static size_t space_at(const char *s, size_t i, size_t len)
{
	const unsigned char *u = (const unsigned char *)s + i;

	if (*u == ' ' || *u == '\t' || *u == '\n' || *u == '\r' ||
	    *u == '\f' || *u == '\v')
		return 1;
	if (len - i >= 2 && u[0] == 0xc2 && u[1] == 0xa0)
		return 2;
	if (len - i >= 3 && u[0] == 0xe3 && u[1] == 0x80 && u[2] == 0x80)
		return 3;
	return 0;
}

/* Appends " " term to the MATCH expression (implicit AND in FTS5). */
static int match_append(struct search_query *out, const char *s, size_t len)
{
	char *str = search_fts_string(s, len);
	size_t old = out->match ? strlen(out->match) : 0;
	char *grown;

	if (str == NULL)
		return -1;
	grown = realloc(out->match, old + strlen(str) + 2);
	if (grown == NULL) {
		free(str);
		return -1;
	}
	if (old > 0)
		grown[old++] = ' ';
	strcpy(grown + old, str);
	out->match = grown;
	free(str);
	return 0;
}

int search_query_parse(const char *q, struct search_query *out, char *err,
		       size_t errlen)
{
	size_t len = q ? strlen(q) : 0, nterms = 0, i = 0;

	memset(out, 0, sizeof(*out));
	if (len > SEARCH_Q_MAX_BYTES) {
		snprintf(err, errlen, "q: longer than %d bytes",
			 SEARCH_Q_MAX_BYTES);
		return -1;
	}
	if (!utf8_valid(q, len)) {
		snprintf(err, errlen, "q: not valid UTF-8 text");
		return -1;
	}
	while (i < len) {
		size_t start, wlen, sp;

		while (i < len && (sp = space_at(q, i, len)) > 0)
			i += sp;
		if (i == len)
			break;
		start = i;
		while (i < len && space_at(q, i, len) == 0)
			i++;
		wlen = i - start;
		if (++nterms > SEARCH_TERMS_MAX) {
			snprintf(err, errlen, "q: more than %d words",
				 SEARCH_TERMS_MAX);
			goto fail;
		}
		if (search_utf8_chars(q + start, wlen) >= TRIGRAM_MIN) {
			if (match_append(out, q + start, wlen))
				goto oom;
		} else {
			out->like[out->nlike] = search_like_pattern(q + start, wlen);
			if (out->like[out->nlike] == NULL)
				goto oom;
			out->nlike++;
		}
	}
	if (nterms == 0) {
		snprintf(err, errlen, "q: must not be empty");
		goto fail;
	}
	return 0;
oom:
	snprintf(err, errlen, "out of memory");
fail:
	search_query_free(out);
	return -1;
}

void search_query_free(struct search_query *q)
{
	free(q->match);
	for (size_t i = 0; i < q->nlike; i++)
		free(q->like[i]);
	memset(q, 0, sizeof(*q));
}
