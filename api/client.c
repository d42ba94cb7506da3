#include "api/client.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

/* Answers larger than this are refused rather than buffered. */
#define API_MAX_BODY (16u * 1024 * 1024)

struct api_client {
	CURL *curl;
	char *base_url;
	char *auth_header; /* "Authorization: Bearer ..." or NULL */
	long timeout_ms;
	atomic_int cancelled; /* api_client_cancel: give up */
};

struct buffer {
	char *data;
	size_t len;
	int overflow;
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void curl_init_once(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

struct api_client *api_client_new(const char *base_url, const char *token,
				  long timeout_ms)
{
	struct api_client *c;
	size_t n;

	pthread_once(&curl_once, curl_init_once);
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return NULL;
	atomic_init(&c->cancelled, 0);
	c->curl = curl_easy_init();
	c->base_url = strdup(base_url);
	c->timeout_ms = timeout_ms > 0 ? timeout_ms : 5000;
	if (token != NULL && *token != '\0') {
		n = strlen(token) + sizeof("Authorization: Bearer ");
		c->auth_header = malloc(n);
		if (c->auth_header != NULL)
			snprintf(c->auth_header, n, "Authorization: Bearer %s",
				 token);
	}
	if (c->curl == NULL || c->base_url == NULL ||
	    (token != NULL && *token != '\0' && c->auth_header == NULL)) {
		api_client_free(c);
		return NULL;
	}
	/* Trailing slashes would double up with the paths' leading one. */
	n = strlen(c->base_url);
	while (n > 0 && c->base_url[n - 1] == '/')
		c->base_url[--n] = '\0';
	return c;
}

void api_client_free(struct api_client *c)
{
	if (c == NULL)
		return;
	if (c->curl != NULL)
		curl_easy_cleanup(c->curl);
	free(c->base_url);
	if (c->auth_header != NULL) {
		/* Do not leave the token lying around in freed memory. */
		memset(c->auth_header, 0, strlen(c->auth_header));
		free(c->auth_header);
	}
	free(c);
}

void api_client_cancel(struct api_client *c)
{
	if (c != NULL)
		atomic_store(&c->cancelled, 1);
}

/* libcurl's progress callback: non-zero aborts the transfer. */
static int on_progress(void *userdata, curl_off_t dltotal, curl_off_t dlnow,
		       curl_off_t ultotal, curl_off_t ulnow)
{
	struct api_client *c = userdata;

	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	return atomic_load(&c->cancelled) ? 1 : 0;
}

void api_result_clear(struct api_result *res)
{
	json_decref(res->body);
	memset(res, 0, sizeof(*res));
}

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	struct buffer *buf = userdata;
	size_t n = size * nmemb;
	char *grown;

	if (buf->len + n > API_MAX_BODY) {
		buf->overflow = 1;
		return 0;
	}
	grown = realloc(buf->data, buf->len + n + 1);
	if (grown == NULL)
		return 0;
	buf->data = grown;
	memcpy(buf->data + buf->len, ptr, n);
	buf->len += n;
	buf->data[buf->len] = '\0';
	return n;
}

/* Picks the version out of an ETag header line: ETag: "7" (or W/"7"). */
static size_t on_header(char *line, size_t size, size_t nitems, void *userdata)
{
	struct api_result *res = userdata;
	size_t n = size * nitems;
	char value[64];
	const char *p;
	size_t vlen;

	if (n > 5 && strncasecmp(line, "ETag:", 5) == 0) {
		vlen = n - 5 < sizeof(value) - 1 ? n - 5 : sizeof(value) - 1;
		memcpy(value, line + 5, vlen);
		value[vlen] = '\0';
		p = strchr(value, '"');
		if (p != NULL)
			res->etag_version = strtoll(p + 1, NULL, 10);
	}
	return n;
}

static void result_take_error(struct api_result *res)
{
	const char *detail = NULL;

	if (res->status < 400)
		return;
	if (json_is_object(res->body)) {
		detail = json_string_value(json_object_get(res->body, "detail"));
		if (detail == NULL)
			detail = json_string_value(
				json_object_get(res->body, "title"));
	}
	if (detail != NULL)
		snprintf(res->error, sizeof(res->error), "%s", detail);
	else
		snprintf(res->error, sizeof(res->error), "HTTP %ld", res->status);
}

int api_request(struct api_client *c, const char *method, const char *path,
		const json_t *body, int64_t if_match, struct api_result *res)
{
	struct curl_slist *headers = NULL;
	struct buffer buf = { 0 };
	char *payload = NULL;
	char *url;
	char line[96];
	CURLcode rc;
	size_t n;

	memset(res, 0, sizeof(*res));
	if (atomic_load(&c->cancelled)) {
		snprintf(res->error, sizeof(res->error), "cancelled");
		return -1;
	}
	n = strlen(c->base_url) + strlen(path) + 1;
	url = malloc(n);
	if (url == NULL) {
		snprintf(res->error, sizeof(res->error), "out of memory");
		return -1;
	}
	snprintf(url, n, "%s%s", c->base_url, path);

	curl_easy_reset(c->curl);
	curl_easy_setopt(c->curl, CURLOPT_URL, url);
	curl_easy_setopt(c->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c->curl, CURLOPT_TIMEOUT_MS, c->timeout_ms);
	curl_easy_setopt(c->curl, CURLOPT_CONNECTTIMEOUT_MS, c->timeout_ms);
	curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, &buf);
	curl_easy_setopt(c->curl, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c->curl, CURLOPT_HEADERDATA, res);
	curl_easy_setopt(c->curl, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(c->curl, CURLOPT_XFERINFODATA, c);
	curl_easy_setopt(c->curl, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c->curl, CURLOPT_CUSTOMREQUEST, method);
	if (strcmp(method, "HEAD") == 0)
		curl_easy_setopt(c->curl, CURLOPT_NOBODY, 1L);

	headers = curl_slist_append(headers, "Accept: application/json");
	if (c->auth_header != NULL)
		headers = curl_slist_append(headers, c->auth_header);
	if (if_match > 0) {
		snprintf(line, sizeof(line), "If-Match: \"%" PRId64 "\"",
			 if_match);
		headers = curl_slist_append(headers, line);
	}
	if (body != NULL) {
		payload = json_dumps(body, JSON_COMPACT);
		if (payload == NULL) {
			snprintf(res->error, sizeof(res->error),
				 "cannot serialize the request body");
			goto fail;
		}
		headers = curl_slist_append(
			headers, strcmp(method, "PATCH") == 0 ?
					 "Content-Type: application/merge-patch+json" :
					 "Content-Type: application/json");
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, payload);
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDSIZE,
				 (long)strlen(payload));
	}
	curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, headers);

	rc = curl_easy_perform(c->curl);
	if (rc != CURLE_OK) {
		snprintf(res->error, sizeof(res->error), "%s %s: %s", method,
			 url, buf.overflow ? "answer too large" :
			      rc == CURLE_ABORTED_BY_CALLBACK ? "cancelled" :
					     curl_easy_strerror(rc));
		goto fail;
	}
	curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &res->status);
	if (buf.len > 0) {
		json_error_t jerr;

		res->body = json_loadb(buf.data, buf.len, 0, &jerr);
	}
	result_take_error(res);
	curl_slist_free_all(headers);
	free(payload);
	free(buf.data);
	free(url);
	return 0;
