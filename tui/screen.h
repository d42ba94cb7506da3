#ifndef STORECTL_TUI_SCREEN_H
#define STORECTL_TUI_SCREEN_H

#include <stddef.h>
#include <stdint.h>

#include "tui/draw.h"
#include "tui/keymap.h"
#include "tui/statusbar.h"
#include "tui/stream_model.h"
#include "tui/worker.h"

/*
 * The screen interface (after tig's view_ops): a screen is a struct of
 * callbacks plus the size of its private state, which the console
 * allocates, zeroes and frees. Screens never read the keyboard, the
 * network or Kafka themselves: the console hands them keys (already looked
 * up in their keymap), finished API jobs and stream updates, and asks them
 * to draw into a rectangle. Only the UI thread calls any of this.
 */

struct console;
struct screen;

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
};

struct console_event {
	enum console_event_kind kind;
	const struct tui_job *job;     /* API */
	const struct stream_row *row;  /* STORE_EVENT, REACTION */
	int service;                   /* REACTION */
};

struct screen_ops {
	const char *name;
	size_t state_size;
	const struct tui_keymap *keymap;
	const char *hints; /* short key hints for the status bar */
	/* Called once after the state is allocated; 0 or -1. */
	int (*init)(struct screen *s);
	/* The pane's title line text (without the name). */
	void (*title)(struct screen *s, char *buf, size_t len);
	void (*draw)(struct screen *s, WINDOW *win, struct tui_rect r,
		     int focused);
	unsigned (*key)(struct screen *s, const struct screen_key *k);
	/* Optional: data arrived; returns SCREEN_REDRAW when it matters. */
	unsigned (*on_event)(struct screen *s, const struct console_event *ev);
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
 * console_submit queues an API job (the worker owns it) and returns its
 * seq; the finished job comes back to every screen as CONSOLE_EV_API, and
 * the submitter matches the seq. Returns 0 when the job could not be
 * queued (it is freed).
 */
uint64_t console_submit(struct console *c, struct tui_job *job);

/* A status-line message (printf format). */
void console_say(struct console *c, enum tui_say level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Shows the editor for store_id in the top pane and focuses it. */
void console_open_editor(struct console *c, int64_t store_id);

/* Shows the store list in the top pane and focuses it. */
void console_show_stores(struct console *c);

/*
 * After a save: reports on the status line how each service reacted to
 * (store_id, version) as the reactions arrive ("saved v8; search applied
 * in 4 ms").
 */
void console_watch_ripple(struct console *c, int64_t store_id,
			  int64_t version);

/* The live stream's rows (read-only). */
const struct stream_model *console_stream(const struct console *c);

/* During draw: put the terminal cursor here (a text field). */
void console_show_cursor(struct console *c, int y, int x);

#endif
