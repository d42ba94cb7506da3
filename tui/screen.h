#ifndef STORECTL_TUI_SCREEN_H
#define STORECTL_TUI_SCREEN_H

#include <stddef.h>
#include <stdint.h>

#include "tui/draw.h"
#include "tui/keymap.h"
#include "tui/rate.h"
#include "tui/statusbar.h"
#include "tui/stream_model.h"
#include "tui/worker.h"

/*
 * The screen interface (after tig's view_ops): a screen is a struct of
 * callbacks plus the size of its private state, which the console
 * allocates, zeroes and frees. Screens never read the keyboard, the
 * network or Kafka themselves: the console hands them keys (already looked
 * up in their keymap), finished HTTP jobs and stream updates, and asks
 * them to draw into a rectangle. Only the UI thread calls any of this.
 */

struct console;
struct screen;

/* The console's screens; one file each in screens/. */
enum console_view {
	VIEW_STORES,
	VIEW_EDITOR,
	VIEW_STREAM,
	VIEW_EVENT,    /* one event of the stream in detail */
	VIEW_SERVICES,
	VIEW_QUERY,
	VIEW_COUNT
};

/* What a key or an event did; or-ed together. */
enum {
	SCREEN_IGNORED = 0,
	SCREEN_HANDLED = 1 << 0, /* do not offer the key to the global map */
	SCREEN_REDRAW = 1 << 1,
	SCREEN_QUIT = 1 << 2,
};

struct screen_key {
	int key;               /* see tui/keymap.h */
	enum tui_action action; /* from the screen's keymap, or NONE */
};

enum console_event_kind {
	CONSOLE_EV_API,         /* job finished (any screen's: match seq) */
	CONSOLE_EV_STORE_EVENT, /* row added to the stream */
	CONSOLE_EV_REACTION,    /* row's cell[service] filled */
	CONSOLE_EV_CONTROL,     /* a console_submit_control job finished */
};

struct console_event {
	enum console_event_kind kind;
	const struct tui_job *job;     /* API, CONTROL */
	const struct stream_row *row;  /* STORE_EVENT, REACTION */
	int service;                   /* REACTION */
};

/* What happened to a prompt a screen opened (console_prompt). */
enum console_prompt_event {
	PROMPT_CHANGE, /* the text changed (live filters) */
	PROMPT_ACCEPT, /* Enter; for a confirmation, y */
	PROMPT_CANCEL, /* Esc; for a confirmation, anything but y */
};

struct screen_ops {
	const char *name;    /* "Stores": titles and help */
	const char *command; /* "stores" for ':', or NULL (not reachable) */
	size_t state_size;
	const struct tui_keymap *keymap;
	/* Optional, NULL-terminated: its other modes' keys, for the help. */
	const struct tui_keymap *const *more_keymaps;
	int edits_text;      /* its fields take tui_keymap_text's keys */
	const char *hints;   /* short key hints for the status bar */
	/* Optional: hints that depend on the state (NULL: use hints). */
	const char *(*hint)(struct screen *s);
	/* Called once after the state is allocated; 0 or -1. */
	int (*init)(struct screen *s);
	/* Optional: it became the screen on show. */
	void (*on_show)(struct screen *s);
	/* The pane's title line text (without the name). */
	void (*title)(struct screen *s, char *buf, size_t len);
	void (*draw)(struct screen *s, WINDOW *win, struct tui_rect r,
		     int focused);
	unsigned (*key)(struct screen *s, const struct screen_key *k);
	/* Optional: data arrived; returns SCREEN_REDRAW when it matters. */
	unsigned (*on_event)(struct screen *s, const struct console_event *ev);
	/* Optional: an answer to its console_prompt/console_confirm. */
	unsigned (*on_prompt)(struct screen *s, int id,
			      enum console_prompt_event ev, const char *text);
	/* Optional: called every loop turn with the monotonic time. */
	unsigned (*tick)(struct screen *s, double now_ms);
	/* Optional: release what init took (not the state itself). */
	void (*done)(struct screen *s);
};

struct screen {
	const struct screen_ops *ops;
	struct console *console;
	void *state;
};

/*
 * Services the console offers its screens.
 *
 * console_submit queues an HTTP job on the worker of job->endpoint (the
 * worker owns it) and returns its seq; the finished job comes back to
 * every screen as CONSOLE_EV_API, and the submitter matches the seq.
 * Returns 0 when the job could not be queued (no such endpoint
 * configured, or job NULL); it is freed.
 */
uint64_t console_submit(struct console *c, struct tui_job *job);

/*
 * The embedded stack's controls (tui/control.h), or NULL when the console
 * does not run on one ('storectl up').
 */
const struct console_control *console_control(const struct console *c);

/*
 * Queues a tui_job_new_run job on the control thread, which runs them one
 * at a time, in order; returns its seq. The finished job comes back to
 * every screen as CONSOLE_EV_CONTROL. Returns 0 (the job freed) when
 * there is no control or job is NULL.
 */
uint64_t console_submit_control(struct console *c, struct tui_job *job);

/* 1 when the endpoint has a URL (flag, environment, config or stack). */
int console_has_endpoint(const struct console *c, enum tui_endpoint ep);

/* Its base URL, or NULL. */
const char *console_endpoint_url(const struct console *c,
				 enum tui_endpoint ep);

/* A status-line message (printf format). */
void console_say(struct console *c, enum tui_say level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Shows view (pushed on the way back) and focuses it. */
void console_goto(struct console *c, enum console_view view);

/* Back to the screen before (Esc). */
void console_back(struct console *c);

/* The editor on store_id (0: a new store, owner prefilled when given). */
void console_open_editor(struct console *c, int64_t store_id,
			 const char *owner);

/* The event detail of the stream row with this seq. */
void console_open_event(struct console *c, uint64_t seq);

/* Filters the Stream (the filter syntax of screens/stream.c). */
void console_filter_stream(struct console *c, const char *filter);

/*
 * Opens a one-line prompt on the status line ("Pause reason: "); its
 * changes and answer come back to s's on_prompt with id. text is the
 * initial text (may be NULL). console_confirm asks a y/N question.
 */
void console_prompt(struct console *c, struct screen *s, int id,
		    const char *label, const char *text);
void console_confirm(struct console *c, struct screen *s, int id,
		     const char *question);

/* 1 when a second pane (the Stream) shares the screen now. */
int console_side_visible(const struct console *c);

/*
 * After a write: reports on the status line how every downstream service
 * reacts to (store_id, version) as the reactions arrive ("saved v8:
 * propagated to 5/5 services in 4 ms"). verb says what the write did.
 */
void console_watch_ripple(struct console *c, int64_t store_id,
			  int64_t version, const char *verb);

/*
 * The services whose reactions a change should bring: those with a URL
 * and those seen on store.reactions, in the Stream's column order.
 * Returns how many names went into names (at most max).
 */
size_t console_services(const struct console *c, const char **names,
			size_t max);

/* The live stream's rows (read-only). */
const struct stream_model *console_stream(const struct console *c);

/* The rate series of store events (the others: service columns). */
#define CONSOLE_RATE_EVENTS (TUI_RATE_SERIES - 1)

/* Reactions per second per service column of the stream model. */
const struct tui_rate *console_rates(const struct console *c);

/* During draw: put the terminal cursor here (a text field). */
void console_show_cursor(struct console *c, int y, int x);

/* The screen s is the one on show (or beside it). */
int console_is_visible(const struct console *c, const struct screen *s);

#endif
