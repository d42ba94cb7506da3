#include "display-svc/fanout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <jansson.h>

#include "common/clock.h"
#include "display-svc/merge.h"

/* A dependency that answers more than this is not answering ids. */
#define FANOUT_MAX_BODY (1024 * 1024)

struct transfer {
	struct display_fanout_call *call;
	CURL *easy;
	char *body;
	size_t len;
	int overflow;
};

static const char *const status_names[FANOUT_STATUS_COUNT] = {
	[FANOUT_SKIPPED] = "skipped",
	[FANOUT_OK] = "ok",
	[FANOUT_TIMEOUT] = "timeout",
	[FANOUT_UNREACHABLE] = "unreachable",
	[FANOUT_BAD_STATUS] = "bad_status",
	[FANOUT_BAD_BODY] = "bad_body",
	[FANOUT_UNCONFIGURED] = "unconfigured",
};

const char *display_fanout_status_name(enum display_fanout_status s)
{
	return (unsigned)s < FANOUT_STATUS_COUNT ? status_names[s] : "?";
}

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	struct transfer *t = userdata;
	size_t n = size * nmemb;
	char *grown;

	if (t->len + n > FANOUT_MAX_BODY) {
		t->overflow = 1;
		return 0;
	}
	grown = realloc(t->body, t->len + n + 1);
	if (grown == NULL)
		return 0;
	t->body = grown;
	memcpy(t->body + t->len, ptr, n);
	t->len += n;
	t->body[t->len] = '\0';
	return n;
}

static CURL *easy_for(struct transfer *t, long timeout_ms)
{
	CURL *e = curl_easy_init();

	if (e == NULL)
		return NULL;
	curl_easy_setopt(e, CURLOPT_URL, t->call->url);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, t);
	curl_easy_setopt(e, CURLOPT_PRIVATE, t);
	/* The budget covers the whole call: resolving, connecting, answer. */
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, timeout_ms);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
	/* Signals must not interrupt the server's other threads. */
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "display-svc/" STORECTL_VERSION);
	return e;
}

/* The detail (and "field") of a problem+json answer, into the result. */
static void take_problem(struct transfer *t)
{
	struct display_fanout_call *c = t->call;
	json_t *doc = t->body ? json_loadb(t->body, t->len, 0, NULL) : NULL;
	const char *detail = json_string_value(json_object_get(doc, "detail"));
	const char *field = json_string_value(json_object_get(doc, "field"));
	const char *rule = json_string_value(json_object_get(doc, "rule"));

	if (detail != NULL)
		snprintf(c->detail, sizeof(c->detail), "answered HTTP %ld: %s",
			 c->http_status, detail);
	else
		snprintf(c->detail, sizeof(c->detail), "answered HTTP %ld",
			 c->http_status);
	if (field != NULL && strlen(field) < sizeof(c->field))
		strcpy(c->field, field);
	if (rule != NULL && strlen(rule) < sizeof(c->rule))
		strcpy(c->rule, rule);
	json_decref(doc);
}

/* Settles one finished transfer from its libcurl result. */
static void finish(struct transfer *t, CURLcode result, double ms)
{
	struct display_fanout_call *c = t->call;
	char err[128];

	c->ms = ms;
	curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &c->http_status);
	if (result == CURLE_OPERATION_TIMEDOUT) {
		c->status = FANOUT_TIMEOUT;
		snprintf(c->detail, sizeof(c->detail), "no answer within the timeout");
		return;
	}
	if (result == CURLE_WRITE_ERROR && t->overflow) {
		c->status = FANOUT_BAD_BODY;
		snprintf(c->detail, sizeof(c->detail),
			 "answer larger than %d bytes", FANOUT_MAX_BODY);
		return;
	}
	if (result != CURLE_OK) {
		c->status = FANOUT_UNREACHABLE;
		snprintf(c->detail, sizeof(c->detail), "%s",
			 curl_easy_strerror(result));
		return;
	}
	if (c->http_status != 200) {
		c->status = FANOUT_BAD_STATUS;
		take_problem(t);
		return;
	}
	c->ids = malloc(FANOUT_IDS_MAX * sizeof(*c->ids));
	if (c->ids == NULL) {
		c->status = FANOUT_BAD_BODY;
		snprintf(c->detail, sizeof(c->detail), "out of memory");
		return;
	}
	if (display_ids_parse(t->body ? t->body : "", t->len, c->ids,
			      FANOUT_IDS_MAX, &c->n, err, sizeof(err))) {
		free(c->ids);
		c->ids = NULL;
		c->status = FANOUT_BAD_BODY;
		snprintf(c->detail, sizeof(c->detail), "%s", err);
		return;
	}
	c->status = FANOUT_OK;
}

void display_fanout_run(struct display_fanout_call *calls, size_t n,
			long timeout_ms)
{
	struct transfer *ts = calloc(n, sizeof(*ts));
	double start = clock_mono_ms();
	CURLM *multi = curl_multi_init();
	int running = 0;
	CURLMsg *msg;
	int left;

	for (size_t i = 0; i < n; i++) {
		calls[i].http_status = 0;
		calls[i].ms = 0;
		calls[i].ids = NULL;
		calls[i].n = 0;
		calls[i].detail[0] = '\0';
		calls[i].field[0] = '\0';
		calls[i].rule[0] = '\0';
		if (calls[i].url == NULL)
			continue;
		if (ts == NULL || multi == NULL) {
			calls[i].status = FANOUT_UNREACHABLE;
			snprintf(calls[i].detail, sizeof(calls[i].detail),
				 "out of memory");
			continue;
		}
		ts[i].call = &calls[i];
		ts[i].easy = easy_for(&ts[i], timeout_ms);
		if (ts[i].easy == NULL ||
		    curl_multi_add_handle(multi, ts[i].easy) != CURLM_OK) {
			calls[i].status = FANOUT_UNREACHABLE;
			snprintf(calls[i].detail, sizeof(calls[i].detail),
				 "cannot start the call");
			if (ts[i].easy != NULL)
				curl_easy_cleanup(ts[i].easy);
			ts[i].easy = NULL;
			continue;
		}
		/* Until it finishes, a call counts as timed out. */
		calls[i].status = FANOUT_TIMEOUT;
	}

	if (multi != NULL) {
		do {
			CURLMcode mc = curl_multi_perform(multi, &running);

			if (mc == CURLM_OK && running > 0)
				/* Returns early on activity; libcurl's own
				 * timers bound the wait too. */
				mc = curl_multi_poll(multi, NULL, 0, 100, NULL);
			while ((msg = curl_multi_info_read(multi, &left)) != NULL) {
				struct transfer *t = NULL;

				if (msg->msg != CURLMSG_DONE)
					continue;
				curl_easy_getinfo(msg->easy_handle,
						  CURLINFO_PRIVATE, (char **)&t);
				finish(t, msg->data.result,
				       clock_mono_ms() - start);
			}
			if (mc != CURLM_OK)
				break;
		} while (running > 0);
	}

	for (size_t i = 0; ts != NULL && i < n; i++) {
		if (ts[i].easy == NULL)
			continue;
		if (calls[i].status == FANOUT_TIMEOUT && calls[i].ms == 0)
			calls[i].ms = clock_mono_ms() - start;
		curl_multi_remove_handle(multi, ts[i].easy);
		curl_easy_cleanup(ts[i].easy);
		free(ts[i].body);
	}
	curl_multi_cleanup(multi);
	free(ts);
}

void display_fanout_clear(struct display_fanout_call *calls, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(calls[i].ids);
		calls[i].ids = NULL;
		calls[i].n = 0;
	}
}
