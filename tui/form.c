#include "tui/form.h"

#include <stdio.h>
#include <string.h>

#include "tui/text.h"

#define INPUT_MAX_W 44 /* wider inputs leave the hints no room */

static int focusable(const struct tui_form_field *f)
{
	return !f->hidden && f->kind != TUI_FORM_INFO;
}

void tui_form_focus(struct tui_form *form, int i)
{
	if (i < 0 || i >= form->n)
		return;
	for (int k = 0; k < form->n; k++) {
		int j = (i + k) % form->n;

		if (focusable(&form->f[j])) {
			form->focus = j;
			return;
		}
	}
}

static void step(struct tui_form *form, int dir)
{
	for (int k = 1; k <= form->n; k++) {
		int j = ((form->focus + dir * k) % form->n + form->n) % form->n;

		if (focusable(&form->f[j])) {
			form->focus = j;
			return;
		}
	}
}

void tui_form_set(struct tui_form *form, int i, const char *text)
{
	struct tui_form_field *f = &form->f[i];

	tui_field_set(&f->text, text ? text : "");
	memcpy(f->original, f->text.text, f->text.len + 1);
	f->text.scroll = 0;
}

int tui_form_find(const struct tui_form *form, const char *key)
{
	for (int i = 0; i < form->n; i++)
		if (form->f[i].key != NULL && strcmp(form->f[i].key, key) == 0)
			return i;
	return -1;
}

int tui_form_changed(const struct tui_form *form, int i)
{
	return strcmp(form->f[i].text.text, form->f[i].original) != 0;
}

void tui_form_clear_errors(struct tui_form *form)
{
	for (int i = 0; i < form->n; i++)
		form->f[i].error[0] = '\0';
}

/* Lines field i takes: itself, and its error when it has one. */
static int lines_of(const struct tui_form_field *f)
{
	if (f->hidden)
		return 0;
	return f->error[0] ? 2 : 1;
}

void tui_form_draw(WINDOW *win, struct tui_rect r, struct tui_form *form,
		   int focused, int *cy, int *cx)
{
	int label_w = form->label_w > 0 ? form->label_w : 14;
	int input_w = r.w - label_w - 2;
	int hint_w = 0;
	int line = 0, focus_line = 0, focus_h = 1, total = 0;

	if (cy != NULL)
		*cy = -1;
	if (cx != NULL)
		*cx = -1;
	if (r.h < 1 || r.w < label_w + 4)
		return;
	if (input_w > INPUT_MAX_W + 18) {
		hint_w = input_w - INPUT_MAX_W - 2;
		input_w = INPUT_MAX_W;
	}
	for (int i = 0; i < form->n; i++) {
		if (i == form->focus) {
			focus_line = total;
			focus_h = lines_of(&form->f[i]);
		}
		total += lines_of(&form->f[i]);
	}
	/* Scroll so the focused field and its error are in view. */
	if (focus_line < form->top)
		form->top = focus_line;
	if (focus_line + focus_h > form->top + r.h)
		form->top = focus_line + focus_h - r.h;
	if (form->top > total - r.h)
		form->top = total - r.h;
	if (form->top < 0)
		form->top = 0;

	for (int i = 0; i < form->n; i++) {
		struct tui_form_field *f = &form->f[i];
		int is_focus = focused && i == form->focus;
		int y = r.y + line - form->top;
		char label[96], view[INPUT_MAX_W * 4 * 4 + 8];
		int ccol = 0;

		if (f->hidden)
			continue;
		line += lines_of(f);
		if (y >= r.y + r.h)
			break;
		if (y >= r.y) {
			snprintf(label, sizeof(label), "%s%s", f->label,
				 f->kind != TUI_FORM_INFO && !form->plain &&
						 strcmp(f->text.text,
							f->original) != 0
					 ? "*"
					 : "");
			tui_draw_text(win, y, r.x + 1, label_w - 1, label,
				      tui_theme_attr(f->error[0] ? TUI_C_ERROR
								 : TUI_C_LABEL) |
					      (i == form->focus ? A_BOLD : 0));
			if (f->kind == TUI_FORM_INFO) {
				tui_draw_text(win, y, r.x + label_w, r.w - label_w,
					      f->text.text,
					      tui_theme_attr(TUI_C_DIM));
			} else {
				int w = input_w;

				if (f->kind == TUI_FORM_CHOICE) {
					char choice[96];

					snprintf(choice, sizeof(choice), "< %.80s >",
						 f->text.text);
					tui_draw_text(win, y, r.x + label_w, w,
						      choice,
						      tui_theme_attr(
							      is_focus ? TUI_C_INPUT_FOCUS
								       : TUI_C_INPUT));
				} else {
					tui_field_view(&f->text, w, view,
						       sizeof(view), &ccol);
					tui_draw_text_raw(
						win, y, r.x + label_w, w, view,
						tui_theme_attr(is_focus ? TUI_C_INPUT_FOCUS
									: TUI_C_INPUT));
					if (is_focus && cy != NULL && cx != NULL) {
						*cy = y;
						*cx = r.x + label_w + ccol;
					}
				}
				if (hint_w > 4 && f->hint != NULL && f->hint[0])
					tui_draw_text(win, y,
						      r.x + label_w + w + 2,
						      hint_w, f->hint,
						      tui_theme_attr(TUI_C_DIM));
			}
		}
		if (f->error[0] && y + 1 >= r.y && y + 1 < r.y + r.h)
			tui_draw_text(win, y + 1, r.x + label_w,
				      r.w - label_w, f->error,
				      tui_theme_attr(TUI_C_ERROR));
	}
}

