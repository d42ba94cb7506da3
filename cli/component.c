#include "cli/component.h"

#include <string.h>

#include "cli/stack.h"
#include "cli/stacktokens.h"
#include "cli/statedir.h"

extern char **environ;

/* display-svc asks these for the list query, and follows review.events. */
static const struct component_dep display_deps[] = {
	{ "--search-api", "search" },
	{ "--ads-api", "ads" },
	{ "--favorites-api", "favorites" },
	{ "--reviews-api", "reviews" },
	{ NULL, NULL },
};

/* display-svc last: it calls the others. A service whose program was not
 * built is left out with a warning (they land one by one). */
const struct component component_table[] = {
	{ "broker", "storectl-broker", NULL, 0, 0, 1, NULL },
	{ "store", "store-svc", "store.db", 0, 0, 1, NULL, 1 },
	{ "search", "search-svc", "search.db", 1, 1, 0, NULL },
	{ "ads", "ads-svc", "ads.db", 1, 1, 0, NULL, 1 },
	{ "favorites", "favorites-svc", "favorites.db", 1, 1, 0, NULL, 1 },
	{ "reviews", "reviews-svc", "reviews.db", 1, 1, 0, NULL, 1 },
	{ "display", "display-svc", "display.db", 1, 1, 0, display_deps },
};

const size_t component_count =
	sizeof(component_table) / sizeof(component_table[0]);

const struct component *component_find(const char *name)
{
	for (size_t i = 0; i < component_count; i++)
		if (strcmp(component_table[i].name, name) == 0)
			return &component_table[i];
	return NULL;
}

void component_env(struct strvec *env, const struct component *c,
		   const char *token)
{
	for (char **e = environ; *e != NULL; e++)
		if (strncmp(*e, "STORECTL_", 9) != 0)
			strvec_push(env, *e);
	if (c->downstream && token != NULL && *token != '\0')
		strvec_pushf(env, "STORECTL_TOKEN=%s", token);
}

void component_args(struct strvec *args, const char *path,
		    const struct cli_opts *o, const struct component *c,
		    const char *abs, const struct stack_info *info)
{
	char embedded[] = STACK_EMBEDDED_X;
	char *save = NULL;

	strvec_push(args, path);
	if (c->db == NULL) {
		/* The broker: its other defaults are the embedded stack's. */
		strvec_push(args, "--control");
		strvec_push(args, "127.0.0.1:0");
		return;
	}
	strvec_push(args, "--listen");
	strvec_push(args, "127.0.0.1:0");
	strvec_push(args, "--db");
	strvec_pushf(args, "%s/" STATEDIR_DB "/%s", abs, c->db);
	strvec_push(args, "--brokers");
	strvec_push(args, info->broker);
	/* Consumer properties would only draw warnings from a producer. */
	for (char *kv = c->consumer ? strtok_r(embedded, ",", &save) : NULL;
	     kv != NULL; kv = strtok_r(NULL, ",", &save)) {
		strvec_push(args, "-X");
		strvec_push(args, kv);
	}
	for (size_t i = 0; i < o->props.n; i++) {
		strvec_push(args, "-X");
		strvec_pushf(args, "%s=%s", o->props.key[i], o->props.value[i]);
	}
	if (c->tokens) {
		strvec_push(args, "--tokens");
		strvec_pushf(args, "%s/" STACKTOKENS_FILE, abs);
	}
	if (c->downstream) {
		strvec_push(args, "--store-api");
		strvec_push(args, stackfile_service(info, "store"));
	}
	for (const struct component_dep *d = c->deps; d != NULL && d->flag;
	     d++) {
		const char *url = stackfile_service(info, d->service);

		if (url != NULL) {
			strvec_push(args, d->flag);
			strvec_push(args, url);
		}
	}
}

_Static_assert(sizeof(component_table) / sizeof(component_table[0]) <=
		       STACK_PROCS_MAX,
	       "stack.json holds at most STACK_PROCS_MAX processes");
