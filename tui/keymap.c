#include "tui/keymap.h"

#include <ncurses.h>
#include <stdio.h>
#include <string.h>

#include "tui/text.h"

#define TUI_ACTION_HELP(id, help) [TUI_A_##id] = help,
static const char *const action_help[TUI_A_COUNT] = {
	TUI_ACTIONS(TUI_ACTION_HELP)
};
#undef TUI_ACTION_HELP

/*
 * Looked up after the focused pane's own map, so a pane that takes a key
 * (a text field takes q, ? and :) keeps it; F1 and Ctrl-C always work.
 */
static const struct tui_keybind global_binds[] = {
	{ 'q', TUI_A_QUIT },
	{ '?', TUI_A_HELP },
	{ TUI_KEY_FN(KEY_F(1)), TUI_A_HELP },
	{ ':', TUI_A_COMMAND },
	{ '\t', TUI_A_NEXT_PANE },
	{ TUI_KEY_FN(KEY_F(6)), TUI_A_NEXT_PANE },
	{ TUI_KEY_FN(KEY_BTAB), TUI_A_PREV_PANE },
	{ TUI_KEY_CTRL('w'), TUI_A_SPLIT },
	{ TUI_KEY_ESC, TUI_A_BACK },
	{ TUI_KEY_CTRL('l'), TUI_A_REDRAW },
};

const struct tui_keymap tui_keymap_global = TUI_KEYMAP("Everywhere",
							global_binds);

static const struct tui_keybind text_binds[] = {
	{ TUI_KEY_FN(KEY_LEFT), TUI_A_LEFT },
	{ TUI_KEY_CTRL('b'), TUI_A_LEFT },
	{ TUI_KEY_FN(KEY_RIGHT), TUI_A_RIGHT },
	{ TUI_KEY_CTRL('f'), TUI_A_RIGHT },
	{ TUI_KEY_FN(KEY_HOME), TUI_A_HOME },
	{ TUI_KEY_CTRL('a'), TUI_A_HOME },
	{ TUI_KEY_FN(KEY_END), TUI_A_END },
	{ TUI_KEY_CTRL('e'), TUI_A_END },
	{ TUI_KEY_FN(KEY_BACKSPACE), TUI_A_BACKSPACE },
	{ 127, TUI_A_BACKSPACE },
	{ TUI_KEY_CTRL('h'), TUI_A_BACKSPACE },
	{ TUI_KEY_FN(KEY_DC), TUI_A_DELETE },
	{ TUI_KEY_CTRL('d'), TUI_A_DELETE },
	{ TUI_KEY_CTRL('u'), TUI_A_KILL_BEFORE },
	{ TUI_KEY_CTRL('k'), TUI_A_KILL_AFTER },
};

const struct tui_keymap tui_keymap_text = TUI_KEYMAP("Text fields",
						      text_binds);

enum tui_action tui_keymap_lookup(const struct tui_keymap *map, int key)
{
	if (map == NULL)
		return TUI_A_NONE;
	for (size_t i = 0; i < map->n; i++)
		if (map->binds[i].key == key)
			return map->binds[i].action;
	return TUI_A_NONE;
}

const char *tui_action_help(enum tui_action action)
{
	if (action < 0 || action >= TUI_A_COUNT)
		return "";
	return action_help[action];
}

static const struct {
	int code;
	const char *name;
} fn_names[] = {
	{ KEY_UP, "Up" },	  { KEY_DOWN, "Down" },
	{ KEY_LEFT, "Left" },	  { KEY_RIGHT, "Right" },
	{ KEY_HOME, "Home" },	  { KEY_END, "End" },
	{ KEY_PPAGE, "PgUp" },	  { KEY_NPAGE, "PgDn" },
	{ KEY_BTAB, "Shift-Tab" }, { KEY_ENTER, "Enter" },
	{ KEY_BACKSPACE, "Backspace" }, { KEY_DC, "Delete" },
	{ KEY_IC, "Insert" },	  { KEY_RESIZE, "Resize" },
};

void tui_key_name(int key, char *buf, size_t len)
{
	if (TUI_KEY_IS_FN(key)) {
		int code = key & ~0x40000000;

		for (size_t i = 0; i < sizeof(fn_names) / sizeof(fn_names[0]);
		     i++)
			if (fn_names[i].code == code) {
				snprintf(buf, len, "%s", fn_names[i].name);
				return;
			}
		if (code >= KEY_F(1) && code <= KEY_F(12)) {
			snprintf(buf, len, "F%d", code - KEY_F0);
			return;
		}
		snprintf(buf, len, "key%d", code);
		return;
	}
	switch (key) {
	case '\t':
		snprintf(buf, len, "Tab");
		return;
	case '\r':
	case '\n':
		snprintf(buf, len, "Enter");
		return;
	case TUI_KEY_ESC:
		snprintf(buf, len, "Esc");
		return;
	case ' ':
		snprintf(buf, len, "Space");
		return;
	case 127:
	case 8:
		snprintf(buf, len, "Backspace");
		return;
	}
	if (key > 0 && key < 0x20) {
		snprintf(buf, len, "Ctrl-%c", '@' + key);
		return;
	}
	if (len >= 5) {
		size_t n = tui_utf8_encode((uint32_t)key, buf);

		buf[n] = '\0';
	}
}

/* 1 when name is one of the space-separated words of keys. */
static int has_word(const char *keys, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = keys; *p != '\0';) {
		size_t w = strcspn(p, " ");

		if (w == n && strncmp(p, name, n) == 0)
			return 1;
		p += w;
		p += strspn(p, " ");
	}
	return 0;
}

size_t tui_keymap_help(const struct tui_keymap *map, struct tui_help_line *out,
		       size_t max)
{
	size_t lines = 0;

	for (size_t i = 0; i < map->n; i++) {
		enum tui_action a = map->binds[i].action;
		size_t j;
		char name[24];

		for (j = 0; j < lines; j++)
			if (strcmp(out[j].help, tui_action_help(a)) == 0)
				break;
		if (j == lines) {
			if (lines == max)
				continue;
			out[j].keys[0] = '\0';
			out[j].help = tui_action_help(a);
			lines++;
		}
		tui_key_name(map->binds[i].key, name, sizeof(name));
		/* Enter and Backspace have several codes; name them once. */
		if (has_word(out[j].keys, name))
			continue;
		if (out[j].keys[0] != '\0')
			strncat(out[j].keys, " ",
				sizeof(out[j].keys) - strlen(out[j].keys) - 1);
		strncat(out[j].keys, name,
			sizeof(out[j].keys) - strlen(out[j].keys) - 1);
	}
	return lines;
}
