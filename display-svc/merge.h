#ifndef STORECTL_DISPLAY_MERGE_H
#define STORECTL_DISPLAY_MERGE_H

#include <stddef.h>
#include <stdint.h>

/*
 * The list query's merge (DESIGN.md, "The customer side is CQRS"): ads,
 * search and favorites each answer with store ids only, and display-svc
 * orders them before joining them with its documents. Pure: no HTTP, no
 * database.
 */

/* One store of the list, in its place, with why it is there. */
struct display_pick {
	int64_t id;
	int advertised;   /* ads-svc named it */
	int favorite;     /* it is in the user's favorites */
};

struct display_merge_input {
	const int64_t *ads;       /* by bid, highest first */
	size_t nads;
	const int64_t *search;    /* by rank, best first */
	size_t nsearch;
	const int64_t *favorites; /* any order */
	size_t nfavorites;
	/* The favorites are the list itself (the query asked for nothing
	 * else), rather than flags on the stores ads and search named. */
	int list_favorites;
};

/*
 * Orders the stores of in into out (room for max): advertised stores first
 * in the ads order, then the search results in rank order, then, only with
 * list_favorites, the favorites in their order. A store appears once, at
 * its first place; ids that are not positive are dropped. Every pick whose
 * id is among the favorites is flagged favorite, every one ads named is
 * flagged advertised. Returns the number of picks written (at most max).
 */
size_t display_merge(const struct display_merge_input *in,
		     struct display_pick *out, size_t max);

/*
 * Parses a dependency's answer {"ids":[3,1,...]} (buf need not be
 * NUL-terminated). Up to max ids go into ids (the rest are ignored) and *n
 * says how many. Returns 0, or -1 with a reason in err when the body is not
 * such an object or an id is not a positive integer.
 */
int display_ids_parse(const char *buf, size_t len, int64_t *ids, size_t max,
		      size_t *n, char *err, size_t errlen);

#endif
