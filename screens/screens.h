#ifndef STORECTL_SCREENS_H
#define STORECTL_SCREENS_H

#include <stdint.h>

#include "tui/screen.h"

/* The console's screens, one file each (DESIGN.md, "The console"). */
extern const struct screen_ops screen_stores; /* screens/stores.c */
extern const struct screen_ops screen_editor; /* screens/editor.c */
extern const struct screen_ops screen_stream; /* screens/stream.c */

/*
 * Loads store_id into the editor (drops whatever it held) and starts the
 * GET; the form shows "loading…" until it answers.
 */
void screen_editor_load(struct screen *s, int64_t store_id);

/* 1 when the editor holds edits that are not saved. */
int screen_editor_dirty(const struct screen *s);

#endif
