/*
 * Editor: the whole store in three sections, Store (the fields), Hours
 * (a line per day) and Menu (the items), Tab going from one to the next.
 * Ctrl-S sends the changed members as a JSON merge patch with If-Match of
 * the version loaded (a new store: POST). A 422 puts each of the API's
 * reasons under the field it names; a 412 fetches the store as it is now
 * and shows what changed on both sides, offering to take theirs or keep
 * yours on top; after a save the status line follows the ripple across
 * every downstream service.
 */
#include <stdio.h>
#include <string.h>

#include "screens/editor_priv.h"
#include "tui/fmt.h"
#include "tui/text.h"

static const char *const section_names[SEC_COUNT] = { "Store", "Hours",
						       "Menu" };

static const struct tui_keybind editor_binds[] = {
	{ TUI_KEY_CTRL('s'), TUI_A_SAVE },
	{ TUI_KEY_FN(KEY_F(2)), TUI_A_SAVE },
	{ '\t', TUI_A_NEXT_PANE },
	{ TUI_KEY_FN(KEY_BTAB), TUI_A_PREV_PANE },
	{ TUI_KEY_FN(KEY_DOWN), TUI_A_NEXT_FIELD },
	{ '\r', TUI_A_NEXT_FIELD },
	{ '\n', TUI_A_NEXT_FIELD },
	{ TUI_KEY_FN(KEY_ENTER), TUI_A_NEXT_FIELD },
	{ TUI_KEY_FN(KEY_UP), TUI_A_PREV_FIELD },
	{ ' ', TUI_A_CHOICE_NEXT },
	{ TUI_KEY_FN(KEY_RIGHT), TUI_A_CHOICE_NEXT },
	{ TUI_KEY_FN(KEY_LEFT), TUI_A_CHOICE_PREV },
	{ TUI_KEY_CTRL('y'), TUI_A_COPY_DAY },
	{ TUI_KEY_CTRL('r'), TUI_A_RELOAD },
	{ TUI_KEY_ESC, TUI_A_LEAVE },
};

static const struct tui_keymap editor_keymap =
	TUI_KEYMAP("Editor", editor_binds);

static const struct tui_keybind conflict_binds[] = {
	{ 'r', TUI_A_TAKE_THEIRS },
	{ 'k', TUI_A_KEEP_MINE },
	{ TUI_KEY_ESC, TUI_A_DISMISS },
};

static const struct tui_keymap conflict_keymap =
	TUI_KEYMAP("Editor: a conflict (412)", conflict_binds);

int screen_editor_dirty(const struct screen *s)
{
	return editor_dirty(s->state);
}

static void reset(struct editor_state *st)
{
	editor_menu_clear(st);
	json_decref(st->base);
	json_decref(st->theirs);
	st->base = st->theirs = NULL;
	st->get_seq = st->save_seq = st->theirs_seq = 0;
	st->loaded = st->gone = st->conflict = st->creating = 0;
	st->esc_armed = 0;
	st->newer = 0;
	st->version = 0;
	st->section = SEC_STORE;
	st->updated_at[0] = '\0';
	st->form.focus = EF_NAME;
	st->form.top = 0;
	st->hours.focus = 0;
	st->menu.selected = 0;
	editor_clear_errors(st);
}

static void request_store(struct screen *s, uint64_t *seq)
{
	struct editor_state *st = s->state;

	*seq = console_submit(s->console,
			      tui_job_new(TUI_EP_STORE, "GET", "/stores/%lld",
					  (long long)st->store_id));
	if (*seq == 0)
		console_say(s->console, TUI_SAY_ERROR,
			    "cannot ask the store API");
}

enum { PROMPT_DROP_EDITS };

/*
 * Edits left behind with Esc stay until another store is opened; then the
 * editor asks before dropping them (y/N on the status line).
 */
