/* The HTTP server wrapper over real loopback HTTP: routing, limits, errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "api/client.h"
#include "common/httpd.h"

static void handle_item(struct http_req *req)
{
	int64_t id;

	if (http_parse_id(req->params[0], &id)) {
		http_reply_problem(req, 400, "Bad Request", "id must be a positive integer",
				   json_pack("{s:s}", "field", "id"));
		return;
	}
	http_add_header(req, "ETag", "\"3\"");
	http_reply_json(req, 200,
			json_pack("{s:I, s:s, s:s?}", "id", (json_int_t)id,
				  "sub", req->params[1] ? req->params[1] : "",
				  "q", http_query(req, "q")));
}

static void handle_echo(struct http_req *req)
{
	json_t *body = http_body_json(req);

	if (body == NULL)
		return;
	http_reply_json(req, 201, body);
}

static void handle_silent(struct http_req *req)
{
	(void)req;
}

static const struct http_route routes[] = {
	{ "GET", "/items/{id}", handle_item },
	{ "GET", "/items/{id}/parts/{part}", handle_item },
	{ "POST", "/echo", handle_echo },
	{ "PATCH", "/echo", handle_echo },
	{ "GET", "/silent", handle_silent },
	{ "GET", "/never", handle_silent }, /* no test asks it */
	{ 0 },
};

struct fixture {
	struct httpd *server;
	struct api_client *client;
};

static int setup(void **state)
{
	static struct fixture f;
	struct httpd_limits limits = { .max_body = 1024, .max_url = 2048,
				       .max_header = 4096 };
	char err[256], url[64];

	f.server = httpd_start("127.0.0.1:0", routes, &limits, NULL, err,
			       sizeof(err));
	if (f.server == NULL) {
		fprintf(stderr, "httpd_start: %s\n", err);
		return -1;
	}
	snprintf(url, sizeof(url), "http://127.0.0.1:%u", httpd_port(f.server));
	f.client = api_client_new(url, NULL, 5000);
	*state = &f;
	return f.client == NULL ? -1 : 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	api_client_free(f->client);
	httpd_stop(f->server);
	return 0;
}

static void route_params_and_query(void **state)
{
	struct fixture *f = *state;
	struct api_result res;

	assert_int_equal(api_request(f->client, "GET", "/items/42?q=%EA%B9%80",
				     NULL, 0, &res),
			 0);
	assert_int_equal(res.status, 200);
	assert_int_equal(res.etag_version, 3);
	assert_int_equal(json_integer_value(json_object_get(res.body, "id")), 42);
	assert_string_equal(json_string_value(json_object_get(res.body, "q")),
			    "김");
	api_result_clear(&res);

	assert_int_equal(api_request(f->client, "GET", "/items/7/parts/wheel",
				     NULL, 0, &res),
			 0);
	assert_int_equal(res.status, 200);
	assert_string_equal(json_string_value(json_object_get(res.body, "sub")),
			    "wheel");
	api_result_clear(&res);
}

static void unknown_path_and_wrong_method(void **state)
{
	struct fixture *f = *state;
	struct api_result res;

	api_request(f->client, "GET", "/nowhere", NULL, 0, &res);
	assert_int_equal(res.status, 404);
	api_result_clear(&res);
	api_request(f->client, "GET", "/items/", NULL, 0, &res);
	assert_int_equal(res.status, 404);
	api_result_clear(&res);
	api_request(f->client, "GET", "/items/1/extra", NULL, 0, &res);
	assert_int_equal(res.status, 404);
	api_result_clear(&res);
	api_request(f->client, "DELETE", "/echo", NULL, 0, &res);
	assert_int_equal(res.status, 405);
	api_result_clear(&res);
	api_request(f->client, "GET", "/items/abc", NULL, 0, &res);
	assert_int_equal(res.status, 400);
	assert_string_equal(json_string_value(json_object_get(res.body, "field")),
			    "id");
	api_result_clear(&res);
}

static void json_bodies(void **state)
{
	struct fixture *f = *state;
	struct api_result res;
	json_t *doc = json_pack("{s:s}", "name", "교촌치킨");
	char big[2048];

	api_request(f->client, "POST", "/echo", doc, 0, &res);
	assert_int_equal(res.status, 201);
	assert_string_equal(json_string_value(json_object_get(res.body, "name")),
			    "교촌치킨");
	api_result_clear(&res);

	/* The merge-patch content type is JSON too. */
	api_request(f->client, "PATCH", "/echo", doc, 0, &res);
	assert_int_equal(res.status, 201);
	api_result_clear(&res);
	json_decref(doc);

	/* Over the 1 KiB limit: 413, and the handler never runs. */
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	doc = json_pack("{s:s}", "name", big);
	api_request(f->client, "POST", "/echo", doc, 0, &res);
	assert_int_equal(res.status, 413);
	assert_non_null(strstr(res.error, "1024"));
	api_result_clear(&res);
	json_decref(doc);

	/* An array is JSON but not an object. */
	doc = json_pack("[i]", 1);
	api_request(f->client, "POST", "/echo", doc, 0, &res);
	assert_int_equal(res.status, 400);
	assert_non_null(strstr(res.error, "object"));
	api_result_clear(&res);
	json_decref(doc);

	api_request(f->client, "POST", "/echo", NULL, 0, &res);
	assert_int_equal(res.status, 400);
	assert_non_null(strstr(res.error, "empty"));
	api_result_clear(&res);
}

