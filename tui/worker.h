#ifndef STORECTL_TUI_WORKER_H
#define STORECTL_TUI_WORKER_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "api/client.h"

/*
 * HTTP off the UI thread: one worker thread per endpoint (store-svc, each
 * downstream service) owns an api_client, takes jobs in order, runs each
 * blocking call, and hands the finished job back through a queue, writing
 * a byte to wake_fd so the UI's poll() returns. One thread per endpoint
 * means a service that hangs delays only the calls to itself. Only the UI
 * thread submits and takes.
 */

enum tui_endpoint {
	TUI_EP_STORE,
	TUI_EP_SEARCH,
	TUI_EP_ADS,
	TUI_EP_FAVORITES,
	TUI_EP_REVIEWS,
	TUI_EP_DISPLAY,
	TUI_EP_COUNT
};

/* "store", "search", ... (the names of stack.json and store.reactions). */
const char *tui_endpoint_name(enum tui_endpoint ep);

/* The endpoint called name, or -1. */
int tui_endpoint_by_name(const char *name);

struct tui_job {
	enum tui_endpoint endpoint;
	char method[8];
	char path[512];    /* with its query, already escaped */
	json_t *body;      /* request body or NULL; owned by the job */
	int64_t if_version; /* If-Match, 0 = none */
	/* The submitter's own context, untouched by the worker: */
	int purpose;
	int64_t store_id;
	int64_t arg;
	uint64_t seq;      /* set by tui_worker_submit */
	/*
	 * Not HTTP: when run is set, the worker calls run(job) instead of
	 * making a request (method and path are unused; run reports in
	 * rc and data). data is free()d with the job.
	 */
	void (*run)(struct tui_job *job);
	void *ctx;         /* run's, not owned */
	void *data;
	/* Filled by the worker: */
	int rc;            /* api_request's: 0 answered, -1 no answer */
	struct api_result res;
	double took_ms;
	struct tui_job *next;
};

struct tui_worker;

/*
 * A new job for method and the path made from fmt (printf); NULL when out
 * of memory or the path does not fit. Free with tui_job_free.
 */
struct tui_job *tui_job_new(enum tui_endpoint ep, const char *method,
			    const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void tui_job_free(struct tui_job *job);

/* A job that calls run(job) on the worker thread; data (may be NULL) is
 * the job's from now on. NULL when out of memory (data freed). */
struct tui_job *tui_job_new_run(void (*run)(struct tui_job *job), void *ctx,
				void *data);

/*
 * A one-line account of a finished job that did not succeed, for the
 * status line: no answer, 401 (with where a token comes from), 403 (what
 * the role may not do), or the status and the problem's detail.
 */
void tui_job_describe(const struct tui_job *job, char *buf, size_t len);

/*
 * Percent-encodes s for a URL query value into out (always
 * NUL-terminated); returns 0, or -1 when it did not fit.
 */
int tui_url_escape(const char *s, char *out, size_t len);

/*
 * Starts the worker thread. The client is created on it with base_url,
 * token (may be NULL) and timeout_ms per call; with base_url NULL there
 * is none, and only jobs with run work. NULL with a reason in err.
 */
struct tui_worker *tui_worker_new(const char *base_url, const char *token,
				  long timeout_ms, int wake_fd, char *err,
				  size_t errlen);

/*
 * Queues job (the worker owns it now); returns its seq, never 0 and
 * unique across every worker of the process.
 */
uint64_t tui_worker_submit(struct tui_worker *w, struct tui_job *job);

/* The oldest finished job (the caller owns it), or NULL. */
struct tui_job *tui_worker_take(struct tui_worker *w);

/* Jobs queued or running. */
int tui_worker_busy(struct tui_worker *w);

/*
 * Makes the call in progress give up soon (api_client_cancel) and every
 * queued one fail at once: for quitting.
 */
void tui_worker_cancel(struct tui_worker *w);

/*
 * Stops the worker and frees every job still queued or unclaimed. Waits at
 * most wait_ms for a call in progress; if it is still running then, the
 * thread is left to finish it (bounded by the client's timeout) and frees
 * everything itself, so quitting never waits for the network.
 */
void tui_worker_free(struct tui_worker *w, long wait_ms);

#endif