static int ask_first(struct screen *s, int64_t store_id, const char *owner)
{
	struct editor_state *st = s->state;
	char question[200];

	if (!editor_dirty(st))
		return 0;
	st->ask_id = store_id;
	snprintf(st->ask_owner, sizeof(st->ask_owner), "%s",
		 owner ? owner : "");
	if (st->creating)
		snprintf(question, sizeof(question),
			 "The new store is not saved: drop it and open %s? y/N ",
			 store_id > 0 ? "another store" : "a blank form");
	else
		snprintf(question, sizeof(question),
			 "Store %lld has unsaved edits: drop them? y/N ",
			 (long long)st->store_id);
	console_confirm(s->console, s, PROMPT_DROP_EDITS, question);
	return 1;
}

static void load_now(struct screen *s, int64_t store_id)
{
	struct editor_state *st = s->state;

	reset(st);
	st->store_id = store_id;
	request_store(s, &st->get_seq);
}

static void new_now(struct screen *s, const char *owner);

void screen_editor_load(struct screen *s, int64_t store_id)
{
	struct editor_state *st = s->state;

	/* The same store with edits on it: keep them. */
	if (st->store_id == store_id && (st->loaded || st->get_seq) &&
	    !st->creating)
		return;
	if (ask_first(s, store_id, NULL))
		return;
	load_now(s, store_id);
}

void screen_editor_new(struct screen *s, const char *owner)
{
	if (ask_first(s, 0, owner))
		return;
	new_now(s, owner);
}

static unsigned editor_prompt(struct screen *s, int id,
			      enum console_prompt_event ev, const char *text)
{
	struct editor_state *st = s->state;
	char owner[sizeof(st->ask_owner)];

	(void)text;
	if (id != PROMPT_DROP_EDITS || ev == PROMPT_CHANGE)
		return SCREEN_IGNORED;
	if (ev == PROMPT_CANCEL) {
		console_say(s->console, TUI_SAY_INFO, "your edits are kept");
		return SCREEN_REDRAW;
	}
	memcpy(owner, st->ask_owner, sizeof(owner));
	if (st->ask_id > 0)
		load_now(s, st->ask_id);
	else
		new_now(s, owner[0] ? owner : NULL);
	return SCREEN_REDRAW;
}

static void new_now(struct screen *s, const char *owner)
{
	struct editor_state *st = s->state;

	reset(st);
	st->store_id = 0;
	st->creating = 1;
	st->loaded = 1;
	st->form.focus = EF_OWNER;
	editor_fill(st, NULL);
	if (owner != NULL) {
		tui_form_set(&st->form, EF_OWNER, owner);
		tui_form_focus(&st->form, EF_NAME);
	}
}

/* The store as the API has it is what the form holds now. */
static void take_store(struct editor_state *st, const json_t *store,
		       int64_t etag_version)
{
	json_decref(st->base);
	st->base = json_deep_copy(store);
	st->creating = 0;
	st->store_id = tui_json_int(store, "id", st->store_id);
	st->version = tui_json_int(store, "version", etag_version);
	st->loaded = 1;
	st->gone = 0;
	st->esc_armed = 0;
	st->newer = 0;
	editor_fill(st, store);
	json_decref(st->theirs);
	st->theirs = NULL;
}

/* ---- saving ---- */

static void save(struct screen *s)
{
	struct editor_state *st = s->state;
	struct tui_job *job;
	char why[256] = "";
	json_t *body;

	if (!st->loaded || st->get_seq != 0) {
		console_say(s->console, TUI_SAY_WARN,
			    "the store is not loaded yet");
		return;
	}
	if (st->save_seq != 0) {
		console_say(s->console, TUI_SAY_WARN, "saving already...");
		return;
	}
	editor_menu_close_item(st);
	if (!editor_dirty(st)) {
		console_say(s->console, TUI_SAY_INFO, "nothing to save");
		return;
	}
	editor_clear_errors(st);
	body = editor_body(st, why, sizeof(why));
	if (body == NULL) {
		console_say(s->console, TUI_SAY_ERROR, "not saved: %s", why);
		return;
	}
	if (st->creating)
		job = tui_job_new(TUI_EP_STORE, "POST", "/stores");
	else
		job = tui_job_new(TUI_EP_STORE, "PATCH", "/stores/%lld",
				  (long long)st->store_id);
	if (job == NULL) {
		json_decref(body);
		return;
	}
	job->body = body;
	job->if_version = st->creating ? 0 : st->version;
	st->esc_armed = 0;
	st->save_seq = console_submit(s->console, job);
	if (st->save_seq != 0)
		console_say(s->console, TUI_SAY_INFO, "%s...",
			    st->creating ? "creating the store" : "saving");
}

