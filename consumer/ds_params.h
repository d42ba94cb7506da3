#ifndef STORECTL_DS_PARAMS_H
#define STORECTL_DS_PARAMS_H

#include <stddef.h>
#include <stdint.h>

#include "common/httpd.h"

/*
 * Checks of request parameters the downstream services share, and the one
 * way they refuse a bad one: 400 application/problem+json naming the
 * parameter in "field" and the broken rule in "rule".
 */

/*
 * A decimal integer from 1 to max; NULL gives def. Returns 0 and sets
 * *out, or -1.
 */
int ds_parse_limit(const char *text, int def, int max, int *out);

/* A positive decimal id of at most 18 digits; 0 and *out, or -1. */
int ds_parse_id(const char *text, int64_t *out);

/*
 * A district code as store-svc defines "area": 2 to 32 of [a-z0-9-],
 * starting with a letter or digit. 1 when text is one.
 */
int ds_valid_area(const char *text);

/* A user id: 1 to 64 of [A-Za-z0-9_.@-]. 1 when text is one. */
int ds_valid_user(const char *text);

/* Replies 400 naming field and rule, with detail as the problem's detail. */
void ds_reply_bad_param(struct http_req *req, const char *field,
			const char *rule, const char *detail);

/*
 * Replies 422 naming field and rule (a body member that breaks a rule);
 * detail as the problem's detail.
 */
void ds_reply_invalid(struct http_req *req, const char *field,
		      const char *rule, const char *detail);

/*
 * The paging arguments of GET /replica/stores: after (a store id, 0 or
 * absent for the start) and limit (1 to 1000, default 500). Returns 0, or
 * -1 after replying 400.
 */
int ds_parse_page(struct http_req *req, int64_t *after, int *limit);

#endif
