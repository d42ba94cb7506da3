/*
 * Event: one row of the Stream in full. The event as it came off
 * store.events (pretty-printed JSON, partition, offset, commit and
 * arrival times), then every service's reaction from store.reactions
 * (action, versions, latency, partition and offset, the record itself).
 * It keeps a copy, so it still shows an event that has fallen out of the
 * Stream's window, and refreshes while reactions arrive. Esc goes back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/fields.h"
#include "common/clock.h"
#include "screens/screens.h"
#include "tui/fmt.h"
#include "tui/textview.h"

struct event_state {
	uint64_t seq;
	int have;
	struct stream_row row; /* the copy; raw strings owned here */
	char names[STREAM_SERVICES_MAX][32];
	struct tui_textview tv;
	int stale;            /* rebuild the text before drawing */
};

static const struct tui_keybind event_binds[] = {
	TUI_BINDS_MOVE,
};

static const struct tui_keymap event_keymap =
	TUI_KEYMAP("Event", event_binds);

static void drop_copy(struct event_state *st)
{
	free(st->row.raw);
	for (int s = 0; s < STREAM_SERVICES_MAX; s++)
		free(st->row.cell[s].raw);
	memset(&st->row, 0, sizeof(st->row));
	st->have = 0;
}

static char *dup_or_null(const char *s)
{
	return s != NULL ? strdup(s) : NULL;
}

/* Copies the row with this seq from the stream, when it is still there. */
static int refresh_copy(struct screen *s)
{
	struct event_state *st = s->state;
	const struct stream_model *m = console_stream(s->console);
	long i = stream_model_find_seq(m, st->seq);
	const struct stream_row *row;

	if (i < 0)
		return 0;
	row = stream_model_row(m, (size_t)i);
	drop_copy(st);
	st->row = *row;
	st->row.raw = dup_or_null(row->raw);
	for (int k = 0; k < STREAM_SERVICES_MAX; k++) {
		const char *name = stream_model_service_name(m, k);

		st->row.cell[k].raw = dup_or_null(row->cell[k].raw);
		snprintf(st->names[k], sizeof(st->names[k]), "%s",
			 name ? name : "");
	}
	st->have = 1;
	st->stale = 1;
	return 1;
}

void screen_event_show(struct screen *s, uint64_t seq)
{
	struct event_state *st = s->state;

	drop_copy(st);
	st->seq = seq;
	st->tv.top = 0;
	refresh_copy(s);
	st->stale = 1;
}

static void iso(double wall_ms, char *buf, size_t len)
{
	if (wall_ms <= 0)
		snprintf(buf, len, "?");
	else
		clock_format_iso(wall_ms, buf, len);
}

static void fields_text(uint32_t fields, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	for (int b = 0; b < 32 && o < len; b++) {
		uint32_t bit = 1u << b;
		const char *name =
			bit == STORE_F_OTHER ? "other" : store_field_name(bit);

		if ((fields & bit) && name != NULL)
			o += (size_t)snprintf(buf + o, len - o, "%s%s",
					      o ? ", " : "", name);
	}
	if (o == 0)
		snprintf(buf, len, "(none named)");
}

static enum tui_color cell_color(enum stream_cell_state state)
{
	switch (state) {
	case STREAM_CELL_APPLIED:
	case STREAM_CELL_DELETED:
		return TUI_C_GOOD;
	case STREAM_CELL_FAILED:
		return TUI_C_ERROR;
	case STREAM_CELL_NONE:
		return TUI_C_WARN;
	default:
		return TUI_C_DIM;
	}
}