static void on_get(struct screen *s, const struct tui_job *job)
{
	struct editor_state *st = s->state;

	st->get_seq = 0;
	if (job->rc == 0 && job->res.status == 200 &&
	    json_is_object(job->res.body)) {
		take_store(st, job->res.body, job->res.etag_version);
		console_say(s->console, TUI_SAY_INFO, "store %lld v%lld loaded",
			    (long long)st->store_id, (long long)st->version);
	} else if (job->rc == 0 &&
		   (job->res.status == 404 || job->res.status == 410)) {
		st->loaded = 0;
		st->gone = 1;
		snprintf(st->form_error, sizeof(st->form_error),
			 "store %lld %s", (long long)st->store_id,
			 job->res.status == 410 ? "was deleted"
						: "does not exist (or is not yours)");
		console_say(s->console, TUI_SAY_WARN, "%s", st->form_error);
	} else {
		tui_job_describe(job, st->form_error, sizeof(st->form_error));
		console_say(s->console, TUI_SAY_ERROR, "%s (Ctrl-R retries)",
			    st->form_error);
	}
}

static void on_saved(struct screen *s, const struct tui_job *job)
{
	struct editor_state *st = s->state;
	int64_t before = st->version;
	int created = st->creating;

	if (json_is_object(job->res.body)) {
		take_store(st, job->res.body, job->res.etag_version);
	} else {
		/* No body: ask for it; the version is the ETag's. */
		st->version = job->res.etag_version;
		request_store(s, &st->get_seq);
	}
	if (!created && st->version == before) {
		console_say(s->console, TUI_SAY_INFO,
			    "saved: nothing changed (still v%lld)",
			    (long long)st->version);
		return;
	}
	console_watch_ripple(s->console, st->store_id, st->version,
			     created ? "created" : "saved");
}

static void on_save(struct screen *s, const struct tui_job *job)
{
	struct editor_state *st = s->state;
	long status = job->res.status;
	char why[400];
	int sec;

	st->save_seq = 0;
	if (job->rc != 0 || status == 401 || status == 403) {
		tui_job_describe(job, why, sizeof(why));
		snprintf(st->form_error, sizeof(st->form_error),
			 "not saved: %s", why);
		console_say(s->console, TUI_SAY_ERROR,
			    "not saved (edits kept): %s", why);
		return;
	}
	if (status == 200 || status == 201 || status == 204) {
		on_saved(s, job);
		return;
	}
	if (status == 412) {
		st->conflict = 1;
		json_decref(st->theirs);
		st->theirs = NULL;
		request_store(s, &st->theirs_seq);
		console_say(s->console, TUI_SAY_WARN,
			    "not saved: store %lld changed since v%lld; "
			    "r takes theirs, k keeps yours on top",
			    (long long)st->store_id, (long long)st->version);
		return;
	}
	if (status == 404 || status == 410) {
		st->gone = 1;
		snprintf(st->form_error, sizeof(st->form_error),
			 "not saved: store %lld %s", (long long)st->store_id,
			 status == 410 ? "was deleted" : "no longer exists");
		console_say(s->console, TUI_SAY_ERROR, "%s", st->form_error);
		return;
	}
	sec = editor_place_errors(st, job->res.body, job->res.error);
	if (sec >= 0)
		st->section = sec;
	console_say(s->console, TUI_SAY_ERROR, "not saved (%ld): %s", status,
		    job->res.error[0] ? job->res.error : "see the form");
}

static void on_theirs(struct screen *s, const struct tui_job *job)
{
	struct editor_state *st = s->state;

	st->theirs_seq = 0;
	if (job->rc == 0 && job->res.status == 200 &&
	    json_is_object(job->res.body)) {
		json_decref(st->theirs);
		st->theirs = json_deep_copy(job->res.body);
		return;
	}
	if (job->rc == 0 && (job->res.status == 404 || job->res.status == 410))
		snprintf(st->form_error, sizeof(st->form_error),
			 "store %lld was deleted meanwhile",
			 (long long)st->store_id);
	else
		tui_job_describe(job, st->form_error, sizeof(st->form_error));
}

