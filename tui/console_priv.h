#ifndef STORECTL_TUI_CONSOLE_PRIV_H
#define STORECTL_TUI_CONSOLE_PRIV_H

/*
 * The console's insides, shared by tui/console.c (life cycle, the loop,
 * data arriving), tui/console_draw.c (layout and drawing) and
 * tui/console_keys.c (keys, the prompt, ':' commands, navigation).
 */

#include "tui/console.h"
#include "tui/rate.h"
#include "tui/ripple.h"
#include "tui/screen.h"
#include "tui/tail.h"
#include "tui/textfield.h"

#define CONSOLE_MIN_COLS 80
#define CONSOLE_MIN_LINES 24
#define CONSOLE_HISTORY_MAX 16

enum api_health { API_UNKNOWN, API_OK, API_DOWN };

/* Prompt ids of the console's own (screens use theirs, >= 0). */
enum { PROMPT_ID_COMMAND = -1 };

struct console_prompt {
	int active;
	int confirm;         /* y/N question */
	struct screen *owner; /* NULL: the console's own (':') */
	int id;
	char label[160];
	struct tui_field field;
};

struct console {
	const struct console_config *cfg;
	const char *url[TUI_EP_COUNT];
	struct tui_worker *worker[TUI_EP_COUNT];
	struct tui_worker *control; /* the embedded stack's controls, or NULL */
	struct tui_tail *tail;
	struct stream_model *model;
	struct tui_rate rate;
	struct screen screens[VIEW_COUNT];
	enum console_view history[CONSOLE_HISTORY_MAX];
	int depth;           /* history[depth - 1] is on show */
	int split;           /* -1 hidden, 0 by size, 1 shown */
	int focus_side;      /* the Stream beside has the keys */
	struct tui_status status;
	struct console_prompt prompt;
	int dirty, urgent, full_redraw, quit;
	double last_draw;
	int help_open, help_all, help_scroll;
	int help_scrolls; /* the help does not all fit: j/k scroll it */
	int cursor_on, cursor_y, cursor_x;
	enum api_health api;
	enum tui_tail_state tail_state;
	char tail_why[256];
	long last_second;
	struct tui_ripple ripple;
	double ripple_said;  /* when the ripple line was last rebuilt */
	unsigned caption_seen; /* the caption's generation on screen */
};

/* The screen on show, and the one beside it (or NULL). */
struct screen *console_main(struct console *c);
struct screen *console_side(struct console *c);
struct screen *console_focused(struct console *c);

/* console_draw.c */
int console_too_small(void);
void console_draw(struct console *c);

/* console_keys.c */
void console_handle_key(struct console *c, int key);

/* console.c: rebuilds the ripple line now. */
void console_ripple_update(struct console *c, const struct stream_row *row);

#endif
