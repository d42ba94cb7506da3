/* 401 and 403 as problem+json, for every service that takes tokens. */
#include "common/auth_http.h"

#include <stdio.h>

int auth_http_caller(struct http_req *req, const struct auth *a,
		     const char *realm, struct auth_caller *c)
{
	const char *detail, *error = NULL;
	char challenge[128];

	switch (auth_check(a, http_header(req, "Authorization"), c)) {
	case AUTH_OK:
		return 0;
	case AUTH_MISSING:
		detail = "this API needs a bearer token: send Authorization: Bearer TOKEN";
		break;
	case AUTH_MALFORMED:
		error = "invalid_request";
		detail = "the Authorization header must be \"Bearer TOKEN\"";
		break;
	default:
		error = "invalid_token";
		detail = "the bearer token is not valid";
		break;
	}
	if (error != NULL)
		snprintf(challenge, sizeof(challenge),
			 "Bearer realm=\"%s\", error=\"%s\"", realm, error);
	else
		snprintf(challenge, sizeof(challenge), "Bearer realm=\"%s\"",
			 realm);
	http_add_header(req, "WWW-Authenticate", challenge);
	http_reply_problem(req, 401, "Unauthorized", detail,
			   json_pack("{ss}", "field", "Authorization"));
	return -1;
}

void auth_http_forbidden(struct http_req *req, const char *detail,
			 const char *field)
{
	http_reply_problem(req, 403, "Forbidden", detail,
			   field ? json_pack("{ssss}", "field", field, "rule",
					     "forbidden")
				 : NULL);
}

int auth_http_writer(struct http_req *req, const struct auth *a,
		     const char *realm, struct auth_caller *c)
{
	if (auth_http_caller(req, a, realm, c))
		return -1;
	if (auth_may_write(c))
		return 0;
	auth_http_forbidden(req, "the service role may only read", NULL);
	return -1;
}

int auth_http_operator(struct http_req *req, const struct auth *a,
		       const char *realm, const char *detail,
		       struct auth_caller *c)
{
	if (auth_http_caller(req, a, realm, c))
		return -1;
	if (c->role == AUTH_ROLE_OPERATOR)
		return 0;
	auth_http_forbidden(req, detail, NULL);
	return -1;
}