/*
 * Keep mine: their version becomes the base; the members I changed keep
 * my values, the others take theirs. The next Ctrl-S sends my changes
 * with If-Match of their version.
 */
static void keep_mine(struct screen *s)
{
	struct editor_state *st = s->state;
	json_t *merged = json_deep_copy(st->theirs);

	for (size_t i = 0; editor_members[i] != NULL; i++) {
		const char *m = editor_members[i];
		json_t *mine = editor_mine(st, m);

		if (strcmp(m, "owner") != 0 &&
		    !(mine == NULL && json_object_get(st->base, m) == NULL) &&
		    !(mine != NULL && json_object_get(st->base, m) != NULL &&
		      json_equal(mine, json_object_get(st->base, m)))) {
			if (mine != NULL)
				json_object_set(merged, m, mine);
			else
				json_object_del(merged, m);
		}
		json_decref(mine);
	}
	json_decref(st->base);
	st->base = json_deep_copy(st->theirs);
	st->version = tui_json_int(st->theirs, "version", st->version);
	tui_json_str(st->theirs, "updated_at", st->updated_at,
		     sizeof(st->updated_at));
	editor_fill(st, st->base);
	editor_overlay(st, merged);
	json_decref(merged);
	json_decref(st->theirs);
	st->theirs = NULL;
	st->conflict = 0;
	st->newer = 0;
	console_say(s->console, TUI_SAY_INFO,
		    "your edits now sit on v%lld; Ctrl-S saves them",
		    (long long)st->version);
}

/* ---- events ---- */

/*
 * The stream says someone else changed the store on the form. Untouched,
 * the form follows (reloads); with edits, the title says a newer version
 * exists, so the 412 that a save would get comes as no surprise. Our own
 * save's event is never "newer": it arrives while the PATCH is in flight
 * or after its answer has set the version.
 */
static unsigned on_store_event(struct screen *s, const struct stream_row *row)
{
	struct editor_state *st = s->state;

	if (!st->loaded || st->creating || row->store_id != st->store_id ||
	    row->version <= st->version || row->version <= st->newer ||
	    st->save_seq != 0 || st->get_seq != 0 || st->conflict)
		return SCREEN_IGNORED;
	if (!editor_dirty(st)) {
		request_store(s, &st->get_seq);
		return SCREEN_REDRAW;
	}
	st->newer = row->version;
	console_say(s->console, TUI_SAY_WARN,
		    "store %lld is at v%lld elsewhere; Ctrl-R reloads (drops "
		    "your edits)",
		    (long long)st->store_id, (long long)row->version);
	return SCREEN_REDRAW;
}

static unsigned editor_on_event(struct screen *s,
				const struct console_event *ev)
{
	struct editor_state *st = s->state;

	if (ev->kind == CONSOLE_EV_STORE_EVENT)
		return on_store_event(s, ev->row);
	if (ev->kind != CONSOLE_EV_API || ev->job->seq == 0 ||
	    ev->job->endpoint != TUI_EP_STORE)
		return SCREEN_IGNORED;
	if (ev->job->seq == st->get_seq)
		on_get(s, ev->job);
	else if (ev->job->seq == st->save_seq)
		on_save(s, ev->job);
	else if (ev->job->seq == st->theirs_seq)
		on_theirs(s, ev->job);
	else
		return SCREEN_IGNORED;
	return SCREEN_REDRAW;
}

/* ---- drawing ---- */

