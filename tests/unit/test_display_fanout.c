/*
 * display-svc's fan-out against a real local HTTP server: calls run at
 * once (three slow ones take one timeout, not three), each outcome is
 * told apart (ok, timeout, unreachable, bad status, bad body, skipped),
 * and it is safe from several threads at once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <time.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "common/clock.h"
#include "common/httpd.h"
#include "display-svc/fanout.h"

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0)
		;
}

static void handle_ids(struct http_req *req)
{
	http_reply_json(req, 200, json_pack("{s:[i,i,i]}", "ids", 3, 1, 2));
}

static void handle_slow(struct http_req *req)
{
	sleep_ms(600);
	http_reply_json(req, 200, json_pack("{s:[i]}", "ids", 9));
}

static void handle_broken(struct http_req *req)
{
	http_reply_problem(req, 503, "Service Unavailable", "down", NULL);
}

static void handle_garbage(struct http_req *req)
{
	http_reply_text(req, 200, "text/html", "<html>hello</html>");
}

static const struct http_route routes[] = {
	{ "GET", "/ids", handle_ids },
	{ "GET", "/slow", handle_slow },
	{ "GET", "/broken", handle_broken },
	{ "GET", "/garbage", handle_garbage },
	{ 0 },
};

struct fixture {
	struct httpd *httpd;
	char base[64];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char err[256];

	f->httpd = httpd_start("127.0.0.1:0", routes,
			       &(struct httpd_limits){ .threads = 8 }, NULL,
			       err, sizeof(err));
	if (f->httpd == NULL) {
		fprintf(stderr, "httpd: %s\n", err);
		return -1;
	}
	snprintf(f->base, sizeof(f->base), "http://127.0.0.1:%u",
		 httpd_port(f->httpd));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	httpd_stop(f->httpd);
	free(f);
	return 0;
}

static void outcomes(void **state)
{
	struct fixture *f = *state, *slow;
	char url[5][128];
	struct display_fanout_call calls[6] = { 0 };
	const char *paths[5] = { "/ids", "/slow", "/broken", "/garbage", "/ids" };
	double start;

	/* The slow call on a server of its own: a server thread busy with
	 * it may hold other connections it accepted meanwhile. */
	assert_int_equal(setup((void **)&slow), 0);
	for (int i = 0; i < 5; i++) {
		snprintf(url[i], sizeof(url[i]), "%s%s",
			 i == 1 ? slow->base : f->base, paths[i]);
		calls[i].url = url[i];
	}
	/* Nothing listens on port 1. */
	calls[4].url = "http://127.0.0.1:1/ids";
	calls[5].status = FANOUT_UNCONFIGURED;
	start = clock_mono_ms();
	display_fanout_run(calls, 6, 200);
	assert_true(clock_mono_ms() - start < 500);

	assert_int_equal(calls[0].status, FANOUT_OK);
	assert_int_equal(calls[0].n, 3);
	assert_int_equal(calls[0].ids[0], 3);
	assert_int_equal(calls[0].http_status, 200);
	assert_true(calls[0].ms < 200);
	assert_int_equal(calls[1].status, FANOUT_TIMEOUT);
	assert_true(calls[1].ms >= 190);
	assert_int_equal(calls[2].status, FANOUT_BAD_STATUS);
	assert_int_equal(calls[2].http_status, 503);
	assert_string_equal(calls[2].detail, "answered HTTP 503: down");
	assert_int_equal(calls[3].status, FANOUT_BAD_BODY);
	assert_int_equal(calls[4].status, FANOUT_UNREACHABLE);
	assert_int_equal(calls[5].status, FANOUT_UNCONFIGURED);
	assert_null(calls[1].ids);
	assert_string_equal(display_fanout_status_name(calls[1].status),
			    "timeout");
	display_fanout_clear(calls, 6);
	teardown((void **)&slow);
}

static void slow_calls_overlap(void **state)
{
	struct fixture *f[3];
	char url[3][128];
	struct display_fanout_call calls[3] = { 0 };
	double start, took;

	(void)state;
	/* A server each: one server thread may take several connections
	 * and answer them one after the other. */
	for (int i = 0; i < 3; i++) {
		assert_int_equal(setup((void **)&f[i]), 0);
		snprintf(url[i], sizeof(url[i]), "%s/slow", f[i]->base);
		calls[i].url = url[i];
	}
	start = clock_mono_ms();
	display_fanout_run(calls, 3, 1000);
	took = clock_mono_ms() - start;
	/* One after the other they would take 1.8 s. */
	assert_true(took >= 590 && took < 1100);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(calls[i].status, FANOUT_OK);
		assert_int_equal(calls[i].ids[0], 9);
		teardown((void **)&f[i]);
	}
	display_fanout_clear(calls, 3);
}

static void *one_fanout(void *arg)
{
	const char *base = arg;
	char url[128];
	struct display_fanout_call calls[2] = { 0 };
	long ok = 0;

	snprintf(url, sizeof(url), "%s/ids", base);
	calls[0].url = calls[1].url = url;
	for (int k = 0; k < 20; k++) {
		display_fanout_run(calls, 2, 1000);
		ok += calls[0].status == FANOUT_OK && calls[1].status == FANOUT_OK;
		display_fanout_clear(calls, 2);
	}
	return (void *)ok;
}

static void threads_each_have_their_own(void **state)
{
	struct fixture *f = *state;
	pthread_t t[4];
	void *ok;

	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, one_fanout, f->base), 0);
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], &ok);
		assert_int_equal((long)ok, 20);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(outcomes, setup, teardown),
		cmocka_unit_test(slow_calls_overlap),
		cmocka_unit_test_setup_teardown(threads_each_have_their_own, setup,
						teardown),
	};
	int failed;

	/* As display-svc's main does, before any thread. */
	curl_global_init(CURL_GLOBAL_DEFAULT);
	failed = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	return failed;
}
