/*
 * The operations steps: fault, expect list (display-svc's list query and
 * its degraded services), expect breaker (a consumer's circuit breaker)
 * and expect audit.
 */
#include "cli/demo_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"

/* Checks under 'within' are made again after this long. */
#define DEMO_RETRY_MS 100

enum demo_outcome demo_step_fault(struct demo_runner *r,
				  const struct demo_step *st)
{
	char msg[1024], err[1024];

	if (r->w->fault(r->w->ctx, st, msg, sizeof(msg), err, sizeof(err)))
		return demo_rt_result(r, DEMO_FAILED, "%s", err);
	if (st->kind == DEMO_FAULT_API)
		r->api_fault = !st->clear;
	else if (strcmp(st->arg, "down") == 0)
		r->broker_down = 1;
	else if (strcmp(st->arg, "up") == 0)
		r->broker_down = 0;
	return demo_rt_result(r, DEMO_OK, "%s", msg);
}

/*
 * Runs check until it passes or st's 'within' runs out (once when there
 * is none), reading reactions between tries. check returns DEMO_OK or
 * DEMO_FAILED with r->result set.
 */
static enum demo_outcome retry(struct demo_runner *r,
			       const struct demo_step *st,
			       enum demo_outcome (*check)(struct demo_runner *,
							  const struct demo_step *,
							  void *),
			       void *ctx)
{
	double deadline = clock_mono_ms() + st->seconds * 1000;

	for (;;) {
		enum demo_outcome o = check(r, st, ctx);

		if (o == DEMO_OK || clock_mono_ms() >= deadline)
			return o;
		if (demo_rt_sleep(r, DEMO_RETRY_MS))
			return demo_rt_cancelled(r) ? DEMO_CANCELLED : DEMO_FAILED;
	}
}

/* "ads, search" of a JSON array of names; "none" when empty. */
static void names_of(const json_t *list, char *buf, size_t len)
{
	size_t used = 0, i;
	json_t *v;

	buf[0] = '\0';
	json_array_foreach(list, i, v) {
		int n = snprintf(buf + used, len - used, "%s%s", i ? "," : "",
				 json_is_string(v) ? json_string_value(v) : "?");

		if (n < 0 || (size_t)n >= len - used)
			break;
		used += (size_t)n;
	}
	if (used == 0)
		snprintf(buf, len, "none");
}

/* Whether the comma-separated sets a and b hold the same names. */
static int same_set(const char *a, const char *b)
{
	for (int pass = 0; pass < 2; pass++) {
		const char *s = pass ? b : a, *other = pass ? a : b;

		while (*s != '\0') {
			size_t n = strcspn(s, ",");
			const char *o = other;
			int found = 0;

			while (*o != '\0' && !found) {
				size_t m = strcspn(o, ",");

				found = m == n && memcmp(o, s, n) == 0;
				o += m + (o[m] == ',');
			}
			if (!found)
				return 0;
			s += n + (s[n] == ',');
		}
	}
	return 1;
}

struct list_ctx {
	const char *query;
	int64_t id;
};

static enum demo_outcome check_list(struct demo_runner *r,
				    const struct demo_step *st, void *arg)
{
	struct list_ctx *c = arg;
	struct api_result res = { 0 };
	char why[512], degraded[128];
	json_t *shops, *shop;
	long rank = -1;
	size_t i, n;

	if (r->w->list(r->w->ctx, c->query, &res) != 0 || res.status != 200 ||
	    !json_is_array(json_object_get(res.body, "shops"))) {
		demo_rt_describe(&res, why, sizeof(why));
		api_result_clear(&res);
		return demo_rt_result(r, DEMO_FAILED, "list \"%s\": %s", c->query,
				      why);
	}
	names_of(json_object_get(res.body, "degraded"), degraded,
		 sizeof(degraded));
	shops = json_object_get(res.body, "shops");
	n = json_array_size(shops);
	json_array_foreach(shops, i, shop)
		if (rank < 0 && json_integer_value(json_object_get(shop, "id")) ==
					c->id)
			rank = (long)i + 1;
	api_result_clear(&res);
	if (st->degraded) {
		if (same_set(degraded, st->value))
			return demo_rt_result(r, DEMO_OK,
					      "%zu shop%s, degraded: %s", n,
					      n == 1 ? "" : "s", degraded);
		return demo_rt_result(r, DEMO_FAILED,
				      "%zu shop%s, degraded: %s, expected %s", n,
				      n == 1 ? "" : "s", degraded, st->value);
	}
	if (!st->negate && rank > 0)
		return demo_rt_result(r, DEMO_OK, "store %lld is shop %ld of %zu (degraded: %s)",
				      (long long)c->id, rank, n, degraded);
	if (st->negate && rank < 0)
		return demo_rt_result(r, DEMO_OK, "store %lld is not among the %zu shops (degraded: %s)",
				      (long long)c->id, n, degraded);
	if (st->negate)
		return demo_rt_result(r, DEMO_FAILED, "store %lld is shop %ld of %zu",
				      (long long)c->id, rank, n);
	return demo_rt_result(r, DEMO_FAILED, "store %lld is not among the %zu shops (degraded: %s)",
			      (long long)c->id, n, degraded);
}

