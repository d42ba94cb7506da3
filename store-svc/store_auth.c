/* The token table, resolving a request's caller, and the role rules. */
#include "store-svc/store_auth.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct store_auth {
	size_t n;
	struct store_token *tokens;
};

static const char *const role_names[] = {
	[STORE_ROLE_NONE] = "none",
	[STORE_ROLE_OWNER] = "owner",
	[STORE_ROLE_OPERATOR] = "operator",
	[STORE_ROLE_SERVICE] = "service",
};

const char *store_role_name(enum store_role role)
{
	if ((size_t)role >= sizeof(role_names) / sizeof(role_names[0]))
		return "none";
	return role_names[role];
}

enum store_role store_role_from_name(const char *name)
{
	for (size_t i = STORE_ROLE_OWNER;
	     name != NULL && i < sizeof(role_names) / sizeof(role_names[0]); i++)
		if (strcmp(role_names[i], name) == 0)
			return (enum store_role)i;
	return STORE_ROLE_NONE;
}

struct store_auth *store_auth_new(struct store_token *tokens, size_t n)
{
	struct store_auth *a = calloc(1, sizeof(*a));

	if (a == NULL) {
		free(tokens);
		return NULL;
	}
	a->n = n;
	a->tokens = tokens;
	return a;
}

void store_auth_free(struct store_auth *a)
{
	if (a == NULL)
		return;
	if (a->tokens != NULL)
		memset(a->tokens, 0, a->n * sizeof(*a->tokens));
	free(a->tokens);
	free(a);
}

int store_auth_is_open(const struct store_auth *a)
{
	return a == NULL || a->n == 0;
}

void store_auth_counts(const struct store_auth *a, size_t *owners,
		       size_t *operators, size_t *services)
{
	*owners = *operators = *services = 0;
	for (size_t i = 0; a != NULL && i < a->n; i++) {
		if (a->tokens[i].role == STORE_ROLE_OWNER)
			(*owners)++;
		else if (a->tokens[i].role == STORE_ROLE_OPERATOR)
			(*operators)++;
		else if (a->tokens[i].role == STORE_ROLE_SERVICE)
			(*services)++;
	}
}

enum store_auth_result store_auth_check(const struct store_auth *a,
					const char *authorization,
					struct store_caller *c)
{
	unsigned char digest[SHA256_SIZE];
	const char *token;
	size_t found = 0, len;

	memset(c, 0, sizeof(*c));
	if (store_auth_is_open(a)) {
		c->role = STORE_ROLE_OPERATOR;
		c->open = 1;
		return STORE_AUTH_OK;
	}
	if (authorization == NULL)
		return STORE_AUTH_MISSING;
	if (strncasecmp(authorization, "Bearer ", 7) != 0)
		return STORE_AUTH_MALFORMED;
	token = authorization + 7;
	while (*token == ' ')
		token++;
	len = strlen(token);
	while (len > 0 && token[len - 1] == ' ')
		len--;
	if (len == 0 || len > STORE_TOKEN_MAX)
		return STORE_AUTH_MALFORMED;
	sha256(token, len, digest);
	/* Look at every entry, so the time taken does not say which one
	 * (or how much of one) matched. */
	for (size_t i = 0; i < a->n; i++) {
		int eq = sha256_equal_ct(digest, a->tokens[i].hash, SHA256_SIZE);

		/* The first match only; tokens are unique anyway. */
		found |= ((size_t)eq * (i + 1)) & -(size_t)(found == 0);
	}
	memset(digest, 0, sizeof(digest));
	if (found == 0)
		return STORE_AUTH_UNKNOWN;
	c->role = a->tokens[found - 1].role;
	memcpy(c->owner, a->tokens[found - 1].owner, sizeof(c->owner));
	return STORE_AUTH_OK;
}

int store_auth_sees(const struct store_caller *c, const char *owner)
{
	switch (c->role) {
	case STORE_ROLE_OPERATOR:
	case STORE_ROLE_SERVICE:
		return 1;
	case STORE_ROLE_OWNER:
		return owner != NULL && strcmp(c->owner, owner) == 0;
	default:
		return 0;
	}
}

int store_auth_may_write(const struct store_caller *c)
{
	return c->role == STORE_ROLE_OWNER || c->role == STORE_ROLE_OPERATOR;
}

int store_auth_may_observe(const struct store_caller *c)
{
	return c->role == STORE_ROLE_OPERATOR || c->role == STORE_ROLE_SERVICE;
}
