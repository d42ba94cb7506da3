#include "store-svc/store_http.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/auth_http.h"
#include "store-svc/store_db.h"
#include "store-svc/store_json.h"
#include "store-svc/store_http_ops.h"

const struct http_route store_http_routes[] = {
	{ "POST", "/stores", store_http_create },
	/* The reads consumers make go through the injected faults. */
	{ "GET", "/stores", store_http_ops_list },
	{ "GET", "/stores/{id}", store_http_ops_get },
	{ "PUT", "/stores/{id}", store_http_replace },
	{ "PATCH", "/stores/{id}", store_http_patch },
	{ "DELETE", "/stores/{id}", store_http_delete },
	{ "GET", "/stores/{id}/menu", store_http_menu_get },
	{ "POST", "/stores/{id}/menu", store_http_menu_add },
	{ "GET", "/stores/{id}/menu/{item}", store_http_item_get },
	{ "PUT", "/stores/{id}/menu/{item}", store_http_item_replace },
	{ "PATCH", "/stores/{id}/menu/{item}", store_http_item_patch },
	{ "DELETE", "/stores/{id}/menu/{item}", store_http_item_delete },
	{ "GET", "/health", store_http_health },
	{ "GET", "/metrics", store_http_metrics },
	{ "GET", "/ops/faults", store_http_ops_faults_get },
	{ "POST", "/ops/faults", store_http_ops_faults_set },
	{ "DELETE", "/ops/faults", store_http_ops_faults_clear },
	{ "POST", "/ops/resync", store_http_ops_resync },
	{ NULL, NULL, NULL },
};

/* The owner names of tokens and of stores are the same kind of name. */
_Static_assert(AUTH_OWNER_MAX == STORE_OWNER_MAX, "owner names differ");

int store_http_caller(struct http_req *req, struct auth_caller *c)
{
	struct store_svc *svc = req->ctx;

	return auth_http_caller(req, svc->auth, "store-svc", c);
}

void store_http_reply_forbidden(struct http_req *req, const char *detail,
				const char *field)
{
	auth_http_forbidden(req, detail, field);
}

int store_http_writer(struct http_req *req, struct auth_caller *c)
{
	struct store_svc *svc = req->ctx;

	return auth_http_writer(req, svc->auth, "store-svc", c);
}

void store_http_etag(struct http_req *req, int64_t version)
{
	char etag[32];

	snprintf(etag, sizeof(etag), "\"%" PRId64 "\"", version);
	http_add_header(req, "ETag", etag);
}

void store_http_reply_store(struct http_req *req, unsigned status,
			    const struct store *s)
{
	/* The hottest reply: written as text, without a jansson tree. */
	char *body = store_json_text(s, NULL);

	if (body == NULL) {
		http_reply_problem(req, 500, "Internal Server Error",
				   "out of memory", NULL);
		return;
	}
	store_http_etag(req, s->version);
	http_reply_text(req, status, "application/json", body);
	free(body);
}

void store_http_reply_invalid(struct http_req *req,
			      const struct store_errors *errs)
{
	char detail[320];
	size_t more = errs->n - 1 + errs->dropped;

	if (more > 0)
		snprintf(detail, sizeof(detail), "%s (and %zu more)",
			 errs->v[0].detail, more);
	else
		snprintf(detail, sizeof(detail), "%s", errs->v[0].detail);
	http_reply_problem(req, 422, "Unprocessable Content", detail,
			   store_validate_problem(errs));
}

void store_http_reply_gone(struct http_req *req, const struct store *s)
{
	char detail[96];

	snprintf(detail, sizeof(detail), "store %" PRId64
		 " was deleted (version %" PRId64 ")", s->id, s->version);
	store_http_etag(req, s->version);
	http_reply_problem(req, 410, "Gone", detail,
			   json_pack("{sIsI}", "id", (json_int_t)s->id,
				     "version", (json_int_t)s->version));
}

