#ifndef STORECTL_SCREENS_H
#define STORECTL_SCREENS_H

#include <stdint.h>

#include "tui/screen.h"

/* The console's screens, one file each (DESIGN.md, "The console"). */
extern const struct screen_ops screen_stores;   /* screens/stores.c */
extern const struct screen_ops screen_editor;   /* screens/editor.c */
extern const struct screen_ops screen_stream;   /* screens/stream.c */
extern const struct screen_ops screen_event;    /* screens/event.c */
extern const struct screen_ops screen_services; /* screens/services.c */
extern const struct screen_ops screen_query;    /* screens/query.c */

/*
 * Loads store_id into the editor (drops whatever it held) and starts the
 * GET; the form shows "loading..." until it answers.
 */
void screen_editor_load(struct screen *s, int64_t store_id);

/* A blank form for a new store (POST /stores); owner may be NULL. */
void screen_editor_new(struct screen *s, const char *owner);

/* 1 when the editor holds edits that are not saved. */
int screen_editor_dirty(const struct screen *s);

/* Shows the stream row with this seq in the event detail. */
void screen_event_show(struct screen *s, uint64_t seq);

/* Sets the Stream's filter (as if typed after '/'). */
void screen_stream_filter(struct screen *s, const char *filter);

/* Sets the Query screen's area and runs the query. */
void screen_query_area(struct screen *s, const char *area);

#endif
