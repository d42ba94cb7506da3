#include "store-svc/store_http.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

const struct http_route store_http_routes[] = {
	{ "POST", "/stores", store_http_create },
	{ "GET", "/stores", store_http_list },
	{ "GET", "/stores/{id}", store_http_get },
	{ "PUT", "/stores/{id}", store_http_replace },
	{ "PATCH", "/stores/{id}", store_http_patch },
	{ "DELETE", "/stores/{id}", store_http_delete },
	{ "GET", "/health", store_http_health },
	{ NULL, NULL, NULL },
};

void store_http_etag(struct http_req *req, int64_t version)
{
	char etag[32];

	snprintf(etag, sizeof(etag), "\"%" PRId64 "\"", version);
	http_add_header(req, "ETag", etag);
}

void store_http_reply_store(struct http_req *req, unsigned status,
			    const struct store *s)
{
	json_t *body = store_model_to_json(s);

	if (body == NULL) {
		http_reply_problem(req, 500, "Internal Server Error",
				   "out of memory", NULL);
		return;
	}
	store_http_etag(req, s->version);
	http_reply_json(req, status, body);
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

void store_http_reply_db_error(struct http_req *req)
{
	http_reply_problem(req, 500, "Internal Server Error",
			   "the database failed; nothing was changed", NULL);
}

int store_http_path_id(struct http_req *req, int64_t *id)
{
	if (http_parse_id(req->params[0], id) == 0)
		return 0;
	http_reply_problem(req, 400, "Bad Request",
			   "the store id in the path must be a positive integer",
			   json_pack("{ss}", "field", "id"));
	return -1;
}

/* Parses one entity tag "N" at *p; advances *p past it. */
static int parse_etag(const char **p, int64_t *version)
{
	const char *s = *p;
	int64_t v = 0;
	int ndigits = 0;

	if (*s++ != '"')
		return -1;
	while (*s >= '0' && *s <= '9' && ndigits < 18) {
		v = v * 10 + (*s++ - '0');
		ndigits++;
	}
	if (ndigits == 0 || *s++ != '"')
		return -1;
	*version = v;
	*p = s;
	return 0;
}

int store_http_precondition(struct http_req *req, struct store_if_match *im)
{
	const char *h = http_header(req, "If-Match");
	const char *p;

	memset(im, 0, sizeof(*im));
	if (h == NULL)
		return 0;
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

int store_http_if_match_ok(const struct store_if_match *im, int64_t version)
{
	if (!im->present || im->any)
		return 1;
	for (size_t i = 0; i < im->n; i++)
		if (im->versions[i] == version)
			return 1;
	return 0;
}
