#include "tui/worker.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/clock.h"

static const char *const endpoint_names[TUI_EP_COUNT] = {
	[TUI_EP_STORE] = "store",	  [TUI_EP_SEARCH] = "search",
	[TUI_EP_ADS] = "ads",		  [TUI_EP_FAVORITES] = "favorites",
	[TUI_EP_REVIEWS] = "reviews", [TUI_EP_DISPLAY] = "display",
};

const char *tui_endpoint_name(enum tui_endpoint ep)
{
	return ep >= 0 && ep < TUI_EP_COUNT ? endpoint_names[ep] : "?";
}

int tui_endpoint_by_name(const char *name)
{
	for (int i = 0; i < TUI_EP_COUNT; i++)
		if (strcmp(endpoint_names[i], name) == 0)
			return i;
	return -1;
}

struct tui_worker {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct tui_job *queue, *queue_tail; /* FIFO */
	struct tui_job *done, *done_tail; /* FIFO */
	int running;  /* jobs taken but not finished */
	int stop;
	int cancelled;
	int exited;   /* the thread is about to return */
	int orphaned; /* nobody waits for it: it frees everything itself */
	int wake_fd;
	char *base_url;
	char *token;
	long timeout_ms;
	struct api_client *client; /* the thread's; NULL once it is gone */
};

struct tui_job *tui_job_new(enum tui_endpoint ep, const char *method,
			    const char *fmt, ...)
{
	struct tui_job *job = calloc(1, sizeof(*job));
	va_list ap;
	int n;

	if (job == NULL)
		return NULL;
	job->endpoint = ep;
	snprintf(job->method, sizeof(job->method), "%s", method);
	va_start(ap, fmt);
	n = vsnprintf(job->path, sizeof(job->path), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(job->path)) {
		free(job);
		return NULL;
	}
	return job;
}

struct tui_job *tui_job_new_run(void (*run)(struct tui_job *job), void *ctx,
				void *data)
{
	struct tui_job *job = calloc(1, sizeof(*job));

	if (job == NULL) {
		free(data);
		return NULL;
	}
	job->endpoint = TUI_EP_COUNT;
	job->run = run;
	job->ctx = ctx;
	job->data = data;
	return job;
}

void tui_job_free(struct tui_job *job)
{
	if (job == NULL)
		return;
	free(job->data);
	json_decref(job->body);
	api_result_clear(&job->res);
	free(job);
}

void tui_job_describe(const struct tui_job *job, char *buf, size_t len)
{
	const char *detail = job->res.error;
	const char *who = tui_endpoint_name(job->endpoint);

	if (job->rc != 0)
		snprintf(buf, len, "%s API unreachable: %s", who, detail);
	else if (job->res.status == 401)
		snprintf(buf, len,
			 "401: the %s API wants a valid token (--token, "
			 "STORECTL_TOKEN or token in the config file): %s",
			 who, detail);
	else if (job->res.status == 403)
		snprintf(buf, len, "403: your token's role may not do this: %s",
			 detail);
	else
		snprintf(buf, len, "%ld %s", job->res.status, detail);
}

int tui_url_escape(const char *s, char *out, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;

	if (len == 0)
		return -1;
	for (; *s != '\0'; s++) {
		unsigned char ch = (unsigned char)*s;

		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' ||
		    ch == '.' || ch == '~') {
			if (o + 1 >= len)
				goto full;
			out[o++] = (char)ch;
		} else {
			if (o + 3 >= len)
				goto full;
			out[o++] = '%';
			out[o++] = hex[ch >> 4];
			out[o++] = hex[ch & 15];
		}
	}
	out[o] = '\0';
	return 0;
full:
	out[o] = '\0';
	return -1;
}

static void run_job(struct api_client *c, struct tui_job *job)
{
	double start = clock_mono_ms();

	if (job->run != NULL) {
		job->run(job);
		job->took_ms = clock_mono_ms() - start;
		return;
	}
	if (c == NULL) {
		job->rc = -1;
		snprintf(job->res.error, sizeof(job->res.error),
			 "no API client");
		return;
	}
	job->rc = api_request(c, job->method, job->path, job->body,
			      job->if_version, &job->res);
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
	free_list(w->queue);
	free_list(w->done);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->cond);
	free(w->base_url);
	if (w->token != NULL) {
		memset(w->token, 0, strlen(w->token));
		free(w->token);
	}
	free(w);
}

static void *worker_main(void *arg)
{
	struct tui_worker *w = arg;
	struct api_client *c =
		w->base_url != NULL
			? api_client_new(w->base_url, w->token, w->timeout_ms)
			: NULL;
	int orphaned;

	pthread_mutex_lock(&w->lock);
	w->client = c;
	if (c != NULL && w->cancelled)
		api_client_cancel(c);
	for (;;) {
		struct tui_job *job;

		while (!w->stop && w->queue == NULL)
			pthread_cond_wait(&w->cond, &w->lock);
		if (w->stop)
			break;
		job = w->queue;
		w->queue = job->next;
		if (w->queue == NULL)
			w->queue_tail = NULL;
		job->next = NULL;
		w->running++;
		pthread_mutex_unlock(&w->lock);

		if (c == NULL && w->base_url != NULL && job->run == NULL) {
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
	w->client = NULL;
	pthread_mutex_unlock(&w->lock);
	api_client_free(c);
	pthread_mutex_lock(&w->lock);
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
	w->base_url = base_url ? strdup(base_url) : NULL;
	w->token = token ? strdup(token) : NULL;
	if ((base_url != NULL && w->base_url == NULL) ||
	    (token != NULL && w->token == NULL)) {
		free(w->base_url);
		free(w->token);
		free(w);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	w->timeout_ms = timeout_ms;
	w->wake_fd = wake_fd;
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

/*
 * One numbering for every worker, so a screen matching its job by seq
 * never takes another endpoint's answer for its own. Only the UI thread
 * submits.
 */
static uint64_t next_job_seq = 1;

uint64_t tui_worker_submit(struct tui_worker *w, struct tui_job *job)
{
	uint64_t seq;

	pthread_mutex_lock(&w->lock);
	seq = next_job_seq++;
	job->seq = seq;
	job->next = NULL;
	if (w->queue_tail != NULL)
		w->queue_tail->next = job;
	else
		w->queue = job;
	w->queue_tail = job;
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
	busy = w->running + (w->queue != NULL);
	pthread_mutex_unlock(&w->lock);
	return busy;
}

void tui_worker_cancel(struct tui_worker *w)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->lock);
	w->cancelled = 1;
	/* The client lives while the thread holds it, under this lock. */
	if (w->client != NULL)
		api_client_cancel(w->client);
	pthread_mutex_unlock(&w->lock);
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
