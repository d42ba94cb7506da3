#include "cli/strvec.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void strvec_take(struct strvec *sv, char *s)
{
	if (sv->n + 2 > sv->cap) {
		size_t cap = sv->cap ? sv->cap * 2 : 16;
		char **v = realloc(sv->v, cap * sizeof(*v));

		if (v == NULL) {
			sv->failed = 1;
			free(s);
			return;
		}
		sv->v = v;
		sv->cap = cap;
	}
	sv->v[sv->n++] = s;
	sv->v[sv->n] = NULL;
}

void strvec_push(struct strvec *sv, const char *s)
{
	char *copy;

	if (sv->failed)
		return;
	copy = strdup(s);
	if (copy == NULL) {
		sv->failed = 1;
		return;
	}
	strvec_take(sv, copy);
}

void strvec_pushf(struct strvec *sv, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	if (sv->failed)
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	s = n < 0 ? NULL : malloc((size_t)n + 1);
	if (s == NULL) {
		sv->failed = 1;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	strvec_take(sv, s);
}

void strvec_free(struct strvec *sv)
{
	for (size_t i = 0; i < sv->n; i++) {
		memset(sv->v[i], 0, strlen(sv->v[i]));
		free(sv->v[i]);
	}
	free(sv->v);
	memset(sv, 0, sizeof(*sv));
}
