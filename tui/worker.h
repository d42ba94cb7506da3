#ifndef STORECTL_TUI_WORKER_H
#define STORECTL_TUI_WORKER_H

#include <stdint.h>

#include <jansson.h>

#include "api/client.h"

/*
 * The store API off the UI thread: one worker thread owns an api_client,
 * takes jobs in order, runs each blocking call, and hands the finished job
 * back through a queue, writing a byte to wake_fd so the UI's poll()
 * returns. Only the UI thread submits and takes.
 */

enum tui_job_kind {
	TUI_JOB_LIST_STORES, /* GET /stores?query */
	TUI_JOB_GET_STORE,   /* GET /stores/{store_id} */
	TUI_JOB_PATCH_STORE, /* PATCH /stores/{store_id}, If-Match if_version */
};

struct tui_job {
	enum tui_job_kind kind;
	uint64_t seq;      /* set by tui_worker_submit */
	int64_t store_id;
	int64_t if_version;
	json_t *body;      /* PATCH body; owned by the job */
	char query[128];
	/* Filled by the worker: */
	int rc;            /* api_* return: 0 answered, -1 no answer */
	struct api_result res;
	double took_ms;
	struct tui_job *next;
};

struct tui_worker;

/*
 * A one-line account of a finished job that did not succeed, for the
 * status line: no answer, 401 (with where a token comes from), 403, or the
 * status and the problem's detail.
 */
void tui_job_describe(const struct tui_job *job, char *buf, size_t len);

/* A zeroed job of kind; NULL when out of memory. Free with tui_job_free. */
struct tui_job *tui_job_new(enum tui_job_kind kind);
void tui_job_free(struct tui_job *job);

/*
 * Starts the worker thread. The client is created on it with base_url,
 * token (may be NULL) and timeout_ms per call. NULL with a reason in err.
 */
struct tui_worker *tui_worker_new(const char *base_url, const char *token,
				  long timeout_ms, int wake_fd, char *err,
				  size_t errlen);

/* Queues job (the worker owns it now); returns its seq (never 0). */
uint64_t tui_worker_submit(struct tui_worker *w, struct tui_job *job);

/* The oldest finished job (the caller owns it), or NULL. */
struct tui_job *tui_worker_take(struct tui_worker *w);

/* Jobs queued or running. */
int tui_worker_busy(struct tui_worker *w);

/*
 * Stops the worker and frees every job still queued or unclaimed. Waits at
 * most wait_ms for a call in progress; if it is still hanging then (an API
 * that accepts but never answers), the thread is left to finish it, bounded
 * by the client's timeout, and frees everything itself, so quitting never
 * waits for the network.
 */
void tui_worker_free(struct tui_worker *w, long wait_ms);

#endif
