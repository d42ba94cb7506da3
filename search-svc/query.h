#ifndef STORECTL_SEARCH_QUERY_H
#define STORECTL_SEARCH_QUERY_H

#include <stddef.h>

/*
 * A search text taken apart for SQLite. The FTS5 trigram tokenizer indexes
 * every run of three characters, so a word of three or more characters
 * (not bytes: "치킨집" is three) is found by MATCH anywhere inside a name or
 * category. Shorter words ("치킨") have no trigram and are matched with
 * LIKE '%word%' instead. Every word must match (AND).
 */

#define SEARCH_Q_MAX_BYTES 256
#define SEARCH_TERMS_MAX 8

struct search_query {
	char *match;    /* FTS5 expression over the long words, or NULL */
	size_t nlike;
	char *like[SEARCH_TERMS_MAX]; /* LIKE patterns (escape '\') */
};

/*
 * Splits q at whitespace and builds the query. Returns 0, or -1 with a
 * reason in err when q is empty, longer than SEARCH_Q_MAX_BYTES, not valid
 * UTF-8, or has more than SEARCH_TERMS_MAX words. The caller frees with search_query_free.
 */
int search_query_parse(const char *q, struct search_query *out, char *err,
		       size_t errlen);

void search_query_free(struct search_query *q);

/* Characters (UTF-8 code points) in s[0..len). */
size_t search_utf8_chars(const char *s, size_t len);

/* "%" s "%" with \, % and _ escaped by '\'; malloc'd or NULL. */
char *search_like_pattern(const char *s, size_t len);

/* s as one FTS5 string: in double quotes, inner quotes doubled; or NULL. */
char *search_fts_string(const char *s, size_t len);

#endif
