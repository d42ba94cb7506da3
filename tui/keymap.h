#ifndef STORECTL_TUI_KEYMAP_H
#define STORECTL_TUI_KEYMAP_H

#include <stddef.h>

/*
 * Every action the console knows, declared once: the same list makes the
 * enum and the help text, so the Help overlay (and the man page's key list)
 * cannot drift from the code. Keymaps are data: a screen's map is consulted
 * first, then the global one (tui_keymap_global).
 */
#define TUI_ACTIONS(_)                                                        \
	_(NONE, "")                                                           \
	_(QUIT, "quit (where q is not typed; Ctrl-C quits anywhere)")         \
	_(HELP, "show the keys of the focused pane")                          \
	_(FOCUS, "switch focus: top pane / stream pane")                       \
	_(REDRAW, "redraw the screen")                                        \
	_(UP, "move up")                                                      \
	_(DOWN, "move down")                                                  \
	_(PAGE_UP, "page up")                                                 \
	_(PAGE_DOWN, "page down")                                             \
	_(FIRST, "go to the first row")                                       \
	_(LAST, "go to the last row")                                         \
	_(FOLLOW_END, "go to the newest event and follow")                    \
	_(OPEN, "edit the selected store")                                    \
	_(REFRESH, "reload the list from the store API")                      \
	_(NEXT_FIELD, "next field")                                           \
	_(PREV_FIELD, "previous field")                                       \
	_(SAVE, "save (PATCH, If-Match: the loaded version)")                 \
	_(BACK, "back to the list (twice with unsaved edits)")                \
	_(RELOAD, "reload the store from the API (drops edits)")              \
	_(LEFT, "cursor left one character")                                  \
	_(RIGHT, "cursor right one character")                                \
	_(HOME, "cursor to the start of the field")                           \
	_(END, "cursor to the end of the field")                              \
	_(BACKSPACE, "delete the character before the cursor")                \
	_(DELETE, "delete the character under the cursor")                    \
	_(KILL_BEFORE, "delete to the start of the field")                    \
	_(KILL_AFTER, "delete to the end of the field")                       \
	_(FOLLOW, "pause / follow new events")

#define TUI_ACTION_ENUM(id, help) TUI_A_##id,
enum tui_action { TUI_ACTIONS(TUI_ACTION_ENUM) TUI_A_COUNT };
#undef TUI_ACTION_ENUM

/*
 * Keys are one int: a character is its Unicode code point, a curses
 * function key (KEY_UP, KEY_F(2), KEY_RESIZE...) is TUI_KEY_FN(code), so
 * the two ranges never collide.
 */
#define TUI_KEY_FN(code) (0x40000000 | (code))
#define TUI_KEY_IS_FN(key) (((key) & 0x40000000) != 0)
#define TUI_KEY_CTRL(c) ((c) & 0x1f)
#define TUI_KEY_ESC 27

struct tui_keybind {
	int key;
	enum tui_action action;
};

struct tui_keymap {
	const char *name; /* "Stores"; a heading in the help */
	const struct tui_keybind *binds;
	size_t n;
};

#define TUI_KEYMAP(title, array) \
	{ title, array, sizeof(array) / sizeof((array)[0]) }

/* Keys every pane shares; looked up after the focused pane's map. */
extern const struct tui_keymap tui_keymap_global;

/* The action bound to key in map, or TUI_A_NONE. map may be NULL. */
enum tui_action tui_keymap_lookup(const struct tui_keymap *map, int key);

/* One line of help: "action" text, e.g. "move down". */
const char *tui_action_help(enum tui_action action);

/* "j", "Up", "Ctrl-S", "F2", "Shift-Tab", "Enter" ... into buf. */
void tui_key_name(int key, char *buf, size_t len);

struct tui_help_line {
	char keys[40];    /* "j Down" */
	const char *help; /* from tui_action_help */
};

/*
 * Fills out with one line per action of map, in the map's order, all the
 * keys of an action joined by spaces. Returns the number of lines (at most
 * max).
 */
size_t tui_keymap_help(const struct tui_keymap *map, struct tui_help_line *out,
		       size_t max);

#endif
