/*
 * Keys: the focused screen first (through its keymap), then the global
 * map; a prompt on the status line takes every key while it is open. ':'
 * jumps to a screen by name, as in k9s: ":stores", ":editor 42",
 * ":stream 42 failed", ":query gangnam", ":new", ":help", ":quit"; any
 * unique prefix will do, and Tab completes it.
 */
#include "tui/console_priv.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens/screens.h"

/* ---- ':' commands ---- */

enum cmd_kind { CMD_VIEW, CMD_EDITOR, CMD_NEW, CMD_HELP, CMD_QUIT };

static const struct {
	const char *name;
	enum cmd_kind kind;
	enum console_view view;
} commands[] = {
	{ "stores", CMD_VIEW, VIEW_STORES },
	{ "editor", CMD_EDITOR, VIEW_EDITOR },
	{ "stream", CMD_VIEW, VIEW_STREAM },
	{ "services", CMD_VIEW, VIEW_SERVICES },
	{ "query", CMD_VIEW, VIEW_QUERY },
	{ "new", CMD_NEW, VIEW_EDITOR },
	{ "help", CMD_HELP, VIEW_COUNT },
	{ "quit", CMD_QUIT, VIEW_COUNT },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

/* The command word w names (a unique prefix), or -1 (*ambiguous set). */
static int find_command(const char *w, int *ambiguous)
{
	int found = -1;
	size_t n;

	*ambiguous = 0;
	/* Short forms a vi or k9s hand types, which prefixes would not give. */
	if (strcmp(w, "q") == 0 || strcmp(w, "q!") == 0)
		w = "quit";
	else if (strcmp(w, "edit") == 0)
		w = "editor";
	n = strlen(w);
	for (size_t i = 0; i < NCOMMANDS; i++) {
		if (strcmp(commands[i].name, w) == 0)
			return (int)i;
		if (n > 0 && strncmp(commands[i].name, w, n) == 0) {
			if (found >= 0)
				*ambiguous = 1;
			found = (int)i;
		}
	}
	return *ambiguous ? -1 : found;
}

static void command_names(char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < NCOMMANDS && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 i ? ", " : "", commands[i].name);
}

static void run_command(struct console *c, const char *text)
{
	char word[64] = "", names[160];
	const char *rest;
	int ambiguous, i;
	size_t n;

	while (*text == ' ' || *text == ':')
		text++;
	n = strcspn(text, " ");
	if (n == 0)
		return;
	if (n >= sizeof(word))
		n = sizeof(word) - 1;
	for (size_t k = 0; k < n; k++)
		word[k] = (char)tolower((unsigned char)text[k]);
	word[n] = '\0';
	rest = text + strcspn(text, " ");
	while (*rest == ' ')
		rest++;
	i = find_command(word, &ambiguous);
	if (i < 0) {
		command_names(names, sizeof(names));
		console_say(c, TUI_SAY_ERROR, "%s \"%s\": the screens are %s",
			    ambiguous ? "ambiguous" : "no screen", word, names);
		return;
	}
	switch (commands[i].kind) {
	case CMD_VIEW:
		if (commands[i].view == VIEW_STREAM && *rest != '\0')
			console_filter_stream(c, rest);
		if (commands[i].view == VIEW_QUERY && *rest != '\0')
			screen_query_area(&c->screens[VIEW_QUERY], rest);
		console_goto(c, commands[i].view);
		break;
	case CMD_EDITOR:
		if (*rest != '\0') {
			char *end;
			long long id = strtoll(rest, &end, 10);

			if (id <= 0 || *end != '\0') {
				console_say(c, TUI_SAY_ERROR,
					    ":editor takes a store id, like :editor 42");
				return;
			}
			console_open_editor(c, id, NULL);
			return;
		}
		console_goto(c, VIEW_EDITOR);
		break;
	case CMD_NEW:
		console_open_editor(c, 0, NULL);
		break;
	case CMD_HELP:
		c->help_open = 1;
		c->help_all = 1;
		c->help_scroll = 0;
		c->help_scrolls = 1; /* until drawn */
		break;
	case CMD_QUIT:
		c->quit = 1;
		break;
	}
}

/* Tab in the ':' prompt: the unique command the word starts. */
static void complete_command(struct console *c)
{
	struct tui_field *f = &c->prompt.field;
	int ambiguous, i;

	if (strchr(f->text, ' ') != NULL)
		return;
	i = find_command(f->text, &ambiguous);
	if (i >= 0) {
		char text[80];

		snprintf(text, sizeof(text), "%s ", commands[i].name);
		tui_field_set(f, text);
	} else if (ambiguous) {
		char names[160] = "";
		size_t used = 0;

		for (size_t k = 0; k < NCOMMANDS; k++)
			if (strncmp(commands[k].name, f->text,
				    strlen(f->text)) == 0)
				used += (size_t)snprintf(names + used,
							 sizeof(names) - used,
							 " %s", commands[k].name);
		console_say(c, TUI_SAY_INFO, "matches:%s", names);
	}
}

/* ---- the prompt ---- */

static void prompt_tell(struct console *c, enum console_prompt_event ev)
{
	struct console_prompt *p = &c->prompt;
	struct screen *owner = p->owner;
	char text[TUI_FIELD_MAX + 1];

	memcpy(text, p->field.text, p->field.len + 1);
	if (ev != PROMPT_CHANGE)
		p->active = 0;
	if (owner == NULL) {
		if (ev == PROMPT_ACCEPT && p->id == PROMPT_ID_COMMAND)
			run_command(c, text);
		return;
	}
	if (owner->ops->on_prompt != NULL)
		owner->ops->on_prompt(owner, p->id, ev, text);
}