/* Index of the choice equal to text, or -1. */
static int choice_index(const struct tui_form_field *f)
{
	for (int i = 0; f->choices[i] != NULL; i++)
		if (strcmp(f->choices[i], f->text.text) == 0)
			return i;
	return -1;
}

static int choice_key(struct tui_form_field *f, int key, enum tui_action a)
{
	int n = 0, i = choice_index(f);

	while (f->choices[n] != NULL)
		n++;
	if (n == 0)
		return TUI_FORM_IGNORED;
	if (a == TUI_A_CHOICE_NEXT || key == ' ' ||
	    key == TUI_KEY_FN(KEY_RIGHT)) {
		i = (i + 1) % n;
	} else if (a == TUI_A_CHOICE_PREV || key == TUI_KEY_FN(KEY_LEFT)) {
		i = i <= 0 ? n - 1 : i - 1;
	} else if (!TUI_KEY_IS_FN(key) && key > ' ' && key < 0x7f) {
		/* A letter: the next choice starting with it. */
		int k;

		for (k = 1; k <= n; k++) {
			int j = ((i < 0 ? -1 : i) + k) % n;

			if (f->choices[j][0] == key) {
				i = j;
				break;
			}
		}
		if (k > n)
			return TUI_FORM_MOVED; /* taken, nothing to do */
	} else {
		return TUI_FORM_IGNORED;
	}
	tui_field_set(&f->text, f->choices[i]);
	return TUI_FORM_EDITED;
}

int tui_form_key(struct tui_form *form, int key, enum tui_action action)
{
	struct tui_form_field *f;
	enum tui_action edit;
	int changed;

	switch (action) {
	case TUI_A_NEXT_FIELD:
	case TUI_A_DOWN:
		step(form, 1);
		return TUI_FORM_MOVED;
	case TUI_A_PREV_FIELD:
	case TUI_A_UP:
		step(form, -1);
		return TUI_FORM_MOVED;
	default:
		break;
	}
	if (form->n == 0)
		return TUI_FORM_IGNORED;
	f = &form->f[form->focus];
	if (!focusable(f))
		return TUI_FORM_IGNORED;
	if (f->kind == TUI_FORM_CHOICE)
		return choice_key(f, key, action);
	edit = tui_keymap_lookup(&tui_keymap_text, key);
	switch (edit) {
	case TUI_A_LEFT:
		tui_field_left(&f->text);
		return TUI_FORM_MOVED;
	case TUI_A_RIGHT:
		tui_field_right(&f->text);
		return TUI_FORM_MOVED;
	case TUI_A_HOME:
		tui_field_home(&f->text);
		return TUI_FORM_MOVED;
	case TUI_A_END:
		tui_field_end(&f->text);
		return TUI_FORM_MOVED;
	case TUI_A_BACKSPACE:
		changed = tui_field_backspace(&f->text);
		break;
	case TUI_A_DELETE:
		changed = tui_field_delete(&f->text);
		break;
	case TUI_A_KILL_BEFORE:
		changed = tui_field_kill_before(&f->text);
		break;
	case TUI_A_KILL_AFTER:
		changed = tui_field_kill_after(&f->text);
		break;
	default:
		/* Printable characters (Hangul too) go into the field. */
		if (TUI_KEY_IS_FN(key) || key < 0x20 || key == 127)
			return TUI_FORM_IGNORED;
		if (tui_field_insert(&f->text, (uint32_t)key) != 0)
			return TUI_FORM_MOVED; /* full: taken anyway */
		changed = 1;
	}
	return changed ? TUI_FORM_EDITED : TUI_FORM_MOVED;
}
