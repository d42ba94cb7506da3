#ifndef STORECTL_TUI_KEYMAP_H
#define STORECTL_TUI_KEYMAP_H

#include <stddef.h>

#include <ncurses.h>

/*
 * Every action the console knows, declared once: the same list makes the
 * enum and the help text, so the Help overlay (and the man page's key list)
 * cannot drift from the code. Keymaps are data: a screen's map is consulted
 * first, then the global one (tui_keymap_global).
 */
#define TUI_ACTIONS(_)                                                        \
	_(NONE, "")                                                           \
	_(QUIT, "quit (Ctrl-C quits from anywhere, even while typing)")       \
	_(HELP, "show the keys of the focused pane")                          \
	_(COMMAND, "jump to a screen by name (:stores, :editor 42, :query...)") \
	_(NEXT_PANE, "next pane (or section)")                                \
	_(PREV_PANE, "previous pane (or section)")                            \
	_(SPLIT, "show or hide the Stream beside Stores and the Editor")      \
	_(REDRAW, "redraw the screen")                                        \
	_(BACK, "back to the previous screen")                                \
	_(UP, "move up")                                                      \
	_(DOWN, "move down")                                                  \
	_(PAGE_UP, "page up")                                                 \
	_(PAGE_DOWN, "page down")                                             \
	_(FIRST, "go to the first row")                                       \
	_(LAST, "go to the last row")                                         \
	_(FOLLOW_END, "go to the newest event and follow")                    \
	_(FOLLOW, "pause / follow new events")                                \
	_(FILTER, "filter the rows (live while typing; Esc restores)")       \
	_(SORT, "sort by the next column")                                    \
	_(SORT_REVERSE, "reverse the sort order")                             \
	_(REFRESH, "ask again now (the list; /health of every service)")     \
	_(EDIT_STORE, "edit the selected store")                              \
	_(NEW_STORE, "new store (a blank form)")                              \
	_(DELETE_STORE, "delete the selected store (asks first)")             \
	_(OPEN_STORE, "set the store open")                                   \
	_(CLOSE_STORE, "set the store closed")                                \
	_(PAUSE_STORE, "pause the store (asks for the reason)")               \
	_(SHOW_EVENT, "show the event: raw JSON, partition, offset, reactions") \
	_(TOGGLE_DETAIL, "show or hide the per-partition lag of the service") \
	_(SVC_STOP, "stop the selected service (embedded stack)")            \
	_(SVC_START, "start the selected service again")                      \
	_(SVC_KILL, "kill the selected service with SIGKILL (asks first)")    \
	_(API_FAULT, "store-API faults: latency ms and error % of reads")     \
	_(API_CLEAR, "clear the store-API faults")                            \
	_(BROKER_ERRORS, "fail the next Kafka requests: API CODE [COUNT]")    \
	_(BROKER_DOWN, "take every broker down, or bring them up again")      \
	_(RUN_QUERY, "run the list query (GET /shops)")                       \
	_(SHOW_PAGE, "open the store page (GET /shops/{id})")                 \
	_(EDIT_QUERY, "back to the query's fields")                          \
	_(NEXT_FIELD, "next field")                                           \
	_(PREV_FIELD, "previous field")                                       \
	_(SAVE, "save (If-Match: the loaded version)")                        \
	_(LEAVE, "leave the editor (twice with unsaved edits)")               \
	_(RELOAD, "reload the store from the API (drops edits)")              \
	_(ITEM_ADD, "add a menu item")                                        \
	_(ITEM_EDIT, "edit the selected menu item")                           \
	_(ITEM_REMOVE, "remove the menu item (again: keep it)")               \
	_(ITEM_SOLD_OUT, "mark the item sold out / available")                \
	_(ITEM_MOVE_UP, "move the item up the menu")                          \
	_(ITEM_MOVE_DOWN, "move the item down the menu")                      \
	_(COPY_DAY, "copy this day's hours to every day")                     \
	_(TAKE_THEIRS, "conflict: load their version (drops your edits)")     \
	_(KEEP_MINE, "conflict: keep your edits on top of their version")     \
	_(DISMISS, "conflict: back to the form, edits kept (not saved)")      \
	_(CHOICE_NEXT, "next value of a choice (category, status)")           \
	_(CHOICE_PREV, "previous value of a choice")                          \
	_(LEFT, "cursor left one character")                                  \
	_(RIGHT, "cursor right one character")                                \
	_(HOME, "cursor to the start of the field")                           \
	_(END, "cursor to the end of the field")                              \
	_(BACKSPACE, "delete the character before the cursor")                \
	_(DELETE, "delete the character under the cursor")                    \
	_(KILL_BEFORE, "delete to the start of the field")                    \
	_(KILL_AFTER, "delete to the end of the field")

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

/* Editing keys of every text field (forms, prompts); see tui/form.h. */
extern const struct tui_keymap tui_keymap_text;

/* Moving in a list: j k Up Down PgUp PgDn g G Home End. */
#define TUI_BINDS_MOVE                                                       \
	{ 'j', TUI_A_DOWN }, { TUI_KEY_FN(KEY_DOWN), TUI_A_DOWN },            \
		{ 'k', TUI_A_UP }, { TUI_KEY_FN(KEY_UP), TUI_A_UP },          \
		{ TUI_KEY_FN(KEY_NPAGE), TUI_A_PAGE_DOWN },                   \
		{ TUI_KEY_FN(KEY_PPAGE), TUI_A_PAGE_UP },                     \
		{ 'g', TUI_A_FIRST }, { TUI_KEY_FN(KEY_HOME), TUI_A_FIRST },  \
		{ 'G', TUI_A_LAST }, { TUI_KEY_FN(KEY_END), TUI_A_LAST }

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