static void editor_title(struct screen *s, char *buf, size_t len)
{
	struct editor_state *st = s->state;
	const char *state = "";

	if (st->get_seq != 0)
		state = " - loading...";
	else if (st->save_seq != 0)
		state = " - saving...";
	else if (st->conflict)
		state = " - CONFLICT";
	else if (editor_dirty(st))
		state = " - modified";
	if (st->creating)
		snprintf(buf, len, "new store%s", state);
	else if (st->store_id == 0)
		snprintf(buf, len, "no store (Enter on the Stores list, :editor ID or :new)");
	else if (st->loaded && st->newer > st->version)
		snprintf(buf, len, "store %lld - v%lld%s - v%lld elsewhere",
			 (long long)st->store_id, (long long)st->version, state,
			 (long long)st->newer);
	else if (st->loaded)
		snprintf(buf, len, "store %lld - v%lld%s",
			 (long long)st->store_id, (long long)st->version, state);
	else
		snprintf(buf, len, "store %lld%s", (long long)st->store_id,
			 state);
}

/* Section tabs: "[Store*] Hours Menu(4)!" and where the store stands. */
static void draw_tabs(struct editor_state *st, WINDOW *win, struct tui_rect r,
		      int focused)
{
	int x = r.x + 1;
	char tab[64], info[160];

	for (int i = 0; i < SEC_COUNT; i++) {
		char count[16] = "";
		int errors = 0, w;

		if (i == SEC_MENU)
			snprintf(count, sizeof(count), "(%zu)", st->nitems);
		if (i == SEC_STORE)
			for (int f = 0; f < EF_COUNT; f++)
				errors |= st->sf[f].error[0] != 0;
		if (i == SEC_HOURS) {
			errors = st->hours_error[0] != 0;
			for (int d = 0; d < EDITOR_DAYS; d++)
				errors |= st->df[d].error[0] != 0;
		}
		if (i == SEC_MENU) {
			errors = st->menu_error[0] != 0;
			for (size_t k = 0; k < st->nitems; k++)
				errors |= st->items[k].error[0] != 0;
		}
		snprintf(tab, sizeof(tab), i == st->section ? "[%s%s%s]" : " %s%s%s ",
			 section_names[i], count, errors ? "!" : "");
		w = tui_text_width(tab);
		tui_draw_text(win, r.y, x, w, tab,
			      i == st->section
				      ? tui_theme_attr(focused ? TUI_C_SELECTED
							       : TUI_C_SELECTED_DIM)
				      : tui_theme_attr(errors ? TUI_C_ERROR
							      : TUI_C_LABEL));
		x += w + 1;
	}
	if (st->creating)
		snprintf(info, sizeof(info), "POST /stores on Ctrl-S");
	else
		snprintf(info, sizeof(info), "owner %.64s  updated %s",
			 st->sf[EF_OWNER].text.text,
			 st->updated_at[0] ? st->updated_at : "?");
	if (x + 2 < r.x + r.w)
		tui_draw_text(win, r.y, x + 1, r.x + r.w - x - 1, info,
			      tui_theme_attr(TUI_C_DIM));
}

static void draw_conflict(struct editor_state *st, WINDOW *win,
			  struct tui_rect r)
{
	int y = r.y, col = (r.w - 14) / 2;
	char line[600], theirs[300], mine_text[300];
	int64_t now = st->theirs ? tui_json_int(st->theirs, "version", 0) : 0;
	int rows = 0;

