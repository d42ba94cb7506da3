#include "display-svc/display_stats.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

/* Upper bounds of the fan-out latency buckets, in seconds. */
static const double bounds[] = { 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
				 0.1, 0.2, 0.3, 0.5, 1, 2.5 };
#define NBOUNDS (sizeof(bounds) / sizeof(bounds[0]))
#define NACTIONS (REACTION_FAILED + 1)

struct dep_stats {
	atomic_uint_least64_t calls[FANOUT_STATUS_COUNT];
	atomic_uint_least64_t bucket[NBOUNDS + 1]; /* the last is +Inf */
	atomic_uint_least64_t sum_us;
};

struct display_stats {
	atomic_uint_least64_t lists[2];            /* by degraded */
	struct dep_stats dep[DISPLAY_DEP_COUNT];
	atomic_uint_least64_t review_seen;
	atomic_uint_least64_t review_dead;
	atomic_uint_least64_t review_fetch[DISPLAY_FETCH_COUNT];
	atomic_uint_least64_t review_action[NACTIONS];
	atomic_uint review_failing;
};

static const char *const dep_names[DISPLAY_DEP_COUNT] = {
	"ads", "search", "favorites",
};

static const char *const fetch_names[DISPLAY_FETCH_COUNT] = {
	"ok", "gone", "failed",
};

const char *display_dep_name(enum display_dep d)
{
	return (unsigned)d < DISPLAY_DEP_COUNT ? dep_names[d] : "?";
}

struct display_stats *display_stats_new(void)
{
	struct display_stats *s = calloc(1, sizeof(*s));

	/* calloc's zeroes are valid initial values for the atomics. */
	return s;
}

void display_stats_free(struct display_stats *s)
{
	free(s);
}

void display_stats_list(struct display_stats *s, int degraded)
{
	atomic_fetch_add(&s->lists[degraded ? 1 : 0], 1);
}

void display_stats_fanout(struct display_stats *s, enum display_dep d,
			  enum display_fanout_status status, double ms)
{
	struct dep_stats *st;
	size_t b = 0;

	if ((unsigned)d >= DISPLAY_DEP_COUNT ||
	    (unsigned)status >= FANOUT_STATUS_COUNT)
		return;
	st = &s->dep[d];
	atomic_fetch_add(&st->calls[status], 1);
	if (status == FANOUT_SKIPPED || status == FANOUT_UNCONFIGURED)
		return;
	if (ms < 0)
		ms = 0;
	while (b < NBOUNDS && ms / 1000.0 > bounds[b])
		b++;
	atomic_fetch_add(&st->bucket[b], 1);
	atomic_fetch_add(&st->sum_us, (uint_least64_t)(ms * 1000.0));
}

void display_stats_review_seen(struct display_stats *s, unsigned n)
{
	atomic_fetch_add(&s->review_seen, n);
}

void display_stats_review_dead(struct display_stats *s)
{
	atomic_fetch_add(&s->review_dead, 1);
}

void display_stats_review_fetch(struct display_stats *s,
				enum display_review_fetch outcome)
{
	if ((unsigned)outcome < DISPLAY_FETCH_COUNT)
		atomic_fetch_add(&s->review_fetch[outcome], 1);
}

void display_stats_review_reaction(struct display_stats *s,
				   enum reaction_action action)
{
	if ((unsigned)action < NACTIONS)
		atomic_fetch_add(&s->review_action[action], 1);
}

void display_stats_review_failing(struct display_stats *s, unsigned n)
{
	atomic_store(&s->review_failing, n);
}

unsigned display_stats_review_failures(const struct display_stats *s)
{
	return atomic_load(&s->review_failing);
}

uint64_t display_stats_review_count(const struct display_stats *s,
				    enum reaction_action action)
{
	return (unsigned)action < NACTIONS ?
		       atomic_load(&s->review_action[action]) : 0;
}

uint64_t display_stats_fanout_count(const struct display_stats *s,
				    enum display_dep d,
				    enum display_fanout_status status)
{
	if ((unsigned)d >= DISPLAY_DEP_COUNT ||
	    (unsigned)status >= FANOUT_STATUS_COUNT)
		return 0;
	return atomic_load(&s->dep[d].calls[status]);
}

/* A growing text buffer; on failure text becomes NULL. */
struct text {
	char *text;
	size_t len, cap;
};

