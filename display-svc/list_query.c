#include "display-svc/list_query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/category.h"
#include "common/utf8.h"
#include "consumer/ds_params.h"

static void reject(struct display_list_error *err, const char *field,
		   const char *rule, const char *detail)
{
	snprintf(err->field, sizeof(err->field), "%s", field);
	snprintf(err->rule, sizeof(err->rule), "%s", rule);
	snprintf(err->detail, sizeof(err->detail), "%s", detail);
}

static void blank_to_null(const char **v)
{
	if (*v != NULL && **v == '\0')
		*v = NULL;
}

int display_list_check(struct display_list_query *q, int *limit,
		       struct display_list_error *err)
{
	int v = 0;

	blank_to_null(&q->area);
	blank_to_null(&q->q);
	blank_to_null(&q->category);
	blank_to_null(&q->user);
	blank_to_null(&q->limit);
	*limit = LIST_LIMIT_DEFAULT;
	if (q->limit != NULL) {
		if (strlen(q->limit) > 3) {
			v = -1;
		} else {
			for (const char *p = q->limit; *p && v >= 0; p++)
				v = *p >= '0' && *p <= '9' ? v * 10 + (*p - '0')
							   : -1;
		}
		if (v < 1 || v > LIST_LIMIT_MAX) {
			reject(err, "limit", "range",
			       "limit: must be an integer from 1 to 100");
			return -1;
		}
		*limit = v;
	}
	/* The same rules as the services asked (consumer/ds_params.h), so
	 * what passes here is not refused there. */
	if (q->area != NULL && !ds_valid_area(q->area)) {
		reject(err, "area", "pattern",
		       "area: must be a district code of 2-32 characters a-z, "
		       "0-9 and -, like \"gangnam\"");
		return -1;
	}
	if (q->category != NULL && !category_known(q->category)) {
		char list[128];

		snprintf(err->detail, sizeof(err->detail),
			 "category: not a known category; one of %s",
			 category_list(list, sizeof(list)));
		snprintf(err->field, sizeof(err->field), "category");
		snprintf(err->rule, sizeof(err->rule), "enum");
		return -1;
	}
	if (q->user != NULL && !ds_valid_user(q->user)) {
		reject(err, "user", "pattern",
		       "user: must be 1-64 characters of A-Z, a-z, 0-9, _, ., "
		       "@ and -");
		return -1;
	}
	if (q->q != NULL) {
		size_t n = strlen(q->q), blank = 0;

		for (const char *p = q->q; *p; p++) {
			if ((unsigned char)*p < 0x20 || *p == 0x7f) {
				reject(err, "q", "pattern",
				       "q: must not hold control characters");
				return -1;
			}
			blank += *p == ' ';
		}
		if (n > LIST_Q_MAX) {
			reject(err, "q", "max_length",
			       "q: at most 256 bytes of text to search for");
			return -1;
		}
		if (!utf8_valid(q->q, n)) {
			reject(err, "q", "encoding", "q: not valid UTF-8 text");
			return -1;
		}
		if (blank == n)
			q->q = NULL;
	}
	if (q->area == NULL && q->q == NULL && q->category == NULL &&
	    q->user == NULL) {
		reject(err, "area", "required",
		       "give at least one of area, q, category and user");
		return -1;
	}
	return 0;
}

int display_list_needs(const struct display_list_query *q, enum display_dep d)
{
	switch (d) {
	case DISPLAY_DEP_ADS:
		return q->area != NULL || q->category != NULL;
	case DISPLAY_DEP_SEARCH:
		return q->q != NULL || q->area != NULL || q->category != NULL;
	case DISPLAY_DEP_FAVORITES:
		return q->user != NULL;
	default:
		return 0;
	}
}

int display_list_favorites_only(const struct display_list_query *q)
{
	return q->user != NULL && !display_list_needs(q, DISPLAY_DEP_ADS) &&
	       !display_list_needs(q, DISPLAY_DEP_SEARCH);
}

char *display_url_escape(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out = malloc(strlen(s) * 3 + 1), *o = out;

	if (out == NULL)
		return NULL;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' ||
		    *p == '_' || *p == '~') {
			*o++ = (char)*p;
		} else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		}
	}
	*o = '\0';
	return out;
}

/* Appends "&name=escaped(value)" (or "?..." first) when value is given. */
static int add_param(char *url, size_t cap, size_t *len, const char *name,
		     const char *value)
{
	char *esc;
	int n;

	if (value == NULL)
		return 0;
	esc = display_url_escape(value);
	if (esc == NULL)
		return -1;
	n = snprintf(url + *len, cap - *len, "%c%s=%s",
		     strchr(url, '?') ? '&' : '?', name, esc);
	free(esc);
	if (n < 0 || (size_t)n >= cap - *len)
		return -1;
	*len += (size_t)n;
	return 0;
}

char *display_list_url(const struct display_list_query *q, int limit,
		       enum display_dep d, const char *base)
{
	size_t cap, len;
	char lim[8], *url, *user;
	int rc = 0;

	if (base == NULL || !display_list_needs(q, d))
		return NULL;
	/* Every value grows at most threefold when escaped. */
	cap = strlen(base) + 64 + 3 * (LIST_Q_MAX + LIST_AREA_MAX +
				       LIST_CATEGORY_MAX + LIST_USER_MAX);
	url = malloc(cap);
	if (url == NULL)
		return NULL;
	snprintf(lim, sizeof(lim), "%d", limit);
	switch (d) {
	case DISPLAY_DEP_ADS:
		len = (size_t)snprintf(url, cap, "%s/ads", base);
		rc = add_param(url, cap, &len, "area", q->area) ||
		     add_param(url, cap, &len, "category", q->category) ||
		     add_param(url, cap, &len, "limit", lim);
		break;
	case DISPLAY_DEP_SEARCH:
		len = (size_t)snprintf(url, cap, "%s/search", base);
		rc = add_param(url, cap, &len, "q", q->q) ||
		     add_param(url, cap, &len, "area", q->area) ||
		     add_param(url, cap, &len, "category", q->category) ||
		     add_param(url, cap, &len, "limit", lim);
		break;
	default:
		user = display_url_escape(q->user);
		rc = user == NULL;
		if (user != NULL)
			snprintf(url, cap, "%s/users/%s/favorites", base, user);
		free(user);
		break;
	}
	if (rc) {
		free(url);
		return NULL;
	}
	return url;
}