void store_http_reply_not_found(struct http_req *req, int64_t id)
{
	char detail[64];

	snprintf(detail, sizeof(detail), "no store has id %" PRId64, id);
	http_reply_problem(req, 404, "Not Found", detail, NULL);
}

void store_http_reply_missing(struct http_req *req,
			      const struct auth_caller *c, int rc,
			      int64_t id, const struct store *s)
{
	if (rc == STORE_DB_GONE && auth_sees(c, s->owner))
		store_http_reply_gone(req, s);
	else if (rc == STORE_DB_GONE || rc == STORE_DB_NOT_FOUND)
		store_http_reply_not_found(req, id);
	else
		store_http_reply_db_error(req);
}

void store_http_reply_db_error(struct http_req *req)
{
	http_reply_problem(req, 500, "Internal Server Error",
			   "the database failed; nothing was changed", NULL);
}

int store_http_path_param(struct http_req *req, int index, const char *what,
			  int64_t *id)
{
	char detail[96];

	if (http_parse_id(req->params[index], id) == 0)
		return 0;
	snprintf(detail, sizeof(detail),
		 "the %s id in the path must be a positive integer", what);
	http_reply_problem(req, 400, "Bad Request", detail,
			   json_pack("{ss}", "field", what));
	return -1;
}

int store_http_path_id(struct http_req *req, int64_t *id)
{
	return store_http_path_param(req, 0, "id", id);
}

/*
 * Parses one entity tag "N" at *p; advances *p past it. A weak tag W/"N"
 * parses as version -1: If-Match compares strongly, so it never matches.
 */
static int parse_etag(const char **p, int64_t *version)
{
	const char *s = *p;
	int64_t v = 0;
	int ndigits = 0, weak = 0;

	if (s[0] == 'W' && s[1] == '/') {
		weak = 1;
		s += 2;
	}
	if (*s++ != '"')
		return -1;
	while (*s >= '0' && *s <= '9' && ndigits < 18) {
		v = v * 10 + (*s++ - '0');
		ndigits++;
	}
	if (ndigits == 0 || *s++ != '"')
		return -1;
	*version = weak ? -1 : v;
	*p = s;
	return 0;
}

int store_http_precondition(struct http_req *req, struct store_if_match *im)
{
	const char *h = http_header(req, "If-Match");
	const char *p;

	memset(im, 0, sizeof(*im));
	if (h == NULL) {
		http_reply_problem(req, 428, "Precondition Required",
				   "writes need If-Match with the version you read, like If-Match: \"7\" (the ETag of a GET)",
				   json_pack("{ss}", "field", "If-Match"));
		return -1;
	}
	im->present = 1;
	p = h + strspn(h, " \t");
	if (p[0] == '*' && p[1 + strspn(p + 1, " \t")] == '\0') {
		im->any = 1;
		return 0;
	}
	for (;;) {
		if (im->n == sizeof(im->versions) / sizeof(im->versions[0]) ||
		    parse_etag(&p, &im->versions[im->n]))
			break;
		im->n++;
		p += strspn(p, " \t");
		if (*p == '\0')
			return 0;
		if (*p++ != ',')
			break;
		p += strspn(p, " \t");
	}
	http_reply_problem(req, 400, "Bad Request",
			   "If-Match must be the store's ETag, like \"7\" (with the quotes), or *",
			   json_pack("{ss}", "field", "If-Match"));
	return -1;
}

void store_http_reply_stale(struct http_req *req, const struct store *cur)
{
	char detail[160];

	snprintf(detail, sizeof(detail),
		 "the store changed since you read it: it is at version %" PRId64
		 "; read it again and retry", cur->version);
	store_http_etag(req, cur->version);
	http_reply_problem(req, 412, "Precondition Failed", detail,
			   json_pack("{sssI}", "field", "If-Match",
				     "current_version",
				     (json_int_t)cur->version));
}

int store_http_if_match_ok(const struct store_if_match *im, int64_t version)
{
	if (im->any)
		return 1;
	for (size_t i = 0; i < im->n; i++)
		if (im->versions[i] == version)
			return 1;
	return 0;
}