static void build(struct screen *s)
{
	struct event_state *st = s->state;
	const struct stream_row *r = &st->row;
	struct tui_textview *tv = &st->tv;
	char at[40], fields[256], ms[16];

	tui_textview_clear(tv);
	if (!st->have) {
		tui_textview_add(tv, TUI_C_DIM,
				 "No event chosen: Enter on a row of the Stream shows it here.");
		return;
	}
	fields_text(r->fields, fields, sizeof(fields));
	tui_textview_add(tv, TUI_C_HEADER, "Store %lld %s, version %lld",
			 (long long)r->store_id,
			 store_event_type_name(r->type), (long long)r->version);
	tui_textview_add(tv, TUI_C_NORMAL, "  changed     %s", fields);
	tui_textview_add(tv, TUI_C_NORMAL,
			 "  record      store.events partition %d offset %lld",
			 (int)r->partition, (long long)r->offset);
	iso(r->at_ms, at, sizeof(at));
	tui_textview_add(tv, TUI_C_NORMAL, "  committed   %s", at);
	iso(r->received_ms, at, sizeof(at));
	tui_fmt_ms(r->received_ms - r->at_ms, ms, sizeof(ms));
	tui_textview_add(tv, TUI_C_NORMAL, "  read here   %s (%s after the commit)",
			 at, ms);
	tui_textview_add(tv, TUI_C_NORMAL, "  event_id    %s", r->event_id);
	tui_textview_add(tv, TUI_C_NORMAL, "%s", "");
	tui_textview_add(tv, TUI_C_HEADER, "The event (raw JSON)");
	tui_textview_add_json(tv, r->raw, "  ");
	tui_textview_add(tv, TUI_C_NORMAL, "%s", "");
	tui_textview_add(tv, TUI_C_HEADER,
			 "Reactions on store.reactions");
	for (int k = 0; k < STREAM_SERVICES_MAX; k++) {
		const struct stream_cell *c = &r->cell[k];
		char lag[16], took[16];

		if (st->names[k][0] == '\0')
			continue;
		if (c->state == STREAM_CELL_NONE) {
			tui_textview_add(tv, cell_color(c->state),
					 "  %-10s no reaction yet", st->names[k]);
			continue;
		}
		tui_fmt_ms(c->lag_ms, lag, sizeof(lag));
		tui_fmt_ms(c->took_ms, took, sizeof(took));
		if (c->state == STREAM_CELL_COALESCED) {
			tui_textview_add(tv, cell_color(c->state),
					 "  %-10s coalesced: answered by the fetch for v%lld (holds v%lld), %s after this commit",
					 st->names[k], (long long)c->by_version,
					 (long long)c->applied_version, lag);
			continue;
		}
		iso(c->at_ms, at, sizeof(at));
		tui_textview_add(tv, cell_color(c->state),
				 "  %-10s %s%s%s, holds v%lld, lag %s, took %s, "
				 "coalesced x%d",
				 st->names[k], stream_cell_name(c->state),
				 c->error[0] ? ": " : "", c->error,
				 (long long)c->applied_version, lag, took,
				 c->coalesced);
		tui_textview_add(tv, TUI_C_DIM,
				 "  %-10s store.reactions partition %d offset %lld at %s",
				 "", (int)c->partition, (long long)c->offset, at);
		tui_textview_add_json(tv, c->raw, "    ");
	}
}

static void event_title(struct screen *s, char *buf, size_t len)
{
	struct event_state *st = s->state;

	if (!st->have)
		snprintf(buf, len, "none");
	else
		snprintf(buf, len, "store %lld v%lld - p%d @ %lld - Esc back",
			 (long long)st->row.store_id, (long long)st->row.version,
			 (int)st->row.partition, (long long)st->row.offset);
}

static void event_draw(struct screen *s, WINDOW *win, struct tui_rect r,
		       int focused)
{
	struct event_state *st = s->state;

	(void)focused;
	if (st->stale) {
		build(s);
		st->stale = 0;
	}
	r.x++;
	r.w--;
	tui_textview_draw(win, r, &st->tv);
}

static unsigned event_key(struct screen *s, const struct screen_key *k)
{
	struct event_state *st = s->state;

	if (tui_textview_move(&st->tv, k->action))
		return SCREEN_HANDLED | SCREEN_REDRAW;
	return SCREEN_IGNORED;
}

static unsigned event_on_event(struct screen *s,
			       const struct console_event *ev)
{
	struct event_state *st = s->state;

	if (ev->kind == CONSOLE_EV_REACTION && st->have &&
	    ev->row->seq == st->seq && refresh_copy(s))
		return console_is_visible(s->console, s) ? SCREEN_REDRAW
							  : SCREEN_IGNORED;
	return SCREEN_IGNORED;
}

static void event_done(struct screen *s)
{
	struct event_state *st = s->state;

	drop_copy(st);
	tui_textview_free(&st->tv);
}

const struct screen_ops screen_event = {
	.name = "Event",
	.command = NULL,
	.state_size = sizeof(struct event_state),
	.keymap = &event_keymap,
	.hints = "j/k PgUp/PgDn scroll  Esc back  ? help",
	.title = event_title,
	.draw = event_draw,
	.key = event_key,
	.on_event = event_on_event,
	.done = event_done,
};
