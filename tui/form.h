#ifndef STORECTL_TUI_FORM_H
#define STORECTL_TUI_FORM_H

#include "tui/draw.h"
#include "tui/keymap.h"
#include "tui/textfield.h"

/*
 * A form: labelled one-line fields, one per line, the API's word on a
 * field on the line under it, scrolling so the focused field stays in
 * view. A field is free text (UTF-8, tui/textfield.h), a choice among
 * fixed values (Space or Right next, Left previous, a letter jumps), or
 * read-only information. The form never talks to the network; its owner
 * fills and reads the fields.
 */

enum tui_form_kind {
	TUI_FORM_TEXT,
	TUI_FORM_CHOICE,
	TUI_FORM_INFO, /* shown, never focused */
};

struct tui_form_field {
	const char *key;   /* the owner's name for it (an API member) */
	const char *label;
	const char *hint;  /* right of the input when there is room */
	enum tui_form_kind kind;
	const char *const *choices; /* CHOICE: NULL-terminated */
	int hidden;
	struct tui_field text;
	char error[256];   /* "" when none */
	char original[TUI_FIELD_MAX + 1]; /* to mark changed fields with '*' */
};

struct tui_form {
	struct tui_form_field *f;
	int n;
	int focus;
	int top;     /* first line shown */
	int label_w; /* columns for labels */
	int plain;   /* no '*' on changed fields (a query, not a record) */
};

/* What tui_form_key did. */
enum { TUI_FORM_IGNORED, TUI_FORM_MOVED, TUI_FORM_EDITED };

/*
 * Draws the form in r. When focused, *cy and *cx get where the terminal
 * cursor goes (-1 when nowhere); they may be NULL.
 */
void tui_form_draw(WINDOW *win, struct tui_rect r, struct tui_form *form,
		   int focused, int *cy, int *cx);

/*
 * Handles key (action: the screen's lookup): NEXT_FIELD, PREV_FIELD, UP
 * and DOWN move between fields; editing keys (tui_keymap_text) and
 * printable characters change the focused one.
 */
int tui_form_key(struct tui_form *form, int key, enum tui_action action);

/* Sets field i's text and its original (no '*'). */
void tui_form_set(struct tui_form *form, int i, const char *text);

/* The field named key, or -1. */
int tui_form_find(const struct tui_form *form, const char *key);

/* 1 when field i differs from its original. */
int tui_form_changed(const struct tui_form *form, int i);

/* Clears every field's error. */
void tui_form_clear_errors(struct tui_form *form);

/* Moves the focus to field i (skipping hidden and read-only ones). */
void tui_form_focus(struct tui_form *form, int i);

#endif
