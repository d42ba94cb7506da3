#ifndef STORECTL_DEMO_PRIV_H
#define STORECTL_DEMO_PRIV_H

/*
 * The runner's state and helpers, shared by cli/demo_run.c (the loop) and
 * the step implementations (cli/demo_step_store.c, cli/demo_step_wait.c).
 * Not for other modules.
 */

#include <stdarg.h>

#include "cli/demo_run.h"

#define DEMO_RESULT_MAX 1024
#define DEMO_DOWN_MAX 16

struct demo_var {
	char name[DEMO_VAR_MAX];
	int64_t id;
};

/* What the runner knows of a store it wrote to. */
struct demo_known {
	int64_t id;
	int64_t version;  /* newest version this run wrote or read */
	int window;       /* a reaction window is open (cli/demo_track.h) */
};

struct demo_runner {
	const struct demo_script *script;
	const struct demo_world *w;
	const struct demo_output *out;
	volatile sig_atomic_t *cancel;
	struct demo_track *track;
	double t0;

	struct demo_var *vars;
	size_t nvars, varcap;
	struct demo_known *known;
	size_t nknown, knowncap;
	/* Services this run stopped or killed and has not started again. */
	char down[DEMO_DOWN_MAX][32];
	size_t ndown;
	/* Faults this run injected and has not ended. */
	int api_fault;
	int broker_down;

	size_t expectations;
	char result[DEMO_RESULT_MAX];   /* the current step's result line */
};

/* Sets r->result (printf-style) and returns outcome. */
enum demo_outcome demo_rt_result(struct demo_runner *r,
				 enum demo_outcome outcome, const char *fmt,
				 ...) __attribute__((format(printf, 3, 4)));

/* Whether the run was asked to stop. */
int demo_rt_cancelled(const struct demo_runner *r);

/*
 * Waits ms while feeding reactions into the track. Returns 0, or -1 when
 * cancelled or the reaction stream broke (r->result says which).
 */
int demo_rt_sleep(struct demo_runner *r, double ms);

/* The store id of ref; -1 with r->result set when its variable is unset. */
int demo_rt_store_id(struct demo_runner *r, const struct demo_ref *ref,
		     int64_t *id);

/* text with its variables replaced (the caller frees); NULL with
 * r->result set. */
char *demo_rt_expand(struct demo_runner *r, const char *text);

/* The record of store id, made on first use; NULL when out of memory. */
struct demo_known *demo_rt_known(struct demo_runner *r, int64_t id);

/* Opens the reaction window of store id unless one is open. */
void demo_rt_open_window(struct demo_runner *r, int64_t id, int64_t since);

/* Sets variable name to id. Returns 0, or -1 when out of memory. */
int demo_rt_set_var(struct demo_runner *r, const char *name, int64_t id);

/*
 * Reads store id: *version gets its version, *deleted whether it is
 * deleted, *store (may be NULL) the body (a new reference). Returns 0, or
 * a failed outcome with r->result set (no answer, no such store).
 */
int demo_rt_read_store(struct demo_runner *r, int64_t id, int64_t *version,
		       int *deleted, json_t **store);

/* Describes an API answer that is not a success into buf. */
void demo_rt_describe(const struct api_result *res, char *buf, size_t len);

/* The steps. Each returns its outcome with r->result set. */
enum demo_outcome demo_step_edit(struct demo_runner *r,
				 const struct demo_step *st);
enum demo_outcome demo_step_create(struct demo_runner *r,
				   const struct demo_step *st);
enum demo_outcome demo_step_delete(struct demo_runner *r,
				   const struct demo_step *st);
enum demo_outcome demo_step_burst(struct demo_runner *r,
				  const struct demo_step *st);
enum demo_outcome demo_step_expect_store(struct demo_runner *r,
					 const struct demo_step *st);
enum demo_outcome demo_step_show_store(struct demo_runner *r,
				       const struct demo_step *st);
enum demo_outcome demo_step_wait_propagated(struct demo_runner *r,
					    const struct demo_step *st);
enum demo_outcome demo_step_wait_failed(struct demo_runner *r,
					const struct demo_step *st);
enum demo_outcome demo_step_search(struct demo_runner *r,
				   const struct demo_step *st);
/* cli/demo_step_ops.c */
enum demo_outcome demo_step_fault(struct demo_runner *r,
				  const struct demo_step *st);
enum demo_outcome demo_step_list(struct demo_runner *r,
				 const struct demo_step *st);
enum demo_outcome demo_step_breaker(struct demo_runner *r,
				    const struct demo_step *st);
enum demo_outcome demo_step_audit(struct demo_runner *r,
				  const struct demo_step *st);

#endif