enum demo_outcome demo_step_list(struct demo_runner *r,
				 const struct demo_step *st)
{
	struct list_ctx c = { 0 };
	enum demo_outcome o;
	char *query;

	if (!st->degraded && demo_rt_store_id(r, &st->store, &c.id))
		return DEMO_FAILED;
	query = demo_rt_expand(r, st->arg);
	if (query == NULL)
		return DEMO_FAILED;
	c.query = query;
	o = retry(r, st, check_list, &c);
	free(query);
	return o;
}

static enum demo_outcome check_breaker(struct demo_runner *r,
				       const struct demo_step *st, void *arg)
{
	struct api_result res = { 0 };
	const char *state;
	char why[512];

	(void)arg;
	if (r->w->health(r->w->ctx, st->arg, &res) != 0 || res.status == 0) {
		demo_rt_describe(&res, why, sizeof(why));
		api_result_clear(&res);
		return demo_rt_result(r, DEMO_FAILED, "%s /health: %s", st->arg,
				      why);
	}
	/* /health answers 503 while degraded: the body still says why. */
	state = json_string_value(json_object_get(
		json_object_get(json_object_get(res.body, "consumer"), "breaker"),
		"state"));
	if (state == NULL) {
		api_result_clear(&res);
		return demo_rt_result(r, DEMO_FAILED,
				      "%s /health (HTTP %ld) has no consumer.breaker.state",
				      st->arg, res.status);
	}
	if (strcmp(state, st->value) == 0) {
		json_int_t opened = json_integer_value(json_object_get(
			json_object_get(json_object_get(res.body, "consumer"),
					"breaker"),
			"opened"));

		api_result_clear(&res);
		return demo_rt_result(r, DEMO_OK, "%s's breaker is %s (opened %lld time%s)",
				      st->arg, st->value, (long long)opened,
				      opened == 1 ? "" : "s");
	}
	demo_rt_result(r, DEMO_FAILED, "%s's breaker is %s, expected %s",
		       st->arg, state, st->value);
	api_result_clear(&res);
	return DEMO_FAILED;
}

enum demo_outcome demo_step_breaker(struct demo_runner *r,
				    const struct demo_step *st)
{
	return retry(r, st, check_breaker, NULL);
}

/* "search 3 missing, display not checked" of a report into buf. */
static void drift_summary(const struct audit_report *a, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t k = 0; k < a->n && used + 1 < len; k++) {
		const struct audit_service *s = &a->services[k];
		int n;

		if (s->answered && s->ndrift == 0)
			continue;
		if (!s->answered)
			n = snprintf(buf + used, len - used, "%s%s not checked (%.80s)",
				     used ? ", " : "", s->name, s->error);
		else
			n = snprintf(buf + used, len - used,
				     "%s%s: store %lld %s%s", used ? ", " : "",
				     s->name, (long long)s->drift[0].id,
				     audit_kind_name(s->drift[0].kind),
				     s->ndrift > 1 ? " and more" : "");
		used = n < 0 || (size_t)n >= len - used ? len - 1 : used + (size_t)n;
	}
}

static enum demo_outcome check_audit(struct demo_runner *r,
				     const struct demo_step *st, void *arg)
{
	struct audit_report a;
	char err[512], what[600];

	(void)st;
	(void)arg;
	if (r->w->audit(r->w->ctx, &a, err, sizeof(err)))
		return demo_rt_result(r, DEMO_FAILED, "audit: %s", err);
	if (audit_converged(&a)) {
		demo_rt_result(r, DEMO_OK, "%zu services converged on %zu stores",
			       a.n, a.live + a.deleted);
		audit_report_free(&a);
		return DEMO_OK;
	}
	drift_summary(&a, what, sizeof(what));
	demo_rt_result(r, DEMO_FAILED, "drift: %s", what);
	audit_report_free(&a);
	return DEMO_FAILED;
}

enum demo_outcome demo_step_audit(struct demo_runner *r,
				  const struct demo_step *st)
{
	return retry(r, st, check_audit, NULL);
}
