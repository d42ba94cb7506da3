#include "tui/worker.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/clock.h"

struct tui_worker {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct tui_job *todo, *todo_tail; /* FIFO */
	struct tui_job *done, *done_tail; /* FIFO */
	int running;  /* jobs taken but not finished */
	int stop;
	int exited;   /* the thread is about to return */
	int orphaned; /* nobody waits for it: it frees everything itself */
	uint64_t next_seq;
	int wake_fd;
	char *base_url;
	char *token;
	long timeout_ms;
};

struct tui_job *tui_job_new(enum tui_job_kind kind)
{
	struct tui_job *job = calloc(1, sizeof(*job));

	if (job != NULL)
		job->kind = kind;
	return job;
}

void tui_job_free(struct tui_job *job)
{
	if (job == NULL)
		return;
	json_decref(job->body);
	api_result_clear(&job->res);
	free(job);
}

void tui_job_describe(const struct tui_job *job, char *buf, size_t len)
{
	const char *detail = job->res.error;

	if (job->rc != 0)
		snprintf(buf, len, "store API unreachable: %s", detail);
	else if (job->res.status == 401)
		snprintf(buf, len,
			 "401: the store API wants a valid token (--token or "
			 "STORECTL_TOKEN): %s",
			 detail);
	else if (job->res.status == 403)
		snprintf(buf, len, "403 not allowed: %s", detail);
	else
		snprintf(buf, len, "%ld %s", job->res.status, detail);
}

static void run_job(struct api_client *c, struct tui_job *job)
{
	double start = clock_mono_ms();

	switch (job->kind) {
	case TUI_JOB_LIST_STORES:
		job->rc = api_stores_list(c, job->query[0] ? job->query : NULL,
					  &job->res);
		break;
	case TUI_JOB_GET_STORE:
		job->rc = api_store_get(c, job->store_id, &job->res);
		break;
	case TUI_JOB_PATCH_STORE:
		job->rc = api_store_patch(c, job->store_id, job->body,
					  job->if_version, &job->res);
		break;
	default:
		job->rc = -1;
		snprintf(job->res.error, sizeof(job->res.error),
			 "unknown job kind %d", (int)job->kind);
	}
	job->took_ms = clock_mono_ms() - start;
}

static void wake(int fd)
{
	/* A full pipe already wakes the reader; nothing else to do. */
	while (write(fd, "w", 1) < 0 && errno == EINTR)
		;
}

static void free_list(struct tui_job *job)
{
	while (job != NULL) {
		struct tui_job *next = job->next;

		tui_job_free(job);
		job = next;
	}
}

/* Frees the worker once its thread is gone or has let go. */
static void release(struct tui_worker *w)
{
	free_list(w->todo);
	free_list(w->done);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->cond);
	free(w->base_url);
	free(w->token);
	free(w);
}

static void *worker_main(void *arg)
{
	struct tui_worker *w = arg;
	struct api_client *c =
		api_client_new(w->base_url, w->token, w->timeout_ms);
	int orphaned;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		struct tui_job *job;

		while (!w->stop && w->todo == NULL)
			pthread_cond_wait(&w->cond, &w->lock);
		if (w->stop)
			break;
		job = w->todo;
		w->todo = job->next;
		if (w->todo == NULL)
			w->todo_tail = NULL;
		job->next = NULL;
		w->running++;
		pthread_mutex_unlock(&w->lock);

		if (c == NULL) {
			job->rc = -1;
			snprintf(job->res.error, sizeof(job->res.error),
				 "out of memory for the API client");
		} else {
			run_job(c, job);
		}

		pthread_mutex_lock(&w->lock);
		w->running--;
		if (w->done_tail != NULL)
			w->done_tail->next = job;
		else
			w->done = job;
		w->done_tail = job;
		wake(w->wake_fd);
	}
	api_client_free(c);
	w->exited = 1;
	pthread_cond_broadcast(&w->cond);
	orphaned = w->orphaned;
	pthread_mutex_unlock(&w->lock);
	if (orphaned)
		release(w);
	return NULL;
}

struct tui_worker *tui_worker_new(const char *base_url, const char *token,
				  long timeout_ms, int wake_fd, char *err,
				  size_t errlen)
{
	struct tui_worker *w = calloc(1, sizeof(*w));
	sigset_t all, old;
	int rc;

	if (w == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	w->base_url = strdup(base_url);
	w->token = token ? strdup(token) : NULL;
	if (w->base_url == NULL || (token != NULL && w->token == NULL)) {
		free(w->base_url);
		free(w->token);
		free(w);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	w->timeout_ms = timeout_ms;
	w->wake_fd = wake_fd;
	w->next_seq = 1;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	/* Signals (SIGINT, SIGWINCH) belong to the UI thread's poll(). */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&w->thread, NULL, worker_main, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		snprintf(err, errlen, "cannot start the API worker: %s",
			 strerror(rc));
		pthread_mutex_destroy(&w->lock);
		pthread_cond_destroy(&w->cond);
		free(w->base_url);
		free(w->token);
		free(w);
		return NULL;
	}
	return w;
}

uint64_t tui_worker_submit(struct tui_worker *w, struct tui_job *job)
{
	uint64_t seq;

	pthread_mutex_lock(&w->lock);
	seq = w->next_seq++;
	job->seq = seq;
	job->next = NULL;
	if (w->todo_tail != NULL)
		w->todo_tail->next = job;
	else
		w->todo = job;
	w->todo_tail = job;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
	return seq;
}

struct tui_job *tui_worker_take(struct tui_worker *w)
{
	struct tui_job *job;

	pthread_mutex_lock(&w->lock);
	job = w->done;
	if (job != NULL) {
		w->done = job->next;
		if (w->done == NULL)
			w->done_tail = NULL;
		job->next = NULL;
	}
	pthread_mutex_unlock(&w->lock);
	return job;
}

int tui_worker_busy(struct tui_worker *w)
{
	int busy;

	pthread_mutex_lock(&w->lock);
	busy = w->running + (w->todo != NULL);
	pthread_mutex_unlock(&w->lock);
	return busy;
}

void tui_worker_free(struct tui_worker *w, long wait_ms)
{
	struct timespec until;
	int exited;

	if (w == NULL)
		return;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += wait_ms / 1000;
	until.tv_nsec += (wait_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&w->lock);
	w->stop = 1;
	pthread_cond_broadcast(&w->cond);
	while (!w->exited &&
	       pthread_cond_timedwait(&w->cond, &w->lock, &until) == 0)
		;
	exited = w->exited;
	if (!exited)
		w->orphaned = 1;
	pthread_mutex_unlock(&w->lock);
	if (!exited) {
		/* A call is hanging: let it end on its own and free then. */
		pthread_detach(w->thread);
		return;
	}
	pthread_join(w->thread, NULL);
	release(w);
}
