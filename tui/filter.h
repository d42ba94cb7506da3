#ifndef STORECTL_TUI_FILTER_H
#define STORECTL_TUI_FILTER_H

#include <stddef.h>
#include <stdint.h>

#include "tui/stream_model.h"

/*
 * Filters of the lists, pure so they are tested without a terminal.
 *
 * The Stream's filter is a few words, all of which must hold:
 *   42 or store=42            events of store 42
 *   created updated deleted   events of these types (type=updated too)
 *   search ads ... (svc=)     show only these services' columns
 *   failed stale fields coalesced applied pending (state=)
 *                             rows where a shown service reacted so
 *                             (pending: has not reacted yet)
 *   name menu hours ... (field=)  events that changed this field
 * Words of one kind are alternatives: "created deleted" is either.
 */

struct stream_filter {
	int64_t store_id;  /* 0: any */
	unsigned types;    /* 1 << store_event_type; 0: any */
	uint32_t fields;   /* STORE_F_* any of which changed; 0: any */
	unsigned states;   /* 1 << stream_cell_state; 0: any */
	size_t nservices;  /* 0: every column */
	char services[STREAM_SERVICES_MAX][32];
	int active;        /* anything set at all */
};

/*
 * Parses text into *f. services (n names) are the service names it may
 * name besides those it always knows (search, ads, favorites, reviews,
 * display). Returns 0, or -1 with a reason naming the word in err.
 */
int stream_filter_parse(const char *text, const char *const *services,
			size_t n, struct stream_filter *f, char *err,
			size_t errlen);

/* 1 when the filter shows service name's column. */
int stream_filter_shows(const struct stream_filter *f, const char *name);

/* 1 when row passes f (m gives the service columns). */
int stream_filter_match(const struct stream_filter *f,
			const struct stream_row *row,
			const struct stream_model *m);

/*
 * 1 when needle occurs in hay ignoring ASCII case (Hangul and other
 * scripts compare exactly); an empty needle is in everything.
 */
int tui_text_contains(const char *hay, const char *needle);

#endif