static void add(struct text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	while (t->text != NULL) {
		char *grown;

		va_start(ap, fmt);
		n = vsnprintf(t->text + t->len, t->cap - t->len, fmt, ap);
		va_end(ap);
		if (n >= 0 && (size_t)n < t->cap - t->len) {
			t->len += (size_t)n;
			return;
		}
		grown = n < 0 ? NULL : realloc(t->text, t->cap * 2 + (size_t)n);
		if (grown == NULL) {
			free(t->text);
			t->text = NULL;
			return;
		}
		t->text = grown;
		t->cap = t->cap * 2 + (size_t)n;
	}
}

static unsigned long long load(const atomic_uint_least64_t *v)
{
	return (unsigned long long)atomic_load(v);
}

char *display_stats_text(const struct display_stats *s, int64_t documents)
{
	struct text t = { malloc(8192), 0, 8192 };

	if (documents >= 0)
		add(&t, "# HELP display_documents Store documents held in the view database.\n"
			"# TYPE display_documents gauge\n"
			"display_documents %lld\n", (long long)documents);
	add(&t, "# HELP display_list_queries_total List queries answered, by whether a dependency was missing.\n"
		"# TYPE display_list_queries_total counter\n"
		"display_list_queries_total{degraded=\"false\"} %llu\n"
		"display_list_queries_total{degraded=\"true\"} %llu\n",
	    load(&s->lists[0]), load(&s->lists[1]));
	add(&t, "# HELP display_fanout_calls_total List-query calls to ads, search and favorites, by outcome.\n"
		"# TYPE display_fanout_calls_total counter\n");
	for (int d = 0; d < DISPLAY_DEP_COUNT; d++)
		for (int st = 0; st < FANOUT_STATUS_COUNT; st++)
			add(&t, "display_fanout_calls_total{service=\"%s\",outcome=\"%s\"} %llu\n",
			    dep_names[d], display_fanout_status_name(st),
			    load(&s->dep[d].calls[st]));
	add(&t, "# HELP display_fanout_duration_seconds Time of the list-query calls made, by dependency.\n"
		"# TYPE display_fanout_duration_seconds histogram\n");
	for (int d = 0; d < DISPLAY_DEP_COUNT; d++) {
		unsigned long long cum = 0;

		for (size_t b = 0; b <= NBOUNDS; b++) {
			cum += load(&s->dep[d].bucket[b]);
			if (b < NBOUNDS)
				add(&t, "display_fanout_duration_seconds_bucket{service=\"%s\",le=\"%g\"} %llu\n",
				    dep_names[d], bounds[b], cum);
			else
				add(&t, "display_fanout_duration_seconds_bucket{service=\"%s\",le=\"+Inf\"} %llu\n",
				    dep_names[d], cum);
		}
		add(&t, "display_fanout_duration_seconds_sum{service=\"%s\"} %.6f\n"
			"display_fanout_duration_seconds_count{service=\"%s\"} %llu\n",
		    dep_names[d], (double)load(&s->dep[d].sum_us) / 1e6,
		    dep_names[d], cum);
	}
	add(&t, "# HELP display_review_events_total review.events messages received.\n"
		"# TYPE display_review_events_total counter\n"
		"display_review_events_total %llu\n"
		"# HELP display_review_dead_letters_total review.events messages sent to the dead-letter topic.\n"
		"# TYPE display_review_dead_letters_total counter\n"
		"display_review_dead_letters_total %llu\n"
		"# HELP display_review_fetches_total Summary fetches from reviews-svc, by outcome.\n"
		"# TYPE display_review_fetches_total counter\n",
	    load(&s->review_seen), load(&s->review_dead));
	for (int f = 0; f < DISPLAY_FETCH_COUNT; f++)
		add(&t, "display_review_fetches_total{outcome=\"%s\"} %llu\n",
		    fetch_names[f], load(&s->review_fetch[f]));
	add(&t, "# HELP display_review_reactions_total Stores handled from review.events, by action.\n"
		"# TYPE display_review_reactions_total counter\n");
	for (int a = REACTION_APPLIED; a < (int)NACTIONS; a++)
		add(&t, "display_review_reactions_total{action=\"%s\"} %llu\n",
		    reaction_action_name(a), load(&s->review_action[a]));
	add(&t, "# HELP display_review_consecutive_failures review.events batches failed in a row (reviews-svc down, ...).\n"
		"# TYPE display_review_consecutive_failures gauge\n"
		"display_review_consecutive_failures %u\n",
	    atomic_load(&s->review_failing));
	return t.text;
}
