/*
 * Editor: the store form (name, category, phone, status). Ctrl-S sends only
 * the changed fields as a JSON merge patch with If-Match of the version the
 * form was loaded at. A 422 puts the API's reason under the field it names;
 * a 412 says someone else changed the store and offers a reload; after a
 * save the console reports how each service reacted to the new version.
 */
#include <stdio.h>
#include <string.h>

#include "screens/screens.h"
#include "tui/text.h"
#include "tui/textfield.h"

enum { F_NAME, F_CATEGORY, F_PHONE, F_STATUS, F_COUNT };

static const struct {
	const char *key;   /* JSON member */
	const char *label;
	const char *hint;
} editor_fields[F_COUNT] = {
	[F_NAME] = { "name", "Name", "" },
	[F_CATEGORY] = { "category", "Category", "korean, chicken, cafe..." },
	[F_PHONE] = { "phone", "Phone", "02-123-4567" },
	[F_STATUS] = { "status", "Status", "open or closed" },
};

struct editor_state {
	int64_t store_id;
	int64_t version; /* loaded; If-Match of the next save */
	int loaded;
	int gone;        /* 404/410: nothing to edit */
	uint64_t get_seq, patch_seq;
	struct tui_field field[F_COUNT];
	char original[F_COUNT][TUI_FIELD_MAX + 1];
	char field_error[F_COUNT][200];
	char form_error[512];
	int focus;
	int conflict;        /* the last save got 412 */
	int64_t conflict_version;
	int esc_armed;       /* Esc pressed once with unsaved edits */
	int64_t newer;       /* the stream shows this newer version */
	char owner[64];
	char updated_at[40];
};

