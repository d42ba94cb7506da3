#include "cli/demo_output.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* How long a caption stays alone on a terminal before the next step. */
#define DEMO_CAPTION_HOLD_MS 1500

static void tr_begin(void *ctx, const struct demo_script *script,
		     const char *where)
{
	struct demo_transcript *t = ctx;

	fprintf(t->f, "demo: playing %s (%zu steps) on %s\n", script->name,
		script->n, where);
	fflush(t->f);
}

static void tr_step_begin(void *ctx, const struct demo_step *st,
			  const char *text, double at_ms)
{
	struct demo_transcript *t = ctx;

	if (!t->live || st->kind == DEMO_CAPTION)
		return;
	fprintf(t->f, "%7.0f ms  L%-3d %s  ...", at_ms, st->line, text);
	fflush(t->f);
}

static void tr_step_end(void *ctx, const struct demo_step *st,
			const char *text, double at_ms, double took_ms,
			enum demo_outcome outcome, const char *result)
{
	struct demo_transcript *t = ctx;
	const char *how = outcome == DEMO_OK ? "ok" :
			  outcome == DEMO_CANCELLED ? "INTERRUPTED" : "FAILED";

	if (t->live && st->kind != DEMO_CAPTION)
		fputs("\r\033[K", t->f);
	if (st->kind == DEMO_CAPTION && outcome == DEMO_OK) {
		fprintf(t->f, "%7.0f ms  L%-3d %scaption: %s%s\n", at_ms, st->line,
			t->bold ? "\033[1m" : "", text, t->bold ? "\033[0m" : "");
	} else {
		fprintf(t->f, "%7.0f ms  L%-3d %s  =>  %s in %.0f ms%s%s\n", at_ms,
			st->line, text, how, took_ms, result[0] ? ": " : "",
			result);
	}
	fflush(t->f);
}

static void tr_note(void *ctx, double at_ms, const char *text)
{
	struct demo_transcript *t = ctx;

	fprintf(t->f, "%7.0f ms  %s\n", at_ms, text);
	fflush(t->f);
}

static void tr_end(void *ctx, const struct demo_summary *sum)
{
	struct demo_transcript *t = ctx;

	switch (sum->outcome) {
	case DEMO_OK:
		fprintf(t->f, "demo: ok: %zu steps, %zu expectation%s held, in %.1f s\n",
			sum->run, sum->expectations,
			sum->expectations == 1 ? "" : "s",
			sum->elapsed_ms / 1000);
		break;
	case DEMO_CANCELLED:
		fprintf(t->f, "demo: interrupted at line %d after %.1f s\n",
			sum->failed_line, sum->elapsed_ms / 1000);
		break;
	default:
		fprintf(t->f, "demo: FAILED at line %d (%zu of %zu steps ran, %.1f s): %s\n",
			sum->failed_line, sum->run, sum->steps,
			sum->elapsed_ms / 1000, sum->reason);
		break;
	}
	fflush(t->f);
}

static void tr_caption_hold(void *ctx, const char *text)
{
	struct demo_transcript *t = ctx;
	struct timespec ts;

	(void)text;
	if (!t->live || t->caption_hold_ms <= 0)
		return;
	ts.tv_sec = (time_t)(t->caption_hold_ms / 1000);
	ts.tv_nsec = (long)((t->caption_hold_ms - (double)ts.tv_sec * 1000) *
			    1000000);
	nanosleep(&ts, NULL);
}

void demo_output_transcript(struct demo_output *out, struct demo_transcript *t,
			    FILE *f, int live)
{
	const char *no_color = getenv("NO_COLOR");
	const char *term = getenv("TERM");

	memset(t, 0, sizeof(*t));
	t->f = f;
	t->live = live;
	t->bold = live && (no_color == NULL || no_color[0] == '\0') &&
		  term != NULL && strcmp(term, "dumb") != 0;
	t->caption_hold_ms = live ? DEMO_CAPTION_HOLD_MS : 0;
	memset(out, 0, sizeof(*out));
	out->ctx = t;
	out->begin = tr_begin;
	out->step_begin = tr_step_begin;
	out->step_end = tr_step_end;
	out->note = tr_note;
	out->end = tr_end;
	out->caption_hold = tr_caption_hold;
}
