/* The token table, resolving a request's caller, and the role rules. */
#include "common/auth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct auth {
	size_t n;
	struct auth_token *tokens;
};

static const char *const role_names[] = {
	[AUTH_ROLE_NONE] = "none",
	[AUTH_ROLE_OWNER] = "owner",
	[AUTH_ROLE_OPERATOR] = "operator",
	[AUTH_ROLE_SERVICE] = "service",
};

const char *auth_role_name(enum auth_role role)
{
	if ((size_t)role >= sizeof(role_names) / sizeof(role_names[0]))
		return "none";
	return role_names[role];
}

enum auth_role auth_role_from_name(const char *name)
{
	for (size_t i = AUTH_ROLE_OWNER;
	     name != NULL && i < sizeof(role_names) / sizeof(role_names[0]); i++)
		if (strcmp(role_names[i], name) == 0)
			return (enum auth_role)i;
	return AUTH_ROLE_NONE;
}

struct auth *auth_new(struct auth_token *tokens, size_t n)
{
	struct auth *a = calloc(1, sizeof(*a));

	if (a == NULL) {
		free(tokens);
		return NULL;
	}
	a->n = n;
	a->tokens = tokens;
	return a;
}

void auth_free(struct auth *a)
{
	if (a == NULL)
		return;
	if (a->tokens != NULL)
		memset(a->tokens, 0, a->n * sizeof(*a->tokens));
	free(a->tokens);
	free(a);
}

int auth_is_open(const struct auth *a)
{
	return a == NULL || a->n == 0;
}

void auth_counts(const struct auth *a, size_t *owners,
		       size_t *operators, size_t *services)
{
	*owners = *operators = *services = 0;
	for (size_t i = 0; a != NULL && i < a->n; i++) {
		if (a->tokens[i].role == AUTH_ROLE_OWNER)
			(*owners)++;
		else if (a->tokens[i].role == AUTH_ROLE_OPERATOR)
			(*operators)++;
		else if (a->tokens[i].role == AUTH_ROLE_SERVICE)
			(*services)++;
	}
}

enum auth_result auth_check(const struct auth *a,
					const char *authorization,
					struct auth_caller *c)
{
	unsigned char digest[SHA256_SIZE];
	const char *token;
	size_t found = 0, len;

	memset(c, 0, sizeof(*c));
	if (auth_is_open(a)) {
		c->role = AUTH_ROLE_OPERATOR;
		c->open = 1;
		return AUTH_OK;
	}
	if (authorization == NULL)
		return AUTH_MISSING;
	if (strncasecmp(authorization, "Bearer ", 7) != 0)
		return AUTH_MALFORMED;
	token = authorization + 7;
	while (*token == ' ')
		token++;
	len = strlen(token);
	while (len > 0 && token[len - 1] == ' ')
		len--;
	if (len == 0 || len > AUTH_TOKEN_MAX)
		return AUTH_MALFORMED;
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
		return AUTH_UNKNOWN;
	c->role = a->tokens[found - 1].role;
	memcpy(c->owner, a->tokens[found - 1].owner, sizeof(c->owner));
	return AUTH_OK;
}

int auth_sees(const struct auth_caller *c, const char *owner)
{
	switch (c->role) {
	case AUTH_ROLE_OPERATOR:
	case AUTH_ROLE_SERVICE:
		return 1;
	case AUTH_ROLE_OWNER:
		return owner != NULL && strcmp(c->owner, owner) == 0;
	default:
		return 0;
	}
}

int auth_may_write(const struct auth_caller *c)
{
	return c->role == AUTH_ROLE_OWNER || c->role == AUTH_ROLE_OPERATOR;
}

int auth_may_observe(const struct auth_caller *c)
{
	return c->role == AUTH_ROLE_OPERATOR || c->role == AUTH_ROLE_SERVICE;
}

int auth_valid_owner(const char *owner, char *detail, size_t len)
{
	size_t n = strlen(owner);

	if (n == 0 || n > AUTH_OWNER_MAX) {
		snprintf(detail, len, "owner must be 1-%d characters long, not %zu",
			 AUTH_OWNER_MAX, n);
		return -1;
	}
	for (const char *p = owner; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '_' || *p == '-')
			continue;
		snprintf(detail, len,
			 "owner may contain only a-z, 0-9, '_' and '-'");
		return -1;
	}
	return 0;
}