fail:
	res->status = 0;
	curl_slist_free_all(headers);
	free(payload);
	free(buf.data);
	free(url);
	return -1;
}

int api_store_get(struct api_client *c, int64_t id, struct api_result *res)
{
	char path[64];

	snprintf(path, sizeof(path), "/stores/%" PRId64, id);
	return api_request(c, "GET", path, NULL, 0, res);
}

int api_stores_get_many(struct api_client *c, const int64_t *ids, size_t n,
			struct api_result *res)
{
	/* 20 digits and a comma per id. */
	size_t cap = sizeof("/stores?ids=") + n * 21;
	char *path = malloc(cap);
	size_t len;
	int rc;

	if (path == NULL) {
		memset(res, 0, sizeof(*res));
		snprintf(res->error, sizeof(res->error), "out of memory");
		return -1;
	}
	len = (size_t)snprintf(path, cap, "/stores?ids=");
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(path + len, cap - len, "%s%" PRId64,
					i ? "," : "", ids[i]);
	rc = api_request(c, "GET", path, NULL, 0, res);
	free(path);
	return rc;
}

int api_stores_list(struct api_client *c, const char *query,
		    struct api_result *res)
{
	char path[512];

	snprintf(path, sizeof(path), "/stores%s%s", query ? "?" : "",
		 query ? query : "");
	return api_request(c, "GET", path, NULL, 0, res);
}

int api_store_create(struct api_client *c, const json_t *store,
		     struct api_result *res)
{
	return api_request(c, "POST", "/stores", store, 0, res);
}

int api_store_patch(struct api_client *c, int64_t id, const json_t *patch,
		    int64_t if_version, struct api_result *res)
{
	char path[64];

	snprintf(path, sizeof(path), "/stores/%" PRId64, id);
	return api_request(c, "PATCH", path, patch, if_version, res);
}

int api_store_delete(struct api_client *c, int64_t id, int64_t if_version,
		     struct api_result *res)
{
	char path[64];

	snprintf(path, sizeof(path), "/stores/%" PRId64, id);
	return api_request(c, "DELETE", path, NULL, if_version, res);
}