static void prompt_key(struct console *c, int key)
{
	struct console_prompt *p = &c->prompt;
	struct tui_field *f = &p->field;
	int changed = 0;

	if (p->confirm) {
		prompt_tell(c, key == 'y' || key == 'Y' ? PROMPT_ACCEPT
							: PROMPT_CANCEL);
		return;
	}
	if (key == '\r' || key == '\n' || key == TUI_KEY_FN(KEY_ENTER)) {
		prompt_tell(c, PROMPT_ACCEPT);
		return;
	}
	if (key == TUI_KEY_ESC) {
		prompt_tell(c, PROMPT_CANCEL);
		return;
	}
	if (key == '\t') {
		if (p->owner == NULL)
			complete_command(c);
		return;
	}
	switch (tui_keymap_lookup(&tui_keymap_text, key)) {
	case TUI_A_LEFT:
		tui_field_left(f);
		break;
	case TUI_A_RIGHT:
		tui_field_right(f);
		break;
	case TUI_A_HOME:
		tui_field_home(f);
		break;
	case TUI_A_END:
		tui_field_end(f);
		break;
	case TUI_A_BACKSPACE:
		/* Backspace on an empty prompt closes it, as in k9s. */
		if (f->len == 0) {
			prompt_tell(c, PROMPT_CANCEL);
			return;
		}
		changed = tui_field_backspace(f);
		break;
	case TUI_A_DELETE:
		changed = tui_field_delete(f);
		break;
	case TUI_A_KILL_BEFORE:
		changed = tui_field_kill_before(f);
		break;
	case TUI_A_KILL_AFTER:
		changed = tui_field_kill_after(f);
		break;
	default:
		if (TUI_KEY_IS_FN(key) || key < 0x20 || key == 127)
			return;
		changed = tui_field_insert(f, (uint32_t)key) == 0;
	}
	if (changed)
		prompt_tell(c, PROMPT_CHANGE);
}

/* ---- keys ---- */

static void global_key(struct console *c, int key)
{
	struct screen *side = console_side(c);

	switch (tui_keymap_lookup(&tui_keymap_global, key)) {
	case TUI_A_QUIT:
		c->quit = 1;
		break;
	case TUI_A_HELP:
		c->help_open = 1;
		c->help_all = 0;
		c->help_scroll = 0;
		c->help_scrolls = 1; /* until drawn */
		break;
	case TUI_A_COMMAND:
		console_prompt(c, NULL, PROMPT_ID_COMMAND, ":", NULL);
		break;
	case TUI_A_NEXT_PANE:
	case TUI_A_PREV_PANE:
		if (side != NULL)
			c->focus_side = !c->focus_side;
		else
			console_say(c, TUI_SAY_INFO,
				    "one pane here; Ctrl-W puts the Stream beside "
				    "Stores and the Editor, : jumps to a screen");
		break;
	case TUI_A_SPLIT: {
		enum console_view v = c->history[c->depth - 1];
		int here = v == VIEW_STORES || v == VIEW_EDITOR;
		/* Elsewhere there is no pane to look at: the choice is for
		 * Stores and the Editor, and the message says so. */
		int shown = here ? side != NULL
				 : c->split > 0 ||
					   (c->split == 0 &&
					    (COLS >= 2 * CONSOLE_MIN_COLS ||
					     LINES >= 40));

		c->split = shown ? -1 : 1;
		c->focus_side = 0;
		console_say(c, TUI_SAY_INFO, "%s%s",
			    c->split > 0 ? "the Stream shares the screen"
					 : "the Stream pane is hidden",
			    here ? c->split > 0 ? " (Ctrl-W hides it)"
						: " (Ctrl-W shows it)"
				 : " on Stores and the Editor");
		break;
	}
	case TUI_A_BACK:
		if (c->focus_side)
			c->focus_side = 0;
		else
			console_back(c);
		break;
	case TUI_A_REDRAW:
		c->full_redraw = 1;
		break;
	default:
		break;
	}
}

void console_handle_key(struct console *c, int key)
{
	struct screen *s;
	struct screen_key k;
	unsigned r;

	c->dirty = 1;
	if (key == TUI_KEY_FN(KEY_RESIZE)) {
		c->full_redraw = 1;
		return;
	}
	if (console_too_small()) {
		if (key == 'q')
			c->quit = 1;
		return;
	}
	if (c->help_open) {
		/* "any key closes" when there is nothing to scroll. */
		if (!c->help_scrolls)
			c->help_open = 0;
		else if (key == 'j' || key == TUI_KEY_FN(KEY_DOWN))
			c->help_scroll++;
		else if ((key == 'k' || key == TUI_KEY_FN(KEY_UP)) &&
			 c->help_scroll > 0)
			c->help_scroll--;
		else if (key == TUI_KEY_FN(KEY_NPAGE))
			c->help_scroll += LINES / 2;
		else if (key == TUI_KEY_FN(KEY_PPAGE))
			c->help_scroll = c->help_scroll > LINES / 2
						 ? c->help_scroll - LINES / 2
						 : 0;
		else
			c->help_open = 0;
		return;
	}
	if (c->prompt.active) {
		prompt_key(c, key);
		return;
	}
	s = console_focused(c);
	k.key = key;
	k.action = tui_keymap_lookup(s->ops->keymap, key);
	r = s->ops->key(s, &k);
	if (r & SCREEN_QUIT)
		c->quit = 1;
	if (r & SCREEN_HANDLED)
		return;
	global_key(c, key);
}