	if (st->theirs == NULL) {
		tui_draw_text(win, y, r.x + 1, r.w - 1,
			      st->theirs_seq ? "Not saved: the store changed. Fetching it as it is now..."
					     : st->form_error,
			      tui_theme_attr(TUI_C_WARN));
		return;
	}
	snprintf(line, sizeof(line),
		 "Not saved: someone else changed store %lld (you loaded v%lld, it is at v%lld now).",
		 (long long)st->store_id, (long long)st->version,
		 (long long)now);
	tui_draw_text(win, y++, r.x + 1, r.w - 1, line,
		      tui_theme_attr(TUI_C_WARN) | A_BOLD);
	snprintf(theirs, sizeof(theirs), "THEIRS (v%lld)", (long long)now);
	tui_draw_text(win, y, r.x + 1, 14, "FIELD",
		      tui_theme_attr(TUI_C_HEADER));
	tui_draw_text(win, y, r.x + 15, col, theirs,
		      tui_theme_attr(TUI_C_HEADER));
	tui_draw_text(win, y++, r.x + 16 + col, r.w - col - 16, "YOURS",
		      tui_theme_attr(TUI_C_HEADER));
	for (size_t i = 0; editor_members[i] != NULL && y < r.y + r.h - 2;
	     i++) {
		const char *m = editor_members[i];
		json_t *mine = editor_mine(st, m);
		json_t *doc = json_object();
		int they = editor_member_differs(st->base, st->theirs, m);
		int you;

		if (mine != NULL)
			json_object_set(doc, m, mine);
		you = strcmp(m, "owner") != 0 &&
		      editor_member_differs(st->base, doc, m);
		if (they || you) {
			if (!they)
				snprintf(theirs, sizeof(theirs), "(not changed)");
			else if (strcmp(m, "menu") == 0)
				editor_menu_diff_text(st->base, st->theirs,
						      theirs, sizeof(theirs));
			else
				editor_value_text(st->theirs, m, theirs,
						  sizeof(theirs));
			if (!you)
				snprintf(mine_text, sizeof(mine_text),
					 "(not changed)");
			else if (strcmp(m, "menu") == 0)
				editor_menu_diff_text(st->base, doc, mine_text,
						      sizeof(mine_text));
			else
				editor_value_text(doc, m, mine_text,
						  sizeof(mine_text));
			tui_draw_text(win, y, r.x + 1, 14, m,
				      tui_theme_attr(they && you ? TUI_C_ERROR
								 : TUI_C_LABEL));
			tui_draw_text(win, y, r.x + 15, col, theirs,
				      tui_theme_attr(they ? TUI_C_WARN
							  : TUI_C_DIM));
			tui_draw_text(win, y, r.x + 16 + col, r.w - col - 16,
				      mine_text,
				      tui_theme_attr(you ? TUI_C_GOOD : TUI_C_DIM));
			y++;
			rows++;
		}
		json_decref(mine);
		json_decref(doc);
	}
	if (rows == 0)
		tui_draw_text(win, y++, r.x + 1, r.w - 1,
			      "(their change and yours touch the same values)",
			      tui_theme_attr(TUI_C_DIM));
	tui_draw_text(win, r.y + r.h - 1, r.x + 1, r.w - 1,
		      "r take theirs (drops your edits)  k keep yours on top of theirs  Esc back to the form",
		      tui_theme_attr(TUI_C_WARN) | A_REVERSE);
}

