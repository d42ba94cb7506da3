#include "cli/demo_console.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tui/caption.h"

/*
 * How long a caption stays before the next step, so people can read it;
 * STORECTL_DEMO_CAPTION_MS changes it (tests, a presenter who talks).
 */
#define DEMO_CONSOLE_HOLD_MS 2500
#define DEMO_CONSOLE_HOLD_MAX_MS 60000

struct demo_console {
	struct tui_caption *cap;
	volatile sig_atomic_t *cancel; /* a signal: give up waiting, too */
	volatile sig_atomic_t stop;    /* the console closed: stop the run */
	volatile sig_atomic_t finished;
	double hold_ms;
	const char *name;
	size_t steps, step;
	/* The thread's: */
	const struct demo_script *script;
	const struct demo_world *w;
	struct demo_output out;
	struct demo_summary *sum;
	char failed[1024]; /* the failed step's result, for the end */
};

static void dc_title(struct demo_console *d, const char *state)
{
	tui_caption_set(d->cap, TUI_CAPTION_TITLE, TUI_SAY_INFO,
			" Demo: %s - %s", d->name, state);
}

static void dc_begin(void *ctx, const struct demo_script *script,
		     const char *where)
{
	struct demo_console *d = ctx;

	d->name = script->name;
	d->steps = script->n;
	dc_title(d, "starting");
	tui_caption_set(d->cap, TUI_CAPTION_TEXT, TUI_SAY_INFO,
			"%zu steps on %s", script->n, where);
	tui_caption_set(d->cap, TUI_CAPTION_STEP, TUI_SAY_INFO,
			"q stops the demo and quits");
}

static void dc_step_begin(void *ctx, const struct demo_step *st,
			  const char *text, double at_ms)
{
	struct demo_console *d = ctx;
	char state[64];

	d->step++;
	snprintf(state, sizeof(state), "step %zu of %zu", d->step, d->steps);
	dc_title(d, state);
	if (st->kind == DEMO_CAPTION)
		return;
	tui_caption_set(d->cap, TUI_CAPTION_STEP, TUI_SAY_INFO,
			"%5.1f s  L%d  %s  ...", at_ms / 1000, st->line, text);
}

static void dc_step_end(void *ctx, const struct demo_step *st,
			const char *text, double at_ms, double took_ms,
			enum demo_outcome outcome, const char *result)
{
	struct demo_console *d = ctx;

	if (st->kind == DEMO_CAPTION && outcome == DEMO_OK) {
		tui_caption_set(d->cap, TUI_CAPTION_TEXT, TUI_SAY_INFO, "%s",
				text);
		return;
	}
	if (outcome != DEMO_OK)
		snprintf(d->failed, sizeof(d->failed), "%s", result);
	tui_caption_set(d->cap, TUI_CAPTION_STEP,
			outcome == DEMO_OK ? TUI_SAY_GOOD : TUI_SAY_ERROR,
			"%5.1f s  L%d  %s  =>  %s in %.0f ms%s%s", at_ms / 1000,
			st->line, text,
			outcome == DEMO_OK ? "ok" :
			outcome == DEMO_CANCELLED ? "INTERRUPTED" : "FAILED",
			took_ms, result[0] ? ": " : "", result);
}

static void dc_note(void *ctx, double at_ms, const char *text)
{
	struct demo_console *d = ctx;

	tui_caption_set(d->cap, TUI_CAPTION_STEP, TUI_SAY_WARN, "%5.1f s  %s",
			at_ms / 1000, text);
}

