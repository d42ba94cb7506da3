#include "consumer/ds_params.h"

#include <string.h>

int ds_parse_limit(const char *text, int def, int max, int *out)
{
	long v = 0;

	if (text == NULL) {
		*out = def;
		return 0;
	}
	if (*text == '\0' || strlen(text) > 6)
		return -1;
	for (const char *p = text; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (*p - '0');
	}
	if (v < 1 || v > max)
		return -1;
	*out = (int)v;
	return 0;
}

int ds_parse_id(const char *text, int64_t *out)
{
	int64_t v = 0;
	size_t len = text ? strlen(text) : 0;

	if (len == 0 || len > 18)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (text[i] < '0' || text[i] > '9')
			return -1;
		v = v * 10 + (text[i] - '0');
	}
	if (v <= 0)
		return -1;
	*out = v;
	return 0;
}

static int all_of(const char *text, size_t min, size_t max, const char *extra,
		  int upper)
{
	size_t len = text ? strlen(text) : 0;

	if (len < min || len > max)
		return 0;
	for (size_t i = 0; i < len; i++) {
		char c = text[i];

		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    (upper && c >= 'A' && c <= 'Z'))
			continue;
		if (strchr(extra, c) == NULL || c == '\0')
			return 0;
	}
	return 1;
}

int ds_valid_area(const char *text)
{
	return all_of(text, 2, 32, "-", 0) && text[0] != '-';
}

int ds_valid_user(const char *text)
{
	return all_of(text, 1, 64, "_.@-", 1);
}

static void reply(struct http_req *req, unsigned status, const char *title,
		  const char *field, const char *rule, const char *detail)
{
	http_reply_problem(req, status, title, detail,
			   json_pack("{s:s, s:s}", "field", field, "rule", rule));
}

void ds_reply_bad_param(struct http_req *req, const char *field,
			const char *rule, const char *detail)
{
	reply(req, 400, "Bad Request", field, rule, detail);
}

void ds_reply_invalid(struct http_req *req, const char *field,
		      const char *rule, const char *detail)
{
	reply(req, 422, "Unprocessable Content", field, rule, detail);
}

int ds_parse_page(struct http_req *req, int64_t *after, int *limit)
{
	const char *text = http_query(req, "after");

	*after = 0;
	if (text != NULL && strcmp(text, "0") != 0 && ds_parse_id(text, after)) {
		ds_reply_bad_param(req, "after", "range",
				   "after: must be a store id (0 for the start)");
		return -1;
	}
	if (ds_parse_limit(http_query(req, "limit"), 500, 1000, limit)) {
		ds_reply_bad_param(req, "limit", "range",
				   "limit: must be an integer from 1 to 1000");
		return -1;
	}
	return 0;
}