static void editor_draw(struct screen *s, WINDOW *win, struct tui_rect r,
			int focused)
{
	struct editor_state *st = s->state;
	struct tui_rect body;
	int cy = -1, cx = -1;
	const char *bottom;

	if (r.h < 3)
		return;
	if (!st->loaded) {
		char lines[3][512];
		int n = 1;

		if (st->get_seq != 0) {
			tui_draw_text(win, r.y, r.x + 1, r.w - 1, "loading...",
				      tui_theme_attr(TUI_C_WARN));
		} else if (st->form_error[0]) {
			/* The reason whole: a URL and curl's words are long. */
			n = tui_text_wrap(st->form_error, r.w - 2, lines,
					  r.h - 2 < 3 ? 1 : 3);
			for (int i = 0; i < n; i++)
				tui_draw_text(win, r.y + i, r.x + 1, r.w - 1,
					      lines[i],
					      tui_theme_attr(TUI_C_ERROR));
		} else {
			tui_draw_text(win, r.y, r.x + 1, r.w - 1,
				      "Open a store from the Stores list (Enter), or :new for a new one.",
				      tui_theme_attr(TUI_C_DIM));
		}
		tui_draw_text(win, r.y + n + 1, r.x + 1, r.w - 1,
			      "Ctrl-R reload   Esc back", tui_theme_attr(TUI_C_DIM));
		return;
	}
	draw_tabs(st, win, (struct tui_rect){ r.y, r.x, 1, r.w }, focused);
	body = (struct tui_rect){ r.y + 1, r.x, r.h - 2, r.w };
	if (st->conflict) {
		draw_conflict(st, win, (struct tui_rect){ r.y + 1, r.x,
							  r.h - 1, r.w });
		return;
	}
	switch (st->section) {
	case SEC_STORE:
		tui_form_draw(win, body, &st->form, focused, &cy, &cx);
		break;
	case SEC_HOURS:
		if (st->hours_error[0] && body.h > 8) {
			tui_draw_text(win, body.y + body.h - 1, r.x + 1, r.w - 1,
				      st->hours_error,
				      tui_theme_attr(TUI_C_ERROR));
			body.h--;
		} else if (body.h > 9 && st->base != NULL &&
			   json_object_get(st->base, "hours") == NULL) {
			tui_draw_text(win, body.y + body.h - 1, r.x + 1, r.w - 1,
				      "This store publishes no hours yet; fill a day to publish them.",
				      tui_theme_attr(TUI_C_DIM));
			body.h--;
		}
		tui_form_draw(win, body, &st->hours, focused, &cy, &cx);
		break;
	case SEC_MENU:
		editor_menu_draw(st, s, win, body, focused);
		break;
	}
	if (focused && cy >= 0 && st->save_seq == 0)
		console_show_cursor(s->console, cy, cx);
	if (st->form_error[0]) {
		tui_draw_text(win, r.y + r.h - 1, r.x + 1, r.w - 1,
			      st->form_error, tui_theme_attr(TUI_C_ERROR));
		return;
	}
	bottom = st->section == SEC_HOURS
			 ? "Ctrl-S save  Tab section  Up/Down day  Ctrl-Y copy to every day  empty: closed"
			 : "Ctrl-S save  Tab section  Up/Down/Enter field  Ctrl-R reload  Esc back";
	if (st->section != SEC_MENU || st->item_open)
		tui_draw_text(win, r.y + r.h - 1, r.x + 1, r.w - 1, bottom,
			      tui_theme_attr(TUI_C_DIM));
	else
		tui_draw_text(win, r.y + r.h - 1, r.x + 1, r.w - 1,
			      "Ctrl-S save  Tab section  Ctrl-R reload  Esc back",
			      tui_theme_attr(TUI_C_DIM));
}

/* ---- keys ---- */

static void copy_day(struct screen *s)
{
	struct editor_state *st = s->state;
	int from = st->hours.focus;

	for (int d = 0; d < EDITOR_DAYS; d++)
		if (d != from)
			tui_field_set(&st->df[d].text, st->df[from].text.text);
	console_say(s->console, TUI_SAY_INFO, "every day: %s",
		    st->df[from].text.text[0] ? st->df[from].text.text
					      : "closed");
}

static unsigned conflict_key(struct screen *s, const struct screen_key *k)
{
	struct editor_state *st = s->state;

	switch (tui_keymap_lookup(&conflict_keymap, k->key)) {
	case TUI_A_TAKE_THEIRS:
		if (st->theirs != NULL) {
			json_t *theirs = json_incref(st->theirs);

			take_store(st, theirs, 0);
			json_decref(theirs);
			console_say(s->console, TUI_SAY_INFO,
				    "store %lld v%lld loaded (your edits dropped)",
				    (long long)st->store_id,
				    (long long)st->version);
		} else {
			request_store(s, &st->get_seq);
		}
		return SCREEN_HANDLED | SCREEN_REDRAW;
	case TUI_A_KEEP_MINE:
		if (st->theirs == NULL) {
			console_say(s->console, TUI_SAY_WARN,
				    "their version has not arrived yet");
			return SCREEN_HANDLED;
		}
		keep_mine(s);
		return SCREEN_HANDLED | SCREEN_REDRAW;
	case TUI_A_DISMISS:
		st->conflict = 0;
		return SCREEN_HANDLED | SCREEN_REDRAW;
	default:
		/* The banner is a question; other keys wait for it. */
		return TUI_KEY_IS_FN(k->key) || k->key < 0x20 ? SCREEN_IGNORED
							     : SCREEN_HANDLED;
	}
}

static unsigned section_step(struct screen *s, int dir)
{
	struct editor_state *st = s->state;
	int next = st->section + dir;

	editor_menu_close_item(st);
	/* Past the last section, the Stream beside gets the keys. */
	if ((next >= SEC_COUNT || next < 0) && console_side_visible(s->console)) {
		st->section = next < 0 ? SEC_COUNT - 1 : 0;
		return SCREEN_REDRAW;
	}
	st->section = (next + SEC_COUNT) % SEC_COUNT;
	return SCREEN_HANDLED | SCREEN_REDRAW;
}