static void dc_end(void *ctx, const struct demo_summary *sum)
{
	struct demo_console *d = ctx;

	switch (sum->outcome) {
	case DEMO_OK:
		dc_title(d, "done");
		tui_caption_set(d->cap, TUI_CAPTION_TEXT, TUI_SAY_GOOD,
				"Demo ok: %zu steps, %zu expectation%s held, in %.1f s",
				sum->run, sum->expectations,
				sum->expectations == 1 ? "" : "s",
				sum->elapsed_ms / 1000);
		break;
	case DEMO_CANCELLED:
		dc_title(d, "interrupted");
		tui_caption_set(d->cap, TUI_CAPTION_TEXT, TUI_SAY_WARN,
				"Demo interrupted at line %d after %.1f s",
				sum->failed_line, sum->elapsed_ms / 1000);
		break;
	default:
		/* The box is small: why it failed goes first, whole; the
		 * step itself is on line failed_line of the script (and in
		 * the summary on stderr after q). */
		dc_title(d, "FAILED");
		tui_caption_set(d->cap, TUI_CAPTION_TEXT, TUI_SAY_ERROR,
				"Demo FAILED at line %d (%zu of %zu steps ran); look around, q quits",
				sum->failed_line, sum->run, sum->steps);
		tui_caption_set(d->cap, TUI_CAPTION_STEP, TUI_SAY_ERROR,
				"L%d: %s", sum->failed_line,
				d->failed[0] ? d->failed : sum->reason);
		return;
	}
	tui_caption_set(d->cap, TUI_CAPTION_STEP, TUI_SAY_INFO,
			"the demo is over: look around, q quits");
}

/* On the runner's thread: waits, a little at a time, so q is quick. */
static void dc_caption_hold(void *ctx, const char *text)
{
	struct demo_console *d = ctx;
	const struct timespec slice = { 0, 50 * 1000000L };
	double left = d->hold_ms;

	(void)text;
	while (left > 0 && !d->stop && !*d->cancel) {
		nanosleep(&slice, NULL);
		left -= 50;
	}
}

static void *dc_thread(void *arg)
{
	struct demo_console *d = arg;

	demo_run(d->script, d->w, &d->out, &d->stop, d->sum);
	d->finished = 1;
	return NULL;
}

static double hold_ms(void)
{
	const char *env = getenv("STORECTL_DEMO_CAPTION_MS");
	char *end;
	long v;

	if (env == NULL || *env == '\0')
		return DEMO_CONSOLE_HOLD_MS;
	v = strtol(env, &end, 10);
	if (*end != '\0' || v < 0 || v > DEMO_CONSOLE_HOLD_MAX_MS)
		return DEMO_CONSOLE_HOLD_MS;
	return (double)v;
}

int demo_console_play(const struct demo_script *script,
		      const struct demo_world *w, struct console_config *cfg,
		      volatile sig_atomic_t *cancel, struct demo_summary *sum)
{
	struct demo_console d;
	pthread_t thread;
	sigset_t all, old;
	int rc;

	memset(&d, 0, sizeof(d));
	memset(sum, 0, sizeof(*sum));
	d.cap = tui_caption_new();
	if (d.cap == NULL) {
		fprintf(stderr, "storectl: demo: out of memory\n");
		return 1;
	}
	d.cancel = cancel;
	d.hold_ms = hold_ms();
	d.name = script->name;
	d.steps = script->n;
	d.script = script;
	d.w = w;
	d.sum = sum;
	d.out.ctx = &d;
	d.out.begin = dc_begin;
	d.out.step_begin = dc_step_begin;
	d.out.step_end = dc_step_end;
	d.out.note = dc_note;
	d.out.end = dc_end;
	d.out.caption_hold = dc_caption_hold;
	dc_title(&d, "opening the console");
	cfg->caption = d.cap;
	/* The reactions are the show; a terminal of 160 columns or 40
	 * lines has Stores beside them anyway after one Esc. */
	cfg->start_screen = "stream";
	/* Signals belong to the console's loop, not to the runner. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&thread, NULL, dc_thread, &d);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		fprintf(stderr, "storectl: demo: cannot start the runner: %s\n",
			strerror(rc));
		tui_caption_free(d.cap);
		cfg->caption = NULL;
		return 1;
	}
	rc = console_run(cfg);
	/*
	 * Closing the console interrupts the run between steps; it then
	 * starts again what it stopped, waiting for it, unless a signal
	 * says not to wait.
	 */
	d.stop = 1;
	if (!d.finished)
		fprintf(stderr, "storectl: demo: stopping: the step in progress ends, then what the demo stopped starts again (Ctrl-C: do not wait)\n");
	pthread_join(thread, NULL);
	cfg->caption = NULL;
	tui_caption_free(d.cap);
	return rc;
}
