#ifndef STORECTL_DEMO_RUN_H
#define STORECTL_DEMO_RUN_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "api/client.h"
#include "cli/audit.h"
#include "cli/demo.h"
#include "cli/demo_track.h"
#include "cli/stackctl.h"

/*
 * The demo runner plays a parsed script step by step against a world (the
 * stack: store API, search, the services' processes, store.reactions) and
 * reports to an output (a transcript with --headless, captions in the
 * console otherwise). Both are ports: structs of function pointers that the
 * runner calls from its own thread only, so an adapter that needs another
 * thread (the console) posts what it gets to that thread itself.
 *
 * The runner stops at the first step that fails (an expectation that does
 * not hold, a wait that times out, a write the API refuses). It then starts
 * again every service the script stopped or killed that is still down,
 * clears the store API faults it injected and brings the broker up if it
 * took it down, so a failed demo does not leave the stack broken.
 */

/* What the runner needs from the stack. Every call may block briefly. */
struct demo_world {
	void *ctx;
	/* The store API, with api/client.h's contract (0: an answer came,
	 * whatever its status; -1: none, res->error says why). */
	int (*store_get)(void *ctx, int64_t id, struct api_result *res);
	int (*store_create)(void *ctx, const json_t *doc,
			    struct api_result *res);
	int (*store_patch)(void *ctx, int64_t id, const json_t *patch,
			   int64_t if_version, struct api_result *res);
	int (*store_delete)(void *ctx, int64_t id, int64_t if_version,
			    struct api_result *res);
	/* GET /search?q=QUERY&limit=100 of search-svc; NULL when the world
	 * knows no search service. */
	int (*search)(void *ctx, const char *query, struct api_result *res);
	/*
	 * The downstream services that run now (their reaction names), at
	 * most max of them, into names. Returns how many, or -1 with err.
	 */
	int (*running)(void *ctx, char (*names)[32], size_t max, char *err,
		       size_t errlen);
	/* Whether the world has a service called name at all. */
	int (*has_service)(void *ctx, const char *name);
	/*
	 * Stops, starts or kills a service (cli/stackctl.h's contract); NULL
	 * when the stack cannot be controlled (remote endpoints).
	 */
	int (*control)(void *ctx, enum stackctl_op op, const char *name,
		       char *msg, size_t msglen, char *err, size_t errlen);
	/*
	 * Feeds the reactions that arrived into track, waiting at most
	 * wait_ms for the first. Returns 0, or -1 with err when the reaction
	 * stream is broken.
	 */
	int (*poll)(void *ctx, struct demo_track *track, int wait_ms,
		    char *err, size_t errlen);
	/* GET /shops?QUERY of display-svc (the values of QUERY are
	 * percent-encoded on the way); NULL without a display service. */
	int (*list)(void *ctx, const char *query, struct api_result *res);
	/* GET /health of the service called name; NULL when the world does
	 * not know the services' addresses. */
	int (*health)(void *ctx, const char *name, struct api_result *res);
	/* Audits every downstream service (cli/audit.h) into out; NULL when
	 * the world cannot. 0, or -1 with err. */
	int (*audit)(void *ctx, struct audit_report *out, char *err,
		     size_t errlen);
	/* Injects the fault of a 'fault api' or 'fault broker' step
	 * (cli/faults.h); NULL when the world cannot. msg gets one line. */
	int (*fault)(void *ctx, const struct demo_step *st, char *msg,
		     size_t msglen, char *err, size_t errlen);
	/* Where the world is, for the transcript's first line. */
	const char *where;
};

/* How a step ended. */
enum demo_outcome {
	DEMO_OK,
	DEMO_FAILED,    /* an expectation, a wait or a write failed */
	DEMO_CANCELLED, /* interrupted */
};

struct demo_summary {
	const char *script;     /* the script's name */
	size_t steps;           /* in the script */
	size_t run;             /* steps that ran */
	size_t expectations;    /* expect steps that held */
	double elapsed_ms;
	enum demo_outcome outcome;
	int failed_line;        /* when failed: its line */
	char reason[1600];      /* when failed: the step and why */
};

/* Where the runner reports. Callbacks may be NULL. */
struct demo_output {
	void *ctx;
	/* The run starts: the script and where it plays. */
	void (*begin)(void *ctx, const struct demo_script *script,
		      const char *where);
	/* A step starts, at at_ms since the start; text is the step as
	 * written, with its variables replaced. */
	void (*step_begin)(void *ctx, const struct demo_step *st,
			   const char *text, double at_ms);
	/* The step ended after took_ms; result is one line. */
	void (*step_end)(void *ctx, const struct demo_step *st,
			 const char *text, double at_ms, double took_ms,
			 enum demo_outcome outcome, const char *result);
	/* Something the runner did outside the steps (clean-up). */
	void (*note)(void *ctx, double at_ms, const char *text);
	/* The run ended. */
	void (*end)(void *ctx, const struct demo_summary *sum);
	/* Holds a caption on screen; the console lets people read it. */
	void (*caption_hold)(void *ctx, const char *text);
};

/*
 * Checks, before anything runs, that the world can do what the script
 * asks (control of services, a search service, the services it names).
 * Returns 0, or -1 with every problem, one per line, in err as
 * "NAME:LINE: problem".
 */
int demo_check(const struct demo_script *script, const struct demo_world *w,
	       char *err, size_t errlen);

/*
 * Plays script. *cancel (may be NULL) stops it between and within steps.
 * Fills sum and returns its outcome.
 */
enum demo_outcome demo_run(const struct demo_script *script,
			   const struct demo_world *w,
			   const struct demo_output *out,
			   volatile sig_atomic_t *cancel,
			   struct demo_summary *sum);

#endif
