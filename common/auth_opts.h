#ifndef STORECTL_AUTH_OPTS_H
#define STORECTL_AUTH_OPTS_H

#include <getopt.h>
#include <stddef.h>

#include "common/auth.h"

/*
 * --tokens FILE and --insecure-open, the same in every service that takes
 * writes (store-svc(8)): the tokens file, or OPEN mode asked for by name;
 * neither, and the service refuses to start.
 */
struct auth_opts {
	const char *tokens_file;   /* --tokens, STORECTL_TOKENS */
	int insecure_open;         /* --insecure-open, STORECTL_INSECURE_OPEN=1 */
};

/* Option values for struct option.val, clear of the shared ones. */
enum { AUTH_OPT_TOKENS = 3000, AUTH_OPT_INSECURE_OPEN };

/* The two long options, for an svc_usage.extra table. */
#define AUTH_LONG_OPTIONS                                                  \
	{ "tokens", required_argument, NULL, AUTH_OPT_TOKENS },            \
	{ "insecure-open", no_argument, NULL, AUTH_OPT_INSECURE_OPEN }

/* Their --help lines (for a service without a database of tokens). */
extern const char auth_opts_help[];

/* Fills o from STORECTL_TOKENS and STORECTL_INSECURE_OPEN (flags win). */
void auth_opts_env(struct auth_opts *o);

/*
 * Takes option opt (AUTH_OPT_*) with arg into o. Returns 0, or -1 after
 * printing why to stderr (program names the service).
 */
int auth_opts_set(struct auth_opts *o, int opt, const char *arg,
		  const char *program);

/*
 * The table of tokens[0..n) (taken over; source says where they came from,
 * for the log): none and not insecure_open is refused; OPEN mode is logged
 * loudly, else how many tokens of each role. NULL with the reason the
 * service cannot start in err.
 */
struct auth *auth_start(struct auth_token *tokens, size_t n,
			int insecure_open, const char *source, char *err,
			size_t errlen);

/*
 * The table of o's tokens file (auth_start over it); a file others may
 * read is logged as a warning. NULL with the reason in err, which never
 * holds a token.
 */
struct auth *auth_load(const struct auth_opts *o, char *err, size_t errlen);

#endif
