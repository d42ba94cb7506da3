#ifndef STORECTL_DISPLAY_LIST_QUERY_H
#define STORECTL_DISPLAY_LIST_QUERY_H

#include <stddef.h>

#include "display-svc/display_stats.h"

/*
 * GET /shops?area=&q=&category=&user=&limit= taken apart: which
 * dependencies the query needs and the URL of each call. Pure: no HTTP.
 *
 * Who is asked:
 *   ads        when area or category is given (campaigns target an area
 *              and a category; a query with neither has no ad slot);
 *   search     when q, area or category is given (without q, search-svc
 *              lists the area's or category's stores by its own ranking);
 *   favorites  when user is given.
 * When only user is given, the user's favorites are the list; otherwise
 * they only flag the stores ads and search named.
 */

#define LIST_LIMIT_DEFAULT 20
#define LIST_LIMIT_MAX 100
#define LIST_Q_MAX 256       /* bytes, as search-svc takes */
#define LIST_AREA_MAX 32     /* bytes of [a-z0-9-], as store-svc takes */
#define LIST_CATEGORY_MAX 32 /* bytes of [a-z0-9_-] */
#define LIST_USER_MAX 64     /* bytes of [A-Za-z0-9._@-] */

struct display_list_query {
	const char *area;     /* NULL when absent */
	const char *q;
	const char *category;
	const char *user;
	const char *limit;    /* the text as given */
};

/* A rejected query: the parameter, the rule broken and a sentence. */
struct display_list_error {
	char field[16];
	char rule[16];
	char detail[160];
};

/*
 * Checks q (its members may be NULL) and sets *limit. An empty parameter
 * counts as absent. Returns 0, or -1 with err filled: a parameter that
 * breaks its rule (a category not in common/category.h is "enum", a q
 * that is not UTF-8 "encoding"), or "required" when none of area, q,
 * category and user is given.
 */
int display_list_check(struct display_list_query *q, int *limit,
		       struct display_list_error *err);

/* Does the query need dependency d? */
int display_list_needs(const struct display_list_query *q, enum display_dep d);

/* Are the user's favorites the list itself (only user given)? */
int display_list_favorites_only(const struct display_list_query *q);

/*
 * The URL (malloc'd) to call dependency d at base (no trailing slash) for
 * the checked query q, every value percent-encoded; NULL when d is not
 * needed or memory ran out.
 */
char *display_list_url(const struct display_list_query *q, int limit,
		       enum display_dep d, const char *base);

/* s percent-encoded for a URL (all but A-Z a-z 0-9 - . _ ~); malloc'd. */
char *display_url_escape(const char *s);

#endif