static unsigned editor_key(struct screen *s, const struct screen_key *k)
{
	struct editor_state *st = s->state;
	struct tui_form *form;

	if (st->conflict)
		return conflict_key(s, k);
	switch (k->action) {
	case TUI_A_SAVE:
		save(s);
		return SCREEN_HANDLED | SCREEN_REDRAW;
	case TUI_A_RELOAD:
		if (st->creating) {
			screen_editor_new(s, NULL);
		} else if (st->store_id > 0 && st->get_seq == 0) {
			editor_menu_close_item(st);
			request_store(s, &st->get_seq);
			st->loaded = 0;
		}
		return SCREEN_HANDLED | SCREEN_REDRAW;
	case TUI_A_NEXT_PANE:
		return section_step(s, 1);
	case TUI_A_PREV_PANE:
		return section_step(s, -1);
	case TUI_A_LEAVE:
		if (st->section == SEC_MENU && st->item_open)
			break;
		if (editor_dirty(st) && !st->esc_armed) {
			st->esc_armed = 1;
			console_say(s->console, TUI_SAY_WARN,
				    "unsaved edits: Esc again leaves them here "
				    "(Ctrl-S saves)");
			return SCREEN_HANDLED | SCREEN_REDRAW;
		}
		st->esc_armed = 0;
		console_back(s->console);
		return SCREEN_HANDLED | SCREEN_REDRAW;
	default:
		break;
	}
	/* Typing ahead while a store loads stays out of the global keys;
	 * with no form at all (none opened, or it failed) q quits. */
	if (!st->loaded && st->get_seq == 0)
		return SCREEN_IGNORED;
	if (!st->loaded)
		return TUI_KEY_IS_FN(k->key) || k->key < 0x20 ? SCREEN_IGNORED
							     : SCREEN_HANDLED;
	if (st->section == SEC_MENU)
		return editor_menu_key(s, k);
	if (st->section == SEC_HOURS && k->action == TUI_A_COPY_DAY) {
		copy_day(s);
		return SCREEN_HANDLED | SCREEN_REDRAW;
	}
	form = st->section == SEC_STORE ? &st->form : &st->hours;
	switch (tui_form_key(form, k->key, k->action)) {
	case TUI_FORM_IGNORED:
		/* Typing never falls through to the global keys (q). */
		return TUI_KEY_IS_FN(k->key) || k->key < 0x20 ? SCREEN_IGNORED
							     : SCREEN_HANDLED;
	default:
		st->esc_armed = 0;
		return SCREEN_HANDLED | SCREEN_REDRAW;
	}
}

static const char *editor_hint(struct screen *s)
{
	struct editor_state *st = s->state;

	if (st->conflict)
		return "r theirs  k keep mine  Esc form  F1 help";
	if (st->section == SEC_MENU && !st->item_open)
		return "a add  Enter edit  x remove  Space sold out  Ctrl-S save";
	return "Ctrl-S save  Tab section  Esc back  F1 help";
}

static int editor_init(struct screen *s)
{
	editor_fields_init(s->state);
	return 0;
}

static void editor_done(struct screen *s)
{
	reset(s->state);
}

static const struct tui_keymap *const editor_more_keymaps[] = {
	&editor_menu_keymap, &conflict_keymap, NULL,
};

const struct screen_ops screen_editor = {
	.name = "Editor",
	.command = "editor",
	.state_size = sizeof(struct editor_state),
	.keymap = &editor_keymap,
	.more_keymaps = editor_more_keymaps,
	.edits_text = 1,
	.hints = "Ctrl-S save  Tab section  Esc back  F1 help",
	.hint = editor_hint,
	.init = editor_init,
	.title = editor_title,
	.draw = editor_draw,
	.key = editor_key,
	.on_event = editor_on_event,
	.on_prompt = editor_prompt,
	.done = editor_done,
};
