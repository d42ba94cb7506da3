#ifndef STORECTL_FAULTS_H
#define STORECTL_FAULTS_H

#include <stddef.h>

/*
 * Fault controls of a stack, for 'storectl fault', the demo runner and the
 * console's Services screen: faults injected into the store API's reads
 * (store-svc's /ops/faults, operator token) and into the embedded broker
 * (storectl-broker's control API, stack.json "broker_control"). Stopping,
 * starting and killing a service is cli/stackctl.h.
 *
 * Every call is one blocking HTTP request of at most FAULTS_TIMEOUT_MS:
 * run them on a worker thread in a user interface. Each returns 0, or -1
 * with a one-line reason in err (never a token).
 */

#define FAULTS_TIMEOUT_MS 5000

/* What store-svc injects into the store reads (GET /ops/faults). */
struct faults_api {
	int active;
	long latency_ms;         /* each faulted read waits this long */
	double error_rate;       /* then fails with 503 this often, 0..1 */
	char scope[16];          /* "service": the consumers' reads; "all" */
	char until[40];          /* ISO-8601 end, "" until cleared */
	long long delayed, failed; /* reads it struck since it was set */
};

/*
 * Sets the store API's faults: latency_ms (0..30000) and error_rate
 * (0..1) for for_s seconds (0: until cleared), scope "service" or "all"
 * (NULL: "service"). out (may be NULL) gets the state store-svc reports.
 */
int faults_api_set(const char *store_url, const char *token, long latency_ms,
		   double error_rate, double for_s, const char *scope,
		   struct faults_api *out, char *err, size_t errlen);

/* Clears them; out (may be NULL) as for faults_api_set. */
int faults_api_clear(const char *store_url, const char *token,
		     struct faults_api *out, char *err, size_t errlen);

/* Reads them into out. */
int faults_api_get(const char *store_url, const char *token,
		   struct faults_api *out, char *err, size_t errlen);

/*
 * One line for people: "latency 200 ms, 30% errors, the consumers' reads,
 * until 2026-...; struck 12 delayed, 4 failed", or "none".
 */
void faults_api_describe(const struct faults_api *f, char *buf, size_t len);

/*
 * Takes every broker of the embedded cluster down (down = 1: connections
 * dropped and refused, the log kept) or up again.
 */
int faults_broker_set(const char *control_url, int down, char *err,
		      size_t errlen);

/*
 * The next count (1..10000) requests of Kafka API api ("Produce",
 * "Fetch", ...) fail with code ("NOT_LEADER_FOR_PARTITION", "TRANSPORT",
 * ...); storectl-broker(8) lists both.
 */
int faults_broker_errors(const char *control_url, const char *api,
			 const char *code, long count, char *err,
			 size_t errlen);

/* Whether the brokers are down (*down), from the control API's /health. */
int faults_broker_get(const char *control_url, int *down, char *err,
		      size_t errlen);

#endif
