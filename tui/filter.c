#include "tui/filter.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/fields.h"

static const char *const known_services[] = {
	"search", "ads", "favorites", "reviews", "display",
};

static const struct {
	const char *name;
	enum stream_cell_state state;
} state_words[] = {
	{ "applied", STREAM_CELL_APPLIED },
	{ "deleted", STREAM_CELL_DELETED },
	{ "stale", STREAM_CELL_STALE },
	{ "fields", STREAM_CELL_FIELDS },
	{ "failed", STREAM_CELL_FAILED },
	{ "coalesced", STREAM_CELL_COALESCED },
	{ "pending", STREAM_CELL_NONE },
};

static const struct {
	const char *name;
	enum store_event_type type;
} type_words[] = {
	{ "created", STORE_EVENT_CREATED },
	{ "updated", STORE_EVENT_UPDATED },
	{ "deleted", STORE_EVENT_DELETED },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static int parse_id(const char *s, int64_t *id)
{
	char *end;
	long long v;

	if (*s == '#')
		s++;
	if (*s < '0' || *s > '9')
		return -1;
	v = strtoll(s, &end, 10);
	if (*end != '\0' || v <= 0)
		return -1;
	*id = v;
	return 0;
}

static int add_service(struct stream_filter *f, const char *name)
{
	for (size_t i = 0; i < f->nservices; i++)
		if (strcmp(f->services[i], name) == 0)
			return 0;
	if (f->nservices == STREAM_SERVICES_MAX)
		return -1;
	snprintf(f->services[f->nservices++], sizeof(f->services[0]), "%s",
		 name);
	return 0;
}

static int is_service(const char *w, const char *const *services, size_t n)
{
	for (size_t i = 0; i < N(known_services); i++)
		if (strcmp(w, known_services[i]) == 0)
			return 1;
	for (size_t i = 0; i < n; i++)
		if (services[i] != NULL && strcmp(w, services[i]) == 0)
			return 1;
	return 0;
}

static int type_of(const char *w)
{
	for (size_t i = 0; i < N(type_words); i++)
		if (strcmp(w, type_words[i].name) == 0)
			return (int)type_words[i].type;
	return -1;
}

static int state_of(const char *w)
{
	for (size_t i = 0; i < N(state_words); i++)
		if (strcmp(w, state_words[i].name) == 0)
			return (int)state_words[i].state;
	return -1;
}

static uint32_t field_of(const char *w)
{
	uint32_t bit = store_field_from_name(w);

	return bit == STORE_F_OTHER ? 0 : bit;
}

/* One word, "key=value" or bare; 0 or -1 with err. */
static int parse_word(char *w, const char *const *services, size_t n,
		      struct stream_filter *f, char *err, size_t errlen)
{
	char *eq = strchr(w, '=');
	const char *key = NULL, *v = w;
	int t;
	uint32_t bit;

	if (eq != NULL) {
		*eq = '\0';
		key = w;
		v = eq + 1;
		if (*v == '\0') {
			snprintf(err, errlen, "%s= needs a value", key);
			return -1;
		}
	}
	if (key == NULL || strcmp(key, "store") == 0) {
		if (parse_id(v, &f->store_id) == 0)
			return 0;
		if (key != NULL) {
			snprintf(err, errlen,
				 "store=%s: a store id is a positive number", v);
			return -1;
		}
	}
	/* A bare "deleted" is the event type; state=deleted the reaction. */
	if (key == NULL || strcmp(key, "type") == 0) {
		t = type_of(v);
		if (t > 0) {
			f->types |= 1u << t;
			return 0;
		}
		if (key != NULL) {
			snprintf(err, errlen,
				 "type=%s: the types are created, updated and deleted",
				 v);
			return -1;
		}
	}
	if (key == NULL || strcmp(key, "svc") == 0 ||
	    strcmp(key, "service") == 0) {
		if (is_service(v, services, n)) {
			if (add_service(f, v) == 0)
				return 0;
			snprintf(err, errlen, "too many services");
			return -1;
		}
		if (key != NULL) {
			snprintf(err, errlen,
				 "%s=%s: not a service (search, ads, favorites, reviews, display)",
				 key, v);
			return -1;
		}
	}
	if (key == NULL || strcmp(key, "state") == 0) {
		t = state_of(v);
		if (t >= 0) {
			f->states |= 1u << t;
			return 0;
		}
		if (key != NULL) {
			snprintf(err, errlen,
				 "state=%s: the states are applied, deleted, stale, fields, failed, coalesced and pending",
				 v);
			return -1;
		}
	}
	if (key == NULL || strcmp(key, "field") == 0) {
		bit = field_of(v);
		if (bit != 0) {
			f->fields |= bit;
			return 0;
		}
		if (key != NULL) {
			snprintf(err, errlen, "field=%s: not a store field", v);
			return -1;
		}
	}
	if (key != NULL)
		snprintf(err, errlen,
			 "%s=: use store=, type=, svc=, state= or field=", key);
	else
		snprintf(err, errlen,
			 "\"%s\"? Filter by a store id, created/updated/deleted, a service (search, ads...), failed/stale/fields/coalesced/pending, or a field (name, menu...)",
			 w);
	return -1;
}

int stream_filter_parse(const char *text, const char *const *services,
			size_t n, struct stream_filter *f, char *err,
			size_t errlen)
{
	char buf[512], *save = NULL, *w;

	memset(f, 0, sizeof(*f));
	if (strlen(text) >= sizeof(buf)) {
		snprintf(err, errlen, "the filter is too long");
		return -1;
	}
	snprintf(buf, sizeof(buf), "%s", text);
	for (w = strtok_r(buf, " \t,", &save); w != NULL;
	     w = strtok_r(NULL, " \t,", &save)) {
		for (char *p = w; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		if (parse_word(w, services, n, f, err, errlen) != 0) {
			memset(f, 0, sizeof(*f));
			return -1;
		}
		f->active = 1;
	}
	return 0;
}

int stream_filter_shows(const struct stream_filter *f, const char *name)
{
	if (f->nservices == 0)
		return 1;
	for (size_t i = 0; i < f->nservices; i++)
		if (strcmp(f->services[i], name) == 0)
			return 1;
	return 0;
}

int stream_filter_match(const struct stream_filter *f,
			const struct stream_row *row,
			const struct stream_model *m)
{
	if (f->store_id != 0 && row->store_id != f->store_id)
		return 0;
	if (f->types != 0 && !(f->types & (1u << row->type)))
		return 0;
	if (f->fields != 0 && !(row->fields & f->fields))
		return 0;
	if (f->states != 0) {
		int any = 0;

		if (f->nservices > 0) {
			for (size_t i = 0; i < f->nservices && !any; i++) {
				int s = stream_model_service(m, f->services[i]);
				enum stream_cell_state st =
					s >= 0 ? row->cell[s].state
					       : STREAM_CELL_NONE;

				any = (f->states >> st) & 1u;
			}
		} else {
			/* Every service known so far, or none yet (pending). */
			int ns = stream_model_nservices(m);

			if (ns == 0)
				any = (f->states >> STREAM_CELL_NONE) & 1u;
			for (int s = 0; s < ns && !any; s++)
				any = (f->states >> row->cell[s].state) & 1u;
		}
		if (!any)
			return 0;
	}
	return 1;
}

int tui_text_contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	if (n == 0)
		return 1;
	for (; *hay != '\0'; hay++) {
		size_t i = 0;

		while (i < n && hay[i] != '\0' &&
		       tolower((unsigned char)hay[i]) ==
			       tolower((unsigned char)needle[i]))
			i++;
		if (i == n)
			return 1;
	}
	return 0;
}
