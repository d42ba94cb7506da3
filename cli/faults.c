/* Fault controls over HTTP: store-svc's /ops/faults, the broker's control. */
#include "cli/faults.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "api/client.h"

/*
 * One call: method path [body] on base with token (may be NULL). Returns
 * 0 with *answer (a new reference, may be NULL) for a 2xx, or -1 with err.
 */
static int call(const char *base, const char *token, const char *method,
		const char *path, const json_t *body, json_t **answer,
		char *err, size_t errlen)
{
	struct api_client *c;
	struct api_result res = { 0 };
	int rc = -1;

	if (answer != NULL)
		*answer = NULL;
	if (base == NULL || *base == '\0') {
		snprintf(err, errlen, "no address to call %s %s", method, path);
		return -1;
	}
	c = api_client_new(base, token, FAULTS_TIMEOUT_MS);
	if (c == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (api_request(c, method, path, body, 0, &res) != 0)
		snprintf(err, errlen, "%s %s%s: no answer: %s", method, base, path,
			 res.error);
	else if (res.status / 100 != 2)
		snprintf(err, errlen, "%s %s: HTTP %ld: %s", method, path,
			 res.status, res.error);
	else
		rc = 0;
	if (rc == 0 && answer != NULL) {
		*answer = res.body;
		res.body = NULL;
	}
	api_result_clear(&res);
	api_client_free(c);
	return rc;
}

static void from_json(const json_t *doc, struct faults_api *f)
{
	const char *scope = json_string_value(json_object_get(doc, "scope"));
	const char *until = json_string_value(json_object_get(doc, "until"));

	memset(f, 0, sizeof(*f));
	f->active = json_is_true(json_object_get(doc, "active"));
	f->latency_ms = (long)json_integer_value(json_object_get(doc, "latency_ms"));
	f->error_rate = json_number_value(json_object_get(doc, "error_rate"));
	snprintf(f->scope, sizeof(f->scope), "%s", scope ? scope : "service");
	snprintf(f->until, sizeof(f->until), "%s", until ? until : "");
	f->delayed = json_integer_value(json_object_get(doc, "delayed"));
	f->failed = json_integer_value(json_object_get(doc, "failed"));
}

/* A call to /ops/faults whose answer fills out (may be NULL). */
static int api_faults(const char *store_url, const char *token,
		      const char *method, const json_t *body,
		      struct faults_api *out, char *err, size_t errlen)
{
	json_t *answer;

	if (call(store_url, token, method, "/ops/faults", body, &answer, err,
		 errlen))
		return -1;
	if (out != NULL)
		from_json(answer, out);
	json_decref(answer);
	return 0;
}

int faults_api_set(const char *store_url, const char *token, long latency_ms,
		   double error_rate, double for_s, const char *scope,
		   struct faults_api *out, char *err, size_t errlen)
{
	json_t *body = json_pack("{s:I, s:f, s:s}", "latency_ms",
				 (json_int_t)latency_ms, "error_rate",
				 error_rate, "scope",
				 scope != NULL ? scope : "service");
	int rc;

	if (body == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (for_s > 0)
		json_object_set_new(body, "for_s", json_real(for_s));
	rc = api_faults(store_url, token, "POST", body, out, err, errlen);
	json_decref(body);
	return rc;
}

int faults_api_clear(const char *store_url, const char *token,
		     struct faults_api *out, char *err, size_t errlen)
{
	return api_faults(store_url, token, "DELETE", NULL, out, err, errlen);
}

int faults_api_get(const char *store_url, const char *token,
		   struct faults_api *out, char *err, size_t errlen)
{
	return api_faults(store_url, token, "GET", NULL, out, err, errlen);
}

void faults_api_describe(const struct faults_api *f, char *buf, size_t len)
{
	size_t n;

	if (!f->active) {
		snprintf(buf, len, "none");
		return;
	}
	n = (size_t)snprintf(buf, len, "latency %ld ms, %g%% errors, %s, %s%s",
			     f->latency_ms, round(f->error_rate * 1000) / 10,
			     strcmp(f->scope, "all") == 0 ? "every caller's reads" :
							    "the services' reads",
			     f->until[0] ? "until " : "until cleared",
			     f->until);
	if (n < len)
		snprintf(buf + n, len - n, "; struck %lld delayed, %lld failed",
			 f->delayed, f->failed);
}

int faults_broker_set(const char *control_url, int down, char *err,
		      size_t errlen)
{
	return call(control_url, NULL, "POST",
		    down ? "/brokers/down" : "/brokers/up", NULL, NULL, err,
		    errlen);
}

int faults_broker_errors(const char *control_url, const char *api,
			 const char *code, long count, char *err,
			 size_t errlen)
{
	json_t *body = json_pack("{s:s, s:s, s:I}", "api", api, "code", code,
				 "count", (json_int_t)count);
	int rc;

	if (body == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	rc = call(control_url, NULL, "POST", "/errors", body, NULL, err, errlen);
	json_decref(body);
	return rc;
}

int faults_broker_get(const char *control_url, int *down, char *err,
		      size_t errlen)
{
	json_t *answer;

	if (call(control_url, NULL, "GET", "/health", NULL, &answer, err,
		 errlen))
		return -1;
	*down = json_is_true(json_object_get(answer, "down"));
	json_decref(answer);
	return 0;
}