static void handler_without_answer_is_500(void **state)
{
	struct fixture *f = *state;
	struct api_result res;

	api_request(f->client, "GET", "/silent", NULL, 0, &res);
	assert_int_equal(res.status, 500);
	api_result_clear(&res);
}

/* The value of the metrics line starting with prefix, or -1 when absent. */
static double metric(const char *text, const char *prefix)
{
	const char *p = text;
	size_t n = strlen(prefix);

	while (p != NULL && *p) {
		if (strncmp(p, prefix, n) == 0 && p[n] == ' ')
			return strtod(p + n + 1, NULL);
		p = strchr(p, '\n');
		if (p != NULL)
			p++;
	}
	return -1;
}

static double metric_now(struct fixture *f, const char *prefix)
{
	char *text = httpd_metrics_text(f->server);
	double v;

	assert_non_null(text);
	v = metric(text, prefix);
	free(text);
	return v;
}

#define ITEM_200 "http_requests_total{method=\"GET\",route=\"/items/{id}\",status=\"200\"}"
#define ITEM_400 "http_requests_total{method=\"GET\",route=\"/items/{id}\",status=\"400\"}"
#define UNMATCHED_404 "http_requests_total{method=\"any\",route=\"unmatched\",status=\"404\"}"
#define ECHO_413 "http_requests_total{method=\"POST\",route=\"/echo\",status=\"413\"}"
#define ITEM_COUNT "http_request_duration_seconds_count{method=\"GET\",route=\"/items/{id}\"}"
#define ITEM_INF "http_request_duration_seconds_bucket{method=\"GET\",route=\"/items/{id}\",le=\"+Inf\"}"
#define ITEM_10S "http_request_duration_seconds_bucket{method=\"GET\",route=\"/items/{id}\",le=\"10\"}"

/* Only counted once the answer is sent, which the client may see first. */
static void wait_metric(struct fixture *f, const char *prefix, double want)
{
	for (int i = 0; i < 200 && metric_now(f, prefix) < want; i++)
		usleep(5000);
	assert_true(metric_now(f, prefix) >= want);
}

static void metrics_count_routes_and_statuses(void **state)
{
	struct fixture *f = *state;
	struct api_result res;
	double ok0 = metric_now(f, ITEM_200), bad0 = metric_now(f, ITEM_400);
	double nf0 = metric_now(f, UNMATCHED_404), big0 = metric_now(f, ECHO_413);
	double count0 = metric_now(f, ITEM_COUNT);
	json_t *doc;
	char big[2048];
	char *text;

	/* A series that never happened is absent (the earlier tests asked
	 * /items, so its histogram is there). */
	ok0 = ok0 < 0 ? 0 : ok0;
	bad0 = bad0 < 0 ? 0 : bad0;
	nf0 = nf0 < 0 ? 0 : nf0;
	big0 = big0 < 0 ? 0 : big0;
	assert_true(count0 >= 0);

	for (int i = 0; i < 3; i++) {
		api_request(f->client, "GET", "/items/5", NULL, 0, &res);
		assert_int_equal(res.status, 200);
		api_result_clear(&res);
	}
	api_request(f->client, "GET", "/items/x", NULL, 0, &res);
	api_result_clear(&res);
	api_request(f->client, "GET", "/nowhere/at/all", NULL, 0, &res);
	api_result_clear(&res);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	doc = json_pack("{s:s}", "name", big);
	api_request(f->client, "POST", "/echo", doc, 0, &res);
	assert_int_equal(res.status, 413);
	api_result_clear(&res);
	json_decref(doc);

	wait_metric(f, ITEM_200, ok0 + 3);
	wait_metric(f, ITEM_400, bad0 + 1);
	wait_metric(f, UNMATCHED_404, nf0 + 1);
	wait_metric(f, ECHO_413, big0 + 1);
	wait_metric(f, ITEM_COUNT, count0 + 4);

	text = httpd_metrics_text(f->server);
	assert_non_null(strstr(text, "# TYPE http_requests_total counter\n"));
	assert_non_null(strstr(text, "# TYPE http_request_duration_seconds histogram\n"));
	/* Buckets are cumulative and end in _count. */
	assert_true(metric(text, ITEM_INF) == metric(text, ITEM_COUNT));
	assert_true(metric(text, ITEM_10S) <= metric(text, ITEM_INF));
	assert_non_null(strstr(text, "http_request_duration_seconds_sum{method=\"GET\",route=\"/items/{id}\"} "));
	assert_null(strstr(text, "route=\"/never\""));
	free(text);
}

