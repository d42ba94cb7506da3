/* The HTTP server wrapper over real loopback HTTP: routing, limits, errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

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
	{ 0 },
};

struct fixture {
	struct httpd *server;
	struct api_client *client;
};

static int setup(void **state)
{
	static struct fixture f;
	struct httpd_limits limits = { .max_body = 1024 };
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
		cmocka_unit_test(parse_id),
		cmocka_unit_test(bad_listen_addresses),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