static const struct tui_keybind editor_binds[] = {
	{ '\t', TUI_A_NEXT_FIELD },
	{ TUI_KEY_FN(KEY_DOWN), TUI_A_NEXT_FIELD },
	{ '\r', TUI_A_NEXT_FIELD },
	{ '\n', TUI_A_NEXT_FIELD },
	{ TUI_KEY_FN(KEY_ENTER), TUI_A_NEXT_FIELD },
	{ TUI_KEY_FN(KEY_BTAB), TUI_A_PREV_FIELD },
	{ TUI_KEY_FN(KEY_UP), TUI_A_PREV_FIELD },
	{ TUI_KEY_CTRL('s'), TUI_A_SAVE },
	{ TUI_KEY_FN(KEY_F(2)), TUI_A_SAVE },
	{ TUI_KEY_ESC, TUI_A_BACK },
	{ TUI_KEY_CTRL('r'), TUI_A_RELOAD },
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

static const struct tui_keymap editor_keymap =
	TUI_KEYMAP("Editor", editor_binds);

static int is_dirty(const struct editor_state *st)
{
	if (!st->loaded)
		return 0;
	for (int i = 0; i < F_COUNT; i++)
		if (strcmp(st->field[i].text, st->original[i]) != 0)
			return 1;
	return 0;
}

int screen_editor_dirty(const struct screen *s)
{
	return is_dirty(s->state);
}

static void clear_errors(struct editor_state *st)
{
	for (int i = 0; i < F_COUNT; i++)
		st->field_error[i][0] = '\0';
	st->form_error[0] = '\0';
	st->conflict = 0;
}

static void request_store(struct screen *s)
{
	struct editor_state *st = s->state;
	struct tui_job *job = tui_job_new(TUI_JOB_GET_STORE);

	if (job == NULL) {
		console_say(s->console, TUI_SAY_ERROR, "out of memory");
		return;
	}
	job->store_id = st->store_id;
	st->patch_seq = 0;
	st->get_seq = console_submit(s->console, job);
}

void screen_editor_load(struct screen *s, int64_t store_id)
{
	struct editor_state *st = s->state;

	memset(st, 0, sizeof(*st));
	st->store_id = store_id;
	request_store(s);
}

/* The field's text is what the API holds now. */
static void remember(struct editor_state *st, int i)
{
	memcpy(st->original[i], st->field[i].text, st->field[i].len + 1);
}

static void fill_form(struct editor_state *st, const json_t *store,
		      int64_t etag_version)
{
	const json_t *v = json_object_get(store, "version");

	for (int i = 0; i < F_COUNT; i++) {
		const char *text = json_string_value(
			json_object_get(store, editor_fields[i].key));

		tui_field_set(&st->field[i], text ? text : "");
		remember(st, i);
	}
	st->version = json_is_integer(v) ? json_integer_value(v) : etag_version;
	snprintf(st->owner, sizeof(st->owner), "%s",
		 json_string_value(json_object_get(store, "owner"))
			 ? json_string_value(json_object_get(store, "owner"))
			 : "");
	snprintf(st->updated_at, sizeof(st->updated_at), "%s",
		 json_string_value(json_object_get(store, "updated_at"))
			 ? json_string_value(json_object_get(store, "updated_at"))
			 : "");
	st->loaded = 1;
	st->gone = 0;
	st->esc_armed = 0;
	st->newer = 0;
	clear_errors(st);
}

static int field_index(const char *name)
{
	if (name == NULL)
		return -1;
	/* "/name" (a JSON pointer) as well as "name". */
	if (name[0] == '/')
		name++;
	for (int i = 0; i < F_COUNT; i++)
		if (strcmp(name, editor_fields[i].key) == 0)
			return i;
	return -1;
}

/* One problem (or one member of "errors") at its field, else the form. */
static void place_problem(struct editor_state *st, const json_t *p,
			  const char *fallback)
{
	const char *field = json_string_value(json_object_get(p, "field"));
	const char *detail = json_string_value(json_object_get(p, "detail"));
	const char *rule = json_string_value(json_object_get(p, "rule"));
	const char *title = json_string_value(json_object_get(p, "title"));
	const char *msg = detail ? detail : title ? title : rule ? rule : fallback;
	int i = field_index(field);

	if (i >= 0) {
		if (rule != NULL && detail != NULL && strstr(detail, rule) == NULL)
			snprintf(st->field_error[i], sizeof(st->field_error[i]),
				 "%s (%s)", msg, rule);
		else
			snprintf(st->field_error[i], sizeof(st->field_error[i]),
				 "%s", msg);
		st->focus = i;
	} else {
		snprintf(st->form_error, sizeof(st->form_error), "%s%s%s",
			 field ? field : "", field ? ": " : "", msg);
	}
}

static void show_problem(struct editor_state *st, const struct tui_job *job)
{
	const json_t *body = job->res.body;
	const json_t *errors = json_object_get(body, "errors");

	clear_errors(st);
	if (json_is_array(errors) && json_array_size(errors) > 0) {
		/* Backwards, so the focus ends on the first field named. */
		for (size_t i = json_array_size(errors); i-- > 0;)
			place_problem(st, json_array_get(errors, i),
				      job->res.error);
	} else if (json_is_object(body)) {
		place_problem(st, body, job->res.error);
	} else {
		snprintf(st->form_error, sizeof(st->form_error), "%ld %s",
			 job->res.status, job->res.error);
	}
}

static void save(struct screen *s)
{
	struct editor_state *st = s->state;
	struct tui_job *job;
	json_t *patch;

	if (!st->loaded || st->get_seq != 0) {
		console_say(s->console, TUI_SAY_WARN, "the store is not loaded yet");
		return;
	}
	if (st->patch_seq != 0) {
		console_say(s->console, TUI_SAY_WARN, "saving already...");
		return;
	}
	if (!is_dirty(st)) {
		console_say(s->console, TUI_SAY_INFO, "nothing to save");
		return;
	}
	patch = json_object();
	job = tui_job_new(TUI_JOB_PATCH_STORE);
	if (patch == NULL || job == NULL) {
		json_decref(patch);
		tui_job_free(job);
		console_say(s->console, TUI_SAY_ERROR, "out of memory");
		return;
	}
	/* A merge patch of what changed: a concurrent edit of another field
	 * is not overwritten (and If-Match catches it anyway). */
	for (int i = 0; i < F_COUNT; i++)
		if (strcmp(st->field[i].text, st->original[i]) != 0)
			json_object_set_new(patch, editor_fields[i].key,
					    json_string(st->field[i].text));
	job->store_id = st->store_id;
	job->if_version = st->version;
	job->body = patch;
	clear_errors(st);
	st->esc_armed = 0;
	st->patch_seq = console_submit(s->console, job);
	if (st->patch_seq != 0)
		console_say(s->console, TUI_SAY_INFO, "saving store %lld...",
			    (long long)st->store_id);
}

static void on_get_done(struct screen *s, const struct tui_job *job)
{
	struct editor_state *st = s->state;

	st->get_seq = 0;
	if (job->rc != 0) {
		tui_job_describe(job, st->form_error, sizeof(st->form_error));
		console_say(s->console, TUI_SAY_ERROR, "%s (Ctrl-R retries)",
			    st->form_error);
	} else if (job->res.status == 200 && json_is_object(job->res.body)) {
		fill_form(st, job->res.body, job->res.etag_version);
		console_say(s->console, TUI_SAY_INFO,
			    "store %lld v%lld loaded", (long long)st->store_id,
			    (long long)st->version);
	} else if (job->res.status == 404 || job->res.status == 410) {
		st->loaded = 0;
		st->gone = 1;
		snprintf(st->form_error, sizeof(st->form_error),
			 "store %lld %s", (long long)st->store_id,
			 job->res.status == 410 ? "was deleted"
						: "does not exist");
		console_say(s->console, TUI_SAY_WARN, "%s", st->form_error);
	} else {
		tui_job_describe(job, st->form_error, sizeof(st->form_error));
		console_say(s->console, TUI_SAY_ERROR, "%s", st->form_error);
	}
}

static void on_patch_done(struct screen *s, const struct tui_job *job)
{
	struct editor_state *st = s->state;
	long status = job->res.status;

	st->patch_seq = 0;
	if (job->rc != 0 || status == 401 || status == 403) {
		char why[400];

		tui_job_describe(job, why, sizeof(why));
		snprintf(st->form_error, sizeof(st->form_error),
			 "not saved: %s", why);
		console_say(s->console, TUI_SAY_ERROR,
			    "not saved (edits kept): %s", why);
		return;
	}
	if (status == 200 || status == 204) {
		if (json_is_object(job->res.body)) {
			fill_form(st, job->res.body, job->res.etag_version);
		} else {
			/* No body: what we sent is now the truth. */
			for (int i = 0; i < F_COUNT; i++)
				remember(st, i);
			st->version = job->res.etag_version
					      ? job->res.etag_version
					      : st->version + 1;
		}
		console_watch_ripple(s->console, st->store_id, st->version);
		return;
	}
	if (status == 412) {
		st->conflict = 1;
		st->conflict_version = job->res.etag_version;
		if (json_is_integer(json_object_get(job->res.body,
						    "current_version")))
			st->conflict_version = json_integer_value(
				json_object_get(job->res.body, "current_version"));
		console_say(s->console, TUI_SAY_WARN,
			    "not saved: store %lld changed since v%lld; r reloads",
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
	show_problem(st, job);
	console_say(s->console, TUI_SAY_ERROR, "not saved (%ld): %s", status,
		    job->res.error[0] ? job->res.error : "see the form");
}

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

	if (!st->loaded || row->store_id != st->store_id ||
	    row->version <= st->version || row->version <= st->newer ||
	    st->patch_seq != 0 || st->get_seq != 0)
		return SCREEN_IGNORED;
	if (!is_dirty(st)) {
		request_store(s);
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
	if (ev->kind != CONSOLE_EV_API || ev->job->seq == 0)
		return SCREEN_IGNORED;
	if (ev->job->seq == st->get_seq) {
		on_get_done(s, ev->job);
		return SCREEN_REDRAW;
	}
	if (ev->job->seq == st->patch_seq) {
		on_patch_done(s, ev->job);
		return SCREEN_REDRAW;
	}
	return SCREEN_IGNORED;
}

static void editor_title(struct screen *s, char *buf, size_t len)
{
	struct editor_state *st = s->state;
	const char *state = "";

	if (st->get_seq != 0)
		state = " - loading...";
	else if (st->patch_seq != 0)
		state = " - saving...";
	else if (st->conflict)
		state = " - CONFLICT";
	else if (is_dirty(st))
		state = " - modified";
	if (st->loaded && st->newer > st->version)
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

#define LABEL_W 10

static void editor_draw(struct screen *s, WINDOW *win, struct tui_rect r,
			int focused)
{
	struct editor_state *st = s->state;
	int input_w = r.w - LABEL_W - 2;
	int hint_w = 0;
	int y = r.y;
	char line[512];

	if (r.h < 1)
		return;
	if (!st->loaded) {
		if (st->get_seq != 0)
			tui_draw_text(win, y, r.x + 1, r.w - 1, "loading...",
				      tui_theme_attr(TUI_C_WARN));
		else if (st->form_error[0])
			tui_draw_text(win, y, r.x + 1, r.w - 1, st->form_error,
				      tui_theme_attr(TUI_C_ERROR));
		if (r.h > 2)
			tui_draw_text(win, y + 2, r.x + 1, r.w - 1,
				      "Ctrl-R reload   Esc back to the list",
				      tui_theme_attr(TUI_C_DIM));
		return;
	}
	/* Wide terminals: a 40-column field leaves room for the hints. */
	if (input_w > 40 + 2 + 16) {
		hint_w = input_w - 40 - 2;
		input_w = 40;
	}
	/* Line 1: where this store comes from; dropped when space is short. */
	if (r.h >= 2 * F_COUNT + 2) {
		snprintf(line, sizeof(line), "owner %s - updated %s",
			 st->owner[0] ? st->owner : "?",
			 st->updated_at[0] ? st->updated_at : "?");
		tui_draw_text(win, y++, r.x + 1, r.w - 1, line,
			      tui_theme_attr(TUI_C_DIM));
	}
	for (int i = 0; i < F_COUNT && y < r.y + r.h; i++) {
		int is_focus = focused && i == st->focus;
		char view[TUI_FIELD_MAX * 4 + 8];
		int ccol = 0;
		int changed = strcmp(st->field[i].text, st->original[i]) != 0;

		snprintf(line, sizeof(line), "%s%s", editor_fields[i].label,
			 changed ? "*" : "");
		tui_draw_text(win, y, r.x + 1, LABEL_W, line,
			      tui_theme_attr(TUI_C_LABEL) |
				      (i == st->focus ? A_BOLD : 0));
		tui_field_view(&st->field[i], input_w, view, sizeof(view),
			       &ccol);
		tui_draw_text_raw(win, y, r.x + 1 + LABEL_W, input_w, view,
				  tui_theme_attr(is_focus ? TUI_C_INPUT_FOCUS
							  : TUI_C_INPUT));
		if (hint_w > 4 && editor_fields[i].hint[0])
			tui_draw_text(win, y, r.x + 1 + LABEL_W + input_w + 2,
				      hint_w, editor_fields[i].hint,
				      tui_theme_attr(TUI_C_DIM));
		if (is_focus && st->patch_seq == 0)
			console_show_cursor(s->console, y,
					    r.x + 1 + LABEL_W + ccol);
		y++;
		/* The row under a field is for the API's word on it. */
		if (y < r.y + r.h - 1) {
			if (st->field_error[i][0])
				tui_draw_text(win, y, r.x + 1 + LABEL_W,
					      r.w - 1 - LABEL_W,
					      st->field_error[i],
					      tui_theme_attr(TUI_C_ERROR));
			y++;
		}
	}
	y = r.y + r.h - 1;
	if (st->conflict) {
		if (st->conflict_version > 0)
			snprintf(line, sizeof(line),
				 "Changed by someone else (now v%lld). r reload "
				 "(drops your edits)  Esc keep editing",
				 (long long)st->conflict_version);
		else
			snprintf(line, sizeof(line),
				 "Changed by someone else since v%lld. r reload "
				 "(drops your edits)  Esc keep editing",
				 (long long)st->version);
		tui_draw_text(win, y, r.x + 1, r.w - 1, line,
			      tui_theme_attr(TUI_C_WARN) | A_REVERSE);
	} else if (st->form_error[0]) {
		tui_draw_text(win, y, r.x + 1, r.w - 1, st->form_error,
			      tui_theme_attr(TUI_C_ERROR));
	} else {
		tui_draw_text(win, y, r.x + 1, r.w - 1,
			      "Ctrl-S/F2 save  Tab/Up/Down field  Ctrl-R reload  "
			      "Esc back",
			      tui_theme_attr(TUI_C_DIM));
	}
}

static unsigned edit_field(struct editor_state *st, const struct screen_key *k)
{
	struct tui_field *f = &st->field[st->focus];

	switch (k->action) {
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
		tui_field_backspace(f);
		break;
	case TUI_A_DELETE:
		tui_field_delete(f);
		break;
	case TUI_A_KILL_BEFORE:
		tui_field_kill_before(f);
		break;
	case TUI_A_KILL_AFTER:
		tui_field_kill_after(f);
		break;
	case TUI_A_NONE:
		/* Printable characters (Hangul too) go into the field. */
		if (TUI_KEY_IS_FN(k->key) || k->key < 0x20 || k->key == 127)
			return SCREEN_IGNORED;
		if (tui_field_insert(f, (uint32_t)k->key) != 0)
			return SCREEN_HANDLED;
		break;
	default:
		return SCREEN_IGNORED;
	}
	st->esc_armed = 0;
	return SCREEN_HANDLED | SCREEN_REDRAW;
}

static unsigned editor_key(struct screen *s, const struct screen_key *k)
{
	struct editor_state *st = s->state;

	/* The 412 banner is a question: r answers it, Esc dismisses it. */
	if (st->conflict && k->action == TUI_A_NONE && k->key == 'r') {
		request_store(s);
		console_say(s->console, TUI_SAY_INFO, "reloading store %lld...",
			    (long long)st->store_id);
		return SCREEN_HANDLED | SCREEN_REDRAW;
	}
	if (st->conflict && k->action == TUI_A_BACK) {
		st->conflict = 0;
		return SCREEN_HANDLED | SCREEN_REDRAW;
	}
	switch (k->action) {
	case TUI_A_NEXT_FIELD:
		st->focus = (st->focus + 1) % F_COUNT;
		return SCREEN_HANDLED | SCREEN_REDRAW;
	case TUI_A_PREV_FIELD:
		st->focus = (st->focus + F_COUNT - 1) % F_COUNT;
		return SCREEN_HANDLED | SCREEN_REDRAW;
	case TUI_A_SAVE:
		save(s);
		return SCREEN_HANDLED | SCREEN_REDRAW;
	case TUI_A_RELOAD:
		if (st->get_seq == 0)
			request_store(s);
		return SCREEN_HANDLED | SCREEN_REDRAW;
	case TUI_A_BACK:
		if (is_dirty(st) && !st->esc_armed) {
			st->esc_armed = 1;
			console_say(s->console, TUI_SAY_WARN,
				    "unsaved edits: Esc again drops them, "
				    "Ctrl-S saves");
			return SCREEN_HANDLED | SCREEN_REDRAW;
		}
		console_show_stores(s->console);
		return SCREEN_HANDLED | SCREEN_REDRAW;
	default:
		break;
	}
	/* Typing never falls through to the global keys (q would quit). */
	if (!st->loaded)
		return TUI_KEY_IS_FN(k->key) || k->key < 0x20 ? SCREEN_IGNORED
							     : SCREEN_HANDLED;
	return edit_field(st, k);
}

const struct screen_ops screen_editor = {
	.name = "Editor",
	.state_size = sizeof(struct editor_state),
	.keymap = &editor_keymap,
	.hints = "C-s save  Tab field  Esc back  F1 help  F6 stream",
	.title = editor_title,
	.draw = editor_draw,
	.key = editor_key,
	.on_event = editor_on_event,
};