/* HEAD goes to the GET route: headers and length, no body. */
static void head_is_get_without_body(void **state)
{
	struct fixture *f = *state;
	char url[96];
	CURL *curl = curl_easy_init();
	long status = 0;
	curl_off_t length = -1;
	curl_off_t got = -1;

	snprintf(url, sizeof(url), "http://127.0.0.1:%u/items/9",
		 httpd_port(f->server));
	assert_non_null(curl);
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 5000L);
	assert_int_equal(curl_easy_perform(curl), CURLE_OK);
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
	curl_easy_getinfo(curl, CURLINFO_SIZE_DOWNLOAD_T, &got);
	assert_int_equal(status, 200);
	assert_true(length > 0);
	assert_true(got == 0);
	curl_easy_cleanup(curl);
}

/* GET path with one extra header of hlen bytes; the status and the
 * Content-Type into *status and ctype. */
static void get_raw(struct fixture *f, const char *path, size_t hlen,
		    long *status, char *ctype, size_t ctlen)
{
	CURL *curl = curl_easy_init();
	struct curl_slist *hdrs = NULL;
	char *url = malloc(strlen(path) + 64), *h = malloc(hlen + 16);
	FILE *sink = fopen("/dev/null", "w");
	const char *ct = NULL;

	assert_non_null(curl);
	assert_non_null(url);
	assert_non_null(h);
	assert_non_null(sink);
	sprintf(url, "http://127.0.0.1:%u%s", httpd_port(f->server), path);
	if (hlen > 0) {
		strcpy(h, "X-Big: ");
		memset(h + 7, 'h', hlen);
		h[7 + hlen] = '\0';
		hdrs = curl_slist_append(hdrs, h);
	}
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, sink);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 5000L);
	assert_int_equal(curl_easy_perform(curl), CURLE_OK);
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, status);
	curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &ct);
	snprintf(ctype, ctlen, "%s", ct ? ct : "");
	curl_easy_cleanup(curl);
	curl_slist_free_all(hdrs);
	fclose(sink);
	free(url);
	free(h);
}

/* A URL or headers over the limits: 414 and 431 as problems, not the
 * HTML libmicrohttpd writes itself; just under them: served. */
static void long_urls_and_headers_are_problems(void **state)
{
	struct fixture *f = *state;
	char path[3000], ctype[128];
	long status;

	memcpy(path, "/items/1?q=", 11);
	memset(path + 11, 'a', 2500);
	path[2511] = '\0';
	get_raw(f, path, 0, &status, ctype, sizeof(ctype));
	assert_int_equal(status, 414);
	assert_string_equal(ctype, "application/problem+json");
	path[1900] = '\0';
	get_raw(f, path, 0, &status, ctype, sizeof(ctype));
	assert_int_equal(status, 200);
	get_raw(f, "/items/1", 5000, &status, ctype, sizeof(ctype));
	assert_int_equal(status, 431);
	assert_string_equal(ctype, "application/problem+json");
	get_raw(f, "/items/1", 3500, &status, ctype, sizeof(ctype));
	assert_int_equal(status, 200);
	/* The server still serves after refusing. */
	get_raw(f, "/nowhere", 0, &status, ctype, sizeof(ctype));
	assert_int_equal(status, 404);
}

static void parse_id(void **state)
{
	int64_t id;

	(void)state;
	assert_int_equal(http_parse_id("42", &id), 0);
	assert_int_equal(id, 42);
	assert_int_equal(http_parse_id("0", &id), -1);
	assert_int_equal(http_parse_id("-3", &id), -1);
	assert_int_equal(http_parse_id("4x", &id), -1);
	assert_int_equal(http_parse_id("", &id), -1);
	assert_int_equal(http_parse_id("9999999999999999999", &id), -1);
}

static void bad_listen_addresses(void **state)
{
	const char *bad[] = { "127.0.0.1", "127.0.0.1:", "127.0.0.1:99999",
			      "127.0.0.1:80x", ":8080", "no.such.host.invalid:0" };
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		assert_null(httpd_start(bad[i], routes, NULL, NULL, err,
					sizeof(err)));
		if (strstr(err, "listen address") == NULL)
			fail_msg("%s: error \"%s\" does not name the address",
				 bad[i], err);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(route_params_and_query),
		cmocka_unit_test(unknown_path_and_wrong_method),
		cmocka_unit_test(json_bodies),
		cmocka_unit_test(handler_without_answer_is_500),
		cmocka_unit_test(metrics_count_routes_and_statuses),
		cmocka_unit_test(head_is_get_without_body),
		cmocka_unit_test(long_urls_and_headers_are_problems),
		cmocka_unit_test(parse_id),
		cmocka_unit_test(bad_listen_addresses),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
