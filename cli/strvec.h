#ifndef STORECTL_STRVEC_H
#define STORECTL_STRVEC_H

#include <stddef.h>

/*
 * A growable list of strings it owns, always NULL-terminated, for the argv
 * and envp of a child. A failed allocation sets failed and turns further
 * pushes into no-ops, so callers check once at the end.
 */
struct strvec {
	char **v;
	size_t n;
	size_t cap;
	int failed;
};

/* Appends a copy of s. */
void strvec_push(struct strvec *sv, const char *s);

/* Appends a formatted string. */
void strvec_pushf(struct strvec *sv, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Frees every string, wiping it first (it may hold a token), and the list. */
void strvec_free(struct strvec *sv);

#endif
