/* --tokens and --insecure-open: read the tokens file, or refuse to start. */
#include "common/auth_opts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"

const char auth_opts_help[] =
	"  --tokens FILE       bearer tokens by role (JSON, the format of\n"
	"                      store-svc(8)); writes need one (STORECTL_TOKENS).\n"
	"                      Without a tokens file it refuses to start, unless:\n"
	"  --insecure-open     run OPEN: every request is allowed as an operator,\n"
	"                      unauthenticated; for trying it out only\n"
	"                      (STORECTL_INSECURE_OPEN=1)\n";

void auth_opts_env(struct auth_opts *o)
{
	const char *env = getenv("STORECTL_TOKENS");

	if (env != NULL && *env != '\0')
		o->tokens_file = env;
	env = getenv("STORECTL_INSECURE_OPEN");
	if (env != NULL && strcmp(env, "1") == 0)
		o->insecure_open = 1;
}

int auth_opts_set(struct auth_opts *o, int opt, const char *arg,
		  const char *program)
{
	if (opt == AUTH_OPT_INSECURE_OPEN) {
		o->insecure_open = 1;
		return 0;
	}
	if (opt != AUTH_OPT_TOKENS)
		return -1;
	if (*arg == '\0') {
		fprintf(stderr, "%s: --tokens: empty path\n", program);
		return -1;
	}
	o->tokens_file = arg;
	return 0;
}

struct auth *auth_start(struct auth_token *tokens, size_t n,
			int insecure_open, const char *source, char *err,
			size_t errlen)
{
	struct auth *a = auth_new(tokens, n);
	size_t owners, operators, services;

	if (a == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (auth_is_open(a) && !insecure_open) {
		snprintf(err, errlen,
			 "no bearer tokens: give --tokens FILE (or STORECTL_TOKENS), "
			 "or --insecure-open to run without authentication");
		auth_free(a);
		return NULL;
	}
	if (auth_is_open(a)) {
		log_warn("AUTHENTICATION IS OFF: no tokens configured (--tokens FILE or STORECTL_TOKENS); "
			 "every request is allowed, unauthenticated, as an operator. "
			 "Do not expose this API.");
		return a;
	}
	auth_counts(a, &owners, &operators, &services);
	log_info("bearer tokens required: %zu owner, %zu operator, %zu service token(s) (%s)",
		 owners, operators, services, source);
	return a;
}

struct auth *auth_load(const struct auth_opts *o, char *err, size_t errlen)
{
	struct auth_token *tokens = NULL;
	size_t n = 0;
	char warn[256];

	if (o->tokens_file != NULL) {
		if (auth_parse_file(o->tokens_file, &tokens, &n, warn,
				    sizeof(warn), err, errlen))
			return NULL;
		if (warn[0] != '\0')
			log_warn("%s", warn);
	}
	return auth_start(tokens, n, o->insecure_open, "from the tokens file",
			  err, errlen);
}
