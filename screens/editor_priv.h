#ifndef STORECTL_SCREENS_EDITOR_PRIV_H
#define STORECTL_SCREENS_EDITOR_PRIV_H

/*
 * The editor's insides, shared by screens/editor.c (the screen: loading,
 * saving, keys, drawing), screens/editor_doc.c (the form and the store's
 * JSON: what to send, what changed, where the API's errors go) and
 * screens/editor_menu.c (the menu section).
 */

#include <jansson.h>

#include "screens/screens.h"
#include "tui/form.h"
#include "tui/table.h"

enum editor_section { SEC_STORE, SEC_HOURS, SEC_MENU, SEC_COUNT };

/* The store section's fields, in form order. */
enum {
	EF_OWNER, EF_NAME, EF_CATEGORY, EF_STATUS, EF_REASON, EF_PHONE,
	EF_AREA, EF_ROAD, EF_DETAIL, EF_POSTAL, EF_MIN_ORDER, EF_FEE,
	EF_DESCRIPTION, EF_COUNT
};

/* The item form's fields. */
enum { IF_NAME, IF_PRICE, IF_SOLD_OUT, IF_DESCRIPTION, IF_COUNT };

#define EDITOR_DAYS 7

struct menu_item {
	json_t *orig;  /* as loaded; NULL for a new item */
	json_t *work;  /* as edited (never shared with a job) */
	int removed;   /* to go at the next save */
	char error[256];
};

struct editor_state {
	int64_t store_id;  /* 0 while creating */
	int creating;
	int64_t version;   /* loaded; If-Match of the next save */
	json_t *base;      /* the store as loaded (NULL when creating) */
	int loaded;
	int gone;          /* 404/410: nothing to edit */
	uint64_t get_seq, save_seq, theirs_seq;
	int section;
	struct tui_form_field sf[EF_COUNT];
	struct tui_form form;
	struct tui_form_field df[EDITOR_DAYS];
	struct tui_form hours;
	struct menu_item *items;
	size_t nitems, capitems;
	struct tui_table menu;
	int item_open;     /* the item form shows */
	size_t item_at;
	struct tui_form_field itf[IF_COUNT];
	struct tui_form item_form;
	char menu_error[256], hours_error[256];
	char form_error[512];
	int conflict;      /* the last save got 412 */
	json_t *theirs;    /* the store now, fetched after the 412 */
	int esc_armed;     /* Esc pressed once with unsaved edits */
	int64_t newer;     /* the stream shows this newer version */
	int64_t ask_id;    /* to open once the edits may go (0: a new store) */
	char ask_owner[68];
	char updated_at[40];
};

/* editor_doc.c */
void editor_fields_init(struct editor_state *st);
/* Fills every section from a store document (NULL: blank). */
void editor_fill(struct editor_state *st, const json_t *store);
/*
 * Puts mine's values in the fields, keeping what the fields compare with
 * (st->base): the edits of a "keep mine" after a conflict.
 */
void editor_overlay(struct editor_state *st, const json_t *mine);
/* The value the form gives member (a new reference; NULL: absent). */
json_t *editor_mine(struct editor_state *st, const char *member);
/* 1 when the form differs from what was loaded. */
int editor_dirty(struct editor_state *st);
/*
 * What to send: the whole document (creating) or a merge patch of the
 * changed members; NULL with a reason in err when the form cannot be
 * sent (hours that do not parse: the day's field says why).
 */
json_t *editor_body(struct editor_state *st, char *err, size_t errlen);
/* Puts a 422's errors at their fields; returns the first section hit. */
int editor_place_errors(struct editor_state *st, const json_t *problem,
			const char *fallback);
void editor_clear_errors(struct editor_state *st);
/* The members that differ between two documents (a, b may be NULL). */
int editor_member_differs(const json_t *a, const json_t *b,
			  const char *member);
/* A short text for a member's value (menu and hours summarised). */
void editor_value_text(const json_t *doc, const char *member, char *buf,
		       size_t len);
/* How to's menu differs from from's: "14 items: 1 new, 0 gone, 2 changed". */
void editor_menu_diff_text(const json_t *from, const json_t *to, char *buf,
			   size_t len);
/* The top-level members the editor handles, NULL-terminated. */
extern const char *const editor_members[];

/* editor_menu.c */
void editor_menu_init(struct editor_state *st);
void editor_menu_clear(struct editor_state *st);
/*
 * The items of work (NULL: of menu), each compared with the item of menu
 * that has its id (new when none has).
 */
void editor_menu_fill(struct editor_state *st, const json_t *menu,
		      const json_t *work);
/* The menu as the form has it (a new array). */
json_t *editor_menu_json(struct editor_state *st);
unsigned editor_menu_key(struct screen *s, const struct screen_key *k);
void editor_menu_draw(struct editor_state *st, struct screen *s, WINDOW *win,
		      struct tui_rect r, int focused);
/* Writes the item form back into its item and closes it. */
void editor_menu_close_item(struct editor_state *st);
/* The item behind the n-th item sent (removed ones are not sent). */
struct menu_item *editor_menu_sent(struct editor_state *st, size_t n,
				   size_t *index);
extern const struct tui_keymap editor_menu_keymap;

#endif
